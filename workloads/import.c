/*
** import.c - DNNsim, SCALE-Sim and Timeloop inputs as networks (see import.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "workloads/import.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/npy.h"
#include "base/parse.h"
#include "base/yaml.h"

#define TEXT_FILE_MAX (4u << 20) /* model.csv, precision.txt, a topology CSV */
#define LAYERS_MAX 100000

/* ---- small helpers ------------------------------------------------------------------- */

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
  return s;
}

static int fileExists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The last path component of PATH without EXT (if it ends with it), into out. */
static void baseName(const char *path, const char *ext, char *out, size_t cap) {
  size_t n = strlen(path);
  while (n > 1 && path[n - 1] == '/') n--;
  const char *b = path + n;
  while (b > path && b[-1] != '/') b--;
  size_t len = (size_t)(path + n - b), el = ext ? strlen(ext) : 0;
  if (el && len > el && !strncmp(b + len - el, ext, el)) len -= el;
  snprintf(out, cap, "%.*s", (int)len, b);
}

/* Split LINE at SEP into at most MAX fields (pointers into LINE, trimmed); returns how many. */
static int splitFields(char *line, char sep, char **f, int max) {
  int n = 0;
  for (char *p = line;;) {
    char *e = strchr(p, sep);
    if (e) *e = 0;
    if (n < max) f[n] = trim(p);
    n++;
    if (!e) break;
    p = e + 1;
  }
  return n;
}

/* A strict decimal integer in [lo, hi] from TEXT, or QA_EUSER "FILE:LINE: FIELD ...". */
static int intField(const char *file, int line, const char *field, const char *text, int lo, int hi, int *out,
                    QaErr *err) {
  int64_t v;
  QaErr e = {0, ""};
  if (qaParseInt64(text, field, lo, hi, &v, &e))
    return qaErrSet(err, QA_EUSER, "%s:%d: %s", file, line, e.msg);
  *out = (int)v;
  return QA_OK;
}

/* Grow *net by one zeroed layer (nets are built row by row). */
static QaLayer *addLayer(QaNet *net, int *cap, QaErr *err) {
  if (net->n_layers >= LAYERS_MAX) {
    qaErrSet(err, QA_EUSER, "%s: more than %d layers", net->source, LAYERS_MAX);
    return NULL;
  }
  if (net->n_layers == *cap) {
    int ncap = *cap ? 2 * *cap : 32;
    QaLayer *g = realloc(net->layers, (size_t)ncap * sizeof *g);
    if (!g) {
      qaErrSet(err, QA_EINTERNAL, "out of memory");
      return NULL;
    }
    net->layers = g;
    *cap = ncap;
  }
  QaLayer *l = &net->layers[net->n_layers++];
  memset(l, 0, sizeof *l);
  return l;
}

/* A new empty network named NAME read from SOURCE. */
static QaNet *newNet(const char *name, const char *source, QaErr *err) {
  QaNet *net = qaNetCreate(name, 0, err);
  if (!net) return NULL;
  net->n_layers = 0;
  snprintf(net->source, sizeof net->source, "%s", source);
  return net;
}

/* ---- DNNsim --------------------------------------------------------------------------- */

/* "DIR/PREFIX NAME SUFFIX" into out; QA_EUSER if too long. */
static int dirFile(const char *dir, const char *prefix, const char *name, const char *suffix,
                   char out[QA_PATH_MAX], QaErr *err) {
  size_t n = strlen(dir);
  const char *sep = n && dir[n - 1] == '/' ? "" : "/";
  if ((size_t)snprintf(out, QA_PATH_MAX, "%s%s%s%s%s", dir, sep, prefix, name, suffix) >= QA_PATH_MAX)
    return qaErrSet(err, QA_EUSER, "%s: path of %s%s%s is too long (at most %d characters)", dir, prefix,
                    name, suffix, QA_PATH_MAX - 1);
  return QA_OK;
}

/* The shape of the .npy at PATH (its data is read and dropped). */
static int npyShape(const char *path, int *ndim, int64_t shape[QA_NPY_MAX_DIMS], QaErr *err) {
  QaArray *a = NULL;
  int rc = qaNpyRead(path, &a, err);
  if (rc) return rc;
  *ndim = a->ndim;
  memcpy(shape, a->shape, sizeof a->shape);
  qaArrayDestroy(a);
  return QA_OK;
}

static int dnnsimPrecision(const char *path, QaNet *net, QaErr *err) {
  char *buf = NULL;
  int rc = qaReadFileMax(path, TEXT_FILE_MAX, "precision file", &buf, NULL, err);
  if (rc) return rc;
  static const char *const what[4] = {"activation magnitude", "activation fraction", "weight magnitude",
                                      "weight fraction"};
  int *v = qaCalloc((size_t)net->n_layers * 4, sizeof *v, err);
  if (!v) {
    free(buf);
    return QA_EINTERNAL;
  }
  char *ln = buf, *next;
  int line = 0, row = -1; /* row -1: the header line */
  for (; ln && row < 4; ln = next) {
    next = strchr(ln, '\n');
    if (next) *next++ = 0;
    line++;
    char *t = trim(ln);
    if (row < 0) {
      row = 0;
      continue;
    }
    if (!*t) continue;
    size_t n = strlen(t);
    if (n && t[n - 1] == ';') t[n - 1] = 0; /* the trailing ';' */
    char **f = qaCalloc((size_t)net->n_layers + 1, sizeof *f, err);
    if (!f) {
      rc = QA_EINTERNAL;
      break;
    }
    int got = splitFields(t, ';', f, net->n_layers + 1);
    if (got != net->n_layers)
      rc = qaErrSet(err, QA_EUSER, "%s:%d: %d %s values for %d layers in model.csv; give one per layer", path,
                    line, got, what[row], net->n_layers);
    for (int i = 0; !rc && i < net->n_layers; i++)
      rc = intField(path, line, what[row], f[i], -64, 64, &v[row * net->n_layers + i], err);
    free(f);
    if (rc) break;
    row++;
  }
  if (!rc && row < 4)
    rc = qaErrSet(
        err, QA_EUSER,
        "%s: %d of 4 value lines (after the header: activation magnitude, activation fraction, weight "
        "magnitude, weight fraction, each ';'-separated per layer)",
        path, row < 0 ? 0 : row);
  for (int i = 0; !rc && i < net->n_layers; i++) {
    int a = v[i] + v[net->n_layers + i], w = v[2 * net->n_layers + i] + v[3 * net->n_layers + i];
    if (a < 1 || a > QA_BITS_MAX || w < 1 || w > QA_BITS_MAX)
      rc = qaErrSet(err, QA_EUSER,
                    "%s: layer %d '%s': magnitude + fraction gives %d activation / %d weight bits, "
                    "outside 1..%d",
                    path, i + 1, net->layers[i].name, a, w, QA_BITS_MAX);
    net->layers[i].a_bits = a;
    net->layers[i].w_bits = w;
  }
  free(v);
  free(buf);
  return rc;
}

/* One model.csv row into a layer: geometry from the arrays' shapes. */
static int dnnsimLayer(const char *dir, const char *csv, int line, char **f, int nf, QaLayer *l, QaErr *err) {
  char name[QA_NAME_MAX];
  int rc, stride = 1, pad = 0, ndim;
  int64_t ws[QA_NPY_MAX_DIMS], as[QA_NPY_MAX_DIMS];
  if (nf < 2 || !f[0][0])
    return qaErrSet(err, QA_EUSER, "%s:%d: a row is Name:Type:Stride:Padding (Type conv or fc)", csv, line);
  if (strlen(f[0]) >= QA_NAME_MAX)
    return qaErrSet(err, QA_EUSER, "%s:%d: layer name is longer than %d characters", csv, line,
                    QA_NAME_MAX - 1);
  snprintf(name, sizeof name, "%s", f[0]);
  for (char *p = name; *p; p++)
    if (*p == '/') *p = '-'; /* DNNsim's file names */
  snprintf(l->name, sizeof l->name, "%s", name);
  const char *t = f[1];
  int fc = !strcasecmp(t, "fc") || !strcasecmp(t, "InnerProduct");
  if (!fc && strcasecmp(t, "conv") && strcasecmp(t, "Convolution"))
    return qaErrSet(err, QA_EUSER, "%s:%d: layer '%s' has type '%.32s'; use conv or fc", csv, line, name, t);
  if (nf > 2 && f[2][0] && (rc = intField(csv, line, "Stride", f[2], 1, 1000000, &stride, err))) return rc;
  if (nf > 3 && f[3][0] && (rc = intField(csv, line, "Padding", f[3], 0, 1000000, &pad, err))) return rc;
  if ((rc = dirFile(dir, "wgt-", name, ".npy", l->wgt_trace, err)) ||
      (rc = dirFile(dir, "act-", name, "-0.npy", l->act_trace, err)))
    return rc;
  const char *need[2] = {l->wgt_trace, l->act_trace};
  for (int i = 0; i < 2; i++)
    if (!fileExists(need[i]))
      return qaErrSet(
          err, QA_EUSER,
          "%s:%d: layer '%s': %s not found; a DNNsim trace directory holds model.csv and, per layer, "
          "wgt-NAME.npy and act-NAME-0.npy",
          csv, line, name, need[i]);
  if ((rc = npyShape(l->wgt_trace, &ndim, ws, err))) return rc;
  int wdim = ndim;
  if ((rc = npyShape(l->act_trace, &ndim, as, err))) return rc;
  l->kind = fc ? QA_LAYER_FC : QA_LAYER_CONV;
  if (fc) {
    int64_t feat = 1;
    for (int i = 1; i < ndim; i++) feat *= as[i];
    if ((wdim != 2 && !(wdim == 4 && ws[2] == 1 && ws[3] == 1)) || ndim < 1)
      return qaErrSet(err, QA_EUSER, "%s: fc weights must be (K, C) or (K, C, 1, 1)", l->wgt_trace);
    if (ndim < 2 || feat != ws[1])
      return qaErrSet(err, QA_EUSER,
                      "%s: activations have %lld features per image but the weights of layer '%s' take %lld; "
                      "they must be (N, C) or (N, C, H, W) with C*H*W = C of the weights",
                      l->act_trace, (long long)feat, name, (long long)ws[1]);
    l->n = (int)as[0];
    l->c = (int)ws[1];
    l->k = (int)ws[0];
  } else {
    if (wdim != 4 || ndim != 4)
      return qaErrSet(
          err, QA_EUSER,
          "layer '%s': conv weights must be (K, C/groups, R, S) and activations (N, C, H, W); got %d-D "
          "%s and %d-D %s",
          name, wdim, l->wgt_trace, ndim, l->act_trace);
    if (ws[1] <= 0 || as[1] % ws[1])
      return qaErrSet(err, QA_EUSER,
                      "layer '%s': the activations' %lld channels are not a multiple of the weights' %lld "
                      "(groups = C / the weights' C)",
                      name, (long long)as[1], (long long)ws[1]);
    l->n = (int)as[0];
    l->c = (int)as[1];
    l->h = (int)as[2];
    l->w = (int)as[3];
    l->k = (int)ws[0];
    l->r = (int)ws[2];
    l->s = (int)ws[3];
    l->groups = (int)(as[1] / ws[1]);
    l->stride_h = l->stride_w = stride;
    l->pad_h = l->pad_w = pad;
  }
  char opt[QA_PATH_MAX];
  if (!(rc = dirFile(dir, "bias-", name, ".npy", opt, err)) && fileExists(opt))
    snprintf(l->bias_trace, sizeof l->bias_trace, "%s", opt);
  if (!rc && !(rc = dirFile(dir, "act-", name, "-0-out.npy", opt, err)) && fileExists(opt))
    snprintf(l->out_trace, sizeof l->out_trace, "%s", opt);
  if (rc) return rc;
  qaLayerNormalize(l);
  if ((rc = qaLayerValidate(l, err))) qaErrPrefix(err, "%s:%d", csv, line);
  return rc;
}

int qaNetLoadDnnsim(const char *dir, QaNet **out, QaErr *err) {
  char csv[QA_PATH_MAX], name[QA_NAME_MAX], prec[QA_PATH_MAX];
  char *buf = NULL;
  QaNet *net = NULL;
  int rc, cap = 0, line = 0;
  *out = NULL;
  if ((rc = dirFile(dir, "model.csv", "", "", csv, err))) return rc;
  if ((rc = qaReadFileMax(csv, TEXT_FILE_MAX, "DNNsim model file", &buf, NULL, err))) return rc;
  baseName(dir, NULL, name, sizeof name);
  if (!(net = newNet(name, dir, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  snprintf(net->about, sizeof net->about, "DNNsim trace directory %s", dir);
  for (char *ln = buf, *next; ln; ln = next) {
    next = strchr(ln, '\n');
    if (next) *next++ = 0;
    line++;
    char *t = trim(ln), *f[4];
    if (!*t || *t == '#') continue;
    int nf = splitFields(t, ':', f, 4);
    if (nf > 4) {
      rc = qaErrSet(err, QA_EUSER, "%s:%d: %d ':'-separated fields; a row is Name:Type:Stride:Padding", csv,
                    line, nf);
      goto end;
    }
    QaLayer *l = addLayer(net, &cap, err);
    if (!l) {
      rc = QA_EINTERNAL;
      goto end;
    }
    if ((rc = dnnsimLayer(dir, csv, line, f, nf, l, err))) goto end;
    for (int j = 0; j + 1 < net->n_layers; j++)
      if (!strcmp(net->layers[j].name, l->name)) {
        rc = qaErrSet(err, QA_EUSER, "%s:%d: layer '%s' is listed twice", csv, line, l->name);
        goto end;
      }
  }
  if (!net->n_layers) {
    rc = qaErrSet(err, QA_EUSER, "%s: no layers (rows Name:Type:Stride:Padding)", csv);
    goto end;
  }
  if ((rc = dirFile(dir, "precision.txt", "", "", prec, err))) goto end;
  if (fileExists(prec) && (rc = dnnsimPrecision(prec, net, err))) goto end;
end:
  free(buf);
  if (rc) {
    qaNetDestroy(net);
    net = NULL;
  }
  *out = net;
  return rc;
}

/* ---- SCALE-Sim ------------------------------------------------------------------------ */

static int scaleSimRow(const char *path, int line, char **f, int nf, QaNet *net, int *cap, QaErr *err) {
  static const char *const cols[] = {"IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width",
                                     "Channels",     "Num Filter",  "Strides",       "Stride Width"};
  int v[8], rc;
  if (nf < 8)
    return qaErrSet(
        err, QA_EUSER,
        "%s:%d: %d fields; a row is 'name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
        "Channels, Num Filter, Strides,'",
        path, line, nf);
  if (nf > 9)
    return qaErrSet(err, QA_EUSER, "%s:%d: %d fields, at most 9 (name and 8 numbers) are known", path, line,
                    nf);
  if (!f[0][0]) return qaErrSet(err, QA_EUSER, "%s:%d: the layer name (first field) is empty", path, line);
  for (int i = 1; i < nf; i++)
    if ((rc = intField(path, line, cols[i - 1], f[i], 1, 1000000, &v[i - 1], err))) return rc;
  if (nf == 8) v[7] = v[6];
  QaLayer *l = addLayer(net, cap, err);
  if (!l) return QA_EINTERNAL;
  snprintf(l->name, sizeof l->name, "%.*s", QA_NAME_MAX - 1, f[0]);
  l->n = 1;
  l->h = v[0], l->w = v[1], l->r = v[2], l->s = v[3], l->c = v[4], l->stride_h = v[6], l->stride_w = v[7];
  int filters = v[5];
  if (strstr(f[0], "DP")) { /* depthwise, filters per channel */
    l->groups = l->c;
    l->k = l->c * filters;
  } else if (filters == 1 && l->c > 1) { /* the other depthwise spelling (noted by the caller) */
    l->groups = l->c;
    l->k = l->c;
  } else {
    l->groups = 1;
    l->k = filters;
  }
  l->kind = l->h == 1 && l->w == 1 && l->r == 1 && l->s == 1 && l->groups == 1 ? QA_LAYER_FC : QA_LAYER_CONV;
  if (l->r > l->h || l->s > l->w)
    return qaErrSet(
        err, QA_EUSER,
        "%s:%d: layer '%s': filter %dx%d is larger than the ifmap %dx%d (SCALE-Sim pads nothing: give "
        "the padded ifmap)",
        path, line, l->name, l->r, l->s, l->h, l->w);
  /* SCALE-Sim: OH = ceil((H - R + stride) / stride); the last window may hang over the
  ** bottom / right edge, which is zero padding there */
  int oh = (l->h - l->r + l->stride_h + l->stride_h - 1) / l->stride_h;
  int ow = (l->w - l->s + l->stride_w + l->stride_w - 1) / l->stride_w;
  l->pad_b = (oh - 1) * l->stride_h + l->r - l->h;
  l->pad_r = (ow - 1) * l->stride_w + l->s - l->w;
  if (l->pad_b >= l->r) { /* a window wholly past the edge (1x1 at stride 2): extend the ifmap */
    l->h += l->pad_b;
    l->pad_b = 0;
  }
  if (l->pad_r >= l->s) {
    l->w += l->pad_r;
    l->pad_r = 0;
  }
  l->pad_asym = l->pad_b || l->pad_r;
  qaLayerNormalize(l);
  if ((rc = qaLayerValidate(l, err))) {
    qaErrPrefix(err, "%s:%d", path, line);
    return rc;
  }
  if (net->n_layers > 1) {
    const QaLayer *p = l - 1;
    if (p->k != l->c &&
        (rc = qaNetNote(net, err,
                        "%s:%d: layer '%s' has %d channels but the previous layer '%s' has %d outputs", path,
                        line, l->name, l->c, p->name, p->k)))
      return rc;
  }
  return QA_OK;
}

int qaNetLoadScaleSim(const char *path, QaNet **out, QaErr *err) {
  char *buf = NULL, name[QA_NAME_MAX];
  QaNet *net = NULL;
  int rc, cap = 0, line = 0, header = 0;
  *out = NULL;
  if ((rc = qaReadFileMax(path, TEXT_FILE_MAX, "SCALE-Sim topology", &buf, NULL, err))) return rc;
  baseName(path, ".csv", name, sizeof name);
  if (!(net = newNet(name, path, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  snprintf(net->about, sizeof net->about, "SCALE-Sim topology %s (shapes only: synthetic values)", path);
  for (char *ln = buf, *next; ln; ln = next) {
    next = strchr(ln, '\n');
    if (next) *next++ = 0;
    line++;
    char *t = trim(ln);
    if (strspn(t, ", \t\r") == strlen(t)) continue; /* blank or all commas */
    if (!header) {                                  /* "Layer name, IFMAP Height, ..." */
      header = 1;
      continue;
    }
    char *f[10];
    int nf = splitFields(t, ',', f, 10);
    while (nf > 0 && nf <= 10 && !f[nf - 1][0]) nf--; /* the trailing comma(s) */
    if ((rc = scaleSimRow(path, line, f, nf, net, &cap, err))) goto end;
  }
  if (!net->n_layers) rc = qaErrSet(err, QA_EUSER, "%s: no layers after the header line", path);
  /* one note for the layers read as depthwise from Channels C, Num Filter 1 */
  char list[256] = "";
  int n_dw = 0;
  for (int i = 0; !rc && i < net->n_layers; i++) {
    const QaLayer *l = &net->layers[i];
    if (l->groups > 1 && l->k == l->c && !strstr(l->name, "DP") && n_dw++ < 4)
      snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", n_dw > 1 ? ", " : "", l->name);
  }
  if (n_dw)
    rc = qaNetNote(net, err, "%s: %d layers with Channels C and Num Filter 1 read as depthwise (%s%s)", path,
                   n_dw, list, n_dw > 4 ? ", ..." : "");
end:
  free(buf);
  if (rc) {
    qaNetDestroy(net);
    net = NULL;
  }
  *out = net;
  return rc;
}

/* ---- Timeloop ------------------------------------------------------------------------- */

int qaIsTimeloopFile(const char *path) {
  FILE *f = fopen(path, "r");
  char line[256];
  int yes = 0;
  if (!f) return 0;
  while (!yes && fgets(line, sizeof line, f)) yes = !strncmp(line, "problem:", 8);
  fclose(f);
  return yes;
}

/* One problem file into layer L named NAME. */
static int timeloopLayer(const char *path, const char *name, QaLayer *l, QaErr *err) {
  static const char *const keys[] = {"C",       "M",       "N",       "P",       "Q",         "R",        "S",
                                     "Hstride", "Wstride", "HStride", "WStride", "Hdilation", "Wdilation"};
  enum { C, M, N, P, Q, R, S, HS, WS, HS2, WS2, HD, WD, NK };
  QaYamlDoc *doc = NULL;
  QaYamlField f[NK];
  int v[NK], rc;
  if ((rc = qaYamlLoadFile(path, "Timeloop problem file", &doc, err))) return rc;
  const QaYamlNode *root = qaYamlRoot(doc), *prob = root ? qaYamlLookup(root, "problem") : NULL;
  const QaYamlNode *inst = prob && qaYamlKind(prob) == QA_YAML_MAP ? qaYamlLookup(prob, "instance") : NULL;
  if (!inst || qaYamlKind(inst) != QA_YAML_MAP) {
    rc = root ? qaYamlFail(prob ? prob : root, err,
                           "a Timeloop v0.4 problem needs problem: {instance: {C, M, P, Q, "
                           "R, S, ...}}")
              : qaYamlFailDoc(doc, err, "file is empty; a Timeloop problem needs problem: {instance: {...}}");
    goto end;
  }
  /* instance keys: those above; anything else (e.g. a sparse problem's densities) is refused */
  if ((rc = qaYamlReadMap(inst, "in 'problem.instance'", keys, NK, f, err))) goto end;
  for (int i = 0; i < NK; i++) {
    v[i] = i == C || i == M || i == P || i == Q || i == R || i == S ? 0 : 1;
    if (f[i].val && (rc = qaYamlGetInt(f[i].val, keys[i], 1, 1000000, &v[i], err))) goto end;
  }
  for (int i = C; i <= S; i++)
    if (i != N && !f[i].val) {
      rc = qaYamlMissing(inst, keys[i], "in 'problem.instance'", err);
      goto end;
    }
  if ((f[HS].val && f[HS2].val) || (f[WS].val && f[WS2].val)) {
    rc = qaYamlFail(inst, err,
                    "'problem.instance' gives both Hstride and HStride (or Wstride and WStride); keep one");
    goto end;
  }
  if (f[HS2].val) v[HS] = v[HS2];
  if (f[WS2].val) v[WS] = v[WS2];
  if (v[HD] != 1 || v[WD] != 1) {
    rc = qaYamlFail(f[v[HD] != 1 ? HD : WD].val, err, "dilation %d is not supported (qasim runs dilation 1)",
                    v[v[HD] != 1 ? HD : WD]);
    goto end;
  }
  snprintf(l->name, sizeof l->name, "%s", name);
  l->kind = QA_LAYER_CONV;
  l->n = v[N], l->c = v[C], l->k = v[M];
  l->r = v[S], l->s = v[R]; /* Timeloop: R, P along W; S, Q along H */
  l->stride_h = v[HS], l->stride_w = v[WS];
  l->h = (v[Q] - 1) * v[HS] + v[S];
  l->w = (v[P] - 1) * v[WS] + v[R];
  l->groups = 1;
  qaLayerNormalize(l);
  if ((rc = qaLayerValidate(l, err))) qaErrPrefix(err, "%s", path);
end:
  qaYamlDestroy(doc);
  return rc;
}

/* Natural order: digit runs compare as numbers (layer2 < layer10). */
static int naturalCmp(const void *pa, const void *pb) {
  const char *a = *(char *const *)pa, *b = *(char *const *)pb;
  while (*a && *b) {
    if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
      char *ea, *eb;
      unsigned long long x = strtoull(a, &ea, 10), y = strtoull(b, &eb, 10);
      if (x != y) return x < y ? -1 : 1;
      a = ea, b = eb;
      continue;
    }
    if (*a != *b) return (unsigned char)*a - (unsigned char)*b;
    a++, b++;
  }
  return (unsigned char)*a - (unsigned char)*b;
}

int qaNetLoadTimeloop(const char *path, QaNet **out, QaErr *err) {
  struct stat st;
  char name[QA_NAME_MAX], file[QA_PATH_MAX];
  QaNet *net = NULL;
  char **names = NULL;
  int n = 0, cap = 0, lcap = 0, rc = QA_OK;
  *out = NULL;
  if (stat(path, &st) != 0) return qaErrSet(err, QA_EUSER, "%s: no such file or directory", path);
  int is_dir = S_ISDIR(st.st_mode);
  baseName(path, is_dir ? NULL : ".yaml", name, sizeof name);
  if (!(net = newNet(name, path, err))) return QA_EINTERNAL;
  snprintf(net->about, sizeof net->about, "Timeloop problem %s %s (shapes only: synthetic values)",
           is_dir ? "directory" : "file", path);
  if (!is_dir) {
    QaLayer *l = addLayer(net, &lcap, err);
    rc = l ? timeloopLayer(path, name, l, err) : QA_EINTERNAL;
    goto end;
  }
  DIR *d = opendir(path);
  if (!d) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot read the directory", path);
    goto end;
  }
  for (struct dirent *e; (e = readdir(d));) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".yaml")) continue;
    if (dirFile(path, e->d_name, "", "", file, err) || !qaIsTimeloopFile(file)) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 16;
      char **g = realloc(names, (size_t)cap * sizeof *g);
      if (!g) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory");
        break;
      }
      names = g;
    }
    if (!(names[n] = strdup(e->d_name))) {
      rc = qaErrSet(err, QA_EINTERNAL, "out of memory");
      break;
    }
    n++;
  }
  closedir(d);
  if (rc) goto end;
  if (!n) {
    rc = qaErrSet(err, QA_EUSER, "%s: no Timeloop problem files (*.yaml with a top-level 'problem:') here",
                  path);
    goto end;
  }
  qsort(names, (size_t)n, sizeof *names, naturalCmp);
  for (int i = 0; i < n && !rc; i++) {
    char lname[QA_NAME_MAX];
    QaLayer *l = addLayer(net, &lcap, err);
    baseName(names[i], ".yaml", lname, sizeof lname);
    if (!l || (rc = dirFile(path, names[i], "", "", file, err))) {
      rc = rc ? rc : QA_EINTERNAL;
      break;
    }
    rc = timeloopLayer(file, lname, l, err);
  }
end:
  for (int i = 0; i < n; i++) free(names[i]);
  free(names);
  if (rc) {
    qaNetDestroy(net);
    net = NULL;
  }
  *out = net;
  return rc;
}
