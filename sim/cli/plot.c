/*
** plot.c - `qasim plot`: paper-style plots from the results database.
*/
#include <stdio.h>

#include "cli.h"

int qaCliPlot(int argc, char **argv, QaErr *err) {
  (void)argc;
  (void)argv;
  return qaErrSet(err, QA_EUSER, "plot: not wired yet");
}
