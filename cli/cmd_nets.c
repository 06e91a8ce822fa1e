/*
** cmd_nets.c - `qasim nets`, `qasim info` and `qasim archs`: what can be simulated
** (workloads/layer.h, arch/arch.h).
*/
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/arch.h"
#include "workloads/layer.h"
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
  int rc = qaNetOpen(call->pos[0], &net, err);
  if (rc != QA_OK) return rc;
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

const QaCliCommand qaCliCmdInfo = {
    .name = "info",
    .summary = "per-layer geometry and MACs of a network",
    .pos_name = "NET",
    .pos_min = 1,
    .pos_max = 1,
    .pos_help = "a built-in network name (`qasim nets` lists them) or a YAML network file",
    .about = "Print the per-layer geometry and MACs of a built-in network or a YAML network file.\n",
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
