/*
** ref.c - the plain integer reference convolution every model is checked against.
**
** Deliberately independent of the architecture kernels: NCHW layout, no packing,
** exact int64 accumulation, loops ordered so the inner loop runs along an output
** row (it vectorises, which keeps verification cheap enough to run on every layer).
*/
#include <string.h>

#include "../arch/arch.h"

void qaRefConv(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out) {
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  int cg = l->c / l->groups, kg = l->k / l->groups;
  memset(out, 0, (size_t)qaLayerOutCount(l) * sizeof(int64_t));
  for (int n = 0; n < l->n; n++)
    for (int k = 0; k < l->k; k++) {
      int g = k / kg;
      int64_t *o = out + ((int64_t)n * l->k + k) * oh * ow;
      for (int ci = 0; ci < cg; ci++) {
        const int32_t *a = act + ((int64_t)n * l->c + (int64_t)g * cg + ci) * l->h * l->w;
        for (int r = 0; r < l->r; r++)
          for (int s = 0; s < l->s; s++) {
            int64_t wv = wgt[(((int64_t)k * cg + ci) * l->r + r) * l->s + s];
            if (wv == 0) continue;
            for (int y = 0; y < oh; y++) {
              int iy = y * l->stride_h + r - l->pad_h;
              if (iy < 0 || iy >= l->h) continue;
              const int32_t *arow = a + (int64_t)iy * l->w;
              int64_t *orow = o + (int64_t)y * ow;
              /* valid x range: 0 <= x*stride + s - pad < w */
              int x0 = 0, x1 = ow;
              int off = s - l->pad_w;
              while (x0 < ow && x0 * l->stride_w + off < 0) x0++;
              while (x1 > x0 && (x1 - 1) * l->stride_w + off >= l->w) x1--;
              if (l->stride_w == 1) {
                const int32_t *ap = arow + off;
                for (int x = x0; x < x1; x++) orow[x] += wv * ap[x];
              } else {
                for (int x = x0; x < x1; x++) orow[x] += wv * arow[x * l->stride_w + off];
              }
            }
          }
      }
    }
}
