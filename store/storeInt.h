/*
** storeInt.h - the layout of QaStore, shared by the two files of the store module:
** store.c (schema, migrations, writing a run, the readers of re-pricing and listings)
** and query.c (the read snapshot and the queries reports read through). Private to
** store/: every other folder uses store.h only.
*/
#ifndef QA_STORE_INT_H
#define QA_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* The statements of store.c; their SQL is stmtSql[] in store.c. */
enum {
  S_BEGIN,
  S_COMMIT,
  S_ROLLBACK,
  S_INSERT_RUN,
  S_INSERT_LAYER,
  S_INSERT_ACTION,
  S_FINISH_RUN,
  S_RUN_EXISTS,
  S_LIST_RUNS,
  S_EXPORT_LAYERS,
  S_INSERT_ENERGY,
  S_SET_RUN_ENERGY,
  S_DELETE_ENERGY,
  S_DELETE_RUN_ENERGY,
  S_GET_RUN,
  S_GET_LAYERS,
  S_GET_ACTIONS,
  S_FIND_RUN_ENERGY,
  S_COST_BY_ID,
  S_COST_BY_LABEL,
  S_COST_INSERT,
  S_RUN_IDS,
  S_SET_RUN_COSTS,
  S_COUNT
};

/* The statements of query.c; their SQL is qaStoreQuerySql[] in query.c. Both sets are
** prepared once in qaStoreOpen, reset after every use and finalized in qaStoreClose. */
enum { Q_BEGIN_READ, Q_END_READ, Q_NEWEST_RUNS, Q_COMPONENT_ENERGY, Q_COUNT };
extern const char *const qaStoreQuerySql[Q_COUNT];

/* The statements of point.c; their SQL is qaStorePointSql[] in point.c. */
enum {
  P_FIND_POINT,
  P_IDENTITIES,
  P_ADD_COMPONENT,
  P_COMPONENT_AREAS,
  P_LAYER_QUALITY,
  P_LAYER_ENERGY,
  P_LAYER_ROWS,
  P_RUN_ROW,
  P_LAYER_CYCLES,
  P_COUNT
};
extern const char *const qaStorePointSql[P_COUNT];

/* The statements of values.c (traced workloads: output quality, value statistics); their
** SQL is qaStoreValuesSql[] in values.c. */
enum {
  V_SET_RUN,
  V_SET_LAYER,
  V_INSERT_VALUES,
  V_INSERT_TERMS,
  V_GET_RUN,
  V_GET_LAYERS,
  V_GET_TERMS,
  V_COUNT
};
extern const char *const qaStoreValuesSql[V_COUNT];

struct QaStore {
  sqlite3 *db;
  char *path;                    /* owned copy, for messages */
  sqlite3_stmt *stmt[S_COUNT];   /* prepared once, reused */
  sqlite3_stmt *query[Q_COUNT];  /* prepared once, reused */
  sqlite3_stmt *point[P_COUNT];  /* prepared once, reused */
  sqlite3_stmt *values[V_COUNT]; /* prepared once, reused */
  int run_open;                  /* 1 between BeginRun and Finish/Abort */
  int64_t run_id;                /* the open run */
  const QaArchDesc *run_arch;    /* its architecture: names the component ids of its counts */
  int read_open;                 /* 1 between qaStoreBeginRead and qaStoreEndRead */
};

/* Set *err from the connection's last error for a failure of SQL (its text, on one
** line, ends the message). Returns QA_EUSER for errors of the environment (busy,
** read-only, full, corrupt, I/O) and QA_EINTERNAL for the rest. */
int qaStoreSqlErr(QaStore *st, QaErr *err, int sqlite_rc, const char *sql);

/* The busy handler of every connection (point.c): sleep and try again, for as long as
** it takes, backing off from 1 ms to 100 ms (with jitter, so that waiting writers do not
** retry in step). Returns 1 (retry). */
int qaStoreBusyWait(void *ctx, int n_tries);

/* 1 if a run (or pricing) is open as RUN_ID; else sets *err (QA_EINTERNAL naming FN). */
int qaStoreRunIsOpen(QaStore *st, int64_t run_id, const char *fn, QaErr *err);

/* Named binds that accumulate into *rc: once one fails the rest are skipped. A NaN double
** and a NULL text bind as SQL NULL. */
static inline void bindI64(sqlite3_stmt *s, const char *name, int64_t v, int *rc) {
  if (*rc != SQLITE_OK) return;
  int i = sqlite3_bind_parameter_index(s, name);
  *rc = i ? sqlite3_bind_int64(s, i, (sqlite3_int64)v) : SQLITE_RANGE;
}
static inline void bindDouble(sqlite3_stmt *s, const char *name, double v, int *rc) {
  if (*rc != SQLITE_OK) return;
  int i = sqlite3_bind_parameter_index(s, name);
  *rc = !i ? SQLITE_RANGE : v != v ? sqlite3_bind_null(s, i) : sqlite3_bind_double(s, i, v);
}
static inline void bindText(sqlite3_stmt *s, const char *name, const char *v, int *rc) {
  if (*rc != SQLITE_OK) return;
  int i = sqlite3_bind_parameter_index(s, name);
  *rc = !i ? SQLITE_RANGE : !v ? sqlite3_bind_null(s, i) : sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}
/* Step a statement that returns no rows, whose binds reported SRC (a bind failure is
** reported instead of stepping: a bug, a name missing from the SQL); then reset it. */
int qaStoreBindsDone(QaStore *st, sqlite3_stmt *s, int src, QaErr *err);

#endif /* QA_STORE_INT_H */
