/*
** test_laconic.c - the Laconic term-serial kernel (arch/laconic.c), without and with
** SystemC:
**  - outputs equal the integer reference bit for bit on random layers (stride,
**    padding, depthwise, grouped, fc, ragged sizes, batch 2) at every bit-width 1..16
**    for activations and weights, signed and unsigned activations, all encoders;
**  - the loosely-timed chunk computation and the per-cycle term-serial tick agree
**    exactly on cycles, outputs, effectual term pairs and every action count, for
**    every sync scope (pe, column, tile, grid);
**  - the cycle rule re-computed naively from the NCHW operands (an O(MACs) loop over
**    every lane of every PE of every step) equals the kernel's for each scope;
**  - properties: one-hot codes (naf) take one cycle per brick step; all-zero
**    activations take one cycle per step; cycles >= effectual term pairs / lanes;
**    pe <= column <= tile <= grid; parameter and value errors;
**  - SystemC: LT and clocked runs of 40 random layers give identical cycles and
**    stall cycles (read from simulated time) and reference outputs (one forked
**    child per mode, tests/modeltest.h).
*/
#include <string.h>

#include "arch/laconicInt.h"
#include "modeltest.h"
#include "plan.h"

typedef struct Geo {
  int tiles, rows, cols, lanes;
} Geo;

static void make_cfg(const char *arch, Geo g, int sync, QaArchConfig *cfg) {
  const QaArchDesc *d;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind(arch, &d, &err), QA_OK);
  mtDefaults(d, cfg);
  mtSetInt(cfg, "tiles", g.tiles);
  mtSetInt(cfg, "rows", g.rows);
  mtSetInt(cfg, "columns", g.cols);
  mtSetInt(cfg, "lanes", g.lanes);
  mtSetInt(cfg, "sync", sync);
}

/* ---- the cycle rule, naively, from the NCHW operands ---------------------------- */

static int32_t act_at(const QaLayer *l, const int32_t *act, int img, int ch, int py, int px) {
  int iy = py - l->pad_h, ix = px - l->pad_w;
  if (iy < 0 || iy >= l->h || ix < 0 || ix >= l->w) return 0;
  return act[(((int64_t)img * l->c + ch) * l->h + iy) * l->w + ix];
}

/* Cycles of a layer under the Laconic rule for scope `sync`; *eff = term pairs. */
static int64_t naive_cycles(const QaLayer *l, const int32_t *act, const int32_t *wgt, QaEncoder enc, Geo g,
                            int sync, int64_t *eff) {
  int L = g.lanes, C = g.cols, RT = g.tiles * g.rows;
  int cg = l->c / l->groups, kg = l->k / l->groups, n_packs = 0;
  PlanPack *packs = planPacks(l, L, &n_packs);
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  int64_t W = (int64_t)oh * ow, total = 0;
  int64_t *sums = calloc((size_t)RT * C, sizeof *sums);
  int *pe = calloc((size_t)RT * C, sizeof *pe);
  *eff = 0;
  for (int img = 0; img < l->n; img++)
    for (int pk = 0; pk < n_packs; pk++) {
      int g0 = packs[pk].g0, cin = packs[pk].cin, cb = packs[pk].bricks, kf = packs[pk].filters;
      for (int f0 = 0; f0 < kf; f0 += RT) {
        int nf = kf - f0 < RT ? kf - f0 : RT;
        memset(sums, 0, (size_t)RT * C * sizeof *sums);
        for (int64_t gw = 0; gw * C < W; gw++)
          for (int r = 0; r < l->r; r++)
            for (int s = 0; s < l->s; s++)
              for (int b = 0; b < cb; b++) {
                /* every PE's cost for this step; -1 = idle (no window) */
                for (int col = 0; col < C; col++) {
                  int64_t win = gw * C + col;
                  for (int j = 0; j < nf; j++) {
                    if (win >= W) {
                      pe[j * C + col] = -1;
                      continue;
                    }
                    int oy = (int)(win / ow), ox = (int)(win % ow);
                    int f = f0 + j, gl = f / kg, kglob = g0 * kg + f, m = 0;
                    for (int ln = 0; ln < L; ln++) {
                      int ch = b * L + ln;
                      int32_t a = ch < cin ? act_at(l, act, img, g0 * cg + ch, oy * l->stride_h + r,
                                                    ox * l->stride_w + s)
                                           : 0;
                      int32_t w = ch < cin && ch / cg == gl
                                      ? wgt[(((int64_t)kglob * cg + ch % cg) * l->r + r) * l->s + s]
                                      : 0;
                      int p = qaTermsCount(enc, a) * qaTermsCount(enc, w);
                      *eff += p;
                      m = p > m ? p : m;
                    }
                    pe[j * C + col] = m > 1 ? m : 1;
                  }
                }
                /* combine per sync scope */
                for (int col = 0; col < C; col++)
                  for (int j = 0; j < nf; j++) {
                    int v = pe[j * C + col];
                    if (v < 0) continue;
                    int t = j / g.rows;
                    if (sync == 0)
                      sums[j * C + col] += v;
                    else if (sync == 1) {
                      /* column group (t, col): max over its PEs, added once */
                      int first = 1, mx = 0;
                      for (int j2 = t * g.rows; j2 < nf && j2 < (t + 1) * g.rows; j2++) {
                        if (j2 < j) first = 0;
                        mx = pe[j2 * C + col] > mx ? pe[j2 * C + col] : mx;
                      }
                      if (first) sums[t * C + col] += mx;
                    }
                  }
                if (sync == 2) {
                  for (int t = 0; t * g.rows < nf; t++) {
                    int mx = 0;
                    for (int j = t * g.rows; j < nf && j < (t + 1) * g.rows; j++)
                      for (int col = 0; col < C; col++) mx = pe[j * C + col] > mx ? pe[j * C + col] : mx;
                    sums[t] += mx;
                  }
                } else if (sync == 3) {
                  int mx = 0;
                  for (int i = 0; i < nf * C; i++) mx = pe[i] > mx ? pe[i] : mx;
                  sums[0] += mx;
                }
              }
        int64_t chunk = 0;
        for (int i = 0; i < RT * C; i++) chunk = sums[i] > chunk ? sums[i] : chunk;
        total += chunk;
      }
    }
  free(sums);
  free(pe);
  free(packs);
  return total;
}

/* Brick steps of a layer for window groups of `cols` windows. */
static int64_t brick_steps(const QaLayer *l, Geo g) {
  return planSteps(l, g.lanes, g.tiles * g.rows, g.cols);
}

/* ---- running a case in both modes ----------------------------------------------- */

/* Run a layer in both modes (mtRunBoth) into *st, plus Laconic's own checks: no
** accumulator overflow, the layer's MACs, one exponent add per term pair,
** utilisation in (0, 1]. Returns 1 if the outputs and the modes matched. */
static int run_both(const QaArchConfig *cfg, const QaLayer *l, const int32_t *act, const int32_t *wgt,
                    int a_bits, int w_bits, int a_signed, QaEncoder enc, QaLayerStats *st) {
  QaLayerJob j = {l, act, wgt, a_bits, w_bits, a_signed, enc, NULL};
  int ok = mtRunBoth(cfg, &j, st);
  CHECK_EQ_I64(st->acc_overflows, 0);
  CHECK_EQ_I64(st->macs, qaLayerMacs(l));
  /* every term pair goes through one exponent adder and one decoder */
  CHECK_EQ_I64(mtAction(cfg, st, "exp_adder", "op"), st->effectual_terms);
  CHECK(st->pe_util > 0 && st->pe_util <= 1.0 + 1e-12);
  return ok;
}

/* Random codes of a b-bit operand: unsigned [0, 2^b - 1] or signed symmetric. */
static int32_t *rand_operand(QaRng *g, int64_t n, int bits, int is_signed, double zero_frac) {
  int32_t hi = is_signed ? (bits >= 2 ? (1 << (bits - 1)) - 1 : 1) : (1 << bits) - 1;
  return randCodes(g, n, is_signed ? -hi : 0, hi, zero_frac);
}

/* MtGenFn of the SystemC runs: *arg bits for both operands, every fourth
** activation signed (40% zeros), signed weights (10% zeros), booth4. */
static void sc_gen(QaRng *r, MtCase *k, int i, const void *arg) {
  int bits = *(const int *)arg;
  k->a_bits = k->w_bits = bits;
  k->a_signed = i % 4 == 0;
  k->enc = QA_ENC_BOOTH4;
  k->act = rand_operand(r, qaLayerActCount(&k->l), bits, k->a_signed, 0.4);
  k->wgt = rand_operand(r, qaLayerWgtCount(&k->l), bits, 1, 0.1);
}

/* arch with geometry g and scope sync on 40 random layers through SystemC. */
static void sc_check(const char *arch, Geo g, int sync, int bits, uint64_t seed) {
  QaArchConfig cfg;
  make_cfg(arch, g, sync, &cfg);
  mtScCheck(&cfg, 40, seed, sc_gen, &bits);
}

/* ---- main -------------------------------------------------------------------------- */

int main(void) {
  QaErr err = {0, ""};
  const QaArchDesc *d;
  CHECK_EQ_I64(qaArchFind("Laconic", &d, &err), QA_OK);
  CHECK(d->summary && strlen(d->summary) > 20 && !strchr(d->summary, '\n'));
  QaArchConfig paper;
  mtDefaults(d, &paper);
  CHECK_EQ_I64(mtParam(&paper, "sync"), QA_LACONIC_SYNC_GRID);
  CHECK_EQ_I64((int64_t)d->peak_macs(&paper), 65536);

  static const Geo geos[] = {{2, 3, 4, 4}, {3, 2, 3, 5}, {1, 4, 2, 8}, {2, 2, 5, 3}};
  QaRng g;
  qaRngSeed(&g, qaTestSeed(20261122));
  int n_cases = 0, n_ok = 0;
  int64_t n_macs = 0;
  /* 0. Exhaustive small case: one lane, one PE, pe scope: an fc layer of 256 inputs
  ** carrying every unsigned 8-bit activation code, against one filter of each signed
  ** 8-bit weight code w, for each encoder. Each input is one brick step, so the layer
  ** costs sum over a of max(1, terms(a) x terms(w)) cycles, and its output is
  ** w x sum(a) (both worked out here from the encoder's term counts, tested
  ** exhaustively in test_terms.c). Both timing modes. */
  {
    Geo one = {1, 1, 1, 1};
    QaArchConfig cfg;
    make_cfg("laconic", one, QA_LACONIC_SYNC_PE, &cfg);
    QaLayer l = {"all8", QA_LAYER_FC, 1, 256, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[256], wgt[256];
    for (int a = 0; a < 256; a++) act[a] = a;
    int bad = 0;
    for (int enc = 0; enc < QA_ENC_COUNT; enc++)
      for (int w = -128; w <= 127; w++) {
        for (int a = 0; a < 256; a++) wgt[a] = w;
        int64_t want = 0;
        for (int a = 0; a < 256; a++) {
          int64_t p = (int64_t)qaTermsCount((QaEncoder)enc, a) * qaTermsCount((QaEncoder)enc, w);
          want += p > 1 ? p : 1;
        }
        QaLayerStats st;
        QaLayerJob j = {&l, act, wgt, 8, 8, 0, (QaEncoder)enc, NULL};
        /* clocked as well for a few weights (a full sweep of both modes is the soak's) */
        if (w % 37 == 0)
          mtRunBoth(&cfg, &j, &st);
        else
          mtRunLt(&cfg, &j, NULL, &st);
        bad += st.n_compute_cycles != want;
        CHECK_MSG(st.n_compute_cycles == want, "%s w %d: %lld cycles, want %lld",
                  qaEncoderName((QaEncoder)enc), w, (long long)st.n_compute_cycles, (long long)want);
      }
    printf("exhaustive 8-bit pairs: %d of %d weights x 3 encoders off\n", bad, 256);
  }

  /* 1. Random layers: every scope, every bit-width, signed/unsigned activations,
  ** LT == clocked == naive rule, outputs == reference. 128 layers visit each (geometry,
  ** scope) pair 8 times and every a_bits 8 times; `./run soak` draws many more. */
  for (int it = 0; it < qaTestScale(128); it++) {
    QaLayer l;
    randLayer(&g, &l, it);
    CHECK_EQ_I64(qaLayerValidate(&l, &err), QA_OK);
    Geo geo = geos[it % 4];
    int sync = (it / 4) % 4;
    int a_bits = 1 + it % 16, w_bits = 1 + (it * 7 + 3) % 16;
    int a_signed = it % 3 == 0;
    QaEncoder enc = it % 5 == 4 ? QA_ENC_NAF : it % 5 == 3 ? QA_ENC_POPCOUNT : QA_ENC_BOOTH4;
    int32_t *act = rand_operand(&g, qaLayerActCount(&l), a_bits, a_signed, 0.4);
    int32_t *wgt = rand_operand(&g, qaLayerWgtCount(&l), w_bits, 1, 0.15);
    QaArchConfig cfg;
    make_cfg("laconic", geo, sync, &cfg);
    QaLayerStats st;
    n_ok += run_both(&cfg, &l, act, wgt, a_bits, w_bits, a_signed, enc, &st);
    int64_t eff = 0;
    int64_t naive = naive_cycles(&l, act, wgt, enc, geo, sync, &eff);
    CHECK_MSG(st.n_compute_cycles == naive, "%s sync %d: kernel %lld cycles, naive rule %lld", l.name, sync,
              (long long)st.n_compute_cycles, (long long)naive);
    CHECK_EQ_I64(st.effectual_terms, eff);
    /* work bound and step bound */
    double lanes = (double)geo.tiles * geo.rows * geo.cols * geo.lanes;
    CHECK(st.n_compute_cycles >= (double)eff / lanes - 1e-9);
    CHECK(st.n_compute_cycles >= brick_steps(&l, geo));
    CHECK_EQ_I64(st.n_steps, brick_steps(&l, geo));
    n_cases++;
    n_macs += qaLayerMacs(&l);
    free(act);
    free(wgt);
  }
  printf("random layers: %d of %d equal to the reference in both modes (%lld MACs)\n", n_ok, n_cases,
         (long long)n_macs);

  /* 2. The paper geometry (16 x 16 x 16 x 16) on some layers, 8 and 16 bits. */
  for (int it = 0; it < qaTestScale(24); it++) {
    QaLayer l;
    randLayer(&g, &l, 1000 + it);
    int bits = it % 2 ? 16 : 8, sync = it % 4;
    int32_t *act = rand_operand(&g, qaLayerActCount(&l), bits, 0, 0.5);
    int32_t *wgt = rand_operand(&g, qaLayerWgtCount(&l), bits, 1, 0.1);
    QaArchConfig cfg = paper;
    mtSetInt(&cfg, "sync", sync);
    QaLayerStats st;
    run_both(&cfg, &l, act, wgt, bits, bits, 0, QA_ENC_BOOTH4, &st);
    int64_t eff;
    Geo pg = {16, 16, 16, 16};
    CHECK_EQ_I64(st.n_compute_cycles, naive_cycles(&l, act, wgt, QA_ENC_BOOTH4, pg, sync, &eff));
    free(act);
    free(wgt);
  }

  /* 2b. A wide fc layer: its weight term planes are built in several filter blocks
  ** (4 MiB buffer), with 32-bit sums at 8 bits and 64-bit sums at 16 bits. */
  for (int bits = 8; bits <= 16; bits += 8) {
    QaLayer l = {"wide", QA_LAYER_FC, 1, 6000, 1, 1, 300, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t *act = rand_operand(&g, qaLayerActCount(&l), bits, 0, 0.5);
    int32_t *wgt = rand_operand(&g, qaLayerWgtCount(&l), bits, 1, 0.1);
    QaLayerStats st;
    CHECK(run_both(&paper, &l, act, wgt, bits, bits, 0, QA_ENC_BOOTH4, &st));
    free(act);
    free(wgt);
  }

  /* 3. Properties on random layers. */
  for (int it = 0; it < qaTestScale(60); it++) {
    QaLayer l;
    randLayer(&g, &l, 2000 + it);
    Geo geo = geos[it % 4];
    int64_t na = qaLayerActCount(&l), nw = qaLayerWgtCount(&l), steps = brick_steps(&l, geo);
    int32_t *act = rand_operand(&g, na, 8, 0, 0.3), *wgt = rand_operand(&g, nw, 8, 1, 0.1);
    /* coarser scopes never give fewer cycles */
    int64_t cyc[4];
    for (int sync = 0; sync < 4; sync++) {
      QaArchConfig cfg;
      make_cfg("laconic", geo, sync, &cfg);
      QaLayerStats st;
      QaLayerJob j = {&l, act, wgt, 8, 8, 0, QA_ENC_BOOTH4, NULL};
      mtRunLt(&cfg, &j, NULL, &st);
      cyc[sync] = st.n_compute_cycles;
    }
    CHECK_MSG(cyc[0] <= cyc[1] && cyc[1] <= cyc[2] && cyc[2] <= cyc[3],
              "%s: pe %lld column %lld tile %lld grid %lld", l.name, (long long)cyc[0], (long long)cyc[1],
              (long long)cyc[2], (long long)cyc[3]);
    /* one-hot codes with the naf encoder: exactly one cycle per brick step */
    for (int64_t i = 0; i < na; i++) act[i] = act[i] ? 1 << (act[i] % 8) : 0;
    for (int64_t i = 0; i < nw; i++)
      wgt[i] = wgt[i] ? (wgt[i] < 0 ? -1 : 1) * (1 << (((wgt[i] % 7) + 7) % 7)) : 0;
    QaArchConfig cfg;
    make_cfg("laconic", geo, 3, &cfg);
    QaLayerStats st;
    run_both(&cfg, &l, act, wgt, 8, 8, 0, QA_ENC_NAF, &st);
    CHECK_EQ_I64(st.n_compute_cycles, steps);
    /* all-zero activations: one cycle per step, no term pairs */
    memset(act, 0, (size_t)na * sizeof *act);
    run_both(&cfg, &l, act, wgt, 8, 8, 0, QA_ENC_BOOTH4, &st);
    CHECK_EQ_I64(st.n_compute_cycles, steps);
    CHECK_EQ_I64(st.effectual_terms, 0);
    free(act);
    free(wgt);
  }

  /* 4. A hand-checked case: one lane, 1x1 fc, a = 7 (booth: 8 - 1, 2 terms), w = -3
  ** (booth: -4 + 1, 2 terms): 4 cycles, output -21. */
  {
    QaLayer l = {"hand", QA_LAYER_FC, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[1] = {7}, wgt[1] = {-3};
    Geo one = {1, 1, 1, 1};
    QaArchConfig cfg;
    make_cfg("laconic", one, 3, &cfg);
    QaLayerStats st;
    run_both(&cfg, &l, act, wgt, 8, 8, 0, QA_ENC_BOOTH4, &st);
    CHECK_EQ_I64(st.n_compute_cycles, 4);
    CHECK_EQ_I64(st.effectual_terms, 4);
    /* popcount: 7 = 3 terms, 3 = 2 terms */
    run_both(&cfg, &l, act, wgt, 8, 8, 0, QA_ENC_POPCOUNT, &st);
    CHECK_EQ_I64(st.n_compute_cycles, 6);
  }

  /* 5. Accumulator wrap: outputs wrap to acc_bits and overflows are counted. */
  mtCheckAccWrap(&paper, 16, 16);

  /* 6. Errors: parameters and values. */
  {
    QaArchConfig cfg = paper;
    CHECK_EQ_I64(qaCfgSetText(&cfg, "sync", "4", "cfg.yaml:2", &err), QA_EUSER);
    CHECK(strstr(err.msg, "cfg.yaml:2") && strstr(err.msg, "sync") &&
          strstr(err.msg, "pe, column, tile, grid"));
    /* issue 7: sync is a named value (the index of a name is accepted for old configs) */
    CHECK_EQ_I64(qaCfgSetText(&cfg, "sync", "tile", "x", &err), QA_OK);
    CHECK_EQ_I64(QA_SPEC(&cfg, QaLaconicSpec)->sync, QA_LACONIC_SYNC_TILE);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "sync", "1", "x", &err), QA_OK);
    CHECK_EQ_I64(QA_SPEC(&cfg, QaLaconicSpec)->sync, QA_LACONIC_SYNC_COLUMN);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "sync", "lockstep", "x", &err), QA_EUSER);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "columns", "0", "x", &err), QA_EUSER);
    QaLayer l = {"big", QA_LAYER_FC, 1, 4, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[4] = {1, 2, 70000, 4}, wgt[4] = {1, 1, 1, 1};
    int64_t out[1];
    QaLayerJob j = {&l, act, wgt, 16, 8, 0, QA_ENC_BOOTH4, out};
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "'big'") && strstr(err.msg, "70000"));
    act[2] = 3;
    j.a_bits = 17;
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "17-bit"));
    j.a_bits = 8;
    mtSetInt(&cfg, "tiles", 256);
    mtSetInt(&cfg, "rows", 256);
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "lanes"));
  }

  /* 7. SystemC, both timing modes, 40 random layers. */
  {
    Geo sg = {2, 3, 4, 4};
    sc_check("laconic", sg, 3, 8, 11);
    Geo sg2 = {2, 2, 3, 5};
    sc_check("laconic", sg2, 0, 6, 12);
  }
  return TEST_DONE();
}
