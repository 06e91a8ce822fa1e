/*
** test_sc_timing.c - the SystemC models in both timing modes (issue 2, section 5):
** the loosely-timed mode and the clocked mode (--timing cycle) must report the
** identical cycle count for every layer, read back from simulated time, and both
** must produce outputs equal to the integer reference. SystemC allows one
** simulation per process, so each mode runs in a forked child that reports its
** per-layer cycles and output checksums through a pipe.
*/
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "arch/sim.h"
#include "qatest.h"
#include "randlayer.h"

#define N_LAYERS 60

typedef struct Case {
  QaLayer l;
  int32_t *act, *wgt;
  int64_t *out;
  int bits;
} Case;

typedef struct Ctx {
  Case *cases;
  QaLayerJob job;
  QaLayerStats st;
  int64_t cycles[N_LAYERS];
  int64_t stalls[N_LAYERS];
  int ok[N_LAYERS];
} Ctx;

static int next_job(void *vctx, int idx, QaLayerJob **job, QaLayerStats **st, QaErr *err) {
  Ctx *c = vctx;
  *job = NULL;
  if (idx >= N_LAYERS) return QA_OK;
  Case *k = &c->cases[idx];
  QaLayerJob j = {&k->l, k->act, k->wgt, k->bits, k->bits, 0, QA_ENC_BOOTH4, k->out};
  c->job = j;
  memset(&c->st, 0, sizeof c->st);
  *job = &c->job;
  *st = &c->st;
  return QA_OK;
}

static int job_done(void *vctx, int idx, QaLayerJob *job, QaLayerStats *st, QaErr *err) {
  Ctx *c = vctx;
  int64_t n = qaLayerOutCount(job->layer);
  int64_t *ref = malloc((size_t)n * sizeof *ref);
  qaRefConv(job->layer, job->act, job->wgt, ref);
  c->ok[idx] = !memcmp(ref, job->out, (size_t)n * sizeof *ref);
  c->cycles[idx] = st->n_cycles;
  c->stalls[idx] = st->n_stall_cycles;
  free(ref);
  return QA_OK;
}

/* Run all cases in a child; return per-layer cycles and ok flags. */
static int run_mode(const QaArchConfig *cfg, QaTiming t, Case *cases, int64_t *cycles, int64_t *stalls,
                    int *ok) {
  int fd[2];
  if (pipe(fd)) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    Ctx c;
    memset(&c, 0, sizeof c);
    c.cases = cases;
    QaSimHooks h = {&c, next_job, job_done};
    QaErr err = {0, ""};
    int rc = qaSimRun(cfg, t, &h, &err);
    if (rc) fprintf(stderr, "child: %s\n", err.msg);
    if (write(fd[1], c.cycles, sizeof c.cycles) < 0 || write(fd[1], c.stalls, sizeof c.stalls) < 0 ||
        write(fd[1], c.ok, sizeof c.ok) < 0)
      _exit(3);
    _exit(rc ? 1 : 0);
  }
  close(fd[1]);
  ssize_t a = read(fd[0], cycles, sizeof(int64_t) * N_LAYERS);
  ssize_t a2 = read(fd[0], stalls, sizeof(int64_t) * N_LAYERS);
  ssize_t b = read(fd[0], ok, sizeof(int) * N_LAYERS);
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return a == (ssize_t)(sizeof(int64_t) * N_LAYERS) && a2 == a && b == (ssize_t)(sizeof(int) * N_LAYERS) &&
                 WIFEXITED(status) && WEXITSTATUS(status) == 0
             ? 0
             : -1;
}

/* mem: NULL for the defaults, else "gbps,latency_ns,sb_kib,nm_kib" to stress the memory system. */
static void check_arch(const char *name, int tiles, int fpt, int lanes, int bits, uint64_t seed,
                       const char *mem) {
  const QaArchDesc *d;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind(name, &d, &err), QA_OK);
  QaArchConfig cfg;
  qaCfgDefaults(d, &cfg);
  char v[16];
  snprintf(v, sizeof v, "%d", tiles);
  qaCfgSetText(&cfg, "tiles", v, "test", &err);
  snprintf(v, sizeof v, "%d", fpt);
  qaCfgSetText(&cfg, "filters_per_tile", v, "test", &err);
  snprintf(v, sizeof v, "%d", lanes);
  qaCfgSetText(&cfg, "lanes", v, "test", &err);
  if (mem) {
    char gbps[32], lat[32], sb[32], nm[32];
    CHECK(sscanf(mem, "%31[^,],%31[^,],%31[^,],%31s", gbps, lat, sb, nm) == 4);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "dram_gbps", gbps, "test", &err), QA_OK);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "dram_latency_ns", lat, "test", &err), QA_OK);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "sb_kib", sb, "test", &err), QA_OK);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "nm_kib", nm, "test", &err), QA_OK);
  }

  Case cases[N_LAYERS];
  QaRng g;
  qaRngSeed(&g, seed);
  int32_t amax = (1 << bits) - 1, wmax = (1 << (bits - 1)) - 1;
  for (int i = 0; i < N_LAYERS; i++) {
    randLayer(&g, &cases[i].l, i);
    cases[i].bits = bits;
    cases[i].act = randCodes(&g, qaLayerActCount(&cases[i].l), 0, amax, 0.3);
    cases[i].wgt = randCodes(&g, qaLayerWgtCount(&cases[i].l), -wmax, wmax, 0.1);
    cases[i].out = malloc((size_t)qaLayerOutCount(&cases[i].l) * sizeof(int64_t));
  }
  int64_t c_lt[N_LAYERS], c_cy[N_LAYERS], s_lt[N_LAYERS], s_cy[N_LAYERS];
  int ok_lt[N_LAYERS], ok_cy[N_LAYERS];
  CHECK_EQ_I64(run_mode(&cfg, QA_TIMING_LT, cases, c_lt, s_lt, ok_lt), 0);
  CHECK_EQ_I64(run_mode(&cfg, QA_TIMING_CYCLE, cases, c_cy, s_cy, ok_cy), 0);
  int64_t total_stall = 0;
  for (int i = 0; i < N_LAYERS; i++) {
    CHECK_MSG(c_lt[i] == c_cy[i] && c_lt[i] > 0, "%s layer %d: lt %lld cycles, clocked %lld", name, i,
              (long long)c_lt[i], (long long)c_cy[i]);
    CHECK_MSG(s_lt[i] == s_cy[i], "%s layer %d: lt %lld stall cycles, clocked %lld", name, i,
              (long long)s_lt[i], (long long)s_cy[i]);
    CHECK_MSG(ok_lt[i] && ok_cy[i], "%s layer %d: outputs differ from the reference", name, i);
    total_stall += s_lt[i];
    /* The C-only path agrees with the SystemC one. */
    QaLayerStats st;
    memset(&st, 0, sizeof st);
    QaLayerJob j = {&cases[i].l, cases[i].act, cases[i].wgt, bits, bits, 0, QA_ENC_BOOTH4, cases[i].out};
    CHECK_EQ_I64(qaSimRunLayerC(&cfg, QA_TIMING_LT, &j, &st, &err), QA_OK);
    CHECK_EQ_I64(st.n_cycles, c_lt[i]);
    CHECK_EQ_I64(st.n_stall_cycles, s_lt[i]);
  }
  /* An ideal memory never stalls; the memory-stress configurations must. */
  if (mem && atof(mem) == 0) CHECK_MSG(total_stall == 0, "%s: stalls with an ideal memory", name);
  else if (mem) CHECK_MSG(total_stall > 0, "%s: expected DRAM stalls with %s", name, mem);
  for (int i = 0; i < N_LAYERS; i++) {
    free(cases[i].act);
    free(cases[i].wgt);
    free(cases[i].out);
  }
}

int main(void) {
  check_arch("dadiannao", 2, 4, 8, 16, 7, NULL);
  check_arch("dadiannao", 16, 16, 16, 16, 8, "0,0,2048,4096");
  check_arch("dadiannao8", 3, 2, 5, 8, 9, NULL);
  /* Tiny on-chip memories: weights and activations stream, with slow and fast DRAM. */
  check_arch("dadiannao", 2, 4, 8, 16, 10, "0.5,50,1,1");
  check_arch("dadiannao", 4, 4, 4, 16, 11, "3.3,0,1,2");
  check_arch("dadiannao8", 2, 2, 8, 8, 12, "100,1000,1,1");
  return TEST_DONE();
}
