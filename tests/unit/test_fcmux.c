/*
** test_fcmux.c - FC column multiplexing (issue 8, arch/engine.h qaFcMuxCycles): the
** bricks of a single-window pass are dealt to the columns in turn, one start per
** cycle.
**  - the schedule against an independent cycle-by-cycle model written here (columns
**    as countdown timers), on random brick costs, and the closed form for uniform
**    costs against both, exhaustively on small cases;
**  - hand-worked passes on Stripes, Pragmatic and Laconic (worked in the comments);
**  - random single-window layers on every column design: outputs equal the reference
**    and both timing modes agree, multiplexing on;
**  - an fc layer on Stripes takes about DaDianNao's cycles (not p times as many).
*/
#include <string.h>

#include "arch/engine.h"
#include "modeltest.h"
#include "qatest.h"

/* Cycle by cycle: each column is a countdown of the cycles its brick has left; in every
** cycle the next brick starts if its column is free (at most one start per cycle), then
** every busy column counts down. Returns the cycles until all bricks are done. */
static int64_t bruteMux(const int64_t *cost, int64_t n, int cols) {
  int64_t left[64] = {0}, next = 0, t = 0;
  for (;;) {
    if (next < n && left[next % cols] == 0) {
      left[next % cols] = cost[next];
      next++;
    }
    int any = 0;
    for (int c = 0; c < cols; c++) {
      if (left[c] > 0) left[c]--;
      any |= left[c] > 0;
    }
    t++;
    if (!any && next == n) return t;
  }
}

static void config(const char *arch, const char *settings, QaArchConfig *cfg) {
  const QaArchDesc *d = NULL;
  QaErr err = {0, ""};
  CHECK_MSG(qaArchFind(arch, &d, &err) == QA_OK, "%s", err.msg);
  qaCfgDefaults(d, cfg);
  CHECK(cfg->spec.base.fc_multiplex == 1); /* on by default */
  mtSetAll(cfg, settings);
}

/* Run an fc layer of C inputs and K outputs with the given codes in both modes;
** returns the compute cycles (outputs and LT == clocked checked by mtRunBoth). */
static int64_t runFc(const QaArchConfig *cfg, int c, int k, const int32_t *act, const int32_t *wgt, int bits,
                     QaEncoder enc) {
  QaLayer l = {"fc", QA_LAYER_FC, 1, c, 1, 1, k, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
  QaLayerJob job = {&l, act, wgt, bits, bits, 0, enc, NULL, 0};
  QaLayerStats st;
  mtRunBoth(cfg, &job, &st);
  return st.n_compute_cycles;
}

int main(void) {
  QaRng g;
  qaRngSeed(&g, qaTestSeed(314));

  /* 1. The schedule. */
  int64_t cost[64], col_end[64];
  for (int it = 0; it < qaTestScale(2000); it++) {
    int n = (int)qaRngRange(&g, 1, 60), cols = (int)qaRngRange(&g, 1, 20);
    for (int i = 0; i < n; i++) cost[i] = qaRngRange(&g, 1, 12);
    int64_t a = qaFcMuxCycles(cost, n, cols, col_end), b = bruteMux(cost, n, cols);
    CHECK_MSG(a == b, "n %d cols %d: schedule %lld, cycle by cycle %lld", n, cols, (long long)a,
              (long long)b);
  }
  for (int n = 1; n <= 40; n++)
    for (int cols = 1; cols <= 8; cols++)
      for (int p = 1; p <= 8; p++) {
        for (int i = 0; i < n; i++) cost[i] = p;
        CHECK_EQ_I64(qaFcMuxCyclesUniform(n, cols, p), qaFcMuxCycles(cost, n, cols, col_end));
      }

  /* 2a. Stripes, fc of 64 inputs on 16 lanes = 4 bricks, 8-bit activations.
  ** 16 columns: bricks start at cycles 0, 1, 2, 3 and take 8 each: 3 + 8 = 11 cycles.
  ** 2 columns: brick 0 on column 0 [0, 8), brick 1 on column 1 [1, 9), brick 2 waits for
  ** column 0: [8, 16), brick 3 for column 1: [9, 17): 17 cycles. Without multiplexing
  ** one column takes all 4: 32 cycles. */
  {
    int32_t act[64], wgt[4 * 64];
    for (int i = 0; i < 64; i++) act[i] = (i * 37) % 256;
    for (int i = 0; i < 4 * 64; i++) wgt[i] = (i * 11) % 200 - 100;
    QaArchConfig c16, c2, off;
    config("stripes", "tiles=1 rows=4 lanes=16 columns=16", &c16);
    config("stripes", "tiles=1 rows=4 lanes=16 columns=2", &c2);
    config("stripes", "tiles=1 rows=4 lanes=16 columns=16 fc_multiplex=false", &off);
    CHECK_EQ_I64(runFc(&c16, 64, 4, act, wgt, 8, QA_ENC_BOOTH4), 11);
    CHECK_EQ_I64(runFc(&c2, 64, 4, act, wgt, 8, QA_ENC_BOOTH4), 17);
    CHECK_EQ_I64(runFc(&off, 64, 4, act, wgt, 8, QA_ENC_BOOTH4), 32);
  }

  /* 2b. Pragmatic, 2 lanes, 2 columns, first_stage_bits 4 (a column costs the most
  ** one-bits of its lanes, at least 1): fc of 6 inputs = 3 bricks with activations
  ** (1, 0): 1 cycle; (7, 3): 3 cycles; (0, 0): 1 cycle. Brick 0 on column 0 [0, 1),
  ** brick 1 on column 1 [1, 4), brick 2 on column 0 [2, 3): 4 cycles. */
  {
    int32_t act[6] = {1, 0, 7, 3, 0, 0}, wgt[6] = {3, -2, 5, 1, -7, 2};
    QaArchConfig cfg;
    config("pragmatic", "tiles=1 rows=1 lanes=2 columns=2 first_stage_bits=4", &cfg);
    CHECK_EQ_I64(runFc(&cfg, 6, 1, act, wgt, 4, QA_ENC_POPCOUNT), 4);
  }

  /* 2c. Laconic, 2 lanes, 2 columns, naf terms: activations (3, 1) = (4 - 1, 1): 2 and 1
  ** terms; weights (5, 1) = (4 + 1, 1): 2 and 1 terms: brick 0 costs max(2x2, 1x1) = 4;
  ** brick 1, activations (0, 0): 1 cycle; brick 2, (1, 1) x (1, 1): 1 cycle. Brick 0 on
  ** column 0 [0, 4), brick 1 on column 1 [1, 2), brick 2 waits for column 0: [4, 5):
  ** 5 cycles. */
  {
    int32_t act[6] = {3, 1, 0, 0, 1, 1}, wgt[6] = {5, 1, 2, 2, 1, 1};
    QaArchConfig cfg;
    config("laconic", "tiles=1 rows=1 lanes=2 columns=2", &cfg);
    CHECK_EQ_I64(runFc(&cfg, 6, 1, act, wgt, 4, QA_ENC_NAF), 5);
  }

  /* 3. Random single-window layers (fc and convs whose output is 1x1) on every column
  ** design, multiplexing on: outputs equal the reference, LT == clocked. */
  static const char *const archs[] = {"stripes", "pragmatic", "laconic", "khot-laconic"};
  for (size_t a = 0; a < sizeof archs / sizeof archs[0]; a++) {
    QaArchConfig cfg;
    config(archs[a], "tiles=2 rows=3 lanes=4 columns=5", &cfg);
    int khot = !strcmp(archs[a], "khot-laconic");
    for (int it = 0; it < 24; it++) {
      QaLayer l;
      memset(&l, 0, sizeof l);
      snprintf(l.name, sizeof l.name, "single%d", it);
      if (it % 3) {
        l.kind = QA_LAYER_FC;
        l.c = (int)qaRngRange(&g, 1, 90);
      } else { /* a conv whose kernel covers its input: one output window */
        l.kind = QA_LAYER_CONV;
        l.c = (int)qaRngRange(&g, 1, 12);
        l.h = l.r = (int)qaRngRange(&g, 1, 3);
        l.w = l.s = (int)qaRngRange(&g, 1, 3);
      }
      l.k = (int)qaRngRange(&g, 1, 9);
      l.n = it % 4 == 0 ? 2 : 1;
      qaLayerNormalize(&l);
      int bits = 1 + it % 8;
      int32_t *act = mtRandAct(&g, &l, bits, 0, 0.3), *wgt = mtRandWgt(&g, &l, bits > 1 ? bits : 2);
      if (khot) { /* one-hot codes: within every k */
        for (int64_t i = 0; i < qaLayerActCount(&l); i++) act[i] = act[i] ? 1 << (act[i] % bits) : 0;
        for (int64_t i = 0; i < qaLayerWgtCount(&l); i++) wgt[i] = wgt[i] ? (wgt[i] < 0 ? -1 : 1) : 0;
      }
      QaLayerJob job = {&l, act, wgt, bits, bits > 1 ? bits : 2, 0, QA_ENC_NAF, NULL, 0};
      QaLayerStats st;
      mtRunBoth(&cfg, &job, &st);
      free(act);
      free(wgt);
    }
  }

  /* 4. An fc layer of 1024 inputs and 256 outputs at 8 bits: DaDianNao (16 tiles x 16
  ** rows, 16 lanes) takes 1 pass x 64 bricks = 64 cycles; multiplexed Stripes with 16
  ** columns takes 63 + 8 = 71 (not 64 x 8 = 512). */
  {
    QaLayer l = {"fc", QA_LAYER_FC, 1, 1024, 1, 1, 256, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t *act = mtRandAct(&g, &l, 8, 0, 0.3), *wgt = mtRandWgt(&g, &l, 8);
    QaArchConfig ddn, str;
    config("stripes", "", &str);
    const QaArchDesc *d = NULL;
    CHECK(qaArchFind("dadiannao", &d, NULL) == QA_OK);
    qaCfgDefaults(d, &ddn);
    QaLayerJob job = {&l, act, wgt, 8, 8, 0, QA_ENC_BOOTH4, NULL, 0};
    QaLayerStats s1, s2;
    mtRunLt(&ddn, &job, NULL, &s1);
    mtRunLt(&str, &job, NULL, &s2);
    CHECK_EQ_I64(s1.n_compute_cycles, 64);
    CHECK_EQ_I64(s2.n_compute_cycles, 71);
    free(act);
    free(wgt);
  }
  return TEST_DONE();
}
