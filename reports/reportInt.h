/*
** reportInt.h - what the two halves of the reports module share (private to reports/).
**
** data.c reads the store (store/store.h) into a Report: the newest run of each
** (config, workload) pivoted into a matrix of cells, the energy per (cell, component)
** of one cost label, and per plot the table it draws (LayersTable, RatioTable,
** BitsTable, EnergyTable). It decides what can be plotted and adds a note to the
** summary for every plot it skips. render.c turns each table into <name>.dat and
** <name>.gp, writes style.gp, runs gnuplot and keeps the summary; qaReportPlots
** (render.c) drives both. Neither file knows the other's internals beyond this header.
*/
#ifndef QA_REPORT_INT_H
#define QA_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "reports/report.h"
#include "store/store.h"

#define LABEL_MAX 256
#define TAG_MAX 128

/* One configuration: runs of it on different workloads share its column and colour. */
typedef struct Config {
  char *arch, *quant_a, *quant_w, *timing; /* owned; "" if not recorded */
  int a_bits, w_bits;                      /* bits */
  int is_base;                             /* the speedup/efficiency baseline config */
  char extra[LABEL_MAX];                   /* disambiguating suffix, often "" */
  char label[LABEL_MAX];                   /* "stripes a8/w8" + extra */
} Config;

typedef struct Workload {
  char *name;        /* owned */
  char tag[TAG_MAX]; /* file-name-safe form, unique among the workloads */
} Workload;

/* The newest run of one (workload, config). */
typedef struct Cell {
  int64_t run_id;   /* 0 = no run */
  int64_t n_cycles; /* total cycles of the run */
  double energy_pj; /* total energy of the run (the plotted costs) */
  double weak_pj;   /* the part priced from assumed or extrapolated cost rows */
  int has_energy;   /* 1 if the run has energy rows with the plotted costs */
} Cell;

typedef struct Report {
  /* inputs (set by the caller of reportLoadRuns) */
  QaStore *store;        /* borrowed; read inside one snapshot */
  const char *base_arch; /* speedup/efficiency baseline */
  int base_a, base_w;    /* its bits */
  QaReportSummary *sum;  /* counts and notes go here */
  /* the pivot (reportLoadRuns): configs in plot order, workloads by name */
  Config *cfg;
  int n_cfg;
  Workload *wl;
  int n_wl;
  Cell *cell; /* n_wl x n_cfg, see CELL */
  /* energy (reportLoadEnergy) */
  char *costs; /* the plotted cost label; NULL when there are no energy plots */
  char **comp; /* components of that label over the plotted runs, sorted */
  int n_comp;
  double *comp_pj;         /* n_wl x n_cfg x n_comp energy_pj, see COMPIDX; 0 when absent */
  unsigned char *comp_has; /* same shape: 1 if the component has a value */
} Report;

#define CELL(c, w, j) ((c)->cell[(size_t)(w) * (size_t)(c)->n_cfg + (size_t)(j)])
#define COMPIDX(c, w, j, k) \
  (((size_t)(w) * (size_t)(c)->n_cfg + (size_t)(j)) * (size_t)(c)->n_comp + (size_t)(k))

/* layers-<workload>: n_cycles of every layer (rows) for every config with a run (columns). */
typedef struct LayerRow {
  int64_t layer_idx;
  char *name; /* owned */
  int64_t *v; /* n_cols n_cycles, -1 = the run has no such layer */
} LayerRow;

typedef struct LayersTable {
  int w;     /* workload */
  int *cols; /* configs with a run on w */
  int n_cols;
  LayerRow *rows; /* by layer_idx; none: the plot is skipped (a note says why) */
  int n_rows;
} LayersTable;

/* speedup (energy = 0: n_cycles) or efficiency (energy = 1: energy_pj):
** value(baseline) / value(config) per workload (rows) and config (columns). */
typedef struct RatioTable {
  int energy;
  int *rows;          /* workloads with a baseline; none: skipped (a note says why) */
  int *base;          /* per row: the baseline config */
  double *base_value; /* per row: the baseline's n_cycles or energy_pj */
  int n_rows;
  int *cols; /* configs with a value in some row */
  int n_cols;
  double *ratio; /* n_rows x n_cols; NAN = no value */
} RatioTable;

/* One line of the bits plot: a workload and arch (quantizers, timing) across a_bits. */
typedef struct Series {
  int w, cfg0; /* workload; first config (for arch, extra) */
  int w_bits;  /* 0 when w_bits == a_bits along the series */
  int variant; /* index of (arch, w_bits, extra) among series: the colour */
  char label[LABEL_MAX];
} Series;

/* bits: total n_cycles against a_bits (rows), one column per series. */
typedef struct BitsTable {
  int *bits; /* distinct a_bits, ascending; fewer than 2: skipped (a note says why) */
  int n_bits;
  Series *ser;
  int n_ser;
  int64_t *v;    /* n_bits x n_ser total n_cycles, -1 = no run */
  double lo, hi; /* smallest and largest positive total n_cycles of any cell (0: none) */
} BitsTable;

/* energy-<workload>: energy_pj per config (rows) stacked by component (columns). */
typedef struct EnergyTable {
  int w;     /* workload */
  int *rows; /* configs with energy on w; none: skipped (a note says why) */
  int n_rows;
  int *cols; /* components with a value in some row */
  int n_cols;
} EnergyTable;

/* ---- data.c */

/* Read the newest finished run of each (config, workload) into r (cfg, wl, cell; the
** summary's n_runs, n_configs, n_workloads). No runs is not an error here: n_runs is 0. */
int reportLoadRuns(Report *r, QaErr *err);
/* Choose the cost label (want_costs, or the one covering most plotted runs; ties: the
** first alphabetically) and read its energy per (cell, component). *have = 0 when there
** is nothing to plot (a note says why). QA_EUSER if want_costs has no rows for the
** plotted runs. */
int reportLoadEnergy(Report *r, const char *want_costs, int *have, QaErr *err);
void reportFree(Report *r); /* everything r owns; r->sum is left alone */

/* Build the table of one plot; free it with the matching reportXxxTableFree, also after
** an error. A table without rows means the plot is skipped (the note is added here). */
int reportLayersTable(Report *r, int w, LayersTable *t, QaErr *err);
int reportRatioTable(Report *r, int energy, RatioTable *t, QaErr *err);
int reportBitsTable(Report *r, BitsTable *t, QaErr *err);
int reportEnergyTable(Report *r, int w, EnergyTable *t, QaErr *err);
void reportLayersTableFree(LayersTable *t);
void reportRatioTableFree(RatioTable *t);
void reportBitsTableFree(BitsTable *t);
void reportEnergyTableFree(EnergyTable *t);

/* "dadiannao a16/w16": the baseline as plots and notes name it. */
void reportBaseLabel(const Report *r, char *buf, size_t cap);
/* Append a note (one line) to r->sum. */
int reportNote(Report *r, QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A malloc'ed copy of s (NULL reads as ""); NULL and *err set when out of memory. */
char *reportStrDup(const char *s, QaErr *err);
/* Append formatted text to buf[cap], truncating silently. */
void reportAppendf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif /* QA_REPORT_INT_H */
