/*
** test_harden.c - regression tests of issue 13 (hardening) that need the library's API;
** the bad-input files and command lines are in tests/data/bad/cases.tsv (ctest cli.bad)
** and the YAML guards in test_yaml.c. Each test names the item of issue 13 it pins.
*/
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/npy.h"
#include "base/outfile.h"
#include "base/parse.h"
#include "base/strset.h"
#include "models/costs.h"
#include "qatest.h"
#include "sim/run.h"
#include "store/store.h"
#include "workloads/layer.h"

#define TMP QA_TEST_TMP "/harden"

static QaLayer conv(int n, int c, int h, int w, int k, int r, int stride) {
  QaLayer l;
  memset(&l, 0, sizeof l);
  snprintf(l.name, sizeof l.name, "x");
  l.kind = QA_LAYER_CONV;
  l.n = n, l.c = c, l.h = h, l.w = w, l.k = k, l.r = l.s = r;
  l.stride_h = l.stride_w = stride;
  qaLayerNormalize(&l);
  return l;
}

/* Item 2: every product of a layer's sizes is checked before it is formed. */
static void testLayerOverflow(void) {
  QaErr err = {0, ""};
  QaLayer l = conv(65536, 65536, 65536, 65536, 1, 1, 65536); /* N*C*H*W wrapped to 0 */
  CHECK(qaLayerValidate(&l, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "input activations (n x c x h x w) = 65536 x 65536 x 65536 x 65536"), "%s",
            err.msg);
  l = conv(1, 1000000, 1000000, 1000000, 1, 1, 1000000);
  CHECK(qaLayerValidate(&l, &err) == QA_EUSER && strstr(err.msg, "input activations"));
  l = conv(1, 1000000, 1, 1, 1000000, 1, 1); /* weights 10^12 */
  CHECK(qaLayerValidate(&l, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "weights (k x c/groups x r x s)"), "%s", err.msg);
  l = conv(65536, 1, 256, 256, 65536, 1, 1); /* outputs 2^48 */
  CHECK(qaLayerValidate(&l, &err) == QA_EUSER && strstr(err.msg, "outputs (n x k x out_h x out_w)"));
  l = conv(1, 65536, 256, 256, 65536, 2, 1); /* each tensor fits, the MACs do not */
  CHECK(qaLayerValidate(&l, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "MACs") && strstr(err.msg, "70368744177664"), "%s", err.msg);
  l = conv(1, 3, 224, 224, 64, 7, 2);
  CHECK_MSG(qaLayerValidate(&l, &err) == QA_OK, "%s", err.msg);
}

static void writeText(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

/* Item 4: duplicate checks in linear time - the set, and the largest network file the
** YAML limits allow with its duplicate at the very end. */
static void testDuplicates(void) {
  QaErr err = {0, ""};
  QaStrSet s;
  int first;
  char keys[3000][8];
  qaStrSetInit(&s);
  CHECK(qaStrSetFind(&s, "a") == -1);
  for (int i = 0; i < 3000; i++) {
    snprintf(keys[i], sizeof keys[i], "k%d", i);
    CHECK(qaStrSetAdd(&s, keys[i], i, &first, &err) == QA_OK && first == -1);
  }
  CHECK(qaStrSetAdd(&s, "k1234", 9, &first, &err) == QA_OK && first == 1234);
  CHECK(qaStrSetFind(&s, "k2999") == 2999 && qaStrSetFind(&s, "k3000") == -1);
  qaStrSetFree(&s);
  qaStrSetFree(&s); /* twice is fine */

  const char *path = TMP "/many_layers.yaml";
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  fprintf(f, "name: many\nlayers:\n");
  for (int i = 0; i < 11000; i++) fprintf(f, "  - {name: l%d, type: fc, c: 4, outputs: 4}\n", i);
  fprintf(f, "  - {name: l10998, type: fc, c: 4, outputs: 4}\n");
  fclose(f);
  QaNet *net = NULL;
  double t0 = qaNowSeconds();
  CHECK(qaNetLoadYaml(path, &net, &err) == QA_EUSER && !net);
  double dt = qaNowSeconds() - t0;
  CHECK_MSG(strstr(err.msg, ":11003:5: duplicate layer name 'l10998' (key 'name'; first used at line 11001)"),
            "%s", err.msg);
  CHECK_MSG(dt < 5, "11,001 layers took %.1f s", dt);
}

/* Item 4: a cost CSV holds at most 4096 rows (its checks are pairwise). */
static void testCostRows(void) {
  QaErr err = {0, ""};
  const char *path = TMP "/many_rows.csv";
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (!f) return;
  fprintf(f, "class,action,instance,bits_a,bits_b,capacity_bytes,energy,energy_unit,status,source\n");
  for (int i = 0; i < 20000; i++) fprintf(f, "sram,read,m%d,64,,%d,1,pJ,assumed,x\n", i, 1024);
  fclose(f);
  QaCostTable *t = NULL;
  double t0 = qaNowSeconds();
  CHECK(qaCostTableLoadCsv(path, &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg, "many_rows.csv:4098: field 'class': more than 4096 rows"), "%s", err.msg);
  CHECK_MSG(qaNowSeconds() - t0 < 5, "took %.1f s", qaNowSeconds() - t0);
}

/* Item 5: every input is opened as a regular file only - never a read that blocks. */
static void testRegularOnly(void) {
  QaErr err = {0, ""};
  const char *fifo = TMP "/fifo.npy";
  unlink(fifo);
  CHECK(mkfifo(fifo, 0600) == 0);
  QaArray *a = NULL;
  CHECK(qaNpyRead(fifo, &a, &err) == QA_EUSER && !a);
  CHECK_MSG(strstr(err.msg, "fifo.npy: is not a regular file (a FIFO); give a .npy file"), "%s", err.msg);
  CHECK(qaNpyRead(TMP, &a, &err) == QA_EUSER && !a);
  CHECK_MSG(strstr(err.msg, "/harden: is a directory; give a .npy file"), "%s", err.msg);
  int fd = -1;
  CHECK(qaOpenRegular(fifo, "network file", &fd, &err) == QA_EUSER && fd == -1);
  CHECK(qaOpenRegular(TMP "/absent", "network file", &fd, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "absent: cannot open network file: No such file"), "%s", err.msg);
  QaCostTable *t = NULL;
  const char *csv = TMP "/fifo.csv";
  unlink(csv);
  CHECK(mkfifo(csv, 0600) == 0);
  CHECK(qaCostTableLoad(csv, &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg, "fifo.csv: is not a regular file"), "%s", err.msg);
  unlink(fifo);
  unlink(csv);
}

static int fileText(const char *path, char *buf, size_t cap) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, cap - 1, f);
  buf[n] = 0;
  fclose(f);
  return (int)n;
}

/* Items 6 and 7: an output is written whole or not at all, never onto an input. */
static void testOutFile(void) {
  QaErr err = {0, ""};
  QaOutFile o;
  char buf[256];
  const char *path = TMP "/out.csv", *db = TMP "/store.db";
  writeText(path, "old\n");
  writeText(db, "a database\n");
  CHECK(qaOutOpen(&o, path, "the results database", db, &err) == QA_OK);
  fprintf(o.f, "new\n");
  CHECK(fileText(path, buf, sizeof buf) == 4 && !strcmp(buf, "old\n")); /* untouched until the end */
  CHECK_MSG(qaOutCommit(&o, &err) == QA_OK, "%s", err.msg);
  CHECK(fileText(path, buf, sizeof buf) == 4 && !strcmp(buf, "new\n"));
  CHECK(qaOutOpen(&o, path, NULL, NULL, &err) == QA_OK);
  qaOutAbort(&o);
  CHECK(fileText(path, buf, sizeof buf) == 4 && !strcmp(buf, "new\n"));

  /* the database itself, through another name */
  const char *link = TMP "/link.db";
  unlink(link);
  CHECK(symlink("store.db", link) == 0);
  CHECK(qaOutOpen(&o, link, "the results database", db, &err) == QA_EUSER && !o.f);
  CHECK_MSG(strstr(err.msg, "link.db: is the results database"), "%s", err.msg);
  CHECK(fileText(db, buf, sizeof buf) == 11);
  CHECK(qaOutOpen(&o, TMP, NULL, NULL, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "exists and is a directory"), "%s", err.msg);

  /* a full disk (a file size limit here): an error, and the old file is kept */
  struct rlimit old, lim;
  getrlimit(RLIMIT_FSIZE, &old);
  lim = old;
  lim.rlim_cur = 4096;
  signal(SIGXFSZ, SIG_IGN);
  CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
  CHECK(qaOutOpen(&o, path, NULL, NULL, &err) == QA_OK);
  for (int i = 0; i < 2000; i++) fprintf(o.f, "row %d of a long export\n", i);
  CHECK(qaOutCommit(&o, &err) == QA_EUSER && !o.f);
  CHECK_MSG(strstr(err.msg, "out.csv: write failed: File too large; nothing was written"), "%s", err.msg);
  setrlimit(RLIMIT_FSIZE, &old);
  CHECK(fileText(path, buf, sizeof buf) == 4 && !strcmp(buf, "new\n"));
  unlink(path);
  unlink(link);
  unlink(db);
}

/* Item 13: the memory estimate of a layer, and sizes on the command line. */
static void testMemory(void) {
  QaErr err = {0, ""};
  QaLayer fc;
  memset(&fc, 0, sizeof fc);
  fc.kind = QA_LAYER_FC;
  fc.c = 1000000, fc.k = 4000;
  qaLayerNormalize(&fc);
  CHECK(qaLayerValidate(&fc, &err) == QA_OK);
  /* 4 G weights: int32 codes held (16 GB) + the simulator's copies (20 GB): 33.5 GiB */
  CHECK(qaRunLayerMemory(&fc) > (int64_t)33 << 30);
  QaLayer l = conv(1, 3, 8, 8, 4, 3, 1);
  int64_t na = 192, nw = 108, no = 144, pna = 192;
  CHECK_EQ_I64(qaRunLayerMemory(&l), 4 * na + 4 * nw + 8 * no + 8 * pna + 5 * (na + nw) + 8 * no);
  snprintf(l.act_trace, sizeof l.act_trace, "a.npy"); /* a trace adds its array as read */
  CHECK(qaRunLayerMemory(&l) >= 4 * na + 4 * nw + 8 * no + 12 * na + 4 * nw);
  CHECK(qaRunMemoryDefault() > (int64_t)64 << 20);

  int64_t v = 0;
  CHECK(qaParseSize("512M", "--max-memory", 1, INT64_MAX, &v, &err) == QA_OK && v == (int64_t)512 << 20);
  CHECK(qaParseSize("1.5GiB", "--max-memory", 1, INT64_MAX, &v, &err) == QA_OK && v == (int64_t)3 << 29);
  CHECK(qaParseSize("4096", "--max-memory", 1, INT64_MAX, &v, &err) == QA_OK && v == 4096);
  CHECK(qaParseSize("2TB", "--max-memory", 1, INT64_MAX, &v, &err) == QA_OK && v == (int64_t)2 << 40);
  const char *bad[] = {"", "G", "1X", " 1G", "1 G", "-1G", "1e400", "nanG", "1GG"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    CHECK_MSG(qaParseSize(bad[i], "--max-memory", 1, INT64_MAX, &v, &err) == QA_EUSER, "'%s'", bad[i]);
  CHECK(qaParseSize("1K", "--max-memory", 1 << 20, INT64_MAX, &v, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "--max-memory: 1K is out of range"), "%s", err.msg);
}

/* Items 8 and 9: a reader never writes (read-only media), and files that are not
** qasim stores are user errors. */
static void testStoreReadOnly(void) {
  QaErr err = {0, ""};
  QaStore *st = NULL;
  const char *db = TMP "/ro.db", *empty = TMP "/empty.db";
  char before[65536], after[65536];
  unlink(db);
  CHECK_MSG(qaStoreOpen(db, &st, &err) == QA_OK, "%s", err.msg); /* creates the schema */
  qaStoreClose(st);
  st = NULL;
  int n = fileText(db, before, sizeof before);
  CHECK(n > 0);
  CHECK_MSG(qaStoreOpenReadOnly(db, &st, &err) == QA_OK, "%s", err.msg);
  FILE *null = fopen("/dev/null", "w");
  CHECK(st && null && qaStoreListRuns(st, null, &err) == QA_OK);
  if (null) fclose(null);
  qaStoreClose(st);
  st = NULL;
  CHECK(fileText(db, after, sizeof after) == n && !memcmp(before, after, (size_t)n));
  CHECK(qaStoreOpenReadOnly(TMP "/absent.db", &st, &err) == QA_EUSER && !st);
  struct stat sb;
  CHECK(stat(TMP "/absent.db", &sb) != 0); /* never created */
  writeText(empty, "");
  CHECK(qaStoreOpenReadOnly(empty, &st, &err) == QA_EUSER && !st);
  CHECK_MSG(strstr(err.msg, "empty.db: not a qasim results store (schema version 0"), "%s", err.msg);
  CHECK(stat(empty, &sb) == 0 && sb.st_size == 0);
  writeText(empty, "not a database at all, just text that is long enough to have a header...");
  CHECK(qaStoreOpenReadOnly(empty, &st, &err) == QA_EUSER && strstr(err.msg, "not an SQLite database"));
  unlink(db);
  unlink(empty);
}

int main(void) {
  mkdir(QA_TEST_TMP, 0755);
  mkdir(TMP, 0755);
  testLayerOverflow();
  testDuplicates();
  testCostRows();
  testRegularOnly();
  testOutFile();
  testMemory();
  testStoreReadOnly();
  return TEST_DONE();
}
