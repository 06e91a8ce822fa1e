/*
** test_threads.c - `--threads N` (sim/run.c): on every architecture a run on 2 and 3
** threads stores the same rows as the one-thread run through the SystemC model (cycles,
** stalls, outputs verified, action counts, energy, SQNR, value statistics, terms), table by
** table, row by row; the clocked timing refuses threads; a bad thread count is refused.
** SystemC allows one simulation per process, so each one-thread run is a child process.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "sim/run.h"
#include "tests/dbpeek.h"
#include "tests/qatest.h"

#define NET QA_TEST_DATA "/nets/threads.yaml"

/* Every layer fetches its weights, so each layer's stalls depend on the previous layers'
** (the prefetch in their idle DMA tail): the in-order finish is what keeps them equal. */
static const char *const g_sets[] = {"weights_resident=false"};

static int runTo(const char *arch, int threads, const char *db, QaErr *err) {
  QaRunOptions o;
  QaRunResult res;
  qaRunDefaults(&o);
  o.net = NET;
  o.arch.arch = arch;
  o.arch.sets = g_sets;
  o.arch.n_sets = 1;
  o.a_bits = o.w_bits = 8;
  o.threads = threads;
  o.db_path = db;
  int rc = qaRunExecute(&o, NULL, &res, err);
  if (!rc) CHECK(res.all_verified && res.threads == (threads > 1 ? threads : 1));
  return rc;
}

int main(void) {
  static const char *tables[] = {"run",    "layer",      "layer_values",  "layer_terms", "action",
                                 "energy", "run_energy", "run_component", "finished_run"};
  char cmd[512];
  snprintf(cmd, sizeof cmd, "mkdir -p %s && rm -f %s/threads-*.db", QA_TEST_TMP, QA_TEST_TMP);
  CHECK(system(cmd) == 0);
  for (int i = 0; i < qaArchCount(); i++) {
    const char *arch = qaArchAt(i)->name;
    char db[3][512];
    for (int t = 0; t < 3; t++)
      snprintf(db[t], sizeof db[t], "%s/threads-%s-%d.db", QA_TEST_TMP, arch, t + 1);
    pid_t pid = fork();
    if (pid == 0) { /* one thread: the SystemC model, once per process */
      QaErr e = {0, ""};
      int rc = runTo(arch, 1, db[0], &e);
      if (rc) fprintf(stderr, "%s, 1 thread: %s\n", arch, e.msg);
      _exit(rc || qa_test_failures ? 1 : 0);
    }
    int status = 1;
    waitpid(pid, &status, 0);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the one-thread run failed", arch);
    for (int t = 2; t <= 3; t++) {
      QaErr e = {0, ""};
      int rc = runTo(arch, t, db[t - 1], &e);
      CHECK_MSG(rc == QA_OK, "%s, %d threads: %s", arch, t, e.msg);
    }
    for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++) {
      char *one = peekTable(db[0], tables[k]);
      CHECK_MSG(strlen(one) > 0, "%s: no rows in %s", arch, tables[k]);
      for (int t = 2; t <= 3; t++) {
        char *many = peekTable(db[t - 1], tables[k]);
        CHECK_MSG(!strcmp(one, many), "%s: table %s differs on %d threads:\n%s---\n%s", arch, tables[k], t,
                  one, many);
        free(many);
      }
      free(one);
    }
  }
  /* the clocked timing runs one SystemC simulation: no threads */
  QaRunOptions o;
  QaRunResult res;
  QaErr e = {0, ""};
  qaRunDefaults(&o);
  o.net = NET;
  o.threads = 2;
  o.timing = QA_TIMING_CYCLE;
  o.db_path = NULL;
  CHECK(qaRunExecute(&o, NULL, &res, &e) == QA_EUSER && strstr(e.msg, "--threads") && strstr(e.msg, "cycle"));
  o.timing = QA_TIMING_LT;
  o.threads = QA_RUN_MAX_THREADS + 1;
  CHECK(qaRunExecute(&o, NULL, &res, &e) == QA_EUSER && strstr(e.msg, "--threads"));
  return TEST_DONE();
}
