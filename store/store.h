/*
** store.h - the SQLite results store. Every run goes through this module.
**
** Schema (version in PRAGMA user_version; see store.c for the SQL):
**   run    one row per run, with everything needed to reproduce it
**   layer  one row per (run, layer): geometry, cycles, utilisation, verification
**   action one row per (run, layer, component, action, widths): counts to price
**   energy one row per (run, layer, costs, component): energy_pj of the layer priced with a
**          cost table (models/energy.h); component "static" is leakage over the layer's
**          time. Summing a run's rows of one costs label gives the run's energy.   (v2)
**   run_energy one row per (run, costs): totals, pJ/MAC and chip area of that pricing (v2)
**   run.identity, config_id, workload_id  the run's design point (sim/identity.h), with
**          the synthetic-value options, verification and run-time cost table    (v3)
**   run_component one row per (run, costs, component): category, scope, instances and
**          area_um2 on the whole chip of the composition that priced the run       (v4)
**   views finished_run (every finished run with its energy under the label it was
**          priced with at run time) and point (the newest finished run of each design
**          point); --where clauses of reports and listings read these             (v5)
**   layer_values one row per (run, layer, tensor a|w): zero fraction, mean one-bits and
**          terms per value of the codes the layer ran on (quant/valstats.h)      (v6)
**   layer_terms  one row per (run, layer, tensor, encoder, n_terms): how many values have
**          that many terms - the distribution term-serial speed depends on       (v6)
**   (v6 also adds run.precision and layer.out_sqnr_db,
**   layer.quant_a, layer.quant_w; written by store/values.c)
**   cost_table one row per cost label: the content id (SHA-256) of the table it stands for,
**          so one label never names two different tables in one database (v7); energy rows
**          carry the status of the prices behind them, run_energy the energy on weak rows
**   views run_part, run_part_energy: each run's totals split into conv (conv, dwconv) and
**          fc layers - layers, MACs, cycles, stalls; energy per cost label          (v8)
** The database is opened in WAL mode with a busy handler that waits as long as needed
** (backing off from 1 ms to 100 ms between tries): any number of processes may write
** one file; each holds the write lock only for its short transactions (BEGIN
** IMMEDIATE), never while simulating. A run is written in one
** transaction: qaStoreBeginRun .. qaStoreFinishRun; anything else (an error, a
** crash, Ctrl-C) leaves no trace of the run. Statements are prepared once and
** reused; every SQL error message includes the SQL text. This module owns every SQL
** statement: readers get plain structs (QaStoredRun, QaRunConfig, ...), never rows.
** Files: store.c (schema, writing, re-pricing reads, listings), query.c (the read
** snapshot and the queries of reports), point.c (design points, component areas, the
** queries of reports, listings and exports by point), merge.c (merging stores),
** storeInt.h (their shared QaStore layout).
*/
#ifndef QA_STORE_H
#define QA_STORE_H

#include <stdio.h>

#include "arch/arch.h"
#include "workloads/layer.h"
#include "base/qa.h"
#include "arch/stats.h"
#include "quant/valstats.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_STORE_SCHEMA_VERSION 8
#define QA_STORE_LABEL_MAX 160 /* longest cost label + 1 */
/* Where the results database lives unless a command is given --db PATH (the CLI also
** reads $QASIM_DB); relative to the working directory. */
#define QA_STORE_DEFAULT_PATH "results/qasim.db"

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
  const char *timing; /* "lt" or "cycle" */
  double clock_mhz;
  const char *command_line;
  /* schema 3: the design point (sim/identity.h); NULL texts are stored as NULL */
  const char *identity;    /* SHA-256 hex of everything that determines the result */
  const char *config_id;   /* ... of everything but the workload */
  const char *workload_id; /* ... of the workload's content */
  double act_zero_frac;    /* synthetic activations' zero fraction */
  const char *wgt_dist;    /* synthetic weights' distribution */
  int verify;              /* 1 if outputs were checked against the reference */
  const char *costs;       /* cost label the run was priced with; NULL: not priced */
  const char *costs_id;    /* the cost table's content identity */
} QaRunInfo;

typedef struct QaLayerRecord {
  int layer_idx;
  const QaLayer *layer;        /* geometry */
  int a_bits, w_bits;          /* effective widths */
  double a_sqnr_db, w_sqnr_db; /* quantization quality */
  const char *values;          /* "trace" or "synthetic" */
  const QaLayerStats *stats;
} QaLayerRecord;

typedef struct QaRunTotals {
  int64_t macs, n_cycles, n_stall_cycles;
  double time_s;         /* simulated time at the clock */
  double wall_s;         /* host wall time of the simulation */
  double sim_macs_per_s; /* macs / wall_s */
  int all_verified;      /* 1 if every layer's outputs matched the reference */
} QaRunTotals;

/* Open (creating or migrating) the store at path, creating its missing parent
** directories first (mkdir -p). A newer schema than this build knows, or a parent
** that cannot be created or is not a directory, is a QA_EUSER error naming the path.
** *out owned by the caller; close with qaStoreClose. */
int qaStoreOpen(const char *path, QaStore **out, QaErr *err);
void qaStoreClose(QaStore *st); /* NULL is a no-op; rolls back an open run */

/* BEGIN a transaction and insert the run row; *run_id receives its id. */
int qaStoreBeginRun(QaStore *st, const QaRunInfo *info, int64_t *run_id, QaErr *err);
int qaStoreAddLayer(QaStore *st, int64_t run_id, const QaLayerRecord *rec, QaErr *err);
/* Write the totals and COMMIT. */
int qaStoreFinishRun(QaStore *st, int64_t run_id, const QaRunTotals *tot, QaErr *err);
/* ROLLBACK the open run (no-op if none). */
void qaStoreAbortRun(QaStore *st);

/* ---- energy (schema 2; written by models/energy.c) ---------------------------------- */

/* Add one energy row of the open run (a simulation run or a pricing, see below): the
** energy of COMPONENT in layer LAYER_IDX priced with cost label COSTS. A row with the same
** key is replaced. QA_EINTERNAL if no run is open or it is not RUN_ID; an SQL error rolls
** the whole open run back. */
int qaStoreAddEnergy(QaStore *st, int64_t run_id, int layer_idx, const char *costs, const char *component,
                     double energy_pj, QaErr *err);
/* The same with STATUS, the weakest status of the cost rows behind the energy ("derived",
** "assumed", ...; NULL: not recorded) (v7). */
int qaStoreAddEnergyStatus(QaStore *st, int64_t run_id, int layer_idx, const char *costs,
                           const char *component, double energy_pj, const char *status, QaErr *err);

typedef struct QaRunEnergyRecord {
  const char *costs;              /* cost label, e.g. "horowitz45" */
  double energy_pj;               /* the whole run, static included */
  double static_pj;               /* leakage part; 0 if the table gives no leakage */
  double pj_per_mac;              /* energy_pj / MACs */
  double energy_per_inference_pj; /* energy_pj / batch */
  double area_mm2;                /* chip area of the composition */
  double weak_pj;                 /* energy priced from assumed or extrapolated rows (v7) */
} QaRunEnergyRecord;

/* Set the run_energy row (RUN_ID, rec->costs) of the open run (replacing it). Errors as
** qaStoreAddEnergy. */
int qaStoreSetRunEnergy(QaStore *st, int64_t run_id, const QaRunEnergyRecord *rec, QaErr *err);

/* Re-pricing a stored run: BEGIN a transaction for RUN_ID and delete its energy and
** run_energy rows of label COSTS; then qaStoreAddEnergy / qaStoreSetRunEnergy; then
** qaStoreFinishPricing COMMITs (qaStoreAbortRun rolls back). QA_EUSER if the run does not
** exist. */
int qaStoreBeginPricing(QaStore *st, int64_t run_id, const char *costs, QaErr *err);

/* A cost table as the store identifies it (v7). */
typedef struct QaCostIdentity {
  const char *label;    /* the label wanted: the table's name, "+TYPE" for a DRAM type */
  const char *costs_id; /* the table's content id (qaCostTableId) */
  const char *dram;     /* the DRAM type priced, "" for the default */
  const char *name;     /* the table's name, for the listing */
  const char *source;   /* the file it was read from ("" if none) */
} QaCostIdentity;

/* Inside the open run or pricing transaction: the label energy priced with table CI is
** stored under, into out[QA_STORE_LABEL_MAX]. A label names one table content per
** database: the label already registered for CI's content and DRAM type if there is one;
** else CI->label if no other content has it (it is registered); else CI->label + "@" + the
** first 8 hex digits of the id (registered), so a different file that happens to share
** the table's name never overwrites another table's energies. Labels stored before
** schema 7 have no recorded content and are never reused for a new table. Errors: SQL
** errors (the open run is rolled back); QA_EINTERNAL if no transaction is open. */
int qaStoreCostLabel(QaStore *st, const QaCostIdentity *ci, char *out, size_t cap, QaErr *err);

/* qaStoreBeginPricing for table CI: BEGIN, check the run, resolve the label
** (qaStoreCostLabel, into out[cap]) and delete the run's rows of that label. */
int qaStoreBeginPricingTable(QaStore *st, int64_t run_id, const QaCostIdentity *ci, char *out, size_t cap,
                             QaErr *err);

/* In the open run: set its run-time cost label (run.costs) to LABEL, the one
** qaStoreCostLabel resolved, so the finished_run view finds its energy. SQL errors roll the
** run back. */
int qaStoreSetRunCosts(QaStore *st, int64_t run_id, const char *label, QaErr *err);

/* The ids of every finished run, ascending, into *ids (malloc'ed; NULL when *n is 0). */
int qaStoreRunIds(QaStore *st, int64_t **ids, int *n, QaErr *err);
int qaStoreFinishPricing(QaStore *st, int64_t run_id, QaErr *err);

/* What a stored run needs to be priced again. */
typedef struct QaStoredRun {
  int64_t run_id;
  char arch[QA_NAME_MAX];
  char arch_config[8192]; /* the resolved config text (qaCfgToYaml) */
  char workload[QA_NAME_MAX];
  char workload_source[QA_PATH_MAX]; /* "builtin" or the YAML path */
  char workload_hash[17];
  int a_bits, w_bits;
  double clock_mhz;
  int n_layers;
  int64_t macs, n_cycles;
} QaStoredRun;

/* Read run RUN_ID into *out. QA_EUSER if it does not exist (or its config text does not
** fit). */
int qaStoreGetRun(QaStore *st, int64_t run_id, QaStoredRun *out, QaErr *err);

/* One stored layer with its counters and action counts, as the simulator reported them. */
typedef struct QaStoredLayer {
  int layer_idx;
  char name[QA_NAME_MAX];
  int n;              /* batch (images) */
  int a_bits, w_bits; /* the layer's operand precisions */
  QaLayerStats stats;
} QaStoredLayer;

/* Read every layer of RUN_ID in layer order, its action counts by component id of ARCH
** (the run's architecture; NULL: the counters only, no action counts). *layers is malloc'ed (free it; NULL
*when *n_layers is 0).
** QA_EUSER if the run does not exist or has an action ARCH does not count (a run
** stored by an older qasim). */
int qaStoreGetLayers(QaStore *st, int64_t run_id, const QaArchDesc *arch, QaStoredLayer **layers,
                     int *n_layers, QaErr *err);

/* The newest run of ARCH on workload (WORKLOAD, WORKLOAD_HASH) at A_BITS/W_BITS that has a
** run_energy row with label COSTS: *run_id and its *energy_pj, or *run_id = 0 if none. */
int qaStoreFindRunEnergy(QaStore *st, const char *arch, const char *workload, const char *workload_hash,
                         int a_bits, int w_bits, const char *costs, int64_t *run_id, double *energy_pj,
                         QaErr *err);

/* Print a table of runs (id, date, arch, workload, bits, cycles, verified, ...). */
int qaStoreListRuns(QaStore *st, FILE *out, QaErr *err);
/* Write the per-layer table of a run as CSV with a header row (units in names).
** QA_EUSER if the run does not exist. */
int qaStoreExportCsv(QaStore *st, int64_t run_id, FILE *out, QaErr *err);

/* ---- traced workloads (store/values.c; schema 3) ------------------------------------- */

/* How the open run's per-layer bits were chosen, written with qaStoreSetRunValues after
** BeginRun (the synthetic-value options are part of QaRunInfo). */
typedef struct QaRunValuesInfo {
  const char *precision; /* --precision as given (a file path or profile:DB); NULL: none */
} QaRunValuesInfo;
int qaStoreSetRunValues(QaStore *st, int64_t run_id, const QaRunValuesInfo *info, QaErr *err);

/* What a layer's values were and how well its output matched (after qaStoreAddLayer). */
typedef struct QaLayerValuesRecord {
  int layer_idx;
  const char *quant_a, *quant_w; /* the quantizers the layer used (canonical texts) */
  double out_sqnr_db;            /* dequantised output vs float output; NaN: not measured */
  const QaValueStats *act, *wgt; /* statistics of the codes; NULL: not counted */
} QaLayerValuesRecord;
/* Errors as qaStoreAddLayer (an SQL error rolls the open run back). */
int qaStoreAddLayerValues(QaStore *st, int64_t run_id, const QaLayerValuesRecord *rec, QaErr *err);

/* A stored run as `qasim export-traces` re-creates its values. */
typedef struct QaStoredValuesLayer {
  char name[QA_NAME_MAX];
  int a_bits, w_bits;
  char quant_a[QA_QUANT_TEXT_MAX], quant_w[QA_QUANT_TEXT_MAX]; /* "" if not recorded */
  char values_src[16];                                         /* "trace" or "synthetic" */
} QaStoredValuesLayer;
typedef struct QaStoredValues {
  char workload[QA_NAME_MAX];
  char workload_source[QA_PATH_MAX]; /* "builtin" or the file / directory path */
  char workload_hash[17];
  char quant_a[QA_QUANT_TEXT_MAX], quant_w[QA_QUANT_TEXT_MAX]; /* the run's quantizers */
  uint64_t seed;
  double act_zero_frac; /* synthetic activations' zero fraction */
  char wgt_dist[16];
  int n_layers;
  QaStoredValuesLayer *layers; /* malloc'ed; free with qaStoreFreeValues */
} QaStoredValues;
/* QA_EUSER if the run does not exist, is not finished, or was stored before schema 6. */
int qaStoreGetValues(QaStore *st, int64_t run_id, QaStoredValues *out, QaErr *err);
void qaStoreFreeValues(QaStoredValues *v); /* NULL and a zeroed struct are fine */

/* The value statistics of RUN_ID's layers 0 .. N_LAYERS-1 (qaStoreGetRun gives the count)
** into act[] and wgt[] (caller-owned, N_LAYERS each). QA_EUSER if the run has none. */
int qaStoreGetValueStats(QaStore *st, int64_t run_id, int n_layers, QaValueStats *act, QaValueStats *wgt,
                         QaErr *err);

/* ---- reading for reports (store/query.c) --------------------------------------------- */

/* A read snapshot: every query between qaStoreBeginRead and qaStoreEndRead sees the
** store as it was at the first one, whatever other processes commit meanwhile (a
** SAVEPOINT; inside an open run it also sees that run's uncommitted rows). No run or
** pricing may begin while it is open (qaStoreBeginRun / qaStoreBeginPricing return
** QA_EINTERNAL). QA_EINTERNAL if a read is already open. */
int qaStoreBeginRead(QaStore *st, QaErr *err);
void qaStoreEndRead(QaStore *st); /* no-op without an open read; NULL is a no-op */

/* A finished run as reports group it: its configuration and total cycles. */
typedef struct QaRunConfig {
  int64_t run_id;
  char *arch;     /* e.g. "stripes"; "" if not recorded */
  char *workload; /* network name; "" if not recorded */
  int a_bits, w_bits;
  char *quant_a, *quant_w; /* quantizer spec texts; "" if not recorded */
  char *timing;            /* "lt" or "cycle"; "" if not recorded */
  int64_t n_cycles;        /* total cycles of the run */
} QaRunConfig;

/* The newest finished run (qaStoreFinishRun has completed: a run still open in this
** connection is not finished) of each (arch, workload, a_bits, w_bits, quant_a, quant_w,
** timing), in run_id order; a text not recorded (NULL) counts as "". *runs is malloc'ed
** (NULL when *n_runs is 0); release it with qaStoreFreeRuns. Errors: an SQL error (its
** text in the message) or out of memory; *runs is NULL and *n_runs 0 then. */
int qaStoreNewestRuns(QaStore *st, QaRunConfig **runs, int *n_runs, QaErr *err);
void qaStoreFreeRuns(QaRunConfig *runs, int n_runs); /* NULL is a no-op */

/* The energy of one run under one cost label and one component, summed over its layers. */
typedef struct QaComponentEnergy {
  char *costs; /* cost label, e.g. "horowitz45" */
  int64_t run_id;
  char *component;  /* simulator component, or "static" (leakage) */
  double energy_pj; /* sum over the layers that have a value */
  int n_values;     /* layers with a value (SQL NULL, e.g. a NaN, has none); 0: no value */
  double weak_pj;   /* the part priced from rows whose status is assumed or extrapolated (v7) */
} QaComponentEnergy;

/* Every run's energy per (costs, component), summed over layers: one entry per (costs,
** run, component) with energy rows, ordered by costs, then component, then run_id (byte
** order). *rows is malloc'ed (NULL when *n_rows is 0); release it with
** qaStoreFreeComponentEnergy. Errors as qaStoreNewestRuns. */
int qaStoreComponentEnergy(QaStore *st, QaComponentEnergy **rows, int *n_rows, QaErr *err);
void qaStoreFreeComponentEnergy(QaComponentEnergy *rows, int n_rows); /* NULL is a no-op */

/* ---- design points (schema 3-5; store/point.c) --------------------------------------- */

/* The newest finished run (qaStoreFinishRun completed; not the run open in this
** connection) whose identity is IDENTITY: *run_id, or 0 if none. May be called while a
** run is open: inside its BEGIN IMMEDIATE no other process can add one meanwhile. */
int qaStoreFindPoint(QaStore *st, const char *identity, int64_t *run_id, QaErr *err);

/* The distinct identities of finished runs, sorted (strcmp order): *ids[*n] malloc'ed
** strings (free with qaStoreFreeStrings). Errors: an SQL error or out of memory. */
int qaStoreIdentities(QaStore *st, char ***ids, int *n, QaErr *err);
void qaStoreFreeStrings(char **v, int n); /* NULL is a no-op */

/* One component of the composition that priced the open run (table run_component). */
typedef struct QaComponentRecord {
  const char *costs;     /* cost label */
  const char *component; /* the architecture's component name */
  const char *category;  /* qaCategoryName: datapath, accumulation, registers, memory, dram */
  const char *scope;     /* qaScopeName: PE, tile, chip, offchip */
  int64_t instances;     /* on the whole chip */
  double area_um2;       /* all instances together; NAN: the table gives no area */
} QaComponentRecord;

/* Add a run_component row to the open run RUN_ID. Errors as qaStoreAddEnergy. */
int qaStoreAddComponent(QaStore *st, int64_t run_id, const QaComponentRecord *rec, QaErr *err);

/* A design point as listings and reports read it: a row of view point (or of
** finished_run), with its energy under one cost label. Strings are owned by the array
** ("" where the run recorded nothing, e.g. identity for a run stored before schema 3). */
typedef struct QaPoint {
  int64_t run_id; /* the point's newest finished run (every_run: the run) */
  int n_runs;     /* finished runs of this identity (1 for a run without one) */
  char *identity, *config_id, *workload_id;
  char *created_utc, *tool_version;
  char *arch, *arch_config; /* name; resolved config text (qaCfgToYaml) */
  char *workload, *workload_source, *workload_hash;
  char *quant_a, *quant_w, *encoder, *timing, *wgt_dist;
  char *costs; /* label of the energy below; "" if none */
  int a_bits, w_bits;
  uint64_t seed;
  double act_zero_frac; /* NAN if not recorded */
  int verify;           /* -1 if not recorded */
  double clock_mhz;
  int n_layers, all_verified;
  int64_t macs, n_cycles, n_stall_cycles;
  double time_s; /* simulated time at the clock */
  int has_energy;
  double energy_pj, static_pj, pj_per_mac, energy_per_inference_pj, area_mm2;
} QaPoint;

/* Which points (or runs): every given list restricts, an empty one does not. */
typedef struct QaPointFilter {
  const char *const *archs; /* architecture names (case-insensitive) */
  int n_archs;
  const char *const *nets; /* workload names, or workload sources (file paths) */
  int n_nets;
  const int *a_bits, *w_bits; /* (a_bits, w_bits) pairs: a point matches one of them */
  int n_bits;
  const int64_t *run_ids; /* only these runs */
  int n_run_ids;
  const char *where; /* an SQL condition over the columns of view point, read-only; NULL: none */
  const char *costs; /* energy of this cost label; NULL: the label each run was priced with */
  int every_run;     /* 1: every finished run (view finished_run), not only the newest of each point */
} QaPointFilter;

/* The design points (newest finished run of each identity; every_run: every finished
** run) that pass F (NULL: all), ordered by run_id. *points is malloc'ed (NULL when *n is
** 0; free with qaStoreFreePoints). SQL (may be NULL) receives the statement run, with
** its values filled in (malloc'ed; the caller frees it). F->where is checked to be
** read-only with an authorizer (only SELECT, reads and functions) and must be one
** expression: QA_EUSER "--where: ..." naming what is not allowed or SQLite's message
** (e.g. an unknown column, listing the columns of view point). */
int qaStorePoints(QaStore *st, const QaPointFilter *f, QaPoint **points, int *n, char **sql, QaErr *err);
void qaStoreFreePoints(QaPoint *points, int n); /* NULL is a no-op */
/* The columns of view point, comma-separated (static text), for messages and docs. */
const char *qaStorePointColumns(void);

/* One component of a run's composition (table run_component). */
typedef struct QaComponentArea {
  int64_t run_id;
  char *costs, *component, *category, *scope;
  int64_t instances;
  double area_um2; /* NAN when the table gives no area */
} QaComponentArea;

/* Every run_component row, by run_id, costs, then the order they were stored in.
** *rows malloc'ed (free with qaStoreFreeComponentAreas). */
int qaStoreComponentAreas(QaStore *st, QaComponentArea **rows, int *n, QaErr *err);
void qaStoreFreeComponentAreas(QaComponentArea *rows, int n); /* NULL is a no-op */

/* One layer's quantization quality and size (for SQNR summaries). */
typedef struct QaLayerQuality {
  int64_t run_id;
  int layer_idx;
  int64_t macs;
  double a_sqnr_db, w_sqnr_db; /* NAN when not recorded */
} QaLayerQuality;

/* Every layer of every finished run, by run_id and layer_idx. *rows malloc'ed (free()). */
int qaStoreLayerQuality(QaStore *st, QaLayerQuality **rows, int *n, QaErr *err);

/* The energy of one component of one layer. */
typedef struct QaLayerEnergy {
  int layer_idx;
  char component[64]; /* a component name, or "static" */
  double energy_pj;   /* NAN when stored as NULL */
} QaLayerEnergy;

/* Energy rows of RUN_ID under label COSTS, by layer_idx. *rows malloc'ed (free()). */
int qaStoreLayerEnergy(QaStore *st, int64_t run_id, const char *costs, QaLayerEnergy **rows, int *n,
                       QaErr *err);

/* One layer's name and cycles. */
typedef struct QaLayerCycles {
  int layer_idx;
  char name[QA_NAME_MAX];
  int64_t n_cycles;
} QaLayerCycles;

/* The layers of RUN_ID in layer order. *rows malloc'ed (free()); QA_EUSER if the run has
** none. */
int qaStoreLayerCycles(QaStore *st, int64_t run_id, QaLayerCycles **rows, int *n, QaErr *err);

/* The SQL text of the queries reports read besides qaStorePoints' (static text), so that a
** figure can show the statements behind it. */
typedef enum QaStoreSqlId {
  QA_SQL_COMPONENT_ENERGY, /* qaStoreComponentEnergy */
  QA_SQL_COMPONENT_AREAS,  /* qaStoreComponentAreas */
  QA_SQL_LAYER_QUALITY,    /* qaStoreLayerQuality */
  QA_SQL_LAYER_CYCLES      /* qaStoreLayerCycles */
} QaStoreSqlId;
const char *qaStoreSqlText(QaStoreSqlId id);

/* Per-layer rows of a run, column by column, for exports: every column of table layer
** (names as in the schema) followed by the run's columns named run_<name> where they
** clash. CELL is called for each value: COL its index in NAMES, TYPE an SQLITE_*
** fundamental type code (1 integer, 2 float, 3 text, 5 null) and TEXT its text (NULL for
** null); ROW_END after each row. N_COLS / NAMES describe the columns (valid until the
** call returns). Returns QA_OK, an SQL error, or the first non-zero return of a
** callback (which sets *err). QA_EUSER if the run does not exist. */
typedef struct QaRowSink {
  void *ctx;
  int (*header)(void *ctx, int n_cols, const char *const *names, QaErr *err);
  int (*cell)(void *ctx, int col, int type, const char *text, QaErr *err);
  int (*row_end)(void *ctx, QaErr *err);
} QaRowSink;
int qaStoreLayerRows(QaStore *st, int64_t run_id, const QaRowSink *sink, QaErr *err);

/* ---- merging stores (store/merge.c) ----------------------------------------------- */

typedef struct QaMergeStats {
  int runs_added;     /* finished runs copied (renumbered) */
  int runs_duplicate; /* skipped: their identity was already in the target */
  int runs_skipped;   /* unfinished rows (there should be none) */
  int tables;         /* tables copied row by row (besides run) */
} QaMergeStats;

/* Copy every finished run of the store at SRC_PATH into ST, renumbering run ids (each
** gets the next free id, in the source's run order) and skipping runs whose identity ST
** already holds (or that an earlier run of the same source had); a run without an
** identity (schema < 3) is always copied. Every table of the source with a run_id
** column that ST also has is copied for the runs taken, by the columns both have (so
** tables added by later schema steps come along); all in one transaction. SRC_PATH is
** opened read-only. Errors: QA_EUSER naming SRC_PATH if it is missing, not a results
** store, or of a newer schema than this qasim; SQL errors. *stats may be NULL. */
int qaStoreMerge(QaStore *st, const char *src_path, QaMergeStats *stats, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_STORE_H */
