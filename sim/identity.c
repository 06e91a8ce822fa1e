/*
** identity.c - design-point identities (see identity.h): the canonical text of each part,
** hashed with SHA-256.
**
** The text is line based, one "key: value" a line, in a fixed order; numbers are printed
** exactly (%.17g) so that two values that differ are two texts. Adding a field means a
** new line: every identity changes (old runs keep theirs and stay distinct points).
*/
#define _POSIX_C_SOURCE 200809L
#include "sim/identity.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "models/memcost.h"

/* The trace paths of a layer: every file whose bytes are part of the workload. A trace
** field added to QaLayer belongs in this list (its path is blanked from the geometry
** hash and its content hashed). */
static const struct {
  const char *key;
  size_t offset; /* of a char[QA_PATH_MAX] in QaLayer */
} kTraceFields[] = {
    {"act", offsetof(QaLayer, act_trace)},
    {"wgt", offsetof(QaLayer, wgt_trace)},
    {"bias", offsetof(QaLayer, bias_trace)},
    {"out", offsetof(QaLayer, out_trace)},
    {"wgt_codes", offsetof(QaLayer, wgt_codes_trace)},
    {"wgt_scale", offsetof(QaLayer, wgt_scale_trace)},
};
#define N_TRACE_FIELDS ((int)(sizeof kTraceFields / sizeof kTraceFields[0]))

static char *traceField(QaLayer *l, int k) { return (char *)l + kTraceFields[k].offset; }

/* ---- a growing text --------------------------------------------------------------- */

typedef struct Text {
  char *s;
  size_t len, cap;
  int oom;
} Text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
put(Text *t, const char *fmt, ...) {
  va_list ap;
  if (t->oom) return;
  for (;;) {
    va_start(ap, fmt);
    int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
      t->oom = 1;
      return;
    }
    if (t->s && t->len + (size_t)n < t->cap) {
      t->len += (size_t)n;
      return;
    }
    size_t cap = t->cap ? t->cap : 1024;
    while (cap <= t->len + (size_t)n) cap *= 2;
    char *g = realloc(t->s, cap);
    if (!g) {
      t->oom = 1;
      return;
    }
    t->s = g;
    t->cap = cap;
  }
}

/* ---- file content ----------------------------------------------------------------- */

/* Trace files are large and the same in many points: remember each file's hash by what
** identifies its version on disk. */
#define CACHE_MAX 256
static struct {
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
  char hex[QA_ID_HEX];
} gCache[CACHE_MAX];
static int gCacheN, gCacheNext;

/* The SHA-256 of PATH's bytes, or "missing" if there is no such file. */
static int fileHash(const char *path, char out[QA_ID_HEX], QaErr *err) {
  struct stat sb;
  if (stat(path, &sb) != 0) {
    snprintf(out, QA_ID_HEX, "missing");
    return QA_OK;
  }
  for (int i = 0; i < gCacheN; i++)
    if (gCache[i].dev == sb.st_dev && gCache[i].ino == sb.st_ino && gCache[i].size == sb.st_size &&
        gCache[i].mtime.tv_sec == sb.st_mtim.tv_sec && gCache[i].mtime.tv_nsec == sb.st_mtim.tv_nsec) {
      memcpy(out, gCache[i].hex, QA_ID_HEX);
      return QA_OK;
    }
  int rc = qaSha256File(path, out, err);
  if (rc) return rc;
  int slot = gCacheN < CACHE_MAX ? gCacheN++ : gCacheNext++ % CACHE_MAX;
  gCache[slot].dev = sb.st_dev;
  gCache[slot].ino = sb.st_ino;
  gCache[slot].size = sb.st_size;
  gCache[slot].mtime = sb.st_mtim;
  memcpy(gCache[slot].hex, out, QA_ID_HEX);
  return QA_OK;
}

/* ---- the parts -------------------------------------------------------------------- */

int qaIdentityCosts(const QaCostTable *t, const char *label, char out[QA_ID_HEX], QaErr *err) {
  Text x = {0};
  char hex[QA_ID_HEX];
  int rc = QA_OK;
  out[0] = 0;
  put(&x, "costs: %s\n", label ? label : qaCostTableName(t));
  const char *path = qaCostTablePath(t);
  if (path && *path) {
    if ((rc = fileHash(path, hex, err))) goto end;
    put(&x, "table: %s\n", hex);
    /* an Accelergy ERT is read with the ART beside it */
    size_t n = strlen(path);
    if (n > 9 && !strcmp(path + n - 9, ".ERT.yaml")) {
      char art[QA_PATH_MAX];
      snprintf(art, sizeof art, "%.*s.ART.yaml", (int)(n - 9), path);
      if ((rc = fileHash(art, hex, err))) goto end;
      put(&x, "art: %s\n", hex);
    }
  } else {
    put(&x, "table: (built in memory, %d rows)\n", qaCostTableRowCount(t));
  }
  static const char *const kGridClasses[] = {"sram", "edram"};
  for (int i = 0; i < 2; i++) {
    const QaMemGrid *g = qaCostTableMemGrid(t, kGridClasses[i]);
    if (!g) continue;
    char file[QA_PATH_MAX + QA_NAME_MAX + 32];
    snprintf(file, sizeof file, "%s/%s.csv", qaMemGridDir(g), qaMemGridName(g));
    if ((rc = fileHash(file, hex, err))) goto end;
    put(&x, "%s grid %s: %s\n", kGridClasses[i], qaMemGridName(g), hex);
    snprintf(file, sizeof file, "%s/%s_edram_writefix.csv", qaMemGridDir(g), qaMemGridName(g));
    if ((rc = fileHash(file, hex, err))) goto end;
    put(&x, "%s grid %s writefix: %s\n", kGridClasses[i], qaMemGridName(g), hex);
  }
  if (x.oom) {
    rc = qaErrSet(err, QA_EINTERNAL, "out of memory computing a cost table's identity");
    goto end;
  }
  qaSha256Hex(x.s, x.len, out);
end:
  free(x.s);
  return rc;
}

/* The workload part's text into *x. */
static int workloadText(const QaIdentityInput *in, Text *x, QaErr *err) {
  const QaNet *net = in->net;
  int rc = QA_OK;
  QaNet copy = *net;
  char hex[QA_ID_HEX], geom[17];
  copy.layers = qaMalloc((size_t)(net->n_layers ? net->n_layers : 1) * sizeof *copy.layers, err);
  if (!copy.layers) return QA_EINTERNAL;
  memcpy(copy.layers, net->layers, (size_t)net->n_layers * sizeof *copy.layers);
  for (int i = 0; i < net->n_layers; i++)
    for (int k = 0; k < N_TRACE_FIELDS; k++) memset(traceField(&copy.layers[i], k), 0, QA_PATH_MAX);
  qaHashHex(qaNetHash(&copy), geom);
  free(copy.layers);
  put(x, "workload: %s\ngeometry: %s\nlayers: %d\n", net->name, geom, net->n_layers);
  for (int i = 0; i < net->n_layers; i++) {
    QaLayer *l = &net->layers[i];
    /* the layer's own precision (0: the run's, which is part of the config) */
    if (l->a_bits || l->w_bits) put(x, "layer %d bits: a%d w%d\n", i, l->a_bits, l->w_bits);
    for (int k = 0; k < N_TRACE_FIELDS; k++) {
      const char *path = traceField(l, k);
      if (!path[0]) continue;
      if ((rc = fileHash(path, hex, err))) return rc;
      put(x, "layer %d trace %s: %s\n", i, kTraceFields[k].key, hex);
    }
  }
  return QA_OK;
}

/* The config part's text into *x; costs_id gets the cost table's identity. */
static int configText(const QaIdentityInput *in, Text *x, char costs_id[QA_ID_HEX], QaErr *err) {
  int rc;
  costs_id[0] = 0;
  put(x, "qasim design point 1\n");
  put(x, "tool_version: %s\n", in->tool_version ? in->tool_version : "");
  put(x, "arch_config:\n");
  for (const char *p = in->arch_config ? in->arch_config : ""; *p;) {
    size_t n = strcspn(p, "\n");
    put(x, "  %.*s\n", (int)n, p);
    p += n + (p[n] == '\n');
  }
  put(x, "a_bits: %d\nw_bits: %d\n", in->a_bits, in->w_bits);
  put(x, "quant_a: %s\nquant_w: %s\nencoder: %s\n", in->quant_a ? in->quant_a : "",
      in->quant_w ? in->quant_w : "", in->encoder ? in->encoder : "");
  put(x, "seed: %llu\nact_zero_frac: %.17g\nwgt_dist: %s\n", (unsigned long long)in->seed, in->act_zero_frac,
      in->wgt_dist ? in->wgt_dist : "");
  put(x, "timing: %s\nverify: %d\n", in->timing ? in->timing : "", in->verify ? 1 : 0);
  /* added with traced workloads: written only when used, so earlier identities stay */
  if (in->synthetic) put(x, "values: synthetic\n");
  if (in->precision && !strncmp(in->precision, "profile", 7)) {
    put(x, "precision: %s\n", in->precision);
  } else if (in->precision) { /* a precision file: its content */
    char hex[QA_ID_HEX];
    if ((rc = fileHash(in->precision, hex, err))) return rc;
    put(x, "precision file: %s\n", hex);
  }
  if (in->costs) {
    if ((rc = qaIdentityCosts(in->costs, in->costs_label, costs_id, err))) return rc;
    put(x, "costs: %s %s\n", in->costs_label ? in->costs_label : qaCostTableName(in->costs), costs_id);
  } else {
    put(x, "costs: none\n");
  }
  return QA_OK;
}

char *qaIdentityText(const QaIdentityInput *in, QaErr *err) {
  Text x = {0};
  char costs_id[QA_ID_HEX];
  int rc = configText(in, &x, costs_id, err);
  if (!rc) {
    put(&x, "--\n");
    rc = workloadText(in, &x, err);
  }
  if (!rc && x.oom) rc = qaErrSet(err, QA_EINTERNAL, "out of memory writing an identity");
  if (rc) {
    free(x.s);
    return NULL;
  }
  return x.s;
}

int qaIdentityCompute(const QaIdentityInput *in, QaIdentity *out, QaErr *err) {
  Text c = {0}, w = {0}, both = {0};
  int rc;
  memset(out, 0, sizeof *out);
  if (!in || !in->net) return qaErrSet(err, QA_EINTERNAL, "qaIdentityCompute: no network");
  if ((rc = configText(in, &c, out->costs_id, err)) || (rc = workloadText(in, &w, err))) goto end;
  if (c.oom || w.oom) {
    rc = qaErrSet(err, QA_EINTERNAL, "out of memory computing an identity");
    goto end;
  }
  qaSha256Hex(c.s, c.len, out->config_id);
  qaSha256Hex(w.s, w.len, out->workload_id);
  put(&both, "qasim design point 1\nconfig: %s\nworkload: %s\n", out->config_id, out->workload_id);
  if (both.oom) {
    rc = qaErrSet(err, QA_EINTERNAL, "out of memory computing an identity");
    goto end;
  }
  qaSha256Hex(both.s, both.len, out->id);
end:
  free(c.s);
  free(w.s);
  free(both.s);
  return rc;
}
