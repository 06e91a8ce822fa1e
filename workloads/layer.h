/*
** layer.h - layer geometry and networks: the workload model every other module uses.
**
** A layer is a 2-D convolution (with stride, padding and groups; depthwise is
** groups == c == k) or a fully connected layer (stored as a 1x1 convolution over a
** 1x1 input with c input features). Tensors that go with a layer use these layouts:
**   activations  N x C x H x W          (C order, one int32 code per value)
**   weights      K x (C/groups) x R x S
**   outputs      N x K x OH x OW         (int64, exact)
** A network is an ordered list of layers with a name. Networks come from the
** built-in table (nets.c) or from a YAML network file (netfile.c).
*/
#ifndef QA_LAYER_H
#define QA_LAYER_H

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_NAME_MAX 64
#define QA_PATH_MAX 512
#define QA_BITS_MAX 16
#define QA_LAYER_DIM_MAX 1000000               /* any one dimension, stride, padding or group count */
#define QA_LAYER_VALUES_MAX ((int64_t)1 << 34) /* values of one tensor (activations, weights, outputs) */
#define QA_LAYER_MACS_MAX ((int64_t)1 << 46)   /* MACs of one layer (50,000 layers stay within int64) */
#define QA_QUANT_TEXT_MAX 32                   /* a quantizer spec text, e.g. "sym-ch-mse" (quant/quant.h) */

typedef enum QaLayerKind { QA_LAYER_CONV = 0, QA_LAYER_FC = 1 } QaLayerKind;

typedef struct QaLayer {
  char name[QA_NAME_MAX];
  QaLayerKind kind;
  int n;                       /* batch size (images) */
  int c, h, w;                 /* input channels, input height, width (pixels); fc: c = features, h = w = 1 */
  int k;                       /* output channels (filters); fc: output features */
  int r, s;                    /* kernel height, width (pixels); fc: 1, 1 */
  int stride_h, stride_w;      /* pixels */
  int pad_h, pad_w;            /* zero padding (pixels): top and left, and bottom and right
                                  unless pad_asym */
  int groups;                  /* 1 = dense; c = depthwise */
  int a_bits, w_bits;          /* per-layer precision override; 0 = use the run's default */
  char act_trace[QA_PATH_MAX]; /* optional .npy with float activations (N,C,H,W) or "" */
  char wgt_trace[QA_PATH_MAX]; /* optional .npy with float weights (K,C/g,R,S) or "" */
  int pad_asym;                /* 1: bottom/right padding differ from top/left (TF 'same' at stride > 1) */
  int pad_b, pad_r;            /* bottom, right zero padding (pixels) when pad_asym; else pad_h, pad_w */
  /* Traced networks (workloads/README.md "trace"): optional files, "" when absent. */
  char bias_trace[QA_PATH_MAX];      /* float (K,): bias added to the MAC sums */
  char out_trace[QA_PATH_MAX];       /* float (N,K,OH,OW), fc (N,K): the float output with bias */
  char wgt_codes_trace[QA_PATH_MAX]; /* integer weight codes (K,C/g,R,S), fc (K,C) */
  char wgt_scale_trace[QA_PATH_MAX]; /* float (K,): wgt == wgt_codes * scale[k] */
  /* Per-layer quantizers (quant/quant.h spec text, e.g. "sym-ch" or "none"); "" = the run's. */
  char quant_a[QA_QUANT_TEXT_MAX], quant_w[QA_QUANT_TEXT_MAX];
} QaLayer;

typedef struct QaNet {
  char name[QA_NAME_MAX];
  char source[QA_PATH_MAX]; /* "builtin" or the file / directory path it was read from */
  char about[QA_PATH_MAX];  /* free text: where the network and its weights come from ("" if unknown) */
  int n_layers;
  QaLayer *layers; /* owned */
  char *notes;     /* owned, NULL if none: warnings found while reading (one per line, each ending '\n') */
} QaNet;

/* Bottom and right padding (pixels): pad_b / pad_r when pad_asym, else pad_h / pad_w. */
static inline int qaLayerPadB(const QaLayer *l) { return l->pad_asym ? l->pad_b : l->pad_h; }
static inline int qaLayerPadR(const QaLayer *l) { return l->pad_asym ? l->pad_r : l->pad_w; }
/* Padded input height and width (pixels). */
static inline int qaLayerPaddedH(const QaLayer *l) { return l->h + l->pad_h + qaLayerPadB(l); }
static inline int qaLayerPaddedW(const QaLayer *l) { return l->w + l->pad_w + qaLayerPadR(l); }

/* Derived geometry. Valid only for a layer that passed qaLayerValidate(). */
int qaLayerOutH(const QaLayer *l);
int qaLayerOutW(const QaLayer *l);
int64_t qaLayerMacs(const QaLayer *l);      /* N*K*OH*OW*(C/groups)*R*S */
int64_t qaLayerActCount(const QaLayer *l);  /* N*C*H*W */
int64_t qaLayerWgtCount(const QaLayer *l);  /* K*(C/groups)*R*S */
int64_t qaLayerOutCount(const QaLayer *l);  /* N*K*OH*OW */
const char *qaLayerKindName(QaLayerKind k); /* "conv" / "fc" */

/* Fill defaults (stride 1, groups 1, n 1) for zero fields and, for fc, force h=w=r=s=1. */
void qaLayerNormalize(QaLayer *l);

/* Check ranges and divisibility, and that every size derived from the layer (the counts
** above, its MACs) is within QA_LAYER_VALUES_MAX / QA_LAYER_MACS_MAX, each product checked
** for overflow before it is formed; on error set a message naming the layer and field. */
int qaLayerValidate(const QaLayer *l, QaErr *err);

/* Create a network with n_layers zeroed layers; Destroy(NULL) is a no-op. */
QaNet *qaNetCreate(const char *name, int n_layers, QaErr *err);
void qaNetDestroy(QaNet *net);
int64_t qaNetMacs(const QaNet *net);
/* Stable hash of the geometry (and trace paths) of every layer: the workload hash of a run. */
uint64_t qaNetHash(const QaNet *net);
/* Parameters of a layer: weights K*(C/groups)*R*S plus K biases when it has a bias trace. */
int64_t qaLayerParams(const QaLayer *l);
/* Append one warning line to net->notes (printf format; a '\n' is added). QA_EINTERNAL on
** out of memory. */
int qaNetNote(QaNet *net, QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* 1 if any layer names an act or wgt trace. */
int qaNetHasTraces(const QaNet *net);

/* ---- Built-in networks (nets.c) ------------------------------------------------- */
typedef struct QaNetInfo {
  const char *name;   /* e.g. "resnet18" */
  const char *title;  /* e.g. "ResNet-18 (ImageNet, 224x224)" */
  const char *source; /* citation of the layer shapes */
} QaNetInfo;

int qaNetBuiltinCount(void);
const QaNetInfo *qaNetBuiltinInfo(int i);
/* Build a built-in network by (case-insensitive) name; QA_EUSER naming the
** known networks if there is no such network. *out is owned by the caller. */
int qaNetBuiltin(const char *name, QaNet **out, QaErr *err);

/* ---- Network files (netfile.c) ---------------------------------------------------- */
/* Load a YAML network description (see workloads/README.md for the format). Errors
** name the file, line and key. Relative trace paths are resolved against the
** directory of the YAML file. */
int qaNetLoadYaml(const char *path, QaNet **out, QaErr *err);

/* Resolve NAME-or-PATH: a built-in name; a directory (DIR/net.yaml, a DNNsim trace
** directory, Timeloop problem files: workloads/import.h); a SCALE-Sim .csv; a Timeloop
** problem .yaml; else a YAML network file. */
int qaNetOpen(const char *name_or_path, QaNet **out, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_LAYER_H */
