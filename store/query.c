/*
** query.c - the read snapshot and the queries reports read through (see "reading for
** reports" in store.h).
**
** The conventions of store.c hold here too: every statement is prepared once in
** qaStoreOpen (qaStoreQuerySql[] below) and reset after each use, every SQL error
** carries the statement's text, and what a query finds is copied into plain structs
** the caller owns - no row or statement ever leaves this file.
*/
#include <stdlib.h>
#include <string.h>

#include "store/storeInt.h"

const char *const qaStoreQuerySql[Q_COUNT] = {
    [Q_BEGIN_READ] = "SAVEPOINT qa_read",
    [Q_END_READ] = "RELEASE qa_read",
    /* "Finished" = qaStoreFinishRun has set n_cycles. */
    [Q_NEWEST_RUNS] =
        "SELECT r.run_id, r.arch, r.workload, r.a_bits, r.w_bits, r.quant_a, r.quant_w, r.timing,"
        " r.n_cycles FROM run r JOIN (SELECT MAX(run_id) AS id FROM run WHERE n_cycles IS NOT NULL"
        " GROUP BY coalesce(arch, ''), coalesce(workload, ''), a_bits, w_bits, coalesce(quant_a, ''),"
        " coalesce(quant_w, ''), coalesce(timing, '')) m ON r.run_id = m.id ORDER BY r.run_id",
    [Q_COMPONENT_ENERGY] =
        "SELECT costs, run_id, component, SUM(energy_pj), COUNT(energy_pj),"
        " SUM(CASE WHEN status IN ('assumed', 'extrapolated') THEN energy_pj ELSE 0 END) FROM energy"
        " GROUP BY costs, run_id, component ORDER BY costs, component, run_id",
};

/* ---- helpers ---------------------------------------------------------------------- */

/* A malloc'ed copy of a text column; SQL NULL becomes "". NULL when out of memory. */
static char *colDup(sqlite3_stmt *s, int col) {
  const unsigned char *t = sqlite3_column_text(s, col);
  const char *v = t ? (const char *)t : "";
  size_t n = strlen(v) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, v, n);
  return p;
}

/* ---- read snapshot ---------------------------------------------------------------- */

int qaStoreBeginRead(QaStore *st, QaErr *err) {
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreBeginRead: no results store");
  if (st->read_open)
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreBeginRead: a read is already open", st->path);
  sqlite3_stmt *s = st->query[Q_BEGIN_READ];
  int src = sqlite3_step(s);
  int rc = src == SQLITE_DONE ? QA_OK : qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  sqlite3_reset(s);
  if (!rc) st->read_open = 1;
  return rc;
}

void qaStoreEndRead(QaStore *st) {
  if (!st || !st->db || !st->read_open) return;
  st->read_open = 0;
  /* Nothing was written, so releasing cannot fail for want of a write. A run rolled back
  ** meanwhile (qaStoreAbortRun) has already ended the snapshot with it. */
  if (sqlite3_get_autocommit(st->db)) return;
  sqlite3_step(st->query[Q_END_READ]);
  sqlite3_reset(st->query[Q_END_READ]);
}

/* ---- newest runs ------------------------------------------------------------------ */

void qaStoreFreeRuns(QaRunConfig *runs, int n_runs) {
  if (!runs) return;
  for (int i = 0; i < n_runs; i++) {
    free(runs[i].arch);
    free(runs[i].workload);
    free(runs[i].quant_a);
    free(runs[i].quant_w);
    free(runs[i].timing);
  }
  free(runs);
}

int qaStoreNewestRuns(QaStore *st, QaRunConfig **runs, int *n_runs, QaErr *err) {
  int rc = QA_OK, src, n = 0, cap = 0;
  QaRunConfig *v = NULL;
  *runs = NULL;
  *n_runs = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreNewestRuns: no results store");
  sqlite3_stmt *s = st->query[Q_NEWEST_RUNS];
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (n == cap) {
      int ncap = cap ? 2 * cap : 16;
      QaRunConfig *g = realloc(v, (size_t)ncap * sizeof *g);
      if (!g) {
        rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading the newest runs", st->path);
        goto end;
      }
      v = g;
      cap = ncap;
    }
    QaRunConfig *r = &v[n++];
    memset(r, 0, sizeof *r);
    r->run_id = sqlite3_column_int64(s, 0);
    r->arch = colDup(s, 1);
    r->workload = colDup(s, 2);
    r->a_bits = sqlite3_column_int(s, 3);
    r->w_bits = sqlite3_column_int(s, 4);
    r->quant_a = colDup(s, 5);
    r->quant_w = colDup(s, 6);
    r->timing = colDup(s, 7);
    r->n_cycles = sqlite3_column_int64(s, 8);
    if (!r->arch || !r->workload || !r->quant_a || !r->quant_w || !r->timing) {
      rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading the newest runs", st->path);
      goto end;
    }
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
end:
  sqlite3_reset(s);
  if (rc) {
    qaStoreFreeRuns(v, n);
    return rc;
  }
  *runs = v;
  *n_runs = n;
  return QA_OK;
}

/* ---- energy per component --------------------------------------------------------- */

void qaStoreFreeComponentEnergy(QaComponentEnergy *rows, int n_rows) {
  if (!rows) return;
  for (int i = 0; i < n_rows; i++) {
    free(rows[i].costs);
    free(rows[i].component);
  }
  free(rows);
}

int qaStoreComponentEnergy(QaStore *st, QaComponentEnergy **rows, int *n_rows, QaErr *err) {
  int rc = QA_OK, src, n = 0, cap = 0;
  QaComponentEnergy *v = NULL;
  *rows = NULL;
  *n_rows = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreComponentEnergy: no results store");
  sqlite3_stmt *s = st->query[Q_COMPONENT_ENERGY];
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (n == cap) {
      int ncap = cap ? 2 * cap : 16;
      QaComponentEnergy *g = realloc(v, (size_t)ncap * sizeof *g);
      if (!g) {
        rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading energy", st->path);
        goto end;
      }
      v = g;
      cap = ncap;
    }
    QaComponentEnergy *e = &v[n++];
    memset(e, 0, sizeof *e);
    e->costs = colDup(s, 0);
    e->run_id = sqlite3_column_int64(s, 1);
    e->component = colDup(s, 2);
    e->energy_pj = sqlite3_column_double(s, 3);
    e->n_values = sqlite3_column_int(s, 4);
    e->weak_pj = sqlite3_column_double(s, 5);
    if (!e->costs || !e->component) {
      rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading energy", st->path);
      goto end;
    }
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
end:
  sqlite3_reset(s);
  if (rc) {
    qaStoreFreeComponentEnergy(v, n);
    return rc;
  }
  *rows = v;
  *n_rows = n;
  return QA_OK;
}
