/*
** calibrate.c - fitting three scales of a cost table to published chip figures, and the
** held-out claims (see calibrate.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "sim/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "sim/power.h"

/* ---- node scaling (Stillmaker & Baas 2017) -------------------------------------------------- */

/* Area factors to 45 nm (nodeScale.py areaDict['45'][node]: area at 45 nm = area at node / f)
** and energy polynomial coefficients a, b, c (energy ~ a V^2 + b V + c; depCoeffDict columns
** 4..6; HP devices below 65 nm). */
typedef struct Node {
  double nm, area_f, a, b, c;
} Node;
static const Node kNodes[] = {{65, 1.5, 3.755, -4.398, 1.975},      /* bulk 65 nm */
                              {45, 1.0, 1.018, -0.3107, 0.1539},    /* HP45 */
                              {32, 0.46, 0.8367, -0.4341, 0.1701},  /* HP32 */
                              {20, 0.21, 0.373, -0.1582, 0.04104}}; /* HP20 */
#define TARGET_VDD 0.9                                              /* Horowitz's 45 nm table */

/* The node's coefficients, 28 nm interpolated linearly in node size between 32 and 20 nm;
** 0 if unknown. */
static int nodeAt(double nm, Node *out) {
  for (size_t i = 0; i < sizeof kNodes / sizeof kNodes[0]; i++)
    if (kNodes[i].nm == nm) {
      *out = kNodes[i];
      return 1;
    }
  if (nm > 20 && nm < 32) {
    const Node *hi = &kNodes[2], *lo = &kNodes[3];
    double w = (hi->nm - nm) / (hi->nm - lo->nm);
    *out = (Node){nm, hi->area_f + w * (lo->area_f - hi->area_f), hi->a + w * (lo->a - hi->a),
                  hi->b + w * (lo->b - hi->b), hi->c + w * (lo->c - hi->c)};
    return 1;
  }
  return 0;
}

double qaCalAreaTo45(double node_nm) {
  Node n;
  return nodeAt(node_nm, &n) ? 1.0 / n.area_f : NAN;
}

double qaCalEnergyTo45(double node_nm, double vdd) {
  Node n, t;
  if (!nodeAt(node_nm, &n) || !nodeAt(45, &t)) return NAN;
  double src = n.a * vdd * vdd + n.b * vdd + n.c,
         dst = t.a * TARGET_VDD * TARGET_VDD + t.b * TARGET_VDD + t.c;
  return dst / src;
}

/* ---- the targets ------------------------------------------------------------------------------ */

/* A design point: a named config (arch/configs) or an architecture, with overrides
** "k=v;k=v". */
typedef struct Design {
  const char *config, *arch, *sets;
} Design;

typedef struct TargetDef {
  const char *id, *what;
  QaCalKind kind;
  double published;
  const char *unit;
  double node, vdd;
  int fitted;
  Design design, base; /* base: the baseline of a ratio */
  int a_bits, w_bits;  /* efficiencies: the run's precisions */
  int profile;         /* 1: the Stripes paper's per-layer activation precisions */
} TargetDef;

static const TargetDef kTargets[] = {
    {"diannao.power",
     "DianNao chip power at 980 MHz (arch/configs/diannao.yaml)",
     QA_CAL_POWER_W,
     0.485,
     "W",
     65,
     1.1,
     1,
     {"diannao", NULL, NULL},
     {NULL, NULL, NULL},
     0,
     0,
     0},
    {"diannao.area",
     "DianNao chip area",
     QA_CAL_AREA_MM2,
     3.02,
     "mm^2",
     65,
     1.1,
     1,
     {"diannao", NULL, NULL},
     {NULL, NULL, NULL},
     0,
     0,
     0},
    {"dadn.power",
     "DaDianNao node power at 606 MHz (defaults)",
     QA_CAL_POWER_W,
     15.97,
     "W",
     28,
     0.9,
     1,
     {NULL, "dadiannao", NULL},
     {NULL, NULL, NULL},
     0,
     0,
     0},
    {"dadn.area",
     "DaDianNao node area",
     QA_CAL_AREA_MM2,
     67.73,
     "mm^2",
     28,
     0.9,
     1,
     {NULL, "dadiannao", NULL},
     {NULL, NULL, NULL},
     0,
     0,
     0},
    {"stripes.energy_eff",
     "Stripes (stripes-micro16) energy efficiency over DaDianNao, 16-bit weights",
     QA_CAL_EFFICIENCY,
     1.57,
     "x",
     0,
     0,
     1,
     {"stripes-micro16", NULL, NULL},
     {NULL, "dadiannao", "clock_mhz=980"},
     16,
     16,
     1},
    {"stripes.area",
     "Stripes area over DaDianNao",
     QA_CAL_AREA_RATIO,
     1.32,
     "x",
     0,
     0,
     1,
     {"stripes-micro16", NULL, NULL},
     {NULL, "dadiannao", "clock_mhz=980"},
     0,
     0,
     0},
    {"pra17.energy_eff.16b",
     "Pragmatic (pragmatic-micro17) energy efficiency over DaDianNao",
     QA_CAL_EFFICIENCY,
     1.70,
     "x",
     0,
     0,
     0,
     {"pragmatic-micro17", NULL, NULL},
     {NULL, "dadiannao", "clock_mhz=980"},
     16,
     16,
     1},
    {"pra17.area",
     "Pragmatic area over DaDianNao",
     QA_CAL_AREA_RATIO,
     1.68,
     "x",
     0,
     0,
     0,
     {"pragmatic-micro17", NULL, NULL},
     {NULL, "dadiannao", "clock_mhz=980"},
     0,
     0,
     0},
    {"lacarx.128w.energy_eff",
     "Laconic 128 wires over a 2K-wire bit-parallel tile, 8 bits",
     QA_CAL_EFFICIENCY,
     2.13,
     "x",
     0,
     0,
     0,
     {"laconic-128wire", NULL, NULL},
     {"dadiannao-2kwire", NULL, NULL},
     8,
     8,
     0},
    {"lacarx.1kw.energy_eff",
     "Laconic 1K wires over a 2K-wire bit-parallel tile, 8 bits",
     QA_CAL_EFFICIENCY,
     1.95,
     "x",
     0,
     0,
     0,
     {"laconic-1kwire", NULL, NULL},
     {"dadiannao-2kwire", NULL, NULL},
     8,
     8,
     0},
    {"onehot.saving.dadiannao",
     "one-hot DaDianNao logic area saving, 8 bits (ASIC stand-in for FPGA resources)",
     QA_CAL_SAVING,
     50,
     "%",
     0,
     0,
     0,
     {NULL, "onehot-dadiannao", "max_bits=8"},
     {NULL, "dadiannao", "datapath_bits=8;acc_bits=32"},
     0,
     0,
     0},
    {"onehot.saving.laconic",
     "one-hot Laconic logic area saving, 8 bits (ASIC stand-in for FPGA resources)",
     QA_CAL_SAVING,
     68.5,
     "%",
     0,
     0,
     0,
     {NULL, "khot-laconic", "max_bits=8;k_a=1;k_w=1"},
     {NULL, "laconic", "max_bits=8"},
     0,
     0,
     0},
    {"diannao.throughput",
     "DianNao peak throughput (2 ops per MAC)",
     QA_CAL_THROUGHPUT,
     452,
     "GOP/s",
     0,
     0,
     0,
     {"diannao", NULL, NULL},
     {NULL, NULL, NULL},
     0,
     0,
     0},
};
#define N_TARGETS ((int)(sizeof kTargets / sizeof kTargets[0]))
_Static_assert(sizeof kTargets / sizeof kTargets[0] <= QA_CAL_TARGETS_MAX, "too many calibration targets");

#define DEFAULT_NETS "alexnet,nin,googlenet,vggm,vggs,vgg19"
#define NETS_MAX 8

/* ---- the model's parts ---------------------------------------------------------------------- */

static int resolve(const Design *d, QaArchConfig *cfg, QaErr *err) {
  const char *sets[8];
  char buf[256];
  int n = 0;
  snprintf(buf, sizeof buf, "%s", d->sets ? d->sets : "");
  for (char *save = NULL, *p = strtok_r(buf, ";", &save); p && n < 8; p = strtok_r(NULL, ";", &save))
    sets[n++] = p;
  QaArchRequest req = {d->arch, d->config, sets, n, 0};
  int rc = qaArchResolve(&req, cfg, err);
  if (rc) qaErrPrefix(err, "calibration design %s", d->config ? d->config : d->arch);
  return rc;
}

static QaCalSplit energySplit(const QaEnergy *e) {
  QaCalSplit s;
  s.mem = qaEnergyCategoryPj(e, QA_CAT_MEMORY);
  s.logic = qaEnergyCategoryPj(e, QA_CAT_DATAPATH) + qaEnergyCategoryPj(e, QA_CAT_ACCUMULATION) +
            qaEnergyCategoryPj(e, QA_CAT_REGISTERS);
  s.stat = qaEnergyCategoryPj(e, QA_CAT_STATIC);
  s.dram = qaEnergyCategoryPj(e, QA_CAT_DRAM);
  return s;
}

/* The value of a split with scales p (memory_energy, logic_energy, logic_area); AREA: an
** area split. */
static double splitValue(const QaCalSplit *s, const double *p, int area) {
  if (area) return s->mem + p[2] * s->logic;
  return p[0] * s->mem + p[1] * s->logic + s->stat + s->dram;
}

/* What a target's model value is made of, under one table. */
typedef struct Parts {
  QaCalSplit design, base;         /* power / area splits */
  QaCalSplit net_design[NETS_MAX]; /* efficiency: per network */
  QaCalSplit net_base[NETS_MAX];
  int n_nets;
  double gops; /* throughput */
} Parts;

static double partsValue(QaCalKind kind, const Parts *pt, const double *p) {
  switch (kind) {
    case QA_CAL_POWER_W:
      return splitValue(&pt->design, p, 0);
    case QA_CAL_AREA_MM2:
      return splitValue(&pt->design, p, 1);
    case QA_CAL_AREA_RATIO:
      return splitValue(&pt->design, p, 1) / splitValue(&pt->base, p, 1);
    case QA_CAL_SAVING:
      return 100.0 * (1.0 - pt->design.logic / pt->base.logic);
    case QA_CAL_THROUGHPUT:
      return pt->gops;
    case QA_CAL_EFFICIENCY: {
      double lg = 0;
      for (int i = 0; i < pt->n_nets; i++)
        lg += log(splitValue(&pt->net_base[i], p, 0) / splitValue(&pt->net_design[i], p, 0));
      return pt->n_nets ? exp(lg / pt->n_nets) : NAN;
    }
  }
  return NAN;
}

/* Chip splits of DESIGN under each of the N tables: power (W) or area (mm^2). */
static int chipParts(const Design *d, const QaCostTable *const *t, int n, int area, QaCalSplit *out,
                     double *gops, QaErr *err) {
  QaArchConfig cfg;
  int rc = resolve(d, &cfg, err);
  for (int k = 0; k < n && !rc; k++) {
    QaChipPower p;
    if (area) { /* the composition alone */
      QaComposition *cx = qaCalloc(1, sizeof *cx, err);
      int hw = qaArchHwBits(&cfg);
      QaComposeOptions co = {hw, hw, NULL};
      rc = cx ? qaCompose(&cfg, t[k], &co, cx, err) : QA_EINTERNAL;
      if (!rc) out[k] = (QaCalSplit){cx->memory_area_um2 / 1e6, cx->logic_area_um2 / 1e6, 0, 0};
      free(cx);
      continue;
    }
    if ((rc = qaChipPower(&cfg, t[k], &p, err))) break;
    {
      out[k].mem = p.category_w[QA_CAT_MEMORY];
      out[k].logic =
          p.category_w[QA_CAT_DATAPATH] + p.category_w[QA_CAT_ACCUMULATION] + p.category_w[QA_CAT_REGISTERS];
      out[k].stat = p.leakage_w;
      out[k].dram = 0; /* chip power claims exclude DRAM */
    }
    if (gops) *gops = 2.0 * p.macs_per_cycle * p.clock_mhz * 1e-3;
  }
  return rc;
}

/* A network of the set: the built-in name or workloads/nets/NAME.yaml. */
static int openNet(const char *name, QaNet **net, QaErr *err) {
  if (qaNetOpen(name, net, NULL) == QA_OK) return QA_OK;
  char rel[128], path[QA_PATH_MAX];
  snprintf(rel, sizeof rel, "workloads/nets/%s.yaml", name);
  qaDataPath(rel, path, sizeof path);
  return qaNetOpen(path, net, err);
}

/* Energy splits of DESIGN on every network under each of the N tables:
** out[k * NETS_MAX + i]. Per-layer activation precisions from
** workloads/precisions/NET.csv when PROFILE. */
static int netParts(const Design *d, const QaCostTable *const *t, int n, char nets[][256], int n_nets,
                    int a_bits, int w_bits, int profile, FILE *progress, QaCalSplit *out, QaErr *err) {
  QaArchConfig cfg;
  QaEnergy *e = qaCalloc((size_t)n, sizeof *e, err);
  int rc = e ? resolve(d, &cfg, err) : QA_EINTERNAL;
  for (int i = 0; i < n_nets && !rc; i++) {
    QaNet *net = NULL;
    QaLayerBits *bits = NULL;
    int n_bits = 0;
    if ((rc = openNet(nets[i], &net, err))) break;
    if (profile && !strchr(nets[i], '/')) { /* a network file given by path has no profile */
      char rel[128], path[QA_PATH_MAX];
      snprintf(rel, sizeof rel, "workloads/precisions/%s.csv", nets[i]);
      qaDataPath(rel, path, sizeof path);
      rc = qaLayerBitsLoad(path, &bits, &n_bits, err);
    }
    QaNetEnergyOptions o = {a_bits, w_bits, bits, n_bits, 1, 1, 0.5};
    double t0 = qaNowSeconds();
    if (!rc) rc = qaNetEnergyC(&cfg, t, n, net, &o, e, err);
    if (!rc && progress) {
      fprintf(progress, "  %-18s %-10s %.1f s, %.4g pJ/MAC under %s\n", d->config ? d->config : d->arch,
              nets[i], qaNowSeconds() - t0, qaEnergyPjPerMac(&e[n - 1]), qaCostTableName(t[n - 1]));
      fflush(progress);
    }
    for (int k = 0; k < n && !rc; k++) out[k * NETS_MAX + i] = energySplit(&e[k]);
    free(bits);
    qaNetDestroy(net);
  }
  free(e);
  return rc;
}

/* ---- the fit -------------------------------------------------------------------------------- */

typedef struct Fit {
  const QaCalResult *r;
  const Parts *parts; /* per target, under the base table */
} Fit;

static double objective(const Fit *f, const double *x) {
  double p[QA_CAL_SCALES], s = 0;
  for (int i = 0; i < QA_CAL_SCALES; i++) p[i] = exp(x[i]);
  for (int i = 0; i < f->r->n_targets; i++) {
    const QaCalTarget *t = &f->r->t[i];
    if (!t->fitted) continue;
    double d = log(partsValue(t->kind, &f->parts[i], p) / t->target);
    s += d * d;
  }
  return s;
}

/* Nelder-Mead over x = log(scales), from 0 (all scales 1), deterministic. */
static void nelderMead(const Fit *f, double *best) {
  enum { N = QA_CAL_SCALES };
  double x[N + 1][N], y[N + 1];
  for (int i = 0; i <= N; i++) {
    for (int j = 0; j < N; j++) x[i][j] = i == j + 1 ? 0.5 : 0;
    y[i] = objective(f, x[i]);
  }
  for (int it = 0; it < 20000; it++) {
    int lo = 0, hi = 0, nh = 0;
    for (int i = 1; i <= N; i++) {
      if (y[i] < y[lo]) lo = i;
      if (y[i] > y[hi]) hi = i;
    }
    nh = lo;
    for (int i = 0; i <= N; i++)
      if (i != hi && y[i] > y[nh]) nh = i;
    if (fabs(y[hi] - y[lo]) < 1e-14 * (1 + fabs(y[lo])) && it > 100) break;
    double c[N] = {0}, xr[N], xe[N], xc[N];
    for (int i = 0; i <= N; i++)
      if (i != hi)
        for (int j = 0; j < N; j++) c[j] += x[i][j] / N;
    for (int j = 0; j < N; j++) xr[j] = c[j] + (c[j] - x[hi][j]);
    double yr = objective(f, xr);
    if (yr < y[lo]) {
      for (int j = 0; j < N; j++) xe[j] = c[j] + 2 * (c[j] - x[hi][j]);
      double ye = objective(f, xe);
      memcpy(x[hi], ye < yr ? xe : xr, sizeof xr);
      y[hi] = ye < yr ? ye : yr;
    } else if (yr < y[nh]) {
      memcpy(x[hi], xr, sizeof xr);
      y[hi] = yr;
    } else {
      for (int j = 0; j < N; j++) xc[j] = c[j] + 0.5 * (x[hi][j] - c[j]);
      double yc = objective(f, xc);
      if (yc < y[hi]) {
        memcpy(x[hi], xc, sizeof xc);
        y[hi] = yc;
      } else {
        for (int i = 0; i <= N; i++) {
          if (i == lo) continue;
          for (int j = 0; j < N; j++) x[i][j] = x[lo][j] + 0.5 * (x[i][j] - x[lo][j]);
          y[i] = objective(f, x[i]);
        }
      }
    }
  }
  int lo = 0;
  for (int i = 1; i <= N; i++)
    if (y[i] < y[lo]) lo = i;
  for (int j = 0; j < N; j++) best[j] = exp(x[lo][j]);
}

static double rmsLog(const QaCalResult *r, int table) {
  double s = 0;
  int n = 0;
  for (int i = 0; i < r->n_targets; i++) {
    if (!r->t[i].fitted) continue;
    double d = log(r->t[i].model[table] / r->t[i].target);
    s += d * d;
    n++;
  }
  return n ? sqrt(s / n) : 0;
}

/* ---- the procedure -------------------------------------------------------------------------- */

int qaCalibrate(const QaCalOptions *o, QaCalResult *out, QaErr *err) {
  const char *base = o && o->base ? o->base : QA_COSTS_DEFAULT;
  const char *nets_arg = o && o->nets ? o->nets : DEFAULT_NETS;
  FILE *progress = o ? o->progress : NULL;
  QaCostTable *tab[2] = {NULL, NULL};
  Parts *parts = NULL; /* [target][table] */
  char nets[NETS_MAX][256];
  int n_nets = 0, rc;
  double t0 = qaNowSeconds();
  memset(out, 0, sizeof *out);
  snprintf(out->base, sizeof out->base, "%s", base);
  snprintf(out->nets, sizeof out->nets, "%s", nets_arg);
  char buf[NETS_MAX * 256];
  snprintf(buf, sizeof buf, "%s", nets_arg);
  for (char *save = NULL, *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
    if (n_nets == NETS_MAX || strlen(p) >= sizeof nets[0])
      return qaErrSet(err, QA_EUSER, "--nets: at most %d networks of names up to %d characters", NETS_MAX,
                      (int)sizeof nets[0] - 1);
    snprintf(nets[n_nets++], sizeof nets[0], "%s", p);
  }
  if (!n_nets) return qaErrSet(err, QA_EUSER, "--nets: no networks");
  if ((rc = qaCostTableLoad("horowitz45", &tab[0], err)) || (rc = qaCostTableLoad(base, &tab[1], err)))
    goto end;
  for (int s = 0; s < QA_SCALE_COUNT; s++) { /* the base table carries no scales of its own */
    double f;
    if (qaCostScale(tab[1], (QaCostScaleKind)s, &f, NULL)) {
      rc = qaErrSet(err, QA_EUSER,
                    "calibration base table '%s' already has scale rows (%s): use an unscaled table", base,
                    qaCostScaleName((QaCostScaleKind)s));
      goto end;
    }
  }
  parts = qaCalloc((size_t)N_TARGETS * 2, sizeof *parts, err);
  if (!parts) {
    rc = QA_EINTERNAL;
    goto end;
  }
  const QaCostTable *const *tv = (const QaCostTable *const *)tab;
  for (int i = 0; i < N_TARGETS; i++) {
    const TargetDef *d = &kTargets[i];
    QaCalTarget *t = &out->t[out->n_targets++];
    Parts *pt = &parts[2 * i];
    t->id = d->id;
    t->what = d->what;
    t->kind = d->kind;
    t->published = d->published;
    t->unit = d->unit;
    t->node_nm = d->node;
    t->vdd = d->vdd;
    t->fitted = d->fitted;
    t->factor = d->node == 0                 ? 1.0
                : d->kind == QA_CAL_AREA_MM2 ? qaCalAreaTo45(d->node)
                                             : qaCalEnergyTo45(d->node, d->vdd);
    t->target = d->published * t->factor;
    QaCalSplit s[2];
    double gops = 0;
    if (progress) fprintf(progress, "%s: %s\n", d->id, d->what);
    switch (d->kind) {
      case QA_CAL_POWER_W:
      case QA_CAL_AREA_MM2:
      case QA_CAL_THROUGHPUT:
        if ((rc = chipParts(&d->design, tv, 2, d->kind == QA_CAL_AREA_MM2, s, &gops, err))) goto end;
        for (int k = 0; k < 2; k++) {
          pt[k].design = s[k];
          pt[k].gops = gops;
        }
        break;
      case QA_CAL_AREA_RATIO:
      case QA_CAL_SAVING:
        if ((rc = chipParts(&d->design, tv, 2, 1, s, NULL, err))) goto end;
        for (int k = 0; k < 2; k++) pt[k].design = s[k];
        if ((rc = chipParts(&d->base, tv, 2, 1, s, NULL, err))) goto end;
        for (int k = 0; k < 2; k++) pt[k].base = s[k];
        break;
      case QA_CAL_EFFICIENCY: {
        QaCalSplit *nd = qaCalloc(2 * NETS_MAX, sizeof *nd, err),
                   *nb = qaCalloc(2 * NETS_MAX, sizeof *nb, err);
        if (!nd || !nb) rc = QA_EINTERNAL;
        if (!rc)
          rc = netParts(&d->design, tv, 2, nets, n_nets, d->a_bits, d->w_bits, d->profile, progress, nd, err);
        /* the baseline at 16-bit (or its own) precision, the same networks */
        if (!rc) rc = netParts(&d->base, tv, 2, nets, n_nets, d->a_bits, d->w_bits, 0, progress, nb, err);
        for (int k = 0; k < 2 && !rc; k++) {
          pt[k].n_nets = n_nets;
          memcpy(pt[k].net_design, nd + k * NETS_MAX, sizeof pt[k].net_design);
          memcpy(pt[k].net_base, nb + k * NETS_MAX, sizeof pt[k].net_base);
        }
        t->n_nets = n_nets;
        free(nd);
        free(nb);
        if (rc) goto end;
        break;
      }
    }
  }
  /* model values under horowitz45 and the base table (all scales 1) */
  double one[QA_CAL_SCALES] = {1, 1, 1};
  Parts *basep = qaCalloc((size_t)N_TARGETS, sizeof *basep, err);
  if (!basep) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int i = 0; i < out->n_targets; i++) {
    out->t[i].model[0] = partsValue(out->t[i].kind, &parts[2 * i], one);
    out->t[i].model[1] = partsValue(out->t[i].kind, &parts[2 * i + 1], one);
    basep[i] = parts[2 * i + 1];
  }
  Fit f = {out, basep};
  nelderMead(&f, out->scale);
  for (int i = 0; i < out->n_targets; i++)
    out->t[i].model[2] = partsValue(out->t[i].kind, &basep[i], out->scale);
  out->rms_log = rmsLog(out, 2);
  out->rms_log_base = rmsLog(out, 1);
  free(basep);
end:
  free(parts);
  qaCostTableDestroy(tab[0]);
  qaCostTableDestroy(tab[1]);
  out->seconds = qaNowSeconds() - t0;
  return rc;
}

/* ---- output --------------------------------------------------------------------------------- */

int qaCalibratePrint(const QaCalResult *r, FILE *fp, QaErr *err) {
  fprintf(fp,
          "# targets node-scaled to 45 nm 0.9 V (Stillmaker & Baas 2017); model = horowitz45 | %s | fitted\n"
          "# efficiencies: geometric mean over %s (conv layers, synthetic values)\n",
          r->base, r->nets);
  fprintf(fp, "%-24s %-8s %10s %-6s %5s %4s %8s %10s | %10s %10s %10s | %s\n", "claim", "use", "published",
          "unit", "node", "V", "factor", "target", "horowitz45", r->base, "fitted", "what");
  for (int i = 0; i < r->n_targets; i++) {
    const QaCalTarget *t = &r->t[i];
    char node[16];
    snprintf(node, sizeof node, t->node_nm ? "%g" : "-", t->node_nm);
    fprintf(fp, "%-24s %-8s %10.4g %-6s %5s %4.2g %8.4g %10.4g | %10.4g %10.4g %10.4g | %s\n", t->id,
            t->fitted ? "fitted" : "held-out", t->published, t->unit, node, t->vdd, t->factor, t->target,
            t->model[0], t->model[1], t->model[2], t->what);
  }
  static const char *const names[QA_CAL_SCALES] = {"memory_energy", "logic_energy", "logic_area"};
  fprintf(fp, "fitted scales:");
  for (int i = 0; i < QA_CAL_SCALES; i++) fprintf(fp, " %s x%.4g", names[i], r->scale[i]);
  fprintf(fp,
          "\nrms log error over the fitted targets: %s %.3f (x%.2f typical), fitted %.3f (x%.2f typical); "
          "%.0f s\n",
          r->base, r->rms_log_base, exp(r->rms_log_base), r->rms_log, exp(r->rms_log), r->seconds);
  if (ferror(fp)) return qaErrSet(err, QA_EINTERNAL, "cannot write the calibration");
  return QA_OK;
}

int qaCalibrateWrite(const QaCalResult *r, const char *path, QaErr *err) {
  QaCostTable *base = NULL, *t = NULL;
  FILE *fp = NULL;
  char src[2048], head[4096];
  int rc = qaCostTableLoad(r->base, &base, err);
  if (rc) return rc;
  t = qaCostTableCreate("calibrated", qaCostTablePath(base), 0, err);
  if (!t) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int i = 0; i < qaCostTableRowCount(base) && !rc; i++)
    rc = qaCostTableAddRow(t, qaCostTableRow(base, i), err);
  /* the claims, for the scale rows' source */
  size_t used = 0;
  src[0] = 0;
  for (int i = 0; i < r->n_targets; i++) {
    const QaCalTarget *c = &r->t[i];
    if (!c->fitted || used >= sizeof src) continue;
    int k = snprintf(src + used, sizeof src - used, "%s%s %.4g %s%s (target %.4g)", used ? "; " : "", c->id,
                     c->published, c->unit, c->node_nm ? " node-scaled" : "", c->target);
    if (k > 0) used += (size_t)k;
  }
  static const QaCostScaleKind kinds[QA_CAL_SCALES] = {QA_SCALE_MEMORY_ENERGY, QA_SCALE_LOGIC_ENERGY,
                                                       QA_SCALE_LOGIC_AREA};
  for (int i = 0; i < QA_CAL_SCALES && !rc; i++) {
    char s[2600];
    snprintf(
        s, sizeof s,
        "fitted by qasim calibrate (sim/calibrate.c; least squares in log over the fitted claims, rms log "
        "error %.3f) to: %s; Stillmaker & Baas 2017 node scaling to 45 nm 0.9 V",
        r->rms_log, src);
    QaCostRow row;
    memset(&row, 0, sizeof row);
    snprintf(row.cls, sizeof row.cls, "scale");
    snprintf(row.instance, sizeof row.instance, "%s", qaCostScaleName(kinds[i]));
    row.action = QA_COST_OP;
    row.energy = r->scale[i];
    row.area_um2 = NAN;
    row.leakage_uw = NAN;
    row.status = row.area_status = row.leakage_status = QA_COST_CALIBRATED;
    row.source = s;
    rc = qaCostTableAddRow(t, &row, err);
  }
  if (rc || (rc = qaCostTableFinish(t, err))) goto end;
  snprintf(
      head, sizeof head,
      "calibrated45 - the rows of %s (same sources and statuses: see %s.csv) with three scale rows\n"
      "fitted by `qasim calibrate` (models/README.md, \"Calibration\"; sim/calibrate.h) to published\n"
      "chip figures node-scaled to 45 nm 0.9 V (Stillmaker & Baas, Integration 58, 2017):\n"
      "  memory_energy x%.6g multiplies every on-chip memory's energy (SRAM, eDRAM, register banks),\n"
      "  logic_energy  x%.6g every other on-chip component's energy (datapath, accumulation, registers),\n"
      "  logic_area    x%.6g their area (placement, wiring and control the cell areas leave out).\n"
      "Fitted to: %s.\n"
      "rms log error over the fitted claims: %.3f (the base table: %.3f). Held-out claims are reported by\n"
      "`qasim calibrate`, never fitted. Regenerate: qasim calibrate --write models/tables/calibrated45.csv",
      r->base, r->base, r->scale[0], r->scale[1], r->scale[2], src, r->rms_log, r->rms_log_base);
  fp = fopen(path, "w");
  if (!fp) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot write the calibrated table", path);
    goto end;
  }
  rc = qaCostTableWriteCsv(t, head, fp, err);
  if (fclose(fp) && !rc) rc = qaErrSet(err, QA_EUSER, "%s: cannot write the calibrated table", path);
end:
  qaCostTableDestroy(t);
  qaCostTableDestroy(base);
  return rc;
}
