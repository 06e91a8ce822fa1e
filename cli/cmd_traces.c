/*
** cmd_traces.c - `qasim export-traces`: the integer codes a stored run simulated, written as
** a DNNsim trace directory (workloads/import.h describes the layout), so that its cycle
** counts can be cross-checked in that simulator - and run again here with
** `qasim run --net DIR --quant-a none --quant-w none`.
**
** The codes are made again from what the run stored (sim/values.h: the network file, its
** traces or the seeded synthetic values, the quantizers and each layer's bits), after
** checking that the network still hashes as it did for the run.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "base/npy.h"
#include "base/parse.h"
#include "sim/values.h"
#include "store/store.h"
#include "workloads/layer.h"
#include "cli/cli.h"

typedef struct ExportTracesArgs {
  const char *format, *db;
} ExportTracesArgs;

static const QaCliOption exportTracesOptions[] = {
    {"format", "NAME", QA_CLI_VALUE(ExportTracesArgs, format), "dnnsim (the only format, default)"},
    {"db", "PATH", QA_CLI_VALUE(ExportTracesArgs, db), QA_CLI_DB_HELP},
    {NULL},
};

/* DIR/NAME into out. */
static int joinPath(const char *dir, const char *name, char *out, size_t cap, QaErr *err) {
  if ((size_t)snprintf(out, cap, "%s/%s", dir, name) >= cap)
    return qaErrSet(err, QA_EUSER, "%s/%s: path is too long", dir, name);
  return QA_OK;
}

/* The codes of layer L as float32 arrays in DNNsim's layout; activations with explicit zero
** padding when the layer's padding is not one symmetric number (*pad then 0). */
static int writeLayer(const char *dir, const char *fname, const QaLayer *l, const QaLayerValues *v, int *pad,
                      QaErr *err) {
  char path[QA_PATH_MAX], file[QA_NAME_MAX + 32];
  int fc = l->kind == QA_LAYER_FC, rc;
  int64_t nw = qaLayerWgtCount(l);
  float *w = qaMalloc((size_t)nw * sizeof *w, err), *a = NULL;
  if (!w) return QA_EINTERNAL;
  for (int64_t i = 0; i < nw; i++) w[i] = (float)v->wgt[i];
  int64_t ws4[4] = {l->k, l->c / l->groups, l->r, l->s};
  snprintf(file, sizeof file, "wgt-%s.npy", fname);
  if ((rc = joinPath(dir, file, path, sizeof path, err)) ||
      (rc = qaNpyWrite(path, QA_DT_F32, fc ? 2 : 4, ws4, w, err)))
    goto end;
  int sym = !l->pad_asym && l->pad_h == l->pad_w;
  int pt = sym ? 0 : l->pad_h, pb = sym ? 0 : qaLayerPadB(l), pl = sym ? 0 : l->pad_w,
      pr = sym ? 0 : qaLayerPadR(l);
  int hp = l->h + pt + pb, wp = l->w + pl + pr;
  int64_t na = (int64_t)l->n * l->c * hp * wp;
  if (!(a = qaCalloc((size_t)na, sizeof *a, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int64_t n = 0; n < (int64_t)l->n * l->c; n++)
    for (int y = 0; y < l->h; y++)
      for (int x = 0; x < l->w; x++)
        a[(n * hp + y + pt) * wp + x + pl] = (float)v->act[(n * l->h + y) * l->w + x];
  int64_t as4[4] = {l->n, l->c, hp, wp}, as2[2] = {l->n, l->c};
  snprintf(file, sizeof file, "act-%s-0.npy", fname);
  if ((rc = joinPath(dir, file, path, sizeof path, err)) ||
      (rc = qaNpyWrite(path, QA_DT_F32, fc ? 2 : 4, fc ? as2 : as4, a, err)))
    goto end;
  *pad = sym ? l->pad_h : 0;
end:
  free(w);
  free(a);
  return rc;
}

static int exportTracesMain(void *args, const QaCliCall *call, QaErr *err) {
  const ExportTracesArgs *a = args;
  const char *db = qaCliDbPath(a->db), *dir = call->pos[1];
  int64_t id;
  int rc;
  QaStore *st = NULL;
  QaNet *net = NULL;
  QaStoredValues sv = {0};
  QaLayerValues v = {0};
  FILE *model = NULL, *prec = NULL;
  int *bits = NULL;
  char path[QA_PATH_MAX];
  if (a->format && strcmp(a->format, "dnnsim"))
    return qaErrSet(err, QA_EUSER, "--format %s: the only format is dnnsim", a->format);
  if ((rc = qaParseInt64(call->pos[0], "run id", 1, INT32_MAX, &id, err)) || (rc = qaCliDbMustExist(db, err)))
    return rc;
  if ((rc = qaStoreOpenReadOnly(db, &st, err)) || (rc = qaStoreGetValues(st, id, &sv, err))) goto end;
  const char *src = strcmp(sv.workload_source, "builtin") ? sv.workload_source : sv.workload;
  if ((rc = qaNetOpen(src, &net, err))) {
    qaErrPrefix(err, "run %lld's network", (long long)id);
    goto end;
  }
  /* a run of --layers conv|fc ran that subset as the workload NAME:conv / NAME:fc */
  const char *sub = strrchr(sv.workload, ':');
  if (sub && (!strcmp(sub, ":conv") || !strcmp(sub, ":fc"))) {
    int n = 0, want_fc = !strcmp(sub, ":fc");
    for (int i = 0; i < net->n_layers; i++)
      if ((net->layers[i].kind == QA_LAYER_FC) == want_fc) net->layers[n++] = net->layers[i];
    net->n_layers = n;
    snprintf(net->name, sizeof net->name, "%s", sv.workload);
  }
  char hash[17];
  qaHashHex(qaNetHash(net), hash);
  if (strcmp(hash, sv.workload_hash) || net->n_layers != sv.n_layers) {
    rc = qaErrSet(
        err, QA_EUSER,
        "run %lld: network %s has changed since the run (hash %s, the run's %s); the codes cannot be "
        "made again - run it again",
        (long long)id, src, hash, sv.workload_hash);
    goto end;
  }
  QaValuesSpec vs;
  memset(&vs, 0, sizeof vs);
  vs.qa_auto = !strcmp(sv.quant_a, "auto");
  if ((!vs.qa_auto && (rc = qaQuantParse(sv.quant_a, &vs.qa, err))) ||
      (rc = qaQuantParse(sv.quant_w, &vs.qw, err)))
    goto end;
  qaSynthDefaults(&vs.synth);
  vs.synth.seed = sv.seed;
  vs.synth.act_zero_frac = sv.act_zero_frac;
  vs.synth.wgt_dist = strcmp(sv.wgt_dist, "gauss") ? QA_DIST_LAPLACE : QA_DIST_GAUSS;
  int all_synth = 1;
  for (int i = 0; i < sv.n_layers; i++) all_synth &= !strcmp(sv.layers[i].values_src, "synthetic");
  vs.synthetic = all_synth; /* run with --synthetic (or nothing traced: the same) */
  if ((rc = qaMakeDirs(dir, dir, err))) goto end;
  if ((rc = joinPath(dir, "model.csv", path, sizeof path, err))) goto end;
  if (!(model = fopen(path, "w"))) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot write: %s", path, strerror(errno));
    goto end;
  }
  if (!(bits = qaCalloc((size_t)net->n_layers * 2, sizeof *bits, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  int64_t n_values = 0;
  for (int i = 0; i < net->n_layers; i++) {
    const QaLayer *l = &net->layers[i];
    const QaStoredValuesLayer *sl = &sv.layers[i];
    char fname[QA_NAME_MAX];
    int pad = 0;
    snprintf(fname, sizeof fname, "%s", l->name);
    for (char *p = fname; *p; p++)
      if (*p == '/') *p = '-';
    if (l->stride_h != l->stride_w) {
      rc = qaErrSet(err, QA_EUSER, "layer '%s': stride %dx%d; a DNNsim model.csv row holds one stride",
                    l->name, l->stride_h, l->stride_w);
      goto end;
    }
    if ((rc = qaValuesLoad(&vs, l, i, &v, err)) ||
        (rc = qaValuesQuantize(&vs, l, sl->a_bits, sl->w_bits, &v, err)) ||
        (rc = writeLayer(dir, fname, l, &v, &pad, err))) {
      qaErrPrefix(err, "layer %d '%s'", i, l->name);
      goto end;
    }
    fprintf(model, "%s:%s:%d:%d\n", fname, l->kind == QA_LAYER_FC ? "fc" : "conv", l->stride_h, pad);
    bits[2 * i] = sl->a_bits;
    bits[2 * i + 1] = sl->w_bits;
    n_values += qaLayerActCount(l) + qaLayerWgtCount(l);
    qaValuesFree(&v);
  }
  /* precision.txt: magnitude = the layer's bits, fraction 0 - the integer codes themselves */
  if ((rc = joinPath(dir, "precision.txt", path, sizeof path, err))) goto end;
  if (!(prec = fopen(path, "w"))) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot write: %s", path, strerror(errno));
    goto end;
  }
  fprintf(prec, "magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction\n");
  for (int row = 0; row < 4; row++) {
    for (int i = 0; i < net->n_layers; i++) fprintf(prec, "%d;", row % 2 ? 0 : bits[2 * i + row / 2]);
    fputc('\n', prec);
  }
  int e1 = fclose(prec), e2 = fclose(model);
  if (e1 || e2) {
    prec = model = NULL;
    rc = qaErrSet(err, QA_EUSER, "%s: cannot write: %s", dir, strerror(errno));
    goto end;
  }
  prec = model = NULL;
  printf("wrote %s: model.csv, precision.txt and the integer codes of %d layers (%" PRId64
         " values) of run %lld (%s, quantizers %s / %s)\n",
         dir, net->n_layers, n_values, (long long)id, net->name, sv.quant_a, sv.quant_w);
  printf("run them again: qasim run --net %s --quant-a none --quant-w none ...\n", dir);
end:
  if (model) fclose(model);
  if (prec) fclose(prec);
  free(bits);
  qaValuesFree(&v);
  qaNetDestroy(net);
  qaStoreFreeValues(&sv);
  qaStoreClose(st);
  return rc;
}

const QaCliCommand qaCliCmdExportTraces = {
    .name = "export-traces",
    .summary = "write a run's integer codes as a DNNsim trace directory",
    .pos_name = "RUN DIR",
    .pos_min = 2,
    .pos_max = 2,
    .pos_help = "a run id (`qasim results`) and the directory to write",
    .about =
        "Make again the integer codes run RUN simulated (same network, traces or seeded synthetic\n"
        "values, quantizers and per-layer bits) and write them as a DNNsim trace directory:\n"
        "model.csv (Name:Type:Stride:Padding), wgt-NAME.npy and act-NAME-0.npy (float32 holding\n"
        "the integer codes; activations zero-padded when the padding is not one symmetric\n"
        "number) and precision.txt (magnitude = the layer's bits, fraction 0). qasim reads the\n"
        "directory back with `qasim run --net DIR --quant-a none --quant-w none`.\n",
    .options = exportTracesOptions,
    .args_size = sizeof(ExportTracesArgs),
    .handler = exportTracesMain,
};
