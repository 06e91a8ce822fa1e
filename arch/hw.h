/*
** hw.h - the hardware vocabulary shared by the simulators and the cost model.
**
** An architecture describes the hardware it instantiates as a table of components,
** one row per typed id: what the component is (a primitive the cost tables can price:
** a multiplier, an adder tree, an SRAM, ...), where it sits (inside every PE, once per
** tile, once per chip, off chip), what its energy is charged to in a breakdown, and a
** one-line role. That static row (QaComponentDef) is completed at a given config and
** operand precision by the architecture's inventory function into a QaComponent:
** how many instances, how wide, how large. The kernel counts actions into
** `stats.count[id][action]` with the same ids (stats.h), and the cost model
** (models/price.h) prices component `id` of the inventory: neither side spells a
** component's name, and the widths an action happens at are the inventory's, sized
** once per (config, a_bits, w_bits) - never re-derived by the pricing side.
**
** The memory system (memory.h) is the same for every architecture, so its components
** have fixed ids 0..QA_C_COMMON-1; an architecture's own components follow.
*/
#ifndef QA_HW_H
#define QA_HW_H

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_COMP_MAX 24 /* most components of one architecture (ids 0..QA_COMP_MAX-1) */

/* Component ids of the memory system every architecture has (memory.h, engine.h). */
enum {
  QA_C_SB = 0, /* weight memory (synapse buffer), one per tile */
  QA_C_NBIN,   /* input activation buffer, one per tile */
  QA_C_NBOUT,  /* output buffer, one per tile */
  QA_C_NM,     /* central activation memory */
  QA_C_DRAM,   /* off-chip memory */
  QA_C_COMMON  /* the first id of an architecture's own components */
};

/* What a component's energy is charged to in a breakdown. */
typedef enum QaCategory {
  QA_CAT_DATAPATH = 0, /* multipliers, AND arrays, adder trees, shifters, decoders ... */
  QA_CAT_ACCUMULATION, /* accumulators and output counters */
  QA_CAT_REGISTERS,    /* pipeline, shift and operand registers and their clock */
  QA_CAT_MEMORY,       /* on-chip buffers (each its own component) */
  QA_CAT_DRAM,         /* off-chip memory */
  QA_CAT_STATIC,       /* leakage over the run time (priced, never counted) */
  QA_CAT_COUNT
} QaCategory;

/* Where one instance of a component sits. */
typedef enum QaScope {
  QA_SCOPE_PE = 0, /* inside every PE */
  QA_SCOPE_TILE,   /* once per tile (count instances) */
  QA_SCOPE_CHIP,   /* once per chip (count instances) */
  QA_SCOPE_OFFCHIP /* DRAM: no area, no leakage */
} QaScope;

/* The cost-table primitive a component is priced as (models/costs.h). The meaning of
** the QaComponent size fields per primitive is given after each. */
typedef enum QaPrim {
  QA_PRIM_MULT = 0,     /* int multiplier bits_a x bits_b */
  QA_PRIM_AND_GATES,    /* n 2-input AND gates evaluated together */
  QA_PRIM_ADDER,        /* int adder of bits_a */
  QA_PRIM_ADDER_TREE,   /* n inputs of bits_a reduced to one */
  QA_PRIM_ACCUMULATOR,  /* bits_a adder + register */
  QA_PRIM_COUNTER,      /* bits_a counter (priced as an accumulator) */
  QA_PRIM_REG,          /* bits_a register, per clocked update */
  QA_PRIM_EXP_ADDER,    /* bits_a exponent adder */
  QA_PRIM_DECODER,      /* one-hot decoder with n outputs */
  QA_PRIM_HISTOGRAM,    /* n counters of bits_a, one bank-wide update */
  QA_PRIM_SHIFTER,      /* bits_a wide barrel shifter by 0..n-1 */
  QA_PRIM_TERM_ENCODER, /* bits_a Booth / NAF recoder (priced as an adder) */
  QA_PRIM_SRAM,         /* capacity_bytes, access_bits per access */
  QA_PRIM_EDRAM,        /* capacity_bytes, access_bits per access */
  QA_PRIM_REGFILE,      /* capacity_bytes, access_bits per access */
  QA_PRIM_REG_BANK,     /* capacity_bytes of flip-flops, access_bits wide */
  QA_PRIM_DRAM,         /* off-chip, priced per bit */
  QA_PRIM_COUNT
} QaPrim;

/* 1 for primitives priced per bit read / written (memories, register banks, DRAM). */
int qaPrimIsStorage(QaPrim p);
const char *qaPrimName(QaPrim p);         /* "int_mult", "adder_tree", "sram", ... */
const char *qaScopeName(QaScope s);       /* "PE", "tile", "chip", "offchip" */
const char *qaCategoryName(QaCategory c); /* "datapath", "accumulation", "registers", ... */

/* One row of an architecture's component table; the row's index is the component id. */
typedef struct QaComponentDef {
  const char *name; /* unique within the architecture, e.g. "mult"; stored with the counts */
  QaCategory category;
  QaScope scope;
  QaPrim prim;
  const char *role; /* one line: what it does in this architecture */
} QaComponentDef;

/* What a memory component is built as, when the config chooses (sb_type, nm_type). */
typedef enum QaMemType {
  QA_MEM_TYPE_ROW = 0, /* as the component row's primitive says */
  QA_MEM_TYPE_SRAM,    /* an SRAM (QA_PRIM_SRAM) */
  QA_MEM_TYPE_EDRAM    /* an eDRAM (QA_PRIM_EDRAM) */
} QaMemType;

/* One component sized at a config and operand precisions (see QaPrim for the fields). */
typedef struct QaComponent {
  int64_t count;          /* instances per PE / tile / chip (by scope); 0 = not built at this config */
  int bits_a, bits_b;     /* operand widths (bits) */
  int n;                  /* tree inputs, gates, decoder outputs, histogram positions, shift range */
  int64_t capacity_bytes; /* memories (bytes) */
  int access_bits;        /* memories: bits per access */
  QaMemType mem_type;     /* memories: SRAM or eDRAM as the config says (QA_MEM_TYPE_ROW: the row's) */
} QaComponent;

/* The primitive component DEF is priced as at size C: the row's, or the SRAM / eDRAM the
** config chose for a memory (C->mem_type). */
QaPrim qaComponentPrim(const QaComponentDef *def, const QaComponent *c);

/* Everything an architecture instantiates at one config and operand precision. */
typedef struct QaInventory {
  int64_t tiles;        /* tiles per chip */
  int64_t pes_per_tile; /* PEs per tile (the unit that repeats inside a tile) */
  int n_comp;           /* = the architecture's component count */
  QaComponent comp[QA_COMP_MAX];
} QaInventory;

/* Bits to hold the values 0..n (1 for n = 0 or 1). */
static inline int qaBitsFor(int64_t n) {
  int b = 1;
  while (((int64_t)1 << b) <= n) b++;
  return b;
}
/* ceil(log2 n) for n >= 1 (0 for n = 1). */
static inline int qaCeilLog2(int64_t n) {
  int b = 0;
  while (((int64_t)1 << b) < n) b++;
  return b;
}

/* Bits of a stored k-hot code (Li et al., DATE 2020: "8 bit -> 3+1 bit" for one-hot): k
** exponent fields, each naming one of the magnitude's bit positions or none, plus a
** sign bit for signed operands: k x ceil(log2(m + 1)) + sign with m = bits - sign
** magnitude bits, never more than the plain code. One-hot 8-bit signed: 3 + 1 = 4. */
static inline int qaKHotStoreBits(int bits, int is_signed, int k) {
  int m = bits - (is_signed ? 1 : 0), s = k * qaCeilLog2(m + 1) + (is_signed ? 1 : 0);
  return s < bits ? s : bits;
}

#ifdef __cplusplus
}
#endif
#endif /* QA_HW_H */
