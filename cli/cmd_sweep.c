/*
** cmd_sweep.c - `qasim sweep` (a YAML spec of design points run in parallel worker
** processes into one results store, resumable; sim/sweep.h) and `qasim merge` (stores
** of shards or hosts merged into one, deduplicated by design point; store/store.h).
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/parse.h"
#include "sim/sweep.h"
#include "store/store.h"
#include "cli/cli.h"

/* ---- qasim sweep ------------------------------------------------------------------- */

typedef struct SweepArgs {
  const char *db, *jobs, *shard;
  int dry_run, bench, no_progress;
} SweepArgs;

static const QaCliOption sweepOptions[] = {
    {"db", "PATH", QA_CLI_VALUE(SweepArgs, db), QA_CLI_DB_HELP},
    {"jobs", "N", QA_CLI_VALUE(SweepArgs, jobs), "worker processes (default: the number of cores)", 'j'},
    {"shard", "I/N", QA_CLI_VALUE(SweepArgs, shard),
     "run only shard I of N: points I, I+N, I+2N, ... of the sweep (merge the stores with qasim merge)"},
    {"dry-run", NULL, QA_CLI_FLAG(SweepArgs, dry_run),
     "list the design points (identity, stored or to run) and run nothing"},
    {"bench", NULL, QA_CLI_FLAG(SweepArgs, bench),
     "benchmark: run every point into a fresh temporary database (not --db) and print wall time and points "
     "per second"},
    {"no-progress", NULL, QA_CLI_FLAG(SweepArgs, no_progress), "print only the summary"},
    {NULL},
};

static volatile sig_atomic_t gStop = 0;
static void onSignal(int sig) {
  (void)sig;
  gStop = 1;
}

/* The progress printer: a redrawn bar on a terminal, one line per point otherwise. */
typedef struct Progress {
  FILE *out;
  int tty;
  int quiet;
  int bar_shown; /* a bar is on the terminal's last line */
  int n_jobs;
} Progress;

static void fmtTime(double s, char *buf, size_t cap) {
  long t = s < 0 ? 0 : (long)(s + 0.5);
  if (t >= 3600)
    snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else
    snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

static void drawBar(Progress *pr, const QaSweepProgress *p) {
  int finished = p->n_done + p->n_failed, width = 30;
  int fill = p->n_todo ? (int)((double)width * finished / p->n_todo) : width;
  char bar[64], el[32], eta[32] = "--:--", failed[32] = "";
  for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
  bar[width] = 0;
  fmtTime(p->elapsed_s, el, sizeof el);
  /* ETA: the mean time per finished point so far, times the points left */
  if (finished > 0) fmtTime(p->elapsed_s / finished * (p->n_todo - finished), eta, sizeof eta);
  if (p->n_failed) snprintf(failed, sizeof failed, "  %d failed", p->n_failed);
  fprintf(stderr, "\r[%s] %d/%d points %3d%%  %d running  elapsed %s  ETA %s%s\033[K", bar, finished,
          p->n_todo, p->n_todo ? 100 * finished / p->n_todo : 100, p->n_running, el, eta, failed);
  fflush(stderr);
  pr->bar_shown = 1;
}

static void clearBar(Progress *pr) {
  if (pr->bar_shown) fprintf(stderr, "\r\033[K");
  pr->bar_shown = 0;
}

static void onStart(void *ctx, const QaSweepProgress *p, int jobs) {
  Progress *pr = ctx;
  pr->n_jobs = jobs;
  if (pr->quiet) return;
  fprintf(pr->out, "sweep: %d design points, %d already stored, %d to run with %d worker%s\n", p->n_points,
          p->n_stored, p->n_todo, jobs, jobs == 1 ? "" : "s");
  fflush(pr->out);
}

static void onPoint(void *ctx, const QaSweepPoint *pt, const QaSweepOutcome *o, const QaSweepProgress *p) {
  Progress *pr = ctx;
  int finished = p->n_done + p->n_failed;
  if (pr->tty) clearBar(pr);
  if (o->rc) {
    fprintf(pr->tty ? stderr : pr->out, "[%d/%d] FAILED %s (spec line %d): %s\n", finished, p->n_todo,
            pt->label, pt->line, o->msg);
  } else if (!pr->quiet && !pr->tty) {
    fprintf(pr->out, "[%d/%d] %s run %lld: %s (%.2f s)\n", finished, p->n_todo,
            o->already ? "already stored as" : "stored", (long long)o->run_id, pt->label, o->wall_s);
  }
  fflush(pr->tty ? stderr : pr->out);
  if (pr->tty && !pr->quiet) drawBar(pr, p);
}

static void onTick(void *ctx, const QaSweepProgress *p) {
  Progress *pr = ctx;
  if (pr->tty && !pr->quiet) drawBar(pr, p);
}

static void onDone(void *ctx, const QaSweepProgress *p, int interrupted) {
  Progress *pr = ctx;
  if (pr->tty) clearBar(pr);
  (void)p;
  (void)interrupted;
}

/* (qaStoreIdentities returns them sorted: strcmp order) */
static int cmpId(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int sweepMain(void *args, const QaCliCall *call, QaErr *err) {
  const SweepArgs *a = args;
  QaSweep *sw = NULL;
  int rc, repeats = 0, shard_i = 1, shard_n = 1, interrupted = 0;
  int64_t jobs = sysconf(_SC_NPROCESSORS_ONLN);
  char bench_dir[64] = "", bench_db[128] = "";
  if (jobs < 1) jobs = 1;
  if (a->jobs && (rc = qaParseInt64(a->jobs, "--jobs", 1, 1024, &jobs, err))) return rc;
  if (a->shard && (rc = qaSweepParseShard(a->shard, &shard_i, &shard_n, err))) return rc;
  if (a->bench && a->db) return qaErrSet(err, QA_EUSER, "--bench runs into a temporary database: drop --db");
  if ((rc = qaSweepLoad(call->pos[0], &sw, err))) return rc;
  int n_spec = qaSweepCount(sw);
  if ((rc = qaSweepIdentify(sw, &repeats, err))) goto end;
  if (shard_n > 1 && (rc = qaSweepShard(sw, shard_i, shard_n, err))) goto end;
  const char *db = qaCliDbPath(a->db);
  if (a->bench) {
    snprintf(bench_dir, sizeof bench_dir, "/tmp/qasim-bench-XXXXXX");
    if (!mkdtemp(bench_dir)) {
      rc = qaErrSet(err, QA_EUSER, "--bench: cannot create a temporary directory: %s", strerror(errno));
      bench_dir[0] = 0;
      goto end;
    }
    snprintf(bench_db, sizeof bench_db, "%s/bench.db", bench_dir);
    db = bench_db;
  }

  if (a->dry_run) {
    char **ids = NULL;
    int n_ids = 0;
    QaStore *st = NULL;
    if (access(db, F_OK) == 0) {
      if ((rc = qaStoreOpen(db, &st, err)) || (rc = qaStoreIdentities(st, &ids, &n_ids, err))) {
        qaStoreClose(st);
        goto end;
      }
      qaStoreClose(st);
    }
    printf("sweep %s: %d points in the spec, %d distinct design points", qaSweepName(sw), n_spec,
           n_spec - repeats);
    if (shard_n > 1) printf(", shard %d/%d: %d", shard_i, shard_n, qaSweepCount(sw));
    printf("\n%5s  %-*s  %-6s  %s\n", "point", QA_ID_SHORT, "identity", "store", "design point");
    for (int i = 0; i < qaSweepCount(sw); i++) {
      const QaSweepPoint *p = qaSweepAt(sw, i);
      const char *key = p->id.id;
      int stored = n_ids && bsearch(&key, ids, (size_t)n_ids, sizeof *ids, cmpId) != NULL;
      printf("%5d  %.*s  %-6s  %s\n", i + 1, QA_ID_SHORT, p->id.id, stored ? "stored" : "todo", p->label);
    }
    qaStoreFreeStrings(ids, n_ids);
    goto end;
  }

  Progress pr = {stdout, isatty(2) && !a->no_progress, a->no_progress, 0, 0};
  QaSweepReporter rep = {&pr, onStart, onPoint, onTick, onDone};
  QaSweepRunOptions ro = {db, (int)jobs, call->command_line, &gStop};
  QaSweepProgress pg;
  struct sigaction sa, old_int, old_term;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  if (repeats && !a->no_progress)
    printf("sweep: %d of the spec's %d points repeat an earlier design point (same identity): run once\n",
           repeats, n_spec);
  rc = qaSweepRun(sw, &ro, &rep, &pg, &interrupted, err);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  if (interrupted) {
    rc = qaErrSet(err, QA_EUSER,
                  "interrupted: %d of %d points stored in this call, %d still to run; run the same command "
                  "again to resume (stored points are skipped)",
                  pg.n_done, pg.n_todo, pg.n_todo - pg.n_done - pg.n_failed);
    goto end;
  }
  double rate = pg.elapsed_s > 0 ? (pg.n_done + pg.n_failed) / pg.elapsed_s : 0;
  if (a->bench)
    printf("bench: %d points (%s), -j %d: wall %.1f s, %.2f points/s%s\n", pg.n_todo, qaSweepName(sw),
           (int)jobs, pg.elapsed_s, rate, pg.n_failed ? " (some points failed)" : "");
  else
    printf(
        "sweep %s: %d design points: %d already stored, %d run (%d stored, %d failed) in %.1f s "
        "(%.2f points/s) -> %s\n",
        qaSweepName(sw), pg.n_points, pg.n_stored, pg.n_todo, pg.n_done, pg.n_failed, pg.elapsed_s, rate, db);
end:
  if (bench_db[0]) {
    char side[160];
    unlink(bench_db);
    snprintf(side, sizeof side, "%s-wal", bench_db);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", bench_db);
    unlink(side);
  }
  if (bench_dir[0]) rmdir(bench_dir);
  qaSweepDestroy(sw);
  return rc;
}

const QaCliCommand qaCliCmdSweep = {
    .name = "sweep",
    .summary = "run a YAML sweep of design points in parallel, resumably",
    .pos_name = "SPEC",
    .pos_min = 1,
    .pos_max = 1,
    .pos_help = "a sweep spec (YAML: defaults, product, points; see sim/README.md)",
    .about =
        "Expand the sweep spec into design points (cartesian products and explicit points over\n"
        "architectures, named configs, parameters, bits, quantizers, encoders, networks, cost\n"
        "tables, seeds), skip those whose design-point identity the database already holds, and\n"
        "run the others in parallel worker processes. Interrupted or killed, a sweep leaves only\n"
        "complete runs: run it again to resume. --shard I/N runs a deterministic part of it; merge\n"
        "the shards' databases with `qasim merge`.\n",
    .options = sweepOptions,
    .args_size = sizeof(SweepArgs),
    .handler = sweepMain,
};

/* ---- qasim merge ------------------------------------------------------------------- */

static int mergeMain(void *args, const QaCliCall *call, QaErr *err) {
  QaStore *st = NULL;
  int rc;
  (void)args;
  const char *out = call->pos[0];
  for (int i = 1; i < call->n_pos; i++)
    if (!strcmp(call->pos[i], out))
      return qaErrSet(err, QA_EUSER, "%s: the output is also an input; merge into a new file", out);
  for (int i = 1; i < call->n_pos; i++)
    if ((rc = qaCliDbMustExist(call->pos[i], err))) return rc;
  if ((rc = qaStoreOpen(out, &st, err))) return rc;
  for (int i = 1; i < call->n_pos; i++) {
    QaMergeStats ms;
    if ((rc = qaStoreMerge(st, call->pos[i], &ms, err))) break;
    printf("%s: %d run%s added, %d already there (same design point)%s\n", call->pos[i], ms.runs_added,
           ms.runs_added == 1 ? "" : "s", ms.runs_duplicate,
           ms.runs_skipped ? ", unfinished rows skipped" : "");
  }
  qaStoreClose(st);
  if (!rc) printf("merged into %s\n", out);
  return rc;
}

const QaCliCommand qaCliCmdMerge = {
    .name = "merge",
    .summary = "merge results databases, one run per design point",
    .pos_name = "OUT IN...",
    .pos_min = 2,
    .pos_max = QA_CLI_POS_MAX,
    .pos_help = "the database to merge into (created if missing), then the databases to merge",
    .about =
        "Copy every finished run of each IN database into OUT, renumbering runs; a run whose\n"
        "design point (identity) OUT already holds is skipped. Every table with a run_id column\n"
        "comes along. A database of a newer schema than this qasim is refused.\n",
    .options = NULL,
    .args_size = 0,
    .handler = mergeMain,
};
