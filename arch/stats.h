/*
** stats.h - what a simulated layer produces: cycle counters and action counts.
**
** Simulators count, cost models price. A kernel counts actions of its components by
** typed id (hw.h): count[id][QA_ACT_OP] operations of a logic component, or
** count[id][QA_ACT_READ_BITS] bits read from a memory. The widths an operation
** happens at are not counted: they are the component's, as the architecture's
** inventory sizes it for the layer's operand precisions, so the cost model
** (models/price.h) can price the counts again without re-simulating. The table is
** fixed-size: counting can never fail or overflow it.
*/
#ifndef QA_STATS_H
#define QA_STATS_H

#include "arch/hw.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a count is of. */
typedef enum QaActKind {
  QA_ACT_OP = 0,     /* operations of a logic component (clocked updates of a register) */
  QA_ACT_READ_BITS,  /* bits read from a memory */
  QA_ACT_WRITE_BITS, /* bits written into a memory */
  QA_ACT_COUNT
} QaActKind;

typedef struct QaLayerStats {
  int64_t macs;                             /* useful MACs of the layer */
  int64_t n_cycles;                         /* compute + stall cycles */
  int64_t n_compute_cycles;                 /* cycles the datapath was busy or synchronising */
  int64_t n_stall_cycles;                   /* cycles waiting for memory */
  int64_t n_steps;                          /* brick steps dispatched */
  double pe_util;                           /* macs / (peak MACs per cycle * n_cycles), 0..1 */
  int64_t effectual_terms;                  /* term pairs / one-bits processed; -1 if not meaningful */
  int outputs_verified;                     /* 1 equal to the reference, 0 mismatch, -1 not checked */
  int64_t n_mismatches;                     /* outputs that differ from the reference */
  int64_t acc_overflows;                    /* outputs that do not fit the accumulator width */
  int64_t count[QA_COMP_MAX][QA_ACT_COUNT]; /* actions by component id and kind */
} QaLayerStats;

/* Add n actions of kind `act` to component `id`. */
static inline void qaCount(QaLayerStats *st, int id, QaActKind act, int64_t n) { st->count[id][act] += n; }

/* "op", "read_bits", "write_bits"; qaActKindParse returns -1 for an unknown name. */
const char *qaActKindName(QaActKind k);
int qaActKindParse(const char *name);

/* 1 if any action of the layer was counted. */
int qaStatsHasActions(const QaLayerStats *st);

#ifdef __cplusplus
}
#endif
#endif /* QA_STATS_H */
