/*
** reprice.h - the cost model meets the results store: storing a run's energy rows,
** re-pricing a stored run from its stored action counts (never simulating again), and
** the energy efficiency of a run relative to the newest baseline run in the store.
*/
#ifndef QA_REPRICE_H
#define QA_REPRICE_H

#include <stdio.h>

#include "models/energy.h"
#include "store/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_BASELINE_ARCH "dadiannao" /* energy efficiency is relative to it */

/* Store the items of one layer's energy in the open run (qaStoreAddEnergyStatus, with each
** item's status) under label E->costs. */
int qaEnergyStoreLayer(QaStore *st, int64_t run_id, int layer_idx, const QaEnergy *e, QaErr *err);
/* Store a run's totals (qaStoreSetRunEnergy) with chip area AREA_MM2 under label RUN->costs. */
int qaEnergyStoreRun(QaStore *st, int64_t run_id, const QaEnergy *run, double area_mm2, QaErr *err);
/* The store's identity of composition CX's cost table (label, content id, DRAM type). The
** strings point into CX and its table. */
QaCostIdentity qaEnergyCostIdentity(const QaComposition *cx);

/* Re-price stored run RUN_ID with cost table T: rebuild its config, compose it
** (OPT->dram_type; the precisions come from the run), price every stored layer and
** replace the run's energy rows of that table's label (qaStoreCostLabel: the table is
** identified by its content, so a different table with the same name gets its own label),
** in one transaction. *out gets the run's energy (out->costs the label stored) and *cx (may
** be NULL) the composition (it points to T). Errors: QA_EUSER for a missing run or
** anything qaCompose / qaEnergyPriceLayer reject; nothing is written then. */
int qaEnergyPriceRun(QaStore *st, int64_t run_id, const QaCostTable *t, const QaComposeOptions *opt,
                     QaEnergy *out, QaComposition *cx, QaErr *err);

/* The baseline for stored run RUN_ID: the newest QA_BASELINE_ARCH run of the same workload
** and precisions priced with label COSTS. *base_run_id = 0 if there is none; *base_pj its
** energy. */
int qaEnergyFindBaseline(QaStore *st, int64_t run_id, const char *costs, int64_t *base_run_id,
                         double *base_pj, QaErr *err);

/* Print the energy efficiency of stored run RUN_ID (energy E, priced with label E->costs)
** relative to its baseline (qaEnergyFindBaseline): "energy efficiency vs dadiannao (run B):
** 2.10x", or, when there is none, how to make one: a `qasim run` command on DB_PATH with
** --costs COSTS_ARG (the name or path the user gave). */
int qaEnergyPrintEfficiency(QaStore *st, const char *db_path, int64_t run_id, const QaEnergy *e,
                            const char *costs_arg, FILE *fp, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_REPRICE_H */
