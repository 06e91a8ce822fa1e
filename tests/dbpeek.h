/*
** dbpeek.h - look into a results database from a test, the way `sqlite3 DB "SELECT ..."`
** does in the CLI tests: through a connection of the test's own, with writes refused
** (PRAGMA query_only). The store module owns every statement qasim runs and hands out
** no handle, so a test inspects only what a run has committed; the store's own view
** of an open run is read through its API (qaStoreGetLayers, ...).
*/
#ifndef QA_DBPEEK_H
#define QA_DBPEEK_H

#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct PeekRows {
  char text[8192];
  int n_rows;
} PeekRows;

static inline int peekCollect(void *ctx, int n_cols, char **values, char **names) {
  PeekRows *r = ctx;
  size_t len = strlen(r->text);
  (void)names;
  for (int c = 0; c < n_cols; c++) {
    len += (size_t)snprintf(r->text + len, sizeof r->text - len, "%s%s", c ? "|" : "",
                            values[c] ? values[c] : "NULL");
    if (len >= sizeof r->text) return 1;
  }
  len += (size_t)snprintf(r->text + len, sizeof r->text - len, "\n");
  if (len >= sizeof r->text) return 1;
  r->n_rows++;
  return 0;
}

/* Open the database at path for reading; NULL (and a message on stderr) on failure. */
static inline sqlite3 *peekOpen(const char *path) {
  sqlite3 *db = NULL;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
      sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK) {
    fprintf(stderr, "peek: cannot open %s: %s\n", path, db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return NULL;
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

/* Run one or more statements on the database at path; the rows as text (fields joined
** by '|', SQL NULL as "NULL", one row a line) in a static buffer, or "ERROR: msg". */
static inline const char *peek(const char *path, const char *sql) {
  static PeekRows r;
  char *msg = NULL;
  memset(&r, 0, sizeof r);
  sqlite3 *db = peekOpen(path);
  if (!db) return "ERROR: cannot open";
  if (sqlite3_exec(db, sql, peekCollect, &r, &msg) != SQLITE_OK)
    snprintf(r.text, sizeof r.text, "ERROR: %s (in: %s)", msg ? msg : sqlite3_errmsg(db), sql);
  sqlite3_free(msg);
  sqlite3_close(db);
  return r.text;
}

/* The first column of the first row of sql as an integer / a double (exact: not via
** text); -1 / NaN if there is no row or an error. */
static inline int64_t peekI64(const char *path, const char *sql) {
  int64_t v = -1;
  sqlite3_stmt *s = NULL;
  sqlite3 *db = peekOpen(path);
  if (!db) return v;
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

static inline double peekF64(const char *path, const char *sql) {
  double v = NAN;
  sqlite3_stmt *s = NULL;
  sqlite3 *db = peekOpen(path);
  if (!db) return v;
  if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    v = sqlite3_column_double(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

/* Every row of TABLE at PATH as text, ordered by its first three columns, with the columns
** that record when and how fast a run went (wall..., ...macs_per_s, ...utc, created...,
** command_line) as "-": two runs that store the same numbers give the same text. Caller
** frees; "" if the database does not open. */
typedef struct PeekBuf {
  char *s;
  size_t len, cap;
} PeekBuf;

static inline int peekTableCollect(void *ctx, int n, char **vals, char **names) {
  PeekBuf *b = ctx;
  for (int c = 0; c < n; c++) {
    const char *v = vals[c] ? vals[c] : "NULL";
    if (strstr(names[c], "wall") || strstr(names[c], "macs_per_s") || strstr(names[c], "utc") ||
        strstr(names[c], "created") || !strcmp(names[c], "command_line"))
      v = "-";
    size_t need = b->len + strlen(v) + 2;
    if (need > b->cap) {
      b->cap = need * 2;
      b->s = realloc(b->s, b->cap);
    }
    b->len += (size_t)sprintf(b->s + b->len, "%s%s", v, c + 1 < n ? "|" : "\n");
  }
  return 0;
}

static inline char *peekTable(const char *path, const char *table) {
  PeekBuf b = {calloc(1, 1), 0, 1};
  char sql[256];
  snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY 1, 2, 3", table);
  sqlite3 *db = peekOpen(path);
  if (db) sqlite3_exec(db, sql, peekTableCollect, &b, NULL);
  sqlite3_close(db);
  return b.s;
}

#endif /* QA_DBPEEK_H */
