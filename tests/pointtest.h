/*
** pointtest.h - design points written through the store API for tests (merge,
** concurrent writers, reports): a run with its identity, layers, energy rows and
** composition, built from a small description. The identity halves are SHA-256 of the
** description's configuration and workload texts, so equal descriptions are one design
** point, as qasim's own identities are.
*/
#ifndef QA_POINTTEST_H
#define QA_POINTTEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/sha256.h"
#include "qatest.h"
#include "store/store.h"

typedef struct PtLayer {
  const char *name;
  int64_t n_cycles;
  double a_sqnr_db, w_sqnr_db;
} PtLayer;

typedef struct PtEnergy {
  const char *component; /* the architecture's component name, or "static" */
  double pj;             /* per layer */
} PtEnergy;

typedef struct PtArea {
  const char *component, *category;
  double area_um2;
} PtArea;

typedef struct PtRun {
  const char *arch;
  const char *params; /* "name: value\n" lines of the config after "arch: NAME" */
  const char *workload;
  int a_bits, w_bits;
  double clock_mhz;
  uint64_t seed;
  const char *costs; /* NULL: not priced */
  int n_layers;
  const PtLayer *layers;
  int n_energy;
  const PtEnergy *energy;
  int n_area;
  const PtArea *area;
} PtRun;

/* Write run R through the store API; its run id (or -1 on failure, with a CHECK failed). */
static inline int64_t ptAddRun(QaStore *st, const PtRun *r) {
  char cfg[1024], text[2048], config_id[QA_SHA256_HEX], workload_id[QA_SHA256_HEX], id[QA_SHA256_HEX];
  QaErr err = {0, ""};
  int64_t run = -1;
  snprintf(cfg, sizeof cfg, "arch: %s\n%s", r->arch, r->params ? r->params : "");
  snprintf(text, sizeof text, "%s|%d|%d|%llu|%s", cfg, r->a_bits, r->w_bits, (unsigned long long)r->seed,
           r->costs ? r->costs : "none");
  qaSha256Hex(text, strlen(text), config_id);
  qaSha256Hex(r->workload, strlen(r->workload), workload_id);
  snprintf(text, sizeof text, "%s|%s", config_id, workload_id);
  qaSha256Hex(text, strlen(text), id);
  QaRunInfo info = {.tool_version = "test",
                    .arch = r->arch,
                    .arch_config = cfg,
                    .arch_config_hash = "0000000000000000",
                    .workload = r->workload,
                    .workload_source = "builtin",
                    .workload_hash = "0000000000000000",
                    .a_bits = r->a_bits,
                    .w_bits = r->w_bits,
                    .quant_a = "auto",
                    .quant_w = "sym-ch",
                    .encoder = "booth4",
                    .seed = r->seed,
                    .timing = "lt",
                    .clock_mhz = r->clock_mhz,
                    .command_line = "pointtest",
                    .identity = id,
                    .config_id = config_id,
                    .workload_id = workload_id,
                    .act_zero_frac = 0.5,
                    .wgt_dist = "laplace",
                    .verify = 1,
                    .costs = r->costs,
                    .costs_id = r->costs ? "c0575" : NULL};
  QaRunTotals tot = {0};
  if (qaStoreBeginRun(st, &info, &run, &err) != QA_OK) {
    CHECK_MSG(0, "%s", err.msg);
    return -1;
  }
  double total = 0, area = 0;
  for (int i = 0; i < r->n_layers; i++) {
    QaLayer l;
    QaLayerStats ls;
    memset(&l, 0, sizeof l);
    memset(&ls, 0, sizeof ls);
    snprintf(l.name, sizeof l.name, "%s", r->layers[i].name);
    l.kind = QA_LAYER_CONV;
    l.n = l.c = l.h = l.w = l.k = l.r = l.s = l.stride_h = l.stride_w = l.groups = 1;
    ls.macs = 1000;
    ls.n_cycles = ls.n_compute_cycles = r->layers[i].n_cycles;
    ls.effectual_terms = -1;
    ls.outputs_verified = 1;
    QaLayerRecord rec = {
        i, &l, r->a_bits, r->w_bits, r->layers[i].a_sqnr_db, r->layers[i].w_sqnr_db, "synthetic", &ls};
    CHECK_MSG(qaStoreAddLayer(st, run, &rec, &err) == QA_OK, "%s", err.msg);
    for (int k = 0; r->costs && k < r->n_energy; k++) {
      CHECK_MSG(
          qaStoreAddEnergy(st, run, i, r->costs, r->energy[k].component, r->energy[k].pj, &err) == QA_OK,
          "%s", err.msg);
      total += r->energy[k].pj;
    }
    tot.macs += ls.macs;
    tot.n_cycles += ls.n_cycles;
  }
  for (int k = 0; r->costs && k < r->n_area; k++) {
    QaComponentRecord c = {r->costs, r->area[k].component, r->area[k].category, "tile",
                           1,        r->area[k].area_um2};
    CHECK_MSG(qaStoreAddComponent(st, run, &c, &err) == QA_OK, "%s", err.msg);
    area += r->area[k].area_um2;
  }
  if (r->costs) {
    QaRunEnergyRecord e = {r->costs, total, 0, tot.macs ? total / (double)tot.macs : 0, total, area / 1e6};
    CHECK_MSG(qaStoreSetRunEnergy(st, run, &e, &err) == QA_OK, "%s", err.msg);
  }
  tot.time_s = (double)tot.n_cycles / (r->clock_mhz * 1e6);
  tot.all_verified = 1;
  if (qaStoreFinishRun(st, run, &tot, &err) != QA_OK) {
    CHECK_MSG(0, "%s", err.msg);
    return -1;
  }
  return run;
}

#endif /* QA_POINTTEST_H */
