/*
** trace.h - reading and checking the trace files a layer names (workloads/README.md "trace").
**
** A layer may name up to six .npy files: its input activations (act), float weights (wgt),
** bias, float output (out), integer weight codes (wgt_codes) and their per-output-channel
** scale (wgt_scale). This module knows, for each kind, the dtypes and shapes it accepts
** (the batch-less and 2-D forms users commonly save included) and reads a file into plain
** float or double values after checking it. qaNetCheckTraces checks every trace of a
** network before anything is simulated, so a bad file of the last layer is reported at
** once instead of after all other layers have run. Every error is one line naming the
** layer, the YAML key (trace.wgt), the file and the fix.
*/
#ifndef QA_TRACE_H
#define QA_TRACE_H

#include "workloads/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum QaTraceKind {
  QA_TRACE_ACT = 0,   /* float (N,C,H,W), (C,H,W) if N = 1; fc (N,C), (C,) if N = 1, or (N,C,1,1) */
  QA_TRACE_WGT,       /* float (K,C/g,R,S); fc (K,C) or (K,C,1,1) */
  QA_TRACE_BIAS,      /* float (K,) */
  QA_TRACE_OUT,       /* float (N,K,OH,OW), (K,OH,OW) if N = 1; fc (N,K), (K,) if N = 1 */
  QA_TRACE_WGT_CODES, /* integer dtype, the shape of wgt */
  QA_TRACE_WGT_SCALE, /* float (K,) */
  QA_TRACE_KINDS
} QaTraceKind;

/* The YAML key of a kind under `trace:` ("act", "wgt", "bias", "out", "wgt_codes", "wgt_scale"). */
const char *qaTraceKey(QaTraceKind k);
/* The file a layer names for kind K, or "" if none. */
const char *qaLayerTrace(const QaLayer *l, QaTraceKind k);
/* Number of values of kind K for layer L (the product of its canonical shape). */
int64_t qaTraceCount(const QaLayer *l, QaTraceKind k);

/* Read trace K of layer L (which must name one) into a new array of qaTraceCount values
** (*out owned by the caller). Checks: the file reads as .npy, its dtype suits the kind
** (float32/float64 for every kind but wgt_codes, whose dtype must be an integer one;
** integer act/wgt values are accepted, e.g. fixed-point traces), its shape is one the
** kind accepts, and no value is NaN or infinite. QA_EUSER with one line naming the layer,
** key and file otherwise. */
int qaTraceReadFloat(const QaLayer *l, QaTraceKind k, float **out, QaErr *err);
int qaTraceReadDouble(const QaLayer *l, QaTraceKind k, double **out, QaErr *err);

/* Check every trace file of every layer of NET as qaTraceRead* would (reading each file
** once, keeping nothing). QA_EUSER at the first bad file (the message names the layer,
** the key and the file); *n_files (may be NULL) gets the number of files checked. */
int qaNetCheckTraces(const QaNet *net, int *n_files, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_TRACE_H */
