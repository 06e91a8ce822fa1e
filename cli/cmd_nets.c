/*
** cmd_nets.c - `qasim nets`, `qasim info` and `qasim archs`: what can be simulated
** (workloads/layer.h, arch/arch.h).
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/arch.h"
#include "workloads/layer.h"
#include "workloads/trace.h"
#include "cli/cli.h"

/* ---- nets -------------------------------------------------------------------------- */

static int netsMain(void *args, const QaCliCall *call, QaErr *err) {
  int rc;
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

const QaCliCommand qaCliCmdNets = {
    .name = "nets",
    .summary = "list the built-in networks",
    .about = "List the built-in networks with their layer count and total MACs.\n",
    .handler = netsMain,
};

/* ---- info -------------------------------------------------------------------------- */

static int infoMain(void *args, const QaCliCall *call, QaErr *err) {
  QaNet *net = NULL;
  int rc = qaNetOpen(call->pos[0], &net, err), n_files = 0;
  if (rc != QA_OK) return rc;
  int64_t params = 0;
  for (int i = 0; i < net->n_layers; i++) params += qaLayerParams(&net->layers[i]);
  printf("%s (%s): %d layers, %" PRId64 " MACs, %" PRId64 " parameters\n", net->name, net->source,
         net->n_layers, qaNetMacs(net), params);
  if (net->about[0]) printf("source: %s\n", net->about);
  for (const char *n = net->notes; n && *n;) { /* warnings found reading the network */
    const char *e = strchr(n, '\n');
    int len = e ? (int)(e - n) : (int)strlen(n);
    printf("warning: %.*s\n", len, n);
    n = e ? e + 1 : n + len;
  }
  printf("%4s %-24s %-4s %5s %5s %5s %5s %3s %3s %3s %7s %5s %5s %5s %14s %10s %s\n", "#", "layer", "kind",
         "c", "h", "w", "k", "r", "s", "str", "pad", "grp", "oh", "ow", "macs", "params", "traces");
  for (int i = 0; i < net->n_layers; i++) {
    const QaLayer *l = &net->layers[i];
    char pad[32], tr[64] = "";
    if (l->pad_asym)
      snprintf(pad, sizeof pad, "%d%d%d%d", l->pad_h, l->pad_b, l->pad_w, l->pad_r);
    else
      snprintf(pad, sizeof pad, "%d", l->pad_h);
    for (int k = 0; k < QA_TRACE_KINDS; k++)
      if (qaLayerTrace(l, (QaTraceKind)k)[0])
        snprintf(tr + strlen(tr), sizeof tr - strlen(tr), "%s%s", tr[0] ? "," : "",
                 qaTraceKey((QaTraceKind)k));
    printf("%4d %-24s %-4s %5d %5d %5d %5d %3d %3d %3d %7s %5d %5d %5d %14" PRId64 " %10" PRId64 " %s\n", i,
           l->name, qaLayerKindName(l->kind), l->c, l->h, l->w, l->k, l->r, l->s, l->stride_h, pad, l->groups,
           qaLayerOutH(l), qaLayerOutW(l), qaLayerMacs(l), qaLayerParams(l), tr[0] ? tr : "-");
  }
  /* every trace file read and checked, as `qasim run` does before simulating */
  if ((rc = qaNetCheckTraces(net, &n_files, err)) == QA_OK && n_files)
    printf("traces: %d files checked (dtype, shape, NaN/Inf): ok\n", n_files);
  qaNetDestroy(net);
  return rc;
}

const QaCliCommand qaCliCmdInfo = {
    .name = "info",
    .summary = "per-layer geometry and MACs of a network",
    .pos_name = "NET",
    .pos_min = 1,
    .pos_max = 1,
    .pos_help = "a built-in network name (`qasim nets` lists them), a network file or a trace directory",
    .about =
        "Print the per-layer geometry, MACs and parameters (weights, plus biases where traced) of a\n"
        "network, and check every trace file it names (dtype, shape, NaN/Inf) as `qasim run` does\n"
        "before simulating. pad is top/left, or top,bottom,left,right digits when they differ.\n",
    .handler = infoMain,
};

/* ---- archs ------------------------------------------------------------------------- */

static int archsMain(void *args, const QaCliCall *call, QaErr *err) {
  const char *name = call->n_pos ? call->pos[0] : NULL;
  for (int i = 0; i < qaArchCount(); i++) {
    const QaArchDesc *d = qaArchAt(i);
    if (name && strcmp(name, d->name)) continue;
    qaArchPrintParams(d, stdout);
    putchar('\n');
  }
  if (name) {
    const QaArchDesc *d;
    return qaArchFind(name, &d, err);
  }
  return QA_OK;
}

const QaCliCommand qaCliCmdArchs = {
    .name = "archs",
    .summary = "list architectures and their parameters",
    .pos_name = "NAME",
    .pos_min = 0,
    .pos_max = 1,
    .pos_help = "print only this architecture",
    .about =
        "List the architectures with their parameters (name, default, range, unit).\n"
        "Any parameter can be set in a YAML config (--config) or with --set NAME=VALUE.\n",
    .handler = archsMain,
};
