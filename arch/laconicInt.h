/*
** laconicInt.h - the Laconic term-serial PE array, shared by laconic.c ("laconic")
** and onehot.c ("khot-laconic", the same array on k-hot operands).
**
** Private to arch/: the parameter rows every Laconic-style architecture starts its
** table with, and the kernel entry points of laconic.c. A descriptor whose table
** begins with QA_LACONIC_PARAM_ROWS can use these functions as its kernel (they
** read parameters by name) and may wrap qaLaconicCheck with extra checks.
*/
#ifndef QA_LACONIC_INT_H
#define QA_LACONIC_INT_H

#include "arch/engine.h"
#include "arch/memory.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Synchronisation scopes of the `sync` parameter: the set of PEs that must all
** finish a brick step before any of them starts the next one. */
typedef enum QaLaconicSync {
  QA_LACONIC_SYNC_PE = 0,     /* every PE runs ahead on its own */
  QA_LACONIC_SYNC_COLUMN = 1, /* the PEs of one column of one tile (same window, the tile's filters) */
  QA_LACONIC_SYNC_TILE = 2,   /* all PEs of one tile */
  QA_LACONIC_SYNC_GRID = 3    /* all PEs of all tiles (lock-step, as the public simulator) */
} QaLaconicSync;

/* Parameter rows of the Laconic PE array (the defaults are Laconic's; see laconic.c). */
// clang-format off
#define QA_LACONIC_PARAM_ROWS                                                                  \
  {"tiles", QA_PT_INT, 1, 256, 16, "",                                                         \
   "tiles; each holds rows x columns PEs and a weight memory slice "                           \
   "[unverified: 16 as DaDianNao]"},                                                           \
  {"rows", QA_PT_INT, 1, 256, 16, "",                                                          \
   "PE rows per tile, one filter each; weights broadcast along a row [unverified]"},          \
  {"columns", QA_PT_INT, 1, 256, 16, "",                                                       \
   "PE columns per tile, one output window each; activations broadcast along a column "       \
   "[unverified: 16 as the public simulator's example]"},                                     \
  {"lanes", QA_PT_INT, 1, 256, 16, "",                                                         \
   "term pairs per PE per cycle = brick width in channels [paper: 16]"},                      \
  {"sync", QA_PT_INT, 0, 3, 3, "",                                                             \
   "sync scope of a brick step: 0 = pe, 1 = column (of a tile), 2 = tile, 3 = grid (all "     \
   "tiles in lock-step, as the public simulator)"},                                           \
  {"acc_bits", QA_PT_INT, 16, 64, 48, "bits",                                                  \
   "accumulator width (48 keeps 16-bit dot products exact)"},                                 \
  {"max_bits", QA_PT_INT, 2, 16, 16, "bits",                                                   \
   "widest operand the PE accepts: sizes the exponent adders, decoder, histogram"},          \
  {"clock_mhz", QA_PT_REAL, 1, 10000, 1000, "MHz",                                             \
   "clock frequency [unverified: 65 nm, ~1 GHz]"},                                            \
  {"sb_kib", QA_PT_INT, 1, 1 << 20, 2048, "KiB",                                               \
   "weight memory (eDRAM) per tile [unverified: as DaDianNao]"},                              \
  {"nbin_kib", QA_PT_INT, 1, 1 << 20, 16, "KiB",                                               \
   "input activation buffer per tile [unverified]"},                                          \
  {"nbout_kib", QA_PT_INT, 1, 1 << 20, 16, "KiB", "output buffer per tile [unverified]"},      \
  {"nm_kib", QA_PT_INT, 1, 1 << 22, 4096, "KiB",                                               \
   "central activation memory [unverified: as DaDianNao]"},                                   \
  QA_DRAM_PARAMS
// clang-format on

/* Kernel entry points (contracts as the QaArchDesc members of the same name). The
** exec keeps borrowed pointers to cfg-independent data only: cfg may be freed after
** qaLaconicBegin. qaLaconicCheck validates the precisions (1..16), the array size and
** that every code has |v| <= QA_TERMS_VMAX; QA_EUSER naming the layer otherwise. */
int qaLaconicCheck(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err);
int qaLaconicBegin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out,
                   QaErr *err);
int64_t qaLaconicNChunks(const QaExec *ex);
int64_t qaLaconicRunChunk(QaExec *ex, int64_t i);
void qaLaconicStartChunk(QaExec *ex, int64_t i);
int qaLaconicTick(QaExec *ex);
void qaLaconicEnd(QaExec *ex, int64_t n_cycles);
double qaLaconicPeak(const QaArchConfig *cfg);
const QaEngine *qaLaconicEngine(const QaExec *ex);

/* Every kernel member except check. */
#define QA_LACONIC_OPS                                                                   \
  .begin = qaLaconicBegin, .n_chunks = qaLaconicNChunks, .run_chunk = qaLaconicRunChunk, \
  .start_chunk = qaLaconicStartChunk, .tick = qaLaconicTick, .end = qaLaconicEnd,        \
  .peak_macs = qaLaconicPeak, .engine = qaLaconicEngine

#ifdef __cplusplus
}
#endif
#endif /* QA_LACONIC_INT_H */
