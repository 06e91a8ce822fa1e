/*
** test_netfile.c - YAML network files: every key form of a good file, one bad file
** per error class (each message names the file, the 1-based line and the key), and
** qaNetOpen's built-in-name-first lookup.
*/
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qatest.h"
#include "workloads/layer.h"

#define DATA QA_TEST_DATA "/nets/"

static QaNet *load(const char *path) {
  QaNet *net = NULL;
  QaErr err = {0, ""};
  int rc = qaNetLoadYaml(path, &net, &err);
  CHECK_MSG(rc == QA_OK && net, "%s: rc %d: %s", path, rc, err.msg);
  return rc == QA_OK ? net : NULL;
}

static void checkLayer(const QaLayer *l, const char *name, QaLayerKind kind, int n, int c, int h, int w,
                       int k, int r, int s, int sh, int sw, int ph, int pw, int g, int a_bits, int w_bits) {
  CHECK_MSG(strcmp(l->name, name) == 0, "layer %s, want %s", l->name, name);
  CHECK_MSG(l->kind == kind, "%s kind", name);
  int got[] = {l->n,        l->c,        l->h,     l->w,     l->k,      l->r,      l->s,
               l->stride_h, l->stride_w, l->pad_h, l->pad_w, l->groups, l->a_bits, l->w_bits};
  int want[] = {n, c, h, w, k, r, s, sh, sw, ph, pw, g, a_bits, w_bits};
  static const char *f[] = {"n",        "c",        "h",     "w",     "k",      "r",      "s",
                            "stride_h", "stride_w", "pad_h", "pad_w", "groups", "a_bits", "w_bits"};
  for (int i = 0; i < 14; i++)
    CHECK_MSG(got[i] == want[i], "%s.%s = %d, want %d", name, f[i], got[i], want[i]);
}

static void testGood(void) {
  const char *path = DATA "good.yaml";
  QaNet *net = load(path);
  if (!net) return;
  CHECK(strcmp(net->name, "tiny-net") == 0);
  CHECK(strcmp(net->source, path) == 0);
  CHECK_EQ_I64(net->n_layers, 8);
  if (net->n_layers != 8) goto end;
  QaLayer *L = net->layers;
  /* batch 2 everywhere; network bits {a: 8, w: 6} unless a layer overrides a or w */
  checkLayer(&L[0], "conv1", QA_LAYER_CONV, 2, 3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 4, 4);
  checkLayer(&L[1], "conv2", QA_LAYER_CONV, 2, 16, 32, 31, 32, 3, 5, 2, 1, 1, 2, 2, 8, 2);
  checkLayer(&L[2], "dw3", QA_LAYER_CONV, 2, 32, 16, 16, 32, 3, 3, 1, 1, 1, 1, 32, 8, 6);
  checkLayer(&L[3], "dw4", QA_LAYER_CONV, 2, 32, 16, 16, 64, 3, 3, 2, 2, 0, 0, 32, 3, 5);
  checkLayer(&L[4], "fc5", QA_LAYER_FC, 2, 1024, 1, 1, 100, 1, 1, 1, 1, 0, 0, 1, 3, 5); /* alias */
  checkLayer(&L[5], "fc6", QA_LAYER_FC, 2, 100, 1, 1, 50, 1, 1, 1, 1, 0, 0, 1, 8, 6);
  checkLayer(&L[6], "fc7", QA_LAYER_FC, 2, 50, 1, 1, 10, 1, 1, 1, 1, 0, 0, 1, 8, 6);
  checkLayer(&L[7], "fc8", QA_LAYER_FC, 2, 10, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 16, 6);
  /* traces: relative to the YAML file's directory, absolute kept, missing ones empty */
  CHECK(strcmp(L[0].act_trace, DATA "traces/conv1_act.npy") == 0);
  CHECK(strcmp(L[0].wgt_trace, "/abs/conv1_wgt.npy") == 0);
  CHECK(strcmp(L[6].act_trace, "") == 0);
  CHECK(strcmp(L[6].wgt_trace, DATA "fc7_wgt.npy") == 0);
  for (int i = 1; i < 8; i++)
    if (i != 6) CHECK(L[i].act_trace[0] == 0 && L[i].wgt_trace[0] == 0);
  /* derived geometry */
  CHECK_EQ_I64(qaLayerOutH(&L[0]), 32);
  CHECK_EQ_I64(qaLayerOutH(&L[1]), 16); /* (32 + 2 - 3) / 2 + 1 */
  CHECK_EQ_I64(qaLayerOutW(&L[1]), 31); /* (31 + 4 - 5) / 1 + 1 */
  CHECK_EQ_I64(qaLayerOutH(&L[3]), 7);  /* (16 - 3) / 2 + 1 */
  int64_t macs = 2 * (16LL * 32 * 32 * 3 * 9 + 32LL * 16 * 31 * 8 * 15 + 32LL * 16 * 16 * 9 +
                      64LL * 7 * 7 * 9 + 1024LL * 100 + 100 * 50 + 50 * 10 + 10 * 2);
  CHECK_EQ_I64(qaNetMacs(net), macs);
  for (int i = 0; i < 8; i++) {
    QaErr err = {0, ""};
    CHECK_MSG(qaLayerValidate(&L[i], &err) == QA_OK, "%s", err.msg);
  }
end:
  qaNetDestroy(net);
}

static void testDefaults(void) {
  QaNet *net = load(DATA "minimal.yaml");
  if (!net) return;
  CHECK(strcmp(net->name, "one") == 0);
  CHECK_EQ_I64(net->n_layers, 1);
  /* batch 1, stride 1, padding 0, groups 1, bits 0 (= the run's default), no traces */
  checkLayer(&net->layers[0], "only", QA_LAYER_CONV, 1, 1, 5, 5, 1, 5, 5, 1, 1, 0, 0, 1, 0, 0);
  CHECK(net->layers[0].act_trace[0] == 0 && net->layers[0].wgt_trace[0] == 0);
  CHECK_EQ_I64(qaLayerOutH(&net->layers[0]), 1);
  QaNet *again = load(DATA "minimal.yaml");
  if (again) CHECK(qaNetHash(net) == qaNetHash(again));
  QaNet *good = load(DATA "good.yaml");
  if (good) CHECK(qaNetHash(net) != qaNetHash(good));
  qaNetDestroy(again);
  qaNetDestroy(good);
  qaNetDestroy(net);
}

/* Load a bad file: QA_EUSER, no network, and a one-line message "FILE:LINE:COL: ..." that
** contains each of the (up to two) needles. line 0: "FILE: ..." without a position. */
static void expectBad(const char *file, int line, int col, const char *needle1, const char *needle2) {
  char path[512], prefix[600];
  snprintf(path, sizeof path, "%s%s", DATA, file);
  if (line > 0)
    snprintf(prefix, sizeof prefix, "%s:%d:%d: ", path, line, col);
  else
    snprintf(prefix, sizeof prefix, "%s: ", path);
  QaNet *net = (QaNet *)&net; /* must be reset to NULL */
  QaErr err = {0, ""};
  int rc = qaNetLoadYaml(path, &net, &err);
  CHECK_MSG(rc == QA_EUSER, "%s: rc %d", file, rc);
  CHECK_EQ_I64(err.rc, QA_EUSER);
  CHECK_MSG(net == NULL, "%s: net not NULL", file);
  CHECK_MSG(strncmp(err.msg, prefix, strlen(prefix)) == 0, "%s: message '%s' does not start '%s'", file,
            err.msg, prefix);
  CHECK_MSG(!needle1 || strstr(err.msg, needle1), "%s: '%s' not in '%s'", file, needle1, err.msg);
  CHECK_MSG(!needle2 || strstr(err.msg, needle2), "%s: '%s' not in '%s'", file, needle2, err.msg);
  CHECK_MSG(strchr(err.msg, '\n') == NULL, "%s: multi-line message", file);
}

static void testBad(void) {
  expectBad("bad_unknown_key.yaml", 7, 5, "unknown key 'filtrs' in layer 'conv1'",
            "(known: name, type, input, c, filters, outputs, kernel, stride, padding, groups, bits, "
            "quant, trace)");
  expectBad("bad_unknown_top.yaml", 2, 1, "unknown key 'batchsize'",
            "known: name, source, batch, bits, layers");
  expectBad("bad_missing_key.yaml", 7, 5, "missing required key 'kernel'", "layer 'conv2'");
  expectBad("bad_missing_layers.yaml", 2, 1, "missing required key 'layers'", NULL);
  expectBad("bad_not_int.yaml", 6, 14, "key 'filters' in layer 'conv1'",
            "must be an integer (got 'sixteen')");
  expectBad("bad_negative.yaml", 8, 14, "key 'padding' in layer 'conv1' = -1", "out of range");
  expectBad("bad_list_len.yaml", 5, 12, "key 'input' in layer 'conv1'",
            "list of 3 integers (got a list of 2)");
  expectBad("bad_bits.yaml", 9, 15, "key 'bits.a' in layer 'conv1' = 17", "[1, 16]");
  expectBad("bad_stride.yaml", 8, 17, "key 'stride' in layer 'conv1' = 0", "out of range [1,");
  expectBad("bad_same.yaml", 9, 14, "key 'padding' in layer 'conv1'",
            "'same' needs an odd kernel and stride 1");
  expectBad("bad_type.yaml", 4, 11, "key 'type' in layer 'pool1'", "conv, fc or dwconv (got 'maxpool')");
  expectBad("bad_fc_keys.yaml", 7, 5, "key 'kernel' in layer 'fc1'", "does not apply to an fc layer");
  /* geometry: qaLayerValidate's message, prefixed with the file and the layer's line */
  expectBad("bad_geometry.yaml", 8, 5, "layer 'conv2'", "groups = 4 must divide c = 4 and k = 6");
  expectBad("bad_duplicate.yaml", 8, 5, "duplicate layer name 'conv1'", "first used at line 3");
  expectBad("bad_empty_layers.yaml", 2, 1, "key 'layers' is an empty list", NULL);
  expectBad("bad_syntax.yaml", 6, 21, "YAML syntax error", "closing bracket");
  expectBad("bad_duplicate_key.yaml", 8, 5, "duplicate key 'kernel'", "(first at line 6)");
  expectBad("bad_top_list.yaml", 1, 1, "top level must be a mapping", NULL);
  expectBad("bad_empty_file.yaml", 1, 1, "empty", NULL);
  expectBad("bad_fc_input.yaml", 6, 12, "key 'input' in layer 'fc1'", "[C] or [C, H, W]");
  expectBad("no_such_file.yaml", 0, 0, "cannot open network file", "No such file");
  QaNet *net = NULL;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaNetLoadYaml(QA_TEST_DATA "/nets", &net, &err), QA_EUSER); /* a directory */
  CHECK_MSG(strstr(err.msg, "/nets: is a directory") != NULL, "%s", err.msg);
  CHECK(net == NULL);
}

/* libfyaml must print nothing itself: the user sees only our one-line message. */
static void testQuietParser(void) {
  char log[600];
  snprintf(log, sizeof log, "%s/netfile_stderr.txt", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  fflush(stderr);
  int saved = dup(2), fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK(saved >= 0 && fd >= 0);
  if (saved < 0 || fd < 0) return;
  dup2(fd, 2);
  close(fd);
  static const char *files[] = {"bad_syntax.yaml", "bad_duplicate_key.yaml", "bad_empty_file.yaml",
                                "bad_unknown_key.yaml", "good.yaml"};
  int rcs[5];
  for (int i = 0; i < 5; i++) {
    char path[512];
    QaNet *net = NULL;
    QaErr err = {0, ""};
    snprintf(path, sizeof path, "%s%s", DATA, files[i]);
    rcs[i] = qaNetLoadYaml(path, &net, &err);
    qaNetDestroy(net);
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  for (int i = 0; i < 4; i++) CHECK_EQ_I64(rcs[i], QA_EUSER);
  CHECK_EQ_I64(rcs[4], QA_OK);
  struct stat st;
  CHECK(stat(log, &st) == 0 && st.st_size == 0);
}

static int writeFile(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fputs(text, f);
  fclose(f);
  return 0;
}

static void testOpen(void) {
  QaNet *net = NULL;
  QaErr err = {0, ""};
  /* built-in names, in any spelling */
  CHECK_EQ_I64(qaNetOpen("ResNet-50", &net, &err), QA_OK);
  CHECK(net && strcmp(net->name, "resnet50") == 0 && strcmp(net->source, "builtin") == 0);
  qaNetDestroy(net);
  /* a path */
  CHECK_EQ_I64(qaNetOpen(DATA "good.yaml", &net, &err), QA_OK);
  CHECK(net && strcmp(net->name, "tiny-net") == 0);
  qaNetDestroy(net);
  /* neither: the unknown-network message */
  net = (QaNet *)&net;
  CHECK_EQ_I64(qaNetOpen("foo", &net, &err), QA_EUSER);
  CHECK(net == NULL);
  CHECK_MSG(strstr(err.msg, "unknown network 'foo'; built-in networks: alexnet, vgg16") == err.msg, "%s",
            err.msg);
  CHECK(strstr(err.msg, "YAML network file"));
  /* something that looks like a YAML file but is missing: the file error, not "unknown network" */
  CHECK_EQ_I64(qaNetOpen("missing-net.yml", &net, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "missing-net.yml: cannot open network file") == err.msg, "%s", err.msg);
  CHECK_EQ_I64(qaNetOpen("", &net, &err), QA_EUSER);
  CHECK(strstr(err.msg, "unknown network ''"));

  /* relative trace paths from a file named without a directory; built-in names win over files */
  char dir[600], cwd[1024];
  snprintf(dir, sizeof dir, "%s/netfile", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(dir, 0777);
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  CHECK(chdir(dir) == 0);
  const char *yaml =
      "name: local\nlayers:\n  - {name: f, type: fc, input: 4, outputs: 2, "
      "trace: {act: t/a.npy}}\n";
  CHECK(writeFile("vgg16", yaml) == 0);
  CHECK(writeFile("mynet", yaml) == 0);
  CHECK_EQ_I64(qaNetOpen("vgg16", &net, &err), QA_OK); /* the built-in, not the file */
  CHECK(net && strcmp(net->name, "vgg16") == 0 && strcmp(net->source, "builtin") == 0);
  qaNetDestroy(net);
  CHECK_EQ_I64(qaNetOpen("./vgg16", &net, &err), QA_OK); /* a path: the file */
  CHECK(net && strcmp(net->name, "local") == 0 && strcmp(net->source, "./vgg16") == 0);
  if (net) CHECK(strcmp(net->layers[0].act_trace, "./t/a.npy") == 0);
  qaNetDestroy(net);
  CHECK_EQ_I64(qaNetOpen("mynet", &net, &err), QA_OK); /* an existing file without extension */
  CHECK(net && strcmp(net->name, "local") == 0);
  if (net) CHECK(strcmp(net->layers[0].act_trace, "t/a.npy") == 0);
  qaNetDestroy(net);
  CHECK(chdir(cwd) == 0);
}

int main(void) {
  testGood();
  testDefaults();
  testBad();
  testQuietParser();
  testOpen();
  return TEST_DONE();
}
