/*
** merge.c - merging results stores (see qaStoreMerge in store.h).
**
** The source is attached to the target's connection and copied in one transaction of
** the target: a map of the source runs to take (finished, identity not yet in the
** target, first of their identity in the source) with their new ids, then the run rows,
** then every other table of the source that has a run_id column, by the columns the
** two schemas share. Nothing here names a table other than run: tables added by later
** schema steps (or by other modules' migrations) are merged the same way.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/storeInt.h"

#define SRC "qa_merge_src"

/* Run SQL (no rows expected, or rows ignored) on the target connection. */
static int exec(QaStore *st, const char *sql, QaErr *err) {
  char *msg = NULL;
  int src = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
  sqlite3_free(msg);
  return src == SQLITE_OK ? QA_OK : qaStoreSqlErr(st, err, src, sql);
}

/* The first column of the first row of SQL as an integer (0 without a row). */
static int scalar(QaStore *st, const char *sql, int64_t *out, QaErr *err) {
  sqlite3_stmt *s = NULL;
  *out = 0;
  int src = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
  if (src == SQLITE_OK) {
    src = sqlite3_step(s);
    if (src == SQLITE_ROW) *out = sqlite3_column_int64(s, 0);
    if (src == SQLITE_ROW || src == SQLITE_DONE) src = SQLITE_OK;
  }
  int rc = src == SQLITE_OK ? QA_OK : qaStoreSqlErr(st, err, src, sql);
  sqlite3_finalize(s);
  return rc;
}

/* A growing text (identifier lists). */
typedef struct Buf {
  char *s;
  size_t len;
  int oom;
} Buf;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
buff(Buf *b, const char *fmt, ...) {
  va_list ap;
  if (b->oom) return;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *g = n < 0 ? NULL : realloc(b->s, b->len + (size_t)n + 1);
  if (!g) {
    b->oom = 1;
    return;
  }
  b->s = g;
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/* An SQL identifier, double-quoted ("" inside). */
static void bufIdent(Buf *b, const char *name) {
  buff(b, "\"");
  for (const char *p = name; *p; p++) buff(b, "%s%c", *p == '"' ? "\"" : "", *p);
  buff(b, "\"");
}

/* The columns TABLE has in both the source and the target, except run_id, as a quoted,
** comma-separated list in *cols (prefixed "s." for the source side in *src_cols). *n
** gets how many; *has_run_id whether the source table has a run_id column. */
static int commonColumns(QaStore *st, const char *table, Buf *cols, Buf *src_cols, int *n, int *has_run_id,
                         QaErr *err) {
  static const char sql[] =
      "SELECT s.name FROM pragma_table_info(:t, '" SRC
      "') s"
      " WHERE s.name IN (SELECT m.name FROM pragma_table_info(:t, 'main') m) ORDER BY s.cid";
  sqlite3_stmt *s = NULL;
  int src = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), rc = QA_OK;
  *n = 0;
  *has_run_id = 0;
  if (src == SQLITE_OK)
    src = sqlite3_bind_text(s, sqlite3_bind_parameter_index(s, ":t"), table, -1, SQLITE_STATIC);
  while (src == SQLITE_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(s, 0);
    src = SQLITE_OK;
    if (!name) continue;
    if (!strcmp(name, "run_id")) {
      *has_run_id = 1;
      continue;
    }
    buff(cols, ", ");
    bufIdent(cols, name);
    buff(src_cols, ", s.");
    bufIdent(src_cols, name);
    (*n)++;
  }
  if (src != SQLITE_DONE && src != SQLITE_OK) rc = qaStoreSqlErr(st, err, src, sql);
  if (!rc && (cols->oom || src_cols->oom)) rc = qaErrSet(err, QA_EINTERNAL, "out of memory merging stores");
  sqlite3_finalize(s);
  return rc;
}

/* Copy the rows of TABLE for the mapped runs (run ids renumbered). */
static int copyTable(QaStore *st, const char *table, int *copied, QaErr *err) {
  Buf cols = {0}, src_cols = {0}, sql = {0};
  int n = 0, has_run_id = 0, rc;
  *copied = 0;
  if ((rc = commonColumns(st, table, &cols, &src_cols, &n, &has_run_id, err))) goto end;
  if (!has_run_id) goto end; /* not a per-run table (or not in the target) */
  buff(&sql, "INSERT INTO main.");
  bufIdent(&sql, table);
  buff(&sql, "(run_id%s) SELECT m.new%s FROM " SRC ".", cols.s ? cols.s : "", src_cols.s ? src_cols.s : "");
  bufIdent(&sql, table);
  buff(&sql, " s JOIN temp.qa_merge_map m ON m.old = s.run_id ORDER BY m.new");
  if (sql.oom) {
    rc = qaErrSet(err, QA_EINTERNAL, "out of memory merging stores");
    goto end;
  }
  if ((rc = exec(st, sql.s, err))) goto end;
  *copied = 1;
end:
  free(cols.s);
  free(src_cols.s);
  free(sql.s);
  return rc;
}

int qaStoreMerge(QaStore *st, const char *src_path, QaMergeStats *stats, QaErr *err) {
  QaMergeStats local;
  int rc = QA_OK, attached = 0, in_txn = 0;
  int64_t ver = 0, n = 0, has_identity = 0;
  sqlite3_stmt *s = NULL;
  char **tables = NULL;
  int n_tables = 0;
  if (!stats) stats = &local;
  memset(stats, 0, sizeof *stats);
  if (!st || !st->db || !src_path) return qaErrSet(err, QA_EINTERNAL, "qaStoreMerge: NULL argument");
  if (st->run_open || st->read_open)
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreMerge: a run or a read is open", st->path);
  if (access(src_path, R_OK) != 0)
    return qaErrSet(err, QA_EUSER, "%s: no results database here (or it cannot be read)", src_path);

  static const char attach[] = "ATTACH DATABASE ?1 AS " SRC;
  int src = sqlite3_prepare_v2(st->db, attach, -1, &s, NULL);
  if (src == SQLITE_OK) src = sqlite3_bind_text(s, 1, src_path, -1, SQLITE_STATIC);
  if (src == SQLITE_OK) src = sqlite3_step(s);
  sqlite3_finalize(s);
  s = NULL;
  if (src != SQLITE_DONE) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot open it as a results database: %s", src_path,
                  sqlite3_errmsg(st->db));
    goto end;
  }
  attached = 1;
  if (scalar(st, "PRAGMA " SRC ".user_version", &ver, err) != QA_OK) {
    rc = qaErrSet(err, QA_EUSER, "%s: not an SQLite database (is it a results database?): %s", src_path,
                  sqlite3_errmsg(st->db));
    goto end;
  }
  if (ver > QA_STORE_SCHEMA_VERSION) {
    rc = qaErrSet(err, QA_EUSER,
                  "%s: results database schema version %lld is newer than this qasim (%d); merge it with a "
                  "newer qasim",
                  src_path, (long long)ver, QA_STORE_SCHEMA_VERSION);
    goto end;
  }
  if ((rc = scalar(st, "SELECT count(*) FROM " SRC ".sqlite_master WHERE type = 'table' AND name = 'run'", &n,
                   err)))
    goto end;
  if (!n) {
    rc = qaErrSet(err, QA_EUSER, "%s: not a results database (no table run)", src_path);
    goto end;
  }
  if ((rc = scalar(st, "SELECT count(*) FROM pragma_table_info('run', '" SRC "') WHERE name = 'identity'",
                   &has_identity, err)))
    goto end;

  if ((rc = exec(st, "BEGIN IMMEDIATE", err))) goto end;
  in_txn = 1;
  st->run_open = 1; /* no run may begin on this handle meanwhile */
  st->run_id = -1;
  if ((rc = exec(st, "PRAGMA defer_foreign_keys = ON", err)) ||
      (rc = exec(st, "CREATE TEMP TABLE IF NOT EXISTS qa_merge_map(old INTEGER PRIMARY KEY, new INTEGER)",
                 err)) ||
      (rc = exec(st, "DELETE FROM temp.qa_merge_map", err)))
    goto end;
  /* The runs to take: finished; with an identity, only the first of it in the source and
  ** only if the target has no finished run of it. New ids follow the target's largest. */
  const char *map_sql =
      has_identity
          ? "INSERT INTO temp.qa_merge_map(old, new) SELECT s.run_id,"
            " (SELECT coalesce(max(run_id), 0) FROM main.run) + row_number() OVER (ORDER BY s.run_id)"
            " FROM " SRC
            ".run s WHERE s.n_cycles IS NOT NULL AND (s.identity IS NULL OR ("
            "NOT EXISTS (SELECT 1 FROM main.run m WHERE m.identity = s.identity AND m.n_cycles IS NOT NULL)"
            " AND s.run_id = (SELECT min(t.run_id) FROM " SRC
            ".run t WHERE t.identity = s.identity"
            " AND t.n_cycles IS NOT NULL)))"
          : "INSERT INTO temp.qa_merge_map(old, new) SELECT s.run_id,"
            " (SELECT coalesce(max(run_id), 0) FROM main.run) + row_number() OVER (ORDER BY s.run_id)"
            " FROM " SRC ".run s WHERE s.n_cycles IS NOT NULL";
  if ((rc = exec(st, map_sql, err))) goto end;
  int64_t taken = 0, finished = 0, all = 0;
  if ((rc = scalar(st, "SELECT count(*) FROM temp.qa_merge_map", &taken, err)) ||
      (rc = scalar(st, "SELECT count(*) FROM " SRC ".run WHERE n_cycles IS NOT NULL", &finished, err)) ||
      (rc = scalar(st, "SELECT count(*) FROM " SRC ".run", &all, err)))
    goto end;
  stats->runs_added = (int)taken;
  stats->runs_duplicate = (int)(finished - taken);
  stats->runs_skipped = (int)(all - finished);

  int copied = 0;
  if ((rc = copyTable(st, "run", &copied, err))) goto end;
  /* then every other table of the source, in the order the schema created them */
  static const char list[] = "SELECT name FROM " SRC
                             ".sqlite_master WHERE type = 'table' AND name <> 'run'"
                             " AND name NOT LIKE 'sqlite_%' ORDER BY rowid";
  src = sqlite3_prepare_v2(st->db, list, -1, &s, NULL);
  while (src == SQLITE_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(s, 0);
    char **g = realloc(tables, (size_t)(n_tables + 1) * sizeof *g);
    if (!g || !name || !(g[n_tables] = strdup(name))) {
      if (g) tables = g;
      rc = qaErrSet(err, QA_EINTERNAL, "out of memory merging stores");
      goto end;
    }
    tables = g;
    n_tables++;
    src = SQLITE_OK;
  }
  if (src != SQLITE_DONE) {
    rc = qaStoreSqlErr(st, err, src, list);
    goto end;
  }
  sqlite3_finalize(s);
  s = NULL;
  for (int i = 0; i < n_tables; i++) {
    if ((rc = copyTable(st, tables[i], &copied, err))) {
      qaErrPrefix(err, "merging table %s of %s", tables[i], src_path);
      goto end;
    }
    stats->tables += copied;
  }
  if ((rc = exec(st, "COMMIT", err))) goto end;
  in_txn = 0;
end:
  sqlite3_finalize(s);
  if (in_txn) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  st->run_open = 0;
  st->run_id = 0;
  if (attached) sqlite3_exec(st->db, "DETACH DATABASE " SRC, NULL, NULL, NULL);
  for (int i = 0; i < n_tables; i++) free(tables[i]);
  free(tables);
  return rc;
}
