/*
** test_pragmatic.c - the Bit-Pragmatic kernel (offsets of activations: one-bits, or
** Booth-recoded signed digits with --encoder booth4 / naf):
**  - outputs equal the integer reference bit for bit on 320 random layers (stride,
**    padding, depthwise, grouped, fc, ragged sizes, batch 2), every activation and
**    weight width 1..16, unsigned and signed activations, several first-stage widths
**    and run-ahead depths, in both timing modes;
**  - the loosely-timed pass and the per-cycle tick agree on cycles, outputs, every
**    action count and the effectual one-bits;
**  - cycles equal an independent implementation of the rule written here from the
**    NCHW tensors (per-column offset lists, base = lowest pending offset, window of
**    2^first_stage_bits, column finish times with run-ahead); with
**    first_stage_bits = 16 and no run-ahead, equal to the sum over steps of
**    max(1, most one-bits over the group's columns and lanes); all-zero
**    activations cost exactly one cycle per step;
**  - a narrower first-stage window never gives fewer cycles, run-ahead never more;
**    cycles never fall below the effectual one-bits over the lanes of the array;
**    Pragmatic is never slower than Stripes of the same geometry and precision
**    (any window, any run-ahead, signed or unsigned: a column never needs more
**    cycles than distinct offsets, at most p_a);
**  - hand-computed two-stage and run-ahead examples, bad inputs, config errors;
**  - through SystemC (a forked child per timing mode, tests/modeltest.h): 40 random
**    layers, identical cycles and stall cycles in both modes, reference outputs.
*/
#include <string.h>

#include "modeltest.h"
#include "plan.h"

/* The encoder the activations' offsets come from in the current case (popcount: the
** one-bits; booth4 / naf: Booth-recoded signed digits, issue 8). */
static QaEncoder g_enc = QA_ENC_POPCOUNT;

/* Offsets of v: the exponents of its terms (one-bits of |v| for popcount). */
static int offsets_of(int32_t v, int *exps) {
  QaTerm t[QA_TERMS_MAX];
  int n = qaTermsEncode(g_enc, v, t);
  for (int i = 0; i < n; i++) exps[i] = t[i].exp;
  return n;
}

static int mag_ones(int32_t v) {
  int e[QA_TERMS_MAX];
  return offsets_of(v, e);
}

/* ---- an independent model of the cycle rule, from the NCHW tensors -------------- */
typedef struct Geo {
  int lanes, rows, cols, fsb, ra;
} Geo;

static Geo geo_of(const QaArchConfig *cfg) {
  Geo g = {mtParam(cfg, "lanes"), mtParam(cfg, "tiles") * mtParam(cfg, "rows"), mtParam(cfg, "columns"), 0,
           0};
  if (strcmp(cfg->desc->name, "pragmatic") == 0) {
    g.fsb = mtParam(cfg, "first_stage_bits");
    g.ra = mtParam(cfg, "runahead");
  }
  return g;
}

/* Activation of image n, pack channel ch (of the pack starting at group g0), input
** position (iy, ix); zero outside the image or past the pack's channels. */
static int32_t act_at(const QaLayer *l, const int32_t *act, int n, int g0, int cin, int ch, int iy, int ix) {
  if (ch >= cin || iy < 0 || iy >= l->h || ix < 0 || ix >= l->w) return 0;
  int cg = l->c / l->groups;
  return act[(((int64_t)n * l->c + (int64_t)g0 * cg + ch) * l->h + iy) * l->w + ix];
}

/* Cycles of one column: lanes hold lists of one-offsets (ascending); each cycle the
** base is the lowest next offset; lanes whose next offset is within the window
** advance. */
static int col_cost(const int32_t *vals, int lanes, int fsb) {
  int offs[256][QA_TERMS_MAX], cnt[256], pos[256];
  int64_t win = (int64_t)1 << fsb;
  for (int k = 0; k < lanes; k++) {
    cnt[k] = offsets_of(vals[k], offs[k]);
    pos[k] = 0;
  }
  int cycles = 0;
  for (;;) {
    int base = 99;
    for (int k = 0; k < lanes; k++)
      if (pos[k] < cnt[k] && offs[k][pos[k]] < base) base = offs[k][pos[k]];
    if (base == 99) break;
    for (int k = 0; k < lanes; k++)
      if (pos[k] < cnt[k] && offs[k][pos[k]] <= base + win - 1) pos[k]++;
    cycles++;
  }
  return cycles ? cycles : 1;
}

/* Compute cycles of a layer by the rule: per image and pack, steps (window group, r,
** s, brick); column costs; start = max(own finish, max finish of step i-ra-1);
** the pack's passes all cost the same. */
static int64_t expected_cycles(const QaLayer *l, const int32_t *act, Geo g) {
  int n_packs = 0;
  PlanPack *packs = planPacks(l, g.lanes, &n_packs);
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  int64_t nwin = (int64_t)oh * ow, total = 0;
  int32_t vals[256];
  int64_t *fin = calloc((size_t)g.cols, sizeof *fin);
  for (int n = 0; n < l->n; n++)
    for (int pk = 0; pk < n_packs; pk++) {
      int g0 = packs[pk].g0, cin = packs[pk].cin, bricks = packs[pk].bricks;
      int64_t passes = (packs[pk].filters + g.rows - 1) / g.rows;
      int64_t nsteps = (nwin + g.cols - 1) / g.cols * l->r * l->s * bricks;
      int64_t *T = calloc((size_t)nsteps, sizeof *T), i = 0;
      memset(fin, 0, (size_t)g.cols * sizeof *fin);
      for (int64_t w0 = 0; w0 < nwin; w0 += g.cols)
        for (int r = 0; r < l->r; r++)
          for (int s = 0; s < l->s; s++)
            for (int b = 0; b < bricks; b++, i++) {
              int64_t lim = i - g.ra - 1 >= 0 ? T[i - g.ra - 1] : 0;
              for (int c = 0; c < g.cols; c++) {
                int64_t w = w0 + c;
                int cost = 0;
                if (w < nwin) {
                  int iy = (int)(w / ow) * l->stride_h + r - l->pad_h;
                  int ix = (int)(w % ow) * l->stride_w + s - l->pad_w;
                  for (int k = 0; k < g.lanes; k++)
                    vals[k] = act_at(l, act, n, g0, cin, b * g.lanes + k, iy, ix);
                  cost = col_cost(vals, g.lanes, g.fsb);
                }
                int64_t start = fin[c] > lim ? fin[c] : lim;
                fin[c] = start + cost;
                if (fin[c] > T[i]) T[i] = fin[c];
              }
            }
      total += passes * T[nsteps - 1];
      free(T);
    }
  free(fin);
  free(packs);
  return total;
}

/* The lock-step, wide-window special case: sum over steps of max(1, most one-bits
** over the group's columns and lanes). */
static int64_t expected_maxpop(const QaLayer *l, const int32_t *act, Geo g) {
  int n_packs = 0;
  PlanPack *packs = planPacks(l, g.lanes, &n_packs);
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  int64_t nwin = (int64_t)oh * ow, total = 0;
  for (int n = 0; n < l->n; n++)
    for (int pk = 0; pk < n_packs; pk++) {
      int g0 = packs[pk].g0, cin = packs[pk].cin, bricks = packs[pk].bricks;
      int64_t passes = (packs[pk].filters + g.rows - 1) / g.rows, sum = 0;
      for (int64_t w0 = 0; w0 < nwin; w0 += g.cols)
        for (int r = 0; r < l->r; r++)
          for (int s = 0; s < l->s; s++)
            for (int b = 0; b < bricks; b++) {
              int m = 1;
              for (int64_t w = w0; w < w0 + g.cols && w < nwin; w++)
                for (int k = 0; k < g.lanes; k++) {
                  int iy = (int)(w / ow) * l->stride_h + r - l->pad_h;
                  int ix = (int)(w % ow) * l->stride_w + s - l->pad_w;
                  int o = mag_ones(act_at(l, act, n, g0, cin, b * g.lanes + k, iy, ix));
                  m = o > m ? o : m;
                }
              sum += m;
            }
      total += passes * sum;
    }
  free(packs);
  return total;
}

/* Steps of a layer (window groups x R x S x bricks x passes, per image and pack). */
static int64_t expected_steps(const QaLayer *l, Geo g) { return planSteps(l, g.lanes, g.rows, g.cols); }

/* Sum over the layer's MACs of the activation's one-bits. */
static int64_t expected_effectual(const QaLayer *l, const int32_t *act) {
  int cg = l->c / l->groups, kg = l->k / l->groups, oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  int64_t total = 0;
  for (int n = 0; n < l->n; n++)
    for (int grp = 0; grp < l->groups; grp++) {
      int64_t per_filter = 0;
      for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
          for (int ci = 0; ci < cg; ci++)
            for (int r = 0; r < l->r; r++)
              for (int s = 0; s < l->s; s++)
                per_filter += mag_ones(act_at(l, act, n, grp, cg, ci, oy * l->stride_h + r - l->pad_h,
                                              ox * l->stride_w + s - l->pad_w));
      total += per_filter * kg;
    }
  return total;
}

/* Compute cycles of a layer loosely timed (mtRunLt; outputs checked if ref). */
static int64_t lt_cycles(const QaArchConfig *cfg, const QaLayerJob *job, const int64_t *ref) {
  QaLayerStats st;
  mtRunLt(cfg, job, ref, &st);
  return st.n_compute_cycles;
}

/* Both modes (mtRunBoth) with the current encoder; returns the loosely-timed stats. */
static QaLayerStats run_case(const QaArchConfig *cfg, const QaLayer *l, const int32_t *act,
                             const int32_t *wgt, int p, int q, int sgn) {
  QaLayerJob j = {l, act, wgt, p, q, sgn, g_enc, NULL};
  QaLayerStats st;
  mtRunBoth(cfg, &j, &st);
  return st;
}

/* cycles of a one-window fc layer (one step per brick) with these activations */
static int64_t fc_cycles(const QaArchConfig *cfg, const int32_t *act, int c, int p) {
  QaLayer l = {"fc", QA_LAYER_FC, 1, c, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
  int32_t wgt[64];
  for (int i = 0; i < c; i++) wgt[i] = i % 3 - 1;
  QaLayerStats st = run_case(cfg, &l, act, wgt, p, 2, 0);
  return st.n_compute_cycles;
}

int main(void) {
  const QaArchDesc *d, *dstr;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind("pragmatic", &d, &err), QA_OK);
  CHECK_EQ_I64(qaArchFind("stripes", &dstr, &err), QA_OK);

  QaArchConfig paper;
  mtDefaults(d, &paper);
  CHECK_EQ_I64(mtParam(&paper, "first_stage_bits"), 2);
  CHECK_EQ_I64(mtParam(&paper, "runahead"), 1);
  CHECK_EQ_I64(mtParam(&paper, "columns"), 16);
  CHECK(d->peak_macs(&paper) == 4096.0);

  /* Configurations: small arrays (passes, ragged bricks and groups) with various
  ** first-stage widths and run-ahead depths, and the paper's defaults. */
  enum { N_CFG = 5 };
  QaArchConfig cfgs[N_CFG];
  static const int geo[N_CFG][6] = {
      /* tiles, filters, windows, lanes, first_stage_bits, runahead */
      {2, 3, 5, 4, 2, 0}, {1, 5, 3, 7, 0, 2}, {16, 16, 16, 16, 2, 0}, {2, 2, 4, 8, 16, 0}, {1, 4, 6, 5, 1, 1},
  };
  for (int i = 0; i < N_CFG; i++) {
    mtDefaults(d, &cfgs[i]);
    mtSetInt(&cfgs[i], "tiles", geo[i][0]);
    mtSetInt(&cfgs[i], "rows", geo[i][1]);
    mtSetInt(&cfgs[i], "columns", geo[i][2]);
    mtSetInt(&cfgs[i], "lanes", geo[i][3]);
    mtSetInt(&cfgs[i], "first_stage_bits", geo[i][4]);
    mtSetInt(&cfgs[i], "runahead", geo[i][5]);
  }

  QaRng g;
  qaRngSeed(&g, qaTestSeed(20261124));
  int seen_a[17] = {0}, seen_w[17] = {0}, n_signed = 0, n_sweeps = 0, n_faster = 0;
  for (int it = 0; it < qaTestScale(320); it++) {
    QaLayer l;
    randLayer(&g, &l, it);
    CHECK_EQ_I64(qaLayerValidate(&l, &err), QA_OK);
    const QaArchConfig *cfg = &cfgs[it % N_CFG];
    Geo gg = geo_of(cfg);
    /* one layer in three each: one-bits, NAF and radix-4 Booth offsets (12-cycle period
    ** against the 5 configurations and the 4-case sweep period: every combination) */
    g_enc = it % 3 == 0 ? QA_ENC_POPCOUNT : it % 3 == 1 ? QA_ENC_NAF : QA_ENC_BOOTH4;
    int p = 1 + it % 16, q = 1 + (it * 7 + it / 16) % 16, sgn = it % 4 == 3;
    seen_a[p]++;
    seen_w[q]++;
    n_signed += sgn;
    int32_t *act = mtRandAct(&g, &l, p, sgn, it % 2 ? 0.3 : 0.6);
    int32_t *wgt = mtRandWgt(&g, &l, q);
    QaLayerStats st = run_case(cfg, &l, act, wgt, p, q, sgn);
    CHECK_MSG(st.n_compute_cycles == expected_cycles(&l, act, gg), "%s: %lld cycles, rule %lld (cfg %d)",
              l.name, (long long)st.n_compute_cycles, (long long)expected_cycles(&l, act, gg), it % N_CFG);
    if (gg.fsb >= 4 && gg.ra == 0) CHECK_EQ_I64(st.n_compute_cycles, expected_maxpop(&l, act, gg));
    CHECK_EQ_I64(st.n_steps, expected_steps(&l, gg));
    CHECK_EQ_I64(st.macs, qaLayerMacs(&l));
    int64_t eff = expected_effectual(&l, act);
    CHECK_EQ_I64(st.effectual_terms, eff);
    /* work bound: a lane consumes at most one offset per cycle */
    CHECK((double)st.n_compute_cycles * gg.lanes * gg.cols * gg.rows >= (double)eff);
    CHECK(st.pe_util >= 0 && st.pe_util <= 1.0 + 1e-12);
    CHECK(mtAction(cfg, &st, "shifter", "op") == mtAction(cfg, &st, "acc", "op") * gg.lanes);
    CHECK((mtAction(cfg, &st, "runahead_reg", "read_bits") > 0) == (gg.ra > 0));

    if (it % 4 == 0) {
      /* Sweep the first-stage width and the run-ahead on the same layer (LT). */
      n_sweeps++;
      int64_t no = qaLayerOutCount(&l);
      int64_t *ref = malloc((size_t)no * sizeof *ref);
      qaRefConv(&l, act, wgt, ref);
      QaArchConfig sc = *cfg, scs;
      mtDefaults(dstr, &scs);
      mtSetInt(&scs, "tiles", mtParam(cfg, "tiles"));
      mtSetInt(&scs, "rows", mtParam(cfg, "rows"));
      mtSetInt(&scs, "columns", mtParam(cfg, "columns"));
      mtSetInt(&scs, "lanes", mtParam(cfg, "lanes"));
      QaLayerJob j = {&l, act, wgt, p, q, sgn, g_enc, NULL}, jz = j;
      int64_t stripes = lt_cycles(&scs, &j, ref);
      static const int fsbs[] = {0, 1, 2, 3, 16}, ras[] = {0, 1, 3};
      int64_t cyc[5][3];
      for (int a = 0; a < 5; a++)
        for (int b = 0; b < 3; b++) {
          mtSetInt(&sc, "first_stage_bits", fsbs[a]);
          mtSetInt(&sc, "runahead", ras[b]);
          cyc[a][b] = lt_cycles(&sc, &j, ref);
          Geo g2 = geo_of(&sc);
          if (a % 2 == 0 && b == 2) CHECK_EQ_I64(cyc[a][b], expected_cycles(&l, act, g2));
          /* one-bits: never slower than Stripes; signed digits reach exponent p: p + 1 */
          CHECK_MSG(cyc[a][b] <= stripes + (g_enc == QA_ENC_POPCOUNT ? 0 : stripes / p),
                    "%s: pragmatic %s fsb %d ra %d: %lld cycles > stripes %lld", l.name, qaEncoderName(g_enc),
                    fsbs[a], ras[b], (long long)cyc[a][b], (long long)stripes);
          if (a > 0)
            CHECK_MSG(cyc[a][b] <= cyc[a - 1][b], "%s: fsb %d ra %d: %lld > fsb %d: %lld", l.name, fsbs[a],
                      ras[b], (long long)cyc[a][b], fsbs[a - 1], (long long)cyc[a - 1][b]);
          if (b > 0)
            CHECK_MSG(cyc[a][b] <= cyc[a][b - 1], "%s: fsb %d ra %d: %lld > ra %d: %lld", l.name, fsbs[a],
                      ras[b], (long long)cyc[a][b], ras[b - 1], (long long)cyc[a][b - 1]);
        }
      n_faster += cyc[4][0] < stripes;
      /* All-zero activations: one cycle per step, whatever the window and run-ahead. */
      int32_t *zero = calloc((size_t)qaLayerActCount(&l) + 1, sizeof *zero);
      memset(ref, 0, (size_t)no * sizeof *ref);
      for (int b = 0; b < 3; b++) {
        mtSetInt(&sc, "first_stage_bits", b);
        mtSetInt(&sc, "runahead", ras[b]);
        QaLayerStats z;
        jz.act = zero;
        mtRunLt(&sc, &jz, ref, &z);
        CHECK_EQ_I64(z.n_compute_cycles, expected_steps(&l, gg));
        CHECK_EQ_I64(z.n_compute_cycles, z.n_steps);
        CHECK_EQ_I64(z.effectual_terms, 0);
      }
      free(zero);
      free(ref);
    }
    free(act);
    free(wgt);
  }
  for (int b = 1; b <= 16; b++) CHECK(seen_a[b] > 0 && seen_w[b] > 0);
  CHECK(n_signed >= 50);
  printf("pragmatic (first_stage_bits 16, lock-step) faster than stripes on %d of %d layers\n", n_faster,
         n_sweeps);
  CHECK(n_sweeps == 80 && n_faster >= 40);
  g_enc = QA_ENC_POPCOUNT;

  /* Booth-recoded offsets by hand (issue 8): one column of two lanes, a wide window.
  ** (7, 0): one-bits {0, 1, 2} -> 3 cycles; NAF 7 = 8 - 1 -> {0-, 3+} -> 2; radix-4 Booth
  ** digits (-1 at 0, +2 at 2 = 2^3) -> 2. (15, 5): one-bits 4 and 2 -> 4; NAF 16 - 1 and
  ** 4 + 1 -> 2; Booth 15 = 16 - 1 (digits -1, 0, +1 at 4) -> 2. The outputs are checked
  ** against the reference in both timing modes (the signs of the terms matter). */
  {
    QaArchConfig one;
    mtDefaults(d, &one);
    mtSetAll(&one, "tiles=1 rows=1 columns=1 lanes=2 first_stage_bits=4");
    static const int32_t a1[2] = {7, 0}, a2[2] = {15, 5};
    static const QaEncoder encs[3] = {QA_ENC_POPCOUNT, QA_ENC_NAF, QA_ENC_BOOTH4};
    static const int want1[3] = {3, 2, 2}, want2[3] = {4, 2, 2};
    for (int e = 0; e < 3; e++) {
      g_enc = encs[e];
      int32_t x[2];
      memcpy(x, a1, sizeof x);
      CHECK_EQ_I64(fc_cycles(&one, x, 2, 4), want1[e]);
      memcpy(x, a2, sizeof x);
      CHECK_EQ_I64(fc_cycles(&one, x, 2, 4), want2[e]);
    }
    g_enc = QA_ENC_POPCOUNT;
  }

  /* Two-stage shifting by hand: one column, lanes 17 = offsets {0, 4} and
  ** 12 = {2, 3}. Window 1: bases 0, 2, 3, 4 -> 4 cycles; window 2: base 0 (lane 0
  ** takes 0), base 2 (lane 1 takes 2; 4 is outside [2, 3]), base 3 (3 and 4) -> 3;
  ** window 4: base 0 (0 and 2), base 3 (4 and 3) -> 2; wide: most one-bits = 2. */
  {
    QaArchConfig one;
    mtDefaults(d, &one);
    mtSetAll(&one, "tiles=1 rows=1 columns=1 lanes=2");
    int32_t act[2] = {17, 12};
    static const int want[5] = {4, 3, 2, 2, 2};
    for (int fsb = 0; fsb <= 4; fsb++) {
      mtSetInt(&one, "first_stage_bits", fsb);
      CHECK_EQ_I64(fc_cycles(&one, act, 2, 5), want[fsb]);
    }
    /* zeros cost one cycle; a lone 16-bit value with every bit set costs 16 */
    int32_t z[2] = {0, 0}, full[2] = {65535, 0};
    CHECK_EQ_I64(fc_cycles(&one, z, 2, 16), 1);
    mtSetInt(&one, "first_stage_bits", 0);
    CHECK_EQ_I64(fc_cycles(&one, full, 2, 16), 16);
  }

  /* Run-ahead by hand: two windows (columns), two channels (steps) with one lane;
  ** column costs (3, 1) and (1, 3). Lock-step: 3 + 3 = 6 cycles; run-ahead 1:
  ** column 0 finishes at 3 + 1, column 1 at 1 + 3 -> 4 cycles. */
  {
    QaArchConfig two;
    mtDefaults(d, &two);
    mtSetAll(&two, "tiles=1 rows=1 columns=2 lanes=1 first_stage_bits=4 runahead=0");
    QaLayer l = {"ra", QA_LAYER_CONV, 1, 2, 1, 2, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[4] = {7, 1, 1, 7}, wgt[2] = {3, -2}; /* NCHW: ch0 = (7, 1), ch1 = (1, 7) */
    CHECK_EQ_I64(run_case(&two, &l, act, wgt, 3, 3, 0).n_compute_cycles, 6);
    mtSetInt(&two, "runahead", 1);
    CHECK_EQ_I64(run_case(&two, &l, act, wgt, 3, 3, 0).n_compute_cycles, 4);
  }

  /* Signed activations: -8 at 4 bits is the single offset 3 with a negative sign. */
  {
    QaLayer l = {"fc", QA_LAYER_FC, 1, 3, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[3] = {-8, 7, -1}, wgt[6] = {1, 2, 3, -4, 5, -6};
    QaArchConfig w = paper;
    mtSetInt(&w, "first_stage_bits", 4);
    QaLayerStats st = run_case(&w, &l, act, wgt, 4, 4, 1);
    CHECK_EQ_I64(st.n_compute_cycles, 3);
    CHECK_EQ_I64(st.effectual_terms, 2 * (1 + 3 + 1));
  }

  /* Bad inputs and config errors. */
  {
    QaArchConfig w8 = paper;
    mtSetInt(&w8, "datapath_bits", 8);
    mtCheckCode(&w8, 16, 0, 0, 0, QA_EUSER, "8-bit weights", "16-bit", NULL);
    mtCheckCode(&paper, 8, 0, 9, 300, QA_EUSER, "code 300", "element 9", "8-bit unsigned");
    mtCheckCode(&paper, 8, 1, 9, -129, QA_EUSER, "-129", "signed", NULL);
  }
  QaArchConfig bad = paper;
  CHECK_EQ_I64(qaCfgSetText(&bad, "first_stage_bits", "17", "cfg.yaml:7", &err), QA_EUSER);
  CHECK(strstr(err.msg, "cfg.yaml:7") && strstr(err.msg, "first_stage_bits"));
  CHECK_EQ_I64(qaCfgSetText(&bad, "runahead", "-1", "cfg.yaml:8", &err), QA_EUSER);
  CHECK(strstr(err.msg, "runahead"));
  CHECK_EQ_I64(qaCfgSetText(&bad, "runahead", "1.5", "x", &err), QA_EUSER);

  /* Through SystemC: a narrow first stage, run-ahead and a DRAM that stalls. */
  QaArchConfig sys = cfgs[1];
  mtSetAll(&sys, "first_stage_bits=1 runahead=2 dram_gbps=2 nm_kib=1");
  mtScCheck(&sys, 40, 99, mtGenMixedBits, NULL);
  return TEST_DONE();
}
