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
**  - through SystemC (a forked child per timing mode): 40 random layers, identical
**    cycles in both modes, outputs equal to the reference.
*/
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "arch/sim.h"
#include "qatest.h"
#include "randlayer.h"

static void set_int(QaArchConfig *cfg, const char *name, int v) {
  char buf[32];
  QaErr err = {0, ""};
  snprintf(buf, sizeof buf, "%d", v);
  CHECK_MSG(qaCfgSetText(cfg, name, buf, "test", &err) == QA_OK, "%s", err.msg);
}

/* The Stripes rule, from the layer geometry alone. */
static int64_t expected_cycles(const QaLayer *l, int lanes, int rows, int cols, int p) {
  int cg = l->c / l->groups, kg = l->k / l->groups;
  int gpp = cg < lanes ? lanes / cg : 1;
  if (gpp > l->groups) gpp = l->groups;
  int64_t win = (int64_t)qaLayerOutH(l) * qaLayerOutW(l);
  int64_t groups = (win + cols - 1) / cols;
  int64_t total = 0;
  for (int g0 = 0; g0 < l->groups; g0 += gpp) {
    int ng = l->groups - g0 < gpp ? l->groups - g0 : gpp;
    int64_t bricks = (ng * cg + lanes - 1) / lanes;
    int64_t passes = (ng * kg + rows - 1) / rows;
    total += passes * groups * l->r * l->s * bricks * p;
  }
  return total * l->n;
}

/* Random codes that fit the precisions: unsigned or two's complement activations,
** two's complement weights. */
static int32_t *rand_act(QaRng *g, const QaLayer *l, int p, int sgn, double zeros) {
  int32_t lo = sgn ? -(1 << (p - 1)) : 0, hi = sgn ? (1 << (p - 1)) - 1 : (1 << p) - 1;
  return randCodes(g, qaLayerActCount(l), lo, hi, zeros);
}
static int32_t *rand_wgt(QaRng *g, const QaLayer *l, int q) {
  return randCodes(g, qaLayerWgtCount(l), -(1 << (q - 1)), (1 << (q - 1)) - 1, 0.1);
}

/* Run a layer in both modes; check outputs against the reference and the two modes
** against each other. Returns the LT stats in *out_st. */
static void run_case(const QaArchConfig *cfg, const QaLayer *l, const int32_t *act, const int32_t *wgt,
                     int a_bits, int w_bits, int sgn, QaLayerStats *out_st) {
  int64_t no = qaLayerOutCount(l);
  int64_t *ref = malloc((size_t)no * sizeof *ref);
  int64_t *o1 = malloc((size_t)no * sizeof *o1), *o2 = malloc((size_t)no * sizeof *o2);
  qaRefConv(l, act, wgt, ref);
  QaLayerJob j1 = {l, act, wgt, a_bits, w_bits, sgn, QA_ENC_BOOTH4, o1}, j2 = j1;
  j2.out = o2;
  QaLayerStats s1, s2;
  memset(&s1, 0, sizeof s1);
  memset(&s2, 0, sizeof s2);
  QaErr err = {0, ""};
  CHECK_MSG(qaSimRunLayerC(cfg, QA_TIMING_LT, &j1, &s1, &err) == QA_OK, "%s", err.msg);
  CHECK_MSG(qaSimRunLayerC(cfg, QA_TIMING_CYCLE, &j2, &s2, &err) == QA_OK, "%s", err.msg);
  int64_t bad1 = 0, bad2 = 0;
  for (int64_t i = 0; i < no; i++) {
    bad1 += o1[i] != ref[i];
    bad2 += o2[i] != ref[i];
  }
  CHECK_MSG(bad1 == 0 && bad2 == 0,
            "%s: %lld/%lld mismatches (lt/cycle) of %lld; a%d%s w%d c%d h%d w%d k%d r%d s%d g%d", l->name,
            (long long)bad1, (long long)bad2, (long long)no, a_bits, sgn ? "s" : "u", w_bits, l->c, l->h,
            l->w, l->k, l->r, l->s, l->groups);
  CHECK_EQ_I64(s1.n_cycles, s2.n_cycles);
  CHECK_EQ_I64(s1.n_compute_cycles, s2.n_compute_cycles);
  CHECK_EQ_I64(s1.n_steps, s2.n_steps);
  CHECK_EQ_I64(s1.acc_overflows, s2.acc_overflows);
  CHECK_EQ_I64(s1.n_actions, s2.n_actions);
  for (int i = 0; i < s1.n_actions && i < s2.n_actions; i++) {
    CHECK(!strcmp(s1.actions[i].component, s2.actions[i].component));
    CHECK(!strcmp(s1.actions[i].action, s2.actions[i].action));
    CHECK_EQ_I64(s1.actions[i].count, s2.actions[i].count);
  }
  *out_st = s1;
  free(ref);
  free(o1);
  free(o2);
}

static void check_rule(const QaArchConfig *cfg, const QaLayer *l, const QaLayerStats *st, int p) {
  int lanes = qaCfgInt(cfg, "lanes"), cols = qaCfgInt(cfg, "windows");
  int rows = qaCfgInt(cfg, "tiles") * qaCfgInt(cfg, "filters_per_tile");
  CHECK_EQ_I64(st->n_compute_cycles, expected_cycles(l, lanes, rows, cols, p));
  CHECK_EQ_I64(st->n_compute_cycles, st->n_steps * p);
  CHECK_EQ_I64(st->macs, qaLayerMacs(l));
  CHECK_EQ_I64(st->effectual_terms, -1);
  CHECK_MSG(st->pe_util > 0 && st->pe_util <= 1.0 + 1e-12, "pe_util %g", st->pe_util);
  /* Work bound: every product needs p lane-cycles. */
  CHECK((double)st->n_compute_cycles * lanes * rows * cols >= (double)st->macs * p - 1e-6);
  /* Every SIP lane of an active column and row ANDs one bit per cycle; the SIPs do
  ** at least the layer's products times p. */
  int64_t sip_cycles = qaStatsGetAction(st, "acc", "op");
  CHECK_EQ_I64(qaStatsGetAction(st, "and", "op"), sip_cycles * lanes);
  CHECK_EQ_I64(qaStatsGetAction(st, "adder_tree", "op"), sip_cycles);
  CHECK(sip_cycles * lanes >= st->macs * p);
  CHECK(qaStatsGetAction(st, "sb", "read_bits") > 0 && qaStatsGetAction(st, "nm", "read_bits") > 0);
}

/* ---- SystemC: one child per timing mode ------------------------------------------ */
#define N_SC 40

typedef struct ScCase {
  QaLayer l;
  int32_t *act, *wgt;
  int64_t *out;
  int a_bits, w_bits, sgn;
} ScCase;

typedef struct ScCtx {
  ScCase *cases;
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
  QaLayerJob j = {&k->l, k->act, k->wgt, k->a_bits, k->w_bits, k->sgn, QA_ENC_BOOTH4, k->out};
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

static int sc_run(const QaArchConfig *cfg, QaTiming t, ScCase *cases, int64_t *cycles, int *ok) {
  int fd[2];
  if (pipe(fd)) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    ScCtx c;
    memset(&c, 0, sizeof c);
    c.cases = cases;
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

static void check_systemc(const QaArchConfig *cfg, uint64_t seed) {
  ScCase cases[N_SC];
  QaRng g;
  qaRngSeed(&g, seed);
  for (int i = 0; i < N_SC; i++) {
    ScCase *k = &cases[i];
    randLayer(&g, &k->l, i);
    k->a_bits = 1 + i % 16;
    k->w_bits = 1 + (i * 5) % 16;
    k->sgn = i % 3 == 0;
    k->act = rand_act(&g, &k->l, k->a_bits, k->sgn, 0.3);
    k->wgt = rand_wgt(&g, &k->l, k->w_bits);
    k->out = malloc((size_t)qaLayerOutCount(&k->l) * sizeof(int64_t));
  }
  int64_t c_lt[N_SC], c_cy[N_SC];
  int ok_lt[N_SC], ok_cy[N_SC];
  CHECK_EQ_I64(sc_run(cfg, QA_TIMING_LT, cases, c_lt, ok_lt), 0);
  CHECK_EQ_I64(sc_run(cfg, QA_TIMING_CYCLE, cases, c_cy, ok_cy), 0);
  for (int i = 0; i < N_SC; i++) {
    CHECK_MSG(c_lt[i] == c_cy[i] && c_lt[i] > 0, "systemc layer %d: lt %lld cycles, clocked %lld", i,
              (long long)c_lt[i], (long long)c_cy[i]);
    CHECK_MSG(ok_lt[i] && ok_cy[i], "systemc layer %d: outputs differ from the reference", i);
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    QaErr err = {0, ""};
    QaLayerJob j = {&cases[i].l, cases[i].act, cases[i].wgt, cases[i].a_bits, cases[i].w_bits,
                    cases[i].sgn, QA_ENC_BOOTH4, cases[i].out};
    CHECK_EQ_I64(qaSimRunLayerC(cfg, QA_TIMING_LT, &j, &st, &err), QA_OK);
    CHECK_EQ_I64(st.n_cycles, c_lt[i]);
  }
  for (int i = 0; i < N_SC; i++) {
    free(cases[i].act);
    free(cases[i].wgt);
    free(cases[i].out);
  }
}

int main(void) {
  const QaArchDesc *d, *ddn;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind("Stripes", &d, &err), QA_OK);
  CHECK(!strcmp(d->name, "stripes"));
  CHECK_EQ_I64(qaArchFind("dadiannao", &ddn, &err), QA_OK);

  /* Paper defaults and their bit-parallel-equivalent peak. */
  QaArchConfig paper, small, odd, narrow1, ddn_cfg;
  qaCfgDefaults(d, &paper);
  CHECK_EQ_I64(qaCfgInt(&paper, "tiles"), 16);
  CHECK_EQ_I64(qaCfgInt(&paper, "filters_per_tile"), 16);
  CHECK_EQ_I64(qaCfgInt(&paper, "windows"), 16);
  CHECK_EQ_I64(qaCfgInt(&paper, "lanes"), 16);
  CHECK_EQ_I64(qaCfgInt(&paper, "datapath_bits"), 16);
  CHECK_EQ_I64(qaCfgInt(&paper, "sb_kib"), 2048);
  CHECK_EQ_I64(qaCfgInt(&paper, "nm_kib"), 4096);
  CHECK(d->peak_macs(&paper) == 4096.0);
  /* Small arrays: several passes, ragged bricks and window groups. */
  qaCfgDefaults(d, &small);
  set_int(&small, "tiles", 2);
  set_int(&small, "filters_per_tile", 3);
  set_int(&small, "windows", 5);
  set_int(&small, "lanes", 4);
  qaCfgDefaults(d, &odd);
  set_int(&odd, "tiles", 1);
  set_int(&odd, "filters_per_tile", 5);
  set_int(&odd, "windows", 3);
  set_int(&odd, "lanes", 7);
  CHECK_EQ_I64(qaCfgSetText(&odd, "dram_gbps", "0", "test", &err), QA_OK);
  /* One window per tile: DaDianNao's organisation, p_a cycles per brick. */
  qaCfgDefaults(d, &narrow1);
  set_int(&narrow1, "tiles", 2);
  set_int(&narrow1, "filters_per_tile", 2);
  set_int(&narrow1, "windows", 1);
  set_int(&narrow1, "lanes", 8);
  qaCfgDefaults(ddn, &ddn_cfg);
  set_int(&ddn_cfg, "tiles", 2);
  set_int(&ddn_cfg, "filters_per_tile", 2);
  set_int(&ddn_cfg, "lanes", 8);

  QaRng g;
  qaRngSeed(&g, 20261123);
  int n_signed = 0, seen_a[17] = {0}, seen_w[17] = {0};
  for (int it = 0; it < 320; it++) {
    QaLayer l;
    randLayer(&g, &l, it);
    CHECK_EQ_I64(qaLayerValidate(&l, &err), QA_OK);
    const QaArchConfig *cfg = it % 3 == 0 ? &small : it % 3 == 1 ? &odd : &paper;
    int p = 1 + it % 16, q = 1 + (it * 7 + it / 16) % 16, sgn = it % 4 == 3;
    seen_a[p]++;
    seen_w[q]++;
    n_signed += sgn;
    int32_t *act = rand_act(&g, &l, p, sgn, 0.3);
    int32_t *wgt = rand_wgt(&g, &l, q);
    QaLayerStats st;
    run_case(cfg, &l, act, wgt, p, q, sgn, &st);
    check_rule(cfg, &l, &st, p);
    if (it % 5 == 0) {
      /* windows = 1: exactly p_a x DaDianNao (same tiles, rows, lanes) */
      QaLayerStats s1, s2;
      run_case(&narrow1, &l, act, wgt, p, q, sgn, &s1);
      check_rule(&narrow1, &l, &s1, p);
      int64_t *o = malloc((size_t)qaLayerOutCount(&l) * sizeof *o);
      QaLayerJob j = {&l, act, wgt, p, q, sgn, QA_ENC_BOOTH4, o};
      memset(&s2, 0, sizeof s2);
      CHECK_EQ_I64(qaSimRunLayerC(&ddn_cfg, QA_TIMING_LT, &j, &s2, &err), QA_OK);
      CHECK_EQ_I64(s1.n_compute_cycles, s2.n_compute_cycles * p);
      free(o);
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
    QaLayerStats st;
    run_case(&paper, &l, act, wgt, 4, 4, 1, &st);
    CHECK_EQ_I64(st.n_compute_cycles, 4);
    CHECK_EQ_I64(qaStatsGetAction(&st, "and", "op"), 4 * 2 * 16);
    CHECK_EQ_I64(qaStatsGetAction(&st, "sb", "read_bits"), 2 * 16 * 16);
    CHECK_EQ_I64(qaStatsGetAction(&st, "nm", "read_bits"), 16 * 4);
  }

  /* Bad inputs: weights wider than the datapath, activations that do not fit. */
  {
    QaLayer l = {"p", QA_LAYER_CONV, 1, 4, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 0, 0, "", ""};
    int32_t act[64] = {0}, wgt[144] = {0};
    int64_t out[64];
    QaLayerJob j = {&l, act, wgt, 8, 16, 0, QA_ENC_BOOTH4, out};
    QaLayerStats st;
    QaArchConfig w8 = paper;
    set_int(&w8, "datapath_bits", 8);
    memset(&st, 0, sizeof st);
    CHECK_EQ_I64(qaSimRunLayerC(&w8, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "8-bit weights") && strstr(err.msg, "16-bit"));
    j.w_bits = 8;
    act[5] = 256;
    CHECK_EQ_I64(qaSimRunLayerC(&paper, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "code 256") && strstr(err.msg, "element 5") && strstr(err.msg, "8-bit unsigned"));
    act[5] = -1;
    CHECK_EQ_I64(qaSimRunLayerC(&paper, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "code -1") && strstr(err.msg, "unsigned"));
    j.a_signed = 1;
    act[5] = -128;
    CHECK_EQ_I64(qaSimRunLayerC(&paper, QA_TIMING_LT, &j, &st, &err), QA_OK);
    act[5] = 128;
    CHECK_EQ_I64(qaSimRunLayerC(&paper, QA_TIMING_LT, &j, &st, &err), QA_EUSER);
    CHECK(strstr(err.msg, "8-bit signed") && strstr(err.msg, "-128..127"));
  }

  /* Accumulator wrap: the outputs are the two's-complement wrap of the exact value
  ** in both modes, and the overflow is counted. */
  {
    QaArchConfig nar = paper;
    set_int(&nar, "acc_bits", 16);
    QaLayer l = {"fc", QA_LAYER_FC, 1, 64, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
    int32_t act[64], wgt[128];
    int64_t out[2];
    for (int i = 0; i < 64; i++) {
      act[i] = 1000;
      wgt[i] = 1000;
      wgt[64 + i] = i % 2 ? 1 : -1;
    }
    for (int m = 0; m < 2; m++) {
      QaLayerJob j = {&l, act, wgt, 10, 11, 0, QA_ENC_BOOTH4, out};
      QaLayerStats st;
      memset(&st, 0, sizeof st);
      CHECK_EQ_I64(qaSimRunLayerC(&nar, m ? QA_TIMING_CYCLE : QA_TIMING_LT, &j, &st, &err), QA_OK);
      CHECK_EQ_I64(st.acc_overflows, 1);
      CHECK_EQ_I64(out[0], (int16_t)(64000000 & 0xffff));
      CHECK_EQ_I64(out[1], 0);
    }
  }

  /* Config errors name the origin and the parameter. */
  CHECK_EQ_I64(qaCfgSetText(&small, "windows", "0", "cfg.yaml:3", &err), QA_EUSER);
  CHECK(strstr(err.msg, "cfg.yaml:3") && strstr(err.msg, "windows"));
  CHECK_EQ_I64(qaCfgSetText(&small, "datapath_bits", "17", "cfg.yaml:4", &err), QA_EUSER);
  CHECK_EQ_I64(qaCfgSetText(&small, "first_stage_bits", "2", "cfg.yaml:5", &err), QA_EUSER);
  CHECK(strstr(err.msg, "unknown parameter 'first_stage_bits'"));

  /* Through SystemC, with ragged groups and a slow DRAM that stalls. */
  QaArchConfig sc = small;
  CHECK_EQ_I64(qaCfgSetText(&sc, "dram_gbps", "2", "test", &err), QA_OK);
  CHECK_EQ_I64(qaCfgSetText(&sc, "sb_kib", "1", "test", &err), QA_OK);
  check_systemc(&sc, 77);
  return TEST_DONE();
}
