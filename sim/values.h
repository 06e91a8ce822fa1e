/*
** values.h - a layer's operands for one run: the float values (traced or seeded
** synthetic), their integer codes at the layer's precisions and quantizers, the scales
** that map codes back to real numbers, and the float output the accelerator's result is
** judged against.
**
** The run pipeline (run.h), `qasim stats` and `qasim export-traces` all prepare a layer
** through this module, so the codes a stored run simulated can be produced again from the
** run's settings. Per layer, in order:
**   1. qaValuesLoad      float activations and weights (trace files, or synthetic values
**                        for what the layer does not trace), the traced bias, float output
**                        and integer weight codes when the layer names them;
**   2. qaValuesQuantize  codes at (a_bits, w_bits) with the layer's quantizers: its own
**                        `quant:` from the network file, else the run's. The quantizer
**                        "none" passes integer codes through unchanged (traced wgt_codes
**                        with their wgt_scale, or values that are integers already) and
**                        refuses a code that does not fit the declared bits;
**   3. after simulation, qaValuesOutputSqnr compares the accelerator's integer output,
**      dequantised (out * a_scale * w_scale[k] + bias[k]), with the float output: the
**      traced one (every element) or, without it, the float convolution of the float
**      values on a fixed sample of at most QA_VALUES_SAMPLE outputs.
** qaValuesProfile chooses a layer's activation precision from its values (--precision
** profile). Nothing here prints or touches the store.
**
** Streamed weights (issue 12): a big layer's weights need never be whole in memory. For a
** layer qaValuesStreamable accepts, qaValuesLoadStreamed makes the activations only and
** qaValuesQuantize quantizes them; then qaValuesWindow makes, quantizes and accounts the
** weights of consecutive windows of filters (the arch engine's weight source, arch.h
** QaWgtSource), into buffers reused from window to window and layer to layer. Per window
** it adds to the weights' quantization sums, scales and value statistics, computes the
** window's integer reference outputs (when verifying) and the float reference of the
** output sample's outputs that fall in it; after the last window the layer has exactly the
** materialised path's operand SQNR, scales, statistics, reference and output SQNR.
*/
#ifndef QA_VALUES_H
#define QA_VALUES_H

#include "quant/quant.h"
#include "quant/valstats.h"
#include "workloads/layer.h"
#include "workloads/synth.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_VALUES_SAMPLE 16384 /* outputs compared when the float output is computed, not traced */

/* Window buffers of streamed weights: grown as needed, reused (owned; qaValuesBufFree). */
typedef struct QaValuesBuf {
  float *fw;           /* float weights of a block of the window (made and used block by block) */
  int32_t *codes;      /* the window's codes */
  int64_t fw_cap, cap; /* values each holds */
} QaValuesBuf;
void qaValuesBufFree(QaValuesBuf *b); /* NULL and a zeroed struct are fine */

/* The run-wide choices. */
typedef struct QaValuesSpec {
  QaQuantSpec qa;    /* activation quantizer unless the layer names one */
  int qa_auto;       /* 1: activations unsigned if all non-negative, else sym (qa unused) */
  QaQuantSpec qw;    /* weight quantizer unless the layer names one */
  QaSynthSpec synth; /* synthetic values */
  int synthetic;     /* 1: ignore every trace (the network's geometry with synthetic values) */
} QaValuesSpec;

typedef struct QaLayerValues {
  const char *src; /* "trace" (some operand traced) or "synthetic" (static text) */
  float *fa, *fw;  /* float activations, weights (owned unless borrowed) */
  int borrowed;    /* 1: fa and fw are the process's synthetic values (qaValuesCacheAdd) */
  float *bias;     /* K values or NULL (owned) */
  float *out;      /* traced float output (qaLayerOutCount values) or NULL (owned) */
  float *wcodes;   /* traced integer weight codes or NULL (owned) */
  double *wscale;  /* their K scales or NULL (owned) */
  /* after qaValuesQuantize: */
  int a_bits, w_bits;
  QaQuantSpec qa, qw;                                          /* the quantizers used */
  char quant_a[QA_QUANT_TEXT_MAX], quant_w[QA_QUANT_TEXT_MAX]; /* their canonical texts */
  int32_t *act, *wgt;                                          /* codes (owned) */
  int a_signed;                                                /* 1 if an activation code is negative */
  double a_scale;                                              /* activation code -> real */
  double *w_scale;                                             /* K weight scales, code -> real (owned) */
  double a_sqnr_db, w_sqnr_db;                                 /* of the operands' quantization */
  /* streamed weights (qaValuesLoadStreamed): fw and wgt stay NULL */
  int streamed;           /* 1: the weights come from qaValuesWindow */
  QaSynthWgt wsyn;        /* their stream, where the next window starts */
  int next_k;             /* first filter of the next window; K when all are made */
  QaQuantSums w_sums;     /* the weights' quantization sums so far (qaQuantizePart) */
  double w_clip;          /* a per-tensor quantizer's largest weight (a first pass); -1 per channel */
  QaValueStats wgt_stats; /* of the weight codes so far */
  int64_t *ref;           /* integer reference outputs (qaLayerOutCount), or NULL: not verified (owned) */
  double *sample_ref;     /* float reference dots of the output sample (owned; qaValuesOutputSqnr) */
  int64_t next_sample;    /* the first sample output not computed yet */
  QaValuesBuf *buf;       /* window buffers (borrowed) */
} QaLayerValues;

/* Parse layer L's quantizers (its own `quant:` texts over SPEC's) into *qa, *qa_auto and
** *qw. QA_EUSER naming the layer and key for a bad text. */
int qaValuesQuantizers(const QaValuesSpec *spec, const QaLayer *l, QaQuantSpec *qa, int *qa_auto,
                       QaQuantSpec *qw, QaErr *err);

/* Step 1 for layer L (index IDX in its network, which seeds its synthetic stream): fills
** *v (zeroed first; release with qaValuesFree, also after an error). Errors: a trace file
** that does not read or fit (trace.h), out of memory. */
int qaValuesLoad(const QaValuesSpec *spec, const QaLayer *l, int idx, QaLayerValues *v, QaErr *err);

/* Step 2 at A_BITS / W_BITS (may be called again to re-quantize). Errors: a quantizer that
** does not accept the values or bits (the message names the operand), out of memory. */
int qaValuesQuantize(const QaValuesSpec *spec, const QaLayer *l, int a_bits, int w_bits, QaLayerValues *v,
                     QaErr *err);

void qaValuesFree(QaLayerValues *v); /* NULL and a zeroed struct are fine */

/* The process's synthetic values (issue 12: made once, reused by every run of the process
** and, inherited, by its forked children - a sweep's points): qaValuesCacheAdd makes layer
** L's synthetic float activations and weights under SYNTH (layer index IDX) unless they are
** there already or would take the cache past MAX_BYTES (then nothing, QA_OK); qaValuesLoad
** of a fully synthetic layer with the same spec, index and geometry borrows them instead of
** making them again - the same values. Not thread-safe: add before any run starts; the
** lookups are reads. QA_EINTERNAL when out of memory. */
int qaValuesCacheAdd(const QaSynthSpec *synth, const QaLayer *l, int idx, int64_t max_bytes, QaErr *err);
void qaValuesCacheClear(void);
int64_t qaValuesCacheBytes(void); /* held */
int64_t qaValuesCacheHits(void);  /* qaValuesLoad calls that borrowed */

/* 1 if layer L can stream its weights under SPEC: synthetic weights (no weight or code
** trace), one image, one group, and a weight quantizer other than none that windows of whole
** filters reproduce (quant.h qaQuantStreamable: per-channel, whose windows have their own
** scales, or per-tensor minmax, whose largest weight a first pass over the stream finds). */
int qaValuesStreamable(const QaValuesSpec *spec, const QaLayer *l);

/* Step 1 for a streamed layer: as qaValuesLoad without the weights (v->streamed); BUF holds
** the windows (borrowed: it must outlive *v); VERIFY: qaValuesWindow computes the integer
** reference outputs into v->ref. Then qaValuesQuantize as usual (the activations, and the
** weight quantizer checked against W_BITS; the weights' SQNR is set by the last window). */
int qaValuesLoadStreamed(const QaValuesSpec *spec, const QaLayer *l, int idx, QaValuesBuf *buf, int verify,
                         QaLayerValues *v, QaErr *err);

/* The weight codes of filters [k0, k0 + nk) of streamed layer L into *codes (v's buffer, valid
** until the next call), K0 the filter after the last window's (QA_EINTERNAL otherwise); see
** the header for what it accounts. Errors: the weight quantizer's, out of memory. */
int qaValuesWindow(QaLayerValues *v, const QaLayer *l, int k0, int nk, const int32_t **codes, QaErr *err);

/* Step 3: *sqnr_db of the dequantised integer output OUT (qaLayerOutCount values) against
** the float output (see above); 999 when they agree exactly, 0 when the float output is
** all zero. *n_compared (may be NULL) gets the number of outputs compared. */
int qaValuesOutputSqnr(const QaLayer *l, const QaLayerValues *v, const int64_t *out, double *sqnr_db,
                       int64_t *n_compared, QaErr *err);

/* The smallest activation precision p (1 or 2 .. 16) whose layer output - with the
** activations quantized at p bits by the layer's activation quantizer, the weights as
** quantized in *v - has an SQNR of at least MIN_SQNR_DB against the output at 16-bit
** activations (over the fixed output sample). *v must be quantized; it is left quantized
** at (p, v->w_bits) on success. */
int qaValuesProfile(const QaValuesSpec *spec, const QaLayer *l, QaLayerValues *v, double min_sqnr_db,
                    int *a_bits, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_VALUES_H */
