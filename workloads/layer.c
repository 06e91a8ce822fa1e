/*
** layer.c - layer geometry, validation and network containers.
*/
#include "workloads/layer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qaLayerOutH(const QaLayer *l) { return (qaLayerPaddedH(l) - l->r) / l->stride_h + 1; }
int qaLayerOutW(const QaLayer *l) { return (qaLayerPaddedW(l) - l->s) / l->stride_w + 1; }

int64_t qaLayerMacs(const QaLayer *l) {
  return (int64_t)l->n * l->k * qaLayerOutH(l) * qaLayerOutW(l) * (l->c / l->groups) * l->r * l->s;
}
int64_t qaLayerActCount(const QaLayer *l) { return (int64_t)l->n * l->c * l->h * l->w; }
int64_t qaLayerWgtCount(const QaLayer *l) { return (int64_t)l->k * (l->c / l->groups) * l->r * l->s; }
int64_t qaLayerOutCount(const QaLayer *l) { return (int64_t)l->n * l->k * qaLayerOutH(l) * qaLayerOutW(l); }
const char *qaLayerKindName(QaLayerKind k) { return k == QA_LAYER_FC ? "fc" : "conv"; }

void qaLayerNormalize(QaLayer *l) {
  if (l->n <= 0) l->n = 1;
  if (l->groups <= 0) l->groups = 1;
  if (l->stride_h <= 0) l->stride_h = 1;
  if (l->stride_w <= 0) l->stride_w = 1;
  if (l->kind == QA_LAYER_FC) {
    l->h = l->w = l->r = l->s = 1;
    l->stride_h = l->stride_w = 1;
    l->pad_h = l->pad_w = 0;
    l->pad_asym = 0;
    l->groups = 1;
  }
}

#define DIM_MAX 1000000

int qaLayerValidate(const QaLayer *l, QaErr *err) {
  const char *nm = l->name[0] ? l->name : "(unnamed)";
  struct {
    const char *f;
    int v;
    int lo;
  } pos[] = {
      {"n", l->n, 1},
      {"c", l->c, 1},
      {"h", l->h, 1},
      {"w", l->w, 1},
      {"k", l->k, 1},
      {"r", l->r, 1},
      {"s", l->s, 1},
      {"stride_h", l->stride_h, 1},
      {"stride_w", l->stride_w, 1},
      {"pad_h", l->pad_h, 0},
      {"pad_w", l->pad_w, 0},
      {"pad_b", qaLayerPadB(l), 0},
      {"pad_r", qaLayerPadR(l), 0},
      {"groups", l->groups, 1},
  };
  for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++) {
    if (pos[i].v < pos[i].lo || pos[i].v > DIM_MAX)
      return qaErrSet(err, QA_EUSER, "layer '%s': %s = %d is out of range [%d, %d]", nm, pos[i].f, pos[i].v,
                      pos[i].lo, DIM_MAX);
  }
  if (l->c % l->groups || l->k % l->groups)
    return qaErrSet(err, QA_EUSER, "layer '%s': groups = %d must divide c = %d and k = %d", nm, l->groups,
                    l->c, l->k);
  if (l->r > qaLayerPaddedH(l) || l->s > qaLayerPaddedW(l))
    return qaErrSet(err, QA_EUSER, "layer '%s': kernel %dx%d is larger than the padded input %dx%d", nm, l->r,
                    l->s, qaLayerPaddedH(l), qaLayerPaddedW(l));
  if (l->pad_h >= l->r || l->pad_w >= l->s || qaLayerPadB(l) >= l->r || qaLayerPadR(l) >= l->s)
    return qaErrSet(err, QA_EUSER, "layer '%s': padding %dx%d must be smaller than the kernel %dx%d", nm,
                    l->pad_h, l->pad_w, l->r, l->s);
  if (l->a_bits < 0 || l->a_bits > QA_BITS_MAX || l->w_bits < 0 || l->w_bits > QA_BITS_MAX)
    return qaErrSet(err, QA_EUSER, "layer '%s': bit-widths must be in 1..%d (got a_bits %d, w_bits %d)", nm,
                    QA_BITS_MAX, l->a_bits, l->w_bits);
  /* Sizes: every product is checked before any of the unchecked count functions above can
  ** form it (issue 13: N*C*H*W wrapped to 0 and a huge layer passed). */
  int64_t oh = qaLayerOutH(l), ow = qaLayerOutW(l), cg = l->c / l->groups;
  struct {
    const char *what;
    int64_t f[4];
    int64_t limit;
  } sizes[] = {
      {"input activations (n x c x h x w)", {l->n, l->c, l->h, l->w}, QA_LAYER_VALUES_MAX},
      {"weights (k x c/groups x r x s)", {l->k, cg, l->r, l->s}, QA_LAYER_VALUES_MAX},
      {"outputs (n x k x out_h x out_w)", {l->n, l->k, oh, ow}, QA_LAYER_VALUES_MAX},
      {"MACs (outputs x c/groups x r x s)",
       {l->n * (int64_t)l->k, oh * ow, cg * (int64_t)l->r, l->s},
       QA_LAYER_MACS_MAX},
  };
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    int64_t p = 1;
    int over = 0;
    for (int j = 0; j < 4 && !over; j++)
      over = __builtin_mul_overflow(p, sizes[i].f[j], &p) || p > sizes[i].limit;
    if (over)
      return qaErrSet(err, QA_EUSER,
                      "layer '%s': %s = %lld x %lld x %lld x %lld is more than the limit of %lld; make the "
                      "layer smaller",
                      nm, sizes[i].what, (long long)sizes[i].f[0], (long long)sizes[i].f[1],
                      (long long)sizes[i].f[2], (long long)sizes[i].f[3], (long long)sizes[i].limit);
  }
  return QA_OK;
}

QaNet *qaNetCreate(const char *name, int n_layers, QaErr *err) {
  QaNet *net = qaCalloc(1, sizeof *net, err);
  if (!net) return NULL;
  net->layers = qaCalloc((size_t)(n_layers > 0 ? n_layers : 1), sizeof(QaLayer), err);
  if (!net->layers) {
    free(net);
    return NULL;
  }
  net->n_layers = n_layers;
  strncpy(net->name, name ? name : "", sizeof net->name - 1);
  strcpy(net->source, "builtin");
  return net;
}

void qaNetDestroy(QaNet *net) {
  if (!net) return;
  free(net->notes);
  free(net->layers);
  free(net);
}

int64_t qaNetMacs(const QaNet *net) {
  int64_t t = 0;
  for (int i = 0; i < net->n_layers; i++) t += qaLayerMacs(&net->layers[i]);
  return t;
}

uint64_t qaNetHash(const QaNet *net) {
  uint64_t h = qaHash64(net->name, strlen(net->name), 0);
  for (int i = 0; i < net->n_layers; i++) {
    const QaLayer *l = &net->layers[i];
    int g[] = {(int)l->kind, l->n,        l->c,     l->h,     l->w,      l->k,      l->r,     l->s,
               l->stride_h,  l->stride_w, l->pad_h, l->pad_w, l->groups, l->a_bits, l->w_bits};
    h = qaHash64(g, sizeof g, h);
    if (l->pad_asym) { /* symmetric layers hash as they always did */
      int pb[] = {l->pad_b, l->pad_r};
      h = qaHash64(pb, sizeof pb, h);
    }
    h = qaHash64(l->name, strlen(l->name), h);
    h = qaHash64(l->act_trace, strlen(l->act_trace), h);
    h = qaHash64(l->wgt_trace, strlen(l->wgt_trace), h);
    /* fields added with traced networks: hashed only when set, so older hashes stay */
    const char *more[] = {l->bias_trace,      l->out_trace, l->wgt_codes_trace,
                          l->wgt_scale_trace, l->quant_a,   l->quant_w};
    for (size_t j = 0; j < sizeof more / sizeof more[0]; j++)
      if (more[j][0]) {
        h = qaHash64(&j, sizeof j, h);
        h = qaHash64(more[j], strlen(more[j]), h);
      }
  }
  return h;
}

int64_t qaLayerParams(const QaLayer *l) { return qaLayerWgtCount(l) + (l->bias_trace[0] ? l->k : 0); }

int qaNetHasTraces(const QaNet *net) {
  for (int i = 0; i < net->n_layers; i++)
    if (net->layers[i].act_trace[0] || net->layers[i].wgt_trace[0]) return 1;
  return 0;
}

int qaNetNote(QaNet *net, QaErr *err, const char *fmt, ...) {
  char line[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  size_t old = net->notes ? strlen(net->notes) : 0, add = strlen(line);
  char *n = realloc(net->notes, old + add + 2);
  if (!n) return qaErrSet(err, QA_EINTERNAL, "out of memory");
  memcpy(n + old, line, add);
  n[old + add] = '\n';
  n[old + add + 1] = 0;
  net->notes = n;
  return QA_OK;
}
