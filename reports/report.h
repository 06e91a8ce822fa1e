/*
** report.h - paper-style reports of the results store: gnuplot figures with their data,
** and an HTML index.
**
** qaReportWrite reads the design points of the store (store.h qaStorePoints: the newest
** finished run of each identity, filtered) and writes into an output directory, per
** figure NAME: NAME.csv (the data drawn), NAME.sql (the queries that produced it and
** what was computed from them), NAME.gp (the gnuplot script), NAME.png and NAME.pdf
** (pngcairo / pdfcairo), plus style.gp (the shared look) and index.html. The figures:
**   speedup-time     speedup over the baseline design point per network, each design at
**                    its own clock (time_s), grouped bars, one group per network plus
**                    the geometric mean
**   speedup-cycles   the same in cycles
**   energy-breakdown energy per inference by component class (datapath, accumulation,
**                    registers, on-chip memory, DRAM, static) as stacked bars normalised
**                    to the baseline's total, one panel per network
**   bits-energy      energy per inference against bit-width per architecture (design
**   bits-speedup     point minus bits), and speedup against bit-width; a panel per network
**   layers-NET       cycles per layer of one network across a few design points
**   area             chip area per design by component class (mm^2), stacked bars
**   energy-sqnr      energy per inference against quantization SQNR (dB) with the Pareto
**                    front marked, a panel per network
** A series of a figure is a design point minus the figure's own axes (the network, or
** the bits), and is named by what differs between the series of that figure (e.g.
** "laconic sync=pe"): distinct design points are never merged; a colour is never reused
** within a figure; a figure with more than max_series series is split into panels (per
** architecture) and gets a note when one panel still has too many. A figure without data
** gets a note in the index, not an error.
** Files: data.c (points, series, baseline, figure tables), label.c (names by difference),
** render.c (CSV, SQL, gnuplot), html.c (index.html), reportInt.h (what they share).
*/
#ifndef QA_REPORT_H
#define QA_REPORT_H

#include <stdio.h>

#include "base/qa.h"
#include "store/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_REPORT_MAX_SERIES 12 /* series in one panel before it is split or warned about */

typedef struct QaReportOptions {
  QaPointFilter filter;             /* which design points (store.h); zeroed = all */
  const char *baseline;             /* "ARCH@BITS[,param=value...]" (BITS: N or A/W); NULL: "dadiannao@16" */
  int baseline_required;            /* 1 (the user gave it): no or several matches are errors */
  const char *profile_net;          /* network of the layers figure; NULL: the one with the most points */
  const char *const *profile_archs; /* architectures of the layers figure; NULL: a few chosen */
  int n_profile_archs;
  int max_series;       /* 0: QA_REPORT_MAX_SERIES */
  int no_render;        /* 1: write the .csv/.sql/.gp files and the index only */
  const char *gnuplot;  /* gnuplot executable; NULL: "gnuplot" on PATH */
  const char *db_label; /* how the index names the database (e.g. its path); NULL: not named */
} QaReportOptions;

/* One figure of a report. Strings owned by the summary. */
typedef struct QaReportFigure {
  char *name;    /* file stem, e.g. "speedup-time" */
  char *title;   /* one line */
  char *caption; /* one line: what it shows */
  char *note;    /* why it was not drawn, or a warning; NULL if none */
  int drawn;     /* 1 if its data and script were written */
  int rendered;  /* 1 if gnuplot wrote NAME.png and NAME.pdf */
  int n_series;  /* series drawn */
  int n_points;  /* design points behind it */
} QaReportFigure;

/* What qaReportWrite did. Zero it before the call; release with qaReportSummaryClear
** (also after an error). */
typedef struct QaReportSummary {
  char *out_dir;  /* as given */
  char *index;    /* <out_dir>/index.html, or NULL if not written */
  int n_points;   /* design points reported */
  int n_archs;    /* distinct architectures among them */
  int n_networks; /* distinct workloads */
  char *baseline; /* the baseline design point as named in the figures, or NULL */
  int n_figures;
  QaReportFigure *figures;
  int n_notes;
  char **notes; /* one line each: warnings and figures not drawn */
} QaReportSummary;

/* Write the report of store ST into OUT_DIR (created like mkdir -p). ST is only read,
** inside one read snapshot. Errors (message in *err):
**   QA_EUSER  no design points pass the filter (naming the filter), a bad --where, a
**             baseline the user gave that matches no design point (the message lists the
**             ones that exist) or several, OUT_DIR cannot be created or written, gnuplot
**             not installed ("apt-get install gnuplot-nox"; the data, scripts and index
**             are written first);
**   QA_EINTERNAL  an SQL error, out of memory, gnuplot failing on a script. */
int qaReportWrite(QaStore *st, const char *out_dir, const QaReportOptions *opt, QaReportSummary *out,
                  QaErr *err);

/* Print what was written: the index, one line per figure, the notes. */
void qaReportPrintSummary(const QaReportSummary *s, FILE *out);
void qaReportSummaryClear(QaReportSummary *s); /* NULL is a no-op */

/* The parameters of a stored architecture config (qaCfgToYaml text) that differ from
** the architecture's defaults, as "name=value name=value" into buf ("" if none, or if
** the architecture is unknown to this build: then "config HASH"). */
void qaReportConfigDiff(const char *arch, const char *arch_config, char *buf, size_t cap);

/* The component class (QaCategory, arch/hw.h) of component COMPONENT of architecture
** ARCH as the architecture's component table gives it; "static" is QA_CAT_STATIC; -1 if
** the architecture or the component is unknown to this build. */
int qaReportComponentCategory(const char *arch, const char *component);

#ifdef __cplusplus
}
#endif
#endif /* QA_REPORT_H */
