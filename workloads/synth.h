/*
** synth.h - synthetic layer values for layers without a trace.
**
** A seeded generator per layer: the stream of layer i is derived from the run
** seed and i, so results do not depend on which other layers were run.
** Weights are zero-mean Laplace (default) or Gaussian with He scaling
** (std = sqrt(2 / fan_in)); activations are rectified: a fraction `act_zero_frac`
** of them is exactly zero, the rest half-normal (std 1).
*/
#ifndef QA_SYNTH_H
#define QA_SYNTH_H

#include "base/rng.h"
#include "workloads/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum QaWgtDist { QA_DIST_LAPLACE = 0, QA_DIST_GAUSS } QaWgtDist;

typedef struct QaSynthSpec {
  uint64_t seed;
  QaWgtDist wgt_dist;
  double act_zero_frac; /* 0..1, default 0.5 */
} QaSynthSpec;

void qaSynthDefaults(QaSynthSpec *spec);
/* Fill act[qaLayerActCount] and wgt[qaLayerWgtCount] (caller-owned) for layer layer_idx. */
void qaSynthLayer(const QaSynthSpec *spec, const QaLayer *l, int layer_idx, float *act, float *wgt);

/* The same values in parts (streamed weights, issue 12): the weights and the activations are
** independent streams, and a weight stream continues where its last part stopped, so
** qaSynthActs plus qaSynthWgtNext over consecutive parts fill exactly qaSynthLayer's values. */
typedef struct QaSynthWgt {
  QaRng rng;      /* where the next part starts */
  QaWgtDist dist; /* of the spec */
  double scale;   /* the distribution's: std (gauss) or Laplace b */
} QaSynthWgt;
void qaSynthWgtBegin(const QaSynthSpec *spec, const QaLayer *l, int layer_idx, QaSynthWgt *out);
void qaSynthWgtNext(QaSynthWgt *s, float *wgt, int64_t n); /* the next N weights */
void qaSynthActs(const QaSynthSpec *spec, const QaLayer *l, int layer_idx, float *act);

#ifdef __cplusplus
}
#endif
#endif /* QA_SYNTH_H */
