/*
** cmd_bench.c - `qasim bench`: simulated MACs per second of whole verified runs
** (sim/run.h qaRunExecute), each case in its own process.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "base/parse.h"
#include "sim/run.h"
#include "workloads/layer.h"
#include "cli/cli.h"

typedef struct BenchArgs {
  QaCliList archs, nets;
  const char *bits, *threads, *repeat;
} BenchArgs;

#define BENCH_REPEAT_MAX 99

static const QaCliOption benchOptions[] = {
    {"arch", "NAME", QA_CLI_LIST(BenchArgs, archs), "architecture to run (default: every one)"},
    {"net", "NET", QA_CLI_LIST(BenchArgs, nets), "network to run (default: every built-in network)"},
    {"bits", "N", QA_CLI_VALUE(BenchArgs, bits), "activation and weight precision, 1..16 (default 8)"},
    {"threads", "N", QA_CLI_VALUE(BenchArgs, threads),
     "threads per case (default 1; see `qasim run --threads`)"},
    {"repeat", "N", QA_CLI_VALUE(BenchArgs, repeat),
     "runs per case, 1..99 (default 1): the row is the median run by wall time, spread% the "
     "range of the wall times over the median"},
    {NULL},
};

/* Each case runs in a child process: SystemC allows one simulation per process. *RSS_KB gets
** the child's peak resident set (getrusage ru_maxrss, kB). */
static int benchCase(const char *arch, const char *net, int bits, int threads, QaRunResult *res, long *rss_kb,
                     QaErr *err) {
  int fd[2];
  if (pipe(fd)) return qaErrSet(err, QA_EINTERNAL, "pipe: %s", strerror(errno));
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) return qaErrSet(err, QA_EINTERNAL, "fork: %s", strerror(errno));
  if (pid == 0) {
    close(fd[0]);
    QaRunOptions o;
    QaErr e = {0, ""};
    qaRunDefaults(&o);
    o.arch.arch = arch;
    o.net = net;
    o.a_bits = o.w_bits = bits;
    o.threads = threads;
    o.db_path = NULL;
    int rc = qaRunExecute(&o, NULL, res, &e);
    struct rusage ru;
    long kb = getrusage(RUSAGE_SELF, &ru) ? 0 : ru.ru_maxrss;
    if (write(fd[1], &rc, sizeof rc) < 0 || write(fd[1], res, sizeof *res) < 0 ||
        write(fd[1], &e, sizeof e) < 0 || write(fd[1], &kb, sizeof kb) < 0)
      _exit(2);
    _exit(0);
  }
  close(fd[1]);
  int rc = QA_EINTERNAL, status = 0;
  QaErr e = {0, ""};
  ssize_t n1 = read(fd[0], &rc, sizeof rc);
  ssize_t n2 = read(fd[0], res, sizeof *res);
  ssize_t n3 = read(fd[0], &e, sizeof e);
  ssize_t n4 = read(fd[0], rss_kb, sizeof *rss_kb);
  close(fd[0]);
  waitpid(pid, &status, 0);
  if (n1 != sizeof rc || n2 != sizeof *res || n3 != sizeof e || n4 != sizeof *rss_kb)
    return qaErrSet(err, QA_EINTERNAL, "%s on %s crashed", arch, net);
  if (rc) return qaErrSet(err, rc, "%s", e.msg);
  return QA_OK;
}

static int benchMain(void *args, const QaCliCall *call, QaErr *err) {
  const BenchArgs *a = args;
  QaCliList archs = a->archs, nets = a->nets;
  int64_t bits = 8, threads = 1, repeat = 1;
  int rc;
  if (a->bits && (rc = qaParseInt64(a->bits, "--bits", 1, QA_BITS_MAX, &bits, err))) return rc;
  if (a->threads && (rc = qaParseInt64(a->threads, "--threads", 1, QA_RUN_MAX_THREADS, &threads, err)))
    return rc;
  if (a->repeat && (rc = qaParseInt64(a->repeat, "--repeat", 1, BENCH_REPEAT_MAX, &repeat, err))) return rc;
  if (!archs.n)
    for (int i = 0; i < qaArchCount() && archs.n < QA_CLI_LIST_MAX; i++)
      archs.v[archs.n++] = qaArchAt(i)->name;
  if (!nets.n)
    for (int i = 0; i < qaNetBuiltinCount() && nets.n < QA_CLI_LIST_MAX; i++)
      nets.v[nets.n++] = qaNetBuiltinInfo(i)->name;
  printf("%-16s %-12s %4s %12s %11s %8s %10s %7s %4s %4s %4s %4s %7s  %s\n", "arch", "network", "bits",
         "macs", "n_cycles", "wall_s", "sim_Mmac_s", "rss_MB", "sim%", "val%", "ver%", "oth%", "spread%",
         "outputs");
  for (int i = 0; i < archs.n; i++)
    for (int j = 0; j < nets.n; j++) {
      QaRunResult runs[BENCH_REPEAT_MAX];
      long rss_kb = 0;
      int order[BENCH_REPEAT_MAX];
      for (int k = 0; k < repeat; k++) {
        long kb = 0;
        if ((rc = benchCase(archs.v[i], nets.v[j], (int)bits, (int)threads, &runs[k], &kb, err))) return rc;
        rss_kb = kb > rss_kb ? kb : rss_kb;
        int at = k; /* insertion into the order by wall time */
        for (; at > 0 && runs[order[at - 1]].wall_s > runs[k].wall_s; at--) order[at] = order[at - 1];
        order[at] = k;
      }
      const QaRunResult res = runs[order[(repeat - 1) / 2]];
      double spread =
          res.wall_s > 0 ? (runs[order[repeat - 1]].wall_s - runs[order[0]].wall_s) / res.wall_s : 0;
      double sim = res.sim_s, w = sim + res.values_s + res.verify_s + res.post_s;
      w = w > 0 ? w : 1;
      printf("%-16s %-12s %4d %12" PRId64 " %11" PRId64
             " %8.2f %10.1f %7.1f %4.0f %4.0f %4.0f %4.0f %7.0f  %s\n",
             archs.v[i], res.net, (int)bits, res.macs, res.n_cycles, res.wall_s, res.sim_macs_per_s / 1e6,
             (double)rss_kb / 1024, 100 * sim / w, 100 * res.values_s / w, 100 * res.verify_s / w,
             100 * res.post_s / w, 100 * spread, res.all_verified ? "verified" : "NOT VERIFIED");
      fflush(stdout);
    }
  return QA_OK;
}

const QaCliCommand qaCliCmdBench = {
    .name = "bench",
    .summary = "measure simulated MACs per second",
    .about =
        "Run networks in the default (loosely timed) mode with outputs verified and print\n"
        "simulated MACs per second, wall time and peak resident memory (rss_MB, the case's\n"
        "process). Defaults: every architecture, every built-in network, 8 bits. Wall time covers\n"
        "values, simulation and verification; its measured shares: sim% simulation, val% values\n"
        "(loading or generating, quantizing), ver% the reference convolution that verifies the\n"
        "outputs, oth% output SQNR, value statistics and pricing. Each case runs once in its own\n"
        "process (quote ratios from one run); --repeat N runs it N times and prints the median run\n"
        "(rss_MB the largest), spread% the range of the wall times over the median. With\n"
        "--threads N the shares are of the time summed over the threads.\n",
    .options = benchOptions,
    .args_size = sizeof(BenchArgs),
    .handler = benchMain,
};
