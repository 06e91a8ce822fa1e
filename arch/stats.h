/*
** stats.h - what a simulated layer produces: cycle counters and action counts.
**
** Simulators count, cost models price. An action is (component, action, a_bits,
** w_bits, count): e.g. ("mult", "op", 16, 16, n) for n 16x16 multiplications, or
** ("sb", "read_bits", 0, 0, n) for n bits read from the weight memory. The cost
** model (models/) turns these counts into energy without re-simulating.
** Action names carry their unit: "op" (operations), "read_bits", "write_bits".
*/
#ifndef QA_STATS_H
#define QA_STATS_H

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_ACTIONS_MAX 48
#define QA_COMP_MAX 24

typedef struct QaAction {
  char component[QA_COMP_MAX]; /* e.g. "mult", "adder_tree", "acc", "sb", "nbin", "nbout", "nm", "dram" */
  char action[QA_COMP_MAX];    /* "op", "read_bits", "write_bits" */
  int a_bits;                  /* operand width(s) for datapath actions, 0 for memories */
  int w_bits;
  int64_t count;
} QaAction;

typedef struct QaLayerStats {
  int64_t macs;             /* useful MACs of the layer */
  int64_t n_cycles;         /* compute + stall cycles */
  int64_t n_compute_cycles; /* cycles the datapath was busy or synchronising */
  int64_t n_stall_cycles;   /* cycles waiting for memory */
  int64_t n_steps;          /* brick steps dispatched */
  double pe_util;           /* macs / (peak MACs per cycle * n_cycles), 0..1 */
  int64_t effectual_terms;  /* term pairs / one-bits processed; -1 if not meaningful */
  int outputs_verified;     /* 1 equal to the reference, 0 mismatch, -1 not checked */
  int64_t n_mismatches;     /* outputs that differ from the reference */
  int64_t acc_overflows;    /* outputs that do not fit the accumulator width */
  int n_actions;
  QaAction actions[QA_ACTIONS_MAX];
} QaLayerStats;

/* Add count to the (component, action, a_bits, w_bits) entry, creating it if new.
** Returns QA_EINTERNAL if the table is full. */
int qaStatsAddAction(QaLayerStats *st, const char *component, const char *action, int a_bits, int w_bits,
                     int64_t count);
/* Count of one action (0 if absent). */
int64_t qaStatsGetAction(const QaLayerStats *st, const char *component, const char *action);

#ifdef __cplusplus
}
#endif
#endif /* QA_STATS_H */
