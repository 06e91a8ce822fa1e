/*
** compose.h - an architecture's hardware priced: its components with the energy of one
** action of each, their area, the area of a PE, a tile and the chip, and the leakage.
**
** The architecture says what it instantiates (arch/hw.h: its component table and its
** inventory function sizing every component at a config and operand precision); this
** module prices that inventory with a cost table, component by component and id by
** id: the primitive of each component (an int_mult of a x w bits, an adder tree of n
** inputs, a 2 MB eDRAM read 4096 bits at a time, ...) is priced from the table, and the
** rows it came from are recorded. A composition is the inventory at the hardware's own
** width (qaArchHwBits): it gives area and leakage. A layer's actions happen at the
** layer's operand precisions: qaComposePriceAt prices the inventory sized for them (a
** Laconic built for 16-bit operands decodes 8 + 8 + 1 positions on 8-bit data).
** Pricing is pure: it never simulates, and the same (config, table, precisions) give
** the same numbers.
*/
#ifndef QA_COMPOSE_H
#define QA_COMPOSE_H

#include <stdio.h>

#include "arch/arch.h"
#include "models/costs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_COSTS_LABEL_MAX 160 /* longest costs label + 1, e.g. "horowitz45+ddr3" (= QA_STORE_LABEL_MAX) */
#define QA_DEFAULT_DRAM "lpddr4"

/* One component of an architecture, sized and priced. */
typedef struct QaPricedComp {
  const QaComponentDef *def;         /* the architecture's row: name, category, scope, primitive, role */
  QaComponent size;                  /* count (0 = not built at this config), widths, capacity */
  QaPrim prim;                       /* the primitive priced: the row's, or the SRAM / eDRAM the config
                                     ** chose for a memory (qaComponentPrim) */
  char dram_type[QA_COST_CLASS_MAX]; /* DRAM: the class used, e.g. "dram_lpddr4" */
  QaCost op;                         /* logic: one op (pJ, um^2, uW); memories: one read access */
  QaCost write;                      /* memories: one write access; logic: same as op */
  double read_pj_per_bit;            /* memories and DRAM (pJ/bit); 0 for logic */
  double write_pj_per_bit;
  char what[96];  /* the primitive, e.g. "int_mult(16x16)" */
  char rows[256]; /* the table rows it uses, e.g. "int_mult line 38 (exact)", or for a memory
                  ** priced from a grid its basis ("cacti45 edram 2M x 4096b as 128 x ...") */
} QaPricedComp;

/* What to compose. */
typedef struct QaComposeOptions {
  int a_bits, w_bits;    /* run precisions the listing refers to (0: 16) */
  const char *dram_type; /* DRAM type after "dram_" (NULL: "lpddr4", or the table's only
                         ** DRAM class if it has no lpddr4 rows) */
} QaComposeOptions;

/* An architecture's hardware and prices. Plain data, filled by qaCompose. */
typedef struct QaComposition {
  QaArchConfig cfg;                  /* the config composed (a copy) */
  const QaArchDesc *arch;            /* cfg.desc */
  const QaCostTable *table;          /* borrowed: must outlive the composition */
  char costs[QA_COSTS_LABEL_MAX];    /* label energy rows are stored under: the table name,
                                     ** plus "+TYPE" for a DRAM type other than the default */
  char dram_type[QA_COST_CLASS_MAX]; /* DRAM type asked for ("" = default) */
  int a_bits, w_bits;                /* precisions the listing refers to */
  int hw_bits;                       /* operand width the hardware is built for */
  double clock_mhz;
  int64_t pes_per_tile, tiles;    /* PE = the unit that repeats inside a tile */
  int n_comp;                     /* = the architecture's component count */
  QaPricedComp comp[QA_COMP_MAX]; /* index = component id */
  double pe_area_um2;             /* one PE (um^2) */
  double tile_area_um2;           /* pes_per_tile PEs + tile components (um^2) */
  double chip_area_um2;           /* tiles x tile + chip components (um^2) */
  double chip_leakage_uw;         /* sum of the on-chip leakage the table gives (uW) */
  int n_leak_known;               /* on-chip components with a leakage figure */
  int n_leak_missing;             /* on-chip components without one */
  char leak_missing[256];         /* their names, comma-separated ("" if none) */
  double memory_area_um2;         /* on-chip memories (category memory) of the chip */
  double logic_area_um2;          /* everything else on chip: datapath, accumulation, registers */
} QaComposition;

/* Compose config CFG with cost table T. Every price is multiplied by the table's
** calibration scale of its category (qaCostScale: memory, logic = datapath and
** accumulation, registers; DRAM is never scaled), and carries the scale's status if that is
** weaker. Returns QA_EUSER if T is a normalised table (its numbers are not pJ), cannot
** price a primitive the architecture needs (naming the component, the primitive and what
** T has), or prices a component at a non-finite energy, area or leakage (naming the
** component and the table rows). *out is caller-owned and keeps a pointer to T. */
int qaCompose(const QaArchConfig *cfg, const QaCostTable *t, const QaComposeOptions *opt, QaComposition *out,
              QaErr *err);

/* Price the architecture's inventory sized for A_BITS x W_BITS operands into
** out[cx->n_comp] (the composition itself when they are the hardware's width). Errors
** as qaCompose. */
int qaComposePriceAt(const QaComposition *cx, int a_bits, int w_bits, QaPricedComp *out, QaErr *err);

/* Component id of component NAME, or -1. */
int qaComposeFind(const QaComposition *cx, const char *name);

/* Instances of component C on the whole chip (count x PEs / tiles as its scope says). */
int64_t qaComposeInstances(const QaComposition *cx, const QaPricedComp *c);

/* Components in display order: the architecture's own ids first, then the memory
** system's. *ids gets cx->n_comp ids; components with count 0 are skipped. Returns how
** many. */
int qaComposeOrder(const QaComposition *cx, int ids[QA_COMP_MAX]);

/* What no architecture's inventory models (`qasim area` lists it): control, the on-chip
** interconnect, chip I/O, the clock tree, layout overhead. One line per item. */
extern const char *const qaComposeNotModelled[];

/* Print the composition for `qasim area`: header (with the table's id), one line per
** component (scope, count, primitive, energy per action, area per instance and in total,
** status, table rows or memory basis), its role, then area per PE / tile / chip (memories
** and logic apart), the leakage (or "not priced", naming the components without a
** figure) and what is not modelled. QA_EINTERNAL if writing fails. */
int qaComposePrint(const QaComposition *cx, FILE *fp, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_COMPOSE_H */
