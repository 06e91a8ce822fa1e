/*
** cmd_plot.c - `qasim plot`: paper-style plots from the results database (reports/).
*/
#include <stdio.h>
#include <string.h>

#include "reports/report.h"
#include "store/store.h"
#include "cli/cli.h"

#define DEFAULT_OUT "qasim-plots"

typedef struct PlotArgs {
  const char *db, *out, *baseline, *costs;
  int log_y, no_render;
} PlotArgs;

static const QaCliOption plotOptions[] = {
    {"db", "PATH", QA_CLI_VALUE(PlotArgs, db), QA_CLI_DB_HELP},
    {"out", "DIR", QA_CLI_VALUE(PlotArgs, out), "directory of the plots (default " DEFAULT_OUT ")"},
    {"log-y", NULL, QA_CLI_FLAG(PlotArgs, log_y), "logarithmic y axis on the layers and bits plots"},
    {"no-render", NULL, QA_CLI_FLAG(PlotArgs, no_render),
     "write the .dat and .gp files but do not run gnuplot"},
    {"baseline", "ARCH", QA_CLI_VALUE(PlotArgs, baseline),
     "baseline of the speedup and efficiency plots (default dadiannao)"},
    {"costs", "NAME", QA_CLI_VALUE(PlotArgs, costs),
     "cost label of the energy plots (default: the one covering most plotted runs)"},
    {NULL},
};

static int plotMain(void *args, const QaCliCall *call, QaErr *err) {
  const PlotArgs *a = args;
  const char *db = qaCliDbPath(a->db);
  int rc = qaCliDbMustExist(db, err);
  if (rc) return rc;
  QaStore *st = NULL;
  QaReportSummary sum;
  memset(&sum, 0, sizeof sum);
  QaReportOptions ro;
  memset(&ro, 0, sizeof ro);
  ro.log_y = a->log_y;
  ro.no_render = a->no_render;
  ro.baseline_arch = a->baseline;
  ro.costs = a->costs;
  if ((rc = qaStoreOpen(db, &st, err)) == QA_OK) {
    rc = qaReportPlots(st, a->out ? a->out : DEFAULT_OUT, &ro, &sum, err);
    if (sum.n_plots) qaReportPrintSummary(&sum, stdout);
  }
  qaReportSummaryClear(&sum);
  qaStoreClose(st);
  return rc;
}

const QaCliCommand qaCliCmdPlot = {
    .name = "plot",
    .summary = "draw plots from the results database with gnuplot",
    .about =
        "Draw plots from the newest run of each configuration in the results database:\n"
        "per-layer cycles per network, speedup over DaDianNao (16-bit), cycles vs bit-width,\n"
        "and, when runs were priced, energy breakdowns and efficiency over DaDianNao.\n"
        "Each plot is a .dat table, a .gp gnuplot script and a .png in DIR.\n",
    .options = plotOptions,
    .args_size = sizeof(PlotArgs),
    .handler = plotMain,
};
