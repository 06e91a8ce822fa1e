/*
** run.c - one simulation run end to end: resolve, then per layer values -> quantize ->
** simulate -> verify -> price, then store and compare (see run.h).
*/
#include "sim/run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arch/driver.h"
#include "base/npy.h"
#include "quant/quant.h"
#include "sim/reprice.h"
#include "store/store.h"
#include "workloads/synth.h"

void qaRunDefaults(QaRunOptions *opt) {
  memset(opt, 0, sizeof *opt);
  opt->a_bits = opt->w_bits = 16;
  opt->seed = 1;
  opt->act_zero_frac = 0.5;
  opt->wgt_dist = "laplace";
  opt->timing = QA_TIMING_LT;
  opt->verify = 1;
  opt->db_path = QA_STORE_DEFAULT_PATH;
  opt->costs = QA_COSTS_DEFAULT;
}

/* What the run keeps of a finished layer until the store stage. */
typedef struct LayerRec {
  int a_bits, w_bits;
  double a_sqnr, w_sqnr;
  const char *values_src; /* "trace" or "synthetic" (static text) */
  QaLayerStats st;
  QaEnergy energy;
} LayerRec;

typedef struct Run {
  const QaRunOptions *opt;
  const QaRunReporter *rep;
  QaRunResult *res;
  /* stage 1: resolved */
  QaNet *net;
  QaArchConfig cfg;
  QaQuantSpec qa, qw;
  int qa_auto;
  char qa_text[64], qw_text[64];
  QaEncoder enc;
  QaSynthSpec synth;
  QaCostTable *costs;
  QaComposition *cx; /* NULL: not priced */
  QaRunPlan plan;
  /* stage 2: the layer in flight and the finished ones */
  QaLayerJob job;
  int32_t *act, *wgt;
  int64_t *out;
  LayerRec *recs; /* n_layers */
} Run;

/* ---- stage 1: resolve --------------------------------------------------------------- */

static int checkOptions(const QaRunOptions *opt, QaErr *err) {
  if (!opt->net || !opt->net[0])
    return qaErrSet(err, QA_EUSER,
                    "--net is required (a built-in network, see `qasim nets`, or a YAML file)");
  if (opt->a_bits < 1 || opt->a_bits > QA_BITS_MAX || opt->w_bits < 1 || opt->w_bits > QA_BITS_MAX)
    return qaErrSet(err, QA_EUSER, "--bits: bit-widths must be in 1..%d (got a %d, w %d)", QA_BITS_MAX,
                    opt->a_bits, opt->w_bits);
  if (!(opt->act_zero_frac >= 0 && opt->act_zero_frac <= 1))
    return qaErrSet(err, QA_EUSER, "--zero-frac must be in [0, 1]");
  if (strcmp(opt->wgt_dist, "laplace") && strcmp(opt->wgt_dist, "gauss"))
    return qaErrSet(err, QA_EUSER, "--wgt-dist '%s': use laplace or gauss", opt->wgt_dist);
  if (opt->layers && strcmp(opt->layers, "all") && strcmp(opt->layers, "conv") && strcmp(opt->layers, "fc"))
    return qaErrSet(err, QA_EUSER, "--layers '%s': use all, conv (conv and depthwise layers) or fc",
                    opt->layers);
  return QA_OK;
}

/* Keep only the layers of class opt->layers (conv or fc); an empty result is an error. */
static int selectLayers(QaNet *net, const char *layers, QaErr *err) {
  if (!layers || !strcmp(layers, "all")) return QA_OK;
  int want_fc = !strcmp(layers, "fc"), n = 0;
  for (int i = 0; i < net->n_layers; i++)
    if ((net->layers[i].kind == QA_LAYER_FC) == want_fc) net->layers[n++] = net->layers[i];
  if (n == 0)
    return qaErrSet(err, QA_EUSER, "--layers %s: network '%s' has no such layers", layers, net->name);
  net->n_layers = n;
  /* a subset is its own workload: stored and compared under its own name (and hash) */
  size_t len = strlen(net->name);
  if (len + strlen(layers) + 2 <= sizeof net->name)
    snprintf(net->name + len, sizeof net->name - len, ":%s", layers);
  return QA_OK;
}

static int resolve(Run *r, QaErr *err) {
  const QaRunOptions *opt = r->opt;
  int rc;
  if ((rc = checkOptions(opt, err)) || (rc = qaNetOpen(opt->net, &r->net, err)) ||
      (rc = selectLayers(r->net, opt->layers, err)) || (rc = qaArchResolve(&opt->arch, &r->cfg, err)))
    return rc;
  const QaArchDesc *d = r->cfg.desc;
  /* the resolved architecture's defaults (never the --arch default's) */
  const char *quant_a = opt->quant_a ? opt->quant_a : d->quant_a ? d->quant_a : "auto";
  const char *quant_w = opt->quant_w ? opt->quant_w : d->quant_w ? d->quant_w : "sym-ch";
  const char *encoder = opt->encoder ? opt->encoder : d->encoder ? d->encoder : "booth4";
  r->qa_auto = !strcmp(quant_a, "auto");
  if (!r->qa_auto && (rc = qaQuantParse(quant_a, &r->qa, err))) {
    qaErrPrefix(err, "--quant-a");
    return rc;
  }
  if ((rc = qaQuantParse(quant_w, &r->qw, err))) {
    qaErrPrefix(err, "--quant-w");
    return rc;
  }
  if ((rc = qaEncoderParse(encoder, &r->enc, err))) {
    qaErrPrefix(err, "--encoder");
    return rc;
  }
  if (r->qa_auto)
    snprintf(r->qa_text, sizeof r->qa_text, "auto");
  else
    qaQuantFormat(&r->qa, r->qa_text, sizeof r->qa_text);
  qaQuantFormat(&r->qw, r->qw_text, sizeof r->qw_text);

  qaSynthDefaults(&r->synth);
  r->synth.seed = opt->seed;
  r->synth.act_zero_frac = opt->act_zero_frac;
  r->synth.wgt_dist = strcmp(opt->wgt_dist, "gauss") ? QA_DIST_LAPLACE : QA_DIST_GAUSS;

  if (opt->costs && *opt->costs && strcmp(opt->costs, "none")) {
    r->cx = qaCalloc(1, sizeof *r->cx, err);
    if (!r->cx) return QA_EINTERNAL;
    QaComposeOptions co = {opt->a_bits, opt->w_bits, NULL};
    if ((rc = qaCostTableLoad(opt->costs, &r->costs, err)) ||
        (rc = qaCompose(&r->cfg, r->costs, &co, r->cx, err))) {
      qaErrPrefix(err, "--costs %s", opt->costs);
      return rc;
    }
  }
  r->recs = qaCalloc((size_t)r->net->n_layers, sizeof *r->recs, err);
  if (!r->recs) return QA_EINTERNAL;

  QaRunPlan p = {&r->cfg,     r->net, opt->a_bits, opt->w_bits, r->qa_text, r->qw_text, qaEncoderName(r->enc),
                 opt->timing, r->cx};
  r->plan = p;
  snprintf(r->res->arch, sizeof r->res->arch, "%s", d->name);
  snprintf(r->res->net, sizeof r->res->net, "%s", r->net->name);
  r->res->clock_mhz = r->cfg.spec.base.clock_mhz;
  return QA_OK;
}

/* ---- stage 2: per layer ------------------------------------------------------------- */

static void freeLayer(Run *r) {
  free(r->act);
  free(r->wgt);
  free(r->out);
  r->act = r->wgt = NULL;
  r->out = NULL;
}

/* Load a float trace and check its shape against the layer (accepting the batch-less /
** 2-D forms users commonly save). */
static int loadTrace(const char *path, int ndim, const int64_t *shape, int ndim_alt, const int64_t *shape_alt,
                     float **out, QaErr *err) {
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

/* Values: the layer's float activations and weights, traced or synthetic. */
static int layerValues(Run *r, int idx, const QaLayer *l, float **fa, float **fw, LayerRec *rec, QaErr *err) {
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l);
  int rc;
  rec->values_src = l->act_trace[0] || l->wgt_trace[0] ? "trace" : "synthetic";
  if (!l->act_trace[0] || !l->wgt_trace[0]) {
    *fa = qaMalloc((size_t)na * sizeof(float), err);
    *fw = qaMalloc((size_t)nw * sizeof(float), err);
    if (!*fa || !*fw) return QA_EINTERNAL;
    qaSynthLayer(&r->synth, l, idx, *fa, *fw);
  }
  if (l->act_trace[0]) {
    int64_t s4[4] = {l->n, l->c, l->h, l->w}, s3[3] = {l->c, l->h, l->w}, s2[2] = {l->n, l->c};
    free(*fa);
    *fa = NULL;
    if (l->kind == QA_LAYER_FC)
      rc = loadTrace(l->act_trace, 2, s2, l->n == 1 ? 1 : 0, s2 + 1, fa, err);
    else
      rc = loadTrace(l->act_trace, 4, s4, l->n == 1 ? 3 : 0, s3, fa, err);
    if (rc) return rc;
  }
  if (l->wgt_trace[0]) {
    int64_t s4[4] = {l->k, l->c / l->groups, l->r, l->s}, s2[2] = {l->k, l->c};
    free(*fw);
    *fw = NULL;
    if ((rc = loadTrace(l->wgt_trace, 4, s4, l->kind == QA_LAYER_FC ? 2 : 0, s2, fw, err))) return rc;
  }
  return QA_OK;
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

/* Values and quantization of layer IDX into r->job. */
static int prepareLayer(Run *r, int idx, QaErr *err) {
  const QaRunOptions *opt = r->opt;
  const QaLayer *l = &r->net->layers[idx];
  LayerRec *rec = &r->recs[idx];
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l), no = qaLayerOutCount(l);
  float *fa = NULL, *fw = NULL;
  int rc = QA_OK;
  rec->a_bits = l->a_bits ? l->a_bits : opt->a_bits;
  rec->w_bits = l->w_bits ? l->w_bits : opt->w_bits;
  r->act = qaMalloc((size_t)na * sizeof(int32_t), err);
  r->wgt = qaMalloc((size_t)nw * sizeof(int32_t), err);
  r->out = qaMalloc((size_t)no * sizeof(int64_t), err);
  if (!r->act || !r->wgt || !r->out) {
    rc = QA_EINTERNAL;
    goto end;
  }
  if ((rc = layerValues(r, idx, l, &fa, &fw, rec, err))) goto end;
  QaQuantSpec qa = r->qa;
  if (r->qa_auto) {
    int neg = 0;
    for (int64_t i = 0; i < na && !neg; i++) neg = fa[i] < 0;
    memset(&qa, 0, sizeof qa);
    qa.scheme = neg ? QA_Q_SYM : QA_Q_UNSIGNED;
  }
  int32_t amin = 0, wmin = 0;
  if ((rc = quantize(&qa, rec->a_bits, fa, na, 1, r->act, &rec->a_sqnr, &amin, err)) ||
      (rc = quantize(&r->qw, rec->w_bits, fw, nw, l->k, r->wgt, &rec->w_sqnr, &wmin, err)))
    goto end;
  QaLayerJob job = {l, r->act, r->wgt, rec->a_bits, rec->w_bits, amin < 0, r->enc, r->out};
  r->job = job;
end:
  if (rc) qaErrPrefix(err, "layer %d '%s'", idx, l->name);
  free(fa);
  free(fw);
  return rc;
}

static int nextJob(void *ctx, int idx, QaLayerJob **job, QaLayerStats **st, QaErr *err) {
  Run *r = ctx;
  *job = NULL;
  *st = NULL;
  if (idx >= r->net->n_layers) return QA_OK;
  int rc = prepareLayer(r, idx, err);
  if (rc) {
    freeLayer(r);
    return rc;
  }
  *job = &r->job;
  *st = &r->recs[idx].st;
  return QA_OK;
}

/* Verify: the model's outputs against the integer reference convolution. */
static void verifyLayer(Run *r, QaLayerStats *st, QaErr *err) {
  const QaLayer *l = r->job.layer;
  int64_t no = qaLayerOutCount(l);
  int64_t *ref = qaMalloc((size_t)no * sizeof(int64_t), err);
  if (!ref) {
    st->outputs_verified = -1;
    return;
  }
  qaRefConv(l, r->act, r->wgt, ref);
  int64_t bad = 0;
  for (int64_t i = 0; i < no; i++) bad += ref[i] != r->out[i];
  st->n_mismatches = bad;
  st->outputs_verified = bad == 0;
  free(ref);
}

static int jobDone(void *ctx, int idx, QaLayerJob *job, QaLayerStats *st, QaErr *err) {
  Run *r = ctx;
  LayerRec *rec = &r->recs[idx];
  const QaLayer *l = job->layer;
  int rc = QA_OK;
  if (r->opt->verify)
    verifyLayer(r, st, err);
  else
    st->outputs_verified = -1;
  freeLayer(r);
  if (r->cx) { /* price: the layer's actions at its precisions */
    if ((rc = qaEnergyPriceLayer(r->cx, st, rec->a_bits, rec->w_bits, l->n, &rec->energy, err))) {
      qaErrPrefix(err, "layer %d '%s'", idx, l->name);
      return rc;
    }
  }
  QaRunResult *res = r->res;
  res->n_layers++;
  res->traced_layers += !strcmp(rec->values_src, "trace");
  res->macs += st->macs;
  res->n_cycles += st->n_cycles;
  res->n_stall_cycles += st->n_stall_cycles;
  res->util_cycles += st->pe_util * (double)st->n_cycles;
  QaRunPart *part = l->kind == QA_LAYER_FC ? &res->fc : &res->conv;
  part->n_layers++;
  part->macs += st->macs;
  part->n_cycles += st->n_cycles;
  part->n_stall_cycles += st->n_stall_cycles;
  if (r->cx) part->energy_pj += rec->energy.total_pj;
  if (st->n_stall_cycles > st->n_compute_cycles) {
    part->n_dram_bound++;
    part->dram_bound_cycles += st->n_cycles;
  }
  if (st->outputs_verified != 1) res->all_verified = 0;
  if (r->cx) qaEnergyAdd(&res->energy, &rec->energy);
  if (r->rep && r->rep->layer) {
    QaRunLayer rl = {idx, l, rec->a_bits, rec->w_bits, st, r->cx ? &rec->energy : NULL};
    r->rep->layer(r->rep->ctx, &rl);
  }
  return rc;
}

/* ---- stage 3: store ----------------------------------------------------------------- */

/* The design point of the resolved run R (sim/identity.h); CFG_TEXT is qaCfgToYaml's. */
static int identify(const Run *r, const char *cfg_text, QaIdentity *id, QaErr *err) {
  const QaRunOptions *opt = r->opt;
  QaIdentityInput in = {qaVersion(),
                        cfg_text,
                        r->net,
                        opt->a_bits,
                        opt->w_bits,
                        r->qa_text,
                        r->qw_text,
                        qaEncoderName(r->enc),
                        opt->seed,
                        opt->act_zero_frac,
                        opt->wgt_dist,
                        qaTimingName(opt->timing),
                        opt->verify,
                        r->cx ? r->costs : NULL,
                        r->cx ? r->cx->costs : NULL};
  return qaIdentityCompute(&in, id, err);
}

/* The composition that priced the run, component by component (area, category). */
static int storeComponents(const Run *r, QaStore *store, int64_t id, QaErr *err) {
  const QaComposition *cx = r->cx;
  for (int i = 0; i < cx->n_comp; i++) {
    const QaPricedComp *c = &cx->comp[i];
    if (!c->def || c->size.count <= 0) continue;
    int64_t inst = qaComposeInstances(cx, c);
    QaComponentRecord rec = {r->res->energy.costs, /* the label resolved by storeRun */
                             c->def->name,
                             qaCategoryName(c->def->category),
                             qaScopeName(c->def->scope),
                             inst,
                             c->def->scope == QA_SCOPE_OFFCHIP ? 0.0 : (double)inst * c->op.area_um2};
    int rc = qaStoreAddComponent(store, id, &rec, err);
    if (rc) return rc;
  }
  return QA_OK;
}

static int storeRun(Run *r, QaStore *store, QaErr *err) {
  const QaRunOptions *opt = r->opt;
  QaRunResult *res = r->res;
  char *cfg_text = qaCfgToYaml(&r->cfg);
  char cfg_hash[17], net_hash[17];
  int rc;
  if (!cfg_text) return qaErrSet(err, QA_EINTERNAL, "out of memory");
  qaHashHex(qaHash64(cfg_text, strlen(cfg_text), 0), cfg_hash);
  qaHashHex(qaNetHash(r->net), net_hash);
  if ((rc = identify(r, cfg_text, &res->identity, err))) {
    free(cfg_text);
    return rc;
  }
  QaRunInfo info = {qaVersion(),
                    r->cfg.desc->name,
                    cfg_text,
                    cfg_hash,
                    r->net->name,
                    r->net->source,
                    net_hash,
                    opt->a_bits,
                    opt->w_bits,
                    r->qa_text,
                    r->qw_text,
                    qaEncoderName(r->enc),
                    opt->seed,
                    qaTimingName(opt->timing),
                    r->cfg.spec.base.clock_mhz,
                    opt->command_line ? opt->command_line : "",
                    res->identity.id,
                    res->identity.config_id,
                    res->identity.workload_id,
                    opt->act_zero_frac,
                    opt->wgt_dist,
                    opt->verify,
                    r->cx ? r->cx->costs : NULL,
                    r->cx ? res->identity.costs_id : NULL};
  int64_t id = 0, existing = 0;
  if ((rc = qaStoreBeginRun(store, &info, &id, err))) goto end;
  /* inside BEGIN IMMEDIATE: no other writer can store the point meanwhile */
  if (opt->skip_stored && ((rc = qaStoreFindPoint(store, res->identity.id, &existing, err)) || existing)) {
    qaStoreAbortRun(store);
    res->run_id = existing;
    res->already_stored = existing != 0;
    goto end;
  }
  if (r->cx) { /* the label of this table's content in this store (qaStoreCostLabel) */
    QaCostIdentity ci = qaEnergyCostIdentity(r->cx);
    char label[QA_STORE_LABEL_MAX];
    if ((rc = qaStoreCostLabel(store, &ci, label, sizeof label, err)) ||
        (rc = qaStoreSetRunCosts(store, id, label, err)))
      goto end;
    snprintf(res->energy.costs, sizeof res->energy.costs, "%s", label);
    for (int i = 0; i < r->net->n_layers; i++)
      snprintf(r->recs[i].energy.costs, sizeof r->recs[i].energy.costs, "%s", label);
  }
  if (r->cx && (rc = storeComponents(r, store, id, err))) goto end;
  for (int i = 0; i < r->net->n_layers; i++) {
    const LayerRec *rec = &r->recs[i];
    QaLayerRecord lr = {i,           &r->net->layers[i], rec->a_bits,     rec->w_bits,
                        rec->a_sqnr, rec->w_sqnr,        rec->values_src, &rec->st};
    if ((rc = qaStoreAddLayer(store, id, &lr, err))) goto end;
    if (r->cx && (rc = qaEnergyStoreLayer(store, id, i, &rec->energy, err))) goto end;
  }
  if (r->cx && (rc = qaEnergyStoreRun(store, id, &res->energy, res->area_mm2, err))) goto end;
  QaRunTotals tot = {res->macs,   res->n_cycles,       res->n_stall_cycles, res->time_s,
                     res->wall_s, res->sim_macs_per_s, res->all_verified};
  if ((rc = qaStoreFinishRun(store, id, &tot, err))) goto end;
  res->run_id = id;
end:
  if (rc) qaStoreAbortRun(store);
  free(cfg_text);
  return rc;
}

/* ---- the pipeline ------------------------------------------------------------------- */

int qaRunExecute(const QaRunOptions *opt, const QaRunReporter *rep, QaRunResult *res, QaErr *err) {
  Run r;
  QaStore *store = NULL;
  int rc;
  memset(&r, 0, sizeof r);
  memset(res, 0, sizeof *res);
  res->run_id = -1;
  res->all_verified = 1;
  res->verified = opt->verify != 0;
  r.opt = opt;
  r.rep = rep;
  r.res = res;

  if ((rc = resolve(&r, err))) goto end;
  /* open (or create) the store before simulating: a bad path fails fast */
  if (opt->db_path && (rc = qaStoreOpen(opt->db_path, &store, err))) goto end;
  if (r.cx) {
    qaEnergyInit(&res->energy, r.cx);
    res->priced = 1;
    res->area_mm2 = r.cx->chip_area_um2 / 1e6;
  }
  if (rep && rep->start) rep->start(rep->ctx, &r.plan);

  QaSimHooks hooks = {&r, nextJob, jobDone};
  double t0 = qaNowSeconds();
  rc = qaSimRun(&r.cfg, opt->timing, &hooks, err);
  res->wall_s = qaNowSeconds() - t0;
  freeLayer(&r);
  if (rc) goto end;
  res->time_s = (double)res->n_cycles / (r.cfg.spec.base.clock_mhz * 1e6);
  res->conv.time_s = (double)res->conv.n_cycles / (r.cfg.spec.base.clock_mhz * 1e6);
  res->fc.time_s = (double)res->fc.n_cycles / (r.cfg.spec.base.clock_mhz * 1e6);
  res->sim_macs_per_s = res->wall_s > 0 ? (double)res->macs / res->wall_s : 0;

  if (store) {
    if ((rc = storeRun(&r, store, err))) goto end;
    if (r.cx && !res->already_stored &&
        (rc = qaEnergyFindBaseline(store, res->run_id, res->energy.costs, &res->baseline_run,
                                   &res->baseline_pj, err)))
      goto end;
  }
  if (rep && rep->done) rep->done(rep->ctx, &r.plan, res);
end:
  qaStoreClose(store);
  qaCostTableDestroy(r.costs);
  free(r.cx);
  free(r.recs);
  qaNetDestroy(r.net);
  return rc;
}

/* ---- the design point without simulating (sim/identity.h) ---------------------------- */

int qaRunIdentify(const QaRunOptions *opt, QaIdentity *out, QaErr *err) {
  Run r;
  QaRunResult res;
  char *cfg_text = NULL;
  memset(&r, 0, sizeof r);
  memset(&res, 0, sizeof res);
  memset(out, 0, sizeof *out);
  r.opt = opt;
  r.res = &res;
  int rc = resolve(&r, err);
  if (!rc && !(cfg_text = qaCfgToYaml(&r.cfg))) rc = qaErrSet(err, QA_EINTERNAL, "out of memory");
  if (!rc) rc = identify(&r, cfg_text, out, err);
  free(cfg_text);
  qaCostTableDestroy(r.costs);
  free(r.cx);
  free(r.recs);
  qaNetDestroy(r.net);
  return rc;
}
