/*
** netfile.c - YAML network files (format: workloads/README.md) and NAME-or-PATH lookup.
**
** The file is loaded with base/yaml.h (which owns every check on the text and every
** libfyaml call) and walked once: every mapping's keys are checked against a table of
** known keys before any value is read, so a typo is reported as an unknown key rather
** than as a missing one. Every error is one line, "FILE:LINE:COLUMN: message" with a
** 1-based line and column, naming the offending key.
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/strset.h"
#include "base/yaml.h"
#include "workloads/import.h"
#include "workloads/layer.h"

#define DIM_MAX 1000000
#define WHERE_MAX (QA_NAME_MAX + 96) /* "in 'bits' in layer 'NAME'" */
#define WHAT_MAX (WHERE_MAX + 48)    /* "key 'trace.wgt_codes' in layer 'NAME'" */

typedef const QaYamlNode Node;

typedef struct Ctx {
  char dir[QA_PATH_MAX]; /* the file's directory with a trailing '/', or "" */
  QaErr *err;
} Ctx;

/* "key 'KEY' WHERE", the subject of a value's messages. */
typedef struct What {
  char s[WHAT_MAX];
} What;
static What keyWhat(const char *key, const char *where) {
  What w;
  snprintf(w.s, sizeof w.s, "key '%s' %s", key, where);
  return w;
}

/* ---- typed values -------------------------------------------------------------------- */

/* A non-empty one-line string no longer than cap-1 bytes. */
static int getStr(const Ctx *x, Node *v, const char *key, const char *where, char *out, size_t cap) {
  What w = keyWhat(key, where);
  if (qaYamlGetStr(v, w.s, out, cap, x->err)) return QA_EUSER;
  if (!out[0]) return qaYamlFail(v, x->err, "%s must not be empty", w.s);
  return QA_OK;
}

static int getInt(const Ctx *x, Node *v, const char *key, const char *where, int lo, int hi, int *out) {
  return qaYamlGetInt(v, keyWhat(key, where).s, lo, hi, out, x->err);
}

static int getInts(const Ctx *x, Node *v, const char *key, const char *where, int n, int lo, int hi,
                   int allow_scalar, int out[]) {
  return qaYamlGetInts(v, keyWhat(key, where).s, n, lo, hi, allow_scalar, out, NULL, x->err);
}

/* bits: {a: A, w: W}; fields not given are left unchanged. */
static int getBits(const Ctx *x, Node *v, const char *where, int *a_bits, int *w_bits) {
  static const char *const keys[] = {"a", "w"};
  QaYamlField f[2];
  char sub[WHERE_MAX + 16];
  if (qaYamlKind(v) != QA_YAML_MAP)
    return qaYamlFail(v, x->err, "key 'bits' %s must be a mapping like {a: 8, w: 8}, not %s", where,
                      qaYamlKindName(v));
  snprintf(sub, sizeof sub, "in 'bits' %s", where);
  if (qaYamlReadMap(v, sub, keys, 2, f, x->err)) return QA_EUSER;
  if (f[0].val && getInt(x, f[0].val, "bits.a", where, 1, QA_BITS_MAX, a_bits)) return QA_EUSER;
  if (f[1].val && getInt(x, f[1].val, "bits.w", where, 1, QA_BITS_MAX, w_bits)) return QA_EUSER;
  return QA_OK;
}

/* A trace path: absolute paths are kept, relative ones are joined to the file's directory. */
static int getTracePath(const Ctx *x, Node *v, const char *key, const char *where, char out[QA_PATH_MAX]) {
  char rel[QA_PATH_MAX];
  if (getStr(x, v, key, where, rel, sizeof rel)) return QA_EUSER;
  const char *dir = rel[0] == '/' ? "" : x->dir;
  if (strlen(dir) + strlen(rel) >= QA_PATH_MAX)
    return qaYamlFail(v, x->err, "key '%s' %s: path is too long (at most %d characters)", key, where,
                      QA_PATH_MAX - 1);
  size_t nd = strlen(dir);
  memcpy(out, dir, nd);
  memcpy(out + nd, rel, strlen(rel) + 1);
  return QA_OK;
}

/* trace: {act, wgt, bias, out, wgt_codes, wgt_scale}: file paths (workloads/README.md). */
static int getTrace(const Ctx *x, Node *v, const char *where, QaLayer *l) {
  static const char *const keys[] = {"act", "wgt", "bias", "out", "wgt_codes", "wgt_scale"};
  enum { N_KEYS = sizeof keys / sizeof keys[0] };
  char *dst[N_KEYS] = {l->act_trace, l->wgt_trace,       l->bias_trace,
                       l->out_trace, l->wgt_codes_trace, l->wgt_scale_trace};
  QaYamlField f[N_KEYS];
  char sub[WHERE_MAX + 16];
  if (qaYamlKind(v) != QA_YAML_MAP)
    return qaYamlFail(v, x->err,
                      "key 'trace' %s must be a mapping like {act: a.npy, wgt: w.npy}, "
                      "not %s",
                      where, qaYamlKindName(v));
  snprintf(sub, sizeof sub, "in 'trace' %s", where);
  if (qaYamlReadMap(v, sub, keys, N_KEYS, f, x->err)) return QA_EUSER;
  for (int i = 0; i < N_KEYS; i++) {
    char key[32];
    snprintf(key, sizeof key, "trace.%s", keys[i]);
    if (f[i].val && getTracePath(x, f[i].val, key, where, dst[i])) return QA_EUSER;
  }
  if (!l->wgt_codes_trace[0] != !l->wgt_scale_trace[0])
    return qaYamlFail(v, x->err, "key 'trace' %s: wgt_codes and wgt_scale go together (give both or neither)",
                      where);
  return QA_OK;
}

/* quant: {a: SPEC, w: SPEC}: quantizer spec texts, checked by the run (quant/quant.h). */
static int getQuant(const Ctx *x, Node *v, const char *where, QaLayer *l) {
  static const char *const keys[] = {"a", "w"};
  QaYamlField f[2];
  char sub[WHERE_MAX + 16];
  if (qaYamlKind(v) != QA_YAML_MAP)
    return qaYamlFail(v, x->err, "key 'quant' %s must be a mapping like {a: unsigned, w: sym-ch}, not %s",
                      where, qaYamlKindName(v));
  snprintf(sub, sizeof sub, "in 'quant' %s", where);
  if (qaYamlReadMap(v, sub, keys, 2, f, x->err)) return QA_EUSER;
  if (f[0].val && getStr(x, f[0].val, "quant.a", where, l->quant_a, sizeof l->quant_a)) return QA_EUSER;
  if (f[1].val && getStr(x, f[1].val, "quant.w", where, l->quant_w, sizeof l->quant_w)) return QA_EUSER;
  return QA_OK;
}

/* ---- layers -------------------------------------------------------------------------- */

enum {
  K_NAME,
  K_TYPE,
  K_INPUT,
  K_C,
  K_FILTERS,
  K_OUTPUTS,
  K_KERNEL,
  K_STRIDE,
  K_PADDING,
  K_GROUPS,
  K_BITS,
  K_QUANT,
  K_TRACE,
  K_COUNT
};
static const char *const LAYER_KEYS[K_COUNT] = {"name",    "type",   "input",  "c",       "filters",
                                                "outputs", "kernel", "stride", "padding", "groups",
                                                "bits",    "quant",  "trace"};
enum { T_CONV, T_FC, T_DWCONV };

/* Parse one list item of `layers` into l (n, default bits are set by the caller). */
static int parseLayer(const Ctx *x, Node *m, int index, QaLayer *l) {
  QaYamlField e[K_COUNT];
  char where[WHERE_MAX];
  snprintf(where, sizeof where, "in layer #%d", index + 1);
  if (qaYamlKind(m) != QA_YAML_MAP)
    return qaYamlFail(m, x->err, "layer #%d must be a mapping (name: ..., type: ...), not %s", index + 1,
                      qaYamlKindName(m));
  /* Read the name first so that every later message can name the layer. */
  const char *nms = qaYamlScalar(qaYamlLookup(m, "name"));
  char nm_text[QA_NAME_MAX];
  if (nms && nms[0] && strlen(nms) < QA_NAME_MAX) {
    qaYamlEscape(nms, nm_text, sizeof nm_text);
    snprintf(where, sizeof where, "in layer '%s'", nm_text);
  }
  if (qaYamlReadMap(m, where, LAYER_KEYS, K_COUNT, e, x->err)) return QA_EUSER;

  static const int required[] = {K_NAME, K_TYPE};
  for (int i = 0; i < 2; i++)
    if (!e[required[i]].val) return qaYamlMissing(m, LAYER_KEYS[required[i]], where, x->err);
  if (getStr(x, e[K_NAME].val, "name", where, l->name, sizeof l->name)) return QA_EUSER;

  Node *tv = e[K_TYPE].val;
  const char *type = qaYamlScalar(tv);
  int t;
  if (!type || qaYamlIsNull(tv))
    return qaYamlFail(tv, x->err, "key 'type' %s must be conv, fc or dwconv, not %s", where,
                      qaYamlKindName(tv));
  if (strcmp(type, "conv") == 0)
    t = T_CONV;
  else if (strcmp(type, "fc") == 0)
    t = T_FC;
  else if (strcmp(type, "dwconv") == 0)
    t = T_DWCONV;
  else {
    char got[64];
    qaYamlEscape(type, got, sizeof got);
    return qaYamlFail(tv, x->err, "key 'type' %s must be conv, fc or dwconv (got '%s')", where, got);
  }

  /* Keys that do not apply to this layer type. */
  static const int conv_only[] = {K_FILTERS, K_KERNEL, K_STRIDE, K_PADDING, K_GROUPS};
  for (size_t i = 0; i < sizeof conv_only / sizeof conv_only[0]; i++)
    if (t == T_FC && e[conv_only[i]].key)
      return qaYamlFail(e[conv_only[i]].key, x->err, "key '%s' %s does not apply to an fc layer%s",
                        LAYER_KEYS[conv_only[i]], where, conv_only[i] == K_FILTERS ? " (use 'outputs')" : "");
  if (t != T_FC && e[K_OUTPUTS].key)
    return qaYamlFail(e[K_OUTPUTS].key, x->err, "key 'outputs' %s applies to fc layers only (use 'filters')",
                      where);
  if (t != T_FC && e[K_C].key)
    return qaYamlFail(e[K_C].key, x->err, "key 'c' %s applies to fc layers only (use input: [C, H, W])",
                      where);

  l->kind = t == T_FC ? QA_LAYER_FC : QA_LAYER_CONV;
  if (t == T_FC) {
    if (e[K_INPUT].val && e[K_C].val)
      return qaYamlFail(e[K_C].key, x->err, "keys 'input' and 'c' %s both give the input features; keep one",
                        where);
    if (e[K_C].val) {
      if (getInt(x, e[K_C].val, "c", where, 1, DIM_MAX, &l->c)) return QA_EUSER;
    } else if (e[K_INPUT].val) {
      Node *v = e[K_INPUT].val;
      int chw[3] = {1, 1, 1};
      if (qaYamlKind(v) == QA_YAML_SEQ && qaYamlCount(v) == 3) {
        /* [C, H, W]: the flattened feature map */
        if (getInts(x, v, "input", where, 3, 1, DIM_MAX, 0, chw)) return QA_EUSER;
        int64_t f = (int64_t)chw[0] * chw[1] * chw[2];
        if (f > DIM_MAX)
          return qaYamlFail(v, x->err, "key 'input' %s flattens to %lld features (at most %d)", where,
                            (long long)f, DIM_MAX);
        l->c = (int)f;
      } else if (qaYamlKind(v) == QA_YAML_SEQ && qaYamlCount(v) != 1) {
        return qaYamlFail(v, x->err,
                          "key 'input' %s must be an integer, [C] or "
                          "[C, H, W] for an fc layer (got a list of %d)",
                          where, qaYamlCount(v));
      } else {
        if (getInts(x, v, "input", where, 1, 1, DIM_MAX, 1, chw)) return QA_EUSER;
        l->c = chw[0];
      }
    } else {
      return qaYamlMissing(m, "input", where, x->err);
    }
    if (!e[K_OUTPUTS].val) return qaYamlMissing(m, "outputs", where, x->err);
    if (getInt(x, e[K_OUTPUTS].val, "outputs", where, 1, DIM_MAX, &l->k)) return QA_EUSER;
  } else {
    int chw[3], two[2];
    if (!e[K_INPUT].val) return qaYamlMissing(m, "input", where, x->err);
    if (getInts(x, e[K_INPUT].val, "input", where, 3, 1, DIM_MAX, 0, chw)) return QA_EUSER;
    l->c = chw[0];
    l->h = chw[1];
    l->w = chw[2];
    if (e[K_FILTERS].val) {
      if (getInt(x, e[K_FILTERS].val, "filters", where, 1, DIM_MAX, &l->k)) return QA_EUSER;
    } else if (t == T_DWCONV) {
      l->k = l->c;
    } else {
      return qaYamlMissing(m, "filters", where, x->err);
    }
    if (!e[K_KERNEL].val) return qaYamlMissing(m, "kernel", where, x->err);
    if (getInts(x, e[K_KERNEL].val, "kernel", where, 2, 1, DIM_MAX, 1, two)) return QA_EUSER;
    l->r = two[0];
    l->s = two[1];
    l->stride_h = l->stride_w = 1;
    if (e[K_STRIDE].val) {
      if (getInts(x, e[K_STRIDE].val, "stride", where, 2, 1, DIM_MAX, 1, two)) return QA_EUSER;
      l->stride_h = two[0];
      l->stride_w = two[1];
    }
    if (e[K_PADDING].val) {
      Node *v = e[K_PADDING].val;
      const char *s = qaYamlScalar(v);
      if (s && strcmp(s, "same") == 0) {
        if (l->r % 2 == 0 || l->s % 2 == 0 || l->stride_h != 1 || l->stride_w != 1)
          return qaYamlFail(v, x->err,
                            "key 'padding' %s: 'same' needs an odd kernel and "
                            "stride 1 (got kernel %dx%d, stride %dx%d); give the padding as numbers",
                            where, l->r, l->s, l->stride_h, l->stride_w);
        l->pad_h = (l->r - 1) / 2;
        l->pad_w = (l->s - 1) / 2;
      } else if (qaYamlKind(v) == QA_YAML_SEQ && qaYamlCount(v) == 4) {
        int tblr[4]; /* [top, bottom, left, right], e.g. TF 'same' at stride 2 */
        if (getInts(x, v, "padding", where, 4, 0, DIM_MAX, 0, tblr)) return QA_EUSER;
        l->pad_h = tblr[0];
        l->pad_b = tblr[1];
        l->pad_w = tblr[2];
        l->pad_r = tblr[3];
        l->pad_asym = tblr[0] != tblr[1] || tblr[2] != tblr[3];
      } else {
        if (qaYamlKind(v) == QA_YAML_SEQ && qaYamlCount(v) != 2 && qaYamlCount(v) != 1)
          return qaYamlFail(v, x->err,
                            "key 'padding' %s must be N, [ph, pw], [top, bottom, left, right] or same (got a "
                            "list of %d)",
                            where, qaYamlCount(v));
        if (getInts(x, v, "padding", where, 2, 0, DIM_MAX, 1, two)) return QA_EUSER;
        l->pad_h = two[0];
        l->pad_w = two[1];
      }
    }
    l->groups = 1;
    if (e[K_GROUPS].val && getInt(x, e[K_GROUPS].val, "groups", where, 1, DIM_MAX, &l->groups))
      return QA_EUSER;
    if (t == T_DWCONV) {
      if (e[K_GROUPS].val && l->groups != l->c)
        return qaYamlFail(e[K_GROUPS].val, x->err,
                          "key 'groups' %s must equal the input channels %d for a "
                          "dwconv layer (got %d)",
                          where, l->c, l->groups);
      l->groups = l->c;
    }
  }
  if (e[K_BITS].val && getBits(x, e[K_BITS].val, where, &l->a_bits, &l->w_bits)) return QA_EUSER;
  if (e[K_QUANT].val && getQuant(x, e[K_QUANT].val, where, l)) return QA_EUSER;
  if (e[K_TRACE].val && getTrace(x, e[K_TRACE].val, where, l)) return QA_EUSER;
  return QA_OK;
}

/* ---- the file ------------------------------------------------------------------------ */

enum { N_NAME, N_SOURCE, N_BATCH, N_BITS, N_LAYERS, N_COUNT };
static const char *const NET_KEYS[N_COUNT] = {"name", "source", "batch", "bits", "layers"};

int qaNetLoadYaml(const char *path, QaNet **out, QaErr *err) {
  int rc = QA_OK;
  QaErr local = {0, ""};
  Ctx x = {"", err ? err : &local};
  QaYamlDoc *doc = NULL;
  QaNet *net = NULL;
  QaStrSet names; /* layer name -> its index: duplicates found in linear time */
  qaStrSetInit(&names);
  *out = NULL;

  if (strlen(path) >= QA_PATH_MAX)
    return qaErrSet(x.err, QA_EUSER, "%s: path is too long (at most %d characters)", path, QA_PATH_MAX - 1);
  const char *slash = strrchr(path, '/');
  if (slash) snprintf(x.dir, sizeof x.dir, "%.*s", (int)(slash - path + 1), path);

  if ((rc = qaYamlLoadFile(path, "network file", &doc, x.err)) != QA_OK) goto end;
  Node *root = qaYamlRoot(doc);
  if (!root) {
    rc = qaYamlFailDoc(doc, x.err, "file is empty or not a YAML document");
    goto end;
  }
  if (qaYamlKind(root) != QA_YAML_MAP) {
    rc = qaYamlFail(root, x.err,
                    "the top level must be a mapping with keys name, source, batch, "
                    "bits, layers (got %s)",
                    qaYamlKindName(root));
    goto end;
  }
  QaYamlField e[N_COUNT];
  const char *top = "at the top level";
  if ((rc = qaYamlReadMap(root, top, NET_KEYS, N_COUNT, e, x.err)) != QA_OK) goto end;
  char name[QA_NAME_MAX];
  int batch = 1, a_bits = 0, w_bits = 0;
  if (!e[N_NAME].val) {
    rc = qaYamlMissing(root, "name", top, x.err);
    goto end;
  }
  if ((rc = getStr(&x, e[N_NAME].val, "name", top, name, sizeof name))) goto end;
  if (e[N_BATCH].val && (rc = getInt(&x, e[N_BATCH].val, "batch", top, 1, DIM_MAX, &batch))) goto end;
  if (e[N_BITS].val && (rc = getBits(&x, e[N_BITS].val, top, &a_bits, &w_bits))) goto end;
  if (!e[N_LAYERS].val) {
    rc = qaYamlMissing(root, "layers", top, x.err);
    goto end;
  }
  Node *seq = e[N_LAYERS].val;
  if (qaYamlKind(seq) != QA_YAML_SEQ) {
    rc = qaYamlFail(seq, x.err, "key 'layers' must be a list of layers, not %s", qaYamlKindName(seq));
    goto end;
  }
  int n = qaYamlCount(seq);
  if (n <= 0) {
    rc = qaYamlFail(e[N_LAYERS].key, x.err,
                    "key 'layers' is an empty list; a network needs at least one "
                    "layer");
    goto end;
  }
  net = qaNetCreate(name, n, x.err);
  if (!net) {
    rc = QA_EINTERNAL;
    goto end;
  }
  snprintf(net->source, sizeof net->source, "%s", path);
  if (e[N_SOURCE].val && (rc = qaYamlGetStr(e[N_SOURCE].val, "key 'source' at the top level", net->about,
                                            sizeof net->about, x.err)))
    goto end;
  for (int i = 0; i < n; i++) {
    QaLayer *l = &net->layers[i];
    Node *item = qaYamlItem(seq, i);
    if ((rc = parseLayer(&x, item, i, l)) != QA_OK) goto end;
    int j; /* a file may hold QA_YAML_ITEMS_MAX layers: a hash set, not a pairwise check */
    if ((rc = qaStrSetAdd(&names, l->name, i, &j, x.err))) goto end;
    if (j >= 0) {
      rc = qaYamlFail(item, x.err, "duplicate layer name '%s' (key 'name'; first used at line %d)", l->name,
                      qaYamlLine(qaYamlItem(seq, j)));
      goto end;
    }
    l->n = batch;
    if (!l->a_bits) l->a_bits = a_bits;
    if (!l->w_bits) l->w_bits = w_bits;
    qaLayerNormalize(l);
    if ((rc = qaLayerValidate(l, x.err)) != QA_OK) {
      qaErrPrefix(x.err, "%s:%d:%d", qaYamlName(doc), qaYamlLine(item), qaYamlColumn(item));
      goto end;
    }
  }
end:
  qaYamlDestroy(doc);
  qaStrSetFree(&names);
  if (rc != QA_OK) {
    qaNetDestroy(net);
    net = NULL;
  }
  *out = net;
  return rc;
}

static int endsWith(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A directory: the tracer's DIR/net.yaml, a DNNsim directory (model.csv) or Timeloop problems. */
static int openDir(const char *dir, QaNet **out, QaErr *err) {
  char path[QA_PATH_MAX];
  struct stat st;
  size_t n = strlen(dir);
  const char *sep = n && dir[n - 1] == '/' ? "" : "/";
  if ((size_t)snprintf(path, sizeof path, "%s%snet.yaml", dir, sep) < sizeof path && stat(path, &st) == 0)
    return qaNetLoadYaml(path, out, err);
  if ((size_t)snprintf(path, sizeof path, "%s%smodel.csv", dir, sep) < sizeof path && stat(path, &st) == 0)
    return qaNetLoadDnnsim(dir, out, err);
  int rc = qaNetLoadTimeloop(dir, out, err);
  if (rc != QA_EUSER || !strstr(err ? err->msg : "", "no Timeloop problem files")) return rc;
  return qaErrSet(err, QA_EUSER,
                  "%s: not a network directory: expected net.yaml (the qasim tracer's), model.csv with "
                  "wgt-NAME.npy and act-NAME-0.npy per layer (DNNsim), or Timeloop problem *.yaml files",
                  dir);
}

int qaNetOpen(const char *name_or_path, QaNet **out, QaErr *err) {
  QaErr berr = {0, ""};
  struct stat st;
  *out = NULL;
  if (!name_or_path || !name_or_path[0])
    return qaNetBuiltin("", out, err); /* the unknown-network message lists the names */
  int rc = qaNetBuiltin(name_or_path, out, &berr);
  if (rc == QA_OK) return QA_OK;
  if (rc != QA_EUSER) return qaErrSet(err, rc, "%s", berr.msg);
  int exists = stat(name_or_path, &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) return openDir(name_or_path, out, err);
  if (endsWith(name_or_path, ".csv")) return qaNetLoadScaleSim(name_or_path, out, err);
  if (exists && S_ISREG(st.st_mode) && qaIsTimeloopFile(name_or_path))
    return qaNetLoadTimeloop(name_or_path, out, err);
  if ((exists && S_ISREG(st.st_mode)) || endsWith(name_or_path, ".yaml") || endsWith(name_or_path, ".yml"))
    return qaNetLoadYaml(name_or_path, out, err);
  return qaErrSet(err, QA_EUSER, "%s", berr.msg); /* "unknown network ...; built-in networks: ..." */
}
