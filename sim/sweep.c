/*
** sweep.c - sweep specs, their design points and the parallel runner (see sweep.h).
**
** Loading is three steps: the YAML is parsed with libfyaml (diagnostics captured, never
** printed) and walked once into blocks of axes - each axis a key (with a parameter name
** for `set`) and its values with their lines, every value checked where it is read so
** that an error names its line; then every block (each product, each explicit point) is
** merged over the defaults and multiplied out in a fixed key order; each combination
** becomes a QaSweepPoint with run options, a label and the equivalent `qasim run`
** command. Strings live in the sweep's arena.
**
** Running: the parent keeps up to `jobs` workers; each is a forked child that runs one
** point with qaRunExecute (skip_stored: a point another writer stored meanwhile is not
** written twice) and sends its outcome through a pipe before exiting. The parent polls:
** reaps finished children, starts new ones, reports progress. A stop request (the
** caller's flag) stops launching and sends SIGTERM to the running workers: their
** transactions are never committed, so the store keeps only complete points.
*/
#define _POSIX_C_SOURCE 200809L
#include "sim/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "arch/driver.h"
#include "base/parse.h"
#include "quant/quant.h"
#include "store/store.h"

/* ---- the keys of a point ----------------------------------------------------------- */

typedef enum Key {
  K_ARCH = 0,
  K_CONFIG,
  K_SET,
  K_NET,
  K_BITS,
  K_A_BITS,
  K_W_BITS,
  K_QUANT_A,
  K_QUANT_W,
  K_ENCODER,
  K_COSTS,
  K_SEED,
  K_ZERO_FRAC,
  K_WGT_DIST,
  K_TIMING,
  K_VERIFY,
  K_COUNT
} Key;

static const char *const kKeys[K_COUNT] = {"arch",      "config",   "set",     "net",     "bits",  "a_bits",
                                           "w_bits",    "quant_a",  "quant_w", "encoder", "costs", "seed",
                                           "zero_frac", "wgt_dist", "timing",  "verify"};

static const char *const kTopKeys[] = {"name", "defaults", "product", "points"};
#define N_TOP_KEYS ((int)(sizeof kTopKeys / sizeof kTopKeys[0]))

typedef struct Val {
  const char *text; /* in the arena */
  int line;
} Val;

/* One key of a block with its values (a product multiplies them; elsewhere one value). */
typedef struct Axis {
  Key key;
  const char *param; /* K_SET: the parameter name */
  int line;          /* of the key */
  Val *v;
  int n;
} Axis;

typedef struct Block {
  int line;
  Axis *ax;
  int n_ax;
} Block;

/* ---- the sweep --------------------------------------------------------------------- */

typedef struct Str {
  struct Str *next;
  char text[];
} Str;

struct QaSweep {
  char *path;
  char dir[QA_PATH_MAX]; /* the spec's directory with a trailing '/', or "" */
  const char *name;
  Str *arena;
  QaSweepPoint *pt;
  int n_pt, cap_pt;
  /* parsing */
  Block defaults;
  Block *blocks;
  int n_blocks;
  QaErr *err;
  int oom;
};

static const char *arenaDup(QaSweep *sw, const char *s, size_t n) {
  Str *x = malloc(sizeof *x + n + 1);
  if (!x) {
    sw->oom = 1;
    return "";
  }
  memcpy(x->text, s, n);
  x->text[n] = 0;
  x->next = sw->arena;
  sw->arena = x;
  return x->text;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static const char *
arenaf(QaSweep *sw, const char *fmt, ...) {
  char buf[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return arenaDup(sw, buf, strlen(buf));
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int
fail(QaSweep *sw, int line, const char *fmt, ...) {
  char msg[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (line > 0) return qaErrSet(sw->err, QA_EUSER, "%s:%d: %s", sw->path, line, msg);
  return qaErrSet(sw->err, QA_EUSER, "%s: %s", sw->path, msg);
}

static void freeBlock(Block *b) {
  for (int i = 0; i < b->n_ax; i++) free(b->ax[i].v);
  free(b->ax);
  memset(b, 0, sizeof *b);
}

void qaSweepDestroy(QaSweep *sw) {
  if (!sw) return;
  while (sw->arena) {
    Str *n = sw->arena->next;
    free(sw->arena);
    sw->arena = n;
  }
  freeBlock(&sw->defaults);
  for (int i = 0; i < sw->n_blocks; i++) freeBlock(&sw->blocks[i]);
  free(sw->blocks);
  free(sw->pt);
  free(sw->path);
  free(sw);
}

const char *qaSweepPath(const QaSweep *sw) { return sw->path; }
const char *qaSweepName(const QaSweep *sw) { return sw->name; }
int qaSweepCount(const QaSweep *sw) { return sw->n_pt; }
QaSweepPoint *qaSweepAt(QaSweep *sw, int i) { return i >= 0 && i < sw->n_pt ? &sw->pt[i] : NULL; }

/* ---- YAML -------------------------------------------------------------------------- */

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

static void joinWords(const char *const *w, int n, char *buf, size_t cap) {
  size_t used = 0;
  buf[0] = 0;
  for (int i = 0; i < n && used < cap; i++)
    used += (size_t)snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", w[i]);
}

/* libfyaml diagnostics are captured (first line only) instead of printed. */
static void diagCapture(struct fy_diag *diag, void *user, const char *buf, size_t len) {
  char *dst = user;
  (void)diag;
  if (dst[0]) return;
  size_t n = len < 255 ? len : 255;
  memcpy(dst, buf, n);
  dst[n] = 0;
  char *nl = strchr(dst, '\n');
  if (nl) *nl = 0;
}

/* ---- values ------------------------------------------------------------------------ */

static int isPathLike(const char *s) {
  size_t n = strlen(s);
  return strchr(s, '/') || (n > 5 && !strcmp(s + n - 5, ".yaml")) || (n > 4 && !strcmp(s + n - 4, ".yml"));
}

/* A path of the spec relative to its directory (absolute paths unchanged). */
static const char *specPath(QaSweep *sw, const char *p) {
  if (p[0] == '/' || !sw->dir[0]) return p;
  return arenaf(sw, "%s%s", sw->dir, p);
}

/* Check the text of one value of KEY (PARAM for set) at LINE. */
static int checkValue(QaSweep *sw, Key key, const char *param, const char *text, int line) {
  QaErr e = {0, ""};
  int rc = QA_OK;
  char what[96];
  if (key == K_SET)
    snprintf(what, sizeof what, "set '%s'", param);
  else
    snprintf(what, sizeof what, "key '%s'", kKeys[key]);
  if (!text[0]) return fail(sw, line, "%s: empty value", what);
  switch (key) {
    case K_ARCH: {
      const QaArchDesc *d;
      if (strcmp(text, "all") && (rc = qaArchFind(text, &d, &e)))
        return fail(sw, line, "%s: %s (or all: every architecture)", what, e.msg);
      break;
    }
    case K_BITS: {
      const char *slash = strchr(text, '/');
      int64_t a, w;
      if (slash) {
        char head[32];
        snprintf(head, sizeof head, "%.*s", (int)(slash - text), text);
        if ((rc = qaParseInt64(head, "a", 1, QA_BITS_MAX, &a, &e)) ||
            (rc = qaParseInt64(slash + 1, "w", 1, QA_BITS_MAX, &w, &e)))
          return fail(sw, line, "%s: '%s': %s (write N or A/W, 1..%d)", what, text, e.msg, QA_BITS_MAX);
      } else if ((rc = qaParseInt64(text, what, 1, QA_BITS_MAX, &a, &e))) {
        return fail(sw, line, "%s (write N or A/W)", e.msg);
      }
      break;
    }
    case K_A_BITS:
    case K_W_BITS: {
      int64_t v;
      if ((rc = qaParseInt64(text, what, 1, QA_BITS_MAX, &v, &e))) return fail(sw, line, "%s", e.msg);
      break;
    }
    case K_SEED: {
      uint64_t v;
      if ((rc = qaParseUint64(text, what, 0, UINT64_MAX, &v, &e))) return fail(sw, line, "%s", e.msg);
      break;
    }
    case K_ZERO_FRAC: {
      double v;
      if ((rc = qaParseDouble(text, what, 0, 1, &v, &e))) return fail(sw, line, "%s", e.msg);
      break;
    }
    case K_VERIFY:
      if (strcasecmp(text, "true") && strcasecmp(text, "false") && strcasecmp(text, "yes") &&
          strcasecmp(text, "no") && strcmp(text, "1") && strcmp(text, "0"))
        return fail(sw, line, "%s: '%s' is not true or false", what, text);
      break;
    case K_TIMING: {
      QaTiming t;
      if ((rc = qaTimingParse(text, &t, &e))) return fail(sw, line, "%s: %s", what, e.msg);
      break;
    }
    case K_QUANT_A:
    case K_QUANT_W: {
      QaQuantSpec q;
      if (!(key == K_QUANT_A && !strcmp(text, "auto")) && (rc = qaQuantParse(text, &q, &e)))
        return fail(sw, line, "%s: %s", what, e.msg);
      break;
    }
    case K_ENCODER: {
      QaEncoder enc;
      if ((rc = qaEncoderParse(text, &enc, &e))) return fail(sw, line, "%s: %s", what, e.msg);
      break;
    }
    case K_WGT_DIST:
      if (strcmp(text, "laplace") && strcmp(text, "gauss"))
        return fail(sw, line, "%s: '%s': use laplace or gauss", what, text);
      break;
    default: /* config, set values (checked against the architecture later), net, costs */
      break;
  }
  return QA_OK;
}

/* Append value TEXT at LINE to axis A (arch: all becomes every architecture). */
static int addValue(QaSweep *sw, Axis *a, const char *text, int line) {
  int rc = checkValue(sw, a->key, a->param, text, line);
  if (rc) return rc;
  int n_add = a->key == K_ARCH && !strcmp(text, "all") ? qaArchCount() : 1;
  Val *g = realloc(a->v, (size_t)(a->n + n_add) * sizeof *g);
  if (!g) return qaErrSet(sw->err, QA_EINTERNAL, "out of memory reading %s", sw->path);
  a->v = g;
  for (int i = 0; i < n_add; i++) {
    const char *t = n_add > 1 ? qaArchAt(i)->name : text;
    a->v[a->n].text = arenaDup(sw, t, strlen(t));
    a->v[a->n].line = line;
    a->n++;
  }
  return sw->oom ? qaErrSet(sw->err, QA_EINTERNAL, "out of memory reading %s", sw->path) : QA_OK;
}

/* One scalar node as text, or an error naming WHAT. */
static int scalarText(QaSweep *sw, struct fy_node *n, const char *what, int line, const char **out) {
  if (!n || fy_node_get_type(n) != FYNT_SCALAR)
    return fail(sw, lineOf(n, line), "%s must be a single value, not %s", what, typeName(n));
  size_t len = 0;
  const char *t = fy_node_get_scalar(n, &len);
  *out = arenaDup(sw, t ? t : "", t ? len : 0);
  return QA_OK;
}

/* The values of one axis from node V: a scalar, or (LISTS) a list of scalars. */
static int readValues(QaSweep *sw, Axis *a, struct fy_node *v, int lists, const char *what) {
  int rc;
  const char *text;
  if (v && fy_node_get_type(v) == FYNT_SEQUENCE) {
    if (!lists)
      return fail(sw, lineOf(v, a->line), "%s: a list of values belongs in product:, not here", what);
    void *it = NULL;
    struct fy_node *e;
    int n = 0;
    while ((e = fy_node_sequence_iterate(v, &it)) != NULL) {
      if ((rc = scalarText(sw, e, what, a->line, &text)) || (rc = addValue(sw, a, text, lineOf(e, a->line))))
        return rc;
      n++;
    }
    if (!n) return fail(sw, a->line, "%s: empty list", what);
    return QA_OK;
  }
  if ((rc = scalarText(sw, v, what, a->line, &text))) return rc;
  return addValue(sw, a, text, lineOf(v, a->line));
}

static Axis *newAxis(QaSweep *sw, Block *b, Key key, const char *param, int line) {
  Axis *g = realloc(b->ax, (size_t)(b->n_ax + 1) * sizeof *g);
  if (!g) {
    qaErrSet(sw->err, QA_EINTERNAL, "out of memory reading %s", sw->path);
    return NULL;
  }
  b->ax = g;
  Axis *a = &b->ax[b->n_ax++];
  memset(a, 0, sizeof *a);
  a->key = key;
  a->param = param;
  a->line = line;
  return a;
}

/* A block from mapping M (WHERE names it in messages); LISTS: values may be lists. */
static int readBlock(QaSweep *sw, struct fy_node *m, int lists, const char *where, Block *b) {
  void *it = NULL;
  struct fy_node_pair *p;
  int rc;
  memset(b, 0, sizeof *b);
  b->line = lineOf(m, 0);
  if (!m || fy_node_get_type(m) != FYNT_MAPPING)
    return fail(sw, b->line, "%s must be a mapping of point keys, not %s", where, typeName(m));
  while ((p = fy_node_mapping_iterate(m, &it)) != NULL) {
    struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
    int line = lineOf(k, b->line);
    const char *ks = k && fy_node_get_type(k) == FYNT_SCALAR ? fy_node_get_scalar0(k) : NULL;
    int key = -1;
    for (int i = 0; ks && i < K_COUNT; i++)
      if (!strcmp(ks, kKeys[i])) key = i;
    if (key < 0) {
      char known[256];
      joinWords(kKeys, K_COUNT, known, sizeof known);
      return fail(sw, line, "unknown key '%s' in %s (known: %s)", ks ? ks : "?", where, known);
    }
    for (int i = 0; i < b->n_ax; i++)
      if (b->ax[i].key == (Key)key && key != K_SET)
        return fail(sw, line, "key '%s' given twice in %s", ks, where);
    if (key == K_SET) {
      if (!v || fy_node_get_type(v) != FYNT_MAPPING)
        return fail(sw, lineOf(v, line), "set must be a mapping of parameter: value, not %s", typeName(v));
      void *it2 = NULL;
      struct fy_node_pair *q;
      while ((q = fy_node_mapping_iterate(v, &it2)) != NULL) {
        struct fy_node *pk = fy_node_pair_key(q);
        const char *pname;
        char what[128];
        if ((rc = scalarText(sw, pk, "a parameter name", line, &pname))) return rc;
        snprintf(what, sizeof what, "set '%s'", pname);
        Axis *a = newAxis(sw, b, K_SET, pname, lineOf(pk, line));
        if (!a) return QA_EINTERNAL;
        if ((rc = readValues(sw, a, fy_node_pair_value(q), lists, what))) return rc;
      }
      continue;
    }
    char what[64];
    snprintf(what, sizeof what, "key '%s'", ks);
    Axis *a = newAxis(sw, b, (Key)key, NULL, line);
    if (!a) return QA_EINTERNAL;
    if ((rc = readValues(sw, a, v, lists, what))) return rc;
  }
  int has_bits = 0, has_aw = 0;
  for (int i = 0; i < b->n_ax; i++) {
    has_bits |= b->ax[i].key == K_BITS;
    has_aw |= b->ax[i].key == K_A_BITS || b->ax[i].key == K_W_BITS;
  }
  if (has_bits && has_aw)
    return fail(sw, b->line, "%s gives bits and a_bits/w_bits: give one or the other", where);
  return QA_OK;
}

static int addBlock(QaSweep *sw, struct fy_node *m, int lists, const char *where) {
  Block *g = realloc(sw->blocks, (size_t)(sw->n_blocks + 1) * sizeof *g);
  if (!g) return qaErrSet(sw->err, QA_EINTERNAL, "out of memory reading %s", sw->path);
  sw->blocks = g;
  memset(&sw->blocks[sw->n_blocks], 0, sizeof *g);
  return readBlock(sw, m, lists, where, &sw->blocks[sw->n_blocks++]);
}

/* ---- expansion ---------------------------------------------------------------------- */

/* The axes of block B over the defaults: a block's key (or set parameter) replaces the
** default's. Pointers into both blocks; *n_out axes in out[] (caller-sized). */
static int mergeAxes(const Block *def, const Block *b, const Axis **out) {
  int n = 0;
  for (int i = 0; i < def->n_ax; i++) {
    const Axis *d = &def->ax[i];
    int over = 0;
    for (int k = 0; k < b->n_ax && !over; k++) {
      const Axis *a = &b->ax[k];
      over = a->key == d->key && (d->key != K_SET || !strcmp(a->param, d->param));
      /* a block's bits replaces default a_bits/w_bits and the other way round */
      over |= a->key == K_BITS && (d->key == K_A_BITS || d->key == K_W_BITS);
      over |= (a->key == K_A_BITS || a->key == K_W_BITS) && d->key == K_BITS;
    }
    if (!over) out[n++] = d;
  }
  for (int k = 0; k < b->n_ax; k++) out[n++] = &b->ax[k];
  /* a fixed key order: the order points come out in */
  for (int i = 1; i < n; i++) {
    const Axis *t = out[i];
    int j = i - 1;
    while (j >= 0 && out[j]->key > t->key) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = t;
  }
  return n;
}

static int isTrue(const char *t) {
  return !strcasecmp(t, "true") || !strcasecmp(t, "yes") || !strcmp(t, "1");
}

/* The point of one combination: VAL[i] is the chosen value of axis AX[i]. */
static int makePoint(QaSweep *sw, const Block *b, const Axis *const *ax, const Val *const *val, int n) {
  if (sw->n_pt == sw->cap_pt) {
    int cap = sw->cap_pt ? 2 * sw->cap_pt : 64;
    QaSweepPoint *g = realloc(sw->pt, (size_t)cap * sizeof *g);
    if (!g) return qaErrSet(sw->err, QA_EINTERNAL, "out of memory expanding %s", sw->path);
    sw->pt = g;
    sw->cap_pt = cap;
  }
  QaSweepPoint *p = &sw->pt[sw->n_pt];
  memset(p, 0, sizeof *p);
  qaRunDefaults(&p->opt);
  p->opt.db_path = NULL;
  p->line = b->line;
  char label[512] = "", cmd[4096] = "qasim run";
  const char *arch = NULL, *config = NULL;
  for (int i = 0; i < n; i++) {
    const char *t = val[i]->text;
    switch (ax[i]->key) {
      case K_ARCH:
        arch = p->opt.arch.arch = t;
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --arch %s", t);
        break;
      case K_CONFIG: {
        struct stat sb;
        const char *rel = specPath(sw, t);
        config = p->opt.arch.config = stat(rel, &sb) == 0 || isPathLike(t) ? rel : t;
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --config %s", config);
        break;
      }
      case K_SET:
        if (p->opt.arch.n_sets == QA_RUN_MAX_SETS)
          return fail(sw, ax[i]->line, "more than %d set parameters in one point", QA_RUN_MAX_SETS);
        p->sets[p->opt.arch.n_sets++] = arenaf(sw, "%s=%s", ax[i]->param, t);
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --set %s=%s", ax[i]->param, t);
        break;
      case K_NET:
        p->opt.net = isPathLike(t) ? specPath(sw, t) : t;
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --net %s", p->opt.net);
        break;
      case K_BITS: {
        const char *slash = strchr(t, '/');
        p->opt.a_bits = atoi(t);
        p->opt.w_bits = slash ? atoi(slash + 1) : p->opt.a_bits;
        break;
      }
      case K_A_BITS:
        p->opt.a_bits = atoi(t);
        break;
      case K_W_BITS:
        p->opt.w_bits = atoi(t);
        break;
      case K_QUANT_A:
        p->opt.quant_a = t;
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --quant-a %s", t);
        break;
      case K_QUANT_W:
        p->opt.quant_w = t;
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --quant-w %s", t);
        break;
      case K_ENCODER:
        p->opt.encoder = t;
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --encoder %s", t);
        break;
      case K_COSTS:
        p->opt.costs = t;
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --costs %s", t);
        break;
      case K_SEED:
        qaParseUint64(t, "seed", 0, UINT64_MAX, &p->opt.seed, NULL);
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --seed %s", t);
        break;
      case K_ZERO_FRAC:
        qaParseDouble(t, "zero_frac", 0, 1, &p->opt.act_zero_frac, NULL);
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --zero-frac %s", t);
        break;
      case K_WGT_DIST:
        p->opt.wgt_dist = t;
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --wgt-dist %s", t);
        break;
      case K_TIMING:
        qaTimingParse(t, &p->opt.timing, NULL);
        snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --timing %s", t);
        break;
      case K_VERIFY:
        p->opt.verify = isTrue(t);
        if (!p->opt.verify) snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --no-verify");
        break;
      default:
        break;
    }
  }
  if (!p->opt.net)
    return fail(sw, b->line, "this point has no net (give net: here, in product: or in defaults:)");
  snprintf(cmd + strlen(cmd), sizeof cmd - strlen(cmd), " --a-bits %d --w-bits %d", p->opt.a_bits,
           p->opt.w_bits);
  p->opt.arch.sets = p->sets;

  /* set parameters must be parameters of the architecture, with values it accepts */
  if (p->opt.arch.n_sets && (arch || !config)) {
    const QaArchDesc *d = NULL;
    QaErr e = {0, ""};
    if (qaArchFind(arch ? arch : "dadiannao", &d, &e)) return fail(sw, b->line, "%s", e.msg);
    QaArchConfig scratch;
    qaCfgDefaults(d, &scratch);
    for (int i = 0; i < n; i++) {
      if (ax[i]->key != K_SET) continue;
      char origin[QA_PATH_MAX + 32];
      snprintf(origin, sizeof origin, "%s:%d", sw->path, val[i]->line);
      if (qaCfgSetText(&scratch, ax[i]->param, val[i]->text, origin, &e))
        return qaErrSet(sw->err, QA_EUSER, "%s", e.msg);
    }
  }

  /* label: what the point is, shortest first */
  snprintf(label, sizeof label, "%s", arch ? arch : config ? config : "dadiannao");
  for (int i = 0; i < p->opt.arch.n_sets; i++)
    snprintf(label + strlen(label), sizeof label - strlen(label), " %s", p->sets[i]);
  const char *net = p->opt.net, *slash = strrchr(net, '/');
  snprintf(label + strlen(label), sizeof label - strlen(label), " %s a%d/w%d", slash ? slash + 1 : net,
           p->opt.a_bits, p->opt.w_bits);
  for (int i = 0; i < n; i++) {
    Key k = ax[i]->key;
    if (k == K_QUANT_A || k == K_QUANT_W || k == K_ENCODER || k == K_COSTS || k == K_SEED ||
        k == K_ZERO_FRAC || k == K_WGT_DIST || k == K_TIMING || k == K_VERIFY)
      snprintf(label + strlen(label), sizeof label - strlen(label), " %s=%s", kKeys[k], val[i]->text);
  }
  p->label = arenaDup(sw, label, strlen(label));
  p->command = arenaDup(sw, cmd, strlen(cmd));
  sw->n_pt++;
  return sw->oom ? qaErrSet(sw->err, QA_EINTERNAL, "out of memory expanding %s", sw->path) : QA_OK;
}

/* Every combination of the block's axes (over the defaults), in key order. */
static int expandBlock(QaSweep *sw, const Block *b) {
  const Axis *ax[K_COUNT + 2 * QA_RUN_MAX_SETS + 64];
  const Val *val[sizeof ax / sizeof ax[0]];
  int idx[sizeof ax / sizeof ax[0]];
  if (sw->defaults.n_ax + b->n_ax > (int)(sizeof ax / sizeof ax[0]))
    return fail(sw, b->line, "too many keys in one point");
  int n = mergeAxes(&sw->defaults, b, ax);
  double total = 1;
  for (int i = 0; i < n; i++) total *= ax[i]->n;
  if (total + sw->n_pt > QA_SWEEP_MAX_POINTS)
    return fail(sw, b->line, "this product has %.0f points: more than %d", total, QA_SWEEP_MAX_POINTS);
  memset(idx, 0, sizeof idx);
  for (;;) {
    for (int i = 0; i < n; i++) val[i] = &ax[i]->v[idx[i]];
    int rc = makePoint(sw, b, ax, val, n);
    if (rc) return rc;
    int i = n - 1; /* the last axis varies fastest */
    while (i >= 0 && ++idx[i] == ax[i]->n) idx[i--] = 0;
    if (i < 0) break;
  }
  return QA_OK;
}

int qaSweepLoad(const char *path, QaSweep **out, QaErr *err) {
  int rc = QA_OK;
  struct fy_parse_cfg pcfg = {0};
  struct fy_diag_cfg dcfg;
  struct fy_diag *diag = NULL;
  struct fy_document *doc = NULL;
  char diag_msg[256] = "";
  struct stat sb;
  QaSweep *sw = NULL;
  *out = NULL;
  if (!path || !*path) return qaErrSet(err, QA_EUSER, "no sweep spec given");
  if (stat(path, &sb) != 0)
    return qaErrSet(err, QA_EUSER, "%s: cannot open sweep spec: %s", path, strerror(errno));
  if (!S_ISREG(sb.st_mode))
    return qaErrSet(err, QA_EUSER, "%s: not a regular file (a sweep spec is a YAML file)", path);
  if (!(sw = qaCalloc(1, sizeof *sw, err))) return QA_EINTERNAL;
  sw->err = err;
  if (!(sw->path = strdup(path))) {
    rc = qaErrSet(err, QA_EINTERNAL, "out of memory");
    goto end;
  }
  const char *slash = strrchr(path, '/');
  if (slash) snprintf(sw->dir, sizeof sw->dir, "%.*s/", (int)(slash - path), path);
  sw->name = slash ? slash + 1 : sw->path;

  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  dcfg.output_fn = diagCapture;
  dcfg.user = diag_msg;
  dcfg.colorize = false;
  diag = fy_diag_create(&dcfg);
  pcfg.diag = diag;
  doc = fy_document_build_from_file(&pcfg, path);
  if (!doc) { /* libfyaml says "PATH:LINE:COL: error: what": keep the line and the what */
    int line = 0, col = 0;
    const char *what = strstr(diag_msg, "error: ");
    size_t n = strlen(path);
    if (!strncmp(diag_msg, path, n) && diag_msg[n] == ':') sscanf(diag_msg + n + 1, "%d:%d", &line, &col);
    rc = fail(sw, line, "not valid YAML: %s", what ? what + 7 : diag_msg[0] ? diag_msg : "parse error");
    goto end;
  }
  struct fy_node *root = fy_document_root(doc);
  if (!root || fy_node_get_type(root) != FYNT_MAPPING) {
    rc = fail(sw, 1, "a sweep spec is a mapping with product: and/or points: (see sim/README.md)");
    goto end;
  }
  struct fy_node *sec[N_TOP_KEYS] = {NULL};
  int sec_line[N_TOP_KEYS] = {0};
  void *it = NULL;
  struct fy_node_pair *p;
  while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
    struct fy_node *k = fy_node_pair_key(p);
    const char *ks = k && fy_node_get_type(k) == FYNT_SCALAR ? fy_node_get_scalar0(k) : NULL;
    int line = lineOf(k, 1), idx = -1;
    for (int i = 0; ks && i < N_TOP_KEYS; i++)
      if (!strcmp(ks, kTopKeys[i])) idx = i;
    if (idx < 0) {
      char known[128];
      joinWords(kTopKeys, N_TOP_KEYS, known, sizeof known);
      int pk = 0;
      for (int i = 0; ks && i < K_COUNT; i++) pk |= !strcmp(ks, kKeys[i]);
      rc = fail(sw, line, "unknown key '%s' (known: %s)%s", ks ? ks : "?", known,
                pk ? "; point keys go under defaults:, product: or points:" : "");
      goto end;
    }
    sec[idx] = fy_node_pair_value(p);
    sec_line[idx] = line;
  }
  if (sec[0]) {
    const char *name;
    if ((rc = scalarText(sw, sec[0], "name", sec_line[0], &name))) goto end;
    sw->name = name;
  }
  if (sec[1] && (rc = readBlock(sw, sec[1], 0, "defaults", &sw->defaults))) goto end;
  if (sec[2]) {
    if (fy_node_get_type(sec[2]) == FYNT_SEQUENCE) {
      void *it2 = NULL;
      struct fy_node *e;
      while ((e = fy_node_sequence_iterate(sec[2], &it2)) != NULL)
        if ((rc = addBlock(sw, e, 1, "a product"))) goto end;
    } else if ((rc = addBlock(sw, sec[2], 1, "product"))) {
      goto end;
    }
  }
  if (sec[3]) {
    if (fy_node_get_type(sec[3]) != FYNT_SEQUENCE) {
      rc = fail(sw, lineOf(sec[3], sec_line[3]),
                "points must be a list of points (- {arch: ..., net: ...}), not %s", typeName(sec[3]));
      goto end;
    }
    void *it2 = NULL;
    struct fy_node *e;
    while ((e = fy_node_sequence_iterate(sec[3], &it2)) != NULL)
      if ((rc = addBlock(sw, e, 0, "a point"))) goto end;
  }
  if (sw->n_blocks == 0) {
    rc = fail(sw, 0, "no design points: give product: and/or points: (see sim/README.md)");
    goto end;
  }
  for (int i = 0; i < sw->n_blocks; i++)
    if ((rc = expandBlock(sw, &sw->blocks[i]))) goto end;
  for (int i = 0; i < sw->n_pt; i++) sw->pt[i].opt.arch.sets = sw->pt[i].sets; /* (pt moved as it grew) */
end:
  fy_document_destroy(doc);
  if (diag) fy_diag_destroy(diag);
  if (rc) {
    qaSweepDestroy(sw);
    return rc;
  }
  sw->err = NULL;
  *out = sw;
  return QA_OK;
}

/* ---- identities and shards ---------------------------------------------------------- */

/* A point's identity and position, sorted by identity, then position. */
typedef struct IdPos {
  const char *id;
  int pos;
} IdPos;

static int cmpIdPos(const void *x, const void *y) {
  const IdPos *a = x, *b = y;
  int c = strcmp(a->id, b->id);
  return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

int qaSweepIdentify(QaSweep *sw, int *n_repeats, QaErr *err) {
  int rc = QA_OK, kept = 0;
  IdPos *order = NULL;
  unsigned char *dup = NULL;
  if (n_repeats) *n_repeats = 0;
  for (int i = 0; i < sw->n_pt; i++) {
    QaSweepPoint *p = &sw->pt[i];
    if ((rc = qaRunIdentify(&p->opt, &p->id, err))) {
      qaErrPrefix(err, "%s:%d: point %s", sw->path, p->line, p->label);
      return rc;
    }
  }
  /* repeats: sort positions by identity, keep the first position of each */
  order = qaMalloc((size_t)(sw->n_pt ? sw->n_pt : 1) * sizeof *order, err);
  dup = qaCalloc((size_t)(sw->n_pt ? sw->n_pt : 1), 1, err);
  if (!order || !dup) {
    rc = QA_EINTERNAL;
    goto end;
  }
  for (int i = 0; i < sw->n_pt; i++) order[i] = (IdPos){sw->pt[i].id.id, i};
  qsort(order, (size_t)sw->n_pt, sizeof *order, cmpIdPos);
  for (int k = 1; k < sw->n_pt; k++)
    if (!strcmp(order[k].id, order[k - 1].id)) dup[order[k].pos] = 1;
  for (int i = 0; i < sw->n_pt; i++) {
    if (dup[i]) {
      if (n_repeats) (*n_repeats)++;
      continue;
    }
    if (kept != i) sw->pt[kept] = sw->pt[i];
    sw->pt[kept].opt.arch.sets = sw->pt[kept].sets;
    kept++;
  }
  sw->n_pt = kept;
end:
  free(order);
  free(dup);
  return rc;
}

int qaSweepParseShard(const char *text, int *index, int *n_shards, QaErr *err) {
  const char *slash = text ? strchr(text, '/') : NULL;
  int64_t i, n;
  char head[32];
  if (!slash || slash == text || (size_t)(slash - text) >= sizeof head)
    return qaErrSet(err, QA_EUSER, "--shard '%s': write I/N (shard I of N, 1 <= I <= N)", text ? text : "");
  snprintf(head, sizeof head, "%.*s", (int)(slash - text), text);
  if (qaParseInt64(slash + 1, "--shard N", 1, 1000000, &n, err) ||
      qaParseInt64(head, "--shard I", 1, n, &i, err))
    return QA_EUSER;
  *index = (int)i;
  *n_shards = (int)n;
  return QA_OK;
}

int qaSweepShard(QaSweep *sw, int index, int n_shards, QaErr *err) {
  if (n_shards < 1 || index < 1 || index > n_shards)
    return qaErrSet(err, QA_EUSER, "--shard %d/%d: I must be in 1..N", index, n_shards);
  int kept = 0;
  for (int i = index - 1; i < sw->n_pt; i += n_shards) {
    if (kept != i) sw->pt[kept] = sw->pt[i];
    sw->pt[kept].opt.arch.sets = sw->pt[kept].sets;
    kept++;
  }
  sw->n_pt = kept;
  return QA_OK;
}

/* ---- running ------------------------------------------------------------------------- */

typedef struct Worker {
  pid_t pid; /* 0: free */
  int fd;    /* read end of the outcome pipe */
  int point; /* index into sw->pt */
} Worker;

/* The child: run point P, write its outcome to FD, exit. Never returns. */
static void workerMain(QaSweepPoint *p, const QaSweepRunOptions *o, int fd) {
  QaSweepOutcome out;
  QaRunResult res;
  QaErr e = {0, ""};
  char cmd[4096];
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  memset(&out, 0, sizeof out);
  int nul = open("/dev/null", O_RDWR);
  if (nul >= 0) {
    dup2(nul, 0);
    dup2(nul, 1);
  }
  QaRunOptions opt = p->opt;
  opt.arch.sets = p->sets;
  opt.db_path = o->db_path;
  opt.skip_stored = 1;
  snprintf(cmd, sizeof cmd, "%s   # %s", p->command, o->command_line ? o->command_line : "qasim sweep");
  opt.command_line = cmd;
  double t0 = qaNowSeconds();
  out.rc = qaRunExecute(&opt, NULL, &res, &e);
  out.wall_s = qaNowSeconds() - t0;
  snprintf(out.msg, sizeof out.msg, "%s", e.msg);
  out.run_id = res.run_id;
  out.already = res.already_stored;
  out.n_cycles = res.n_cycles;
  out.energy_pj = res.priced ? res.energy.total_pj : 0;
  const char *b = (const char *)&out;
  size_t left = sizeof out;
  while (left) {
    ssize_t w = write(fd, b, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) _exit(3);
    b += w;
    left -= (size_t)w;
  }
  _exit(out.rc == QA_OK ? 0 : 1);
}

/* Read the whole outcome a finished worker wrote; 0 if it wrote none (it crashed). */
static int readOutcome(int fd, QaSweepOutcome *out) {
  char *b = (char *)out;
  size_t got = 0;
  while (got < sizeof *out) {
    ssize_t r = read(fd, b + got, sizeof *out - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += (size_t)r;
  }
  return got == sizeof *out;
}

static void sleepMs(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

int qaSweepRun(QaSweep *sw, const QaSweepRunOptions *o, const QaSweepReporter *rep, QaSweepProgress *prog,
               int *interrupted, QaErr *err) {
  QaSweepProgress pg;
  QaStore *st = NULL;
  char **ids = NULL;
  int n_ids = 0, rc = QA_OK, jobs = o->jobs > 0 ? o->jobs : 1, next = 0, stopping = 0;
  Worker *wk = NULL;
  char first_fail[QA_ERR_MAX] = "";
  int crashed = 0;
  memset(&pg, 0, sizeof pg);
  if (interrupted) *interrupted = 0;
  pg.n_points = sw->n_pt;

  /* what the store holds already (it is created if missing: the workers write to it) */
  if ((rc = qaStoreOpen(o->db_path, &st, err)) || (rc = qaStoreIdentities(st, &ids, &n_ids, err))) goto end;
  qaStoreClose(st);
  st = NULL;
  for (int i = 0; i < sw->n_pt; i++) {
    QaSweepPoint *p = &sw->pt[i];
    int lo = 0, hi = n_ids;
    while (lo < hi) {
      int mid = (lo + hi) / 2, c = strcmp(ids[mid], p->id.id);
      if (c == 0)
        lo = hi = mid, p->stored = 1;
      else if (c < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (p->stored) pg.n_stored++;
  }
  pg.n_todo = sw->n_pt - pg.n_stored;
  if (!(wk = qaCalloc((size_t)jobs, sizeof *wk, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  double t0 = qaNowSeconds(), last_tick = 0;
  if (rep && rep->start) rep->start(rep->ctx, &pg, jobs);

  for (;;) {
    if (o->stop && *o->stop && !stopping) {
      stopping = 1;
      for (int w = 0; w < jobs; w++)
        if (wk[w].pid > 0) kill(wk[w].pid, SIGTERM);
    }
    /* start workers */
    while (!stopping && pg.n_running < jobs) {
      while (next < sw->n_pt && sw->pt[next].stored) next++;
      if (next >= sw->n_pt) break;
      int w = 0;
      while (wk[w].pid) w++;
      int fd[2];
      if (pipe(fd) != 0) {
        rc = qaErrSet(err, QA_EINTERNAL, "cannot create a pipe for a sweep worker: %s", strerror(errno));
        stopping = 1;
        break;
      }
      fflush(NULL);
      pid_t pid = fork();
      if (pid < 0) {
        close(fd[0]);
        close(fd[1]);
        rc = qaErrSet(err, QA_EINTERNAL, "cannot fork a sweep worker: %s", strerror(errno));
        stopping = 1;
        break;
      }
      if (pid == 0) {
        close(fd[0]);
        for (int k = 0; k < jobs; k++)
          if (wk[k].pid > 0) close(wk[k].fd);
        workerMain(&sw->pt[next], o, fd[1]);
      }
      close(fd[1]);
      wk[w].pid = pid;
      wk[w].fd = fd[0];
      wk[w].point = next++;
      pg.n_running++;
    }
    if (pg.n_running == 0) break;
    /* reap finished workers */
    int reaped = 0;
    for (int w = 0; w < jobs; w++) {
      if (wk[w].pid <= 0) continue;
      int status = 0;
      pid_t r = waitpid(wk[w].pid, &status, WNOHANG);
      if (r == 0) continue;
      if (r < 0 && errno == EINTR) continue;
      QaSweepOutcome out;
      memset(&out, 0, sizeof out);
      int have = r > 0 && readOutcome(wk[w].fd, &out);
      close(wk[w].fd);
      QaSweepPoint *p = &sw->pt[wk[w].point];
      wk[w].pid = 0;
      pg.n_running--;
      reaped++;
      if (!have) {
        if (stopping) continue; /* terminated on request: not a failure */
        out.rc = QA_EINTERNAL;
        if (r > 0 && WIFSIGNALED(status))
          snprintf(out.msg, sizeof out.msg, "the worker was killed by signal %d", WTERMSIG(status));
        else
          snprintf(out.msg, sizeof out.msg, "the worker exited without an outcome (status %d)", status);
        crashed++;
      }
      if (out.rc == QA_OK) {
        pg.n_done++;
      } else {
        pg.n_failed++;
        if (!first_fail[0])
          snprintf(first_fail, sizeof first_fail, "%s:%d: point %s: %.700s", sw->path, p->line, p->label,
                   out.msg);
      }
      pg.elapsed_s = qaNowSeconds() - t0;
      if (rep && rep->point) rep->point(rep->ctx, p, &out, &pg);
    }
    pg.elapsed_s = qaNowSeconds() - t0;
    if (rep && rep->tick && pg.elapsed_s - last_tick >= 0.2) {
      rep->tick(rep->ctx, &pg);
      last_tick = pg.elapsed_s;
    }
    if (!reaped) sleepMs(20);
  }
  pg.elapsed_s = qaNowSeconds() - t0;
  if (interrupted) *interrupted = stopping && !rc;
  if (rep && rep->done) rep->done(rep->ctx, &pg, stopping && !rc);
  if (!rc && pg.n_failed) {
    rc = crashed == pg.n_failed ? QA_EINTERNAL : QA_EUSER;
    qaErrSet(err, rc, "%d of %d points failed; the first: %s", pg.n_failed, pg.n_todo, first_fail);
  }
end:
  if (wk) { /* an error: do not leave workers behind */
    for (int w = 0; w < jobs; w++)
      if (wk[w].pid > 0) {
        kill(wk[w].pid, SIGTERM);
        waitpid(wk[w].pid, NULL, 0);
        close(wk[w].fd);
      }
  }
  free(wk);
  qaStoreFreeStrings(ids, n_ids);
  qaStoreClose(st);
  if (prog) *prog = pg;
  return rc;
}
