/*
** store.c - the SQLite results store (see store.h).
**
** Conventions (after Fossil's db.c):
**   - every statement the store runs more than once is prepared once in qaStoreOpen
**     (stmtSql[] below; the queries of reports: qaStoreQuerySql[] in query.c) and
**     reused with sqlite3_reset + sqlite3_clear_bindings;
**   - parameters are bound by name (:name), never by position;
**   - every SQL error message carries the text of the failing statement;
**   - writers wait for the lock as long as it takes (qaStoreBusyWait, point.c: a busy
**     handler backing off from 1 ms to 100 ms), so many processes can write one file;
**   - a run is one transaction: qaStoreBeginRun does BEGIN IMMEDIATE, qaStoreFinishRun
**     COMMITs; any SQL error while a run is open rolls the whole run back, and so do
**     qaStoreAbortRun and qaStoreClose. A crashed or killed process leaves an
**     uncommitted transaction in the WAL, which SQLite discards on the next open;
**   - the schema version lives in PRAGMA user_version and the schema is built by
**     the migration list migrations[]: step i upgrades version i to i + 1 in its own
**     transaction. To change the schema, append a step and bump
**     QA_STORE_SCHEMA_VERSION in store.h; never edit a published step.
**
** Column notes:
**   run.seed           the uint64 seed stored as its int64 bit pattern (two's
**                      complement): a negative value v means seed = v + 2^64.
**                      SELECT printf('%llu', seed) FROM run prints it unsigned.
**   run.created_utc    ISO-8601 UTC, e.g. 2024-05-01T12:34:56Z
**   layer.effectual_terms, layer.outputs_verified
**                      NULL when the simulator reported -1 (not meaningful/not checked)
**   layer.values_src   "trace" or "synthetic"
**   energy.component   a simulator component ("mult", "sb", ...) or "static" (leakage
**                      over the layer's simulated time); energy.costs is the cost label
**                      (table name, "+TYPE" for a non-default DRAM type)
*/
#define _POSIX_C_SOURCE 200809L
#include "store/storeInt.h"

#include "base/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- schema migrations ------------------------------------------------------------ */

/* migrations[i] upgrades user_version i -> i + 1. Comments inside CREATE TABLE are
** kept by SQLite, so `.schema` in the sqlite3 shell shows them. */
static const char *const migrations[] = {
    /* 0 -> 1: initial schema */
    "CREATE TABLE run(\n"
    "  run_id INTEGER PRIMARY KEY,\n"
    "  created_utc TEXT,\n"  /* ISO-8601 UTC */
    "  tool_version TEXT,\n" /* git describe */
    "  arch TEXT,\n"
    "  arch_config TEXT,\n"      /* full resolved config (YAML) */
    "  arch_config_hash TEXT,\n" /* 16 hex digits */
    "  workload TEXT,\n"
    "  workload_source TEXT,\n" /* builtin or YAML path */
    "  workload_hash TEXT,\n"   /* 16 hex digits */
    "  a_bits INTEGER,\n"
    "  w_bits INTEGER,\n"
    "  quant_a TEXT,\n"
    "  quant_w TEXT,\n"
    "  encoder TEXT,\n"
    "  seed INTEGER /* uint64 bit pattern as int64: v < 0 means v + 2^64; printf('%llu', seed) */,\n"
    "  timing TEXT,\n" /* lt or cycle */
    "  clock_mhz REAL,\n"
    "  command_line TEXT,\n"
    "  n_layers INTEGER,\n"
    "  macs INTEGER,\n"
    "  n_cycles INTEGER,\n"
    "  n_stall_cycles INTEGER,\n"
    "  time_s REAL,\n"
    "  wall_s REAL,\n"
    "  sim_macs_per_s REAL,\n"
    "  all_verified INTEGER\n"
    ");\n"
    "CREATE TABLE layer(\n"
    "  run_id INTEGER REFERENCES run(run_id) ON DELETE CASCADE,\n"
    "  layer_idx INTEGER,\n"
    "  name TEXT, kind TEXT,\n"
    "  n INTEGER, c INTEGER, h INTEGER, w INTEGER, k INTEGER, r INTEGER, s INTEGER,\n"
    "  stride_h INTEGER, stride_w INTEGER, pad_h INTEGER, pad_w INTEGER, groups INTEGER,\n"
    "  out_h INTEGER, out_w INTEGER,\n"
    "  a_bits INTEGER, w_bits INTEGER,\n"
    "  a_sqnr_db REAL, w_sqnr_db REAL,\n"
    "  values_src TEXT,\n"
    "  macs INTEGER, n_cycles INTEGER, n_compute_cycles INTEGER, n_stall_cycles INTEGER,\n"
    "  n_steps INTEGER, pe_util REAL,\n"
    "  effectual_terms INTEGER /* NULL: not meaningful */,\n"
    "  outputs_verified INTEGER /* NULL: not checked */,\n"
    "  n_mismatches INTEGER, acc_overflows INTEGER,\n"
    "  PRIMARY KEY(run_id, layer_idx)\n"
    ");\n"
    "CREATE TABLE action(\n"
    "  run_id INTEGER, layer_idx INTEGER,\n"
    "  component TEXT, action TEXT, a_bits INTEGER, w_bits INTEGER,\n"
    "  count INTEGER,\n"
    "  PRIMARY KEY(run_id, layer_idx, component, action, a_bits, w_bits),\n"
    "  FOREIGN KEY(run_id, layer_idx) REFERENCES layer(run_id, layer_idx) ON DELETE CASCADE\n"
    ");\n",
    /* 1 -> 2: energy of each layer per cost table, and per-run energy totals */
    "CREATE TABLE energy(\n"
    "  run_id INTEGER, layer_idx INTEGER,\n"
    "  costs TEXT /* cost label: table name, +TYPE for a non-default DRAM type */,\n"
    "  component TEXT /* simulator component, or static = leakage over the layer's time */,\n"
    "  energy_pj REAL,\n"
    "  PRIMARY KEY(run_id, layer_idx, costs, component),\n"
    "  FOREIGN KEY(run_id, layer_idx) REFERENCES layer(run_id, layer_idx) ON DELETE CASCADE\n"
    ");\n"
    "CREATE TABLE run_energy(\n"
    "  run_id INTEGER REFERENCES run(run_id) ON DELETE CASCADE,\n"
    "  costs TEXT,\n"
    "  energy_pj REAL /* the whole run, static included */,\n"
    "  static_pj REAL,\n"
    "  pj_per_mac REAL,\n"
    "  energy_per_inference_pj REAL /* energy_pj / batch */,\n"
    "  area_mm2 REAL /* chip area of the composition */,\n"
    "  priced_utc TEXT,\n"
    "  PRIMARY KEY(run_id, costs)\n"
    ");\n",
    /* 2 -> 3: the design point of a run (sim/identity.h) and what it adds to the run row */
    "ALTER TABLE run ADD COLUMN identity TEXT /* design point: SHA-256 hex of all that determines the result "
    "*/;\n"
    "ALTER TABLE run ADD COLUMN config_id TEXT /* SHA-256 hex of all but the workload */;\n"
    "ALTER TABLE run ADD COLUMN workload_id TEXT /* SHA-256 hex of the workload's content */;\n"
    "ALTER TABLE run ADD COLUMN act_zero_frac REAL /* synthetic activations' zero fraction */;\n"
    "ALTER TABLE run ADD COLUMN wgt_dist TEXT /* synthetic weights: laplace or gauss */;\n"
    "ALTER TABLE run ADD COLUMN verify INTEGER /* 1: outputs checked against the reference */;\n"
    "ALTER TABLE run ADD COLUMN costs TEXT /* cost label priced at run time; NULL: not priced */;\n"
    "ALTER TABLE run ADD COLUMN costs_id TEXT /* SHA-256 hex of that cost table's files */;\n"
    "CREATE INDEX run_identity ON run(identity);\n",
    /* 3 -> 4: the composition that priced a run, component by component (area) */
    "CREATE TABLE run_component(\n"
    "  run_id INTEGER REFERENCES run(run_id) ON DELETE CASCADE,\n"
    "  costs TEXT /* cost label */,\n"
    "  component TEXT /* the architecture's component name */,\n"
    "  category TEXT /* datapath, accumulation, registers, memory, dram */,\n"
    "  scope TEXT /* PE, tile, chip, offchip */,\n"
    "  instances INTEGER /* on the whole chip */,\n"
    "  area_um2 REAL /* all instances; NULL: the table gives no area */,\n"
    "  PRIMARY KEY(run_id, costs, component)\n"
    ");\n",
    /* 4 -> 5: the views listings, reports and --where clauses read */
    "CREATE VIEW finished_run AS SELECT r.run_id, r.identity, r.config_id, r.workload_id,"
    " r.created_utc, r.tool_version, r.arch, r.arch_config, r.workload, r.workload_source,"
    " r.workload_hash, r.a_bits, r.w_bits, r.quant_a, r.quant_w, r.encoder, r.seed,"
    " r.act_zero_frac, r.wgt_dist, r.verify, r.timing, r.clock_mhz, r.n_layers, r.macs, r.n_cycles,"
    " r.n_stall_cycles, r.time_s, r.all_verified, e.costs, e.energy_pj, e.static_pj, e.pj_per_mac,"
    " e.energy_per_inference_pj, e.area_mm2,"
    " CASE WHEN r.identity IS NULL THEN 1 ELSE (SELECT count(*) FROM run x WHERE x.identity = r.identity"
    " AND x.n_cycles IS NOT NULL) END AS n_runs"
    " FROM run r LEFT JOIN run_energy e ON e.run_id = r.run_id AND e.costs = coalesce(r.costs,"
    " (SELECT min(y.costs) FROM run_energy y WHERE y.run_id = r.run_id))"
    " WHERE r.n_cycles IS NOT NULL;\n"
    "CREATE VIEW point AS SELECT * FROM finished_run WHERE run_id IN (SELECT max(run_id) FROM run"
    " WHERE n_cycles IS NOT NULL GROUP BY coalesce(identity, 'run ' || run_id));\n",
    /* 5 -> 6: traced workloads (issue 10): output quality and value statistics per layer */
    "ALTER TABLE run ADD COLUMN precision TEXT /* per-layer bits from --precision: FILE or profile:DB */;\n"
    "ALTER TABLE layer ADD COLUMN out_sqnr_db REAL /* dequantised output vs the float output */;\n"
    "ALTER TABLE layer ADD COLUMN quant_a TEXT /* the layer's activation quantizer */;\n"
    "ALTER TABLE layer ADD COLUMN quant_w TEXT /* the layer's weight quantizer */;\n"
    "CREATE TABLE layer_values(\n"
    "  run_id INTEGER, layer_idx INTEGER,\n"
    "  tensor TEXT /* a = activation codes, w = weight codes */,\n"
    "  n_values INTEGER, zero_frac REAL,\n"
    "  mean_bits REAL /* one-bits of |code| per value */,\n"
    "  mean_terms_booth4 REAL, mean_terms_naf REAL /* terms per value */,\n"
    "  PRIMARY KEY(run_id, layer_idx, tensor),\n"
    "  FOREIGN KEY(run_id, layer_idx) REFERENCES layer(run_id, layer_idx) ON DELETE CASCADE\n"
    ");\n"
    "CREATE TABLE layer_terms(\n"
    "  run_id INTEGER, layer_idx INTEGER, tensor TEXT,\n"
    "  encoder TEXT /* popcount (= one-bits), booth4, naf */,\n"
    "  n_terms INTEGER, n_values INTEGER /* values with n_terms terms */,\n"
    "  PRIMARY KEY(run_id, layer_idx, tensor, encoder, n_terms),\n"
    "  FOREIGN KEY(run_id, layer_idx) REFERENCES layer(run_id, layer_idx) ON DELETE CASCADE\n"
    ");\n",
    /* 6 -> 7: cost tables by content (a label names one table content in one database),
    ** the status behind each energy row, the run's energy on weak rows */
    "CREATE TABLE cost_table(\n"
    "  costs TEXT PRIMARY KEY /* the label energy and run_energy rows carry */,\n"
    "  costs_id TEXT /* SHA-256 of the table's content (qaCostTableId); NULL: stored before v7 */,\n"
    "  dram TEXT /* DRAM type priced, '' = the default */,\n"
    "  name TEXT /* the table's name */,\n"
    "  source TEXT /* the file it was read from */,\n"
    "  registered_utc TEXT\n"
    ");\n"
    "CREATE UNIQUE INDEX cost_table_content ON cost_table(costs_id, dram);\n"
    "INSERT INTO cost_table(costs, name) SELECT DISTINCT costs, costs FROM run_energy\n"
    "  UNION SELECT DISTINCT costs, costs FROM energy;\n"
    "ALTER TABLE energy ADD COLUMN status TEXT /* weakest status of the cost rows behind it */;\n"
    "ALTER TABLE run_energy ADD COLUMN weak_pj REAL /* energy priced from assumed or extrapolated rows */;\n",
    /* 7 -> 8: conv and fc totals of a run apart (issue 8: the papers compare conv layers) */
    "CREATE VIEW run_part AS SELECT run_id, CASE kind WHEN 'fc' THEN 'fc' ELSE 'conv' END AS part,\n"
    "  count(*) AS n_layers, sum(macs) AS macs, sum(n_cycles) AS n_cycles,\n"
    "  sum(n_stall_cycles) AS n_stall_cycles FROM layer GROUP BY run_id, part;\n"
    "CREATE VIEW run_part_energy AS SELECT l.run_id, CASE l.kind WHEN 'fc' THEN 'fc' ELSE 'conv' END\n"
    "  AS part, e.costs, sum(e.energy_pj) AS energy_pj FROM layer l JOIN energy e\n"
    "  ON e.run_id = l.run_id AND e.layer_idx = l.layer_idx GROUP BY l.run_id, part, e.costs;\n",
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(N_MIGRATIONS == QA_STORE_SCHEMA_VERSION, "one migration step per schema version");

/* ---- prepared statements ---------------------------------------------------------- */

/* SQL of the statements S_* (storeInt.h). */
static const char *const stmtSql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_INSERT_RUN] =
        "INSERT INTO run(created_utc, tool_version, arch, arch_config, arch_config_hash,"
        " workload, workload_source, workload_hash, a_bits, w_bits, quant_a, quant_w, encoder,"
        " seed, timing, clock_mhz, command_line, identity, config_id, workload_id, act_zero_frac,"
        " wgt_dist, verify, costs, costs_id)"
        " VALUES(strftime('%Y-%m-%dT%H:%M:%SZ','now'), :tool_version, :arch, :arch_config,"
        " :arch_config_hash, :workload, :workload_source, :workload_hash, :a_bits, :w_bits,"
        " :quant_a, :quant_w, :encoder, :seed, :timing, :clock_mhz, :command_line, :identity,"
        " :config_id, :workload_id, :act_zero_frac, :wgt_dist, :verify, :costs, :costs_id)",
    [S_INSERT_LAYER] =
        "INSERT INTO layer(run_id, layer_idx, name, kind, n, c, h, w, k, r, s, stride_h,"
        " stride_w, pad_h, pad_w, groups, out_h, out_w, a_bits, w_bits, a_sqnr_db, w_sqnr_db,"
        " values_src, macs, n_cycles, n_compute_cycles, n_stall_cycles, n_steps, pe_util,"
        " effectual_terms, outputs_verified, n_mismatches, acc_overflows)"
        " VALUES(:run_id, :layer_idx, :name, :kind, :n, :c, :h, :w, :k, :r, :s, :stride_h,"
        " :stride_w, :pad_h, :pad_w, :groups, :out_h, :out_w, :a_bits, :w_bits, :a_sqnr_db,"
        " :w_sqnr_db, :values_src, :macs, :n_cycles, :n_compute_cycles, :n_stall_cycles,"
        " :n_steps, :pe_util, :effectual_terms, :outputs_verified, :n_mismatches,"
        " :acc_overflows)",
    [S_INSERT_ACTION] =
        "INSERT INTO action(run_id, layer_idx, component, action, a_bits, w_bits, count)"
        " VALUES(:run_id, :layer_idx, :component, :action, :a_bits, :w_bits, :count)",
    [S_FINISH_RUN] =
        "UPDATE run SET n_layers = (SELECT count(*) FROM layer WHERE layer.run_id = :run_id),"
        " macs = :macs, n_cycles = :n_cycles, n_stall_cycles = :n_stall_cycles,"
        " time_s = :time_s, wall_s = :wall_s, sim_macs_per_s = :sim_macs_per_s,"
        " all_verified = :all_verified WHERE run_id = :run_id",
    [S_RUN_EXISTS] = "SELECT 1 FROM run WHERE run_id = :run_id",
    [S_LIST_RUNS] =
        "SELECT run_id, created_utc, arch, workload, a_bits, w_bits, quant_a, quant_w, timing,"
        " n_layers, n_cycles, all_verified, sim_macs_per_s FROM run ORDER BY run_id",
    [S_EXPORT_LAYERS] =
        "SELECT run_id, layer_idx, name, kind, n, c, h, w, k, r, s, stride_h, stride_w, pad_h,"
        " pad_w, groups, out_h, out_w, a_bits, w_bits, a_sqnr_db, w_sqnr_db, values_src, macs,"
        " n_cycles, n_compute_cycles, n_stall_cycles, n_steps, pe_util, effectual_terms,"
        " outputs_verified, n_mismatches, acc_overflows, quant_a, quant_w, out_sqnr_db"
        " FROM layer WHERE run_id = :run_id ORDER BY layer_idx",
    [S_INSERT_ENERGY] =
        "INSERT OR REPLACE INTO energy(run_id, layer_idx, costs, component, energy_pj, status)"
        " VALUES(:run_id, :layer_idx, :costs, :component, :energy_pj, :status)",
    [S_SET_RUN_ENERGY] =
        "INSERT OR REPLACE INTO run_energy(run_id, costs, energy_pj, static_pj, pj_per_mac,"
        " energy_per_inference_pj, area_mm2, priced_utc, weak_pj)"
        " VALUES(:run_id, :costs, :energy_pj, :static_pj, :pj_per_mac, :energy_per_inference_pj,"
        " :area_mm2, strftime('%Y-%m-%dT%H:%M:%SZ','now'), :weak_pj)",
    [S_DELETE_ENERGY] = "DELETE FROM energy WHERE run_id = :run_id AND costs = :costs",
    [S_DELETE_RUN_ENERGY] = "DELETE FROM run_energy WHERE run_id = :run_id AND costs = :costs",
    [S_GET_RUN] =
        "SELECT arch, arch_config, workload, workload_hash, a_bits, w_bits, clock_mhz, n_layers,"
        " macs, n_cycles, workload_source FROM run WHERE run_id = :run_id",
    [S_GET_LAYERS] =
        "SELECT layer_idx, name, n, macs, n_cycles, n_compute_cycles, n_stall_cycles, n_steps,"
        " pe_util, effectual_terms, outputs_verified, n_mismatches, acc_overflows, a_bits, w_bits"
        " FROM layer WHERE run_id = :run_id ORDER BY layer_idx",
    [S_GET_ACTIONS] =
        "SELECT layer_idx, component, action, a_bits, w_bits, count FROM action"
        " WHERE run_id = :run_id ORDER BY layer_idx, rowid",
    [S_FIND_RUN_ENERGY] =
        "SELECT run.run_id, run_energy.energy_pj FROM run JOIN run_energy USING(run_id)"
        " WHERE run.arch = :arch AND run.workload = :workload"
        " AND run.workload_hash = :workload_hash AND run.a_bits = :a_bits"
        " AND run.w_bits = :w_bits AND run_energy.costs = :costs"
        " ORDER BY run.run_id DESC LIMIT 1",
    [S_COST_BY_ID] = "SELECT costs FROM cost_table WHERE costs_id = :costs_id AND dram = :dram",
    [S_COST_BY_LABEL] = "SELECT costs_id, dram FROM cost_table WHERE costs = :costs",
    [S_COST_INSERT] =
        "INSERT INTO cost_table(costs, costs_id, dram, name, source, registered_utc)"
        " VALUES(:costs, :costs_id, :dram, :name, :source, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
    [S_RUN_IDS] = "SELECT run_id FROM run WHERE n_cycles IS NOT NULL ORDER BY run_id",
    [S_SET_RUN_COSTS] = "UPDATE run SET costs = :costs WHERE run_id = :run_id",
};

/* ---- error helpers ---------------------------------------------------------------- */

/* SQLite result codes that come from the user's environment rather than a bug. */
static int qaCodeFor(int sqlite_rc) {
  switch (sqlite_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FULL:
    case SQLITE_PERM:
    case SQLITE_IOERR:
      return QA_EUSER;
    default:
      return QA_EINTERNAL;
  }
}

/* Copy SQL text into out[n] on one line (runs of whitespace become one space). */
static void oneLine(const char *sql, char *out, size_t n) {
  size_t j = 0;
  int space = 0;
  if (!sql) sql = "(null)";
  for (const char *p = sql; *p && j + 4 < n; p++) {
    if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') {
      space = 1;
      continue;
    }
    if (space && j > 0) out[j++] = ' ';
    space = 0;
    out[j++] = *p;
  }
  if (j + 4 >= n && n > 4) {
    out[j++] = '.';
    out[j++] = '.';
    out[j++] = '.';
  }
  out[j] = 0;
}

/* See storeInt.h. */
int qaStoreSqlErr(QaStore *st, QaErr *err, int sqlite_rc, const char *sql) {
  char line[640];
  oneLine(sql, line, sizeof line);
  return qaErrSet(err, qaCodeFor(sqlite_rc), "%s: SQL error: %s (in: %s)", st->path, sqlite3_errmsg(st->db),
                  line);
}

/* ---- statement helpers ------------------------------------------------------------ */

/* An integer that is NULL when negative (-1 = "not meaningful"). */
static void bindI64OrNull(sqlite3_stmt *s, const char *name, int64_t v, int *rc) {
  if (*rc != SQLITE_OK) return;
  int i = sqlite3_bind_parameter_index(s, name);
  if (!i)
    *rc = SQLITE_RANGE;
  else
    *rc = v < 0 ? sqlite3_bind_null(s, i) : sqlite3_bind_int64(s, i, (sqlite3_int64)v);
}

static void stmtDone(sqlite3_stmt *s) {
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
}

/* Report a bind failure (a bug: a name missing from the SQL) and reset. */
static int bindErr(QaStore *st, QaErr *err, int rc, sqlite3_stmt *s) {
  char line[640];
  oneLine(sqlite3_sql(s), line, sizeof line);
  stmtDone(s);
  return qaErrSet(err, QA_EINTERNAL, "%s: SQL bind error: %s (in: %s)", st->path, sqlite3_errstr(rc), line);
}

/* Step a statement that returns no rows, then reset it. */
static int stepDone(QaStore *st, sqlite3_stmt *s, QaErr *err) {
  int rc = sqlite3_step(s);
  int qrc = QA_OK;
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) qrc = qaStoreSqlErr(st, err, rc, sqlite3_sql(s));
  stmtDone(s);
  return qrc;
}

int qaStoreBindsDone(QaStore *st, sqlite3_stmt *s, int src, QaErr *err) {
  return src != SQLITE_OK ? bindErr(st, err, src, s) : stepDone(st, s, err);
}

/* Run a script of one or more statements (not prepared for reuse: used on open only).
** The error names the failing statement. */
static int execScript(QaStore *st, const char *sql, QaErr *err) {
  const char *p = sql;
  while (p && *p) {
    sqlite3_stmt *s = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(st->db, p, -1, &s, &tail);
    if (rc != SQLITE_OK) return qaStoreSqlErr(st, err, rc, p);
    if (!s) break; /* only whitespace or comments left */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
      int q = qaStoreSqlErr(st, err, rc, sqlite3_sql(s));
      sqlite3_finalize(s);
      return q;
    }
    sqlite3_finalize(s);
    p = tail;
  }
  return QA_OK;
}

/* Read PRAGMA user_version into *ver. */
static int readUserVersion(QaStore *st, int *ver, QaErr *err) {
  static const char sql[] = "PRAGMA user_version";
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
  if (rc != SQLITE_OK) return qaStoreSqlErr(st, err, rc, sql);
  rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) {
    int q = qaStoreSqlErr(st, err, rc, sql);
    sqlite3_finalize(s);
    return q;
  }
  *ver = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  return QA_OK;
}

/* Apply the migration steps from the database's version up to QA_STORE_SCHEMA_VERSION,
** each in its own transaction. The version is re-read inside the transaction, so two
** processes opening a new database at once do not both run a step. */
static int migrate(QaStore *st, QaErr *err) {
  int ver = 0;
  int rc = readUserVersion(st, &ver, err);
  if (rc) return rc;
  if (ver > QA_STORE_SCHEMA_VERSION)
    return qaErrSet(err, QA_EUSER,
                    "%s: results database schema version %d is newer than this qasim (%d); "
                    "upgrade qasim or use another --db",
                    st->path, ver, QA_STORE_SCHEMA_VERSION);
  while (ver < QA_STORE_SCHEMA_VERSION) {
    if ((rc = execScript(st, "BEGIN IMMEDIATE", err))) return rc;
    if ((rc = readUserVersion(st, &ver, err))) goto fail;
    if (ver < QA_STORE_SCHEMA_VERSION) {
      char setver[64];
      if ((rc = execScript(st, migrations[ver], err))) {
        qaErrPrefix(err, "migrating the schema from version %d to %d", ver, ver + 1);
        goto fail;
      }
      snprintf(setver, sizeof setver, "PRAGMA user_version = %d", ver + 1);
      if ((rc = execScript(st, setver, err))) goto fail;
    }
    if ((rc = execScript(st, "COMMIT", err))) goto fail;
    if ((rc = readUserVersion(st, &ver, err))) return rc;
    continue;
  fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
  }
  return QA_OK;
}

/* Create the missing directories above PATH (mkdir -p), each with its own message: SQLite
** would only say "unable to open". */
static int makeParentDir(const char *path, QaErr *err) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return QA_OK;
  size_t n = (size_t)(slash - path);
  char *dir = qaMalloc(n + 1, err);
  if (!dir) return QA_EINTERNAL;
  memcpy(dir, path, n);
  dir[n] = 0;
  char what[QA_ERR_MAX];
  snprintf(what, sizeof what, "%s: cannot create the results database", path);
  int rc = qaMakeDirs(dir, what, err);
  free(dir);
  return rc;
}

/* ---- open / close ----------------------------------------------------------------- */

/* "file:PATH?immutable=1" with PATH's URI metacharacters %-escaped, or NULL. */
static char *immutableUri(const char *path, QaErr *err) {
  size_t n = strlen(path);
  char *uri = qaMalloc(3 * n + 32, err), *o = uri;
  if (!uri) return NULL;
  o += sprintf(o, "file:");
  for (const char *p = path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#')
      o += sprintf(o, "%%%02X", (unsigned char)*p);
    else
      *o++ = *p;
  }
  strcpy(o, "?immutable=1");
  return uri;
}

/* Issue 13 item 8: a file SQLite reads that this store did not make is a user error
** naming it, never an internal one: at schema version 0 a database with tables of its
** own (a foreign `run` table), or a version whose tables are missing. */
static int notQasim(QaStore *st, QaErr *err, const char *why) {
  return qaErrSet(err, QA_EUSER, "%s: not a qasim results store (%s); use another --db", st->path, why);
}

/* The schema version into *ver, and QA_EUSER if it is 0 but the database has tables,
** newer than this build, or above 0 without the run table (never migrate a foreign
** file). One statement, so one snapshot: another process may be creating the schema. */
static int checkVersion(QaStore *st, int *ver, QaErr *err) {
  static const char sql[] =
      "SELECT user_version, (SELECT count(*) FROM sqlite_master),"
      " (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'run') FROM pragma_user_version";
  sqlite3_stmt *s = NULL;
  int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
  if (rc != SQLITE_OK) return qaStoreSqlErr(st, err, rc, sql);
  rc = sqlite3_step(s);
  int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 1) : -1;
  int has_run = rc == SQLITE_ROW && sqlite3_column_int64(s, 2) > 0;
  if (rc == SQLITE_ROW) *ver = sqlite3_column_int(s, 0);
  int q = rc == SQLITE_ROW ? QA_OK : qaStoreSqlErr(st, err, rc, sql);
  sqlite3_finalize(s);
  if (q == QA_OK && *ver == 0 && n > 0) q = notQasim(st, err, "it has tables but no qasim schema version");
  if (q == QA_OK && *ver > QA_STORE_SCHEMA_VERSION) /* a newer qasim's tables may differ */
    q = qaErrSet(err, QA_EUSER,
                 "%s: results database schema version %d is newer than this qasim (%d); "
                 "upgrade qasim or use another --db",
                 st->path, *ver, QA_STORE_SCHEMA_VERSION);
  if (q == QA_OK && *ver > 0 && !has_run) {
    char why[96];
    snprintf(why, sizeof why, "schema version %d but no run table", *ver);
    q = notQasim(st, err, why);
  }
  return q;
}

/* Attempts at the journal mode of a store another process is creating (up to ~20 s). */
#define STORE_OPEN_TRIES 200

static int openStore(const char *path, int read_only, QaStore **out, QaErr *err) {
  int rc = QA_OK;
  QaStore *st = NULL;
  *out = NULL;
  if (!path || !*path) return qaErrSet(err, QA_EUSER, "results database path is empty");
  if (!read_only && strcmp(path, ":memory:") != 0 && (rc = makeParentDir(path, err))) return rc;

  st = qaCalloc(1, sizeof *st, err);
  if (!st) return QA_EINTERNAL;
  st->path = qaMalloc(strlen(path) + 1, err);
  if (!st->path) {
    rc = QA_EINTERNAL;
    goto end;
  }
  strcpy(st->path, path);

  int src = sqlite3_open_v2(
      path, &st->db, read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (src != SQLITE_OK) {
    int eno = st->db ? sqlite3_system_errno(st->db) : 0;
    rc = qaErrSet(err, QA_EUSER, "%s: cannot open the results database: %s%s%s", path,
                  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src), eno ? ": " : "",
                  eno ? strerror(eno) : "");
    goto end;
  }
  sqlite3_extended_result_codes(st->db, 1);
  sqlite3_busy_handler(st->db, qaStoreBusyWait, st);

  /* The first statement reads the file header: a non-database fails here. A reader
  ** never changes the journal mode or the schema (issue 13 item 9): it works on
  ** read-only media, where a WAL database without its -shm file opens immutable. */
  int ver = 0;
  if (read_only)
    rc = checkVersion(st, &ver, err);
  else /* a fresh file that other processes switch to WAL at the same time can answer BUSY
       ** without calling the busy handler (SQLite's deadlock rule): wait and try again */
    for (int tries = 0;; tries++) {
      rc = execScript(st, "PRAGMA journal_mode = WAL", err);
      if (!rc || (sqlite3_errcode(st->db) & 0xff) != SQLITE_BUSY || tries == STORE_OPEN_TRIES) break;
      qaStoreBusyWait(st, tries);
    }
  int code = rc ? sqlite3_errcode(st->db) & 0xff : SQLITE_OK;
  if (rc && read_only && (code == SQLITE_CANTOPEN || code == SQLITE_READONLY)) {
    char *uri = immutableUri(path, err);
    sqlite3_close_v2(st->db);
    st->db = NULL;
    if (!uri) {
      rc = QA_EINTERNAL;
      goto end;
    }
    src = sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (src != SQLITE_OK) {
      rc = qaErrSet(err, QA_EUSER, "%s: cannot open the results database: %s", path,
                    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(src));
      goto end;
    }
    sqlite3_extended_result_codes(st->db, 1);
    rc = checkVersion(st, &ver, err);
    code = rc ? sqlite3_errcode(st->db) & 0xff : SQLITE_OK;
  }
  if (rc) {
    if (code == SQLITE_NOTADB)
      rc = qaErrSet(err, QA_EUSER, "%s: not an SQLite database (is it a results database? use another --db)",
                    path);
    else if (!read_only && (code == SQLITE_CANTOPEN || code == SQLITE_READONLY))
      rc = qaErrSet(err, QA_EUSER,
                    "%s: cannot write the results database (%s: a read-only file system, or the file or its "
                    "directory not writable?); use a writable --db",
                    path, sqlite3_errmsg(st->db));
    goto end;
  }
  if ((rc = execScript(st, "PRAGMA foreign_keys = ON", err))) goto end;
  if (read_only) {
    if (ver == 0) rc = notQasim(st, err, "schema version 0: no runs were ever stored in it");
    if (!rc && ver < QA_STORE_SCHEMA_VERSION)
      rc = qaErrSet(err, QA_EUSER,
                    "%s: results database schema version %d is older than this qasim's (%d) and a read-only "
                    "command does not upgrade it; run a command that writes (e.g. qasim price) on it once",
                    path, ver, QA_STORE_SCHEMA_VERSION);
    if (rc) goto end;
  } else {
    if ((rc = execScript(st, "PRAGMA synchronous = NORMAL", err))) goto end;
    if ((rc = checkVersion(st, &ver, err))) goto end;
    if ((rc = migrate(st, err))) goto end;
  }

  for (int i = 0; i < S_COUNT + Q_COUNT + P_COUNT + V_COUNT; i++) {
    const char *sql = i < S_COUNT                       ? stmtSql[i]
                      : i < S_COUNT + Q_COUNT           ? qaStoreQuerySql[i - S_COUNT]
                      : i < S_COUNT + Q_COUNT + P_COUNT ? qaStorePointSql[i - S_COUNT - Q_COUNT]
                                                        : qaStoreValuesSql[i - S_COUNT - Q_COUNT - P_COUNT];
    sqlite3_stmt **s = i < S_COUNT                       ? &st->stmt[i]
                       : i < S_COUNT + Q_COUNT           ? &st->query[i - S_COUNT]
                       : i < S_COUNT + Q_COUNT + P_COUNT ? &st->point[i - S_COUNT - Q_COUNT]
                                                         : &st->values[i - S_COUNT - Q_COUNT - P_COUNT];
    src = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL);
    if (src != SQLITE_OK) {
      if ((src & 0xff) == SQLITE_ERROR) { /* no such table or column: not our schema */
        char why[256];
        snprintf(why, sizeof why, "schema version %d, but %s", ver, sqlite3_errmsg(st->db));
        rc = notQasim(st, err, why);
      } else {
        rc = qaStoreSqlErr(st, err, src, sql);
      }
      goto end;
    }
  }
  *out = st;
  st = NULL;
end:
  qaStoreClose(st);
  return rc;
}

int qaStoreOpen(const char *path, QaStore **out, QaErr *err) { return openStore(path, 0, out, err); }

int qaStoreOpenReadOnly(const char *path, QaStore **out, QaErr *err) { return openStore(path, 1, out, err); }

void qaStoreClose(QaStore *st) {
  if (!st) return;
  if (st->db) {
    qaStoreAbortRun(st);
    for (int i = 0; i < S_COUNT; i++) sqlite3_finalize(st->stmt[i]);
    for (int i = 0; i < Q_COUNT; i++) sqlite3_finalize(st->query[i]);
    for (int i = 0; i < P_COUNT; i++) sqlite3_finalize(st->point[i]);
    for (int i = 0; i < V_COUNT; i++) sqlite3_finalize(st->values[i]);
    /* An open read snapshot (qaStoreBeginRead) is rolled back with the connection. */
    sqlite3_close_v2(st->db);
  }
  free(st->path);
  free(st);
}

/* ---- writing a run ---------------------------------------------------------------- */

/* After a failed write, roll the whole run back: a run is all or nothing. */
static void failRun(QaStore *st) { qaStoreAbortRun(st); }

int qaStoreBeginRun(QaStore *st, const QaRunInfo *info, int64_t *run_id, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK;
  if (!st || !st->db || !info || !run_id)
    return qaErrSet(err, QA_EINTERNAL, "qaStoreBeginRun: NULL argument");
  if (st->run_open)
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreBeginRun: run %lld is still open", st->path,
                    (long long)st->run_id);
  if (st->read_open) /* (a BEGIN inside the read would fail yet keep the write lock) */
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreBeginRun: a read is open (qaStoreEndRead first)",
                    st->path);
  *run_id = 0;
  const QaArchDesc *arch = NULL; /* names the component ids of the run's counts */
  if (info->arch && qaArchFind(info->arch, &arch, NULL) != QA_OK) arch = NULL;
  if ((rc = stepDone(st, st->stmt[S_BEGIN], err))) return rc;
  st->run_open = 1;
  st->run_id = 0;
  st->run_arch = arch;

  sqlite3_stmt *s = st->stmt[S_INSERT_RUN];
  int64_t seed_bits;
  memcpy(&seed_bits, &info->seed, sizeof seed_bits); /* uint64 bit pattern as int64 */
  bindText(s, ":tool_version", info->tool_version, &src);
  bindText(s, ":arch", info->arch, &src);
  bindText(s, ":arch_config", info->arch_config, &src);
  bindText(s, ":arch_config_hash", info->arch_config_hash, &src);
  bindText(s, ":workload", info->workload, &src);
  bindText(s, ":workload_source", info->workload_source, &src);
  bindText(s, ":workload_hash", info->workload_hash, &src);
  bindI64(s, ":a_bits", info->a_bits, &src);
  bindI64(s, ":w_bits", info->w_bits, &src);
  bindText(s, ":quant_a", info->quant_a, &src);
  bindText(s, ":quant_w", info->quant_w, &src);
  bindText(s, ":encoder", info->encoder, &src);
  bindI64(s, ":seed", seed_bits, &src);
  bindText(s, ":timing", info->timing, &src);
  bindDouble(s, ":clock_mhz", info->clock_mhz, &src);
  bindText(s, ":command_line", info->command_line, &src);
  bindText(s, ":identity", info->identity, &src);
  bindText(s, ":config_id", info->config_id, &src);
  bindText(s, ":workload_id", info->workload_id, &src);
  bindDouble(s, ":act_zero_frac", info->act_zero_frac, &src);
  bindText(s, ":wgt_dist", info->wgt_dist, &src);
  bindI64(s, ":verify", info->verify ? 1 : 0, &src);
  bindText(s, ":costs", info->costs, &src);
  bindText(s, ":costs_id", info->costs_id, &src);
  if ((rc = qaStoreBindsDone(st, s, src, err))) goto end;
  st->run_id = (int64_t)sqlite3_last_insert_rowid(st->db);
  *run_id = st->run_id;
end:
  if (rc) failRun(st);
  return rc;
}

int qaStoreAddLayer(QaStore *st, int64_t run_id, const QaLayerRecord *rec, QaErr *err) {
  int rc, src = SQLITE_OK;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreAddLayer", err))) return rc;
  if (!rec || !rec->layer || !rec->stats) {
    rc = qaErrSet(err, QA_EINTERNAL, "%s: qaStoreAddLayer: record without layer or stats", st->path);
    goto end;
  }
  const QaLayer *l = rec->layer;
  const QaLayerStats *ls = rec->stats;
  const QaArchDesc *arch = st->run_arch;
  if (!arch && qaStatsHasActions(ls)) {
    rc = qaErrSet(err, QA_EINTERNAL, "%s: qaStoreAddLayer: action counts of a run of an unknown architecture",
                  st->path);
    goto end;
  }

  sqlite3_stmt *s = st->stmt[S_INSERT_LAYER];
  bindI64(s, ":run_id", run_id, &src);
  bindI64(s, ":layer_idx", rec->layer_idx, &src);
  bindText(s, ":name", l->name, &src);
  bindText(s, ":kind", qaLayerKindName(l->kind), &src);
  bindI64(s, ":n", l->n, &src);
  bindI64(s, ":c", l->c, &src);
  bindI64(s, ":h", l->h, &src);
  bindI64(s, ":w", l->w, &src);
  bindI64(s, ":k", l->k, &src);
  bindI64(s, ":r", l->r, &src);
  bindI64(s, ":s", l->s, &src);
  bindI64(s, ":stride_h", l->stride_h, &src);
  bindI64(s, ":stride_w", l->stride_w, &src);
  bindI64(s, ":pad_h", l->pad_h, &src);
  bindI64(s, ":pad_w", l->pad_w, &src);
  bindI64(s, ":groups", l->groups, &src);
  bindI64(s, ":out_h", qaLayerOutH(l), &src);
  bindI64(s, ":out_w", qaLayerOutW(l), &src);
  bindI64(s, ":a_bits", rec->a_bits, &src);
  bindI64(s, ":w_bits", rec->w_bits, &src);
  bindDouble(s, ":a_sqnr_db", rec->a_sqnr_db, &src);
  bindDouble(s, ":w_sqnr_db", rec->w_sqnr_db, &src);
  bindText(s, ":values_src", rec->values, &src);
  bindI64(s, ":macs", ls->macs, &src);
  bindI64(s, ":n_cycles", ls->n_cycles, &src);
  bindI64(s, ":n_compute_cycles", ls->n_compute_cycles, &src);
  bindI64(s, ":n_stall_cycles", ls->n_stall_cycles, &src);
  bindI64(s, ":n_steps", ls->n_steps, &src);
  bindDouble(s, ":pe_util", ls->pe_util, &src);
  bindI64OrNull(s, ":effectual_terms", ls->effectual_terms, &src);
  bindI64OrNull(s, ":outputs_verified", ls->outputs_verified, &src);
  bindI64(s, ":n_mismatches", ls->n_mismatches, &src);
  bindI64(s, ":acc_overflows", ls->acc_overflows, &src);
  if ((rc = qaStoreBindsDone(st, s, src, err))) goto end;

  /* One row per counted (component, action); the widths are the component's, as the
  ** architecture sizes it for the layer's a_bits / w_bits (columns a_bits, w_bits are 0). */
  s = st->stmt[S_INSERT_ACTION];
  for (int id = 0; id < QA_COMP_MAX; id++)
    for (int act = 0; act < QA_ACT_COUNT; act++) {
      int64_t n = ls->count[id][act];
      if (!n) continue;
      if (id >= arch->n_comps) {
        rc = qaErrSet(err, QA_EINTERNAL, "%s: layer %s counts component id %d, which %s does not have",
                      st->path, l->name, id, arch->name);
        goto end;
      }
      bindI64(s, ":run_id", run_id, &src);
      bindI64(s, ":layer_idx", rec->layer_idx, &src);
      bindText(s, ":component", arch->comps[id].name, &src);
      bindText(s, ":action", qaActKindName((QaActKind)act), &src);
      bindI64(s, ":a_bits", 0, &src);
      bindI64(s, ":w_bits", 0, &src);
      bindI64(s, ":count", n, &src);
      if ((rc = qaStoreBindsDone(st, s, src, err))) goto end;
    }
end:
  if (rc) {
    qaErrPrefix(err, "layer %d", rec ? rec->layer_idx : -1);
    failRun(st);
  }
  return rc;
}

int qaStoreFinishRun(QaStore *st, int64_t run_id, const QaRunTotals *tot, QaErr *err) {
  int rc, src = SQLITE_OK;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreFinishRun", err))) return rc;
  if (!tot) {
    rc = qaErrSet(err, QA_EINTERNAL, "%s: qaStoreFinishRun: NULL totals", st->path);
    goto end;
  }
  sqlite3_stmt *s = st->stmt[S_FINISH_RUN];
  bindI64(s, ":run_id", run_id, &src);
  bindI64(s, ":macs", tot->macs, &src);
  bindI64(s, ":n_cycles", tot->n_cycles, &src);
  bindI64(s, ":n_stall_cycles", tot->n_stall_cycles, &src);
  bindDouble(s, ":time_s", tot->time_s, &src);
  bindDouble(s, ":wall_s", tot->wall_s, &src);
  bindDouble(s, ":sim_macs_per_s", tot->sim_macs_per_s, &src);
  bindI64(s, ":all_verified", tot->all_verified ? 1 : 0, &src);
  if ((rc = qaStoreBindsDone(st, s, src, err))) goto end;
  if ((rc = stepDone(st, st->stmt[S_COMMIT], err))) goto end;
  st->run_open = 0;
  st->run_id = 0;
end:
  if (rc) failRun(st);
  return rc;
}

void qaStoreAbortRun(QaStore *st) {
  if (!st || !st->db || !st->run_open) return;
  for (int i = 0; i < S_COUNT; i++) sqlite3_reset(st->stmt[i]);
  for (int i = 0; i < Q_COUNT; i++) sqlite3_reset(st->query[i]);
  for (int i = 0; i < P_COUNT; i++) sqlite3_reset(st->point[i]);
  for (int i = 0; i < V_COUNT; i++) sqlite3_reset(st->values[i]);
  /* A failed COMMIT or an I/O error may already have ended the transaction. */
  if (!sqlite3_get_autocommit(st->db)) stepDone(st, st->stmt[S_ROLLBACK], NULL);
  st->run_open = 0;
  st->run_id = 0;
}

/* ---- energy ----------------------------------------------------------------------- */

int qaStoreAddEnergy(QaStore *st, int64_t run_id, int layer_idx, const char *costs, const char *component,
                     double energy_pj, QaErr *err) {
  return qaStoreAddEnergyStatus(st, run_id, layer_idx, costs, component, energy_pj, NULL, err);
}

int qaStoreAddEnergyStatus(QaStore *st, int64_t run_id, int layer_idx, const char *costs,
                           const char *component, double energy_pj, const char *status, QaErr *err) {
  int rc, src = SQLITE_OK;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreAddEnergy", err))) return rc;
  sqlite3_stmt *s = st->stmt[S_INSERT_ENERGY];
  bindI64(s, ":run_id", run_id, &src);
  bindI64(s, ":layer_idx", layer_idx, &src);
  bindText(s, ":costs", costs, &src);
  bindText(s, ":component", component, &src);
  bindDouble(s, ":energy_pj", energy_pj, &src);
  bindText(s, ":status", status, &src);
  if (src != SQLITE_OK)
    rc = bindErr(st, err, src, s);
  else
    rc = stepDone(st, s, err);
  if (rc) {
    qaErrPrefix(err, "layer %d energy", layer_idx);
    failRun(st);
  }
  return rc;
}

int qaStoreSetRunEnergy(QaStore *st, int64_t run_id, const QaRunEnergyRecord *rec, QaErr *err) {
  int rc, src = SQLITE_OK;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreSetRunEnergy", err))) return rc;
  if (!rec || !rec->costs) {
    failRun(st);
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreSetRunEnergy: no record", st->path);
  }
  sqlite3_stmt *s = st->stmt[S_SET_RUN_ENERGY];
  bindI64(s, ":run_id", run_id, &src);
  bindText(s, ":costs", rec->costs, &src);
  bindDouble(s, ":energy_pj", rec->energy_pj, &src);
  bindDouble(s, ":static_pj", rec->static_pj, &src);
  bindDouble(s, ":pj_per_mac", rec->pj_per_mac, &src);
  bindDouble(s, ":energy_per_inference_pj", rec->energy_per_inference_pj, &src);
  bindDouble(s, ":area_mm2", rec->area_mm2, &src);
  bindDouble(s, ":weak_pj", rec->weak_pj, &src);
  if (src != SQLITE_OK)
    rc = bindErr(st, err, src, s);
  else
    rc = stepDone(st, s, err);
  if (rc) failRun(st);
  return rc;
}

/* QA_EUSER "run N not found" unless run_id exists. */
static int runExists(QaStore *st, int64_t run_id, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK;
  sqlite3_stmt *s = st->stmt[S_RUN_EXISTS];
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) return bindErr(st, err, src, s);
  src = sqlite3_step(s);
  if (src != SQLITE_ROW && src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  stmtDone(s);
  if (rc) return rc;
  if (src == SQLITE_DONE)
    return qaErrSet(err, QA_EUSER, "run %lld not found in %s (see `qasim results`)", (long long)run_id,
                    st->path);
  return QA_OK;
}

int qaStoreBeginPricing(QaStore *st, int64_t run_id, const char *costs, QaErr *err) {
  int rc;
  if (!st || !st->db || !costs) return qaErrSet(err, QA_EINTERNAL, "qaStoreBeginPricing: NULL argument");
  if (st->run_open)
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreBeginPricing: run %lld is still open", st->path,
                    (long long)st->run_id);
  if (st->read_open)
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreBeginPricing: a read is open (qaStoreEndRead first)",
                    st->path);
  if ((rc = stepDone(st, st->stmt[S_BEGIN], err))) return rc;
  st->run_open = 1;
  st->run_id = run_id;
  if ((rc = runExists(st, run_id, err))) goto end;
  for (int k = 0; k < 2; k++) {
    int src = SQLITE_OK;
    sqlite3_stmt *s = st->stmt[k ? S_DELETE_RUN_ENERGY : S_DELETE_ENERGY];
    bindI64(s, ":run_id", run_id, &src);
    bindText(s, ":costs", costs, &src);
    if ((rc = qaStoreBindsDone(st, s, src, err))) goto end;
  }
end:
  if (rc) failRun(st);
  return rc;
}

/* Step S (binds done, SRC their status) for one text column: *found = 1 and the text into
** out[cap] if there is a row (NULL text: ""), else *found = 0. */
static int selectText(QaStore *st, sqlite3_stmt *s, int src, char *out, size_t cap, int *found, QaErr *err) {
  int rc = QA_OK;
  *found = 0;
  if (src != SQLITE_OK) return bindErr(st, err, src, s);
  src = sqlite3_step(s);
  if (src == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(s, 0);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
    *found = 1;
  } else if (src != SQLITE_DONE) {
    rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  }
  stmtDone(s);
  return rc;
}

int qaStoreCostLabel(QaStore *st, const QaCostIdentity *ci, char *out, size_t cap, QaErr *err) {
  int rc, found, src = SQLITE_OK;
  char label[QA_STORE_LABEL_MAX], other[80];
  const char *dram = ci->dram ? ci->dram : "";
  if (!st || !st->db || !ci || !ci->label || !ci->costs_id || !st->run_open)
    return qaErrSet(err, QA_EINTERNAL, "qaStoreCostLabel: no open transaction or no table");
  /* the label this content already has */
  sqlite3_stmt *s = st->stmt[S_COST_BY_ID];
  bindText(s, ":costs_id", ci->costs_id, &src);
  bindText(s, ":dram", dram, &src);
  if ((rc = selectText(st, s, src, out, cap, &found, err))) goto end;
  if (found) return QA_OK;
  /* the wanted label, unless another content (or an unknown one, before v7) has it */
  snprintf(label, sizeof label, "%s", ci->label);
  src = SQLITE_OK;
  s = st->stmt[S_COST_BY_LABEL];
  bindText(s, ":costs", label, &src);
  if ((rc = selectText(st, s, src, other, sizeof other, &found, err))) goto end;
  if (found) snprintf(label, sizeof label, "%s@%.8s", ci->label, ci->costs_id);
  src = SQLITE_OK;
  s = st->stmt[S_COST_INSERT];
  bindText(s, ":costs", label, &src);
  bindText(s, ":costs_id", ci->costs_id, &src);
  bindText(s, ":dram", dram, &src);
  bindText(s, ":name", ci->name ? ci->name : ci->label, &src);
  bindText(s, ":source", ci->source ? ci->source : "", &src);
  if ((rc = qaStoreBindsDone(st, s, src, err))) goto end;
  snprintf(out, cap, "%s", label);
end:
  if (rc) failRun(st);
  return rc;
}

int qaStoreBeginPricingTable(QaStore *st, int64_t run_id, const QaCostIdentity *ci, char *out, size_t cap,
                             QaErr *err) {
  int rc;
  if (!st || !st->db || !ci) return qaErrSet(err, QA_EINTERNAL, "qaStoreBeginPricingTable: NULL argument");
  if (st->run_open)
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreBeginPricingTable: run %lld is still open", st->path,
                    (long long)st->run_id);
  if (st->read_open)
    return qaErrSet(err, QA_EINTERNAL, "%s: qaStoreBeginPricingTable: a read is open (qaStoreEndRead first)",
                    st->path);
  if ((rc = stepDone(st, st->stmt[S_BEGIN], err))) return rc;
  st->run_open = 1;
  st->run_id = run_id;
  if ((rc = runExists(st, run_id, err)) || (rc = qaStoreCostLabel(st, ci, out, cap, err))) goto end;
  for (int k = 0; k < 2; k++) {
    int src = SQLITE_OK;
    sqlite3_stmt *s = st->stmt[k ? S_DELETE_RUN_ENERGY : S_DELETE_ENERGY];
    bindI64(s, ":run_id", run_id, &src);
    bindText(s, ":costs", out, &src);
    if ((rc = qaStoreBindsDone(st, s, src, err))) goto end;
  }
end:
  if (rc) failRun(st);
  return rc;
}

int qaStoreSetRunCosts(QaStore *st, int64_t run_id, const char *label, QaErr *err) {
  int rc, src = SQLITE_OK;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreSetRunCosts", err))) return rc;
  sqlite3_stmt *s = st->stmt[S_SET_RUN_COSTS];
  bindText(s, ":costs", label, &src);
  bindI64(s, ":run_id", run_id, &src);
  if ((rc = qaStoreBindsDone(st, s, src, err))) failRun(st);
  return rc;
}

int qaStoreRunIds(QaStore *st, int64_t **ids, int *n, QaErr *err) {
  int rc = QA_OK, cap = 0, src;
  *ids = NULL;
  *n = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreRunIds: no results store");
  sqlite3_stmt *s = st->stmt[S_RUN_IDS];
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 64;
      int64_t *g = realloc(*ids, (size_t)cap * sizeof *g);
      if (!g) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory listing the runs of %s", st->path);
        break;
      }
      *ids = g;
    }
    (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
  }
  if (!rc && src != SQLITE_DONE && src != SQLITE_ROW) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  stmtDone(s);
  if (rc) {
    free(*ids);
    *ids = NULL;
    *n = 0;
  }
  return rc;
}

int qaStoreFinishPricing(QaStore *st, int64_t run_id, QaErr *err) {
  int rc;
  if ((rc = qaStoreRunIsOpen(st, run_id, "qaStoreFinishPricing", err))) return rc;
  if ((rc = stepDone(st, st->stmt[S_COMMIT], err))) {
    failRun(st);
    return rc;
  }
  st->run_open = 0;
  st->run_id = 0;
  return QA_OK;
}

static void colCopy(char *dst, size_t cap, sqlite3_stmt *s, int col) {
  const unsigned char *t = sqlite3_column_text(s, col);
  snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

int qaStoreGetRun(QaStore *st, int64_t run_id, QaStoredRun *out, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK;
  memset(out, 0, sizeof *out);
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreGetRun: no results store");
  sqlite3_stmt *s = st->stmt[S_GET_RUN];
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) return bindErr(st, err, src, s);
  src = sqlite3_step(s);
  if (src == SQLITE_DONE) {
    rc = qaErrSet(err, QA_EUSER, "run %lld not found in %s (see `qasim results`)", (long long)run_id,
                  st->path);
  } else if (src != SQLITE_ROW) {
    rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  } else {
    out->run_id = run_id;
    colCopy(out->arch, sizeof out->arch, s, 0);
    const unsigned char *cfg = sqlite3_column_text(s, 1);
    if (cfg && strlen((const char *)cfg) >= sizeof out->arch_config)
      rc = qaErrSet(err, QA_EUSER, "run %lld in %s: its architecture config is too long (%zu bytes)",
                    (long long)run_id, st->path, strlen((const char *)cfg));
    else
      colCopy(out->arch_config, sizeof out->arch_config, s, 1);
    colCopy(out->workload, sizeof out->workload, s, 2);
    colCopy(out->workload_hash, sizeof out->workload_hash, s, 3);
    out->a_bits = sqlite3_column_int(s, 4);
    out->w_bits = sqlite3_column_int(s, 5);
    out->clock_mhz = sqlite3_column_double(s, 6);
    out->n_layers = sqlite3_column_int(s, 7);
    out->macs = sqlite3_column_int64(s, 8);
    out->n_cycles = sqlite3_column_int64(s, 9);
    colCopy(out->workload_source, sizeof out->workload_source, s, 10);
  }
  stmtDone(s);
  return rc;
}

/* An integer column that is NULL for "not meaningful" (-1). */
static int64_t colI64OrMinus1(sqlite3_stmt *s, int col) {
  return sqlite3_column_type(s, col) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, col);
}

int qaStoreGetLayers(QaStore *st, int64_t run_id, const QaArchDesc *arch, QaStoredLayer **layers,
                     int *n_layers, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK, n = 0, cap = 0;
  QaStoredLayer *ls = NULL;
  sqlite3_stmt *s = NULL;
  *layers = NULL;
  *n_layers = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreGetLayers: no results store");
  if ((rc = runExists(st, run_id, err))) return rc;

  s = st->stmt[S_GET_LAYERS];
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) return bindErr(st, err, src, s);
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (n == cap) {
      int ncap = cap ? 2 * cap : 16;
      QaStoredLayer *g = realloc(ls, (size_t)ncap * sizeof *g);
      if (!g) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading the layers of run %lld", (long long)run_id);
        goto end;
      }
      ls = g;
      cap = ncap;
    }
    QaStoredLayer *l = &ls[n++];
    memset(l, 0, sizeof *l);
    l->layer_idx = sqlite3_column_int(s, 0);
    colCopy(l->name, sizeof l->name, s, 1);
    l->n = sqlite3_column_int(s, 2);
    QaLayerStats *ps = &l->stats;
    ps->macs = sqlite3_column_int64(s, 3);
    ps->n_cycles = sqlite3_column_int64(s, 4);
    ps->n_compute_cycles = sqlite3_column_int64(s, 5);
    ps->n_stall_cycles = sqlite3_column_int64(s, 6);
    ps->n_steps = sqlite3_column_int64(s, 7);
    ps->pe_util = sqlite3_column_double(s, 8);
    ps->effectual_terms = colI64OrMinus1(s, 9);
    ps->outputs_verified = (int)colI64OrMinus1(s, 10);
    ps->n_mismatches = sqlite3_column_int64(s, 11);
    ps->acc_overflows = sqlite3_column_int64(s, 12);
    l->a_bits = sqlite3_column_int(s, 13);
    l->w_bits = sqlite3_column_int(s, 14);
  }
  if (src != SQLITE_DONE) {
    rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
    goto end;
  }
  stmtDone(s);

  s = NULL;
  if (!arch) goto end; /* the caller wants the counters only */
  s = st->stmt[S_GET_ACTIONS];
  src = SQLITE_OK;
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) {
    rc = bindErr(st, err, src, s);
    s = NULL;
    goto end;
  }
  int k = 0; /* layers and actions are both in layer order: walk them together */
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    int idx = sqlite3_column_int(s, 0);
    while (k < n && ls[k].layer_idx < idx) k++;
    if (k == n || ls[k].layer_idx != idx) continue; /* cannot happen: foreign key */
    char comp[64], act[32];
    colCopy(comp, sizeof comp, s, 1);
    colCopy(act, sizeof act, s, 2);
    int id = -1, kind = qaActKindParse(act);
    for (int i = 0; i < arch->n_comps; i++)
      if (!strcmp(arch->comps[i].name, comp)) id = i;
    if (id < 0 || kind < 0 || sqlite3_column_int(s, 3) || sqlite3_column_int(s, 4)) {
      rc =
          qaErrSet(err, QA_EUSER,
                   "run %lld in %s: layer %d has action '%s' of component '%s', which %s does not count (the "
                   "run was stored by an older qasim); run it again",
                   (long long)run_id, st->path, idx, act, comp, arch->name);
      goto end;
    }
    ls[k].stats.count[id][kind] += sqlite3_column_int64(s, 5);
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
end:
  if (s) stmtDone(s);
  if (rc) {
    free(ls);
    return rc;
  }
  *layers = ls;
  *n_layers = n;
  return QA_OK;
}

int qaStoreFindRunEnergy(QaStore *st, const char *arch, const char *workload, const char *workload_hash,
                         int a_bits, int w_bits, const char *costs, int64_t *run_id, double *energy_pj,
                         QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK;
  *run_id = 0;
  *energy_pj = 0;
  if (!st || !st->db) return qaErrSet(err, QA_EINTERNAL, "qaStoreFindRunEnergy: no results store");
  sqlite3_stmt *s = st->stmt[S_FIND_RUN_ENERGY];
  bindText(s, ":arch", arch, &src);
  bindText(s, ":workload", workload, &src);
  bindText(s, ":workload_hash", workload_hash, &src);
  bindI64(s, ":a_bits", a_bits, &src);
  bindI64(s, ":w_bits", w_bits, &src);
  bindText(s, ":costs", costs, &src);
  if (src != SQLITE_OK) return bindErr(st, err, src, s);
  src = sqlite3_step(s);
  if (src == SQLITE_ROW) {
    *run_id = sqlite3_column_int64(s, 0);
    *energy_pj = sqlite3_column_double(s, 1);
  } else if (src != SQLITE_DONE) {
    rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  }
  stmtDone(s);
  return rc;
}

/* ---- reading ---------------------------------------------------------------------- */

#define LIST_COLS 12
#define CELL_MAX 96

typedef struct ListRow {
  char cell[LIST_COLS][CELL_MAX];
} ListRow;

static void cellText(char *out, sqlite3_stmt *s, int col) {
  const unsigned char *t = sqlite3_column_text(s, col);
  snprintf(out, CELL_MAX, "%s", t ? (const char *)t : "-");
}

int qaStoreListRuns(QaStore *st, FILE *out, QaErr *err) {
  static const char *const head[LIST_COLS] = {"run",    "created_utc", "arch",     "workload",
                                              "a/w",    "quant_a",     "quant_w",  "timing",
                                              "layers", "Mcycles",     "verified", "sim MMAC/s"};
  static const int right[LIST_COLS] = {1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1};
  int rc = QA_OK, src;
  ListRow *rows = NULL;
  int n_rows = 0, cap = 0;
  int width[LIST_COLS];
  if (!st || !st->db || !out) return qaErrSet(err, QA_EINTERNAL, "qaStoreListRuns: NULL argument");
  sqlite3_stmt *s = st->stmt[S_LIST_RUNS];

  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    if (n_rows == cap) {
      int ncap = cap ? 2 * cap : 16;
      ListRow *nr = realloc(rows, (size_t)ncap * sizeof *nr);
      if (!nr) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory listing runs");
        goto end;
      }
      rows = nr;
      cap = ncap;
    }
    ListRow *r = &rows[n_rows++];
    cellText(r->cell[0], s, 0);
    cellText(r->cell[1], s, 1);
    cellText(r->cell[2], s, 2);
    cellText(r->cell[3], s, 3);
    snprintf(r->cell[4], CELL_MAX, "%d/%d", sqlite3_column_int(s, 4), sqlite3_column_int(s, 5));
    cellText(r->cell[5], s, 6);
    cellText(r->cell[6], s, 7);
    cellText(r->cell[7], s, 8);
    cellText(r->cell[8], s, 9);
    if (sqlite3_column_type(s, 10) == SQLITE_NULL)
      snprintf(r->cell[9], CELL_MAX, "-");
    else
      snprintf(r->cell[9], CELL_MAX, "%.3f", (double)sqlite3_column_int64(s, 10) / 1e6);
    snprintf(r->cell[10], CELL_MAX, "%s", sqlite3_column_int(s, 11) ? "yes" : "NO");
    if (sqlite3_column_type(s, 12) == SQLITE_NULL)
      snprintf(r->cell[11], CELL_MAX, "-");
    else
      snprintf(r->cell[11], CELL_MAX, "%.2f", sqlite3_column_double(s, 12) / 1e6);
  }
  if (src != SQLITE_DONE) {
    rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
    goto end;
  }
  if (n_rows == 0) {
    fprintf(out, "no runs in %s yet; make one with `qasim run ...`\n", st->path);
    goto end;
  }
  for (int c = 0; c < LIST_COLS; c++) {
    width[c] = (int)strlen(head[c]);
    for (int i = 0; i < n_rows; i++) {
      int w = (int)strlen(rows[i].cell[c]);
      if (w > width[c]) width[c] = w;
    }
  }
  for (int i = -1; i < n_rows; i++) {
    for (int c = 0; c < LIST_COLS; c++) {
      const char *t = i < 0 ? head[c] : rows[i].cell[c];
      int last = c == LIST_COLS - 1;
      if (right[c])
        fprintf(out, "%s%*s", c ? "  " : "", width[c], t);
      else if (last)
        fprintf(out, "%s%s", c ? "  " : "", t);
      else
        fprintf(out, "%s%-*s", c ? "  " : "", width[c], t);
    }
    fputc('\n', out);
  }
end:
  stmtDone(s);
  free(rows);
  if (!rc && ferror(out)) rc = qaErrSet(err, QA_EUSER, "cannot write the list of runs");
  return rc;
}

/* Write one CSV field: quoted (with doubled quotes) if it holds , " CR or LF. */
static void csvField(FILE *out, const char *t) {
  if (!t) return; /* NULL: empty field */
  if (!strpbrk(t, ",\"\r\n")) {
    fputs(t, out);
    return;
  }
  fputc('"', out);
  for (const char *p = t; *p; p++) {
    if (*p == '"') fputc('"', out);
    fputc(*p, out);
  }
  fputc('"', out);
}

int qaStoreExportCsv(QaStore *st, int64_t run_id, FILE *out, QaErr *err) {
  int rc = QA_OK, src = SQLITE_OK;
  if (!st || !st->db || !out) return qaErrSet(err, QA_EINTERNAL, "qaStoreExportCsv: NULL argument");

  sqlite3_stmt *s = st->stmt[S_RUN_EXISTS];
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) return bindErr(st, err, src, s);
  src = sqlite3_step(s);
  if (src != SQLITE_ROW && src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  stmtDone(s);
  if (rc) return rc;
  if (src == SQLITE_DONE)
    return qaErrSet(err, QA_EUSER, "run %lld not found in %s (see `qasim results`)", (long long)run_id,
                    st->path);

  s = st->stmt[S_EXPORT_LAYERS];
  src = SQLITE_OK;
  bindI64(s, ":run_id", run_id, &src);
  if (src != SQLITE_OK) return bindErr(st, err, src, s);
  int n_cols = sqlite3_column_count(s);
  for (int c = 0; c < n_cols; c++) {
    if (c) fputc(',', out);
    csvField(out, sqlite3_column_name(s, c));
  }
  fputc('\n', out);
  while ((src = sqlite3_step(s)) == SQLITE_ROW) {
    for (int c = 0; c < n_cols; c++) {
      if (c) fputc(',', out);
      csvField(out, (const char *)sqlite3_column_text(s, c));
    }
    fputc('\n', out);
  }
  if (src != SQLITE_DONE) rc = qaStoreSqlErr(st, err, src, sqlite3_sql(s));
  stmtDone(s);
  if (!rc && ferror(out)) rc = qaErrSet(err, QA_EUSER, "cannot write the CSV of run %lld", (long long)run_id);
  return rc;
}
