/*
** test_dadiannao.c - the DaDianNao kernels (issue 2, section 5), without SystemC:
**  - outputs equal the integer reference bit for bit on random layers (stride,
**    padding, depthwise, grouped, fc, ragged sizes, batch 2), at 16 and 8 bits;
**  - the loosely-timed chunk computation and the per-cycle tick agree exactly on
**    cycles, outputs and every action count;
**  - cycles follow the brick rule: passes x windows x R x S x bricks;
**  - precision checks, accumulator wrap-around and overflow counting.
*/
#include <string.h>

#include "arch/arch.h"
#include "arch/driver.h"
#include "modeltest.h"
#include "plan.h"
#include "qatest.h"
#include "randlayer.h"

/* DaDianNao's rule: one cycle per brick step, one window per step (plan.h). */
static int64_t expected_cycles(const QaLayer *l, int lanes, int rows) { return planSteps(l, lanes, rows, 1); }

static void run_case(const QaArchConfig *cfg, const QaLayer *l, const int32_t *act, const int32_t *wgt,
                     int a_bits, int w_bits) {
  int64_t no = qaLayerOutCount(l);
  int64_t *ref = malloc((size_t)no * sizeof *ref);
  int64_t *o1 = malloc((size_t)no * sizeof *o1), *o2 = malloc((size_t)no * sizeof *o2);
  qaRefConv(l, act, wgt, ref);
  QaLayerJob j1 = {l, act, wgt, a_bits, w_bits, 0, QA_ENC_BOOTH4, o1}, j2 = j1;
  j2.out = o2;
  QaLayerStats s1, s2;
  memset(&s1, 0, sizeof s1);
  memset(&s2, 0, sizeof s2);
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaSimRunLayerC(cfg, QA_TIMING_LT, &j1, &s1, &err), QA_OK);
  CHECK_EQ_I64(qaSimRunLayerC(cfg, QA_TIMING_CYCLE, &j2, &s2, &err), QA_OK);
  int64_t bad1 = 0, bad2 = 0;
  for (int64_t i = 0; i < no; i++) {
    bad1 += o1[i] != ref[i];
    bad2 += o2[i] != ref[i];
  }
  CHECK_MSG(bad1 == 0 && bad2 == 0,
            "%s: %lld/%lld mismatches (lt/cycle) of %lld; c%d h%d w%d k%d r%d s%d g%d", l->name,
            (long long)bad1, (long long)bad2, (long long)no, l->c, l->h, l->w, l->k, l->r, l->s, l->groups);
  CHECK_EQ_I64(s1.n_cycles, s2.n_cycles);
  int lanes = mtParam(cfg, "lanes"), rows = mtParam(cfg, "tiles") * mtParam(cfg, "rows");
  CHECK_EQ_I64(s1.n_compute_cycles, expected_cycles(l, lanes, rows));
  CHECK_EQ_I64(s1.n_steps, s1.n_compute_cycles);
  CHECK_EQ_I64(s1.n_cycles, s1.n_compute_cycles + s1.n_stall_cycles);
  CHECK_EQ_I64(s1.n_stall_cycles, s2.n_stall_cycles);
  CHECK_EQ_I64(s1.macs, qaLayerMacs(l));
  CHECK(s1.pe_util > 0 && s1.pe_util <= 1.0 + 1e-12);
  /* Work bound: cycles never fall below MACs / peak. */
  CHECK((double)s1.n_cycles >= (double)s1.macs / (lanes * (double)rows) - 1e-9);
  CHECK(!memcmp(s1.count, s2.count, sizeof s1.count));
  /* Every multiplier slot of an active row does a multiplication per step. */
  CHECK(mtAction(cfg, &s1, "mult", "op") >= s1.macs);
  free(ref);
  free(o1);
  free(o2);
}

int main(void) {
  const QaArchDesc *d16, *d8;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind("dadiannao", &d16, &err), QA_OK);
  CHECK_EQ_I64(qaArchFind("DaDianNao8", &d8, &err), QA_OK);
  CHECK_EQ_I64(qaArchFind("eyeriss", &d8, &err), QA_EUSER);
  CHECK(strstr(err.msg, "dadiannao") != NULL);
  CHECK_EQ_I64(qaArchFind("dadiannao8", &d8, &err), QA_OK);

  QaArchConfig small16, small8, paper;
  mtDefaults(d16, &paper);
  CHECK_EQ_I64(qaCfgSetText(&paper, "dram_gbps", "0", "test", &err), QA_OK);
  /* Small arrays so random layers need several passes and ragged bricks. */
  mtDefaults(d16, &small16);
  CHECK_EQ_I64(qaCfgSetText(&small16, "tiles", "2", "test", &err), QA_OK);
  CHECK_EQ_I64(qaCfgSetText(&small16, "rows", "3", "test", &err), QA_OK);
  CHECK_EQ_I64(qaCfgSetText(&small16, "lanes", "4", "test", &err), QA_OK);
  mtDefaults(d8, &small8);
  CHECK_EQ_I64(qaCfgSetText(&small8, "tiles", "3", "test", &err), QA_OK);
  CHECK_EQ_I64(qaCfgSetText(&small8, "lanes", "5", "test", &err), QA_OK);

  QaRng g;
  qaRngSeed(&g, qaTestSeed(20261122));
  for (int it = 0; it < qaTestScale(1000); it++) {
    QaLayer l;
    randLayer(&g, &l, it);
    CHECK_EQ_I64(qaLayerValidate(&l, &err), QA_OK);
    const QaArchConfig *cfg = it % 3 == 0 ? &small16 : it % 3 == 1 ? &small8 : &paper;
    int bits = cfg == &small8 ? 8 : 16;
    int64_t na = qaLayerActCount(&l), nw = qaLayerWgtCount(&l);
    /* 16-bit unsigned activations and signed weights at full range, or 8-bit. */
    int32_t amax = bits == 16 ? 65535 : 255, wmax = bits == 16 ? 32767 : 127;
    int32_t *act = randCodes(&g, na, it % 5 == 0 ? -amax / 2 : 0, amax, 0.4);
    int32_t *wgt = randCodes(&g, nw, -wmax, wmax, 0.1);
    run_case(cfg, &l, act, wgt, bits, bits);
    free(act);
    free(wgt);
  }

  /* Precision checks: 16-bit values do not fit the 8-bit datapath. */
  {
    QaLayer l = {"p", QA_LAYER_CONV, 1, 4, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 0, 0, "", ""};
    int32_t act[64] = {0}, wgt[144] = {0};
    int64_t out[64];
    QaLayerJob j = {&l, act, wgt, 16, 8, 0, QA_ENC_BOOTH4, out};
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    CHECK_EQ_I64(qaSimRunLayerC(&small8, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "8-bit datapath") != NULL);
  }

  /* Accumulator wrap: a 16-bit accumulator overflows on large sums, the outputs
  ** are the two's-complement wrap of the exact value and the overflow is counted. */
  {
    QaArchConfig narrow = paper;
    CHECK_EQ_I64(qaCfgSetText(&narrow, "acc_bits", "16", "test", &err), QA_OK);
    QaLayer l = {"fc", QA_LAYER_FC, 1, 64, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[64], wgt[128];
    int64_t out[2];
    for (int i = 0; i < 64; i++) {
      act[i] = 1000;
      wgt[i] = 1000;                /* filter 0: 64e6, overflows 16 bits */
      wgt[64 + i] = i % 2 ? 1 : -1; /* filter 1: 0 */
    }
    QaLayerJob j = {&l, act, wgt, 16, 16, 0, QA_ENC_BOOTH4, out};
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    CHECK_EQ_I64(qaSimRunLayerC(&narrow, QA_TIMING_LT, &j, &st, &err), QA_OK);
    CHECK_EQ_I64(st.acc_overflows, 1);
    CHECK_EQ_I64(out[0], (int16_t)(64000000 & 0xffff));
    CHECK_EQ_I64(out[1], 0);
  }

  /* Config errors name the origin and the parameter. */
  CHECK_EQ_I64(qaCfgSetText(&small16, "lanes", "0", "cfg.yaml:3", &err), QA_EUSER);
  CHECK(strstr(err.msg, "cfg.yaml:3") && strstr(err.msg, "lanes") && strstr(err.msg, "range"));
  CHECK_EQ_I64(qaCfgSetText(&small16, "lanse", "4", "cfg.yaml:4", &err), QA_EUSER);
  CHECK(strstr(err.msg, "unknown parameter 'lanse'"));
  CHECK_EQ_I64(qaCfgSetText(&small16, "tiles", "2.5", "x", &err), QA_EUSER);
  CHECK_EQ_I64(qaCfgSetText(&small16, "clock_mhz", "nan", "x", &err), QA_EUSER);
  return TEST_DONE();
}
