/*
** netfile.c - YAML network files (format: workloads/README.md) and NAME-or-PATH lookup.
**
** The file is parsed into a libfyaml document with the library's own diagnostics
** collected instead of printed, then walked once: every mapping's keys are checked
** against a table of known keys before any value is read, so a typo is reported as
** an unknown key rather than as a missing one. Every error is one line,
** "FILE:LINE: message" with a 1-based line, naming the offending key.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "workloads/layer.h"

#define DIM_MAX 1000000
#define WHERE_MAX (QA_NAME_MAX + 96) /* "in 'bits' in layer 'NAME'" */

typedef struct Ctx {
  const char *path;      /* the file as the user named it (for messages) */
  char dir[QA_PATH_MAX]; /* its directory with a trailing '/', or "" */
  QaErr *err;
} Ctx;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(const Ctx *x, int line, const char *fmt, ...) {
  char msg[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (line > 0) return qaErrSet(x->err, QA_EUSER, "%s:%d: %s", x->path, line, msg);
  return qaErrSet(x->err, QA_EUSER, "%s: %s", x->path, msg);
}

/* 1-based line where node starts (a collection: its first entry), or fallback. */
static int lineOf(struct fy_node *n, int fallback) {
  if (!n) return fallback;
  void *it = NULL;
  switch (fy_node_get_type(n)) {
    case FYNT_SCALAR: {
      struct fy_token *t = fy_node_get_scalar_token(n);
      const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
      return m ? m->line + 1 : fallback;
    }
    case FYNT_SEQUENCE:
      return lineOf(fy_node_sequence_iterate(n, &it), fallback);
    case FYNT_MAPPING: {
      struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
      return p ? lineOf(fy_node_pair_key(p), fallback) : fallback;
    }
  }
  return fallback;
}

static const char *typeName(struct fy_node *n) {
  if (!n) return "nothing";
  switch (fy_node_get_type(n)) {
    case FYNT_SEQUENCE:
      return "a list";
    case FYNT_MAPPING:
      return "a mapping";
    default:
      return "a scalar";
  }
}

/* ---- keys ---------------------------------------------------------------------------- */

/* One mapping's entries by known-key index, with the 1-based line of each key. */
#define KEYS_MAX 16
typedef struct Entries {
  struct fy_node *val[KEYS_MAX];
  int line[KEYS_MAX];
  int have[KEYS_MAX];
} Entries;

static void joinKeys(const char *const *keys, int n, char *buf, size_t cap) {
  size_t used = 0;
  buf[0] = 0;
  for (int i = 0; i < n && used < cap; i++)
    used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", keys[i]);
}

/* Sort the entries of mapping m into e by the index of their key in keys[]; an unknown
** or non-string key is an error naming `where` (e.g. "in layer 'conv1'"). */
static int readEntries(const Ctx *x, struct fy_node *m, const char *const *keys, int n_keys,
                       const char *where, Entries *e) {
  memset(e, 0, sizeof *e);
  void *it = NULL;
  struct fy_node_pair *p;
  while ((p = fy_node_mapping_iterate(m, &it)) != NULL) {
    struct fy_node *k = fy_node_pair_key(p);
    int line = lineOf(k, lineOf(m, 0));
    const char *ks = (k && fy_node_get_type(k) == FYNT_SCALAR) ? fy_node_get_scalar0(k) : NULL;
    if (!ks) return fail(x, line, "keys %s must be plain words, not %s", where, typeName(k));
    int idx = -1;
    for (int i = 0; i < n_keys; i++)
      if (strcmp(ks, keys[i]) == 0) idx = i;
    if (idx < 0) {
      char known[256];
      joinKeys(keys, n_keys, known, sizeof known);
      return fail(x, line, "unknown key '%s' %s (known: %s)", ks, where, known);
    }
    e->val[idx] = fy_node_pair_value(p);
    e->line[idx] = line;
    e->have[idx] = 1;
  }
  return QA_OK;
}

/* ---- typed values -------------------------------------------------------------------- */

/* A string scalar no longer than cap-1 bytes. */
static int getStr(const Ctx *x, struct fy_node *v, int line, const char *key, const char *where, char *out,
                  size_t cap) {
  const char *s = (v && fy_node_get_type(v) == FYNT_SCALAR) ? fy_node_get_scalar0(v) : NULL;
  if (!s) return fail(x, line, "key '%s' %s must be a string, not %s", key, where, typeName(v));
  if (!s[0]) return fail(x, line, "key '%s' %s must not be empty", key, where);
  if (strlen(s) >= cap)
    return fail(x, line, "key '%s' %s is too long (at most %zu characters)", key, where, cap - 1);
  memcpy(out, s, strlen(s) + 1);
  return QA_OK;
}

/* An integer scalar in [lo, hi]. */
static int getInt(const Ctx *x, struct fy_node *v, int line, const char *key, const char *where, int lo,
                  int hi, int *out) {
  const char *s = (v && fy_node_get_type(v) == FYNT_SCALAR) ? fy_node_get_scalar0(v) : NULL;
  line = lineOf(v, line);
  if (!s) return fail(x, line, "key '%s' %s must be an integer, not %s", key, where, typeName(v));
  char *endp = NULL;
  errno = 0;
  long long val = strtoll(s, &endp, 10);
  if (!s[0] || *endp || errno == ERANGE)
    return fail(x, line, "key '%s' %s must be an integer (got '%s')", key, where, s);
  if (val < lo || val > hi)
    return fail(x, line, "key '%s' %s = %lld is out of range [%d, %d]", key, where, val, lo, hi);
  *out = (int)val;
  return QA_OK;
}

/* An integer or a list of `n` integers, each in [lo, hi]; a scalar fills all n.
** Returns in *count how many were given (1 for a scalar). */
static int getInts(const Ctx *x, struct fy_node *v, int line, const char *key, const char *where, int n,
                   int lo, int hi, int allow_scalar, int out[], int *count) {
  if (v && fy_node_get_type(v) == FYNT_SCALAR && allow_scalar) {
    if (getInt(x, v, line, key, where, lo, hi, &out[0])) return QA_EUSER;
    for (int i = 1; i < n; i++) out[i] = out[0];
    if (count) *count = 1;
    return QA_OK;
  }
  if (!v || fy_node_get_type(v) != FYNT_SEQUENCE)
    return fail(x, lineOf(v, line), "key '%s' %s must be %sa list of %d integers, not %s", key, where,
                allow_scalar ? "an integer or " : "", n, typeName(v));
  int len = fy_node_sequence_item_count(v);
  if (len != n)
    return fail(x, lineOf(v, line), "key '%s' %s must be %sa list of %d integers (got a list of %d)", key,
                where, allow_scalar ? "an integer or " : "", n, len);
  void *it = NULL;
  for (int i = 0; i < n; i++)
    if (getInt(x, fy_node_sequence_iterate(v, &it), line, key, where, lo, hi, &out[i])) return QA_EUSER;
  if (count) *count = n;
  return QA_OK;
}

/* bits: {a: A, w: W}; fields not given are left unchanged. */
static int getBits(const Ctx *x, struct fy_node *v, int line, const char *where, int *a_bits, int *w_bits) {
  static const char *const keys[] = {"a", "w"};
  Entries e;
  char sub[WHERE_MAX + 16];
  if (!v || fy_node_get_type(v) != FYNT_MAPPING)
    return fail(x, lineOf(v, line), "key 'bits' %s must be a mapping like {a: 8, w: 8}, not %s", where,
                typeName(v));
  snprintf(sub, sizeof sub, "in 'bits' %s", where);
  if (readEntries(x, v, keys, 2, sub, &e)) return QA_EUSER;
  if (e.have[0] && getInt(x, e.val[0], e.line[0], "bits.a", where, 1, QA_BITS_MAX, a_bits)) return QA_EUSER;
  if (e.have[1] && getInt(x, e.val[1], e.line[1], "bits.w", where, 1, QA_BITS_MAX, w_bits)) return QA_EUSER;
  return QA_OK;
}

/* A trace path: absolute paths are kept, relative ones are joined to the file's directory. */
static int getTracePath(const Ctx *x, struct fy_node *v, int line, const char *key, const char *where,
                        char out[QA_PATH_MAX]) {
  char rel[QA_PATH_MAX];
  if (getStr(x, v, line, key, where, rel, sizeof rel)) return QA_EUSER;
  const char *dir = rel[0] == '/' ? "" : x->dir;
  if (strlen(dir) + strlen(rel) >= QA_PATH_MAX)
    return fail(x, lineOf(v, line), "key '%s' %s: path is too long (at most %d characters)", key, where,
                QA_PATH_MAX - 1);
  size_t nd = strlen(dir);
  memcpy(out, dir, nd);
  memcpy(out + nd, rel, strlen(rel) + 1);
  return QA_OK;
}

static int getTrace(const Ctx *x, struct fy_node *v, int line, const char *where, QaLayer *l) {
  static const char *const keys[] = {"act", "wgt"};
  Entries e;
  char sub[WHERE_MAX + 16];
  if (!v || fy_node_get_type(v) != FYNT_MAPPING)
    return fail(x, lineOf(v, line),
                "key 'trace' %s must be a mapping like {act: a.npy, wgt: w.npy}, "
                "not %s",
                where, typeName(v));
  snprintf(sub, sizeof sub, "in 'trace' %s", where);
  if (readEntries(x, v, keys, 2, sub, &e)) return QA_EUSER;
  if (e.have[0] && getTracePath(x, e.val[0], e.line[0], "trace.act", where, l->act_trace)) return QA_EUSER;
  if (e.have[1] && getTracePath(x, e.val[1], e.line[1], "trace.wgt", where, l->wgt_trace)) return QA_EUSER;
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
  K_TRACE,
  K_COUNT
};
static const char *const LAYER_KEYS[K_COUNT] = {"name",   "type",   "input",   "c",      "filters", "outputs",
                                                "kernel", "stride", "padding", "groups", "bits",    "trace"};
enum { T_CONV, T_FC, T_DWCONV };

/* Parse one list item of `layers` into l (n, default bits are set by the caller). */
static int parseLayer(const Ctx *x, struct fy_node *m, int index, QaLayer *l, int *out_line) {
  Entries e;
  char where[WHERE_MAX];
  int line = lineOf(m, 0);
  *out_line = line;
  snprintf(where, sizeof where, "in layer #%d", index + 1);
  if (!m || fy_node_get_type(m) != FYNT_MAPPING)
    return fail(x, line, "layer #%d must be a mapping (name: ..., type: ...), not %s", index + 1,
                typeName(m));
  /* Read the name first so that every later message can name the layer. */
  struct fy_node *nm = fy_node_mapping_lookup_value_by_string(m, "name", FY_NT);
  const char *nms = (nm && fy_node_get_type(nm) == FYNT_SCALAR) ? fy_node_get_scalar0(nm) : NULL;
  if (nms && nms[0] && strlen(nms) < QA_NAME_MAX) snprintf(where, sizeof where, "in layer '%s'", nms);
  if (readEntries(x, m, LAYER_KEYS, K_COUNT, where, &e)) return QA_EUSER;

  static const char *const required[] = {"name", "type"};
  for (int i = 0; i < 2; i++)
    if (!e.have[i]) return fail(x, line, "missing required key '%s' %s", required[i], where);
  if (getStr(x, e.val[K_NAME], e.line[K_NAME], "name", where, l->name, sizeof l->name)) return QA_EUSER;

  struct fy_node *tv = e.val[K_TYPE];
  const char *type = (tv && fy_node_get_type(tv) == FYNT_SCALAR) ? fy_node_get_scalar0(tv) : NULL;
  int t;
  if (!type)
    return fail(x, lineOf(tv, e.line[K_TYPE]), "key 'type' %s must be conv, fc or dwconv, not %s", where,
                typeName(tv));
  if (strcmp(type, "conv") == 0)
    t = T_CONV;
  else if (strcmp(type, "fc") == 0)
    t = T_FC;
  else if (strcmp(type, "dwconv") == 0)
    t = T_DWCONV;
  else
    return fail(x, lineOf(tv, e.line[K_TYPE]), "key 'type' %s must be conv, fc or dwconv (got '%s')", where,
                type);

  /* Keys that do not apply to this layer type. */
  static const int conv_only[] = {K_FILTERS, K_KERNEL, K_STRIDE, K_PADDING, K_GROUPS};
  for (size_t i = 0; i < sizeof conv_only / sizeof conv_only[0]; i++)
    if (t == T_FC && e.have[conv_only[i]])
      return fail(x, e.line[conv_only[i]], "key '%s' %s does not apply to an fc layer%s",
                  LAYER_KEYS[conv_only[i]], where, conv_only[i] == K_FILTERS ? " (use 'outputs')" : "");
  if (t != T_FC && e.have[K_OUTPUTS])
    return fail(x, e.line[K_OUTPUTS], "key 'outputs' %s applies to fc layers only (use 'filters')", where);
  if (t != T_FC && e.have[K_C])
    return fail(x, e.line[K_C], "key 'c' %s applies to fc layers only (use input: [C, H, W])", where);

  l->kind = t == T_FC ? QA_LAYER_FC : QA_LAYER_CONV;
  if (t == T_FC) {
    if (e.have[K_INPUT] && e.have[K_C])
      return fail(x, e.line[K_C], "keys 'input' and 'c' %s both give the input features; keep one", where);
    if (e.have[K_C]) {
      if (getInt(x, e.val[K_C], e.line[K_C], "c", where, 1, DIM_MAX, &l->c)) return QA_EUSER;
    } else if (e.have[K_INPUT]) {
      struct fy_node *v = e.val[K_INPUT];
      int chw[3] = {1, 1, 1};
      if (v && fy_node_get_type(v) == FYNT_SEQUENCE && fy_node_sequence_item_count(v) == 3) {
        /* [C, H, W]: the flattened feature map */
        if (getInts(x, v, e.line[K_INPUT], "input", where, 3, 1, DIM_MAX, 0, chw, NULL)) return QA_EUSER;
        int64_t f = (int64_t)chw[0] * chw[1] * chw[2];
        if (f > DIM_MAX)
          return fail(x, e.line[K_INPUT], "key 'input' %s flattens to %lld features (at most %d)", where,
                      (long long)f, DIM_MAX);
        l->c = (int)f;
      } else if (v && fy_node_get_type(v) == FYNT_SEQUENCE && fy_node_sequence_item_count(v) != 1) {
        return fail(x, lineOf(v, e.line[K_INPUT]),
                    "key 'input' %s must be an integer, [C] or "
                    "[C, H, W] for an fc layer (got a list of %d)",
                    where, fy_node_sequence_item_count(v));
      } else {
        if (getInts(x, v, e.line[K_INPUT], "input", where, 1, 1, DIM_MAX, 1, chw, NULL)) return QA_EUSER;
        l->c = chw[0];
      }
    } else {
      return fail(x, line, "missing required key 'input' %s", where);
    }
    if (!e.have[K_OUTPUTS]) return fail(x, line, "missing required key 'outputs' %s", where);
    if (getInt(x, e.val[K_OUTPUTS], e.line[K_OUTPUTS], "outputs", where, 1, DIM_MAX, &l->k)) return QA_EUSER;
  } else {
    int chw[3], two[2];
    if (!e.have[K_INPUT]) return fail(x, line, "missing required key 'input' %s", where);
    if (getInts(x, e.val[K_INPUT], e.line[K_INPUT], "input", where, 3, 1, DIM_MAX, 0, chw, NULL))
      return QA_EUSER;
    l->c = chw[0];
    l->h = chw[1];
    l->w = chw[2];
    if (e.have[K_FILTERS]) {
      if (getInt(x, e.val[K_FILTERS], e.line[K_FILTERS], "filters", where, 1, DIM_MAX, &l->k))
        return QA_EUSER;
    } else if (t == T_DWCONV) {
      l->k = l->c;
    } else {
      return fail(x, line, "missing required key 'filters' %s", where);
    }
    if (!e.have[K_KERNEL]) return fail(x, line, "missing required key 'kernel' %s", where);
    if (getInts(x, e.val[K_KERNEL], e.line[K_KERNEL], "kernel", where, 2, 1, DIM_MAX, 1, two, NULL))
      return QA_EUSER;
    l->r = two[0];
    l->s = two[1];
    l->stride_h = l->stride_w = 1;
    if (e.have[K_STRIDE]) {
      if (getInts(x, e.val[K_STRIDE], e.line[K_STRIDE], "stride", where, 2, 1, DIM_MAX, 1, two, NULL))
        return QA_EUSER;
      l->stride_h = two[0];
      l->stride_w = two[1];
    }
    if (e.have[K_PADDING]) {
      struct fy_node *v = e.val[K_PADDING];
      const char *s = (v && fy_node_get_type(v) == FYNT_SCALAR) ? fy_node_get_scalar0(v) : NULL;
      if (s && strcmp(s, "same") == 0) {
        if (l->r % 2 == 0 || l->s % 2 == 0 || l->stride_h != 1 || l->stride_w != 1)
          return fail(x, e.line[K_PADDING],
                      "key 'padding' %s: 'same' needs an odd kernel and "
                      "stride 1 (got kernel %dx%d, stride %dx%d); give the padding as numbers",
                      where, l->r, l->s, l->stride_h, l->stride_w);
        l->pad_h = (l->r - 1) / 2;
        l->pad_w = (l->s - 1) / 2;
      } else {
        if (getInts(x, v, e.line[K_PADDING], "padding", where, 2, 0, DIM_MAX, 1, two, NULL)) return QA_EUSER;
        l->pad_h = two[0];
        l->pad_w = two[1];
      }
    }
    l->groups = 1;
    if (e.have[K_GROUPS] &&
        getInt(x, e.val[K_GROUPS], e.line[K_GROUPS], "groups", where, 1, DIM_MAX, &l->groups))
      return QA_EUSER;
    if (t == T_DWCONV) {
      if (e.have[K_GROUPS] && l->groups != l->c)
        return fail(x, e.line[K_GROUPS],
                    "key 'groups' %s must equal the input channels %d for a "
                    "dwconv layer (got %d)",
                    where, l->c, l->groups);
      l->groups = l->c;
    }
  }
  if (e.have[K_BITS] && getBits(x, e.val[K_BITS], e.line[K_BITS], where, &l->a_bits, &l->w_bits))
    return QA_EUSER;
  if (e.have[K_TRACE] && getTrace(x, e.val[K_TRACE], e.line[K_TRACE], where, l)) return QA_EUSER;
  return QA_OK;
}

/* ---- the file ------------------------------------------------------------------------ */

static struct fy_document *parseFile(const Ctx *x, int *rc) {
  struct fy_diag_cfg dcfg;
  struct fy_diag *diag = NULL;
  struct fy_document *doc = NULL;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.level = FYET_ERROR;
  diag = fy_diag_create(&dcfg);
  if (!diag) {
    *rc = qaErrSet(x->err, QA_EINTERNAL, "%s: cannot create the YAML diagnostics", x->path);
    return NULL;
  }
  fy_diag_set_collect_errors(diag, true); /* keep libfyaml's messages off stderr */
  struct fy_parse_cfg pcfg;
  memset(&pcfg, 0, sizeof pcfg);
  pcfg.flags = FYPCF_QUIET | FYPCF_RESOLVE_DOCUMENT;
  pcfg.diag = diag;
  doc = fy_document_build_from_file(&pcfg, x->path);
  if (!doc) {
    void *it = NULL;
    struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
    if (de) {
      char msg[256];
      snprintf(msg, sizeof msg, "%s", de->msg ? de->msg : "parse error");
      msg[strcspn(msg, "\r\n")] = 0;
      /* name the key of a duplicate-key error; other tokens are not helpful */
      const char *tok = (de->fyt && strstr(msg, "duplicate key")) ? fy_token_get_text0(de->fyt) : NULL;
      char near[64] = "";
      if (tok && tok[0] && strlen(tok) < 40 && !strpbrk(tok, "\r\n"))
        snprintf(near, sizeof near, " '%s'", tok);
      *rc = fail(x, de->line > 0 ? de->line : 1, "YAML syntax error (column %d): %s%s",
                 de->column > 0 ? de->column : 1, msg, near);
    } else {
      *rc = fail(x, 0, "file is empty or not a YAML document");
    }
  }
  fy_diag_destroy(diag);
  return doc;
}

enum { N_NAME, N_BATCH, N_BITS, N_LAYERS, N_COUNT };
static const char *const NET_KEYS[N_COUNT] = {"name", "batch", "bits", "layers"};

int qaNetLoadYaml(const char *path, QaNet **out, QaErr *err) {
  int rc = QA_OK;
  QaErr local = {0, ""};
  Ctx x = {path, "", err ? err : &local};
  struct fy_document *doc = NULL;
  QaNet *net = NULL;
  int *lines = NULL;
  *out = NULL;

  struct stat st;
  FILE *f = fopen(path, "rb");
  if (!f) return fail(&x, 0, "cannot open network file: %s", strerror(errno));
  fclose(f);
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return fail(&x, 0, "not a regular file");
  if (strlen(path) >= QA_PATH_MAX) return fail(&x, 0, "path is too long");
  const char *slash = strrchr(path, '/');
  if (slash) snprintf(x.dir, sizeof x.dir, "%.*s", (int)(slash - path + 1), path);

  doc = parseFile(&x, &rc);
  if (!doc) goto end;
  struct fy_node *root = fy_document_root(doc);
  if (!root) {
    rc = fail(&x, 0, "file is empty or not a YAML document");
    goto end;
  }
  if (fy_node_get_type(root) != FYNT_MAPPING) {
    rc = fail(&x, lineOf(root, 1),
              "the top level must be a mapping with keys name, batch, bits, "
              "layers (got %s)",
              typeName(root));
    goto end;
  }
  Entries e;
  const char *top = "at the top level";
  int root_line = lineOf(root, 1);
  if ((rc = readEntries(&x, root, NET_KEYS, N_COUNT, top, &e)) != QA_OK) goto end;
  char name[QA_NAME_MAX];
  int batch = 1, a_bits = 0, w_bits = 0;
  if (!e.have[N_NAME]) {
    rc = fail(&x, root_line, "missing required key 'name' %s", top);
    goto end;
  }
  if ((rc = getStr(&x, e.val[N_NAME], e.line[N_NAME], "name", top, name, sizeof name))) goto end;
  if (e.have[N_BATCH] && (rc = getInt(&x, e.val[N_BATCH], e.line[N_BATCH], "batch", top, 1, DIM_MAX, &batch)))
    goto end;
  if (e.have[N_BITS] && (rc = getBits(&x, e.val[N_BITS], e.line[N_BITS], top, &a_bits, &w_bits))) goto end;
  if (!e.have[N_LAYERS]) {
    rc = fail(&x, root_line, "missing required key 'layers' %s", top);
    goto end;
  }
  struct fy_node *seq = e.val[N_LAYERS];
  if (!seq || fy_node_get_type(seq) != FYNT_SEQUENCE) {
    rc = fail(&x, lineOf(seq, e.line[N_LAYERS]), "key 'layers' must be a list of layers, not %s",
              typeName(seq));
    goto end;
  }
  int n = fy_node_sequence_item_count(seq);
  if (n <= 0) {
    rc = fail(&x, e.line[N_LAYERS],
              "key 'layers' is an empty list; a network needs at least one "
              "layer");
    goto end;
  }
  net = qaNetCreate(name, n, x.err);
  lines = qaCalloc((size_t)n, sizeof *lines, x.err);
  if (!net || !lines) {
    rc = QA_EINTERNAL;
    goto end;
  }
  snprintf(net->source, sizeof net->source, "%s", path);
  void *it = NULL;
  for (int i = 0; i < n; i++) {
    QaLayer *l = &net->layers[i];
    if ((rc = parseLayer(&x, fy_node_sequence_iterate(seq, &it), i, l, &lines[i])) != QA_OK) goto end;
    for (int j = 0; j < i; j++) {
      if (strcmp(net->layers[j].name, l->name) == 0) {
        rc = fail(&x, lines[i], "duplicate layer name '%s' (key 'name'; first used at line %d)", l->name,
                  lines[j]);
        goto end;
      }
    }
    l->n = batch;
    if (!l->a_bits) l->a_bits = a_bits;
    if (!l->w_bits) l->w_bits = w_bits;
    qaLayerNormalize(l);
    if ((rc = qaLayerValidate(l, x.err)) != QA_OK) {
      qaErrPrefix(x.err, "%s:%d", path, lines[i]);
      goto end;
    }
  }
end:
  if (doc) fy_document_destroy(doc);
  free(lines);
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

int qaNetOpen(const char *name_or_path, QaNet **out, QaErr *err) {
  QaErr berr = {0, ""};
  struct stat st;
  *out = NULL;
  if (!name_or_path || !name_or_path[0])
    return qaNetBuiltin("", out, err); /* the unknown-network message lists the names */
  int rc = qaNetBuiltin(name_or_path, out, &berr);
  if (rc == QA_OK) return QA_OK;
  if (rc != QA_EUSER) return qaErrSet(err, rc, "%s", berr.msg);
  if ((stat(name_or_path, &st) == 0 && S_ISREG(st.st_mode)) || endsWith(name_or_path, ".yaml") ||
      endsWith(name_or_path, ".yml"))
    return qaNetLoadYaml(name_or_path, out, err);
  return qaErrSet(err, QA_EUSER, "%s", berr.msg); /* "unknown network ...; built-in networks: ..." */
}
