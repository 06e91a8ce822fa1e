/*
** cli.h - shared pieces of the qasim command-line tool.
*/
#ifndef QA_CLI_H
#define QA_CLI_H

#include <stdio.h>

#include "base/qa.h"
#include "sim/run.h"

/* One option: a flag (sets *flag = 1), a value (sets *value), or a repeatable
** value appended to list[*list_n] (at most list_max). */
typedef struct QaCliOpt {
  const char *name;
  int *flag;
  const char **value;
  const char **list;
  int *list_n;
  int list_max;
} QaCliOpt;

/* Parse argv against opts; positionals go to pos (at most max_pos). */
int qaCliParse(int argc, char **argv, const QaCliOpt *opts, int n_opts, const char **pos, int max_pos,
               int *n_pos, QaErr *err);
/* Parse an integer option value in [lo, hi]. */
int qaCliInt(const char *text, const char *what, long lo, long hi, long *out, QaErr *err);

/* The text `qasim run` prints (runprint.c): a reporter writing to OUT; PER_LAYER 0 prints
** only the plan and the totals; DB_PATH and COSTS_ARG name the store and the cost table
** in the hint for a missing baseline. The printer must outlive the run. */
typedef struct QaRunPrinter {
  FILE *out;
  int per_layer;
  const char *db_path;
  const char *costs_arg;
} QaRunPrinter;
QaRunReporter qaCliRunReporter(QaRunPrinter *pr);

/* `qasim plot` (plot.c). */
int qaCliPlot(int argc, char **argv, QaErr *err);

/* `qasim area`, `qasim price`, `qasim costs` (energy.c). */
int qaCliArea(int argc, char **argv, QaErr *err);
int qaCliPrice(int argc, char **argv, QaErr *err);
int qaCliCosts(int argc, char **argv, QaErr *err);

#endif
