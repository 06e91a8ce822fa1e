/*
** sweep.h - design-space sweeps: a YAML spec of design points, expanded, identified and
** run in parallel worker processes into one results store, resumably.
**
** The spec (format in sim/README.md) is a mapping:
**   name:     free text (optional)
**   defaults: values every point starts from
**   product:  a mapping (or a list of mappings) whose list values are multiplied out:
**             every combination is a point
**   points:   a list of mappings, each one explicit point
** with the point keys arch (a name, or `all`: every registered architecture), config (a
** named config or a YAML path), set ({parameter: value} of any architecture parameter),
** net (built-in name or YAML path), bits (N, or "A/W"), a_bits, w_bits, quant_a,
** quant_w, encoder, costs, seed, zero_frac, wgt_dist, timing, verify. Paths are relative
** to the spec file (read with base/yaml.h). Every error is one line "FILE:LINE:COL:
** message" naming the key.
**
** A loaded sweep is a list of points in spec order. qaSweepIdentify resolves each one
** (sim/run.h qaRunIdentify: the same resolution a run uses) to its design-point identity
** and drops repeats, so the points of a sweep are distinct design points; a shard I/N is
** every N-th of them from the I-th (deterministic: the same spec and qasim give the same
** shards). qaSweepRun skips the points whose identity the store already holds (a sweep
** resumes where it stopped), runs the others in forked worker processes (one SystemC
** simulation per process), each writing its run in one short transaction, and reports
** progress through callbacks. A killed or interrupted sweep leaves only complete runs.
*/
#ifndef QA_SWEEP_H
#define QA_SWEEP_H

#include <signal.h>

#include "sim/identity.h"
#include "sim/run.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_SWEEP_MAX_POINTS 1000000 /* points one spec may expand to */

/* One design point of a sweep. Strings belong to the sweep. */
typedef struct QaSweepPoint {
  QaRunOptions opt;                  /* what to run (db_path, command_line set by the runner) */
  const char *sets[QA_RUN_MAX_SETS]; /* opt.arch.sets points here */
  int line, column;                  /* where in the spec the point comes from (its product or entry) */
  const char *label;                 /* e.g. "laconic sync=pe alexnet a8/w8" */
  const char *command;               /* the equivalent `qasim run ...` command line */
  QaIdentity id;                     /* set by qaSweepIdentify */
  int stored;                        /* set by qaSweepRun: 1 if the store held it before */
} QaSweepPoint;

typedef struct QaSweep QaSweep;

/* Parse and expand the spec at PATH into *out (the caller destroys it). QA_EUSER with
** "PATH:LINE:COL: message" for a bad spec (unknown key, wrong type, value out of range,
** unknown architecture or parameter, a point without a net, no points at all), naming
** the column too. */
int qaSweepLoad(const char *path, QaSweep **out, QaErr *err);
void qaSweepDestroy(QaSweep *sw); /* NULL is a no-op */

const char *qaSweepPath(const QaSweep *sw);
const char *qaSweepName(const QaSweep *sw); /* the spec's name:, or its file name */
int qaSweepCount(const QaSweep *sw);
QaSweepPoint *qaSweepAt(QaSweep *sw, int i); /* NULL if out of range */

/* Resolve every point and compute its identity; drop points whose identity an earlier
** point has (*n_repeats gets how many; may be NULL). Errors: a point that does not
** resolve (unknown cost table, bad parameter value, missing network file, ...) is
** QA_EUSER "PATH:LINE:COL: point LABEL: message". */
int qaSweepIdentify(QaSweep *sw, int *n_repeats, QaErr *err);

/* Keep only shard INDEX (1-based) of N_SHARDS: points INDEX-1, INDEX-1+N, ... of the
** identified points. QA_EUSER unless 1 <= INDEX <= N_SHARDS. */
int qaSweepShard(QaSweep *sw, int index, int n_shards, QaErr *err);

/* Parse "I/N" (a --shard value) into *index, *n_shards. QA_EUSER naming the text. */
int qaSweepParseShard(const char *text, int *index, int *n_shards, QaErr *err);

/* What happened to one point run by qaSweepRun. */
typedef struct QaSweepOutcome {
  int rc; /* QA_OK, or the point's error code */
  char msg[QA_ERR_MAX];
  int64_t run_id;   /* the stored run (or the one already there) */
  int already;      /* another writer stored the point meanwhile: nothing written */
  double wall_s;    /* the worker's wall time */
  int64_t n_cycles; /* the run's total cycles */
  double energy_pj; /* its energy (0 if not priced) */
} QaSweepOutcome;

/* Progress of a sweep. */
typedef struct QaSweepProgress {
  int n_points;  /* in the sweep (after dedup and sharding) */
  int n_stored;  /* held by the store before this call: skipped */
  int n_todo;    /* to run in this call */
  int n_done;    /* finished in this call (stored, or found stored) */
  int n_failed;  /* failed in this call */
  int n_running; /* workers running now */
  double elapsed_s;
} QaSweepProgress;

/* Callbacks (any may be NULL); pointers are valid during the call only. */
typedef struct QaSweepReporter {
  void *ctx;
  void (*start)(void *ctx, const QaSweepProgress *p, int jobs);
  void (*point)(void *ctx, const QaSweepPoint *pt, const QaSweepOutcome *o, const QaSweepProgress *p);
  void (*tick)(void *ctx, const QaSweepProgress *p); /* about every 0.2 s while points run */
  void (*done)(void *ctx, const QaSweepProgress *p, int interrupted);
} QaSweepReporter;

typedef struct QaSweepRunOptions {
  const char *db_path;         /* the results store (created if missing) */
  int jobs;                    /* worker processes (>= 1) */
  const char *command_line;    /* the sweep's command, stored with each run after the point's */
  volatile sig_atomic_t *stop; /* may be NULL; set (e.g. by a SIGINT handler): stop launching,
                               ** terminate the running workers, return */
} QaSweepRunOptions;

/* Run the identified points of SW that the store does not hold yet (see above). *prog
** (may be NULL) gets the final counts. Returns QA_OK when every point is stored (or
** stopped, then *interrupted = 1); QA_EUSER if some points failed (the first failure's
** message, and how many), QA_EINTERNAL for a fork or pipe failure or a crashed worker. */
int qaSweepRun(QaSweep *sw, const QaSweepRunOptions *o, const QaSweepReporter *rep, QaSweepProgress *prog,
               int *interrupted, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_SWEEP_H */
