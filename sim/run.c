/*
** run.c - one simulation run end to end (see run.h).
*/
#include "sim/run.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arch/driver.h"
#include "sim/reprice.h"
#include "workloads/synth.h"
#include "base/npy.h"
#include "quant/quant.h"
#include "store/store.h"

void qaRunDefaults(QaRunOptions *opt) {
  memset(opt, 0, sizeof *opt);
  opt->arch = "dadiannao";
  opt->a_bits = opt->w_bits = 16;
  opt->quant_a = NULL; /* NULL: the architecture's default, else "auto" */
  opt->quant_w = NULL; /* NULL: the architecture's default, else "sym-ch" */
  opt->encoder = NULL; /* NULL: the architecture's default, else "booth4" */
  opt->seed = 1;
  opt->act_zero_frac = 0.5;
  opt->wgt_dist = "laplace";
  opt->timing = QA_TIMING_LT;
  opt->verify = 1;
  opt->db_path = QA_STORE_DEFAULT_PATH;
  opt->per_layer = 1;
  opt->costs = "horowitz45";
}

typedef struct RunCtx {
  const QaRunOptions *opt;
  QaNet *net;
  QaArchConfig cfg;
  QaStore *store;
  int64_t run_id;
  QaQuantSpec qa, qw;
  int qa_auto;
  QaEncoder enc;
  QaSynthSpec synth;
  /* current layer */
  QaLayerJob job;
  QaLayerStats st;
  int32_t *act, *wgt;
  int64_t *out;
  double a_sqnr, w_sqnr;
  const char *values_src;
  /* totals */
  QaRunResult *res;
  /* energy (priced when costs is set) */
  QaCostTable *costs;
  QaComposition *cx;
  QaEnergy *energy;  /* the run so far */
  QaEnergy *layer_e; /* the current layer */
} RunCtx;

static void free_layer(RunCtx *c) {
  free(c->act);
  free(c->wgt);
  free(c->out);
  c->act = c->wgt = NULL;
  c->out = NULL;
}

/* Load a float trace and check its shape against the layer (accepting the
** batch-less / 2-D forms users commonly save). */
static int load_trace(const char *path, int ndim, const int64_t *shape, int ndim_alt,
                      const int64_t *shape_alt, float **out, QaErr *err) {
  QaArray *a = NULL;
  int rc = qaNpyRead(path, &a, err);
  if (rc) return rc;
  if (qaArrayCheckShape(a, ndim, shape, path, err) != QA_OK &&
      (ndim_alt == 0 || qaArrayCheckShape(a, ndim_alt, shape_alt, path, NULL) != QA_OK)) {
    qaArrayDestroy(a);
    return QA_EUSER;
  }
  rc = qaArrayToFloat(a, path, out, err);
  qaArrayDestroy(a);
  return rc;
}

static int quantize(const QaQuantSpec *spec, int bits, const float *x, int64_t n, int64_t nch, int32_t *codes,
                    double *sqnr, int32_t *min_code, QaErr *err) {
  QaQuantResult qr;
  memset(&qr, 0, sizeof qr);
  int rc = qaQuantize(spec, bits, x, n, nch, codes, &qr, err);
  if (rc) return rc;
  *sqnr = qr.sqnr_db;
  *min_code = qr.min_code;
  qaQuantResultFree(&qr);
  return QA_OK;
}

static int prepare_layer(RunCtx *c, int idx, QaErr *err) {
  const QaRunOptions *opt = c->opt;
  const QaLayer *l = &c->net->layers[idx];
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l), no = qaLayerOutCount(l);
  float *fa = NULL, *fw = NULL;
  int rc = QA_OK;
  int a_bits = l->a_bits ? l->a_bits : opt->a_bits;
  int w_bits = l->w_bits ? l->w_bits : opt->w_bits;

  c->act = qaMalloc((size_t)na * sizeof(int32_t), err);
  c->wgt = qaMalloc((size_t)nw * sizeof(int32_t), err);
  c->out = qaMalloc((size_t)no * sizeof(int64_t), err);
  if (!c->act || !c->wgt || !c->out) return QA_EINTERNAL;

  if (l->act_trace[0] || l->wgt_trace[0])
    c->values_src = "trace";
  else
    c->values_src = "synthetic";
  if (!l->act_trace[0] || !l->wgt_trace[0]) {
    fa = qaMalloc((size_t)na * sizeof(float), err);
    fw = qaMalloc((size_t)nw * sizeof(float), err);
    if (!fa || !fw) {
      rc = QA_EINTERNAL;
      goto end;
    }
    qaSynthLayer(&c->synth, l, idx, fa, fw);
  }
  if (l->act_trace[0]) {
    int64_t s4[4] = {l->n, l->c, l->h, l->w}, s3[3] = {l->c, l->h, l->w};
    int64_t s2[2] = {l->n, l->c};
    free(fa);
    fa = NULL;
    if (l->kind == QA_LAYER_FC)
      rc = load_trace(l->act_trace, 2, s2, l->n == 1 ? 1 : 0, s2 + 1, &fa, err);
    else
      rc = load_trace(l->act_trace, 4, s4, l->n == 1 ? 3 : 0, s3, &fa, err);
    if (rc) goto end;
  }
  if (l->wgt_trace[0]) {
    int64_t s4[4] = {l->k, l->c / l->groups, l->r, l->s}, s2[2] = {l->k, l->c};
    free(fw);
    fw = NULL;
    rc = load_trace(l->wgt_trace, 4, s4, l->kind == QA_LAYER_FC ? 2 : 0, s2, &fw, err);
    if (rc) goto end;
  }

  QaQuantSpec qa = c->qa;
  if (c->qa_auto) {
    int neg = 0;
    for (int64_t i = 0; i < na && !neg; i++) neg = fa[i] < 0;
    memset(&qa, 0, sizeof qa);
    qa.scheme = neg ? QA_Q_SYM : QA_Q_UNSIGNED;
  }
  int32_t amin = 0, wmin = 0;
  if ((rc = quantize(&qa, a_bits, fa, na, 1, c->act, &c->a_sqnr, &amin, err)) != QA_OK) goto end;
  if ((rc = quantize(&c->qw, w_bits, fw, nw, l->k, c->wgt, &c->w_sqnr, &wmin, err)) != QA_OK) goto end;

  memset(&c->job, 0, sizeof c->job);
  c->job.layer = l;
  c->job.act = c->act;
  c->job.wgt = c->wgt;
  c->job.a_bits = a_bits;
  c->job.w_bits = w_bits;
  c->job.a_signed = amin < 0;
  c->job.encoder = c->enc;
  c->job.out = c->out;
end:
  if (rc) qaErrPrefix(err, "layer %d '%s'", idx, l->name);
  free(fa);
  free(fw);
  return rc;
}

static int next_job(void *ctx, int idx, QaLayerJob **job, QaLayerStats **st, QaErr *err) {
  RunCtx *c = ctx;
  *job = NULL;
  *st = NULL;
  if (idx >= c->net->n_layers) return QA_OK;
  int rc = prepare_layer(c, idx, err);
  if (rc) {
    free_layer(c);
    return rc;
  }
  memset(&c->st, 0, sizeof c->st);
  *job = &c->job;
  *st = &c->st;
  return QA_OK;
}

static void verify(RunCtx *c, QaErr *err) {
  const QaLayer *l = c->job.layer;
  int64_t no = qaLayerOutCount(l);
  int64_t *ref = qaMalloc((size_t)no * sizeof(int64_t), err);
  if (!ref) {
    c->st.outputs_verified = -1;
    return;
  }
  qaRefConv(l, c->act, c->wgt, ref);
  int64_t bad = 0;
  for (int64_t i = 0; i < no; i++) bad += ref[i] != c->out[i];
  c->st.n_mismatches = bad;
  c->st.outputs_verified = bad == 0;
  free(ref);
}

static int job_done(void *ctx, int idx, QaLayerJob *job, QaLayerStats *st, QaErr *err) {
  RunCtx *c = ctx;
  const QaRunOptions *opt = c->opt;
  const QaLayer *l = job->layer;
  int rc = QA_OK;
  if (opt->verify)
    verify(c, err);
  else
    st->outputs_verified = -1;

  QaRunResult *r = c->res;
  r->n_layers++;
  r->macs += st->macs;
  r->n_cycles += st->n_cycles;
  r->n_stall_cycles += st->n_stall_cycles;
  r->util_cycles += st->pe_util * (double)st->n_cycles;
  if (st->outputs_verified != 1) r->all_verified = 0;

  if (opt->out && opt->per_layer) {
    char geo[96];
    snprintf(geo, sizeof geo, "%dx%dx%d>%dx%dx%d k%dx%d/%d%s", l->c, l->h, l->w, l->k, qaLayerOutH(l),
             qaLayerOutW(l), l->r, l->s, l->stride_h,
             l->groups > 1 ? (l->groups == l->c ? " dw" : " g") : "");
    fprintf(opt->out, "%4d %-22s %-34s %2d/%-2d %13" PRId64 " %11" PRId64 " %6.1f%%  %s\n", idx, l->name, geo,
            job->a_bits, job->w_bits, st->macs, st->n_cycles, 100.0 * st->pe_util,
            st->outputs_verified == 1   ? "ok"
            : st->outputs_verified == 0 ? (st->acc_overflows ? "ACC-OVERFLOW" : "MISMATCH")
                                        : "-");
    fflush(opt->out);
  }
  if (c->store) {
    QaLayerRecord rec = {idx, l, job->a_bits, job->w_bits, c->a_sqnr, c->w_sqnr, c->values_src, st};
    rc = qaStoreAddLayer(c->store, c->run_id, &rec, err);
  }
  if (!rc && c->cx) { /* price the layer's actions; rows go in the run's transaction */
    rc = qaEnergyPriceLayer(c->cx, st, l->n, c->layer_e, err);
    if (rc)
      qaErrPrefix(err, "layer %d '%s'", idx, l->name);
    else
      qaEnergyAdd(c->energy, c->layer_e);
    if (!rc && c->store) rc = qaEnergyStoreLayer(c->store, c->run_id, idx, c->layer_e, err);
  }
  free_layer(c);
  return rc;
}

int qaRunExecute(const QaRunOptions *opt, QaRunResult *res, QaErr *err) {
  RunCtx c;
  int rc;
  char *cfg_text = NULL;
  memset(&c, 0, sizeof c);
  memset(res, 0, sizeof *res);
  res->run_id = -1;
  res->all_verified = 1;
  c.opt = opt;
  c.res = res;

  if (opt->a_bits < 1 || opt->a_bits > QA_BITS_MAX || opt->w_bits < 1 || opt->w_bits > QA_BITS_MAX) {
    rc = qaErrSet(err, QA_EUSER, "--bits: bit-widths must be in 1..%d (got a %d, w %d)", QA_BITS_MAX,
                  opt->a_bits, opt->w_bits);
    goto end;
  }
  if ((rc = qaNetOpen(opt->net, &c.net, err)) != QA_OK) goto end;
  const QaArchDesc *d = NULL;
  if ((rc = qaArchFind(opt->arch, &d, err)) != QA_OK) goto end;
  qaCfgDefaults(d, &c.cfg);
  if (opt->arch_config && (rc = qaCfgLoadYaml(opt->arch_config, &c.cfg, err)) != QA_OK) goto end;
  for (int i = 0; i < opt->n_sets; i++) {
    char name[64];
    const char *eq = strchr(opt->sets[i], '=');
    if (!eq || eq == opt->sets[i] || (size_t)(eq - opt->sets[i]) >= sizeof name) {
      rc = qaErrSet(err, QA_EUSER, "--set '%s': expected NAME=VALUE", opt->sets[i]);
      goto end;
    }
    memcpy(name, opt->sets[i], (size_t)(eq - opt->sets[i]));
    name[eq - opt->sets[i]] = 0;
    if ((rc = qaCfgSetText(&c.cfg, name, eq + 1, "--set", err)) != QA_OK) goto end;
  }
  const char *quant_a = opt->quant_a ? opt->quant_a : d->quant_a ? d->quant_a : "auto";
  const char *quant_w = opt->quant_w ? opt->quant_w : d->quant_w ? d->quant_w : "sym-ch";
  const char *encoder = opt->encoder ? opt->encoder : d->encoder ? d->encoder : "booth4";
  c.qa_auto = !strcmp(quant_a, "auto");
  if (!c.qa_auto && (rc = qaQuantParse(quant_a, &c.qa, err)) != QA_OK) {
    qaErrPrefix(err, "--quant-a");
    goto end;
  }
  if ((rc = qaQuantParse(quant_w, &c.qw, err)) != QA_OK) {
    qaErrPrefix(err, "--quant-w");
    goto end;
  }
  if ((rc = qaEncoderParse(encoder, &c.enc, err)) != QA_OK) {
    qaErrPrefix(err, "--encoder");
    goto end;
  }
  qaSynthDefaults(&c.synth);
  c.synth.seed = opt->seed;
  c.synth.act_zero_frac = opt->act_zero_frac;
  if (!strcmp(opt->wgt_dist, "gauss"))
    c.synth.wgt_dist = QA_DIST_GAUSS;
  else if (strcmp(opt->wgt_dist, "laplace")) {
    rc = qaErrSet(err, QA_EUSER, "--wgt-dist '%s': use laplace or gauss", opt->wgt_dist);
    goto end;
  }
  if (opt->act_zero_frac < 0 || opt->act_zero_frac > 1 || isnan(opt->act_zero_frac)) {
    rc = qaErrSet(err, QA_EUSER, "--zero-frac must be in [0, 1]");
    goto end;
  }
  snprintf(res->arch, sizeof res->arch, "%s", d->name);
  snprintf(res->net, sizeof res->net, "%s", c.net->name);

  if (opt->costs && *opt->costs && strcmp(opt->costs, "none")) {
    c.cx = qaCalloc(1, sizeof *c.cx, err);
    c.energy = qaCalloc(1, sizeof *c.energy, err);
    c.layer_e = qaCalloc(1, sizeof *c.layer_e, err);
    if (!c.cx || !c.energy || !c.layer_e) {
      rc = QA_EINTERNAL;
      goto end;
    }
    QaComposeOptions co = {opt->a_bits, opt->w_bits, NULL};
    if ((rc = qaCostTableLoad(opt->costs, &c.costs, err)) != QA_OK ||
        (rc = qaCompose(&c.cfg, c.costs, &co, c.cx, err)) != QA_OK) {
      qaErrPrefix(err, "--costs %s", opt->costs);
      goto end;
    }
    qaEnergyInit(c.energy, c.cx);
  } else {
    c.cx = NULL;
  }

  cfg_text = qaCfgToYaml(&c.cfg);
  if (!cfg_text) {
    rc = qaErrSet(err, QA_EINTERNAL, "out of memory");
    goto end;
  }
  if (opt->db_path) {
    char cfg_hash[17], net_hash[17], qa_text[64], qw_text[64];
    qaHashHex(qaHash64(cfg_text, strlen(cfg_text), 0), cfg_hash);
    qaHashHex(qaNetHash(c.net), net_hash);
    if (c.qa_auto)
      snprintf(qa_text, sizeof qa_text, "auto");
    else
      qaQuantFormat(&c.qa, qa_text, sizeof qa_text);
    qaQuantFormat(&c.qw, qw_text, sizeof qw_text);
    QaRunInfo info = {qaVersion(),
                      d->name,
                      cfg_text,
                      cfg_hash,
                      c.net->name,
                      c.net->source,
                      net_hash,
                      opt->a_bits,
                      opt->w_bits,
                      qa_text,
                      qw_text,
                      qaEncoderName(c.enc),
                      opt->seed,
                      qaTimingName(opt->timing),
                      qaCfgGet(&c.cfg, "clock_mhz"),
                      opt->command_line ? opt->command_line : ""};
    if ((rc = qaStoreOpen(opt->db_path, &c.store, err)) != QA_OK) goto end;
    if ((rc = qaStoreBeginRun(c.store, &info, &c.run_id, err)) != QA_OK) goto end;
  }
  if (opt->out) {
    fprintf(opt->out, "qasim %s: %s on %s (%d layers, %" PRId64 " MACs), a/w %d/%d bits, timing %s\n",
            qaVersion(), d->name, c.net->name, c.net->n_layers, qaNetMacs(c.net), opt->a_bits, opt->w_bits,
            qaTimingName(opt->timing));
    if (opt->per_layer)
      fprintf(opt->out, "%4s %-22s %-34s %-5s %13s %11s %7s  %s\n", "#", "layer", "geometry", "a/w", "macs",
              "n_cycles", "pe_util", "outputs");
  }
  QaSimHooks hooks = {&c, next_job, job_done};
  double t0 = qaNowSeconds();
  rc = qaSimRun(&c.cfg, opt->timing, &hooks, err);
  res->wall_s = qaNowSeconds() - t0;
  free_layer(&c);
  if (rc) goto end;
  double mhz = qaCfgGet(&c.cfg, "clock_mhz");
  res->time_s = (double)res->n_cycles / (mhz * 1e6);
  res->sim_macs_per_s = res->wall_s > 0 ? (double)res->macs / res->wall_s : 0;
  if (c.cx) {
    res->energy_pj = c.energy->total_pj;
    res->pj_per_mac = qaEnergyPjPerMac(c.energy);
  }
  if (c.store) {
    QaRunTotals tot = {res->macs,   res->n_cycles,       res->n_stall_cycles, res->time_s,
                       res->wall_s, res->sim_macs_per_s, res->all_verified};
    if (c.cx && (rc = qaEnergyStoreRun(c.store, c.run_id, c.energy, c.cx->chip_area_um2 / 1e6, err)) != QA_OK)
      goto end;
    if ((rc = qaStoreFinishRun(c.store, c.run_id, &tot, err)) != QA_OK) goto end;
    res->run_id = c.run_id;
  }
  if (opt->out) {
    fprintf(opt->out,
            "total: %" PRId64 " cycles (%" PRId64
            " stall), %.3f ms at %g MHz, pe_util %.1f%%, "
            "outputs %s\n",
            res->n_cycles, res->n_stall_cycles, res->time_s * 1e3, mhz,
            res->n_cycles ? 100.0 * res->util_cycles / (double)res->n_cycles : 0.0,
            !opt->verify        ? "not verified"
            : res->all_verified ? "verified"
                                : "NOT VERIFIED");
    fprintf(opt->out, "host: %.2f s wall, %.1f M simulated MACs/s\n", res->wall_s, res->sim_macs_per_s / 1e6);
    if (c.cx && (rc = qaEnergyPrint(c.energy, c.cx, opt->out, err)) != QA_OK) goto end;
    if (c.cx && c.store &&
        (rc = qaEnergyPrintEfficiency(c.store, opt->db_path, c.run_id, c.energy, opt->costs, opt->out,
                                      err)) != QA_OK)
      goto end;
    if (c.cx && !c.store)
      fprintf(opt->out, "energy efficiency vs %s: not compared (the run is not stored)\n", QA_BASELINE_ARCH);
    if (c.store) fprintf(opt->out, "stored as run %" PRId64 " in %s\n", c.run_id, opt->db_path);
  }
end:
  if (rc && c.store) qaStoreAbortRun(c.store);
  qaStoreClose(c.store);
  qaCostTableDestroy(c.costs);
  free(c.cx);
  free(c.energy);
  free(c.layer_e);
  qaNetDestroy(c.net);
  free(cfg_text);
  return rc;
}
