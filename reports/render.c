/*
** render.c - the report as files (see report.h): every figure's data (NAME.csv), the
** queries behind it (NAME.sql) and its gnuplot script (NAME.gp), the shared style.gp,
** gnuplot run on each script for NAME.png and NAME.pdf, and qaReportWrite driving it all.
**
** Everything is read from the store first (data.c, one read snapshot), then every CSV,
** SQL and script is written, then index.html (html.c), and only then is gnuplot run: a
** missing gnuplot still leaves the data, the scripts and the index behind. Scripts use
** paths relative to the output directory and load style.gp; `gnuplot NAME.gp` makes the
** PNG and `gnuplot -e "qa_out='pdf'" NAME.gp` the PDF.
**
** CSV fields are plain text: labels never hold a comma, a quote or a line break (they are
** replaced by ';', ''' and ' '), missing numbers are NaN. A figure's rows for one panel
** or one series are contiguous, and its script selects them with `every ::FIRST::LAST`.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/outfile.h"
#include "models/energy.h"
#include "reports/reportInt.h"

#define PROC_OUT_MAX 4096
#define PANEL_H 330 /* pixels per panel */

/* The shared look of every figure, written as style.gp. */
static const char kStyle[] =
    "# style.gp - the shared look of every qasim report figure (written by qasim report).\n"
    "# Every NAME.gp here loads it after choosing its terminal: edit it to restyle all\n"
    "# figures, then re-run one from this directory: gnuplot NAME.gp (PNG) or\n"
    "# gnuplot -e \"qa_out='pdf'\" NAME.gp (PDF).\n"
    "set encoding utf8\n"
    "set datafile separator ','\n"
    "set datafile missing 'NaN'\n"
    "set border 3 lw 1 lc rgb '#404040'\n"
    "set tics nomirror out scale 0.6\n"
    "set grid ytics lt 1 lw 1 lc rgb '#dddddd'\n"
    "set grid back\n"
    "set key outside right top vertical Left reverse samplen 2 spacing 1.1 width 1 box lc rgb '#bbbbbb'\n"
    "set title font ',11'\n"
    "set style fill solid 0.9 border lc rgb '#303030'\n"
    "set boxwidth 0.85 relative\n"
    "set offsets 0, 0, graph 0.05, 0\n";

typedef struct Out {
  Report *r;
  const char *dir;
  const char *gnuplot;
} Out;

/* ---------------------------------------------------------------- small helpers */

static char *fmtStr(QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static char *fmtStr(QaErr *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    qaErrSet(err, QA_EINTERNAL, "formatting failed");
    return NULL;
  }
  char *p = qaMalloc((size_t)n + 1, err);
  if (!p) return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

/* A label as a CSV field: ',' -> ';', '"' -> '\'', control characters -> ' '. */
static void csvText(FILE *f, const char *s) {
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    fputc(ch == ',' ? ';' : ch == '"' ? '\'' : ch < 0x20 ? ' ' : ch, f);
  }
}

static void csvNum(FILE *f, double v) {
  if (isnan(v) || isinf(v))
    fputs(",NaN", f);
  else
    fprintf(f, ",%.6g", v);
}

/* A string as a single-quoted gnuplot literal (' doubled, control chars spaces). */
static void gpString(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '\'') fputc('\'', f);
    fputc(ch < 0x20 ? ' ' : ch, f);
  }
  fputc('\'', f);
}

static int openW(const char *path, FILE **f, QaErr *err) {
  *f = fopen(path, "w");
  if (!*f) return qaErrSet(err, QA_EUSER, "cannot write '%s': %s", path, strerror(errno));
  return QA_OK;
}

static int closeW(const char *path, FILE *f, QaErr *err) {
  int bad = ferror(f);
  if (fclose(f) != 0 || bad)
    return qaErrSet(err, QA_EUSER, "cannot write '%s': %s", path, bad ? "write error" : strerror(errno));
  return QA_OK;
}

static int mkdirP(const char *dir, QaErr *err) {
  int rc;
  if (!dir || !*dir) return qaErrSet(err, QA_EUSER, "report: empty output directory name");
  if ((rc = qaMakeDirs(dir, "report: output directory", err))) return rc;
  if (access(dir, W_OK | X_OK) != 0)
    return qaErrSet(err, QA_EUSER, "cannot write to output directory '%s': %s", dir, strerror(errno));
  return QA_OK;
}

/* Colours of N series of one figure: reportColor by series index, made unique. */
static void figColors(const int *idx, int n, char (*out)[8]) {
  for (int i = 0; i < n; i++) {
    int k = idx ? idx[i] : i, bump = 0;
    for (;;) {
      reportColor(k + bump, out[i]);
      int dup = 0;
      for (int j = 0; j < i && !dup; j++) dup = !strcmp(out[i], out[j]);
      if (!dup) break;
      bump += 1000;
    }
  }
}

/* ---------------------------------------------------------------- figure entries */

/* A new figure entry in the summary (and its FigPoints); *f points at it. */
static int figAdd(Out *o, const char *name, const char *title, const char *caption, QaReportFigure **f,
                  QaErr *err) {
  Report *r = o->r;
  QaReportSummary *s = r->sum;
  QaReportFigure *g = realloc(s->figures, (size_t)(s->n_figures + 1) * sizeof *g);
  if (!g) return qaErrSet(err, QA_EINTERNAL, "out of memory adding a figure");
  s->figures = g;
  FigPoints *fp = realloc(r->fig, (size_t)(s->n_figures + 1) * sizeof *fp);
  if (!fp) return qaErrSet(err, QA_EINTERNAL, "out of memory adding a figure");
  r->fig = fp;
  memset(&r->fig[s->n_figures], 0, sizeof *fp);
  QaReportFigure *x = &s->figures[s->n_figures++];
  memset(x, 0, sizeof *x);
  x->name = reportStrDup(name, err);
  x->title = reportStrDup(title, err);
  x->caption = reportStrDup(caption, err);
  if (!x->name || !x->title || !x->caption) return QA_EINTERNAL;
  *f = x;
  return QA_OK;
}

/* A figure that is not drawn, with the reason (in the index and the notes). */
static int figSkip(Out *o, const char *name, const char *title, const char *caption, const char *why,
                   QaErr *err) {
  QaReportFigure *f;
  int rc = figAdd(o, name, title, caption, &f, err);
  if (rc) return rc;
  if (!(f->note = reportStrDup(why, err))) return QA_EINTERNAL;
  return reportNote(o->r, err, "%s: not drawn: %s", name, why);
}

/* Set a warning on the figure (kept in the index, and a note). */
static int figWarn(Out *o, QaReportFigure *f, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int figWarn(Out *o, QaReportFigure *f, const char *fmt, ...) {
  char line[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  QaErr *err = NULL;
  if (f->note) {
    char *both = fmtStr(err, "%s; %s", f->note, line);
    if (!both) return QA_EINTERNAL;
    free(f->note);
    f->note = both;
  } else if (!(f->note = reportStrDup(line, err))) {
    return QA_EINTERNAL;
  }
  return reportNote(o->r, NULL, "%s: %s", f->name, line);
}

/* Record the points behind the current figure and what its series share. */
static int figPoints(Out *o, const int *pt, int n, const char *common, QaErr *err) {
  Report *r = o->r;
  FigPoints *fp = &r->fig[r->sum->n_figures - 1];
  if (!(fp->pt = qaMalloc((size_t)(n ? n : 1) * sizeof *fp->pt, err))) return QA_EINTERNAL;
  memcpy(fp->pt, pt, (size_t)n * sizeof *pt);
  fp->n = n;
  snprintf(fp->common, sizeof fp->common, "%s", common ? common : "");
  r->sum->figures[r->sum->n_figures - 1].n_points = n;
  return QA_OK;
}

/* NAME.sql: the points query, the other queries used, and what was computed. */
static int writeSql(Out *o, const char *name, const char *computed, const QaStoreSqlId *also, int n_also,
                    QaErr *err) {
  FILE *f;
  char path[QA_PATH_MAX + 64];
  snprintf(path, sizeof path, "%s/%s.sql", o->dir, name);
  int rc = openW(path, &f, err);
  if (rc) return rc;
  fprintf(f, "-- %s.sql - the queries behind %s.png (written by qasim report).\n", name, name);
  fprintf(f, "-- The design points (view point: the newest finished run of each identity):\n");
  fprintf(f, "%s;\n", o->r->points_sql ? o->r->points_sql : "");
  for (int i = 0; i < n_also; i++) fprintf(f, "\n-- and:\n%s;\n", qaStoreSqlText(also[i]));
  fprintf(f, "\n-- Computed from them:\n");
  for (const char *s = computed; *s;) {
    size_t n = strcspn(s, "\n");
    fprintf(f, "--   %.*s\n", (int)n, s);
    s += n + (s[n] == '\n');
  }
  return closeW(path, f, err);
}

/* The head of every script: terminal by qa_out, style, output, overall title. */
static void gpHead(FILE *f, const char *name, const char *title, int w, int h) {
  fprintf(f, "# %s.gp - %s\n", name, title);
  fprintf(f, "# Written by qasim report. Data: %s.csv; the queries behind it: %s.sql. Re-run here:\n", name,
          name);
  fprintf(f, "#   gnuplot %s.gp                      (%s.png)\n", name, name);
  fprintf(f, "#   gnuplot -e \"qa_out='pdf'\" %s.gp    (%s.pdf)\n", name, name);
  fprintf(f, "if (!exists(\"qa_out\")) qa_out = 'png'\n");
  fprintf(f, "if (qa_out eq 'pdf') {\n  set terminal pdfcairo noenhanced font 'Sans,7' size %.2fin,%.2fin\n",
          w / 96.0, h / 96.0);
  fprintf(f, "} else {\n  set terminal pngcairo noenhanced font 'Sans,10' size %d,%d\n}\n", w, h);
  fprintf(f, "load 'style.gp'\n");
  fprintf(f, "set output '%s.'.qa_out\n", name);
}

static int clampW(int w) { return w < 800 ? 800 : w > 4000 ? 4000 : w; }
static int keyPx(size_t label_len) { return (int)label_len * 7 + 70; }

static size_t maxLen(char (*labels)[LABEL_MAX], int n) {
  size_t m = 0;
  for (int i = 0; i < n; i++)
    if (strlen(labels[i]) > m) m = strlen(labels[i]);
  return m;
}

/* ---------------------------------------------------------------- 1: speedup */

static int figSpeedup(Out *o, int cycles, QaErr *err) {
  Report *r = o->r;
  const char *name = cycles ? "speedup-cycles" : "speedup-time";
  char title[LABEL_MAX * 2], caption[1024];
  int rc = QA_OK, *rows = NULL, *cols = NULL, n_rows = 0, n_cols = 0, *pts = NULL, n_pts = 0;
  char(*labels)[LABEL_MAX] = NULL;
  char(*colors)[8] = NULL;
  double *v = NULL;
  FILE *f = NULL;
  char path[QA_PATH_MAX + 64], common[LABEL_MAX * 2];
  snprintf(title, sizeof title, "Speedup over %s in %s", r->base < 0 ? "the baseline" : r->base_label,
           cycles ? "cycles" : "time (each design at its own clock)");
  snprintf(caption, sizeof caption,
           "%s: %s of the baseline / %s of each design point, per network (grouped bars) and their geometric "
           "mean",
           cycles ? "speedup in cycles" : "speedup in time",
           cycles ? "n_cycles" : "simulated time (n_cycles / clock)", cycles ? "n_cycles" : "time");
  if (r->base < 0) return figSkip(o, name, title, caption, "no baseline design point (see --baseline)", err);
  rows = qaMalloc((size_t)r->n_grp * sizeof *rows, err);
  cols = qaMalloc((size_t)r->n_ser * sizeof *cols, err);
  pts = qaMalloc((size_t)r->n_pt * sizeof *pts, err);
  if (!rows || !cols || !pts) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int g = 0; g < r->n_grp; g++)
    if (CELL(r, g, r->base) >= 0) rows[n_rows++] = g;
  for (int s = 0; s < r->n_ser; s++) {
    int any = 0;
    for (int k = 0; k < n_rows; k++) any |= CELL(r, rows[k], s) >= 0;
    if (any) cols[n_cols++] = s;
  }
  if (!n_rows) {
    rc = figSkip(o, name, title, caption, "no network has a run of the baseline", err);
    goto end;
  }
  QaReportFigure *fig;
  if ((rc = figAdd(o, name, title, caption, &fig, err))) goto end;
  labels = qaMalloc((size_t)n_cols * sizeof *labels, err);
  colors = qaMalloc((size_t)n_cols * sizeof *colors, err);
  v = qaMalloc((size_t)(n_rows + 1) * (size_t)n_cols * sizeof *v, err);
  if (!labels || !colors || !v) {
    rc = QA_EINTERNAL;
    goto end;
  }
  reportLabels(r, cols, n_cols, NULL, NULL, labels, common, sizeof common);
  figColors(cols, n_cols, colors);
  int partial = 0;
  for (int x = 0; x < n_cols; x++) {
    double logsum = 0;
    int n = 0;
    for (int k = 0; k < n_rows; k++) {
      int i = CELL(r, rows[k], cols[x]);
      double s = i >= 0 ? reportSpeedup(r, i, cycles) : NAN;
      v[(size_t)k * n_cols + x] = s;
      if (i >= 0) pts[n_pts++] = i;
      if (!isnan(s)) {
        logsum += log(s);
        n++;
      }
    }
    v[(size_t)n_rows * n_cols + x] = n ? exp(logsum / n) : NAN;
    partial |= n && n < n_rows;
  }
  /* data */
  snprintf(path, sizeof path, "%s/%s.csv", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  fputs("network", f);
  for (int x = 0; x < n_cols; x++) {
    fputc(',', f);
    csvText(f, labels[x]);
  }
  fputc('\n', f);
  for (int k = 0; k <= n_rows; k++) {
    csvText(f, k < n_rows ? r->grp[rows[k]].label : "geomean");
    for (int x = 0; x < n_cols; x++) csvNum(f, v[(size_t)k * n_cols + x]);
    fputc('\n', f);
  }
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  char computed[1024];
  snprintf(computed, sizeof computed,
           "per network (workload_id): speedup = %s of the baseline (%s) / %s of the design point;\n"
           "geomean = exp(mean(log(speedup))) over the networks where the design point has a run.",
           cycles ? "n_cycles" : "time_s", r->base_label, cycles ? "n_cycles" : "time_s");
  if ((rc = writeSql(o, name, computed, NULL, 0, err))) goto end;

  /* panels: one, or one per architecture when there are too many series */
  int per_arch = n_cols > r->max_series;
  int n_panels = per_arch ? r->n_archs : 1;
  size_t lab = maxLen(labels, n_cols);
  int most = 0;
  for (int a = 0; a < n_panels; a++) {
    int m = 0;
    for (int x = 0; x < n_cols; x++)
      m += !per_arch || !strcmp(r->pt[r->ser[cols[x]].point0].arch, r->archs[a]);
    if (m > most) most = m;
  }
  int width = clampW(keyPx(lab) + 140 + (n_rows + 1) * (most * 13 + 26));
  snprintf(path, sizeof path, "%s/%s.gp", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  gpHead(f, name, title, width, n_panels * PANEL_H + 50);
  fprintf(f, "set style data histograms\nset style histogram clustered gap 1\n");
  char ylabel[LABEL_MAX + 32];
  snprintf(ylabel, sizeof ylabel, "speedup over %s (x)", r->base_label);
  fprintf(f, "set ylabel ");
  gpString(f, ylabel);
  fputc('\n', f);
  fprintf(f, "set yrange [0:*]\n");
  fprintf(f,
          "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1 lc rgb '#555555' front\n");
  fprintf(f, "set xtics nomirror%s\n", n_rows > 6 ? " rotate by -30 left" : "");
  fprintf(f, "set multiplot layout %d,1 title ", n_panels);
  gpString(f, title);
  fputc('\n', f);
  int drawn = 0, crowded = 0;
  for (int a = 0; a < n_panels; a++) {
    int first = 1, m = 0;
    if (per_arch) {
      fprintf(f, "set title ");
      gpString(f, r->archs[a]);
      fputc('\n', f);
    }
    for (int x = 0; x < n_cols; x++) {
      if (per_arch && strcmp(r->pt[r->ser[cols[x]].point0].arch, r->archs[a])) continue;
      if (first)
        fprintf(f, "plot '%s.csv' skip 1 using %d:xtic(1)", name, x + 2);
      else
        fprintf(f, ", \\\n     '' skip 1 using %d", x + 2);
      fprintf(f, " title ");
      gpString(f, labels[x]);
      fprintf(f, " lc rgb '%s'", colors[x]);
      first = 0;
      m++;
      drawn++;
    }
    if (first) fprintf(f, "set key off\nplot 1/0 notitle");
    fputc('\n', f);
    if (m > r->max_series) crowded = m;
  }
  fprintf(f, "unset multiplot\n");
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  fig->drawn = 1;
  fig->n_series = n_cols;
  if (per_arch && (rc = figWarn(o, fig, "%d series: drawn as one panel per architecture", n_cols))) goto end;
  if (crowded &&
      (rc = figWarn(o, fig, "a panel has %d series (more than %d): narrow it with --bits, --arch or --where",
                    crowded, r->max_series)))
    goto end;
  if (partial &&
      (rc = figWarn(o, fig, "the geometric mean of a design point covers only the networks it has")))
    goto end;
  rc = figPoints(o, pts, n_pts, common, err);
end:
  if (f) fclose(f);
  free(rows);
  free(cols);
  free(pts);
  free(labels);
  free(colors);
  free(v);
  return rc;
}

/* ---------------------------------------------------------------- 2: energy breakdown */

static int figEnergy(Out *o, QaErr *err) {
  Report *r = o->r;
  const char *name = "energy-breakdown";
  char title[LABEL_MAX * 2], caption[512], path[QA_PATH_MAX + 64], common[LABEL_MAX * 2];
  int rc = QA_OK, *sers = NULL, n_sers = 0, *pts = NULL, n_pts = 0;
  char(*labels)[LABEL_MAX] = NULL;
  FILE *f = NULL;
  int norm = r->base >= 0;
  snprintf(title, sizeof title, "Energy per inference by component class%s%s", norm ? ", normalised to " : "",
           norm ? r->base_label : " (uJ)");
  snprintf(
      caption, sizeof caption,
      "energy per inference split into datapath, accumulation, registers, on-chip memory, DRAM and static "
      "energy, %s, one panel per network",
      norm ? "as a fraction of the baseline's total on that network" : "in microjoules (no baseline)");
  sers = qaMalloc((size_t)r->n_ser * sizeof *sers, err);
  pts = qaMalloc((size_t)r->n_pt * sizeof *pts, err);
  if (!sers || !pts) {
    rc = QA_EINTERNAL;
    goto end;
  }
  /* drawn: priced points with classes, in groups whose baseline is priced (if normalising) */
  int skipped_groups = 0;
  for (int g = 0; g < r->n_grp; g++) {
    int b = norm ? CELL(r, g, r->base) : -1;
    int base_ok = !norm || (b >= 0 && r->pt[b].has_energy && r->pt[b].energy_per_inference_pj > 0);
    int any = 0;
    for (int s = 0; s < r->n_ser; s++) {
      int i = CELL(r, g, s);
      if (i < 0 || isnan(r->cat_pj[(size_t)i * QA_CAT_COUNT])) continue;
      any = 1;
      if (!base_ok) continue;
      pts[n_pts++] = i;
      int k = 0;
      while (k < n_sers && sers[k] != s) k++;
      if (k == n_sers) sers[n_sers++] = s;
    }
    skipped_groups += any && !base_ok;
  }
  if (!n_pts) {
    rc = figSkip(o, name, title, caption,
                 norm ? "no priced design point on a network where the baseline is priced"
                      : "no priced design point (price runs with --costs, or qasim price)",
                 err);
    goto end;
  }
  /* series in their order in the store */
  for (int i = 1; i < n_sers; i++)
    for (int j = i; j > 0 && sers[j] < sers[j - 1]; j--) {
      int t = sers[j];
      sers[j] = sers[j - 1];
      sers[j - 1] = t;
    }
  QaReportFigure *fig;
  if ((rc = figAdd(o, name, title, caption, &fig, err))) goto end;
  if (!(labels = qaMalloc((size_t)n_sers * sizeof *labels, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  reportLabels(r, sers, n_sers, NULL, NULL, labels, common, sizeof common);
  snprintf(path, sizeof path, "%s/%s.csv", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  fputs("network,design", f);
  for (int c = 0; c < QA_CAT_COUNT; c++) fprintf(f, ",%s", reportCategoryLabel(c));
  fprintf(f, ",total,energy_per_inference_uj\n");
  int *start = qaCalloc((size_t)r->n_grp + 1, sizeof *start, err), row = 0, most = 0, n_panels = 0;
  if (!start) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int g = 0; g < r->n_grp; g++) {
    start[g] = row;
    int m = 0;
    double den = norm && CELL(r, g, r->base) >= 0 ? r->pt[CELL(r, g, r->base)].energy_per_inference_pj : 1e6;
    for (int x = 0; x < n_sers; x++) {
      int i = CELL(r, g, sers[x]), keep = 0;
      for (int k = 0; k < n_pts && !keep; k++) keep = pts[k] == i;
      if (i < 0 || !keep) continue;
      csvText(f, r->grp[g].label);
      fputc(',', f);
      csvText(f, labels[x]);
      double tot = 0;
      for (int c = 0; c < QA_CAT_COUNT; c++) {
        double e = r->cat_pj[(size_t)i * QA_CAT_COUNT + c] / den;
        csvNum(f, e);
        tot += e;
      }
      csvNum(f, tot);
      csvNum(f, reportEnergyUj(r, i));
      fputc('\n', f);
      row++;
      m++;
    }
    if (m) n_panels++;
    if (m > most) most = m;
  }
  start[r->n_grp] = row;
  if ((rc = closeW(path, f, err))) {
    free(start);
    goto end;
  }
  f = NULL;
  const QaStoreSqlId also[] = {QA_SQL_COMPONENT_ENERGY};
  char computed[1024];
  snprintf(
      computed, sizeof computed,
      "per design point: the energy rows of its cost label summed per component class (the class of a\n"
      "component is the one its architecture's component table gives; 'static' is leakage), scaled to one\n"
      "inference (x energy_per_inference_pj / energy_pj)%s.",
      norm ? ", divided by the baseline's energy_per_inference_pj on the same network" : ", in uJ");
  if ((rc = writeSql(o, name, computed, also, 1, err))) {
    free(start);
    goto end;
  }
  size_t lab = maxLen(labels, n_sers);
  int width = clampW(220 + keyPx(14) + most * 46);
  snprintf(path, sizeof path, "%s/%s.gp", o->dir, name);
  if ((rc = openW(path, &f, err))) {
    free(start);
    goto end;
  }
  int panel_h = PANEL_H + (int)(lab > 40 ? 40 : lab) * 5;
  gpHead(f, name, title, width, n_panels * panel_h + 50);
  fprintf(f, "set style data histograms\nset style histogram rowstacked\nset boxwidth 0.6 relative\n");
  fprintf(f, "set key invert\n");
  fprintf(f, "set ylabel '%s'\n",
          norm ? "energy relative to the baseline (1 = baseline)" : "energy per inference (uJ)");
  fprintf(f, "set yrange [0:*]\nset xtics nomirror rotate by -35 left\n");
  if (norm)
    fprintf(
        f, "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1 lc rgb '#555555' front\n");
  fprintf(f, "set multiplot layout %d,1 title ", n_panels);
  gpString(f, title);
  fputc('\n', f);
  int shown = 0;
  for (int g = 0; g < r->n_grp; g++) {
    if (start[g + 1] == start[g]) continue;
    fprintf(f, "set title ");
    gpString(f, r->grp[g].label);
    fprintf(f, "\n%s\n", shown ? "set key off" : "");
    for (int c = 0; c < QA_CAT_COUNT; c++) {
      if (c == 0)
        fprintf(f, "plot '%s.csv' skip 1 every ::%d::%d using 3:xtic(2)", name, start[g], start[g + 1] - 1);
      else
        fprintf(f, ", \\\n     '' skip 1 every ::%d::%d using %d", start[g], start[g + 1] - 1, 3 + c);
      fprintf(f, " title '%s' lc rgb '%s'", reportCategoryLabel(c), reportCategoryColor(c));
    }
    fputc('\n', f);
    shown = 1;
  }
  fprintf(f, "unset multiplot\n");
  free(start);
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  fig->drawn = 1;
  fig->n_series = QA_CAT_COUNT;
  if (skipped_groups && (rc = figWarn(o, fig, "%d network%s left out: the baseline has no energy there",
                                      skipped_groups, skipped_groups == 1 ? "" : "s")))
    goto end;
  int n_weak = 0; /* issue 9: results that rest on weak cost rows are flagged */
  for (int k = 0; k < n_pts; k++) n_weak += r->weak[pts[k]] > QA_ENERGY_WEAK_FLAG;
  if (n_weak && (rc = figWarn(o, fig,
                              "%d of %d design points have more than %.0f%% of their energy on cost rows "
                              "whose status is assumed or extrapolated",
                              n_weak, n_pts, 100 * QA_ENERGY_WEAK_FLAG)))
    goto end;
  rc = figPoints(o, pts, n_pts, common, err);
end:
  if (f) fclose(f);
  free(sers);
  free(pts);
  free(labels);
  return rc;
}

/* ---------------------------------------------------------------- 3: against bit-width */

/* The line of series S in a bits figure: its configuration without the bits (and the
** weight width when it is not the activation width, which stays part of the line). */
static void lineKey(const Report *r, int s, char *buf, size_t cap) {
  const Series *se = &r->ser[s];
  const QaPoint *p = &r->pt[se->point0];
  snprintf(buf, cap, "%s", p->arch);
  for (int k = 0; k < se->attrs.n; k++)
    if (strcmp(se->attrs.key[k], ATTR_BITS))
      reportAppendf(buf, cap, "\n%s=%s", se->attrs.key[k], se->attrs.val[k]);
  if (p->a_bits != p->w_bits) reportAppendf(buf, cap, "\nw%d", p->w_bits);
}

static int figBits(Out *o, int energy, QaErr *err) {
  Report *r = o->r;
  const char *name = energy ? "bits-energy" : "bits-speedup";
  char title[LABEL_MAX * 2], caption[512], path[QA_PATH_MAX + 64], common[LABEL_MAX * 2];
  int rc = QA_OK, *line_of = NULL, *rep = NULL, n_lines = 0, *pts = NULL, n_pts = 0;
  char(*labels)[LABEL_MAX] = NULL;
  char(*colors)[8] = NULL;
  char(*wsuf)[16] = NULL;
  const char **suffix = NULL;
  char key[4096], other[4096];
  FILE *f = NULL;
  snprintf(title, sizeof title, "%s against bit-width per design",
           energy ? "Energy per inference" : "Speedup");
  snprintf(
      caption, sizeof caption,
      "%s against the activation bit-width (a_bits) of each design (its configuration without the bits), "
      "one panel per network%s",
      energy ? "energy per inference (uJ)" : "speedup in time over the baseline",
      energy ? "" : "; each design at its own clock");
  if (!energy && r->base < 0)
    return figSkip(o, name, title, caption, "no baseline design point (see --baseline)", err);
  line_of = qaMalloc((size_t)r->n_ser * sizeof *line_of, err);
  rep = qaMalloc((size_t)r->n_ser * sizeof *rep, err);
  pts = qaMalloc((size_t)r->n_pt * sizeof *pts, err);
  if (!line_of || !rep || !pts) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int s = 0; s < r->n_ser; s++) {
    lineKey(r, s, key, sizeof key);
    int l = 0;
    for (; l < n_lines; l++) {
      lineKey(r, rep[l], other, sizeof other);
      if (!strcmp(key, other)) break;
    }
    if (l == n_lines) rep[n_lines++] = s;
    line_of[s] = l;
  }
  /* points with a value; a line needs two bit-widths on a network to be a line */
  int longest = 0;
  for (int g = 0; g < r->n_grp; g++)
    for (int l = 0; l < n_lines; l++) {
      int m = 0;
      for (int s = 0; s < r->n_ser; s++) {
        int i = CELL(r, g, s);
        if (i < 0 || line_of[s] != l) continue;
        double y = energy ? reportEnergyUj(r, i) : reportSpeedup(r, i, 0);
        if (isnan(y)) continue;
        pts[n_pts++] = i;
        m++;
      }
      if (m > longest) longest = m;
    }
  if (longest < 2) {
    rc = figSkip(o, name, title, caption,
                 n_pts    ? "no design was run at two or more bit-widths on a network"
                 : energy ? "no priced design point"
                          : "no design point with a baseline run on its network",
                 err);
    goto end;
  }
  QaReportFigure *fig;
  if ((rc = figAdd(o, name, title, caption, &fig, err))) goto end;
  labels = qaMalloc((size_t)n_lines * sizeof *labels, err);
  colors = qaMalloc((size_t)n_lines * sizeof *colors, err);
  wsuf = qaCalloc((size_t)n_lines, sizeof *wsuf, err);
  suffix = qaCalloc((size_t)n_lines, sizeof *suffix, err);
  if (!labels || !colors || !wsuf || !suffix) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int l = 0; l < n_lines; l++) {
    const QaPoint *p = &r->pt[r->ser[rep[l]].point0];
    if (p->a_bits != p->w_bits) snprintf(wsuf[l], sizeof wsuf[l], "w%d", p->w_bits);
    suffix[l] = wsuf[l];
  }
  static const char *const kIgnoreBits[] = {ATTR_BITS, NULL};
  reportLabels(r, rep, n_lines, kIgnoreBits, suffix, labels, common, sizeof common);
  figColors(NULL, n_lines, colors);

  /* rows: by network, line, a_bits; panels: per network, split per architecture when crowded */
  snprintf(path, sizeof path, "%s/%s.csv", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  fprintf(f, "network,design,a_bits,w_bits,%s\n", energy ? "energy_per_inference_uj" : "speedup");
  typedef struct Run {
    int g, l, start, end;
  } RunRange;
  RunRange *runs = qaMalloc((size_t)(r->n_grp * n_lines + 1) * sizeof *runs, err);
  int n_runs = 0, row = 0, lo = QA_BITS_MAX, hi = 1;
  double ymin = INFINITY, ymax = 0;
  if (!runs) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int g = 0; g < r->n_grp; g++)
    for (int l = 0; l < n_lines; l++) {
      int first = row;
      for (int b = 1; b <= QA_BITS_MAX; b++)
        for (int s = 0; s < r->n_ser; s++) {
          int i = CELL(r, g, s);
          if (i < 0 || line_of[s] != l || r->pt[i].a_bits != b) continue;
          double y = energy ? reportEnergyUj(r, i) : reportSpeedup(r, i, 0);
          if (isnan(y)) continue;
          csvText(f, r->grp[g].label);
          fputc(',', f);
          csvText(f, labels[l]);
          fprintf(f, ",%d,%d", r->pt[i].a_bits, r->pt[i].w_bits);
          csvNum(f, y);
          fputc('\n', f);
          row++;
          if (b < lo) lo = b;
          if (b > hi) hi = b;
          if (y > 0 && y < ymin) ymin = y;
          if (y > ymax) ymax = y;
        }
      if (row > first) runs[n_runs++] = (RunRange){g, l, first, row - 1};
    }
  if ((rc = closeW(path, f, err))) {
    free(runs);
    goto end;
  }
  f = NULL;
  char computed[512];
  snprintf(
      computed, sizeof computed,
      "a line is a design point's configuration without its bits (config attributes but a_bits/w_bits);\n"
      "y = %s; x = a_bits.",
      energy ? "energy_per_inference_pj / 1e6 (uJ)" : "time_s of the baseline on the network / time_s");
  if ((rc = writeSql(o, name, computed, NULL, 0, err))) {
    free(runs);
    goto end;
  }
  /* panels */
  int n_panels = 0, crowded = 0, split = 0;
  typedef struct Panel {
    int g;
    const char *arch; /* NULL: every architecture */
  } Panel;
  Panel *pan = qaMalloc((size_t)(r->n_grp * (r->n_archs + 1)) * sizeof *pan, err);
  if (!pan) {
    free(runs);
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int g = 0; g < r->n_grp; g++) {
    int m = 0;
    for (int k = 0; k < n_runs; k++) m += runs[k].g == g;
    if (!m) continue;
    if (m <= r->max_series) {
      pan[n_panels++] = (Panel){g, NULL};
      continue;
    }
    split = 1;
    for (int a = 0; a < r->n_archs; a++) {
      int ma = 0;
      for (int k = 0; k < n_runs; k++)
        ma += runs[k].g == g && !strcmp(r->pt[r->ser[rep[runs[k].l]].point0].arch, r->archs[a]);
      if (ma) pan[n_panels++] = (Panel){g, r->archs[a]};
      if (ma > r->max_series && ma > crowded) crowded = ma;
    }
  }
  int cols_n = n_panels > 1 ? 2 : 1, rows_n = (n_panels + cols_n - 1) / cols_n;
  int width = clampW(cols_n * (560 + keyPx(maxLen(labels, n_lines))));
  snprintf(path, sizeof path, "%s/%s.gp", o->dir, name);
  if ((rc = openW(path, &f, err))) {
    free(runs);
    free(pan);
    goto end;
  }
  gpHead(f, name, title, width, rows_n * PANEL_H + 50);
  fprintf(f, "set xlabel 'a_bits (bits)'\nset ylabel '%s'\n",
          energy ? "energy per inference (uJ)" : "speedup over the baseline (x)");
  fprintf(f, "set xrange [%g:%g]\nset xtics 1\n", lo - 0.5, hi + 0.5);
  if (ymin < INFINITY && ymax / ymin >= 50)
    fprintf(f, "set logscale y\nset format y '%%g'\n");
  else
    fprintf(f, "set yrange [0:*]\n");
  fprintf(f, "set multiplot layout %d,%d title ", rows_n, cols_n);
  gpString(f, title);
  fputc('\n', f);
  for (int k = 0; k < n_panels; k++) {
    char ptitle[LABEL_MAX * 2];
    snprintf(ptitle, sizeof ptitle, "%s%s%s", r->grp[pan[k].g].label, pan[k].arch ? ": " : "",
             pan[k].arch ? pan[k].arch : "");
    fprintf(f, "set title ");
    gpString(f, ptitle);
    fputc('\n', f);
    int first = 1;
    for (int q = 0; q < n_runs; q++) {
      const RunRange *rr = &runs[q];
      if (rr->g != pan[k].g || (pan[k].arch && strcmp(r->pt[r->ser[rep[rr->l]].point0].arch, pan[k].arch)))
        continue;
      if (first)
        fprintf(f, "plot '%s.csv' skip 1 every ::%d::%d using 3:5", name, rr->start, rr->end);
      else
        fprintf(f, ", \\\n     '' skip 1 every ::%d::%d using 3:5", rr->start, rr->end);
      fprintf(f, " with linespoints pt 7 lw 2 lc rgb '%s' title ", colors[rr->l]);
      gpString(f, labels[rr->l]);
      first = 0;
    }
    fputc('\n', f);
  }
  fprintf(f, "unset multiplot\n");
  free(runs);
  free(pan);
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  fig->drawn = 1;
  fig->n_series = n_lines;
  if (split && (rc = figWarn(o, fig, "crowded networks are drawn as one panel per architecture"))) goto end;
  if (crowded &&
      (rc = figWarn(o, fig, "a panel has %d lines (more than %d): narrow it with --arch or --where", crowded,
                    r->max_series)))
    goto end;
  rc = figPoints(o, pts, n_pts, common, err);
end:
  if (f) fclose(f);
  free(line_of);
  free(rep);
  free(pts);
  free(labels);
  free(colors);
  free(wsuf);
  free(suffix);
  return rc;
}

/* ---------------------------------------------------------------- 4: layers */

/* The network of the layers figure: the option, else the one with the most points. */
static int profileGroup(const Report *r, QaErr *err) {
  const char *want = r->opt->profile_net;
  int best = -1, best_n = -1;
  for (int g = 0; g < r->n_grp; g++) {
    if (want && strcmp(r->grp[g].name, want) && strcmp(r->grp[g].label, want) && strcmp(r->grp[g].tag, want))
      continue;
    int n = 0;
    for (int s = 0; s < r->n_ser; s++) n += CELL(r, g, s) >= 0;
    if (n > best_n) {
      best = g;
      best_n = n;
    }
  }
  if (want && best < 0) {
    char have[512] = "";
    for (int g = 0; g < r->n_grp; g++)
      reportAppendf(have, sizeof have, "%s%s", g ? ", " : "", r->grp[g].label);
    qaErrSet(err, QA_EUSER, "--profile-net '%s': no design point on that network (networks: %s)", want, have);
    return -2;
  }
  return best;
}

static int figLayers(Out *o, QaErr *err) {
  Report *r = o->r;
  char name[TAG_MAX + 16], title[LABEL_MAX * 2], caption[512], path[QA_PATH_MAX + 64], common[LABEL_MAX * 2];
  int rc = QA_OK, g = profileGroup(r, err), *sers = NULL, n_sers = 0, *pts = NULL;
  char(*labels)[LABEL_MAX] = NULL;
  char(*colors)[8] = NULL;
  QaLayerCycles **lay = NULL;
  int *n_lay = NULL;
  FILE *f = NULL;
  if (g == -2) return QA_EUSER;
  snprintf(name, sizeof name, "layers-%s", r->grp[g].tag);
  snprintf(title, sizeof title, "%s: cycles per layer", r->grp[g].label);
  snprintf(caption, sizeof caption,
           "n_cycles of every layer of %s for a few design points (one per architecture at the most common "
           "bit-width, or --profile-arch)",
           r->grp[g].label);
  sers = qaMalloc((size_t)r->n_ser * sizeof *sers, err);
  pts = qaMalloc((size_t)r->n_ser * sizeof *pts, err);
  if (!sers || !pts) {
    rc = QA_EINTERNAL;
    goto end;
  }
  /* the chosen series: every one of the asked architectures, else per architecture the
  ** design points at the most common (a, w) on this network (or its widest) */
  int ca = 0, cw = 0, cn = 0;
  for (int s = 0; s < r->n_ser; s++) {
    int i = CELL(r, g, s), n = 0;
    if (i < 0) continue;
    for (int t = 0; t < r->n_ser; t++) {
      int j = CELL(r, g, t);
      n += j >= 0 && r->pt[j].a_bits == r->pt[i].a_bits && r->pt[j].w_bits == r->pt[i].w_bits;
    }
    if (n > cn || (n == cn && r->pt[i].a_bits > ca)) {
      cn = n;
      ca = r->pt[i].a_bits;
      cw = r->pt[i].w_bits;
    }
  }
  for (int a = 0; a < r->n_archs; a++) {
    int asked = 0, widest = -1;
    for (int k = 0; k < r->opt->n_profile_archs; k++)
      asked |= !strcasecmp(r->opt->profile_archs[k], r->archs[a]);
    if (r->opt->n_profile_archs && !asked) continue;
    int added = 0;
    for (int s = 0; s < r->n_ser; s++) {
      int i = CELL(r, g, s);
      if (i < 0 || strcmp(r->pt[i].arch, r->archs[a])) continue;
      if (asked || (r->pt[i].a_bits == ca && r->pt[i].w_bits == cw)) {
        sers[n_sers++] = s;
        added = 1;
      } else if (widest < 0 || r->pt[i].a_bits > r->pt[CELL(r, g, widest)].a_bits) {
        widest = s;
      }
    }
    if (!added && widest >= 0) sers[n_sers++] = widest;
  }
  if (!n_sers) {
    rc = figSkip(o, name, title, caption,
                 "none of the --profile-arch architectures has a run on this network", err);
    goto end;
  }
  int dropped = 0;
  if (n_sers > r->max_series) {
    dropped = n_sers - r->max_series;
    n_sers = r->max_series;
  }
  QaReportFigure *fig;
  if ((rc = figAdd(o, name, title, caption, &fig, err))) goto end;
  labels = qaMalloc((size_t)n_sers * sizeof *labels, err);
  colors = qaMalloc((size_t)n_sers * sizeof *colors, err);
  lay = qaCalloc((size_t)n_sers, sizeof *lay, err);
  n_lay = qaCalloc((size_t)n_sers, sizeof *n_lay, err);
  if (!labels || !colors || !lay || !n_lay) {
    rc = QA_EINTERNAL;
    goto end;
  }
  reportLabels(r, sers, n_sers, NULL, NULL, labels, common, sizeof common);
  figColors(sers, n_sers, colors);
  int n_rows = 0;
  double lo = INFINITY, hi = 0;
  for (int x = 0; x < n_sers; x++) {
    pts[x] = CELL(r, g, sers[x]);
    if ((rc = qaStoreLayerCycles(r->store, r->pt[pts[x]].run_id, &lay[x], &n_lay[x], err))) goto end;
    if (n_lay[x] > n_rows) n_rows = n_lay[x];
  }
  snprintf(path, sizeof path, "%s/%s.csv", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  fputs("layer_idx,layer", f);
  for (int x = 0; x < n_sers; x++) {
    fputc(',', f);
    csvText(f, labels[x]);
  }
  fputc('\n', f);
  size_t longest = 0;
  for (int k = 0; k < n_rows; k++) {
    const char *lname = "";
    for (int x = 0; x < n_sers && !lname[0]; x++)
      if (k < n_lay[x]) lname = lay[x][k].name;
    fprintf(f, "%d,", k);
    csvText(f, lname);
    if (strlen(lname) > longest) longest = strlen(lname);
    for (int x = 0; x < n_sers; x++) {
      double v = k < n_lay[x] ? (double)lay[x][k].n_cycles : NAN;
      csvNum(f, v);
      if (v > 0 && v < lo) lo = v;
      if (v > hi) hi = v;
    }
    fputc('\n', f);
  }
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  const QaStoreSqlId also[] = {QA_SQL_LAYER_CYCLES};
  if ((rc = writeSql(o, name, "n_cycles of each layer (layer_idx order) of each chosen design point's run.",
                     also, 1, err)))
    goto end;
  int width = clampW(180 + keyPx(maxLen(labels, n_sers)) + n_rows * 30);
  snprintf(path, sizeof path, "%s/%s.gp", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  gpHead(f, name, title, width, 420 + (int)(longest > 30 ? 30 : longest) * 5);
  fprintf(f, "set title ");
  gpString(f, title);
  fprintf(f, "\nset xlabel 'layer'\nset ylabel 'n_cycles (cycles)'\n");
  fprintf(f, "set xtics rotate by -60 left nomirror\nset xrange [-0.5:%d.5]\n", n_rows - 1);
  if (lo < INFINITY && hi / lo >= 50)
    fprintf(f, "set logscale y\nset format y '%%.0s%%c'\n");
  else
    fprintf(f, "set yrange [0:*]\nset format y '%s'\n", hi < 1e4 ? "%g" : "%.1s%c");
  for (int x = 0; x < n_sers; x++) {
    if (x == 0)
      fprintf(f, "plot '%s.csv' skip 1 using 1:3:xtic(2)", name);
    else
      fprintf(f, ", \\\n     '' skip 1 using 1:%d", 3 + x);
    fprintf(f, " with linespoints pt 7 ps 0.8 lw 2 lc rgb '%s' title ", colors[x]);
    gpString(f, labels[x]);
  }
  fputc('\n', f);
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  fig->drawn = 1;
  fig->n_series = n_sers;
  if (dropped &&
      (rc = figWarn(o, fig,
                    "%d more design points left out (at most %d lines): choose with --profile-arch or "
                    "--bits",
                    dropped, r->max_series)))
    goto end;
  rc = figPoints(o, pts, n_sers, common, err);
end:
  if (f) fclose(f);
  for (int x = 0; lay && x < n_sers; x++) free(lay[x]);
  free(lay);
  free(n_lay);
  free(sers);
  free(pts);
  free(labels);
  free(colors);
  return rc;
}

/* ---------------------------------------------------------------- 5: area */

static int categoryOf(const char *name) {
  for (int c = 0; c < QA_CAT_COUNT; c++)
    if (!strcmp(qaCategoryName((QaCategory)c), name)) return c;
  return -1;
}

static int figArea(Out *o, QaErr *err) {
  Report *r = o->r;
  const char *name = "area";
  char title[128] = "Chip area per design by component class", caption[512], path[QA_PATH_MAX + 64];
  char common[LABEL_MAX * 2];
  int rc = QA_OK, n_a = 0, *rep = NULL, n_rep = 0, *pts = NULL;
  QaComponentArea *a = NULL;
  double *mm2 = NULL;
  char(*labels)[LABEL_MAX] = NULL;
  FILE *f = NULL;
  snprintf(
      caption, sizeof caption,
      "area (mm^2) of each distinct hardware configuration (architecture config and cost table) split by "
      "component class, from the composition that priced its runs");
  if ((rc = qaStoreComponentAreas(r->store, &a, &n_a, err))) return rc;
  rep = qaMalloc((size_t)r->n_ser * sizeof *rep, err);
  pts = qaMalloc((size_t)r->n_ser * sizeof *pts, err);
  mm2 = qaCalloc((size_t)r->n_ser * QA_CAT_COUNT, sizeof *mm2, err);
  if (!rep || !pts || !mm2) {
    rc = QA_EINTERNAL;
    goto end;
  }
  /* one bar per (arch, config text, cost label): the first point of it that has rows */
  for (int i = 0; i < r->n_pt; i++) {
    const QaPoint *p = &r->pt[i];
    int k = 0;
    for (; k < n_rep; k++) {
      const QaPoint *q = &r->pt[pts[k]];
      if (!strcmp(q->arch, p->arch) && !strcmp(q->arch_config, p->arch_config) && !strcmp(q->costs, p->costs))
        break;
    }
    if (k < n_rep) continue;
    int have = 0;
    for (int j = 0; j < n_a; j++) {
      if (a[j].run_id != p->run_id || strcmp(a[j].costs, p->costs) || isnan(a[j].area_um2)) continue;
      int c = categoryOf(a[j].category);
      if (c < 0) continue;
      mm2[(size_t)n_rep * QA_CAT_COUNT + c] += a[j].area_um2 / 1e6;
      have = 1;
    }
    if (!have) {
      memset(&mm2[(size_t)n_rep * QA_CAT_COUNT], 0, QA_CAT_COUNT * sizeof *mm2);
      continue;
    }
    pts[n_rep] = i;
    rep[n_rep++] = r->pt_ser[i];
  }
  if (!n_rep) {
    rc = figSkip(o, name, title, caption,
                 "no run carries its composition (priced runs of qasim with schema 4 do)", err);
    goto end;
  }
  QaReportFigure *fig;
  if ((rc = figAdd(o, name, title, caption, &fig, err))) goto end;
  if (!(labels = qaMalloc((size_t)n_rep * sizeof *labels, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  static const char *const kHardwareOnly[] = {ATTR_BITS,   "qa",  "qw",     "enc",    "seed",
                                              "zero_frac", "wgt", "timing", "verify", NULL};
  reportLabels(r, rep, n_rep, kHardwareOnly, NULL, labels, common, sizeof common);
  snprintf(path, sizeof path, "%s/%s.csv", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  fputs("design", f);
  for (int c = 0; c < QA_CAT_DRAM; c++) fprintf(f, ",%s_mm2", qaCategoryName((QaCategory)c));
  fputs(",total_mm2\n", f);
  for (int k = 0; k < n_rep; k++) {
    double tot = 0;
    csvText(f, labels[k]);
    for (int c = 0; c < QA_CAT_DRAM; c++) {
      csvNum(f, mm2[(size_t)k * QA_CAT_COUNT + c]);
      tot += mm2[(size_t)k * QA_CAT_COUNT + c];
    }
    csvNum(f, tot);
    fputc('\n', f);
  }
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  const QaStoreSqlId also[] = {QA_SQL_COMPONENT_AREAS};
  if ((rc = writeSql(
           o, name,
           "per hardware configuration (arch, arch_config, cost label): the run_component rows of one of "
           "its runs,\narea_um2 summed per category and divided by 1e6 (mm^2); DRAM is off chip.",
           also, 1, err)))
    goto end;
  size_t lab = maxLen(labels, n_rep);
  int width = clampW(260 + keyPx(14) + n_rep * 50);
  snprintf(path, sizeof path, "%s/%s.gp", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  gpHead(f, name, title, width, 460 + (int)(lab > 40 ? 40 : lab) * 5);
  fprintf(f, "set title ");
  gpString(f, title);
  fprintf(f, "\nset style data histograms\nset style histogram rowstacked\nset boxwidth 0.6 relative\n");
  fprintf(
      f,
      "set key invert\nset ylabel 'area (mm^2)'\nset yrange [0:*]\nset xtics nomirror rotate by -35 left\n");
  for (int c = 0; c < QA_CAT_DRAM; c++) {
    if (c == 0)
      fprintf(f, "plot '%s.csv' skip 1 using 2:xtic(1)", name);
    else
      fprintf(f, ", \\\n     '' skip 1 using %d", 2 + c);
    fprintf(f, " title '%s' lc rgb '%s'", reportCategoryLabel(c), reportCategoryColor(c));
  }
  fputc('\n', f);
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  fig->drawn = 1;
  fig->n_series = QA_CAT_DRAM;
  if (n_rep > 4 * r->max_series &&
      (rc = figWarn(o, fig, "%d designs in one chart: narrow it with --arch or --where", n_rep)))
    goto end;
  rc = figPoints(o, pts, n_rep, common, err);
end:
  if (f) fclose(f);
  qaStoreFreeComponentAreas(a, n_a);
  free(rep);
  free(pts);
  free(mm2);
  free(labels);
  return rc;
}

/* ---------------------------------------------------------------- 6: energy vs SQNR */

static int figSqnr(Out *o, QaErr *err) {
  Report *r = o->r;
  const char *name = "energy-sqnr";
  char title[] = "Energy per inference against quantization SQNR", caption[512], path[QA_PATH_MAX + 64];
  char common[LABEL_MAX * 2] = "";
  int rc = QA_OK, *pts = NULL, n_pts = 0, *order = NULL, *front = NULL;
  char(*colors)[8] = NULL;
  FILE *f = NULL;
  snprintf(caption, sizeof caption,
           "energy per inference (uJ) against the SQNR of the quantized operands (dB, MAC-weighted over the "
           "layers, activation and weight noise added), one colour per architecture, one panel per network; "
           "the line marks the Pareto front (no other design has both more SQNR and less energy)");
  pts = qaMalloc((size_t)r->n_pt * sizeof *pts, err);
  order = qaMalloc((size_t)r->n_pt * sizeof *order, err);
  front = qaCalloc((size_t)r->n_pt, sizeof *front, err);
  colors = qaMalloc((size_t)(r->n_archs ? r->n_archs : 1) * sizeof *colors, err);
  if (!pts || !order || !front || !colors) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int i = 0; i < r->n_pt; i++)
    if (isfinite(r->sqnr_db[i]) && !isnan(reportEnergyUj(r, i))) pts[n_pts++] = i;
  if (!n_pts) {
    rc = figSkip(o, name, title, caption, "no priced design point carries SQNR", err);
    goto end;
  }
  QaReportFigure *fig;
  if ((rc = figAdd(o, name, title, caption, &fig, err))) goto end;
  figColors(NULL, r->n_archs, colors);
  /* the front per network: by SQNR descending, a point is on it if its energy is below
  ** that of every point with at least its SQNR */
  for (int g = 0; g < r->n_grp; g++) {
    int n = 0;
    for (int k = 0; k < n_pts; k++)
      if (r->pt_grp[pts[k]] == g) order[n++] = pts[k];
    for (int i = 1; i < n; i++) /* SQNR descending, then energy ascending */
      for (int j = i; j > 0 && (r->sqnr_db[order[j]] > r->sqnr_db[order[j - 1]] ||
                                (r->sqnr_db[order[j]] == r->sqnr_db[order[j - 1]] &&
                                 reportEnergyUj(r, order[j]) < reportEnergyUj(r, order[j - 1])));
           j--) {
        int t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
    double best = INFINITY;
    for (int k = 0; k < n; k++) {
      double e = reportEnergyUj(r, order[k]);
      if (e < best) {
        front[order[k]] = 1;
        best = e;
      }
    }
  }
  snprintf(path, sizeof path, "%s/%s.csv", o->dir, name);
  if ((rc = openW(path, &f, err))) goto end;
  fputs("network,design,arch,a_bits,w_bits,sqnr_db,energy_per_inference_uj,role\n", f);
  typedef struct Rng {
    int g, arch, start, end; /* arch -1: the front */
  } Rng;
  Rng *rng = qaMalloc((size_t)(r->n_grp * (r->n_archs + 1)) * sizeof *rng, err);
  int n_rng = 0, row = 0, n_panels = 0;
  double lo = INFINITY, hi = 0;
  char(*labels)[LABEL_MAX] = qaMalloc((size_t)r->n_ser * sizeof *labels, err);
  int *all = qaMalloc((size_t)r->n_ser * sizeof *all, err);
  if (!rng || !labels || !all) {
    free(rng);
    free(labels);
    free(all);
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int s = 0; s < r->n_ser; s++) all[s] = s;
  reportLabels(r, all, r->n_ser, NULL, NULL, labels, common, sizeof common);
  for (int g = 0; g < r->n_grp; g++) {
    int any = 0;
    for (int a = 0; a <= r->n_archs; a++) { /* the architectures, then the front (a == n_archs) */
      int first = row;
      int n = 0;
      for (int k = 0; k < n_pts; k++)
        if (r->pt_grp[pts[k]] == g &&
            (a == r->n_archs ? front[pts[k]] : !strcmp(r->pt[pts[k]].arch, r->archs[a])))
          order[n++] = pts[k];
      for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && r->sqnr_db[order[j]] < r->sqnr_db[order[j - 1]]; j--) {
          int t = order[j];
          order[j] = order[j - 1];
          order[j - 1] = t;
        }
      for (int k = 0; k < n; k++) {
        int i = order[k];
        const QaPoint *p = &r->pt[i];
        double e = reportEnergyUj(r, i);
        csvText(f, r->grp[g].label);
        fputc(',', f);
        csvText(f, labels[r->pt_ser[i]]);
        fputc(',', f);
        csvText(f, p->arch);
        fprintf(f, ",%d,%d", p->a_bits, p->w_bits);
        csvNum(f, r->sqnr_db[i]);
        csvNum(f, e);
        fprintf(f, ",%s\n", a == r->n_archs ? "front" : "point");
        row++;
        if (e > 0 && e < lo) lo = e;
        if (e > hi) hi = e;
      }
      if (row > first) {
        rng[n_rng++] = (Rng){g, a == r->n_archs ? -1 : a, first, row - 1};
        any = 1;
      }
    }
    n_panels += any;
  }
  free(labels);
  free(all);
  if ((rc = closeW(path, f, err))) {
    free(rng);
    goto end;
  }
  f = NULL;
  const QaStoreSqlId also[] = {QA_SQL_LAYER_QUALITY};
  if ((rc = writeSql(
           o, name,
           "per layer: sqnr = -10 log10(10^(-a_sqnr_db/10) + 10^(-w_sqnr_db/10)); per design point: the\n"
           "MAC-weighted mean over its layers (layers without a finite value left out); energy =\n"
           "energy_per_inference_pj / 1e6 (uJ). Front rows: the points no other point of the network\n"
           "beats in both SQNR (higher) and energy (lower).",
           also, 1, err))) {
    free(rng);
    goto end;
  }
  int cols_n = n_panels > 1 ? 2 : 1, rows_n = (n_panels + cols_n - 1) / cols_n;
  snprintf(path, sizeof path, "%s/%s.gp", o->dir, name);
  if ((rc = openW(path, &f, err))) {
    free(rng);
    goto end;
  }
  gpHead(f, name, title, clampW(cols_n * 640), rows_n * PANEL_H + 50);
  fprintf(f, "set xlabel 'SQNR (dB)'\nset ylabel 'energy per inference (uJ)'\n");
  if (lo < INFINITY && hi / lo >= 50) fprintf(f, "set logscale y\nset format y '%%g'\n");
  fprintf(f, "set multiplot layout %d,%d title ", rows_n, cols_n);
  gpString(f, title);
  fputc('\n', f);
  for (int g = 0; g < r->n_grp; g++) {
    int first = 1;
    for (int k = 0; k < n_rng; k++) {
      if (rng[k].g != g) continue;
      if (first) {
        fprintf(f, "set title ");
        gpString(f, r->grp[g].label);
        fprintf(f, "\nplot '%s.csv' skip 1 every ::%d::%d using 6:7", name, rng[k].start, rng[k].end);
      } else {
        fprintf(f, ", \\\n     '' skip 1 every ::%d::%d using 6:7", rng[k].start, rng[k].end);
      }
      if (rng[k].arch >= 0) {
        fprintf(f, " with points pt 7 ps 1.2 lc rgb '%s' title ", colors[rng[k].arch]);
        gpString(f, r->archs[rng[k].arch]);
      } else {
        fprintf(f, " with linespoints pt 6 ps 2 lw 1.5 dt 2 lc rgb '#000000' title 'Pareto front'");
      }
      first = 0;
    }
    if (!first) fputc('\n', f);
  }
  fprintf(f, "unset multiplot\n");
  free(rng);
  if ((rc = closeW(path, f, err))) goto end;
  f = NULL;
  fig->drawn = 1;
  fig->n_series = r->n_archs + 1;
  rc = figPoints(o, pts, n_pts, common, err);
end:
  if (f) fclose(f);
  free(pts);
  free(order);
  free(front);
  free(colors);
  return rc;
}

/* ---------------------------------------------------------------- running gnuplot */

/* Run argv[0] (PATH lookup) in directory cwd with stdin from /dev/null, capturing
** stdout+stderr into out[cap]. *status gets the wait status; *exec_errno the errno of
** a failed exec or chdir (0 if the program started). */
static int runProg(char *const argv[], const char *cwd, char *out, size_t cap, int *status, int *exec_errno,
                   QaErr *err) {
  int outp[2] = {-1, -1}, errp[2] = {-1, -1}, rc = QA_OK;
  size_t len = 0;
  *status = 0;
  *exec_errno = 0;
  out[0] = 0;
  if (pipe(outp) != 0 || pipe(errp) != 0) {
    rc = qaErrSet(err, QA_EINTERNAL, "cannot create a pipe to run %s: %s", argv[0], strerror(errno));
    goto end;
  }
  if (fcntl(errp[1], F_SETFD, FD_CLOEXEC) != 0) {
    rc = qaErrSet(err, QA_EINTERNAL, "fcntl failed: %s", strerror(errno));
    goto end;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    rc = qaErrSet(err, QA_EINTERNAL, "cannot fork to run %s: %s", argv[0], strerror(errno));
    goto end;
  }
  if (pid == 0) {
    int nul = open("/dev/null", O_RDONLY);
    if (nul >= 0) dup2(nul, 0);
    dup2(outp[1], 1);
    dup2(outp[1], 2);
    close(outp[0]);
    close(errp[0]);
    if (cwd && chdir(cwd) != 0) {
      int e = errno;
      if (write(errp[1], &e, sizeof e) < 0) _exit(126);
      _exit(127);
    }
    execvp(argv[0], argv);
    int e = errno;
    if (write(errp[1], &e, sizeof e) < 0) _exit(126);
    _exit(127);
  }
  close(outp[1]);
  outp[1] = -1;
  close(errp[1]);
  errp[1] = -1;
  for (;;) {
    char buf[512];
    ssize_t n = read(outp[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    size_t take = (size_t)n;
    if (len + take + 1 > cap) take = cap - 1 - len;
    memcpy(out + len, buf, take);
    len += take;
    out[len] = 0;
  }
  int e = 0;
  ssize_t n;
  do n = read(errp[0], &e, sizeof e);
  while (n < 0 && errno == EINTR);
  if (n == (ssize_t)sizeof e) *exec_errno = e;
  while (waitpid(pid, status, 0) < 0) {
    if (errno != EINTR) {
      rc = qaErrSet(err, QA_EINTERNAL, "waitpid for %s failed: %s", argv[0], strerror(errno));
      break;
    }
  }
end:
  for (int i = 0; i < 2; i++) {
    if (outp[i] >= 0) close(outp[i]);
    if (errp[i] >= 0) close(errp[i]);
  }
  return rc;
}

static int gnuplotMissing(const Out *o, QaErr *err) {
  if (strcmp(o->gnuplot, "gnuplot"))
    return qaErrSet(err, QA_EUSER,
                    "gnuplot not found (tried '%s'); install it with: apt-get install gnuplot-nox",
                    o->gnuplot);
  return qaErrSet(
      err, QA_EUSER,
      "gnuplot not found; install it with: apt-get install gnuplot-nox (the data, scripts and index "
      "are written)");
}

/* NAME.png and NAME.pdf from NAME.gp. */
static int render(Out *o, QaReportFigure *fig, QaErr *err) {
  char out[PROC_OUT_MAX], script[TAG_MAX + 32];
  snprintf(script, sizeof script, "%s.gp", fig->name);
  for (int pdf = 0; pdf < 2; pdf++) {
    int status, exec_errno;
    char *argv_png[] = {(char *)o->gnuplot, script, NULL};
    char *argv_pdf[] = {(char *)o->gnuplot, "-e", "qa_out='pdf'", script, NULL};
    int rc = runProg(pdf ? argv_pdf : argv_png, o->dir, out, sizeof out, &status, &exec_errno, err);
    if (rc) return rc;
    if (exec_errno == ENOENT) return gnuplotMissing(o, err);
    if (exec_errno)
      return qaErrSet(err, QA_EUSER, "cannot run '%s' in '%s': %s", o->gnuplot, o->dir, strerror(exec_errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      char *msg = out, *nl;
      while (*msg == '\n' || *msg == ' ') msg++;
      if ((nl = strchr(msg, '\n'))) *nl = 0;
      return qaErrSet(err, QA_EINTERNAL, "gnuplot failed on %s/%s (%s): %s", o->dir, script,
                      pdf ? "pdf" : "png", msg[0] ? msg : "no output");
    }
    char path[QA_PATH_MAX + 64];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s.%s", o->dir, fig->name, pdf ? "pdf" : "png");
    if (stat(path, &sb) != 0 || sb.st_size == 0)
      return qaErrSet(err, QA_EINTERNAL, "gnuplot ran %s but wrote no %s (output: %.200s)", script, path,
                      out[0] ? out : "none");
  }
  fig->rendered = 1;
  return QA_OK;
}

/* ---------------------------------------------------------------- entry point */

void qaReportSummaryClear(QaReportSummary *s) {
  if (!s) return;
  for (int i = 0; i < s->n_figures; i++) {
    QaReportFigure *f = &s->figures[i];
    free(f->name);
    free(f->title);
    free(f->caption);
    free(f->note);
  }
  free(s->figures);
  for (int i = 0; i < s->n_notes; i++) free(s->notes[i]);
  free(s->notes);
  free(s->out_dir);
  free(s->index);
  free(s->baseline);
  memset(s, 0, sizeof *s);
}

void qaReportPrintSummary(const QaReportSummary *s, FILE *out) {
  if (!s || !out) return;
  int n_drawn = 0, n_rendered = 0;
  for (int i = 0; i < s->n_figures; i++) {
    n_drawn += s->figures[i].drawn;
    n_rendered += s->figures[i].rendered;
  }
  fprintf(out, "report: %d design point%s (%d architecture%s, %d network%s), baseline %s -> %s\n",
          s->n_points, s->n_points == 1 ? "" : "s", s->n_archs, s->n_archs == 1 ? "" : "s", s->n_networks,
          s->n_networks == 1 ? "" : "s", s->baseline ? s->baseline : "none",
          s->index ? s->index : "(no index)");
  for (int i = 0; i < s->n_figures; i++) {
    const QaReportFigure *f = &s->figures[i];
    fprintf(out, "  %-22s %s%s\n", f->name, f->drawn ? f->title : "(not drawn)",
            f->drawn && !f->rendered ? "  [not rendered]" : "");
  }
  fprintf(out,
          "  %d of %d figures drawn, %d rendered (.png and .pdf, each with .csv data, .sql queries, .gp "
          "script)\n",
          n_drawn, s->n_figures, n_rendered);
  for (int i = 0; i < s->n_notes; i++) fprintf(out, "  note: %s\n", s->notes[i]);
}

int qaReportWrite(QaStore *st, const char *out_dir, const QaReportOptions *opt, QaReportSummary *out,
                  QaErr *err) {
  static const QaReportOptions kDefaults = {0};
  QaReportSummary local;
  Report r;
  Out o;
  int rc = QA_OK, in_read = 0;
  memset(&r, 0, sizeof r);
  memset(&o, 0, sizeof o);
  memset(&local, 0, sizeof local);
  r.opt = opt ? opt : &kDefaults;
  r.sum = out ? out : &local;
  memset(r.sum, 0, sizeof *r.sum);
  r.store = st;
  r.max_series = r.opt->max_series > 0 ? r.opt->max_series : QA_REPORT_MAX_SERIES;
  o.r = &r;
  o.dir = out_dir;
  o.gnuplot = r.opt->gnuplot && *r.opt->gnuplot ? r.opt->gnuplot : "gnuplot";
  if (!st) return qaErrSet(err, QA_EUSER, "report: no results store given");
  if (!out_dir || !*out_dir) return qaErrSet(err, QA_EUSER, "report: empty output directory name");
  if (!(r.sum->out_dir = reportStrDup(out_dir, err))) return QA_EINTERNAL;

  if ((rc = qaStoreBeginRead(st, err))) goto end;
  in_read = 1;
  if ((rc = reportLoad(&r, err)) || (rc = reportBaseline(&r, err))) goto end;
  if (r.base >= 0 && !(r.sum->baseline = reportStrDup(r.base_label, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  if ((rc = mkdirP(out_dir, err))) goto end;
  char path[QA_PATH_MAX + 64];
  FILE *f;
  snprintf(path, sizeof path, "%s/style.gp", out_dir);
  if ((rc = openW(path, &f, err))) goto end;
  fputs(kStyle, f);
  if ((rc = closeW(path, f, err))) goto end;
  if ((rc = figSpeedup(&o, 0, err)) || (rc = figSpeedup(&o, 1, err)) || (rc = figEnergy(&o, err)) ||
      (rc = figBits(&o, 1, err)) || (rc = figBits(&o, 0, err)) || (rc = figLayers(&o, err)) ||
      (rc = figArea(&o, err)) || (rc = figSqnr(&o, err)))
    goto end;
  qaStoreEndRead(st);
  in_read = 0;
  if ((rc = reportWriteIndex(&r, out_dir, err))) goto end;
  if (r.opt->no_render) goto end;
  for (int i = 0; i < r.sum->n_figures; i++)
    if (r.sum->figures[i].drawn && (rc = render(&o, &r.sum->figures[i], err))) goto end;
  /* the index again: now it can say which images exist */
  rc = reportWriteIndex(&r, out_dir, err);
end:
  if (in_read) qaStoreEndRead(st);
  reportFree(&r);
  if (!out) qaReportSummaryClear(&local);
  return rc;
}
