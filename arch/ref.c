/*
** ref.c - the plain integer reference convolution every model is checked against.
**
** Deliberately independent of the architecture kernels: NCHW layout, no packing into
** bricks, exact integer accumulation. Two paths:
**   fc     (1x1 input and kernel, one group): one dot product per output;
**   planes everything else. The input is zero-padded, and for a stride (sh, sw) split
**          into sh x sw phase planes: phase (u, v) of channel c holds padded pixels
**          (u + sh i, v + sw j). Kernel tap (r, s) of a stride-sh layer only ever reads
**          phase (r mod sh, s mod sw), at offset (r div sh, s div sw): every layer becomes
**          a sum of stride-1 correlations over phase planes of one common size
**          H* x W* (ceil(hp/sh) x ceil(wp/sw)), without the zero taps a space-to-depth
**          rewrite would add. On a "wide" output plane of width W*, output (y, x) is
**          entry p = y W* + x and a tap at offset (r', s') reads plane entry p + r' W* + s',
**          so every tap is one contiguous run over p < span = (OH-1) W* + OW; columns
**          x >= OW of the wide plane are discarded.
** The wide plane is computed in blocks of RB entries for KB filters of one group at a
** time, the block's sums held in registers while every (channel, tap) streams past: one
** load of the input per KB multiply-adds. Sums are 32-bit when the data bound (max|a| x
** max|w| x taps x channels) proves they fit - exact, twice the vector width - else
** 64-bit. The last block reads up to RB entries past the last plane: the planes carry RB
** spare zeros. If the planes cannot be allocated, a direct loop computes the same sums.
*/
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"

#define RB 32 /* wide-plane entries per block */
#define KB 4  /* filters per block */

/* Every path either stores each output in OUT or, with WANT, adds 1 to *BAD for each output
** that differs from WANT's (the check of a model's outputs needs no copy of its own). */
#define EMIT(idx, v)                     \
  do {                                   \
    if (want)                            \
      *bad += want[idx] != (int64_t)(v); \
    else                                 \
      out[idx] = (v);                    \
  } while (0)

static void conv_fc(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out,
                    const int64_t *want, int64_t *bad) {
  for (int n = 0; n < l->n; n++)
    for (int k = 0; k < l->k; k++) {
      const int32_t *a = act + (int64_t)n * l->c, *w = wgt + (int64_t)k * l->c;
      int64_t acc = 0;
      for (int ci = 0; ci < l->c; ci++) acc += (int64_t)w[ci] * a[ci];
      EMIT((int64_t)n * l->k + k, acc);
    }
}

/* The phase planes of one image: C x sh x sw planes of H* x W* (+ RB spare zeros at the
** end). NULL if out of memory. */
typedef struct Planes {
  int32_t *v;
  int sh, sw, hs, ws; /* stride, plane height H* and width W* */
} Planes;

static int planes_make(const QaLayer *l, const int32_t *act, int n, Planes *p) {
  int hp = qaLayerPaddedH(l), wp = qaLayerPaddedW(l), sh = l->stride_h, sw = l->stride_w;
  p->sh = sh;
  p->sw = sw;
  p->hs = (hp + sh - 1) / sh;
  p->ws = (wp + sw - 1) / sw;
  int64_t plane = (int64_t)p->hs * p->ws;
  p->v = calloc((size_t)((int64_t)l->c * sh * sw * plane + RB), sizeof *p->v);
  if (!p->v) return -1;
  for (int c = 0; c < l->c; c++)
    for (int y = 0; y < l->h; y++) {
      const int32_t *row = act + (((int64_t)n * l->c + c) * l->h + y) * l->w;
      int py = y + l->pad_h, u = py % sh, i = py / sh;
      for (int x = 0; x < l->w; x++) {
        int px = x + l->pad_w, v = px % sw, j = px / sw;
        p->v[(((int64_t)c * sh + u) * sw + v) * plane + (int64_t)i * p->ws + j] = row[x];
      }
    }
  return 0;
}

/* Outputs of image n (see the header comment), sums in ACC. */
#define DEFINE_CONV_PLANES(NAME, ACC)                                                             \
  static void NAME(const QaLayer *l, const Planes *pl, const int32_t *wgt, int n, int64_t *out,   \
                   const int64_t *want, int64_t *bad) {                                           \
    int oh = qaLayerOutH(l), ow = qaLayerOutW(l), W = pl->ws, sh = pl->sh, sw = pl->sw;           \
    int cg = l->c / l->groups, kg = l->k / l->groups, rs = l->r * l->s;                           \
    int64_t plane = (int64_t)pl->hs * W, span = (int64_t)(oh - 1) * W + ow;                       \
    for (int g = 0; g < l->groups; g++)                                                           \
      for (int k0 = g * kg; k0 < (g + 1) * kg; k0 += KB) {                                        \
        int nk = (g + 1) * kg - k0 < KB ? (g + 1) * kg - k0 : KB;                                 \
        for (int64_t p0 = 0; p0 < span; p0 += RB) {                                               \
          ACC acc[KB][RB];                                                                        \
          memset(acc, 0, sizeof acc);                                                             \
          for (int ci = 0; ci < cg; ci++) {                                                       \
            const int32_t *a = pl->v + (int64_t)(g * cg + ci) * sh * sw * plane + p0;             \
            for (int t = 0; t < rs; t++) {                                                        \
              int r = t / l->s, s = t % l->s;                                                     \
              const int32_t *ap =                                                                 \
                  a + ((int64_t)(r % sh) * sw + s % sw) * plane + (int64_t)(r / sh) * W + s / sw; \
              ACC wv[KB];                                                                         \
              for (int f = 0; f < KB; f++)                                                        \
                wv[f] = f < nk ? (ACC)wgt[((int64_t)(k0 + f) * cg + ci) * rs + t] : 0;            \
              if (nk == KB) /* a block of 1 filter (depthwise) does not pay for KB */             \
                for (int f = 0; f < KB; f++)                                                      \
                  for (int q = 0; q < RB; q++) acc[f][q] += wv[f] * (ACC)ap[q];                   \
              else                                                                                \
                for (int f = 0; f < nk; f++)                                                      \
                  for (int q = 0; q < RB; q++) acc[f][q] += wv[f] * (ACC)ap[q];                   \
            }                                                                                     \
          }                                                                                       \
          for (int f = 0; f < nk; f++) { /* entry p = y W* + x, x counted on (no division) */     \
            int64_t o = ((int64_t)n * l->k + k0 + f) * oh * ow;                                   \
            int64_t y = p0 / W;                                                                   \
            int x = (int)(p0 % W);                                                                \
            for (int q = 0; q < RB && p0 + q < span; q++) {                                       \
              if (x < ow) EMIT(o + y * ow + x, acc[f][q]);                                        \
              if (++x == W) {                                                                     \
                x = 0;                                                                            \
                y++;                                                                              \
              }                                                                                   \
            }                                                                                     \
          }                                                                                       \
        }                                                                                         \
      }                                                                                           \
  }

DEFINE_CONV_PLANES(conv_planes_i64, int64_t)
DEFINE_CONV_PLANES(conv_planes_i32, int32_t)

/* The same sums by direct loops (when the planes cannot be allocated). */
static void convDirect(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out,
                       const int64_t *want, int64_t *bad) {
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l), cg = l->c / l->groups, kg = l->k / l->groups;
  for (int n = 0; n < l->n; n++)
    for (int k = 0; k < l->k; k++)
      for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
          int64_t acc = 0;
          for (int ci = 0; ci < cg; ci++)
            for (int r = 0; r < l->r; r++) {
              int iy = y * l->stride_h + r - l->pad_h;
              if (iy < 0 || iy >= l->h) continue;
              const int32_t *arow = act + (((int64_t)n * l->c + (k / kg) * cg + ci) * l->h + iy) * l->w;
              const int32_t *wrow = wgt + (((int64_t)k * cg + ci) * l->r + r) * l->s;
              for (int s = 0; s < l->s; s++) {
                int ix = x * l->stride_w + s - l->pad_w;
                if (ix >= 0 && ix < l->w) acc += (int64_t)arow[ix] * wrow[s];
              }
            }
          EMIT((((int64_t)n * l->k + k) * oh + y) * ow + x, acc);
        }
}

static int64_t max_abs(const int32_t *v, int64_t n) {
  int64_t m = 0;
  for (int64_t i = 0; i < n; i++) {
    int64_t a = v[i] < 0 ? -(int64_t)v[i] : v[i];
    if (a > m) m = a;
  }
  return m;
}

static void refConv(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out,
                    const int64_t *want, int64_t *bad) {
  if (l->h == 1 && l->w == 1 && l->r == 1 && l->s == 1 && l->groups == 1) {
    conv_fc(l, act, wgt, out, want, bad);
    return;
  }
  /* every partial sum is bounded by max|a| * max|w| * (C/groups) * R * S */
  double bound = (double)max_abs(act, qaLayerActCount(l)) * (double)max_abs(wgt, qaLayerWgtCount(l)) *
                 (double)(l->c / l->groups) * l->r * l->s;
  int fits32 = bound < 2147483647.0;
  for (int n = 0; n < l->n; n++) {
    Planes pl;
    if (planes_make(l, act, n, &pl)) {
      if (want) *bad = 0; /* the direct loops check every image */
      convDirect(l, act, wgt, out, want, bad);
      return;
    }
    if (fits32)
      conv_planes_i32(l, &pl, wgt, n, out, want, bad);
    else
      conv_planes_i64(l, &pl, wgt, n, out, want, bad);
    free(pl.v);
  }
}

void qaRefConv(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out) {
  refConv(l, act, wgt, out, NULL, NULL);
}

void qaRefConvDirect(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out) {
  convDirect(l, act, wgt, out, NULL, NULL);
}

int64_t qaRefConvCheck(const QaLayer *l, const int32_t *act, const int32_t *wgt, const int64_t *got) {
  int64_t bad = 0;
  refConv(l, act, wgt, NULL, got, &bad);
  return bad;
}
