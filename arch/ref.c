/*
** ref.c - the plain integer reference convolution every model is checked against.
**
** Deliberately independent of the architecture kernels: NCHW layout, no packing,
** exact int64 accumulation. Loops are ordered so the inner loop runs along an
** output row, a whole output plane (1x1, stride 1, no padding) or the input
** features (fc): it vectorises, which keeps verification cheap enough to run on
** every layer.
*/
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"

static void conv_fc(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out) {
  for (int n = 0; n < l->n; n++)
    for (int k = 0; k < l->k; k++) {
      const int32_t *a = act + (int64_t)n * l->c, *w = wgt + (int64_t)k * l->c;
      int64_t acc = 0;
      for (int ci = 0; ci < l->c; ci++) acc += (int64_t)w[ci] * a[ci];
      out[(int64_t)n * l->k + k] = acc;
    }
}

/* The general kernel, instantiated for an int64 accumulator and, when the data
** bound proves every partial sum fits, an int32 one (exact, twice the vector width). */
#define DEFINE_CONV(NAME, ACC)                                                                     \
  static void NAME(const QaLayer *l, const int32_t *act, const int32_t *wgt, ACC *out) {           \
    int oh = qaLayerOutH(l), ow = qaLayerOutW(l);                                                  \
    int cg = l->c / l->groups, kg = l->k / l->groups;                                              \
    int plane = l->r == 1 && l->s == 1 && l->stride_h == 1 && l->stride_w == 1 && l->pad_h == 0 && \
                l->pad_w == 0 && !l->pad_asym;                                                     \
    memset(out, 0, (size_t)qaLayerOutCount(l) * sizeof(ACC));                                      \
    for (int n = 0; n < l->n; n++)                                                                 \
      for (int k = 0; k < l->k; k++) {                                                             \
        int g = k / kg;                                                                            \
        ACC *o = out + ((int64_t)n * l->k + k) * oh * ow;                                          \
        for (int ci = 0; ci < cg; ci++) {                                                          \
          const int32_t *a = act + ((int64_t)n * l->c + (int64_t)g * cg + ci) * l->h * l->w;       \
          const int32_t *wk = wgt + ((int64_t)k * cg + ci) * l->r * l->s;                          \
          if (plane) {                                                                             \
            ACC wv = (ACC)wk[0];                                                                   \
            int64_t np = (int64_t)oh * ow;                                                         \
            for (int64_t p = 0; p < np; p++) o[p] += wv * (ACC)a[p];                               \
            continue;                                                                              \
          }                                                                                        \
          for (int r = 0; r < l->r; r++) {                                                         \
            int y0 = 0, y1 = oh;                                                                   \
            while (y0 < oh && y0 * l->stride_h + r - l->pad_h < 0) y0++;                           \
            while (y1 > y0 && (y1 - 1) * l->stride_h + r - l->pad_h >= l->h) y1--;                 \
            for (int s = 0; s < l->s; s++) {                                                       \
              ACC wv = (ACC)wk[r * l->s + s];                                                      \
              if (wv == 0) continue;                                                               \
              int off = s - l->pad_w, x0 = 0, x1 = ow;                                             \
              while (x0 < ow && x0 * l->stride_w + off < 0) x0++;                                  \
              while (x1 > x0 && (x1 - 1) * l->stride_w + off >= l->w) x1--;                        \
              for (int y = y0; y < y1; y++) {                                                      \
                const int32_t *arow = a + (int64_t)(y * l->stride_h + r - l->pad_h) * l->w;        \
                ACC *orow = o + (int64_t)y * ow;                                                   \
                if (l->stride_w == 1) {                                                            \
                  const int32_t *ap = arow + off;                                                  \
                  for (int x = x0; x < x1; x++) orow[x] += wv * (ACC)ap[x];                        \
                } else {                                                                           \
                  for (int x = x0; x < x1; x++) orow[x] += wv * (ACC)arow[x * l->stride_w + off];  \
                }                                                                                  \
              }                                                                                    \
            }                                                                                      \
          }                                                                                        \
        }                                                                                          \
      }                                                                                            \
  }

DEFINE_CONV(conv_i64, int64_t)
DEFINE_CONV(conv_i32, int32_t)

/* Stride 1: with the input zero-padded to hp x wp, output (y, x) of kernel tap
** (r, s) reads padded input (y + r, x + s), so on a "wide" output plane of width wp
** every tap is one contiguous loop: wide[p] += w * in[p + r*wp + s] for
** p < (oh-1)*wp + ow (the last row stops at ow, so reads stay in the plane); the
** columns x >= ow of the wide plane are discarded. */
#define DEFINE_CONV_S1(NAME, ACC)                                                                       \
  static void NAME(const QaLayer *l, const int32_t *pad, const int32_t *wgt, ACC *wide, int64_t *out) { \
    int oh = qaLayerOutH(l), ow = qaLayerOutW(l);                                                       \
    int hp = qaLayerPaddedH(l), wp = qaLayerPaddedW(l);                                                 \
    int cg = l->c / l->groups, kg = l->k / l->groups;                                                   \
    int64_t span = (int64_t)(oh - 1) * wp + ow;                                                         \
    for (int n = 0; n < l->n; n++)                                                                      \
      for (int k = 0; k < l->k; k++) {                                                                  \
        int g = k / kg;                                                                                 \
        memset(wide, 0, (size_t)span * sizeof(ACC));                                                    \
        for (int ci = 0; ci < cg; ci++) {                                                               \
          const int32_t *a = pad + ((int64_t)n * l->c + (int64_t)g * cg + ci) * hp * wp;                \
          const int32_t *wk = wgt + ((int64_t)k * cg + ci) * l->r * l->s;                               \
          for (int r = 0; r < l->r; r++)                                                                \
            for (int s = 0; s < l->s; s++) {                                                            \
              ACC wv = (ACC)wk[r * l->s + s];                                                           \
              if (wv == 0) continue;                                                                    \
              const int32_t *ap = a + (int64_t)r * wp + s;                                              \
              for (int64_t p = 0; p < span; p++) wide[p] += wv * (ACC)ap[p];                            \
            }                                                                                           \
        }                                                                                               \
        int64_t *o = out + ((int64_t)n * l->k + k) * oh * ow;                                           \
        for (int y = 0; y < oh; y++)                                                                    \
          for (int x = 0; x < ow; x++) o[(int64_t)y * ow + x] = wide[(int64_t)y * wp + x];              \
      }                                                                                                 \
  }

DEFINE_CONV_S1(conv_s1_i64, int64_t)
DEFINE_CONV_S1(conv_s1_i32, int32_t)

/* Zero-padded copy of the input (N*C planes of hp x wp); NULL if out of memory. */
static int32_t *pad_input(const QaLayer *l, const int32_t *act) {
  int hp = qaLayerPaddedH(l), wp = qaLayerPaddedW(l);
  int64_t planes = (int64_t)l->n * l->c;
  int32_t *p = calloc((size_t)(planes * hp * wp), sizeof *p);
  if (!p) return NULL;
  for (int64_t pl = 0; pl < planes; pl++)
    for (int y = 0; y < l->h; y++)
      memcpy(p + (pl * hp + y + l->pad_h) * wp + l->pad_w, act + (pl * l->h + y) * l->w,
             (size_t)l->w * sizeof *p);
  return p;
}

static int64_t max_abs(const int32_t *v, int64_t n) {
  int64_t m = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t a = v[i] < 0 ? -(int64_t)v[i] : v[i];
    if (a > m) m = a;
  }
  return m;
}

void qaRefConv(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out) {
  if (l->h == 1 && l->w == 1 && l->r == 1 && l->s == 1 && l->groups == 1) {
    conv_fc(l, act, wgt, out);
    return;
  }
  /* every partial sum is bounded by max|a| * max|w| * (C/groups) * R * S */
  double bound = (double)max_abs(act, qaLayerActCount(l)) * (double)max_abs(wgt, qaLayerWgtCount(l)) *
                 (double)(l->c / l->groups) * l->r * l->s;
  int fits32 = bound < 2147483647.0;
  if (l->stride_h == 1 && l->stride_w == 1 &&
      !(l->r == 1 && l->s == 1 && l->pad_h == 0 && l->pad_w == 0 && !l->pad_asym)) {
    int64_t span = (int64_t)(qaLayerOutH(l) - 1) * (qaLayerPaddedW(l)) + qaLayerOutW(l);
    int32_t *pad = pad_input(l, act);
    void *wide = malloc((size_t)span * (fits32 ? sizeof(int32_t) : sizeof(int64_t)));
    if (pad && wide) {
      if (fits32)
        conv_s1_i32(l, pad, wgt, wide, out);
      else
        conv_s1_i64(l, pad, wgt, wide, out);
      free(pad);
      free(wide);
      return;
    }
    free(pad);
    free(wide);
  }
  int64_t n = qaLayerOutCount(l);
  int32_t *o32 = fits32 ? malloc((size_t)n * sizeof *o32) : NULL;
  if (!o32) {
    conv_i64(l, act, wgt, out);
    return;
  }
  conv_i32(l, act, wgt, o32);
  for (int64_t i = 0; i < n; i++) out[i] = o32[i];
  free(o32);
}
