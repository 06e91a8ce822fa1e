/*
** energy.c - pricing layers and runs, storing the energy rows, re-pricing stored runs
** (see energy.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "models/energy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int isWeak(QaCostStatus s) { return s == QA_COST_ASSUMED || s == QA_COST_EXTRAPOLATED; }

static QaCostStatus worse(QaCostStatus a, QaCostStatus b) { return a > b ? a : b; }

void qaEnergyInit(QaEnergy *e, const QaComposition *cx) {
  memset(e, 0, sizeof *e);
  snprintf(e->costs, sizeof e->costs, "%s", cx->costs);
  int ids[QA_COMP_MAX], n = qaComposeOrder(cx, ids);
  for (int k = 0; k < n; k++) {
    QaEnergyItem *it = &e->item[e->n_items++];
    it->component = cx->comp[ids[k]].def->name;
    it->id = ids[k];
    it->category = cx->comp[ids[k]].def->category;
  }
  if (cx->n_leak_known > 0) {
    QaEnergyItem *it = &e->item[e->n_items++];
    it->component = "static";
    it->id = -1;
    it->category = QA_CAT_STATIC;
    e->static_priced = 1;
  }
}

int qaEnergyPriceLayer(const QaComposition *cx, const QaLayerStats *st, int a_bits, int w_bits, int batch,
                       QaEnergy *out, QaErr *err) {
  QaPricedComp price[QA_COMP_MAX];
  qaEnergyInit(out, cx);
  int rc = qaComposePriceAt(cx, a_bits, w_bits, price, err);
  if (rc) return rc;
  int item_of[QA_COMP_MAX];
  for (int i = 0; i < QA_COMP_MAX; i++) item_of[i] = -1;
  for (int k = 0; k < out->n_items; k++)
    if (out->item[k].id >= 0) item_of[out->item[k].id] = k;
  for (int id = 0; id < QA_COMP_MAX; id++) {
    const int64_t *n = st->count[id];
    if (!n[QA_ACT_OP] && !n[QA_ACT_READ_BITS] && !n[QA_ACT_WRITE_BITS]) continue;
    if (id >= cx->n_comp || item_of[id] < 0)
      return qaErrSet(err, QA_EINTERNAL,
                      "%s counts actions of component %d (%s), which this config does not build",
                      cx->arch->name, id, id < cx->n_comp ? cx->arch->comps[id].name : "no such id");
    const QaPricedComp *c = &price[id];
    double pj;
    QaCostStatus status;
    if (qaPrimIsStorage(c->prim)) {
      pj = c->read_pj_per_bit * (double)n[QA_ACT_READ_BITS] +
           c->write_pj_per_bit * (double)n[QA_ACT_WRITE_BITS];
      status = worse(n[QA_ACT_READ_BITS] ? c->op.status : QA_COST_VERIFIED,
                     n[QA_ACT_WRITE_BITS] ? c->write.status : QA_COST_VERIFIED);
    } else {
      pj = c->op.energy * (double)n[QA_ACT_OP];
      status = c->op.status;
    }
    if (!isfinite(pj))
      return qaErrSet(err, QA_EUSER,
                      "%s: component '%s' = %s: its counted actions cost %g pJ, not a finite energy (cost "
                      "table '%s' rows: %s); fix those rows",
                      cx->arch->name, c->def->name, c->what, pj, qaCostTableName(cx->table), c->rows);
    QaEnergyItem *it = &out->item[item_of[id]];
    it->energy_pj += pj;
    it->status = worse(it->status, status);
    if (isWeak(status)) out->weak_pj += pj;
  }
  out->macs = st->macs;
  out->n_cycles = st->n_cycles;
  out->time_s = cx->clock_mhz > 0 ? (double)st->n_cycles / (cx->clock_mhz * 1e6) : 0;
  if (out->static_priced) {
    /* per on-chip component: instances x leakage x time; 1 uW for 1 s = 1 uJ = 1e6 pJ */
    QaEnergyItem *it = &out->item[out->n_items - 1];
    for (int id = 0; id < cx->n_comp; id++) {
      const QaPricedComp *c = &cx->comp[id];
      if (!c->def || c->size.count == 0 || c->def->scope == QA_SCOPE_OFFCHIP || isnan(c->op.leakage_uw))
        continue;
      double pj = (double)qaComposeInstances(cx, c) * c->op.leakage_uw * out->time_s * 1e6;
      out->static_pj += pj;
      it->status = worse(it->status, c->op.leakage_status);
      if (isWeak(c->op.leakage_status)) out->weak_pj += pj;
    }
    it->energy_pj = out->static_pj;
  }
  for (int i = 0; i < out->n_items; i++) out->total_pj += out->item[i].energy_pj;
  if (!isfinite(out->total_pj))
    return qaErrSet(err, QA_EUSER, "%s: the layer's energy is not a finite number (cost table '%s')",
                    cx->arch->name, qaCostTableName(cx->table));
  out->batch = batch > 0 ? batch : 1;
  out->n_layers = 1;
  return QA_OK;
}

void qaEnergyAdd(QaEnergy *acc, const QaEnergy *layer) {
  for (int i = 0; i < acc->n_items && i < layer->n_items; i++) {
    acc->item[i].energy_pj += layer->item[i].energy_pj;
    acc->item[i].status = worse(acc->item[i].status, layer->item[i].status);
  }
  acc->total_pj += layer->total_pj;
  acc->static_pj += layer->static_pj;
  acc->weak_pj += layer->weak_pj;
  acc->time_s += layer->time_s;
  acc->macs += layer->macs;
  acc->n_cycles += layer->n_cycles;
  if (layer->batch > acc->batch) acc->batch = layer->batch;
  acc->n_layers += layer->n_layers;
}

double qaEnergyCategoryPj(const QaEnergy *e, QaCategory c) {
  double s = 0;
  for (int i = 0; i < e->n_items; i++)
    if (e->item[i].category == c) s += e->item[i].energy_pj;
  return s;
}

double qaEnergyWeakShare(const QaEnergy *e) { return e->total_pj > 0 ? e->weak_pj / e->total_pj : 0; }

double qaEnergyPjPerMac(const QaEnergy *e) { return e->macs > 0 ? e->total_pj / (double)e->macs : 0; }

double qaEnergyPerInferencePj(const QaEnergy *e) { return e->total_pj / (e->batch > 0 ? e->batch : 1); }

int qaEnergyPrint(const QaEnergy *e, const QaComposition *cx, FILE *fp, QaErr *err) {
  double per = qaEnergyPerInferencePj(e);
  double scale = 1.0 / (e->batch > 0 ? e->batch : 1) / 1e6; /* pJ of the run -> uJ per inference */
  fprintf(
      fp,
      "energy (costs %s, table id %.16s): %.3f uJ per inference (batch %d), %.4g pJ/MAC, chip %.3f mm^2\n",
      e->costs, qaCostTableId(cx->table), per / 1e6, e->batch > 0 ? e->batch : 1, qaEnergyPjPerMac(e),
      cx->chip_area_um2 / 1e6);
  for (int c = QA_CAT_DATAPATH; c <= QA_CAT_STATIC; c++) {
    if (c == QA_CAT_STATIC && !e->static_priced) {
      fprintf(fp, "  %-13s not priced: cost table '%s' gives no leakage (not counted as 0)\n", "static",
              qaCostTableName(cx->table));
      continue;
    }
    int any = 0;
    for (int i = 0; i < e->n_items; i++) any |= e->item[i].category == (QaCategory)c;
    if (!any) continue;
    double pj = qaEnergyCategoryPj(e, (QaCategory)c);
    fprintf(fp, "  %-13s %12.3f uJ %6.1f%%", qaCategoryName((QaCategory)c), pj * scale,
            e->total_pj > 0 ? 100.0 * pj / e->total_pj : 0.0);
    if (c != QA_CAT_STATIC) {
      const char *sep = "  (";
      for (int i = 0; i < e->n_items; i++) {
        if (e->item[i].category != (QaCategory)c) continue;
        fprintf(fp, "%s%s %.3f", sep, e->item[i].component, e->item[i].energy_pj * scale);
        sep = ", ";
      }
      fprintf(fp, ")");
    } else if (cx->n_leak_missing) {
      fprintf(fp, "  (partial: no leakage figure for %s)", cx->leak_missing);
    }
    fputc('\n', fp);
  }
  double weak = qaEnergyWeakShare(e);
  if (weak > QA_ENERGY_WEAK_FLAG) {
    fprintf(fp,
            "  WARNING: %.1f%% of this energy rests on cost rows whose status is assumed or extrapolated:",
            100.0 * weak);
    for (int i = 0; i < e->n_items; i++) /* the components it rests on, each over 1% of the total */
      if ((e->item[i].status == QA_COST_ASSUMED || e->item[i].status == QA_COST_EXTRAPOLATED) &&
          e->item[i].energy_pj > 0.01 * e->total_pj)
        fprintf(fp, " %s %.1f%% (%s)", e->item[i].component, 100.0 * e->item[i].energy_pj / e->total_pj,
                qaCostStatusName(e->item[i].status));
    fputc('\n', fp);
  } else {
    fprintf(fp, "  %.1f%% of this energy rests on assumed or extrapolated cost rows\n", 100.0 * weak);
  }
  if (ferror(fp)) return qaErrSet(err, QA_EINTERNAL, "cannot write the energy summary");
  return QA_OK;
}
