/*
** trace.c - reading and checking a layer's trace files (see trace.h).
*/
#include "workloads/trace.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/npy.h"

static const char *const g_keys[QA_TRACE_KINDS] = {"act", "wgt", "bias", "out", "wgt_codes", "wgt_scale"};

const char *qaTraceKey(QaTraceKind k) { return (unsigned)k < QA_TRACE_KINDS ? g_keys[k] : "?"; }

const char *qaLayerTrace(const QaLayer *l, QaTraceKind k) {
  switch (k) {
    case QA_TRACE_ACT:
      return l->act_trace;
    case QA_TRACE_WGT:
      return l->wgt_trace;
    case QA_TRACE_BIAS:
      return l->bias_trace;
    case QA_TRACE_OUT:
      return l->out_trace;
    case QA_TRACE_WGT_CODES:
      return l->wgt_codes_trace;
    case QA_TRACE_WGT_SCALE:
      return l->wgt_scale_trace;
    default:
      return "";
  }
}

/* The canonical shape of kind K for layer L; returns its rank. */
static int canonShape(const QaLayer *l, QaTraceKind k, int64_t s[4]) {
  int fc = l->kind == QA_LAYER_FC;
  switch (k) {
    case QA_TRACE_ACT:
      s[0] = l->n, s[1] = l->c, s[2] = l->h, s[3] = l->w;
      return fc ? 2 : 4;
    case QA_TRACE_WGT:
    case QA_TRACE_WGT_CODES:
      s[0] = l->k, s[1] = l->c / l->groups, s[2] = l->r, s[3] = l->s;
      return fc ? 2 : 4;
    case QA_TRACE_OUT:
      s[0] = l->n, s[1] = l->k, s[2] = qaLayerOutH(l), s[3] = qaLayerOutW(l);
      return fc ? 2 : 4;
    default:
      s[0] = l->k;
      return 1;
  }
}

int64_t qaTraceCount(const QaLayer *l, QaTraceKind k) {
  int64_t s[4], n = 1;
  int r = canonShape(l, k, s);
  for (int i = 0; i < r; i++) n *= s[i];
  return n;
}

/* Python-style "(a, b, c)". */
static void shapeText(int ndim, const int64_t *s, char *buf, size_t cap) {
  size_t at = (size_t)snprintf(buf, cap, "(");
  for (int i = 0; i < ndim && at < cap; i++)
    at += (size_t)snprintf(buf + at, cap - at, "%s%lld", i ? ", " : "", (long long)s[i]);
  if (at < cap) snprintf(buf + at, cap - at, "%s)", ndim == 1 ? "," : "");
}

/* 1 if array A has a shape kind K accepts for L: the canonical one, or without the batch
** axis when N = 1 (act, out), or an fc tensor's trailing axes flattened. */
static int shapeOk(const QaLayer *l, QaTraceKind k, const QaArray *a) {
  int64_t s[4];
  int r = canonShape(l, k, s), fc = l->kind == QA_LAYER_FC;
  int batched = k == QA_TRACE_ACT || k == QA_TRACE_OUT;
  if (a->ndim == r) {
    int same = 1;
    for (int i = 0; i < r; i++) same &= a->shape[i] == s[i];
    if (same) return 1;
  }
  if (batched && s[0] == 1 && a->ndim == r - 1) { /* batch-less */
    int same = 1;
    for (int i = 1; i < r; i++) same &= a->shape[i - 1] == s[i];
    if (same) return 1;
  }
  if (fc && r == 2 && a->ndim > 2 && a->shape[0] == s[0]) { /* (N, C, H, W) flattened */
    int64_t rest = 1;
    for (int i = 1; i < a->ndim; i++) rest *= a->shape[i];
    if (rest == s[1]) return 1;
  }
  return 0;
}

static const char *const g_axes[QA_TRACE_KINDS][2] = {
    {"(N, C, H, W)", "(N, C)"},   {"(K, C/groups, R, S)", "(K, C)"}, {"(K,)", "(K,)"},
    {"(N, K, OH, OW)", "(N, K)"}, {"(K, C/groups, R, S)", "(K, C)"}, {"(K,)", "(K,)"},
};

/* Read and check trace K of L; *out is the checked array (caller destroys). */
static int readChecked(const QaLayer *l, QaTraceKind k, QaArray **out, QaErr *err) {
  const char *path = qaLayerTrace(l, k);
  QaArray *a = NULL;
  int rc;
  *out = NULL;
  if (!path[0]) return qaErrSet(err, QA_EINTERNAL, "layer '%s': no trace.%s to read", l->name, qaTraceKey(k));
  if ((rc = qaNpyRead(path, &a, err))) {
    qaErrPrefix(err, "layer '%s' trace.%s", l->name, qaTraceKey(k));
    return rc;
  }
  int is_float = a->dtype == QA_DT_F32 || a->dtype == QA_DT_F64;
  if (k == QA_TRACE_WGT_CODES && is_float) {
    rc = qaErrSet(
        err, QA_EUSER,
        "layer '%s' trace.wgt_codes %s: dtype %s, but codes must have an integer dtype (int8, int16, "
        "int32 or uint8); save them with .astype(np.int32)",
        l->name, path, qaDtypeName(a->dtype));
  } else if ((k == QA_TRACE_BIAS || k == QA_TRACE_OUT || k == QA_TRACE_WGT_SCALE) && !is_float) {
    rc = qaErrSet(err, QA_EUSER, "layer '%s' trace.%s %s: dtype %s, but it must be float32 or float64",
                  l->name, qaTraceKey(k), path, qaDtypeName(a->dtype));
  } else if (!shapeOk(l, k, a)) {
    int64_t s[4];
    char have[128], want[128];
    int r = canonShape(l, k, s);
    shapeText(a->ndim, a->shape, have, sizeof have);
    shapeText(r, s, want, sizeof want);
    rc =
        qaErrSet(err, QA_EUSER,
                 "layer '%s' trace.%s %s: shape %s does not match the layer, which needs %s %s; fix the file "
                 "or the layer's geometry",
                 l->name, qaTraceKey(k), path, have, want, g_axes[k][l->kind == QA_LAYER_FC]);
  }
  if (rc) {
    qaArrayDestroy(a);
    return rc;
  }
  *out = a;
  return QA_OK;
}

static double valueAt(const QaArray *a, int64_t i) {
  switch (a->dtype) {
    case QA_DT_F32:
      return ((const float *)a->data)[i];
    case QA_DT_F64:
      return ((const double *)a->data)[i];
    case QA_DT_I8:
      return ((const int8_t *)a->data)[i];
    case QA_DT_I16:
      return ((const int16_t *)a->data)[i];
    case QA_DT_I32:
      return ((const int32_t *)a->data)[i];
    case QA_DT_U8:
      return ((const uint8_t *)a->data)[i];
  }
  return 0;
}

/* Copy A into F32 or F64 (or nowhere: check only), checking every value is finite and,
** for the kinds read as float (all but wgt_scale), inside the float32 range. */
static int convert(const QaLayer *l, QaTraceKind k, const QaArray *a, float *f32, double *f64, QaErr *err) {
  double limit = k == QA_TRACE_WGT_SCALE ? DBL_MAX : FLT_MAX;
  for (int64_t i = 0; i < a->count; i++) {
    double v = valueAt(a, i);
    if (!(fabs(v) <= limit))
      return qaErrSet(err, QA_EUSER,
                      "layer '%s' trace.%s %s: value at flat index %lld is %s; fix the data (e.g. "
                      "np.nan_to_num) and save it again",
                      l->name, qaTraceKey(k), qaLayerTrace(l, k), (long long)i,
                      isnan(v)   ? "NaN"
                      : isinf(v) ? (v > 0 ? "+Inf" : "-Inf")
                                 : "outside the float32 range");
    if (f32)
      f32[i] = (float)v;
    else if (f64)
      f64[i] = v;
  }
  return QA_OK;
}

static int readAs(const QaLayer *l, QaTraceKind k, float **f32, double **f64, QaErr *err) {
  QaArray *a = NULL;
  int rc = readChecked(l, k, &a, err);
  if (rc) return rc;
  void *buf = qaMalloc((size_t)a->count * (f32 ? sizeof(float) : sizeof(double)), err);
  if (!buf)
    rc = QA_EINTERNAL;
  else
    rc = convert(l, k, a, f32 ? buf : NULL, f32 ? NULL : buf, err);
  qaArrayDestroy(a);
  if (rc) {
    free(buf);
    return rc;
  }
  if (f32)
    *f32 = buf;
  else
    *f64 = buf;
  return QA_OK;
}

int qaTraceReadFloat(const QaLayer *l, QaTraceKind k, float **out, QaErr *err) {
  *out = NULL;
  return readAs(l, k, out, NULL, err);
}

int qaTraceReadDouble(const QaLayer *l, QaTraceKind k, double **out, QaErr *err) {
  *out = NULL;
  return readAs(l, k, NULL, out, err);
}

int qaNetCheckTraces(const QaNet *net, int *n_files, QaErr *err) {
  int n = 0;
  if (n_files) *n_files = 0;
  for (int i = 0; i < net->n_layers; i++) {
    const QaLayer *l = &net->layers[i];
    for (int k = 0; k < QA_TRACE_KINDS; k++) {
      if (!qaLayerTrace(l, (QaTraceKind)k)[0]) continue;
      QaArray *a = NULL;
      int rc = readChecked(l, (QaTraceKind)k, &a, err);
      if (!rc) rc = convert(l, (QaTraceKind)k, a, NULL, NULL, err);
      qaArrayDestroy(a);
      if (rc) return rc;
      n++;
    }
  }
  if (n_files) *n_files = n;
  return QA_OK;
}
