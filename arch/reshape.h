/*
** reshape.h - the first-layer reshape: a strided layer with few input channels turned
** into an equivalent stride-1 layer whose bricks fill the lanes (space-to-depth).
**
** A first layer such as AlexNet's conv1 (3 channels, 11x11 kernel, stride 4) fills 3 of
** a brick's 16 lanes: ~7% lane utilisation. Its stride-s patches can be folded into
** channels: with the input zero-padded, input pixel (y', x') of the reshaped layer holds,
** in channel (c, dy, dx) = c*s*s + dy*s + dx, padded input pixel (y'*s + dy, x'*s + dx)
** of channel c, and the weights are re-indexed the same way,
**   w'[k][c*s*s + dy*s + dx][r'][s''] = w[k][c][r'*s + dy][s''*s + dx]  (0 past R, S),
** so a stride-1 convolution of ceil(R/s) x ceil(S/s) over C*s*s channels computes exactly
** the original outputs (out[y][x] reads padded rows y*s + r = (y + r')*s + dy). This is
** what the group's public simulator does for a first layer (DNNsim reshape_first_layer,
** for 3 channels and stride > 1); here it applies to any dense conv layer with stride
** s > 1 in both directions and fewer channels than a brick's lanes whose brick steps it
** reduces (R x S x ceil(C / lanes) > ceil(R/s) x ceil(S/s) x ceil(C s^2 / lanes): a
** kernel smaller than the stride would only add zero weights), when the architecture's
** `first_layer_reshape` parameter is on.
*/
#ifndef QA_RESHAPE_H
#define QA_RESHAPE_H

#include "arch/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A reshaped job: its own layer and operand codes (owned), outputs shared with the
** original job (same N x K x OH x OW). */
typedef struct QaReshaped {
  QaLayer layer;
  QaLayerJob job;
  int32_t *act, *wgt; /* owned */
} QaReshaped;

/* 1 if config CFG reshapes layer L (see the header). */
int qaReshapeApplies(const QaArchConfig *cfg, const QaLayer *l);

/* Build the reshaped job of JOB into *out; out->job.macs keeps the original layer's
** useful MACs. QA_EINTERNAL if out of memory. Free with qaReshapeFree. */
int qaReshapeJob(const QaLayerJob *job, QaReshaped *out, QaErr *err);
void qaReshapeFree(QaReshaped *r);

#ifdef __cplusplus
}
#endif
#endif /* QA_RESHAPE_H */
