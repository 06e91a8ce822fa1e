/*
** energy.h - the energy of a simulated layer or run: action counts x energy per action.
**
** Simulators count, cost models price. A layer's QaLayerStats holds its action counts;
** qaEnergyPriceLayer multiplies each by the energy per action of its component in a
** composition (compose.h) and adds static energy = the chip's leakage (where the cost table
** gives it) x the layer's simulated time. The result is broken down per component (each
** on-chip memory, the DRAM, the datapath parts, accumulation, and "static") and by
** category. Energy rows go to the results store (table energy, one row per layer and
** component, plus run_energy with the totals) under a cost label, so one run can be priced
** with several tables. qaEnergyPriceRun re-prices a stored run from its stored action
** counts: it never simulates again, and gives exactly the numbers the run stored.
*/
#ifndef QA_ENERGY_H
#define QA_ENERGY_H

#include <stdio.h>

#include "../sim/store.h"
#include "compose.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_ENERGY_ITEMS_MAX (QA_COMPOSE_MAX + 1) /* every component + "static" */
#define QA_BASELINE_ARCH "dadiannao"             /* energy efficiency is relative to it */

typedef struct QaEnergyItem {
  char component[QA_COMP_MAX]; /* a composition component, or "static" */
  QaCategory category;
  double energy_pj;
} QaEnergyItem;

/* The energy of a layer or a run (a sum of layers). */
typedef struct QaEnergy {
  char costs[QA_COSTS_LABEL_MAX]; /* the cost label (QaComposition.costs) */
  int n_items;
  QaEnergyItem item[QA_ENERGY_ITEMS_MAX]; /* composition order; "static" last if priced */
  int static_priced;  /* 1 if the table gives leakage for some on-chip component */
  double total_pj;    /* every item, static included */
  double static_pj;   /* leakage x time */
  double time_s;      /* simulated time (n_cycles / clock) */
  int64_t macs;
  int64_t n_cycles;
  int batch;          /* images per inference step (largest layer batch) */
  int n_layers;
} QaEnergy;

/* Start an empty energy for composition CX: one zero item per component (+ "static" if
** the table gives leakage). */
void qaEnergyInit(QaEnergy *e, const QaComposition *cx);

/* Price one layer: *out = the energy of every action in ST (plus static energy over
** ST->n_cycles at the composition's clock). BATCH is the layer's images. An action the
** composition cannot price is QA_EUSER naming architecture, component and action. */
int qaEnergyPriceLayer(const QaComposition *cx, const QaLayerStats *st, int batch, QaEnergy *out,
                       QaErr *err);

/* *acc += *layer (same composition). */
void qaEnergyAdd(QaEnergy *acc, const QaEnergy *layer);

/* Sum of the items of category C (pJ). */
double qaEnergyCategoryPj(const QaEnergy *e, QaCategory c);
/* total_pj / macs (0 if no MACs); total_pj / batch. */
double qaEnergyPjPerMac(const QaEnergy *e);
double qaEnergyPerInferencePj(const QaEnergy *e);

/* Store the items of one layer's energy in the open run (qaStoreAddEnergy). */
int qaEnergyStoreLayer(QaStore *st, int64_t run_id, int layer_idx, const QaEnergy *e, QaErr *err);
/* Store a run's totals (qaStoreSetRunEnergy) with chip area AREA_MM2. */
int qaEnergyStoreRun(QaStore *st, int64_t run_id, const QaEnergy *run, double area_mm2,
                     QaErr *err);

/* Rebuild an architecture config from the text a run stored (qaCfgToYaml's "arch: NAME"
** then "name: value" lines). QA_EUSER naming the line for anything else. */
int qaEnergyConfigFromText(const char *text, QaArchConfig *cfg, QaErr *err);

/* Re-price stored run RUN_ID with cost table T: rebuild its config, compose it
** (OPT->dram_type; the precisions come from the run), price every stored layer and
** replace the run's energy rows of that cost label, in one transaction. *out gets the
** run's energy and *cx (may be NULL) the composition (it points to T). Errors: QA_EUSER
** for a missing run or anything qaCompose / qaEnergyPriceLayer reject; nothing is
** written then. */
int qaEnergyPriceRun(QaStore *st, int64_t run_id, const QaCostTable *t,
                     const QaComposeOptions *opt, QaEnergy *out, QaComposition *cx, QaErr *err);

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

/* Print the energy summary: per inference (uJ), pJ/MAC, chip area, and one line per
** category with its components. QA_EINTERNAL if writing fails. */
int qaEnergyPrint(const QaEnergy *e, const QaComposition *cx, FILE *fp, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_ENERGY_H */
