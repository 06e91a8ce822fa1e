/*
** test_onehot.c - the one-hot / k-hot architectures (arch/onehot.c):
**  onehot-dadiannao
**  - outputs equal the integer reference bit for bit on random layers with one-hot
**    codes (0 or +-2^k) at every bit-width 1..16, signed and unsigned activations;
**  - loosely timed == clocked (exponent adders + histogram per cycle) on cycles,
**    outputs, term pairs and every action count;
**  - cycles equal dadiannao's on the same geometry (one cycle per brick step);
**  - codes that are not one-hot are rejected with the message naming the fix;
**    one-hot storage widths.
**  khot-laconic
**  - outputs == reference and LT == clocked for every sync scope on random k-hot
**    codes (k_a, k_w in 1..4, bits 2..16);
**  - a lane costs at most k_a x k_w cycles: steps <= cycles <= k_a k_w steps (grid),
**    and exactly one cycle per brick step when k_a = k_w = 1;
**  - codes with more than k terms (for the job's encoder) are rejected naming the
**    layer and the fix;
**  - descriptor defaults (quantizers, encoder) for both.
**  SystemC: LT and clocked runs of 40 random layers for each architecture give
**  identical cycles, stall cycles and reference outputs (one forked child per mode,
**  tests/modeltest.h).
*/
#include <string.h>

#include "arch/engine.h"
#include "modeltest.h"
#include "plan.h"

/* Random one-hot codes of a b-bit operand: 0 or 2^k (unsigned, k < b) or +-2^k
** (signed, 2^k <= 2^(b-1) - 1). */
static int32_t *rand_onehot(QaRng *g, int64_t n, int bits, int is_signed, double zero_frac) {
  int32_t *v = malloc((size_t)(n ? n : 1) * sizeof *v);
  int kmax = is_signed ? (bits >= 2 ? bits - 2 : 0) : bits - 1;
  for (int64_t i = 0; i < n; i++) {
    if (qaRngUniform(g) < zero_frac) {
      v[i] = 0;
      continue;
    }
    int32_t m = (int32_t)1 << qaRngRange(g, 0, kmax);
    v[i] = is_signed && qaRngUniform(g) < 0.5 ? -m : m;
  }
  return v;
}

/* Random k-hot codes: a sum of up to k signed powers of two inside the b-bit range
** (so the NAF, which is minimal, has at most k terms). */
static int32_t *rand_khot(QaRng *g, int64_t n, int bits, int is_signed, int k, double zero_frac) {
  int32_t *v = malloc((size_t)(n ? n : 1) * sizeof *v);
  int32_t hi = is_signed ? (bits >= 2 ? (1 << (bits - 1)) - 1 : 1) : (1 << bits) - 1;
  int32_t lo = is_signed ? -hi : 0;
  for (int64_t i = 0; i < n; i++) {
    int32_t x = 0;
    if (qaRngUniform(g) >= zero_frac)
      for (int tries = 0; tries < 100; tries++) {
        int nt = (int)qaRngRange(g, 1, k);
        int64_t s = 0;
        for (int t = 0; t < nt; t++) {
          int64_t p = (int64_t)1 << qaRngRange(g, 0, bits);
          s += qaRngUniform(g) < 0.5 ? -p : p;
        }
        if (s >= lo && s <= hi) {
          x = (int32_t)s;
          break;
        }
      }
    v[i] = x;
  }
  return v;
}

/* One cycle per brick step, one window per step (plan.h). */
static int64_t expected_ddn_cycles(const QaLayer *l, int lanes, int rows) {
  return planSteps(l, lanes, rows, 1);
}

/* Run in both modes (mtRunBoth) into *s1, and check the utilisation is in (0, 1].
** Returns 1 if the outputs and the modes matched. */
static int run_both(const QaArchConfig *cfg, const QaLayer *l, const int32_t *act, const int32_t *wgt,
                    int a_bits, int w_bits, int a_signed, QaEncoder enc, QaLayerStats *s1) {
  QaLayerJob j = {l, act, wgt, a_bits, w_bits, a_signed, enc, NULL};
  int ok = mtRunBoth(cfg, &j, s1);
  CHECK(s1->pe_util > 0 && s1->pe_util <= 1.0 + 1e-12);
  return ok;
}

/* Term pairs of a layer: MACs whose operands are both non-zero weighted by terms. */
static int64_t naive_pairs(const QaLayer *l, const int32_t *act, const int32_t *wgt, QaEncoder enc) {
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l), cg = l->c / l->groups, kg = l->k / l->groups;
  int64_t eff = 0;
  for (int n = 0; n < l->n; n++)
    for (int k = 0; k < l->k; k++)
      for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++)
          for (int ci = 0; ci < cg; ci++)
            for (int r = 0; r < l->r; r++)
              for (int s = 0; s < l->s; s++) {
                int iy = y * l->stride_h + r - l->pad_h, ix = x * l->stride_w + s - l->pad_w;
                if (iy < 0 || iy >= l->h || ix < 0 || ix >= l->w) continue;
                int32_t a = act[(((int64_t)n * l->c + (k / kg) * cg + ci) * l->h + iy) * l->w + ix];
                int32_t w = wgt[(((int64_t)k * cg + ci) * l->r + r) * l->s + s];
                eff += (int64_t)qaTermsCount(enc, a) * qaTermsCount(enc, w);
              }
  return eff;
}

/* MtGenFn of the SystemC runs: arg = {k, bits}; unsigned one-hot (k = 1) or k-hot
** activations (40% zeros), signed weights (10% zeros), naf. */
static void sc_gen(QaRng *r, MtCase *c, int i, const void *arg) {
  int k = ((const int *)arg)[0], bits = ((const int *)arg)[1];
  int64_t na = qaLayerActCount(&c->l), nw = qaLayerWgtCount(&c->l);
  c->a_bits = c->w_bits = bits;
  c->a_signed = 0;
  c->enc = QA_ENC_NAF;
  c->act = k == 1 ? rand_onehot(r, na, bits, 0, 0.4) : rand_khot(r, na, bits, 0, k, 0.4);
  c->wgt = k == 1 ? rand_onehot(r, nw, bits, 1, 0.1) : rand_khot(r, nw, bits, 1, k, 0.1);
}

/* cfg's arch on 40 random layers of one-hot (k = 1) or k-hot codes through SystemC. */
static void sc_check(const QaArchConfig *cfg, int k, int bits, uint64_t seed) {
  int arg[2] = {k, bits};
  mtScCheck(cfg, 40, seed, sc_gen, arg);
}

int main(void) {
  QaErr err = {0, ""};
  const QaArchDesc *ohd, *khl, *ddn;
  CHECK_EQ_I64(qaArchFind("onehot-dadiannao", &ohd, &err), QA_OK);
  CHECK_EQ_I64(qaArchFind("khot-laconic", &khl, &err), QA_OK);
  CHECK_EQ_I64(qaArchFind("dadiannao", &ddn, &err), QA_OK);
  CHECK(!strcmp(ohd->quant_a, "pow2-u") && !strcmp(ohd->quant_w, "pow2") && !strcmp(ohd->encoder, "naf"));
  CHECK(!strcmp(khl->quant_a, "khot2-u") && !strcmp(khl->quant_w, "khot2") && !strcmp(khl->encoder, "naf"));
  CHECK(strstr(ohd->summary, "one-hot") && strstr(khl->summary, "k-hot"));

  QaRng g;
  qaRngSeed(&g, qaTestSeed(4242));
  int n_ok = 0, n_cases = 0;

  /* 1. onehot-dadiannao: small and paper geometries, all bit-widths. */
  QaArchConfig ohd_small, ohd_paper, ddn_small, ddn_paper;
  mtDefaults(ohd, &ohd_paper);
  mtDefaults(ddn, &ddn_paper);
  mtDefaults(ohd, &ohd_small);
  mtDefaults(ddn, &ddn_small);
  mtSetAll(&ohd_small, "tiles=2 rows=3 lanes=5");
  mtSetAll(&ddn_small, "tiles=2 rows=3 lanes=5");
  for (int it = 0; it < qaTestScale(200); it++) {
    QaLayer l;
    randLayer(&g, &l, it);
    int small = it % 3 != 2;
    int a_bits = 1 + it % 16, w_bits = 1 + (it * 5 + 2) % 16, a_signed = it % 4 == 1;
    int32_t *act = rand_onehot(&g, qaLayerActCount(&l), a_bits, a_signed, 0.4);
    int32_t *wgt = rand_onehot(&g, qaLayerWgtCount(&l), w_bits, 1, 0.1);
    QaLayerStats st;
    n_ok +=
        run_both(small ? &ohd_small : &ohd_paper, &l, act, wgt, a_bits, w_bits, a_signed, QA_ENC_NAF, &st);
    n_cases++;
    int lanes = small ? 5 : 16, rows = small ? 6 : 256;
    CHECK_EQ_I64(st.n_compute_cycles, expected_ddn_cycles(&l, lanes, rows));
    CHECK_EQ_I64(st.effectual_terms, naive_pairs(&l, act, wgt, QA_ENC_NAF));
    /* the same cycles as DaDianNao on the same geometry */
    QaLayerStats sd;
    QaLayerJob j = {&l, act, wgt, a_bits, w_bits, a_signed, QA_ENC_BOOTH4, NULL};
    mtRunLt(small ? &ddn_small : &ddn_paper, &j, NULL, &sd);
    CHECK_EQ_I64(st.n_compute_cycles, sd.n_compute_cycles);
    free(act);
    free(wgt);
  }
  printf("onehot-dadiannao: %d of %d random layers equal to the reference, LT == clocked\n", n_ok, n_cases);

  /* one-hot storage widths: zero flag + sign + exponent */
  {
    QaLayer l = {"st", QA_LAYER_FC, 1, 4, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[4] = {1, 2, 0, 128}, wgt[8] = {1, -2, 4, 0, 0, 64, -64, 1};
    int64_t out[2];
    QaLayerJob j = {&l, act, wgt, 8, 8, 0, QA_ENC_NAF, out};
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    QaExec *ex = NULL;
    CHECK_EQ_I64(ohd->begin(&ohd_paper, &j, &st, &ex, &err), QA_OK);
    const QaEngine *e = ohd->engine(ex);
    /* DATE 2020 storage, "8 bit -> 3+1 bit": unsigned 8-bit activations have 8
    ** positions + zero = 9 states -> 4 bits; signed 8-bit weights 7 positions + zero =
    ** 8 states -> 3 bits + sign = 4 bits */
    CHECK_EQ_I64(e->a_store_bits, 4);
    CHECK_EQ_I64(e->w_store_bits, 4);
    ohd->end(ex, 1);
  }

  /* errors: not one-hot, too wide */
  {
    QaLayer l = {"conv7", QA_LAYER_FC, 1, 4, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[4] = {1, 2, 3, 4}, wgt[4] = {1, 1, 1, 1};
    int64_t out[1];
    QaLayerJob j = {&l, act, wgt, 8, 8, 0, QA_ENC_NAF, out};
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    CHECK_EQ_I64(qaSimRunLayerC(&ohd_paper, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg,
                     "layer 'conv7': onehot-dadiannao needs one-hot values (0 or +-2^k); quantize with "
                     "--quant-a pow2-u --quant-w pow2") != NULL,
              "%s", err.msg);
    CHECK(strstr(err.msg, "activation code 3"));
    act[2] = 0;
    wgt[3] = -6;
    CHECK_EQ_I64(qaSimRunLayerC(&ohd_paper, QA_TIMING_CYCLE, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "needs one-hot values") && strstr(err.msg, "weight code -6"));
    wgt[3] = -8;
    memset(&st, 0, sizeof st);
    CHECK_EQ_I64(qaSimRunLayerC(&ohd_paper, QA_TIMING_LT, &j, &st, &err), QA_OK);
    CHECK_EQ_I64(out[0], 1 + 2 - 32);
    /* uniform 8-bit codes (not quantized to pow2) are rejected whatever the timing */
    QaLayer lr;
    randLayer(&g, &lr, 99);
    int32_t *ra = randCodes(&g, qaLayerActCount(&lr), 5, 255, 0.0);
    int32_t *rw = randCodes(&g, qaLayerWgtCount(&lr), -127, 127, 0.0);
    int64_t *ro = malloc((size_t)qaLayerOutCount(&lr) * sizeof *ro);
    QaLayerJob jr = {&lr, ra, rw, 8, 8, 0, QA_ENC_NAF, ro};
    CHECK_EQ_I64(qaSimRunLayerC(&ohd_paper, QA_TIMING_CYCLE, &jr, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "needs one-hot values") && strstr(err.msg, lr.name));
    free(ra);
    free(rw);
    free(ro);
    QaArchConfig narrow = ohd_paper;
    mtSetInt(&narrow, "max_bits", 8);
    j.a_bits = 12;
    CHECK_EQ_I64(qaSimRunLayerC(&narrow, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "12-bit"));
  }

  /* 2. khot-laconic: every sync scope, k in 1..4, bits 2..16. */
  {
    QaArchConfig small;
    mtDefaults(khl, &small);
    mtSetAll(&small, "tiles=2 rows=3 columns=4 lanes=4");
    n_ok = n_cases = 0;
    for (int it = 0; it < qaTestScale(160); it++) {
      QaLayer l;
      randLayer(&g, &l, 500 + it);
      int ka = 1 + it % 4, kw = 1 + (it / 4) % 4, sync = (it / 16) % 4;
      int a_bits = 2 + it % 15, w_bits = 2 + (it * 3) % 15, a_signed = it % 5 == 0;
      QaArchConfig cfg = small;
      mtSetInt(&cfg, "k_a", ka);
      mtSetInt(&cfg, "k_w", kw);
      mtSetInt(&cfg, "sync", sync);
      int32_t *act = rand_khot(&g, qaLayerActCount(&l), a_bits, a_signed, ka, 0.3);
      int32_t *wgt = rand_khot(&g, qaLayerWgtCount(&l), w_bits, 1, kw, 0.1);
      QaLayerStats st;
      n_ok += run_both(&cfg, &l, act, wgt, a_bits, w_bits, a_signed, QA_ENC_NAF, &st);
      n_cases++;
      CHECK_EQ_I64(st.effectual_terms, naive_pairs(&l, act, wgt, QA_ENC_NAF));
      /* brick steps: window groups of 4 columns */
      int64_t steps = st.n_steps;
      CHECK(st.n_compute_cycles >= steps);
      if (sync == 3) CHECK(st.n_compute_cycles <= (int64_t)ka * kw * steps);
      if (ka == 1 && kw == 1 && sync == 3) CHECK_EQ_I64(st.n_compute_cycles, steps);
      free(act);
      free(wgt);
    }
    printf("khot-laconic: %d of %d random layers equal to the reference, LT == clocked\n", n_ok, n_cases);

    /* errors: too many terms for k, with the fix named; booth expands 2-hot codes */
    QaLayer l = {"fc3", QA_LAYER_FC, 1, 4, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[4] = {1, 3, 7, 4}, wgt[4] = {1, 1, 5, 1};
    int64_t out[1];
    QaLayerJob j = {&l, act, wgt, 8, 8, 0, QA_ENC_NAF, out};
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    QaArchConfig cfg = small;
    mtSetInt(&cfg, "k_a", 1);
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "layer 'fc3'") && strstr(err.msg, "k_a = 1") && strstr(err.msg, "code 3") &&
                  strstr(err.msg, "--quant-a pow2-u"),
              "%s", err.msg);
    mtSetInt(&cfg, "k_a", 2);
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_OK); /* naf: 7 = 8 - 1 */
    mtSetInt(&cfg, "k_w", 1);
    memset(&st, 0, sizeof st);
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "k_w = 1") && strstr(err.msg, "code 5") && strstr(err.msg, "--quant-w pow2"));
    mtSetInt(&cfg, "k_w", 2);
    j.encoder = QA_ENC_POPCOUNT; /* 7 = 4 + 2 + 1: three terms */
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "popcount") && strstr(err.msg, "--encoder naf") && strstr(err.msg, "khot2-u"));
    CHECK_EQ_I64(qaCfgSetText(&cfg, "k_a", "9", "x", &err), QA_EUSER);
  }

  /* 3. SystemC, both modes, 40 random layers per architecture. */
  {
    sc_check(&ohd_small, 1, 8, 21);
    QaArchConfig ks;
    mtDefaults(khl, &ks);
    mtSetAll(&ks, "tiles=2 rows=2 columns=3 lanes=4 sync=2");
    sc_check(&ks, 2, 8, 22);
  }
  return TEST_DONE();
}
