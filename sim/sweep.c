/*
** sweep.c - sweep specs, their design points and the parallel runner (see sweep.h).
**
** Loading is three steps: the YAML is read with base/yaml.h and walked once into blocks
** of axes - each axis a key (with a parameter name for `set`) and its values with their
** nodes, every value checked where it is read so that an error names its line and
** column; then every block (each product, each explicit point) is
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
#include "base/yaml.h"
#include "quant/quant.h"
#include "sim/values.h"
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

enum { T_NAME, T_DEFAULTS, T_PRODUCT, T_POINTS, T_COUNT };
static const char *const kTopKeys[T_COUNT] = {"name", "defaults", "product", "points"};

typedef struct Val {
  const char *text;       /* in the arena (arch: all expands to names) */
  const QaYamlNode *node; /* where it is written */
} Val;

/* One key of a block with its values (a product multiplies them; elsewhere one value). */
typedef struct Axis {
  Key key;
  const char *param;      /* K_SET: the parameter name */
  const QaYamlNode *node; /* the key */
  Val *v;
  int n;
} Axis;

typedef struct Block {
  const QaYamlNode *node; /* the mapping */
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
  /* parsing (base/yaml.h; the document lives until the points are made) */
  QaYamlDoc *doc;
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

static int oom(QaSweep *sw) { return qaErrSet(sw->err, QA_EINTERNAL, "out of memory reading %s", sw->path); }

static void freeBlock(Block *b) {
  for (int i = 0; i < b->n_ax; i++) free(b->ax[i].v);
  free(b->ax);
  memset(b, 0, sizeof *b);
}

static void freeParse(QaSweep *sw) {
  freeBlock(&sw->defaults);
  for (int i = 0; i < sw->n_blocks; i++) freeBlock(&sw->blocks[i]);
  free(sw->blocks);
  sw->blocks = NULL;
  sw->n_blocks = 0;
  qaYamlDestroy(sw->doc);
  sw->doc = NULL;
}

void qaSweepDestroy(QaSweep *sw) {
  if (!sw) return;
  while (sw->arena) {
    Str *n = sw->arena->next;
    free(sw->arena);
    sw->arena = n;
  }
  freeParse(sw);
  free(sw->pt);
  free(sw->path);
  free(sw);
}

const char *qaSweepPath(const QaSweep *sw) { return sw->path; }
const char *qaSweepName(const QaSweep *sw) { return sw->name; }
int qaSweepCount(const QaSweep *sw) { return sw->n_pt; }
QaSweepPoint *qaSweepAt(QaSweep *sw, int i) { return i >= 0 && i < sw->n_pt ? &sw->pt[i] : NULL; }

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

/* Check the text of one value of KEY (PARAM for set) written at node AT. */
static int checkValue(QaSweep *sw, Key key, const char *param, const char *text, const QaYamlNode *at) {
  QaErr e = {0, ""};
  char what[96];
  if (key == K_SET)
    snprintf(what, sizeof what, "set '%s'", param);
  else
    snprintf(what, sizeof what, "key '%s'", kKeys[key]);
  if (!text[0]) return qaYamlFail(at, sw->err, "%s: empty value", what);
  switch (key) {
    case K_ARCH: {
      const QaArchDesc *d;
      if (strcmp(text, "all") && qaArchFind(text, &d, &e))
        return qaYamlFail(at, sw->err, "%s: %s (or all: every architecture)", what, e.msg);
      break;
    }
    case K_BITS: {
      const char *slash = strchr(text, '/');
      int64_t a, w;
      if (slash) {
        char head[32];
        snprintf(head, sizeof head, "%.*s", (int)(slash - text), text);
        if (qaParseInt64(head, "a", 1, QA_BITS_MAX, &a, &e) ||
            qaParseInt64(slash + 1, "w", 1, QA_BITS_MAX, &w, &e))
          return qaYamlFail(at, sw->err, "%s: '%s': %s (write N or A/W, 1..%d)", what, text, e.msg,
                            QA_BITS_MAX);
      } else if (qaParseInt64(text, what, 1, QA_BITS_MAX, &a, &e)) {
        return qaYamlFail(at, sw->err, "%s (write N or A/W)", e.msg);
      }
      break;
    }
    case K_A_BITS:
    case K_W_BITS: {
      int64_t v;
      if (qaParseInt64(text, what, 1, QA_BITS_MAX, &v, &e)) return qaYamlFail(at, sw->err, "%s", e.msg);
      break;
    }
    case K_SEED: {
      uint64_t v;
      if (qaParseUint64(text, what, 0, UINT64_MAX, &v, &e)) return qaYamlFail(at, sw->err, "%s", e.msg);
      break;
    }
    case K_ZERO_FRAC: {
      double v;
      if (qaParseDouble(text, what, 0, 1, &v, &e)) return qaYamlFail(at, sw->err, "%s", e.msg);
      break;
    }
    case K_VERIFY:
      if (strcasecmp(text, "true") && strcasecmp(text, "false") && strcasecmp(text, "yes") &&
          strcasecmp(text, "no") && strcmp(text, "1") && strcmp(text, "0"))
        return qaYamlFail(at, sw->err, "%s: '%s' is not true or false", what, text);
      break;
    case K_TIMING: {
      QaTiming t;
      if (qaTimingParse(text, &t, &e)) return qaYamlFail(at, sw->err, "%s: %s", what, e.msg);
      break;
    }
    case K_QUANT_A:
    case K_QUANT_W: {
      QaQuantSpec q;
      if (!(key == K_QUANT_A && !strcmp(text, "auto")) && qaQuantParse(text, &q, &e))
        return qaYamlFail(at, sw->err, "%s: %s", what, e.msg);
      break;
    }
    case K_ENCODER: {
      QaEncoder enc;
      if (qaEncoderParse(text, &enc, &e)) return qaYamlFail(at, sw->err, "%s: %s", what, e.msg);
      break;
    }
    case K_WGT_DIST:
      if (strcmp(text, "laplace") && strcmp(text, "gauss"))
        return qaYamlFail(at, sw->err, "%s: '%s': use laplace or gauss", what, text);
      break;
    default: /* config, set values (checked against the architecture later), net, costs */
      break;
  }
  return QA_OK;
}

/* Append the value at node AT to axis A (arch: all becomes every architecture). */
static int addValue(QaSweep *sw, Axis *a, const QaYamlNode *at, const char *what) {
  const char *text = qaYamlScalar(at);
  if (!text || qaYamlKind(at) != QA_YAML_SCALAR)
    return qaYamlFail(at, sw->err, "%s must be a single value, not %s", what, qaYamlKindName(at));
  int rc = checkValue(sw, a->key, a->param, qaYamlIsNull(at) ? "" : text, at);
  if (rc) return rc;
  int n_add = a->key == K_ARCH && !strcmp(text, "all") ? qaArchCount() : 1;
  Val *g = realloc(a->v, (size_t)(a->n + n_add) * sizeof *g);
  if (!g) return oom(sw);
  a->v = g;
  for (int i = 0; i < n_add; i++) {
    const char *t = n_add > 1 ? qaArchAt(i)->name : text;
    a->v[a->n].text = arenaDup(sw, t, strlen(t));
    a->v[a->n].node = at;
    a->n++;
  }
  return sw->oom ? oom(sw) : QA_OK;
}

/* The values of one axis from node V: a scalar, or (LISTS) a list of scalars. */
static int readValues(QaSweep *sw, Axis *a, const QaYamlNode *v, int lists, const char *what) {
  int rc;
  if (qaYamlKind(v) == QA_YAML_SEQ) {
    if (!lists) return qaYamlFail(v, sw->err, "%s: a list of values belongs in product:, not here", what);
    if (!qaYamlCount(v)) return qaYamlFail(v, sw->err, "%s: empty list", what);
    for (int i = 0; i < qaYamlCount(v); i++)
      if ((rc = addValue(sw, a, qaYamlItem(v, i), what))) return rc;
    return QA_OK;
  }
  return addValue(sw, a, v, what);
}

static Axis *newAxis(QaSweep *sw, Block *b, Key key, const char *param, const QaYamlNode *node) {
  Axis *g = realloc(b->ax, (size_t)(b->n_ax + 1) * sizeof *g);
  if (!g) {
    oom(sw);
    return NULL;
  }
  b->ax = g;
  Axis *a = &b->ax[b->n_ax++];
  memset(a, 0, sizeof *a);
  a->key = key;
  a->param = param;
  a->node = node;
  return a;
}

/* A block from mapping M (WHERE names it in messages); LISTS: values may be lists. */
static int readBlock(QaSweep *sw, const QaYamlNode *m, int lists, const char *where, Block *b) {
  QaYamlField f[K_COUNT];
  int rc;
  memset(b, 0, sizeof *b);
  b->node = m;
  if ((rc = qaYamlReadMap(m, where, kKeys, K_COUNT, f, sw->err))) return rc;
  for (int key = 0; key < K_COUNT; key++) {
    if (!f[key].key) continue;
    char what[96];
    if (key == K_SET) {
      const QaYamlNode *v = f[key].val;
      if (qaYamlKind(v) != QA_YAML_MAP)
        return qaYamlFail(v, sw->err, "set must be a mapping of parameter: value, not %s", qaYamlKindName(v));
      for (int i = 0; i < qaYamlCount(v); i++) {
        const QaYamlNode *pk = qaYamlKeyAt(v, i);
        const char *pname = arenaDup(sw, qaYamlScalar(pk), strlen(qaYamlScalar(pk)));
        snprintf(what, sizeof what, "set '%s'", pname);
        Axis *a = newAxis(sw, b, K_SET, pname, pk);
        if (!a) return QA_EINTERNAL;
        if ((rc = readValues(sw, a, qaYamlValueAt(v, i), lists, what))) return rc;
      }
      continue;
    }
    snprintf(what, sizeof what, "key '%s'", kKeys[key]);
    Axis *a = newAxis(sw, b, (Key)key, NULL, f[key].key);
    if (!a) return QA_EINTERNAL;
    if ((rc = readValues(sw, a, f[key].val, lists, what))) return rc;
  }
  if (f[K_BITS].key && (f[K_A_BITS].key || f[K_W_BITS].key))
    return qaYamlFail(f[K_BITS].key, sw->err, "%s gives bits and a_bits/w_bits: give one or the other",
                      where);
  return QA_OK;
}

static int addBlock(QaSweep *sw, const QaYamlNode *m, int lists, const char *where) {
  Block *g = realloc(sw->blocks, (size_t)(sw->n_blocks + 1) * sizeof *g);
  if (!g) return oom(sw);
  sw->blocks = g;
  memset(&sw->blocks[sw->n_blocks], 0, sizeof *g);
  return readBlock(sw, m, lists, where, &sw->blocks[sw->n_blocks++]);
}

/* ---- expansion ---------------------------------------------------------------------- */

/* The axes of block B over the defaults: a block's key (or set parameter) replaces the
** default's. Pointers into both blocks, in out[] (caller-sized); returns how many. */
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

/* Append " FMT" to the command line CMD[CAP]. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
cmdf(char *cmd, size_t cap, const char *fmt, ...) {
  size_t len = strlen(cmd);
  va_list ap;
  va_start(ap, fmt);
  if (len < cap) vsnprintf(cmd + len, cap - len, fmt, ap);
  va_end(ap);
}

/* The point of one combination: VAL[i] is the chosen value of axis AX[i]. */
static int makePoint(QaSweep *sw, const Block *b, const Axis *const *ax, const Val *const *val, int n) {
  if (sw->n_pt == sw->cap_pt) {
    int cap = sw->cap_pt ? 2 * sw->cap_pt : 64;
    QaSweepPoint *g = realloc(sw->pt, (size_t)cap * sizeof *g);
    if (!g) return oom(sw);
    sw->pt = g;
    sw->cap_pt = cap;
  }
  QaSweepPoint *p = &sw->pt[sw->n_pt];
  memset(p, 0, sizeof *p);
  qaRunDefaults(&p->opt);
  p->opt.db_path = NULL;
  p->line = qaYamlLine(b->node);
  p->column = qaYamlColumn(b->node);
  char label[512] = "", cmd[4096] = "qasim run";
  const char *arch = NULL, *config = NULL;
  for (int i = 0; i < n; i++) {
    const char *t = val[i]->text;
    switch (ax[i]->key) {
      case K_ARCH:
        arch = p->opt.arch.arch = t;
        cmdf(cmd, sizeof cmd, " --arch %s", t);
        break;
      case K_CONFIG: {
        struct stat sb;
        const char *rel = specPath(sw, t);
        config = p->opt.arch.config = stat(rel, &sb) == 0 || isPathLike(t) ? rel : t;
        cmdf(cmd, sizeof cmd, " --config %s", config);
        break;
      }
      case K_SET:
        if (p->opt.arch.n_sets == QA_RUN_MAX_SETS)
          return qaYamlFail(ax[i]->node, sw->err, "more than %d set parameters in one point",
                            QA_RUN_MAX_SETS);
        p->sets[p->opt.arch.n_sets++] = arenaf(sw, "%s=%s", ax[i]->param, t);
        cmdf(cmd, sizeof cmd, " --set %s=%s", ax[i]->param, t);
        break;
      case K_NET:
        p->opt.net = isPathLike(t) ? specPath(sw, t) : t;
        cmdf(cmd, sizeof cmd, " --net %s", p->opt.net);
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
        cmdf(cmd, sizeof cmd, " --quant-a %s", t);
        break;
      case K_QUANT_W:
        p->opt.quant_w = t;
        cmdf(cmd, sizeof cmd, " --quant-w %s", t);
        break;
      case K_ENCODER:
        p->opt.encoder = t;
        cmdf(cmd, sizeof cmd, " --encoder %s", t);
        break;
      case K_COSTS:
        p->opt.costs = t;
        cmdf(cmd, sizeof cmd, " --costs %s", t);
        break;
      case K_SEED:
        qaParseUint64(t, "seed", 0, UINT64_MAX, &p->opt.seed, NULL);
        cmdf(cmd, sizeof cmd, " --seed %s", t);
        break;
      case K_ZERO_FRAC:
        qaParseDouble(t, "zero_frac", 0, 1, &p->opt.act_zero_frac, NULL);
        cmdf(cmd, sizeof cmd, " --zero-frac %s", t);
        break;
      case K_WGT_DIST:
        p->opt.wgt_dist = t;
        cmdf(cmd, sizeof cmd, " --wgt-dist %s", t);
        break;
      case K_TIMING:
        qaTimingParse(t, &p->opt.timing, NULL);
        cmdf(cmd, sizeof cmd, " --timing %s", t);
        break;
      case K_VERIFY:
        p->opt.verify = isTrue(t);
        if (!p->opt.verify) cmdf(cmd, sizeof cmd, " --no-verify");
        break;
      default:
        break;
    }
  }
  if (!p->opt.net)
    return qaYamlFail(b->node, sw->err,
                      "this point has no net (give net: here, in product: or in defaults:)");
  cmdf(cmd, sizeof cmd, " --a-bits %d --w-bits %d", p->opt.a_bits, p->opt.w_bits);
  p->opt.arch.sets = p->sets;

  /* set parameters must be parameters of the architecture, with values it accepts */
  if (p->opt.arch.n_sets && (arch || !config)) {
    const QaArchDesc *d = NULL;
    QaErr e = {0, ""};
    if (qaArchFind(arch ? arch : "dadiannao", &d, &e)) return qaYamlFail(b->node, sw->err, "%s", e.msg);
    QaArchConfig scratch;
    qaCfgDefaults(d, &scratch);
    for (int i = 0; i < n; i++) {
      if (ax[i]->key != K_SET) continue;
      char origin[QA_PATH_MAX + 32];
      snprintf(origin, sizeof origin, "%s:%d:%d", sw->path, qaYamlLine(val[i]->node),
               qaYamlColumn(val[i]->node));
      if (qaCfgSetText(&scratch, ax[i]->param, val[i]->text, origin, &e))
        return qaErrSet(sw->err, QA_EUSER, "%s", e.msg);
    }
  }

  /* label: what the point is, shortest first */
  snprintf(label, sizeof label, "%s", arch ? arch : config ? config : "dadiannao");
  for (int i = 0; i < p->opt.arch.n_sets; i++) cmdf(label, sizeof label, " %s", p->sets[i]);
  const char *net = p->opt.net, *slash = strrchr(net, '/');
  cmdf(label, sizeof label, " %s a%d/w%d", slash ? slash + 1 : net, p->opt.a_bits, p->opt.w_bits);
  for (int i = 0; i < n; i++) {
    Key k = ax[i]->key;
    if (k == K_QUANT_A || k == K_QUANT_W || k == K_ENCODER || k == K_COSTS || k == K_SEED ||
        k == K_ZERO_FRAC || k == K_WGT_DIST || k == K_TIMING || k == K_VERIFY)
      cmdf(label, sizeof label, " %s=%s", kKeys[k], val[i]->text);
  }
  p->label = arenaDup(sw, label, strlen(label));
  p->command = arenaDup(sw, cmd, strlen(cmd));
  sw->n_pt++;
  return sw->oom ? oom(sw) : QA_OK;
}

/* Every combination of the block's axes (over the defaults), in key order. */
static int expandBlock(QaSweep *sw, const Block *b) {
  const Axis *ax[K_COUNT + 2 * QA_RUN_MAX_SETS + 64];
  const Val *val[sizeof ax / sizeof ax[0]];
  int idx[sizeof ax / sizeof ax[0]];
  if (sw->defaults.n_ax + b->n_ax > (int)(sizeof ax / sizeof ax[0]))
    return qaYamlFail(b->node, sw->err, "too many keys in one point");
  int n = mergeAxes(&sw->defaults, b, ax);
  double total = 1;
  for (int i = 0; i < n; i++) total *= ax[i]->n;
  if (total + sw->n_pt > QA_SWEEP_MAX_POINTS)
    return qaYamlFail(b->node, sw->err, "this product has %.0f points: more than %d", total,
                      QA_SWEEP_MAX_POINTS);
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
  QaSweep *sw = NULL;
  QaYamlField top[T_COUNT];
  *out = NULL;
  if (!path || !*path) return qaErrSet(err, QA_EUSER, "no sweep spec given");
  if (!(sw = qaCalloc(1, sizeof *sw, err))) return QA_EINTERNAL;
  sw->err = err;
  if (!(sw->path = strdup(path))) {
    rc = qaErrSet(err, QA_EINTERNAL, "out of memory");
    goto end;
  }
  const char *slash = strrchr(path, '/');
  if (slash) snprintf(sw->dir, sizeof sw->dir, "%.*s/", (int)(slash - path), path);
  sw->name = slash ? slash + 1 : sw->path;
  if ((rc = qaYamlLoadFile(path, "sweep spec", &sw->doc, err))) goto end;
  const QaYamlNode *root = qaYamlRoot(sw->doc);
  if (!root) {
    rc = qaYamlFailDoc(sw->doc, err, "no design points: give product: and/or points: (see sim/README.md)");
    goto end;
  }
  if (qaYamlKind(root) != QA_YAML_MAP) {
    rc = qaYamlFail(root, err, "a sweep spec is a mapping with product: and/or points: (see sim/README.md)");
    goto end;
  }
  for (int i = 0; i < qaYamlCount(root); i++) { /* a point key at the top: say where it goes */
    const char *k = qaYamlScalar(qaYamlKeyAt(root, i));
    for (int j = 0; k && j < K_COUNT; j++)
      if (!strcmp(k, kKeys[j])) {
        rc = qaYamlFail(
            qaYamlKeyAt(root, i), err,
            "unknown key '%s' at the top level: point keys go under defaults:, product: or points:", k);
        goto end;
      }
  }
  if ((rc = qaYamlReadMap(root, "at the top level", kTopKeys, T_COUNT, top, err))) goto end;
  if (top[T_NAME].val) {
    const char *name;
    if ((rc = qaYamlGetText(top[T_NAME].val, "key 'name'", &name, err))) goto end;
    sw->name = arenaDup(sw, name, strlen(name));
  }
  if (top[T_DEFAULTS].val && (rc = readBlock(sw, top[T_DEFAULTS].val, 0, "in defaults", &sw->defaults)))
    goto end;
  const QaYamlNode *prod = top[T_PRODUCT].val;
  if (prod) {
    if (qaYamlKind(prod) == QA_YAML_SEQ) {
      for (int i = 0; i < qaYamlCount(prod); i++)
        if ((rc = addBlock(sw, qaYamlItem(prod, i), 1, "in a product"))) goto end;
    } else if ((rc = addBlock(sw, prod, 1, "in product"))) {
      goto end;
    }
  }
  const QaYamlNode *pts = top[T_POINTS].val;
  if (pts) {
    if (qaYamlKind(pts) != QA_YAML_SEQ) {
      rc = qaYamlFail(pts, err, "points must be a list of points (- {arch: ..., net: ...}), not %s",
                      qaYamlKindName(pts));
      goto end;
    }
    for (int i = 0; i < qaYamlCount(pts); i++)
      if ((rc = addBlock(sw, qaYamlItem(pts, i), 0, "in a point"))) goto end;
  }
  if (sw->n_blocks == 0) {
    rc = qaYamlFail(root, err, "no design points: give product: and/or points: (see sim/README.md)");
    goto end;
  }
  for (int i = 0; i < sw->n_blocks; i++)
    if ((rc = expandBlock(sw, &sw->blocks[i]))) goto end;
  for (int i = 0; i < sw->n_pt; i++) sw->pt[i].opt.arch.sets = sw->pt[i].sets; /* (pt moved as it grew) */
end:
  if (rc) {
    qaSweepDestroy(sw);
    return rc;
  }
  freeParse(sw);
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
      qaErrPrefix(err, "%s:%d:%d: point %s", sw->path, p->line, p->column, p->label);
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

/* The synthetic values a sweep makes before its workers start (their float activations
** and weights, shared by the forked workers). */
#define QA_SWEEP_VALUES_MAX ((int64_t)512 << 20)

static int sameText(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* 1 if runs A and B make the same synthetic values (qaRunWarmValues' inputs). */
static int sameValues(const QaRunOptions *a, const QaRunOptions *b) {
  return sameText(a->net, b->net) && sameText(a->layers, b->layers) && sameText(a->wgt_dist, b->wgt_dist) &&
         a->seed == b->seed && !memcmp(&a->act_zero_frac, &b->act_zero_frac, sizeof a->act_zero_frac) &&
         a->synthetic == b->synthetic && a->stream_min_weights == b->stream_min_weights;
}

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
  /* the points' synthetic values, made once here and inherited by every worker (a point
  ** whose network does not open fails in its worker, with its own message) */
  for (int i = 0; i < sw->n_pt; i++) {
    QaErr ignored = {0, ""};
    int seen = 0; /* an earlier point made the same values */
    for (int j = 0; j < i && !seen; j++)
      seen = !sw->pt[j].stored && sameValues(&sw->pt[i].opt, &sw->pt[j].opt);
    if (!sw->pt[i].stored && !seen) (void)qaRunWarmValues(&sw->pt[i].opt, QA_SWEEP_VALUES_MAX, &ignored);
  }
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
          snprintf(first_fail, sizeof first_fail, "%s:%d:%d: point %s: %.700s", sw->path, p->line, p->column,
                   p->label, out.msg);
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
  qaValuesCacheClear();
  qaStoreFreeStrings(ids, n_ids);
  qaStoreClose(st);
  if (prog) *prog = pg;
  return rc;
}
