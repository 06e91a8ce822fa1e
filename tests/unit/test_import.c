/*
** test_import.c - networks from other simulators' inputs (workloads/import.h), on the real
** sample files in tests/data/peer-formats (see its README for provenance and licences):
**  - SCALE-Sim topologies: MAC totals equal SCALE-Sim's own (its formula applied to the
**    files; numbers in the data README), both depthwise spellings, the padding convention
**    (the overhanging last window), the channel-mismatch warning; malformed rows (one-line
**    errors with file:line) and the tolerated forms (trailing commas, blank and all-comma
**    lines, a missing header-blank);
**  - Timeloop v0.4 problems: a file and the directory (natural order), P/Q/R/S mapped to
**    output width/height and filter width/height, HStride/WStride spelling, errors;
**  - DNNsim trace directories: geometry from the arrays, precision.txt, errors;
**  - qaNetOpen's dispatch (directory / .csv / problem .yaml) and its message for an
**    unknown directory.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "qatest.h"
#include "base/npy.h"
#include "workloads/import.h"
#include "workloads/layer.h"

#define PEER QA_TEST_DATA "/peer-formats/"

static char g_dir[256];

static void writeText(const char *name, const char *text) {
  char p[512];
  snprintf(p, sizeof p, "%s/%s", g_dir, name);
  FILE *f = fopen(p, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static QaNet *open(const char *p) {
  QaNet *net = NULL;
  QaErr err = {0, ""};
  int rc = qaNetOpen(p, &net, &err);
  CHECK_MSG(rc == QA_OK, "%s: %s", p, err.msg);
  return net;
}

/* qaNetOpen(P) fails with one line containing WANT. */
static void openFails(const char *p, const char *want) {
  QaNet *net = NULL;
  QaErr err = {0, ""};
  int rc = qaNetOpen(p, &net, &err);
  CHECK_MSG(rc == QA_EUSER && strstr(err.msg, want) && !strchr(err.msg, '\n'), "%s: rc %d: %s (want %s)", p,
            rc, err.msg, want);
  qaNetDestroy(net);
}

static void testScaleSim(void) {
  static const struct {
    const char *file;
    int layers;
    int64_t macs; /* SCALE-Sim's total (tests/data/peer-formats/README.md) */
  } files[] = {
      {"conv_nets_Resnet18.csv", 21, 1471181568LL}, {"conv_nets_alexnet.csv", 5, 805118496LL},
      {"conv_nets_mobilenet.csv", 27, 565519488LL}, {"conv_nets_yolo_tiny.csv", 9, 1753649072LL},
      {"mlperf_Resnet50.csv", 54, 3479536384LL},
  };
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char p[512];
    snprintf(p, sizeof p, PEER "scale-sim/%s", files[i].file);
    QaNet *net = open(p);
    if (!net) continue;
    CHECK_MSG(net->n_layers == files[i].layers, "%s: %d layers", files[i].file, net->n_layers);
    CHECK_MSG(qaNetMacs(net) == files[i].macs, "%s: %lld MACs, SCALE-Sim %lld", files[i].file,
              (long long)qaNetMacs(net), (long long)files[i].macs);
    if (!strcmp(files[i].file, "conv_nets_alexnet.csv")) {
      /* Conv1 224x224, 11x11 / 4: SCALE-Sim OH = ceil((224 - 11 + 4) / 4) = 55 -> the last
      ** window overhangs by 55*4 - 4 + 11 - 224 = 3 rows: zero padding 3 at bottom/right */
      const QaLayer *l = &net->layers[0];
      CHECK(l->pad_h == 0 && l->pad_asym && qaLayerPadB(l) == 3 && qaLayerPadR(l) == 3 &&
            qaLayerOutH(l) == 55);
      CHECK(net->notes == NULL);
    }
    if (!strcmp(files[i].file, "conv_nets_mobilenet.csv")) {
      const QaLayer *dw = &net->layers[1]; /* Conv2: Channels 32, Num Filter 1 */
      CHECK(dw->groups == 32 && dw->k == 32 && dw->c == 32);
      CHECK(net->notes && strstr(net->notes, "13 layers with Channels C and Num Filter 1 read as depthwise"));
    }
    if (!strcmp(files[i].file, "conv_nets_yolo_tiny.csv")) /* Conv1 has 4 filters, Conv2 16 channels */
      CHECK(net->notes &&
            strstr(net->notes, ":3: layer 'Conv2' has 16 channels but the previous layer 'Conv1' has 4"));
    if (!strcmp(files[i].file, "conv_nets_Resnet18.csv")) {
      const QaLayer *fc = &net->layers[20], *ds = &net->layers[7]; /* FC 1x1 over 1x1; Conv3_s 1x1/2 on 56 */
      CHECK(fc->kind == QA_LAYER_FC && fc->c == 512 && fc->k == 1000);
      /* SCALE-Sim: ceil((56 - 1 + 2) / 2) = 29 outputs; the 29th window lies past the edge,
      ** so the ifmap is extended to 57 rather than padded by a full kernel */
      CHECK(ds->h == 57 && ds->w == 57 && qaLayerOutH(ds) == 29 && !ds->pad_asym);
    }
    qaNetDestroy(net);
  }
  /* tolerated: a missing trailing comma, trailing commas, blank and all-comma lines, "DP" */
  writeText("ok.csv",
            "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
            "Strides,\n\n,,,,,,,,\nc1, 8, 8, 3, 3, 4, 8, 1,\n  \nc2DP, 6, 6, 3, 3, 8, 2, 1\n,,,\n");
  char p[512];
  snprintf(p, sizeof p, "%s/ok.csv", g_dir);
  QaNet *net = open(p);
  if (net) {
    CHECK_EQ_I64(net->n_layers, 2);
    CHECK(net->layers[1].groups == 8 && net->layers[1].k == 16); /* DP: 2 filters per channel */
    CHECK_EQ_I64(qaNetMacs(net), 6 * 6 * 9 * 4 * 8 + 4 * 4 * 9 * 8 * 2);
    qaNetDestroy(net);
  }
  static const char *const bad[][2] = {
      {"h\nc1, 8, 8, 3, 3, 4, x8, 1,\n", "bad.csv:2: "},
      {"h\nc1, 8, 8, 3, 3, 4,\n", "bad.csv:2: 6 fields"},
      {"h\nc1, 2, 2, 3, 3, 4, 8, 1,\n", "bad.csv:2: layer 'c1': filter 3x3 is larger than the ifmap 2x2"},
      {"h\n , 8, 8, 3, 3, 4, 8, 1,\n", "bad.csv:2: the layer name (first field) is empty"},
      {"h\n\n", "no layers after the header line"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    writeText("bad.csv", bad[i][0]);
    snprintf(p, sizeof p, "%s/bad.csv", g_dir);
    openFails(p, bad[i][1]);
  }
}

static void testTimeloop(void) {
  /* instances: (C, M, P, Q, R, S, stride) */
  static const int inst[5][7] = {{3, 96, 55, 55, 11, 11, 4},
                                 {96, 256, 27, 27, 5, 5, 1},
                                 {256, 384, 13, 13, 3, 3, 1},
                                 {384, 384, 13, 13, 3, 3, 1},
                                 {384, 256, 13, 13, 3, 3, 1}};
  QaNet *net = open(PEER "timeloop");
  if (net) {
    int64_t macs = 0;
    CHECK_EQ_I64(net->n_layers, 5);
    for (int i = 0; i < 5 && i < net->n_layers; i++) {
      const QaLayer *l = &net->layers[i];
      char want[32];
      snprintf(want, sizeof want, "AlexNet_layer%d", i + 1);
      CHECK_MSG(!strcmp(l->name, want), "layer %d is %s", i, l->name);
      CHECK(l->c == inst[i][0] && l->k == inst[i][1] && qaLayerOutW(l) == inst[i][2] &&
            qaLayerOutH(l) == inst[i][3]);
      CHECK(l->s == inst[i][4] && l->r == inst[i][5] && l->stride_h == inst[i][6] && l->pad_h == 0);
      macs += (int64_t)inst[i][0] * inst[i][1] * inst[i][2] * inst[i][3] * inst[i][4] * inst[i][5];
    }
    CHECK_EQ_I64(qaNetMacs(net), macs);
    CHECK(net->layers[0].h == 227); /* (55 - 1) * 4 + 11 */
    qaNetDestroy(net);
  }
  net = open(PEER "timeloop/AlexNet_layer3.yaml");
  if (net) {
    CHECK(net->n_layers == 1 && !strcmp(net->layers[0].name, "AlexNet_layer3") && net->layers[0].h == 15);
    qaNetDestroy(net);
  }
  /* HStride / WStride, a non-square layer (R, P along W; S, Q along H), natural order */
  char p[512];
  mkdir(strcat(strcpy(p, g_dir), "/tl"), 0777);
  writeText("tl/layer10.yaml",
            "problem:\n  instance: {C: 4, M: 8, N: 2, P: 5, Q: 3, R: 3, S: 1, HStride: 2, WStride: 1}\n");
  writeText("tl/layer2.yaml", "problem:\n  instance: {C: 4, M: 8, P: 4, Q: 4, R: 1, S: 1}\n");
  writeText("tl/notes.yaml", "something: else\n");
  net = open(p);
  if (net) {
    CHECK(net->n_layers == 2 && !strcmp(net->layers[0].name, "layer2") &&
          !strcmp(net->layers[1].name, "layer10"));
    const QaLayer *l = &net->layers[1];
    CHECK(l->n == 2 && l->s == 3 && l->r == 1 && l->stride_h == 2 && l->stride_w == 1);
    CHECK(l->w == 7 && l->h == 5 && qaLayerOutW(l) == 5 && qaLayerOutH(l) == 3);
    qaNetDestroy(net);
  }
  static const char *const bad[][2] = {
      {"problem:\n  instance: {C: 4, M: 8, P: 4, Q: 4, R: 1}\n", "missing required key 'S'"},
      {"problem:\n  instance: {C: 4, M: 8, P: 4, Q: 4, R: 3, S: 3, Hdilation: 2}\n",
       "dilation 2 is not supported"},
      {"problem:\n  instance: {C: 4, M: 8, P: 4, Q: 4, R: 3, S: 3, Hstride: 1, HStride: 1}\n",
       "both Hstride and HStride"},
      {"problem:\n  instance: {C: 4, M: x, P: 4, Q: 4, R: 3, S: 3}\n", "bad.yaml:2:"},
      {"problem:\n  shape: {}\n", "needs problem: {instance:"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    writeText("bad.yaml", bad[i][0]);
    snprintf(p, sizeof p, "%s/bad.yaml", g_dir);
    openFails(p, bad[i][1]);
  }
}

static void npy(const char *name, int ndim, const int64_t *shape) {
  char p[512];
  float v[4096] = {0};
  QaErr err = {0, ""};
  snprintf(p, sizeof p, "%s/dn/%s", g_dir, name);
  CHECK_MSG(qaNpyWrite(p, QA_DT_F32, ndim, shape, v, &err) == QA_OK, "%s", err.msg);
}

static void testDnnsim(void) {
  char d[512], p[512];
  snprintf(d, sizeof d, "%s/dn", g_dir);
  mkdir(d, 0777);
  int64_t w1[4] = {8, 4, 3, 3}, a1[4] = {1, 4, 6, 6}, w2[4] = {8, 1, 3, 3}, a2[4] = {1, 8, 6, 6},
          w3[2] = {10, 288}, a3[4] = {1, 8, 6, 6}, b3[1] = {10};
  npy("wgt-conv1.npy", 4, w1);
  npy("act-conv1-0.npy", 4, a1);
  npy("wgt-dw-2.npy", 4, w2); /* name dw/2: DNNsim writes '/' as '-' */
  npy("act-dw-2-0.npy", 4, a2);
  npy("wgt-fc.npy", 2, w3);
  npy("act-fc-0.npy", 4, a3);
  npy("bias-fc.npy", 1, b3);
  writeText("dn/model.csv", "conv1:conv:1:1\ndw/2:conv:1:1\n\nfc:fc:1:0\n");
  writeText("dn/precision.txt",
            "magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction\n"
            "9;8;7;\n-1;0;1;\n2;1;1;\n7;8;6;\n");
  QaNet *net = open(d);
  if (net) {
    CHECK_EQ_I64(net->n_layers, 3);
    const QaLayer *c = &net->layers[0], *dw = &net->layers[1], *fc = &net->layers[2];
    CHECK(c->c == 4 && c->k == 8 && c->r == 3 && c->pad_h == 1 && c->groups == 1 && qaLayerOutH(c) == 6);
    CHECK(!strcmp(dw->name, "dw-2") && dw->groups == 8 && dw->k == 8);
    CHECK(fc->kind == QA_LAYER_FC && fc->c == 288 && fc->k == 10 && strstr(fc->bias_trace, "bias-fc.npy"));
    CHECK(c->a_bits == 8 && c->w_bits == 9 && dw->a_bits == 8 && dw->w_bits == 9 && fc->a_bits == 8 &&
          fc->w_bits == 7);
    CHECK(strstr(c->act_trace, "act-conv1-0.npy") && strstr(c->wgt_trace, "wgt-conv1.npy"));
    qaNetDestroy(net);
  }
  writeText("dn/precision.txt", "h\n9;8;\n-1;0;\n2;1;\n7;8;\n");
  openFails(d, "precision.txt:2: 2 activation magnitude values for 3 layers");
  remove(strcat(strcpy(p, d), "/precision.txt"));
  writeText("dn/model.csv", "conv1:pool:1:1\n");
  openFails(d, "model.csv:1: layer 'conv1' has type 'pool'; use conv or fc");
  writeText("dn/model.csv", "conv1:conv:1:1\nconv9:conv:1:0\n");
  openFails(d, "model.csv:2: layer 'conv9':");
  writeText("dn/model.csv", "conv1:conv:x:1\n");
  openFails(d, "model.csv:1: Stride");
  /* a directory that is none of the layouts */
  snprintf(p, sizeof p, "%s/empty", g_dir);
  mkdir(p, 0777);
  openFails(p, "not a network directory: expected net.yaml");
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "%s/import", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(g_dir, 0777);
  testScaleSim();
  testTimeloop();
  testDnnsim();
  return TEST_DONE();
}
