/*
** run.c - one simulation run end to end: resolve, then per layer values -> quantize ->
** simulate -> verify -> price, then store and compare (see run.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "sim/run.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/driver.h"
#include "arch/reshape.h"
#include "base/parse.h"
#include "quant/quant.h"
#include "quant/valstats.h"
#include "sim/reprice.h"
#include "sim/values.h"
#include "store/store.h"
#include "workloads/precision.h"
#include "workloads/synth.h"
#include "workloads/trace.h"

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
  const char *sm = getenv("QASIM_STREAM_MIN"); /* tests and measurements: the streaming threshold */
  if (sm && *sm) opt->stream_min_weights = strtoll(sm, NULL, 10);
}

/* What the run keeps of a finished layer until the store stage. */
typedef struct LayerRec {
  int a_bits, w_bits;
  double a_sqnr, w_sqnr;
  double out_sqnr;        /* dequantised output vs float output (dB) */
  const char *values_src; /* "trace" or "synthetic" (static text) */
  char quant_a[QA_QUANT_TEXT_MAX], quant_w[QA_QUANT_TEXT_MAX];
  QaValueStats act_stats, wgt_stats;
  QaLayerStats st;
  QaEnergy energy;
  double values_s, verify_s, post_s; /* host time in each part (sim/run.h) */
  double sim_s;                      /* in the simulation (--threads > 1 only: measured per layer) */
} LayerRec;

/* A layer in flight: its job, values and codes, outputs; for streamed weights the source
** the engine fetches windows from and the window buffers (kept from layer to layer). */
typedef struct Work {
  QaLayerJob job;
  QaLayerValues v;
  int64_t *out;
  QaWgtSource wsrc; /* fetchWeights on this work */
  int idx;          /* the layer's index */
  double fetch_s;   /* host time in fetchWeights (values, not simulation) */
  QaValuesBuf buf;
} Work;

typedef struct Run {
  const QaRunOptions *opt;
  const QaRunReporter *rep;
  QaRunResult *res;
  /* stage 1: resolved */
  QaNet *net;
  QaArchConfig cfg;
  QaValuesSpec vs; /* quantizers and synthetic values */
  char qa_text[64], qw_text[64];
  QaEncoder enc;
  int *prec_a, *prec_w; /* per-layer bits from --precision FILE (0: the run's), or NULL */
  double profile_db;    /* --precision profile: the SQNR target; 0: no profile */
  QaCostTable *costs;
  QaComposition *cx; /* NULL: not priced */
  QaRunPlan plan;
  /* stage 2: the layer in flight (one thread; --threads: one per layer in flight) and the
  ** finished ones */
  Work w;
  LayerRec *recs; /* n_layers */
} Run;

/* ---- memory ------------------------------------------------------------------------ */

/* The layer's largest buffers, in bytes (issue 13: a 10^6 x 4000 fc layer passed and was
** killed at 24 GB after 150 s). Held through the layer: int32 activation and weight codes,
** int64 outputs. While the values are made: float copies, and a trace's array as read
** (up to 8 bytes a value). While it is simulated and verified: the engine's padded
** activations, a reshaped copy of both codes, the kernels' per-value tables, the
** reference's outputs and padded input. Layers are validated, so no product overflows. */
int64_t qaRunLayerMemory(const QaLayer *l) {
  int64_t na = qaLayerActCount(l), nw = qaLayerWgtCount(l), no = qaLayerOutCount(l);
  int64_t pna = (int64_t)l->n * l->c * qaLayerPaddedH(l) * qaLayerPaddedW(l);
  int64_t hold = 4 * na + 4 * nw + 8 * no;
  int64_t values = 4 * na + 4 * nw + (l->act_trace[0] ? 8 * na : 0) + (l->wgt_trace[0] ? 8 * nw : 0);
  int64_t sim = 4 * pna + (4 + 1) * (na + nw) + 8 * no + 4 * pna;
  return hold + (values > sim ? values : sim);
}

int64_t qaRunLayerMemoryStreamed(const QaLayer *l, int64_t window_filters) {
  int64_t na = qaLayerActCount(l), no = qaLayerOutCount(l), per = qaLayerWgtCount(l) / l->k;
  int64_t pna = (int64_t)l->n * l->c * qaLayerPaddedH(l) * qaLayerPaddedW(l);
  int64_t wf = window_filters < l->k ? window_filters : l->k;
  /* float and integer activations, outputs, reference outputs, the output sample's floats */
  int64_t hold = 8 * na + 16 * no + 8 * QA_VALUES_SAMPLE + (l->act_trace[0] ? 8 * na : 0);
  /* a window's float weights and codes, the engine's copy, a kernel's per-weight table */
  int64_t window = wf * per * (4 + 4 + 4 + 1);
  int64_t sim = 4 * pna + na + 4 * pna; /* padded activations, kernel tables, the reference's */
  return hold + window + sim;
}

int64_t qaRunMemoryDefault(void) {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  double phys = pages > 0 && page > 0 ? (double)pages * (double)page : 4.0 * (1 << 30);
  FILE *f = fopen("/sys/fs/cgroup/memory.max", "r"); /* a container's limit (cgroup v2) */
  if (f) {
    double lim;
    if (fscanf(f, "%lf", &lim) == 1 && lim > 0 && lim < phys) phys = lim;
    fclose(f);
  }
  return (int64_t)(phys * 0.8);
}

/* "1.5 GiB" */
static void formatBytes(double b, char *out, size_t cap) {
  static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (b >= 1024 && u < 6) b /= 1024, u++;
  snprintf(out, cap, u ? "%.1f %s" : "%.0f %s", b, units[u]);
}

/* --threads N: at most LT_WINDOW x N consecutive layers are in flight at once (stage 2). */
#define LT_WINDOW 2

/* The weights from which a layer streams them (0: never). */
static int64_t streamMin(const QaRunOptions *opt) {
  int64_t min = opt->stream_min_weights ? opt->stream_min_weights : QA_RUN_STREAM_MIN;
  return min > 0 ? min : 0;
}

/* 1 if layer L streams its weights through the kernels (issue 12): it has at least
** --stream-min weights, the values can be made window by window (qaValuesStreamable:
** synthetic weights, one image, one group, a per-channel or per-tensor minmax quantizer),
** its activation precision is not profiled from the whole weights and the architecture
** does not reshape it. */
static int streams(const Run *r, const QaLayer *l) {
  int64_t min = streamMin(r->opt);
  return min && qaLayerWgtCount(l) >= min && r->profile_db == 0 && !qaReshapeApplies(&r->cfg, l) &&
         qaValuesStreamable(&r->vs, l);
}

/* The synthetic values' spec of the run's options. */
static void synthOf(const QaRunOptions *opt, QaSynthSpec *s) {
  qaSynthDefaults(s);
  s->seed = opt->seed;
  s->act_zero_frac = opt->act_zero_frac;
  s->wgt_dist = strcmp(opt->wgt_dist, "gauss") ? QA_DIST_LAPLACE : QA_DIST_GAUSS;
}

/* The memory estimate of layer L as this run executes it. */
static int64_t layerMemory(const Run *r, const QaLayer *l) {
  const QaArchSpec *b = &r->cfg.spec.base;
  return streams(r, l) ? qaRunLayerMemoryStreamed(l, (int64_t)b->tiles * b->rows) : qaRunLayerMemory(l);
}

/* Refuse, before anything runs, a layer that would not fit in the memory limit, and with
** --threads the layers in flight together (any LT_WINDOW x threads consecutive ones). */
static int checkMemory(const Run *r, QaErr *err) {
  int64_t limit = r->opt->max_memory_bytes > 0 ? r->opt->max_memory_bytes : qaRunMemoryDefault();
  for (int i = 0; i < r->net->n_layers; i++) {
    const QaLayer *l = &r->net->layers[i];
    int64_t need = layerMemory(r, l);
    if (need <= limit) continue;
    char a[32], b[32];
    formatBytes((double)need, a, sizeof a);
    formatBytes((double)limit, b, sizeof b);
    return qaErrSet(
        err, QA_EUSER,
        "layer %d '%s' needs about %s of memory (estimate) but %s is available (%s); make the layer "
        "or batch smaller, or raise --max-memory",
        i, l->name, a, b, r->opt->max_memory_bytes > 0 ? "--max-memory" : "80% of physical memory");
  }
  int n = r->net->n_layers, w = r->opt->threads > 1 ? LT_WINDOW * r->opt->threads : 1;
  for (int i = 0; w > 1 && i < n; i++) { /* each term fits the limit: the sum of w cannot overflow */
    int64_t need = 0;
    int j = i;
    for (; j < n && j < i + w; j++) need += layerMemory(r, &r->net->layers[j]);
    if (need <= limit) continue;
    char a[32], b[32];
    formatBytes((double)need, a, sizeof a);
    formatBytes((double)limit, b, sizeof b);
    return qaErrSet(err, QA_EUSER,
                    "--threads %d: layers %d '%s' to %d '%s' in flight together need about %s of memory "
                    "(estimate) but %s is available (%s); use fewer --threads or raise --max-memory",
                    r->opt->threads, i, r->net->layers[i].name, j - 1, r->net->layers[j - 1].name, a, b,
                    r->opt->max_memory_bytes > 0 ? "--max-memory" : "80% of physical memory");
  }
  return QA_OK;
}

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
  if (opt->threads < 0 || opt->threads > QA_RUN_MAX_THREADS)
    return qaErrSet(err, QA_EUSER, "--threads must be in 1..%d (got %d)", QA_RUN_MAX_THREADS, opt->threads);
  if (opt->threads > 1 && opt->timing == QA_TIMING_CYCLE)
    return qaErrSet(err, QA_EUSER,
                    "--threads %d: the clocked timing runs one SystemC simulation per process; use "
                    "--threads 1 with --timing cycle, or the default loosely-timed mode with threads",
                    opt->threads);
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

/* The values side of stage 1: every layer's quantizers parse, every trace file reads and
** fits (before anything is simulated), and --precision is read. */
static int resolveValues(Run *r, QaErr *err) {
  const QaRunOptions *opt = r->opt;
  QaNet *net = r->net;
  int rc, auto_;
  QaQuantSpec qa, qw;
  for (int i = 0; i < net->n_layers; i++)
    if ((rc = qaValuesQuantizers(&r->vs, &net->layers[i], &qa, &auto_, &qw, err))) {
      qaErrPrefix(err, "%s", net->source);
      return rc;
    }
  if (!opt->synthetic && (rc = qaNetCheckTraces(net, NULL, err))) return rc;
  if (!opt->precision) return QA_OK;
  if (!strncmp(opt->precision, "profile", 7) && (!opt->precision[7] || opt->precision[7] == ':')) {
    r->profile_db = QA_RUN_PROFILE_DB;
    if (opt->precision[7] &&
        (rc = qaParseDouble(opt->precision + 8, "--precision profile:DB", 0.1, 200, &r->profile_db, err)))
      return rc;
    return QA_OK;
  }
  r->prec_a = qaCalloc((size_t)net->n_layers, sizeof(int), err);
  r->prec_w = qaCalloc((size_t)net->n_layers, sizeof(int), err);
  if (!r->prec_a || !r->prec_w) return QA_EINTERNAL;
  if ((rc = qaPrecisionLoad(opt->precision, net, r->prec_a, r->prec_w, NULL, err))) {
    qaErrPrefix(err, "--precision");
    return rc;
  }
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
  r->vs.qa_auto = !strcmp(quant_a, "auto");
  if (!r->vs.qa_auto && (rc = qaQuantParse(quant_a, &r->vs.qa, err))) {
    qaErrPrefix(err, "--quant-a");
    return rc;
  }
  if ((rc = qaQuantParse(quant_w, &r->vs.qw, err))) {
    qaErrPrefix(err, "--quant-w");
    return rc;
  }
  if ((rc = qaEncoderParse(encoder, &r->enc, err))) {
    qaErrPrefix(err, "--encoder");
    return rc;
  }
  if (r->vs.qa_auto)
    snprintf(r->qa_text, sizeof r->qa_text, "auto");
  else
    qaQuantFormat(&r->vs.qa, r->qa_text, sizeof r->qa_text);
  qaQuantFormat(&r->vs.qw, r->qw_text, sizeof r->qw_text);

  synthOf(opt, &r->vs.synth);
  r->vs.synthetic = opt->synthetic;
  if ((rc = resolveValues(r, err))) return rc;

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
  if ((rc = checkMemory(r, err))) return rc;
  r->recs = qaCalloc((size_t)r->net->n_layers, sizeof *r->recs, err);
  if (!r->recs) return QA_EINTERNAL;

  QaRunPlan p = {&r->cfg,     r->net, opt->a_bits, opt->w_bits, r->qa_text, r->qw_text, qaEncoderName(r->enc),
                 opt->timing, r->cx};
  p.values = !qaNetHasTraces(r->net) ? "synthetic"
             : opt->synthetic        ? "synthetic (--synthetic: traces ignored)"
                                     : "traces";
  p.precision = opt->precision;
  r->plan = p;
  snprintf(r->res->arch, sizeof r->res->arch, "%s", d->name);
  snprintf(r->res->net, sizeof r->res->net, "%s", r->net->name);
  r->res->clock_mhz = r->cfg.spec.base.clock_mhz;
  return QA_OK;
}

/* ---- stage 2: per layer ------------------------------------------------------------- */

static void freeLayer(Work *w) { /* (the window buffers stay for the next layer) */
  qaValuesFree(&w->v);
  free(w->out);
  w->out = NULL;
}

/* The engine's weight source of a streamed layer (arch.h QaWgtSource): the next window. */
static int fetchWeights(void *ctx, int k0, int nk, const int32_t **codes, QaErr *err) {
  Work *w = ctx;
  double t0 = qaNowSeconds();
  int rc = qaValuesWindow(&w->v, w->job.layer, k0, nk, codes, err);
  if (rc) qaErrPrefix(err, "layer %d '%s'", w->idx, w->job.layer->name);
  w->fetch_s += qaNowSeconds() - t0;
  return rc;
}

/* Values, precision and codes of layer IDX into W. */
static int prepareLayer(Run *r, int idx, Work *w, QaErr *err) {
  const QaRunOptions *opt = r->opt;
  const QaLayer *l = &r->net->layers[idx];
  LayerRec *rec = &r->recs[idx];
  double t0 = qaNowSeconds();
  int rc;
  rec->a_bits = r->prec_a && r->prec_a[idx] ? r->prec_a[idx] : l->a_bits ? l->a_bits : opt->a_bits;
  rec->w_bits = r->prec_w && r->prec_w[idx] ? r->prec_w[idx] : l->w_bits ? l->w_bits : opt->w_bits;
  w->out = qaMalloc((size_t)qaLayerOutCount(l) * sizeof(int64_t), err);
  if (!w->out) {
    rc = QA_EINTERNAL;
    goto end;
  }
  int stream = streams(r, l);
  w->idx = idx;
  w->fetch_s = 0;
  if ((rc = stream ? qaValuesLoadStreamed(&r->vs, l, idx, &w->buf, opt->verify, &w->v, err)
                   : qaValuesLoad(&r->vs, l, idx, &w->v, err)) ||
      (rc = qaValuesQuantize(&r->vs, l, rec->a_bits, rec->w_bits, &w->v, err)))
    goto end;
  /* --precision profile: from 16-bit activations down (integer codes keep their bits) */
  if (r->profile_db > 0 && w->v.qa.scheme != QA_Q_NONE &&
      ((rc = qaValuesQuantize(&r->vs, l, QA_BITS_MAX, rec->w_bits, &w->v, err)) ||
       (rc = qaValuesProfile(&r->vs, l, &w->v, r->profile_db, &rec->a_bits, err))))
    goto end;
  rec->values_src = w->v.src;
  rec->a_sqnr = w->v.a_sqnr_db;
  rec->w_sqnr = w->v.w_sqnr_db;
  snprintf(rec->quant_a, sizeof rec->quant_a, "%s", w->v.quant_a);
  snprintf(rec->quant_w, sizeof rec->quant_w, "%s", w->v.quant_w);
  QaLayerJob job = {l, w->v.act, w->v.wgt, rec->a_bits, rec->w_bits, w->v.a_signed, r->enc, w->out};
  w->job = job;
  if (stream) { /* the weights: fetched by the engine, window by window */
    w->wsrc.ctx = w;
    w->wsrc.fetch = fetchWeights;
    w->job.wsrc = &w->wsrc;
  }
end:
  rec->values_s = qaNowSeconds() - t0;
  if (rc) qaErrPrefix(err, "layer %d '%s'", idx, l->name);
  return rc;
}

static int nextJob(void *ctx, int idx, QaLayerJob **job, QaLayerStats **st, QaErr *err) {
  Run *r = ctx;
  *job = NULL;
  *st = NULL;
  if (idx >= r->net->n_layers) return QA_OK;
  int rc = prepareLayer(r, idx, &r->w, err);
  if (rc) {
    freeLayer(&r->w);
    return rc;
  }
  *job = &r->w.job;
  *st = &r->recs[idx].st;
  return QA_OK;
}

/* Verify: the model's outputs against the integer reference convolution. */
static void verifyLayer(Work *w, QaLayerStats *st) {
  const QaLayer *l = w->job.layer;
  int64_t bad = 0;
  if (w->v.ref) { /* streamed weights: the reference was made window by window */
    int64_t no = qaLayerOutCount(l);
    for (int64_t i = 0; i < no; i++) bad += w->v.ref[i] != w->out[i];
  } else {
    bad = qaRefConvCheck(l, w->v.act, w->v.wgt, w->out);
  }
  st->n_mismatches = bad;
  st->outputs_verified = bad == 0;
}

/* The checks of a simulated layer (parallel-safe: they touch W and the layer's record
** only): verify, output SQNR, statistics of the codes. */
static int layerChecks(Run *r, int idx, Work *w, QaLayerStats *st, QaErr *err) {
  LayerRec *rec = &r->recs[idx];
  const QaLayer *l = w->job.layer;
  int rc;
  rec->values_s += w->fetch_s;
  double t0 = qaNowSeconds();
  if (r->opt->verify)
    verifyLayer(w, st);
  else
    st->outputs_verified = -1;
  double t1 = qaNowSeconds();
  rec->verify_s = t1 - t0;
  /* quality of the output, statistics of the codes */
  if ((rc = qaValuesOutputSqnr(l, &w->v, w->out, &rec->out_sqnr, NULL, err))) return rc;
  qaValueStatsCompute(w->v.act, qaLayerActCount(l), &rec->act_stats);
  if (w->v.streamed) { /* accounted window by window */
    rec->wgt_stats = w->v.wgt_stats;
    rec->w_sqnr = w->v.w_sqnr_db;
  } else {
    qaValueStatsCompute(w->v.wgt, qaLayerWgtCount(l), &rec->wgt_stats);
  }
  rec->post_s = qaNowSeconds() - t1;
  return QA_OK;
}

static int layerAccount(Run *r, int idx, QaLayerStats *st, QaErr *err);

static int jobDone(void *ctx, int idx, QaLayerJob *job, QaLayerStats *st, QaErr *err) {
  Run *r = ctx;
  (void)job;
  int rc = layerChecks(r, idx, &r->w, st, err);
  freeLayer(&r->w);
  return rc ? rc : layerAccount(r, idx, st, err);
}

/* A finished layer into the run's totals, in layer order: price it, add it up, report it. */
static int layerAccount(Run *r, int idx, QaLayerStats *st, QaErr *err) {
  LayerRec *rec = &r->recs[idx];
  const QaLayer *l = &r->net->layers[idx];
  int rc = QA_OK;
  double t1 = qaNowSeconds();
  if (r->cx) { /* price: the layer's actions at its precisions */
    if ((rc = qaEnergyPriceLayer(r->cx, st, rec->a_bits, rec->w_bits, l->n, &rec->energy, err))) {
      qaErrPrefix(err, "layer %d '%s'", idx, l->name);
      return rc;
    }
  }
  QaRunResult *res = r->res;
  rec->post_s += qaNowSeconds() - t1;
  res->values_s += rec->values_s;
  res->verify_s += rec->verify_s;
  res->post_s += rec->post_s;
  res->sim_s += rec->sim_s;
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
  res->sqnr_mean_db += (rec->out_sqnr - res->sqnr_mean_db) / res->n_layers;
  if (res->n_layers == 1 || rec->out_sqnr < res->sqnr_worst_db) {
    res->sqnr_worst_db = rec->out_sqnr;
    snprintf(res->sqnr_worst_layer, sizeof res->sqnr_worst_layer, "%s", l->name);
  }
  if (r->rep && r->rep->layer) {
    QaRunLayer rl = {
        idx, l, rec->a_bits, rec->w_bits, st, r->cx ? &rec->energy : NULL, rec->out_sqnr, rec->values_src};
    r->rep->layer(r->rep->ctx, &rl);
  }
  return rc;
}

/* ---- stage 2 on several threads (--threads N, loosely timed) ------------------------- */

/* Layers are computed concurrently in the C driver (arch/driver.h qaSimLayerCompute: the
** same kernels and chunk cycles as the SystemC model), checked on their thread, then
** finished strictly in layer order under the lock (memory plan after the previous layers'
** carry, stalls, memory actions, registers, pricing, totals, reporter), so every number
** equals the one-thread run's. At most LT_WINDOW x threads layers are in flight. */

typedef struct Slot {
  Work w;
  QaSimLayer sl;
  int done; /* computed and checked (or failed: rc) */
  int rc;
  QaErr err;
} Slot;

typedef struct Pool {
  Run *r;
  int n_threads, next, next_finish, rc;
  Slot *slots;
  QaMemCarry carry;
  QaErr *err;
  pthread_mutex_t mu;
  pthread_cond_t cv;
} Pool;

/* Finish the computed layers at the head of the order (lock held). */
static void finishReady(Pool *p) {
  Run *r = p->r;
  while (!p->rc && p->next_finish < r->net->n_layers && p->slots[p->next_finish].done) {
    int idx = p->next_finish;
    Slot *s = &p->slots[idx];
    QaLayerStats *st = &r->recs[idx].st;
    int rc = s->rc;
    if (rc) {
      *p->err = s->err;
    } else if ((rc = qaSimLayerFinish(&r->cfg, &s->sl, st, &p->carry, p->err)) == QA_OK) {
      rc = layerAccount(r, idx, st, p->err);
    }
    freeLayer(&s->w);
    qaValuesBufFree(&s->w.buf);
    qaSimLayerFree(&r->cfg, &s->sl);
    p->rc = rc;
    p->next_finish++;
  }
  pthread_cond_broadcast(&p->cv);
}

static void *poolWorker(void *arg) {
  Pool *p = arg;
  Run *r = p->r;
  int n = r->net->n_layers;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->rc && p->next < n && p->next - p->next_finish >= LT_WINDOW * p->n_threads)
      pthread_cond_wait(&p->cv, &p->mu);
    if (p->rc || p->next >= n) break;
    int idx = p->next++;
    Slot *s = &p->slots[idx];
    pthread_mutex_unlock(&p->mu);
    QaLayerStats *st = &r->recs[idx].st;
    int rc = prepareLayer(r, idx, &s->w, &s->err);
    if (!rc) {
      double t1 = qaNowSeconds();
      rc = qaSimLayerCompute(&r->cfg, r->opt->timing, &s->w.job, st, &s->sl, &s->err);
      r->recs[idx].sim_s = qaNowSeconds() - t1 - s->w.fetch_s;
    }
    if (!rc) rc = layerChecks(r, idx, &s->w, st, &s->err);
    pthread_mutex_lock(&p->mu);
    s->rc = rc;
    s->done = 1;
    finishReady(p);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

static int runThreaded(Run *r, int n_threads, QaErr *err) {
  Pool p;
  memset(&p, 0, sizeof p);
  p.r = r;
  p.n_threads = n_threads;
  p.err = err;
  p.slots = qaCalloc((size_t)r->net->n_layers, sizeof *p.slots, err);
  if (!p.slots) return QA_EINTERNAL;
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.cv, NULL);
  pthread_t tid[QA_RUN_MAX_THREADS];
  int started = 0;
  for (int i = 0; i < n_threads; i++) {
    if (pthread_create(&tid[i], NULL, poolWorker, &p)) break;
    started++;
  }
  if (!started) poolWorker(&p);
  for (int i = 0; i < started; i++) pthread_join(tid[i], NULL);
  for (int i = 0; i < r->net->n_layers; i++) { /* after an error: what was left in flight */
    freeLayer(&p.slots[i].w);
    qaValuesBufFree(&p.slots[i].w.buf);
    qaSimLayerFree(&r->cfg, &p.slots[i].sl);
  }
  pthread_mutex_destroy(&p.mu);
  pthread_cond_destroy(&p.cv);
  free(p.slots);
  return p.rc;
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
                        r->cx ? r->cx->costs : NULL,
                        opt->synthetic,
                        opt->precision};
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
  QaRunValuesInfo vinfo = {opt->precision};
  if ((rc = qaStoreBeginRun(store, &info, &id, err))) goto end;
  /* inside BEGIN IMMEDIATE: no other writer can store the point meanwhile */
  if (opt->skip_stored && ((rc = qaStoreFindPoint(store, res->identity.id, &existing, err)) || existing)) {
    qaStoreAbortRun(store);
    res->run_id = existing;
    res->already_stored = existing != 0;
    goto end;
  }
  if ((rc = qaStoreSetRunValues(store, id, &vinfo, err))) goto end;
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
    QaLayerValuesRecord vr = {i, rec->quant_a, rec->quant_w, rec->out_sqnr, &rec->act_stats, &rec->wgt_stats};
    if ((rc = qaStoreAddLayer(store, id, &lr, err)) || (rc = qaStoreAddLayerValues(store, id, &vr, err)))
      goto end;
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
  if (opt->threads > 1)
    rc = runThreaded(&r, opt->threads, err);
  else
    rc = qaSimRun(&r.cfg, opt->timing, &hooks, err);
  res->wall_s = qaNowSeconds() - t0;
  res->threads = opt->threads > 1 ? opt->threads : 1;
  if (res->threads == 1) res->sim_s = res->wall_s - res->values_s - res->verify_s - res->post_s;
  freeLayer(&r.w);
  qaValuesBufFree(&r.w.buf);
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
  free(r.prec_a);
  free(r.prec_w);
  qaNetDestroy(r.net);
  return rc;
}

/* ---- values made ahead (sweeps) ------------------------------------------------------- */

int qaRunWarmValues(const QaRunOptions *opt, int64_t max_bytes, QaErr *err) {
  QaNet *net = NULL;
  QaSynthSpec synth;
  int rc;
  if ((rc = qaNetOpen(opt->net, &net, err)) || (rc = selectLayers(net, opt->layers, err))) goto end;
  synthOf(opt, &synth);
  int64_t stream_min = streamMin(opt);
  for (int i = 0; !rc && i < net->n_layers; i++) {
    const QaLayer *l = &net->layers[i];
    int traced = !opt->synthetic && (l->act_trace[0] || l->wgt_trace[0] || l->wgt_codes_trace[0]);
    /* (a layer big enough to stream its weights may never load them whole) */
    if (!traced && !(stream_min && qaLayerWgtCount(l) >= stream_min))
      rc = qaValuesCacheAdd(&synth, l, i, max_bytes, err);
  }
end:
  qaNetDestroy(net);
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
