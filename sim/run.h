/*
** run.h - one simulation run: a network on an architecture at given precisions.
**
** qaRunExecute resolves the network and the architecture config, opens the
** results store, and streams the layers through the SystemC model: for each
** layer it loads traced float values (.npy) or generates seeded synthetic ones,
** quantizes them, executes the layer, checks the outputs against the integer
** reference, prints a line and stores the layer row. The run row is committed at
** the end, in the same transaction: an error or interruption stores nothing.
*/
#ifndef QA_RUN_H
#define QA_RUN_H

#include <stdio.h>

#include "arch/arch.h"
#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_RUN_MAX_SETS 32

typedef struct QaRunOptions {
  const char *net;         /* built-in name or YAML path */
  const char *arch;        /* architecture name (ignored if config gives one) */
  const char *arch_config; /* YAML config path or NULL */
  int n_sets;
  const char *sets[QA_RUN_MAX_SETS]; /* "name=value" parameter overrides */
  int a_bits, w_bits;                /* default precisions (0: 16) */
  const char *quant_a;               /* "auto" (unsigned if non-negative else sym) or a spec */
  const char *quant_w;               /* default "sym-ch" */
  const char *encoder;               /* default "booth4" */
  uint64_t seed;                     /* synthetic values */
  double act_zero_frac;              /* synthetic activations' zero fraction */
  const char *wgt_dist;              /* "laplace" or "gauss" */
  QaTiming timing;
  int verify;               /* compare with the reference (default 1) */
  const char *db_path;      /* NULL: do not store */
  const char *command_line; /* stored with the run */
  FILE *out;                /* progress and summary, NULL for silence */
  int per_layer;            /* print one line per layer */
  const char *costs;        /* cost table pricing the run (default "horowitz45"; NULL
                            ** or "none": not priced); see models/energy.h */
} QaRunOptions;

typedef struct QaRunResult {
  int64_t run_id; /* -1 if not stored */
  int n_layers;
  int64_t macs, n_cycles, n_stall_cycles;
  double time_s, wall_s, sim_macs_per_s;
  int all_verified;
  double energy_pj; /* priced energy of the run (0 if not priced) */
  double pj_per_mac;
  double util_cycles; /* sum of pe_util x n_cycles over layers */
  char arch[QA_NAME_MAX];
  char net[QA_NAME_MAX];
} QaRunResult;

void qaRunDefaults(QaRunOptions *opt);
int qaRunExecute(const QaRunOptions *opt, QaRunResult *res, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_RUN_H */
