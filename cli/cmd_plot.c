/*
** cmd_plot.c - `qasim report` (figures with their data, queries and scripts, and an HTML
** index, from the design points of the results database; reports/report.h) and `qasim
** plot`, its shortcut with the output directory qasim-plots.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "reports/report.h"
#include "store/store.h"
#include "cli/cli.h"

typedef struct ReportArgs {
  const char *db, *out, *where, *baseline, *costs, *profile_net, *max_series;
  QaCliList archs, nets, bits, profile_archs;
  int no_render;
} ReportArgs;

#define REPORT_OPTIONS(dflt)                                                                                 \
  {"db", "PATH", QA_CLI_VALUE(ReportArgs, db), QA_CLI_DB_HELP},                                              \
      {"out", "DIR", QA_CLI_VALUE(ReportArgs, out), "directory of the report (default " dflt ")"},           \
      {"arch", "NAME", QA_CLI_LIST(ReportArgs, archs), "only design points of this architecture"},           \
      {"net", "NET", QA_CLI_LIST(ReportArgs, nets), "only design points on this network (name or file)"},    \
      {"bits", "N|A/W", QA_CLI_LIST(ReportArgs, bits),                                                       \
       "only design points at these bits (a = w = N, or A/W)"},                                              \
      {"where", "SQL", QA_CLI_VALUE(ReportArgs, where),                                                      \
       "only design points for which this read-only SQL condition over view point holds, e.g. "              \
       "\"arch_config LIKE '%sync: pe%'\" (columns: see store/README.md)"},                                  \
      {"baseline", "ARCH@BITS", QA_CLI_VALUE(ReportArgs, baseline),                                          \
       "the design point speedup and energy are relative to: ARCH@N or ARCH@A/W, then ,param=value to pick " \
       "one (default dadiannao@16)"},                                                                        \
      {"costs", "LABEL", QA_CLI_VALUE(ReportArgs, costs),                                                    \
       "energy under this cost label (default: the one each run was priced with)"},                          \
      {"profile-net", "NET", QA_CLI_VALUE(ReportArgs, profile_net),                                          \
       "network of the per-layer figure (default: the one with the most design points)"},                    \
      {"profile-arch", "NAME", QA_CLI_LIST(ReportArgs, profile_archs),                                       \
       "architecture drawn in the per-layer figure (default: one design point per architecture)"},           \
      {"max-series", "N", QA_CLI_VALUE(ReportArgs, max_series),                                              \
       "series per panel before a figure is split or warned about (default 12)"},                            \
      {"no-render", NULL, QA_CLI_FLAG(ReportArgs, no_render),                                                \
       "write the data, queries, scripts and index but do not run gnuplot"},                                 \
  {                                                                                                          \
    NULL                                                                                                     \
  }

static const QaCliOption reportOptions[] = {REPORT_OPTIONS("report")};
static const QaCliOption plotOptions[] = {REPORT_OPTIONS("qasim-plots")};

static int reportRun(const ReportArgs *a, const char *dflt_out, QaErr *err) {
  const char *db = qaCliDbPath(a->db);
  int rc = qaCliDbMustExist(db, err), a_bits[QA_CLI_LIST_MAX], w_bits[QA_CLI_LIST_MAX];
  int64_t max_series = 0;
  if (rc) return rc;
  if ((rc = qaCliParseBits(&a->bits, a_bits, w_bits, err))) return rc;
  if (a->max_series && (rc = qaParseInt64(a->max_series, "--max-series", 1, 100, &max_series, err)))
    return rc;
  QaReportOptions ro;
  memset(&ro, 0, sizeof ro);
  ro.filter.archs = a->archs.v;
  ro.filter.n_archs = a->archs.n;
  ro.filter.nets = a->nets.v;
  ro.filter.n_nets = a->nets.n;
  ro.filter.a_bits = a_bits;
  ro.filter.w_bits = w_bits;
  ro.filter.n_bits = a->bits.n;
  ro.filter.where = a->where;
  ro.filter.costs = a->costs;
  ro.baseline = a->baseline;
  ro.baseline_required = a->baseline != NULL;
  ro.profile_net = a->profile_net;
  ro.profile_archs = a->profile_archs.v;
  ro.n_profile_archs = a->profile_archs.n;
  ro.max_series = (int)max_series;
  ro.no_render = a->no_render;
  ro.db_label = db;
  QaStore *st = NULL;
  QaReportSummary sum;
  memset(&sum, 0, sizeof sum);
  if ((rc = qaStoreOpen(db, &st, err)) == QA_OK) {
    rc = qaReportWrite(st, a->out ? a->out : dflt_out, &ro, &sum, err);
    if (sum.n_figures) qaReportPrintSummary(&sum, stdout);
  }
  qaReportSummaryClear(&sum);
  qaStoreClose(st);
  return rc;
}

static int reportMain(void *args, const QaCliCall *call, QaErr *err) {
  (void)call;
  return reportRun(args, "report", err);
}

static int plotMain(void *args, const QaCliCall *call, QaErr *err) {
  (void)call;
  return reportRun(args, "qasim-plots", err);
}

#define REPORT_ABOUT                                                                                  \
  "Draw the design points of the results database (the newest run of each identity), filtered, as\n"  \
  "figures: speedup over a baseline design point in time and in cycles, energy by component class,\n" \
  "energy and speedup against bit-width, cycles per layer, area by component class, energy against\n" \
  "SQNR with the Pareto front. Each figure is NAME.png and NAME.pdf with its data (NAME.csv), the\n"  \
  "queries behind it (NAME.sql) and its gnuplot script (NAME.gp); index.html lists them.\n"

const QaCliCommand qaCliCmdReport = {
    .name = "report",
    .summary = "figures and an HTML index from the results database",
    .about = REPORT_ABOUT,
    .options = reportOptions,
    .args_size = sizeof(ReportArgs),
    .handler = reportMain,
};

const QaCliCommand qaCliCmdPlot = {
    .name = "plot",
    .summary = "the report, into qasim-plots (a shortcut of qasim report)",
    .about = REPORT_ABOUT "plot is report with the output directory qasim-plots.\n",
    .options = plotOptions,
    .args_size = sizeof(ReportArgs),
    .handler = plotMain,
};
