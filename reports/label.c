/*
** label.c - naming design points by what differs between them, and colours.
**
** A configuration is described by attributes (reportAttrs): its architecture's
** parameters as the stored config text gives them, then bits, quantizers, encoder,
** seed, synthetic-value options, timing, verification, cost table and tool version. A
** figure names each of its series by its architecture and the attributes whose values
** differ among the figure's series of the same architecture ("laconic sync=pe"), the
** bits when they differ anywhere in the figure ("stripes 8b"), and a run setting
** (quantizer, encoder, seed, ...) that is not the one most of the figure's series have
** ("khot-laconic qa=khot2 qw=khot2 16b": a k-hot design never looks like a plain one);
** never by an arbitrary one of them. What all share goes to the figure's caption.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/reportInt.h"

/* ---------------------------------------------------------------- attributes */

static int addAttr(Attrs *a, const char *key, size_t key_len, const char *val, int is_param, QaErr *err) {
  if (a->n == ATTR_MAX) return QA_OK; /* (more parameters than a legend can show) */
  char *k = qaMalloc(key_len + 1, err), *v = reportStrDup(val, err);
  if (!k || !v) {
    free(k);
    free(v);
    return QA_EINTERNAL;
  }
  memcpy(k, key, key_len);
  k[key_len] = 0;
  a->key[a->n] = k;
  a->val[a->n] = v;
  a->is_param[a->n] = is_param;
  a->n++;
  return QA_OK;
}

int reportAttrs(const QaPoint *p, Attrs *a, QaErr *err) {
  char v[96];
  int rc = QA_OK;
  memset(a, 0, sizeof *a);
  /* the parameters: "name: value" lines of the stored config, after "arch: NAME" */
  for (const char *s = p->arch_config; *s && !rc;) {
    size_t n = strcspn(s, "\n");
    const char *colon = memchr(s, ':', n);
    if (colon && strncmp(s, "arch:", 5)) {
      char val[96];
      const char *vs = colon + 1 + (colon[1] == ' ');
      snprintf(val, sizeof val, "%.*s", (int)(s + n - vs), vs);
      rc = addAttr(a, s, (size_t)(colon - s), val, 1, err);
    }
    s += n + (s[n] == '\n');
  }
  if (p->a_bits == p->w_bits)
    snprintf(v, sizeof v, "%db", p->a_bits);
  else
    snprintf(v, sizeof v, "a%d/w%d", p->a_bits, p->w_bits);
  if (!rc) rc = addAttr(a, ATTR_BITS, strlen(ATTR_BITS), v, 0, err);
  if (!rc) rc = addAttr(a, "qa", 2, p->quant_a, 0, err);
  if (!rc) rc = addAttr(a, "qw", 2, p->quant_w, 0, err);
  if (!rc) rc = addAttr(a, "enc", 3, p->encoder, 0, err);
  snprintf(v, sizeof v, "%llu", (unsigned long long)p->seed);
  if (!rc) rc = addAttr(a, "seed", 4, v, 0, err);
  if (!isnan(p->act_zero_frac)) {
    snprintf(v, sizeof v, "%g", p->act_zero_frac);
    if (!rc) rc = addAttr(a, "zero_frac", 9, v, 0, err);
  }
  if (!rc && p->wgt_dist[0]) rc = addAttr(a, "wgt", 3, p->wgt_dist, 0, err);
  if (!rc) rc = addAttr(a, "timing", 6, p->timing, 0, err);
  if (!rc && p->verify >= 0) rc = addAttr(a, "verify", 6, p->verify ? "yes" : "no", 0, err);
  if (!rc) rc = addAttr(a, ATTR_COSTS, strlen(ATTR_COSTS), p->costs[0] ? p->costs : "none", 0, err);
  if (!rc) rc = addAttr(a, "tool", 4, p->tool_version, 0, err);
  if (rc) reportAttrsFree(a);
  return rc;
}

void reportAttrsFree(Attrs *a) {
  for (int i = 0; i < a->n; i++) {
    free(a->key[i]);
    free(a->val[i]);
  }
  memset(a, 0, sizeof *a);
}

const char *reportAttr(const Attrs *a, const char *key) {
  for (int i = 0; i < a->n; i++)
    if (!strcmp(a->key[i], key)) return a->val[i];
  return NULL;
}

static int ignored(const char *key, const char *const *ignore) {
  for (int i = 0; ignore && ignore[i]; i++)
    if (!strcmp(ignore[i], key)) return 1;
  return 0;
}

/* ---------------------------------------------------------------- labels */

/* The most frequent value of KEY among the N series SER[] (ties: the first seen). */
static const char *usualValue(const Report *r, const int *ser, int n, const char *key) {
  const char *best = "";
  int best_n = 0;
  for (int i = 0; i < n; i++) {
    const char *v = reportAttr(&r->ser[ser[i]].attrs, key);
    if (!v) continue;
    int m = 0;
    for (int j = 0; j < n; j++) {
      const char *w = reportAttr(&r->ser[ser[j]].attrs, key);
      m += w && !strcmp(v, w);
    }
    if (m > best_n) {
      best = v;
      best_n = m;
    }
  }
  return best;
}

void reportLabels(const Report *r, const int *ser, int n, const char *const *ignore,
                  const char *const *suffix, char (*out)[LABEL_MAX], char *common, size_t cap) {
  for (int i = 0; i < n; i++) {
    const Series *s = &r->ser[ser[i]];
    const char *arch = r->pt[s->point0].arch;
    snprintf(out[i], LABEL_MAX, "%s", arch);
    for (int k = 0; k < s->attrs.n; k++) {
      const char *key = s->attrs.key[k], *val = s->attrs.val[k];
      if (ignored(key, ignore)) continue;
      /* among the listed series of the same architecture; the bits among all of them */
      int differs = 0, any_arch = !strcmp(key, ATTR_BITS);
      for (int j = 0; j < n && !differs; j++) {
        const Series *t = &r->ser[ser[j]];
        if (j == i || (!any_arch && strcmp(r->pt[t->point0].arch, arch))) continue;
        const char *tv = reportAttr(&t->attrs, key);
        differs = !tv || strcmp(tv, val);
      }
      /* a run setting (quantizer, encoder, seed, ...) that is not the figure's usual one:
      ** a k-hot "16-bit" design must not look like a plain 16-bit one */
      if (!differs && !s->attrs.is_param[k] && !any_arch)
        differs = strcmp(val, usualValue(r, ser, n, key)) != 0;
      if (!differs) continue;
      if (!strcmp(key, ATTR_BITS))
        reportAppendf(out[i], LABEL_MAX, " %s", val);
      else
        reportAppendf(out[i], LABEL_MAX, " %s=%s", key, val);
    }
    if (suffix && suffix[i] && suffix[i][0]) reportAppendf(out[i], LABEL_MAX, " %s", suffix[i]);
  }
  /* what the attributes cannot tell apart (a run without an identity): the key */
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      if (!strcmp(out[i], out[j])) {
        reportAppendf(out[j], LABEL_MAX, " #%.6s", r->ser[ser[j]].key);
        if (!strstr(out[i], " #")) reportAppendf(out[i], LABEL_MAX, " #%.6s", r->ser[ser[i]].key);
      }
  if (!common || !cap) return;
  common[0] = 0;
  if (!n) return;
  const Series *s0 = &r->ser[ser[0]];
  for (int k = 0; k < s0->attrs.n; k++) {
    const char *key = s0->attrs.key[k], *val = s0->attrs.val[k];
    if (s0->attrs.is_param[k] || ignored(key, ignore) || !val[0]) continue;
    int same = 1;
    for (int j = 1; j < n && same; j++) {
      const char *tv = reportAttr(&r->ser[ser[j]].attrs, key);
      same = tv && !strcmp(tv, val);
    }
    if (same) reportAppendf(common, cap, "%s%s=%s", common[0] ? " " : "", key, val);
  }
}

/* ---------------------------------------------------------------- colours */

/* Okabe-Ito, then Paul Tol's muted and bright sets, then more of the usual: distinct on
** screen and in print; past them, hues by the golden angle at two lightnesses. */
static const char *const kPalette[] = {"#0072b2", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9",
                                       "#000000", "#f0e442", "#332288", "#88ccee", "#44aa99", "#117733",
                                       "#999933", "#ddcc77", "#cc6677", "#882255", "#aa4499", "#7f7f7f",
                                       "#8c564b", "#bcbd22", "#17becf", "#1f77b4", "#ff7f0e", "#2ca02c"};
#define N_PALETTE ((int)(sizeof kPalette / sizeof kPalette[0]))

static int hexOf(double x) { return (int)lround(fmin(fmax(x, 0), 1) * 255); }

void reportColor(int i, char out[8]) {
  if (i >= 0 && i < N_PALETTE) {
    snprintf(out, 8, "%s", kPalette[i]);
    return;
  }
  /* HSV with the hue stepping by the golden angle; the index picks the lightness and a
  ** last-digit offset, so two indices never give the same code */
  int k = i - N_PALETTE;
  double h = fmod(k * 137.50776405, 360.0) / 60.0, s = 0.7, v = (k / 7) % 2 ? 0.55 : 0.8;
  double c = v * s, x = c * (1 - fabs(fmod(h, 2) - 1)), m = v - c, rgb[3];
  int sector = (int)h % 6;
  double tab[6][3] = {{c, x, 0}, {x, c, 0}, {0, c, x}, {0, x, c}, {x, 0, c}, {c, 0, x}};
  for (int j = 0; j < 3; j++) rgb[j] = tab[sector][j] + m;
  int b = (hexOf(rgb[2]) & ~3) | (k & 3); /* the low bits of blue carry k mod 4 */
  snprintf(out, 8, "#%02x%02x%02x", hexOf(rgb[0]), hexOf(rgb[1]), b & 0xff);
}

const char *reportCategoryColor(int c) {
  static const char *const kCat[QA_CAT_COUNT] = {"#0072b2", "#009e73", "#cc79a7",
                                                 "#e69f00", "#d55e00", "#7f7f7f"};
  return c >= 0 && c < QA_CAT_COUNT ? kCat[c] : "#000000";
}

const char *reportCategoryLabel(int c) {
  static const char *const kLab[QA_CAT_COUNT] = {"datapath",       "accumulation", "registers",
                                                 "on-chip memory", "DRAM",         "static"};
  return c >= 0 && c < QA_CAT_COUNT ? kLab[c] : "other";
}

/* ---------------------------------------------------------------- config differences */

void qaReportConfigDiff(const char *arch, const char *arch_config, char *buf, size_t cap) {
  const QaArchDesc *d = NULL;
  QaArchConfig def;
  buf[0] = 0;
  if (!arch || qaArchFind(arch, &d, NULL) != QA_OK) {
    char hex[17];
    qaHashHex(qaHash64(arch_config ? arch_config : "", arch_config ? strlen(arch_config) : 0, 0), hex);
    snprintf(buf, cap, "config %.8s", hex);
    return;
  }
  qaCfgDefaults(d, &def);
  for (const char *s = arch_config ? arch_config : ""; *s;) {
    size_t n = strcspn(s, "\n");
    const char *colon = memchr(s, ':', n);
    if (colon && strncmp(s, "arch:", 5)) {
      char key[64], val[96], dv[96];
      const char *vs = colon + 1 + (colon[1] == ' ');
      snprintf(key, sizeof key, "%.*s", (int)(colon - s), s);
      snprintf(val, sizeof val, "%.*s", (int)(s + n - vs), vs);
      int i = qaCfgParamIndex(d, key);
      if (i < 0) {
        reportAppendf(buf, cap, "%s%s=%s", buf[0] ? " " : "", key, val);
      } else {
        qaCfgValueText(&def, i, dv, sizeof dv);
        if (strcmp(dv, val)) reportAppendf(buf, cap, "%s%s=%s", buf[0] ? " " : "", key, val);
      }
    }
    s += n + (s[n] == '\n');
  }
}
