/*
** test_report.c - the reports module against a small hand-built results store.
**
** The store is created here with the schema v1 SQL (plus, later, the energy table of
** the next schema version), so this test does not depend on sim/store.c. The .dat
** files are compared byte for byte with golden files in tests/data/report/; to
** regenerate them after an intended change, run the test with QA_REPORT_REGEN=1
** and review the diff.
*/
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qatest.h"
#include "reports/report.h"
#include "store/store.h"

static const char *const kSchemaV1 =
    "CREATE TABLE run(run_id INTEGER PRIMARY KEY, created_utc TEXT, tool_version TEXT, arch TEXT, "
    "arch_config TEXT, arch_config_hash TEXT, workload TEXT, workload_source TEXT, "
    "workload_hash TEXT, a_bits INTEGER, w_bits INTEGER, quant_a TEXT, quant_w TEXT, encoder TEXT, "
    "seed INTEGER, timing TEXT, clock_mhz REAL, command_line TEXT, n_layers INTEGER, macs INTEGER, "
    "n_cycles INTEGER, n_stall_cycles INTEGER, time_s REAL, wall_s REAL, sim_macs_per_s REAL, "
    "all_verified INTEGER);"
    "CREATE TABLE layer(run_id, layer_idx, name TEXT, kind TEXT, n, c, h, w, k, r, s, stride_h, "
    "stride_w, pad_h, pad_w, groups, out_h, out_w, a_bits, w_bits, a_sqnr_db REAL, "
    "w_sqnr_db REAL, values_src TEXT, macs, n_cycles, n_compute_cycles, n_stall_cycles, n_steps, "
    "pe_util REAL, effectual_terms, outputs_verified, n_mismatches, acc_overflows, "
    "PRIMARY KEY(run_id, layer_idx));"
    "CREATE TABLE action(run_id, layer_idx, component TEXT, action TEXT, a_bits, w_bits, count);"
    "PRAGMA user_version = 1;";

static const char *const kEnergyTable =
    "CREATE TABLE energy(run_id, layer_idx, costs TEXT, component TEXT, energy_pj REAL);";

static int g_regen = 0;

static void execOk(sqlite3 *db, const char *sql) {
  char *msg = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
  CHECK_MSG(rc == SQLITE_OK, "%s: %s", sql, msg ? msg : "");
  sqlite3_free(msg);
}

static sqlite3 *openFresh(const char *path, int with_schema) {
  sqlite3 *db = NULL;
  unlink(path);
  CHECK(sqlite3_open(path, &db) == SQLITE_OK);
  if (with_schema) execOk(db, kSchemaV1);
  return db;
}

/* One finished run (n_cycles = sum of its layers), or an unfinished one if !finished. */
static void addRun(sqlite3 *db, int run_id, const char *arch, const char *workload, int a_bits, int w_bits,
                   const char *timing, int n_layers, const char *const *names, const long long *cycles,
                   int finished) {
  char sql[1024];
  long long total = 0;
  for (int i = 0; i < n_layers; i++) total += cycles[i];
  snprintf(sql, sizeof sql,
           "INSERT INTO run(run_id, created_utc, arch, workload, a_bits, w_bits, quant_a, quant_w, "
           "timing, seed, n_layers, n_cycles) VALUES(%d, '2024-01-01T00:00:%02dZ', '%s', '%s', %d, "
           "%d, 'uniform', 'uniform', '%s', 1, %d, %s)",
           run_id, run_id, arch, workload, a_bits, w_bits, timing, n_layers, finished ? "?1" : "NULL");
  sqlite3_stmt *st = NULL;
  CHECK(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
  sqlite3_bind_int64(st, 1, total);
  CHECK(sqlite3_step(st) == SQLITE_DONE);
  sqlite3_finalize(st);
  CHECK(sqlite3_prepare_v2(db,
                           "INSERT INTO layer(run_id, layer_idx, name, kind, a_bits, w_bits, "
                           "n_cycles) VALUES(?1, ?2, ?3, 'conv', ?4, ?5, ?6)",
                           -1, &st, NULL) == SQLITE_OK);
  for (int i = 0; i < n_layers; i++) {
    sqlite3_reset(st);
    sqlite3_bind_int(st, 1, run_id);
    sqlite3_bind_int(st, 2, i);
    sqlite3_bind_text(st, 3, names[i], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, a_bits);
    sqlite3_bind_int(st, 5, w_bits);
    sqlite3_bind_int64(st, 6, cycles[i]);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
  }
  sqlite3_finalize(st);
}

static const char *const kAlex[] = {"conv1", "conv 2", "fc\"6"};
static const char *const kTiny[] = {"c1", "fc"};

/* The main fixture: two workloads, five architectures/bit-width configs, a superseded
** run, an unfinished run, and no dadiannao baseline for "tiny net". */
static void fillStore(sqlite3 *db) {
  static const long long old8[] = {999, 999, 999}, d16[] = {1000, 2000, 400}, s16[] = {1000, 2000, 400},
                         s8[] = {500, 1000, 200}, s4[] = {250, 500, 100}, p8[] = {400, 700, 200},
                         t8[] = {300, 100}, t4[] = {150, 50}, t16[] = {600, 200};
  execOk(db, "BEGIN");
  addRun(db, 1, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, old8, 1); /* superseded by 4 */
  addRun(db, 2, "dadiannao", "alexnet", 16, 16, "lt", 3, kAlex, d16, 1);
  addRun(db, 3, "stripes", "alexnet", 16, 16, "lt", 3, kAlex, s16, 1);
  addRun(db, 4, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, s8, 1);
  addRun(db, 5, "stripes", "alexnet", 4, 4, "lt", 3, kAlex, s4, 1);
  addRun(db, 6, "stripes", "tiny net", 8, 8, "lt", 2, kTiny, t8, 1);
  addRun(db, 7, "pragmatic", "alexnet", 8, 8, "lt", 3, kAlex, p8, 1);
  addRun(db, 8, "stripes", "tiny net", 4, 4, "lt", 2, kTiny, t4, 1);
  addRun(db, 9, "dadiannao", "alexnet", 16, 16, "cycle", 3, kAlex, d16, 1);
  addRun(db, 10, "dadiannao", "tiny net", 16, 16, "lt", 2, kTiny, t16, 0); /* unfinished */
  execOk(db, "COMMIT");
}

/* Energy rows: costs 45nm for runs 2,3,4,5,7 (not 9: the efficiency baseline must fall
** back to run 2), costs 28nm for run 2 only. Per layer: dram 100, mac cycles/2,
** sram cycles/4. */
static void fillEnergy(sqlite3 *db) {
  execOk(db, kEnergyTable);
  execOk(db,
         "INSERT INTO energy(run_id, layer_idx, costs, component, energy_pj) "
         "SELECT run_id, layer_idx, '45nm', 'dram', 100.0 FROM layer WHERE run_id IN (2,3,4,5,7) "
         "UNION ALL SELECT run_id, layer_idx, '45nm', 'mac', n_cycles * 0.5 FROM layer "
         "WHERE run_id IN (2,3,4,5,7) "
         "UNION ALL SELECT run_id, layer_idx, '45nm', 'sram', n_cycles * 0.25 FROM layer "
         "WHERE run_id IN (2,3,4,5,7) "
         "UNION ALL SELECT run_id, layer_idx, '28nm', 'mac', n_cycles * 0.1 FROM layer "
         "WHERE run_id = 2");
}

static int fileExists(const char *path) {
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void checkGolden(const char *dir, const char *file) {
  char got_path[1024], want_path[1024];
  char *got = NULL, *want = NULL;
  QaErr err = {0};
  snprintf(got_path, sizeof got_path, "%s/%s", dir, file);
  snprintf(want_path, sizeof want_path, "%s/report/%s", QA_TEST_DATA, file);
  CHECK_MSG(qaReadFile(got_path, &got, NULL, &err) == QA_OK, "%s", err.msg);
  if (g_regen && got) {
    FILE *f = fopen(want_path, "w");
    CHECK_MSG(f != NULL, "cannot write %s", want_path);
    if (f) {
      fputs(got, f);
      fclose(f);
    }
  }
  CHECK_MSG(qaReadFile(want_path, &want, NULL, &err) == QA_OK, "%s", err.msg);
  if (got && want && strcmp(got, want)) {
    /* report the first differing line */
    const char *g = got, *w = want;
    int line = 1;
    while (*g && *g == *w) {
      if (*g == '\n') line++;
      g++;
      w++;
    }
    CHECK_MSG(0, "%s differs from %s at line %d (QA_REPORT_REGEN=1 to regenerate)\n got:\n%s", got_path,
              want_path, line, got);
  }
  free(got);
  free(want);
}

static int isPng(const char *path) {
  unsigned char magic[8] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(magic, 1, sizeof magic, f);
  fclose(f);
  return n == 8 && !memcmp(magic, "\x89PNG\r\n\x1a\n", 8);
}

static int hasNote(const QaReportSummary *s, const char *text) {
  for (int i = 0; i < s->n_notes; i++)
    if (strstr(s->notes[i], text)) return 1;
  return 0;
}

static const QaReportPlot *findPlot(const QaReportSummary *s, const char *name) {
  for (int i = 0; i < s->n_plots; i++)
    if (!strcmp(s->plots[i].name, name)) return &s->plots[i];
  return NULL;
}

static int fileContains(const char *path, const char *text) {
  char *buf = NULL;
  QaErr err = {0};
  if (qaReadFile(path, &buf, NULL, &err) != QA_OK) return 0;
  int yes = strstr(buf, text) != NULL;
  free(buf);
  return yes;
}

static void checkRendered(const QaReportSummary *s, int have_gnuplot) {
  for (int i = 0; i < s->n_plots; i++) {
    const QaReportPlot *p = &s->plots[i];
    CHECK_MSG(fileExists(p->dat_path), "%s", p->dat_path);
    CHECK_MSG(fileExists(p->gp_path), "%s", p->gp_path);
    if (have_gnuplot) {
      CHECK_MSG(p->rendered, "%s not rendered", p->name);
      CHECK_MSG(isPng(p->png_path), "%s is not a PNG", p->png_path);
    }
  }
}

int main(void) {
  char tmp[512], db_path[600], out[700];
  QaErr err = {0};
  QaReportSummary sum = {0};
  QaReportOptions opt = {0};
  g_regen = getenv("QA_REPORT_REGEN") != NULL;
  int have_gnuplot = system("gnuplot --version >/dev/null 2>&1") == 0;
  if (!have_gnuplot) printf("gnuplot not installed: PNG checks skipped\n");
  snprintf(tmp, sizeof tmp, "%s/report", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(tmp, 0777);

  /* --- not a store, and an empty store: clear QA_EUSER messages, no crash */
  {
    snprintf(db_path, sizeof db_path, "%s/notastore.db", tmp);
    sqlite3 *db = openFresh(db_path, 0);
    snprintf(out, sizeof out, "%s/out-none", tmp);
    int rc = qaReportPlots(db, out, NULL, &sum, &err);
    CHECK_EQ_I64(rc, QA_EUSER);
    CHECK_MSG(strstr(err.msg, "not a qasim results store") != NULL, "%s", err.msg);
    qaReportSummaryClear(&sum);
    execOk(db, kSchemaV1);
    err = (QaErr){0};
    rc = qaReportPlots(db, out, NULL, &sum, &err);
    CHECK_EQ_I64(rc, QA_EUSER);
    CHECK_MSG(strstr(err.msg, "no finished runs") != NULL, "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 0);
    CHECK_EQ_I64(sum.n_runs, 0);
    qaReportSummaryClear(&sum);
    /* an unfinished run alone is still nothing to plot */
    addRun(db, 1, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, (const long long[]){1, 2, 3}, 0);
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(db, out, NULL, NULL, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "no finished runs") != NULL, "%s", err.msg);
    CHECK(access(out, F_OK) != 0);         /* nothing created */
    CHECK(sqlite3_close(db) == SQLITE_OK); /* no statement left open */
  }

  snprintf(db_path, sizeof db_path, "%s/store.db", tmp);
  sqlite3 *db = openFresh(db_path, 1);
  fillStore(db);

  /* --- schema v1 store: layers, speedup, bits; energy skipped; nested out_dir created */
  {
    snprintf(out, sizeof out, "%s/v1/nested/dir", tmp);
    err = (QaErr){0};
    int rc = qaReportPlots(db, out, NULL, &sum, &err);
    if (have_gnuplot)
      CHECK_MSG(rc == QA_OK, "%s", err.msg);
    else
      CHECK_MSG(rc == QA_EUSER && strstr(err.msg, "gnuplot not found"), "%s", err.msg);
    CHECK_EQ_I64(sum.n_runs, 8); /* 10 runs: 1 superseded, 10 unfinished */
    CHECK_EQ_I64(sum.n_configs, 6);
    CHECK_EQ_I64(sum.n_workloads, 2);
    CHECK_EQ_I64(sum.n_plots, 4);
    CHECK(findPlot(&sum, "layers-alexnet") && findPlot(&sum, "layers-tiny_net") &&
          findPlot(&sum, "speedup") && findPlot(&sum, "bits"));
    checkGolden(out, "layers-alexnet.dat");
    checkGolden(out, "layers-tiny_net.dat");
    checkGolden(out, "speedup.dat");
    checkGolden(out, "bits.dat");
    CHECK_MSG(hasNote(&sum, "speedup: no dadiannao a16/w16 run for workload 'tiny net'"),
              "missing-baseline note absent");
    CHECK(hasNote(&sum, "energy plots skipped: the store has no energy table"));
    char path[900];
    snprintf(path, sizeof path, "%s/energy-alexnet.dat", out);
    CHECK(!fileExists(path));
    snprintf(path, sizeof path, "%s/style.gp", out);
    CHECK(fileExists(path) && fileContains(path, "noenhanced"));
    const QaReportPlot *p = findPlot(&sum, "layers-alexnet");
    if (p) {
      CHECK(fileContains(p->gp_path, "load 'style.gp'"));
      CHECK(fileContains(p->gp_path, "set output 'layers-alexnet.png'"));
      CHECK(fileContains(p->gp_path, "set ylabel 'n_cycles'"));
      CHECK(fileContains(p->gp_path, "bits a/w: 16/16, 8/8, 4/4"));
      CHECK(!fileContains(p->gp_path, "set logscale y"));
    }
    checkRendered(&sum, have_gnuplot);

    /* the text summary lists every file */
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = open_memstream(&text, &text_len);
    qaReportPrintSummary(&sum, mem);
    fclose(mem);
    CHECK(strstr(text, "8 runs (6 configs, 2 workloads)") != NULL);
    CHECK(strstr(text, have_gnuplot ? "speedup.png" : "speedup.gp") != NULL);
    CHECK(strstr(text, "layers-tiny_net") != NULL);
    CHECK(strstr(text, "note: speedup: no dadiannao a16/w16 run") != NULL);
    free(text);
    qaReportSummaryClear(&sum);
    qaReportSummaryClear(&sum); /* cleared twice: harmless */
    qaReportSummaryClear(NULL);
  }

  /* --- log y option reaches the scripts; no_render writes no PNG */
  {
    snprintf(out, sizeof out, "%s/logy", tmp);
    opt = (QaReportOptions){0};
    opt.log_y = 1;
    opt.no_render = 1;
    err = (QaErr){0};
    CHECK_MSG(qaReportPlots(db, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    const QaReportPlot *p = findPlot(&sum, "layers-alexnet");
    CHECK(p && fileContains(p->gp_path, "set logscale y"));
    CHECK(p && !p->rendered && access(p->png_path, F_OK) != 0);
    checkGolden(out, "layers-alexnet.dat"); /* same data */
    qaReportSummaryClear(&sum);
  }

  /* --- gnuplot missing: QA_EUSER with the install hint; .dat and .gp still written */
  {
    snprintf(out, sizeof out, "%s/nognuplot", tmp);
    opt = (QaReportOptions){0};
    opt.gnuplot = "/nonexistent/qa-gnuplot";
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(db, out, &opt, &sum, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "gnuplot not found") &&
                  strstr(err.msg, "install it with: apt-get install gnuplot-nox"),
              "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 4);
    checkRendered(&sum, 0);
    for (int i = 0; i < sum.n_plots; i++) CHECK(!sum.plots[i].rendered);
    checkGolden(out, "speedup.dat");
    qaReportSummaryClear(&sum);
  }

  /* --- gnuplot that fails: its exit status is checked */
  {
    snprintf(out, sizeof out, "%s/badgnuplot", tmp);
    opt = (QaReportOptions){0};
    opt.gnuplot = "false";
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(db, out, &opt, NULL, &err), QA_EINTERNAL);
    CHECK_MSG(strstr(err.msg, "exit status 1") && strstr(err.msg, ".gp"), "%s", err.msg);
  }

  /* --- unwritable out_dir: a regular file where a directory must go */
  {
    char blocker[600];
    snprintf(blocker, sizeof blocker, "%s/blocker", tmp);
    FILE *f = fopen(blocker, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
    snprintf(out, sizeof out, "%s/sub", blocker);
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(db, out, NULL, &sum, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "cannot create output directory") && strstr(err.msg, out), "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 0);
    qaReportSummaryClear(&sum);
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(db, blocker, NULL, NULL, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, blocker) && strstr(err.msg, "not a directory"), "%s", err.msg);
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(db, "", NULL, NULL, &err), QA_EUSER);
  }

  /* --- with the energy table: energy breakdown and efficiency */
  fillEnergy(db);
  {
    snprintf(out, sizeof out, "%s/energy", tmp);
    err = (QaErr){0};
    opt = (QaReportOptions){0};
    opt.no_render = !have_gnuplot;
    CHECK_MSG(qaReportPlots(db, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 6);
    CHECK(findPlot(&sum, "energy-alexnet") && findPlot(&sum, "efficiency"));
    CHECK(!findPlot(&sum, "energy-tiny_net"));
    checkGolden(out, "energy-alexnet.dat");
    checkGolden(out, "efficiency.dat");
    checkGolden(out, "speedup.dat"); /* unchanged by the energy table */
    CHECK(hasNote(&sum, "energy-tiny_net.png skipped"));
    /* tiny net has no energy at all: one note for it, not a second one from efficiency */
    CHECK(!hasNote(&sum, "efficiency: no dadiannao"));
    CHECK_MSG(hasNote(&sum, "plotted costs '45nm'"), "costs choice note absent");
    const QaReportPlot *p = findPlot(&sum, "energy-alexnet");
    CHECK(p && fileContains(p->gp_path, "set ylabel 'energy_pj'"));
    CHECK(p && fileContains(p->gp_path, "rowstacked"));
    checkRendered(&sum, have_gnuplot);
    qaReportSummaryClear(&sum);

    /* an explicit costs value is used as given; an unknown one is a user error */
    opt.no_render = 1;
    opt.costs = "28nm";
    snprintf(out, sizeof out, "%s/energy28", tmp);
    err = (QaErr){0};
    CHECK_MSG(qaReportPlots(db, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    p = findPlot(&sum, "energy-alexnet");
    CHECK(p && fileContains(p->dat_path, "\"dadiannao a16/w16 lt\" 340.000 340.000"));
    CHECK(!hasNote(&sum, "plotted costs"));
    qaReportSummaryClear(&sum);
    opt.costs = "7nm";
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(db, out, &opt, NULL, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "'7nm'") && strstr(err.msg, "28nm, 45nm"), "%s", err.msg);
  }
  CHECK(sqlite3_close(db) == SQLITE_OK); /* no statement left open */

  /* --- no baseline at all, one bit-width: speedup and bits are skipped with notes */
  {
    snprintf(db_path, sizeof db_path, "%s/nobase.db", tmp);
    sqlite3 *db2 = openFresh(db_path, 1);
    addRun(db2, 1, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, (const long long[]){5, 6, 7}, 1);
    snprintf(out, sizeof out, "%s/nobase", tmp);
    opt = (QaReportOptions){0};
    opt.no_render = 1;
    err = (QaErr){0};
    CHECK_MSG(qaReportPlots(db2, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 1);
    CHECK(hasNote(&sum, "speedup.png skipped: no dadiannao a16/w16 baseline run for any workload"));
    CHECK(hasNote(&sum, "bits.png skipped: every run uses a_bits=8"));
    qaReportSummaryClear(&sum);
    /* a different baseline makes the speedup plot appear */
    opt.baseline_arch = "stripes";
    opt.baseline_a_bits = 8;
    opt.baseline_w_bits = 8;
    err = (QaErr){0};
    CHECK_MSG(qaReportPlots(db2, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    CHECK(findPlot(&sum, "speedup") != NULL);
    const QaReportPlot *p = findPlot(&sum, "speedup");
    CHECK(p && fileContains(p->dat_path, "\"alexnet\" 1.0000"));
    qaReportSummaryClear(&sum);
    CHECK(sqlite3_close(db2) == SQLITE_OK); /* no statement left open */
  }
  /* --- the schema the real store module creates is the one the report reads */
  {
    char path[700];
    snprintf(db_path, sizeof db_path, "%s/real-store.db", tmp);
    unlink(db_path);
    snprintf(path, sizeof path, "%s-wal", db_path);
    unlink(path);
    snprintf(path, sizeof path, "%s-shm", db_path);
    unlink(path);
    QaStore *store = NULL;
    err = (QaErr){0};
    CHECK_MSG(qaStoreOpen(db_path, &store, &err) == QA_OK, "%s", err.msg);
    if (store) {
      sqlite3 *sdb = qaStoreDb(store);
      addRun(sdb, 1, "dadiannao", "alexnet", 16, 16, "lt", 3, kAlex, (const long long[]){1000, 2000, 400}, 1);
      addRun(sdb, 2, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, (const long long[]){500, 1000, 200}, 1);
      snprintf(out, sizeof out, "%s/real-store", tmp);
      opt = (QaReportOptions){0};
      opt.no_render = 1;
      err = (QaErr){0};
      CHECK_MSG(qaReportPlots(sdb, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
      const QaReportPlot *p = findPlot(&sum, "speedup");
      CHECK(p && fileContains(p->dat_path, "\"alexnet\" 1.0000 2.0000\n"));
      qaReportSummaryClear(&sum);
    }
    qaStoreClose(store);
    qaStoreClose(NULL);
  }
  return TEST_DONE();
}
