/*
** point.c - design points in the store (see "design points" in store.h): finding a point
** by identity, the composition rows of a run, the filtered points listings and reports
** read (views finished_run and point, schema 5), the per-layer rows of exports, and the
** busy handler every connection waits with.
**
** The conventions of store.c hold: the fixed statements are prepared once in qaStoreOpen
** (qaStorePointSql[] below) and reset after each use; binds are by name; every SQL error
** carries the statement's text. The one statement built per call is the filtered points
** query (its filters are bound, never pasted, except a --where condition, which is
** checked with an authorizer to be read-only and one expression).
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/storeInt.h"

const char *const qaStorePointSql[P_COUNT] = {
    [P_FIND_POINT] = "SELECT max(run_id) FROM run WHERE identity = :identity AND n_cycles IS NOT NULL",
    [P_IDENTITIES] =
        "SELECT DISTINCT identity FROM run WHERE identity IS NOT NULL AND n_cycles IS NOT NULL"
        " ORDER BY identity",
    [P_ADD_COMPONENT] =
        "INSERT OR REPLACE INTO run_component(run_id, costs, component, category, scope, instances, area_um2)"
        " VALUES(:run_id, :costs, :component, :category, :scope, :instances, :area_um2)",
    [P_COMPONENT_AREAS] =
        "SELECT run_id, costs, component, category, scope, instances, area_um2 FROM run_component"
        " ORDER BY run_id, costs, rowid",
    [P_LAYER_QUALITY] =
        "SELECT l.run_id, l.layer_idx, l.macs, l.a_sqnr_db, l.w_sqnr_db FROM layer l JOIN run r"
        " ON r.run_id = l.run_id WHERE r.n_cycles IS NOT NULL ORDER BY l.run_id, l.layer_idx",
    [P_LAYER_ENERGY] =
        "SELECT layer_idx, component, energy_pj FROM energy WHERE run_id = :run_id AND costs = :costs"
        " ORDER BY layer_idx, component",
    [P_LAYER_ROWS] = "SELECT * FROM layer WHERE run_id = :run_id ORDER BY layer_idx",
    [P_RUN_ROW] = "SELECT * FROM run WHERE run_id = :run_id",
    [P_LAYER_CYCLES] =
        "SELECT layer_idx, name, n_cycles FROM layer WHERE run_id = :run_id ORDER BY layer_idx",
};

const char *qaStoreSqlText(QaStoreSqlId id) {
  switch (id) {
    case QA_SQL_COMPONENT_ENERGY:
      return qaStoreQuerySql[Q_COMPONENT_ENERGY];
    case QA_SQL_COMPONENT_AREAS:
      return qaStorePointSql[P_COMPONENT_AREAS];
    case QA_SQL_LAYER_QUALITY:
      return qaStorePointSql[P_LAYER_QUALITY];
    case QA_SQL_LAYER_CYCLES:
      return qaStorePointSql[P_LAYER_CYCLES];
  }
  return "";
}

/* The columns of view point (schema 5), as qaStorePointColumns reports them. */
static const char kPointColumns[] =
    "run_id, identity, config_id, workload_id, created_utc, tool_version, arch, arch_config, workload, "
    "workload_source, workload_hash, a_bits, w_bits, quant_a, quant_w, encoder, seed, act_zero_frac, "
    "wgt_dist, verify, timing, clock_mhz, n_layers, macs, n_cycles, n_stall_cycles, time_s, all_verified, "
    "costs, energy_pj, static_pj, pj_per_mac, energy_per_inference_pj, area_mm2, n_runs";

const char *qaStorePointColumns(void) { return kPointColumns; }

/* ---- helpers ---------------------------------------------------------------------- */

int qaStoreBusyWait(void *ctx, int n_tries) {
  (void)ctx;
  long ms = n_tries < 7 ? 1L << n_tries : 100;
  /* jitter: half the wait plus a pseudo-random part, different per process and try */
  unsigned h = (unsigned)getpid() * 2654435761u ^ (unsigned)n_tries * 40503u;
  h ^= h >> 13;
  long wait_us = ms * 500 + (long)(h % (unsigned)(ms * 500 + 1));
  struct timespec ts = {wait_us / 1000000, (wait_us % 1000000) * 1000};
  nanosleep(&ts, NULL);
  return 1; /* always try again: a writer holds the lock only for one short transaction */
}

int qaStoreRunIsOpen(QaStore *st, int64_t run_id, const char *fn, QaErr *err) {
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "%s: no results store", fn);
  if (!st->run_open)
    return qaErrSet(err, QA_EINTERNAL, "%s: %s: no run is open (call qaStoreBeginRun first)", st->path, fn);
  if (st->run_id != run_id)
    return qaErrSet(err, QA_EINTERNAL, "%s: %s: run %lld is not the open run (%lld)", st->path, fn,
                    (long long)run_id, (long long)st->run_id);
  return QA_OK;
}

static void done(sqlite3_stmt *s) {
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
}

static int bindFail(QaStore *st, sqlite3_stmt *s, int src, QaErr *err) {
  int rc = qaErrSet(err, QA_EINTERNAL, "%s: SQL bind error: %s (in: %s)", st->path, sqlite3_errstr(src),
                    sqlite3_sql(s));
  done(s);
  return rc;
}

/* A malloc'ed copy of a text column; SQL NULL becomes "". NULL when out of memory. */
static char *colDup(sqlite3_stmt *s, int col) {
  const unsigned char *t = sqlite3_column_text(s, col);
  const char *v = t ? (const char *)t : "";
  size_t n = strlen(v) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, v, n);
  return p;
}

static double colDoubleOrNan(sqlite3_stmt *s, int col) {
  return sqlite3_column_type(s, col) == SQLITE_NULL ? NAN : sqlite3_column_double(s, col);
}

/* Grow *v (of *cap elements of SIZE bytes) to hold n + 1. */
static int grow(void **v, int *cap, int n, size_t size) {
  if (n < *cap) return 1;
  int ncap = *cap ? 2 * *cap : 16;
  void *g = realloc(*v, (size_t)ncap * size);
  if (!g) return 0;
  *v = g;
  *cap = ncap;
  return 1;
}

/* ---- finding points --------------------------------------------------------------- */

int qaStoreFindPoint(QaStore *st, const char *identity, int64_t *run_id, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK;
  *run_id = 0;
  if (!st || !st->db || !identity) return qaErrSet(err, QA_EINTERNAL, "qaStoreFindPoint: NULL argument");
  sqlite3_stmt *s = st->point[P_FIND_POINT];
  bindText(s, ":identity", identity, &src);
  if (src != SQLITE_OK) return bindFail(st, s, src, err);
  src = sqlite3_step(s);
  if (src == SQLITE_ROW)
    *run_id = sqlite3_column_type(s, 0) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 0);
  else if (src != SQLITE_DONE)
    rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  done(s);
  return rc;
}

void qaStoreFreeStrings(char **v, int n) {
  if (!v) return;
  for (int i = 0; i < n; i++) free(v[i]);
  free(v);
}

int qaStoreIdentities(QaStore *st, char ***ids, int *n_ids, QaErr *err) {
  int rc = QA_OK, src, n = 0, cap = 0;
  char **v = NULL;
  *ids = NULL;
  *n_ids = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreIdentities: no results store");
  sqlite3_stmt *s = st->point[P_IDENTITIES];
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (!grow((void **)&v, &cap, n, sizeof *v) || !(v[n] = colDup(s, 0))) {
      rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading identities", st->path);
      goto end;
    }
    n++;
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
end:
  done(s);
  if (rc) {
    qaStoreFreeStrings(v, n);
    return rc;
  }
  *ids = v;
  *n_ids = n;
  return QA_OK;
}

/* ---- the composition of a run ----------------------------------------------------- */

int qaStoreAddComponent(QaStore *st, int64_t run_id, const QaComponentRecord *rec, QaErr *err) {
  int rc, src = SQLITE_OK;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreAddComponent", err))) return rc;
  sqlite3_stmt *s = st->point[P_ADD_COMPONENT];
  bindI64(s, ":run_id", run_id, &src);
  bindText(s, ":costs", rec->costs, &src);
  bindText(s, ":component", rec->component, &src);
  bindText(s, ":category", rec->category, &src);
  bindText(s, ":scope", rec->scope, &src);
  bindI64(s, ":instances", rec->instances, &src);
  bindDouble(s, ":area_um2", rec->area_um2, &src);
  if (src != SQLITE_OK) {
    rc = bindFail(st, s, src, err);
  } else {
    src = sqlite3_step(s);
    if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
    done(s);
  }
  if (rc) {
    qaErrPrefix(err, "component %s", rec->component ? rec->component : "?");
    qaStoreAbortRun(st);
  }
  return rc;
}

void qaStoreFreeComponentAreas(QaComponentArea *rows, int n) {
  if (!rows) return;
  for (int i = 0; i < n; i++) {
    free(rows[i].costs);
    free(rows[i].component);
    free(rows[i].category);
    free(rows[i].scope);
  }
  free(rows);
}

int qaStoreComponentAreas(QaStore *st, QaComponentArea **rows, int *n_rows, QaErr *err) {
  int rc = QA_OK, src, n = 0, cap = 0;
  QaComponentArea *v = NULL;
  *rows = NULL;
  *n_rows = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreComponentAreas: no results store");
  sqlite3_stmt *s = st->point[P_COMPONENT_AREAS];
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (!grow((void **)&v, &cap, n, sizeof *v)) goto oom;
    QaComponentArea *a = &v[n++];
    memset(a, 0, sizeof *a);
    a->run_id = sqlite3_column_int64(s, 0);
    a->costs = colDup(s, 1);
    a->component = colDup(s, 2);
    a->category = colDup(s, 3);
    a->scope = colDup(s, 4);
    a->instances = sqlite3_column_int64(s, 5);
    a->area_um2 = colDoubleOrNan(s, 6);
    if (!a->costs || !a->component || !a->category || !a->scope) goto oom;
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  goto end;
oom:
  rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading component areas", st->path);
end:
  done(s);
  if (rc) {
    qaStoreFreeComponentAreas(v, n);
    return rc;
  }
  *rows = v;
  *n_rows = n;
  return QA_OK;
}

/* ---- layers ----------------------------------------------------------------------- */

int qaStoreLayerQuality(QaStore *st, QaLayerQuality **rows, int *n_rows, QaErr *err) {
  int rc = QA_OK, src, n = 0, cap = 0;
  QaLayerQuality *v = NULL;
  *rows = NULL;
  *n_rows = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreLayerQuality: no results store");
  sqlite3_stmt *s = st->point[P_LAYER_QUALITY];
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (!grow((void **)&v, &cap, n, sizeof *v)) {
      rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading layers", st->path);
      goto end;
    }
    QaLayerQuality *q = &v[n++];
    q->run_id = sqlite3_column_int64(s, 0);
    q->layer_idx = sqlite3_column_int(s, 1);
    q->macs = sqlite3_column_int64(s, 2);
    q->a_sqnr_db = colDoubleOrNan(s, 3);
    q->w_sqnr_db = colDoubleOrNan(s, 4);
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
end:
  done(s);
  if (rc) {
    free(v);
    return rc;
  }
  *rows = v;
  *n_rows = n;
  return QA_OK;
}

int qaStoreLayerEnergy(QaStore *st, int64_t run_id, const char *costs, QaLayerEnergy **rows, int *n_rows,
                       QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK, n = 0, cap = 0;
  QaLayerEnergy *v = NULL;
  *rows = NULL;
  *n_rows = 0;
  if (!st || !st->db || !costs) return qaErrSet(err, QA_EINTERNAL, "qaStoreLayerEnergy: NULL argument");
  sqlite3_stmt *s = st->point[P_LAYER_ENERGY];
  bindI64(s, ":run_id", run_id, &src);
  bindText(s, ":costs", costs, &src);
  if (src != SQLITE_OK) return bindFail(st, s, src, err);
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (!grow((void **)&v, &cap, n, sizeof *v)) {
      rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading energy", st->path);
      goto end;
    }
    QaLayerEnergy *e = &v[n++];
    e->layer_idx = sqlite3_column_int(s, 0);
    const unsigned char *t = sqlite3_column_text(s, 1);
    snprintf(e->component, sizeof e->component, "%s", t ? (const char *)t : "");
    e->energy_pj = colDoubleOrNan(s, 2);
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
end:
  done(s);
  if (rc) {
    free(v);
    return rc;
  }
  *rows = v;
  *n_rows = n;
  return QA_OK;
}

/* The run row's columns an export appends to each layer row (all but these). */
static int runColumnSkipped(const char *name) {
  return !strcmp(name, "run_id") || !strcmp(name, "arch_config") || !strcmp(name, "command_line");
}

int qaStoreLayerRows(QaStore *st, int64_t run_id, const QaRowSink *sink, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK;
  char **run_text = NULL, **names = NULL;
  int *run_type = NULL, *run_col = NULL, n_run = 0;
  if (!st || !st->db || !sink) return qaErrSet(err, QA_EINTERNAL, "qaStoreLayerRows: NULL argument");
  sqlite3_stmt *r = st->point[P_RUN_ROW], *s = st->point[P_LAYER_ROWS];
  bindI64(r, ":run_id", run_id, &src);
  if (src != SQLITE_OK) return bindFail(st, r, src, err);
  src = sqlite3_step(r);
  if (src == SQLITE_DONE) {
    done(r);
    return qaErrSet(err, QA_EUSER, "run %lld not found in %s (see `qasim results`)", (long long)run_id,
                    st->path);
  }
  if (src != SQLITE_ROW) {
    rc = qaStoreSqlErr(st, err, src, sqlite3_sql(r));
    done(r);
    return rc;
  }
  src = SQLITE_OK;
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) {
    done(r);
    return bindFail(st, s, src, err);
  }
  int n_layer = sqlite3_column_count(s), n_all = sqlite3_column_count(r);
  run_text = calloc((size_t)n_all + 1, sizeof *run_text);
  run_type = calloc((size_t)n_all + 1, sizeof *run_type);
  run_col = calloc((size_t)n_all + 1, sizeof *run_col);
  names = calloc((size_t)(n_layer + n_all) + 1, sizeof *names);
  if (!run_text || !run_type || !run_col || !names) goto oom;
  for (int c = 0; c < n_layer; c++)
    if (!(names[c] = strdup(sqlite3_column_name(s, c)))) goto oom;
  for (int c = 0; c < n_all; c++) {
    const char *name = sqlite3_column_name(r, c);
    if (runColumnSkipped(name)) continue;
    int clash = 0;
    for (int k = 0; k < n_layer; k++) clash |= !strcmp(names[k], name);
    size_t len = strlen(name) + 5;
    char *nm = malloc(len);
    if (!nm) goto oom;
    snprintf(nm, len, "%s%s", clash ? "run_" : "", name);
    names[n_layer + n_run] = nm;
    run_col[n_run] = c;
    run_type[n_run] = sqlite3_column_type(r, c);
    if (run_type[n_run] != SQLITE_NULL && !(run_text[n_run] = colDup(r, c))) goto oom;
    n_run++;
  }
  done(r);
  if (sink->header && (rc = sink->header(sink->ctx, n_layer + n_run, (const char *const *)names, err)))
    goto end;
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    for (int c = 0; c < n_layer && !rc; c++) {
      int type = sqlite3_column_type(s, c);
      rc = sink->cell(sink->ctx, c, type,
                      type == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(s, c), err);
    }
    for (int k = 0; k < n_run && !rc; k++)
      rc = sink->cell(sink->ctx, n_layer + k, run_type[k], run_text[k], err);
    if (!rc && sink->row_end) rc = sink->row_end(sink->ctx, err);
    if (rc) goto end;
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  goto end;
oom:
  rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory exporting run %lld", st->path, (long long)run_id);
end:
  done(r);
  done(s);
  for (int k = 0; k < n_all; k++) free(run_text ? run_text[k] : NULL);
  if (names)
    for (int k = 0; k < n_layer + n_all; k++) free(names[k]);
  free(run_text);
  free(run_type);
  free(run_col);
  free(names);
  return rc;
}

/* ---- the points of listings and reports ------------------------------------------- */

void qaStoreFreePoints(QaPoint *points, int n) {
  if (!points) return;
  for (int i = 0; i < n; i++) {
    QaPoint *p = &points[i];
    char **str[] = {&p->identity,        &p->config_id,     &p->workload_id, &p->created_utc,
                    &p->tool_version,    &p->arch,          &p->arch_config, &p->workload,
                    &p->workload_source, &p->workload_hash, &p->quant_a,     &p->quant_w,
                    &p->encoder,         &p->timing,        &p->wgt_dist,    &p->costs};
    for (size_t k = 0; k < sizeof str / sizeof str[0]; k++) free(*str[k]);
  }
  free(points);
}

/* What the authorizer of a --where condition saw first that is not a read. */
typedef struct WhereAuth {
  int denied; /* the SQLITE_* action code denied, 0 if none */
  char what[96];
} WhereAuth;

static int whereAuthorizer(void *ctx, int action, const char *a, const char *b, const char *db,
                           const char *view) {
  WhereAuth *w = ctx;
  (void)db;
  (void)view;
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    default:
      if (!w->denied) {
        w->denied = action;
        snprintf(w->what, sizeof w->what, "%s%s%s", a ? a : "", a && b ? " " : "", b ? b : "");
      }
      return SQLITE_DENY;
  }
}

/* Append formatted SQL to a malloc'ed buffer; 0 when out of memory. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
sqlf(char **buf, size_t *len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return 0;
  char *g = realloc(*buf, *len + (size_t)n + 1);
  if (!g) return 0;
  *buf = g;
  va_start(ap, fmt);
  vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  *len += (size_t)n;
  return 1;
}

/* " JOIN col IN (?, ?, ...)" for N values (JOIN is AND or OR); 0 when out of memory. */
static int sqlIn(char **buf, size_t *len, const char *join, const char *col, int n, const char *collate) {
  if (!sqlf(buf, len, " %s %s%s IN (", join, col, collate)) return 0;
  for (int i = 0; i < n; i++)
    if (!sqlf(buf, len, "%s?", i ? ", " : "")) return 0;
  return sqlf(buf, len, ")");
}

int qaStorePoints(QaStore *st, const QaPointFilter *f, QaPoint **points, int *n_points, char **sql_out,
                  QaErr *err) {
  static const QaPointFilter kAll = {0};
  char *sql = NULL;
  size_t len = 0;
  int rc = QA_OK, src, n = 0, cap = 0, arg = 1;
  QaPoint *v = NULL;
  sqlite3_stmt *s = NULL;
  WhereAuth auth = {0, ""};
  *points = NULL;
  *n_points = 0;
  if (sql_out) *sql_out = NULL;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStorePoints: no results store");
  if (!f) f = &kAll;
  const char *e = f->costs ? "e" : "p"; /* where the energy columns come from */
  int ok = sqlf(&sql, &len,
                "SELECT p.run_id, p.n_runs, p.identity, p.config_id, p.workload_id, p.created_utc,"
                " p.tool_version, p.arch, p.arch_config, p.workload, p.workload_source, p.workload_hash,"
                " p.quant_a, p.quant_w, p.encoder, p.timing, p.wgt_dist, %s.costs, p.a_bits, p.w_bits,"
                " p.seed, p.act_zero_frac, p.verify, p.clock_mhz, p.n_layers, p.all_verified, p.macs,"
                " p.n_cycles, p.n_stall_cycles, p.time_s, %s.energy_pj, %s.static_pj, %s.pj_per_mac,"
                " %s.energy_per_inference_pj, %s.area_mm2\nFROM %s p",
                e, e, e, e, e, e, f->every_run ? "finished_run" : "point");
  if (f->costs) ok = ok && sqlf(&sql, &len, " LEFT JOIN run_energy e ON e.run_id = p.run_id AND e.costs = ?");
  ok = ok && sqlf(&sql, &len, "\nWHERE 1");
  if (f->n_archs) ok = ok && sqlIn(&sql, &len, "AND", "p.arch", f->n_archs, " COLLATE NOCASE");
  if (f->n_nets) {
    ok = ok && sqlf(&sql, &len, " AND (0") && sqlIn(&sql, &len, "OR", "p.workload", f->n_nets, "") &&
         sqlIn(&sql, &len, "OR", "p.workload_source", f->n_nets, "") && sqlf(&sql, &len, ")");
  }
  if (f->n_bits) {
    ok = ok && sqlf(&sql, &len, " AND (0");
    for (int i = 0; i < f->n_bits; i++) ok = ok && sqlf(&sql, &len, " OR (p.a_bits = ? AND p.w_bits = ?)");
    ok = ok && sqlf(&sql, &len, ")");
  }
  if (f->n_run_ids) ok = ok && sqlIn(&sql, &len, "AND", "p.run_id", f->n_run_ids, "");
  if (f->where) ok = ok && sqlf(&sql, &len, " AND (\n%s\n)", f->where);
  ok = ok && sqlf(&sql, &len, "\nORDER BY p.run_id");
  if (!ok) {
    rc = qaErrSet(err, QA_EINTERNAL, "out of memory building a query");
    goto end;
  }

  const char *tail = NULL;
  sqlite3_set_authorizer(st->db, whereAuthorizer, &auth);
  src = sqlite3_prepare_v2(st->db, sql, -1, &s, &tail);
  sqlite3_set_authorizer(st->db, NULL, NULL);
  if (src != SQLITE_OK) {
    if (!f->where)
      rc = qaStoreSqlErr(st, err, src, sql);
    else if (auth.denied)
      rc = qaErrSet(err, QA_EUSER,
                    "--where: only a read-only condition over the columns of view point is allowed "
                    "(refused: action %d %s)",
                    auth.denied, auth.what);
    else
      rc = qaErrSet(err, QA_EUSER, "--where '%s': %s (the columns of view point: %s)", f->where,
                    sqlite3_errmsg(st->db), kPointColumns);
    goto end;
  }
  if ((tail && tail[strspn(tail, " \t\r\n;")]) || !sqlite3_stmt_readonly(s)) {
    rc = qaErrSet(err, QA_EUSER, "--where '%s': must be one condition (no ';', no second statement)",
                  f->where ? f->where : "");
    goto end;
  }
  src = SQLITE_OK;
  if (f->costs) src = sqlite3_bind_text(s, arg++, f->costs, -1, SQLITE_TRANSIENT);
  for (int i = 0; i < f->n_archs && src == SQLITE_OK; i++)
    src = sqlite3_bind_text(s, arg++, f->archs[i], -1, SQLITE_TRANSIENT);
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < f->n_nets && src == SQLITE_OK; i++)
      src = sqlite3_bind_text(s, arg++, f->nets[i], -1, SQLITE_TRANSIENT);
  for (int i = 0; i < f->n_bits && src == SQLITE_OK; i++) {
    src = sqlite3_bind_int(s, arg++, f->a_bits[i]);
    if (src == SQLITE_OK) src = sqlite3_bind_int(s, arg++, f->w_bits[i]);
  }
  for (int i = 0; i < f->n_run_ids && src == SQLITE_OK; i++)
    src = sqlite3_bind_int64(s, arg++, (sqlite3_int64)f->run_ids[i]);
  if (src != SQLITE_OK) {
    rc = qaErrSet(err, QA_EINTERNAL, "%s: SQL bind error: %s (in: %s)", st->path, sqlite3_errstr(src), sql);
    goto end;
  }
  if (sql_out) {
    char *x = sqlite3_expanded_sql(s);
    if (x) {
      *sql_out = strdup(x);
      sqlite3_free(x);
    }
  }
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (!grow((void **)&v, &cap, n, sizeof *v)) goto oom;
    QaPoint *p = &v[n++];
    memset(p, 0, sizeof *p);
    int c = 0;
    p->run_id = sqlite3_column_int64(s, c++);
    p->n_runs = sqlite3_column_int(s, c++);
    char **str[] = {&p->identity,        &p->config_id,     &p->workload_id, &p->created_utc,
                    &p->tool_version,    &p->arch,          &p->arch_config, &p->workload,
                    &p->workload_source, &p->workload_hash, &p->quant_a,     &p->quant_w,
                    &p->encoder,         &p->timing,        &p->wgt_dist,    &p->costs};
    for (size_t k = 0; k < sizeof str / sizeof str[0]; k++)
      if (!(*str[k] = colDup(s, c++))) goto oom;
    p->a_bits = sqlite3_column_int(s, c++);
    p->w_bits = sqlite3_column_int(s, c++);
    int64_t seed_bits = sqlite3_column_int64(s, c++);
    memcpy(&p->seed, &seed_bits, sizeof p->seed);
    p->act_zero_frac = colDoubleOrNan(s, c++);
    p->verify = sqlite3_column_type(s, c) == SQLITE_NULL ? -1 : sqlite3_column_int(s, c);
    c++;
    p->clock_mhz = sqlite3_column_double(s, c++);
    p->n_layers = sqlite3_column_int(s, c++);
    p->all_verified = sqlite3_column_int(s, c++);
    p->macs = sqlite3_column_int64(s, c++);
    p->n_cycles = sqlite3_column_int64(s, c++);
    p->n_stall_cycles = sqlite3_column_int64(s, c++);
    p->time_s = sqlite3_column_double(s, c++);
    p->has_energy = sqlite3_column_type(s, c) != SQLITE_NULL;
    p->energy_pj = colDoubleOrNan(s, c++);
    p->static_pj = colDoubleOrNan(s, c++);
    p->pj_per_mac = colDoubleOrNan(s, c++);
    p->energy_per_inference_pj = colDoubleOrNan(s, c++);
    p->area_mm2 = colDoubleOrNan(s, c++);
    if (p->n_runs < 1) p->n_runs = 1;
  }
  if (src != SQLITE_DONE) {
    rc = f->where ? qaErrSet(err, QA_EUSER, "--where '%s': %s", f->where, sqlite3_errmsg(st->db))
                  : qaStoreSqlErr(st, err, src, sql);
  }
  goto end;
oom:
  rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading design points", st->path);
end:
  sqlite3_finalize(s);
  free(sql);
  if (rc) {
    qaStoreFreePoints(v, n);
    if (sql_out) {
      free(*sql_out);
      *sql_out = NULL;
    }
    return rc;
  }
  *points = v;
  *n_points = n;
  return QA_OK;
}

int qaStoreLayerCycles(QaStore *st, int64_t run_id, QaLayerCycles **rows, int *n_rows, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK, n = 0, cap = 0;
  QaLayerCycles *v = NULL;
  *rows = NULL;
  *n_rows = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreLayerCycles: no results store");
  sqlite3_stmt *s = st->point[P_LAYER_CYCLES];
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) return bindFail(st, s, src, err);
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (!grow((void **)&v, &cap, n, sizeof *v)) {
      rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading layers", st->path);
      goto end;
    }
    QaLayerCycles *l = &v[n++];
    l->layer_idx = sqlite3_column_int(s, 0);
    const unsigned char *t = sqlite3_column_text(s, 1);
    snprintf(l->name, sizeof l->name, "%s", t ? (const char *)t : "");
    l->n_cycles = sqlite3_column_int64(s, 2);
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  if (!rc && n == 0)
    rc = qaErrSet(err, QA_EUSER, "run %lld in %s has no layers", (long long)run_id, st->path);
end:
  done(s);
  if (rc) {
    free(v);
    return rc;
  }
  *rows = v;
  *n_rows = n;
  return QA_OK;
}
