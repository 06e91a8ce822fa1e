/*
** compose.h - architecture composition: what hardware an architecture instantiates at a
** given configuration, its area, and the price of every action its simulator counts.
**
** A composition is the inventory of one architecture at one config: a list of component
** instances, each named like the simulator's action component ("mult", "sb", ...), with
** the cost-table primitive that prices it (an int_mult of a x w bits, an adder tree of n
** inputs, a 2 MB eDRAM read 4096 bits at a time, ...), where it sits (inside a PE, once
** per tile, once per chip, or off chip) and how many there are. From it come the area of
** a PE, a tile and the chip, the chip's leakage where the table gives it, and the energy of
** one action of each component. Pricing is pure: a composition is computed from a config
** and a cost table, never from a simulation, and an action whose component or action name
** the composition does not know is an error naming the architecture, component and action.
**
** Adding an architecture is one composition function in compose.c (see the registry
** there); every registered architecture must have one (tests/unit/test_compose.c runs each
** on a tiny layer and prices every action it counts).
*/
#ifndef QA_COMPOSE_H
#define QA_COMPOSE_H

#include <stdio.h>

#include "arch/arch.h"
#include "arch/stats.h"
#include "models/costs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_COMPOSE_MAX 32     /* most components of one architecture */
#define QA_COSTS_LABEL_MAX 96 /* longest costs label + 1, e.g. "horowitz45+ddr3" */
#define QA_DEFAULT_DRAM "lpddr4"

/* Where one instance of a component sits. */
typedef enum QaScope {
  QA_SCOPE_PE = 0, /* inside every PE */
  QA_SCOPE_TILE,   /* once per tile (count instances) */
  QA_SCOPE_CHIP,   /* once per chip (count instances) */
  QA_SCOPE_OFFCHIP /* DRAM: no area, no leakage */
} QaScope;

/* What an energy figure is charged to in a breakdown. */
typedef enum QaCategory {
  QA_CAT_DATAPATH = 0, /* multipliers, AND arrays, adder trees, shifters, decoders ... */
  QA_CAT_ACCUMULATION, /* accumulators and output counters */
  QA_CAT_MEMORY,       /* on-chip buffers (each its own component) */
  QA_CAT_DRAM,         /* off-chip memory */
  QA_CAT_STATIC        /* leakage over the run time */
} QaCategory;

/* The cost-table primitive a component is priced as (models/costs.h). */
typedef enum QaPrim {
  QA_PRIM_MULT = 0,     /* qaCostIntMult(bits_a, bits_b) */
  QA_PRIM_AND_GATES,    /* qaCostAndGates(n) */
  QA_PRIM_ADDER,        /* qaCostIntAdd(bits_a) */
  QA_PRIM_ADDER_TREE,   /* qaCostAdderTree(n inputs, bits_a each) */
  QA_PRIM_ACCUMULATOR,  /* qaCostAccumulator(bits_a) */
  QA_PRIM_COUNTER,      /* a bits_a counter: qaCostAccumulator(bits_a) (an adder + register) */
  QA_PRIM_REG,          /* qaCostReg(bits_a) */
  QA_PRIM_EXP_ADDER,    /* qaCostExpAdder(bits_a) */
  QA_PRIM_DECODER,      /* qaCostOneHotDecoder(n outputs) */
  QA_PRIM_HISTOGRAM,    /* qaCostHistogram(n positions, bits_a per counter) */
  QA_PRIM_SHIFTER,      /* qaCostShifter(bits_a wide, range n) */
  QA_PRIM_TERM_ENCODER, /* a bits_a-bit Booth / NAF recoder: qaCostIntAdd(bits_a) (it forms
                        ** x + 2x; assumed) */
  QA_PRIM_SRAM,         /* qaCostMem("sram", access_bits, capacity_bytes) */
  QA_PRIM_EDRAM,        /* qaCostMem("edram", ...) */
  QA_PRIM_REGFILE,      /* qaCostMem("regfile", ...) */
  QA_PRIM_REG_BANK,     /* capacity_bytes of flip-flops, access_bits wide: a write is
                        ** qaCostReg(access_bits), a read a (depth:1) multiplexer
                        ** qaCostShifter(access_bits, depth); area reg(capacity bits) +
                        ** the multiplexer (assumed) */
  QA_PRIM_DRAM          /* qaCostDram(dram_type) per bit */
} QaPrim;

/* How an action's widths (QaAction a_bits, w_bits; 0 = not given, keep the composition's
** value) re-size a logic component when the action is priced. The default follows the
** primitive (see qaComposeDefaultArgs) and matches how the simulators count. */
typedef enum QaActArgs {
  QA_ARGS_WIDTH = 0, /* a_bits -> bits_a; w_bits -> bits_b (multipliers), else ignored */
  QA_ARGS_PRODUCT,   /* AND gates: n = a_bits x w_bits (a 1-bit x w-bit lane product) */
  QA_ARGS_WIDTH_N,   /* a_bits -> bits_a, w_bits -> n (adder-tree inputs, shifter range) */
  QA_ARGS_N_WIDTH,   /* a_bits -> n, w_bits -> bits_a (histogram positions, counter bits) */
  QA_ARGS_N,         /* a_bits -> n (decoder outputs) */
  QA_ARGS_MAX_WIDTH, /* bits_a = max(a_bits, w_bits) (exponent adder of e_a + e_w) */
  QA_ARGS_FIXED      /* ignored: always priced at the composition's widths */
} QaActArgs;

/* One component of an architecture. Logic is priced per "op" action; memories and DRAM per
** bit of "read_bits" / "write_bits". */
typedef struct QaComponent {
  char name[QA_COMP_MAX]; /* the simulator's component name, e.g. "mult", "sb" */
  const char *role;       /* one line: what it does here (static text) */
  QaCategory category;
  QaScope scope;
  int64_t count; /* instances per PE / tile / chip (by scope); 1 off chip */
  QaPrim prim;
  QaActArgs args;                    /* how an action's widths re-size it */
  int bits_a;                        /* operand / counter / input width (bits) */
  int bits_b;                        /* second multiplier operand (bits); 0 otherwise */
  int n;                             /* tree inputs, AND gates, decoder outputs, histogram
                                     ** positions or shifter range; 0 if not used */
  int access_bits;                   /* memories: bits per access */
  int64_t capacity_bytes;            /* on-chip memories (bytes) */
  char dram_type[QA_COST_CLASS_MAX]; /* DRAM: the class used, e.g. "dram_lpddr4" */
  QaCost op;                         /* logic: one op at bits_a/bits_b (pJ, um^2, uW);
                                     ** memories: one read access of access_bits */
  QaCost write;                      /* memories: one write access; logic: same as op */
  double read_pj_per_bit;            /* memories and DRAM (pJ/bit); 0 for logic */
  double write_pj_per_bit;
  char what[96];  /* the primitive, e.g. "int_mult(16x16)" */
  char rows[192]; /* the table rows it uses, e.g. "int_mult line 38 (exact)" */
} QaComponent;

/* What to compose. */
typedef struct QaComposeOptions {
  int a_bits, w_bits;    /* run precisions the listing refers to (0: 16) */
  const char *dram_type; /* DRAM type after "dram_" (NULL: "lpddr4", or the table's only
                         ** DRAM class if it has no lpddr4 rows) */
} QaComposeOptions;

/* An architecture's hardware and prices. Plain data, filled by qaCompose. */
typedef struct QaComposition {
  const QaArchDesc *arch;
  const QaCostTable *table;        /* borrowed: must outlive the composition (used to price
                                   ** actions counted at widths other than the hardware's) */
  char costs[QA_COSTS_LABEL_MAX];  /* label energy rows are stored under: the table name,
                                   ** plus "+TYPE" for a DRAM type other than the default */
  char config_source[QA_PATH_MAX]; /* the config's source ("defaults" or a path) */
  int a_bits, w_bits;
  double clock_mhz;
  int64_t pes_per_tile, tiles; /* PE = the unit that repeats inside a tile */
  int n_comp;
  QaComponent comp[QA_COMPOSE_MAX];
  double pe_area_um2;     /* one PE (um^2) */
  double tile_area_um2;   /* pes_per_tile PEs + tile components (um^2) */
  double chip_area_um2;   /* tiles x tile + chip components (um^2) */
  double chip_leakage_uw; /* sum of the on-chip leakage the table gives (uW) */
  int n_leak_known;       /* on-chip components with a leakage figure */
  int n_leak_missing;     /* on-chip components without one */
} QaComposition;

/* Compose architecture CFG->desc at config CFG, pricing from T. Returns QA_EUSER if the
** architecture has no composition (naming it and the ones that have), if T is a
** normalised table (its numbers are not pJ), or if T cannot price a primitive the
** architecture needs (naming the component, the primitive and what T has). *out is
** caller-owned and keeps a pointer to T. */
int qaCompose(const QaArchConfig *cfg, const QaCostTable *t, const QaComposeOptions *opt, QaComposition *out,
              QaErr *err);

/* 1 if architecture NAME has a composition. */
int qaComposeHas(const char *arch_name);

/* The component called NAME, or NULL. Owned by cx. */
const QaComponent *qaComposeFind(const QaComposition *cx, const char *name);

/* Energy (pJ) of A->count actions A. Logic actions ("op") are priced at the action's own
** widths when it gives them (a_bits, w_bits > 0), else at the component's; memory actions
** are "read_bits" / "write_bits". An unknown component or action is QA_EUSER naming the
** architecture, component and action; *category (may be NULL) gets the component's. */
int qaComposePriceAction(const QaComposition *cx, const QaAction *a, double *energy_pj, QaCategory *category,
                         QaErr *err);

/* The QaActArgs a primitive uses unless its composition says otherwise. */
QaActArgs qaComposeDefaultArgs(QaPrim prim);

/* Instances of component C on the whole chip (count x PEs / tiles as its scope says). */
int64_t qaComposeInstances(const QaComposition *cx, const QaComponent *c);

/* Print the composition for `qasim area`: header, one line per component (scope, count,
** primitive, energy per action, area per instance and in total, status, table rows), its
** role, then area per PE / tile / chip and the leakage. QA_EINTERNAL if writing fails. */
int qaComposePrint(const QaComposition *cx, FILE *fp, QaErr *err);

const char *qaScopeName(QaScope s);       /* "PE", "tile", "chip", "offchip" */
const char *qaCategoryName(QaCategory c); /* "datapath", "accumulation", "memory", "dram", "static" */

#ifdef __cplusplus
}
#endif
#endif /* QA_COMPOSE_H */
