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
**  - SystemC: LT and clocked runs of 40 random layers give identical cycles (read
**    from simulated time) and reference outputs (one forked child per mode).
*/
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "arch/sim.h"
#include "qatest.h"
#include "randlayer.h"

typedef struct Geo {
  int tiles, rows, cols, lanes;
} Geo;

static void set_int(QaArchConfig *cfg, const char *name, int v) {
  char buf[32];
  QaErr err = {0, ""};
  snprintf(buf, sizeof buf, "%d", v);
  CHECK_MSG(qaCfgSetText(cfg, name, buf, "test", &err) == QA_OK, "%s", err.msg);
}

static void make_cfg(const char *arch, Geo g, int sync, QaArchConfig *cfg) {
  const QaArchDesc *d;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind(arch, &d, &err), QA_OK);
  qaCfgDefaults(d, cfg);
  set_int(cfg, "tiles", g.tiles);
  set_int(cfg, "rows", g.rows);
  set_int(cfg, "columns", g.cols);
  set_int(cfg, "lanes", g.lanes);
  set_int(cfg, "sync", sync);
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
  int cg = l->c / l->groups, kg = l->k / l->groups;
  int gpp = cg < L ? L / cg : 1;
  if (gpp > l->groups) gpp = l->groups;
  int oh = qaLayerOutH(l), ow = qaLayerOutW(l);
  int64_t W = (int64_t)oh * ow, total = 0;
  int64_t *sums = calloc((size_t)RT * C, sizeof *sums);
  int *pe = calloc((size_t)RT * C, sizeof *pe);
  *eff = 0;
  for (int img = 0; img < l->n; img++)
    for (int g0 = 0; g0 < l->groups; g0 += gpp) {
      int ng = l->groups - g0 < gpp ? l->groups - g0 : gpp;
      int cin = ng * cg, cb = (cin + L - 1) / L, kf = ng * kg;
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
  return total;
}

/* Brick steps of a layer for window groups of `cols` windows. */
static int64_t brick_steps(const QaLayer *l, Geo g) {
  int L = g.lanes, RT = g.tiles * g.rows;
  int cg = l->c / l->groups, kg = l->k / l->groups;
  int gpp = cg < L ? L / cg : 1;
  if (gpp > l->groups) gpp = l->groups;
  int64_t W = (int64_t)qaLayerOutH(l) * qaLayerOutW(l), groups = (W + g.cols - 1) / g.cols, total = 0;
  for (int g0 = 0; g0 < l->groups; g0 += gpp) {
    int ng = l->groups - g0 < gpp ? l->groups - g0 : gpp;
    int64_t bricks = (ng * cg + L - 1) / L, passes = (ng * kg + RT - 1) / RT;
    total += passes * groups * bricks * l->r * l->s;
  }
  return total * l->n;
}

/* ---- running a case in both modes ----------------------------------------------- */

typedef struct Result {
  QaLayerStats st;
  int ok;
} Result;

/* Run a layer in LT and clocked modes; check outputs against the reference and the
** two modes against each other. Returns the LT stats in *res. */
static void run_both(const QaArchConfig *cfg, const QaLayer *l, const int32_t *act, const int32_t *wgt,
                     int a_bits, int w_bits, int a_signed, QaEncoder enc, Result *res) {
  int64_t no = qaLayerOutCount(l);
  int64_t *ref = malloc((size_t)no * sizeof *ref);
  int64_t *o1 = malloc((size_t)no * sizeof *o1), *o2 = malloc((size_t)no * sizeof *o2);
  qaRefConv(l, act, wgt, ref);
  QaLayerJob j1 = {l, act, wgt, a_bits, w_bits, a_signed, enc, o1}, j2 = j1;
  j2.out = o2;
  QaLayerStats s2;
  memset(&res->st, 0, sizeof res->st);
  memset(&s2, 0, sizeof s2);
  QaErr err = {0, ""};
  int rc1 = qaSimRunLayerC(cfg, QA_TIMING_LT, &j1, &res->st, &err);
  CHECK_MSG(rc1 == QA_OK, "%s", err.msg);
  int rc2 = qaSimRunLayerC(cfg, QA_TIMING_CYCLE, &j2, &s2, &err);
  CHECK_MSG(rc2 == QA_OK, "%s", err.msg);
  int64_t bad1 = 0, bad2 = 0;
  for (int64_t i = 0; i < no; i++) {
    bad1 += o1[i] != ref[i];
    bad2 += o2[i] != ref[i];
  }
  res->ok = rc1 == QA_OK && rc2 == QA_OK && bad1 == 0 && bad2 == 0;
  CHECK_MSG(bad1 == 0 && bad2 == 0,
            "%s: %lld/%lld mismatches (lt/cycle) of %lld; c%d h%d w%d k%d r%d s%d g%d a%d w%d enc %s",
            l->name, (long long)bad1, (long long)bad2, (long long)no, l->c, l->h, l->w, l->k, l->r, l->s,
            l->groups, a_bits, w_bits, qaEncoderName(enc));
  QaLayerStats *s1 = &res->st;
  CHECK_EQ_I64(s1->n_compute_cycles, s2.n_compute_cycles);
  CHECK_EQ_I64(s1->n_cycles, s2.n_cycles);
  CHECK_EQ_I64(s1->effectual_terms, s2.effectual_terms);
  CHECK_EQ_I64(s1->n_steps, s2.n_steps);
  CHECK_EQ_I64(s1->acc_overflows, 0);
  CHECK_EQ_I64(s1->macs, qaLayerMacs(l));
  CHECK_EQ_I64(s1->n_actions, s2.n_actions);
  for (int i = 0; i < s1->n_actions && i < s2.n_actions; i++) {
    CHECK(!strcmp(s1->actions[i].component, s2.actions[i].component));
    CHECK(!strcmp(s1->actions[i].action, s2.actions[i].action));
    CHECK_EQ_I64(s1->actions[i].a_bits, s2.actions[i].a_bits);
    CHECK_EQ_I64(s1->actions[i].count, s2.actions[i].count);
  }
  /* every term pair goes through one exponent adder and one decoder */
  CHECK_EQ_I64(qaStatsGetAction(s1, "exp_adder", "op"), s1->effectual_terms);
  CHECK(s1->pe_util > 0 && s1->pe_util <= 1.0 + 1e-12);
  free(ref);
  free(o1);
  free(o2);
}

/* Random codes of a b-bit operand: unsigned [0, 2^b - 1] or signed symmetric. */
static int32_t *rand_operand(QaRng *g, int64_t n, int bits, int is_signed, double zero_frac) {
  int32_t hi = is_signed ? (bits >= 2 ? (1 << (bits - 1)) - 1 : 1) : (1 << bits) - 1;
  return randCodes(g, n, is_signed ? -hi : 0, hi, zero_frac);
}

/* ---- SystemC: both modes in forked children --------------------------------------- */

#define N_SC 40

typedef struct ScCase {
  QaLayer l;
  int32_t *act, *wgt;
  int64_t *out;
  int a_bits, w_bits, a_signed;
} ScCase;

typedef struct ScCtx {
  ScCase *cases;
  QaEncoder enc;
  QaLayerJob job;
  QaLayerStats st;
  int64_t cycles[N_SC];
  int ok[N_SC];
} ScCtx;

static int sc_next(void *vctx, int idx, QaLayerJob **job, QaLayerStats **st, QaErr *err) {
  ScCtx *c = vctx;
  *job = NULL;
  if (idx >= N_SC) return QA_OK;
  ScCase *k = &c->cases[idx];
  QaLayerJob j = {&k->l, k->act, k->wgt, k->a_bits, k->w_bits, k->a_signed, c->enc, k->out};
  c->job = j;
  memset(&c->st, 0, sizeof c->st);
  *job = &c->job;
  *st = &c->st;
  return QA_OK;
}

static int sc_done(void *vctx, int idx, QaLayerJob *job, QaLayerStats *st, QaErr *err) {
  ScCtx *c = vctx;
  int64_t n = qaLayerOutCount(job->layer);
  int64_t *ref = malloc((size_t)n * sizeof *ref);
  qaRefConv(job->layer, job->act, job->wgt, ref);
  c->ok[idx] = !memcmp(ref, job->out, (size_t)n * sizeof *ref);
  c->cycles[idx] = st->n_cycles;
  free(ref);
  return QA_OK;
}

static int sc_run_mode(const QaArchConfig *cfg, QaTiming t, ScCase *cases, QaEncoder enc, int64_t *cycles,
                       int *ok) {
  int fd[2];
  if (pipe(fd)) return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    ScCtx c;
    memset(&c, 0, sizeof c);
    c.cases = cases;
    c.enc = enc;
    QaSimHooks h = {&c, sc_next, sc_done};
    QaErr err = {0, ""};
    int rc = qaSimRun(cfg, t, &h, &err);
    if (rc) fprintf(stderr, "child: %s\n", err.msg);
    if (write(fd[1], c.cycles, sizeof c.cycles) < 0 || write(fd[1], c.ok, sizeof c.ok) < 0) _exit(3);
    _exit(rc ? 1 : 0);
  }
  close(fd[1]);
  ssize_t a = read(fd[0], cycles, sizeof(int64_t) * N_SC);
  ssize_t b = read(fd[0], ok, sizeof(int) * N_SC);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return a == (ssize_t)(sizeof(int64_t) * N_SC) && b == (ssize_t)(sizeof(int) * N_SC) && WIFEXITED(status) &&
                 WEXITSTATUS(status) == 0
             ? 0
             : -1;
}

static void sc_check(const char *arch, Geo g, int sync, int bits, uint64_t seed) {
  QaArchConfig cfg;
  make_cfg(arch, g, sync, &cfg);
  ScCase cases[N_SC];
  QaRng r;
  qaRngSeed(&r, seed);
  for (int i = 0; i < N_SC; i++) {
    randLayer(&r, &cases[i].l, i);
    cases[i].a_bits = cases[i].w_bits = bits;
    cases[i].a_signed = i % 4 == 0;
    cases[i].act = rand_operand(&r, qaLayerActCount(&cases[i].l), bits, cases[i].a_signed, 0.4);
    cases[i].wgt = rand_operand(&r, qaLayerWgtCount(&cases[i].l), bits, 1, 0.1);
    cases[i].out = malloc((size_t)qaLayerOutCount(&cases[i].l) * sizeof(int64_t));
  }
  int64_t c_lt[N_SC], c_cy[N_SC];
  int ok_lt[N_SC], ok_cy[N_SC];
  CHECK_EQ_I64(sc_run_mode(&cfg, QA_TIMING_LT, cases, QA_ENC_BOOTH4, c_lt, ok_lt), 0);
  CHECK_EQ_I64(sc_run_mode(&cfg, QA_TIMING_CYCLE, cases, QA_ENC_BOOTH4, c_cy, ok_cy), 0);
  for (int i = 0; i < N_SC; i++) {
    CHECK_MSG(c_lt[i] == c_cy[i] && c_lt[i] > 0, "%s layer %d: lt %lld cycles, clocked %lld", arch, i,
              (long long)c_lt[i], (long long)c_cy[i]);
    CHECK_MSG(ok_lt[i] && ok_cy[i], "%s layer %d: SystemC outputs differ from the reference", arch, i);
    /* the C-only path agrees with the SystemC one */
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    QaErr err = {0, ""};
    QaLayerJob j = {&cases[i].l, cases[i].act,      cases[i].wgt,  bits,
                    bits,        cases[i].a_signed, QA_ENC_BOOTH4, cases[i].out};
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_OK);
    CHECK_EQ_I64(st.n_cycles, c_lt[i]);
  }
  for (int i = 0; i < N_SC; i++) {
    free(cases[i].act);
    free(cases[i].wgt);
    free(cases[i].out);
  }
}

/* ---- main -------------------------------------------------------------------------- */

int main(void) {
  QaErr err = {0, ""};
  const QaArchDesc *d;
  CHECK_EQ_I64(qaArchFind("Laconic", &d, &err), QA_OK);
  CHECK(d->summary && strlen(d->summary) > 20 && !strchr(d->summary, '\n'));
  QaArchConfig paper;
  qaCfgDefaults(d, &paper);
  CHECK_EQ_I64(qaCfgInt(&paper, "sync"), 3);
  CHECK_EQ_I64((int64_t)d->peak_macs(&paper), 65536);

  static const Geo geos[] = {{2, 3, 4, 4}, {3, 2, 3, 5}, {1, 4, 2, 8}, {2, 2, 5, 3}};
  QaRng g;
  qaRngSeed(&g, 20261122);
  int n_cases = 0, n_ok = 0;
  int64_t n_macs = 0;
  /* 1. Random layers: every scope, every bit-width, signed/unsigned activations,
  ** LT == clocked == naive rule, outputs == reference. */
  for (int it = 0; it < 320; it++) {
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
    Result res;
    run_both(&cfg, &l, act, wgt, a_bits, w_bits, a_signed, enc, &res);
    int64_t eff = 0;
    int64_t naive = naive_cycles(&l, act, wgt, enc, geo, sync, &eff);
    CHECK_MSG(res.st.n_compute_cycles == naive, "%s sync %d: kernel %lld cycles, naive rule %lld", l.name,
              sync, (long long)res.st.n_compute_cycles, (long long)naive);
    CHECK_EQ_I64(res.st.effectual_terms, eff);
    /* work bound and step bound */
    double lanes = (double)geo.tiles * geo.rows * geo.cols * geo.lanes;
    CHECK(res.st.n_compute_cycles >= (double)eff / lanes - 1e-9);
    CHECK(res.st.n_compute_cycles >= brick_steps(&l, geo));
    CHECK_EQ_I64(res.st.n_steps, brick_steps(&l, geo));
    n_cases++;
    n_ok += res.ok;
    n_macs += qaLayerMacs(&l);
    free(act);
    free(wgt);
  }
  printf("random layers: %d of %d equal to the reference in both modes (%lld MACs)\n", n_ok, n_cases,
         (long long)n_macs);

  /* 2. The paper geometry (16 x 16 x 16 x 16) on some layers, 8 and 16 bits. */
  for (int it = 0; it < 24; it++) {
    QaLayer l;
    randLayer(&g, &l, 1000 + it);
    int bits = it % 2 ? 16 : 8, sync = it % 4;
    int32_t *act = rand_operand(&g, qaLayerActCount(&l), bits, 0, 0.5);
    int32_t *wgt = rand_operand(&g, qaLayerWgtCount(&l), bits, 1, 0.1);
    QaArchConfig cfg = paper;
    set_int(&cfg, "sync", sync);
    Result res;
    run_both(&cfg, &l, act, wgt, bits, bits, 0, QA_ENC_BOOTH4, &res);
    int64_t eff;
    Geo pg = {16, 16, 16, 16};
    CHECK_EQ_I64(res.st.n_compute_cycles, naive_cycles(&l, act, wgt, QA_ENC_BOOTH4, pg, sync, &eff));
    free(act);
    free(wgt);
  }

  /* 2b. A wide fc layer: its weight term planes are built in several filter blocks
  ** (4 MiB buffer), with 32-bit sums at 8 bits and 64-bit sums at 16 bits. */
  for (int bits = 8; bits <= 16; bits += 8) {
    QaLayer l = {"wide", QA_LAYER_FC, 1, 6000, 1, 1, 300, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t *act = rand_operand(&g, qaLayerActCount(&l), bits, 0, 0.5);
    int32_t *wgt = rand_operand(&g, qaLayerWgtCount(&l), bits, 1, 0.1);
    Result res;
    run_both(&paper, &l, act, wgt, bits, bits, 0, QA_ENC_BOOTH4, &res);
    CHECK(res.ok);
    free(act);
    free(wgt);
  }

  /* 3. Properties on random layers. */
  for (int it = 0; it < 60; it++) {
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
      memset(&st, 0, sizeof st);
      int64_t *out = malloc((size_t)qaLayerOutCount(&l) * sizeof *out);
      QaLayerJob j = {&l, act, wgt, 8, 8, 0, QA_ENC_BOOTH4, out};
      CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_OK);
      cyc[sync] = st.n_compute_cycles;
      free(out);
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
    Result res;
    run_both(&cfg, &l, act, wgt, 8, 8, 0, QA_ENC_NAF, &res);
    CHECK_EQ_I64(res.st.n_compute_cycles, steps);
    /* all-zero activations: one cycle per step, no term pairs */
    memset(act, 0, (size_t)na * sizeof *act);
    run_both(&cfg, &l, act, wgt, 8, 8, 0, QA_ENC_BOOTH4, &res);
    CHECK_EQ_I64(res.st.n_compute_cycles, steps);
    CHECK_EQ_I64(res.st.effectual_terms, 0);
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
    Result res;
    run_both(&cfg, &l, act, wgt, 8, 8, 0, QA_ENC_BOOTH4, &res);
    CHECK_EQ_I64(res.st.n_compute_cycles, 4);
    CHECK_EQ_I64(res.st.effectual_terms, 4);
    /* popcount: 7 = 3 terms, 3 = 2 terms */
    run_both(&cfg, &l, act, wgt, 8, 8, 0, QA_ENC_POPCOUNT, &res);
    CHECK_EQ_I64(res.st.n_compute_cycles, 6);
  }

  /* 5. Accumulator wrap: outputs wrap to acc_bits and overflows are counted. */
  {
    QaArchConfig cfg = paper;
    set_int(&cfg, "acc_bits", 16);
    QaLayer l = {"fc", QA_LAYER_FC, 1, 64, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[64], wgt[128];
    int64_t out[2];
    for (int i = 0; i < 64; i++) {
      act[i] = 1000;
      wgt[i] = 1000;
      wgt[64 + i] = i % 2 ? 1 : -1;
    }
    for (int t = 0; t < 2; t++) {
      QaLayerJob j = {&l, act, wgt, 16, 16, 0, QA_ENC_BOOTH4, out};
      QaLayerStats st;
      memset(&st, 0, sizeof st);
      CHECK_EQ_I64(qaSimRunLayerC(&cfg, t ? QA_TIMING_CYCLE : QA_TIMING_LT, &j, &st, &err), QA_OK);
      CHECK_EQ_I64(st.acc_overflows, 1);
      CHECK_EQ_I64(out[0], (int16_t)(64000000 & 0xffff));
      CHECK_EQ_I64(out[1], 0);
    }
  }

  /* 6. Errors: parameters and values. */
  {
    QaArchConfig cfg = paper;
    CHECK_EQ_I64(qaCfgSetText(&cfg, "sync", "4", "cfg.yaml:2", &err), QA_EUSER);
    CHECK(strstr(err.msg, "cfg.yaml:2") && strstr(err.msg, "sync") && strstr(err.msg, "range"));
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
    set_int(&cfg, "tiles", 256);
    set_int(&cfg, "rows", 256);
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
