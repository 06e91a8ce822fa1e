/*
** cmd_energy.c - `qasim area`, `qasim price` and `qasim costs`: the cost model on the command
** line (models/compose.h, models/energy.h, models/costs.h).
*/
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "base/parse.h"
#include "models/compose.h"
#include "models/memcost.h"
#include "sim/calibrate.h"
#include "sim/power.h"
#include "sim/reprice.h"
#include "store/store.h"
#include "cli/cli.h"

#define DEFAULT_COSTS QA_COSTS_DEFAULT

typedef struct AreaArgs {
  const char *arch, *config;
  QaCliList sets;
  const char *bits, *costs, *dram;
  int power;
} AreaArgs;

static const QaCliOption areaOptions[] = {
    {"arch", "NAME", QA_CLI_VALUE(AreaArgs, arch), "architecture (see `qasim archs`), default dadiannao"},
    {"config", "FILE", QA_CLI_VALUE(AreaArgs, config), "architecture config YAML"},
    {"set", "NAME=VALUE", QA_CLI_LIST(AreaArgs, sets), "override one architecture parameter"},
    {"bits", "N", QA_CLI_VALUE(AreaArgs, bits),
     "run precision the listing refers to, 1..16 (default 16); designs sized by operand width (max_bits) are "
     "sized for N bits unless --set"},
    {"costs", "NAME", QA_CLI_VALUE(AreaArgs, costs),
     "cost table name or file (default " DEFAULT_COSTS "; see `qasim costs`)"},
    {"dram", "TYPE", QA_CLI_VALUE(AreaArgs, dram),
     "DRAM type of the table (default " QA_DEFAULT_DRAM "), e.g. ddr3, hbm2"},
    {"power", NULL, QA_CLI_FLAG(AreaArgs, power),
     "also simulate a dense layer that fills the array and print the peak power at the clock"},
    {NULL},
};

static int areaMain(void *args, const QaCliCall *call, QaErr *err) {
  const AreaArgs *a = args;
  const char *costs = a->costs ? a->costs : DEFAULT_COSTS;
  int rc;
  int64_t b = 16;
  if (a->bits && (rc = qaParseInt64(a->bits, "--bits", 1, QA_BITS_MAX, &b, err))) return rc;
  QaArchConfig cfg;
  /* Designs sized by operand width (max_bits) take it from --bits unless set. */
  QaArchRequest req = {a->arch, a->config, a->sets.v, a->sets.n, a->bits ? (int)b : 0};
  if ((rc = qaArchResolve(&req, &cfg, err))) return rc;
  QaCostTable *t = NULL;
  QaComposition *cx = qaCalloc(1, sizeof *cx, err);
  if (!cx) return QA_EINTERNAL;
  if ((rc = qaCostTableLoad(costs, &t, err))) goto end;
  QaComposeOptions o = {(int)b, (int)b, a->dram};
  if ((rc = qaCompose(&cfg, t, &o, cx, err))) goto end;
  if ((rc = qaComposePrint(cx, stdout, err)) || !a->power) goto end;
  QaChipPower p;
  if ((rc = qaChipPower(&cfg, t, &p, err))) goto end;
  printf(
      "peak power at %g MHz: %.4g W = dynamic %.4g W (datapath %.4g, accumulation %.4g, registers %.4g, "
      "memory %.4g) + leakage %.4g W%s; DRAM %.4g W apart; %.1f MACs/cycle on %s; %.1f%% of it on "
      "assumed/extrapolated rows\n",
      p.clock_mhz, p.peak_w, p.dynamic_w, p.category_w[QA_CAT_DATAPATH], p.category_w[QA_CAT_ACCUMULATION],
      p.category_w[QA_CAT_REGISTERS], p.category_w[QA_CAT_MEMORY], p.leakage_w,
      p.leakage_priced ? "" : " (leakage not priced by this table)", p.dram_w, p.macs_per_cycle, p.layer,
      100.0 * p.weak_share);
end:
  free(cx);
  qaCostTableDestroy(t);
  return rc;
}

const QaCliCommand qaCliCmdArea = {
    .name = "area",
    .summary = "hardware, area and energy per action of an architecture",
    .about =
        "Print the hardware an architecture instantiates at a config: every component with\n"
        "its cost-table primitive, widths, sizes and count per PE / tile / chip, its energy per\n"
        "action and area, the table rows each price comes from, then the area of a PE, a tile\n"
        "and the chip and the leakage.\n",
    .options = areaOptions,
    .args_size = sizeof(AreaArgs),
    .handler = areaMain,
};

typedef struct PriceArgs {
  const char *costs, *dram, *db;
} PriceArgs;

static const QaCliOption priceOptions[] = {
    {"costs", "NAME", QA_CLI_VALUE(PriceArgs, costs),
     "cost table name or file (default " DEFAULT_COSTS "; see `qasim costs`)"},
    {"dram", "TYPE", QA_CLI_VALUE(PriceArgs, dram),
     "DRAM type of the table (default " QA_DEFAULT_DRAM "); a non-default type is stored under the label "
     "NAME+TYPE"},
    {"db", "PATH", QA_CLI_VALUE(PriceArgs, db), QA_CLI_DB_HELP},
    {NULL},
};

/* The run ids RUN arguments name: ids, ranges A-B, or "all" (every finished run), into
** *ids (malloc'ed). */
static int priceIds(const QaCliCall *call, QaStore *st, int64_t **ids, int *n, QaErr *err) {
  int cap = 0, rc = QA_OK;
  *ids = NULL;
  *n = 0;
  for (int i = 0; i < call->n_pos && !rc; i++) {
    const char *p = call->pos[i], *dash = strchr(p, '-');
    int64_t lo, hi;
    if (!strcmp(p, "all")) {
      free(*ids);
      return qaStoreRunIds(st, ids, n, err);
    }
    if (dash && dash != p) {
      char first[32];
      snprintf(first, sizeof first, "%.*s", (int)(dash - p), p);
      if ((rc = qaParseInt64(first, "run range start", 1, INT32_MAX, &lo, err)) ||
          (rc = qaParseInt64(dash + 1, "run range end", lo, INT32_MAX, &hi, err)))
        break;
    } else if ((rc = qaParseInt64(p, "run id", 1, INT32_MAX, &lo, err))) {
      break;
    } else {
      hi = lo;
    }
    for (int64_t id = lo; id <= hi && !rc; id++) {
      if (*n == cap) {
        cap = cap ? 2 * cap : 16;
        int64_t *g = realloc(*ids, (size_t)cap * sizeof *g);
        if (!g) {
          rc = qaErrSet(err, QA_EINTERNAL, "out of memory");
          break;
        }
        *ids = g;
      }
      (*ids)[(*n)++] = id;
    }
  }
  if (rc) {
    free(*ids);
    *ids = NULL;
    *n = 0;
  }
  return rc;
}

static int priceMain(void *args, const QaCliCall *call, QaErr *err) {
  const PriceArgs *a = args;
  const char *costs = a->costs ? a->costs : DEFAULT_COSTS, *db = qaCliDbPath(a->db);
  int rc, n = 0;
  int64_t *ids = NULL;
  for (int i = 0; i < call->n_pos; i++) { /* the run arguments' syntax first */
    const char *p = call->pos[i];
    int64_t v;
    if (strcmp(p, "all") && !(strchr(p, '-') && strchr(p, '-') != p) &&
        (rc = qaParseInt64(p, "run id", 1, INT32_MAX, &v, err)))
      return rc;
  }
  if ((rc = qaCliDbMustExist(db, err))) return rc;
  QaStore *st = NULL;
  QaCostTable *t = NULL;
  QaComposition *cx = qaCalloc(1, sizeof *cx, err);
  QaEnergy *e = qaCalloc(1, sizeof *e, err);
  if (!cx || !e) {
    rc = QA_EINTERNAL;
    goto end;
  }
  if ((rc = qaCostTableLoad(costs, &t, err))) goto end;
  if ((rc = qaStoreOpen(db, &st, err))) goto end;
  if ((rc = priceIds(call, st, &ids, &n, err))) goto end;
  if (n == 0) printf("no runs to price in %s\n", db);
  QaComposeOptions o = {0, 0, a->dram};
  for (int i = 0; i < n; i++) {
    int64_t id = ids[i];
    if ((rc = qaEnergyPriceRun(st, id, t, &o, e, cx, err))) goto end;
    printf("run %" PRId64 ": %s (config: stored) on %d layers, %lld MACs, %lld cycles, a/w %d/%d bits\n", id,
           cx->arch->name, e->n_layers, (long long)e->macs, (long long)e->n_cycles, cx->a_bits, cx->w_bits);
    if ((rc = qaEnergyPrint(e, cx, stdout, err))) goto end;
    if ((rc = qaEnergyPrintEfficiency(st, db, id, e, costs, stdout, err))) goto end;
    printf("stored as costs '%s' of run %" PRId64 " in %s\n", e->costs, id, db);
  }
  if (n > 1) printf("priced %d runs with cost table '%s'\n", n, qaCostTableName(t));
end:
  free(ids);
  qaStoreClose(st);
  qaCostTableDestroy(t);
  free(cx);
  free(e);
  return rc;
}

const QaCliCommand qaCliCmdPrice = {
    .name = "price",
    .summary = "re-price a stored run with a cost table (no simulation)",
    .pos_name = "RUN...",
    .pos_min = 1,
    .pos_max = QA_CLI_POS_MAX,
    .pos_help = "run ids as `qasim results` lists them, ranges A-B, or all",
    .about =
        "Price stored runs again from their stored action counts (no simulation): compose each\n"
        "run's architecture at its stored config with the cost table, price every layer, replace\n"
        "the run's energy rows of that table and print the energy per inference, pJ/MAC, the\n"
        "breakdown and the energy efficiency relative to DaDianNao. A table is stored under a\n"
        "label that names its content: another file with the same name gets NAME@ID instead of\n"
        "overwriting the first table's energies.\n",
    .options = priceOptions,
    .args_size = sizeof(PriceArgs),
    .handler = priceMain,
};

static int costsMain(void *args, const QaCliCall *call, QaErr *err) {
  QaCostTable *t = NULL;
  int rc;
  if (call->n_pos == 1) {
    if ((rc = qaCostTableLoad(call->pos[0], &t, err)) == QA_OK) rc = qaCostTablePrint(t, stdout, err);
    const QaMemGrid *g = t ? qaCostTableMemGrid(t, "sram") : NULL;
    if (!rc && g) rc = qaMemComparePrint(g, stdout, err);
    qaCostTableDestroy(t);
    return rc;
  }
  char names[1024];
  qaCostTableNames(names, sizeof names);
  if (!strncmp(names, "none", 4)) {
    printf("no cost tables found (%s)\n", names);
    return QA_OK;
  }
  printf("%-20s %5s %-5s %s\n", "table", "rows", "unit", "file");
  char *save = NULL;
  for (char *name = strtok_r(names, ", ", &save); name; name = strtok_r(NULL, ", ", &save)) {
    if ((rc = qaCostTableLoad(name, &t, err))) return rc;
    char about[160] = "";
    FILE *f = fopen(qaCostTablePath(t), "r");
    if (f) { /* the file's first comment line says what it is */
      if (!fgets(about, sizeof about, f) || about[0] != '#') about[0] = 0;
      about[strcspn(about, "\r\n")] = 0;
      fclose(f);
    }
    printf("%-20s %5d %-5s %s\n", name, qaCostTableRowCount(t), qaCostTableEnergyUnit(t), qaCostTablePath(t));
    if (about[0]) printf("%-20s %s\n", "", about + strspn(about, "# "));
    qaCostTableDestroy(t);
    t = NULL;
  }
  /* how far the CACTI grid of the default table is from Horowitz's published 64-bit points */
  if ((rc = qaCostTableLoad(DEFAULT_COSTS, &t, err))) return rc;
  const QaMemGrid *g = qaCostTableMemGrid(t, "sram");
  putchar('\n');
  if (g) rc = qaMemComparePrint(g, stdout, err);
  qaCostTableDestroy(t);
  if (rc) return rc;
  puts(
      "\n`qasim costs NAME` prints a table's rows with their sources; `--costs NAME` (or a CSV /\n"
      "Accelergy ERT path, or BASE,ERT.yaml to layer an ERT over a table) chooses the table for\n"
      "run, area and price (default " DEFAULT_COSTS ").");
  return QA_OK;
}

const QaCliCommand qaCliCmdCosts = {
    .name = "costs",
    .summary = "list the cost tables, or print one with its sources",
    .pos_name = "NAME",
    .pos_min = 0,
    .pos_max = 1,
    .pos_help = "a cost table name, or a CSV / Accelergy ERT file",
    .about =
        "Without NAME, list the cost tables. With NAME, print every row with its widths, energy,\n"
        "area, status and source, and how the composites are priced from them.\n",
    .handler = costsMain,
};

typedef struct CalibrateArgs {
  const char *base, *nets, *write;
  int quiet;
} CalibrateArgs;

static const QaCliOption calibrateOptions[] = {
    {"costs", "NAME", QA_CLI_VALUE(CalibrateArgs, base),
     "the table the three scales multiply (default " DEFAULT_COSTS ")"},
    {"nets", "LIST", QA_CLI_VALUE(CalibrateArgs, nets),
     "comma-separated networks for the efficiency claims (default the Stripes paper's six: "
     "alexnet,nin,googlenet,vggm,vggs,vgg19)"},
    {"write", "PATH", QA_CLI_VALUE(CalibrateArgs, write),
     "write the fitted table there (the shipped one: models/tables/calibrated45.csv)"},
    {"quiet", NULL, QA_CLI_FLAG(CalibrateArgs, quiet), "no progress lines"},
    {NULL},
};

static int calibrateMain(void *args, const QaCliCall *call, QaErr *err) {
  const CalibrateArgs *a = args;
  QaCalOptions o = {a->base, a->nets, a->quiet ? NULL : stderr};
  QaCalResult *r = qaCalloc(1, sizeof *r, err);
  int rc = r ? qaCalibrate(&o, r, err) : QA_EINTERNAL;
  if (!rc) rc = qaCalibratePrint(r, stdout, err);
  if (!rc && a->write) {
    if (!(rc = qaCalibrateWrite(r, a->write, err))) printf("wrote %s\n", a->write);
  }
  free(r);
  return rc;
}

const QaCliCommand qaCliCmdCalibrate = {
    .name = "calibrate",
    .summary = "fit three cost-table scales to published chip figures; report held-out claims",
    .about =
        "Node-scale DianNao's and DaDianNao's published power and area to 45 nm (Stillmaker & Baas\n"
        "2017), model them and Stripes' efficiency and area over DaDianNao with the table, fit the\n"
        "memory energy, logic energy and logic area scales (least squares in log), and print every\n"
        "claim - fitted or held out (Pragmatic, Laconic, one-hot savings) - under horowitz45, the\n"
        "table and the fit. --write saves the fitted table (models/README.md, \"Calibration\").\n",
    .options = calibrateOptions,
    .args_size = sizeof(CalibrateArgs),
    .handler = calibrateMain,
};
