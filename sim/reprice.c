/*
** reprice.c - energy rows in the results store, re-pricing stored runs and the
** efficiency relative to the baseline (see reprice.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "sim/reprice.h"

#include <stdlib.h>
#include <string.h>

/* ---- store ----------------------------------------------------------------------------------- */

int qaEnergyStoreLayer(QaStore *st, int64_t run_id, int layer_idx, const QaEnergy *e, QaErr *err) {
  for (int i = 0; i < e->n_items; i++) {
    int rc = qaStoreAddEnergyStatus(st, run_id, layer_idx, e->costs, e->item[i].component,
                                    e->item[i].energy_pj, qaCostStatusName(e->item[i].status), err);
    if (rc) return rc;
  }
  return QA_OK;
}

int qaEnergyStoreRun(QaStore *st, int64_t run_id, const QaEnergy *run, double area_mm2, QaErr *err) {
  QaRunEnergyRecord rec = {
      run->costs, run->total_pj, run->static_pj, qaEnergyPjPerMac(run), qaEnergyPerInferencePj(run),
      area_mm2,   run->weak_pj};
  return qaStoreSetRunEnergy(st, run_id, &rec, err);
}

QaCostIdentity qaEnergyCostIdentity(const QaComposition *cx) {
  QaCostIdentity ci = {cx->costs, qaCostTableId(cx->table), cx->dram_type, qaCostTableName(cx->table),
                       qaCostTablePath(cx->table)};
  return ci;
}

/* ---- re-pricing ------------------------------------------------------------------------------ */

int qaEnergyPriceRun(QaStore *st, int64_t run_id, const QaCostTable *t, const QaComposeOptions *opt,
                     QaEnergy *out, QaComposition *cx_out, QaErr *err) {
  int rc, n_layers = 0;
  QaStoredRun *run = NULL;
  QaStoredLayer *layers = NULL;
  QaComposition *cx = NULL;
  QaArchConfig cfg;
  memset(out, 0, sizeof *out);
  run = qaCalloc(1, sizeof *run, err);
  cx = qaCalloc(1, sizeof *cx, err);
  if (!run || !cx) {
    rc = QA_EINTERNAL;
    goto end;
  }
  if ((rc = qaStoreGetRun(st, run_id, run, err))) goto end;
  char origin[64];
  snprintf(origin, sizeof origin, "run %lld's stored config", (long long)run_id);
  if ((rc = qaCfgFromText(run->arch_config, origin, &cfg, err))) goto end;
  QaComposeOptions o = {run->a_bits, run->w_bits, opt ? opt->dram_type : NULL};
  if ((rc = qaCompose(&cfg, t, &o, cx, err))) goto end;
  if ((rc = qaStoreGetLayers(st, run_id, cfg.desc, &layers, &n_layers, err))) goto end;

  /* Price everything first: an error writes nothing. */
  QaEnergy le;
  qaEnergyInit(out, cx);
  for (int i = 0; i < n_layers; i++) {
    if ((rc = qaEnergyPriceLayer(cx, &layers[i].stats, layers[i].a_bits, layers[i].w_bits, layers[i].n, &le,
                                 err))) {
      qaErrPrefix(err, "run %lld layer %d '%s'", (long long)run_id, layers[i].layer_idx, layers[i].name);
      goto end;
    }
    qaEnergyAdd(out, &le);
  }
  QaCostIdentity ci = qaEnergyCostIdentity(cx);
  char label[QA_STORE_LABEL_MAX];
  if ((rc = qaStoreBeginPricingTable(st, run_id, &ci, label, sizeof label, err))) goto end;
  snprintf(out->costs, sizeof out->costs, "%s", label);
  for (int i = 0; i < n_layers; i++) {
    /* priced again (cheap) rather than kept: one QaEnergy per layer is large */
    if ((rc = qaEnergyPriceLayer(cx, &layers[i].stats, layers[i].a_bits, layers[i].w_bits, layers[i].n, &le,
                                 err))) {
      qaStoreAbortRun(st);
      goto end;
    }
    snprintf(le.costs, sizeof le.costs, "%s", label);
    if ((rc = qaEnergyStoreLayer(st, run_id, layers[i].layer_idx, &le, err))) {
      qaStoreAbortRun(st);
      goto end;
    }
  }
  if ((rc = qaEnergyStoreRun(st, run_id, out, cx->chip_area_um2 / 1e6, err)) ||
      (rc = qaStoreFinishPricing(st, run_id, err)))
    goto end;
  if (cx_out) *cx_out = *cx;
end:
  if (rc) qaStoreAbortRun(st);
  free(layers);
  free(run);
  free(cx);
  return rc;
}

int qaEnergyFindBaseline(QaStore *st, int64_t run_id, const char *costs, int64_t *base_run_id,
                         double *base_pj, QaErr *err) {
  *base_run_id = 0;
  *base_pj = 0;
  QaStoredRun *run = qaCalloc(1, sizeof *run, err);
  if (!run) return QA_EINTERNAL;
  int rc = qaStoreGetRun(st, run_id, run, err);
  if (!rc)
    rc = qaStoreFindRunEnergy(st, QA_BASELINE_ARCH, run->workload, run->workload_hash, run->a_bits,
                              run->w_bits, costs, base_run_id, base_pj, err);
  free(run);
  return rc;
}

/* ---- printing -------------------------------------------------------------------------------- */

int qaEnergyPrintEfficiency(QaStore *st, const char *db_path, int64_t run_id, const QaEnergy *e,
                            const char *costs_arg, FILE *fp, QaErr *err) {
  int64_t base = 0;
  double base_pj = 0;
  QaStoredRun *run = qaCalloc(1, sizeof *run, err);
  if (!run) return QA_EINTERNAL;
  int rc = qaStoreGetRun(st, run_id, run, err);
  if (!rc)
    rc = qaStoreFindRunEnergy(st, QA_BASELINE_ARCH, run->workload, run->workload_hash, run->a_bits,
                              run->w_bits, e->costs, &base, &base_pj, err);
  if (rc) goto end;
  if (base > 0 && e->total_pj > 0) {
    fprintf(fp, "energy efficiency vs %s (run %lld, %.3f uJ per inference): %.3fx%s\n", QA_BASELINE_ARCH,
            (long long)base, base_pj / (e->batch > 0 ? e->batch : 1) / 1e6, base_pj / e->total_pj,
            base == run_id ? " (this run is the baseline)" : "");
  } else {
    char bits[48];
    if (run->a_bits == run->w_bits)
      snprintf(bits, sizeof bits, "--bits %d", run->a_bits);
    else
      snprintf(bits, sizeof bits, "--a-bits %d --w-bits %d", run->a_bits, run->w_bits);
    const char *net = strcmp(run->workload_source, "builtin") ? run->workload_source : run->workload;
    fprintf(fp,
            "energy efficiency vs %s: no %s run of %s at a/w %d/%d bits priced with '%s' in %s; "
            "make one with `qasim run --arch %s --net %s %s --costs %s --db %s` (or price an "
            "existing one with `qasim price RUN --costs %s --db %s`)\n",
            QA_BASELINE_ARCH, QA_BASELINE_ARCH, run->workload, run->a_bits, run->w_bits, e->costs, db_path,
            QA_BASELINE_ARCH, net, bits, costs_arg, db_path, costs_arg, db_path);
  }
  if (ferror(fp)) rc = qaErrSet(err, QA_EINTERNAL, "cannot write the energy efficiency");
end:
  free(run);
  return rc;
}
