/*
** data.c - what the report plots (see reportInt.h): the newest run of each
** (config, workload), the energy of one cost label, and the table of every plot.
**
** Everything comes from the store's typed queries (store/store.h); this file knows
** neither SQL nor files. Rows are workloads (by name) and columns configs. Config
** order: the baseline architecture first, then by arch name, a_bits and w_bits
** descending, quantizers and timing; a config keeps its index in every plot, and with
** it its line type, so its colour stays the same across charts.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/reportInt.h"

/* ---------------------------------------------------------------- small helpers */

char *reportStrDup(const char *s, QaErr *err) {
  if (!s) s = "";
  size_t n = strlen(s);
  char *p = qaMalloc(n + 1, err);
  if (p) memcpy(p, s, n + 1);
  return p;
}

void reportAppendf(char *buf, size_t cap, const char *fmt, ...) {
  size_t len = strlen(buf);
  if (len + 1 >= cap) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + len, cap - len, fmt, ap);
  va_end(ap);
}

int reportNote(Report *r, QaErr *err, const char *fmt, ...) {
  char line[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  QaReportSummary *s = r->sum;
  char **grown = realloc(s->notes, (size_t)(s->n_notes + 1) * sizeof *grown);
  if (!grown) return qaErrSet(err, QA_EINTERNAL, "out of memory adding a report note");
  s->notes = grown;
  if (!(s->notes[s->n_notes] = reportStrDup(line, err))) return QA_EINTERNAL;
  s->n_notes++;
  return QA_OK;
}

void reportBaseLabel(const Report *r, char *buf, size_t cap) {
  snprintf(buf, cap, "%s a%d/w%d", r->base_arch, r->base_a, r->base_w);
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

/* ---------------------------------------------------------------- selecting runs */

static int cfgFind(const Report *c, const char *arch, int a, int w, const char *qa, const char *qw,
                   const char *timing) {
  for (int j = 0; j < c->n_cfg; j++) {
    const Config *g = &c->cfg[j];
    if (g->a_bits == a && g->w_bits == w && !strcmp(g->arch, arch) && !strcmp(g->quant_a, qa) &&
        !strcmp(g->quant_w, qw) && !strcmp(g->timing, timing))
      return j;
  }
  return -1;
}

static int wlFind(const Report *c, const char *name) {
  for (int i = 0; i < c->n_wl; i++)
    if (!strcmp(c->wl[i].name, name)) return i;
  return -1;
}

/* Config order: the baseline architecture first, then arch name, a_bits and w_bits
** descending, quantizers, timing. */
static int cfgLess(const Report *c, const Config *x, const Config *y) {
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
static void sortConfigs(Report *c) {
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

static void sortWorkloads(Report *c) {
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
static void makeLabels(Report *c) {
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
    if (diff_q) reportAppendf(g->extra, sizeof g->extra, " %s/%s", g->quant_a, g->quant_w);
    if (diff_t) reportAppendf(g->extra, sizeof g->extra, " %s", g->timing);
    g->label[0] = 0; /* (appended: the label may truncate a long arch name) */
    reportAppendf(g->label, sizeof g->label, "%s a%d/w%d%s", g->arch, g->a_bits, g->w_bits, g->extra);
  }
}

/* Add the config and workload of run q if new; *j and *i get their (unsorted) indices. */
static int addRunKeys(Report *c, const QaRunConfig *q, int *j, int *i, QaErr *err) {
  *j = cfgFind(c, q->arch, q->a_bits, q->w_bits, q->quant_a, q->quant_w, q->timing);
  if (*j < 0) {
    Config *grown = realloc(c->cfg, (size_t)(c->n_cfg + 1) * sizeof *grown);
    if (!grown) return qaErrSet(err, QA_EINTERNAL, "out of memory reading runs");
    c->cfg = grown;
    Config *g = &c->cfg[c->n_cfg++];
    memset(g, 0, sizeof *g);
    g->a_bits = q->a_bits;
    g->w_bits = q->w_bits;
    g->arch = reportStrDup(q->arch, err);
    g->quant_a = reportStrDup(q->quant_a, err);
    g->quant_w = reportStrDup(q->quant_w, err);
    g->timing = reportStrDup(q->timing, err);
    if (!g->arch || !g->quant_a || !g->quant_w || !g->timing) return QA_EINTERNAL;
    g->is_base = !strcmp(q->arch, c->base_arch) && q->a_bits == c->base_a && q->w_bits == c->base_w;
    *j = c->n_cfg - 1;
  }
  *i = wlFind(c, q->workload);
  if (*i < 0) {
    Workload *grown = realloc(c->wl, (size_t)(c->n_wl + 1) * sizeof *grown);
    if (!grown) return qaErrSet(err, QA_EINTERNAL, "out of memory reading runs");
    c->wl = grown;
    Workload *wl = &c->wl[c->n_wl++];
    memset(wl, 0, sizeof *wl);
    if (!(wl->name = reportStrDup(q->workload, err))) return QA_EINTERNAL;
    *i = c->n_wl - 1;
  }
  return QA_OK;
}

int reportLoadRuns(Report *c, QaErr *err) {
  QaRunConfig *runs = NULL;
  int n_runs = 0, rc = QA_OK;
  int *cfg_of = NULL, *wl_of = NULL; /* per run: its config and workload before sorting */
  Config *unsorted_cfg = NULL;
  Workload *unsorted_wl = NULL;
  if ((rc = qaStoreNewestRuns(c->store, &runs, &n_runs, err))) goto end;
  if (n_runs == 0) goto end;
  cfg_of = qaMalloc((size_t)n_runs * sizeof *cfg_of, err);
  wl_of = qaMalloc((size_t)n_runs * sizeof *wl_of, err);
  if (!cfg_of || !wl_of) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int r = 0; r < n_runs; r++)
    if ((rc = addRunKeys(c, &runs[r], &cfg_of[r], &wl_of[r], err))) goto end;

  /* Remember each run's config/workload by identity, sort, then map back. */
  unsorted_cfg = qaMalloc((size_t)c->n_cfg * sizeof *unsorted_cfg, err);
  unsorted_wl = qaMalloc((size_t)c->n_wl * sizeof *unsorted_wl, err);
  if (!unsorted_cfg || !unsorted_wl) {
    rc = QA_EINTERNAL;
    goto end;
  }
  memcpy(unsorted_cfg, c->cfg, (size_t)c->n_cfg * sizeof *unsorted_cfg);
  memcpy(unsorted_wl, c->wl, (size_t)c->n_wl * sizeof *unsorted_wl);
  sortConfigs(c);
  sortWorkloads(c);
  if (!(c->cell = qaCalloc((size_t)c->n_wl * (size_t)c->n_cfg, sizeof *c->cell, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int r = 0; r < n_runs; r++) {
    const Config *g = &unsorted_cfg[cfg_of[r]];
    int j = cfgFind(c, g->arch, g->a_bits, g->w_bits, g->quant_a, g->quant_w, g->timing);
    int i = wlFind(c, unsorted_wl[wl_of[r]].name);
    Cell *cell = &CELL(c, i, j);
    if (runs[r].run_id > cell->run_id) { /* keys equal as text share a cell: newest wins */
      if (!cell->run_id) c->sum->n_runs++;
      cell->run_id = runs[r].run_id;
      cell->n_cycles = runs[r].n_cycles;
    }
  }
  makeLabels(c);
  for (int i = 0; i < c->n_wl; i++) {
    makeTag(c->wl[i].name, c->wl[i].tag, sizeof c->wl[i].tag);
    for (int k = 0; k < i; k++)
      if (!strcmp(c->wl[k].tag, c->wl[i].tag)) {
        reportAppendf(c->wl[i].tag, sizeof c->wl[i].tag, "-%d", i + 1);
        break;
      }
  }
  c->sum->n_configs = c->n_cfg;
  c->sum->n_workloads = c->n_wl;
end:
  free(unsorted_cfg);
  free(unsorted_wl);
  free(cfg_of);
  free(wl_of);
  qaStoreFreeRuns(runs, n_runs);
  return rc;
}

/* ---------------------------------------------------------------- energy */

/* The cell (*w, *j) whose run is run_id; 0 if the run is not plotted. */
static int findRun(const Report *c, int64_t run_id, int *w, int *j) {
  for (int i = 0; i < c->n_wl; i++)
    for (int k = 0; k < c->n_cfg; k++)
      if (CELL(c, i, k).run_id == run_id) {
        *w = i;
        *j = k;
        return 1;
      }
  return 0;
}

int reportLoadEnergy(Report *c, const char *want_costs, int *have, QaErr *err) {
  int rc = QA_OK, n_e = 0, n_costs = 0, best_n = 0;
  QaComponentEnergy *e = NULL;
  unsigned char *seen = NULL; /* per cell: its run was counted for the current costs */
  const char *best = NULL;
  char others[QA_ERR_MAX] = "";
  size_t n_cells = (size_t)c->n_wl * (size_t)c->n_cfg;
  *have = 0;
  if ((rc = qaStoreComponentEnergy(c->store, &e, &n_e, err))) goto end;
  if (!(seen = qaCalloc(n_cells ? n_cells : 1, 1, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  /* Distinct costs (the rows come sorted by costs) with the number of plotted runs each
  ** covers; the best covers most, the first alphabetically on a tie. */
  for (int i = 0; i < n_e;) {
    const char *costs = e[i].costs;
    int cur_n = 0, w, j;
    memset(seen, 0, n_cells);
    for (; i < n_e && !strcmp(e[i].costs, costs); i++)
      if (findRun(c, e[i].run_id, &w, &j) && !seen[(size_t)w * (size_t)c->n_cfg + (size_t)j]) {
        seen[(size_t)w * (size_t)c->n_cfg + (size_t)j] = 1;
        cur_n++;
      }
    n_costs++;
    reportAppendf(others, sizeof others, "%s%s", others[0] ? ", " : "", costs);
    if (cur_n > best_n) {
      best = costs;
      best_n = cur_n;
    }
  }
  if (!want_costs && !best) {
    rc = reportNote(c, err,
                    "energy plots skipped: the energy table has no rows for the plotted runs (price "
                    "them with the cost model, e.g. qasim price RUN)");
    goto end;
  }
  if (!(c->costs = reportStrDup(want_costs ? want_costs : best, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }

  /* Components of the chosen costs over the plotted runs: the rows of one costs come
  ** sorted by component, so the list is sorted and a component keeps its colour in
  ** every chart. */
  for (int i = 0; i < n_e; i++) {
    int w, j, k = 0;
    if (strcmp(e[i].costs, c->costs) || !findRun(c, e[i].run_id, &w, &j)) continue;
    while (k < c->n_comp && strcmp(c->comp[k], e[i].component)) k++;
    if (k < c->n_comp) continue;
    char **grown = realloc(c->comp, (size_t)(c->n_comp + 1) * sizeof *grown);
    if (!grown) {
      rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading energy");
      goto end;
    }
    c->comp = grown;
    if (!(c->comp[c->n_comp] = reportStrDup(e[i].component, err))) {
      rc = QA_EINTERNAL;
      goto end;
    }
    c->n_comp++;
  }
  if (c->n_comp == 0) {
    if (want_costs)
      rc = qaErrSet(err, QA_EUSER,
                    "no energy rows with costs '%s' for the plotted runs (costs in the store: %s)",
                    want_costs, others[0] ? others : "none");
    else
      rc = reportNote(c, err, "energy plots skipped: no energy rows for the plotted runs");
    goto end;
  }
  size_t n = n_cells * (size_t)c->n_comp;
  c->comp_pj = qaCalloc(n, sizeof *c->comp_pj, err);
  c->comp_has = qaCalloc(n, 1, err);
  if (!c->comp_pj || !c->comp_has) {
    rc = QA_EINTERNAL;
    goto end;
  }
  /* In component order, so each cell's total adds its components in the same order. */
  for (int i = 0; i < n_e; i++) {
    int w, j, k = 0;
    if (strcmp(e[i].costs, c->costs) || e[i].n_values <= 0 || !findRun(c, e[i].run_id, &w, &j)) continue;
    while (k < c->n_comp && strcmp(c->comp[k], e[i].component)) k++;
    c->comp_pj[COMPIDX(c, w, j, k)] += e[i].energy_pj;
    c->comp_has[COMPIDX(c, w, j, k)] = 1;
    CELL(c, w, j).energy_pj += e[i].energy_pj;
    CELL(c, w, j).weak_pj += e[i].weak_pj;
    CELL(c, w, j).has_energy = 1;
  }
  *have = 1;
  if (!want_costs && n_costs > 1)
    rc = reportNote(c, err,
                    "energy: plotted costs '%s' (covers %d of %d runs; costs in the store: %s); "
                    "choose with the costs option",
                    c->costs, best_n, c->sum->n_runs, others);
end:
  free(seen);
  qaStoreFreeComponentEnergy(e, n_e);
  return rc;
}

void reportFree(Report *c) {
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

/* ---------------------------------------------------------------- layers */

int reportLayersTable(Report *c, int w, LayersTable *t, QaErr *err) {
  int rc = QA_OK, cap = 0;
  QaStoredLayer *ls = NULL;
  int n_ls = 0;
  memset(t, 0, sizeof *t);
  t->w = w;
  if (!(t->cols = qaMalloc((size_t)c->n_cfg * sizeof *t->cols, err))) return QA_EINTERNAL;
  for (int j = 0; j < c->n_cfg; j++)
    if (CELL(c, w, j).run_id) t->cols[t->n_cols++] = j;
  for (int x = 0; x < t->n_cols; x++) {
    if ((rc = qaStoreGetLayers(c->store, CELL(c, w, t->cols[x]).run_id, NULL, &ls, &n_ls, err))) goto end;
    for (int l = 0; l < n_ls; l++) {
      int64_t idx = ls[l].layer_idx;
      int r = 0;
      while (r < t->n_rows && t->rows[r].layer_idx < idx) r++;
      if (r == t->n_rows || t->rows[r].layer_idx != idx) { /* insert a new row at r */
        if (t->n_rows == cap) {
          cap = cap ? 2 * cap : 32;
          LayerRow *grown = realloc(t->rows, (size_t)cap * sizeof *grown);
          if (!grown) {
            rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading layers");
            goto end;
          }
          t->rows = grown;
        }
        memmove(&t->rows[r + 1], &t->rows[r], (size_t)(t->n_rows - r) * sizeof *t->rows);
        t->n_rows++;
        LayerRow *row = &t->rows[r];
        row->layer_idx = idx;
        row->name = reportStrDup(ls[l].name, err);
        row->v = qaMalloc((size_t)t->n_cols * sizeof *row->v, err);
        if (!row->name || !row->v) {
          rc = QA_EINTERNAL;
          goto end;
        }
        for (int y = 0; y < t->n_cols; y++) row->v[y] = -1;
      }
      t->rows[r].v[x] = ls[l].stats.n_cycles;
    }
    free(ls);
    ls = NULL;
  }
  if (t->n_rows == 0)
    rc = reportNote(c, err, "layers-%s.png skipped: the runs of workload '%s' have no layer rows",
                    c->wl[w].tag, c->wl[w].name);
end:
  free(ls);
  return rc;
}

void reportLayersTableFree(LayersTable *t) {
  for (int r = 0; r < t->n_rows; r++) {
    free(t->rows[r].name);
    free(t->rows[r].v);
  }
  free(t->rows);
  free(t->cols);
  memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------------- ratios */

/* The baseline config of workload w: the first baseline config (in order) whose cell
** has cycles (energy = 0) or energy (energy = 1). -1 if none. */
static int baseFor(const Report *c, int w, int energy) {
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

int reportRatioTable(Report *c, int energy, RatioTable *t, QaErr *err) {
  int rc = QA_OK;
  const char *name = energy ? "efficiency" : "speedup";
  char base_label[LABEL_MAX];
  reportBaseLabel(c, base_label, sizeof base_label);
  memset(t, 0, sizeof *t);
  t->energy = energy;
  t->rows = qaMalloc((size_t)c->n_wl * sizeof *t->rows, err);
  t->base = qaMalloc((size_t)c->n_wl * sizeof *t->base, err);
  t->cols = qaMalloc((size_t)c->n_cfg * sizeof *t->cols, err);
  if (!t->rows || !t->base || !t->cols) return QA_EINTERNAL;
  for (int w = 0; w < c->n_wl; w++) {
    int b = baseFor(c, w, energy);
    if (b < 0) {
      int any = 0;
      for (int j = 0; j < c->n_cfg; j++) any |= cellHas(&CELL(c, w, j), energy);
      if (any && (rc = reportNote(c, err, "%s: no %s run%s for workload '%s'; left out of %s.png", name,
                                  base_label, energy ? " with energy" : "", c->wl[w].name, name)))
        return rc;
      continue;
    }
    t->base[t->n_rows] = b;
    t->rows[t->n_rows++] = w;
  }
  if (t->n_rows == 0) {
    int any = 0;
    for (size_t i = 0; i < (size_t)c->n_wl * (size_t)c->n_cfg; i++) any |= cellHas(&c->cell[i], energy);
    if (any)
      rc = reportNote(c, err, "%s.png skipped: no %s baseline run%s for any workload", name, base_label,
                      energy ? " with energy" : "");
    return rc;
  }
  for (int j = 0; j < c->n_cfg; j++) {
    int any = 0;
    for (int r = 0; r < t->n_rows; r++) any |= cellHas(&CELL(c, t->rows[r], j), energy);
    if (any) t->cols[t->n_cols++] = j;
  }
  t->base_value = qaMalloc((size_t)t->n_rows * sizeof *t->base_value, err);
  t->ratio = qaMalloc((size_t)t->n_rows * (size_t)(t->n_cols ? t->n_cols : 1) * sizeof *t->ratio, err);
  if (!t->base_value || !t->ratio) return QA_EINTERNAL;
  for (int r = 0; r < t->n_rows; r++) {
    t->base_value[r] = cellValue(&CELL(c, t->rows[r], t->base[r]), energy);
    for (int x = 0; x < t->n_cols; x++) {
      const Cell *cell = &CELL(c, t->rows[r], t->cols[x]);
      t->ratio[(size_t)r * (size_t)t->n_cols + (size_t)x] =
          cellHas(cell, energy) ? t->base_value[r] / cellValue(cell, energy) : NAN;
    }
  }
  return QA_OK;
}

void reportRatioTableFree(RatioTable *t) {
  free(t->rows);
  free(t->base);
  free(t->base_value);
  free(t->cols);
  free(t->ratio);
  memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------------- bits */

int reportBitsTable(Report *c, BitsTable *t, QaErr *err) {
  int rc = QA_OK;
  int *ser_of = NULL; /* ser_of[w * n_cfg + j]: the series of a cell, -1 if none */
  memset(t, 0, sizeof *t);
  t->bits = qaMalloc((size_t)c->n_cfg * sizeof *t->bits, err);
  t->ser = qaMalloc((size_t)c->n_wl * (size_t)c->n_cfg * sizeof *t->ser, err);
  ser_of = qaMalloc((size_t)c->n_wl * (size_t)c->n_cfg * sizeof *ser_of, err);
  if (!t->bits || !t->ser || !ser_of) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int j = 0; j < c->n_cfg; j++) {
    int a = c->cfg[j].a_bits, k = 0;
    while (k < t->n_bits && t->bits[k] < a) k++;
    if (k < t->n_bits && t->bits[k] == a) continue;
    memmove(&t->bits[k + 1], &t->bits[k], (size_t)(t->n_bits - k) * sizeof *t->bits);
    t->bits[k] = a;
    t->n_bits++;
  }
  if (t->n_bits < 2) {
    rc = reportNote(c, err, "bits.png skipped: every run uses a_bits=%d (needs runs at 2+ bit-widths)",
                    t->n_bits ? t->bits[0] : 0);
    t->n_bits = 0;
    goto end;
  }
  /* A series: same workload, arch, quantizers, timing, and either w_bits == a_bits
  ** throughout or one fixed w_bits. */
  Series *ser = t->ser;
  for (int w = 0; w < c->n_wl; w++)
    for (int j = 0; j < c->n_cfg; j++) {
      ser_of[w * c->n_cfg + j] = -1;
      if (!CELL(c, w, j).run_id) continue;
      const Config *g = &c->cfg[j];
      int wb = g->w_bits == g->a_bits ? 0 : g->w_bits, s = 0;
      for (; s < t->n_ser; s++) {
        const Config *h = &c->cfg[ser[s].cfg0];
        if (ser[s].w == w && ser[s].w_bits == wb && !strcmp(h->arch, g->arch) &&
            !strcmp(h->quant_a, g->quant_a) && !strcmp(h->quant_w, g->quant_w) &&
            !strcmp(h->timing, g->timing))
          break;
      }
      if (s == t->n_ser) {
        ser[s].w = w;
        ser[s].cfg0 = j;
        ser[s].w_bits = wb;
        /* extra only carries what distinguishes configs of the same arch and bits */
        snprintf(ser[s].label, sizeof ser[s].label, "%s", g->arch);
        if (wb) reportAppendf(ser[s].label, sizeof ser[s].label, " w%d", wb);
        reportAppendf(ser[s].label, sizeof ser[s].label, "%s", g->extra);
        /* one colour per (arch, w_bits, extra), shared across workloads */
        ser[s].variant = 0;
        int n_var = 0;
        for (int u = 0; u < s; u++) {
          const Config *h = &c->cfg[ser[u].cfg0];
          if (ser[u].variant >= n_var) n_var = ser[u].variant + 1;
          if (ser[u].w_bits == wb && !strcmp(h->arch, g->arch) && !strcmp(h->extra, g->extra)) {
            ser[s].variant = ser[u].variant;
            n_var = -1;
            break;
          }
        }
        if (n_var >= 0) ser[s].variant = n_var;
        if (c->n_wl > 1) reportAppendf(ser[s].label, sizeof ser[s].label, " %s", c->wl[w].name);
        t->n_ser++;
      }
      ser_of[w * c->n_cfg + j] = s;
    }

  for (size_t i = 0; i < (size_t)c->n_wl * (size_t)c->n_cfg; i++) {
    double v = (double)c->cell[i].n_cycles;
    if (!c->cell[i].run_id || v <= 0) continue;
    if (t->lo == 0 || v < t->lo) t->lo = v;
    if (v > t->hi) t->hi = v;
  }
  if (!(t->v = qaMalloc((size_t)t->n_bits * (size_t)t->n_ser * sizeof *t->v, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int b = 0; b < t->n_bits; b++)
    for (int s = 0; s < t->n_ser; s++) {
      int64_t v = -1;
      for (int j = 0; j < c->n_cfg; j++)
        if (c->cfg[j].a_bits == t->bits[b] && ser_of[ser[s].w * c->n_cfg + j] == s)
          v = CELL(c, ser[s].w, j).n_cycles;
      t->v[(size_t)b * (size_t)t->n_ser + (size_t)s] = v;
    }
end:
  free(ser_of);
  return rc;
}

void reportBitsTableFree(BitsTable *t) {
  free(t->bits);
  free(t->ser);
  free(t->v);
  memset(t, 0, sizeof *t);
}

/* ---------------------------------------------------------------- energy breakdown */

int reportEnergyTable(Report *c, int w, EnergyTable *t, QaErr *err) {
  memset(t, 0, sizeof *t);
  t->w = w;
  t->rows = qaMalloc((size_t)c->n_cfg * sizeof *t->rows, err);
  t->cols = qaMalloc((size_t)(c->n_comp ? c->n_comp : 1) * sizeof *t->cols, err);
  if (!t->rows || !t->cols) return QA_EINTERNAL;
  for (int j = 0; j < c->n_cfg; j++)
    if (CELL(c, w, j).run_id && CELL(c, w, j).has_energy) t->rows[t->n_rows++] = j;
  for (int k = 0; k < c->n_comp; k++) {
    int any = 0;
    for (int r = 0; r < t->n_rows; r++) any |= c->comp_has[COMPIDX(c, w, t->rows[r], k)];
    if (any) t->cols[t->n_cols++] = k;
  }
  if (t->n_rows == 0)
    return reportNote(c, err, "energy-%s.png skipped: no energy rows with costs '%s' for workload '%s'",
                      c->wl[w].tag, c->costs, c->wl[w].name);
  return QA_OK;
}

void reportEnergyTableFree(EnergyTable *t) {
  free(t->rows);
  free(t->cols);
  memset(t, 0, sizeof *t);
}
