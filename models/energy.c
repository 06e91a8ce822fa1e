/*
** energy.c - pricing layers and runs, storing the energy rows, re-pricing stored runs
** (see energy.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "models/energy.h"

#include <stdlib.h>
#include <string.h>

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
    if (qaPrimIsStorage(c->def->prim))
      pj = c->read_pj_per_bit * (double)n[QA_ACT_READ_BITS] +
           c->write_pj_per_bit * (double)n[QA_ACT_WRITE_BITS];
    else
      pj = c->op.energy * (double)n[QA_ACT_OP];
    out->item[item_of[id]].energy_pj += pj;
  }
  out->macs = st->macs;
  out->n_cycles = st->n_cycles;
  out->time_s = cx->clock_mhz > 0 ? (double)st->n_cycles / (cx->clock_mhz * 1e6) : 0;
  if (out->static_priced) {
    /* 1 uW for 1 s = 1 uJ = 1e6 pJ */
    out->static_pj = cx->chip_leakage_uw * out->time_s * 1e6;
    out->item[out->n_items - 1].energy_pj = out->static_pj;
  }
  for (int i = 0; i < out->n_items; i++) out->total_pj += out->item[i].energy_pj;
  out->batch = batch > 0 ? batch : 1;
  out->n_layers = 1;
  return QA_OK;
}

void qaEnergyAdd(QaEnergy *acc, const QaEnergy *layer) {
  for (int i = 0; i < acc->n_items && i < layer->n_items; i++)
    acc->item[i].energy_pj += layer->item[i].energy_pj;
  acc->total_pj += layer->total_pj;
  acc->static_pj += layer->static_pj;
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

double qaEnergyPjPerMac(const QaEnergy *e) { return e->macs > 0 ? e->total_pj / (double)e->macs : 0; }

double qaEnergyPerInferencePj(const QaEnergy *e) { return e->total_pj / (e->batch > 0 ? e->batch : 1); }

int qaEnergyPrint(const QaEnergy *e, const QaComposition *cx, FILE *fp, QaErr *err) {
  double per = qaEnergyPerInferencePj(e);
  double scale = 1.0 / (e->batch > 0 ? e->batch : 1) / 1e6; /* pJ of the run -> uJ per inference */
  fprintf(fp, "energy (costs %s): %.3f uJ per inference (batch %d), %.4g pJ/MAC, chip %.3f mm^2\n", e->costs,
          per / 1e6, e->batch > 0 ? e->batch : 1, qaEnergyPjPerMac(e), cx->chip_area_um2 / 1e6);
  for (int c = QA_CAT_DATAPATH; c <= QA_CAT_STATIC; c++) {
    if (c == QA_CAT_STATIC && !e->static_priced) {
      fprintf(fp, "  %-13s not priced: cost table '%s' gives no leakage\n", "static",
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
    }
    fputc('\n', fp);
  }
  if (ferror(fp)) return qaErrSet(err, QA_EINTERNAL, "cannot write the energy summary");
  return QA_OK;
}
