/*
** data.c - what a report draws (see reportInt.h): the design points of the filter from
** the store's typed queries, grouped by workload and by configuration, the baseline, and
** per point its energy by component class and its SQNR. This file knows neither SQL nor
** files: the store owns every statement, render.c and html.c every output.
**
** Grouping uses the identity's two halves (sim/identity.h): a point's group is its
** workload_id and its series its config_id, and (config_id, workload_id) determine the
** identity - so two distinct design points never share a cell, and nothing is merged.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reports/reportInt.h"

/* ---------------------------------------------------------------- small helpers */

char *reportStrDup(const char *s, QaErr *err) {
  if (!s) s = "";
  size_t n = strlen(s);
  char *p = qaMalloc(n + 1, err);
  if (p) memcpy(p, s, n + 1);
  return p;
}

void reportAppendf(char *buf, size_t cap, const char *fmt, ...) {
  size_t len = strlen(buf);
  if (len + 1 >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + len, cap - len, fmt, ap);
  va_end(ap);
}

int reportNote(Report *r, QaErr *err, const char *fmt, ...) {
  char line[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  QaReportSummary *s = r->sum;
  char **grown = realloc(s->notes, (size_t)(s->n_notes + 1) * sizeof *grown);
  if (!grown) return qaErrSet(err, QA_EINTERNAL, "out of memory adding a report note");
  s->notes = grown;
  if (!(s->notes[s->n_notes] = reportStrDup(line, err))) return QA_EINTERNAL;
  s->n_notes++;
  return QA_OK;
}

void reportMakeTag(const char *name, char *tag, size_t cap) {
  size_t n = 0;
  if (name[0] == '.' || name[0] == '-') tag[n++] = 'w';
  for (const char *s = name; *s && n + 1 < cap; s++) {
    char ch = *s;
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
             ch == '_' || ch == '.';
    tag[n++] = ok ? ch : '_';
  }
  tag[n] = 0;
  if (n == 0) snprintf(tag, cap, "workload");
}

int qaReportComponentCategory(const char *arch, const char *component) {
  const QaArchDesc *d = NULL;
  if (!component) return -1;
  if (!strcmp(component, "static")) return QA_CAT_STATIC;
  if (!arch || qaArchFind(arch, &d, NULL) != QA_OK) return -1;
  for (int i = 0; i < d->n_comps; i++)
    if (!strcmp(d->comps[i].name, component)) return (int)d->comps[i].category;
  return -1;
}

double reportEnergyUj(const Report *r, int i) {
  const QaPoint *p = &r->pt[i];
  return p->has_energy ? p->energy_per_inference_pj / 1e6 : NAN;
}

double reportSpeedup(const Report *r, int i, int cycles) {
  if (r->base < 0) return NAN;
  int b = CELL(r, r->pt_grp[i], r->base);
  if (b < 0) return NAN;
  const QaPoint *p = &r->pt[i], *q = &r->pt[b];
  double mine = cycles ? (double)p->n_cycles : p->time_s, base = cycles ? (double)q->n_cycles : q->time_s;
  return mine > 0 && base > 0 ? base / mine : NAN;
}

/* ---------------------------------------------------------------- loading */

static int findKey(char *const *keys, size_t stride, int n, const char *key) {
  for (int i = 0; i < n; i++)
    if (!strcmp(*(char *const *)((const char *)keys + (size_t)i * stride), key)) return i;
  return -1;
}

/* The group and series keys of point p (a run without an identity is its own series). */
static void pointKeys(const QaPoint *p, char *gkey, size_t gcap, char *skey, size_t scap) {
  if (p->workload_id[0])
    snprintf(gkey, gcap, "%s", p->workload_id);
  else
    snprintf(gkey, gcap, "%s|%s", p->workload, p->workload_hash);
  if (p->config_id[0])
    snprintf(skey, scap, "%s", p->config_id);
  else
    snprintf(skey, scap, "run %lld", (long long)p->run_id);
}

/* The point whose run is RUN_ID (points come in run_id order), or -1. */
static int pointOfRun(const Report *r, int64_t run_id) {
  int lo = 0, hi = r->n_pt;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (r->pt[mid].run_id == run_id) return mid;
    if (r->pt[mid].run_id < run_id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return -1;
}

/* Energy per inference of every priced point by component class. */
static int loadCategories(Report *r, QaErr *err) {
  QaComponentEnergy *e = NULL;
  int n_e = 0, rc;
  size_t n = (size_t)r->n_pt * QA_CAT_COUNT;
  if (!(r->cat_pj = qaMalloc(n * sizeof *r->cat_pj, err))) return QA_EINTERNAL;
  if (!(r->weak = qaCalloc((size_t)r->n_pt + 1, sizeof *r->weak, err))) return QA_EINTERNAL;
  for (size_t i = 0; i < n; i++) r->cat_pj[i] = NAN;
  if ((rc = qaStoreComponentEnergy(r->store, &e, &n_e, err))) return rc;
  /* points by run id: both lists are small enough for a sorted walk per row */
  for (int k = 0; k < n_e; k++) {
    int i = pointOfRun(r, e[k].run_id);
    if (i < 0 || !r->pt[i].has_energy || strcmp(r->pt[i].costs, e[k].costs) || e[k].n_values <= 0) continue;
    const QaPoint *p = &r->pt[i];
    double *cat = &r->cat_pj[(size_t)i * QA_CAT_COUNT];
    if (isnan(cat[0]))
      for (int c = 0; c < QA_CAT_COUNT; c++) cat[c] = 0;
    int c = qaReportComponentCategory(p->arch, e[k].component);
    double scale = p->energy_pj > 0 ? p->energy_per_inference_pj / p->energy_pj : 1;
    if (c < 0) { /* a component this build's architecture does not name: not drawn, noted */
      r->n_other++;
      continue;
    }
    cat[c] += e[k].energy_pj * scale;
    if (p->energy_pj > 0) r->weak[i] += e[k].weak_pj / p->energy_pj;
  }
  qaStoreFreeComponentEnergy(e, n_e);
  if (r->n_other)
    return reportNote(
        r, err,
        "%d energy rows name components the current architectures do not have (runs of an older "
        "qasim): left out of the energy breakdown",
        r->n_other);
  return QA_OK;
}

/* SQNR of every point: per layer, the activation and weight noise add (first order, a
** product of two quantized operands): sqnr = -10 log10(10^(-a/10) + 10^(-w/10)); the
** run's is the MAC-weighted mean over its layers with a finite value. */
static int loadSqnr(Report *r, QaErr *err) {
  QaLayerQuality *q = NULL;
  int n_q = 0, rc;
  if (!(r->sqnr_db = qaMalloc((size_t)r->n_pt * sizeof *r->sqnr_db, err))) return QA_EINTERNAL;
  if ((rc = qaStoreLayerQuality(r->store, &q, &n_q, err))) return rc;
  double *sum = qaCalloc((size_t)r->n_pt, sizeof *sum, err),
         *wsum = qaCalloc((size_t)r->n_pt, sizeof *wsum, err);
  if (!sum || !wsum) {
    free(sum);
    free(wsum);
    free(q);
    return QA_EINTERNAL;
  }
  for (int k = 0; k < n_q; k++) {
    int i = pointOfRun(r, q[k].run_id);
    if (i < 0) continue;
    {
      double a = q[k].a_sqnr_db, b = q[k].w_sqnr_db;
      if (isnan(a) || isnan(b)) continue;
      double nsr = pow(10, -a / 10) + pow(10, -b / 10);
      if (!(nsr > 0) || !isfinite(nsr)) continue;
      double s = -10 * log10(nsr), m = q[k].macs > 0 ? (double)q[k].macs : 1;
      sum[i] += m * s;
      wsum[i] += m;
    }
  }
  for (int i = 0; i < r->n_pt; i++) r->sqnr_db[i] = wsum[i] > 0 ? sum[i] / wsum[i] : NAN;
  free(sum);
  free(wsum);
  free(q);
  return QA_OK;
}

/* The filter in words, for the message when nothing passes it. */
static void filterText(const QaPointFilter *f, char *buf, size_t cap) {
  buf[0] = 0;
  for (int i = 0; i < f->n_archs; i++) reportAppendf(buf, cap, " --arch %s", f->archs[i]);
  for (int i = 0; i < f->n_nets; i++) reportAppendf(buf, cap, " --net %s", f->nets[i]);
  for (int i = 0; i < f->n_bits; i++) reportAppendf(buf, cap, " --bits %d/%d", f->a_bits[i], f->w_bits[i]);
  if (f->where) reportAppendf(buf, cap, " --where '%s'", f->where);
}

/* The registry position of an architecture (unknown ones last). */
static int archRank(const char *arch) {
  for (int i = 0; i < qaArchCount(); i++)
    if (!strcmp(qaArchAt(i)->name, arch)) return i;
  return qaArchCount();
}

/* Architectures in registry order, unknown ones after them by name. */
static int cmpArch(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  int c = archRank(x) - archRank(y);
  return c ? c : strcmp(x, y);
}

/* Series order (colours follow it): architectures in registry order, then the widest bits
** first, then by their attributes as text, then by first run. */
static int serLess(const Report *r, const Series *x, const Series *y) {
  const QaPoint *p = &r->pt[x->point0], *q = &r->pt[y->point0];
  int c = archRank(p->arch) - archRank(q->arch);
  if (!c) c = strcmp(p->arch, q->arch);
  if (!c) c = q->a_bits - p->a_bits;
  if (!c) c = q->w_bits - p->w_bits;
  for (int k = 0; !c && k < x->attrs.n && k < y->attrs.n; k++) {
    c = strcmp(x->attrs.key[k], y->attrs.key[k]);
    if (!c) c = strcmp(x->attrs.val[k], y->attrs.val[k]);
  }
  if (!c) c = x->attrs.n - y->attrs.n;
  if (!c) c = x->point0 - y->point0;
  return c < 0;
}

static void sortSeries(Report *r) {
  for (int i = 1; i < r->n_ser; i++) {
    Series t = r->ser[i];
    int j = i - 1;
    while (j >= 0 && serLess(r, &t, &r->ser[j])) {
      r->ser[j + 1] = r->ser[j];
      j--;
    }
    r->ser[j + 1] = t;
  }
  for (int i = 0; i < r->n_pt; i++) {
    char gkey[256], skey[256];
    pointKeys(&r->pt[i], gkey, sizeof gkey, skey, sizeof skey);
    r->pt_ser[i] = findKey(&r->ser[0].key, sizeof r->ser[0], r->n_ser, skey);
  }
}

int reportLoad(Report *r, QaErr *err) {
  int rc;
  char gkey[256], skey[256], ftext[512];
  if ((rc = qaStorePoints(r->store, &r->opt->filter, &r->pt, &r->n_pt, &r->points_sql, err))) return rc;
  if (r->n_pt == 0) {
    filterText(&r->opt->filter, ftext, sizeof ftext);
    if (ftext[0])
      return qaErrSet(err, QA_EUSER, "no design points match the filter%s (see qasim results)", ftext);
    return qaErrSet(err, QA_EUSER,
                    "the results store has no finished runs: nothing to report (simulate first)");
  }
  r->pt_grp = qaMalloc((size_t)r->n_pt * sizeof *r->pt_grp, err);
  r->pt_ser = qaMalloc((size_t)r->n_pt * sizeof *r->pt_ser, err);
  r->grp = qaCalloc((size_t)r->n_pt, sizeof *r->grp, err);
  r->ser = qaCalloc((size_t)r->n_pt, sizeof *r->ser, err);
  r->archs = qaCalloc((size_t)r->n_pt, sizeof *r->archs, err);
  if (!r->pt_grp || !r->pt_ser || !r->grp || !r->ser || !r->archs) return QA_EINTERNAL;
  for (int i = 0; i < r->n_pt; i++) {
    const QaPoint *p = &r->pt[i];
    pointKeys(p, gkey, sizeof gkey, skey, sizeof skey);
    int g = findKey(&r->grp[0].key, sizeof r->grp[0], r->n_grp, gkey);
    if (g < 0) {
      g = r->n_grp++;
      if (!(r->grp[g].key = reportStrDup(gkey, err))) return QA_EINTERNAL;
      r->grp[g].name = p->workload;
    }
    int s = findKey(&r->ser[0].key, sizeof r->ser[0], r->n_ser, skey);
    if (s < 0) {
      s = r->n_ser++;
      if (!(r->ser[s].key = reportStrDup(skey, err))) return QA_EINTERNAL;
      r->ser[s].point0 = i;
      if ((rc = reportAttrs(p, &r->ser[s].attrs, err))) return rc;
    }
    r->pt_grp[i] = g;
    r->pt_ser[i] = s;
    int a = 0;
    while (a < r->n_archs && strcmp(r->archs[a], p->arch)) a++;
    if (a == r->n_archs) r->archs[r->n_archs++] = p->arch;
  }
  qsort(r->archs, (size_t)r->n_archs, sizeof *r->archs, cmpArch);
  sortSeries(r);
  /* groups in name order (then key), so files and figures come out the same every time */
  for (int i = 1; i < r->n_grp; i++) {
    Group t = r->grp[i];
    int j = i - 1;
    while (j >= 0 && (strcmp(r->grp[j].name, t.name) > 0 ||
                      (!strcmp(r->grp[j].name, t.name) && strcmp(r->grp[j].key, t.key) > 0))) {
      r->grp[j + 1] = r->grp[j];
      j--;
    }
    r->grp[j + 1] = t;
  }
  for (int i = 0; i < r->n_pt; i++) {
    pointKeys(&r->pt[i], gkey, sizeof gkey, skey, sizeof skey);
    r->pt_grp[i] = findKey(&r->grp[0].key, sizeof r->grp[0], r->n_grp, gkey);
  }
  for (int g = 0; g < r->n_grp; g++) {
    Group *gr = &r->grp[g];
    int shared = 0;
    for (int k = 0; k < r->n_grp; k++) shared |= k != g && !strcmp(r->grp[k].name, gr->name);
    snprintf(gr->label, sizeof gr->label, "%s", gr->name);
    if (shared) reportAppendf(gr->label, sizeof gr->label, " #%.6s", gr->key);
    reportMakeTag(gr->label, gr->tag, sizeof gr->tag);
  }
  if (!(r->cell = qaMalloc((size_t)r->n_grp * (size_t)r->n_ser * sizeof *r->cell, err))) return QA_EINTERNAL;
  for (size_t k = 0; k < (size_t)r->n_grp * (size_t)r->n_ser; k++) r->cell[k] = -1;
  for (int i = 0; i < r->n_pt; i++) {
    int *c = &CELL(r, r->pt_grp[i], r->pt_ser[i]);
    if (*c >= 0) /* cannot happen: (config_id, workload_id) determine the identity */
      return qaErrSet(err, QA_EINTERNAL, "runs %lld and %lld are one design point twice",
                      (long long)r->pt[*c].run_id, (long long)r->pt[i].run_id);
    *c = i;
  }
  r->sum->n_points = r->n_pt;
  r->sum->n_archs = r->n_archs;
  r->sum->n_networks = r->n_grp;
  if ((rc = loadCategories(r, err)) || (rc = loadSqnr(r, err))) return rc;
  return QA_OK;
}

/* ---------------------------------------------------------------- the baseline */

/* "ARCH[@BITS][,param=value...]": does series s match it? */
static int baseMatches(const Report *r, int s, const char *arch, int a, int w, char *const *kv, int n_kv) {
  const QaPoint *p = &r->pt[r->ser[s].point0];
  if (strcasecmp(p->arch, arch)) return 0;
  if (a && (p->a_bits != a || p->w_bits != w)) return 0;
  for (int i = 0; i < n_kv; i++) {
    const char *eq = strchr(kv[i], '=');
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)(eq - kv[i]), kv[i]);
    const char *v = reportAttr(&r->ser[s].attrs, key);
    if (!v || strcmp(v, eq + 1)) return 0;
  }
  return 1;
}

/* Series S written the way --baseline takes it: "arch@A[/W][,k=v...]" with what
** distinguishes it from the other series of its architecture. */
static void baseSpelling(const Report *r, int s, const char *label, char *buf, size_t cap) {
  const QaPoint *p = &r->pt[r->ser[s].point0];
  if (p->a_bits == p->w_bits)
    snprintf(buf, cap, "%s@%d", p->arch, p->a_bits);
  else
    snprintf(buf, cap, "%s@%d/%d", p->arch, p->a_bits, p->w_bits);
  /* the label is "arch [k=v ...]" plus bits: keep its k=v words */
  const char *q = strchr(label, ' ');
  while (q && *q) {
    q++;
    size_t n = strcspn(q, " ");
    if (memchr(q, '=', n)) reportAppendf(buf, cap, ",%.*s", (int)n, q);
    q += n;
  }
}

int reportBaseline(Report *r, QaErr *err) {
  const char *spec = r->opt->baseline && *r->opt->baseline ? r->opt->baseline : "dadiannao@16";
  int required = r->opt->baseline_required && r->opt->baseline;
  char arch[64], *kv[16], buf[512];
  int n_kv = 0, a = 0, w = 0;
  r->base = -1;
  snprintf(buf, sizeof buf, "%s", spec);
  char *save = NULL, *tok = strtok_r(buf, ",", &save);
  if (!tok || !*tok) return qaErrSet(err, QA_EUSER, "--baseline '%s': write ARCH@BITS[,param=value]", spec);
  char *at = strchr(tok, '@');
  if (at) {
    *at = 0;
    char *slash = strchr(at + 1, '/');
    char *end = NULL;
    a = (int)strtol(at + 1, &end, 10);
    w = slash ? (int)strtol(slash + 1, &end, 10) : a;
    if (a < 1 || a > QA_BITS_MAX || w < 1 || w > QA_BITS_MAX || (end && *end))
      return qaErrSet(err, QA_EUSER, "--baseline '%s': bits must be N or A/W in 1..%d", spec, QA_BITS_MAX);
  }
  snprintf(arch, sizeof arch, "%s", tok);
  while ((tok = strtok_r(NULL, ",", &save)) != NULL && n_kv < 16) {
    if (!strchr(tok, '=') || tok[0] == '=')
      return qaErrSet(err, QA_EUSER, "--baseline '%s': '%s' is not param=value", spec, tok);
    kv[n_kv++] = tok;
  }
  int n_match = 0, first = -1;
  char matches[1024] = "";
  int *all = qaMalloc((size_t)r->n_ser * sizeof *all, err);
  char(*labels)[LABEL_MAX] = qaMalloc((size_t)r->n_ser * sizeof *labels, err);
  if (!all || !labels) {
    free(all);
    free(labels);
    return QA_EINTERNAL;
  }
  for (int s = 0; s < r->n_ser; s++) all[s] = s;
  reportLabels(r, all, r->n_ser, NULL, NULL, labels, NULL, 0);
  for (int s = 0; s < r->n_ser; s++) {
    if (!baseMatches(r, s, arch, a, w, kv, n_kv)) continue;
    if (first < 0) first = s;
    char sp[LABEL_MAX];
    baseSpelling(r, s, labels[s], sp, sizeof sp);
    reportAppendf(matches, sizeof matches, "%s%s", n_match ? ", " : "", sp);
    n_match++;
  }
  int rc = QA_OK;
  if (n_match == 1) {
    r->base = first;
    snprintf(r->base_label, sizeof r->base_label, "%s", labels[first]);
  } else {
    char have[QA_ERR_MAX / 2] = "";
    for (int s = 0; s < r->n_ser && strlen(have) < sizeof have - 64; s++) {
      char sp[LABEL_MAX];
      baseSpelling(r, s, labels[s], sp, sizeof sp);
      if (!strstr(have, sp)) reportAppendf(have, sizeof have, "%s%s", have[0] ? ", " : "", sp);
    }
    if (n_match == 0 && required)
      rc = qaErrSet(err, QA_EUSER, "--baseline '%s' matches no design point; the design points: %s", spec,
                    have);
    else if (n_match > 1 && required)
      rc = qaErrSet(err, QA_EUSER,
                    "--baseline '%s' matches %d design points (%s); add ,param=value to choose one", spec,
                    n_match, matches);
    else if (n_match == 0)
      rc = reportNote(
          r, err,
          "no baseline: no design point is %s (the speedup figures are not drawn and energy is not "
          "normalised; choose one with --baseline, e.g. %s)",
          spec, have);
    else
      rc = reportNote(r, err, "no baseline: %s matches %d design points (%s); choose one with --baseline",
                      spec, n_match, matches);
  }
  free(all);
  free(labels);
  return rc;
}

void reportFree(Report *r) {
  qaStoreFreePoints(r->pt, r->n_pt);
  free(r->points_sql);
  free(r->pt_grp);
  free(r->pt_ser);
  for (int g = 0; g < r->n_grp; g++) free(r->grp[g].key);
  free(r->grp);
  for (int s = 0; s < r->n_ser; s++) {
    free(r->ser[s].key);
    reportAttrsFree(&r->ser[s].attrs);
  }
  free(r->ser);
  free(r->cell);
  free(r->archs);
  free(r->cat_pj);
  free(r->weak);
  free(r->sqnr_db);
  if (r->fig)
    for (int i = 0; i < r->sum->n_figures; i++) free(r->fig[i].pt);
  free(r->fig);
  memset(r, 0, sizeof *r);
}
