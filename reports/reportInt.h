/*
** reportInt.h - what the files of the reports module share (private to reports/).
**
** data.c reads the store (store/store.h, inside one read snapshot) into a Report: the
** design points that pass the filter, grouped by workload (Group: one per workload_id)
** and by configuration (Series: one per config_id - a design point minus its workload),
** the point of each (group, series) cell, the baseline series, and per point its
** energy per inference by component class and its SQNR. label.c names series by what
** differs between them. render.c writes every figure (CSV, SQL, gnuplot script) and runs
** gnuplot; html.c writes index.html. qaReportWrite (render.c) drives them.
*/
#ifndef QA_REPORT_INT_H
#define QA_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "reports/report.h"
#include "store/store.h"

#define LABEL_MAX 256
#define TAG_MAX 96
#define ATTR_MAX 64

/* The attributes that describe a configuration, in display order: the architecture's
** parameters (from its stored config text), then bits, quantizers, encoder, seed,
** synthetic-value options, timing, verification, cost table, tool version. */
typedef struct Attrs {
  int n;
  char *key[ATTR_MAX]; /* owned: a parameter name, or one of the ATTR_* names below */
  char *val[ATTR_MAX]; /* owned */
  int is_param[ATTR_MAX];
} Attrs;

/* Attribute names besides the parameters (what legends print). */
#define ATTR_BITS "bits"
#define ATTR_COSTS "costs"

/* A workload: the points with one workload_id. */
typedef struct Group {
  char *key;             /* owned: workload_id, or name+hash for a run without one */
  const char *name;      /* borrowed from its first point */
  char label[LABEL_MAX]; /* the name, plus " #abc123" when two workloads share it */
  char tag[TAG_MAX];     /* file-name-safe label */
} Group;

/* A configuration: the points with one config_id (a design point minus its workload). */
typedef struct Series {
  char *key;  /* owned: config_id, or "run N" for a run without one */
  int point0; /* its first (lowest run_id) point: the attributes come from it */
  Attrs attrs;
} Series;

/* What a figure is drawn from, kept for the index. */
typedef struct FigPoints {
  int *pt; /* point indices */
  int n;
  char common[LABEL_MAX * 2]; /* what all its series share, e.g. "costs=horowitz45 timing=lt" */
} FigPoints;

typedef struct Report {
  QaStore *store;             /* borrowed; read inside one snapshot */
  const QaReportOptions *opt; /* never NULL */
  QaReportSummary *sum;
  int max_series;
  /* the points (data.c) */
  QaPoint *pt;
  int n_pt;
  char *points_sql; /* the statement that selected them, values filled in */
  int *pt_grp, *pt_ser;
  Group *grp;
  int n_grp;
  Series *ser;
  int n_ser;
  int *cell;    /* n_grp x n_ser point index, -1 = none: see CELL */
  char **archs; /* distinct architectures, sorted */
  int n_archs;
  /* the baseline */
  int base;                   /* series, -1 if none */
  char base_label[LABEL_MAX]; /* as figures name it, e.g. "dadiannao 16b" */
  /* per point */
  double *cat_pj;  /* n_pt x QA_CAT_COUNT: energy per inference by class (pJ); NAN: not priced */
  double *weak;    /* n_pt: share of the energy on assumed or extrapolated cost rows (0..1) */
  double *sqnr_db; /* n_pt: MAC-weighted SQNR of the layers (dB); NAN: none */
  int n_other;     /* points with energy of components their architecture does not name */
  /* per figure written (parallel to sum->figures) */
  FigPoints *fig;
} Report;

#define CELL(r, g, s) ((r)->cell[(size_t)(g) * (size_t)(r)->n_ser + (size_t)(s)])

/* ---- data.c */

/* Read the points of the filter into r and derive groups, series, cells, archs, energy
** by class and SQNR. QA_EUSER when no point passes (naming the filter). */
int reportLoad(Report *r, QaErr *err);
/* Resolve the baseline option (see QaReportOptions.baseline) into r->base. */
int reportBaseline(Report *r, QaErr *err);
void reportFree(Report *r); /* everything r owns; r->sum is left alone */

/* ---- label.c */

/* Fill s->attrs from point P. */
int reportAttrs(const QaPoint *p, Attrs *a, QaErr *err);
void reportAttrsFree(Attrs *a);
const char *reportAttr(const Attrs *a, const char *key); /* its value, or NULL */

/* Name each of the N series SER[] (indices into r->ser) by what differs between them:
** the architecture, then every attribute whose value differs among the listed series of
** the same architecture, except the keys in IGNORE (NULL-terminated, may be NULL; e.g.
** the bits on a bits axis), then SUFFIX[i] if SUFFIX is given (NULL entries: none).
** Labels that would still coincide get " #" and the first
** digits of the series key. out[i] gets the label of SER[i]. COMMON (may be NULL, of
** CAP bytes) gets what every listed series shares (bits, quantizers, ...). */
void reportLabels(const Report *r, const int *ser, int n, const char *const *ignore,
                  const char *const *suffix, char (*out)[LABEL_MAX], char *common, size_t cap);

/* A colour that no other index of the same figure gets: "#rrggbb" into out[8]. */
void reportColor(int i, char out[8]);
/* The colour of component class C (QaCategory). */
const char *reportCategoryColor(int c);
/* "datapath", "accumulation", "registers", "on-chip memory", "DRAM", "static". */
const char *reportCategoryLabel(int c);

/* ---- html.c */

/* Write <out_dir>/index.html: the figures with captions and their files, the notes, the
** per-architecture totals and the design points behind each figure. */
int reportWriteIndex(Report *r, const char *out_dir, QaErr *err);

/* ---- shared helpers (data.c) */

int reportNote(Report *r, QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
char *reportStrDup(const char *s, QaErr *err);
void reportAppendf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* A file-name-safe form of a name ([A-Za-z0-9._-], anything else '_'). */
void reportMakeTag(const char *name, char *tag, size_t cap);
/* Energy per inference of point i in microjoules, NAN if not priced. */
double reportEnergyUj(const Report *r, int i);
/* The speedup of point i over the baseline in its group, in time (cycles = 0) or cycles
** (cycles = 1); NAN without a baseline point there. */
double reportSpeedup(const Report *r, int i, int cycles);

#endif /* QA_REPORT_INT_H */
