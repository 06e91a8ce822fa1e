/*
** main.c - the `qasim` command-line tool: subcommand dispatch and option parsing.
**
** Exit codes: 0 success, 1 user error (one line on stderr), 2 internal error.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "arch/driver.h"
#include "workloads/layer.h"
#include "sim/run.h"
#include "store/store.h"
#include "cli/cli.h"

/* ---- option parsing --------------------------------------------------------------- */

int qaCliParse(int argc, char **argv, const QaCliOpt *opts, int n_opts, const char **pos, int max_pos,
               int *n_pos, QaErr *err) {
  *n_pos = 0;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && a[1] == '-' && a[2]) {
      char name[64];
      const char *eq = strchr(a + 2, '=');
      size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
      if (len >= sizeof name) return qaErrSet(err, QA_EUSER, "unknown option '%s'", a);
      memcpy(name, a + 2, len);
      name[len] = 0;
      const QaCliOpt *o = NULL;
      for (int j = 0; j < n_opts; j++)
        if (!strcmp(opts[j].name, name)) o = &opts[j];
      if (!o) return qaErrSet(err, QA_EUSER, "unknown option '--%s' (see --help)", name);
      if (o->flag) {
        if (eq) return qaErrSet(err, QA_EUSER, "option '--%s' takes no value", name);
        *o->flag = 1;
        continue;
      }
      const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
      if (!val) return qaErrSet(err, QA_EUSER, "option '--%s' needs a value", name);
      if (o->list) {
        if (*o->list_n >= o->list_max)
          return qaErrSet(err, QA_EUSER, "option '--%s' given too many times", name);
        o->list[(*o->list_n)++] = val;
      } else {
        *o->value = val;
      }
    } else if (!strcmp(a, "-h")) {
      for (int j = 0; j < n_opts; j++)
        if (!strcmp(opts[j].name, "help") && opts[j].flag) *opts[j].flag = 1;
    } else {
      if (*n_pos >= max_pos) return qaErrSet(err, QA_EUSER, "unexpected argument '%s'", a);
      pos[(*n_pos)++] = a;
    }
  }
  return QA_OK;
}

int qaCliInt(const char *text, const char *what, long lo, long hi, long *out, QaErr *err) {
  char *end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || end == text || *end) return qaErrSet(err, QA_EUSER, "%s: '%s' is not an integer", what, text);
  if (v < lo || v > hi) return qaErrSet(err, QA_EUSER, "%s: %ld is out of range [%ld, %ld]", what, v, lo, hi);
  *out = v;
  return QA_OK;
}

/* ---- nets / info / archs ---------------------------------------------------------- */

static int cmd_nets(int argc, char **argv, QaErr *err) {
  int help = 0, n_pos;
  const char *pos[1];
  QaCliOpt opts[] = {{"help", &help}};
  int rc = qaCliParse(argc, argv, opts, 1, pos, 0, &n_pos, err);
  if (rc) return rc;
  if (help) {
    puts("usage: qasim nets\n\nList the built-in networks with their layer count and total MACs.");
    return QA_OK;
  }
  printf("%-12s %6s %14s  %s\n", "network", "layers", "macs", "description");
  for (int i = 0; i < qaNetBuiltinCount(); i++) {
    const QaNetInfo *inf = qaNetBuiltinInfo(i);
    QaNet *net = NULL;
    if ((rc = qaNetBuiltin(inf->name, &net, err)) != QA_OK) return rc;
    printf("%-12s %6d %14" PRId64 "  %s\n", inf->name, net->n_layers, qaNetMacs(net), inf->title);
    qaNetDestroy(net);
  }
  return QA_OK;
}

static int cmd_info(int argc, char **argv, QaErr *err) {
  int help = 0, n_pos;
  const char *pos[1];
  QaCliOpt opts[] = {{"help", &help}};
  int rc = qaCliParse(argc, argv, opts, 1, pos, 1, &n_pos, err);
  if (rc) return rc;
  if (help || n_pos != 1) {
    puts(
        "usage: qasim info NET\n\nPrint the per-layer geometry and MACs of a built-in network or a "
        "YAML network file.");
    return help ? QA_OK : qaErrSet(err, QA_EUSER, "info: give one network name or YAML file");
  }
  QaNet *net = NULL;
  if ((rc = qaNetOpen(pos[0], &net, err)) != QA_OK) return rc;
  printf("%s (%s): %d layers, %" PRId64 " MACs\n", net->name, net->source, net->n_layers, qaNetMacs(net));
  printf("%4s %-24s %-4s %5s %5s %5s %5s %3s %3s %3s %3s %5s %5s %5s %14s\n", "#", "layer", "kind", "c", "h",
         "w", "k", "r", "s", "str", "pad", "grp", "oh", "ow", "macs");
  for (int i = 0; i < net->n_layers; i++) {
    const QaLayer *l = &net->layers[i];
    printf("%4d %-24s %-4s %5d %5d %5d %5d %3d %3d %3d %3d %5d %5d %5d %14" PRId64 "\n", i, l->name,
           qaLayerKindName(l->kind), l->c, l->h, l->w, l->k, l->r, l->s, l->stride_h, l->pad_h, l->groups,
           qaLayerOutH(l), qaLayerOutW(l), qaLayerMacs(l));
  }
  qaNetDestroy(net);
  return QA_OK;
}

static int cmd_archs(int argc, char **argv, QaErr *err) {
  int help = 0, n_pos;
  const char *pos[1];
  QaCliOpt opts[] = {{"help", &help}};
  int rc = qaCliParse(argc, argv, opts, 1, pos, 1, &n_pos, err);
  if (rc) return rc;
  if (help) {
    puts(
        "usage: qasim archs [NAME]\n\nList the architectures with their parameters (name, default, "
        "range, unit).\nAny parameter can be set in a YAML config (--config) or with --set NAME=VALUE.");
    return QA_OK;
  }
  for (int i = 0; i < qaArchCount(); i++) {
    const QaArchDesc *d = qaArchAt(i);
    if (n_pos && strcmp(pos[0], d->name)) continue;
    qaArchPrintParams(d, stdout);
    putchar('\n');
  }
  if (n_pos) {
    const QaArchDesc *d;
    return qaArchFind(pos[0], &d, err);
  }
  return QA_OK;
}

/* ---- run -------------------------------------------------------------------------- */

static const char *run_usage =
    "usage: qasim run --net NET [--arch NAME] [options]\n"
    "\n"
    "Simulate every layer of a network on an architecture, verify the outputs against\n"
    "the integer reference, print per-layer and total cycles, and store the run.\n"
    "\n"
    "  --net NET          built-in network (see `qasim nets`) or YAML network file\n"
    "  --arch NAME        architecture (see `qasim archs`), default dadiannao\n"
    "  --config FILE      architecture config YAML (arch: NAME plus parameters)\n"
    "  --set NAME=VALUE   override one architecture parameter (repeatable)\n"
    "  --bits N           activation and weight precision, 1..16 (default 16)\n"
    "  --a-bits N, --w-bits N   set them separately\n"
    "  --quant-a SPEC     activation quantizer: auto (default: unsigned if non-negative,\n"
    "                     else sym), sym, unsigned, pow2, khotK, ternary, binary, ...-mse\n"
    "  --quant-w SPEC     weight quantizer (default sym-ch: symmetric per output channel)\n"
    "  --encoder NAME     term encoder: booth4 (default), naf, popcount\n"
    "  --seed N           seed of the synthetic values (default 1)\n"
    "  --zero-frac F      fraction of zero synthetic activations (default 0.5)\n"
    "  --wgt-dist D       synthetic weights: laplace (default) or gauss\n"
    "  --timing MODE      lt (loosely timed, default) or cycle (clocked; slow, same counts)\n"
    "  --no-verify        skip the reference check\n"
    "  --costs NAME       cost table pricing the run (default horowitz45; none: skip;\n"
    "                     see `qasim costs`)\n"
    "  --db PATH          results database (default " QA_STORE_DEFAULT_PATH
    ")\n"
    "  --no-store         do not store the run\n"
    "  --quiet            print only the totals\n";

static int cmd_run(int argc, char **argv, const char *cmdline, QaErr *err) {
  int help = 0, no_verify = 0, no_store = 0, quiet = 0, n_pos;
  const char *net = NULL, *arch = NULL, *config = NULL, *bits = NULL, *abits = NULL, *wbits = NULL;
  const char *qa = NULL, *qw = NULL, *enc = NULL, *seed = NULL, *zf = NULL, *dist = NULL, *timing = NULL;
  const char *db = NULL, *costs = NULL;
  const char *pos[1], *sets[QA_RUN_MAX_SETS];
  int n_sets = 0;
  QaRunOptions o;
  qaRunDefaults(&o);
  QaCliOpt opts[] = {
      {"help", &help},           {"no-verify", &no_verify},
      {"no-store", &no_store},   {"quiet", &quiet},
      {"net", NULL, &net},       {"arch", NULL, &arch},
      {"config", NULL, &config}, {"bits", NULL, &bits},
      {"a-bits", NULL, &abits},  {"w-bits", NULL, &wbits},
      {"quant-a", NULL, &qa},    {"quant-w", NULL, &qw},
      {"encoder", NULL, &enc},   {"seed", NULL, &seed},
      {"zero-frac", NULL, &zf},  {"wgt-dist", NULL, &dist},
      {"timing", NULL, &timing}, {"db", NULL, &db},
      {"costs", NULL, &costs},   {"set", NULL, NULL, sets, &n_sets, QA_RUN_MAX_SETS},
  };
  int rc = qaCliParse(argc, argv, opts, (int)(sizeof opts / sizeof opts[0]), pos, 0, &n_pos, err);
  if (rc) return rc;
  if (help) {
    fputs(run_usage, stdout);
    return QA_OK;
  }
  if (!net) return qaErrSet(err, QA_EUSER, "run: --net is required (e.g. --net resnet18; see `qasim nets`)");
  o.net = net;
  o.arch.arch = arch;
  o.arch.config = config;
  o.arch.sets = sets;
  o.arch.n_sets = n_sets;
  long v;
  if (bits) {
    if ((rc = qaCliInt(bits, "--bits", 1, QA_BITS_MAX, &v, err))) return rc;
    o.a_bits = o.w_bits = (int)v;
  }
  if (abits) {
    if ((rc = qaCliInt(abits, "--a-bits", 1, QA_BITS_MAX, &v, err))) return rc;
    o.a_bits = (int)v;
  }
  if (wbits) {
    if ((rc = qaCliInt(wbits, "--w-bits", 1, QA_BITS_MAX, &v, err))) return rc;
    o.w_bits = (int)v;
  }
  if (qa) o.quant_a = qa;
  if (qw) o.quant_w = qw;
  if (enc) o.encoder = enc;
  if (seed) {
    char *end;
    errno = 0;
    unsigned long long s = strtoull(seed, &end, 0);
    if (errno || end == seed || *end || seed[0] == '-')
      return qaErrSet(err, QA_EUSER, "--seed: '%s' is not a non-negative integer", seed);
    o.seed = (uint64_t)s;
  }
  if (zf) {
    char *end;
    o.act_zero_frac = strtod(zf, &end);
    if (end == zf || *end) return qaErrSet(err, QA_EUSER, "--zero-frac: '%s' is not a number", zf);
  }
  if (dist) o.wgt_dist = dist;
  if (timing && (rc = qaTimingParse(timing, &o.timing, err))) return rc;
  if (costs) o.costs = costs;
  o.verify = !no_verify;
  o.db_path = no_store ? NULL : db ? db : QA_STORE_DEFAULT_PATH;
  o.command_line = cmdline;
  QaRunPrinter pr = {stdout, !quiet, o.db_path, o.costs};
  QaRunReporter rep = qaCliRunReporter(&pr);
  QaRunResult res;
  return qaRunExecute(&o, &rep, &res, err);
}

/* ---- results / export ------------------------------------------------------------- */

static int cmd_results(int argc, char **argv, QaErr *err) {
  int help = 0, n_pos;
  const char *db = QA_STORE_DEFAULT_PATH, *pos[1];
  QaCliOpt opts[] = {{"help", &help}, {"db", NULL, &db}};
  int rc = qaCliParse(argc, argv, opts, 2, pos, 0, &n_pos, err);
  if (rc) return rc;
  if (help) {
    puts("usage: qasim results [--db PATH]\n\nList the runs in the results database.");
    return QA_OK;
  }
  if (access(db, F_OK) != 0)
    return qaErrSet(err, QA_EUSER,
                    "%s: no results database here; run `qasim run ...` first or pass --db PATH", db);
  QaStore *st = NULL;
  if ((rc = qaStoreOpen(db, &st, err)) == QA_OK) rc = qaStoreListRuns(st, stdout, err);
  qaStoreClose(st);
  return rc;
}

static int cmd_export(int argc, char **argv, QaErr *err) {
  int help = 0, csv = 0, n_pos;
  const char *db = QA_STORE_DEFAULT_PATH, *outp = NULL, *pos[1];
  QaCliOpt opts[] = {{"help", &help}, {"csv", &csv}, {"db", NULL, &db}, {"output", NULL, &outp}};
  int rc = qaCliParse(argc, argv, opts, 4, pos, 1, &n_pos, err);
  if (rc) return rc;
  if (help || n_pos != 1) {
    puts(
        "usage: qasim export RUN --csv [--db PATH] [--output FILE]\n\nWrite the per-layer table of a "
        "run as CSV (to stdout or FILE).");
    return help ? QA_OK : qaErrSet(err, QA_EUSER, "export: give one run id (see `qasim results`)");
  }
  if (!csv) return qaErrSet(err, QA_EUSER, "export: choose a format: --csv");
  long id;
  if ((rc = qaCliInt(pos[0], "run id", 1, INT32_MAX, &id, err))) return rc;
  if (access(db, F_OK) != 0)
    return qaErrSet(err, QA_EUSER, "%s: no results database here; pass --db PATH", db);
  QaStore *st = NULL;
  FILE *f = stdout;
  if ((rc = qaStoreOpen(db, &st, err)) != QA_OK) goto end;
  if (outp && !(f = fopen(outp, "w"))) {
    f = NULL;
    rc = qaErrSet(err, QA_EUSER, "%s: cannot write: %s", outp, strerror(errno));
    goto end;
  }
  rc = qaStoreExportCsv(st, id, f, err);
end:
  if (f && f != stdout) fclose(f);
  qaStoreClose(st);
  return rc;
}

/* ---- bench ------------------------------------------------------------------------ */

/* Each case runs in a child process: SystemC allows one simulation per process. */
static int bench_case(const char *arch, const char *net, int bits, QaRunResult *res, QaErr *err) {
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
    o.db_path = NULL;
    int rc = qaRunExecute(&o, NULL, res, &e);
    if (write(fd[1], &rc, sizeof rc) < 0 || write(fd[1], res, sizeof *res) < 0 ||
        write(fd[1], &e, sizeof e) < 0)
      _exit(2);
    _exit(0);
  }
  close(fd[1]);
  int rc = QA_EINTERNAL, status = 0;
  QaErr e = {0, ""};
  ssize_t n1 = read(fd[0], &rc, sizeof rc);
  ssize_t n2 = read(fd[0], res, sizeof *res);
  ssize_t n3 = read(fd[0], &e, sizeof e);
  close(fd[0]);
  waitpid(pid, &status, 0);
  if (n1 != sizeof rc || n2 != sizeof *res || n3 != sizeof e)
    return qaErrSet(err, QA_EINTERNAL, "bench: %s on %s crashed", arch, net);
  if (rc) return qaErrSet(err, rc, "%s", e.msg);
  return QA_OK;
}

static int cmd_bench(int argc, char **argv, QaErr *err) {
  int help = 0, n_pos, n_arch = 0, n_net = 0;
  const char *archs[16], *nets[16], *bits = NULL, *pos[1];
  QaCliOpt opts[] = {{"help", &help},
                     {"bits", NULL, &bits},
                     {"arch", NULL, NULL, archs, &n_arch, 16},
                     {"net", NULL, NULL, nets, &n_net, 16}};
  int rc = qaCliParse(argc, argv, opts, 4, pos, 0, &n_pos, err);
  if (rc) return rc;
  if (help) {
    puts(
        "usage: qasim bench [--arch NAME]... [--net NET]... [--bits N]\n\n"
        "Run networks in the default (loosely timed) mode with outputs verified and print\n"
        "simulated MACs per second and wall time. Defaults: every architecture, every built-in\n"
        "network, 8 bits. Wall time covers value generation, quantization, simulation and\n"
        "verification; each case runs once in its own process (quote ratios from one run).");
    return QA_OK;
  }
  long b = 8;
  if (bits && (rc = qaCliInt(bits, "--bits", 1, QA_BITS_MAX, &b, err))) return rc;
  if (!n_arch)
    for (int i = 0; i < qaArchCount() && n_arch < 16; i++) archs[n_arch++] = qaArchAt(i)->name;
  if (!n_net)
    for (int i = 0; i < qaNetBuiltinCount() && n_net < 16; i++) nets[n_net++] = qaNetBuiltinInfo(i)->name;
  printf("%-16s %-12s %4s %14s %14s %9s %12s  %s\n", "arch", "network", "bits", "macs", "n_cycles", "wall_s",
         "sim_Mmac_s", "outputs");
  for (int i = 0; i < n_arch; i++)
    for (int j = 0; j < n_net; j++) {
      QaRunResult res;
      if ((rc = bench_case(archs[i], nets[j], (int)b, &res, err))) return rc;
      printf("%-16s %-12s %4ld %14" PRId64 " %14" PRId64 " %9.2f %12.1f  %s\n", archs[i], res.net, b,
             res.macs, res.n_cycles, res.wall_s, res.sim_macs_per_s / 1e6,
             res.all_verified ? "verified" : "NOT VERIFIED");
      fflush(stdout);
    }
  return QA_OK;
}

/* ---- dispatch --------------------------------------------------------------------- */

static const struct {
  const char *name;
  const char *help;
} commands[] = {
    {"nets", "list the built-in networks"},
    {"info", "per-layer geometry and MACs of a network"},
    {"archs", "list architectures and their parameters"},
    {"run", "simulate a network on an architecture and store the run"},
    {"results", "list stored runs"},
    {"export", "write a run's per-layer table as CSV"},
    {"plot", "draw plots from the results database with gnuplot"},
    {"bench", "measure simulated MACs per second"},
    {"area", "hardware, area and energy per action of an architecture"},
    {"price", "re-price a stored run with a cost table (no simulation)"},
    {"costs", "list the cost tables, or print one with its sources"},
};

static void usage(FILE *f) {
  fprintf(f, "usage: qasim COMMAND [options]   (qasim COMMAND --help for details)\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv) {
  QaErr err = {0, ""};
  int rc;
  /* Layers allocate and free large buffers one after another. Keep freed memory in
  ** the heap for the next layer instead of returning it to the kernel: fresh pages
  ** must be zeroed by the kernel, which costs more than the simulation of a layer's
  ** fully connected weights (measured: ~2.5 s per GB of fresh memory here). */
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  if (argc < 2) {
    fprintf(
        stderr,
        "qasim: missing command (nets, info, archs, run, results, export, plot, bench; see qasim --help)\n");
    return 1;
  }
  const char *cmd = argv[1];
  char cmdline[2048] = "";
  for (int i = 0; i < argc; i++) {
    if (i) strncat(cmdline, " ", sizeof cmdline - strlen(cmdline) - 1);
    strncat(cmdline, argv[i], sizeof cmdline - strlen(cmdline) - 1);
  }
  int sub_argc = argc - 2;
  char **sub_argv = argv + 2;
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    usage(stdout);
    return 0;
  } else if (!strcmp(cmd, "--version")) {
    printf("qasim %s\n", qaVersion());
    return 0;
  } else if (!strcmp(cmd, "nets")) {
    rc = cmd_nets(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "info")) {
    rc = cmd_info(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "archs")) {
    rc = cmd_archs(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "run")) {
    rc = cmd_run(sub_argc, sub_argv, cmdline, &err);
  } else if (!strcmp(cmd, "results")) {
    rc = cmd_results(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "export")) {
    rc = cmd_export(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "plot")) {
    rc = qaCliPlot(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "bench")) {
    rc = cmd_bench(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "area")) {
    rc = qaCliArea(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "price")) {
    rc = qaCliPrice(sub_argc, sub_argv, &err);
  } else if (!strcmp(cmd, "costs")) {
    rc = qaCliCosts(sub_argc, sub_argv, &err);
  } else {
    fprintf(stderr, "qasim: unknown command '%s' (see qasim --help)\n", cmd);
    return 1;
  }
  if (rc) {
    fprintf(stderr, "qasim: %s\n", err.msg[0] ? err.msg : "failed");
    return rc == QA_EUSER ? 1 : 2;
  }
  return 0;
}
