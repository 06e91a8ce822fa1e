/*
** quant.h - quantizers: float tensors to b-bit integer codes plus scale(s).
**
** A code q stands for the real value q * scale. Code ranges for b bits (1..16):
**   signed schemes   [-(2^(b-1)-1), 2^(b-1)-1]  (symmetric; b >= 2)
**   unsigned scheme  [0, 2^b - 1]               (non-negative inputs, e.g. post-ReLU)
** Schemes:
**   sym       uniform symmetric, signed
**   unsigned  uniform, non-negative (negative inputs clip to 0)
**   pow2      one-hot: every code is 0 or +-2^k inside the signed range
**             (or 2^k inside the unsigned range when `unsigned_codes` is set)
**   khot      k-hot as the one-hot networks work defines it (Li et al., DATE 2020):
**             at most k one-bits in the binary magnitude, sign apart (8-bit signed:
**             two-hot spans +-96, one-hot +-64), nearest representable code; khot with
**             k=1 equals pow2. The variant khotK-naf allows k signed power-of-two terms
**             instead (minimal signed-digit weight <= k: 127 = 128 - 1 is two-hot)
**   fixed     fixed point: uniform with a power-of-two scale (a Qm.n format with the
**             layer's radix point): the p-bit code keeps the bits from the tensor's
**             most significant needed bit down, trimming MSBs and LSBs - what running
**             a 16-bit fixed-point container at p bits does. Signed, or -u unsigned
**   ternary   {-1, 0, +1} x scale with a threshold (b >= 2)
**   binary    {-1, +1} x scale (b == 1 allowed; any b accepted, codes are +-1)
**   none      pass-through: the values are integer codes already (a model's integer
**             weights, a fixed-point trace); each must be an exact integer inside the
**             b-bit range - two's complement [-2^(b-1), 2^(b-1)-1] when any code is
**             negative, else unsigned [0, 2^b-1] (-u: always unsigned, negatives
**             refused) - else QA_EUSER naming the value; scale 1 (a caller that knows
**             the codes' scales, e.g. a traced wgt_scale, dequantizes with those); SQNR 999
** Clipping (how the scale is chosen): minmax (max |x| maps to the largest code)
** or mse (search the clipping value that minimises the mean squared error).
** Granularity: per tensor, or per output channel (the tensor is n_channels
** contiguous blocks, e.g. the K filters of a KxCxRxS weight tensor).
** Every quantizer reports its SQNR in dB: 10 log10(sum x^2 / sum (x - q*scale)^2)
** (+inf is reported as 999 when the error is exactly zero; an all-zero input gives 0).
*/
#ifndef QA_QUANT_H
#define QA_QUANT_H

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum QaQuantScheme {
  QA_Q_SYM = 0,
  QA_Q_UNSIGNED,
  QA_Q_POW2,
  QA_Q_KHOT,
  QA_Q_FIXED,
  QA_Q_TERNARY,
  QA_Q_BINARY,
  QA_Q_NONE
} QaQuantScheme;

typedef enum QaQuantClip { QA_CLIP_MINMAX = 0, QA_CLIP_MSE } QaQuantClip;

typedef struct QaQuantSpec {
  QaQuantScheme scheme;
  QaQuantClip clip;
  int per_channel;      /* 1: one scale per channel block */
  int k;                /* khot: max terms per value (1..8); pow2 behaves as k = 1 */
  int unsigned_codes;   /* pow2/khot/fixed/none: non-negative codes only (activations) */
  double ternary_delta; /* ternary threshold as a fraction of max|x| (default 0.7 * mean|x| rule if 0) */
  int khot_naf;         /* khot: count signed-digit (NAF) terms instead of one-bits */
} QaQuantSpec;

typedef struct QaQuantResult {
  double sqnr_db;   /* over the whole tensor */
  int32_t min_code; /* smallest / largest code produced */
  int32_t max_code;
  int64_t n_channels; /* number of scales */
  double *scales;     /* owned by the result: n_channels scales; free with qaQuantResultFree */
} QaQuantResult;

/* Parse a quantizer spec string: "sym", "sym-mse", "sym-ch", "sym-ch-mse",
** "unsigned", "unsigned-mse", "pow2", "pow2-u" (unsigned codes), "khot1".."khot8"
** (optionally "-u", "-naf"), "fixed" (optionally "-u"), "ternary", "binary", "none" (optionally
** "-u"). QA_EUSER listing the valid forms on error. */
int qaQuantParse(const char *text, QaQuantSpec *out, QaErr *err);
/* Canonical text of a spec (inverse of qaQuantParse) into buf. */
void qaQuantFormat(const QaQuantSpec *spec, char *buf, size_t len);

/* Quantize n floats x (n_channels contiguous blocks of n / n_channels values when
** spec->per_channel, else n_channels is ignored) to `bits` bits.
** codes_out: caller-owned array of n int32. res: out; free with qaQuantResultFree.
** Errors: bits out of range for the scheme, NaN/Inf input (index named), n not a
** multiple of n_channels. */
int qaQuantize(const QaQuantSpec *spec, int bits, const float *x, int64_t n, int64_t n_channels,
               int32_t *codes_out, QaQuantResult *res, QaErr *err);

/* The running sums of a tensor quantized in parts (qaQuantizePart; zero it before the first
** part): per-channel parts add each channel's signal power sum x^2 and squared error to sig and
** noise; per-tensor parts add element i of the tensor to lane i mod 8 of lsig and lnoise, as one
** call over the whole tensor does. */
typedef struct QaQuantSums {
  double sig, noise;
  double lsig[8], lnoise[8];
  int64_t n; /* values so far */
} QaQuantSums;
/* The SQNR in dB of the sums (qaQuantSqnrDb of their totals). */
double qaQuantSumsDb(const QaQuantSums *s);

/* qaQuantize of one part of a bigger tensor, parts in order (streamed weights, issue 12). The
** codes, scales and (after the last part, from *sums) the SQNR are the whole tensor's when
** qaQuantStreamable(spec): per-channel with parts of whole channels, or per tensor with CLIP
** the whole tensor's qaQuantClip (CLIP < 0: from X, as qaQuantize does). res holds the part's
** scales and codes range; its sqnr_db is of the sums so far. */
int qaQuantizePart(const QaQuantSpec *spec, int bits, const float *x, int64_t n, int64_t n_channels,
                   double clip, int32_t *codes_out, QaQuantResult *res, QaQuantSums *sums, QaErr *err);
/* 1 if qaQuantizePart over parts gives qaQuantize's result: per-channel specs, and per-tensor
** minmax sym, unsigned, pow2, khot and fixed (their scale depends on the largest value only). */
int qaQuantStreamable(const QaQuantSpec *spec);
/* The largest |x| (the largest x, at least 0, for unsigned codes) of N finite floats: a
** per-tensor minmax scale's input; the maximum over parts is the tensor's. */
double qaQuantClip(const QaQuantSpec *spec, const float *x, int64_t n);
/* 10 log10(sig / noise) in dB; 999 when noise is 0, 0 when sig is (see above). */
double qaQuantSqnrDb(double sig, double noise);

void qaQuantResultFree(QaQuantResult *res);

/* Smallest and largest code of a scheme at `bits` (for range checks in models). */
void qaQuantCodeRange(const QaQuantSpec *spec, int bits, int32_t *lo, int32_t *hi);

#ifdef __cplusplus
}
#endif
#endif /* QA_QUANT_H */
