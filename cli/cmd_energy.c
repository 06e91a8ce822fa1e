/*
** energy.c - `qasim area`, `qasim price` and `qasim costs`: the cost model on the command
** line (models/compose.h, models/energy.h, models/costs.h).
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/arch.h"
#include "models/compose.h"
#include "sim/reprice.h"
#include "store/store.h"
#include "cli/cli.h"

#define DEFAULT_COSTS "horowitz45"
#define MAX_SETS 32

/* Resolve --arch / --config / --set into *cfg (as `qasim run` does). */
static int buildConfig(const char *arch, const char *config, const char **sets, int n_sets, QaArchConfig *cfg,
                       QaErr *err) {
  const QaArchDesc *d = NULL;
  int rc = qaArchFind(arch ? arch : "dadiannao", &d, err);
  if (rc) return rc;
  qaCfgDefaults(d, cfg);
  if (config && (rc = qaCfgLoadYaml(config, cfg, err))) return rc;
  for (int i = 0; i < n_sets; i++) {
    char name[64];
    const char *eq = strchr(sets[i], '=');
    if (!eq || eq == sets[i] || (size_t)(eq - sets[i]) >= sizeof name)
      return qaErrSet(err, QA_EUSER, "--set '%s': expected NAME=VALUE", sets[i]);
    memcpy(name, sets[i], (size_t)(eq - sets[i]));
    name[eq - sets[i]] = 0;
    if ((rc = qaCfgSetText(cfg, name, eq + 1, "--set", err))) return rc;
  }
  return QA_OK;
}

static const char *area_usage =
    "usage: qasim area [--arch NAME] [--config FILE] [--set NAME=VALUE]... [--bits N]\n"
    "                  [--costs NAME] [--dram TYPE]\n"
    "\n"
    "Print the hardware an architecture instantiates at a config: every component with\n"
    "its cost-table primitive, widths, sizes and count per PE / tile / chip, its energy per\n"
    "action and area, the table rows each price comes from, then the area of a PE, a tile\n"
    "and the chip and the leakage.\n"
    "\n"
    "  --arch NAME        architecture (see `qasim archs`), default dadiannao\n"
    "  --config FILE      architecture config YAML\n"
    "  --set NAME=VALUE   override one architecture parameter (repeatable)\n"
    "  --bits N           run precision the listing refers to (default 16); designs sized\n"
    "                     by operand width (max_bits) are sized for N bits unless --set\n"
    "  --costs NAME       cost table name or file (default " DEFAULT_COSTS
    "; see `qasim costs`)\n"
    "  --dram TYPE        DRAM type of the table (default " QA_DEFAULT_DRAM "), e.g. ddr3, hbm2\n";

int qaCliArea(int argc, char **argv, QaErr *err) {
  int help = 0, n_pos, n_sets = 0;
  const char *arch = NULL, *config = NULL, *bits = NULL, *costs = DEFAULT_COSTS, *dram = NULL;
  const char *sets[MAX_SETS], *pos[1];
  QaCliOpt opts[] = {
      {"help", &help},
      {"arch", NULL, &arch},
      {"config", NULL, &config},
      {"bits", NULL, &bits},
      {"costs", NULL, &costs},
      {"dram", NULL, &dram},
      {"set", NULL, NULL, sets, &n_sets, MAX_SETS},
  };
  int rc = qaCliParse(argc, argv, opts, (int)(sizeof opts / sizeof opts[0]), pos, 0, &n_pos, err);
  if (rc) return rc;
  if (help) {
    fputs(area_usage, stdout);
    return QA_OK;
  }
  long b = 16;
  if (bits && (rc = qaCliInt(bits, "--bits", 1, QA_BITS_MAX, &b, err))) return rc;
  QaArchConfig cfg;
  if ((rc = buildConfig(arch, config, sets, n_sets, &cfg, err))) return rc;
  /* Designs sized by operand width (max_bits) take it from --bits unless set. */
  for (int i = 0; bits && i < cfg.desc->n_params; i++)
    if (!strcmp(cfg.desc->params[i].name, "max_bits") && !cfg.set[i]) {
      if ((rc = qaCfgSetText(&cfg, "max_bits", bits, "--bits", err))) return rc;
    }
  QaCostTable *t = NULL;
  QaComposition *cx = qaCalloc(1, sizeof *cx, err);
  if (!cx) return QA_EINTERNAL;
  if ((rc = qaCostTableLoad(costs, &t, err))) goto end;
  QaComposeOptions o = {(int)b, (int)b, dram};
  if ((rc = qaCompose(&cfg, t, &o, cx, err))) goto end;
  rc = qaComposePrint(cx, stdout, err);
end:
  free(cx);
  qaCostTableDestroy(t);
  return rc;
}

static const char *price_usage =
    "usage: qasim price RUN [--costs NAME] [--dram TYPE] [--db PATH]\n"
    "\n"
    "Price a stored run again from its stored action counts (no simulation): compose its\n"
    "architecture at its stored config with the cost table, price every layer, replace the\n"
    "run's energy rows of that cost label and print the energy per inference, pJ/MAC, the\n"
    "breakdown and the energy efficiency relative to DaDianNao.\n"
    "\n"
    "  --costs NAME       cost table name or file (default " DEFAULT_COSTS
    "; see `qasim costs`)\n"
    "  --dram TYPE        DRAM type of the table (default " QA_DEFAULT_DRAM
    "); a non-default type\n"
    "                     is stored under the label NAME+TYPE\n"
    "  --db PATH          results database (default " QA_STORE_DEFAULT_PATH ")\n";

int qaCliPrice(int argc, char **argv, QaErr *err) {
  int help = 0, n_pos;
  const char *costs = DEFAULT_COSTS, *dram = NULL, *db = QA_STORE_DEFAULT_PATH, *pos[1];
  QaCliOpt opts[] = {{"help", &help}, {"costs", NULL, &costs}, {"dram", NULL, &dram}, {"db", NULL, &db}};
  int rc = qaCliParse(argc, argv, opts, (int)(sizeof opts / sizeof opts[0]), pos, 1, &n_pos, err);
  if (rc) return rc;
  if (help || n_pos != 1) {
    fputs(price_usage, stdout);
    return help ? QA_OK : qaErrSet(err, QA_EUSER, "price: give one run id (see `qasim results`)");
  }
  long id;
  if ((rc = qaCliInt(pos[0], "run id", 1, INT32_MAX, &id, err))) return rc;
  if (access(db, F_OK) != 0)
    return qaErrSet(err, QA_EUSER, "%s: no results database here; pass --db PATH", db);
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
  QaComposeOptions o = {0, 0, dram};
  if ((rc = qaEnergyPriceRun(st, id, t, &o, e, cx, err))) goto end;
  printf("run %ld: %s (config: stored) on %d layers, %lld MACs, %lld cycles, a/w %d/%d bits\n", id,
         cx->arch->name, e->n_layers, (long long)e->macs, (long long)e->n_cycles, cx->a_bits, cx->w_bits);
  if ((rc = qaEnergyPrint(e, cx, stdout, err))) goto end;
  if ((rc = qaEnergyPrintEfficiency(st, db, id, e, costs, stdout, err))) goto end;
  printf("stored as costs '%s' of run %ld in %s\n", e->costs, id, db);
end:
  qaStoreClose(st);
  qaCostTableDestroy(t);
  free(cx);
  free(e);
  return rc;
}

int qaCliCosts(int argc, char **argv, QaErr *err) {
  int help = 0, n_pos;
  const char *pos[1];
  QaCliOpt opts[] = {{"help", &help}};
  int rc = qaCliParse(argc, argv, opts, 1, pos, 1, &n_pos, err);
  if (rc) return rc;
  if (help) {
    puts(
        "usage: qasim costs [NAME]\n\n"
        "Without NAME, list the cost tables. With NAME (a table name or a CSV / Accelergy ERT\n"
        "file), print every row with its widths, energy, area, status and source, and how the\n"
        "composites are priced from them.");
    return QA_OK;
  }
  QaCostTable *t = NULL;
  if (n_pos == 1) {
    if ((rc = qaCostTableLoad(pos[0], &t, err)) == QA_OK) rc = qaCostTablePrint(t, stdout, err);
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
  puts(
      "\n`qasim costs NAME` prints a table's rows with their sources; `--costs NAME` (or a CSV /\n"
      "Accelergy ERT path) chooses the table for run, area and price.");
  return QA_OK;
}
