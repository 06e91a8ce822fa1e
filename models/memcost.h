/*
** memcost.h - on-chip memory costs (SRAM, eDRAM) from a grid of CACTI runs: energy per read
** and per write, area, leakage and timing of a memory of any capacity and access width.
**
** A grid is a directory such as models/tables/cacti45/ holding <name>.csv (one CACTI run per
** memory type, capacity and access width; failed points listed as failed) and
** <name>_edram_writefix.csv (the eDRAM grid rerun with CACTI's eDRAM write-energy bug
** patched; eDRAM writes come only from it, never from the stock write_pJ column). The
** provenance, every config setting and the caveats are in that directory's README.md.
**
** Pricing a query {kind, capacity C, access width W, banks} (qaMemCostPrice):
**   Organisation. A W-bit row is built from k side-by-side macros (k a power of two
**     dividing W), each of C/k bytes and W/k bits, all accessed together: energy per access
**     = k * E(C/k, W/k), area = k * A, leakage = k * L; access and cycle time are one
**     macro's. With banks = 0 the rule chooses k among 1 and every k with W/k >= the grid's
**     narrowest width (16 bits) and C/k >= its smallest capacity (512 B): the least read
**     energy wins (ties: the least area, then the smaller k), and an organisation whose macro
**     lies inside the grid is always preferred to one that needs a gap fill or an
**     extrapolation. banks = k forces that organisation.
**   One macro inside the grid: exact at a grid point; between points, bilinear interpolation
**     of log(value) over log(capacity) and log(width) between the neighbouring points (read,
**     write, area, leakage, access and cycle time alike). Status derived (computed by CACTI,
**     not measured).
**   A gap (a neighbouring point CACTI failed on: arrays of 16 words or fewer, e.g. 512 B x
**     256 bits): the macro is priced as the smallest array of the same width that CACTI
**     could organise (the next grid capacity up whose neighbours are all valid) - an upper
**     bound. Status extrapolated.
**   Outside the grid (capacity below 512 B or above 32 MiB, width below 16 or above 4096
**     bits): the value at the nearest edge point (capacity and width clamped into the grid,
**     priced as above) times the power-law fit's ratios (C/C_edge)^c * (W/W_edge)^b, with
**     b, c fitted to all valid read energies of that memory type at load (fit.md); the fit's
**     prefactor is replaced by the edge value, so the price is continuous at the edge. The
**     same exponents scale writes. Area and leakage scale linearly in capacity from the edge
**     point (C/C_edge) and do not change with width beyond the edge; timing is the edge
**     point's. Status extrapolated.
**
** Everything is pure and deterministic; errors are QA_EUSER (a bad data file names
** file:line and field) or QA_EINTERNAL, with the message in a caller-owned QaErr.
*/
#ifndef QA_MEMCOST_H
#define QA_MEMCOST_H

#include <stdio.h>

#include "base/qa.h"
#include "models/costs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_MEM_BASIS_MAX 128      /* longest basis text + 1 */
#define QA_MEM_BITS_MAX (1 << 20) /* widest access a query may name */

typedef enum QaMemKind {
  QA_MEM_SRAM = 0,  /* 6T SRAM cells (CACTI itrs-lstp) */
  QA_MEM_EDRAM = 1, /* 1T1C eDRAM cells (CACTI lp-dram); leakage includes refresh */
  QA_MEM_KINDS = 2
} QaMemKind;

/* Where a price comes from, weakest last. */
typedef enum QaMemWhere {
  QA_MEM_AT_GRID = 0,      /* every macro at a grid point (status derived) */
  QA_MEM_INTERPOLATED = 1, /* macro between grid points (derived) */
  QA_MEM_GAP = 2,          /* macro next to a point CACTI failed on: priced as the smallest
                           ** array of its width CACTI organised (extrapolated) */
  QA_MEM_EXTRAPOLATED = 3  /* macro outside the grid: edge value x the fit (extrapolated) */
} QaMemWhere;

typedef struct QaMemQuery {
  QaMemKind kind;
  int64_t capacity_bytes; /* whole memory, >= 1 */
  int access_bits;        /* bits per access, 1..QA_MEM_BITS_MAX */
  int banks;              /* side-by-side macros: 0 = choose, else a power of two dividing
                          ** access_bits, at most capacity_bytes */
} QaMemQuery;

typedef struct QaMemCost {
  double read_pj;               /* one read of access_bits (all macros) */
  double write_pj;              /* one write of access_bits (all macros) */
  double area_um2;              /* all macros */
  double leakage_uw;            /* all macros; eDRAM includes refresh */
  double access_ns;             /* random access time of one macro */
  double cycle_ns;              /* random cycle time of one macro */
  int n_macros;                 /* k */
  double macro_capacity_bytes;  /* C / k */
  int macro_bits;               /* W / k */
  QaMemWhere where;             /* of the macro */
  QaCostStatus status;          /* QA_COST_DERIVED or QA_COST_EXTRAPOLATED */
  char basis[QA_MEM_BASIS_MAX]; /* e.g. "cacti45 sram 2M x 4096b as 64 x 32K x 64b (grid)" */
} QaMemCost;

/* The least-squares power law ln E = ln a + b ln(width_bits) + c ln(capacity_bytes) of the
** read energy (pJ) over every valid grid point of one memory type. */
typedef struct QaMemFit {
  double a;          /* pJ */
  double b_width;    /* exponent of width_bits */
  double c_capacity; /* exponent of capacity_bytes */
  int n_points;
} QaMemFit;

/* The extent of the grid (the same for both memory types). */
typedef struct QaMemRange {
  double min_capacity_bytes, max_capacity_bytes;
  int min_bits, max_bits;
  int n_capacities, n_widths;
} QaMemRange;

typedef struct QaMemGrid QaMemGrid;

/* Load the grid in directory DIR: <DIR>/<name>.csv and, if it has eDRAM rows,
** <DIR>/<name>_edram_writefix.csv, where name is DIR's last component. Columns are found by
** name (mem, capacity_bytes, width_bits, read_pJ, write_pJ, area_mm2, leakage_mW,
** access_ns, cycle_ns, status; others are ignored); status is ok or failed. eDRAM write
** energies come from the write-fix table, whose read_pJ must equal the main table's.
** Returns QA_EUSER "file:line: field 'f': ..." for a bad row (unknown type or status, a
** non-positive or non-numeric value, a duplicate point, a write-fix row without its point or
** with another read energy, an eDRAM point without a write-fix row), or for too few points
** to fit; QA_EINTERNAL on allocation failure. On success *out is owned by the caller
** (qaMemGridDestroy); on error it is NULL. */
int qaMemGridLoad(const char *dir, QaMemGrid **out, QaErr *err);

/* Destroy a grid; NULL is a no-op. */
void qaMemGridDestroy(QaMemGrid *g);

const char *qaMemGridName(const QaMemGrid *g); /* e.g. "cacti45"; owned by g */
const char *qaMemGridDir(const QaMemGrid *g);  /* the directory it came from; owned by g */
/* SHA-256 (64 hex digits) of the bytes of the grid's files as read (the grid, then the
** eDRAM write-fix table if read): the grid's identity in a cost table's (qaCostTableId). */
const char *qaMemGridId(const QaMemGrid *g);
int qaMemGridHas(const QaMemGrid *g, QaMemKind kind); /* 1 if it has valid points of KIND */
void qaMemGridRange(const QaMemGrid *g, QaMemRange *out);
/* The read-energy fit of KIND into *out; QA_EUSER if the grid has no such rows. */
int qaMemGridFit(const QaMemGrid *g, QaMemKind kind, QaMemFit *out, QaErr *err);

/* Price query *Q (see the rules above) into *out. QA_EUSER for a bad query (unknown kind,
** a kind the grid lacks, capacity < 1, width outside 1..QA_MEM_BITS_MAX, banks not a power
** of two dividing the width or above the capacity). Pure. */
int qaMemCostPrice(const QaMemGrid *g, const QaMemQuery *q, QaMemCost *out, QaErr *err);

const char *qaMemKindName(QaMemKind k);   /* "sram" / "edram" */
const char *qaMemWhereName(QaMemWhere w); /* "grid" / "interpolated" / "gap fill" / "extrapolated" */
/* Parse "sram" or "edram" into *out; returns 0 for anything else. */
int qaMemKindParse(const char *s, QaMemKind *out);

/* ---- Comparison with Horowitz's 64-bit SRAM points ------------------------------------- */

#define QA_MEM_HOROWITZ_N 3

/* One of Horowitz's ISSCC 2014 45 nm SRAM points (8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ per
** 64-bit access) against the grid's one-array (banks 1) 64-bit reads. */
typedef struct QaMemCompare {
  int64_t capacity_bytes;
  int access_bits;    /* 64 */
  double horowitz_pj; /* Horowitz ISSCC 2014 */
  double sram_pj;     /* the grid's SRAM read */
  double ratio;       /* sram_pj / horowitz_pj */
  double edram_pj;    /* the grid's eDRAM read; NAN if it has no eDRAM */
} QaMemCompare;

/* Fill out[QA_MEM_HOROWITZ_N] (ascending capacity). QA_EUSER if the grid has no SRAM. */
int qaMemCompareHorowitz(const QaMemGrid *g, QaMemCompare out[QA_MEM_HOROWITZ_N], QaErr *err);

/* Print that comparison as a few '#' comment lines for `qasim costs`. QA_EINTERNAL if
** writing fails. */
int qaMemComparePrint(const QaMemGrid *g, FILE *fp, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_MEMCOST_H */
