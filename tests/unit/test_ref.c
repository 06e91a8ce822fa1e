/*
** test_ref.c - the integer reference convolution (sim/ref.c) against a brute-force
** seven-loop convolution written here, on random layers that exercise each of its
** paths: phase planes (every stride, padding - asymmetric too - and grouping), pointwise,
** fc, and the allocation-free direct loops.
*/
#include <string.h>

#include "arch/arch.h"
#include "qatest.h"
#include "randlayer.h"

static void brute(const QaLayer *l, const int32_t *a, const int32_t *w, int64_t *o) {
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l), cg = l->c / l->groups, kg = l->k / l->groups;
  for (int n = 0; n < l->n; n++)
    for (int k = 0; k < l->k; k++)
      for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
          int64_t acc = 0;
          for (int ci = 0; ci < cg; ci++)
            for (int r = 0; r < l->r; r++)
              for (int s = 0; s < l->s; s++) {
                int iy = y * l->stride_h + r - l->pad_h, ix = x * l->stride_w + s - l->pad_w;
                if (iy < 0 || iy >= l->h || ix < 0 || ix >= l->w) continue;
                int c = (k / kg) * cg + ci;
                acc += (int64_t)a[(((int64_t)n * l->c + c) * l->h + iy) * l->w + ix] *
                       w[(((int64_t)k * cg + ci) * l->r + r) * l->s + s];
              }
          o[(((int64_t)n * l->k + k) * oh + y) * ow + x] = acc;
        }
}

int main(void) {
  QaRng g;
  qaRngSeed(&g, qaTestSeed(4242));
  for (int it = 0; it < qaTestScale(600); it++) {
    QaLayer l;
    randLayer(&g, &l, it);
    if (it % 4 == 1) { /* force the pointwise path */
      l.r = l.s = 1;
      l.stride_h = l.stride_w = 1;
      l.pad_h = l.pad_w = 0;
    }
    int64_t no = qaLayerOutCount(&l);
    /* 16-bit ranges take the int64 path, 8-bit ranges the proven int32 one */
    int big = it % 2;
    int32_t *a = randCodes(&g, qaLayerActCount(&l), big ? -65535 : -255, big ? 65535 : 255, 0.2);
    int32_t *w = randCodes(&g, qaLayerWgtCount(&l), big ? -32767 : -127, big ? 32767 : 127, 0.2);
    int64_t *o1 = malloc((size_t)no * sizeof *o1), *o2 = malloc((size_t)no * sizeof *o2);
    qaRefConv(&l, a, w, o1);
    brute(&l, a, w, o2);
    CHECK_MSG(!memcmp(o1, o2, (size_t)no * sizeof *o1), "layer %d (%s c%d h%d w%d k%d r%d s%d /%dx%d g%d)",
              it, qaLayerKindName(l.kind), l.c, l.h, l.w, l.k, l.r, l.s, l.stride_h, l.stride_w, l.groups);
    if (it % 3 == 0) { /* the allocation-free fallback */
      memset(o1, 0x55, (size_t)no * sizeof *o1);
      qaRefConvDirect(&l, a, w, o1);
      CHECK_MSG(!memcmp(o1, o2, (size_t)no * sizeof *o1), "direct, layer %d", it);
    }
    /* the check counts exactly the outputs that differ (o2 is the brute force's) */
    CHECK_EQ_I64(qaRefConvCheck(&l, a, w, o2), 0);
    int64_t changed = 0;
    for (int64_t i = 0; i < no; i += 1 + (i * 7) % 13, changed++) o2[i] += i % 2 ? 1 : -((int64_t)1 << 40);
    CHECK_EQ_I64(qaRefConvCheck(&l, a, w, o2), changed);
    free(a);
    free(w);
    free(o1);
    free(o2);
  }
  return TEST_DONE();
}
