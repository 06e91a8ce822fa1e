/*
** test_stripes.c - the Stripes kernel (bit-serial activations):
**  - outputs equal the integer reference bit for bit on 320 random layers (stride,
**    padding, depthwise, grouped, fc, ragged sizes, batch 2), every activation and
**    weight width 1..16, unsigned and signed activations, in both timing modes;
**  - the loosely-timed pass and the per-cycle tick agree on cycles, outputs and
**    every action count;
**  - cycles follow the rule computed here independently: per pack, passes x
**    ceil(OH*OW / windows) x R x S x bricks x p_a, times the batch; with one window
**    per tile Stripes takes exactly p_a times DaDianNao's cycles;
**  - action counts of the serial datapath, utilisation <= 1, precision and value
**    checks with their messages, accumulator wrap-around, config errors;
**  - through SystemC (a forked child per timing mode, tests/modeltest.h): 40 random
**    layers, identical cycles and stall cycles in both modes, outputs equal to the
**    reference.
*/
#include <string.h>

#include "modeltest.h"
#include "plan.h"

/* The Stripes rule, from the layer geometry alone. */
static int64_t expected_cycles(const QaLayer *l, int lanes, int rows, int cols, int p) {
  return planSteps(l, lanes, rows, cols) * p; /* p cycles per brick step (plan.h) */
}

static void check_rule(const QaArchConfig *cfg, const QaLayer *l, const QaLayerStats *st, int p) {
  int lanes = mtParam(cfg, "lanes"), cols = mtParam(cfg, "columns");
  int rows = mtParam(cfg, "tiles") * mtParam(cfg, "rows");
  CHECK_EQ_I64(st->n_compute_cycles, expected_cycles(l, lanes, rows, cols, p));
  CHECK_EQ_I64(st->n_compute_cycles, st->n_steps * p);
  CHECK_EQ_I64(st->macs, qaLayerMacs(l));
  CHECK_EQ_I64(st->effectual_terms, -1);
  CHECK_MSG(st->pe_util > 0 && st->pe_util <= 1.0 + 1e-12, "pe_util %g", st->pe_util);
  /* Work bound: every product needs p lane-cycles. */
  CHECK((double)st->n_compute_cycles * lanes * rows * cols >= (double)st->macs * p - 1e-6);
  /* Every SIP lane of an active column and row ANDs one bit per cycle; the SIPs do
  ** at least the layer's products times p. */
  int64_t sip_cycles = mtAction(cfg, st, "acc", "op");
  CHECK_EQ_I64(mtAction(cfg, st, "and", "op"), sip_cycles * lanes);
  CHECK_EQ_I64(mtAction(cfg, st, "adder_tree", "op"), sip_cycles);
  CHECK(sip_cycles * lanes >= st->macs * p);
  CHECK(mtAction(cfg, st, "sb", "read_bits") > 0 && mtAction(cfg, st, "nm", "read_bits") > 0);
}

int main(void) {
  const QaArchDesc *d, *ddn;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind("Stripes", &d, &err), QA_OK);
  CHECK(!strcmp(d->name, "stripes"));
  CHECK_EQ_I64(qaArchFind("dadiannao", &ddn, &err), QA_OK);

  /* Paper defaults and their bit-parallel-equivalent peak. */
  QaArchConfig paper, small, odd, narrow1, ddn_cfg;
  mtDefaults(d, &paper);
  CHECK_EQ_I64(mtParam(&paper, "tiles"), 16);
  CHECK_EQ_I64(mtParam(&paper, "rows"), 16);
  CHECK_EQ_I64(mtParam(&paper, "columns"), 16);
  CHECK_EQ_I64(mtParam(&paper, "lanes"), 16);
  CHECK_EQ_I64(mtParam(&paper, "datapath_bits"), 16);
  CHECK_EQ_I64(mtParam(&paper, "sb_kib"), 2048);
  CHECK_EQ_I64(mtParam(&paper, "nm_kib"), 4096);
  CHECK(d->peak_macs(&paper) == 4096.0);
  /* Small arrays: several passes, ragged bricks and window groups. */
  mtDefaults(d, &small);
  mtSetAll(&small, "tiles=2 rows=3 columns=5 lanes=4");
  mtDefaults(d, &odd);
  mtSetAll(&odd, "tiles=1 rows=5 columns=3 lanes=7 dram_gbps=0");
  /* One window per tile: DaDianNao's organisation, p_a cycles per brick. */
  mtDefaults(d, &narrow1);
  mtSetAll(&narrow1, "tiles=2 rows=2 columns=1 lanes=8");
  mtDefaults(ddn, &ddn_cfg);
  mtSetAll(&ddn_cfg, "tiles=2 rows=2 lanes=8");

  QaRng g;
  qaRngSeed(&g, qaTestSeed(20261123));
  int n_signed = 0, seen_a[17] = {0}, seen_w[17] = {0};
  for (int it = 0; it < qaTestScale(320); it++) {
    QaLayer l;
    randLayer(&g, &l, it);
    CHECK_EQ_I64(qaLayerValidate(&l, &err), QA_OK);
    const QaArchConfig *cfg = it % 3 == 0 ? &small : it % 3 == 1 ? &odd : &paper;
    int p = 1 + it % 16, q = 1 + (it * 7 + it / 16) % 16, sgn = it % 4 == 3;
    seen_a[p]++;
    seen_w[q]++;
    n_signed += sgn;
    int32_t *act = mtRandAct(&g, &l, p, sgn, 0.3);
    int32_t *wgt = mtRandWgt(&g, &l, q);
    QaLayerJob j = {&l, act, wgt, p, q, sgn, QA_ENC_BOOTH4, NULL};
    QaLayerStats st;
    mtRunBoth(cfg, &j, &st);
    check_rule(cfg, &l, &st, p);
    if (it % 5 == 0) {
      /* windows = 1: exactly p_a x DaDianNao (same tiles, rows, lanes) */
      QaLayerStats s1, s2;
      mtRunBoth(&narrow1, &j, &s1);
      check_rule(&narrow1, &l, &s1, p);
      mtRunLt(&ddn_cfg, &j, NULL, &s2);
      CHECK_EQ_I64(s1.n_compute_cycles, s2.n_compute_cycles * p);
    }
    free(act);
    free(wgt);
  }
  for (int b = 1; b <= 16; b++) CHECK(seen_a[b] > 0 && seen_w[b] > 0);
  CHECK(n_signed >= 50);

  /* A hand-sized example: fc with 3 inputs, 2 outputs, 4-bit signed activations:
  ** one brick step of 4 cycles; the MSB weighs -8. */
  {
    QaLayer l = {"fc", QA_LAYER_FC, 1, 3, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[3] = {-8, 7, -1}, wgt[6] = {1, 2, 3, -4, 5, -6};
    QaLayerJob j = {&l, act, wgt, 4, 4, 1, QA_ENC_BOOTH4, NULL};
    QaLayerStats st;
    mtRunBoth(&paper, &j, &st);
    CHECK_EQ_I64(st.n_compute_cycles, 4);
    CHECK_EQ_I64(mtAction(&paper, &st, "and", "op"), 4 * 2 * 16);
    CHECK_EQ_I64(mtAction(&paper, &st, "sb", "read_bits"), 2 * 16 * 16);
    CHECK_EQ_I64(mtAction(&paper, &st, "nm", "read_bits"), 16 * 4);
  }

  /* Bad inputs: weights wider than the datapath, activations that do not fit. */
  {
    QaArchConfig w8 = paper;
    mtSetInt(&w8, "datapath_bits", 8);
    mtCheckCode(&w8, 16, 0, 0, 0, QA_EUSER, "8-bit weights", "16-bit", NULL);
    mtCheckCode(&paper, 8, 0, 5, 256, QA_EUSER, "code 256", "element 5", "8-bit unsigned");
    mtCheckCode(&paper, 8, 0, 5, -1, QA_EUSER, "code -1", "unsigned", NULL);
    mtCheckCode(&paper, 8, 1, 5, -128, QA_OK, NULL, NULL, NULL);
    mtCheckCode(&paper, 8, 1, 5, 128, QA_EUSER, "8-bit signed", "-128..127", NULL);
  }

  /* Accumulator wrap: the outputs are the two's-complement wrap of the exact value
  ** in both modes, and the overflow is counted. */
  mtCheckAccWrap(&paper, 10, 11);

  /* Config errors name the origin and the parameter. */
  CHECK_EQ_I64(qaCfgSetText(&small, "columns", "0", "cfg.yaml:3", &err), QA_EUSER);
  CHECK(strstr(err.msg, "cfg.yaml:3") && strstr(err.msg, "columns"));
  CHECK_EQ_I64(qaCfgSetText(&small, "datapath_bits", "17", "cfg.yaml:4", &err), QA_EUSER);
  CHECK_EQ_I64(qaCfgSetText(&small, "first_stage_bits", "2", "cfg.yaml:5", &err), QA_EUSER);
  CHECK(strstr(err.msg, "unknown parameter 'first_stage_bits'"));

  /* Through SystemC, with ragged groups and a slow DRAM that stalls. */
  QaArchConfig sc = small;
  mtSetAll(&sc, "dram_gbps=2 sb_kib=1");
  mtScCheck(&sc, 40, 77, mtGenMixedBits, NULL);
  return TEST_DONE();
}
