/*
** cmd_stats.c - `qasim stats`: per-layer statistics of the integer codes a network runs on
** (quant/valstats.h) - zero fractions, one-bits and terms per value, and the distribution of
** terms per value - computed from a network's values (sim/values.h, as `qasim run` would
** quantize them) or read from a stored run; optionally plotted (reports/terms.h).
*/
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "reports/terms.h"
#include "sim/values.h"
#include "store/store.h"
#include "workloads/layer.h"
#include "workloads/precision.h"
#include "workloads/trace.h"
#include "cli/cli.h"

typedef struct StatsArgs {
  const char *bits, *a_bits, *w_bits, *quant_a, *quant_w, *seed, *zero_frac, *wgt_dist, *precision;
  const char *plot, *encoder, *run, *db;
  int synthetic, dist;
} StatsArgs;

static const QaCliOption statsOptions[] = {
    {"bits", "N", QA_CLI_VALUE(StatsArgs, bits), "activation and weight precision, 1..16 (default 8)"},
    {"a-bits", "N", QA_CLI_VALUE(StatsArgs, a_bits), "activation precision (overrides --bits)"},
    {"w-bits", "N", QA_CLI_VALUE(StatsArgs, w_bits), "weight precision (overrides --bits)"},
    {"quant-a", "SPEC", QA_CLI_VALUE(StatsArgs, quant_a), "activation quantizer (default auto), as for run"},
    {"quant-w", "SPEC", QA_CLI_VALUE(StatsArgs, quant_w), "weight quantizer (default sym-ch), as for run"},
    {"precision", "FILE", QA_CLI_VALUE(StatsArgs, precision), "per-layer precisions (workloads/precisions/)"},
    {"seed", "N", QA_CLI_VALUE(StatsArgs, seed), "seed of the synthetic values (default 1)"},
    {"zero-frac", "F", QA_CLI_VALUE(StatsArgs, zero_frac),
     "synthetic activations' zero fraction (default 0.5)"},
    {"wgt-dist", "D", QA_CLI_VALUE(StatsArgs, wgt_dist), "synthetic weights: laplace (default) or gauss"},
    {"synthetic", NULL, QA_CLI_FLAG(StatsArgs, synthetic), "ignore the network's traces"},
    {"dist", NULL, QA_CLI_FLAG(StatsArgs, dist), "also print each layer's distribution of terms per value"},
    {"encoder", "NAME", QA_CLI_VALUE(StatsArgs, encoder),
     "encoder of --dist and --plot: booth4 (default), naf, popcount (one-bits)"},
    {"plot", "DIR", QA_CLI_VALUE(StatsArgs, plot), "write the distribution plot DIR/terms-NET.{dat,gp,png}"},
    {"run", "RUN", QA_CLI_VALUE(StatsArgs, run),
     "the statistics stored with run RUN instead of NET's values"},
    {"db", "PATH", QA_CLI_VALUE(StatsArgs, db), QA_CLI_DB_HELP},
    {NULL},
};

static int parseBits(const char *text, const char *field, int *out, QaErr *err) {
  int64_t v;
  int rc = qaParseInt64(text, field, 1, QA_BITS_MAX, &v, err);
  if (rc == QA_OK) *out = (int)v;
  return rc;
}

static void printTable(char names[][QA_NAME_MAX], const int *bits, int n, const QaValueStats *act,
                       const QaValueStats *wgt, int dist, QaEncoder enc) {
  printf("%4s %-24s %5s | %6s %6s %6s %6s | %6s %6s %6s %6s\n", "#", "layer", "a/w", "a_zero", "a_bits",
         "a_b4", "a_naf", "w_zero", "w_bits", "w_b4", "w_naf");
  double sa[4] = {0}, sw[4] = {0}, na = 0, nw = 0;
  for (int i = 0; i < n; i++) {
    const QaValueStats *a = &act[i], *w = &wgt[i];
    double va[4] = {qaValueStatsZeroFrac(a), qaValueStatsMeanTerms(a, QA_ENC_POPCOUNT),
                    qaValueStatsMeanTerms(a, QA_ENC_BOOTH4), qaValueStatsMeanTerms(a, QA_ENC_NAF)};
    double vw[4] = {qaValueStatsZeroFrac(w), qaValueStatsMeanTerms(w, QA_ENC_POPCOUNT),
                    qaValueStatsMeanTerms(w, QA_ENC_BOOTH4), qaValueStatsMeanTerms(w, QA_ENC_NAF)};
    char bw[16] = "-";
    if (bits) snprintf(bw, sizeof bw, "%d/%d", bits[2 * i], bits[2 * i + 1]);
    printf("%4d %-24s %5s | %5.1f%% %6.3f %6.3f %6.3f | %5.1f%% %6.3f %6.3f %6.3f\n", i, names[i], bw,
           100 * va[0], va[1], va[2], va[3], 100 * vw[0], vw[1], vw[2], vw[3]);
    for (int k = 0; k < 4; k++) {
      sa[k] += va[k] * (double)a->n_values;
      sw[k] += vw[k] * (double)w->n_values;
    }
    na += (double)a->n_values;
    nw += (double)w->n_values;
    if (dist) {
      for (int k = 0; k < 2; k++) {
        const QaValueStats *vs = k ? w : a;
        printf("%37s %s terms:", "", k ? "w" : "a");
        for (int t = 0; t <= QA_TERMS_MAX; t++)
          if (vs->hist[enc][t])
            printf(" %d:%.1f%%", t, 100.0 * (double)vs->hist[enc][t] / (double)vs->n_values);
        printf("\n");
      }
    }
  }
  if (na > 0 && nw > 0)
    printf("%4s %-24s %5s | %5.1f%% %6.3f %6.3f %6.3f | %5.1f%% %6.3f %6.3f %6.3f   (weighted by values)\n",
           "", "all", "", 100 * sa[0] / na, sa[1] / na, sa[2] / na, sa[3] / na, 100 * sw[0] / nw, sw[1] / nw,
           sw[2] / nw, sw[3] / nw);
  printf(
      "a_/w_: activation / weight codes; zero = zero fraction, bits = mean one-bits of |code|,\n"
      "b4 / naf = mean booth4 / naf terms per value\n");
}

static int statsMain(void *args, const QaCliCall *call, QaErr *err) {
  const StatsArgs *a = args;
  QaNet *net = NULL;
  QaStore *st = NULL;
  QaValueStats *act = NULL, *wgt = NULL;
  char(*names)[QA_NAME_MAX] = NULL;
  int *bits = NULL, *pa = NULL, *pw = NULL, n = 0, rc = QA_OK;
  QaEncoder enc = QA_ENC_BOOTH4;
  QaLayerValues v = {0};
  char title[512];
  if (a->encoder && (rc = qaEncoderParse(a->encoder, &enc, err))) return rc;
  if (!a->run == !call->n_pos)
    return qaErrSet(err, QA_EUSER, "give a network (qasim stats NET) or --run RUN, not %s",
                    a->run ? "both" : "neither");
  if (a->run) { /* stored with a run */
    int64_t id;
    QaStoredValues sv = {0};
    const char *db = qaCliDbPath(a->db);
    if ((rc = qaParseInt64(a->run, "--run", 1, INT32_MAX, &id, err)) || (rc = qaCliDbMustExist(db, err)) ||
        (rc = qaStoreOpenReadOnly(db, &st, err)) || (rc = qaStoreGetValues(st, id, &sv, err)))
      goto end;
    n = sv.n_layers;
    names = qaCalloc((size_t)n + 1, sizeof *names, err);
    bits = qaCalloc((size_t)n * 2 + 1, sizeof *bits, err);
    act = qaCalloc((size_t)n + 1, sizeof *act, err);
    wgt = qaCalloc((size_t)n + 1, sizeof *wgt, err);
    if (!names || !bits || !act || !wgt) {
      qaStoreFreeValues(&sv);
      rc = QA_EINTERNAL;
      goto end;
    }
    for (int i = 0; i < n; i++) {
      snprintf(names[i], QA_NAME_MAX, "%s", sv.layers[i].name);
      bits[2 * i] = sv.layers[i].a_bits;
      bits[2 * i + 1] = sv.layers[i].w_bits;
    }
    snprintf(title, sizeof title, "run %lld: %s", (long long)id, sv.workload);
    qaStoreFreeValues(&sv);
    if ((rc = qaStoreGetValueStats(st, id, n, act, wgt, err))) goto end;
  } else { /* from the network's values */
    QaValuesSpec vs;
    int ab = 8, wb = 8;
    memset(&vs, 0, sizeof vs);
    qaSynthDefaults(&vs.synth);
    if (a->bits && (rc = parseBits(a->bits, "--bits", &ab, err))) return rc;
    wb = ab;
    if ((a->a_bits && (rc = parseBits(a->a_bits, "--a-bits", &ab, err))) ||
        (a->w_bits && (rc = parseBits(a->w_bits, "--w-bits", &wb, err))) ||
        (a->seed && (rc = qaParseUint64(a->seed, "--seed", 0, UINT64_MAX, &vs.synth.seed, err))) ||
        (a->zero_frac &&
         (rc = qaParseDouble(a->zero_frac, "--zero-frac", 0, 1, &vs.synth.act_zero_frac, err))))
      return rc;
    if (a->wgt_dist && strcmp(a->wgt_dist, "laplace") && strcmp(a->wgt_dist, "gauss"))
      return qaErrSet(err, QA_EUSER, "--wgt-dist '%s': use laplace or gauss", a->wgt_dist);
    vs.synth.wgt_dist = a->wgt_dist && !strcmp(a->wgt_dist, "gauss") ? QA_DIST_GAUSS : QA_DIST_LAPLACE;
    vs.synthetic = a->synthetic;
    vs.qa_auto = !a->quant_a || !strcmp(a->quant_a, "auto");
    if ((!vs.qa_auto && (rc = qaQuantParse(a->quant_a, &vs.qa, err))) ||
        (rc = qaQuantParse(a->quant_w ? a->quant_w : "sym-ch", &vs.qw, err)))
      return rc;
    if ((rc = qaNetOpen(call->pos[0], &net, err))) return rc;
    if (!vs.synthetic && (rc = qaNetCheckTraces(net, NULL, err))) goto end;
    n = net->n_layers;
    names = qaCalloc((size_t)n, sizeof *names, err);
    bits = qaCalloc((size_t)n * 2, sizeof *bits, err);
    act = qaCalloc((size_t)n, sizeof *act, err);
    wgt = qaCalloc((size_t)n, sizeof *wgt, err);
    pa = qaCalloc((size_t)n, sizeof *pa, err);
    pw = qaCalloc((size_t)n, sizeof *pw, err);
    if (!names || !bits || !act || !wgt || !pa || !pw) {
      rc = QA_EINTERNAL;
      goto end;
    }
    if (a->precision && (rc = qaPrecisionLoad(a->precision, net, pa, pw, NULL, err))) goto end;
    for (int i = 0; i < n; i++) {
      const QaLayer *l = &net->layers[i];
      int li_a = pa[i]       ? pa[i]
                 : l->a_bits ? l->a_bits
                             : ab,
          li_w = pw[i]       ? pw[i]
                 : l->w_bits ? l->w_bits
                             : wb;
      if ((rc = qaValuesLoad(&vs, l, i, &v, err)) || (rc = qaValuesQuantize(&vs, l, li_a, li_w, &v, err))) {
        qaErrPrefix(err, "layer %d '%s'", i, l->name);
        goto end;
      }
      qaValueStatsCompute(v.act, qaLayerActCount(l), &act[i]);
      qaValueStatsCompute(v.wgt, qaLayerWgtCount(l), &wgt[i]);
      snprintf(names[i], QA_NAME_MAX, "%s", l->name);
      bits[2 * i] = li_a;
      bits[2 * i + 1] = li_w;
      qaValuesFree(&v);
    }
    snprintf(title, sizeof title, "%s (%s values)", net->name,
             vs.synthetic || !qaNetHasTraces(net) ? "synthetic" : "traced");
  }
  printf("%s\n", title);
  printTable(names, bits, n, act, wgt, a->dist, enc);
  if (a->plot) {
    QaTermsPlotLayer *pl = qaCalloc((size_t)n + 1, sizeof *pl, err);
    char stem[QA_NAME_MAX + 16], png[1200];
    if (!pl) {
      rc = QA_EINTERNAL;
      goto end;
    }
    for (int i = 0; i < n; i++) {
      pl[i].name = names[i];
      pl[i].act = &act[i];
      pl[i].wgt = &wgt[i];
    }
    snprintf(stem, sizeof stem, "terms-%s", a->run ? a->run : net->name);
    for (char *p = stem; *p; p++)
      if (*p == '/' || *p == ' ' || *p == '\'') *p = '_';
    rc = qaReportTermsPlot(a->plot, stem, title, pl, n, enc, 1, png, sizeof png, err);
    free(pl);
    if (!rc) printf("plot: %s (with its .dat and .gp)\n", png);
  }
end:
  qaValuesFree(&v);
  qaNetDestroy(net);
  qaStoreClose(st);
  free(names);
  free(bits);
  free(act);
  free(wgt);
  free(pa);
  free(pw);
  return rc;
}

const QaCliCommand qaCliCmdStats = {
    .name = "stats",
    .summary = "per-layer statistics of the codes a network runs on (zeros, one-bits, terms)",
    .pos_name = "NET",
    .pos_min = 0,
    .pos_max = 1,
    .pos_help = "a network (built-in, file or trace directory), as for run",
    .about =
        "Quantize each layer's values as `qasim run` would (same options) and print, for the\n"
        "activation and weight codes, the zero fraction, the mean one-bits of |code| and the mean\n"
        "booth4 and naf terms per value; --dist adds each layer's distribution of terms per value,\n"
        "--plot DIR draws it (gnuplot). With --run RUN: the statistics stored with that run.\n",
    .options = statsOptions,
    .args_size = sizeof(StatsArgs),
    .handler = statsMain,
};
