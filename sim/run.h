/*
** run.h - one simulation run: a network on an architecture at given precisions.
**
** qaRunExecute is a pipeline of small stages:
**   1. resolve   the network (built-in or YAML), the architecture config (qaArchResolve:
**                name, config file, --set overrides), the quantizers and encoder (the
**                resolved architecture's defaults unless given), the cost table and the
**                composition that prices the run;
**                Every trace file of the network is checked here (workloads/trace.h),
**                and a --precision file read, before anything is simulated;
**   2. per layer (streamed through the SystemC model, one layer in memory at a time):
**                values (traced .npy or seeded synthetic; sim/values.h) -> precision
**                (--precision profile) -> quantize -> simulate -> verify against the
**                integer reference -> output SQNR against the float output -> value
**                statistics -> price; the layer's record (counters, action counts,
**                energy, SQNR, statistics) is kept in memory;
**   3. store     the whole run in one short transaction, after the simulation: a run
**                that fails or is interrupted leaves nothing, and the database is never
**                locked while simulating; the run carries its design-point identity
**                (sim/identity.h) and the composition that priced it;
**   4. compare   the energy efficiency against the newest baseline run in the store.
** Progress and results go to an optional reporter (callbacks); the module prints
** nothing. Options are validated here, once (callers pass what the user gave).
**
** SystemC allows one elaboration per process, so qaRunExecute can be called once per
** process (a second call fails with QA_EINTERNAL); tools that run many design points
** (bench, sweep) run each point in a child process.
*/
#ifndef QA_RUN_H
#define QA_RUN_H

#include <stdio.h>

#include "arch/arch.h"
#include "models/energy.h"
#include "sim/identity.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_RUN_MAX_SETS 32
#define QA_RUN_MAX_THREADS 256

typedef struct QaRunOptions {
  const char *net;      /* built-in name or YAML path */
  QaArchRequest arch;   /* architecture name, config file, --set overrides */
  int a_bits, w_bits;   /* default precisions (1..16) */
  const char *quant_a;  /* NULL: the architecture's default, else "auto" (unsigned if
                        ** non-negative, else sym); or a quantizer spec */
  const char *quant_w;  /* NULL: the architecture's default, else "sym-ch" */
  const char *encoder;  /* NULL: the architecture's default, else "booth4" */
  uint64_t seed;        /* synthetic values */
  double act_zero_frac; /* synthetic activations' zero fraction, 0..1 */
  const char *wgt_dist; /* "laplace" or "gauss" */
  QaTiming timing;
  int verify;                 /* compare with the reference (default 1) */
  const char *db_path;        /* NULL: do not store */
  const char *command_line;   /* stored with the run */
  const char *costs;          /* cost table pricing the run (default QA_COSTS_DEFAULT; NULL or "none":
                              ** not priced); see models/energy.h */
  int64_t max_memory_bytes;   /* a layer estimated to need more is refused before the run; 0:
                              ** qaRunMemoryDefault() */
  const char *layers;         /* NULL or "all": every layer; "conv": conv and depthwise layers only;
                              ** "fc": fully-connected layers only (the run's network is that subset) */
  int skip_stored;            /* 1 (sweeps): if the store already holds a finished run of the same
                              ** design point when this one is about to be written, write nothing
                              ** (res->already_stored = 1, res->run_id = that run) */
  int synthetic;              /* 1: ignore the network's traces (its geometry, synthetic values) */
  int threads;                /* 0 or 1: one thread, the SystemC model; N > 1 (loosely timed only,
                              ** at most QA_RUN_MAX_THREADS): layers computed concurrently in the C
                              ** driver and finished in layer order, every result equal to one
                              ** thread's (see run.c); the clocked timing refuses N > 1 */
  const char *precision;      /* NULL; a per-layer precision file (workloads/precision.h); or
                              ** "profile" / "profile:DB": each layer's activation bits chosen from
                              ** its values (qaValuesProfile, at least DB dB output SQNR against
                              ** 16-bit activations; default QA_RUN_PROFILE_DB) */
  int64_t stream_min_weights; /* a layer with at least this many weights streams them through the
                              ** kernels window by window when it can (run.c streams(); the same
                              ** results, bounded memory); 0: QA_RUN_STREAM_MIN; < 0: never.
                              ** qaRunDefaults reads it from $QASIM_STREAM_MIN when set */
} QaRunOptions;

#define QA_RUN_STREAM_MIN ((int64_t)4 << 20) /* weights from which a layer streams them by default */

#define QA_RUN_PROFILE_DB 30.0 /* --precision profile's default output SQNR target (dB) */

/* What is about to run (stage 1's result), for the reporter. */
typedef struct QaRunPlan {
  const QaArchConfig *cfg;
  const QaNet *net;
  int a_bits, w_bits;
  const char *quant_a, *quant_w, *encoder; /* canonical texts */
  QaTiming timing;
  const QaComposition *cx; /* NULL if not priced */
  const char *values;      /* "traces" (the network's, where it has them), "synthetic" (no traces)
                           ** or "synthetic (--synthetic: traces ignored)" */
  const char *precision;   /* as given, or NULL */
} QaRunPlan;

/* One finished layer. */
typedef struct QaRunLayer {
  int idx;
  const QaLayer *layer;
  int a_bits, w_bits;
  const QaLayerStats *stats;
  const QaEnergy *energy; /* NULL if not priced */
  double out_sqnr_db;     /* dequantised output vs the float output (sim/values.h) */
  const char *values_src; /* "trace" or "synthetic" */
} QaRunLayer;

/* Totals of one class of layers (conv: conv + depthwise; fc). */
typedef struct QaRunPart {
  int n_layers;
  int64_t macs, n_cycles, n_stall_cycles;
  double time_s;    /* simulated time at the clock */
  double energy_pj; /* when priced */
  int n_dram_bound; /* layers whose stall cycles exceed their compute cycles */
  int64_t dram_bound_cycles;
} QaRunPart;

typedef struct QaRunResult {
  int64_t run_id; /* -1 if not stored */
  int n_layers;
  int64_t macs, n_cycles, n_stall_cycles;
  double time_s; /* simulated time at the clock */
  double wall_s; /* host wall time of the simulation */
  double sim_macs_per_s;
  double values_s; /* host time of it in values: loading or generating, quantizing (sim/values.h) */
  double verify_s; /* in the reference convolution and the comparison with it */
  double post_s;   /* in output SQNR, value statistics and pricing */
  double sim_s;    /* in the simulation (one thread: the rest of wall_s); with several threads
                   ** the parts are summed over threads (their sum exceeds wall_s) */
  int threads;     /* threads the run used */
  int all_verified;
  int verified;       /* 1 if outputs were checked */
  int traced_layers;  /* layers whose values came from traces (the others: synthetic) */
  double util_cycles; /* sum of pe_util x n_cycles over layers */
  double clock_mhz;
  QaRunPart conv, fc; /* the totals split by layer class (conv + fc = the run) */
  char arch[QA_NAME_MAX];
  char net[QA_NAME_MAX];
  /* energy (when priced) */
  int priced;
  QaEnergy energy;      /* the run */
  double area_mm2;      /* chip area of the composition */
  int64_t baseline_run; /* newest stored baseline run of the same workload and bits, 0 if none */
  double baseline_pj;   /* its energy */
  QaIdentity identity;  /* the design point (sim/identity.h); set by the store stage */
  int already_stored;   /* opt->skip_stored and the point was in the store: nothing written */
  /* output quality: SQNR of each layer's dequantised output against its float output */
  double sqnr_mean_db;                /* mean over the layers (dB) */
  double sqnr_worst_db;               /* the lowest */
  char sqnr_worst_layer[QA_NAME_MAX]; /* and its layer */
} QaRunResult;

/* Callbacks (any may be NULL); pointers are valid during the call only. */
typedef struct QaRunReporter {
  void *ctx;
  void (*start)(void *ctx, const QaRunPlan *plan);
  void (*layer)(void *ctx, const QaRunLayer *layer);
  void (*done)(void *ctx, const QaRunPlan *plan, const QaRunResult *res);
} QaRunReporter;

void qaRunDefaults(QaRunOptions *opt);

/* Bytes the run is estimated to hold at once while it runs layer L (traced or synthetic
** values, integer codes, outputs, the simulator's and the reference's copies; see run.c).
** Every layer is checked against QaRunOptions.max_memory_bytes before the first one runs. */
int64_t qaRunLayerMemory(const QaLayer *l);
/* The same for a layer whose weights are streamed in windows of WINDOW_FILTERS filters. */
int64_t qaRunLayerMemoryStreamed(const QaLayer *l, int64_t window_filters);
/* The default memory limit: 80% of physical memory, or of the cgroup's limit if lower. */
int64_t qaRunMemoryDefault(void);

/* Run OPT (see the stages above). *res gets the totals (also on error: partly filled).
** Errors: QA_EUSER for anything the user gave (options, files, a layer the architecture
** cannot run), naming the option, file or layer; QA_EINTERNAL otherwise. REP may be NULL. */
int qaRunExecute(const QaRunOptions *opt, const QaRunReporter *rep, QaRunResult *res, QaErr *err);

/* The design point OPT would run (sim/identity.h), resolved exactly as qaRunExecute
** resolves it (stage 1) but without simulating or touching the store; usable any number
** of times per process. Errors as stage 1 of qaRunExecute. */
int qaRunIdentify(const QaRunOptions *opt, QaIdentity *out, QaErr *err);

/* Make the synthetic float values of OPT's network (the layers OPT's run would make whole,
** with its seed, zero fraction and weight distribution) into the process's values
** (values.h qaValuesCacheAdd, up to MAX_BYTES held in all): later runs of this process and
** of its forked children borrow them instead of making them again (a sweep's points share a
** network's values across architectures and bit-widths). Errors: the network's. */
int qaRunWarmValues(const QaRunOptions *opt, int64_t max_bytes, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_RUN_H */
