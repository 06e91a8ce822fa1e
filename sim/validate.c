/*
** validate.c - the published claims beside qasim's values (see validate.h).
**
** Stages: load the claims table and the spec; expand every case into design points (one
** per network for the simulated metrics); deduplicate the points into runs; run them in
** child processes, `jobs` at a time, each returning its totals through a pipe; then
** compute each case's metric, aggregate it over the networks and judge it against the
** published value and the case's band.
*/
#define _POSIX_C_SOURCE 200809L
#include "sim/validate.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/arch.h"
#include "base/csv.h"
#include "base/strbuf.h"
#include "base/yaml.h"
#include "models/compose.h"
#include "sim/run.h"

#define MAX_NETS 16
#define MAX_SETS 16
#define PATH_LEN 1024

typedef enum Metric { M_SPEEDUP = 0, M_ENERGY_EFF, M_AREA_RATIO, M_AREA_SAVING } Metric;
static const char *const kMetricNames[] = {"speedup", "energy_eff", "area_ratio", "area_saving"};
typedef enum Agg { A_MEAN = 0, A_GEOMEAN, A_MIN, A_MAX } Agg;
static const char *const kAggNames[] = {"mean", "geomean", "min", "max"};

/* One side of a comparison: the options of `qasim run` that a case may set. */
typedef struct Point {
  const char *arch, *config;
  const char *sets[MAX_SETS];
  int n_sets;
  int a_bits, w_bits; /* 0: 16 */
  const char *quant_a, *quant_w, *encoder, *precision;
  double zero_frac; /* < 0: the default */
} Point;

typedef struct Case {
  const QaYamlNode *at; /* for messages */
  const char *claim;
  Metric metric;
  int in_time;  /* speedup in simulated time instead of cycles */
  int pe_array; /* area metrics: the PE array instead of the chip */
  const char *layers;
  const char *nets[MAX_NETS];
  int n_nets;
  Agg agg;
  Point design, base;
  const char *costs;
  double tolerance;
  const char *band, *explained;
  int quick;
  int run_design[MAX_NETS], run_base[MAX_NETS]; /* indices into the runs */
} Case;

/* What a child returns. */
typedef struct RunOut {
  int rc;
  char msg[QA_ERR_MAX];
  int64_t macs, n_cycles;
  double time_s, energy_pj;
  int traced_layers, n_layers;
} RunOut;

typedef struct Run {
  char key[2048];
  char net[PATH_LEN], precision[PATH_LEN], config[PATH_LEN];
  const Point *pt;
  const char *layers, *costs;
  RunOut out;
  int done;
} Run;

typedef struct Ctx {
  const QaValidateOptions *opt;
  char spec_dir[PATH_LEN];
  QaYamlDoc *doc;
  QaCsv *claims;
  Case *cases;
  int n_cases;
  Run *runs;
  int n_runs, cap_runs;
} Ctx;

const char *qaValStatusName(QaValStatus s) {
  static const char *const n[] = {"PASS", "EXPLAINED", "FAIL", "ERROR"};
  return (unsigned)s < 4 ? n[s] : "?";
}

/* ---- paths ------------------------------------------------------------------------ */

/* Format into OUT[CAP]; text that does not fit ends in "..." (messages, table cells). */
static void fit(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fit(char *out, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(out, cap, fmt, ap);
  va_end(ap);
  if (n >= 0 && (size_t)n >= cap && cap > 4) memcpy(out + cap - 4, "...", 4);
}

static int isPath(const char *s) { return strchr(s, '/') || strstr(s, ".yaml") || strstr(s, ".yml"); }

/* REL relative to the spec's directory (absolute paths kept). */
static void specPath(const Ctx *c, const char *rel, char *out, size_t cap) {
  if (rel[0] == '/')
    fit(out, cap, "%s", rel);
  else
    fit(out, cap, "%s/%s", c->spec_dir, rel);
}

/* The short name of a network entry: a built-in name, or a file's base name. */
static void netShort(const char *net, char *out, size_t cap) {
  const char *b = strrchr(net, '/');
  b = b ? b + 1 : net;
  snprintf(out, cap, "%s", b);
  char *dot = strrchr(out, '.');
  if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"))) *dot = 0;
}

/* TEMPLATE with every "{net}" replaced by NET. */
static void substNet(const char *tmpl, const char *net, char *out, size_t cap) {
  size_t n = 0;
  for (const char *s = tmpl; *s && n + 1 < cap;) {
    if (!strncmp(s, "{net}", 5)) {
      n += (size_t)snprintf(out + n, cap - n, "%s", net);
      if (n >= cap) n = cap - 1;
      s += 5;
    } else {
      out[n++] = *s++;
    }
  }
  out[n] = 0;
}

/* ---- spec --------------------------------------------------------------------------- */

static int getChoice(const QaYamlNode *v, const char *what, const char *const *names, int n, int *out,
                     QaErr *err) {
  const char *s;
  int rc = qaYamlGetText(v, what, &s, err);
  if (rc) return rc;
  for (int i = 0; i < n; i++)
    if (!strcmp(s, names[i])) {
      *out = i;
      return QA_OK;
    }
  QaStrBuf b;
  qaStrBufInit(&b);
  for (int i = 0; i < n; i++) qaStrBufAppendf(&b, "%s%s", i ? ", " : "", names[i]);
  rc = qaYamlFail(v, err, "%s '%s': use one of %s", what, s, qaStrBufText(&b));
  qaStrBufFree(&b);
  return rc;
}

static int parsePoint(const QaYamlNode *m, const char *where, Point *p, QaErr *err) {
  static const char *const keys[] = {"arch",    "config",  "set",     "bits",      "a_bits",   "w_bits",
                                     "quant_a", "quant_w", "encoder", "precision", "zero_frac"};
  memset(p, 0, sizeof *p);
  p->zero_frac = -1;
  QaYamlField f[sizeof keys / sizeof keys[0]];
  char in[64];
  snprintf(in, sizeof in, "in %s", where);
  if (!m) return qaErrSet(err, QA_EUSER, "missing %s", where);
  int rc = qaYamlReadMap(m, in, keys, (int)(sizeof keys / sizeof keys[0]), f, err);
  if (rc) return rc;
  const QaYamlNode *v;
  const char **texts[] = {&p->arch, &p->config,  NULL,        NULL,        NULL,
                          NULL,     &p->quant_a, &p->quant_w, &p->encoder, &p->precision};
  for (int i = 0; i < 10; i++)
    if (texts[i] && (v = qaYamlLookup(m, keys[i])) && (rc = qaYamlGetText(v, keys[i], texts[i], err)))
      return rc;
  if ((v = qaYamlLookup(m, "bits"))) {
    if ((rc = qaYamlGetInt(v, "bits", 1, QA_BITS_MAX, &p->a_bits, err))) return rc;
    p->w_bits = p->a_bits;
  }
  if ((v = qaYamlLookup(m, "a_bits")) && (rc = qaYamlGetInt(v, "a_bits", 1, QA_BITS_MAX, &p->a_bits, err)))
    return rc;
  if ((v = qaYamlLookup(m, "w_bits")) && (rc = qaYamlGetInt(v, "w_bits", 1, QA_BITS_MAX, &p->w_bits, err)))
    return rc;
  if ((v = qaYamlLookup(m, "zero_frac")) && (rc = qaYamlGetDouble(v, "zero_frac", 0, 1, &p->zero_frac, err)))
    return rc;
  if ((v = qaYamlLookup(m, "set"))) {
    if (qaYamlKind(v) != QA_YAML_SEQ) return qaYamlFail(v, err, "set: expected a list of NAME=VALUE");
    if (qaYamlCount(v) > MAX_SETS) return qaYamlFail(v, err, "set: at most %d overrides", MAX_SETS);
    for (int i = 0; i < qaYamlCount(v); i++)
      if ((rc = qaYamlGetText(qaYamlItem(v, i), "set", &p->sets[p->n_sets++], err))) return rc;
  }
  if (!p->arch && !p->config) return qaYamlFail(m, err, "%s: give arch or config", where);
  return QA_OK;
}

static int claimRow(const Ctx *c, const char *id) {
  int col = qaCsvColumn(c->claims, "id");
  for (int r = 0; r < qaCsvRows(c->claims); r++)
    if (!strcmp(qaCsvCell(c->claims, r, col), id)) return r;
  return -1;
}

static int parseCase(Ctx *c, const QaYamlNode *m, Case *k, QaErr *err) {
  static const char *const keys[] = {"claim",     "metric",    "in",        "area", "layers",
                                     "nets",      "aggregate", "design",    "base", "costs",
                                     "tolerance", "band",      "explained", "quick"};
  memset(k, 0, sizeof *k);
  k->at = m;
  QaYamlField f[sizeof keys / sizeof keys[0]];
  int rc = qaYamlReadMap(m, "in a case", keys, (int)(sizeof keys / sizeof keys[0]), f, err);
  if (rc) return rc;
  const QaYamlNode *v;
  if (!qaYamlLookup(m, "claim")) return qaYamlMissing(m, "claim", "in a case", err);
  if ((rc = qaYamlGetText(qaYamlLookup(m, "claim"), "claim", &k->claim, err))) return rc;
  if (claimRow(c, k->claim) < 0)
    return qaYamlFail(qaYamlLookup(m, "claim"), err, "claim '%s' is not in %s", k->claim,
                      qaCsvPath(c->claims));
  static const char *const req[] = {"metric", "design", "base", "tolerance", "band"};
  for (int i = 0; i < 5; i++)
    if (!qaYamlLookup(m, req[i])) return qaYamlMissing(m, req[i], "in a case", err);
  int x = 0;
  if ((rc = getChoice(qaYamlLookup(m, "metric"), "metric", kMetricNames, 4, &x, err))) return rc;
  k->metric = (Metric)x;
  if ((v = qaYamlLookup(m, "in"))) {
    static const char *const ins[] = {"cycles", "time"};
    if ((rc = getChoice(v, "in", ins, 2, &k->in_time, err))) return rc;
  }
  if ((v = qaYamlLookup(m, "area"))) {
    static const char *const areas[] = {"chip", "pe_array"};
    if ((rc = getChoice(v, "area", areas, 2, &k->pe_array, err))) return rc;
  }
  k->layers = "all";
  if ((v = qaYamlLookup(m, "layers")) && (rc = qaYamlGetText(v, "layers", &k->layers, err))) return rc;
  k->agg = A_MEAN;
  if ((v = qaYamlLookup(m, "aggregate"))) {
    if ((rc = getChoice(v, "aggregate", kAggNames, 4, &x, err))) return rc;
    k->agg = (Agg)x;
  }
  int simulated = k->metric == M_SPEEDUP || k->metric == M_ENERGY_EFF;
  if ((v = qaYamlLookup(m, "nets"))) {
    if (qaYamlKind(v) != QA_YAML_SEQ || qaYamlCount(v) < 1 || qaYamlCount(v) > MAX_NETS)
      return qaYamlFail(v, err, "nets: expected a list of 1..%d networks", MAX_NETS);
    for (int i = 0; i < qaYamlCount(v); i++)
      if ((rc = qaYamlGetText(qaYamlItem(v, i), "nets", &k->nets[k->n_nets++], err))) return rc;
  } else if (simulated) {
    return qaYamlFail(m, err, "case %s: metric %s needs nets", k->claim, kMetricNames[k->metric]);
  }
  if ((rc = parsePoint(qaYamlLookup(m, "design"), "design", &k->design, err)) ||
      (rc = parsePoint(qaYamlLookup(m, "base"), "base", &k->base, err)))
    return rc;
  k->costs = "cacti45";
  if ((v = qaYamlLookup(m, "costs")) && (rc = qaYamlGetText(v, "costs", &k->costs, err))) return rc;
  if (c->opt->costs) k->costs = c->opt->costs; /* --costs: one table for every case */
  if ((rc = qaYamlGetDouble(qaYamlLookup(m, "tolerance"), "tolerance", 0, 10, &k->tolerance, err)) ||
      (rc = qaYamlGetText(qaYamlLookup(m, "band"), "band", &k->band, err)))
    return rc;
  if ((v = qaYamlLookup(m, "explained")) && (rc = qaYamlGetText(v, "explained", &k->explained, err)))
    return rc;
  if ((v = qaYamlLookup(m, "quick")) && (rc = qaYamlGetBool(v, "quick", &k->quick, err))) return rc;
  return QA_OK;
}

static int selected(const Ctx *c, const Case *k) {
  if (c->opt->quick && !k->quick) return 0;
  if (c->opt->only && strncmp(k->claim, c->opt->only, strlen(c->opt->only))) return 0;
  return 1;
}

/* ---- runs --------------------------------------------------------------------------- */

/* The run of point P on network NET (deduplicated by its options); its index. */
static int addRun(Ctx *c, const Case *k, const Point *p, const char *net, QaErr *err) {
  Run r;
  memset(&r, 0, sizeof r);
  char shortn[256], prec[PATH_LEN];
  netShort(net, shortn, sizeof shortn);
  if (isPath(net))
    specPath(c, net, r.net, sizeof r.net);
  else
    snprintf(r.net, sizeof r.net, "%s", net);
  if (p->precision) {
    substNet(p->precision, shortn, prec, sizeof prec);
    specPath(c, prec, r.precision, sizeof r.precision);
  }
  if (p->config) {
    if (isPath(p->config))
      specPath(c, p->config, r.config, sizeof r.config);
    else
      snprintf(r.config, sizeof r.config, "%s", p->config); /* a named config in arch/configs/ */
  }
  r.pt = p;
  r.layers = k->layers;
  r.costs = k->costs; /* priced always (cheap), so speedup and energy cases share their runs */
  QaStrBuf b;
  qaStrBufInit(&b);
  qaStrBufAppendf(&b, "%s|%s|%s|%s|%s|%d|%d|%s|%s|%s|%s|%g", r.net, r.layers, r.costs, p->arch ? p->arch : "",
                  r.config, p->a_bits, p->w_bits, p->quant_a ? p->quant_a : "", p->quant_w ? p->quant_w : "",
                  p->encoder ? p->encoder : "", r.precision, p->zero_frac);
  for (int i = 0; i < p->n_sets; i++) qaStrBufAppendf(&b, "|%s", p->sets[i]);
  snprintf(r.key, sizeof r.key, "%s", qaStrBufText(&b));
  qaStrBufFree(&b);
  for (int i = 0; i < c->n_runs; i++)
    if (!strcmp(c->runs[i].key, r.key)) return i;
  if (c->n_runs == c->cap_runs) {
    int cap = c->cap_runs ? 2 * c->cap_runs : 32;
    Run *q = realloc(c->runs, (size_t)cap * sizeof *q);
    if (!q) return -qaErrSet(err, QA_EINTERNAL, "out of memory");
    c->runs = q;
    c->cap_runs = cap;
  }
  c->runs[c->n_runs] = r;
  return c->n_runs++;
}

/* In the child: run R without storing it; fill *o. */
static void runChild(const Ctx *c, const Run *r, RunOut *o) {
  const Point *p = r->pt;
  QaRunOptions opt;
  qaRunDefaults(&opt);
  opt.net = r->net;
  opt.arch.arch = p->arch;
  opt.arch.config = r->config[0] ? r->config : NULL;
  opt.arch.sets = p->sets;
  opt.arch.n_sets = p->n_sets;
  opt.a_bits = p->a_bits ? p->a_bits : 16;
  opt.w_bits = p->w_bits ? p->w_bits : 16;
  opt.quant_a = p->quant_a;
  opt.quant_w = p->quant_w;
  opt.encoder = p->encoder;
  if (p->zero_frac >= 0) opt.act_zero_frac = p->zero_frac;
  opt.layers = r->layers;
  opt.costs = r->costs;
  opt.db_path = NULL;
  opt.verify = c->opt->verify;
  QaErr err = {0, ""};
  QaRunResult res;
  memset(o, 0, sizeof *o);
  opt.precision = r->precision[0] ? r->precision : NULL; /* --precision FILE (workloads/precision.h) */
  o->rc = qaRunExecute(&opt, NULL, &res, &err);
  if (o->rc) {
    snprintf(o->msg, sizeof o->msg, "%s", err.msg);
    return;
  }
  if (c->opt->verify && !res.all_verified) {
    o->rc = QA_EINTERNAL;
    snprintf(o->msg, sizeof o->msg, "outputs differ from the integer reference");
    return;
  }
  o->macs = res.macs;
  o->n_cycles = res.n_cycles;
  o->time_s = res.time_s;
  o->energy_pj = res.priced ? res.energy.total_pj : NAN;
  o->traced_layers = res.traced_layers;
  o->n_layers = res.n_layers;
}

/* Run every run, JOBS children at a time. */
static int runAll(Ctx *c, QaErr *err) {
  int jobs = c->opt->jobs > 0 ? c->opt->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
  if (jobs < 1) jobs = 1;
  pid_t *pid = qaCalloc((size_t)c->n_runs + 1, sizeof *pid, err);
  int *fd = qaCalloc((size_t)c->n_runs + 1, sizeof *fd, err);
  if (!pid || !fd) {
    free(pid);
    free(fd);
    return QA_EINTERNAL;
  }
  int next = 0, running = 0, done = 0, rc = QA_OK;
  while (next < c->n_runs || running > 0) {
    while (running < jobs && next < c->n_runs && rc == QA_OK) {
      int p[2];
      if (pipe(p)) {
        rc = qaErrSet(err, QA_EINTERNAL, "pipe: %s", strerror(errno));
        break;
      }
      fflush(NULL);
      pid_t k = fork();
      if (k < 0) {
        close(p[0]);
        close(p[1]);
        rc = qaErrSet(err, QA_EINTERNAL, "fork: %s", strerror(errno));
        break;
      }
      if (k == 0) {
        close(p[0]);
        RunOut o;
        runChild(c, &c->runs[next], &o);
        ssize_t w = write(p[1], &o, sizeof o);
        _exit(w == (ssize_t)sizeof o ? 0 : 3);
      }
      close(p[1]);
      pid[next] = k;
      fd[next] = p[0];
      next++;
      running++;
    }
    if (running == 0) break;
    int status = 0;
    pid_t k = waitpid(-1, &status, 0);
    if (k < 0) {
      if (errno == EINTR) continue;
      rc = qaErrSet(err, QA_EINTERNAL, "waitpid: %s", strerror(errno));
      break;
    }
    for (int i = 0; i < next; i++) {
      if (pid[i] != k) continue;
      Run *r = &c->runs[i];
      size_t got = 0;
      while (got < sizeof r->out) {
        ssize_t n = read(fd[i], (char *)&r->out + got, sizeof r->out - got);
        if (n <= 0) break;
        got += (size_t)n;
      }
      close(fd[i]);
      if (got != sizeof r->out) {
        r->out.rc = QA_EINTERNAL;
        snprintf(r->out.msg, sizeof r->out.msg, "the simulation process ended without a result (%s %d)",
                 WIFSIGNALED(status) ? "signal" : "exit",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      }
      r->done = 1;
      pid[i] = 0;
      running--;
      done++;
      if (c->opt->progress) c->opt->progress(c->opt->progress_ctx, done, c->n_runs, r->key);
      break;
    }
  }
  free(pid);
  free(fd);
  return rc;
}

/* ---- metrics ------------------------------------------------------------------------ */

/* Area (um^2) of point P: the chip, or the PE array (PEs x tiles). */
static int pointArea(const Ctx *c, const Case *k, const Point *p, double *out, char *msg, size_t cap) {
  char cfgpath[PATH_LEN] = "";
  if (p->config) {
    if (isPath(p->config))
      specPath(c, p->config, cfgpath, sizeof cfgpath);
    else
      snprintf(cfgpath, sizeof cfgpath, "%s", p->config);
  }
  QaArchRequest req = {p->arch, cfgpath[0] ? cfgpath : NULL, p->sets, p->n_sets, p->a_bits ? p->a_bits : 16};
  QaArchConfig cfg;
  QaCostTable *t = NULL;
  QaComposition *cx = NULL;
  QaErr err = {0, ""};
  int rc = qaArchResolve(&req, &cfg, &err);
  if (!rc) rc = qaCostTableLoad(k->costs, &t, &err);
  if (!rc && !(cx = qaCalloc(1, sizeof *cx, &err))) rc = QA_EINTERNAL;
  QaComposeOptions co = {p->a_bits ? p->a_bits : 16, p->w_bits ? p->w_bits : 16, NULL};
  if (!rc) rc = qaCompose(&cfg, t, &co, cx, &err);
  if (!rc)
    *out = k->pe_array ? cx->pe_area_um2 * (double)cx->pes_per_tile * (double)cx->tiles : cx->chip_area_um2;
  else
    snprintf(msg, cap, "%s", err.msg);
  free(cx);
  qaCostTableDestroy(t);
  return rc;
}

static double aggregate(Agg a, const double *v, int n) {
  double s = a == A_GEOMEAN ? 0 : a == A_MIN ? INFINITY : a == A_MAX ? -INFINITY : 0;
  for (int i = 0; i < n; i++) {
    if (a == A_MEAN) s += v[i];
    if (a == A_GEOMEAN) s += log(v[i]);
    if (a == A_MIN && v[i] < s) s = v[i];
    if (a == A_MAX && v[i] > s) s = v[i];
  }
  if (a == A_MEAN) s /= n;
  if (a == A_GEOMEAN) s = exp(s / n);
  return s;
}

static void shorten(const char *src, char *out, size_t cap) {
  snprintf(out, cap, "%s", src);
  if (strlen(src) >= cap && cap > 4) memcpy(out + cap - 4, "...", 4);
}

static void judge(const Ctx *c, const Case *k, QaValidateRow *row) {
  const QaCsv *t = c->claims;
  int r = claimRow(c, k->claim);
  snprintf(row->claim_id, sizeof row->claim_id, "%s", k->claim);
  shorten(qaCsvCell(t, r, qaCsvColumn(t, "claim")), row->claim, sizeof row->claim);
  shorten(qaCsvCell(t, r, qaCsvColumn(t, "source")), row->source, sizeof row->source);
  shorten(qaCsvCell(t, r, qaCsvColumn(t, "status")), row->claim_status, sizeof row->claim_status);
  shorten(qaCsvCell(t, r, qaCsvColumn(t, "unit")), row->unit, sizeof row->unit);
  snprintf(row->metric, sizeof row->metric, "%s%s", kMetricNames[k->metric],
           k->metric == M_SPEEDUP && k->in_time ? " (time)" : "");
  row->published = strtod(qaCsvCell(t, r, qaCsvColumn(t, "published")), NULL);
  row->tolerance = k->tolerance;
  shorten(k->band, row->band, sizeof row->band);
  row->value = row->ratio = NAN;
  snprintf(row->values, sizeof row->values, "none");

  double v[MAX_NETS];
  QaStrBuf det;
  qaStrBufInit(&det);
  int n = k->n_nets, traced = 0, layers = 0;
  char msg[QA_ERR_MAX] = "";
  if (k->metric == M_AREA_RATIO || k->metric == M_AREA_SAVING) {
    double ad = 0, ab = 0;
    if (pointArea(c, k, &k->design, &ad, msg, sizeof msg) ||
        pointArea(c, k, &k->base, &ab, msg, sizeof msg)) {
      row->status = QA_VAL_ERROR;
      snprintf(row->note, sizeof row->note, "%.*s", (int)sizeof row->note - 1, msg);
      qaStrBufFree(&det);
      return;
    }
    row->value = k->metric == M_AREA_RATIO ? ad / ab : 100 * (1 - ad / ab); /* saving in % */
    qaStrBufAppendf(&det, "%s area %.3f vs %.3f mm^2 (%s)", k->pe_array ? "PE-array" : "chip", ad / 1e6,
                    ab / 1e6, k->costs);
  } else {
    for (int i = 0; i < n; i++) {
      const RunOut *d = &c->runs[k->run_design[i]].out, *b = &c->runs[k->run_base[i]].out;
      if (d->rc || b->rc) {
        row->status = QA_VAL_ERROR;
        fit(row->note, sizeof row->note, "%s: %s", k->nets[i], d->rc ? d->msg : b->msg);
        qaStrBufFree(&det);
        return;
      }
      traced += d->traced_layers + b->traced_layers;
      layers += d->n_layers + b->n_layers;
      if (k->metric == M_SPEEDUP)
        v[i] = k->in_time ? b->time_s / d->time_s : (double)b->n_cycles / (double)d->n_cycles;
      else
        v[i] = b->energy_pj / d->energy_pj;
      char shortn[128];
      netShort(k->nets[i], shortn, sizeof shortn);
      qaStrBufAppendf(&det, "%s%s %.3g", i ? ", " : "", shortn, v[i]);
    }
    row->value = aggregate(k->agg, v, n);
    if (n > 1) qaStrBufAppendf(&det, " (%s)", kAggNames[k->agg]);
    if (k->metric == M_ENERGY_EFF) qaStrBufAppendf(&det, " under %s", k->costs);
    snprintf(row->values, sizeof row->values, "%s",
             traced == 0        ? "synthetic"
             : traced == layers ? "traced"
                                : "mixed");
  }
  shorten(qaStrBufText(&det), row->detail, sizeof row->detail);
  qaStrBufFree(&det);
  row->ratio = row->value / row->published;
  /* within the band: relative to the published value (absolute when that is 0) */
  double off = row->published != 0 ? fabs(row->ratio - 1) : fabs(row->value);
  if (isfinite(off) && off <= k->tolerance + 1e-12) {
    row->status = QA_VAL_PASS;
  } else if (k->explained) {
    row->status = QA_VAL_EXPLAINED;
    shorten(k->explained, row->note, sizeof row->note);
  } else {
    row->status = QA_VAL_FAIL;
  }
}

/* ---- the command -------------------------------------------------------------------- */

int qaValidateRun(const QaValidateOptions *opt, QaValidateReport *rep, QaErr *err) {
  Ctx c;
  memset(&c, 0, sizeof c);
  memset(rep, 0, sizeof *rep);
  c.opt = opt;
  char spec[PATH_LEN], claims[PATH_LEN];
  if (opt->spec)
    snprintf(spec, sizeof spec, "%s", opt->spec);
  else
    qaDataPath("arch/validate.yaml", spec, sizeof spec);
  if (opt->claims)
    snprintf(claims, sizeof claims, "%s", opt->claims);
  else
    qaDataPath("arch/claims.csv", claims, sizeof claims);
  snprintf(c.spec_dir, sizeof c.spec_dir, "%s", spec);
  char *slash = strrchr(c.spec_dir, '/');
  if (slash)
    *slash = 0;
  else
    snprintf(c.spec_dir, sizeof c.spec_dir, ".");
  double t0 = qaNowSeconds();
  int rc = qaCsvLoad(claims, "claims table", &c.claims, err);
  if (rc) goto end;
  static const char *const need[] = {"id", "claim", "source", "published", "unit", "status"};
  for (int i = 0; i < 6; i++)
    if (qaCsvColumn(c.claims, need[i]) < 0) {
      rc = qaErrSet(err, QA_EUSER, "%s:1: claims table has no column '%s'", claims, need[i]);
      goto end;
    }
  if ((rc = qaYamlLoadFile(spec, "validation spec", &c.doc, err))) goto end;
  const QaYamlNode *root = qaYamlRoot(c.doc), *cases = qaYamlLookup(root, "cases");
  static const char *const top[] = {"cases"};
  QaYamlField tf[1];
  if ((rc = qaYamlReadMap(root, "at the top level", top, 1, tf, err))) goto end;
  if (!cases) {
    rc = qaYamlMissing(root, "cases", "at the top level", err);
    goto end;
  }
  if (qaYamlKind(cases) != QA_YAML_SEQ || qaYamlCount(cases) < 1) {
    rc = qaYamlFail(cases, err, "cases: expected a list of cases");
    goto end;
  }
  c.cases = qaCalloc((size_t)qaYamlCount(cases), sizeof *c.cases, err);
  if (!c.cases) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int i = 0; i < qaYamlCount(cases); i++) {
    Case *k = &c.cases[c.n_cases];
    if ((rc = parseCase(&c, qaYamlItem(cases, i), k, err))) goto end;
    if (!selected(&c, k)) continue;
    c.n_cases++;
    if (k->metric == M_SPEEDUP || k->metric == M_ENERGY_EFF)
      for (int j = 0; j < k->n_nets; j++) {
        int a = addRun(&c, k, &k->design, k->nets[j], err), b = addRun(&c, k, &k->base, k->nets[j], err);
        if (a < 0 || b < 0) {
          rc = QA_EINTERNAL;
          goto end;
        }
        k->run_design[j] = a;
        k->run_base[j] = b;
      }
  }
  if (c.n_cases == 0) {
    rc = qaErrSet(err, QA_EUSER, "%s: no case matches%s%s%s", spec, opt->quick ? " --quick" : "",
                  opt->only ? " --only " : "", opt->only ? opt->only : "");
    goto end;
  }
  if ((rc = runAll(&c, err))) goto end;
  rep->rows = qaCalloc((size_t)c.n_cases, sizeof *rep->rows, err);
  if (!rep->rows) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int i = 0; i < c.n_cases; i++) {
    QaValidateRow *row = &rep->rows[rep->n_rows++];
    judge(&c, &c.cases[i], row);
    rep->n_pass += row->status == QA_VAL_PASS;
    rep->n_explained += row->status == QA_VAL_EXPLAINED;
    rep->n_fail += row->status == QA_VAL_FAIL;
    rep->n_error += row->status == QA_VAL_ERROR;
  }
  rep->n_runs = c.n_runs;
  rep->wall_s = qaNowSeconds() - t0;
end:
  if (rc) qaValidateFree(rep);
  free(c.runs);
  free(c.cases);
  qaYamlDestroy(c.doc);
  qaCsvDestroy(c.claims);
  return rc;
}

void qaValidateFree(QaValidateReport *rep) {
  free(rep->rows);
  memset(rep, 0, sizeof *rep);
}
