/*
** test_reshape.c - the first-layer reshape (issue 8, arch/reshape.h): a strided layer
** with few channels folded into a stride-1 layer over stride^2 x the channels.
**  - the reshaped layer's reference convolution equals the original's, bit for bit, on
**    random strided layers (symmetric and asymmetric padding);
**  - every architecture, with the reshape on (its default), computes the original
**    layer's outputs in both timing modes, through the C driver and through SystemC;
**  - a hand-worked case: 3 channels, 13x13, 5x5 kernel, stride 2, padding 1 on
**    DaDianNao (16 lanes): 6x6 windows x 25 taps x 1 brick = 900 cycles become
**    6x6 x 3x3 taps x 1 brick (12 channels) = 324 cycles, with the original MACs;
**  - it is not applied where it would not save brick steps (a 1x1 kernel at stride 2).
*/
#include <string.h>

#include "arch/reshape.h"
#include "modeltest.h"
#include "qatest.h"

/* A random conv layer that the reshape may apply to: few channels, stride 2 or 3. */
static void stridedLayer(QaRng *g, QaLayer *l, int idx) {
  memset(l, 0, sizeof *l);
  snprintf(l->name, sizeof l->name, "strided%d", idx);
  l->kind = QA_LAYER_CONV;
  l->n = 1;
  l->c = (int)qaRngRange(g, 1, 6);
  l->k = (int)qaRngRange(g, 1, 20);
  l->r = (int)qaRngRange(g, 1, 7);
  l->s = (int)qaRngRange(g, 1, 7);
  l->stride_h = l->stride_w = (int)qaRngRange(g, 2, 3);
  l->h = l->r + (int)qaRngRange(g, 0, 12);
  l->w = l->s + (int)qaRngRange(g, 0, 12);
  l->pad_h = (int)qaRngRange(g, 0, l->r - 1);
  l->pad_w = (int)qaRngRange(g, 0, l->s - 1);
  if (qaRngRange(g, 0, 1)) {
    l->pad_asym = 1;
    l->pad_b = (int)qaRngRange(g, 0, l->r - 1);
    l->pad_r = (int)qaRngRange(g, 0, l->s - 1);
  }
  l->groups = 1;
  qaLayerNormalize(l);
}

/* MtGenFn of the SystemC runs: 6-bit codes (8 on dadiannao8); one-hot codes when *arg. */
static void scGen(QaRng *g, MtCase *k, int i, const void *arg) {
  int onehot = *(const int *)arg, bits = 6;
  k->a_bits = k->w_bits = bits;
  k->a_signed = 0;
  k->enc = QA_ENC_NAF;
  int64_t na = qaLayerActCount(&k->l), nw = qaLayerWgtCount(&k->l);
  k->act = randCodes(g, na, 0, (1 << bits) - 1, 0.3);
  k->wgt = randCodes(g, nw, -(1 << (bits - 1)) + 1, (1 << (bits - 1)) - 1, 0.1);
  if (!onehot) return;
  for (int64_t j = 0; j < na; j++) k->act[j] = k->act[j] ? 1 << (k->act[j] % bits) : 0;
  for (int64_t j = 0; j < nw; j++)
    k->wgt[j] = k->wgt[j]
                    ? (k->wgt[j] < 0 ? -1 : 1) * (1 << (((k->wgt[j] % (bits - 1)) + bits - 1) % (bits - 1)))
                    : 0;
  (void)i;
}

static void config(const char *arch, QaArchConfig *cfg) {
  const QaArchDesc *d = NULL;
  QaErr err = {0, ""};
  CHECK_MSG(qaArchFind(arch, &d, &err) == QA_OK, "%s", err.msg);
  qaCfgDefaults(d, cfg);
  CHECK(cfg->spec.base.first_layer_reshape == 1); /* on by default */
}

int main(void) {
  QaErr err = {0, ""};
  QaRng g;
  qaRngSeed(&g, qaTestSeed(8080));

  /* 1. The reshaped layer computes the original outputs (reference convolutions). */
  QaArchConfig ddn;
  config("dadiannao", &ddn);
  int applied = 0;
  for (int it = 0; it < qaTestScale(300); it++) {
    QaLayer l;
    stridedLayer(&g, &l, it);
    CHECK_MSG(qaLayerValidate(&l, &err) == QA_OK, "%s", err.msg);
    int32_t *act = randCodes(&g, qaLayerActCount(&l), -100, 100, 0.2);
    int32_t *wgt = randCodes(&g, qaLayerWgtCount(&l), -100, 100, 0.1);
    int64_t no = qaLayerOutCount(&l);
    int64_t *o1 = malloc((size_t)no * sizeof *o1), *o2 = malloc((size_t)no * sizeof *o2);
    QaLayerJob job = {&l, act, wgt, 8, 8, 1, QA_ENC_BOOTH4, o1, 0};
    QaReshaped rs;
    CHECK(qaReshapeJob(&job, &rs, &err) == QA_OK);
    CHECK(qaLayerValidate(&rs.layer, &err) == QA_OK);
    CHECK(qaLayerOutH(&rs.layer) == qaLayerOutH(&l) && qaLayerOutW(&rs.layer) == qaLayerOutW(&l));
    CHECK_EQ_I64(rs.job.macs, qaLayerMacs(&l));
    qaRefConv(&l, act, wgt, o1);
    qaRefConv(&rs.layer, rs.act, rs.wgt, o2);
    CHECK_MSG(!memcmp(o1, o2, (size_t)no * sizeof *o1), "%s: c%d %dx%d k%dx%d/%d: reshaped outputs differ",
              l.name, l.c, l.h, l.w, l.r, l.s, l.stride_h);
    applied += qaReshapeApplies(&ddn, &l);
    qaReshapeFree(&rs);
    free(act);
    free(wgt);
    free(o1);
    free(o2);
  }
  CHECK(applied > 50);
  printf("reshape: reference outputs equal on every random strided layer (%d would be reshaped)\n", applied);

  /* 2. Every architecture, reshape on: outputs of the original layer, LT == clocked. */
  static const char *const archs[] = {"dadiannao", "dadiannao8",       "stripes",     "pragmatic",
                                      "laconic",   "onehot-dadiannao", "khot-laconic"};
  for (size_t a = 0; a < sizeof archs / sizeof archs[0]; a++) {
    QaArchConfig cfg;
    config(archs[a], &cfg);
    mtSetAll(&cfg, "tiles=1 rows=4");
    int onehot = strstr(archs[a], "hot") != NULL;
    for (int it = 0; it < 12; it++) {
      QaLayer l;
      stridedLayer(&g, &l, 1000 + it);
      int bits = strcmp(archs[a], "dadiannao8") ? 6 : 8;
      int32_t *act = randCodes(&g, qaLayerActCount(&l), 0, (1 << bits) - 1, 0.3);
      int32_t *wgt = randCodes(&g, qaLayerWgtCount(&l), -(1 << (bits - 1)) + 1, (1 << (bits - 1)) - 1, 0.1);
      if (onehot) /* one-hot codes fit every k-hot design */
        for (int64_t i = 0; i < qaLayerActCount(&l); i++) act[i] = act[i] ? 1 << (act[i] % bits) : 0;
      if (onehot)
        for (int64_t i = 0; i < qaLayerWgtCount(&l); i++)
          wgt[i] =
              wgt[i] ? (wgt[i] < 0 ? -1 : 1) * (1 << (((wgt[i] % (bits - 1)) + bits - 1) % (bits - 1))) : 0;
      QaLayerJob job = {&l, act, wgt, bits, bits, 0, QA_ENC_NAF, NULL, 0};
      QaLayerStats st;
      mtRunBoth(&cfg, &job, &st); /* outputs against qaRefConv of the original layer */
      CHECK_EQ_I64(st.macs, qaLayerMacs(&l));
      free(act);
      free(wgt);
    }
    mtScCheck(&cfg, 6, 77 + a, scGen, &onehot); /* the SystemC driver's reshape path */
  }

  /* 3. Hand-worked: 3 x 13 x 13, 5x5 kernel, stride 2, padding 1 on DaDianNao (16 lanes,
  ** 16 x 16 filter rows): OH = OW = (13 + 2 - 5)/2 + 1 = 6. As given: 36 windows x 25
  ** taps x 1 brick (3 of 16 lanes) = 900 cycles. Reshaped: 12 channels (1 brick),
  ** kernel ceil(5/2) = 3: 36 x 9 x 1 = 324 cycles. */
  {
    QaLayer l = {"conv1", QA_LAYER_CONV, 1, 3, 13, 13, 8, 5, 5, 2, 2, 1, 1, 1, 0, 0, "", ""};
    CHECK(qaLayerValidate(&l, &err) == QA_OK);
    int32_t *act = randCodes(&g, qaLayerActCount(&l), 0, 255, 0.0);
    int32_t *wgt = randCodes(&g, qaLayerWgtCount(&l), -127, 127, 0.0);
    QaLayerJob job = {&l, act, wgt, 16, 16, 0, QA_ENC_BOOTH4, NULL, 0};
    QaLayerStats st;
    CHECK(qaReshapeApplies(&ddn, &l));
    mtRunBoth(&ddn, &job, &st);
    CHECK_EQ_I64(st.n_compute_cycles, 324);
    CHECK_EQ_I64(st.macs, 8 * 36 * 75);
    QaArchConfig off = ddn;
    mtSetAll(&off, "first_layer_reshape=false");
    mtRunBoth(&off, &job, &st);
    CHECK_EQ_I64(st.n_compute_cycles, 900);
    free(act);
    free(wgt);
  }

  /* 4. Not applied where it would not save steps: a 1x1 kernel at stride 2 (4 channels
  ** x 4 = 16 channels, 1 brick either way), dense layers with a full brick, grouped
  ** layers, stride 1. */
  {
    QaLayer l = {"pw", QA_LAYER_CONV, 1, 4, 8, 8, 8, 1, 1, 2, 2, 0, 0, 1, 0, 0, "", ""};
    CHECK(!qaReshapeApplies(&ddn, &l));
    l.c = 16, l.r = l.s = 3;
    CHECK(!qaReshapeApplies(&ddn, &l)); /* 16 channels fill a brick */
    l.c = 4, l.stride_h = l.stride_w = 1;
    CHECK(!qaReshapeApplies(&ddn, &l));
    l.stride_h = l.stride_w = 2, l.groups = 2, l.k = 8;
    CHECK(!qaReshapeApplies(&ddn, &l));
  }
  return TEST_DONE();
}
