/*
** store.h - the SQLite results store. Every run goes through this module.
**
** Schema (version in PRAGMA user_version; see store.c for the SQL):
**   run    one row per run, with everything needed to reproduce it
**   layer  one row per (run, layer): geometry, cycles, utilisation, verification
**   action one row per (run, layer, component, action, widths): counts to price
** The database is opened in WAL mode with a busy timeout. A run is written in one
** transaction: qaStoreBeginRun .. qaStoreFinishRun; anything else (an error, a
** crash, Ctrl-C) leaves no trace of the run. Statements are prepared once and
** reused; every SQL error message includes the SQL text.
*/
#ifndef QA_STORE_H
#define QA_STORE_H

#include <stdio.h>

#include "../workloads/layer.h"
#include "qa.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_STORE_SCHEMA_VERSION 1
#define QA_STORE_DEFAULT_PATH "qasim-results.db"

typedef struct QaStore QaStore;

typedef struct QaRunInfo {
  const char *tool_version;     /* git describe */
  const char *arch;             /* e.g. "dadiannao" */
  const char *arch_config;      /* full resolved config text (YAML) */
  const char *arch_config_hash; /* 16 hex digits */
  const char *workload;         /* network name */
  const char *workload_source;  /* "builtin" or YAML path */
  const char *workload_hash;    /* 16 hex digits */
  int a_bits, w_bits;           /* run defaults (layers may override) */
  const char *quant_a;          /* activation quantizer spec text */
  const char *quant_w;          /* weight quantizer spec text */
  const char *encoder;          /* term encoder name, or "" */
  uint64_t seed;
  const char *timing;           /* "lt" or "cycle" */
  double clock_mhz;
  const char *command_line;
} QaRunInfo;

typedef struct QaLayerRecord {
  int layer_idx;
  const QaLayer *layer;         /* geometry */
  int a_bits, w_bits;           /* effective widths */
  double a_sqnr_db, w_sqnr_db;  /* quantization quality */
  const char *values;           /* "trace" or "synthetic" */
  const QaLayerStats *stats;
} QaLayerRecord;

typedef struct QaRunTotals {
  int64_t macs, n_cycles, n_stall_cycles;
  double time_s;           /* simulated time at the clock */
  double wall_s;           /* host wall time of the simulation */
  double sim_macs_per_s;   /* macs / wall_s */
  int all_verified;        /* 1 if every layer's outputs matched the reference */
} QaRunTotals;

/* Open (creating or migrating) the store at path. A newer schema than this build
** knows is a QA_EUSER error. *out owned by the caller; close with qaStoreClose. */
int qaStoreOpen(const char *path, QaStore **out, QaErr *err);
void qaStoreClose(QaStore *st);   /* NULL is a no-op; rolls back an open run */

/* BEGIN a transaction and insert the run row; *run_id receives its id. */
int qaStoreBeginRun(QaStore *st, const QaRunInfo *info, int64_t *run_id, QaErr *err);
int qaStoreAddLayer(QaStore *st, int64_t run_id, const QaLayerRecord *rec, QaErr *err);
/* Write the totals and COMMIT. */
int qaStoreFinishRun(QaStore *st, int64_t run_id, const QaRunTotals *tot, QaErr *err);
/* ROLLBACK the open run (no-op if none). */
void qaStoreAbortRun(QaStore *st);

/* Print a table of runs (id, date, arch, workload, bits, cycles, verified, ...). */
int qaStoreListRuns(QaStore *st, FILE *out, QaErr *err);
/* Write the per-layer table of a run as CSV with a header row (units in names).
** QA_EUSER if the run does not exist. */
int qaStoreExportCsv(QaStore *st, int64_t run_id, FILE *out, QaErr *err);

/* Run an arbitrary read-only query; cb gets each row as text (NULL for SQL NULL). */
typedef int (*QaStoreRowFn)(void *ctx, int n_cols, char **values, char **names);
int qaStoreQuery(QaStore *st, const char *sql, QaStoreRowFn cb, void *ctx, QaErr *err);

/* The underlying handle, for modules that add their own tables (cost model). */
struct sqlite3 *qaStoreDb(QaStore *st);

#ifdef __cplusplus
}
#endif
#endif /* QA_STORE_H */
