/*
** randlayer.h - random small layers and operands for model tests.
** Geometries cover stride, padding, groups/depthwise, fc, non-square and ragged
** sizes (channels and filters that do not divide the lanes or rows).
*/
#ifndef QA_RANDLAYER_H
#define QA_RANDLAYER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "workloads/layer.h"

/* Fill *l with a random valid layer; kind chosen by the stream. */
static void randLayer(QaRng *g, QaLayer *l, int idx) {
  memset(l, 0, sizeof *l);
  snprintf(l->name, sizeof l->name, "rand%d", idx);
  int kind = (int)qaRngRange(g, 0, 9);
  if (kind == 0) {
    l->kind = QA_LAYER_FC;
    l->c = (int)qaRngRange(g, 1, 300);
    l->k = (int)qaRngRange(g, 1, 70);
  } else {
    l->kind = QA_LAYER_CONV;
    l->r = (int)qaRngRange(g, 1, 5);
    l->s = (int)qaRngRange(g, 1, 5);
    l->h = l->r + (int)qaRngRange(g, 0, 9);
    l->w = l->s + (int)qaRngRange(g, 0, 9);
    l->stride_h = (int)qaRngRange(g, 1, 3);
    l->stride_w = (int)qaRngRange(g, 1, 3);
    l->pad_h = (int)qaRngRange(g, 0, l->r - 1);
    l->pad_w = (int)qaRngRange(g, 0, l->s - 1);
    if (qaRngRange(g, 0, 3) == 0) { /* asymmetric, as TF 'same' at stride 2 */
      l->pad_asym = 1;
      l->pad_b = (int)qaRngRange(g, 0, l->r - 1);
      l->pad_r = (int)qaRngRange(g, 0, l->s - 1);
    }
    if (kind == 1) { /* depthwise */
      l->c = l->k = l->groups = (int)qaRngRange(g, 1, 40);
    } else if (kind == 2) { /* grouped */
      l->groups = (int)qaRngRange(g, 2, 4);
      l->c = l->groups * (int)qaRngRange(g, 1, 12);
      l->k = l->groups * (int)qaRngRange(g, 1, 12);
    } else {
      l->c = (int)qaRngRange(g, 1, 40);
      l->k = (int)qaRngRange(g, 1, 40);
      l->groups = 1;
    }
  }
  l->n = qaRngRange(g, 0, 7) == 0 ? 2 : 1;
  qaLayerNormalize(l);
}

/* Random codes in [lo, hi], with a fraction of zeros. Caller frees. */
static int32_t *randCodes(QaRng *g, int64_t n, int32_t lo, int32_t hi, double zero_frac) {
  int32_t *v = malloc((size_t)(n ? n : 1) * sizeof *v);
  for (int64_t i = 0; i < n; i++) v[i] = qaRngUniform(g) < zero_frac ? 0 : (int32_t)qaRngRange(g, lo, hi);
  return v;
}

#endif
