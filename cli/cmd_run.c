/*
** cmd_run.c - `qasim run`: one network on one architecture, verified and stored
** (sim/run.h qaRunExecute with QaRunOptions).
*/
#include <stdint.h>
#include <stdio.h>

#include "arch/driver.h"
#include "base/parse.h"
#include "sim/run.h"
#include "store/store.h"
#include "workloads/layer.h"
#include "cli/cli.h"

/* The command line of `qasim run`, as the option rows fill it (text; parsed below). */
typedef struct RunArgs {
  const char *net, *arch, *config;
  QaCliList sets;
  const char *bits, *a_bits, *w_bits;
  const char *quant_a, *quant_w, *encoder;
  const char *seed, *zero_frac, *wgt_dist;
  const char *timing, *costs, *db, *layers, *precision, *threads, *max_memory;
  int no_verify, no_store, quiet, synthetic;
} RunArgs;

static const QaCliOption runOptions[] = {
    {"net", "NET", QA_CLI_REQUIRED(RunArgs, net), "built-in network (see `qasim nets`) or YAML network file"},
    {"arch", "NAME", QA_CLI_VALUE(RunArgs, arch), "architecture (see `qasim archs`), default dadiannao"},
    {"config", "FILE", QA_CLI_VALUE(RunArgs, config),
     "architecture config YAML (arch: NAME plus parameters)"},
    {"set", "NAME=VALUE", QA_CLI_LIST(RunArgs, sets), "override one architecture parameter"},
    {"bits", "N", QA_CLI_VALUE(RunArgs, bits), "activation and weight precision, 1..16 (default 16)"},
    {"a-bits", "N", QA_CLI_VALUE(RunArgs, a_bits), "activation precision, 1..16 (overrides --bits)"},
    {"w-bits", "N", QA_CLI_VALUE(RunArgs, w_bits), "weight precision, 1..16 (overrides --bits)"},
    {"quant-a", "SPEC", QA_CLI_VALUE(RunArgs, quant_a),
     "activation quantizer: auto (default: unsigned if non-negative, else sym), sym, unsigned, pow2, khotK, "
     "ternary, binary, ...-mse"},
    {"quant-w", "SPEC", QA_CLI_VALUE(RunArgs, quant_w),
     "weight quantizer (default sym-ch: symmetric per output channel)"},
    {"encoder", "NAME", QA_CLI_VALUE(RunArgs, encoder), "term encoder: booth4 (default), naf, popcount"},
    {"seed", "N", QA_CLI_VALUE(RunArgs, seed), "seed of the synthetic values, 0..2^64-1 (default 1)"},
    {"zero-frac", "F", QA_CLI_VALUE(RunArgs, zero_frac),
     "fraction of zero synthetic activations, 0..1 (default 0.5)"},
    {"wgt-dist", "D", QA_CLI_VALUE(RunArgs, wgt_dist), "synthetic weights: laplace (default) or gauss"},
    {"synthetic", NULL, QA_CLI_FLAG(RunArgs, synthetic),
     "ignore the network's traces: its geometry with seeded synthetic values"},
    {"precision", "FILE|profile[:DB]", QA_CLI_VALUE(RunArgs, precision),
     "per-layer precisions: a CSV (layer,a_bits,w_bits,source; workloads/precisions/), or profile: each "
     "layer's smallest activation bits whose output SQNR against 16-bit activations is at least DB dB "
     "(default 30)"},
    {"timing", "MODE", QA_CLI_VALUE(RunArgs, timing),
     "lt (loosely timed, default) or cycle (clocked; slow, same counts)"},
    {"threads", "N", QA_CLI_VALUE(RunArgs, threads),
     "simulate up to N layers at once on N threads (default 1; loosely timed only; the results are "
     "those of one thread)"},
    {"layers", "CLASS", QA_CLI_VALUE(RunArgs, layers),
     "all (default), conv (conv and depthwise layers only) or fc: run that subset as its own workload"},
    {"no-verify", NULL, QA_CLI_FLAG(RunArgs, no_verify), "skip the reference check"},
    {"costs", "NAME", QA_CLI_VALUE(RunArgs, costs),
     "cost table pricing the run (default " QA_COSTS_DEFAULT
     "; none: skip; BASE,ERT.yaml layers an Accelergy "
     "ERT over a table; see `qasim costs`)"},
    {"db", "PATH", QA_CLI_VALUE(RunArgs, db), QA_CLI_DB_HELP},
    {"no-store", NULL, QA_CLI_FLAG(RunArgs, no_store), "do not store the run"},
    {"quiet", NULL, QA_CLI_FLAG(RunArgs, quiet), "print only the totals"},
    {"max-memory", "SIZE", QA_CLI_VALUE(RunArgs, max_memory),
     "refuse a layer estimated to need more memory, e.g. 8G (default 80% of physical memory)"},
    {NULL},
};

static int parseBits(const char *text, const char *field, int *out, QaErr *err) {
  int64_t v;
  int rc = qaParseInt64(text, field, 1, QA_BITS_MAX, &v, err);
  if (rc == QA_OK) *out = (int)v;
  return rc;
}

static int runMain(void *args, const QaCliCall *call, QaErr *err) {
  const RunArgs *a = args;
  QaRunOptions o;
  int rc;
  qaRunDefaults(&o);
  o.net = a->net;
  o.arch.arch = a->arch;
  o.arch.config = a->config;
  o.arch.sets = a->sets.v;
  o.arch.n_sets = a->sets.n;
  if (a->bits && (rc = parseBits(a->bits, "--bits", &o.a_bits, err))) return rc;
  if (a->bits) o.w_bits = o.a_bits;
  if (a->a_bits && (rc = parseBits(a->a_bits, "--a-bits", &o.a_bits, err))) return rc;
  if (a->w_bits && (rc = parseBits(a->w_bits, "--w-bits", &o.w_bits, err))) return rc;
  if (a->quant_a) o.quant_a = a->quant_a;
  if (a->quant_w) o.quant_w = a->quant_w;
  if (a->encoder) o.encoder = a->encoder;
  if (a->seed && (rc = qaParseUint64(a->seed, "--seed", 0, UINT64_MAX, &o.seed, err))) return rc;
  if (a->zero_frac && (rc = qaParseDouble(a->zero_frac, "--zero-frac", 0, 1, &o.act_zero_frac, err)))
    return rc;
  if (a->wgt_dist) o.wgt_dist = a->wgt_dist;
  o.synthetic = a->synthetic;
  o.precision = a->precision;
  if (a->timing && (rc = qaTimingParse(a->timing, &o.timing, err))) return rc;
  int64_t threads = 1;
  if (a->threads && (rc = qaParseInt64(a->threads, "--threads", 1, QA_RUN_MAX_THREADS, &threads, err)))
    return rc;
  o.threads = (int)threads;
  if (a->costs) o.costs = a->costs;
  if (a->max_memory &&
      (rc = qaParseSize(a->max_memory, "--max-memory", 1 << 20, INT64_MAX / 2, &o.max_memory_bytes, err)))
    return rc;
  o.layers = a->layers;
  o.verify = !a->no_verify;
  o.db_path = a->no_store ? NULL : qaCliDbPath(a->db);
  o.command_line = call->command_line;
  QaRunPrinter pr = {stdout, !a->quiet, o.db_path, o.costs};
  QaRunReporter rep = qaCliRunReporter(&pr);
  QaRunResult res;
  return qaRunExecute(&o, &rep, &res, err);
}

const QaCliCommand qaCliCmdRun = {
    .name = "run",
    .summary = "simulate a network on an architecture and store the run",
    .about =
        "Simulate every layer of a network on an architecture, verify the outputs against\n"
        "the integer reference, print per-layer and total cycles, and store the run.\n"
        "NET is a built-in name, a YAML network file (traced networks name their .npy files),\n"
        "a trace directory (DIR/net.yaml, a DNNsim directory with model.csv, or a directory of\n"
        "Timeloop problem files), a SCALE-Sim topology .csv or a Timeloop problem .yaml.\n"
        "Each layer's output is dequantised and compared with the float output (the traced\n"
        "one, or the float convolution of its values): SQNR per layer, mean and worst.\n",
    .options = runOptions,
    .args_size = sizeof(RunArgs),
    .handler = runMain,
};
