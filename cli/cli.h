/*
** cli.h - shared pieces of the qasim command-line tool.
*/
#ifndef QA_CLI_H
#define QA_CLI_H

#include "base/qa.h"

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

/* `qasim plot` (plot.c). */
int qaCliPlot(int argc, char **argv, QaErr *err);

/* `qasim area`, `qasim price`, `qasim costs` (energy.c). */
int qaCliArea(int argc, char **argv, QaErr *err);
int qaCliPrice(int argc, char **argv, QaErr *err);
int qaCliCosts(int argc, char **argv, QaErr *err);

#endif
