/*
** test_sweep.c - sweep specs (issue 11): products and explicit points expand in a fixed
** order with the right options; repeats of one design point run once; shards partition
** the points; every bad spec is one line "FILE:LINE:COL: message" naming the key.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qatest.h"
#include "sim/sweep.h"

static char gPath[512];

/* Write TEXT to a spec file; its path in gPath. */
static const char *spec(const char *name, const char *text) {
  mkdir(QA_TEST_TMP, 0777);
  snprintf(gPath, sizeof gPath, "%s/sweep_%s.yaml", QA_TEST_TMP, name);
  FILE *f = fopen(gPath, "w");
  CHECK(f != NULL);
  if (f) {
    fputs(text, f);
    fclose(f);
  }
  return gPath;
}

/* A bad spec: QA_EUSER, and the message is one line starting "PATH:LINE:COL: " and holding WANT. */
static void bad(const char *name, const char *text, int line, const char *want) {
  QaSweep *sw = NULL;
  QaErr err = {0, ""};
  const char *path = spec(name, text);
  int rc = qaSweepLoad(path, &sw, &err);
  if (rc == QA_OK) rc = qaSweepIdentify(sw, NULL, &err);
  CHECK_MSG(rc == QA_EUSER, "%s: rc %d (%s)", name, rc, err.msg);
  char head[600];
  snprintf(head, sizeof head, "%s:%d:", path, line); /* then the column: "PATH:LINE:COL: " */
  size_t n = strlen(head);
  int col_ok = !strncmp(err.msg, head, n) && err.msg[n] >= '1' && err.msg[n] <= '9' &&
               strstr(err.msg + n, ": ") == err.msg + n + strspn(err.msg + n, "0123456789");
  CHECK_MSG(col_ok, "%s: want '%sCOL: ...', got '%s'", name, head, err.msg);
  CHECK_MSG(strstr(err.msg, want) != NULL, "%s: want '%s' in '%s'", name, want, err.msg);
  CHECK_MSG(!strchr(err.msg, '\n'), "%s: message has a line break: %s", name, err.msg);
  qaSweepDestroy(sw);
}

static void testGood(void) {
  QaSweep *sw = NULL;
  QaErr err = {0, ""};
  const char *path =
      spec("good",
           "name: my sweep\n"
           "defaults:\n"
           "  net: alexnet\n"
           "  costs: horowitz45\n"
           "product:\n"
           "  arch: [stripes, laconic]\n"
           "  bits: [8, 4/2]\n"
           "  seed: [1, 2]\n"
           "points:\n"
           "  - {arch: laconic, set: {sync: pe, lanes: 8}, bits: 8, net: mobilenetv2}\n"
           "  - {arch: stripes, bits: 8, seed: 1}\n"
           "  - {config: stripes-micro16, a_bits: 8, w_bits: 6, quant_w: sym, timing: cycle}\n");
  int rc = qaSweepLoad(path, &sw, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  if (rc) return;
  CHECK(!strcmp(qaSweepName(sw), "my sweep"));
  CHECK_EQ_I64(qaSweepCount(sw), 2 * 2 * 2 + 3);
  /* product order: arch, then bits, then seed (the last key varies fastest) */
  const QaSweepPoint *p = qaSweepAt(sw, 0);
  CHECK(!strcmp(p->opt.arch.arch, "stripes") && p->opt.a_bits == 8 && p->opt.seed == 1);
  CHECK(!strcmp(p->opt.net, "alexnet") && !strcmp(p->opt.costs, "horowitz45"));
  p = qaSweepAt(sw, 1);
  CHECK(p->opt.a_bits == 8 && p->opt.seed == 2);
  p = qaSweepAt(sw, 2);
  CHECK(p->opt.a_bits == 4 && p->opt.w_bits == 2 && p->opt.seed == 1);
  p = qaSweepAt(sw, 4);
  CHECK(!strcmp(p->opt.arch.arch, "laconic"));
  CHECK_EQ_I64(p->line, 6);
  p = qaSweepAt(sw, 8);
  CHECK(p->opt.arch.n_sets == 2 && !strcmp(p->opt.arch.sets[0], "sync=pe") &&
        !strcmp(p->opt.arch.sets[1], "lanes=8"));
  CHECK(!strcmp(p->opt.net, "mobilenetv2"));
  CHECK_MSG(strstr(p->label, "laconic sync=pe lanes=8 mobilenetv2 a8/w8") != NULL, "%s", p->label);
  CHECK_MSG(
      strstr(p->command, "qasim run --arch laconic --set sync=pe --set lanes=8 --net mobilenetv2") != NULL,
      "%s", p->command);
  CHECK_EQ_I64(p->line, 10);
  p = qaSweepAt(sw, 10);
  CHECK(p->opt.a_bits == 8 && p->opt.w_bits == 6 && p->opt.timing == QA_TIMING_CYCLE &&
        !strcmp(p->opt.quant_w, "sym"));
  CHECK(!strcmp(p->opt.arch.config, "stripes-micro16")); /* a named config stays a name */

  /* point 9 (stripes 8 seed 1) repeats point 0: one design point */
  int repeats = -1;
  rc = qaSweepIdentify(sw, &repeats, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(repeats, 1);
  CHECK_EQ_I64(qaSweepCount(sw), 10);
  for (int i = 0; i < qaSweepCount(sw); i++)
    for (int j = 0; j < i; j++) CHECK(strcmp(qaSweepAt(sw, i)->id.id, qaSweepAt(sw, j)->id.id) != 0);
  char ids[10][QA_ID_HEX];
  for (int i = 0; i < 10; i++) memcpy(ids[i], qaSweepAt(sw, i)->id.id, QA_ID_HEX);
  qaSweepDestroy(sw);

  /* shards: every point in exactly one shard, in order, deterministic */
  int seen[10] = {0};
  for (int s = 1; s <= 3; s++) {
    sw = NULL;
    CHECK(qaSweepLoad(path, &sw, &err) == QA_OK && qaSweepIdentify(sw, NULL, &err) == QA_OK);
    CHECK(qaSweepShard(sw, s, 3, &err) == QA_OK);
    CHECK_EQ_I64(qaSweepCount(sw), s == 1 ? 4 : 3);
    for (int i = 0; i < qaSweepCount(sw); i++) {
      int k = s - 1 + 3 * i;
      CHECK(!strcmp(qaSweepAt(sw, i)->id.id, ids[k]));
      seen[k]++;
    }
    qaSweepDestroy(sw);
  }
  for (int k = 0; k < 10; k++) CHECK_EQ_I64(seen[k], 1);
  int si, sn;
  CHECK(qaSweepParseShard("2/5", &si, &sn, &err) == QA_OK && si == 2 && sn == 5);
  CHECK(qaSweepParseShard("6/5", &si, &sn, &err) == QA_EUSER);
  CHECK(qaSweepParseShard("0/5", &si, &sn, &err) == QA_EUSER);
  CHECK(qaSweepParseShard("x", &si, &sn, &err) == QA_EUSER && strstr(err.msg, "I/N"));

  /* arch: all is every registered architecture; network paths are relative to the spec */
  path = spec("all", "product:\n  arch: all\n  net: nets/x.yaml\n");
  sw = NULL;
  CHECK(qaSweepLoad(path, &sw, &err) == QA_OK);
  if (sw) {
    CHECK_EQ_I64(qaSweepCount(sw), qaArchCount());
    char want[600];
    snprintf(want, sizeof want, "%s/nets/x.yaml", QA_TEST_TMP);
    CHECK_MSG(!strcmp(qaSweepAt(sw, 0)->opt.net, want), "%s", qaSweepAt(sw, 0)->opt.net);
    qaSweepDestroy(sw);
  }
}

static void testBad(void) {
  bad("top", "prodcut:\n  arch: stripes\n", 1,
      "unknown key 'prodcut' at the top level (known: name, defaults, product, points); did you mean "
      "'product'?");
  bad("pointkey", "arch: stripes\n", 1, "point keys go under defaults:, product: or points:");
  bad("key", "product:\n  arch: stripes\n  bitz: 8\n  net: alexnet\n", 3, "unknown key 'bitz' in product");
  bad("bits", "product:\n  net: alexnet\n  bits: [8, 17]\n", 3, "key 'bits': 17 is out of range [1, 16]");
  bad("bitsaw", "product:\n  net: alexnet\n  bits: 8/x\n", 3, "'8/x'");
  bad("listpoint", "points:\n  - net: alexnet\n    bits: [8, 4]\n", 3,
      "a list of values belongs in product:, not here");
  bad("arch", "product:\n  net: alexnet\n  arch: [stripes,\n         nosuch]\n", 4,
      "unknown architecture 'nosuch'");
  bad("param", "points:\n  - net: alexnet\n    arch: stripes\n    set: {nosuch: 3}\n", 4,
      "unknown parameter 'nosuch' for architecture stripes");
  bad("value", "product:\n  net: alexnet\n  arch: laconic\n  set:\n    lanes: [8, 0]\n", 5,
      "parameter 'lanes' = 0 is out of range");
  bad("nonet", "product:\n  arch: [stripes]\n", 2, "this point has no net");
  bad("empty", "name: x\n", 1, "no design points");
  bad("notmap", "- a\n- b\n", 1, "a sweep spec is a mapping");
  bad("both", "points:\n  - {net: alexnet, bits: 8, a_bits: 4}\n", 2, "gives bits and a_bits/w_bits");
  bad("twice", "product:\n  net: alexnet\n  seed: 1\n  seed: 2\n", 4,
      "duplicate key 'seed' (first at line 3)");
  bad("seed", "product:\n  net: alexnet\n  seed: -1\n", 3, "key 'seed'");
  bad("quant", "product:\n  net: alexnet\n  quant_w: [sym, bogus]\n", 3, "key 'quant_w'");
  bad("timing", "product:\n  net: alexnet\n  timing: slow\n", 3, "key 'timing'");
  bad("verify", "product:\n  net: alexnet\n  verify: maybe\n", 3, "is not true or false");
  bad("zero", "product:\n  net: alexnet\n  zero_frac: 1.5\n", 3, "out of range");
  bad("dist", "product:\n  net: alexnet\n  wgt_dist: uniform\n", 3, "use laplace or gauss");
  bad("emptylist", "product:\n  net: alexnet\n  bits: []\n", 3, "empty list");
  bad("pointsmap", "points:\n  net: alexnet\n", 2, "points must be a list");
  bad("yaml", "product:\n  net: [alexnet\n  bits: 8\n", 4,
      "YAML syntax error: flow sequence without a closing bracket");
  bad("costs", "points:\n  - {net: alexnet, costs: no-such-table}\n", 2, "point");
  bad("netfile", "points:\n  - {net: missing.yaml}\n", 2, "missing.yaml");
  /* not a file */
  QaSweep *sw = NULL;
  QaErr err = {0, ""};
  CHECK(qaSweepLoad(QA_TEST_TMP "/no-such-spec.yaml", &sw, &err) == QA_EUSER &&
        strstr(err.msg, "cannot open"));
  CHECK_MSG(qaSweepLoad(QA_TEST_TMP, &sw, &err) == QA_EUSER && strstr(err.msg, "is a directory"), "%s",
            err.msg);
}

int main(void) {
  testGood();
  testBad();
  return TEST_DONE();
}
