/*
** plot.c - `qasim plot`: paper-style plots from the results database (reports/).
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "reports/report.h"
#include "store/store.h"
#include "cli/cli.h"

int qaCliPlot(int argc, char **argv, QaErr *err) {
  int help = 0, log_y = 0, no_render = 0, n_pos;
  const char *db = QA_STORE_DEFAULT_PATH, *out = "qasim-plots", *baseline = NULL, *costs = NULL;
  const char *pos[1];
  QaCliOpt opts[] = {{"help", &help},        {"log-y", &log_y},   {"no-render", &no_render},
                     {"db", NULL, &db},      {"out", NULL, &out}, {"baseline", NULL, &baseline},
                     {"costs", NULL, &costs}};
  int rc = qaCliParse(argc, argv, opts, (int)(sizeof opts / sizeof opts[0]), pos, 0, &n_pos, err);
  if (rc) return rc;
  if (help) {
    puts(
        "usage: qasim plot [--db PATH] [--out DIR] [--log-y] [--no-render] [--baseline ARCH] [--costs NAME]\n"
        "\n"
        "Draw plots from the newest run of each configuration in the results database:\n"
        "per-layer cycles per network, speedup over DaDianNao (16-bit), cycles vs bit-width,\n"
        "and, when runs were priced, energy breakdowns and efficiency over DaDianNao.\n"
        "Each plot is a .dat table, a .gp gnuplot script and a .png in DIR (default qasim-plots).");
    return QA_OK;
  }
  if (access(db, F_OK) != 0)
    return qaErrSet(err, QA_EUSER,
                    "%s: no results database here; run `qasim run ...` first or pass --db PATH", db);
  QaStore *st = NULL;
  QaReportSummary sum;
  memset(&sum, 0, sizeof sum);
  QaReportOptions ro;
  memset(&ro, 0, sizeof ro);
  ro.log_y = log_y;
  ro.no_render = no_render;
  ro.baseline_arch = baseline;
  ro.costs = costs;
  if ((rc = qaStoreOpen(db, &st, err)) == QA_OK) {
    rc = qaReportPlots(st, out, &ro, &sum, err);
    if (sum.n_plots) qaReportPrintSummary(&sum, stdout);
  }
  qaReportSummaryClear(&sum);
  qaStoreClose(st);
  return rc;
}
