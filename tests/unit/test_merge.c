/*
** test_merge.c - merging results stores (issue 11): runs are renumbered after the
** target's, a design point the target holds is skipped (and one repeated inside a
** source is taken once), every per-run table comes along, runs without an identity
** (older schema) are always copied, a source of a newer schema or not a store is refused
** naming the file, and the target is unchanged then.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbpeek.h"
#include "pointtest.h"

static const PtLayer kLayers[] = {{"c1", 100, 30, 40}, {"fc", 50, 30, 40}};
static const PtEnergy kEnergy[] = {{"mult", 1.0}, {"sb", 2.0}};
static const PtArea kArea[] = {{"mult", "datapath", 1000}};

static void fresh(const char *path) {
  char side[600];
  unlink(path);
  snprintf(side, sizeof side, "%s-wal", path);
  unlink(side);
  snprintf(side, sizeof side, "%s-shm", path);
  unlink(side);
}

static QaStore *openAt(const char *path) {
  QaStore *st = NULL;
  QaErr err = {0, ""};
  CHECK_MSG(qaStoreOpen(path, &st, &err) == QA_OK, "%s", err.msg);
  return st;
}

static void add(QaStore *st, const char *arch, const char *wl, int bits) {
  PtRun r = {arch, NULL, wl, bits, bits, 1000, 1, "horowitz45", 2, kLayers, 2, kEnergy, 1, kArea};
  CHECK(ptAddRun(st, &r) > 0);
}

int main(void) {
  char a[512], b[512], out[512];
  QaErr err = {0, ""};
  QaMergeStats ms;
  mkdir(QA_TEST_TMP, 0777);
  snprintf(a, sizeof a, "%s/merge_a.db", QA_TEST_TMP);
  snprintf(b, sizeof b, "%s/merge_b.db", QA_TEST_TMP);
  snprintf(out, sizeof out, "%s/merge_out.db", QA_TEST_TMP);
  fresh(a);
  fresh(b);
  fresh(out);
  QaStore *sa = openAt(a), *sb = openAt(b), *so = openAt(out);
  if (!sa || !sb || !so) return TEST_DONE();
  add(sa, "dadiannao", "alexnet", 16);
  add(sa, "stripes", "alexnet", 8);
  add(sa, "stripes", "alexnet", 8); /* the same point twice in one source */
  add(sb, "stripes", "alexnet", 8); /* also in a */
  add(sb, "laconic", "alexnet", 8);
  add(sb, "laconic", "vgg16", 4);
  add(so, "pragmatic", "alexnet", 8); /* the target has runs already */
  qaStoreClose(sa);
  qaStoreClose(sb);

  CHECK_MSG(qaStoreMerge(so, a, &ms, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(ms.runs_added, 2);
  CHECK_EQ_I64(ms.runs_duplicate, 1);
  CHECK_MSG(qaStoreMerge(so, b, &ms, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(ms.runs_added, 2);
  CHECK_EQ_I64(ms.runs_duplicate, 1);
  CHECK(ms.tables >= 4); /* layer, action, energy, run_energy, run_component */
  /* renumbered after the target's run 1, in source order */
  CHECK(!strcmp(
      peek(out, "SELECT run_id, arch, workload FROM run ORDER BY run_id"),
      "1|pragmatic|alexnet\n2|dadiannao|alexnet\n3|stripes|alexnet\n4|laconic|alexnet\n5|laconic|vgg16\n"));
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM layer"), 10);
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM energy"), 20);
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM run_energy"), 5);
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM run_component"), 5);
  CHECK_EQ_I64(
      peekI64(out, "SELECT count(*) FROM layer l LEFT JOIN run r USING(run_id) WHERE r.arch IS NULL"), 0);
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM point"), 5);
  CHECK(!strcmp(peek(out, "SELECT group_concat(run_id) FROM energy WHERE component = 'sb' AND layer_idx = 0"),
                "1,2,3,4,5\n"));
  /* merging again adds nothing */
  CHECK_MSG(qaStoreMerge(so, b, &ms, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(ms.runs_added, 0);
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM run"), 5);

  /* a run without an identity (a store before schema 3) is always copied */
  sqlite3 *db = NULL;
  CHECK(sqlite3_open(a, &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "UPDATE run SET identity = NULL WHERE run_id = 1", NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close(db);
  CHECK_MSG(qaStoreMerge(so, a, &ms, &err) == QA_OK, "%s", err.msg);
  CHECK_EQ_I64(ms.runs_added, 1);
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM run"), 6);

  /* refused: a newer schema (naming the file), not a database, missing; nothing changes */
  CHECK(sqlite3_open(b, &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_close(db);
  CHECK_EQ_I64(qaStoreMerge(so, b, &ms, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, b) && strstr(err.msg, "schema version 99 is newer than this qasim"), "%s",
            err.msg);
  char junk[512];
  snprintf(junk, sizeof junk, "%s/merge_junk.db", QA_TEST_TMP);
  FILE *f = fopen(junk, "w");
  if (f) {
    fputs("this is not a database, but long enough to have a header of its own..........................\n",
          f);
    fclose(f);
  }
  CHECK_EQ_I64(qaStoreMerge(so, junk, &ms, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, junk) != NULL, "%s", err.msg);
  CHECK_EQ_I64(qaStoreMerge(so, QA_TEST_TMP "/merge_missing.db", &ms, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "merge_missing.db") != NULL, "%s", err.msg);
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM run"), 6);
  /* the handle is usable afterwards */
  add(so, "stripes", "vgg16", 2);
  CHECK_EQ_I64(peekI64(out, "SELECT count(*) FROM run"), 7);
  qaStoreClose(so);
  return TEST_DONE();
}
