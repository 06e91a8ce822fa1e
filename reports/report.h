/*
** report.h - paper-style plots of the results store, drawn with gnuplot.
**
** qaReportPlots reads the results store (store/store.h), keeps the newest finished run
** of each configuration (arch, workload, a_bits, w_bits, quant_a, quant_w, timing)
** and writes, into an output directory:
**   layers-<workload>  n_cycles per layer, bars grouped by config (arch + bits)
**   speedup            n_cycles(baseline) / n_cycles(config), clusters per workload;
**                      the baseline is dadiannao at a16/w16 unless told otherwise
**   bits               total n_cycles vs a_bits, one line per architecture
**                      (only when runs at two or more a_bits exist)
**   energy-<workload>  energy_pj per config stacked by component   } only when the
**   efficiency         energy_pj(baseline) / energy_pj(config)       } plotted runs
**                                                                      were priced
** Every plot is three files next to each other: <name>.dat (whitespace columns,
** '#' header comments, quoted labels), <name>.gp (the gnuplot script) and
** <name>.png. The scripts `load 'style.gp'` (also written to the directory), the one
** place that holds the shared look, and use paths relative to the directory: re-run
** one by hand with `cd <out_dir> && gnuplot <name>.gp`.
** Plots whose inputs are missing are skipped, with a one-line note in the summary.
** Files: data.c (what to plot, from the store's typed queries), render.c (the files,
** gnuplot, the summary), reportInt.h (what they share).
*/
#ifndef QA_REPORT_H
#define QA_REPORT_H

#include <stdio.h>

#include "base/qa.h"
#include "store/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options; a zeroed struct (or a NULL pointer) means all defaults. */
typedef struct QaReportOptions {
  int log_y;                 /* 1: logarithmic y axis on the layers and bits plots */
  int no_render;             /* 1: write .dat/.gp only, do not run gnuplot */
  const char *gnuplot;       /* gnuplot executable; NULL = "gnuplot" found on PATH */
  const char *baseline_arch; /* speedup/efficiency baseline; NULL = "dadiannao" */
  int baseline_a_bits;       /* baseline activation width in bits; 0 = 16 */
  int baseline_w_bits;       /* baseline weight width in bits; 0 = 16 */
  const char *costs;         /* energy.costs value to plot; NULL = the one covering
                                most plotted runs (ties: alphabetical first) */
} QaReportOptions;

/* One plot written by qaReportPlots. All strings owned by the summary. */
typedef struct QaReportPlot {
  char *name;     /* e.g. "layers-alexnet" (file stem, sanitised) */
  char *title;    /* the plot title */
  char *dat_path; /* <out_dir>/<name>.dat */
  char *gp_path;  /* <out_dir>/<name>.gp */
  char *png_path; /* <out_dir>/<name>.png (exists only if rendered) */
  int rendered;   /* 1 if gnuplot produced png_path */
} QaReportPlot;

/* What qaReportPlots did. Zero-initialise or let qaReportPlots do it; release the
** contents with qaReportSummaryClear (also after an error: it may be partly filled). */
typedef struct QaReportSummary {
  char *out_dir;        /* the output directory, as given */
  char *style_path;     /* <out_dir>/style.gp, or NULL if not written */
  const char *terminal; /* gnuplot terminal used: "pngcairo" or "png" (static) */
  int n_runs;           /* runs plotted (newest of each config and workload) */
  int n_configs;        /* distinct (arch, a_bits, w_bits, quant, timing) */
  int n_workloads;      /* distinct workloads */
  int n_plots;
  QaReportPlot *plots; /* n_plots entries, in the order written */
  int n_notes;
  char **notes; /* one line each: plots skipped or choices made, and why */
} QaReportSummary;

/* Write the plots of the results store st into out_dir (created like `mkdir -p` if
** missing). st is borrowed and only read, inside one read snapshot (qaStoreBeginRead);
** no run may be begun on it meanwhile (a run already open is seen as unfinished). opt
** may be NULL. out (may be NULL) receives what was written.
** Errors (message in *err):
**   QA_EUSER  st is NULL, the store has no finished runs, out_dir cannot be created or
**             written (the message names the path), opt->costs names no energy rows,
**             or gnuplot is not installed ("gnuplot not found; install it with:
**             apt-get install gnuplot-nox" - the .dat and .gp files are still written
**             and listed in *out); a store error of the environment (busy, I/O);
**   QA_EINTERNAL  an SQL error (message has the SQL), out of memory, or gnuplot
**             exited with an error (message has the script and gnuplot's first line). */
int qaReportPlots(QaStore *st, const char *out_dir, const QaReportOptions *opt, QaReportSummary *out,
                  QaErr *err);

/* Print a short text summary of *s to out: the directory, one line per plot (png,
** title, whether rendered), the shared style file, and the notes. */
void qaReportPrintSummary(const QaReportSummary *s, FILE *out);

/* Free everything *s owns and zero it. NULL is a no-op. */
void qaReportSummaryClear(QaReportSummary *s);

#ifdef __cplusplus
}
#endif
#endif /* QA_REPORT_H */
