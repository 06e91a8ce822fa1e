/*
** modeltest.h - the shared harness of the architecture model tests:
**  - one layer run in both timing modes without SystemC, its outputs checked
**    against the integer reference and the clocked stats against the loosely-timed
**    ones (mtRunBoth), or loosely timed alone (mtRunLt);
**  - a list of random layers run through SystemC, one forked child per timing mode
**    (SystemC allows one simulation per process) that reports per-layer cycles,
**    stall cycles and output checks through a pipe; the parent compares the modes
**    and the C-only path (mtScCheck).
** Static inline functions only (a test uses what it needs without unused-function
** warnings); failures are counted by qatest.h.
*/
#ifndef QA_MODELTEST_H
#define QA_MODELTEST_H

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "arch/driver.h"
#include "qatest.h"
#include "randlayer.h"

/* Set the integer parameter `name` of cfg to v; a rejected value is a failed check
** that prints the config error. */
static inline void mtSetInt(QaArchConfig *cfg, const char *name, int v) {
  char buf[32];
  QaErr err = {0, ""};
  snprintf(buf, sizeof buf, "%d", v);
  CHECK_MSG(qaCfgSetText(cfg, name, buf, "test", &err) == QA_OK, "%s", err.msg);
}

/* Set several parameters of cfg from "name=value name=value ..." (values as in a
** config file); each rejected or malformed setting is a failed check printing the
** error. */
static inline void mtSetAll(QaArchConfig *cfg, const char *settings) {
  for (const char *p = settings; *p;) {
    size_t n = strcspn(p, " ");
    char tok[128];
    snprintf(tok, sizeof tok, "%.*s", (int)n, p);
    char *eq = strchr(tok, '=');
    CHECK_MSG(n > 0 && n < sizeof tok && eq, "setting '%s' is not name=value", tok);
    if (n > 0 && eq) {
      *eq = '\0';
      QaErr err = {0, ""};
      CHECK_MSG(qaCfgSetText(cfg, tok, eq + 1, "test", &err) == QA_OK, "%s", err.msg);
    }
    p += n;
    p += strspn(p, " ");
  }
}

/* The defaults of D with the first-layer reshape and FC column multiplexing off: the
** cycle rules these tests check are those of the layer as given, one window per column
** (tests/unit/test_reshape.c and test_fcmux.c test those two). */
static inline void mtDefaults(const QaArchDesc *d, QaArchConfig *cfg) {
  qaCfgDefaults(d, cfg);
  QaErr err = {0, ""};
  CHECK_MSG(qaCfgSetText(cfg, "first_layer_reshape", "false", "test", &err) == QA_OK, "%s", err.msg);
  if (qaCfgParamIndex(d, "fc_multiplex") >= 0)
    CHECK_MSG(qaCfgSetText(cfg, "fc_multiplex", "false", "test", &err) == QA_OK, "%s", err.msg);
  CHECK_MSG(qaCfgSetText(cfg, "weights_resident", "false", "test", &err) == QA_OK, "%s", err.msg);
}

/* Value of parameter NAME of cfg (aliases resolved); an unknown name is a failed check. */
static inline int mtParam(const QaArchConfig *cfg, const char *name) {
  int i = qaCfgParamIndex(cfg->desc, name);
  CHECK_MSG(i >= 0, "%s has no parameter '%s'", cfg->desc->name, name);
  return i >= 0 ? (int)qaCfgValue(cfg, i) : -1;
}

/* Count of action ACT ("op", "read_bits", "write_bits") of the component called COMP in
** cfg's architecture; an unknown component or action is a failed check (never a silent 0). */
static inline int64_t mtAction(const QaArchConfig *cfg, const QaLayerStats *st, const char *comp,
                               const char *act) {
  const QaArchDesc *d = cfg->desc;
  int kind = qaActKindParse(act), id = -1;
  for (int i = 0; i < d->n_comps; i++)
    if (!strcmp(d->comps[i].name, comp)) id = i;
  CHECK_MSG(id >= 0 && kind >= 0, "%s has no component '%s' or action '%s'", d->name, comp, act);
  return id >= 0 && kind >= 0 ? st->count[id][kind] : -1;
}

/* Random activation codes of a layer for p bits: unsigned [0, 2^p - 1] or, if sgn,
** two's complement [-2^(p-1), 2^(p-1) - 1]; a fraction `zeros` of zeros. Caller frees. */
static inline int32_t *mtRandAct(QaRng *g, const QaLayer *l, int p, int sgn, double zeros) {
  int32_t lo = sgn ? -(1 << (p - 1)) : 0, hi = sgn ? (1 << (p - 1)) - 1 : (1 << p) - 1;
  return randCodes(g, qaLayerActCount(l), lo, hi, zeros);
}

/* Random two's complement weight codes of a layer for q bits, 10% zeros. Caller frees. */
static inline int32_t *mtRandWgt(QaRng *g, const QaLayer *l, int q) {
  return randCodes(g, qaLayerWgtCount(l), -(1 << (q - 1)), (1 << (q - 1)) - 1, 0.1);
}

/* Check that a loosely-timed (lt) and a clocked (cy) quantity agree; what names it
** in the failure message. Returns 1 if equal. */
static inline int mtSame(const char *what, const QaArchConfig *cfg, const QaLayer *l, int64_t lt,
                         int64_t cy) {
  CHECK_MSG(lt == cy, "%s on %s: %s lt %lld, clocked %lld", cfg->desc->name, l->name, what, (long long)lt,
            (long long)cy);
  return lt == cy;
}

/* Run *job loosely timed without SystemC into *st (zeroed first); job->out is not
** used (the outputs go to a scratch buffer). If ref is not NULL the outputs must
** equal it. A return code other than QA_OK is a failed check printing the error.
** Returns the model's return code. */
static inline int mtRunLt(const QaArchConfig *cfg, const QaLayerJob *job, const int64_t *ref,
                          QaLayerStats *st) {
  int64_t no = qaLayerOutCount(job->layer);
  int64_t *o = malloc((size_t)(no ? no : 1) * sizeof *o);
  QaLayerJob j = *job;
  j.out = o;
  memset(st, 0, sizeof *st);
  QaErr err = {0, ""};
  int rc = qaSimRunLayerC(cfg, QA_TIMING_LT, &j, st, &err);
  CHECK_MSG(rc == QA_OK, "%s", err.msg);
  if (ref)
    CHECK_MSG(!memcmp(o, ref, (size_t)no * sizeof *o), "%s on %s: outputs differ from the reference",
              cfg->desc->name, job->layer->name);
  free(o);
  return rc;
}

/* Run *job in both timing modes without SystemC (job->out is not used: each mode
** writes a scratch buffer) and check: both return QA_OK; both outputs equal the
** integer reference (qaRefConv); the clocked stats equal the loosely-timed ones on
** cycles, compute cycles, steps, effectual terms, accumulator overflows and every
** action (component, action, a_bits, count). The loosely-timed stats go to *st.
** Returns 1 if all of that held, else 0. */
static inline int mtRunBoth(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st) {
  const QaLayer *l = job->layer;
  int64_t no = qaLayerOutCount(l);
  size_t nb = (size_t)(no ? no : 1) * sizeof(int64_t);
  int64_t *ref = malloc(nb), *o1 = malloc(nb), *o2 = malloc(nb);
  qaRefConv(l, job->act, job->wgt, ref);
  QaLayerJob j1 = *job, j2 = *job;
  j1.out = o1;
  j2.out = o2;
  QaLayerStats s2;
  memset(st, 0, sizeof *st);
  memset(&s2, 0, sizeof s2);
  QaErr err = {0, ""};
  int rc1 = qaSimRunLayerC(cfg, QA_TIMING_LT, &j1, st, &err);
  CHECK_MSG(rc1 == QA_OK, "%s", err.msg);
  int rc2 = qaSimRunLayerC(cfg, QA_TIMING_CYCLE, &j2, &s2, &err);
  CHECK_MSG(rc2 == QA_OK, "%s", err.msg);
  int64_t bad1 = 0, bad2 = 0;
  for (int64_t i = 0; i < no; i++) {
    bad1 += o1[i] != ref[i];
    bad2 += o2[i] != ref[i];
  }
  CHECK_MSG(
      bad1 == 0 && bad2 == 0,
      "%s on %s: %lld/%lld mismatches (lt/cycle) of %lld; a%d%s w%d enc %s; c%d h%d w%d k%d r%d s%d g%d",
      cfg->desc->name, l->name, (long long)bad1, (long long)bad2, (long long)no, job->a_bits,
      job->a_signed ? "s" : "u", job->w_bits, qaEncoderName(job->encoder), l->c, l->h, l->w, l->k, l->r, l->s,
      l->groups);
  int ok = rc1 == QA_OK && rc2 == QA_OK && bad1 == 0 && bad2 == 0;
  ok &= mtSame("compute cycles", cfg, l, st->n_compute_cycles, s2.n_compute_cycles);
  ok &= mtSame("cycles", cfg, l, st->n_cycles, s2.n_cycles);
  ok &= mtSame("steps", cfg, l, st->n_steps, s2.n_steps);
  ok &= mtSame("effectual terms", cfg, l, st->effectual_terms, s2.effectual_terms);
  ok &= mtSame("accumulator overflows", cfg, l, st->acc_overflows, s2.acc_overflows);
  for (int id = 0; id < QA_COMP_MAX; id++)
    for (int a = 0; a < QA_ACT_COUNT; a++) {
      if (!st->count[id][a] && !s2.count[id][a]) continue;
      char what[96];
      snprintf(what, sizeof what, "%s.%s count", id < cfg->desc->n_comps ? cfg->desc->comps[id].name : "?",
               qaActKindName((QaActKind)a));
      ok &= mtSame(what, cfg, l, st->count[id][a], s2.count[id][a]);
    }
  free(ref);
  free(o1);
  free(o2);
  return ok;
}

/* Accumulator wrap-around on cfg with acc_bits set to 16: an fc layer of 64 inputs
** (all 1000) and 2 filters (all 1000; alternating -1, +1) at a_bits x w_bits must,
** in both timing modes, return QA_OK, count one overflow and output the 16-bit
** two's-complement wrap of 64,000,000 and 0. */
static inline void mtCheckAccWrap(const QaArchConfig *cfg, int a_bits, int w_bits) {
  QaArchConfig nar = *cfg;
  mtSetInt(&nar, "acc_bits", 16);
  QaLayer l = {"fc", QA_LAYER_FC, 1, 64, 1, 1, 2, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
  int32_t act[64], wgt[128];
  int64_t out[2];
  for (int i = 0; i < 64; i++) {
    act[i] = 1000;
    wgt[i] = 1000;
    wgt[64 + i] = i % 2 ? 1 : -1;
  }
  for (int m = 0; m < 2; m++) {
    QaLayerJob j = {&l, act, wgt, a_bits, w_bits, 0, QA_ENC_BOOTH4, out};
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    QaErr err = {0, ""};
    CHECK_EQ_I64(qaSimRunLayerC(&nar, m ? QA_TIMING_CYCLE : QA_TIMING_LT, &j, &st, &err), QA_OK);
    CHECK_EQ_I64(st.acc_overflows, 1);
    CHECK_EQ_I64(out[0], (int16_t)(64000000 & 0xffff));
    CHECK_EQ_I64(out[1], 0);
  }
}

/* Code checks of a bit-serial model: a 4x4x4 conv with four 3x3 filters, 8-bit
** activations (signed if a_signed) and w_bits weights, all codes 0 but activation
** element elem = code, run loosely timed on cfg, must return want; on an error the
** message must contain each of the non-NULL strings s1, s2, s3. */
static inline void mtCheckCode(const QaArchConfig *cfg, int w_bits, int a_signed, int elem, int32_t code,
                               int want, const char *s1, const char *s2, const char *s3) {
  QaLayer l = {"p", QA_LAYER_CONV, 1, 4, 4, 4, 4, 3, 3, 1, 1, 1, 1, 1, 0, 0, "", ""};
  int32_t act[64] = {0}, wgt[144] = {0};
  int64_t out[64];
  act[elem] = code;
  QaLayerJob j = {&l, act, wgt, 8, w_bits, a_signed, QA_ENC_BOOTH4, out};
  QaLayerStats st;
  memset(&st, 0, sizeof st);
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaSimRunLayerC(cfg, QA_TIMING_LT, &j, &st, &err), want);
  if (want != QA_OK)
    CHECK_MSG((!s1 || strstr(err.msg, s1)) && (!s2 || strstr(err.msg, s2)) && (!s3 || strstr(err.msg, s3)),
              "code %d at element %d: message '%s'", (int)code, elem, err.msg);
}

/* ---- SystemC: one forked child per timing mode -------------------------------------- */

#define MT_SC_MAX 64 /* most layers in one mtScCheck */

/* One layer of a SystemC run. */
typedef struct MtCase {
  QaLayer l;
  int32_t *act, *wgt; /* operand codes, set by the MtGenFn; freed by mtScCheck */
  int64_t *out;       /* outputs; allocated and freed by mtScCheck */
  int a_bits, w_bits, a_signed;
  QaEncoder enc;
} MtCase;

/* Per-layer results of one timing mode, sent by the child through the pipe. */
typedef struct MtScOut {
  int64_t cycles[MT_SC_MAX]; /* cycles read from simulated time */
  int64_t stalls[MT_SC_MAX]; /* cycles waiting for memory */
  int ok[MT_SC_MAX];         /* 1 if the outputs equal the reference */
} MtScOut;

typedef struct MtScCtx {
  const MtCase *cases;
  int n;
  QaLayerJob job;
  QaLayerStats st;
  MtScOut out;
} MtScCtx;

/* The job of a case (outputs into k->out). */
static inline QaLayerJob mtCaseJob(const MtCase *k) {
  QaLayerJob j = {&k->l, k->act, k->wgt, k->a_bits, k->w_bits, k->a_signed, k->enc, k->out};
  return j;
}

/* next_job hook: case idx, or no job past the last one. */
static inline int mtScNext(void *vctx, int idx, QaLayerJob **job, QaLayerStats **st, QaErr *err) {
  MtScCtx *c = vctx;
  *job = NULL;
  if (idx >= c->n) return QA_OK;
  c->job = mtCaseJob(&c->cases[idx]);
  memset(&c->st, 0, sizeof c->st);
  *job = &c->job;
  *st = &c->st;
  return QA_OK;
}

/* job_done hook: record the cycles, stalls and whether the outputs equal the reference. */
static inline int mtScDone(void *vctx, int idx, QaLayerJob *job, QaLayerStats *st, QaErr *err) {
  MtScCtx *c = vctx;
  int64_t n = qaLayerOutCount(job->layer);
  int64_t *ref = malloc((size_t)(n ? n : 1) * sizeof *ref);
  qaRefConv(job->layer, job->act, job->wgt, ref);
  c->out.ok[idx] = !memcmp(ref, job->out, (size_t)n * sizeof *ref);
  c->out.cycles[idx] = st->n_cycles;
  c->out.stalls[idx] = st->n_stall_cycles;
  free(ref);
  return QA_OK;
}

/* Run cases[0..n) through SystemC in timing mode t in a forked child; its per-layer
** results go to *out. Returns 0, or -1 if the pipe or fork failed, the simulation
** failed (the child prints the error) or the results did not all arrive. */
static inline int mtScRunMode(const QaArchConfig *cfg, QaTiming t, const MtCase *cases, int n, MtScOut *out) {
  int fd[2];
  if (pipe(fd)) return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(fd[0]);
    close(fd[1]);
    return -1;
  }
  if (pid == 0) {
    close(fd[0]);
    MtScCtx *c = calloc(1, sizeof *c);
    if (!c) _exit(2);
    c->cases = cases;
    c->n = n;
    QaSimHooks h = {c, mtScNext, mtScDone};
    QaErr err = {0, ""};
    int rc = qaSimRun(cfg, t, &h, &err);
    if (rc) fprintf(stderr, "child: %s\n", err.msg);
    if (write(fd[1], &c->out, sizeof c->out) != (ssize_t)sizeof c->out) _exit(3);
    _exit(rc ? 1 : 0);
  }
  close(fd[1]);
  size_t got = 0;
  while (got < sizeof *out) {
    ssize_t r = read(fd[0], (char *)out + got, sizeof *out - got);
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return got == sizeof *out && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Fill case k (number i; its layer k->l is already drawn from g) with precisions,
** encoder and operand codes (malloc'ed, owned by the case), drawing from g; arg is
** the caller's. */
typedef void (*MtGenFn)(QaRng *g, MtCase *k, int i, const void *arg);

/* Draw n random layers from a stream seeded with seed: for each, randLayer then
** gen. Run them through SystemC in both timing modes (a child each) and check: both
** runs succeed; per layer the two modes report the same cycles (> 0) and the same
** stall cycles, both outputs equal the reference, and the C-only loosely-timed path
** gives the same cycles and stall cycles. n outside 1..MT_SC_MAX is a failed check
** (at most MT_SC_MAX layers run). Returns the layers' total loosely-timed stall
** cycles. */
static inline int64_t mtScCheck(const QaArchConfig *cfg, int n, uint64_t seed, MtGenFn gen, const void *arg) {
  const char *name = cfg->desc->name;
  CHECK(n > 0 && n <= MT_SC_MAX);
  if (n > MT_SC_MAX) n = MT_SC_MAX;
  MtCase *cases = calloc((size_t)(n > 0 ? n : 1), sizeof *cases);
  MtScOut *lt = calloc(1, sizeof *lt), *cy = calloc(1, sizeof *cy);
  QaRng g;
  qaRngSeed(&g, qaTestSeed(seed));
  for (int i = 0; i < n; i++) {
    randLayer(&g, &cases[i].l, i);
    gen(&g, &cases[i], i, arg);
    cases[i].out = malloc((size_t)qaLayerOutCount(&cases[i].l) * sizeof(int64_t));
  }
  CHECK_EQ_I64(mtScRunMode(cfg, QA_TIMING_LT, cases, n, lt), 0);
  CHECK_EQ_I64(mtScRunMode(cfg, QA_TIMING_CYCLE, cases, n, cy), 0);
  int64_t total_stall = 0;
  QaMemCarry carry = {0, 0}; /* the C path runs the layers as one run too */
  for (int i = 0; i < n; i++) {
    CHECK_MSG(lt->cycles[i] == cy->cycles[i] && lt->cycles[i] > 0,
              "systemc %s layer %d: lt %lld cycles, clocked %lld", name, i, (long long)lt->cycles[i],
              (long long)cy->cycles[i]);
    CHECK_MSG(lt->stalls[i] == cy->stalls[i], "systemc %s layer %d: lt %lld stall cycles, clocked %lld", name,
              i, (long long)lt->stalls[i], (long long)cy->stalls[i]);
    CHECK_MSG(lt->ok[i] && cy->ok[i], "systemc %s layer %d: outputs differ from the reference", name, i);
    total_stall += lt->stalls[i];
    /* the C-only path agrees with the SystemC one */
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    QaLayerJob j = mtCaseJob(&cases[i]);
    QaErr err = {0, ""};
    CHECK_MSG(qaSimRunLayerCarry(cfg, QA_TIMING_LT, &j, &st, &carry, &err) == QA_OK, "%s", err.msg);
    CHECK_EQ_I64(st.n_cycles, lt->cycles[i]);
    CHECK_EQ_I64(st.n_stall_cycles, lt->stalls[i]);
  }
  for (int i = 0; i < n; i++) {
    free(cases[i].act);
    free(cases[i].wgt);
    free(cases[i].out);
  }
  free(cases);
  free(lt);
  free(cy);
  return total_stall;
}

/* MtGenFn of the bit-serial tests: case i has a_bits 1 + i % 16, w_bits
** 1 + 5i % 16, every third signed, 30% zero activations, booth4. */
static inline void mtGenMixedBits(QaRng *g, MtCase *k, int i, const void *arg) {
  k->a_bits = 1 + i % 16;
  k->w_bits = 1 + (i * 5) % 16;
  k->a_signed = i % 3 == 0;
  k->enc = QA_ENC_BOOTH4;
  k->act = mtRandAct(g, &k->l, k->a_bits, k->a_signed, 0.3);
  k->wgt = mtRandWgt(g, &k->l, k->w_bits);
}

#endif /* QA_MODELTEST_H */
