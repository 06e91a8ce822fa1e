/*
** test_store.c - the SQLite results store: round trip, CSV export, listing, schema
** versioning, bad files and crash safety (a child process that exits or is SIGKILLed
** mid-run leaves no trace of the run). Schema 2 (issue 4): the energy and run_energy
** tables, reading a run back for re-pricing, and the upgrade of a version-1 database.
** The rows are inspected through a connection of the test's own (tests/dbpeek.h): the
** store hands out no handle and runs no SQL but its own (issue 7).
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dbpeek.h"
#include "qatest.h"
#include "store/store.h"

/* ---- helpers ---------------------------------------------------------------------- */

static void dbPath(char *out, size_t n, const char *name) {
  snprintf(out, n, "%s/store_%s.db", QA_TEST_TMP, name);
}

/* Remove a database and its WAL/SHM side files. */
static void removeDb(const char *path) {
  char side[600];
  remove(path);
  snprintf(side, sizeof side, "%s-wal", path);
  remove(side);
  snprintf(side, sizeof side, "%s-shm", path);
  remove(side);
}

/* The committed rows of the database at path as text (tests/dbpeek.h). */
static const char *q(const char *path, const char *sql) { return peek(path, sql); }

static char *captureStart(FILE **f, size_t *len, char **buf) {
  *buf = NULL;
  *len = 0;
  *f = open_memstream(buf, len);
  return *buf;
}

/* ---- fixture ---------------------------------------------------------------------- */

static QaLayer conv1, fc;
static QaLayerStats conv1Stats, fcStats;
static QaLayerRecord conv1Rec, fcRec;
static QaRunInfo info;

/* Component id of dadiannao's component NAME (the runs here are dadiannao runs). */
static int compId(const char *name) {
  const QaArchDesc *d = NULL;
  CHECK(qaArchFind("dadiannao", &d, NULL) == QA_OK);
  for (int i = 0; d && i < d->n_comps; i++)
    if (!strcmp(d->comps[i].name, name)) return i;
  CHECK_MSG(0, "dadiannao has no component %s", name);
  return 0;
}
static QaRunTotals totals;
static const uint64_t kSeed = 0xFEDCBA9876543210ull; /* >= 2^63 */

static void setupFixture(void) {
  memset(&conv1, 0, sizeof conv1);
  snprintf(conv1.name, sizeof conv1.name, "conv1");
  conv1.kind = QA_LAYER_CONV;
  conv1.n = 1, conv1.c = 3, conv1.h = 32, conv1.w = 32, conv1.k = 16, conv1.r = 3, conv1.s = 3;
  conv1.stride_h = conv1.stride_w = 1, conv1.pad_h = conv1.pad_w = 1, conv1.groups = 1;

  memset(&fc, 0, sizeof fc);
  snprintf(fc.name, sizeof fc.name, "fc \"head\", final"); /* needs CSV quoting */
  fc.kind = QA_LAYER_FC;
  fc.n = 1, fc.c = 64, fc.h = fc.w = 1, fc.k = 10, fc.r = fc.s = 1;
  fc.stride_h = fc.stride_w = 1, fc.groups = 1;

  memset(&conv1Stats, 0, sizeof conv1Stats);
  conv1Stats.macs = 442368;
  conv1Stats.n_cycles = 1000, conv1Stats.n_compute_cycles = 900, conv1Stats.n_stall_cycles = 100;
  conv1Stats.n_steps = 50, conv1Stats.pe_util = 0.75, conv1Stats.effectual_terms = 12345;
  conv1Stats.outputs_verified = 1;
  qaCount(&conv1Stats, compId("mult"), QA_ACT_OP, 442368);
  qaCount(&conv1Stats, QA_C_SB, QA_ACT_READ_BITS, 3456);
  qaCount(&conv1Stats, QA_C_NBOUT, QA_ACT_WRITE_BITS, 16384);

  memset(&fcStats, 0, sizeof fcStats);
  fcStats.macs = 640, fcStats.n_cycles = 20, fcStats.n_compute_cycles = 20;
  fcStats.n_steps = 4, fcStats.pe_util = 0.5;
  fcStats.effectual_terms = -1, fcStats.outputs_verified = -1, fcStats.acc_overflows = 3;
  qaCount(&fcStats, compId("mult"), QA_ACT_OP, 640);
  qaCount(&fcStats, QA_C_DRAM, QA_ACT_READ_BITS, 1280);

  conv1Rec = (QaLayerRecord){.layer_idx = 0,
                             .layer = &conv1,
                             .a_bits = 8,
                             .w_bits = 8,
                             .a_sqnr_db = 40.5,
                             .w_sqnr_db = 38.25,
                             .values = "synthetic",
                             .stats = &conv1Stats};
  fcRec = (QaLayerRecord){.layer_idx = 1,
                          .layer = &fc,
                          .a_bits = 4,
                          .w_bits = 2,
                          .a_sqnr_db = 20.0,
                          .w_sqnr_db = 10.125,
                          .values = "trace",
                          .stats = &fcStats};

  info = (QaRunInfo){.tool_version = "v0.1-test",
                     .arch = "dadiannao",
                     .arch_config = "arch: dadiannao\ntiles: 16\n",
                     .arch_config_hash = "0123456789abcdef",
                     .workload = "tinynet",
                     .workload_source = "builtin",
                     .workload_hash = "fedcba9876543210",
                     .a_bits = 8,
                     .w_bits = 8,
                     .quant_a = "uniform",
                     .quant_w = "uniform",
                     .encoder = "",
                     .seed = kSeed,
                     .timing = "lt",
                     .clock_mhz = 1000.0,
                     .command_line = "qasim run --arch dadiannao tinynet"};
  totals = (QaRunTotals){.macs = 443008,
                         .n_cycles = 1020,
                         .n_stall_cycles = 100,
                         .time_s = 1.02e-6,
                         .wall_s = 0.5,
                         .sim_macs_per_s = 886016.0,
                         .all_verified = 1};
}

/* Write the fixture run (layers added out of order); returns its id or -1. */
static int64_t writeRun(QaStore *st) {
  QaErr err = {0};
  int64_t id = -1;
  int rc = qaStoreBeginRun(st, &info, &id, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  if (rc) return -1;
  rc = qaStoreAddLayer(st, id, &fcRec, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  rc = qaStoreAddLayer(st, id, &conv1Rec, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  rc = qaStoreFinishRun(st, id, &totals, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  return rc ? -1 : id;
}

static const char kGoldenCsv[] =
    "run_id,layer_idx,name,kind,n,c,h,w,k,r,s,stride_h,stride_w,pad_h,pad_w,groups,out_h,out_w,"
    "a_bits,w_bits,a_sqnr_db,w_sqnr_db,values_src,macs,n_cycles,n_compute_cycles,n_stall_cycles,"
    "n_steps,pe_util,effectual_terms,outputs_verified,n_mismatches,acc_overflows,quant_a,quant_w,"
    "out_sqnr_db\n"
    "1,0,conv1,conv,1,3,32,32,16,3,3,1,1,1,1,1,32,32,8,8,40.5,38.25,synthetic,442368,1000,900,"
    "100,50,0.75,12345,1,0,0,,,\n"
    "1,1,\"fc \"\"head\"\", final\",fc,1,64,1,1,10,1,1,1,1,0,0,1,1,1,4,2,20.0,10.125,trace,640,"
    "20,20,0,4,0.5,,,0,3,,,\n";

/* ---- tests ------------------------------------------------------------------------ */

static void testRoundTrip(void) {
  char path[512];
  QaStore *st = NULL;
  QaErr err = {0};
  dbPath(path, sizeof path, "roundtrip");
  removeDb(path);

  /* An empty store says so and how to make a run. */
  int rc = qaStoreOpen(path, &st, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  if (rc) return;
  {
    FILE *f;
    size_t len;
    char *buf;
    captureStart(&f, &len, &buf);
    CHECK(qaStoreListRuns(st, f, &err) == QA_OK);
    fclose(f);
    CHECK_MSG(strstr(buf, "no runs") && strstr(buf, "qasim run"), "%s", buf);
    free(buf);
  }

  int64_t id = writeRun(st);
  CHECK_EQ_I64(id, 1);

  /* run row */
  CHECK(!strcmp(q(path,
                  "SELECT arch, workload, workload_source, a_bits, w_bits, quant_a, quant_w,"
                  " encoder, timing, clock_mhz, n_layers, macs, n_cycles, n_stall_cycles,"
                  " all_verified, tool_version, command_line FROM run"),
                "dadiannao|tinynet|builtin|8|8|uniform|uniform||lt|1000.0|2|443008|1020|100|1|"
                "v0.1-test|qasim run --arch dadiannao tinynet\n"));
  CHECK(!strcmp(q(path, "SELECT arch_config, arch_config_hash, workload_hash FROM run"),
                "arch: dadiannao\ntiles: 16\n|0123456789abcdef|fedcba9876543210\n"));
  CHECK(!strcmp(q(path, "SELECT time_s, wall_s, sim_macs_per_s FROM run"), "1.02e-06|0.5|886016.0\n"));

  /* seed: the uint64 bit pattern survives */
  {
    const char *t = q(path, "SELECT seed, printf('%llu', seed) FROM run");
    long long v = strtoll(t, NULL, 10);
    uint64_t back;
    int64_t v64 = (int64_t)v;
    memcpy(&back, &v64, sizeof back);
    CHECK_MSG(back == kSeed, "%s", t);
    CHECK_MSG(v < 0, "%s", t);
    CHECK_MSG(strstr(t, "|18364758544493064720\n") != NULL, "%s", t);
  }
  /* created_utc is ISO-8601 UTC */
  {
    const char *t = q(path, "SELECT created_utc FROM run");
    CHECK_MSG(strlen(t) == 21 && t[4] == '-' && t[10] == 'T' && t[19] == 'Z', "%s", t);
  }

  /* layer rows, including derived columns and NULL for -1 */
  CHECK(!strcmp(q(path,
                  "SELECT layer_idx, name, kind, out_h, out_w, a_bits, w_bits, a_sqnr_db,"
                  " values_src, pe_util, effectual_terms, outputs_verified, acc_overflows"
                  " FROM layer ORDER BY layer_idx"),
                "0|conv1|conv|32|32|8|8|40.5|synthetic|0.75|12345|1|0\n"
                "1|fc \"head\", final|fc|1|1|4|2|20.0|trace|0.5|NULL|NULL|3\n"));
  CHECK(!strcmp(q(path,
                  "SELECT count(*) FROM layer WHERE effectual_terms IS NULL"
                  " AND outputs_verified IS NULL"),
                "1\n"));
  /* conv and fc totals apart (view run_part): each part is its layers' sums */
  CHECK(!strcmp(q(path,
                  "SELECT p.part, p.n_layers, p.macs = sum(l.macs), p.n_cycles = sum(l.n_cycles)"
                  " FROM run_part p JOIN layer l ON l.run_id = p.run_id AND (l.kind = 'fc') = (p.part = 'fc')"
                  " GROUP BY p.part ORDER BY p.part"),
                "conv|1|1|1\nfc|1|1|1\n"));

  /* action rows */
  CHECK(!strcmp(q(path,
                  "SELECT layer_idx, component, action, a_bits, w_bits, count FROM action"
                  " ORDER BY layer_idx, component, action"),
                "0|mult|op|0|0|442368\n"
                "0|nbout|write_bits|0|0|16384\n"
                "0|sb|read_bits|0|0|3456\n"
                "1|dram|read_bits|0|0|1280\n"
                "1|mult|op|0|0|640\n"));

  /* CSV export: golden text */
  {
    FILE *f;
    size_t len;
    char *buf;
    captureStart(&f, &len, &buf);
    rc = qaStoreExportCsv(st, id, f, &err);
    fclose(f);
    CHECK_MSG(rc == QA_OK, "%s", err.msg);
    CHECK_MSG(!strcmp(buf, kGoldenCsv), "got:\n%s\nwant:\n%s", buf, kGoldenCsv);
    free(buf);
  }
  /* Unknown run */
  {
    FILE *f;
    size_t len;
    char *buf;
    char want[700];
    captureStart(&f, &len, &buf);
    rc = qaStoreExportCsv(st, 42, f, &err);
    fclose(f);
    CHECK_EQ_I64(rc, QA_EUSER);
    snprintf(want, sizeof want, "run 42 not found in %s (see `qasim results`)", path);
    CHECK_MSG(!strcmp(err.msg, want), "%s", err.msg);
    CHECK_EQ_I64(len, 0);
    free(buf);
  }

  /* List runs */
  {
    FILE *f;
    size_t len;
    char *buf;
    captureStart(&f, &len, &buf);
    rc = qaStoreListRuns(st, f, &err);
    fclose(f);
    CHECK_MSG(rc == QA_OK, "%s", err.msg);
    CHECK_MSG(strstr(buf, "Mcycles") && strstr(buf, "dadiannao") && strstr(buf, "tinynet") &&
                  strstr(buf, "8/8") && strstr(buf, "yes") && strstr(buf, "0.001") && strstr(buf, "0.89"),
              "%s", buf);
    /* two lines (header + run), aligned: every line the same position for "workload" */
    char *nl = strchr(buf, '\n');
    CHECK(nl && strchr(nl + 1, '\n') && !strchr(strchr(nl + 1, '\n') + 1, '\n'));
    if (nl) CHECK_EQ_I64(strstr(buf, "workload") - buf, strstr(nl + 1, "tinynet") - (nl + 1));
    free(buf);
  }

  /* A second run with a failed layer and one not verified: listing shows NO */
  {
    QaRunTotals t2 = totals;
    t2.all_verified = 0;
    int64_t id2 = -1;
    CHECK(qaStoreBeginRun(st, &info, &id2, &err) == QA_OK);
    CHECK(qaStoreAddLayer(st, id2, &conv1Rec, &err) == QA_OK);
    CHECK(qaStoreFinishRun(st, id2, &t2, &err) == QA_OK);
    CHECK_EQ_I64(id2, 2);
    FILE *f;
    size_t len;
    char *buf;
    captureStart(&f, &len, &buf);
    CHECK(qaStoreListRuns(st, f, &err) == QA_OK);
    fclose(f);
    CHECK_MSG(strstr(buf, "NO") != NULL, "%s", buf);
    free(buf);
    CHECK(
        !strcmp(q(path, "SELECT run_id, n_layers, all_verified FROM run ORDER BY run_id"), "1|2|1\n2|1|0\n"));
  }
  qaStoreClose(st);

  /* Reopen: data kept, schema version current */
  st = NULL;
  rc = qaStoreOpen(path, &st, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  if (rc) return;
  CHECK_EQ_I64(atoi(q(path, "PRAGMA user_version")), QA_STORE_SCHEMA_VERSION);
  CHECK(!strcmp(q(path, "PRAGMA journal_mode"), "wal\n")); /* persistent: any connection sees it */
  /* foreign_keys is a setting of the store's own connection: testEnergyTables checks that
  ** it is on (a row breaking a foreign key fails and rolls its run back). */
  /* the schema keeps its column types and comments */
  CHECK(strstr(q(path, "PRAGMA table_info(layer)"), "|pe_util|REAL|") != NULL);
  CHECK(strstr(q(path, "SELECT sql FROM sqlite_master WHERE name = 'run'"), "2^64") != NULL);
  CHECK(!strcmp(q(path,
                  "SELECT count(*) FROM run; SELECT count(*) FROM layer;"
                  " SELECT count(*) FROM action"),
                "2\n3\n8\n"));
  {
    FILE *f;
    size_t len;
    char *buf;
    captureStart(&f, &len, &buf);
    CHECK(qaStoreExportCsv(st, 1, f, &err) == QA_OK);
    fclose(f);
    CHECK(!strcmp(buf, kGoldenCsv));
    free(buf);
  }
  qaStoreClose(st);
  qaStoreClose(NULL);
}

static void testTransactions(void) {
  char path[512];
  QaStore *st = NULL;
  QaErr err = {0};
  int64_t id = -1;
  dbPath(path, sizeof path, "tx");
  removeDb(path);
  if (qaStoreOpen(path, &st, &err) != QA_OK) {
    CHECK_MSG(0, "%s", err.msg);
    return;
  }
  /* AddLayer / Finish without an open run */
  CHECK_EQ_I64(qaStoreAddLayer(st, 1, &conv1Rec, &err), QA_EINTERNAL);
  CHECK_MSG(strstr(err.msg, "no run is open") != NULL, "%s", err.msg);
  CHECK_EQ_I64(qaStoreFinishRun(st, 1, &totals, &err), QA_EINTERNAL);
  qaStoreAbortRun(st); /* no-op */

  /* Abort rolls back */
  CHECK(qaStoreBeginRun(st, &info, &id, &err) == QA_OK);
  CHECK(qaStoreAddLayer(st, id, &conv1Rec, &err) == QA_OK);
  /* another connection does not see the open run */
  CHECK(!strcmp(q(path, "SELECT count(*) FROM run"), "0\n"));
  { /* the store's own transaction sees it */
    QaStoredLayer *ls = NULL;
    int n = 0;
    CHECK_MSG(qaStoreGetLayers(st, id, NULL, &ls, &n, &err) == QA_OK, "%s", err.msg);
    CHECK_EQ_I64(n, 1);
    free(ls);
  }
  qaStoreAbortRun(st);
  CHECK(!strcmp(q(path,
                  "SELECT count(*) FROM run; SELECT count(*) FROM layer;"
                  " SELECT count(*) FROM action"),
                "0\n0\n0\n"));
  CHECK_EQ_I64(qaStoreAddLayer(st, id, &conv1Rec, &err), QA_EINTERNAL);

  /* Begin twice is a bug */
  CHECK(qaStoreBeginRun(st, &info, &id, &err) == QA_OK);
  int64_t id2;
  CHECK_EQ_I64(qaStoreBeginRun(st, &info, &id2, &err), QA_EINTERNAL);
  /* Wrong run id is a bug */
  CHECK_EQ_I64(qaStoreAddLayer(st, id + 5, &conv1Rec, &err), QA_EINTERNAL);
  /* An SQL error (duplicate layer) names the SQL and rolls the whole run back */
  CHECK(qaStoreAddLayer(st, id, &conv1Rec, &err) == QA_OK);
  err = (QaErr){0};
  CHECK_EQ_I64(qaStoreAddLayer(st, id, &conv1Rec, &err), QA_EINTERNAL);
  CHECK_MSG(strstr(err.msg, "INSERT INTO layer(") && strstr(err.msg, "UNIQUE constraint failed") &&
                strstr(err.msg, path),
            "%s", err.msg);
  CHECK(!strchr(err.msg, '\n'));
  CHECK(!strcmp(q(path, "SELECT count(*) FROM run; SELECT count(*) FROM layer"), "0\n0\n"));
  CHECK_EQ_I64(qaStoreFinishRun(st, id, &totals, &err), QA_EINTERNAL);

  /* Close rolls back an open run */
  CHECK(qaStoreBeginRun(st, &info, &id, &err) == QA_OK);
  CHECK(qaStoreAddLayer(st, id, &conv1Rec, &err) == QA_OK);
  qaStoreClose(st);
  st = NULL;
  CHECK(qaStoreOpen(path, &st, &err) == QA_OK);
  if (!st) return;
  CHECK(!strcmp(q(path, "SELECT count(*) FROM run; SELECT count(*) FROM layer"), "0\n0\n"));
  /* and a complete run still works */
  CHECK(writeRun(st) > 0);
  CHECK(!strcmp(q(path, "SELECT count(*) FROM run; SELECT count(*) FROM layer"), "1\n2\n"));
  qaStoreClose(st);
}

static void testBadFiles(void) {
  char path[512], want[700];
  QaStore *st = NULL;
  QaErr err = {0};

  /* Newer schema version */
  dbPath(path, sizeof path, "newer");
  removeDb(path);
  {
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "PRAGMA user_version = 9", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
  }
  CHECK_EQ_I64(qaStoreOpen(path, &st, &err), QA_EUSER);
  CHECK(st == NULL);
  snprintf(want, sizeof want,
           "%s: results database schema version 9 is newer than this qasim (%d); upgrade qasim "
           "or use another --db",
           path, QA_STORE_SCHEMA_VERSION);
  CHECK_MSG(!strcmp(err.msg, want), "%s", err.msg);

  /* Not an SQLite file */
  dbPath(path, sizeof path, "notdb");
  removeDb(path);
  {
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
      for (int i = 0; i < 100; i++) fprintf(f, "layer,%d,conv,not a database\n", i);
      fclose(f);
    }
  }
  err = (QaErr){0};
  CHECK_EQ_I64(qaStoreOpen(path, &st, &err), QA_EUSER);
  CHECK(st == NULL);
  CHECK_MSG(strstr(err.msg, path) && strstr(err.msg, "not an SQLite database"), "%s", err.msg);

  /* Missing directories are created, mkdir -p (issue 7) */
  snprintf(path, sizeof path, "%s/store_new_dir/a/b/results.db", QA_TEST_TMP);
  {
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s/store_new_dir'", QA_TEST_TMP);
    CHECK(system(cmd) == 0);
  }
  err = (QaErr){0};
  CHECK_EQ_I64(qaStoreOpen(path, &st, &err), QA_OK);
  CHECK(st != NULL);
  qaStoreClose(st);
  st = NULL;
  CHECK(access(path, F_OK) == 0);

  /* A parent that is a file: the message names the path and the file */
  char file_path[600];
  snprintf(file_path, sizeof file_path, "%s/store_plain_file", QA_TEST_TMP);
  {
    FILE *f = fopen(file_path, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
  }
  snprintf(path, sizeof path, "%s/store_plain_file/sub/results.db", QA_TEST_TMP);
  err = (QaErr){0};
  CHECK_EQ_I64(qaStoreOpen(path, &st, &err), QA_EUSER);
  CHECK(st == NULL);
  CHECK_MSG(strstr(err.msg, path) && strstr(err.msg, "store_plain_file is not a directory"), "%s", err.msg);

  /* Empty path */
  err = (QaErr){0};
  CHECK_EQ_I64(qaStoreOpen("", &st, &err), QA_EUSER);
}

/* Child: open, begin, add layers, then either _exit(0) (how == 0) or tell the parent and
** wait to be killed (how == 1). Exit codes other than 0 mean the child failed early. */
static void crashChild(const char *path, int how, int wfd) {
  QaStore *st = NULL;
  QaErr err = {0};
  int64_t id;
  if (qaStoreOpen(path, &st, &err) != QA_OK) _exit(3);
  if (qaStoreBeginRun(st, &info, &id, &err) != QA_OK) _exit(4);
  /* how == 1: more layers than the default page cache (2 MiB) holds, so SQLite spills
  ** uncommitted pages into the WAL before the kill. */
  int n = how == 1 ? 20000 : 1;
  for (int i = 0; i < n; i++) {
    QaLayerRecord rec = conv1Rec;
    rec.layer_idx = i;
    if (qaStoreAddLayer(st, id, &rec, &err) != QA_OK) _exit(5);
  }
  if (how == 0) _exit(0);
  if (write(wfd, "R", 1) != 1) _exit(6);
  for (;;) pause();
}

static void testCrashSafety(void) {
  char path[512], wal[600];
  QaStore *st = NULL;
  QaErr err = {0};
  dbPath(path, sizeof path, "crash");
  removeDb(path);
  snprintf(wal, sizeof wal, "%s-wal", path);
  /* create the schema first, with one committed run */
  CHECK(qaStoreOpen(path, &st, &err) == QA_OK);
  if (!st) return;
  CHECK(writeRun(st) == 1);
  qaStoreClose(st);
  st = NULL;
  fflush(NULL);

  /* 1: child exits without finishing */
  pid_t pid = fork();
  if (pid == 0) crashChild(path, 0, -1);
  CHECK(pid > 0);
  int status = 0;
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);

  /* 2: child SIGKILLed mid-run, after spilling uncommitted pages into the WAL */
  int fds[2];
  CHECK(pipe(fds) == 0);
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    crashChild(path, 1, fds[1]);
  }
  close(fds[1]);
  char c = 0;
  ssize_t got = read(fds[0], &c, 1);
  close(fds[0]);
  CHECK_MSG(got == 1 && c == 'R', "child did not reach the middle of its run");
  struct stat sb;
  CHECK(stat(wal, &sb) == 0 && sb.st_size > 0); /* uncommitted frames on disk */
  kill(pid, SIGKILL);
  CHECK(waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  /* Reopen: only the committed run is there */
  CHECK(qaStoreOpen(path, &st, &err) == QA_OK);
  if (!st) return;
  CHECK(!strcmp(q(path,
                  "SELECT count(*) FROM run; SELECT count(*) FROM layer;"
                  " SELECT count(*) FROM action; SELECT max(run_id) FROM run"),
                "1\n2\n5\n1\n"));
  CHECK(!strcmp(q(path, "PRAGMA integrity_check"), "ok\n"));
  CHECK(!strcmp(q(path,
                  "SELECT count(*) FROM layer WHERE run_id <> 1;"
                  " SELECT count(*) FROM action WHERE run_id <> 1"),
                "0\n0\n"));
  /* a later complete run commits fine */
  CHECK_EQ_I64(writeRun(st), 2);
  qaStoreClose(st);
  st = NULL;
  CHECK(qaStoreOpen(path, &st, &err) == QA_OK);
  if (!st) return;
  CHECK(!strcmp(q(path, "SELECT run_id, n_layers FROM run ORDER BY run_id"), "1|2\n2|2\n"));
  qaStoreClose(st);
}

/* ---- schema 2: energy ------------------------------------------------------------- */

static void testEnergyTables(void) {
  char path[512];
  QaStore *st = NULL;
  QaErr err = {0};
  int64_t id = -1;
  dbPath(path, sizeof path, "energy");
  removeDb(path);
  if (qaStoreOpen(path, &st, &err) != QA_OK) {
    CHECK_MSG(0, "%s", err.msg);
    return;
  }
  CHECK_EQ_I64(atoi(q(path, "PRAGMA user_version")), QA_STORE_SCHEMA_VERSION);
  CHECK(strstr(q(path, "PRAGMA table_info(energy)"), "|energy_pj|REAL|") != NULL);
  CHECK(strstr(q(path, "PRAGMA table_info(energy)"), "|status|TEXT|") != NULL);
  CHECK(strstr(q(path, "PRAGMA table_info(run_energy)"), "|weak_pj|REAL|") != NULL);
  CHECK(strstr(q(path, "PRAGMA table_info(run_energy)"), "|pj_per_mac|REAL|") != NULL);

  /* Energy rows go in the run's transaction. */
  CHECK_EQ_I64(qaStoreAddEnergy(st, 1, 0, "h", "mult", 1.0, &err), QA_EINTERNAL);
  CHECK(strstr(err.msg, "no run is open") != NULL);
  CHECK(qaStoreBeginRun(st, &info, &id, &err) == QA_OK);
  CHECK(qaStoreAddLayer(st, id, &conv1Rec, &err) == QA_OK);
  CHECK(qaStoreAddLayer(st, id, &fcRec, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 0, "h", "mult", 1.5, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 0, "h", "sb", 2.25, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 1, "h", "mult", 0.5, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 1, "h", "mult", 0.75, &err) == QA_OK); /* replaces */
  QaRunEnergyRecord rec = {"h", 4.5, 0.0, 4.5 / 443008, 4.5, 67.5};
  CHECK(qaStoreSetRunEnergy(st, id, &rec, &err) == QA_OK);
  CHECK(qaStoreFinishRun(st, id, &totals, &err) == QA_OK);
  CHECK(!strcmp(q(path,
                  "SELECT layer_idx, costs, component, energy_pj FROM energy"
                  " ORDER BY layer_idx, component"),
                "0|h|mult|1.5\n0|h|sb|2.25\n1|h|mult|0.75\n"));
  CHECK(!strcmp(q(path,
                  "SELECT costs, energy_pj, static_pj, area_mm2, priced_utc IS NOT NULL"
                  " FROM run_energy"),
                "h|4.5|0.0|67.5|1\n"));
  /* A row for a layer the run does not have violates the foreign key: the run is rolled back. */
  int64_t id2 = -1;
  CHECK(qaStoreBeginRun(st, &info, &id2, &err) == QA_OK);
  CHECK(qaStoreAddLayer(st, id2, &conv1Rec, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id2, 5, "h", "mult", 1.0, &err) != QA_OK);
  CHECK_MSG(
      strstr(err.msg, "INSERT OR REPLACE INTO energy") && strstr(err.msg, "FOREIGN KEY constraint failed"),
      "%s", err.msg);                                                   /* foreign keys are on */
  CHECK_EQ_I64(qaStoreFinishRun(st, id2, &totals, &err), QA_EINTERNAL); /* no run open */
  CHECK(!strcmp(q(path, "SELECT count(*) FROM run"), "1\n"));

  /* Reading a run back, as re-pricing does. */
  QaStoredRun run;
  CHECK(qaStoreGetRun(st, id, &run, &err) == QA_OK);
  CHECK(!strcmp(run.arch, info.arch) && !strcmp(run.arch_config, info.arch_config) &&
        !strcmp(run.workload, info.workload) && !strcmp(run.workload_hash, info.workload_hash) &&
        !strcmp(run.workload_source, info.workload_source));
  CHECK(run.a_bits == info.a_bits && run.w_bits == info.w_bits && run.clock_mhz == info.clock_mhz &&
        run.n_layers == 2 && run.macs == totals.macs);
  CHECK_EQ_I64(qaStoreGetRun(st, 42, &run, &err), QA_EUSER);
  CHECK(strstr(err.msg, "run 42 not found") != NULL);
  QaStoredLayer *ls = NULL;
  int n = 0;
  const QaArchDesc *ddn = NULL;
  CHECK(qaArchFind("dadiannao", &ddn, &err) == QA_OK);
  CHECK(qaStoreGetLayers(st, id, ddn, &ls, &n, &err) == QA_OK);
  CHECK_EQ_I64(n, 2);
  if (n == 2) {
    CHECK(ls[0].layer_idx == 0 && !strcmp(ls[0].name, "conv1") && ls[0].n == 1);
    CHECK(ls[1].layer_idx == 1 && ls[1].stats.effectual_terms == -1 && ls[1].stats.outputs_verified == -1 &&
          ls[1].stats.acc_overflows == 3);
    const QaLayerStats *a = &ls[0].stats, *b = &conv1Stats;
    CHECK(a->macs == b->macs && a->n_cycles == b->n_cycles && a->n_stall_cycles == b->n_stall_cycles &&
          a->n_compute_cycles == b->n_compute_cycles && a->n_steps == b->n_steps &&
          a->pe_util == b->pe_util && a->effectual_terms == b->effectual_terms);
    CHECK(!memcmp(a->count, b->count, sizeof a->count));
    CHECK(!memcmp(ls[1].stats.count, fcStats.count, sizeof fcStats.count));
    CHECK(ls[0].a_bits == 8 && ls[0].w_bits == 8);
  }
  free(ls);
  CHECK_EQ_I64(qaStoreGetLayers(st, 42, ddn, &ls, &n, &err), QA_EUSER);
  CHECK(ls == NULL && n == 0);

  /* Re-pricing: its own transaction replaces the rows of one label. */
  CHECK_EQ_I64(qaStoreBeginPricing(st, 42, "h", &err), QA_EUSER);
  CHECK(strstr(err.msg, "run 42 not found") != NULL);
  CHECK(qaStoreBeginPricing(st, id, "h", &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 0, "h", "mult", 9.0, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 0, "other", "mult", 1.0, &err) == QA_OK);
  rec.energy_pj = 9.0;
  CHECK(qaStoreSetRunEnergy(st, id, &rec, &err) == QA_OK);
  CHECK(qaStoreFinishPricing(st, id, &err) == QA_OK);
  CHECK(!strcmp(q(path,
                  "SELECT layer_idx, costs, component, energy_pj FROM energy"
                  " ORDER BY costs, layer_idx, component"),
                "0|h|mult|9.0\n0|other|mult|1.0\n"));
  /* an aborted pricing leaves the rows as they were */
  CHECK(qaStoreBeginPricing(st, id, "h", &err) == QA_OK);
  qaStoreAbortRun(st);
  CHECK(!strcmp(q(path, "SELECT count(*) FROM energy WHERE costs = 'h'"), "1\n"));

  /* Finding a priced run */
  int64_t found = -1;
  double pj = 0;
  CHECK(qaStoreFindRunEnergy(st, info.arch, info.workload, info.workload_hash, info.a_bits, info.w_bits, "h",
                             &found, &pj, &err) == QA_OK);
  CHECK(found == id && pj == 9.0);
  CHECK(qaStoreFindRunEnergy(st, info.arch, info.workload, info.workload_hash, info.a_bits + 1, info.w_bits,
                             "h", &found, &pj, &err) == QA_OK);
  CHECK(found == 0);
  CHECK(qaStoreFindRunEnergy(st, "stripes", info.workload, info.workload_hash, info.a_bits, info.w_bits, "h",
                             &found, &pj, &err) == QA_OK);
  CHECK(found == 0);
  qaStoreClose(st);
}

/* ---- reading for reports (issue 7) ----------------------------------------------- */

/* The newest finished run per configuration, energy summed per component, and the read
** snapshot: what reports/ reads instead of running its own SQL. */
static void testReportQueries(void) {
  char path[512];
  QaStore *st = NULL, *other = NULL;
  QaErr err = {0};
  int64_t id = -1;
  dbPath(path, sizeof path, "reportq");
  removeDb(path);
  if (qaStoreOpen(path, &st, &err) != QA_OK || qaStoreOpen(path, &other, &err) != QA_OK) {
    CHECK_MSG(0, "%s", err.msg);
    qaStoreClose(st);
    return;
  }
  QaRunConfig *runs = NULL;
  int n = -1;
  CHECK(qaStoreNewestRuns(st, &runs, &n, &err) == QA_OK && n == 0 && runs == NULL);

  /* runs 1..4: 1 superseded by 3 (same config); 2 another timing; 4 with NULL quantizers */
  CHECK_EQ_I64(writeRun(st), 1);
  QaRunInfo cyc = info;
  cyc.timing = "cycle";
  CHECK(qaStoreBeginRun(st, &cyc, &id, &err) == QA_OK && qaStoreAddLayer(st, id, &conv1Rec, &err) == QA_OK &&
        qaStoreFinishRun(st, id, &totals, &err) == QA_OK);
  CHECK_EQ_I64(writeRun(st), 3);
  QaRunInfo noq = info;
  noq.quant_a = noq.quant_w = NULL;
  CHECK(qaStoreBeginRun(st, &noq, &id, &err) == QA_OK && qaStoreAddLayer(st, id, &conv1Rec, &err) == QA_OK &&
        qaStoreFinishRun(st, id, &totals, &err) == QA_OK);
  /* run 5 is open: this handle sees its rows, but it is not finished */
  CHECK(qaStoreBeginRun(st, &info, &id, &err) == QA_OK && qaStoreAddLayer(st, id, &conv1Rec, &err) == QA_OK);
  CHECK_MSG(qaStoreNewestRuns(st, &runs, &n, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(n, 3);
  if (n == 3) {
    CHECK(runs[0].run_id == 2 && !strcmp(runs[0].timing, "cycle"));
    CHECK(runs[1].run_id == 3 && !strcmp(runs[1].arch, "dadiannao") && !strcmp(runs[1].workload, "tinynet") &&
          runs[1].a_bits == 8 && runs[1].w_bits == 8 && !strcmp(runs[1].quant_a, "uniform") &&
          !strcmp(runs[1].quant_w, "uniform") && !strcmp(runs[1].timing, "lt") &&
          runs[1].n_cycles == totals.n_cycles);
    CHECK(runs[2].run_id == 4 && !strcmp(runs[2].quant_a, "") && !strcmp(runs[2].quant_w, ""));
  }
  qaStoreFreeRuns(runs, n);
  qaStoreFreeRuns(NULL, 0);
  qaStoreAbortRun(st);

  /* energy: summed over layers per (costs, run, component), ordered by costs, component,
  ** run; a NaN is stored as NULL and counts as no value */
  CHECK(qaStoreBeginRun(st, &info, &id, &err) == QA_OK && qaStoreAddLayer(st, id, &conv1Rec, &err) == QA_OK &&
        qaStoreAddLayer(st, id, &fcRec, &err) == QA_OK);
  CHECK_EQ_I64(id, 5);
  CHECK(qaStoreAddEnergy(st, id, 0, "b", "sb", 1.5, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 1, "b", "sb", 2.25, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 0, "b", "mult", NAN, &err) == QA_OK);
  CHECK(qaStoreAddEnergy(st, id, 0, "a", "mult", 4.0, &err) == QA_OK);
  CHECK(qaStoreFinishRun(st, id, &totals, &err) == QA_OK);
  CHECK(qaStoreBeginPricing(st, 3, "b", &err) == QA_OK &&
        qaStoreAddEnergy(st, 3, 0, "b", "sb", 8.0, &err) == QA_OK &&
        qaStoreFinishPricing(st, 3, &err) == QA_OK);
  QaComponentEnergy *e = NULL;
  CHECK_MSG(qaStoreComponentEnergy(st, &e, &n, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(n, 4);
  if (n == 4) {
    CHECK(!strcmp(e[0].costs, "a") && e[0].run_id == 5 && !strcmp(e[0].component, "mult") &&
          e[0].energy_pj == 4.0 && e[0].n_values == 1);
    CHECK(!strcmp(e[1].costs, "b") && e[1].run_id == 5 && !strcmp(e[1].component, "mult") &&
          e[1].n_values == 0);
    CHECK(!strcmp(e[2].costs, "b") && e[2].run_id == 3 && !strcmp(e[2].component, "sb") &&
          e[2].energy_pj == 8.0 && e[2].n_values == 1);
    CHECK(e[3].run_id == 5 && !strcmp(e[3].component, "sb") && e[3].energy_pj == 3.75 && e[3].n_values == 2);
  }
  qaStoreFreeComponentEnergy(e, n);
  qaStoreFreeComponentEnergy(NULL, 0);

  /* the read snapshot: another process's commit is invisible until qaStoreEndRead */
  CHECK_MSG(qaStoreBeginRead(st, &err) == QA_OK, "%s", err.msg);
  CHECK(qaStoreNewestRuns(st, &runs, &n, &err) == QA_OK && n == 3);
  qaStoreFreeRuns(runs, n);
  CHECK_EQ_I64(qaStoreBeginRead(st, &err), QA_EINTERNAL); /* one at a time */
  CHECK_MSG(strstr(err.msg, "already open") != NULL, "%s", err.msg);
  CHECK_EQ_I64(qaStoreBeginRun(st, &info, &id, &err), QA_EINTERNAL); /* no run inside a read */
  CHECK_MSG(strstr(err.msg, "a read is open") != NULL, "%s", err.msg);
  CHECK_EQ_I64(qaStoreBeginPricing(st, 3, "b", &err), QA_EINTERNAL);
  QaRunInfo other_arch = info;
  other_arch.arch = "stripes";
  CHECK_MSG(qaStoreBeginRun(other, &other_arch, &id, &err) == QA_OK, "%s", err.msg);
  CHECK(qaStoreAddLayer(other, id, &conv1Rec, &err) == QA_OK &&
        qaStoreFinishRun(other, id, &totals, &err) == QA_OK);
  CHECK_EQ_I64(id, 6);
  CHECK(qaStoreNewestRuns(st, &runs, &n, &err) == QA_OK && n == 3);
  qaStoreFreeRuns(runs, n);
  qaStoreEndRead(st);
  qaStoreEndRead(st); /* no read open: no-op */
  qaStoreEndRead(NULL);
  CHECK(qaStoreNewestRuns(st, &runs, &n, &err) == QA_OK && n == 4 && runs[n - 1].run_id == 6);
  qaStoreFreeRuns(runs, n);
  CHECK_EQ_I64(writeRun(st), 7); /* the snapshot is gone: writing works */
  /* a read inside an open run ends with it */
  CHECK(qaStoreBeginRun(st, &info, &id, &err) == QA_OK && qaStoreBeginRead(st, &err) == QA_OK);
  qaStoreAbortRun(st);
  qaStoreEndRead(st);
  CHECK(qaStoreBeginRead(st, &err) == QA_OK);
  qaStoreEndRead(st);
  CHECK_EQ_I64(writeRun(st), 8);
  qaStoreClose(other);
  qaStoreClose(st);
}

/* A version-1 database (no energy tables) is upgraded in place, keeping its runs. */
static void testUpgradeV1(void) {
  char path[512];
  QaStore *st = NULL;
  QaErr err = {0};
  dbPath(path, sizeof path, "v1");
  removeDb(path);
  CHECK(qaStoreOpen(path, &st, &err) == QA_OK);
  if (!st) return;
  writeRun(st);
  qaStoreClose(st);
  { /* back to the version-1 schema */
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    /* (the objects of steps 2 and later: the views, tables and columns they add) */
    CHECK(sqlite3_exec(
              db,
              "DROP VIEW run_part; DROP VIEW run_part_energy; DROP VIEW point; DROP VIEW finished_run; DROP "
              "TABLE run_component;"
              " DROP INDEX run_identity; ALTER TABLE run DROP COLUMN identity;"
              " ALTER TABLE run DROP COLUMN config_id; ALTER TABLE run DROP COLUMN workload_id;"
              " ALTER TABLE run DROP COLUMN act_zero_frac; ALTER TABLE run DROP COLUMN wgt_dist;"
              " ALTER TABLE run DROP COLUMN verify; ALTER TABLE run DROP COLUMN costs;"
              " ALTER TABLE run DROP COLUMN costs_id;"
              " DROP TABLE energy; DROP TABLE run_energy; DROP TABLE cost_table;"
              " DROP TABLE layer_terms; DROP TABLE layer_values; ALTER TABLE run DROP COLUMN precision;"
              " ALTER TABLE layer DROP COLUMN out_sqnr_db; ALTER TABLE layer DROP COLUMN quant_a;"
              " ALTER TABLE layer DROP COLUMN quant_w; PRAGMA user_version = 1",
              NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
  }
  st = NULL;
  CHECK(qaStoreOpen(path, &st, &err) == QA_OK);
  if (!st) return;
  CHECK(!strcmp(q(path,
                  "PRAGMA user_version; SELECT count(*) FROM run; SELECT count(*) FROM layer;"
                  " SELECT count(*) FROM energy; SELECT count(*) FROM run_energy"),
                "8\n1\n2\n0\n0\n"));
  /* the upgraded run has no identity: it is a design point of its own */
  CHECK(!strcmp(q(path, "SELECT count(*), identity IS NULL, n_runs FROM point"), "1|1|1\n"));
  CHECK(strstr(q(path, "SELECT sql FROM sqlite_master WHERE name = 'energy'"), "static") != NULL);
  qaStoreClose(st);
}

/* Cost tables by content (issue 9, schema 3): a label names one table content per database.
** Ids here are made up (64 hex digits); qaCostTableId makes the real ones (test_costs). */
static void testCostLabels(void) {
  char path[512], label[QA_STORE_LABEL_MAX];
  QaStore *st = NULL;
  QaErr err = {0};
  dbPath(path, sizeof path, "labels");
  removeDb(path);
  CHECK(qaStoreOpen(path, &st, &err) == QA_OK);
  if (!st) return;
  int64_t id = writeRun(st);
  const char *id_a = "aaaaaaaa11111111111111111111111111111111111111111111111111111111";
  const char *id_b = "bbbbbbbb22222222222222222222222222222222222222222222222222222222";
  QaCostIdentity a = {"mytable", id_a, "", "mytable", "/one/mytable.csv"};
  QaCostIdentity b = {"mytable", id_b, "", "mytable", "/two/mytable.csv"};
  QaCostIdentity a_ddr3 = {"mytable+ddr3", id_a, "ddr3", "mytable", "/one/mytable.csv"};
  QaCostIdentity a_copy = {"copy", id_a, "", "copy", "/three/copy.csv"};
  /* outside a transaction: an internal error */
  CHECK_EQ_I64(qaStoreCostLabel(st, &a, label, sizeof label, &err), QA_EINTERNAL);
  /* the first table takes its name */
  CHECK(qaStoreBeginPricingTable(st, id, &a, label, sizeof label, &err) == QA_OK &&
        !strcmp(label, "mytable"));
  CHECK(qaStoreAddEnergyStatus(st, id, 0, label, "mult", 1.0, "derived", &err) == QA_OK);
  CHECK(qaStoreFinishPricing(st, id, &err) == QA_OK);
  /* another file with the same name but other content gets its own label: nothing overwritten */
  CHECK(qaStoreBeginPricingTable(st, id, &b, label, sizeof label, &err) == QA_OK &&
        !strcmp(label, "mytable@bbbbbbbb"));
  CHECK(qaStoreAddEnergy(st, id, 0, label, "mult", 2.0, &err) == QA_OK);
  CHECK(qaStoreFinishPricing(st, id, &err) == QA_OK);
  const char *rows =
      q(path, "SELECT costs, energy_pj, status FROM energy WHERE costs LIKE 'mytable%' ORDER BY costs");
  CHECK_MSG(!strcmp(rows, "mytable|1.0|derived\nmytable@bbbbbbbb|2.0|NULL\n"), "%s", rows);
  /* the same content under another name or path keeps its first label; another DRAM type
  ** is another pricing */
  CHECK(qaStoreBeginPricingTable(st, id, &a_copy, label, sizeof label, &err) == QA_OK &&
        !strcmp(label, "mytable"));
  CHECK(qaStoreFinishPricing(st, id, &err) == QA_OK);
  CHECK(qaStoreBeginPricingTable(st, id, &a_ddr3, label, sizeof label, &err) == QA_OK &&
        !strcmp(label, "mytable+ddr3"));
  CHECK(qaStoreFinishPricing(st, id, &err) == QA_OK);
  CHECK(!strcmp(q(path, "SELECT costs, substr(costs_id, 1, 8), dram FROM cost_table ORDER BY costs"),
                "mytable|aaaaaaaa|\nmytable+ddr3|aaaaaaaa|ddr3\nmytable@bbbbbbbb|bbbbbbbb|\n"));
  /* every finished run */
  int64_t *ids = NULL;
  int n = 0;
  CHECK(qaStoreRunIds(st, &ids, &n, &err) == QA_OK && n == 1 && ids[0] == id);
  free(ids);
  qaStoreClose(st);

  /* A label stored before schema 7 has no recorded content: it is never reused for a table. */
  {
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(
              db,
              "DROP TABLE cost_table; ALTER TABLE energy DROP COLUMN status; ALTER TABLE run_energy DROP "
              "COLUMN weak_pj; INSERT INTO run_energy(run_id, costs, energy_pj) VALUES(1, 'legacy', 5);"
              " DROP VIEW run_part; DROP VIEW run_part_energy; PRAGMA user_version = 6",
              NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
  }
  st = NULL;
  CHECK(qaStoreOpen(path, &st, &err) == QA_OK);
  if (!st) return;
  /* labels of the stored energy rows (re-pricing "mytable" with its copy replaced its rows) */
  rows = q(path, "SELECT costs, costs_id IS NULL FROM cost_table ORDER BY costs");
  CHECK_MSG(!strcmp(rows, "legacy|1\nmytable@bbbbbbbb|1\n"), "%s", rows);
  QaCostIdentity legacy = {"legacy", id_a, "", "legacy", "legacy.csv"};
  CHECK(qaStoreBeginPricingTable(st, id, &legacy, label, sizeof label, &err) == QA_OK &&
        !strcmp(label, "legacy@aaaaaaaa"));
  CHECK(qaStoreFinishPricing(st, id, &err) == QA_OK);
  CHECK(!strcmp(q(path, "SELECT energy_pj FROM run_energy WHERE costs = 'legacy'"), "5.0\n"));
  qaStoreClose(st);
}

int main(void) {
  mkdir(QA_TEST_TMP, 0777);
  setupFixture();
  testRoundTrip();
  testTransactions();
  testBadFiles();
  testCrashSafety();
  testEnergyTables();
  testUpgradeV1();
  testCostLabels();
  testReportQueries();
  return TEST_DONE();
}
