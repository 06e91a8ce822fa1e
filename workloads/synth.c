/*
** synth.c - seeded synthetic activations and weights.
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
  for (int64_t i = 0; i < nw; i++) {
    /* Laplace with scale b has std b*sqrt(2). */
    wgt[i] = spec->wgt_dist == QA_DIST_GAUSS ? (float)(std * qaRngGauss(&rng))
                                             : (float)qaRngLaplace(&rng, std / sqrt(2.0));
  }
  qaRngSeed(&rng, qaRngDerive(spec->seed, 2 * (uint64_t)layer_idx + 1));
  for (int64_t i = 0; i < na; i++) {
    if (qaRngUniform(&rng) < spec->act_zero_frac)
      act[i] = 0.0f;
    else
      act[i] = (float)fabs(qaRngGauss(&rng));
  }
}
