/*
** test_report.c - reports of design points (issue 11), from a fixed small sweep written
** through the store API (tests/pointtest.h; the schema exists once, in store/store.c):
**   - the CSV of every figure is compared byte for byte with a golden file in
**     tests/data/report/ (QA_REPORT_REGEN=1 rewrites them: review the diff);
**   - distinct design points are never merged: two Laconic configurations that differ in
**     one parameter are two series named by it ("laconic sync=grid" / "sync=pe");
**   - no colour repeats within a figure;
**   - every figure renders to a PNG larger than a blank one of the same size, and a PDF;
**   - the baseline: a design point that does not exist is an error naming those that do,
**     an ambiguous one names its matches, and param=value picks one;
**   - --where is read-only and one condition; an unknown column lists the view's columns;
**   - missing data (no energy, one bit-width, no baseline) gives notes, not errors.
** gnuplot is required (CI installs gnuplot-nox): without it the rendering checks fail.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pointtest.h"
#include "reports/report.h"

static int g_regen = 0;

#define LABEL_MAX_TEST 256

static const PtLayer kAlex16[] = {{"conv1", 4000, 90, 95}, {"conv 2", 8000, 92, 94}, {"fc6", 2000, 93, 96}};
static const PtLayer kAlex8[] = {{"conv1", 2000, 42, 45}, {"conv 2", 4000, 44, 46}, {"fc6", 1000, 43, 47}};
static const PtLayer kAlex4[] = {{"conv1", 1000, 18, 20}, {"conv 2", 2000, 19, 21}, {"fc6", 500, 20, 22}};
static const PtLayer kTiny16[] = {{"c1", 600, 90, 95}, {"fc", 200, 91, 95}};
static const PtLayer kTiny8[] = {{"c1", 300, 42, 45}, {"fc", 100, 43, 45}};

static const PtEnergy kDdn[] = {{"mult", 50}, {"adder_tree", 10}, {"sb", 300}, {"dram", 40}, {"static", 5}};
static const PtEnergy kStr16[] = {{"and", 30}, {"acc", 20}, {"sb", 300}, {"dram", 40}};
static const PtEnergy kStr8[] = {{"and", 15}, {"acc", 10}, {"sb", 150}, {"dram", 40}};
static const PtEnergy kStr4[] = {{"and", 8}, {"acc", 5}, {"sb", 80}, {"dram", 40}};
static const PtEnergy kLac8[] = {{"histogram", 20}, {"acc", 6}, {"nm", 60}, {"dram", 30}, {"static", 4}};
static const PtEnergy kLacPe[] = {{"histogram", 18}, {"acc", 6}, {"nm", 60}, {"dram", 30}, {"static", 3}};
static const PtEnergy kLac4[] = {{"histogram", 10}, {"acc", 3}, {"nm", 30}, {"dram", 30}, {"static", 2}};
static const PtArea kDdnA[] = {
    {"mult", "datapath", 4e6}, {"acc", "accumulation", 1e6}, {"sb", "memory", 60e6}};
static const PtArea kStrA[] = {
    {"and", "datapath", 5e6}, {"acc", "accumulation", 2e6}, {"sb", "memory", 60e6}};
static const PtArea kLacA[] = {
    {"histogram", "datapath", 40e6}, {"acc", "accumulation", 2e6}, {"nm", "memory", 63e6}};

/* The fixed sweep: 3 architectures (+1 unpriced), bits 16/8/4, two Laconic sync scopes,
** two networks; dadiannao at 16 bits is the baseline on both. */
static void fill(QaStore *st) {
  const PtRun runs[] = {
      {"dadiannao", "tiles: 16\n", "alexnet", 16, 16, 606, 1, "horowitz45", 3, kAlex16, 5, kDdn, 3, kDdnA},
      {"dadiannao", "tiles: 16\n", "alexnet", 8, 8, 606, 1, "horowitz45", 3, kAlex16, 5, kDdn, 3, kDdnA},
      {"dadiannao", "tiles: 16\n", "tiny net", 16, 16, 606, 1, "horowitz45", 2, kTiny16, 5, kDdn, 3, kDdnA},
      {"stripes", "tiles: 16\n", "alexnet", 16, 16, 980, 1, "horowitz45", 3, kAlex16, 4, kStr16, 3, kStrA},
      {"stripes", "tiles: 16\n", "alexnet", 8, 8, 980, 1, "horowitz45", 3, kAlex8, 4, kStr8, 3, kStrA},
      {"stripes", "tiles: 16\n", "alexnet", 4, 4, 980, 1, "horowitz45", 3, kAlex4, 4, kStr4, 3, kStrA},
      {"stripes", "tiles: 16\n", "tiny net", 8, 8, 980, 1, "horowitz45", 2, kTiny8, 4, kStr8, 3, kStrA},
      {"laconic", "sync: grid\n", "alexnet", 8, 8, 1000, 1, "horowitz45", 3, kAlex8, 5, kLac8, 3, kLacA},
      {"laconic", "sync: pe\n", "alexnet", 8, 8, 1000, 1, "horowitz45", 3, kAlex4, 5, kLacPe, 3, kLacA},
      {"laconic", "sync: grid\n", "alexnet", 4, 4, 1000, 1, "horowitz45", 3, kAlex4, 5, kLac4, 3, kLacA},
      {"pragmatic", "tiles: 16\n", "alexnet", 8, 8, 1000, 1, NULL, 3, kAlex8, 0, NULL, 0, NULL},
  };
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) CHECK(ptAddRun(st, &runs[i]) == (int64_t)i + 1);
  /* run 12: the same design point as run 5 again (newer): still one point */
  CHECK(ptAddRun(st, &runs[4]) == 12);
}

static QaStore *openFresh(const char *path) {
  char side[700];
  QaStore *st = NULL;
  QaErr err = {0, ""};
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
  CHECK_MSG(qaStoreOpen(path, &st, &err) == QA_OK, "%s", err.msg);
  return st;
}

static char *slurp(const char *path) {
  char *buf = NULL;
  QaErr err = {0, ""};
  if (qaReadFile(path, &buf, NULL, &err) != QA_OK) return NULL;
  return buf;
}

static void checkGolden(const char *dir, const char *file) {
  char got_path[2048], want_path[2048];
  snprintf(got_path, sizeof got_path, "%s/%s", dir, file);
  snprintf(want_path, sizeof want_path, "%s/report/%s", QA_TEST_DATA, file);
  char *got = slurp(got_path), *want;
  CHECK_MSG(got != NULL, "%s not written", got_path);
  if (g_regen && got) {
    FILE *f = fopen(want_path, "w");
    CHECK_MSG(f != NULL, "cannot write %s", want_path);
    if (f) {
      fputs(got, f);
      fclose(f);
    }
  }
  want = slurp(want_path);
  CHECK_MSG(want != NULL, "no golden file %s (QA_REPORT_REGEN=1 writes it)", want_path);
  if (got && want && strcmp(got, want)) {
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

/* Width and height of a PNG from its IHDR; 0 if it is not a PNG. */
static int pngSize(const char *path, int *w, int *h, long *bytes) {
  unsigned char b[24] = {0};
  struct stat sb;
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(b, 1, sizeof b, f);
  fclose(f);
  if (n != sizeof b || memcmp(b, "\x89PNG\r\n\x1a\n", 8)) return 0;
  *w = b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
  *h = b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
  *bytes = stat(path, &sb) == 0 ? (long)sb.st_size : 0;
  return 1;
}

/* The size of a blank PNG of W x H from the same terminal. */
static long blankSize(const char *dir, int w, int h) {
  char cmd[1024], path[600];
  snprintf(path, sizeof path, "%s/blank.png", dir);
  snprintf(
      cmd, sizeof cmd,
      "gnuplot -e \"set terminal pngcairo size %d,%d; set output '%s'; unset border; unset tics; unset key; "
      "plot [0:1][0:1] NaN notitle\" 2>/dev/null",
      w, h, path);
  int rc = system(cmd);
  int bw, bh;
  long bytes = 0;
  if (rc != 0 || !pngSize(path, &bw, &bh, &bytes)) return -1;
  return bytes;
}

/* Colours name series one to one in a script: two plot elements with the same colour
** have the same title (one series drawn in several panels), and the other way round. */
static int coloursUnique(const char *gp_path) {
  char *s = slurp(gp_path), col[256][8], tit[256][LABEL_MAX_TEST];
  int n = 0, ok = 1;
  for (char *p = s; p && *p;) { /* one plot element: up to ", \\" or the end of the line */
    char *end = strstr(p, ", \\");
    char *nl = strchr(p, '\n');
    if (!end || (nl && nl < end)) end = nl ? nl : p + strlen(p);
    char save = *end;
    *end = 0;
    const char *c = strstr(p, "lc rgb '#"), *t = strstr(p, " title '");
    if (c && t && n < 256) {
      snprintf(col[n], sizeof col[n], "%.7s", c + 8);
      snprintf(tit[n], sizeof tit[n], "%s", t + 8);
      char *q = strchr(tit[n], '\'');
      if (q) *q = 0;
      for (int i = 0; i < n; i++) ok &= !strcmp(col[i], col[n]) == !strcmp(tit[i], tit[n]);
      n++;
    }
    *end = save;
    p = *end ? end + 1 : end;
  }
  free(s);
  return ok && n > 0;
}

static const QaReportFigure *figure(const QaReportSummary *s, const char *name) {
  for (int i = 0; i < s->n_figures; i++)
    if (!strcmp(s->figures[i].name, name)) return &s->figures[i];
  return NULL;
}

static int hasNote(const QaReportSummary *s, const char *text) {
  for (int i = 0; i < s->n_notes; i++)
    if (strstr(s->notes[i], text)) return 1;
  return 0;
}

static void testFullReport(QaStore *st) {
  char out[512];
  QaErr err = {0, ""};
  QaReportSummary sum;
  memset(&sum, 0, sizeof sum);
  snprintf(out, sizeof out, "%s/report_full", QA_TEST_TMP);
  int rc = qaReportWrite(st, out, NULL, &sum, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(sum.n_points, 11); /* 12 runs, one point twice */
  CHECK_EQ_I64(sum.n_archs, 4);
  CHECK_EQ_I64(sum.n_networks, 2);
  CHECK(sum.baseline && !strcmp(sum.baseline, "dadiannao 16b"));
  static const char *const kFigs[] = {"speedup-time", "speedup-cycles", "energy-breakdown",
                                      "bits-energy",  "bits-speedup",   "layers-alexnet",
                                      "area",         "energy-sqnr"};
  for (int i = 0; i < 8; i++) {
    const QaReportFigure *f = figure(&sum, kFigs[i]);
    CHECK_MSG(f && f->drawn && f->rendered, "%s not drawn and rendered", kFigs[i]);
    if (!f) continue;
    char file[1200];
    snprintf(file, sizeof file, "%s.csv", kFigs[i]);
    checkGolden(out, file);
    int w = 0, h = 0;
    long bytes = 0;
    snprintf(file, sizeof file, "%s/%s.png", out, kFigs[i]);
    CHECK_MSG(pngSize(file, &w, &h, &bytes), "%s is not a PNG", file);
    long blank = blankSize(out, w, h);
    CHECK_MSG(blank > 0 && bytes > 2 * blank, "%s: %ld bytes, a blank one %ld", file, bytes, blank);
    snprintf(file, sizeof file, "%s/%s.pdf", out, kFigs[i]);
    char *pdf = slurp(file);
    CHECK_MSG(pdf && !strncmp(pdf, "%PDF", 4), "%s is not a PDF", file);
    free(pdf);
    snprintf(file, sizeof file, "%s/%s.sql", out, kFigs[i]);
    char *sql = slurp(file);
    CHECK_MSG(sql && strstr(sql, "FROM point p") && strstr(sql, "-- Computed from them:"), "%s", file);
    free(sql);
    snprintf(file, sizeof file, "%s/%s.gp", out, kFigs[i]);
    CHECK_MSG(coloursUnique(file), "%s reuses a colour", file);
  }
  /* the two Laconic 8-bit configurations are two series, named by their difference */
  char path[600];
  snprintf(path, sizeof path, "%s/speedup-time.csv", out);
  char *csv = slurp(path);
  CHECK(csv && strstr(csv, "laconic sync=grid 8b") && strstr(csv, "laconic sync=pe 8b"));
  CHECK(csv && strstr(csv, "stripes 16b,stripes 8b,stripes 4b"));
  free(csv);
  /* the index lists every figure and loads every image */
  snprintf(path, sizeof path, "%s/index.html", out);
  char *html = slurp(path);
  CHECK(html != NULL);
  for (int i = 0; html && i < 8; i++) {
    char img[128];
    snprintf(img, sizeof img, "<img src=\"%s.png\"", kFigs[i]);
    CHECK_MSG(strstr(html, img) != NULL, "index has no %s", img);
  }
  CHECK(html && strstr(html, "Per-architecture totals") && strstr(html, "data-images-loaded"));
  free(html);
  qaReportSummaryClear(&sum);
  qaReportSummaryClear(&sum); /* twice: harmless */
  qaReportSummaryClear(NULL);
}

static void testOptions(QaStore *st) {
  char out[512];
  QaErr err = {0, ""};
  QaReportSummary sum;
  QaReportOptions o;
  snprintf(out, sizeof out, "%s/report_opt", QA_TEST_TMP);

  /* a baseline that matches nothing, or two points */
  memset(&o, 0, sizeof o);
  o.baseline = "nosuch@16";
  o.baseline_required = 1;
  o.no_render = 1;
  memset(&sum, 0, sizeof sum);
  CHECK_EQ_I64(qaReportWrite(st, out, &o, &sum, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg,
                   "--baseline 'nosuch@16' matches no design point; the design points: dadiannao@16") != NULL,
            "%s", err.msg);
  CHECK_MSG(strstr(err.msg, "laconic@8,sync=pe") != NULL, "%s", err.msg);
  qaReportSummaryClear(&sum);
  o.baseline = "laconic@8";
  CHECK_EQ_I64(qaReportWrite(st, out, &o, &sum, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "matches 2 design points (laconic@8,sync=grid, laconic@8,sync=pe)") != NULL, "%s",
            err.msg);
  qaReportSummaryClear(&sum);
  o.baseline = "laconic@8,sync=pe";
  CHECK_MSG(qaReportWrite(st, out, &o, &sum, &err) == QA_OK, "%s", err.msg);
  CHECK(sum.baseline && !strcmp(sum.baseline, "laconic sync=pe 8b"));
  qaReportSummaryClear(&sum);
  o.baseline = "stripes@x";
  CHECK_EQ_I64(qaReportWrite(st, out, &o, &sum, &err), QA_EUSER);
  qaReportSummaryClear(&sum);

  /* filters: --arch, --bits, --where */
  memset(&o, 0, sizeof o);
  o.no_render = 1;
  const char *archs[] = {"STRIPES"};
  o.filter.archs = archs;
  o.filter.n_archs = 1;
  CHECK_MSG(qaReportWrite(st, out, &o, &sum, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(sum.n_points, 4);
  CHECK(hasNote(&sum, "no baseline: no design point is dadiannao@16"));
  CHECK(figure(&sum, "speedup-time") && !figure(&sum, "speedup-time")->drawn);
  CHECK(figure(&sum, "bits-energy") && figure(&sum, "bits-energy")->drawn);
  qaReportSummaryClear(&sum);
  memset(&o, 0, sizeof o);
  o.no_render = 1;
  int a[] = {8}, w[] = {8};
  o.filter.a_bits = a;
  o.filter.w_bits = w;
  o.filter.n_bits = 1;
  CHECK_MSG(qaReportWrite(st, out, &o, &sum, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(sum.n_points, 6);
  CHECK(hasNote(&sum, "bits-energy: not drawn: no design was run at two or more bit-widths"));
  qaReportSummaryClear(&sum);
  memset(&o, 0, sizeof o);
  o.no_render = 1;
  o.filter.where = "arch_config LIKE '%sync: pe%' OR arch = 'dadiannao'";
  CHECK_MSG(qaReportWrite(st, out, &o, &sum, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(sum.n_points, 4);
  qaReportSummaryClear(&sum);
  o.filter.where = "1); DROP TABLE run; --";
  CHECK_EQ_I64(qaReportWrite(st, out, &o, &sum, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "--where") != NULL, "%s", err.msg);
  qaReportSummaryClear(&sum);
  o.filter.where = "nosuch = 1";
  CHECK_EQ_I64(qaReportWrite(st, out, &o, &sum, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "no such column: nosuch") && strstr(err.msg, "energy_per_inference_pj"), "%s",
            err.msg);
  qaReportSummaryClear(&sum);
  o.filter.where = "arch = 'nothing'";
  CHECK_EQ_I64(qaReportWrite(st, out, &o, &sum, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "no design points match the filter --where 'arch = 'nothing''") != NULL, "%s",
            err.msg);
  qaReportSummaryClear(&sum);
  CHECK_EQ_I64(qaReportWrite(NULL, out, NULL, NULL, &err), QA_EUSER);
  CHECK_EQ_I64(qaReportWrite(st, "", NULL, NULL, &err), QA_EUSER);
  /* the store is still writable: no read was left open */
  PtRun r = {"stripes", NULL, "x", 2, 2, 1000, 9, NULL, 1, kTiny8, 0, NULL, 0, NULL};
  CHECK(ptAddRun(st, &r) > 0);
}

/* A store with nothing priced and one bit-width: notes, no errors. */
static void testSparse(void) {
  char path[512], out[512];
  QaErr err = {0, ""};
  QaReportSummary sum;
  snprintf(path, sizeof path, "%s/report_sparse.db", QA_TEST_TMP);
  snprintf(out, sizeof out, "%s/report_sparse", QA_TEST_TMP);
  QaStore *st = openFresh(path);
  if (!st) return;
  PtRun r = {"stripes", NULL, "alexnet", 8, 8, 1000, 1, NULL, 3, kAlex8, 0, NULL, 0, NULL};
  CHECK(ptAddRun(st, &r) == 1);
  memset(&sum, 0, sizeof sum);
  CHECK_MSG(qaReportWrite(st, out, NULL, &sum, &err) == QA_OK, "%s", err.msg);
  CHECK(hasNote(&sum, "energy-breakdown: not drawn: no priced design point"));
  CHECK(hasNote(&sum, "area: not drawn"));
  CHECK(hasNote(&sum, "energy-sqnr: not drawn"));
  CHECK(figure(&sum, "layers-alexnet") && figure(&sum, "layers-alexnet")->rendered);
  char html[600];
  snprintf(html, sizeof html, "%s/index.html", out);
  char *s = slurp(html);
  CHECK(s && strstr(s, "not drawn: no priced design point"));
  free(s);
  qaReportSummaryClear(&sum);
  qaStoreClose(st);
  /* an empty store is an error */
  st = openFresh(path);
  CHECK_EQ_I64(qaReportWrite(st, out, NULL, NULL, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "no finished runs") != NULL, "%s", err.msg);
  qaStoreClose(st);
}

static void testConfigDiff(void) {
  char buf[256];
  qaReportConfigDiff("laconic", "arch: laconic\ntiles: 16\nsync: pe\nclock_mhz: 1000\n", buf, sizeof buf);
  CHECK_MSG(!strcmp(buf, "sync=pe"), "%s", buf);
  qaReportConfigDiff("laconic", "arch: laconic\ntiles: 8\n", buf, sizeof buf);
  CHECK_MSG(!strcmp(buf, "tiles=8"), "%s", buf);
  qaReportConfigDiff("nosuch", "arch: nosuch\n", buf, sizeof buf);
  CHECK(!strncmp(buf, "config ", 7));
  CHECK_EQ_I64(qaReportComponentCategory("laconic", "histogram"), QA_CAT_DATAPATH);
  CHECK_EQ_I64(qaReportComponentCategory("laconic", "static"), QA_CAT_STATIC);
  CHECK_EQ_I64(qaReportComponentCategory("laconic", "sb"), QA_CAT_MEMORY);
  CHECK_EQ_I64(qaReportComponentCategory("laconic", "nosuch"), -1);
}

int main(void) {
  char path[512];
  g_regen = getenv("QA_REPORT_REGEN") != NULL;
  mkdir(QA_TEST_TMP, 0777);
  snprintf(path, sizeof path, "%s/report.db", QA_TEST_TMP);
  QaStore *st = openFresh(path);
  if (st) {
    fill(st);
    testFullReport(st);
    testOptions(st);
    qaStoreClose(st);
  }
  testSparse();
  testConfigDiff();
  return TEST_DONE();
}
