/*
** nets.c - the built-in networks: published ImageNet layer shapes as conv/fc layers.
**
** Each network is written as a short builder program that walks the feature map
** through the network: conv() and fc() append a layer whose input is the current
** (c, h, w) and then advance it to the layer's output; pool() and gpool() only
** change the spatial size (pooling, BN, ReLU and residual adds carry no MACs and
** are not layers here). Branches (ResNet projection shortcuts) rewind the input
** with at() before the shortcut conv. All networks use batch n = 1.
*/
#include "workloads/layer.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"

#define NET_LAYERS_MAX 64 /* the largest built-in network (ResNet-50) has 54 */

typedef struct Builder {
  QaLayer *l;  /* NET_LAYERS_MAX slots, owned by the QaNet being built */
  int n;       /* layers added so far */
  int c, h, w; /* current feature map: channels, height, width (pixels) */
  int overflow;
} Builder;

static QaLayer *push(Builder *b, QaLayerKind kind, const char *fmt, va_list ap) {
  if (b->n >= NET_LAYERS_MAX) {
    b->overflow = 1;
    return NULL;
  }
  QaLayer *l = &b->l[b->n++];
  memset(l, 0, sizeof *l);
  vsnprintf(l->name, sizeof l->name, fmt, ap);
  l->kind = kind;
  l->n = 1;
  l->c = b->c;
  l->h = b->h;
  l->w = b->w;
  return l;
}

/* Append a k-filter r x r convolution over the current map and advance to its output. */
#if defined(__GNUC__)
__attribute__((format(printf, 7, 8)))
#endif
static void
conv(Builder *b, int k, int r, int stride, int pad, int groups, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  QaLayer *l = push(b, QA_LAYER_CONV, fmt, ap);
  va_end(ap);
  if (!l) return;
  l->k = k;
  l->r = l->s = r;
  l->stride_h = l->stride_w = stride;
  l->pad_h = l->pad_w = pad;
  l->groups = groups;
  b->c = k;
  b->h = qaLayerOutH(l);
  b->w = qaLayerOutW(l);
}

/* Append a fully connected layer over the flattened current map (c*h*w features). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
fc(Builder *b, int k, const char *fmt, ...) {
  int features = b->c * b->h * b->w;
  va_list ap;
  va_start(ap, fmt);
  QaLayer *l = push(b, QA_LAYER_FC, fmt, ap);
  va_end(ap);
  if (!l) return;
  l->c = features;
  l->h = l->w = l->r = l->s = 1;
  l->k = k;
  b->c = k;
  b->h = b->w = 1;
}

/* A pooling window (no MACs): only the spatial size changes. */
static void pool(Builder *b, int r, int stride, int pad) {
  b->h = (b->h + 2 * pad - r) / stride + 1;
  b->w = (b->w + 2 * pad - r) / stride + 1;
}
static void gpool(Builder *b) { b->h = b->w = 1; }
static void at(Builder *b, int c, int h, int w) {
  b->c = c;
  b->h = h;
  b->w = w;
}

/* ---- the networks ------------------------------------------------------------------ */

/* Krizhevsky et al. 2012, the two-GPU model: conv2, conv4, conv5 see only their GPU's half. */
static void buildAlexnet(Builder *b) {
  at(b, 3, 227, 227);
  conv(b, 96, 11, 4, 0, 1, "conv1"); /* 55x55 */
  pool(b, 3, 2, 0);                  /* 27 */
  conv(b, 256, 5, 1, 2, 2, "conv2");
  pool(b, 3, 2, 0); /* 13 */
  conv(b, 384, 3, 1, 1, 1, "conv3");
  conv(b, 384, 3, 1, 1, 2, "conv4");
  conv(b, 256, 3, 1, 1, 2, "conv5");
  pool(b, 3, 2, 0); /* 6 */
  fc(b, 4096, "fc6");
  fc(b, 4096, "fc7");
  fc(b, 1000, "fc8");
}

/* Simonyan & Zisserman 2015, configuration D. */
static void buildVgg16(Builder *b) {
  static const int stage_k[5] = {64, 128, 256, 512, 512}, stage_n[5] = {2, 2, 3, 3, 3};
  at(b, 3, 224, 224);
  for (int s = 0; s < 5; s++) {
    for (int i = 0; i < stage_n[s]; i++) conv(b, stage_k[s], 3, 1, 1, 1, "conv%d_%d", s + 1, i + 1);
    pool(b, 2, 2, 0);
  }
  fc(b, 4096, "fc6");
  fc(b, 4096, "fc7");
  fc(b, 1000, "fc8");
}

/* He et al. 2016; names and padding as in torchvision. Blocks per stage, block kind. */
static void buildResnet(Builder *b, const int blocks[4], int bottleneck) {
  at(b, 3, 224, 224);
  conv(b, 64, 7, 2, 3, 1, "conv1"); /* 112 */
  pool(b, 3, 2, 1);                 /* 56 */
  for (int s = 0; s < 4; s++) {
    int width = 64 << s, out = bottleneck ? 4 * width : width;
    for (int i = 0; i < blocks[s]; i++) {
      int stride = (s > 0 && i == 0) ? 2 : 1;
      int in_c = b->c, in_h = b->h, in_w = b->w;
      if (bottleneck) { /* v1.5: the stride sits on the 3x3 conv */
        conv(b, width, 1, 1, 0, 1, "layer%d.%d.conv1", s + 1, i);
        conv(b, width, 3, stride, 1, 1, "layer%d.%d.conv2", s + 1, i);
        conv(b, out, 1, 1, 0, 1, "layer%d.%d.conv3", s + 1, i);
      } else {
        conv(b, width, 3, stride, 1, 1, "layer%d.%d.conv1", s + 1, i);
        conv(b, width, 3, 1, 1, 1, "layer%d.%d.conv2", s + 1, i);
      }
      if (stride != 1 || in_c != out) { /* 1x1 projection shortcut from the block input */
        at(b, in_c, in_h, in_w);
        conv(b, out, 1, stride, 0, 1, "layer%d.%d.downsample", s + 1, i);
      }
    }
  }
  gpool(b);
  fc(b, 1000, "fc");
}
static void buildResnet18(Builder *b) {
  static const int blocks[4] = {2, 2, 2, 2};
  buildResnet(b, blocks, 0);
}
static void buildResnet50(Builder *b) {
  static const int blocks[4] = {3, 4, 6, 3};
  buildResnet(b, blocks, 1);
}

/* Howard et al. 2017, width 1.0; names as in keras.applications. */
static void buildMobilenetV1(Builder *b) {
  static const int pw_k[13] = {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
  static const int dw_stride[13] = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
  at(b, 3, 224, 224);
  conv(b, 32, 3, 2, 1, 1, "conv1"); /* 112 */
  for (int i = 0; i < 13; i++) {
    conv(b, b->c, 3, dw_stride[i], 1, b->c, "conv_dw_%d", i + 1);
    conv(b, pw_k[i], 1, 1, 0, 1, "conv_pw_%d", i + 1);
  }
  gpool(b);
  fc(b, 1000, "conv_preds");
}

/* Sandler et al. 2018, width 1.0; names as in keras.applications. Rows are (t, c, n, s). */
static void buildMobilenetV2(Builder *b) {
  static const int cfg[6][4] = {{6, 24, 2, 2}, {6, 32, 3, 2},  {6, 64, 4, 2},
                                {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  at(b, 3, 224, 224);
  conv(b, 32, 3, 2, 1, 1, "Conv1");                    /* 112 */
  conv(b, 32, 3, 1, 1, 32, "expanded_conv_depthwise"); /* t = 1: no expansion */
  conv(b, 16, 1, 1, 0, 1, "expanded_conv_project");
  int block = 1;
  for (int row = 0; row < 6; row++) {
    for (int i = 0; i < cfg[row][2]; i++, block++) {
      int hidden = b->c * cfg[row][0];
      conv(b, hidden, 1, 1, 0, 1, "block_%d_expand", block);
      conv(b, hidden, 3, i == 0 ? cfg[row][3] : 1, 1, hidden, "block_%d_depthwise", block);
      conv(b, cfg[row][1], 1, 1, 0, 1, "block_%d_project", block);
    }
  }
  conv(b, 1280, 1, 1, 0, 1, "Conv_1");
  gpool(b);
  fc(b, 1000, "Logits");
}

typedef struct NetDef {
  QaNetInfo info;
  void (*build)(Builder *b);
} NetDef;

static const NetDef NETS[] = {
    {{"alexnet", "AlexNet (ImageNet, 227x227, grouped 2-GPU)",
      "Krizhevsky, Sutskever, Hinton: ImageNet Classification with Deep Convolutional Neural "
      "Networks, NIPS 2012 (original two-GPU model: conv2/4/5 have groups = 2)"},
     buildAlexnet},
    {{"vgg16", "VGG-16 (ImageNet, 224x224)",
      "Simonyan, Zisserman: Very Deep Convolutional Networks for Large-Scale Image Recognition, "
      "ICLR 2015 (configuration D)"},
     buildVgg16},
    {{"resnet18", "ResNet-18 (ImageNet, 224x224)",
      "He, Zhang, Ren, Sun: Deep Residual Learning for Image Recognition, CVPR 2016 (layer names and "
      "1x1 projection shortcuts as in torchvision)"},
     buildResnet18},
    {{"resnet50", "ResNet-50 v1.5 (ImageNet, 224x224)",
      "He, Zhang, Ren, Sun: Deep Residual Learning for Image Recognition, CVPR 2016; v1.5 as in "
      "torchvision (stride 2 on the 3x3 conv of each bottleneck)"},
     buildResnet50},
    {{"mobilenetv1", "MobileNetV1 1.0 (ImageNet, 224x224)",
      "Howard et al.: MobileNets: Efficient Convolutional Neural Networks for Mobile Vision "
      "Applications, arXiv:1704.04861, 2017 (width 1.0; layer names as in keras.applications)"},
     buildMobilenetV1},
    {{"mobilenetv2", "MobileNetV2 1.0 (ImageNet, 224x224)",
      "Sandler et al.: MobileNetV2: Inverted Residuals and Linear Bottlenecks, CVPR 2018 (width "
      "1.0; layer names as in keras.applications)"},
     buildMobilenetV2},
};
#define N_NETS ((int)(sizeof NETS / sizeof NETS[0]))

int qaNetBuiltinCount(void) { return N_NETS; }

const QaNetInfo *qaNetBuiltinInfo(int i) { return (i >= 0 && i < N_NETS) ? &NETS[i].info : NULL; }

/* Lowercase and drop '-', '_', '.', ' ' so "ResNet-18" and "mobilenet_v2" match. */
static void canonName(const char *in, char *out, size_t cap) {
  size_t n = 0;
  for (; *in && n + 1 < cap; in++) {
    if (*in == '-' || *in == '_' || *in == '.' || *in == ' ') continue;
    out[n++] = (char)tolower((unsigned char)*in);
  }
  out[n] = 0;
}

static int findNet(const char *name) {
  char want[QA_NAME_MAX];
  if (!name) return -1;
  canonName(name, want, sizeof want);
  for (int i = 0; i < N_NETS; i++)
    if (strcmp(want, NETS[i].info.name) == 0) return i;
  return -1;
}

/* Append "alexnet, vgg16, ..." to b. */
static void listNames(QaStrBuf *b) {
  for (int i = 0; i < N_NETS; i++) qaStrBufAppendf(b, "%s%s", i ? ", " : "", NETS[i].info.name);
}

int qaNetBuiltin(const char *name, QaNet **out, QaErr *err) {
  int rc = QA_OK;
  QaNet *net = NULL;
  *out = NULL;
  int idx = findNet(name);
  if (idx < 0) {
    QaStrBuf names;
    qaStrBufInit(&names);
    listNames(&names);
    rc = qaStrBufCheck(&names, err);
    if (rc == QA_OK)
      rc =
          qaErrSet(err, QA_EUSER, "unknown network '%s'; built-in networks: %s (or give a YAML network file)",
                   name ? name : "", qaStrBufText(&names));
    qaStrBufFree(&names);
    return rc;
  }
  net = qaNetCreate(NETS[idx].info.name, NET_LAYERS_MAX, err);
  if (!net) return QA_EINTERNAL;
  Builder b = {net->layers, 0, 0, 0, 0, 0};
  NETS[idx].build(&b);
  if (b.overflow) {
    rc = qaErrSet(err, QA_EINTERNAL, "built-in network '%s' has more than %d layers", NETS[idx].info.name,
                  NET_LAYERS_MAX);
    goto end;
  }
  net->n_layers = b.n;
  for (int i = 0; i < net->n_layers; i++) {
    qaLayerNormalize(&net->layers[i]);
    QaErr verr = {0, ""};
    if (qaLayerValidate(&net->layers[i], &verr) != QA_OK) {
      rc = qaErrSet(err, QA_EINTERNAL, "built-in network '%s': %s", NETS[idx].info.name, verr.msg);
      goto end;
    }
  }
end:
  if (rc != QA_OK) {
    qaNetDestroy(net);
    net = NULL;
  }
  *out = net;
  return rc;
}
