/*
** test_report.c - the reports module against a small results store built through the
** store API (qaStoreOpen, qaStoreBeginRun/AddLayer/FinishRun, qaStoreBeginPricing/
** AddEnergy/FinishPricing): the schema exists once, in store/store.c (issue 7). The .dat
** files are compared byte for byte with golden files in tests/data/report/; to
** regenerate them after an intended change, run the test with QA_REPORT_REGEN=1 and
** review the diff. gnuplot is required (CI installs gnuplot-nox): without it the PNG
** checks fail, they are not skipped.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qatest.h"
#include "reports/report.h"
#include "store/store.h"

static int g_regen = 0;

/* A fresh store at path (the file and its WAL/SHM side files removed first). */
static QaStore *openFresh(const char *path) {
  char side[700];
  QaStore *st = NULL;
  QaErr err = {0};
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
  CHECK_MSG(qaStoreOpen(path, &st, &err) == QA_OK, "%s", err.msg);
  return st;
}

/* One run of n_layers 1x1 conv layers with the given cycles through the store; its
** n_cycles is their sum. finished = 0 leaves the run open (no qaStoreFinishRun): the
** caller aborts it. The run must get id want_id (the golden files name run ids). */
static void addRun(QaStore *st, int64_t want_id, const char *arch, const char *workload, int a_bits,
                   int w_bits, const char *timing, int n_layers, const char *const *names,
                   const long long *cycles, int finished) {
  QaErr err = {0};
  int64_t id = -1;
  QaRunInfo info = {.tool_version = "test",
                    .arch = arch,
                    .arch_config = "",
                    .arch_config_hash = "0000000000000000",
                    .workload = workload,
                    .workload_source = "builtin",
                    .workload_hash = "0000000000000000",
                    .a_bits = a_bits,
                    .w_bits = w_bits,
                    .quant_a = "uniform",
                    .quant_w = "uniform",
                    .encoder = "",
                    .seed = 1,
                    .timing = timing,
                    .clock_mhz = 1000.0,
                    .command_line = "test_report"};
  QaRunTotals tot = {0};
  CHECK_MSG(qaStoreBeginRun(st, &info, &id, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(id, want_id);
  for (int i = 0; i < n_layers; i++) {
    QaLayer l = {0};
    QaLayerStats ls = {0};
    snprintf(l.name, sizeof l.name, "%s", names[i]);
    l.kind = QA_LAYER_CONV;
    l.n = l.c = l.h = l.w = l.k = l.r = l.s = l.stride_h = l.stride_w = l.groups = 1;
    ls.n_cycles = ls.n_compute_cycles = cycles[i];
    ls.effectual_terms = -1;
    ls.outputs_verified = -1;
    QaLayerRecord rec = {i, &l, a_bits, w_bits, 0.0, 0.0, "synthetic", &ls};
    CHECK_MSG(qaStoreAddLayer(st, id, &rec, &err) == QA_OK, "%s", err.msg);
    tot.n_cycles += cycles[i];
  }
  if (finished) CHECK_MSG(qaStoreFinishRun(st, id, &tot, &err) == QA_OK, "%s", err.msg);
}

static const char *const kAlex[] = {"conv1", "conv 2", "fc\"6"};
static const char *const kTiny[] = {"c1", "fc"};

/* The main fixture: two workloads, five architectures/bit-width configs and a superseded
** run; no finished dadiannao baseline for "tiny net". */
static void fillStore(QaStore *st) {
  static const long long old8[] = {999, 999, 999}, d16[] = {1000, 2000, 400}, s16[] = {1000, 2000, 400},
                         s8[] = {500, 1000, 200}, s4[] = {250, 500, 100}, p8[] = {400, 700, 200},
                         t8[] = {300, 100}, t4[] = {150, 50};
  addRun(st, 1, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, old8, 1); /* superseded by 4 */
  addRun(st, 2, "dadiannao", "alexnet", 16, 16, "lt", 3, kAlex, d16, 1);
  addRun(st, 3, "stripes", "alexnet", 16, 16, "lt", 3, kAlex, s16, 1);
  addRun(st, 4, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, s8, 1);
  addRun(st, 5, "stripes", "alexnet", 4, 4, "lt", 3, kAlex, s4, 1);
  addRun(st, 6, "stripes", "tiny net", 8, 8, "lt", 2, kTiny, t8, 1);
  addRun(st, 7, "pragmatic", "alexnet", 8, 8, "lt", 3, kAlex, p8, 1);
  addRun(st, 8, "stripes", "tiny net", 4, 4, "lt", 2, kTiny, t4, 1);
  addRun(st, 9, "dadiannao", "alexnet", 16, 16, "cycle", 3, kAlex, d16, 1);
}

/* Run 10: a dadiannao baseline for "tiny net" that is still being written. The report
** reads through the same store handle, so it sees the run's rows - and must leave the
** unfinished run out. The caller ends it with qaStoreAbortRun. */
static void beginUnfinished(QaStore *st) {
  static const long long t16[] = {600, 200};
  addRun(st, 10, "dadiannao", "tiny net", 16, 16, "lt", 2, kTiny, t16, 0);
}

/* Price one run with costs label COSTS: per layer, the components of kParts with energy
** n_cycles x pj_per_cycle (or a fixed energy_pj when pj_per_cycle is 0). */
typedef struct Part {
  const char *component;
  double pj_per_cycle, energy_pj;
} Part;

static void priceRun(QaStore *st, int64_t run_id, const char *costs, const Part *parts, int n_parts) {
  QaErr err = {0};
  QaStoredLayer *ls = NULL;
  int n = 0;
  CHECK_MSG(qaStoreGetLayers(st, run_id, NULL, &ls, &n, &err) == QA_OK, "%s", err.msg);
  CHECK_MSG(qaStoreBeginPricing(st, run_id, costs, &err) == QA_OK, "%s", err.msg);
  for (int i = 0; i < n; i++)
    for (int k = 0; k < n_parts; k++) {
      double pj =
          parts[k].pj_per_cycle ? (double)ls[i].stats.n_cycles * parts[k].pj_per_cycle : parts[k].energy_pj;
      CHECK_MSG(qaStoreAddEnergy(st, run_id, ls[i].layer_idx, costs, parts[k].component, pj, &err) == QA_OK,
                "%s", err.msg);
    }
  CHECK_MSG(qaStoreFinishPricing(st, run_id, &err) == QA_OK, "%s", err.msg);
  free(ls);
}

/* Energy rows: costs 45nm for runs 2,3,4,5,7 (not 9: the efficiency baseline must fall
** back to run 2), costs 28nm for run 2 only. Per layer: dram 100, mac cycles/2,
** sram cycles/4. */
static void fillEnergy(QaStore *st) {
  static const Part k45[] = {{"dram", 0, 100.0}, {"mac", 0.5, 0}, {"sram", 0.25, 0}},
                    k28[] = {{"mac", 0.1, 0}};
  static const int64_t priced[] = {2, 3, 4, 5, 7};
  for (int i = 0; i < 5; i++) priceRun(st, priced[i], "45nm", k45, 3);
  priceRun(st, 2, "28nm", k28, 1);
}

/* No read snapshot or transaction was left open: a run can be begun (and aborted). */
static void checkWritable(QaStore *st) {
  QaErr err = {0};
  int64_t id = -1;
  QaRunInfo info = {.arch = "x", .workload = "y", .timing = "lt"};
  CHECK_MSG(qaStoreBeginRun(st, &info, &id, &err) == QA_OK, "%s", err.msg);
  qaStoreAbortRun(st);
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

/* Every plot has its .dat and .gp; rendered = 1: and a PNG, rendered = 0: none claimed. */
static void checkRendered(const QaReportSummary *s, int rendered) {
  for (int i = 0; i < s->n_plots; i++) {
    const QaReportPlot *p = &s->plots[i];
    CHECK_MSG(fileExists(p->dat_path), "%s", p->dat_path);
    CHECK_MSG(fileExists(p->gp_path), "%s", p->gp_path);
    if (rendered) {
      CHECK_MSG(p->rendered, "%s not rendered", p->name);
      CHECK_MSG(isPng(p->png_path), "%s is not a PNG", p->png_path);
    } else {
      CHECK_MSG(!p->rendered, "%s rendered", p->name);
    }
  }
}

int main(void) {
  char tmp[512], db_path[600], out[700];
  QaErr err = {0};
  QaReportSummary sum = {0};
  QaReportOptions opt = {0};
  g_regen = getenv("QA_REPORT_REGEN") != NULL;
  /* The PNG checks need gnuplot: without it they fail (install gnuplot-nox), never skip. */
  CHECK_MSG(system("gnuplot --version >/dev/null 2>&1") == 0,
            "gnuplot not installed: the PNG checks fail (apt-get install gnuplot-nox)");
  snprintf(tmp, sizeof tmp, "%s/report", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(tmp, 0777);

  /* --- no store, and an empty store: clear QA_EUSER messages, no crash */
  {
    snprintf(out, sizeof out, "%s/out-none", tmp);
    CHECK_EQ_I64(qaReportPlots(NULL, out, NULL, &sum, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "no results store") != NULL, "%s", err.msg);
    qaReportSummaryClear(&sum);
    snprintf(db_path, sizeof db_path, "%s/empty.db", tmp);
    QaStore *st = openFresh(db_path);
    if (!st) return TEST_DONE();
    err = (QaErr){0};
    int rc = qaReportPlots(st, out, NULL, &sum, &err);
    CHECK_EQ_I64(rc, QA_EUSER);
    CHECK_MSG(strstr(err.msg, "no finished runs") != NULL, "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 0);
    CHECK_EQ_I64(sum.n_runs, 0);
    qaReportSummaryClear(&sum);
    checkWritable(st); /* the report's read snapshot was released */
    /* an unfinished run alone is still nothing to plot */
    addRun(st, 1, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, (const long long[]){1, 2, 3}, 0);
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(st, out, NULL, NULL, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "no finished runs") != NULL, "%s", err.msg);
    qaStoreAbortRun(st);
    CHECK(access(out, F_OK) != 0); /* nothing created */
    checkWritable(st);
    qaStoreClose(st);
  }

  snprintf(db_path, sizeof db_path, "%s/store.db", tmp);
  QaStore *st = openFresh(db_path);
  if (!st) return TEST_DONE();
  fillStore(st);
  beginUnfinished(st);

  /* --- no priced run: layers, speedup, bits; energy skipped; nested out_dir created */
  {
    snprintf(out, sizeof out, "%s/v1/nested/dir", tmp);
    err = (QaErr){0};
    int rc = qaReportPlots(st, out, NULL, &sum, &err);
    CHECK_MSG(rc == QA_OK, "%s", err.msg);
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
    CHECK(hasNote(&sum, "energy plots skipped: the energy table has no rows for the plotted runs"));
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
    checkRendered(&sum, 1);

    /* the text summary lists every file */
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = open_memstream(&text, &text_len);
    qaReportPrintSummary(&sum, mem);
    fclose(mem);
    CHECK(strstr(text, "8 runs (6 configs, 2 workloads)") != NULL);
    CHECK(strstr(text, "speedup.png") != NULL);
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
    CHECK_MSG(qaReportPlots(st, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
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
    CHECK_EQ_I64(qaReportPlots(st, out, &opt, &sum, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "gnuplot not found") &&
                  strstr(err.msg, "install it with: apt-get install gnuplot-nox"),
              "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 4);
    checkRendered(&sum, 0);
    checkGolden(out, "speedup.dat");
    qaReportSummaryClear(&sum);
  }

  /* --- gnuplot that fails: its exit status is checked */
  {
    snprintf(out, sizeof out, "%s/badgnuplot", tmp);
    opt = (QaReportOptions){0};
    opt.gnuplot = "false";
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(st, out, &opt, NULL, &err), QA_EINTERNAL);
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
    CHECK_EQ_I64(qaReportPlots(st, out, NULL, &sum, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "cannot create output directory") && strstr(err.msg, out), "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 0);
    qaReportSummaryClear(&sum);
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(st, blocker, NULL, NULL, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, blocker) && strstr(err.msg, "not a directory"), "%s", err.msg);
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(st, "", NULL, NULL, &err), QA_EUSER);
  }

  /* --- priced runs: energy breakdown and efficiency (pricing needs no open run) */
  qaStoreAbortRun(st);
  checkWritable(st);
  fillEnergy(st);
  beginUnfinished(st);
  {
    snprintf(out, sizeof out, "%s/energy", tmp);
    err = (QaErr){0};
    opt = (QaReportOptions){0};
    CHECK_MSG(qaReportPlots(st, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    CHECK_EQ_I64(sum.n_runs, 8);
    CHECK_EQ_I64(sum.n_plots, 6);
    CHECK(findPlot(&sum, "energy-alexnet") && findPlot(&sum, "efficiency"));
    CHECK(!findPlot(&sum, "energy-tiny_net"));
    checkGolden(out, "energy-alexnet.dat");
    checkGolden(out, "efficiency.dat");
    checkGolden(out, "speedup.dat"); /* unchanged by the energy rows */
    CHECK(hasNote(&sum, "energy-tiny_net.png skipped"));
    /* tiny net has no energy at all: one note for it, not a second one from efficiency */
    CHECK(!hasNote(&sum, "efficiency: no dadiannao"));
    CHECK_MSG(hasNote(&sum, "plotted costs '45nm'"), "costs choice note absent");
    const QaReportPlot *p = findPlot(&sum, "energy-alexnet");
    CHECK(p && fileContains(p->gp_path, "set ylabel 'energy_pj'"));
    CHECK(p && fileContains(p->gp_path, "rowstacked"));
    checkRendered(&sum, 1);
    qaReportSummaryClear(&sum);

    /* an explicit costs value is used as given; an unknown one is a user error */
    opt.no_render = 1;
    opt.costs = "28nm";
    snprintf(out, sizeof out, "%s/energy28", tmp);
    err = (QaErr){0};
    CHECK_MSG(qaReportPlots(st, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    p = findPlot(&sum, "energy-alexnet");
    CHECK(p && fileContains(p->dat_path, "\"dadiannao a16/w16 lt\" 340.000 340.000"));
    CHECK(!hasNote(&sum, "plotted costs"));
    qaReportSummaryClear(&sum);
    opt.costs = "7nm";
    err = (QaErr){0};
    CHECK_EQ_I64(qaReportPlots(st, out, &opt, NULL, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "'7nm'") && strstr(err.msg, "28nm, 45nm"), "%s", err.msg);
  }
  qaStoreAbortRun(st);
  checkWritable(st);
  qaStoreClose(st);

  /* --- no baseline at all, one bit-width: speedup and bits are skipped with notes */
  {
    snprintf(db_path, sizeof db_path, "%s/nobase.db", tmp);
    QaStore *st2 = openFresh(db_path);
    if (!st2) return TEST_DONE();
    addRun(st2, 1, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, (const long long[]){5, 6, 7}, 1);
    snprintf(out, sizeof out, "%s/nobase", tmp);
    opt = (QaReportOptions){0};
    opt.no_render = 1;
    err = (QaErr){0};
    CHECK_MSG(qaReportPlots(st2, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    CHECK_EQ_I64(sum.n_plots, 1);
    CHECK(hasNote(&sum, "speedup.png skipped: no dadiannao a16/w16 baseline run for any workload"));
    CHECK(hasNote(&sum, "bits.png skipped: every run uses a_bits=8"));
    qaReportSummaryClear(&sum);
    /* a different baseline makes the speedup plot appear */
    opt.baseline_arch = "stripes";
    opt.baseline_a_bits = 8;
    opt.baseline_w_bits = 8;
    err = (QaErr){0};
    CHECK_MSG(qaReportPlots(st2, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
    CHECK(findPlot(&sum, "speedup") != NULL);
    const QaReportPlot *p = findPlot(&sum, "speedup");
    CHECK(p && fileContains(p->dat_path, "\"alexnet\" 1.0000"));
    qaReportSummaryClear(&sum);
    checkWritable(st2); /* the report's read snapshot was released */
    qaStoreClose(st2);
  }

  /* --- two runs in a fresh store: the smallest speedup plot */
  {
    snprintf(db_path, sizeof db_path, "%s/real-store.db", tmp);
    QaStore *store = openFresh(db_path);
    if (store) {
      addRun(store, 1, "dadiannao", "alexnet", 16, 16, "lt", 3, kAlex, (const long long[]){1000, 2000, 400},
             1);
      addRun(store, 2, "stripes", "alexnet", 8, 8, "lt", 3, kAlex, (const long long[]){500, 1000, 200}, 1);
      snprintf(out, sizeof out, "%s/real-store", tmp);
      opt = (QaReportOptions){0};
      opt.no_render = 1;
      err = (QaErr){0};
      CHECK_MSG(qaReportPlots(store, out, &opt, &sum, &err) == QA_OK, "%s", err.msg);
      const QaReportPlot *p = findPlot(&sum, "speedup");
      CHECK(p && fileContains(p->dat_path, "\"alexnet\" 1.0000 2.0000\n"));
      qaReportSummaryClear(&sum);
    }
    qaStoreClose(store);
    qaStoreClose(NULL);
  }
  return TEST_DONE();
}
