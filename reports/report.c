/*
** report.c - turn the results store into .dat + .gp + .png plots (see report.h).
**
** Flow: select the newest finished run of each (config, workload) into a matrix of
** cells (rows = workloads, columns = configs, both in a stable order), read the
** energy table if the store has one, write every plot's .dat and .gp, and only
** then run gnuplot on each script - so a missing gnuplot still leaves the data and
** scripts behind. Config order: the baseline architecture first, then by arch name,
** a_bits and w_bits descending, quantizers and timing; each config keeps one line
** type in every plot so its colour stays the same across charts.
*/
#define _POSIX_C_SOURCE 200809L
#include "reports/report.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define LABEL_MAX 256
#define TAG_MAX 128
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

typedef struct Config {
  char *arch, *quant_a, *quant_w, *timing; /* owned; "" for SQL NULL */
  int a_bits, w_bits;                      /* bits */
  int is_base;                             /* the speedup/efficiency baseline config */
  char extra[LABEL_MAX];                   /* disambiguating suffix, often "" */
  char label[LABEL_MAX];                   /* "stripes a8/w8" + extra */
} Config;

typedef struct Workload {
  char *name;        /* owned */
  char tag[TAG_MAX]; /* file-name-safe form */
} Workload;

typedef struct Cell {
  int64_t run_id;   /* 0 = no run */
  int64_t n_cycles; /* total cycles of the run */
  double energy_pj; /* total energy of the run (selected costs) */
  int has_energy;
} Cell;

typedef struct Ctx {
  sqlite3 *db;
  const char *out_dir;
  const char *gnuplot;
  const char *base_arch;
  int base_a, base_w; /* bits */
  int log_y;
  const char *term;
  QaReportSummary *sum;
  Config *cfg;
  int n_cfg;
  Workload *wl;
  int n_wl;
  Cell *cell;  /* n_wl x n_cfg */
  char **comp; /* energy components, sorted */
  int n_comp;
  double *comp_pj;         /* n_wl x n_cfg x n_comp, NaN-free: 0 when absent */
  unsigned char *comp_has; /* same shape: 1 if the component has rows */
  char *costs;
} Ctx;

#define CELL(c, w, j) ((c)->cell[(size_t)(w) * (size_t)(c)->n_cfg + (size_t)(j)])
#define COMPIDX(c, w, j, k) \
  (((size_t)(w) * (size_t)(c)->n_cfg + (size_t)(j)) * (size_t)(c)->n_comp + (size_t)(k))

/* ---------------------------------------------------------------- small helpers */

static char *dupStr(const char *s, QaErr *err) {
  if (!s) s = "";
  size_t n = strlen(s);
  char *p = qaMalloc(n + 1, err);
  if (p) memcpy(p, s, n + 1);
  return p;
}

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

/* Append formatted text to buf[cap] (truncating silently). */
static void appendf(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void appendf(char *buf, size_t cap, const char *fmt, ...) {
  size_t len = strlen(buf);
  if (len + 1 >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + len, cap - len, fmt, ap);
  va_end(ap);
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

/* A file-name-safe form of a workload name: [A-Za-z0-9._-], anything else '_'. */
static void makeTag(const char *name, char *tag, size_t cap) {
  size_t n = 0;
  if (name[0] == '.' || name[0] == '-') tag[n++] = 'w';
  for (const char *s = name; *s && n + 1 < cap; s++) {
    char ch = *s;
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
             ch == '_' || ch == '.';
    tag[n++] = ok ? ch : '_';
  }
  tag[n] = 0;
  if (n == 0) snprintf(tag, cap, "workload");
}

/* ---------------------------------------------------------------- summary */

static int addNote(Ctx *c, QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int addNote(Ctx *c, QaErr *err, const char *fmt, ...) {
  char line[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  QaReportSummary *s = c->sum;
  char **grown = realloc(s->notes, (size_t)(s->n_notes + 1) * sizeof *grown);
  if (!grown) return qaErrSet(err, QA_EINTERNAL, "out of memory adding a report note");
  s->notes = grown;
  if (!(s->notes[s->n_notes] = dupStr(line, err))) return QA_EINTERNAL;
  s->n_notes++;
  return QA_OK;
}

/* Append a plot entry named name with its three paths; *out points at it. */
static int addPlot(Ctx *c, const char *name, const char *title, QaReportPlot **out, QaErr *err) {
  QaReportSummary *s = c->sum;
  QaReportPlot *grown = realloc(s->plots, (size_t)(s->n_plots + 1) * sizeof *grown);
  if (!grown) return qaErrSet(err, QA_EINTERNAL, "out of memory adding a report plot");
  s->plots = grown;
  QaReportPlot *p = &s->plots[s->n_plots];
  memset(p, 0, sizeof *p);
  s->n_plots++;
  p->name = dupStr(name, err);
  p->title = dupStr(title, err);
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

/* ---------------------------------------------------------------- SQL helpers */

static int prep(Ctx *c, const char *sql, sqlite3_stmt **st, QaErr *err) {
  if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK) {
    *st = NULL;
    return qaErrSet(err, QA_EINTERNAL, "report: SQL error: %s (in: %s)", sqlite3_errmsg(c->db), sql);
  }
  return QA_OK;
}

static int stepErr(Ctx *c, sqlite3_stmt *st, QaErr *err) {
  return qaErrSet(err, QA_EINTERNAL, "report: SQL error: %s (in: %s)", sqlite3_errmsg(c->db),
                  sqlite3_sql(st));
}

static int tableExists(Ctx *c, const char *name, int *exists, QaErr *err) {
  sqlite3_stmt *st = NULL;
  int rc = prep(c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", &st, err);
  if (rc) return rc;
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  int s = sqlite3_step(st);
  if (s == SQLITE_ROW || s == SQLITE_DONE)
    *exists = (s == SQLITE_ROW);
  else
    rc = stepErr(c, st, err);
  sqlite3_finalize(st);
  return rc;
}

static const char *colText(sqlite3_stmt *st, int i) {
  const unsigned char *t = sqlite3_column_text(st, i);
  return t ? (const char *)t : "";
}

/* ---------------------------------------------------------------- selecting runs */

static int cfgFind(Ctx *c, const char *arch, int a, int w, const char *qa, const char *qw,
                   const char *timing) {
  for (int j = 0; j < c->n_cfg; j++) {
    const Config *g = &c->cfg[j];
    if (g->a_bits == a && g->w_bits == w && !strcmp(g->arch, arch) && !strcmp(g->quant_a, qa) &&
        !strcmp(g->quant_w, qw) && !strcmp(g->timing, timing))
      return j;
  }
  return -1;
}

static int wlFind(Ctx *c, const char *name) {
  for (int i = 0; i < c->n_wl; i++)
    if (!strcmp(c->wl[i].name, name)) return i;
  return -1;
}

/* Config order: the baseline architecture first, then arch name, a_bits and w_bits
** descending, quantizers, timing. */
static int cfgLess(const Ctx *c, const Config *x, const Config *y) {
  int xb = !strcmp(x->arch, c->base_arch), yb = !strcmp(y->arch, c->base_arch);
  if (xb != yb) return xb;
  int r = strcmp(x->arch, y->arch);
  if (!r) r = y->a_bits - x->a_bits;
  if (!r) r = y->w_bits - x->w_bits;
  if (!r) r = strcmp(x->quant_a, y->quant_a);
  if (!r) r = strcmp(x->quant_w, y->quant_w);
  if (!r) r = strcmp(x->timing, y->timing);
  return r < 0;
}

/* Insertion sort (stable; there are few configs). */
static void sortConfigs(Ctx *c) {
  for (int i = 1; i < c->n_cfg; i++) {
    Config t = c->cfg[i];
    int j = i - 1;
    while (j >= 0 && cfgLess(c, &t, &c->cfg[j])) {
      c->cfg[j + 1] = c->cfg[j];
      j--;
    }
    c->cfg[j + 1] = t;
  }
}

static void sortWorkloads(Ctx *c) {
  for (int i = 1; i < c->n_wl; i++) {
    Workload t = c->wl[i];
    int j = i - 1;
    while (j >= 0 && strcmp(t.name, c->wl[j].name) < 0) {
      c->wl[j + 1] = c->wl[j];
      j--;
    }
    c->wl[j + 1] = t;
  }
}

/* Labels "arch aA/wW", plus quantizers and/or timing where two configs would share one. */
static void makeLabels(Ctx *c) {
  for (int j = 0; j < c->n_cfg; j++) {
    Config *g = &c->cfg[j];
    int diff_q = 0, diff_t = 0;
    for (int k = 0; k < c->n_cfg; k++) {
      const Config *h = &c->cfg[k];
      if (k == j || h->a_bits != g->a_bits || h->w_bits != g->w_bits || strcmp(h->arch, g->arch)) continue;
      if (strcmp(h->quant_a, g->quant_a) || strcmp(h->quant_w, g->quant_w)) diff_q = 1;
      if (strcmp(h->timing, g->timing)) diff_t = 1;
    }
    g->extra[0] = 0;
    if (diff_q) appendf(g->extra, sizeof g->extra, " %s/%s", g->quant_a, g->quant_w);
    if (diff_t) appendf(g->extra, sizeof g->extra, " %s", g->timing);
    snprintf(g->label, sizeof g->label, "%s a%d/w%d%s", g->arch, g->a_bits, g->w_bits, g->extra);
  }
}

static int loadRuns(Ctx *c, QaErr *err) {
  static const char *const sql =
      "SELECT r.run_id, r.arch, r.workload, r.a_bits, r.w_bits, r.quant_a, r.quant_w, r.timing, "
      "r.n_cycles FROM run r JOIN (SELECT MAX(run_id) AS id FROM run WHERE n_cycles IS NOT NULL "
      "GROUP BY arch, workload, a_bits, w_bits, quant_a, quant_w, timing) m ON r.run_id = m.id "
      "ORDER BY r.run_id";
  typedef struct Row {
    int64_t run_id, n_cycles;
    int cfg, wl;
  } Row;
  Row *rows = NULL;
  int n_rows = 0, cap = 0, rc = QA_OK;
  sqlite3_stmt *st = NULL;
  if ((rc = prep(c, sql, &st, err))) goto end;
  int s;
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *arch = colText(st, 1), *wname = colText(st, 2);
    int a = sqlite3_column_int(st, 3), w = sqlite3_column_int(st, 4);
    const char *qa = colText(st, 5), *qw = colText(st, 6), *timing = colText(st, 7);
    int j = cfgFind(c, arch, a, w, qa, qw, timing);
    if (j < 0) {
      Config *grown = realloc(c->cfg, (size_t)(c->n_cfg + 1) * sizeof *grown);
      if (!grown) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading runs");
        goto end;
      }
      c->cfg = grown;
      Config *g = &c->cfg[c->n_cfg++];
      memset(g, 0, sizeof *g);
      g->a_bits = a;
      g->w_bits = w;
      g->arch = dupStr(arch, err);
      g->quant_a = dupStr(qa, err);
      g->quant_w = dupStr(qw, err);
      g->timing = dupStr(timing, err);
      if (!g->arch || !g->quant_a || !g->quant_w || !g->timing) {
        rc = QA_EINTERNAL;
        goto end;
      }
      g->is_base = !strcmp(arch, c->base_arch) && a == c->base_a && w == c->base_w;
      j = c->n_cfg - 1;
    }
    int i = wlFind(c, wname);
    if (i < 0) {
      Workload *grown = realloc(c->wl, (size_t)(c->n_wl + 1) * sizeof *grown);
      if (!grown) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading runs");
        goto end;
      }
      c->wl = grown;
      Workload *wl = &c->wl[c->n_wl++];
      memset(wl, 0, sizeof *wl);
      if (!(wl->name = dupStr(wname, err))) {
        rc = QA_EINTERNAL;
        goto end;
      }
      i = c->n_wl - 1;
    }
    if (n_rows == cap) {
      cap = cap ? 2 * cap : 16;
      Row *grown = realloc(rows, (size_t)cap * sizeof *grown);
      if (!grown) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading runs");
        goto end;
      }
      rows = grown;
    }
    rows[n_rows++] = (Row){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 8), j, i};
  }
  if (s != SQLITE_DONE) {
    rc = stepErr(c, st, err);
    goto end;
  }
  if (n_rows == 0) goto end;

  /* Remember each row's config/workload by identity, sort, then map back. */
  Config *unsorted_cfg = qaMalloc((size_t)c->n_cfg * sizeof *unsorted_cfg, err);
  Workload *unsorted_wl = qaMalloc((size_t)c->n_wl * sizeof *unsorted_wl, err);
  if (!unsorted_cfg || !unsorted_wl) {
    free(unsorted_cfg);
    free(unsorted_wl);
    rc = QA_EINTERNAL;
    goto end;
  }
  memcpy(unsorted_cfg, c->cfg, (size_t)c->n_cfg * sizeof *unsorted_cfg);
  memcpy(unsorted_wl, c->wl, (size_t)c->n_wl * sizeof *unsorted_wl);
  sortConfigs(c);
  sortWorkloads(c);
  c->cell = qaCalloc((size_t)c->n_wl * (size_t)c->n_cfg, sizeof *c->cell, err);
  if (!c->cell) {
    free(unsorted_cfg);
    free(unsorted_wl);
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int r = 0; r < n_rows; r++) {
    const Config *g = &unsorted_cfg[rows[r].cfg];
    int j = cfgFind(c, g->arch, g->a_bits, g->w_bits, g->quant_a, g->quant_w, g->timing);
    int i = wlFind(c, unsorted_wl[rows[r].wl].name);
    Cell *cell = &CELL(c, i, j);
    if (rows[r].run_id > cell->run_id) { /* NULL and '' quantizers merge: newest wins */
      if (!cell->run_id) c->sum->n_runs++;
      cell->run_id = rows[r].run_id;
      cell->n_cycles = rows[r].n_cycles;
    }
  }
  free(unsorted_cfg);
  free(unsorted_wl);
  makeLabels(c);
  for (int i = 0; i < c->n_wl; i++) {
    makeTag(c->wl[i].name, c->wl[i].tag, sizeof c->wl[i].tag);
    for (int k = 0; k < i; k++)
      if (!strcmp(c->wl[k].tag, c->wl[i].tag)) {
        appendf(c->wl[i].tag, sizeof c->wl[i].tag, "-%d", i + 1);
        break;
      }
  }
  c->sum->n_configs = c->n_cfg;
  c->sum->n_workloads = c->n_wl;
end:
  sqlite3_finalize(st);
  free(rows);
  return rc;
}

/* ---------------------------------------------------------------- energy */

static int findRun(const Ctx *c, int64_t run_id, int *w, int *j) {
  for (int i = 0; i < c->n_wl; i++)
    for (int k = 0; k < c->n_cfg; k++)
      if (CELL(c, i, k).run_id == run_id) {
        *w = i;
        *j = k;
        return 1;
      }
  return 0;
}

/* Pick the costs value (opt or the one covering most plotted runs) and load energy per
** (cell, component). *have is 0 when there is nothing to plot (a note says why). */
static int loadEnergy(Ctx *c, const char *want_costs, int *have, QaErr *err) {
  int rc = QA_OK, s;
  sqlite3_stmt *st = NULL;
  char others[QA_ERR_MAX] = "";
  *have = 0;
  /* Distinct costs with the number of plotted runs each covers. */
  if ((rc = prep(c, "SELECT costs, run_id FROM energy GROUP BY costs, run_id ORDER BY costs", &st, err)))
    goto end;
  char *best = NULL;
  int best_n = 0, cur_n = 0, n_costs = 0;
  char *cur = NULL;
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    const char *costs = colText(st, 0);
    int w, j;
    if (!cur || strcmp(cur, costs)) {
      if (cur && cur_n > best_n) {
        free(best);
        best = cur;
        best_n = cur_n;
      } else {
        free(cur);
      }
      if (!(cur = dupStr(costs, err))) {
        free(best);
        rc = QA_EINTERNAL;
        goto end;
      }
      cur_n = 0;
      n_costs++;
      appendf(others, sizeof others, "%s%s", others[0] ? ", " : "", costs);
    }
    if (findRun(c, sqlite3_column_int64(st, 1), &w, &j)) cur_n++;
  }
  if (cur && cur_n > best_n) {
    free(best);
    best = cur;
    best_n = cur_n;
  } else {
    free(cur);
  }
  if (s != SQLITE_DONE) {
    free(best);
    rc = stepErr(c, st, err);
    goto end;
  }
  sqlite3_finalize(st);
  st = NULL;
  if (want_costs) {
    free(best);
    best = NULL;
    if (!(best = dupStr(want_costs, err))) {
      rc = QA_EINTERNAL;
      goto end;
    }
  } else if (!best) {
    rc = addNote(c, err, "energy plots skipped: the energy table has no rows for the plotted runs");
    goto end;
  }
  c->costs = best;

  /* Components of the chosen costs, sorted, over the plotted runs. */
  if ((rc = prep(c,
                 "SELECT run_id, component, SUM(energy_pj), COUNT(energy_pj) FROM energy "
                 "WHERE costs = ?1 GROUP BY run_id, component ORDER BY component",
                 &st, err)))
    goto end;
  sqlite3_bind_text(st, 1, c->costs, -1, SQLITE_STATIC);
  for (int pass = 0; pass < 2; pass++) {
    sqlite3_reset(st);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
      int w, j;
      if (!findRun(c, sqlite3_column_int64(st, 0), &w, &j)) continue;
      const char *comp = colText(st, 1);
      int k = 0;
      while (k < c->n_comp && strcmp(c->comp[k], comp)) k++;
      if (pass == 0) {
        if (k == c->n_comp) {
          char **grown = realloc(c->comp, (size_t)(c->n_comp + 1) * sizeof *grown);
          if (!grown) {
            rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading energy");
            goto end;
          }
          c->comp = grown;
          if (!(c->comp[c->n_comp] = dupStr(comp, err))) {
            rc = QA_EINTERNAL;
            goto end;
          }
          c->n_comp++;
        }
      } else if (sqlite3_column_int64(st, 3) > 0) {
        double pj = sqlite3_column_double(st, 2);
        c->comp_pj[COMPIDX(c, w, j, k)] += pj;
        c->comp_has[COMPIDX(c, w, j, k)] = 1;
        CELL(c, w, j).energy_pj += pj;
        CELL(c, w, j).has_energy = 1;
      }
    }
    if (s != SQLITE_DONE) {
      rc = stepErr(c, st, err);
      goto end;
    }
    if (pass == 0) {
      if (c->n_comp == 0) {
        if (want_costs) {
          rc = qaErrSet(err, QA_EUSER,
                        "no energy rows with costs '%s' for the plotted runs (costs in the "
                        "store: %s)",
                        want_costs, others[0] ? others : "none");
        } else {
          rc = addNote(c, err, "energy plots skipped: no energy rows for the plotted runs");
        }
        goto end;
      }
      size_t n = (size_t)c->n_wl * (size_t)c->n_cfg * (size_t)c->n_comp;
      c->comp_pj = qaCalloc(n, sizeof *c->comp_pj, err);
      c->comp_has = qaCalloc(n, 1, err);
      if (!c->comp_pj || !c->comp_has) {
        rc = QA_EINTERNAL;
        goto end;
      }
    }
  }
  /* c->comp came out sorted by name (ORDER BY component): the same component keeps
  ** the same colour in every chart. */
  *have = 1;
  if (!want_costs && n_costs > 1) {
    rc = addNote(c, err,
                 "energy: plotted costs '%s' (covers %d of %d runs; costs in the store: %s); "
                 "choose with the costs option",
                 c->costs, best_n, c->sum->n_runs, others);
  }
end:
  sqlite3_finalize(st);
  return rc;
}

/* ---------------------------------------------------------------- files */

static int mkdirP(const char *dir, QaErr *err) {
  int rc = QA_OK;
  char *p = NULL;
  struct stat sb;
  if (!dir || !*dir) return qaErrSet(err, QA_EUSER, "report: empty output directory name");
  if (!(p = dupStr(dir, err))) return QA_EINTERNAL;
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

/* Bar-chart x axis: row i (a cluster or a stack) sits at x = i; frame the rows
** tightly and rotate the tic labels when they would collide. */
/* The plot command of a bar chart: one series per column, data columns first_col.. of
** <name>.dat, x tick labels from column xtic_col, series x titled titles[cols[x]] (or
** the config label when titles is NULL) and coloured by its stable index cols[x]. */
static void gpBarPlot(FILE *f, const Ctx *c, const char *name, int first_col, int xtic_col, const int *cols,
                      int n_cols, char *const *titles) {
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
static void bitsList(const Ctx *c, const int *cols, int n, char *buf, size_t cap) {
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
    appendf(buf, cap, "%s%d/%d", buf[0] ? ", " : "", best_a, best_w);
    prev_a = best_a;
    prev_w = best_w;
  }
}

static size_t maxLabelLen(const Ctx *c, const int *cols, int n) {
  size_t m = 0;
  for (int x = 0; x < n; x++)
    if (strlen(c->cfg[cols[x]].label) > m) m = strlen(c->cfg[cols[x]].label);
  return m;
}

/* Approximate pixel width of the outside key for labels of length len. */
static int keyWidth(size_t len) { return (int)(len * 7) + 60; }

static void datRunsComment(FILE *f, const Ctx *c, int w, const int *cols, int n) {
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

typedef struct LayerRow {
  int64_t layer_idx;
  char *name;
  int64_t *v; /* n_cols values, -1 = missing */
} LayerRow;

static int plotLayers(Ctx *c, int w, QaErr *err) {
  int rc = QA_OK, n_cols = 0, n_rows = 0, cap = 0, s;
  int *cols = NULL;
  LayerRow *rows = NULL;
  sqlite3_stmt *st = NULL;
  FILE *f = NULL;
  QaReportPlot *p = NULL;
  char name[TAG_MAX + 16], title[QA_ERR_MAX], bits[512];

  if (!(cols = qaMalloc((size_t)c->n_cfg * sizeof *cols, err))) return QA_EINTERNAL;
  for (int j = 0; j < c->n_cfg; j++)
    if (CELL(c, w, j).run_id) cols[n_cols++] = j;
  if ((rc = prep(c,
                 "SELECT layer_idx, name, n_cycles FROM layer WHERE run_id = ?1 "
                 "ORDER BY layer_idx",
                 &st, err)))
    goto end;
  for (int x = 0; x < n_cols; x++) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, CELL(c, w, cols[x]).run_id);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
      int64_t idx = sqlite3_column_int64(st, 0);
      int r = 0;
      while (r < n_rows && rows[r].layer_idx < idx) r++;
      if (r == n_rows || rows[r].layer_idx != idx) { /* insert a new row at r */
        if (n_rows == cap) {
          cap = cap ? 2 * cap : 32;
          LayerRow *grown = realloc(rows, (size_t)cap * sizeof *grown);
          if (!grown) {
            rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading layers");
            goto end;
          }
          rows = grown;
        }
        memmove(&rows[r + 1], &rows[r], (size_t)(n_rows - r) * sizeof *rows);
        n_rows++;
        rows[r].layer_idx = idx;
        rows[r].name = dupStr(colText(st, 1), err);
        rows[r].v = qaMalloc((size_t)n_cols * sizeof *rows[r].v, err);
        if (!rows[r].name || !rows[r].v) {
          rc = QA_EINTERNAL;
          goto end;
        }
        for (int y = 0; y < n_cols; y++) rows[r].v[y] = -1;
      }
      if (sqlite3_column_type(st, 2) != SQLITE_NULL) rows[r].v[x] = sqlite3_column_int64(st, 2);
    }
    if (s != SQLITE_DONE) {
      rc = stepErr(c, st, err);
      goto end;
    }
  }
  if (n_rows == 0) {
    rc = addNote(c, err, "layers-%s.png skipped: the runs of workload '%s' have no layer rows", c->wl[w].tag,
                 c->wl[w].name);
    goto end;
  }

  snprintf(name, sizeof name, "layers-%s", c->wl[w].tag);
  bitsList(c, cols, n_cols, bits, sizeof bits);
  snprintf(title, sizeof title, "%s: n_cycles per layer (bits a/w: %s)", c->wl[w].name, bits);
  if ((rc = addPlot(c, name, title, &p, err))) goto end;

  if ((rc = openW(p->dat_path, &f, err))) goto end;
  fprintf(f, "# qasim report: n_cycles per layer of workload ");
  putDatLabel(f, c->wl[w].name);
  fprintf(f, ", newest run of each config; '-' = no value\n");
  datRunsComment(f, c, w, cols, n_cols);
  fprintf(f, "# layer_idx name");
  for (int x = 0; x < n_cols; x++) {
    fputc(' ', f);
    putDatLabel(f, c->cfg[cols[x]].label);
  }
  fputc('\n', f);
  size_t max_name = 0;
  for (int r = 0; r < n_rows; r++) {
    fprintf(f, "%lld ", (long long)rows[r].layer_idx);
    putDatLabel(f, rows[r].name);
    if (strlen(rows[r].name) > max_name) max_name = strlen(rows[r].name);
    for (int x = 0; x < n_cols; x++) {
      if (rows[r].v[x] < 0)
        fprintf(f, " -");
      else
        fprintf(f, " %lld", (long long)rows[r].v[x]);
    }
    fputc('\n', f);
  }
  rc = closeW(p->dat_path, f, err);
  f = NULL;
  if (rc) goto end;

  int key_px = keyWidth(maxLabelLen(c, cols, n_cols));
  int width = barWidth(n_rows, n_cols, key_px);
  if ((rc = openW(p->gp_path, &f, err))) goto end;
  gpHead(f, p, width, 520);
  fprintf(f, "set style data histograms\n");
  fprintf(f, "set style histogram clustered gap 1\n");
  fprintf(f, "set xlabel 'layer'\n");
  fprintf(f, "set ylabel 'n_cycles'\n");
  gpXtics(f, n_rows, max_name, width - key_px - 120);
  double max_v = 0;
  for (int r = 0; r < n_rows; r++)
    for (int x = 0; x < n_cols; x++)
      if ((double)rows[r].v[x] > max_v) max_v = (double)rows[r].v[x];
  gpYAxis(f, c->log_y, max_v);
  gpBarPlot(f, c, p->name, 3, 2, cols, n_cols, NULL);
  rc = closeW(p->gp_path, f, err);
  f = NULL;
end:
  if (f) fclose(f);
  sqlite3_finalize(st);
  for (int r = 0; r < n_rows; r++) {
    free(rows[r].name);
    free(rows[r].v);
  }
  free(rows);
  free(cols);
  return rc;
}

/* ---------------------------------------------------------------- plots 2 and 4b: ratios */

/* The baseline config of workload w: the first baseline config (in order) whose cell
** has cycles (energy = 0) or energy (energy = 1). -1 if none. */
static int baseFor(const Ctx *c, int w, int energy) {
  for (int j = 0; j < c->n_cfg; j++) {
    const Cell *cell = &CELL(c, w, j);
    if (!c->cfg[j].is_base || !cell->run_id) continue;
    if (energy ? (cell->has_energy && cell->energy_pj > 0) : cell->n_cycles > 0) return j;
  }
  return -1;
}

static double cellValue(const Cell *cell, int energy) {
  return energy ? cell->energy_pj : (double)cell->n_cycles;
}

static int cellHas(const Cell *cell, int energy) {
  return cell->run_id && (energy ? cell->has_energy && cell->energy_pj > 0 : cell->n_cycles > 0);
}

/* speedup.png (energy = 0) or efficiency.png (energy = 1). */
static int plotRatio(Ctx *c, int energy, QaErr *err) {
  int rc = QA_OK, n_rows = 0, n_cols = 0;
  int *rows = NULL, *base = NULL, *cols = NULL;
  FILE *f = NULL;
  QaReportPlot *p = NULL;
  const char *name = energy ? "efficiency" : "speedup";
  const char *what = energy ? "energy_pj" : "n_cycles";
  char base_label[LABEL_MAX], title[QA_ERR_MAX], bits[512];
  snprintf(base_label, sizeof base_label, "%s a%d/w%d", c->base_arch, c->base_a, c->base_w);

  rows = qaMalloc((size_t)c->n_wl * sizeof *rows, err);
  base = qaMalloc((size_t)c->n_wl * sizeof *base, err);
  cols = qaMalloc((size_t)c->n_cfg * sizeof *cols, err);
  if (!rows || !base || !cols) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int w = 0; w < c->n_wl; w++) {
    int b = baseFor(c, w, energy);
    if (b < 0) {
      int any = 0;
      for (int j = 0; j < c->n_cfg; j++) any |= cellHas(&CELL(c, w, j), energy);
      if (any && (rc = addNote(c, err, "%s: no %s run%s for workload '%s'; left out of %s.png", name,
                               base_label, energy ? " with energy" : "", c->wl[w].name, name)))
        goto end;
      continue;
    }
    base[n_rows] = b;
    rows[n_rows++] = w;
  }
  if (n_rows == 0) {
    int any = 0;
    for (size_t i = 0; i < (size_t)c->n_wl * (size_t)c->n_cfg; i++) any |= cellHas(&c->cell[i], energy);
    if (any)
      rc = addNote(c, err, "%s.png skipped: no %s baseline run%s for any workload", name, base_label,
                   energy ? " with energy" : "");
    goto end;
  }
  for (int j = 0; j < c->n_cfg; j++) {
    int any = 0;
    for (int r = 0; r < n_rows; r++) any |= cellHas(&CELL(c, rows[r], j), energy);
    if (any) cols[n_cols++] = j;
  }

  bitsList(c, cols, n_cols, bits, sizeof bits);
  if (energy)
    snprintf(title, sizeof title, "Energy efficiency over %s, costs %s (bits a/w: %s)", base_label, c->costs,
             bits);
  else
    snprintf(title, sizeof title, "Speedup over %s (bits a/w: %s)", base_label, bits);
  if ((rc = addPlot(c, name, title, &p, err))) goto end;

  if ((rc = openW(p->dat_path, &f, err))) goto end;
  fprintf(f, "# qasim report: %s = %s(%s) / %s(config) per workload%s%s%s; '-' = no run\n",
          energy ? "energy efficiency" : "speedup", what, base_label, what, energy ? ", costs '" : "",
          energy ? c->costs : "", energy ? "'" : "");
  for (int r = 0; r < n_rows; r++) {
    fprintf(f, "# baseline of ");
    putDatLabel(f, c->wl[rows[r]].name);
    fprintf(f, ": run_id %lld (", (long long)CELL(c, rows[r], base[r]).run_id);
    fprintf(f, "%s), %s %.*f\n", c->cfg[base[r]].label, what, energy ? 3 : 0,
            cellValue(&CELL(c, rows[r], base[r]), energy));
  }
  fprintf(f, "# workload");
  for (int x = 0; x < n_cols; x++) {
    fputc(' ', f);
    putDatLabel(f, c->cfg[cols[x]].label);
  }
  fputc('\n', f);
  size_t max_wl = 0;
  for (int r = 0; r < n_rows; r++) {
    const Cell *bc = &CELL(c, rows[r], base[r]);
    putDatLabel(f, c->wl[rows[r]].name);
    if (strlen(c->wl[rows[r]].name) > max_wl) max_wl = strlen(c->wl[rows[r]].name);
    for (int x = 0; x < n_cols; x++) {
      const Cell *cell = &CELL(c, rows[r], cols[x]);
      if (!cellHas(cell, energy))
        fprintf(f, " -");
      else
        fprintf(f, " %.4f", cellValue(bc, energy) / cellValue(cell, energy));
    }
    fputc('\n', f);
  }
  rc = closeW(p->dat_path, f, err);
  f = NULL;
  if (rc) goto end;

  int key_px = keyWidth(maxLabelLen(c, cols, n_cols));
  int width = barWidth(n_rows, n_cols, key_px);
  if ((rc = openW(p->gp_path, &f, err))) goto end;
  gpHead(f, p, width, 520);
  fprintf(f, "set style data histograms\n");
  fprintf(f, "set style histogram clustered gap 1\n");
  fprintf(f, "set xlabel 'workload'\n");
  fprintf(f, "set ylabel '%s = %s(%s) / %s'\n", energy ? "efficiency" : "speedup", what, base_label, what);
  gpXtics(f, n_rows, max_wl, width - key_px - 120);
  fprintf(f, "set yrange [0:*]\n");
  fprintf(f,
          "set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1 "
          "lc rgb '#555555' front\n");
  gpBarPlot(f, c, p->name, 2, 1, cols, n_cols, NULL);
  rc = closeW(p->gp_path, f, err);
  f = NULL;
end:
  if (f) fclose(f);
  free(rows);
  free(base);
  free(cols);
  return rc;
}

/* ---------------------------------------------------------------- plot 3: bits */

typedef struct Series {
  int w, cfg0; /* workload; first config (for arch, extra) */
  int w_bits;  /* 0 when w_bits == a_bits along the series */
  int variant; /* index of (arch, w_bits, extra) among series: the colour */
  char label[LABEL_MAX];
} Series;

static int plotBits(Ctx *c, QaErr *err) {
  int rc = QA_OK, n_bits = 0, n_ser = 0;
  int *bits = NULL, *ser_of = NULL; /* ser_of[w * n_cfg + j] */
  Series *ser = NULL;
  FILE *f = NULL;
  QaReportPlot *p = NULL;
  char title[QA_ERR_MAX];

  bits = qaMalloc((size_t)c->n_cfg * sizeof *bits, err);
  ser = qaMalloc((size_t)c->n_wl * (size_t)c->n_cfg * sizeof *ser, err);
  ser_of = qaMalloc((size_t)c->n_wl * (size_t)c->n_cfg * sizeof *ser_of, err);
  if (!bits || !ser || !ser_of) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int j = 0; j < c->n_cfg; j++) {
    int a = c->cfg[j].a_bits, k = 0;
    while (k < n_bits && bits[k] < a) k++;
    if (k < n_bits && bits[k] == a) continue;
    memmove(&bits[k + 1], &bits[k], (size_t)(n_bits - k) * sizeof *bits);
    bits[k] = a;
    n_bits++;
  }
  if (n_bits < 2) {
    rc = addNote(c, err, "bits.png skipped: every run uses a_bits=%d (needs runs at 2+ bit-widths)",
                 n_bits ? bits[0] : 0);
    goto end;
  }
  /* A series: same workload, arch, quantizers, timing, and either w_bits == a_bits
  ** throughout or one fixed w_bits. */
  for (int w = 0; w < c->n_wl; w++)
    for (int j = 0; j < c->n_cfg; j++) {
      ser_of[w * c->n_cfg + j] = -1;
      if (!CELL(c, w, j).run_id) continue;
      const Config *g = &c->cfg[j];
      int wb = g->w_bits == g->a_bits ? 0 : g->w_bits, s = 0;
      for (; s < n_ser; s++) {
        const Config *h = &c->cfg[ser[s].cfg0];
        if (ser[s].w == w && ser[s].w_bits == wb && !strcmp(h->arch, g->arch) &&
            !strcmp(h->quant_a, g->quant_a) && !strcmp(h->quant_w, g->quant_w) &&
            !strcmp(h->timing, g->timing))
          break;
      }
      if (s == n_ser) {
        ser[s].w = w;
        ser[s].cfg0 = j;
        ser[s].w_bits = wb;
        /* extra only carries what distinguishes configs of the same arch and bits */
        snprintf(ser[s].label, sizeof ser[s].label, "%s", g->arch);
        if (wb) appendf(ser[s].label, sizeof ser[s].label, " w%d", wb);
        appendf(ser[s].label, sizeof ser[s].label, "%s", g->extra);
        /* one colour per (arch, w_bits, extra), shared across workloads */
        ser[s].variant = 0;
        int n_var = 0;
        for (int t = 0; t < s; t++) {
          const Config *h = &c->cfg[ser[t].cfg0];
          if (ser[t].variant >= n_var) n_var = ser[t].variant + 1;
          if (ser[t].w_bits == wb && !strcmp(h->arch, g->arch) && !strcmp(h->extra, g->extra)) {
            ser[s].variant = ser[t].variant;
            n_var = -1;
            break;
          }
        }
        if (n_var >= 0) ser[s].variant = n_var;
        if (c->n_wl > 1) appendf(ser[s].label, sizeof ser[s].label, " %s", c->wl[w].name);
        n_ser++;
      }
      ser_of[w * c->n_cfg + j] = s;
    }

  double lo = 0, hi = 0;
  for (size_t i = 0; i < (size_t)c->n_wl * (size_t)c->n_cfg; i++) {
    double v = (double)c->cell[i].n_cycles;
    if (!c->cell[i].run_id || v <= 0) continue;
    if (lo == 0 || v < lo) lo = v;
    if (v > hi) hi = v;
  }
  int log_y = c->log_y || (lo > 0 && hi / lo >= 100.0);

  snprintf(title, sizeof title, "Total n_cycles vs a_bits per architecture (workload%s ",
           c->n_wl > 1 ? "s" : "");
  for (int w = 0; w < c->n_wl; w++) appendf(title, sizeof title, "%s%s", w ? ", " : "", c->wl[w].name);
  appendf(title, sizeof title, ")");
  if ((rc = addPlot(c, "bits", title, &p, err))) goto end;

  if ((rc = openW(p->dat_path, &f, err))) goto end;
  fprintf(f,
          "# qasim report: total n_cycles of the newest run per config vs a_bits; one "
          "column per series (arch[, fixed w_bits], workload); '-' = no run\n");
  fprintf(f, "# a_bits");
  for (int s = 0; s < n_ser; s++) {
    fputc(' ', f);
    putDatLabel(f, ser[s].label);
  }
  fputc('\n', f);
  for (int b = 0; b < n_bits; b++) {
    fprintf(f, "%d", bits[b]);
    for (int s = 0; s < n_ser; s++) {
      int64_t v = -1;
      for (int j = 0; j < c->n_cfg; j++)
        if (c->cfg[j].a_bits == bits[b] && ser_of[ser[s].w * c->n_cfg + j] == s)
          v = CELL(c, ser[s].w, j).n_cycles;
      if (v < 0)
        fprintf(f, " -");
      else
        fprintf(f, " %lld", (long long)v);
    }
    fputc('\n', f);
  }
  rc = closeW(p->dat_path, f, err);
  f = NULL;
  if (rc) goto end;

  size_t max_label = 0;
  for (int s = 0; s < n_ser; s++)
    if (strlen(ser[s].label) > max_label) max_label = strlen(ser[s].label);
  if ((rc = openW(p->gp_path, &f, err))) goto end;
  gpHead(f, p, 760 + keyWidth(max_label), 520);
  fprintf(f, "set xlabel 'a_bits'\n");
  fprintf(f, "set ylabel 'n_cycles'\n");
  fprintf(f, "set xtics (");
  for (int b = 0; b < n_bits; b++) fprintf(f, "%s%d", b ? ", " : "", bits[b]);
  fprintf(f, ")\n");
  /* log y: no vertical offsets (autoscale already extends to whole decades) */
  fprintf(f, "set offsets graph 0.05, graph 0.05, %s, 0\n", log_y ? "0" : "graph 0.05");
  gpYAxis(f, log_y, hi);
  fprintf(f, "plot ");
  for (int s = 0; s < n_ser; s++) {
    /* colour by architecture, dash and point shape by workload */
    int wi = ser[s].w % 5;
    static const int kPt[5] = {7, 5, 9, 11, 13};
    fprintf(f, "%s'%s.dat' using 1:%d with linespoints title ", s ? ", \\\n     " : "", p->name, 2 + s);
    putGpString(f, ser[s].label);
    fprintf(f, " lt %d dt %d pt %d", ser[s].variant + 1, wi + 1, kPt[wi]);
  }
  fprintf(f, "\nunset output\n");
  rc = closeW(p->gp_path, f, err);
  f = NULL;
end:
  if (f) fclose(f);
  free(bits);
  free(ser);
  free(ser_of);
  return rc;
}

/* ---------------------------------------------------------------- plot 4a: energy */

static int plotEnergy(Ctx *c, int w, QaErr *err) {
  int rc = QA_OK, n_rows = 0, n_cols = 0;
  int *rows = NULL, *cols = NULL;
  FILE *f = NULL;
  QaReportPlot *p = NULL;
  char name[TAG_MAX + 16], title[QA_ERR_MAX], bits[512];

  rows = qaMalloc((size_t)c->n_cfg * sizeof *rows, err);
  cols = qaMalloc((size_t)c->n_comp * sizeof *cols, err);
  if (!rows || !cols) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int j = 0; j < c->n_cfg; j++)
    if (CELL(c, w, j).run_id && CELL(c, w, j).has_energy) rows[n_rows++] = j;
  for (int k = 0; k < c->n_comp; k++) {
    int any = 0;
    for (int r = 0; r < n_rows; r++) any |= c->comp_has[COMPIDX(c, w, rows[r], k)];
    if (any) cols[n_cols++] = k;
  }
  if (n_rows == 0) {
    rc = addNote(c, err, "energy-%s.png skipped: no energy rows with costs '%s' for workload '%s'",
                 c->wl[w].tag, c->costs, c->wl[w].name);
    goto end;
  }
  snprintf(name, sizeof name, "energy-%s", c->wl[w].tag);
  bitsList(c, rows, n_rows, bits, sizeof bits);
  snprintf(title, sizeof title, "%s: energy_pj by component, costs %s (bits a/w: %s)", c->wl[w].name,
           c->costs, bits);
  if ((rc = addPlot(c, name, title, &p, err))) goto end;

  if ((rc = openW(p->dat_path, &f, err))) goto end;
  fprintf(f, "# qasim report: energy_pj per component (summed over layers) of workload ");
  putDatLabel(f, c->wl[w].name);
  fprintf(f, ", costs '%s', newest run of each config; '-' = no rows\n", c->costs);
  datRunsComment(f, c, w, rows, n_rows);
  fprintf(f, "# config");
  for (int x = 0; x < n_cols; x++) {
    fputc(' ', f);
    putDatLabel(f, c->comp[cols[x]]);
  }
  fprintf(f, " total\n");
  for (int r = 0; r < n_rows; r++) {
    putDatLabel(f, c->cfg[rows[r]].label);
    for (int x = 0; x < n_cols; x++) {
      size_t i = COMPIDX(c, w, rows[r], cols[x]);
      if (!c->comp_has[i])
        fprintf(f, " -");
      else
        fprintf(f, " %.3f", c->comp_pj[i]);
    }
    fprintf(f, " %.3f\n", CELL(c, w, rows[r]).energy_pj);
  }
  rc = closeW(p->dat_path, f, err);
  f = NULL;
  if (rc) goto end;

  size_t max_comp = 0;
  for (int x = 0; x < n_cols; x++)
    if (strlen(c->comp[cols[x]]) > max_comp) max_comp = strlen(c->comp[cols[x]]);
  size_t max_cfg = maxLabelLen(c, rows, n_rows);
  int key_px = keyWidth(max_comp);
  int width = key_px + 200 + n_rows * 70;
  if (width < 800) width = 800;
  if (width > 4000) width = 4000;
  if ((rc = openW(p->gp_path, &f, err))) goto end;
  gpHead(f, p, width, 560);
  fprintf(f, "set style data histograms\n");
  fprintf(f, "set style histogram rowstacked\n");
  fprintf(f, "set key invert\n"); /* legend top-down in stacking order */
  fprintf(f, "set boxwidth 0.6 relative\n");
  fprintf(f, "set xlabel 'config'\n");
  fprintf(f, "set ylabel 'energy_pj'\n");
  gpXtics(f, n_rows, max_cfg, width - key_px - 120);
  double max_pj = 0;
  for (int r = 0; r < n_rows; r++)
    if (CELL(c, w, rows[r]).energy_pj > max_pj) max_pj = CELL(c, w, rows[r]).energy_pj;
  gpYAxis(f, 0, max_pj);
  gpBarPlot(f, c, p->name, 2, 1, cols, n_cols, c->comp);
  rc = closeW(p->gp_path, f, err);
  f = NULL;
end:
  if (f) fclose(f);
  free(rows);
  free(cols);
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

static int gnuplotMissing(const Ctx *c, QaErr *err) {
  if (strcmp(c->gnuplot, "gnuplot"))
    return qaErrSet(err, QA_EUSER,
                    "gnuplot not found (tried '%s'); install it with: apt-get install gnuplot-nox",
                    c->gnuplot);
  return qaErrSet(err, QA_EUSER, "gnuplot not found; install it with: apt-get install gnuplot-nox");
}

/* Detect the terminal once: pngcairo if gnuplot lists it, else png. *found = 0 when
** gnuplot cannot be started. */
static int detectTerminal(Ctx *c, int *found, QaErr *err) {
  char out[PROC_OUT_MAX * 4];
  int status, exec_errno;
  char *argv[] = {(char *)c->gnuplot, "-e", "set terminal", NULL};
  int rc = runProg(argv, NULL, out, sizeof out, &status, &exec_errno, err);
  if (rc) return rc;
  *found = exec_errno == 0;
  c->term = strstr(out, "pngcairo") ? "pngcairo" : "png";
  return QA_OK;
}

static int render(Ctx *c, QaReportPlot *p, QaErr *err) {
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

static void ctxFree(Ctx *c) {
  for (int j = 0; j < c->n_cfg; j++) {
    free(c->cfg[j].arch);
    free(c->cfg[j].quant_a);
    free(c->cfg[j].quant_w);
    free(c->cfg[j].timing);
  }
  free(c->cfg);
  for (int i = 0; i < c->n_wl; i++) free(c->wl[i].name);
  free(c->wl);
  free(c->cell);
  for (int k = 0; k < c->n_comp; k++) free(c->comp[k]);
  free(c->comp);
  free(c->comp_pj);
  free(c->comp_has);
  free(c->costs);
}

int qaReportPlots(struct sqlite3 *db, const char *out_dir, const QaReportOptions *opt, QaReportSummary *out,
                  QaErr *err) {
  static const QaReportOptions kDefaults = {0};
  QaReportSummary local;
  Ctx c;
  int rc = QA_OK, in_savepoint = 0, found = 1, exists = 0;
  FILE *f = NULL;
  char *errmsg = NULL;

  memset(&c, 0, sizeof c);
  memset(&local, 0, sizeof local);
  if (!opt) opt = &kDefaults;
  c.sum = out ? out : &local;
  memset(c.sum, 0, sizeof *c.sum);
  c.db = db;
  c.out_dir = out_dir;
  c.gnuplot = opt->gnuplot && *opt->gnuplot ? opt->gnuplot : "gnuplot";
  c.base_arch = opt->baseline_arch && *opt->baseline_arch ? opt->baseline_arch : "dadiannao";
  c.base_a = opt->baseline_a_bits > 0 ? opt->baseline_a_bits : 16;
  c.base_w = opt->baseline_w_bits > 0 ? opt->baseline_w_bits : 16;
  c.log_y = opt->log_y;
  c.term = "pngcairo";
  if (!db) return qaErrSet(err, QA_EUSER, "report: no results store given");
  if (!out_dir || !*out_dir) return qaErrSet(err, QA_EUSER, "report: empty output directory name");
  if (!(c.sum->out_dir = dupStr(out_dir, err))) return QA_EINTERNAL;

  if (sqlite3_exec(db, "SAVEPOINT qa_report", NULL, NULL, &errmsg) != SQLITE_OK) {
    rc = qaErrSet(err, QA_EINTERNAL, "report: SQL error: %s (in: SAVEPOINT qa_report)",
                  errmsg ? errmsg : sqlite3_errmsg(db));
    goto end;
  }
  in_savepoint = 1;
  if ((rc = tableExists(&c, "run", &exists, err))) goto end;
  if (!exists || (rc = tableExists(&c, "layer", &exists, err)) || !exists) {
    if (!rc)
      rc = qaErrSet(err, QA_EUSER,
                    "not a qasim results store: no 'run'/'layer' tables (write runs with "
                    "qasim first)");
    goto end;
  }
  if ((rc = loadRuns(&c, err))) goto end;
  if (c.sum->n_runs == 0) {
    rc = qaErrSet(err, QA_EUSER, "the results store has no finished runs: nothing to plot (simulate first)");
    goto end;
  }
  int have_energy = 0;
  if ((rc = tableExists(&c, "energy", &exists, err))) goto end;
  if (!exists) {
    if ((rc = addNote(&c, err,
                      "energy plots skipped: the store has no energy table (price the runs "
                      "with the cost model to add it)")))
      goto end;
  } else if ((rc = loadEnergy(&c, opt->costs, &have_energy, err))) {
    goto end;
  }

  if ((rc = mkdirP(out_dir, err))) goto end;
  if (!opt->no_render && (rc = detectTerminal(&c, &found, err))) goto end;
  c.sum->terminal = c.term;

  /* The shared style, then every plot's .dat and .gp. */
  if (!(c.sum->style_path = fmtStr(err, "%s/style.gp", out_dir))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  if ((rc = openW(c.sum->style_path, &f, err))) goto end;
  {
    char term[128];
    snprintf(term, sizeof term, "%s noenhanced font 'Sans,10'", c.term);
    fprintf(f, kStyleTemplate, term);
  }
  rc = closeW(c.sum->style_path, f, err);
  f = NULL;
  if (rc) goto end;
  for (int w = 0; w < c.n_wl; w++)
    if ((rc = plotLayers(&c, w, err))) goto end;
  if ((rc = plotRatio(&c, 0, err))) goto end;
  if ((rc = plotBits(&c, err))) goto end;
  if (have_energy) {
    for (int w = 0; w < c.n_wl; w++)
      if ((rc = plotEnergy(&c, w, err))) goto end;
    if ((rc = plotRatio(&c, 1, err))) goto end;
  }

  if (opt->no_render) goto end;
  if (!found) {
    rc = gnuplotMissing(&c, err);
    goto end;
  }
  for (int i = 0; i < c.sum->n_plots; i++)
    if ((rc = render(&c, &c.sum->plots[i], err))) goto end;
end:
  if (f) fclose(f);
  sqlite3_free(errmsg);
  if (in_savepoint) {
    sqlite3_exec(db, "ROLLBACK TO qa_report", NULL, NULL, NULL);
    sqlite3_exec(db, "RELEASE qa_report", NULL, NULL, NULL);
  }
  ctxFree(&c);
  if (!out) qaReportSummaryClear(&local);
  return rc;
}
