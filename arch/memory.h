/*
** memory.h - the memory system every architecture shares: what each chunk must
** fetch from DRAM, and when compute can start.
**
** On-chip: the weight memories (tiles x sb_kib) and the central neuron memory
** (nm_kib). DaDianNao's premise is that the weights live on chip: with
** weights_resident (the default) the layers of a run are taken in order and a layer
** whose weights fit in what the weight memories have left is loaded before the run
** and never fetched (greedy in network order; QaMemCarry keeps the running total).
** Any other layer fetches its weights: each pass's weights once (first image) when
** they fit in what is left, else every chunk streams its pass's weights.
** A layer whose input and output activations fit in NM keeps them on chip (the
** previous layer left its outputs there); otherwise each chunk reads its pack's
** input activations and writes its outputs back. DRAM stores values compactly at
** the engine's storage widths.
**
** Timing (double buffering over one DRAM channel, in chunk order): a DMA engine
** fetches chunk i's inputs as soon as the buffer of chunk i-2 is released (two
** buffers), then writes back chunk i-2's outputs; compute starts chunk i at the
** first clock edge at which its inputs are in and chunk i-1 is done. A transfer of
** b > 0 bits takes latency + b / bandwidth; dram_gbps = 0 is an ideal memory
** (every transfer takes no time). Stall cycles are the cycles compute waits for
** data, plus the final write-back tail.
** Prefetch (on by default): the weights of a layer's first chunk do not depend on
** the previous layer, so the DMA fetches them while the previous layer computes,
** from the moment it is idle and a buffer is free - the later of the previous
** layer's last transfer and the end of its second-last chunk (its layer start if it
** had one chunk) - until that layer ends (the "idle tail", QaMemCarry.idle_ps). The
** transfer starts idle_ps before the layer does; what is left of it, then the
** chunk's activations (which need the previous layer's outputs) as a second
** transfer, delay the first chunk. Without prefetch, or without weight traffic in
** the first chunk, chunk 0 is one transfer as every other chunk.
** The SystemC driver simulates this with two concurrent processes;
** qaMemStallCycles computes the same numbers in C. All times are integer
** picoseconds, rounded identically in both.
*/
#ifndef QA_MEMORY_H
#define QA_MEMORY_H

#include "arch/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Names of the memory cell types a config chooses (sb_type, nm_type): "sram", "edram". */
extern const char *const qaMemTypeNames[];

/* Parameter rows of the memory system every architecture includes in its table
** (DaDianNao's on-chip sizes by default), bound to QaArchSpec.mem. */
#define QA_MEM_ROW(field, type, lo, hi, def, unit, help) \
  { #field, type, lo, hi, def, unit, help, offsetof(QaArchSpec, mem.field), NULL, 0 }
#define QA_MEM_TYPE_ROW(field, help) \
  { #field, QA_PT_ENUM, 0, 1, 1, "", help, offsetof(QaArchSpec, mem.field), qaMemTypeNames, 0 }
#define QA_ONCHIP_PARAMS                                                                                    \
  QA_MEM_ROW(sb_kib, QA_PT_INT, 1, 1 << 20, 2048, "KiB", "weight memory (synapse buffer, eDRAM) per tile"), \
      QA_MEM_ROW(nbin_kib, QA_PT_INT, 1, 1 << 20, 16, "KiB", "input activation buffer per tile"),           \
      QA_MEM_ROW(nbout_kib, QA_PT_INT, 1, 1 << 20, 16, "KiB", "output buffer per tile"),                    \
      QA_MEM_ROW(nm_kib, QA_PT_INT, 1, 1 << 22, 4096, "KiB", "central activation memory (eDRAM)"),          \
      QA_MEM_TYPE_ROW(sb_type, "weight memory cells: sram or edram (DaDianNao: eDRAM)"),                    \
      QA_MEM_TYPE_ROW(nm_type, "central activation memory cells: sram or edram (DaDianNao: eDRAM)")
#define QA_DRAM_PARAMS                                                                                       \
  QA_MEM_ROW(dram_gbps, QA_PT_REAL, 0, 1e6, 25.6, "GB/s",                                                    \
             "off-chip bandwidth; 0 = ideal memory (assumed default: one DDR4-3200 x64 channel)"),           \
      QA_MEM_ROW(dram_latency_ns, QA_PT_REAL, 0, 1e6, 100, "ns", "latency of each DRAM transfer (assumed)"), \
      QA_MEM_ROW(dram_gib, QA_PT_REAL, 1e-9, 1e6, 8, "GiB",                                                  \
                 "DRAM capacity: a layer's weights and activations must fit (assumed default)"),             \
      QA_MEM_ROW(weights_resident, QA_PT_BOOL, 0, 1, 1, "",                                                  \
                 "layers whose weights fit in what the weight memories have left, in network order, are "    \
                 "loaded before the run (DaDianNao's premise): no DRAM reads; false: every layer fetches"),  \
      QA_MEM_ROW(prefetch, QA_PT_BOOL, 0, 1, 1, "",                                                          \
                 "fetch a layer's first weights while the previous layer computes")

/* The component rows of the memory system (ids QA_C_SB .. QA_C_DRAM, hw.h): every
** architecture's component table starts with them. SB and NM are eDRAM, NBin and
** NBout SRAM, as in DaDianNao; a config may build SB and NM as SRAM (sb_type, nm_type). */
#define QA_MEM_COMPONENTS                                                                                    \
  {"sb", QA_CAT_MEMORY, QA_SCOPE_TILE, QA_PRIM_EDRAM,                                                        \
   "synapse buffer: the tile's weights; one row feeds every PE row of the tile"},                            \
      {"nbin", QA_CAT_MEMORY, QA_SCOPE_TILE, QA_PRIM_SRAM,                                                   \
       "input buffer: the activations broadcast to the tile's PEs"},                                         \
      {"nbout", QA_CAT_MEMORY, QA_SCOPE_TILE, QA_PRIM_SRAM, "output buffer: the outputs of the tile's PEs"}, \
      {"nm", QA_CAT_MEMORY, QA_SCOPE_CHIP, QA_PRIM_EDRAM,                                                    \
       "central activation memory: layer inputs and outputs"},                                               \
  {                                                                                                          \
    "dram", QA_CAT_DRAM, QA_SCOPE_OFFCHIP, QA_PRIM_DRAM,                                                     \
        "off-chip memory: weights, and activations that do not fit on chip (traffic planned by "             \
        "arch/memory.c)"                                                                                     \
  }

/* Size the memory-system components of *inv from the spec: one SB per tile read
** SB_ROW_BITS at a time, one NBin per tile read one ACT_BITS brick at a time, one
** NBout per tile written OUT_BITS at a time, the NM (ACT_BITS per access), and DRAM. */
void qaMemInventory(const QaArchSpec *s, int sb_row_bits, int act_bits, int out_bits, QaInventory *inv);

typedef struct QaMemChunk {
  int64_t in_bits;  /* DRAM bits to read before the chunk can start */
  int64_t wgt_bits; /* of which weights */
  int64_t out_bits; /* DRAM bits written back after it */
} QaMemChunk;

/* What one layer of a run leaves to the next. Zero it before a run's first layer. */
typedef struct QaMemCarry {
  double preloaded_bits; /* weight-memory bits taken by layers loaded before the run */
  int64_t idle_ps;       /* the previous layer's idle DMA tail (prefetch window), ps */
} QaMemCarry;

typedef struct QaMemPlan {
  int64_t n_chunk;
  QaMemChunk *chunks; /* owned */
  int64_t period_ps;  /* clock period */
  int64_t latency_ps;
  double gbps;           /* 0 = ideal */
  int weights_on_chip;   /* layer weights fit in what the weight memories have left */
  int weights_preloaded; /* ... and were loaded before the run (weights_resident) */
  int acts_on_chip;      /* layer activations fit in NM */
  int64_t head_ps;       /* prefetch: chunk 0's weight transfer starts this long before the layer */
  int64_t dram_read_bits, dram_write_bits;
} QaMemPlan;

/* The clock period of a config in integer picoseconds (as the SystemC clock uses). */
int64_t qaMemPeriodPs(const QaArchConfig *cfg);
/* Plan the DRAM traffic of a layer whose engine has been initialised, after the layers
** CARRY has seen (NULL: the first layer of a run); a preloaded layer's weights are added
** to carry->preloaded_bits. QA_EUSER if the layer's weights and activations do not fit
** in dram_gib. */
int qaMemPlanLayer(const QaArchConfig *cfg, const QaEngine *e, QaMemCarry *carry, QaMemPlan *plan,
                   QaErr *err);
void qaMemPlanFree(QaMemPlan *plan);
/* The longest a layer's DRAM transfers may take (ps): 2^50 ps, about 19 minutes of
** simulated time, so that transfer and stall times stay far inside int64 ps and the whole
** run inside SystemC's 64-bit time. qaMemPlanLayer refuses a layer beyond it. */
#define QA_MEM_LAYER_PS_MAX ((int64_t)1 << 50)

/* Duration of one transfer in ps (0 for 0 bits or an ideal memory). */
int64_t qaMemTransferPs(const QaMemPlan *plan, int64_t bits);
/* Stall cycles of a layer whose chunks take chunk_cycles[i] compute cycles; sets
** carry->idle_ps (if CARRY is not NULL) to the layer's idle DMA tail for the next one. */
int64_t qaMemStallCycles(const QaMemPlan *plan, const int64_t *chunk_cycles, QaMemCarry *carry);
/* Add the plan's DRAM traffic to the layer's action counts, and the weight memories'
** writes of the weights it fetches (a preloaded layer's were written before the run). */
void qaMemCountActions(const QaMemPlan *plan, QaLayerStats *st);

#ifdef __cplusplus
}
#endif
#endif /* QA_MEMORY_H */
