/*
** power.c - peak power, area and leakage of a config under a cost table, and the energy
** of a network simulated in pure C (see power.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "sim/power.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arch/driver.h"
#include "arch/memory.h"
#include "quant/quant.h"
#include "workloads/synth.h"

/* ---- one layer in pure C ------------------------------------------------------------------ */

/* Synthetic values of layer L (stream IDX of SPEC), quantized to A_BITS / W_BITS with the
** architecture's default quantizers, simulated loosely timed with the memory state CARRY. */
static int runLayer(const QaArchConfig *cfg, const QaLayer *l, int idx, int a_bits, int w_bits,
                    const QaSynthSpec *spec, QaMemCarry *carry, QaLayerStats *st, QaErr *err) {
  const QaArchDesc *d = cfg->desc;
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l), no = qaLayerOutCount(l);
  float *fa = qaMalloc((size_t)na * sizeof *fa, err), *fw = qaMalloc((size_t)nw * sizeof *fw, err);
  int32_t *ca = qaMalloc((size_t)na * sizeof *ca, err), *cw = qaMalloc((size_t)nw * sizeof *cw, err);
  int64_t *out = qaMalloc((size_t)(no ? no : 1) * sizeof *out, err);
  QaQuantSpec qa, qw;
  QaQuantResult ra, rw;
  QaEncoder enc;
  int rc = QA_OK;
  memset(&ra, 0, sizeof ra);
  memset(&rw, 0, sizeof rw);
  if (!fa || !fw || !ca || !cw || !out) {
    rc = QA_EINTERNAL;
    goto end;
  }
  qaSynthLayer(spec, l, idx, fa, fw);
  /* the run's defaults: the architecture's quantizers and encoder, "auto" activations
  ** (synthetic activations are non-negative: unsigned) */
  const char *quant_a = d->quant_a && strcmp(d->quant_a, "auto") ? d->quant_a : "unsigned";
  if ((rc = qaQuantParse(quant_a, &qa, err)) ||
      (rc = qaQuantParse(d->quant_w ? d->quant_w : "sym-ch", &qw, err)) ||
      (rc = qaEncoderParse(d->encoder ? d->encoder : "booth4", &enc, err)) ||
      (rc = qaQuantize(&qa, a_bits, fa, na, 1, ca, &ra, err)) ||
      (rc = qaQuantize(&qw, w_bits, fw, nw, l->k, cw, &rw, err)))
    goto end;
  QaLayerJob job = {l, ca, cw, a_bits, w_bits, ra.min_code < 0, enc, out, 0};
  memset(st, 0, sizeof *st);
  rc = qaSimRunLayerCarry(cfg, QA_TIMING_LT, &job, st, carry, err);
end:
  if (rc) qaErrPrefix(err, "%s layer '%s'", d->name, l->name);
  qaQuantResultFree(&ra);
  qaQuantResultFree(&rw);
  free(fa);
  free(fw);
  free(ca);
  free(cw);
  free(out);
  return rc;
}

/* ---- peak power ----------------------------------------------------------------------------- */

int qaChipPower(const QaArchConfig *cfg, const QaCostTable *t, QaChipPower *out, QaErr *err) {
  const QaArchSpec *s = &cfg->spec.base;
  QaComposition *cx = qaCalloc(1, sizeof *cx, err);
  QaLayerStats *st = qaCalloc(1, sizeof *st, err);
  QaEnergy *e = qaCalloc(1, sizeof *e, err);
  int rc = QA_OK, hw = qaArchHwBits(cfg);
  memset(out, 0, sizeof *out);
  if (!cx || !st || !e) {
    rc = QA_EINTERNAL;
    goto end;
  }
  QaComposeOptions co = {hw, hw, NULL};
  if ((rc = qaCompose(cfg, t, &co, cx, err))) goto end;
  out->clock_mhz = s->clock_mhz;
  out->area_mm2 = cx->chip_area_um2 / 1e6;
  out->memory_area_mm2 = cx->memory_area_um2 / 1e6;
  out->logic_area_mm2 = cx->logic_area_um2 / 1e6;
  out->leakage_priced = cx->n_leak_known > 0 && cx->n_leak_missing == 0;
  out->leakage_w = cx->chip_leakage_uw * 1e-6;

  /* the peak layer: one pass of every filter row, every column busy, no zero activations */
  QaLayer l;
  memset(&l, 0, sizeof l);
  snprintf(l.name, sizeof l.name, "peak");
  l.kind = QA_LAYER_CONV;
  l.n = 1;
  l.c = s->lanes * 4;
  l.h = 8 + 2;
  l.w = 4 * s->columns + 2;
  l.k = s->tiles * s->rows;
  l.r = l.s = 3;
  l.stride_h = l.stride_w = 1;
  l.groups = 1;
  snprintf(out->layer, sizeof out->layer, "conv %dx%dx%d -> %d 3x3, a/w %d/%d bits", l.c, l.h, l.w, l.k, hw,
           hw);
  QaSynthSpec spec;
  qaSynthDefaults(&spec);
  spec.act_zero_frac = 0;
  QaMemCarry carry = {0, 0};
  if ((rc = runLayer(cfg, &l, 0, hw, hw, &spec, &carry, st, err))) goto end;
  if ((rc = qaEnergyPriceLayer(cx, st, hw, hw, 1, e, err))) goto end;
  double time_s = e->time_s;
  if (time_s <= 0) {
    rc = qaErrSet(err, QA_EINTERNAL, "%s: the peak layer took no time", cfg->desc->name);
    goto end;
  }
  for (int c = 0; c < QA_CAT_COUNT; c++)
    out->category_w[c] = qaEnergyCategoryPj(e, (QaCategory)c) * 1e-12 / time_s;
  out->dram_w = out->category_w[QA_CAT_DRAM];
  out->category_w[QA_CAT_DRAM] = 0;
  out->category_w[QA_CAT_STATIC] = out->leakage_w;
  for (int c = 0; c < QA_CAT_COUNT; c++)
    if (c != QA_CAT_STATIC) out->dynamic_w += out->category_w[c];
  out->peak_w = out->dynamic_w + out->leakage_w;
  out->macs_per_cycle = st->n_cycles > 0 ? (double)st->macs / (double)st->n_cycles : 0;
  out->weak_share = qaEnergyWeakShare(e);
end:
  free(cx);
  free(st);
  free(e);
  return rc;
}

/* ---- a network ------------------------------------------------------------------------------ */

#define NET_TABLES_MAX 8

int qaNetEnergyC(const QaArchConfig *cfg, const QaCostTable *const *t, int n_tables, const QaNet *net,
                 const QaNetEnergyOptions *o, QaEnergy *out, QaErr *err) {
  QaComposition *cx = qaCalloc(NET_TABLES_MAX, sizeof *cx, err);
  QaLayerStats *st = qaCalloc(1, sizeof *st, err);
  QaEnergy *le = qaCalloc(1, sizeof *le, err);
  int rc = QA_OK;
  if (!cx || !st || !le) {
    rc = QA_EINTERNAL;
    goto end;
  }
  if (n_tables < 1 || n_tables > NET_TABLES_MAX) {
    rc = qaErrSet(err, QA_EINTERNAL, "qaNetEnergyC: %d tables (1..%d)", n_tables, NET_TABLES_MAX);
    goto end;
  }
  QaComposeOptions co = {o->a_bits, o->w_bits, NULL};
  for (int k = 0; k < n_tables; k++) {
    if ((rc = qaCompose(cfg, t[k], &co, &cx[k], err))) goto end;
    qaEnergyInit(&out[k], &cx[k]);
  }
  QaSynthSpec spec;
  qaSynthDefaults(&spec);
  spec.seed = o->seed;
  spec.act_zero_frac = o->act_zero_frac;
  QaMemCarry carry = {0, 0};
  for (int i = 0; i < net->n_layers; i++) {
    const QaLayer *l = &net->layers[i];
    if (o->conv_only && l->kind != QA_LAYER_CONV) continue;
    int a = l->a_bits ? l->a_bits : o->a_bits, w = l->w_bits ? l->w_bits : o->w_bits;
    for (int k = 0; k < o->n_profile; k++)
      if (!strcmp(o->profile[k].layer, l->name)) a = o->profile[k].a_bits;
    if ((rc = runLayer(cfg, l, i, a, w, &spec, &carry, st, err))) {
      qaErrPrefix(err, "%s", net->name);
      goto end;
    }
    for (int k = 0; k < n_tables; k++) {
      if ((rc = qaEnergyPriceLayer(&cx[k], st, a, w, l->n, le, err))) {
        qaErrPrefix(err, "%s", net->name);
        goto end;
      }
      qaEnergyAdd(&out[k], le);
    }
  }
end:
  free(cx);
  free(st);
  free(le);
  return rc;
}

int qaLayerBitsLoad(const char *path, QaLayerBits **out, int *n, QaErr *err) {
  char *buf = NULL;
  int rc = qaReadFile(path, &buf, NULL, err), line = 0, cap = 0, col_layer = -1, col_a = -1, header = 0;
  *out = NULL;
  *n = 0;
  if (rc) return rc;
  for (char *p = buf, *next; *p; p = next) {
    size_t len = strcspn(p, "\r\n");
    next = p + len + (p[len] == '\r' && p[len + 1] == '\n' ? 2 : p[len] ? 1 : 0);
    p[len] = 0;
    line++;
    if (!*p || *p == '#') continue;
    char *f[8];
    int nf = 0;
    for (char *q = p; nf < 8;) {
      f[nf++] = q;
      char *c = strchr(q, ',');
      if (!c) break;
      *c = 0;
      q = c + 1;
    }
    if (!header) {
      for (int i = 0; i < nf; i++) {
        if (!strcmp(f[i], "layer")) col_layer = i;
        if (!strcmp(f[i], "a_bits")) col_a = i;
      }
      if (col_layer < 0 || col_a < 0) {
        rc = qaErrSet(err, QA_EUSER, "%s:%d: a precision profile needs the columns layer and a_bits", path,
                      line);
        goto end;
      }
      header = 1;
      continue;
    }
    char *end = NULL;
    long a = col_a < nf ? strtol(f[col_a], &end, 10) : 0;
    if (col_layer >= nf || col_a >= nf || !end || *end || a < 1 || a > QA_BITS_MAX) {
      rc = qaErrSet(err, QA_EUSER, "%s:%d: field 'a_bits': expected a whole number 1..%d", path, line,
                    QA_BITS_MAX);
      goto end;
    }
    if (*n == cap) {
      cap = cap ? 2 * cap : 32;
      QaLayerBits *g = realloc(*out, (size_t)cap * sizeof *g);
      if (!g) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading %s", path);
        goto end;
      }
      *out = g;
    }
    snprintf((*out)[*n].layer, sizeof(*out)[*n].layer, "%s", f[col_layer]);
    (*out)[(*n)++].a_bits = (int)a;
  }
end:
  free(buf);
  if (rc) {
    free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}
