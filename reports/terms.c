/*
** terms.c - the terms-per-value distribution plot (see terms.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "reports/terms.h"

#include "base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Quoted for a .dat label column: spaces and quotes cannot break the columns. */
static void datLabel(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) fputc(*s == '"' ? '\'' : *s, f);
  fputc('"', f);
}

static int runGnuplot(const char *dir, const char *script, QaErr *err) {
  pid_t pid;
  int status = 0;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  char cmd[2048];
  if (snprintf(cmd, sizeof cmd, "cd '%s' && exec gnuplot '%s' 2>&1", dir, script) >= (int)sizeof cmd) {
    posix_spawn_file_actions_destroy(&fa);
    return qaErrSet(err, QA_EUSER, "%s: path too long", dir);
  }
  if (strchr(dir, '\'') || strchr(script, '\'')) {
    posix_spawn_file_actions_destroy(&fa);
    return qaErrSet(err, QA_EUSER, "%s: a plot directory name must not contain a quote (')", dir);
  }
  char *argv[] = {"sh", "-c", cmd, NULL};
  int rc = posix_spawnp(&pid, "sh", &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc) return qaErrSet(err, QA_EINTERNAL, "cannot start sh to run gnuplot: %s", strerror(rc));
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return qaErrSet(err, QA_EINTERNAL, "waitpid failed: %s", strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return qaErrSet(err, QA_EUSER, "gnuplot not found; install it with: apt-get install gnuplot-nox");
  if (!WIFEXITED(status) || WEXITSTATUS(status))
    return qaErrSet(err, QA_EINTERNAL, "gnuplot failed on %s/%s (run it there to see why)", dir, script);
  return QA_OK;
}

int qaReportTermsPlot(const char *out_dir, const char *stem, const char *title,
                      const QaTermsPlotLayer *layers, int n_layers, QaEncoder enc, int render, char *png,
                      size_t cap, QaErr *err) {
  static const char *const enc_names[QA_ENC_COUNT] = {"one-bits (popcount)", "booth4 terms", "naf terms"};
  char path[1200];
  FILE *f = NULL;
  int rc, tmax = 1;
  if ((rc = qaMakeDirs(out_dir, out_dir, err))) return rc;
  for (int i = 0; i < n_layers; i++)
    for (int t = 0; t <= QA_TERMS_MAX; t++)
      if ((layers[i].act && layers[i].act->hist[enc][t]) || (layers[i].wgt && layers[i].wgt->hist[enc][t]))
        tmax = t > tmax ? t : tmax;
  snprintf(path, sizeof path, "%s/%s.dat", out_dir, stem);
  if (!(f = fopen(path, "w"))) return qaErrSet(err, QA_EUSER, "%s: cannot write: %s", path, strerror(errno));
  fprintf(f, "# %s\n# fraction of each layer's values with t %s, t = 0..%d; activations then weights\n",
          title, enc_names[enc], tmax);
  fprintf(f, "# layer tensor");
  for (int t = 0; t <= tmax; t++) fprintf(f, " t%d", t);
  fprintf(f, " mean\n");
  for (int k = 0; k < 2; k++) {
    for (int i = 0; i < n_layers; i++) {
      const QaValueStats *vs = k ? layers[i].wgt : layers[i].act;
      double n = vs && vs->n_values ? (double)vs->n_values : 1;
      datLabel(f, layers[i].name);
      fprintf(f, " %s", k ? "w" : "a");
      for (int t = 0; t <= tmax; t++) fprintf(f, " %.6f", vs ? (double)vs->hist[enc][t] / n : 0.0);
      fprintf(f, " %.4f\n", vs ? qaValueStatsMeanTerms(vs, enc) : 0.0);
    }
    fprintf(f, "\n\n"); /* gnuplot index 0 = activations, 1 = weights */
  }
  if (fclose(f)) return qaErrSet(err, QA_EUSER, "%s: cannot write", path);
  snprintf(path, sizeof path, "%s/%s.gp", out_dir, stem);
  if (!(f = fopen(path, "w"))) return qaErrSet(err, QA_EUSER, "%s: cannot write: %s", path, strerror(errno));
  int width = 300 + 14 * n_layers;
  fprintf(f,
          "# %s: the distribution of %s per value, per layer (written by qasim stats)\n"
          "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) { set terminal pngcairo size %d,900 } "
          "else { set terminal png size %d,900 }\n"
          "set output '%s.png'\nset termoption noenhanced\n"
          "set style data histograms\nset style histogram rowstacked\n"
          "set style fill solid 0.9 border lc rgb '#303030'\nset boxwidth 0.85 relative\n"
          "set key outside right top title '%s' box\nset yrange [0:1]\nset ylabel 'fraction of values'\n"
          "set xtics rotate by 90 right font ',8' nomirror\nset tics out\nset grid ytics lc rgb '#dddddd'\n"
          "set palette defined (0 '#f7fbff', 1 '#6baed6', 2 '#08306b')\nunset colorbox\n"
          "set multiplot layout 2,1 title '%s'\n",
          stem, enc_names[enc], width, width, stem, enc_names[enc], title);
  for (int k = 0; k < 2; k++) {
    fprintf(f, "set title '%s'\nplot ", k ? "weights" : "activations");
    for (int t = 0; t <= tmax; t++)
      fprintf(f, "%s'%s.dat' index %d using %d%s title '%d' lc palette frac %.3f", t ? ", " : "", stem, k,
              t + 3, t ? "" : ":xtic(1)", t, (double)t / tmax);
    fprintf(f, "\n");
  }
  fprintf(f, "unset multiplot\n");
  if (fclose(f)) return qaErrSet(err, QA_EUSER, "%s: cannot write", path);
  snprintf(path, sizeof path, "%s.gp", stem);
  if (render && (rc = runGnuplot(out_dir, path, err))) return rc;
  if (png) snprintf(png, cap, "%s/%s.png", out_dir, stem);
  return QA_OK;
}
