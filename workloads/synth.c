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

void qaSynthLayer(const QaSynthSpec *spec, const QaLayer *l, int layer_idx, float *act, float *wgt) {
  QaRng rng;
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l);
  int64_t fan_in = (int64_t)(l->c / l->groups) * l->r * l->s;
  double std = sqrt(2.0 / (double)fan_in);
  qaRngSeed(&rng, qaRngDerive(spec->seed, 2 * (uint64_t)layer_idx));
  if (spec->wgt_dist == QA_DIST_GAUSS)
    qaRngFillNormalZ(&rng, std, wgt, nw);
  else
    qaRngFillLaplaceZ(&rng, std / sqrt(2.0), wgt, nw); /* Laplace with scale b has std b*sqrt(2) */
  qaRngSeed(&rng, qaRngDerive(spec->seed, 2 * (uint64_t)layer_idx + 1));
  qaRngFillRectified(&rng, spec->act_zero_frac, act, na);
}
