/*
** test_writers.c - many processes writing one results store lose nothing (issue 11): 8
** forked writers store 25 runs each into one fresh file at once, each run in its own
** short BEGIN IMMEDIATE transaction, with a reader taking snapshots meanwhile; every
** run, layer, energy and composition row is there afterwards, and the views list every
** design point once.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dbpeek.h"
#include "pointtest.h"

#define WRITERS 8
#define RUNS 25

static const PtLayer kLayers[] = {{"c1", 100, 40, 40}, {"c2", 200, 40, 40}, {"fc", 50, 40, 40}};
static const PtEnergy kEnergy[] = {{"mult", 1.0}, {"sb", 2.0}, {"static", 0.5}};
static const PtArea kArea[] = {{"mult", "datapath", 1000}, {"sb", "memory", 5000}};

static int writer(const char *path, int w) {
  QaStore *st = NULL;
  QaErr err = {0, ""};
  if (qaStoreOpen(path, &st, &err)) {
    fprintf(stderr, "writer %d: %s\n", w, err.msg);
    return 1;
  }
  for (int i = 0; i < RUNS; i++) {
    char wl[32];
    snprintf(wl, sizeof wl, "net%d", i);
    PtRun r = {"dadiannao",  NULL, wl,      16, 16,      606, (uint64_t)w,
               "horowitz45", 3,    kLayers, 3,  kEnergy, 2,   kArea};
    if (ptAddRun(st, &r) < 0) return 1;
  }
  qaStoreClose(st);
  return qa_test_failures ? 1 : 0;
}

int main(void) {
  char path[512];
  mkdir(QA_TEST_TMP, 0777);
  snprintf(path, sizeof path, "%s/writers.db", QA_TEST_TMP);
  unlink(path);
  pid_t pid[WRITERS + 1];
  for (int w = 0; w <= WRITERS; w++) {
    fflush(NULL);
    pid[w] = fork();
    if (pid[w] == 0) {
      if (w < WRITERS) _exit(writer(path, w));
      /* a reader: snapshots of the views while the writers write */
      QaStore *st = NULL;
      QaErr err = {0, ""};
      int bad = 0;
      for (int k = 0; k < 40 && !bad; k++) {
        if (!st && qaStoreOpen(path, &st, &err)) continue; /* (the file may not exist yet) */
        QaPoint *p = NULL;
        int n = 0;
        bad = qaStoreBeginRead(st, &err) || qaStorePoints(st, NULL, &p, &n, NULL, &err);
        qaStoreEndRead(st);
        if (bad) fprintf(stderr, "reader: %s\n", err.msg);
        qaStoreFreePoints(p, n);
        nanosleep(&(struct timespec){0, 5000000}, NULL);
      }
      qaStoreClose(st);
      _exit(bad);
    }
    CHECK(pid[w] > 0);
  }
  for (int w = 0; w <= WRITERS; w++) {
    int status = 0;
    waitpid(pid[w], &status, 0);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "process %d failed (status %d)", w, status);
  }
  int n = WRITERS * RUNS;
  CHECK_EQ_I64(peekI64(path, "SELECT count(*) FROM run WHERE n_cycles IS NOT NULL"), n);
  CHECK_EQ_I64(peekI64(path, "SELECT count(*) FROM run"), n);
  CHECK_EQ_I64(peekI64(path, "SELECT count(*) FROM layer"), 3 * n);
  CHECK_EQ_I64(peekI64(path, "SELECT count(*) FROM energy"), 9 * n);
  CHECK_EQ_I64(peekI64(path, "SELECT count(*) FROM run_energy"), n);
  CHECK_EQ_I64(peekI64(path, "SELECT count(*) FROM run_component"), 2 * n);
  CHECK_EQ_I64(peekI64(path, "SELECT count(DISTINCT identity) FROM run"), n);
  CHECK_EQ_I64(peekI64(path, "SELECT count(*) FROM point"), n);
  CHECK_EQ_I64(peekI64(path, "SELECT sum(n_layers) FROM run"), 3 * n);
  CHECK(!strcmp(peek(path, "PRAGMA integrity_check"), "ok\n"));
  return TEST_DONE();
}
