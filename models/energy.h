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

#include "models/compose.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_ENERGY_ITEMS_MAX (QA_COMP_MAX + 1) /* every component + "static" */
#define QA_ENERGY_WEAK_FLAG 0.20              /* flag a result when more than this share rests on weak rows */

typedef struct QaEnergyItem {
  const char *component; /* a component's name (static text of its architecture), or "static" */
  int id;                /* its component id, -1 for static */
  QaCategory category;
  double energy_pj;
  QaCostStatus status; /* weakest status of the prices it used (static: of the leakage figures) */
} QaEnergyItem;

/* The energy of a layer or a run (a sum of layers). */
typedef struct QaEnergy {
  char costs[QA_COSTS_LABEL_MAX]; /* the cost label (QaComposition.costs) */
  int n_items;
  QaEnergyItem item[QA_ENERGY_ITEMS_MAX]; /* composition order; "static" last if priced */
  int static_priced;                      /* 1 if the table gives leakage for some on-chip component */
  double total_pj;                        /* every item, static included */
  double static_pj;                       /* leakage x time */
  double weak_pj;                         /* energy priced from rows whose status is assumed or
                                          ** extrapolated (per component; static per component too) */
  double time_s;                          /* simulated time (n_cycles / clock) */
  int64_t macs;
  int64_t n_cycles;
  int batch; /* images per inference step (largest layer batch) */
  int n_layers;
} QaEnergy;

/* Start an empty energy for composition CX: one zero item per component (+ "static" if
** the table gives leakage). */
void qaEnergyInit(QaEnergy *e, const QaComposition *cx);

/* Price one layer: *out = the energy of every action in ST, counted by component id and
** priced at the layer's operand precisions A_BITS x W_BITS (qaComposePriceAt), plus
** static energy over ST->n_cycles at the composition's clock: every on-chip component's
** leakage x the layer's simulated time (slow designs pay more; eDRAM leakage includes its
** refresh). BATCH is the layer's images. Actions of a component this config does not build
** are QA_EINTERNAL naming it; an energy that is not a finite number (a huge row times many
** actions) is QA_EUSER naming the component and the table rows it was priced from. */
int qaEnergyPriceLayer(const QaComposition *cx, const QaLayerStats *st, int a_bits, int w_bits, int batch,
                       QaEnergy *out, QaErr *err);

/* *acc += *layer (same composition). */
void qaEnergyAdd(QaEnergy *acc, const QaEnergy *layer);

/* The share of the energy that rests on rows whose status is assumed or extrapolated:
** weak_pj / total_pj (0 if there is no energy). Results above QA_ENERGY_WEAK_FLAG are flagged
** by qaEnergyPrint and in reports. */
double qaEnergyWeakShare(const QaEnergy *e);

/* Sum of the items of category C (pJ). */
double qaEnergyCategoryPj(const QaEnergy *e, QaCategory c);
/* total_pj / macs (0 if no MACs); total_pj / batch. */
double qaEnergyPjPerMac(const QaEnergy *e);
double qaEnergyPerInferencePj(const QaEnergy *e);

/* Print the energy summary: the cost table (name and id), per inference (uJ), pJ/MAC, chip
** area, one line per category with its components, static energy or "not priced" (naming
** the components without a leakage figure), and a warning when more than
** QA_ENERGY_WEAK_FLAG of the energy rests on assumed or extrapolated rows (naming the
** largest such components). QA_EINTERNAL if writing fails. */
int qaEnergyPrint(const QaEnergy *e, const QaComposition *cx, FILE *fp, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_ENERGY_H */
