/*
** test_stream.c - streamed weights (issue 12): a big layer's weights made, quantized,
** simulated, verified and summarised window by window give exactly the materialised
** layer's results.
**  - the parts: the synthetic weight stream in parts (workloads/synth.h), per-channel
**    quantizers part by part (quant.h qaQuantizePart: codes, scales, SQNR), value
**    statistics added part by part (qaValueStatsAdd);
**  - every architecture's kernel on a job whose weights come from a source (arch.h
**    QaWgtSource): fc layers with channels a multiple of the lanes and not, a conv and a
**    grouped and a depthwise layer, windows of 1, 3, 5 (not dividing K), 6 and 16
**    filters: outputs and every stat equal the whole-array job's, in both timing modes;
**    the source sees each filter once, in order;
**  - a code a kernel cannot take inside a window (khot-laconic terms, onehot-dadiannao
**    one-hot, laconic range) and a failing source: the same error as the whole-array
**    check, in both timing modes;
**  - whole runs (sim/run.c, $QASIM_STREAM_MIN's option forced to 1) on every architecture
**    and at two window sizes: every stored row equals the materialised run's - on 2
**    threads, on 1 thread through the SystemC model, and clocked (cycles, outputs
**    verified, action counts, energy, SQNR, value statistics); and an error inside a
**    window has the materialised message through both drivers.
** SystemC allows one simulation per process, so each one-thread run is a child process.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/driver.h"
#include "dbpeek.h"
#include "modeltest.h"
#include "qatest.h"
#include "quant/quant.h"
#include "quant/valstats.h"
#include "sim/run.h"
#include "sim/values.h"
#include "workloads/synth.h"

#define NET QA_TEST_DATA "/nets/stream.yaml"

/* ---- the parts --------------------------------------------------------------------- */

static void checkSynthParts(void) {
  QaLayer l = {"fc", QA_LAYER_FC, 1, 123, 1, 1, 81, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
  int64_t nw = qaLayerWgtCount(&l), na = qaLayerActCount(&l);
  float *whole = malloc((size_t)nw * sizeof(float)), *parts = malloc((size_t)nw * sizeof(float));
  float *act = malloc((size_t)na * sizeof(float)), *act2 = malloc((size_t)na * sizeof(float));
  for (int dist = 0; dist < 2; dist++) {
    QaSynthSpec sp;
    qaSynthDefaults(&sp);
    sp.seed = 7;
    sp.wgt_dist = dist ? QA_DIST_GAUSS : QA_DIST_LAPLACE;
    qaSynthLayer(&sp, &l, 3, act, whole);
    QaSynthWgt w;
    qaSynthWgtBegin(&sp, &l, 3, &w);
    for (int64_t i = 0, step = 1; i < nw; i += step, step = step * 3 + 1)
      qaSynthWgtNext(&w, parts + i, i + step <= nw ? step : nw - i);
    qaSynthActs(&sp, &l, 3, act2);
    CHECK_MSG(!memcmp(whole, parts, (size_t)nw * sizeof(float)), "weights in parts differ (dist %d)", dist);
    CHECK(!memcmp(act, act2, (size_t)na * sizeof(float)));
  }
  free(whole);
  free(parts);
  free(act);
  free(act2);
}

static void checkQuantParts(void) {
  /* per channel; per tensor minmax (a first pass finds the clip) */
  static const char *const specs[] = {"sym-ch",       "sym-ch-mse", "unsigned-ch", "pow2-ch",   "khot2-ch",
                                      "khot3-naf-ch", "fixed-ch",   "ternary-ch",  "binary-ch", "sym-ch",
                                      "sym",          "unsigned",   "pow2",        "pow2-u",    "khot2",
                                      "khot3-naf",    "fixed",      "fixed-u",     "sym"};
  enum { K = 29, PER = 37 };
  float x[K * PER];
  int32_t c1[K * PER], c2[K * PER];
  QaRng g;
  qaRngSeed(&g, 11);
  for (int i = 0; i < K * PER; i++) x[i] = (float)qaRngLaplaceZ(&g, 0.3);
  for (int i = 0; i < PER; i++) x[5 * PER + i] = 0; /* an all-zero channel */
  for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
    QaQuantSpec q;
    QaQuantResult whole, part;
    QaErr err = {0, ""};
    size_t n_specs = sizeof specs / sizeof specs[0];
    int bits = s == 9 || s + 1 == n_specs ? 3 : 8; /* (sym at 3 bits: clipped codes) */
    CHECK(qaQuantParse(specs[s], &q, &err) == QA_OK);
    CHECK_MSG(qaQuantStreamable(&q), "%s", specs[s]);
    CHECK_MSG(qaQuantize(&q, bits, x, K * PER, K, c1, &whole, &err) == QA_OK, "%s", err.msg);
    double clip = -1, sq = 0;
    if (!q.per_channel) /* the first pass: the largest value, part by part */
      for (int k0 = 0, nk = 1; k0 < K; k0 += nk, nk = nk % 5 + 2) {
        if (k0 + nk > K) nk = K - k0;
        double c = qaQuantClip(&q, x + k0 * PER, nk * PER);
        clip = c > clip ? c : clip;
      }
    QaQuantSums sums;
    memset(&sums, 0, sizeof sums);
    int same = 1;
    for (int k0 = 0, nk = 1; k0 < K; k0 += nk, nk = nk % 5 + 2) {
      if (k0 + nk > K) nk = K - k0;
      CHECK(qaQuantizePart(&q, bits, x + k0 * PER, nk * PER, nk, clip, c2 + k0 * PER, &part, &sums, &err) ==
            QA_OK);
      for (int j = 0; j < nk; j++)
        same &= part.scales[q.per_channel ? j : 0] == whole.scales[q.per_channel ? k0 + j : 0];
      sq = part.sqnr_db;
      qaQuantResultFree(&part);
    }
    CHECK_MSG(same && !memcmp(c1, c2, sizeof c1), "%s: codes or scales in parts differ", specs[s]);
    CHECK_MSG(qaQuantSumsDb(&sums) == whole.sqnr_db && sq == whole.sqnr_db, "%s: SQNR %.17g vs %.17g",
              specs[s], qaQuantSumsDb(&sums), whole.sqnr_db);
    qaQuantResultFree(&whole);
  }
  /* per tensor, a scale that needs every value: not streamable */
  static const char *const whole_only[] = {"sym-mse", "unsigned-mse", "fixed-mse", "ternary", "binary"};
  for (size_t s = 0; s < sizeof whole_only / sizeof whole_only[0]; s++) {
    QaQuantSpec q;
    QaErr err = {0, ""};
    CHECK(qaQuantParse(whole_only[s], &q, &err) == QA_OK);
    CHECK_MSG(!qaQuantStreamable(&q), "%s", whole_only[s]);
  }
}

static void checkStatsParts(void) {
  enum { N = 5000 };
  int32_t v[N];
  QaRng g;
  qaRngSeed(&g, 5);
  for (int i = 0; i < N; i++) v[i] = qaRngUniform(&g) < 0.2 ? 0 : (int32_t)qaRngRange(&g, -32767, 32767);
  QaValueStats whole, parts;
  qaValueStatsCompute(v, N, &whole);
  memset(&parts, 0, sizeof parts);
  for (int i = 0, step = 1; i < N; i += step, step *= 2)
    qaValueStatsAdd(v + i, i + step <= N ? step : N - i, &parts);
  CHECK(!memcmp(&whole, &parts, sizeof whole));
}

/* ---- kernels ------------------------------------------------------------------------- */

/* A source serving windows of a whole array, checking the engine's requests. */
typedef struct Src {
  const QaLayer *l;
  const int32_t *wgt;
  int next;     /* the filter the next request must start at */
  int fail_at;  /* >= 0: fail the request containing this filter */
  int requests; /* served */
} Src;

static int srcFetch(void *ctx, int k0, int nk, const int32_t **codes, QaErr *err) {
  Src *s = ctx;
  CHECK_MSG(k0 == s->next && nk >= 1 && k0 + nk <= s->l->k, "window %d+%d, expected %d", k0, nk, s->next);
  s->next = k0 + nk;
  s->requests++;
  if (s->fail_at >= k0 && s->fail_at < k0 + nk)
    return qaErrSet(err, QA_EUSER, "source failed at filter %d", k0);
  *codes = s->wgt + (int64_t)k0 * (qaLayerWgtCount(s->l) / s->l->k);
  return QA_OK;
}

/* Run JOB whole and streamed in timing mode T on CFG: the same return code, message, outputs
** and stats; the source asked for every filter once. */
static void sameStreamed(const QaArchConfig *cfg, const QaLayerJob *job, QaTiming t, int fail_at) {
  const QaLayer *l = job->layer;
  int64_t no = qaLayerOutCount(l);
  int64_t *o1 = calloc((size_t)no, sizeof *o1), *o2 = calloc((size_t)no, sizeof *o2);
  QaLayerStats s1, s2;
  memset(&s1, 0, sizeof s1);
  memset(&s2, 0, sizeof s2);
  QaErr e1 = {0, ""}, e2 = {0, ""};
  Src src = {l, job->wgt, 0, fail_at, 0};
  QaWgtSource ws = {&src, srcFetch};
  QaLayerJob j1 = *job, j2 = *job;
  j1.out = o1;
  j2.out = o2;
  j2.wgt = NULL;
  j2.wsrc = &ws;
  int rc1 = qaSimRunLayerC(cfg, t, &j1, &s1, &e1), rc2 = qaSimRunLayerC(cfg, t, &j2, &s2, &e2);
  const char *what = t == QA_TIMING_LT ? "lt" : "cycle";
  if (fail_at >= 0) {
    CHECK_MSG(rc2 == QA_EUSER && strstr(e2.msg, "source failed"), "%s %s: %s", cfg->desc->name, l->name,
              e2.msg);
  } else {
    CHECK_MSG(rc1 == rc2 && !strcmp(e1.msg, e2.msg), "%s %s %s: '%s' vs streamed '%s'", cfg->desc->name,
              l->name, what, e1.msg, e2.msg);
  }
  if (rc1 == QA_OK && rc2 == QA_OK) {
    CHECK_MSG(!memcmp(o1, o2, (size_t)no * sizeof *o1), "%s %s %s: outputs differ", cfg->desc->name, l->name,
              what);
    CHECK_MSG(!memcmp(&s1, &s2, sizeof s1), "%s %s %s: stats differ (cycles %lld vs %lld)", cfg->desc->name,
              l->name, what, (long long)s1.n_cycles, (long long)s2.n_cycles);
    CHECK_MSG(src.next == l->k, "%s %s: the source served filters up to %d of %d", cfg->desc->name, l->name,
              src.next, l->k);
  }
  free(o1);
  free(o2);
}

/* Codes of layer L as architecture D's default quantizers make them at 8 bits (or the
** layer's w_bits), from seeded floats. */
static void codesFor(const QaArchDesc *d, const QaLayer *l, uint64_t seed, int32_t *act, int32_t *wgt,
                     int *a_signed) {
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l);
  float *fa = malloc((size_t)na * sizeof(float)), *fw = malloc((size_t)nw * sizeof(float));
  QaSynthSpec sp;
  qaSynthDefaults(&sp);
  sp.seed = seed;
  qaSynthLayer(&sp, l, 0, fa, fw);
  QaQuantSpec qa, qw;
  QaQuantResult r;
  QaErr err = {0, ""};
  CHECK(qaQuantParse(d->quant_a && strcmp(d->quant_a, "auto") ? d->quant_a : "unsigned", &qa, &err) == QA_OK);
  CHECK(qaQuantParse(d->quant_w ? d->quant_w : "sym-ch", &qw, &err) == QA_OK);
  CHECK_MSG(qaQuantize(&qa, 8, fa, na, 1, act, &r, &err) == QA_OK, "%s", err.msg);
  *a_signed = r.min_code < 0;
  qaQuantResultFree(&r);
  CHECK_MSG(qaQuantize(&qw, 8, fw, nw, l->k, wgt, &r, &err) == QA_OK, "%s", err.msg);
  qaQuantResultFree(&r);
  free(fa);
  free(fw);
}

static void checkKernels(void) {
  /* name kind n c h w k r s sh sw ph pw groups */
  QaLayer layers[] = {
      {"fc48", QA_LAYER_FC, 1, 48, 1, 1, 37, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""},
      {"fc37", QA_LAYER_FC, 1, 37, 1, 1, 23, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""},
      {"conv", QA_LAYER_CONV, 1, 5, 6, 6, 11, 3, 3, 1, 1, 1, 1, 1, 0, 0, "", ""},
      {"grouped", QA_LAYER_CONV, 1, 12, 5, 5, 12, 3, 3, 1, 1, 1, 1, 3, 0, 0, "", ""},
      {"depthwise", QA_LAYER_CONV, 1, 20, 5, 5, 20, 3, 3, 1, 1, 1, 1, 20, 0, 0, "", ""},
  };
  static const char *const windows[] = {"tiles=1 rows=1", "tiles=1 rows=3", "tiles=1 rows=5",
                                        "tiles=2 rows=3", "tiles=1 rows=16"};
  for (int a = 0; a < qaArchCount(); a++) {
    const QaArchDesc *d = qaArchAt(a);
    const char *enc = d->encoder ? d->encoder : "booth4";
    QaEncoder e;
    QaErr err = {0, ""};
    CHECK(qaEncoderParse(enc, &e, &err) == QA_OK);
    for (size_t li = 0; li < sizeof layers / sizeof layers[0]; li++) {
      QaLayer *l = &layers[li];
      qaLayerNormalize(l);
      int32_t *act = malloc((size_t)qaLayerActCount(l) * sizeof(int32_t));
      int32_t *wgt = malloc((size_t)qaLayerWgtCount(l) * sizeof(int32_t));
      int sgn;
      codesFor(d, l, 100 + li, act, wgt, &sgn);
      for (size_t wi = 0; wi < sizeof windows / sizeof windows[0]; wi++) {
        QaArchConfig cfg;
        qaCfgDefaults(d, &cfg);
        mtSetAll(&cfg, "weights_resident=false first_layer_reshape=false");
        mtSetAll(&cfg, windows[wi]);
        QaLayerJob job = {l, act, wgt, 8, 8, sgn, e, NULL, 0, NULL};
        sameStreamed(&cfg, &job, QA_TIMING_LT, -1);
        if (wi % 2 == 0) sameStreamed(&cfg, &job, QA_TIMING_CYCLE, -1);
      }
      free(act);
      free(wgt);
    }
  }
}

/* A weight code the kernel cannot take in the window of filters 12..14 of 37. */
static void checkWindowErrors(void) {
  QaLayer l = {"fc", QA_LAYER_FC, 1, 48, 1, 1, 37, 1, 1, 1, 1, 0, 0, 1, 0, 0, "", ""};
  qaLayerNormalize(&l);
  static const struct {
    const char *arch, *sets;
    int32_t bad;
    const char *msg;
  } cases[] = {{"khot-laconic", "", 85, "k_w = 2 terms"},
               {"onehot-dadiannao", "", 12, "needs one-hot values"},
               {"laconic", "max_bits=8", 300, "out of the 8-bit range"},
               {"dadiannao", "", 0, NULL}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const QaArchDesc *d = NULL;
    QaErr err = {0, ""};
    CHECK(qaArchFind(cases[i].arch, &d, &err) == QA_OK);
    QaArchConfig cfg;
    qaCfgDefaults(d, &cfg);
    mtSetAll(&cfg, "tiles=1 rows=3 weights_resident=false");
    if (*cases[i].sets) mtSetAll(&cfg, cases[i].sets);
    int32_t act[48], wgt[48 * 37];
    int sgn;
    QaEncoder e = QA_ENC_NAF;
    codesFor(d, &l, 9, act, wgt, &sgn);
    if (cases[i].msg) {
      wgt[13 * 48 + 7] = cases[i].bad;
      wgt[30 * 48 + 2] = cases[i].bad; /* a later window's is not the one named */
      QaLayerJob job = {&l, act, wgt, 8, 8, sgn, e, NULL, 0, NULL};
      QaLayerStats st;
      memset(&st, 0, sizeof st);
      int64_t out[37];
      job.out = out;
      CHECK(qaSimRunLayerC(&cfg, QA_TIMING_LT, &job, &st, &err) == QA_EUSER &&
            strstr(err.msg, cases[i].msg) && strstr(err.msg, "index 631"));
      for (int t = 0; t < 2; t++) sameStreamed(&cfg, &job, (QaTiming)t, -1);
    } else { /* the source's own error ends the layer in both drivers' C path */
      QaLayerJob job = {&l, act, wgt, 8, 8, sgn, e, NULL, 0, NULL};
      for (int t = 0; t < 2; t++) sameStreamed(&cfg, &job, (QaTiming)t, 20);
    }
  }
}

/* ---- whole runs ---------------------------------------------------------------------- */

/* Run NET on ARCH (SETS: "a=b" overrides) into DB; STREAM 1: every dense layer streams,
** 0: none does. */
static int runTo(const char *arch, const char *const *sets, int n_sets, int stream, int threads, QaTiming t,
                 const char *quant_w, const char *db, QaErr *err) {
  QaRunOptions o;
  QaRunResult res;
  qaRunDefaults(&o);
  o.net = NET;
  o.arch.arch = arch;
  o.arch.sets = sets;
  o.arch.n_sets = n_sets;
  o.a_bits = o.w_bits = 8;
  o.threads = threads;
  o.timing = t;
  o.quant_w = quant_w;
  o.db_path = db;
  o.stream_min_weights = stream ? 1 : -1;
  int rc = qaRunExecute(&o, NULL, &res, err);
  if (!rc) CHECK_MSG(res.all_verified, "%s: not verified", arch);
  return rc;
}

/* In a child (SystemC once per process): the run's return code, its message into MSG. */
static int runChild(const char *arch, const char *const *sets, int n_sets, QaTiming t, const char *quant_w,
                    const char *db, char *msg, size_t cap) {
  int fd[2];
  CHECK(pipe(fd) == 0);
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    QaErr e = {0, ""};
    int rc = runTo(arch, sets, n_sets, 1, 1, t, quant_w, db, &e);
    if (write(fd[1], e.msg, strlen(e.msg) + 1) < 0) rc = 99;
    _exit(qa_test_failures ? 98 : rc);
  }
  close(fd[1]);
  ssize_t n = read(fd[0], msg, cap - 1);
  msg[n > 0 ? n : 0] = 0;
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 97;
}

static void checkRuns(void) {
  static const char *tables[] = {"run",    "layer",      "layer_values",  "layer_terms", "action",
                                 "energy", "run_energy", "run_component", "finished_run"};
  static const char *timed[] = {"layer", "layer_values", "layer_terms", "action", "energy"};
  static const char *const sets[2][3] = {{"weights_resident=false"},
                                         {"weights_resident=false", "tiles=1", "rows=7"}};
  char cmd[512], msg[QA_ERR_MAX];
  snprintf(cmd, sizeof cmd, "mkdir -p %s && rm -f %s/stream-*.db", QA_TEST_TMP, QA_TEST_TMP);
  CHECK(system(cmd) == 0);
  for (int i = 0; i < qaArchCount(); i++) {
    const char *arch = qaArchAt(i)->name;
    for (int s = 0; s < 2; s++) {
      int ns = s ? 3 : 1;
      char db[5][512];
      for (int t = 0; t < 5; t++)
        snprintf(db[t], sizeof db[t], "%s/stream-%s-%d-%d.db", QA_TEST_TMP, arch, s, t);
      QaErr e = {0, ""};
      CHECK_MSG(runTo(arch, sets[s], ns, 0, 2, QA_TIMING_LT, NULL, db[0], &e) == QA_OK, "%s: %s", arch,
                e.msg);
      CHECK_MSG(runTo(arch, sets[s], ns, 1, 2, QA_TIMING_LT, NULL, db[1], &e) == QA_OK, "%s: %s", arch,
                e.msg);
      CHECK_MSG(runTo(arch, sets[s], ns, 1, 3, QA_TIMING_LT, NULL, db[2], &e) == QA_OK, "%s: %s", arch,
                e.msg);
      CHECK_MSG(runChild(arch, sets[s], ns, QA_TIMING_LT, NULL, db[3], msg, sizeof msg) == 0, "%s: %s", arch,
                msg);
      if (s == 1)
        CHECK_MSG(runChild(arch, sets[s], ns, QA_TIMING_CYCLE, NULL, db[4], msg, sizeof msg) == 0, "%s: %s",
                  arch, msg);
      for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
        char *whole = peekTable(db[0], tables[k]);
        CHECK_MSG(strlen(whole) > 0, "%s: no rows in %s", arch, tables[k]);
        for (int t = 1; t <= 3; t++) {
          char *other = peekTable(db[t], tables[k]);
          CHECK_MSG(!strcmp(whole, other), "%s: table %s differs streamed (run %d):\n%s---\n%s", arch,
                    tables[k], t, whole, other);
          free(other);
        }
        free(whole);
      }
      for (size_t k = 0; s == 1 && k < sizeof timed / sizeof timed[0]; k++) {
        char *whole = peekTable(db[0], timed[k]), *clocked = peekTable(db[4], timed[k]);
        CHECK_MSG(!strcmp(whole, clocked), "%s: table %s differs streamed and clocked:\n%s---\n%s", arch,
                  timed[k], whole, clocked);
        free(whole);
        free(clocked);
      }
    }
  }
  /* a weight code khot-laconic cannot take, inside a window: the materialised message */
  QaErr e1 = {0, ""}, e2 = {0, ""};
  const char *s1[] = {"tiles=1", "rows=7"};
  int rc1 = runTo("khot-laconic", s1, 2, 0, 2, QA_TIMING_LT, "sym-ch", NULL, &e1);
  int rc2 = runTo("khot-laconic", s1, 2, 1, 2, QA_TIMING_LT, "sym-ch", NULL, &e2);
  CHECK_MSG(rc1 == QA_EUSER && strstr(e1.msg, "k_w = 2"), "%s", e1.msg);
  CHECK_MSG(rc1 == rc2 && !strcmp(e1.msg, e2.msg), "'%s' vs streamed '%s'", e1.msg, e2.msg);
  for (int t = 0; t < 2; t++) {
    int rc = runChild("khot-laconic", s1, 2, (QaTiming)t, "sym-ch", NULL, msg, sizeof msg);
    CHECK_MSG(rc == rc1 && !strcmp(msg, e1.msg), "SystemC %s: %d '%s' vs '%s'", qaTimingName((QaTiming)t), rc,
              msg, e1.msg);
  }
}

/* The process's synthetic values (qaRunWarmValues, a sweep's parent): a run that borrows
** them stores what a run that makes its own does, with and without threads; another seed or
** a layer of another geometry does not borrow; a budget too small holds nothing. */
static void checkWarmValues(void) {
  static const char *tables[] = {"layer", "layer_values", "layer_terms", "action", "energy"};
  char db[3][512];
  QaErr e = {0, ""};
  for (int t = 0; t < 3; t++) snprintf(db[t], sizeof db[t], "%s/stream-warm-%d.db", QA_TEST_TMP, t);
  CHECK_MSG(runTo("laconic", NULL, 0, 0, 2, QA_TIMING_LT, NULL, db[0], &e) == QA_OK, "%s", e.msg);
  QaRunOptions o;
  qaRunDefaults(&o);
  o.net = NET;
  CHECK(qaRunWarmValues(&o, 1000, &e) == QA_OK && qaValuesCacheBytes() == 0); /* nothing fits */
  CHECK_MSG(qaRunWarmValues(&o, (int64_t)64 << 20, &e) == QA_OK, "%s", e.msg);
  int64_t held = qaValuesCacheBytes(), h0 = qaValuesCacheHits();
  CHECK_MSG(qaRunWarmValues(&o, (int64_t)64 << 20, &e) == QA_OK && qaValuesCacheBytes() == held,
            "a second warm-up adds nothing");
  CHECK(held > 0);
  CHECK_MSG(runTo("laconic", NULL, 0, 0, 2, QA_TIMING_LT, NULL, db[1], &e) == QA_OK, "%s", e.msg);
  CHECK_MSG(qaValuesCacheHits() - h0 == 6, "hits %lld, want the 6 layers",
            (long long)(qaValuesCacheHits() - h0));
  CHECK_MSG(runTo("laconic", NULL, 0, 0, 3, QA_TIMING_LT, NULL, db[2], &e) == QA_OK, "%s", e.msg);
  for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
    char *mine = peekTable(db[0], tables[k]);
    for (int t = 1; t < 3; t++) {
      char *borrowed = peekTable(db[t], tables[k]);
      CHECK_MSG(strlen(mine) > 0 && !strcmp(mine, borrowed), "table %s differs with borrowed values (run %d)",
                tables[k], t);
      free(borrowed);
    }
    free(mine);
  }
  /* another seed, another geometry: made, not borrowed */
  QaNet *net = NULL;
  CHECK(qaNetOpen(NET, &net, &e) == QA_OK);
  QaValuesSpec vs;
  QaLayerValues v;
  memset(&vs, 0, sizeof vs);
  qaSynthDefaults(&vs.synth);
  vs.synth.seed = o.seed;
  CHECK(qaValuesLoad(&vs, &net->layers[2], 2, &v, &e) == QA_OK && v.borrowed);
  qaValuesFree(&v);
  vs.synth.seed = o.seed + 1;
  CHECK(qaValuesLoad(&vs, &net->layers[2], 2, &v, &e) == QA_OK && !v.borrowed);
  qaValuesFree(&v);
  vs.synth.seed = o.seed;
  net->layers[2].k++;
  CHECK(qaValuesLoad(&vs, &net->layers[2], 2, &v, &e) == QA_OK && !v.borrowed);
  qaValuesFree(&v);
  qaNetDestroy(net);
  qaValuesCacheClear();
  CHECK(qaValuesCacheBytes() == 0);
}

int main(void) {
  checkSynthParts();
  checkQuantParts();
  checkStatsParts();
  checkKernels();
  checkWindowErrors();
  checkRuns();
  checkWarmValues();
  return TEST_DONE();
}
