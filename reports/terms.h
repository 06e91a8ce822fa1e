/*
** terms.h - the distribution of terms per value of each layer's codes, as a gnuplot plot:
** what decides how fast a term-serial (Laconic) or bit-serial-skipping (Pragmatic)
** accelerator runs a layer.
**
** Two stacked-bar panels, activations above weights, one bar per layer: the fraction of
** its values that have 0, 1, 2, ... terms in the chosen encoder (popcount = one-bits).
** Like the report plots (report.h) it is three files in the output directory: NAME.dat
** (whitespace columns, '#' comments), NAME.gp (the gnuplot script, self-contained) and
** NAME.png; re-run with `cd DIR && gnuplot NAME.gp`.
*/
#ifndef QA_TERMS_PLOT_H
#define QA_TERMS_PLOT_H

#include "quant/valstats.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QaTermsPlotLayer {
  const char *name;
  const QaValueStats *act, *wgt;
} QaTermsPlotLayer;

/* Write OUT_DIR/STEM.{dat,gp} (OUT_DIR created like mkdir -p) and, if RENDER, run gnuplot for
** OUT_DIR/STEM.png. *png (may be NULL) gets the png path (cap bytes). Errors: QA_EUSER when a
** file cannot be written or gnuplot is not installed ("apt-get install gnuplot-nox"; the .dat
** and .gp are written first), QA_EINTERNAL when gnuplot fails. */
int qaReportTermsPlot(const char *out_dir, const char *stem, const char *title,
                      const QaTermsPlotLayer *layers, int n_layers, QaEncoder enc, int render, char *png,
                      size_t cap, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_TERMS_PLOT_H */
