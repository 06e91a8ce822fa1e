/*
** synth.c - seeded synthetic activations and weights, drawn with the ziggurat samplers
** (base/rng.h: exact distributions without a transcendental call per value).
*/
#include "workloads/synth.h"

#include <math.h>

#include "base/rng.h"

void qaSynthDefaults(QaSynthSpec *spec) {
  spec->seed = 1;
  spec->wgt_dist = QA_DIST_LAPLACE;
  spec->act_zero_frac = 0.5;
}

void qaSynthWgtBegin(const QaSynthSpec *spec, const QaLayer *l, int layer_idx, QaSynthWgt *out) {
  int64_t fan_in = (int64_t)(l->c / l->groups) * l->r * l->s;
  double std = sqrt(2.0 / (double)fan_in);
  qaRngSeed(&out->rng, qaRngDerive(spec->seed, 2 * (uint64_t)layer_idx));
  out->dist = spec->wgt_dist;
  out->scale = spec->wgt_dist == QA_DIST_GAUSS ? std : std / sqrt(2.0); /* Laplace b has std b*sqrt(2) */
}

void qaSynthWgtNext(QaSynthWgt *s, float *wgt, int64_t n) {
  if (s->dist == QA_DIST_GAUSS)
    qaRngFillNormalZ(&s->rng, s->scale, wgt, n);
  else
    qaRngFillLaplaceZ(&s->rng, s->scale, wgt, n);
}

void qaSynthActs(const QaSynthSpec *spec, const QaLayer *l, int layer_idx, float *act) {
  QaRng rng;
  qaRngSeed(&rng, qaRngDerive(spec->seed, 2 * (uint64_t)layer_idx + 1));
  qaRngFillRectified(&rng, spec->act_zero_frac, act, qaLayerActCount(l));
}

void qaSynthLayer(const QaSynthSpec *spec, const QaLayer *l, int layer_idx, float *act, float *wgt) {
  QaSynthWgt w;
  qaSynthWgtBegin(spec, l, layer_idx, &w);
  qaSynthWgtNext(&w, wgt, qaLayerWgtCount(l));
  qaSynthActs(spec, l, layer_idx, act);
}
