/*
** costs.h - cost tables and pricing primitives: what one action of a hardware primitive
** costs in energy and area.
**
** Simulators count actions (sim/stats.h); this module prices them. A cost table is a set
** of primitive points - "an 8-bit integer adder costs 0.03 pJ per operation and 36 um^2",
** "a 64-bit access to an 8 KB SRAM costs 10 pJ" - each carrying its source and a status
** (verified / derived / assumed). Tables are CSV files under models/tables/ chosen by name
** (qaCostTableLoad("horowitz45")), a user's own CSV file, or an Accelergy ERT/ART pair
** (accelergy.c). The pricing functions scale the points to any width or capacity with
** one rule per component class, and price composite blocks (exponent adders, one-hot
** decoders, histogram counters, shifters, adder trees) from those primitives; the rules
** are listed in models/README.md and printed with every table (qaCostTablePrint).
**
** Scaling rules (every listed point is reproduced exactly):
**   int_add, reg, noc, dram_*   linear in bits_a: piecewise linear between points,
**                               proportional (through the origin) below the first point,
**                               last segment extended above the last one.
**   int_mult, int_mac           power law in bits_a * bits_b: piecewise linear in
**                               log(energy) over log(a*b); one point alone scales as a*b.
**   sram, edram, regfile        energy per bit is a power law in capacity (piecewise in
**                               log-log; one point alone scales as sqrt(capacity)), times
**                               the access width in bits; area is a power law in capacity.
**   sram, edram from a grid     a row with a `grid` value (e.g. cacti45) and no sizes or
**                               energy says the class is priced by memcost.h from the
**                               CACTI grid in models/tables/<grid>/ (k side-by-side
**                               macros, interpolation, extrapolation; see memcost.h).
**   fp16_*, fp32_*              fixed widths: priced only at their own width.
** A row with no width and no capacity ("width-independent") prices one action whatever
** the size asked for: normalised tables (Sze's ladder) and Accelergy imports use them.
**
** Energies are per action in the table's energy unit: picojoules, or - for a normalised
** table such as sze-normalized (energy_unit "mac" in the file) - multiples of one MAC.
** Check qaCostTableIsNormalized() before adding the numbers to absolute ones.
*/
#ifndef QA_COSTS_H
#define QA_COSTS_H

#include <stdio.h>

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_COST_CLASS_MAX 32       /* longest class name + 1, e.g. "dram_lpddr4" */
#define QA_COST_INSTANCE_MAX 64    /* longest instance name + 1 */
#define QA_COST_NAME_MAX 128       /* longest component / action / argument text + 1 */
#define QA_COSTS_DEFAULT "cacti45" /* the table run, area and price use unless told */

/* How much a figure can be trusted. The order matters: a value computed from several
** rows carries the weakest (largest) status among them. Only the names are stored or
** parsed, never the numbers. */
typedef enum QaCostStatus {
  QA_COST_VERIFIED = 0,     /* taken from the cited source and confirmed */
  QA_COST_DERIVED = 1,      /* computed from verified figures, or by a cited model (e.g. a
                            ** CACTI run) inside its data; the source says how */
  QA_COST_CALIBRATED = 2,   /* a model parameter fitted to measurements or to another
                            ** model's output; the source says to what */
  QA_COST_EXTRAPOLATED = 3, /* a scaling rule used beyond the range of its data; the
                            ** source says how */
  QA_COST_ASSUMED = 4       /* not from a source, or not confirmed; the source says why */
} QaCostStatus;

/* What one row prices. Logic (int_add, int_mult, ..., reg, noc) has only QA_COST_OP;
** memories (sram, edram, regfile, dram*) have READ, WRITE, or ACCESS (either). */
typedef enum QaCostAction {
  QA_COST_OP = 0,    /* one operation / one clocked update / one transfer */
  QA_COST_READ = 1,  /* one read access */
  QA_COST_WRITE = 2, /* one write access */
  QA_COST_ACCESS = 3 /* one access, read or write (used when no READ/WRITE row exists) */
} QaCostAction;

/* One primitive point of a table. */
typedef struct QaCostRow {
  char cls[QA_COST_CLASS_MAX];         /* class, e.g. "int_add", "sram", "dram_lpddr4" */
  QaCostAction action;                 /* what the energy is per */
  char instance[QA_COST_INSTANCE_MAX]; /* named component (imports), "" for a generic row */
  int bits_a;                          /* operand / access width (bits); 0 = width-independent */
  int bits_b;                          /* second multiplier operand width (bits); 0 otherwise */
  int64_t capacity_bytes;              /* memory capacity (bytes); 0 = not a sized memory */
  double energy;                       /* per action: pJ, or MACs if the table is normalised */
  double area_um2;                     /* um^2; NAN if the table gives none */
  double leakage_uw;                   /* uW; NAN if the table gives none */
  QaCostStatus status;                 /* of the energy figure */
  QaCostStatus area_status;            /* of the area figure */
  const char *source;                  /* citation and how derived; owned by the table */
  int line;                            /* line in the table file, 0 if built in code */
  char grid[QA_COST_CLASS_MAX];        /* sram/edram priced from the memory grid of this name
                                       ** (models/tables/<grid>/, memcost.h); "" for a point
                                       ** row. A grid row has no sizes, energy or area */
  QaCostStatus leakage_status;         /* of the leakage figure (defaults to status) */
} QaCostRow;

/* One action as imported from an Accelergy ERT (or one ART entry with no ERT action),
** kept under its Accelergy names so callers can price by those names directly. */
typedef struct QaCostRaw {
  char component[QA_COST_NAME_MAX];    /* full name, e.g. "system_top_level.mac[1..168]" */
  char instance[QA_COST_INSTANCE_MAX]; /* short name, e.g. "mac" */
  char cls[QA_COST_CLASS_MAX];         /* the class it maps onto, e.g. "int_mac" */
  char action[QA_COST_NAME_MAX];       /* Accelergy action, e.g. "compute"; "" for area-only */
  char arguments[QA_COST_NAME_MAX];    /* the action's arguments as "k=v,k=v", "" if none */
  double energy_pj;                    /* pJ per action; NAN for an area-only entry */
  double area_um2;                     /* um^2 from the ART; NAN if none */
  int line;                            /* line of the action (or ART entry) */
} QaCostRaw;

/* A priced action. */
typedef struct QaCost {
  double energy;               /* per action, in the table's unit (qaCostTableEnergyUnit) */
  double area_um2;             /* um^2; NAN if the table has no area for a class involved */
  QaCostStatus status;         /* weakest status of the energy figures used; >= DERIVED if scaled */
  QaCostStatus area_status;    /* the same for the area */
  double leakage_uw;           /* leakage power of one instance (uW); NAN if the table gives none
                               ** for a class involved. Scaled like the area. */
  QaCostStatus leakage_status; /* the same for the leakage */
} QaCost;

typedef struct QaCostTable QaCostTable;
typedef struct QaMemGrid QaMemGrid; /* memcost.h */

/* ---- Loading ------------------------------------------------------------------------- */

/* Load a cost table. NAME_OR_PATH is either a table name ([A-Za-z0-9_-]+) that resolves to
** <data dir>/models/tables/<name>.csv, where the data dir is $QASIM_DATA if set and the
** source tree otherwise, or a path: *.csv is a cost table file, *.yaml / *.yml an
** Accelergy ERT (if it is X.ERT.yaml and X.ART.yaml exists beside it, areas come from the
** ART). Returns QA_EUSER with "file:line: field 'f': ..." for a bad table, or naming the
** available tables for an unknown name; QA_EINTERNAL on allocation failure. On success
** *out is owned by the caller (qaCostTableDestroy); on error *out is NULL. */
int qaCostTableLoad(const char *name_or_path, QaCostTable **out, QaErr *err);

/* Load a CSV cost table from PATH (see models/README.md for the format: a UTF-8 byte-order
** mark is skipped, lines may end in LF, CR LF or CR alone); errors as above. */
int qaCostTableLoadCsv(const char *path, QaCostTable **out, QaErr *err);

/* Layer table OVER on table BASE into a new table *out: every class OVER has rows for
** (an Accelergy ERT's mac, spads, buffers, ...) is priced from OVER's rows only, every other
** class keeps BASE's rows (so an ERT over cacti45 prices every architecture); DRAM is one
** family: if OVER has any dram or dram_<type> rows, none of BASE's DRAM rows stay. The name is
** "BASE,OVER"; grid rows of BASE are reloaded from BASE's folder; OVER's imported actions
** are kept. qaCostTableLoad("A,B") loads A and B and layers B over A (more names layer in
** order). Errors: QA_EUSER if BASE is normalised and OVER is not (or the other way round),
** or if the result fails qaCostTableFinish; QA_EINTERNAL on allocation failure. *out is
** owned by the caller; BASE and OVER are not changed. */
int qaCostTableOverlay(const QaCostTable *base, const QaCostTable *over, QaCostTable **out, QaErr *err);

/* Import an Accelergy ERT (energy per action) and optionally its ART (area) as a cost
** table (accelergy.c). ART_PATH may be NULL. Components map onto classes by name and
** actions by name (models/README.md lists both); a component or action that cannot be
** mapped is a QA_EUSER error naming it, its line and what is mappable. Every imported
** action is also kept as a QaCostRaw. *out is owned by the caller. */
int qaCostAccelergyLoad(const char *ert_path, const char *art_path, QaCostTable **out, QaErr *err);

/* Destroy a table; NULL is a no-op. */
void qaCostTableDestroy(QaCostTable *t);

/* ---- Building a table in code (the loaders use these) -------------------------------- */

/* Create an empty table. NAME is shown in listings, PATH (may be NULL) prefixes error
** messages; NORMALIZED says energies are multiples of one MAC rather than pJ. Returns
** NULL and sets QA_EINTERNAL on allocation failure. Owned by the caller. */
QaCostTable *qaCostTableCreate(const char *name, const char *path, int normalized, QaErr *err);

/* Add a copy of *ROW (its source string is copied too). Checks the class, the action
** for that class, the widths and capacity the class needs, non-negative values and
** duplicates; returns QA_EUSER "path:line: field 'f': ..." on a bad row. A grid row
** (row->grid set) loads that grid from <dir of the table file>/<grid>/ (or from
** <data dir>/models/tables/<grid>/ for a table without a file) once per table; a grid that
** does not load is a QA_EUSER naming the row and the grid's own file:line. */
int qaCostTableAddRow(QaCostTable *t, const QaCostRow *row, QaErr *err);

/* Add a copy of *RAW to the imported-action list. QA_EINTERNAL on allocation failure. */
int qaCostTableAddRaw(QaCostTable *t, const QaCostRaw *raw, QaErr *err);

/* Check the table as a whole once all rows are in: not empty; a width-independent row is
** the only one of its class and action; one row per width, a*b product or capacity;
** costs never decrease with width or capacity; a grid row is the only row of its class
** and the table is not normalised. QA_EUSER naming file, line and field. */
int qaCostTableFinish(QaCostTable *t, QaErr *err);

/* ---- Inspecting ---------------------------------------------------------------------- */

const char *qaCostTableName(const QaCostTable *t); /* e.g. "horowitz45" */
/* The table's identity: SHA-256 (64 hex digits) of its content - every row with all its
** fields and source text, every imported action, and the content of every memory grid it
** prices from (qaMemGridId) - set by qaCostTableFinish. Two tables with the same rows have
** the same id whatever their file names; a table whose numbers or sources differ has
** another. Comments, blank lines, column order and line numbers do not count. Owned by t. */
const char *qaCostTableId(const QaCostTable *t);
const char *qaCostTablePath(const QaCostTable *t);       /* the file it came from, or "" */
int qaCostTableIsNormalized(const QaCostTable *t);       /* 1 if energies are multiples of a MAC */
const char *qaCostTableEnergyUnit(const QaCostTable *t); /* "pJ" or "MAC" */
int qaCostTableRowCount(const QaCostTable *t);
const QaCostRow *qaCostTableRow(const QaCostTable *t, int i); /* NULL if out of range; owned by t */
int qaCostTableRawCount(const QaCostTable *t);
const QaCostRaw *qaCostTableRaw(const QaCostTable *t, int i); /* NULL if out of range; owned by t */
/* 1 if the table has any row of class CLS. */
int qaCostTableHasClass(const QaCostTable *t, const char *cls);
/* The memory grid that prices class CLS ("sram" / "edram") in this table, or NULL if the
** class is priced from point rows (or absent). Owned by t. */
const QaMemGrid *qaCostTableMemGrid(const QaCostTable *t, const char *cls);

/* Calibration scales (class `scale`, one width-independent row per instance, energy_unit
** "x"): a factor the composition multiplies a category of prices by - instance
** memory_energy / memory_area (components of category memory: on-chip SRAM, eDRAM,
** register banks), logic_energy / logic_area (every other on-chip component: datapath,
** accumulation, registers), leakage (every on-chip leakage figure). DRAM is never scaled. */
typedef enum QaCostScaleKind {
  QA_SCALE_MEMORY_ENERGY = 0,
  QA_SCALE_MEMORY_AREA,
  QA_SCALE_LOGIC_ENERGY,
  QA_SCALE_LOGIC_AREA,
  QA_SCALE_LEAKAGE,
  QA_SCALE_COUNT
} QaCostScaleKind;

/* The factor of scale KIND in table T into *factor (1 if the table has no such row) and its
** row's status into *status (QA_COST_VERIFIED if none; may be NULL). Returns the row, or
** NULL if there is none. */
const QaCostRow *qaCostScale(const QaCostTable *t, QaCostScaleKind kind, double *factor,
                             QaCostStatus *status);
const char *qaCostScaleName(QaCostScaleKind kind); /* "memory_energy", ... */

/* "verified" / "derived" / "calibrated" / "extrapolated" / "assumed" */
const char *qaCostStatusName(QaCostStatus s);
const char *qaCostActionName(QaCostAction a); /* "op" / "read" / "write" / "access" */

/* The names of the tables in <data dir>/models/tables (see qaCostTableLoad), sorted and
** comma-separated, into OUT[CAP] ("none" if there are none). */
void qaCostTableNames(char *out, size_t cap);

/* Write the table as a CSV file every loader reads back to the same rows (and so the same
** qaCostTableId): a header with every column, one line per row with its source; a grid
** row names its grid, which must sit beside the file written. HEADER (may be NULL) is
** written first as '#' comment lines. QA_EINTERNAL if writing fails. */
int qaCostTableWriteCsv(const QaCostTable *t, const char *header, FILE *fp, QaErr *err);

/* Print the table for `qasim costs`: a header naming the table and its units, one line
** per row (class, action, widths, capacity, energy, area, status, source), the imported
** Accelergy actions if any, then how each composite is priced. Returns QA_OK, or
** QA_EINTERNAL if writing fails. */
int qaCostTablePrint(const QaCostTable *t, FILE *fp, QaErr *err);

/* ---- Pricing primitives ---------------------------------------------------------------
** Each fills *out (energy per action, area) and returns QA_OK, or QA_EUSER naming the
** class when the table cannot price it (no such rows, a width outside what the class
** allows, several named instances of a class). Pure functions of the table. */

/* Any primitive by class name: CLS as in a table row; BITS_B is used by int_mult/int_mac,
** CAPACITY_BYTES by sram/edram/regfile. */
int qaCostPrimitive(const QaCostTable *t, const char *cls, QaCostAction action, int bits_a, int bits_b,
                    int64_t capacity_bytes, QaCost *out, QaErr *err);

/* Integer adder of BITS-wide operands (linear in width). */
int qaCostIntAdd(const QaCostTable *t, int bits, QaCost *out, QaErr *err);
/* Integer multiplier A_BITS x W_BITS (power law in a*w through the table points). */
int qaCostIntMult(const QaCostTable *t, int a_bits, int w_bits, QaCost *out, QaErr *err);
/* Multiply-accumulate: the table's int_mac rows if it has any, else
** int_mult(a, w) + accumulator(acc_bits) (acc_bits <= 0 means a_bits + w_bits). */
int qaCostIntMac(const QaCostTable *t, int a_bits, int w_bits, int acc_bits, QaCost *out, QaErr *err);
/* Floating-point adder / multiplier of BITS = 16 or 32. */
int qaCostFpAdd(const QaCostTable *t, int bits, QaCost *out, QaErr *err);
int qaCostFpMult(const QaCostTable *t, int bits, QaCost *out, QaErr *err);
/* A BITS-wide register, per clocked update (linear in width). */
int qaCostReg(const QaCostTable *t, int bits, QaCost *out, QaErr *err);
/* A BITS-wide accumulator: int_add(bits) + reg(bits), per accumulation. */
int qaCostAccumulator(const QaCostTable *t, int bits, QaCost *out, QaErr *err);
/* One ACCESS_BITS-wide access to an on-chip memory of class CLS ("sram", "edram" or
** "regfile") of CAPACITY_BYTES. READ/WRITE fall back to ACCESS rows and ACCESS to READ.
** A class priced from a grid takes the grid's price (memcost.h: the cheapest organisation
** of side-by-side macros; ACCESS is a read); its status is the grid's (derived inside the
** grid, extrapolated outside) or the row's if that is weaker. */
int qaCostMem(const QaCostTable *t, const char *cls, QaCostAction action, int access_bits,
              int64_t capacity_bytes, QaCost *out, QaErr *err);
/* One BITS-wide DRAM access (energy linear in bits). TYPE is the part after "dram_"
** ("lpddr4", "ddr3", "hbm2", "gddr5", ...); NULL or "" picks the table's only DRAM class
** (an error listing the types if there are several). Divide by bits for pJ/bit. */
int qaCostDram(const QaCostTable *t, const char *type, QaCostAction action, int bits, QaCost *out,
               QaErr *err);
/* Moving BITS bits to a neighbouring PE (class noc, linear in bits). */
int qaCostNoc(const QaCostTable *t, int bits, QaCost *out, QaErr *err);

/* ---- Composites (priced from the primitives; see models/README.md) ------------------- */

/* Exponent adder of BITS bits: an int adder of that width. */
int qaCostExpAdder(const QaCostTable *t, int bits, QaCost *out, QaErr *err);
/* An array of N_GATES 2-input AND gates evaluated together (a bit-serial x bit-parallel
** product row), an AND2 gate priced as 1/4 of one bit-slice of the 8-bit int adder
** (assumed, as in the decoder); energy per evaluation of the whole array. */
int qaCostAndGates(const QaCostTable *t, int n_gates, QaCost *out, QaErr *err);
/* One-hot decoder with N_OUTPUTS outputs: N x max(1, ceil(log2 N) - 1) 2-input AND
** gates, an AND gate priced as 1/4 of one bit-slice of the 8-bit int adder (assumed). */
int qaCostOneHotDecoder(const QaCostTable *t, int n_outputs, QaCost *out, QaErr *err);
/* Histogram counter bank: N_POSITIONS counters of COUNTER_BITS, each an int adder plus a
** register of that width; energy per bank-wide update (every counter incremented). */
int qaCostHistogram(const QaCostTable *t, int n_positions, int counter_bits, QaCost *out, QaErr *err);
/* Barrel shifter of WIDTH_BITS shifting by 0..RANGE-1 positions: ceil(log2 RANGE) stages
** of WIDTH_BITS 2:1 multiplexers, a multiplexer priced as 1/2 of one 8-bit adder bit-slice
** (assumed). RANGE 1 is a wire (zero cost). */
int qaCostShifter(const QaCostTable *t, int width_bits, int range, QaCost *out, QaErr *err);
/* Adder tree reducing N_INPUTS operands of IN_BITS: N-1 int adders, level l (1-based)
** of adders IN_BITS + l - 1 bits wide. One input is a wire (zero cost). */
int qaCostAdderTree(const QaCostTable *t, int n_inputs, int in_bits, QaCost *out, QaErr *err);

/* A named instance of an imported table (e.g. "weights_spad" from an Accelergy ERT),
** priced per action whatever its width. QA_EUSER naming the instance if there is none,
** listing the instances. */
int qaCostInstance(const QaCostTable *t, const char *instance, QaCostAction action, QaCost *out, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_COSTS_H */
