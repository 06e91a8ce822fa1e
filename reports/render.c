/*
** render.c - the report as files (see report.h): every plot's table (data.c) written as
** <name>.dat and <name>.gp, the shared style.gp, gnuplot run on each script, and the
** summary of what was written.
**
** qaReportPlots reads everything it needs inside one read snapshot of the store, writes
** every .dat and .gp, and only then runs gnuplot on each script - so a missing gnuplot
** still leaves the data and the scripts behind. Scripts use paths relative to the output
** directory and load style.gp first, so a plot can be restyled and re-run by hand.
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
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "models/energy.h"
#include "reports/reportInt.h"

#define PROC_OUT_MAX 4096

/* The shared look of every plot; %s is the terminal spec. Written as style.gp. */
static const char *const kStyleTemplate =
    "# style.gp - the shared look of every qasim report plot (written by qaReportPlots).\n"
    "# Every <name>.gp in this directory loads it first: edit it to restyle all plots,\n"
    "# then re-run a plot from this directory, e.g.  gnuplot speedup.gp\n"
    "qa_term = \"%s\"\n"
    "set encoding utf8\n"
    "set border 3 lw 1 lc rgb '#404040'\n"
    "set tics nomirror out scale 0.6\n"
    "set grid ytics lt 1 lw 1 lc rgb '#dddddd'\n"
    "set grid back\n"
    "set key outside right top vertical Left reverse samplen 2 spacing 1.2 width 1 box lc rgb '#bbbbbb'\n"
    "set title font ',12'\n"
    "set style fill solid 0.9 border lc rgb '#303030'\n"
    "set boxwidth 0.85 relative\n"
    "set datafile missing '-'\n"
    "set offsets 0, 0, graph 0.05, 0\n"
    "# Okabe-Ito colour-blind-safe palette, then Paul Tol's muted colours; plots pick the\n"
    "# line type by config (bars), component (stacks) or arch variant (lines).\n"
    "set linetype 1 lc rgb '#0072b2' lw 2 pt 7 ps 1.2\n"
    "set linetype 2 lc rgb '#e69f00' lw 2 pt 5 ps 1.2\n"
    "set linetype 3 lc rgb '#009e73' lw 2 pt 9 ps 1.4\n"
    "set linetype 4 lc rgb '#d55e00' lw 2 pt 11 ps 1.4\n"
    "set linetype 5 lc rgb '#cc79a7' lw 2 pt 13 ps 1.4\n"
    "set linetype 6 lc rgb '#56b4e9' lw 2 pt 15 ps 1.2\n"
    "set linetype 7 lc rgb '#f0e442' lw 2 pt 3 ps 1.2\n"
    "set linetype 8 lc rgb '#000000' lw 2 pt 1 ps 1.2\n"
    "set linetype 9 lc rgb '#882255' lw 2 pt 2 ps 1.2\n"
    "set linetype 10 lc rgb '#44aa99' lw 2 pt 4 ps 1.2\n"
    "set linetype 11 lc rgb '#999933' lw 2 pt 6 ps 1.2\n"
    "set linetype 12 lc rgb '#332288' lw 2 pt 8 ps 1.2\n"
    "set linetype 13 lc rgb '#aa4499' lw 2 pt 10 ps 1.2\n"
    "set linetype 14 lc rgb '#999999' lw 2 pt 12 ps 1.2\n"
    "set linetype cycle 14\n";

/* What rendering needs besides the data. */
typedef struct Render {
  Report *r;            /* the data (data.c) */
  QaReportSummary *sum; /* plots written go here */
  const char *out_dir;  /* as given */
  const char *gnuplot;  /* executable */
  int log_y;            /* 1: logarithmic y on the layers and bits plots */
  const char *term;     /* "pngcairo" or "png" */
} Render;

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

/* A label as a double-quoted .dat field: quotes become ', control chars spaces. */
static void putDatLabel(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    fputc(ch == '"' ? '\'' : (ch < 0x20 ? ' ' : ch), f);
  }
  fputc('"', f);
}

/* A string as a single-quoted gnuplot literal (' doubled, control chars spaces). */
static void putGpString(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '\'') fputc('\'', f);
    fputc(ch < 0x20 ? ' ' : ch, f);
  }
  fputc('\'', f);
}

/* ---------------------------------------------------------------- summary */

/* Append a plot entry named name with its three paths; *out points at it. */
static int addPlot(Render *c, const char *name, const char *title, QaReportPlot **out, QaErr *err) {
  QaReportSummary *s = c->sum;
  QaReportPlot *grown = realloc(s->plots, (size_t)(s->n_plots + 1) * sizeof *grown);
  if (!grown) return qaErrSet(err, QA_EINTERNAL, "out of memory adding a report plot");
  s->plots = grown;
  QaReportPlot *p = &s->plots[s->n_plots];
  memset(p, 0, sizeof *p);
  s->n_plots++;
  p->name = reportStrDup(name, err);
  p->title = reportStrDup(title, err);
  p->dat_path = fmtStr(err, "%s/%s.dat", c->out_dir, name);
  p->gp_path = fmtStr(err, "%s/%s.gp", c->out_dir, name);
  p->png_path = fmtStr(err, "%s/%s.png", c->out_dir, name);
  if (!p->name || !p->title || !p->dat_path || !p->gp_path || !p->png_path) return QA_EINTERNAL;
  *out = p;
  return QA_OK;
}

void qaReportSummaryClear(QaReportSummary *s) {
  if (!s) return;
  for (int i = 0; i < s->n_plots; i++) {
    QaReportPlot *p = &s->plots[i];
    free(p->name);
    free(p->title);
    free(p->dat_path);
    free(p->gp_path);
    free(p->png_path);
  }
  free(s->plots);
  for (int i = 0; i < s->n_notes; i++) free(s->notes[i]);
  free(s->notes);
  free(s->out_dir);
  free(s->style_path);
  memset(s, 0, sizeof *s);
}

void qaReportPrintSummary(const QaReportSummary *s, FILE *out) {
  if (!s || !out) return;
  int n_rendered = 0;
  for (int i = 0; i < s->n_plots; i++) n_rendered += s->plots[i].rendered;
  fprintf(out, "report: %d run%s (%d config%s, %d workload%s) -> %s\n", s->n_runs, s->n_runs == 1 ? "" : "s",
          s->n_configs, s->n_configs == 1 ? "" : "s", s->n_workloads, s->n_workloads == 1 ? "" : "s",
          s->out_dir ? s->out_dir : "(none)");
  for (int i = 0; i < s->n_plots; i++) {
    const QaReportPlot *p = &s->plots[i];
    char file[512];
    snprintf(file, sizeof file, "%s.%s", p->name, p->rendered ? "png" : "gp");
    fprintf(out, "  %-24s %s%s\n", file, p->title, p->rendered ? "" : "  [not rendered]");
  }
  if (s->n_plots)
    fprintf(out,
            "  %d of %d plots rendered (%s); each has a .dat (data) and a .gp (script) loading "
            "style.gp; re-run one with: cd %s && gnuplot <name>.gp\n",
            n_rendered, s->n_plots, s->terminal ? s->terminal : "no terminal", s->out_dir);
  for (int i = 0; i < s->n_notes; i++) fprintf(out, "  note: %s\n", s->notes[i]);
}

/* ---------------------------------------------------------------- files */

static int mkdirP(const char *dir, QaErr *err) {
  int rc = QA_OK;
  char *p = NULL;
  struct stat sb;
  if (!dir || !*dir) return qaErrSet(err, QA_EUSER, "report: empty output directory name");
  if (!(p = reportStrDup(dir, err))) return QA_EINTERNAL;
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s != 0) continue;
    char ch = *s;
    *s = 0;
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
      int e = errno;
      if (strcmp(p, dir))
        rc =
            qaErrSet(err, QA_EUSER, "cannot create output directory '%s': %s (at '%s')", dir, strerror(e), p);
      else
        rc = qaErrSet(err, QA_EUSER, "cannot create output directory '%s': %s", dir, strerror(e));
      goto end;
    }
    *s = ch;
    if (!ch) break;
  }
  if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
    rc = qaErrSet(err, QA_EUSER, "cannot use output directory '%s': %s", dir,
                  stat(dir, &sb) != 0 ? strerror(errno) : "it exists and is not a directory");
    goto end;
  }
  if (access(dir, W_OK | X_OK) != 0) {
    rc = qaErrSet(err, QA_EUSER, "cannot write to output directory '%s': %s", dir, strerror(errno));
    goto end;
  }
end:
  free(p);
  return rc;
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

/* The common head of every plot script. */
static void gpHead(FILE *f, const QaReportPlot *p, int width_px, int height_px) {
  fprintf(f, "# %s.gp - %s\n", p->name, p->title);
  fprintf(f, "# Written by qaReportPlots; data in %s.dat. Re-run from this directory:\n", p->name);
  fprintf(f, "#   gnuplot %s.gp\n", p->name);
  fprintf(f, "load 'style.gp'\n");
  fprintf(f, "set terminal @qa_term size %d,%d\n", width_px, height_px);
  fprintf(f, "set output '%s.png'\n", p->name);
  fprintf(f, "set title ");
  putGpString(f, p->title);
  fputc('\n', f);
}

/* The plot command of a bar chart: one series per column, data columns first_col.. of
** <name>.dat, x tick labels from column xtic_col, series x titled titles[cols[x]] (or
** the config label when titles is NULL) and coloured by its stable index cols[x]. */
static void gpBarPlot(FILE *f, const Report *c, const char *name, int first_col, int xtic_col,
                      const int *cols, int n_cols, char *const *titles) {
  fprintf(f, "plot ");
  for (int x = 0; x < n_cols; x++) {
    if (x == 0)
      fprintf(f, "'%s.dat' using %d:xtic(%d)", name, first_col + x, xtic_col);
    else
      fprintf(f, ", \\\n     '' using %d", first_col + x);
    fprintf(f, " title ");
    putGpString(f, titles ? titles[cols[x]] : c->cfg[cols[x]].label);
    fprintf(f, " lt %d", cols[x] + 1);
  }
  fprintf(f, "\nunset output\n");
}

/* Bar-chart x axis: row i (a cluster or a stack) sits at x = i; frame the rows
** tightly and rotate the tic labels when they would collide. */
static void gpXtics(FILE *f, int n_rows, size_t max_label, int plot_w_px) {
  fprintf(f, "set xrange [-0.5:%d.5]\n", n_rows - 1);
  if ((double)n_rows * ((double)max_label * 7.0 + 12.0) > (double)plot_w_px)
    fprintf(f, "set xtics rotate by -35 left nomirror\n");
  else
    fprintf(f, "set xtics nomirror\n");
}

/* y axis of a count/energy plot: log or from 0; engineering suffixes (1.5M) only when
** the values are large enough to need them. */
static void gpYAxis(FILE *f, int log_y, double max_value) {
  if (log_y)
    fprintf(f, "set logscale y\nset format y '%%.0s%%c'\n");
  else
    fprintf(f, "set yrange [0:*]\nset format y '%s'\n", max_value < 1e4 ? "%g" : "%.1s%c");
}

static int barWidth(int n_rows, int n_cols, int key_px) {
  int w = key_px + 120 + n_rows * (n_cols * 16 + 28);
  if (w < 800) w = 800;
  if (w > 4000) w = 4000;
  return w;
}

/* Comma-separated distinct "a/w" pairs of the listed configs, widest first. */
/* Append to TITLE[cap] a warning when some plotted runs of workload W (-1: all) have more
** than QA_ENERGY_WEAK_FLAG of their energy on assumed or extrapolated cost rows (issue 9). */
static void weakNote(const Report *c, int w, char *title, size_t cap) {
  int n = 0, weak = 0;
  for (int i = 0; i < c->n_wl; i++)
    for (int j = 0; j < c->n_cfg; j++) {
      const Cell *x = &CELL(c, i, j);
      if ((w >= 0 && i != w) || !x->run_id || !x->has_energy || !(x->energy_pj > 0)) continue;
      n++;
      weak += x->weak_pj > QA_ENERGY_WEAK_FLAG * x->energy_pj;
    }
  size_t used = strlen(title);
  if (weak && used < cap)
    snprintf(title + used, cap - used,
             " - WARNING: %d of %d runs have >%.0f%% of their energy on assumed or "
             "extrapolated cost rows",
             weak, n, 100 * QA_ENERGY_WEAK_FLAG);
}

static void bitsList(const Report *c, const int *cols, int n, char *buf, size_t cap) {
  int prev_a = INT32_MAX, prev_w = INT32_MAX;
  buf[0] = 0;
  for (;;) { /* repeatedly take the widest pair below the previous one */
    int best_a = -1, best_w = -1;
    for (int x = 0; x < n; x++) {
      const Config *g = &c->cfg[cols[x]];
      int below = g->a_bits < prev_a || (g->a_bits == prev_a && g->w_bits < prev_w);
      if (below && (g->a_bits > best_a || (g->a_bits == best_a && g->w_bits > best_w))) {
        best_a = g->a_bits;
        best_w = g->w_bits;
      }
    }
    if (best_a < 0) break;
    reportAppendf(buf, cap, "%s%d/%d", buf[0] ? ", " : "", best_a, best_w);
    prev_a = best_a;
    prev_w = best_w;
  }
}

static size_t maxLabelLen(const Report *c, const int *cols, int n) {
  size_t m = 0;
  for (int x = 0; x < n; x++)
    if (strlen(c->cfg[cols[x]].label) > m) m = strlen(c->cfg[cols[x]].label);
  return m;
}

/* Approximate pixel width of the outside key for labels of length len. */
static int keyWidth(size_t len) { return (int)(len * 7) + 60; }

static void datRunsComment(FILE *f, const Report *c, int w, const int *cols, int n) {
  for (int x = 0; x < n; x++) {
    const Cell *cell = &CELL(c, w, cols[x]);
    if (!cell->run_id) continue;
    fprintf(f, "# run_id %lld: ", (long long)cell->run_id);
    putDatLabel(f, c->cfg[cols[x]].label);
    fprintf(f, ", workload ");
    putDatLabel(f, c->wl[w].name);
    fputc('\n', f);
  }
}

/* ---------------------------------------------------------------- plot 1: layers */

static int writeLayers(Render *o, const LayersTable *t, QaErr *err) {
  const Report *c = o->r;
  int rc, w = t->w;
  FILE *f = NULL;
  QaReportPlot *p = NULL;
  char name[TAG_MAX + 16], title[QA_ERR_MAX], bits[512];

  snprintf(name, sizeof name, "layers-%s", c->wl[w].tag);
  bitsList(c, t->cols, t->n_cols, bits, sizeof bits);
  snprintf(title, sizeof title, "%s: n_cycles per layer (bits a/w: %s)", c->wl[w].name, bits);
  if ((rc = addPlot(o, name, title, &p, err))) return rc;

  if ((rc = openW(p->dat_path, &f, err))) return rc;
  fprintf(f, "# qasim report: n_cycles per layer of workload ");
  putDatLabel(f, c->wl[w].name);
  fprintf(f, ", newest run of each config; '-' = no value\n");
  datRunsComment(f, c, w, t->cols, t->n_cols);
  fprintf(f, "# layer_idx name");
  for (int x = 0; x < t->n_cols; x++) {
    fputc(' ', f);
    putDatLabel(f, c->cfg[t->cols[x]].label);
  }
  fputc('\n', f);
  size_t max_name = 0;
  for (int r = 0; r < t->n_rows; r++) {
    const LayerRow *row = &t->rows[r];
    fprintf(f, "%lld ", (long long)row->layer_idx);
    putDatLabel(f, row->name);
    if (strlen(row->name) > max_name) max_name = strlen(row->name);
    for (int x = 0; x < t->n_cols; x++) {
      if (row->v[x] < 0)
        fprintf(f, " -");
      else
        fprintf(f, " %lld", (long long)row->v[x]);
    }
    fputc('\n', f);
  }
  if ((rc = closeW(p->dat_path, f, err))) return rc;

  int key_px = keyWidth(maxLabelLen(c, t->cols, t->n_cols));
  int width = barWidth(t->n_rows, t->n_cols, key_px);
  if ((rc = openW(p->gp_path, &f, err))) return rc;
  gpHead(f, p, width, 520);
  fprintf(f, "set style data histograms\n");
  fprintf(f, "set style histogram clustered gap 1\n");
  fprintf(f, "set xlabel 'layer'\n");
  fprintf(f, "set ylabel 'n_cycles'\n");
  gpXtics(f, t->n_rows, max_name, width - key_px - 120);
  double max_v = 0;
  for (int r = 0; r < t->n_rows; r++)
    for (int x = 0; x < t->n_cols; x++)
      if ((double)t->rows[r].v[x] > max_v) max_v = (double)t->rows[r].v[x];
  gpYAxis(f, o->log_y, max_v);
  gpBarPlot(f, c, p->name, 3, 2, t->cols, t->n_cols, NULL);
  return closeW(p->gp_path, f, err);
}

static int plotLayers(Render *o, int w, QaErr *err) {
  LayersTable t;
  int rc = reportLayersTable(o->r, w, &t, err);
  if (!rc && t.n_rows) rc = writeLayers(o, &t, err);
  reportLayersTableFree(&t);
  return rc;
}

/* ---------------------------------------------------------------- plots 2 and 4b: ratios */

/* speedup.png (t->energy = 0) or efficiency.png (t->energy = 1). */
static int writeRatio(Render *o, const RatioTable *t, QaErr *err) {
  const Report *c = o->r;
  int rc, energy = t->energy;
  FILE *f = NULL;
  QaReportPlot *p = NULL;
  const char *name = energy ? "efficiency" : "speedup";
  const char *what = energy ? "energy_pj" : "n_cycles";
  char base_label[LABEL_MAX], title[QA_ERR_MAX], bits[512];
  reportBaseLabel(c, base_label, sizeof base_label);

  bitsList(c, t->cols, t->n_cols, bits, sizeof bits);
  if (energy) {
    snprintf(title, sizeof title, "Energy efficiency over %s, costs %s (bits a/w: %s)", base_label, c->costs,
             bits);
    weakNote(c, -1, title, sizeof title);
  } else
    snprintf(title, sizeof title, "Speedup over %s (bits a/w: %s)", base_label, bits);
  if ((rc = addPlot(o, name, title, &p, err))) return rc;

  if ((rc = openW(p->dat_path, &f, err))) return rc;
  fprintf(f, "# qasim report: %s = %s(%s) / %s(config) per workload%s%s%s; '-' = no run\n",
          energy ? "energy efficiency" : "speedup", what, base_label, what, energy ? ", costs '" : "",
          energy ? c->costs : "", energy ? "'" : "");
  for (int r = 0; r < t->n_rows; r++) {
    fprintf(f, "# baseline of ");
    putDatLabel(f, c->wl[t->rows[r]].name);
    fprintf(f, ": run_id %lld (", (long long)CELL(c, t->rows[r], t->base[r]).run_id);
    fprintf(f, "%s), %s %.*f\n", c->cfg[t->base[r]].label, what, energy ? 3 : 0, t->base_value[r]);
  }
  fprintf(f, "# workload");
  for (int x = 0; x < t->n_cols; x++) {
    fputc(' ', f);
    putDatLabel(f, c->cfg[t->cols[x]].label);
  }
  fputc('\n', f);
  size_t max_wl = 0;
  for (int r = 0; r < t->n_rows; r++) {
    const char *wname = c->wl[t->rows[r]].name;
    putDatLabel(f, wname);
    if (strlen(wname) > max_wl) max_wl = strlen(wname);
    for (int x = 0; x < t->n_cols; x++) {
      double v = t->ratio[(size_t)r * (size_t)t->n_cols + (size_t)x];
      if (isnan(v))
        fprintf(f, " -");
      else
        fprintf(f, " %.4f", v);
    }
    fputc('\n', f);
  }
  if ((rc = closeW(p->dat_path, f, err))) return rc;

  int key_px = keyWidth(maxLabelLen(c, t->cols, t->n_cols));
  int width = barWidth(t->n_rows, t->n_cols, key_px);
  if ((rc = openW(p->gp_path, &f, err))) return rc;
  gpHead(f, p, width, 520);
  fprintf(f, "set style data histograms\n");
  fprintf(f, "set style histogram clustered gap 1\n");
  fprintf(f, "set xlabel 'workload'\n");
  fprintf(f, "set ylabel '%s = %s(%s) / %s'\n", energy ? "efficiency" : "speedup", what, base_label, what);
  gpXtics(f, t->n_rows, max_wl, width - key_px - 120);
  fprintf(f, "set yrange [0:*]\n");
  fprintf(f,
          "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1 "
          "lc rgb '#555555' front\n");
  gpBarPlot(f, c, p->name, 2, 1, t->cols, t->n_cols, NULL);
  return closeW(p->gp_path, f, err);
}

static int plotRatio(Render *o, int energy, QaErr *err) {
  RatioTable t;
  int rc = reportRatioTable(o->r, energy, &t, err);
  if (!rc && t.n_rows) rc = writeRatio(o, &t, err);
  reportRatioTableFree(&t);
  return rc;
}

/* ---------------------------------------------------------------- plot 3: bits */

static int writeBits(Render *o, const BitsTable *t, QaErr *err) {
  const Report *c = o->r;
  int rc;
  FILE *f = NULL;
  QaReportPlot *p = NULL;
  char title[QA_ERR_MAX];
  /* log y when asked, or when the totals span two decades or more */
  int log_y = o->log_y || (t->lo > 0 && t->hi / t->lo >= 100.0);

  snprintf(title, sizeof title, "Total n_cycles vs a_bits per architecture (workload%s ",
           c->n_wl > 1 ? "s" : "");
  for (int w = 0; w < c->n_wl; w++) reportAppendf(title, sizeof title, "%s%s", w ? ", " : "", c->wl[w].name);
  reportAppendf(title, sizeof title, ")");
  if ((rc = addPlot(o, "bits", title, &p, err))) return rc;

  if ((rc = openW(p->dat_path, &f, err))) return rc;
  fprintf(f,
          "# qasim report: total n_cycles of the newest run per config vs a_bits; one "
          "column per series (arch[, fixed w_bits], workload); '-' = no run\n");
  fprintf(f, "# a_bits");
  for (int s = 0; s < t->n_ser; s++) {
    fputc(' ', f);
    putDatLabel(f, t->ser[s].label);
  }
  fputc('\n', f);
  for (int b = 0; b < t->n_bits; b++) {
    fprintf(f, "%d", t->bits[b]);
    for (int s = 0; s < t->n_ser; s++) {
      int64_t v = t->v[(size_t)b * (size_t)t->n_ser + (size_t)s];
      if (v < 0)
        fprintf(f, " -");
      else
        fprintf(f, " %lld", (long long)v);
    }
    fputc('\n', f);
  }
  if ((rc = closeW(p->dat_path, f, err))) return rc;

  size_t max_label = 0;
  for (int s = 0; s < t->n_ser; s++)
    if (strlen(t->ser[s].label) > max_label) max_label = strlen(t->ser[s].label);
  if ((rc = openW(p->gp_path, &f, err))) return rc;
  gpHead(f, p, 760 + keyWidth(max_label), 520);
  fprintf(f, "set xlabel 'a_bits'\n");
  fprintf(f, "set ylabel 'n_cycles'\n");
  fprintf(f, "set xtics (");
  for (int b = 0; b < t->n_bits; b++) fprintf(f, "%s%d", b ? ", " : "", t->bits[b]);
  fprintf(f, ")\n");
  /* log y: no vertical offsets (autoscale already extends to whole decades) */
  fprintf(f, "set offsets graph 0.05, graph 0.05, %s, 0\n", log_y ? "0" : "graph 0.05");
  gpYAxis(f, log_y, t->hi);
  fprintf(f, "plot ");
  for (int s = 0; s < t->n_ser; s++) {
    /* colour by architecture, dash and point shape by workload */
    int wi = t->ser[s].w % 5;
    static const int kPt[5] = {7, 5, 9, 11, 13};
    fprintf(f, "%s'%s.dat' using 1:%d with linespoints title ", s ? ", \\\n     " : "", p->name, 2 + s);
    putGpString(f, t->ser[s].label);
    fprintf(f, " lt %d dt %d pt %d", t->ser[s].variant + 1, wi + 1, kPt[wi]);
  }
  fprintf(f, "\nunset output\n");
  return closeW(p->gp_path, f, err);
}

static int plotBits(Render *o, QaErr *err) {
  BitsTable t;
  int rc = reportBitsTable(o->r, &t, err);
  if (!rc && t.n_bits) rc = writeBits(o, &t, err);
  reportBitsTableFree(&t);
  return rc;
}

/* ---------------------------------------------------------------- plot 4a: energy */

static int writeEnergy(Render *o, const EnergyTable *t, QaErr *err) {
  const Report *c = o->r;
  int rc, w = t->w;
  FILE *f = NULL;
  QaReportPlot *p = NULL;
  char name[TAG_MAX + 16], title[QA_ERR_MAX], bits[512];

  snprintf(name, sizeof name, "energy-%s", c->wl[w].tag);
  bitsList(c, t->rows, t->n_rows, bits, sizeof bits);
  snprintf(title, sizeof title, "%s: energy_pj by component, costs %s (bits a/w: %s)", c->wl[w].name,
           c->costs, bits);
  weakNote(c, w, title, sizeof title);
  if ((rc = addPlot(o, name, title, &p, err))) return rc;

  if ((rc = openW(p->dat_path, &f, err))) return rc;
  fprintf(f, "# qasim report: energy_pj per component (summed over layers) of workload ");
  putDatLabel(f, c->wl[w].name);
  fprintf(f, ", costs '%s', newest run of each config; '-' = no rows\n", c->costs);
  datRunsComment(f, c, w, t->rows, t->n_rows);
  fprintf(f, "# config");
  for (int x = 0; x < t->n_cols; x++) {
    fputc(' ', f);
    putDatLabel(f, c->comp[t->cols[x]]);
  }
  fprintf(f, " total\n");
  for (int r = 0; r < t->n_rows; r++) {
    putDatLabel(f, c->cfg[t->rows[r]].label);
    for (int x = 0; x < t->n_cols; x++) {
      size_t i = COMPIDX(c, w, t->rows[r], t->cols[x]);
      if (!c->comp_has[i])
        fprintf(f, " -");
      else
        fprintf(f, " %.3f", c->comp_pj[i]);
    }
    fprintf(f, " %.3f\n", CELL(c, w, t->rows[r]).energy_pj);
  }
  if ((rc = closeW(p->dat_path, f, err))) return rc;

  size_t max_comp = 0;
  for (int x = 0; x < t->n_cols; x++)
    if (strlen(c->comp[t->cols[x]]) > max_comp) max_comp = strlen(c->comp[t->cols[x]]);
  size_t max_cfg = maxLabelLen(c, t->rows, t->n_rows);
  int key_px = keyWidth(max_comp);
  int width = key_px + 200 + t->n_rows * 70;
  if (width < 800) width = 800;
  if (width > 4000) width = 4000;
  if ((rc = openW(p->gp_path, &f, err))) return rc;
  gpHead(f, p, width, 560);
  fprintf(f, "set style data histograms\n");
  fprintf(f, "set style histogram rowstacked\n");
  fprintf(f, "set key invert\n"); /* legend top-down in stacking order */
  fprintf(f, "set boxwidth 0.6 relative\n");
  fprintf(f, "set xlabel 'config'\n");
  fprintf(f, "set ylabel 'energy_pj'\n");
  gpXtics(f, t->n_rows, max_cfg, width - key_px - 120);
  double max_pj = 0;
  for (int r = 0; r < t->n_rows; r++)
    if (CELL(c, w, t->rows[r]).energy_pj > max_pj) max_pj = CELL(c, w, t->rows[r]).energy_pj;
  gpYAxis(f, 0, max_pj);
  gpBarPlot(f, c, p->name, 2, 1, t->cols, t->n_cols, c->comp);
  return closeW(p->gp_path, f, err);
}

static int plotEnergy(Render *o, int w, QaErr *err) {
  EnergyTable t;
  int rc = reportEnergyTable(o->r, w, &t, err);
  if (!rc && t.n_rows) rc = writeEnergy(o, &t, err);
  reportEnergyTableFree(&t);
  return rc;
}

/* ---------------------------------------------------------------- running gnuplot */

/* Run argv[0] (PATH lookup) in directory cwd with stdin from /dev/null, capturing
** stdout+stderr into out[cap]. *status gets the wait status; *exec_errno the errno
** of a failed exec or chdir (0 if the program started). */
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

static int gnuplotMissing(const Render *c, QaErr *err) {
  if (strcmp(c->gnuplot, "gnuplot"))
    return qaErrSet(err, QA_EUSER,
                    "gnuplot not found (tried '%s'); install it with: apt-get install gnuplot-nox",
                    c->gnuplot);
  return qaErrSet(err, QA_EUSER, "gnuplot not found; install it with: apt-get install gnuplot-nox");
}

/* Detect the terminal once: pngcairo if gnuplot lists it, else png. *found = 0 when
** gnuplot cannot be started. */
static int detectTerminal(Render *c, int *found, QaErr *err) {
  char out[PROC_OUT_MAX * 4];
  int status, exec_errno;
  char *argv[] = {(char *)c->gnuplot, "-e", "set terminal", NULL};
  int rc = runProg(argv, NULL, out, sizeof out, &status, &exec_errno, err);
  if (rc) return rc;
  *found = exec_errno == 0;
  c->term = strstr(out, "pngcairo") ? "pngcairo" : "png";
  return QA_OK;
}

static int render(Render *c, QaReportPlot *p, QaErr *err) {
  char out[PROC_OUT_MAX];
  char script[TAG_MAX + 32];
  int status, exec_errno;
  snprintf(script, sizeof script, "%s.gp", p->name);
  char *argv[] = {(char *)c->gnuplot, script, NULL};
  int rc = runProg(argv, c->out_dir, out, sizeof out, &status, &exec_errno, err);
  if (rc) return rc;
  if (exec_errno == ENOENT) return gnuplotMissing(c, err);
  if (exec_errno)
    return qaErrSet(err, QA_EUSER, "cannot run '%s' in '%s': %s", c->gnuplot, c->out_dir,
                    strerror(exec_errno));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    /* first non-empty line of gnuplot's output (the error is usually last; keep both) */
    char *nl, *msg = out;
    while (*msg == '\n' || *msg == ' ') msg++;
    size_t L = strlen(msg);
    while (L && (msg[L - 1] == '\n' || msg[L - 1] == ' ')) msg[--L] = 0;
    char *last = strrchr(msg, '\n');
    if ((nl = strchr(msg, '\n'))) *nl = 0;
    if (WIFEXITED(status))
      return qaErrSet(err, QA_EINTERNAL, "gnuplot failed on %s (exit status %d): %s%s%s", p->gp_path,
                      WEXITSTATUS(status), msg[0] ? msg : "no output", last ? " ... " : "",
                      last ? last + 1 : "");
    return qaErrSet(err, QA_EINTERNAL, "gnuplot was killed by signal %d on %s", WTERMSIG(status), p->gp_path);
  }
  struct stat sb;
  if (stat(p->png_path, &sb) != 0 || sb.st_size == 0)
    return qaErrSet(err, QA_EINTERNAL, "gnuplot ran %s but wrote no %s (output: %.200s)", p->gp_path,
                    p->png_path, out[0] ? out : "none");
  p->rendered = 1;
  return QA_OK;
}

/* ---------------------------------------------------------------- entry point */

/* style.gp: the shared look, for terminal o->term. */
static int writeStyle(Render *o, QaErr *err) {
  FILE *f = NULL;
  char term[128];
  int rc;
  if (!(o->sum->style_path = fmtStr(err, "%s/style.gp", o->out_dir))) return QA_EINTERNAL;
  if ((rc = openW(o->sum->style_path, &f, err))) return rc;
  snprintf(term, sizeof term, "%s noenhanced font 'Sans,10'", o->term);
  fprintf(f, kStyleTemplate, term);
  return closeW(o->sum->style_path, f, err);
}

int qaReportPlots(QaStore *st, const char *out_dir, const QaReportOptions *opt, QaReportSummary *out,
                  QaErr *err) {
  static const QaReportOptions kDefaults = {0};
  QaReportSummary local;
  Report r;
  Render o;
  int rc = QA_OK, in_read = 0, found = 1, have_energy = 0;

  memset(&r, 0, sizeof r);
  memset(&o, 0, sizeof o);
  memset(&local, 0, sizeof local);
  if (!opt) opt = &kDefaults;
  r.sum = o.sum = out ? out : &local;
  memset(o.sum, 0, sizeof *o.sum);
  r.store = st;
  r.base_arch = opt->baseline_arch && *opt->baseline_arch ? opt->baseline_arch : "dadiannao";
  r.base_a = opt->baseline_a_bits > 0 ? opt->baseline_a_bits : 16;
  r.base_w = opt->baseline_w_bits > 0 ? opt->baseline_w_bits : 16;
  o.r = &r;
  o.out_dir = out_dir;
  o.gnuplot = opt->gnuplot && *opt->gnuplot ? opt->gnuplot : "gnuplot";
  o.log_y = opt->log_y;
  o.term = "pngcairo";
  if (!st) return qaErrSet(err, QA_EUSER, "report: no results store given");
  if (!out_dir || !*out_dir) return qaErrSet(err, QA_EUSER, "report: empty output directory name");
  if (!(o.sum->out_dir = reportStrDup(out_dir, err))) return QA_EINTERNAL;

  /* The data, from one snapshot of the store. */
  if ((rc = qaStoreBeginRead(st, err))) goto end;
  in_read = 1;
  if ((rc = reportLoadRuns(&r, err))) goto end;
  if (o.sum->n_runs == 0) {
    rc = qaErrSet(err, QA_EUSER, "the results store has no finished runs: nothing to plot (simulate first)");
    goto end;
  }
  if ((rc = reportLoadEnergy(&r, opt->costs, &have_energy, err))) goto end;

  if ((rc = mkdirP(out_dir, err))) goto end;
  if (!opt->no_render && (rc = detectTerminal(&o, &found, err))) goto end;
  o.sum->terminal = o.term;

  /* The shared style, then every plot's .dat and .gp. */
  if ((rc = writeStyle(&o, err))) goto end;
  for (int w = 0; w < r.n_wl; w++)
    if ((rc = plotLayers(&o, w, err))) goto end;
  if ((rc = plotRatio(&o, 0, err))) goto end;
  if ((rc = plotBits(&o, err))) goto end;
  if (have_energy) {
    for (int w = 0; w < r.n_wl; w++)
      if ((rc = plotEnergy(&o, w, err))) goto end;
    if ((rc = plotRatio(&o, 1, err))) goto end;
  }

  if (opt->no_render) goto end;
  if (!found) {
    rc = gnuplotMissing(&o, err);
    goto end;
  }
  for (int i = 0; i < o.sum->n_plots; i++)
    if ((rc = render(&o, &o.sum->plots[i], err))) goto end;
end:
  if (in_read) qaStoreEndRead(st);
  reportFree(&r);
  if (!out) qaReportSummaryClear(&local);
  return rc;
}
