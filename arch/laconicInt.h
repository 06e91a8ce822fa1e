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

/* The spec of the Laconic PE array. Architectures built on it (khot-laconic) start
** their spec with this struct and their parameter table with QA_LACONIC_PARAM_ROWS. */
typedef struct QaLaconicSpec {
  QaArchSpec base; /* rows: filters per tile, columns: windows per tile */
  int sync;        /* QaLaconicSync */
  int max_bits;    /* widest operand the PE accepts (bits) */
  int k_a, k_w;    /* k-hot operands (khot-laconic): most terms per activation / weight; 0: any */
} QaLaconicSpec;

extern const char *const qaLaconicSyncNames[]; /* "pe", "column", "tile", "grid", NULL */

/* Parameter rows of the Laconic PE array (the defaults are Laconic's; see laconic.c). */
// clang-format off
#define QA_LACONIC_PARAM_ROWS                                                                  \
  QA_P_TILES(16, "tiles; each holds rows x columns PEs and a weight memory slice "             \
                 "[unverified: 16 as DaDianNao]"),                                             \
  QA_P_ROWS(16, "PE rows per tile, one filter each; weights broadcast along a row [unverified]"), \
  QA_P_COLUMNS(16, "PE columns per tile, one output window each; activations broadcast along a " \
                   "column [unverified: 16 as the public simulator's example]"),              \
  QA_P_LANES(16, "term pairs per PE per cycle = brick width in channels [paper: 16]"),         \
  {"sync", QA_PT_ENUM, 0, 3, QA_LACONIC_SYNC_GRID, "",                                         \
   "sync scope of a brick step: pe, column (of a tile), tile, grid (all tiles in lock-step, "  \
   "as the public simulator)", offsetof(QaLaconicSpec, sync), qaLaconicSyncNames, 0},          \
  QA_P_ACC_BITS(48, "accumulator width (48 keeps 16-bit dot products exact)"),                 \
  {"max_bits", QA_PT_INT, 2, 16, 16, "bits",                                                   \
   "widest operand the PE accepts: sizes the exponent adders, decoder, histogram",            \
   offsetof(QaLaconicSpec, max_bits), NULL, QA_PF_SIZED_BY_BITS},                              \
  QA_P_CLOCK(1000, "clock frequency [unverified: 65 nm, ~1 GHz]"),                             \
  QA_P_RESHAPE,                                                                                \
  QA_P_FC_MULTIPLEX,                                                                           \
  QA_ONCHIP_PARAMS,                                                                            \
  QA_DRAM_PARAMS
// clang-format on

/* Component ids of the Laconic PE array (after the memory system's) and its table. */
enum {
  QA_LAC_EXP_ADDER = QA_C_COMMON,
  QA_LAC_DECODER,
  QA_LAC_HISTOGRAM,
  QA_LAC_SHIFTER,
  QA_LAC_ADDER_TREE,
  QA_LAC_ACC,
  QA_LAC_ENCODER_A,
  QA_LAC_ENCODER_W,
  QA_LAC_AREG,
  QA_LAC_WREG,
  QA_LAC_N
};
extern const QaComponentDef qaLaconicComps[QA_LAC_N];
/* Inventory of the Laconic PE array (see laconic.c) and its hardware width (max_bits). */
void qaLaconicInventory(const QaArchConfig *cfg, int a_bits, int w_bits, QaInventory *out);
int qaLaconicHwBits(const QaArchConfig *cfg);

/* Kernel entry points (contracts as the QaArchDesc members of the same name). They read
** the config's QaLaconicSpec. The exec keeps borrowed pointers to cfg-independent data
** only: cfg may be freed after qaLaconicBegin. qaLaconicCheck validates the precisions (1..16), the array
** size and that every code has |v| <= 2^max_bits (the weights through qaLaconicCheckWgt, which a
** streamed job's windows get instead); QA_EUSER naming the layer otherwise. */
int qaLaconicCheck(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err);
int qaLaconicCheckWgt(const QaArchConfig *cfg, const QaLayerJob *job, const int32_t *w, int64_t i0, int64_t n,
                      QaErr *err);
int qaLaconicBegin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out,
                   QaErr *err);
int64_t qaLaconicNChunks(const QaExec *ex);
int64_t qaLaconicRunChunk(QaExec *ex, int64_t i);
void qaLaconicStartChunk(QaExec *ex, int64_t i);
int qaLaconicTick(QaExec *ex);
void qaLaconicEnd(QaExec *ex, int64_t n_cycles);
double qaLaconicPeak(const QaArchConfig *cfg);
const QaEngine *qaLaconicEngine(const QaExec *ex);

/* Every kernel and hardware member except check and the parameter table. */
#define QA_LACONIC_OPS                                                                                       \
  .comps = qaLaconicComps, .n_comps = QA_LAC_N, .inventory = qaLaconicInventory, .hw_bits = qaLaconicHwBits, \
  .begin = qaLaconicBegin, .n_chunks = qaLaconicNChunks, .run_chunk = qaLaconicRunChunk,                     \
  .start_chunk = qaLaconicStartChunk, .tick = qaLaconicTick, .end = qaLaconicEnd,                            \
  .peak_macs = qaLaconicPeak, .engine = qaLaconicEngine

#ifdef __cplusplus
}
#endif
#endif /* QA_LACONIC_INT_H */
