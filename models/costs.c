/*
** costs.c - cost tables: the CSV loader and validator, table lookup by name, the
** pricing primitives with their scaling rules, composites, and the provenance listing.
** The Accelergy ERT/ART importer is in accelergy.c and builds tables through the
** qaCostTableCreate / AddRow / AddRaw / Finish calls defined here.
*/
#define _POSIX_C_SOURCE 200809L
#include "models/costs.h"

#include "models/memcost.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/sha256.h"

#ifndef QA_SOURCE_DIR
#define QA_SOURCE_DIR "."
#endif

#define BITS_MAX 4096 /* widest operand / access a row or a query may name */
#define GROUP_MAX 64  /* most rows of one class, action and instance */
#define PATH_MAX_LEN 1024
#define FIELDS_MAX 32
#define GRIDS_MAX 4   /* most memory grids one table names */
#define ROWS_MAX 4096 /* most rows of a table: the checks below are pairwise (issue 13) */

/* ---- Classes -------------------------------------------------------------------------- */

typedef enum Kind {
  K_LINEAR,  /* energy and area linear in bits_a */
  K_PRODUCT, /* power law in bits_a * bits_b */
  K_MEMORY,  /* per-bit energy and area power laws in capacity; energy x access bits */
  K_FIXED,   /* one fixed width, priced only there */
  K_SCALE    /* a calibration factor: width-independent, named by its instance */
} Kind;

typedef struct ClassInfo {
  const char *name;
  Kind kind;
  int storage;    /* 1: actions read/write/access; 0: action op */
  int fixed_bits; /* K_FIXED: the width */
} ClassInfo;

static const ClassInfo kClasses[] = {
    {"int_add", K_LINEAR, 0, 0},   {"int_mult", K_PRODUCT, 0, 0}, {"int_mac", K_PRODUCT, 0, 0},
    {"fp16_add", K_FIXED, 0, 16},  {"fp16_mult", K_FIXED, 0, 16}, {"fp32_add", K_FIXED, 0, 32},
    {"fp32_mult", K_FIXED, 0, 32}, {"reg", K_LINEAR, 0, 0},       {"noc", K_LINEAR, 0, 0},
    {"regfile", K_MEMORY, 1, 0},   {"sram", K_MEMORY, 1, 0},      {"edram", K_MEMORY, 1, 0},
    {"dram", K_LINEAR, 1, 0},      {"scale", K_SCALE, 0, 0},
};
static const ClassInfo kDramType = {"dram_<type>", K_LINEAR, 1, 0};

#define KNOWN_CLASSES                                                                \
  "int_add, int_mult, int_mac, fp16_add, fp16_mult, fp32_add, fp32_mult, reg, noc, " \
  "regfile, sram, edram, dram, dram_<type>, scale"

static int isIdent(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')) return 0;
  return 1;
}

static const ClassInfo *classFind(const char *cls) {
  for (size_t i = 0; i < sizeof kClasses / sizeof kClasses[0]; i++)
    if (!strcmp(cls, kClasses[i].name)) return &kClasses[i];
  if (!strncmp(cls, "dram_", 5) && isIdent(cls + 5)) return &kDramType;
  return NULL;
}

static const char *const kScaleNames[QA_SCALE_COUNT] = {"memory_energy", "memory_area", "logic_energy",
                                                        "logic_area", "leakage"};

static int scaleFind(const char *instance) {
  for (int i = 0; i < QA_SCALE_COUNT; i++)
    if (!strcmp(instance, kScaleNames[i])) return i;
  return -1;
}

const char *qaCostScaleName(QaCostScaleKind kind) {
  return (unsigned)kind < QA_SCALE_COUNT ? kScaleNames[kind] : "?";
}

static const char *const kActionNames[] = {"op", "read", "write", "access"};
#define N_STATUS 5
static const char *const kStatusNames[N_STATUS] = {"verified", "derived", "calibrated", "extrapolated",
                                                   "assumed"};

const char *qaCostStatusName(QaCostStatus s) { return (unsigned)s < N_STATUS ? kStatusNames[s] : "?"; }
const char *qaCostActionName(QaCostAction a) { return (unsigned)a < 4 ? kActionNames[a] : "?"; }

/* ---- Table ----------------------------------------------------------------------------- */

struct QaCostTable {
  char name[QA_COST_NAME_MAX];
  char path[PATH_MAX_LEN];
  int normalized; /* energies are multiples of one MAC */
  int n_rows, cap_rows;
  QaCostRow *rows; /* each rows[i].source is owned */
  int n_raw, cap_raw;
  QaCostRaw *raw;
  int n_grids;
  QaMemGrid *grids[GRIDS_MAX]; /* the memory grids grid rows name, each loaded once */
  char id[QA_SHA256_HEX];      /* content hash, set by qaCostTableFinish */
};

static char *dupStr(const char *s, QaErr *err) {
  size_t n = strlen(s ? s : "");
  char *d = qaMalloc(n + 1, err);
  if (d) memcpy(d, s ? s : "", n + 1);
  return d;
}

/* Copy SRC into DST[cap]; returns 0 if it did not fit. */
static int copyStr(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n >= cap) return 0;
  memcpy(dst, src, n + 1);
  return 1;
}

QaCostTable *qaCostTableCreate(const char *name, const char *path, int normalized, QaErr *err) {
  QaCostTable *t = qaCalloc(1, sizeof *t, err);
  if (!t) return NULL;
  snprintf(t->name, sizeof t->name, "%s", name ? name : "");
  snprintf(t->path, sizeof t->path, "%s", path ? path : "");
  t->normalized = normalized ? 1 : 0;
  return t;
}

void qaCostTableDestroy(QaCostTable *t) {
  if (!t) return;
  for (int i = 0; i < t->n_rows; i++) free((char *)t->rows[i].source);
  free(t->rows);
  free(t->raw);
  for (int i = 0; i < t->n_grids; i++) qaMemGridDestroy(t->grids[i]);
  free(t);
}

const char *qaCostTableName(const QaCostTable *t) { return t->name; }
const char *qaCostTableId(const QaCostTable *t) { return t->id; }
const char *qaCostTablePath(const QaCostTable *t) { return t->path; }
int qaCostTableIsNormalized(const QaCostTable *t) { return t->normalized; }
const char *qaCostTableEnergyUnit(const QaCostTable *t) { return t->normalized ? "MAC" : "pJ"; }
int qaCostTableRowCount(const QaCostTable *t) { return t->n_rows; }
const QaCostRow *qaCostTableRow(const QaCostTable *t, int i) {
  return i >= 0 && i < t->n_rows ? &t->rows[i] : NULL;
}
int qaCostTableRawCount(const QaCostTable *t) { return t->n_raw; }
const QaCostRaw *qaCostTableRaw(const QaCostTable *t, int i) {
  return i >= 0 && i < t->n_raw ? &t->raw[i] : NULL;
}

int qaCostTableHasClass(const QaCostTable *t, const char *cls) {
  for (int i = 0; i < t->n_rows; i++)
    if (!strcmp(t->rows[i].cls, cls)) return 1;
  return 0;
}

/* "path:line: field 'f': message" (or "name: field 'f': ..." for rows built in code). */
static int rowErr(const QaCostTable *t, int line, const char *field, QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static int rowErr(const QaCostTable *t, int line, const char *field, QaErr *err, const char *fmt, ...) {
  char msg[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  const char *where = t->path[0] ? t->path : t->name;
  if (line > 0) return qaErrSet(err, QA_EUSER, "%s:%d: field '%s': %s", where, line, field, msg);
  return qaErrSet(err, QA_EUSER, "%s: field '%s': %s", where, field, msg);
}

/* Short description of a row's key, e.g. "int_mult op 8x8 bits" or "sram access 64 bits
** at 8192 bytes". */
static void describeRow(const QaCostRow *r, char *buf, size_t cap) {
  int n = snprintf(buf, cap, "%s%s%s %s", r->cls, r->instance[0] ? " " : "", r->instance,
                   qaCostActionName(r->action));
  if (n < 0 || (size_t)n >= cap) return;
  if (r->bits_b)
    n += snprintf(buf + n, cap - (size_t)n, " %dx%d bits", r->bits_a, r->bits_b);
  else if (r->bits_a)
    n += snprintf(buf + n, cap - (size_t)n, " %d bits", r->bits_a);
  else
    n += snprintf(buf + n, cap - (size_t)n, " (width-independent)");
  if (n < 0 || (size_t)n >= cap) return;
  if (r->capacity_bytes) snprintf(buf + n, cap - (size_t)n, " at %lld bytes", (long long)r->capacity_bytes);
}

static int sameKey(const QaCostRow *a, const QaCostRow *b) {
  return !strcmp(a->cls, b->cls) && a->action == b->action && !strcmp(a->instance, b->instance) &&
         a->bits_a == b->bits_a && a->bits_b == b->bits_b && a->capacity_bytes == b->capacity_bytes;
}

static int sameGroup(const QaCostRow *a, const QaCostRow *b) {
  return !strcmp(a->cls, b->cls) && a->action == b->action && !strcmp(a->instance, b->instance);
}

static int isFlat(const QaCostRow *r) { return r->bits_a == 0 && r->bits_b == 0 && r->capacity_bytes == 0; }

/* The data dir's table folder: $QASIM_DATA/models/tables, or the source tree's. */
static int tablesDir(char *out, size_t cap) {
  const char *root = getenv("QASIM_DATA");
  if (!root || !*root) root = QA_SOURCE_DIR;
  int n = snprintf(out, cap, "%s/models/tables", root);
  return n >= 0 && (size_t)n < cap;
}

static int isTableName(const char *s);

static QaMemGrid *gridFind(const QaCostTable *t, const char *name) {
  for (int i = 0; i < t->n_grids; i++)
    if (!strcmp(qaMemGridName(t->grids[i]), name)) return t->grids[i];
  return NULL;
}

/* Check grid row R and load its grid (once per table) from beside the table file. */
static int addGridRow(QaCostTable *t, const QaCostRow *r, QaErr *err) {
  int ln = r->line;
  QaMemKind kind;
  if (!qaMemKindParse(r->cls, &kind))
    return rowErr(t, ln, "grid", err, "class %s cannot come from a memory grid (only sram and edram)",
                  r->cls);
  if (r->action != QA_COST_ACCESS)
    return rowErr(t, ln, "action", err,
                  "a grid row prices reads and writes of its class: its action is access (got %s)",
                  qaCostActionName(r->action));
  const char *field = r->bits_a ? "bits_a" : r->bits_b ? "bits_b" : "capacity_bytes";
  if (r->bits_a || r->bits_b || r->capacity_bytes)
    return rowErr(t, ln, field, err, "a grid row has no widths or capacity: grid '%s' prices every size",
                  r->grid);
  field = r->energy != 0 ? "energy" : !isnan(r->area_um2) ? "area" : "leakage_uw";
  if (r->energy != 0 || !isnan(r->area_um2) || !isnan(r->leakage_uw))
    return rowErr(t, ln, field, err,
                  "a grid row takes its energy, area and leakage from grid '%s': leave it empty", r->grid);
  if (!isTableName(r->grid))
    return rowErr(t, ln, "grid", err, "'%s' is not a grid name ([A-Za-z0-9_-]+, a folder beside the table)",
                  r->grid);
  QaMemGrid *g = gridFind(t, r->grid);
  if (!g) {
    char dir[PATH_MAX_LEN];
    int ok;
    if (t->path[0]) {
      const char *slash = strrchr(t->path, '/');
      int n = slash ? snprintf(dir, sizeof dir, "%.*s/%s", (int)(slash - t->path), t->path, r->grid)
                    : snprintf(dir, sizeof dir, "%s", r->grid);
      ok = n >= 0 && (size_t)n < sizeof dir;
    } else {
      ok = tablesDir(dir, sizeof dir);
      size_t used = strlen(dir);
      int n = snprintf(dir + used, sizeof dir - used, "/%s", r->grid);
      ok = ok && n >= 0 && (size_t)n < sizeof dir - used;
    }
    if (!ok) return rowErr(t, ln, "grid", err, "the path of grid '%s' is too long", r->grid);
    if (t->n_grids == GRIDS_MAX)
      return rowErr(t, ln, "grid", err, "more than %d memory grids in one table", GRIDS_MAX);
    int rc = qaMemGridLoad(dir, &g, err);
    if (rc) {
      const char *where = t->path[0] ? t->path : t->name;
      if (ln > 0)
        qaErrPrefix(err, "%s:%d: field 'grid': cannot load memory grid '%s'", where, ln, r->grid);
      else
        qaErrPrefix(err, "%s: field 'grid': cannot load memory grid '%s'", where, r->grid);
      return rc;
    }
    t->grids[t->n_grids++] = g;
  }
  if (!qaMemGridHas(g, kind))
    return rowErr(t, ln, "grid", err, "memory grid '%s' (%s) has no %s points", r->grid, qaMemGridDir(g),
                  r->cls);
  return QA_OK;
}

int qaCostTableAddRow(QaCostTable *t, const QaCostRow *r, QaErr *err) {
  const ClassInfo *ci = classFind(r->cls);
  int ln = r->line;
  if (!ci) return rowErr(t, ln, "class", err, "unknown class '%s' (known: %s)", r->cls, KNOWN_CLASSES);
  if ((unsigned)r->action > QA_COST_ACCESS)
    return rowErr(t, ln, "action", err, "unknown action %d", (int)r->action);
  if (ci->storage && r->action == QA_COST_OP)
    return rowErr(t, ln, "action", err, "class %s is a memory: its action is read, write or access", r->cls);
  if (!ci->storage && r->action != QA_COST_OP)
    return rowErr(t, ln, "action", err, "class %s is logic: its only action is op (got %s)", r->cls,
                  qaCostActionName(r->action));
  if (r->bits_a < 0 || r->bits_a > BITS_MAX)
    return rowErr(t, ln, "bits_a", err, "%d is out of range 0..%d", r->bits_a, BITS_MAX);
  if (r->bits_b < 0 || r->bits_b > BITS_MAX)
    return rowErr(t, ln, "bits_b", err, "%d is out of range 0..%d", r->bits_b, BITS_MAX);
  if (r->capacity_bytes < 0)
    return rowErr(t, ln, "capacity_bytes", err, "negative value %lld", (long long)r->capacity_bytes);
  switch (ci->kind) {
    case K_LINEAR:
    case K_FIXED:
      if (r->bits_b)
        return rowErr(t, ln, "bits_b", err, "class %s has one width (bits_a); leave bits_b empty", r->cls);
      if (r->capacity_bytes)
        return rowErr(t, ln, "capacity_bytes", err,
                      "class %s is not a sized memory; leave capacity_bytes empty", r->cls);
      if (ci->kind == K_FIXED && r->bits_a && r->bits_a != ci->fixed_bits)
        return rowErr(t, ln, "bits_a", err, "class %s is %d bits wide (got %d)", r->cls, ci->fixed_bits,
                      r->bits_a);
      break;
    case K_PRODUCT:
      if ((r->bits_a == 0) != (r->bits_b == 0))
        return rowErr(t, ln, r->bits_a ? "bits_b" : "bits_a", err,
                      "class %s needs both operand widths bits_a and bits_b, or neither", r->cls);
      if (r->capacity_bytes)
        return rowErr(t, ln, "capacity_bytes", err,
                      "class %s is not a sized memory; leave capacity_bytes empty", r->cls);
      break;
    case K_SCALE:
      if (r->bits_a || r->bits_b || r->capacity_bytes)
        return rowErr(t, ln,
                      r->bits_a   ? "bits_a"
                      : r->bits_b ? "bits_b"
                                  : "capacity_bytes",
                      err, "a scale row is a factor: it has no widths or capacity");
      if (scaleFind(r->instance) < 0)
        return rowErr(t, ln, "instance", err,
                      "unknown scale '%s' (known: memory_energy, memory_area, logic_energy, logic_area, "
                      "leakage)",
                      r->instance);
      if (!(r->energy > 0))
        return rowErr(t, ln, "energy", err, "a scale factor must be positive (got %g)", r->energy);
      break;
    case K_MEMORY:
      if ((r->bits_a == 0) != (r->capacity_bytes == 0))
        return rowErr(t, ln, r->bits_a ? "capacity_bytes" : "bits_a", err,
                      "class %s needs both capacity_bytes and bits_a (the access width), or neither", r->cls);
      if (r->bits_b)
        return rowErr(t, ln, "bits_b", err, "class %s has one width (bits_a); leave bits_b empty", r->cls);
      break;
  }
  if (!isfinite(r->energy)) return rowErr(t, ln, "energy", err, "not a finite number");
  if (r->energy < 0) return rowErr(t, ln, "energy", err, "negative value %g", r->energy);
  if (isinf(r->area_um2) || r->area_um2 < 0)
    return rowErr(t, ln, "area", err, "negative or infinite value %g", r->area_um2);
  if (isinf(r->leakage_uw) || r->leakage_uw < 0)
    return rowErr(t, ln, "leakage_uw", err, "negative or infinite value %g", r->leakage_uw);
  if ((unsigned)r->status > QA_COST_ASSUMED)
    return rowErr(t, ln, "status", err, "unknown status %d", (int)r->status);
  if ((unsigned)r->area_status > QA_COST_ASSUMED)
    return rowErr(t, ln, "area_status", err, "unknown status %d", (int)r->area_status);
  if ((unsigned)r->leakage_status > QA_COST_ASSUMED)
    return rowErr(t, ln, "leakage_status", err, "unknown status %d", (int)r->leakage_status);
  if (r->grid[0]) {
    int rc = addGridRow(t, r, err);
    if (rc) return rc;
  }
  if (t->n_rows >= ROWS_MAX)
    return rowErr(t, ln, "class", err, "more than %d rows; a cost table holds at most %d", ROWS_MAX,
                  ROWS_MAX);
  for (int i = 0; i < t->n_rows; i++) {
    if (sameKey(&t->rows[i], r)) {
      char d[160];
      describeRow(r, d, sizeof d);
      return rowErr(t, ln, "class", err, "duplicate row: %s (first at line %d)", d, t->rows[i].line);
    }
  }
  if (t->n_rows == t->cap_rows) {
    int cap = t->cap_rows ? 2 * t->cap_rows : 32;
    QaCostRow *nr = realloc(t->rows, (size_t)cap * sizeof *nr);
    if (!nr) return qaErrSet(err, QA_EINTERNAL, "out of memory growing cost table '%s'", t->name);
    t->rows = nr;
    t->cap_rows = cap;
  }
  char *src = dupStr(r->source, err);
  if (!src) return QA_EINTERNAL;
  t->rows[t->n_rows] = *r;
  t->rows[t->n_rows].source = src;
  t->n_rows++;
  return QA_OK;
}

int qaCostTableAddRaw(QaCostTable *t, const QaCostRaw *raw, QaErr *err) {
  if (t->n_raw == t->cap_raw) {
    int cap = t->cap_raw ? 2 * t->cap_raw : 32;
    QaCostRaw *nr = realloc(t->raw, (size_t)cap * sizeof *nr);
    if (!nr) return qaErrSet(err, QA_EINTERNAL, "out of memory growing cost table '%s'", t->name);
    t->raw = nr;
    t->cap_raw = cap;
  }
  t->raw[t->n_raw++] = *raw;
  return QA_OK;
}

/* ---- Groups of rows: one class, action and instance ------------------------------------ */

typedef struct Group {
  const QaCostRow *r[GROUP_MAX];
  double x[GROUP_MAX]; /* the scaling variable: bits_a, bits_a*bits_b, or capacity */
  int n;
  Kind kind;
} Group;

static double groupX(Kind kind, const QaCostRow *r) {
  switch (kind) {
    case K_PRODUCT:
      return (double)r->bits_a * (double)r->bits_b;
    case K_MEMORY:
      return (double)r->capacity_bytes;
    default:
      return (double)r->bits_a;
  }
}

/* Per-row energy the scaling rule interpolates: per bit for memories. */
static double groupY(Kind kind, const QaCostRow *r) {
  return kind == K_MEMORY ? r->energy / r->bits_a : r->energy;
}

static void groupSort(Group *g) {
  for (int i = 1; i < g->n; i++) {
    const QaCostRow *r = g->r[i];
    double x = g->x[i];
    int j = i - 1;
    while (j >= 0 && g->x[j] > x) {
      g->r[j + 1] = g->r[j];
      g->x[j + 1] = g->x[j];
      j--;
    }
    g->r[j + 1] = r;
    g->x[j + 1] = x;
  }
}

static void describeX(Kind kind, const QaCostRow *r, char *buf, size_t cap) {
  if (kind == K_PRODUCT)
    snprintf(buf, cap, "%dx%d bits", r->bits_a, r->bits_b);
  else if (kind == K_MEMORY)
    snprintf(buf, cap, "%lld bytes", (long long)r->capacity_bytes);
  else
    snprintf(buf, cap, "%d bits", r->bits_a);
}

static int checkGroup(const QaCostTable *t, Group *g, QaErr *err) {
  const char *unit = t->normalized ? "MAC" : "pJ";
  char da[64], db[64];
  if (g->n > 1) {
    for (int i = 0; i < g->n; i++) {
      if (isFlat(g->r[i])) {
        const QaCostRow *other = g->r[i == 0 ? 1 : 0];
        return rowErr(t, g->r[i]->line, "bits_a", err,
                      "a width-independent %s %s row must be the only one of its class and action "
                      "(another at line %d)",
                      g->r[i]->cls, qaCostActionName(g->r[i]->action), other->line);
      }
    }
  }
  for (int i = 0; i < g->n; i++) g->x[i] = groupX(g->kind, g->r[i]);
  groupSort(g);
  for (int i = 1; i < g->n; i++) {
    const QaCostRow *p = g->r[i - 1], *c = g->r[i];
    if (g->x[i] == g->x[i - 1]) {
      const char *field = g->kind == K_MEMORY ? "capacity_bytes" : "bits_b";
      return rowErr(t, c->line, field, err, "%s %s: same %s as line %d; give one row per %s", c->cls,
                    qaCostActionName(c->action), g->kind == K_MEMORY ? "capacity" : "a*b product", p->line,
                    g->kind == K_MEMORY ? "capacity" : "product");
    }
    double yp = groupY(g->kind, p), yc = groupY(g->kind, c);
    if (yc < yp) {
      describeX(g->kind, c, da, sizeof da);
      describeX(g->kind, p, db, sizeof db);
      return rowErr(t, c->line, "energy", err,
                    "%g %s%s at %s is below %g %s%s at %s (line %d): costs must not decrease with "
                    "size",
                    yc, unit, g->kind == K_MEMORY ? "/bit" : "", da, yp, unit,
                    g->kind == K_MEMORY ? "/bit" : "", db, p->line);
    }
  }
  const QaCostRow *prev = NULL;
  for (int i = 0; i < g->n; i++) {
    const QaCostRow *c = g->r[i];
    if (isnan(c->area_um2)) continue;
    if (prev && c->area_um2 < prev->area_um2) {
      describeX(g->kind, c, da, sizeof da);
      describeX(g->kind, prev, db, sizeof db);
      return rowErr(t, c->line, "area", err,
                    "%g um2 at %s is below %g um2 at %s (line %d): area must not decrease with size",
                    c->area_um2, da, prev->area_um2, db, prev->line);
    }
    prev = c;
  }
  return QA_OK;
}

/* Feed NUL-terminated text S, then a separator, to the hash. */
static void idText(QaSha256 *h, const char *s) {
  qaSha256Update(h, s, strlen(s));
  qaSha256Update(h, "|", 1);
}

static void idNum(QaSha256 *h, double v) {
  char b[40];
  if (isnan(v))
    snprintf(b, sizeof b, "-");
  else
    snprintf(b, sizeof b, "%.17g", v);
  idText(h, b);
}

/* The table's content hash (qaCostTableId): its rows, imported actions and grids. */
static void computeId(QaCostTable *t) {
  QaSha256 h;
  qaSha256Init(&h);
  idText(&h, "qasim cost table 1");
  idText(&h, t->normalized ? "normalised" : "pJ");
  for (int i = 0; i < t->n_rows; i++) {
    const QaCostRow *r = &t->rows[i];
    idText(&h, "row");
    idText(&h, r->cls);
    idText(&h, qaCostActionName(r->action));
    idText(&h, r->instance);
    idNum(&h, r->bits_a);
    idNum(&h, r->bits_b);
    idNum(&h, (double)r->capacity_bytes);
    idNum(&h, r->energy);
    idNum(&h, r->area_um2);
    idNum(&h, r->leakage_uw);
    idText(&h, qaCostStatusName(r->status));
    idText(&h, qaCostStatusName(r->area_status));
    idText(&h, qaCostStatusName(r->leakage_status));
    idText(&h, r->grid);
    idText(&h, r->source ? r->source : "");
    if (r->grid[0]) {
      const QaMemGrid *g = gridFind(t, r->grid);
      idText(&h, g ? qaMemGridId(g) : "?");
    }
  }
  for (int i = 0; i < t->n_raw; i++) {
    const QaCostRaw *r = &t->raw[i];
    idText(&h, "raw");
    idText(&h, r->component);
    idText(&h, r->instance);
    idText(&h, r->cls);
    idText(&h, r->action);
    idText(&h, r->arguments);
    idNum(&h, r->energy_pj);
    idNum(&h, r->area_um2);
  }
  qaSha256Final(&h, t->id);
}

int qaCostTableFinish(QaCostTable *t, QaErr *err) {
  if (t->n_rows == 0)
    return qaErrSet(err, QA_EUSER, "%s: cost table has no rows", t->path[0] ? t->path : t->name);
  for (int i = 0; i < t->n_rows; i++) {
    const QaCostRow *gr = &t->rows[i];
    if (!gr->grid[0]) continue;
    if (t->normalized)
      return rowErr(t, gr->line, "grid", err,
                    "a normalised (mac) table cannot price %s from grid '%s', whose energies are pJ", gr->cls,
                    gr->grid);
    for (int j = 0; j < t->n_rows; j++)
      if (j != i && !strcmp(t->rows[j].cls, gr->cls))
        return rowErr(t, t->rows[j].line, "class", err,
                      "class %s is priced from grid '%s' (line %d): it can have no other rows", gr->cls,
                      gr->grid, gr->line);
  }
  Group g;
  for (int i = 0; i < t->n_rows; i++) {
    int seen = 0;
    for (int j = 0; j < i && !seen; j++) seen = sameGroup(&t->rows[j], &t->rows[i]);
    if (seen) continue;
    g.n = 0;
    g.kind = classFind(t->rows[i].cls)->kind;
    for (int j = i; j < t->n_rows; j++) {
      if (!sameGroup(&t->rows[j], &t->rows[i])) continue;
      if (g.n == GROUP_MAX)
        return rowErr(t, t->rows[j].line, "class", err, "more than %d %s %s rows", GROUP_MAX, t->rows[i].cls,
                      qaCostActionName(t->rows[i].action));
      g.r[g.n++] = &t->rows[j];
    }
    int rc = checkGroup(t, &g, err);
    if (rc) return rc;
  }
  computeId(t);
  return QA_OK;
}

/* ---- CSV loading ----------------------------------------------------------------------- */

enum {
  C_CLASS,
  C_ACTION,
  C_INSTANCE,
  C_BITS_A,
  C_BITS_B,
  C_CAPACITY,
  C_ENERGY,
  C_ENERGY_UNIT,
  C_AREA,
  C_AREA_UNIT,
  C_LEAKAGE,
  C_STATUS,
  C_AREA_STATUS,
  C_SOURCE,
  C_GRID,
  C_LEAKAGE_STATUS,
  C_N
};
static const char *const kColNames[C_N] = {"class",       "action",         "instance",   "bits_a",
                                           "bits_b",      "capacity_bytes", "energy",     "energy_unit",
                                           "area",        "area_unit",      "leakage_uw", "status",
                                           "area_status", "source",         "grid",       "leakage_status"};
/* energy and energy_unit are required except on a grid row */
static const int kColRequired[C_N] = {1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0};

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = 0;
  return s;
}

/* Split LINE in place into comma-separated fields; a field may be double-quoted ("" is a
** quote inside). Returns the field count, -1 if there are too many, -2 on a bad quote. */
static int splitCsv(char *line, char **fields, int max) {
  int n = 0;
  char *p = line;
  for (;;) {
    if (n == max) return -1;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '"') {
      char *w = ++p, *start = p;
      for (;;) {
        if (!*p) return -2;
        if (*p == '"') {
          if (p[1] == '"') {
            *w++ = '"';
            p += 2;
            continue;
          }
          p++;
          break;
        }
        *w++ = *p++;
      }
      *w = 0;
      while (*p == ' ' || *p == '\t') p++;
      if (*p && *p != ',') return -2;
      fields[n++] = start;
      if (!*p) return n;
      p++;
    } else {
      char *start = p;
      while (*p && *p != ',') p++;
      int last = !*p;
      *p = 0;
      fields[n++] = trim(start);
      if (last) return n;
      p++;
    }
  }
}

static int parseNum(const QaCostTable *t, int line, const char *field, const char *s, double *out,
                    QaErr *err) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end || !isfinite(v)) return rowErr(t, line, field, err, "not a number '%s'", s);
  if (v < 0) return rowErr(t, line, field, err, "negative value %s", s);
  *out = v;
  return QA_OK;
}

static int parseCount(const QaCostTable *t, int line, const char *field, const char *s, long long max,
                      long long *out, QaErr *err) {
  char *end;
  *out = 0;
  if (!*s) return QA_OK;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end) return rowErr(t, line, field, err, "not a whole number '%s'", s);
  if (v < 0) return rowErr(t, line, field, err, "negative value %s", s);
  if (v > max) return rowErr(t, line, field, err, "%s is out of range 0..%lld", s, max);
  *out = v;
  return QA_OK;
}

static int parseStatus(const QaCostTable *t, int line, const char *field, const char *s, QaCostStatus *out,
                       QaErr *err) {
  for (int i = 0; i < N_STATUS; i++) {
    if (!strcmp(s, kStatusNames[i])) {
      *out = (QaCostStatus)i;
      return QA_OK;
    }
  }
  return rowErr(t, line, field, err,
                "unknown status '%s' (expected verified, derived, calibrated, extrapolated or "
                "assumed)",
                s);
}

/* Basename of PATH without its extension. */
static void baseName(const char *path, char *out, size_t cap) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  snprintf(out, cap, "%s", b);
  char *dot = strrchr(out, '.');
  if (dot && dot != out) *dot = 0;
}

typedef struct CsvState {
  int col_of[C_N]; /* column index in the file, -1 if absent */
  int n_cols;
  int header_line;
  int unit_line; /* first data line: its energy unit decides normalised or not */
  char unit_text[16];
} CsvState;

static int parseHeader(QaCostTable *t, CsvState *st, int line, char **f, int nf, QaErr *err) {
  for (int c = 0; c < C_N; c++) st->col_of[c] = -1;
  for (int i = 0; i < nf; i++) {
    int c = 0;
    while (c < C_N && strcmp(f[i], kColNames[c])) c++;
    if (c == C_N)
      return rowErr(t, line, f[i], err,
                    "unknown column (known: class, action, instance, bits_a, bits_b, "
                    "capacity_bytes, energy, energy_unit, area, area_unit, leakage_uw, status, "
                    "area_status, leakage_status, source, grid)");
    if (st->col_of[c] >= 0) return rowErr(t, line, f[i], err, "column given twice");
    st->col_of[c] = i;
  }
  for (int c = 0; c < C_N; c++)
    if (kColRequired[c] && st->col_of[c] < 0)
      return rowErr(t, line, kColNames[c], err, "required column missing from the header");
  st->n_cols = nf;
  st->header_line = line;
  return QA_OK;
}

static int parseRow(QaCostTable *t, CsvState *st, int line, char **f, int nf, QaErr *err) {
  const char *v[C_N];
  QaCostRow r;
  long long n;
  int rc;
  if (nf > st->n_cols)
    return rowErr(t, line, kColNames[C_SOURCE], err,
                  "%d fields but the header (line %d) has %d; quote text that contains commas", nf,
                  st->header_line, st->n_cols);
  for (int c = 0; c < C_N; c++) v[c] = st->col_of[c] >= 0 && st->col_of[c] < nf ? f[st->col_of[c]] : "";
  int grid_row = *v[C_GRID] != 0;
  for (int c = 0; c < C_N; c++)
    if (kColRequired[c] && !*v[c] && !(grid_row && (c == C_ENERGY || c == C_ENERGY_UNIT)))
      return rowErr(t, line, kColNames[c], err, "missing value");
  memset(&r, 0, sizeof r);
  r.line = line;
  r.area_um2 = NAN;
  r.leakage_uw = NAN;

  if (!copyStr(r.cls, sizeof r.cls, v[C_CLASS]))
    return rowErr(t, line, "class", err, "name too long '%s'", v[C_CLASS]);
  const ClassInfo *ci = classFind(r.cls);
  if (!ci) return rowErr(t, line, "class", err, "unknown class '%s' (known: %s)", r.cls, KNOWN_CLASSES);
  if (!*v[C_ACTION]) {
    r.action = ci->storage ? QA_COST_ACCESS : QA_COST_OP;
  } else {
    int a = 0;
    while (a < 4 && strcmp(v[C_ACTION], kActionNames[a])) a++;
    if (a == 4)
      return rowErr(t, line, "action", err, "unknown action '%s' (expected op, read, write or access)",
                    v[C_ACTION]);
    r.action = (QaCostAction)a;
  }
  if (!copyStr(r.instance, sizeof r.instance, v[C_INSTANCE]))
    return rowErr(t, line, "instance", err, "name too long '%s'", v[C_INSTANCE]);
  if ((rc = parseCount(t, line, "bits_a", v[C_BITS_A], BITS_MAX, &n, err))) return rc;
  r.bits_a = (int)n;
  if ((rc = parseCount(t, line, "bits_b", v[C_BITS_B], BITS_MAX, &n, err))) return rc;
  r.bits_b = (int)n;
  if (ci->kind == K_PRODUCT && r.bits_a && !*v[C_BITS_B]) r.bits_b = r.bits_a; /* square */
  if ((rc = parseCount(t, line, "capacity_bytes", v[C_CAPACITY], (long long)1 << 50, &n, err))) return rc;
  r.capacity_bytes = n;

  double e = 0;
  const char *eu = v[C_ENERGY_UNIT];
  int normalized = 0, scale_row = ci->kind == K_SCALE;
  if (scale_row != !strcmp(eu, "x"))
    return rowErr(t, line, "energy_unit", err,
                  scale_row ? "a scale row's energy is a factor: its energy_unit is x (got '%s')"
                            : "unit '%s' is for scale rows only (class scale)",
                  eu);
  if (scale_row) {
    if ((rc = parseNum(t, line, "energy", v[C_ENERGY], &r.energy, err))) return rc;
  } else if (grid_row) {
    if (*v[C_ENERGY] || *eu)
      return rowErr(t, line, *v[C_ENERGY] ? "energy" : "energy_unit", err,
                    "a grid row takes its energy from grid '%s': leave energy and energy_unit empty",
                    v[C_GRID]);
    if (!copyStr(r.grid, sizeof r.grid, v[C_GRID]))
      return rowErr(t, line, "grid", err, "name too long '%s'", v[C_GRID]);
  } else if ((rc = parseNum(t, line, "energy", v[C_ENERGY], &e, err))) {
    return rc;
  } else if (!strcmp(eu, "pJ"))
    r.energy = e;
  else if (!strcmp(eu, "nJ"))
    r.energy = e * 1000.0;
  else if (!strcmp(eu, "fJ"))
    r.energy = e / 1000.0;
  else if (!strcmp(eu, "mac") || !strcmp(eu, "MAC")) {
    r.energy = e;
    normalized = 1;
  } else
    return rowErr(t, line, "energy_unit", err,
                  "unknown unit '%s' (expected pJ, nJ, fJ, or mac for a normalised table)", eu);
  if (grid_row || scale_row) {
    /* no energy unit: the grid's are pJ (qaCostTableFinish checks the table is not normalised),
    ** a scale is a factor */
  } else if (!st->unit_line) {
    st->unit_line = line;
    snprintf(st->unit_text, sizeof st->unit_text, "%s", eu);
    t->normalized = normalized;
  } else if (normalized != t->normalized) {
    return rowErr(t, line, "energy_unit", err,
                  "'%s' mixes normalised (mac) and absolute energies (line %d uses '%s')", eu, st->unit_line,
                  st->unit_text);
  }

  const char *au = v[C_AREA_UNIT];
  double area_scale = 1.0;
  if (*au) {
    if (!strcmp(au, "um2") || !strcmp(au, "um^2"))
      area_scale = 1.0;
    else if (!strcmp(au, "mm2") || !strcmp(au, "mm^2"))
      area_scale = 1e6;
    else
      return rowErr(t, line, "area_unit", err, "unknown unit '%s' (expected um2 or mm2)", au);
  }
  if (*v[C_AREA]) {
    double a = 0;
    if ((rc = parseNum(t, line, "area", v[C_AREA], &a, err))) return rc;
    if (!*au) return rowErr(t, line, "area_unit", err, "missing value (area is given)");
    r.area_um2 = a * area_scale;
  }
  if (*v[C_LEAKAGE]) {
    if ((rc = parseNum(t, line, "leakage_uw", v[C_LEAKAGE], &r.leakage_uw, err))) return rc;
  }
  if ((rc = parseStatus(t, line, "status", v[C_STATUS], &r.status, err))) return rc;
  r.area_status = r.status;
  if (*v[C_AREA_STATUS]) {
    if ((rc = parseStatus(t, line, "area_status", v[C_AREA_STATUS], &r.area_status, err))) return rc;
  }
  r.leakage_status = r.status;
  if (*v[C_LEAKAGE_STATUS]) {
    if ((rc = parseStatus(t, line, "leakage_status", v[C_LEAKAGE_STATUS], &r.leakage_status, err))) return rc;
  }
  r.source = v[C_SOURCE];
  return qaCostTableAddRow(t, &r, err);
}

int qaCostTableLoadCsv(const char *path, QaCostTable **out, QaErr *err) {
  int rc = QA_OK;
  char *buf = NULL;
  char name[QA_COST_NAME_MAX];
  QaCostTable *t = NULL;
  CsvState st;
  memset(&st, 0, sizeof st);
  *out = NULL;
  if ((rc = qaReadFile(path, &buf, NULL, err)) != QA_OK) goto end;
  baseName(path, name, sizeof name);
  t = qaCostTableCreate(name, path, 0, err);
  if (!t) {
    rc = QA_EINTERNAL;
    goto end;
  }
  char *p = buf;
  if (!strncmp(p, "\xEF\xBB\xBF", 3)) p += 3; /* a UTF-8 byte-order mark */
  int line = 0;
  while (*p) {
    /* a line ends at LF, CR LF or a lone CR */
    size_t len = strcspn(p, "\r\n");
    char *next = p + len;
    if (*next == '\r' && next[1] == '\n')
      next += 2;
    else if (*next)
      next++;
    p[len] = 0;
    line++;
    char *s = trim(p);
    p = next;
    if (!*s || *s == '#') continue;
    char *f[FIELDS_MAX];
    int nf = splitCsv(s, f, FIELDS_MAX);
    if (nf == -1) {
      rc = rowErr(t, line, "source", err, "more than %d fields", FIELDS_MAX);
      goto end;
    }
    if (nf == -2) {
      rc = rowErr(t, line, "source", err, "unterminated or misplaced double quote");
      goto end;
    }
    rc = st.header_line ? parseRow(t, &st, line, f, nf, err) : parseHeader(t, &st, line, f, nf, err);
    if (rc) goto end;
  }
  if (!st.header_line) {
    rc = qaErrSet(err, QA_EUSER,
                  "%s: no header line (expected e.g. class,action,bits_a,bits_b,"
                  "capacity_bytes,energy,energy_unit,area,area_unit,status,source)",
                  path);
    goto end;
  }
  if ((rc = qaCostTableFinish(t, err)) != QA_OK) goto end;
  *out = t;
  t = NULL;
end:
  qaCostTableDestroy(t);
  free(buf);
  return rc;
}

/* ---- Lookup by name ---------------------------------------------------------------------- */

static int isTableName(const char *s) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-')) return 0;
  return 1;
}

static int endsWith(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

static int fileExists(const char *path) { /* never opened: a FIFO would block (issue 13) */
  struct stat sb;
  return stat(path, &sb) == 0;
}

static int cmpStr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Comma-separated names of the *.csv tables in DIR, sorted. */
static void listTables(const char *dir, char *out, size_t cap) {
  char names[64][QA_COST_NAME_MAX];
  const char *ptrs[64];
  int n = 0;
  out[0] = 0;
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(out, cap, "none: cannot open the table directory");
    return;
  }
  struct dirent *e;
  while ((e = readdir(d)) != NULL && n < 64) {
    size_t len = strlen(e->d_name);
    if (!endsWith(e->d_name, ".csv") || len >= sizeof names[n]) continue;
    memcpy(names[n], e->d_name, len - 4);
    names[n][len - 4] = 0;
    ptrs[n] = names[n];
    n++;
  }
  closedir(d);
  qsort(ptrs, (size_t)n, sizeof ptrs[0], cmpStr);
  size_t used = 0;
  for (int i = 0; i < n && used < cap; i++) {
    int k = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", ptrs[i]);
    if (k < 0) break;
    used += (size_t)k;
  }
  if (!n) snprintf(out, cap, "none");
}

void qaCostTableNames(char *out, size_t cap) {
  char dir[PATH_MAX_LEN];
  const char *root = getenv("QASIM_DATA");
  if (!root || !*root) root = QA_SOURCE_DIR;
  int n = snprintf(dir, sizeof dir, "%s/models/tables", root);
  if (n < 0 || (size_t)n >= sizeof dir) {
    snprintf(out, cap, "none: the table directory path is too long");
    return;
  }
  listTables(dir, out, cap);
}

static int isDramClass(const char *cls) { return !strncmp(cls, "dram", 4) && (!cls[4] || cls[4] == '_'); }

int qaCostTableOverlay(const QaCostTable *base, const QaCostTable *over, QaCostTable **out, QaErr *err) {
  char name[QA_COST_NAME_MAX];
  int rc = QA_OK;
  *out = NULL;
  if (base->normalized != over->normalized)
    return qaErrSet(err, QA_EUSER,
                    "cannot layer cost table '%s' (%s) over '%s' (%s): one is normalised (multiples of a "
                    "MAC), the other in pJ",
                    over->name, qaCostTableEnergyUnit(over), base->name, qaCostTableEnergyUnit(base));
  snprintf(name, sizeof name, "%.63s,%.63s", base->name, over->name);
  QaCostTable *t = qaCostTableCreate(name, base->path, base->normalized, err);
  if (!t) return QA_EINTERNAL;
  int over_dram = 0; /* DRAM is one family: an overlay with any DRAM class replaces every one */
  for (int i = 0; i < over->n_rows; i++) over_dram |= isDramClass(over->rows[i].cls);
  for (int i = 0; i < base->n_rows && !rc; i++) {
    const char *cls = base->rows[i].cls;
    if (!qaCostTableHasClass(over, cls) && !(over_dram && isDramClass(cls)))
      rc = qaCostTableAddRow(t, &base->rows[i], err);
  }
  for (int i = 0; i < over->n_rows && !rc; i++) rc = qaCostTableAddRow(t, &over->rows[i], err);
  for (int i = 0; i < over->n_raw && !rc; i++) rc = qaCostTableAddRaw(t, &over->raw[i], err);
  if (!rc) rc = qaCostTableFinish(t, err);
  if (rc) {
    qaErrPrefix(err, "layering cost table '%s' over '%s'", over->name, base->name);
    qaCostTableDestroy(t);
    return rc;
  }
  *out = t;
  return QA_OK;
}

static int loadOne(const char *name_or_path, QaCostTable **out, QaErr *err);

int qaCostTableLoad(const char *name_or_path, QaCostTable **out, QaErr *err) {
  *out = NULL;
  if (!name_or_path || !*name_or_path) return qaErrSet(err, QA_EUSER, "empty cost table name");
  const char *comma = strchr(name_or_path, ',');
  if (!comma) return loadOne(name_or_path, out, err);
  /* "BASE,OVER[,OVER...]": each layered over the ones before */
  char first[PATH_MAX_LEN];
  size_t n = (size_t)(comma - name_or_path);
  if (n == 0 || n >= sizeof first || !comma[1])
    return qaErrSet(err, QA_EUSER, "cost tables '%s': expected BASE,OVER (e.g. cacti45,eyeriss.ERT.yaml)",
                    name_or_path);
  memcpy(first, name_or_path, n);
  first[n] = 0;
  QaCostTable *base = NULL, *over = NULL;
  int rc = loadOne(first, &base, err);
  if (!rc) rc = qaCostTableLoad(comma + 1, &over, err);
  if (!rc) rc = qaCostTableOverlay(base, over, out, err);
  qaCostTableDestroy(base);
  qaCostTableDestroy(over);
  return rc;
}

static int loadOne(const char *name_or_path, QaCostTable **out, QaErr *err) {
  char path[PATH_MAX_LEN], dir[PATH_MAX_LEN];
  *out = NULL;
  if (!name_or_path || !*name_or_path) return qaErrSet(err, QA_EUSER, "empty cost table name");
  if (isTableName(name_or_path)) {
    const char *root = getenv("QASIM_DATA");
    if (!root || !*root) root = QA_SOURCE_DIR;
    int n1 = snprintf(dir, sizeof dir, "%s/models/tables", root);
    int n2 = snprintf(path, sizeof path, "%s/%s.csv", dir, name_or_path);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof dir || (size_t)n2 >= sizeof path)
      return qaErrSet(err, QA_EUSER, "cost table directory path too long: %s", root);
    if (!fileExists(path)) {
      char avail[512];
      listTables(dir, avail, sizeof avail);
      return qaErrSet(err, QA_EUSER, "unknown cost table '%s': no file %s (available: %s)", name_or_path,
                      path, avail);
    }
    return qaCostTableLoadCsv(path, out, err);
  }
  if (endsWith(name_or_path, ".yaml") || endsWith(name_or_path, ".yml")) {
    const char *ext = endsWith(name_or_path, ".yaml") ? ".yaml" : ".yml";
    size_t stem = strlen(name_or_path) - strlen(ext);
    if (stem >= 4 && !strncmp(name_or_path + stem - 4, ".ART", 4))
      return qaErrSet(err, QA_EUSER,
                      "%s: this is an Accelergy ART (areas only); give the ERT (X.ERT.yaml), the "
                      "ART beside it is read too",
                      name_or_path);
    if (stem >= 4 && !strncmp(name_or_path + stem - 4, ".ERT", 4) && strlen(name_or_path) < sizeof path) {
      memcpy(path, name_or_path, strlen(name_or_path) + 1);
      memcpy(path + stem - 4, ".ART", 4);
      if (fileExists(path)) return qaCostAccelergyLoad(name_or_path, path, out, err);
    }
    return qaCostAccelergyLoad(name_or_path, NULL, out, err);
  }
  return qaCostTableLoadCsv(name_or_path, out, err);
}

/* ---- Pricing ----------------------------------------------------------------------------- */

static QaCostStatus worse(QaCostStatus a, QaCostStatus b) { return a > b ? a : b; }

/* Comma-separated distinct values of the rows: classes (what 0), actions of class CLS
** (what 1), instances of class CLS (what 2). */
static void listDistinct(const QaCostTable *t, int what, const char *cls, char *out, size_t cap) {
  size_t used = 0;
  out[0] = 0;
  for (int i = 0; i < t->n_rows; i++) {
    const QaCostRow *r = &t->rows[i];
    if (what && strcmp(r->cls, cls)) continue;
    const char *s = what == 0 ? r->cls : what == 1 ? qaCostActionName(r->action) : r->instance;
    if (!*s) continue;
    int dup = 0;
    for (int j = 0; j < i && !dup; j++) {
      const QaCostRow *q = &t->rows[j];
      if (what && strcmp(q->cls, cls)) continue;
      const char *u = what == 0 ? q->cls : what == 1 ? qaCostActionName(q->action) : q->instance;
      dup = !strcmp(s, u);
    }
    if (dup || used >= cap) continue;
    int k = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", s);
    if (k < 0) break;
    used += (size_t)k;
  }
  if (used >= cap && cap > 4) memcpy(out + cap - 4, "...", 4);
}

/* Collect the rows that price (cls, action) - or the named INSTANCE's rows if instance is
** non-NULL (cls may then be NULL). READ and WRITE fall back to ACCESS rows, ACCESS to READ.
** Without an instance, generic rows (instance "") are preferred; rows of named instances
** are used only if they all belong to one instance. */
static int findGroup(const QaCostTable *t, const char *cls, const char *instance, QaCostAction action,
                     Group *g, QaErr *err) {
  QaCostAction tries[2] = {action, action};
  int n_tries = 1;
  if (action == QA_COST_READ || action == QA_COST_WRITE)
    tries[n_tries++] = QA_COST_ACCESS;
  else if (action == QA_COST_ACCESS)
    tries[n_tries++] = QA_COST_READ;
  const char *what = cls ? cls : instance;
  for (int k = 0; k < n_tries; k++) {
    for (int pass = 0; pass < 2; pass++) {
      g->n = 0;
      const char *inst0 = NULL;
      int several = 0;
      for (int i = 0; i < t->n_rows; i++) {
        const QaCostRow *r = &t->rows[i];
        if (r->action != tries[k]) continue;
        if (cls && strcmp(r->cls, cls)) continue;
        if (instance) {
          if (strcmp(r->instance, instance)) continue;
        } else if (pass == 0 && r->instance[0]) {
          continue;
        }
        if (g->n == GROUP_MAX) break;
        if (!inst0)
          inst0 = r->instance;
        else if (strcmp(inst0, r->instance))
          several = 1;
        g->r[g->n++] = r;
      }
      if (g->n == 0) continue;
      if (several) {
        char list[256];
        listDistinct(t, 2, cls, list, sizeof list);
        return qaErrSet(err, QA_EUSER,
                        "cannot price %s: cost table '%s' has several named %s components (%s); "
                        "price them by instance name",
                        cls, t->name, cls, list);
      }
      g->kind = classFind(g->r[0]->cls)->kind;
      for (int i = 0; i < g->n; i++) g->x[i] = groupX(g->kind, g->r[i]);
      groupSort(g);
      return QA_OK;
    }
  }
  char list[512];
  if (instance) {
    size_t used = 0;
    list[0] = 0;
    for (int i = 0; i < t->n_rows; i++) {
      const char *s = t->rows[i].instance;
      if (!*s) continue;
      int dup = 0;
      for (int j = 0; j < i && !dup; j++) dup = !strcmp(t->rows[j].instance, s);
      if (dup || used >= sizeof list) continue;
      int n = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", s);
      if (n < 0) break;
      used += (size_t)n;
    }
    int has = 0;
    for (int i = 0; i < t->n_rows && !has; i++) has = !strcmp(t->rows[i].instance, instance);
    if (has)
      return qaErrSet(err, QA_EUSER, "cannot price %s %s: cost table '%s' has no %s rows for it", instance,
                      qaCostActionName(action), t->name, qaCostActionName(action));
    return qaErrSet(err, QA_EUSER,
                    "cannot price %s: cost table '%s' has no component named '%s' "
                    "(named components: %s)",
                    what, t->name, instance, used ? list : "none");
  }
  if (!qaCostTableHasClass(t, cls)) {
    listDistinct(t, 0, NULL, list, sizeof list);
    return qaErrSet(err, QA_EUSER, "cannot price %s: cost table '%s' has no %s rows (classes: %s)", cls,
                    t->name, cls, list);
  }
  listDistinct(t, 1, cls, list, sizeof list);
  return qaErrSet(err, QA_EUSER, "cannot price %s %s: cost table '%s' has %s rows only for %s", cls,
                  qaCostActionName(action), t->name, cls, list);
}

/* Interpolate y over x (sorted ascending, positive) at q; listed points are returned
** exactly. LOGLOG: piecewise power law (EXP1 when there is a single point), else piecewise
** linear; below the first point linear mode goes through the origin, log-log mode extends
** the first segment; above the last point both extend the last segment. */
static double interp(const double *x, const double *y, int n, double q, int loglog, double exp1) {
  for (int i = 0; i < n; i++)
    if (q == x[i]) return y[i];
  if (n == 1) return loglog ? y[0] * pow(q / x[0], exp1) : y[0] * q / x[0];
  if (q < x[0] && !loglog) return y[0] * q / x[0];
  int i = n - 2;
  for (int k = 0; k < n - 1; k++) {
    if (q < x[k + 1]) {
      i = k;
      break;
    }
  }
  double x0 = x[i], x1 = x[i + 1], y0 = y[i], y1 = y[i + 1];
  if (loglog && y0 > 0 && y1 > 0) return y0 * pow(q / x0, log(y1 / y0) / log(x1 / x0));
  if (q < x0) return y0 * q / x0;
  return y0 + (y1 - y0) * (q - x0) / (x1 - x0);
}

/* Price a group at (bits_a, bits_b, capacity). */
static int priceGroup(const QaCostTable *t, const Group *g, int bits_a, int bits_b, int64_t capacity,
                      QaCost *out, QaErr *err) {
  double xs[GROUP_MAX] = {0}, ys[GROUP_MAX] = {0}, xa[GROUP_MAX] = {0}, ya[GROUP_MAX] = {0};
  double xl[GROUP_MAX] = {0}, yl[GROUP_MAX] = {0};
  int na = 0, nl = 0, exact = -1;
  const char *cls = g->r[0]->cls;
  QaCostStatus st = QA_COST_VERIFIED, ast = QA_COST_VERIFIED, lst = QA_COST_VERIFIED;
  if (g->n == 1 && isFlat(g->r[0])) {
    const QaCostRow *r = g->r[0];
    out->energy = r->energy;
    out->area_um2 = r->area_um2;
    out->status = r->status;
    out->area_status = isnan(r->area_um2) ? QA_COST_ASSUMED : r->area_status;
    out->leakage_uw = r->leakage_uw;
    out->leakage_status = isnan(r->leakage_uw) ? QA_COST_ASSUMED : r->leakage_status;
    return QA_OK;
  }
  double q = 0;
  switch (g->kind) {
    case K_SCALE:
      return qaErrSet(err, QA_EUSER, "cannot price %s: a scale is a factor, not a primitive", cls);
    case K_FIXED:
      if (bits_a != g->r[0]->bits_a)
        return qaErrSet(err, QA_EUSER, "cannot price %s at %d bits: it is priced only at %d bits", cls,
                        bits_a, g->r[0]->bits_a);
      /* fall through */
    case K_LINEAR:
      if (bits_a < 1 || bits_a > BITS_MAX)
        return qaErrSet(err, QA_EUSER, "cannot price %s at %d bits: width must be 1..%d", cls, bits_a,
                        BITS_MAX);
      q = bits_a;
      break;
    case K_PRODUCT:
      if (bits_a < 1 || bits_a > BITS_MAX || bits_b < 1 || bits_b > BITS_MAX)
        return qaErrSet(err, QA_EUSER, "cannot price %s at %dx%d bits: widths must be 1..%d", cls, bits_a,
                        bits_b, BITS_MAX);
      q = (double)bits_a * (double)bits_b;
      break;
    case K_MEMORY:
      if (bits_a < 1 || bits_a > BITS_MAX || capacity < 1)
        return qaErrSet(err, QA_EUSER,
                        "cannot price a %d-bit access to a %lld-byte %s: access width must be 1..%d "
                        "bits and capacity at least 1 byte",
                        bits_a, (long long)capacity, cls, BITS_MAX);
      q = (double)capacity;
      break;
  }
  for (int i = 0; i < g->n; i++) {
    const QaCostRow *r = g->r[i];
    xs[i] = g->x[i];
    ys[i] = groupY(g->kind, r);
    st = worse(st, r->status);
    if (xs[i] == q) exact = i;
    if (!isnan(r->area_um2)) {
      xa[na] = g->x[i];
      ya[na++] = r->area_um2;
      ast = worse(ast, r->area_status);
    }
    if (!isnan(r->leakage_uw)) {
      xl[nl] = g->x[i];
      yl[nl++] = r->leakage_uw;
      lst = worse(lst, r->leakage_status);
    }
  }
  int loglog = g->kind == K_PRODUCT || g->kind == K_MEMORY;
  if (g->kind == K_MEMORY) {
    if (exact >= 0 && g->r[exact]->bits_a == bits_a)
      out->energy = g->r[exact]->energy;
    else
      out->energy = interp(xs, ys, g->n, q, 1, 0.5) * bits_a;
    if (!(exact >= 0 && g->r[exact]->bits_a == bits_a)) exact = -1;
  } else {
    out->energy = interp(xs, ys, g->n, q, loglog, 1.0);
  }
  out->status = exact >= 0 ? g->r[exact]->status : worse(st, QA_COST_DERIVED);
  if (na == 0) {
    out->area_um2 = NAN;
    out->area_status = QA_COST_ASSUMED;
  } else {
    out->area_um2 = interp(xa, ya, na, q, loglog, 1.0);
    int area_exact = 0;
    for (int i = 0; i < na; i++) area_exact |= xa[i] == q;
    QaCostStatus es = QA_COST_VERIFIED;
    for (int i = 0; i < g->n; i++)
      if (g->x[i] == q && !isnan(g->r[i]->area_um2)) es = g->r[i]->area_status;
    out->area_status = area_exact ? es : worse(ast, QA_COST_DERIVED);
  }
  /* Leakage scales like the area, through the rows that give it. */
  out->leakage_uw = nl == 0 ? NAN : interp(xl, yl, nl, q, loglog, 1.0);
  out->leakage_status = QA_COST_ASSUMED;
  if (nl > 0) {
    int leak_exact = 0;
    for (int i = 0; i < nl; i++) leak_exact |= xl[i] == q;
    QaCostStatus es = QA_COST_VERIFIED;
    for (int i = 0; i < g->n; i++)
      if (g->x[i] == q && !isnan(g->r[i]->leakage_uw)) es = g->r[i]->leakage_status;
    out->leakage_status = leak_exact ? es : worse(lst, QA_COST_DERIVED);
  }
  return QA_OK;
}

/* The grid row of class CLS, or NULL. */
static const QaCostRow *gridRow(const QaCostTable *t, const char *cls) {
  for (int i = 0; i < t->n_rows; i++)
    if (t->rows[i].grid[0] && !strcmp(t->rows[i].cls, cls)) return &t->rows[i];
  return NULL;
}

const QaMemGrid *qaCostTableMemGrid(const QaCostTable *t, const char *cls) {
  const QaCostRow *r = cls ? gridRow(t, cls) : NULL;
  return r ? gridFind(t, r->grid) : NULL;
}

/* Price memory class R->cls from its grid (memcost.h), the organisation chosen there. */
static int priceGrid(const QaCostTable *t, const QaCostRow *r, QaCostAction action, int bits,
                     int64_t capacity, QaCost *out, QaErr *err) {
  QaMemQuery q;
  QaMemCost mc;
  if (action == QA_COST_OP)
    return qaErrSet(err, QA_EUSER, "cannot price %s op: memories are read, written or accessed", r->cls);
  memset(&q, 0, sizeof q);
  qaMemKindParse(r->cls, &q.kind);
  q.capacity_bytes = capacity;
  q.access_bits = bits;
  q.banks = 0;
  int rc = qaMemCostPrice(gridFind(t, r->grid), &q, &mc, err);
  if (rc) return rc;
  out->energy = action == QA_COST_WRITE ? mc.write_pj : mc.read_pj;
  out->area_um2 = mc.area_um2;
  out->leakage_uw = mc.leakage_uw;
  out->status = worse(r->status, mc.status);
  out->area_status = worse(r->area_status, mc.status);
  out->leakage_status = worse(r->leakage_status, mc.status);
  return QA_OK;
}

const QaCostRow *qaCostScale(const QaCostTable *t, QaCostScaleKind kind, double *factor,
                             QaCostStatus *status) {
  *factor = 1.0;
  if (status) *status = QA_COST_VERIFIED;
  if ((unsigned)kind >= QA_SCALE_COUNT) return NULL;
  for (int i = 0; i < t->n_rows; i++) {
    const QaCostRow *r = &t->rows[i];
    if (strcmp(r->cls, "scale") || strcmp(r->instance, kScaleNames[kind])) continue;
    *factor = r->energy;
    if (status) *status = r->status;
    return r;
  }
  return NULL;
}

int qaCostPrimitive(const QaCostTable *t, const char *cls, QaCostAction action, int bits_a, int bits_b,
                    int64_t capacity_bytes, QaCost *out, QaErr *err) {
  Group g;
  const ClassInfo *ci = classFind(cls);
  if (!ci) return qaErrSet(err, QA_EUSER, "cannot price '%s': unknown class (known: %s)", cls, KNOWN_CLASSES);
  const QaCostRow *gr = ci->kind == K_MEMORY ? gridRow(t, cls) : NULL;
  if (gr) return priceGrid(t, gr, action, bits_a, capacity_bytes, out, err);
  int rc = findGroup(t, cls, NULL, action, &g, err);
  if (rc) return rc;
  return priceGroup(t, &g, bits_a, bits_b, capacity_bytes, out, err);
}

int qaCostIntAdd(const QaCostTable *t, int bits, QaCost *out, QaErr *err) {
  return qaCostPrimitive(t, "int_add", QA_COST_OP, bits, 0, 0, out, err);
}

int qaCostIntMult(const QaCostTable *t, int a_bits, int w_bits, QaCost *out, QaErr *err) {
  return qaCostPrimitive(t, "int_mult", QA_COST_OP, a_bits, w_bits, 0, out, err);
}

int qaCostFpAdd(const QaCostTable *t, int bits, QaCost *out, QaErr *err) {
  if (bits != 16 && bits != 32)
    return qaErrSet(err, QA_EUSER, "cannot price fp%d_add: floating-point widths are 16 and 32", bits);
  return qaCostPrimitive(t, bits == 16 ? "fp16_add" : "fp32_add", QA_COST_OP, bits, 0, 0, out, err);
}

int qaCostFpMult(const QaCostTable *t, int bits, QaCost *out, QaErr *err) {
  if (bits != 16 && bits != 32)
    return qaErrSet(err, QA_EUSER, "cannot price fp%d_mult: floating-point widths are 16 and 32", bits);
  return qaCostPrimitive(t, bits == 16 ? "fp16_mult" : "fp32_mult", QA_COST_OP, bits, 0, 0, out, err);
}

int qaCostReg(const QaCostTable *t, int bits, QaCost *out, QaErr *err) {
  return qaCostPrimitive(t, "reg", QA_COST_OP, bits, 0, 0, out, err);
}

int qaCostNoc(const QaCostTable *t, int bits, QaCost *out, QaErr *err) {
  return qaCostPrimitive(t, "noc", QA_COST_OP, bits, 0, 0, out, err);
}

int qaCostMem(const QaCostTable *t, const char *cls, QaCostAction action, int access_bits,
              int64_t capacity_bytes, QaCost *out, QaErr *err) {
  if (!cls || (strcmp(cls, "sram") && strcmp(cls, "edram") && strcmp(cls, "regfile")))
    return qaErrSet(err, QA_EUSER, "cannot price memory class '%s': expected sram, edram or regfile",
                    cls ? cls : "(null)");
  if (action == QA_COST_OP)
    return qaErrSet(err, QA_EUSER, "cannot price %s op: memories are read, written or accessed", cls);
  return qaCostPrimitive(t, cls, action, access_bits, 0, capacity_bytes, out, err);
}

int qaCostDram(const QaCostTable *t, const char *type, QaCostAction action, int bits, QaCost *out,
               QaErr *err) {
  char cls[QA_COST_CLASS_MAX];
  if (action == QA_COST_OP)
    return qaErrSet(err, QA_EUSER, "cannot price dram op: DRAM is read, written or accessed");
  if (type && *type) {
    int n = snprintf(cls, sizeof cls, "dram_%s", type);
    if (n < 0 || (size_t)n >= sizeof cls || !classFind(cls))
      return qaErrSet(err, QA_EUSER, "cannot price DRAM type '%s': not a valid type name", type);
    if (!qaCostTableHasClass(t, cls)) {
      char list[512];
      size_t used = 0;
      list[0] = 0;
      for (int i = 0; i < t->n_rows; i++) {
        const char *c = t->rows[i].cls;
        if (strncmp(c, "dram", 4) || (c[4] && c[4] != '_')) continue;
        int dup = 0;
        for (int j = 0; j < i && !dup; j++) dup = !strcmp(t->rows[j].cls, c);
        if (dup || used >= sizeof list) continue;
        int k = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", c[4] ? c + 5 : "dram");
        if (k < 0) break;
        used += (size_t)k;
      }
      return qaErrSet(err, QA_EUSER,
                      "cannot price %s: cost table '%s' has no DRAM type '%s' "
                      "(types: %s)",
                      cls, t->name, type, used ? list : "none");
    }
  } else {
    int n = 0;
    cls[0] = 0;
    for (int i = 0; i < t->n_rows; i++) {
      const char *c = t->rows[i].cls;
      if (strncmp(c, "dram", 4) || (c[4] && c[4] != '_')) continue;
      if (cls[0] && !strcmp(cls, c)) continue;
      if (++n == 1) snprintf(cls, sizeof cls, "%s", c);
    }
    if (n == 0)
      return qaErrSet(err, QA_EUSER, "cannot price dram: cost table '%s' has no dram rows", t->name);
    if (n > 1)
      return qaErrSet(err, QA_EUSER,
                      "cannot price dram: cost table '%s' has several DRAM types; "
                      "name one (e.g. %s)",
                      t->name, cls + (cls[4] ? 5 : 0));
  }
  return qaCostPrimitive(t, cls, action, bits, 0, 0, out, err);
}

int qaCostInstance(const QaCostTable *t, const char *instance, QaCostAction action, QaCost *out, QaErr *err) {
  Group g;
  if (!instance || !*instance) return qaErrSet(err, QA_EUSER, "cannot price: empty instance name");
  int rc = findGroup(t, NULL, instance, action, &g, err);
  if (rc) return rc;
  if (g.n != 1 || !isFlat(g.r[0]))
    return qaErrSet(err, QA_EUSER,
                    "cannot price %s by name: its %s rows have widths; price it "
                    "by class %s",
                    instance, g.r[0]->cls, g.r[0]->cls);
  return priceGroup(t, &g, 0, 0, 0, out, err);
}

/* ---- Composites -------------------------------------------------------------------------- */

/* Prefix the message with "cannot price WHAT" and return RC (even if ERR is NULL). */
static int failed(int rc, QaErr *err, const char *what) {
  qaErrPrefix(err, "cannot price %s", what);
  return rc;
}

static void costZero(QaCost *c) {
  c->energy = 0;
  c->area_um2 = 0;
  c->leakage_uw = 0;
  c->status = QA_COST_VERIFIED;
  c->area_status = QA_COST_VERIFIED;
  c->leakage_status = QA_COST_VERIFIED;
}

/* *acc += k * c, statuses combined. */
static void costAdd(QaCost *acc, const QaCost *c, double k) {
  acc->energy += k * c->energy;
  acc->area_um2 += k * c->area_um2;
  acc->leakage_uw += k * c->leakage_uw;
  acc->status = worse(acc->status, c->status);
  acc->area_status = worse(acc->area_status, c->area_status);
  acc->leakage_status = worse(acc->leakage_status, c->leakage_status);
}

static void costFloor(QaCost *c, QaCostStatus s) {
  c->status = worse(c->status, s);
  c->area_status = worse(c->area_status, s);
  if (!isnan(c->leakage_uw)) c->leakage_status = worse(c->leakage_status, s);
}

static int ceilLog2(int64_t n) {
  int k = 0;
  while (((int64_t)1 << k) < n) k++;
  return k;
}

#define COMPOSITE_MAX (1 << 20) /* most inputs / outputs / positions a composite may have */

/* One bit-slice of an adder: int_add(8) / 8. */
static int adderSlice(const QaCostTable *t, const char *what, QaCost *out, QaErr *err) {
  QaCost a = {0, 0, QA_COST_VERIFIED, QA_COST_VERIFIED};
  int rc = qaCostIntAdd(t, 8, &a, err);
  if (rc) return failed(rc, err, what);
  costZero(out);
  costAdd(out, &a, 1.0 / 8.0);
  return QA_OK;
}

int qaCostAccumulator(const QaCostTable *t, int bits, QaCost *out, QaErr *err) {
  QaCost a, r;
  int rc;
  if ((rc = qaCostIntAdd(t, bits, &a, err)) || (rc = qaCostReg(t, bits, &r, err)))
    return failed(rc, err, "accumulator");
  costZero(out);
  costAdd(out, &a, 1);
  costAdd(out, &r, 1);
  costFloor(out, QA_COST_DERIVED);
  return QA_OK;
}

int qaCostIntMac(const QaCostTable *t, int a_bits, int w_bits, int acc_bits, QaCost *out, QaErr *err) {
  if (qaCostTableHasClass(t, "int_mac"))
    return qaCostPrimitive(t, "int_mac", QA_COST_OP, a_bits, w_bits, 0, out, err);
  QaCost m, acc;
  int rc;
  if (acc_bits <= 0) acc_bits = a_bits + w_bits;
  if ((rc = qaCostIntMult(t, a_bits, w_bits, &m, err))) return failed(rc, err, "int_mac");
  if ((rc = qaCostAccumulator(t, acc_bits, &acc, err))) return failed(rc, err, "int_mac");
  costZero(out);
  costAdd(out, &m, 1);
  costAdd(out, &acc, 1);
  costFloor(out, QA_COST_DERIVED);
  return QA_OK;
}

int qaCostExpAdder(const QaCostTable *t, int bits, QaCost *out, QaErr *err) {
  int rc = qaCostIntAdd(t, bits, out, err);
  return rc ? failed(rc, err, "exp_adder") : QA_OK;
}

int qaCostOneHotDecoder(const QaCostTable *t, int n_outputs, QaCost *out, QaErr *err) {
  QaCost s = {0};
  if (n_outputs < 1 || n_outputs > COMPOSITE_MAX)
    return qaErrSet(err, QA_EUSER, "cannot price onehot_decoder of %d outputs: must be 1..%d", n_outputs,
                    COMPOSITE_MAX);
  int rc = adderSlice(t, "onehot_decoder", &s, err);
  if (rc) return rc;
  int per = ceilLog2(n_outputs) - 1;
  double gates = (double)n_outputs * (per > 1 ? per : 1);
  costZero(out);
  costAdd(out, &s, gates / 4.0); /* an AND2 gate = 1/4 of an adder bit-slice */
  costFloor(out, QA_COST_ASSUMED);
  return QA_OK;
}

int qaCostAndGates(const QaCostTable *t, int n_gates, QaCost *out, QaErr *err) {
  QaCost s = {0};
  if (n_gates < 1 || n_gates > COMPOSITE_MAX)
    return qaErrSet(err, QA_EUSER, "cannot price an array of %d AND gates: must be 1..%d", n_gates,
                    COMPOSITE_MAX);
  int rc = adderSlice(t, "and_gates", &s, err);
  if (rc) return rc;
  costZero(out);
  costAdd(out, &s, n_gates / 4.0); /* an AND2 gate = 1/4 of an adder bit-slice */
  costFloor(out, QA_COST_ASSUMED);
  return QA_OK;
}

int qaCostHistogram(const QaCostTable *t, int n_positions, int counter_bits, QaCost *out, QaErr *err) {
  QaCost a, r;
  int rc;
  if (n_positions < 1 || n_positions > COMPOSITE_MAX)
    return qaErrSet(err, QA_EUSER, "cannot price histogram of %d positions: must be 1..%d", n_positions,
                    COMPOSITE_MAX);
  if ((rc = qaCostIntAdd(t, counter_bits, &a, err)) || (rc = qaCostReg(t, counter_bits, &r, err)))
    return failed(rc, err, "histogram");
  costZero(out);
  costAdd(out, &a, n_positions);
  costAdd(out, &r, n_positions);
  costFloor(out, QA_COST_DERIVED);
  return QA_OK;
}

int qaCostShifter(const QaCostTable *t, int width_bits, int range, QaCost *out, QaErr *err) {
  QaCost s = {0};
  if (width_bits < 1 || width_bits > BITS_MAX || range < 1 || range > COMPOSITE_MAX)
    return qaErrSet(err, QA_EUSER,
                    "cannot price shifter of %d bits by up to %d positions: width must be 1..%d "
                    "and range 1..%d",
                    width_bits, range, BITS_MAX, COMPOSITE_MAX);
  int rc = adderSlice(t, "shifter", &s, err);
  if (rc) return rc;
  costZero(out);
  int stages = ceilLog2(range);
  if (stages == 0) return QA_OK;
  costAdd(out, &s, (double)stages * width_bits / 2.0); /* a MUX2 = 1/2 of an adder bit-slice */
  costFloor(out, QA_COST_ASSUMED);
  return QA_OK;
}

int qaCostAdderTree(const QaCostTable *t, int n_inputs, int in_bits, QaCost *out, QaErr *err) {
  if (n_inputs < 1 || n_inputs > COMPOSITE_MAX)
    return qaErrSet(err, QA_EUSER, "cannot price adder_tree of %d inputs: must be 1..%d", n_inputs,
                    COMPOSITE_MAX);
  if (in_bits < 1 || in_bits > BITS_MAX)
    return qaErrSet(err, QA_EUSER, "cannot price adder_tree of %d-bit inputs: width must be 1..%d", in_bits,
                    BITS_MAX);
  costZero(out);
  int m = n_inputs, level = 1;
  while (m > 1) {
    QaCost a;
    int adders = m / 2;
    int rc = qaCostIntAdd(t, in_bits + level - 1, &a, err);
    if (rc) return failed(rc, err, "adder_tree");
    costAdd(out, &a, adders);
    m -= adders;
    level++;
  }
  if (n_inputs > 1) costFloor(out, QA_COST_DERIVED);
  return QA_OK;
}

/* ---- Listing ------------------------------------------------------------------------------ */

static const char *const kCompositeRules[] = {
    "int_mac(a,w,acc)     = the int_mac rows if any, else int_mult(a,w) + int_add(acc) + reg(acc)  [derived]",
    "accumulator(w)       = int_add(w) + reg(w)  [derived]",
    "exp_adder(e)         = int_add(e)",
    "and_gates(n)         = n AND2 gates evaluated together; AND2 = int_add(8)/8/4  [assumed]",
    "onehot_decoder(n)    = n * max(1, ceil(log2 n) - 1) AND2 gates; AND2 = int_add(8)/8/4  [assumed]",
    "histogram(p, c)      = p * (int_add(c) + reg(c)), per bank-wide update  [derived]",
    "shifter(w, range)    = ceil(log2 range) * w MUX2; MUX2 = int_add(8)/8/2  [assumed]",
    "adder_tree(n, w)     = n-1 int adders; level l (1-based) adds (w+l-1)-bit operands  [derived]",
};

static void fmtNum(double v, char *buf, size_t cap) {
  if (isnan(v))
    snprintf(buf, cap, "-");
  else
    snprintf(buf, cap, "%.6g", v);
}

/* A CSV field: quoted when it holds a comma, a quote or leading/trailing spaces. */
static void csvField(FILE *fp, const char *s, int last) {
  if (strpbrk(s, ",\"") || (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
    fputc('"', fp);
    for (; *s; s++) {
      if (*s == '"') fputc('"', fp);
      fputc(*s, fp);
    }
    fputc('"', fp);
  } else {
    fputs(s, fp);
  }
  fputc(last ? '\n' : ',', fp);
}

/* The shortest %g text that reads back as exactly V. */
static void exactNum(double v, char *b, size_t cap) {
  for (int prec = 6; prec <= 17; prec++) {
    snprintf(b, cap, "%.*g", prec, v);
    if (strtod(b, NULL) == v) return;
  }
}

int qaCostTableWriteCsv(const QaCostTable *t, const char *header, FILE *fp, QaErr *err) {
  char b[64];
  for (const char *p = header; p && *p;) {
    size_t n = strcspn(p, "\n");
    fprintf(fp, "# %.*s\n", (int)n, p);
    p += n + (p[n] == '\n');
  }
  fprintf(fp,
          "class,action,instance,bits_a,bits_b,capacity_bytes,energy,energy_unit,area,area_unit,leakage_uw,"
          "status,area_status,leakage_status,grid,source\n");
  for (int i = 0; i < t->n_rows; i++) {
    const QaCostRow *r = &t->rows[i];
    int scale = !strcmp(r->cls, "scale");
    csvField(fp, r->cls, 0);
    csvField(fp, qaCostActionName(r->action), 0);
    csvField(fp, r->instance, 0);
    snprintf(b, sizeof b, r->bits_a ? "%d" : "", r->bits_a);
    csvField(fp, b, 0);
    snprintf(b, sizeof b, r->bits_b ? "%d" : "", r->bits_b);
    csvField(fp, b, 0);
    snprintf(b, sizeof b, r->capacity_bytes ? "%lld" : "", (long long)r->capacity_bytes);
    csvField(fp, b, 0);
    b[0] = 0;
    if (!r->grid[0]) exactNum(r->energy, b, sizeof b);
    csvField(fp, b, 0);
    csvField(fp, r->grid[0] ? "" : scale ? "x" : t->normalized ? "mac" : "pJ", 0);
    b[0] = 0;
    if (!isnan(r->area_um2)) exactNum(r->area_um2, b, sizeof b);
    csvField(fp, b, 0);
    csvField(fp, isnan(r->area_um2) ? "" : "um2", 0);
    b[0] = 0;
    if (!isnan(r->leakage_uw)) exactNum(r->leakage_uw, b, sizeof b);
    csvField(fp, b, 0);
    csvField(fp, qaCostStatusName(r->status), 0);
    csvField(fp, qaCostStatusName(r->area_status), 0);
    csvField(fp, qaCostStatusName(r->leakage_status), 0);
    csvField(fp, r->grid, 0);
    csvField(fp, r->source ? r->source : "", 1);
  }
  if (ferror(fp)) return qaErrSet(err, QA_EINTERNAL, "cannot write cost table '%s'", t->name);
  return QA_OK;
}

int qaCostTablePrint(const QaCostTable *t, FILE *fp, QaErr *err) {
  char e[32], a[32], l[32], ba[16], bb[16], cap[24];
  fprintf(fp, "# cost table '%s'%s%s%s, id %.16s\n", t->name, t->path[0] ? " (" : "", t->path,
          t->path[0] ? ")" : "", t->id);
  if (t->normalized)
    fprintf(fp, "# NORMALISED: energy per action in multiples of one MAC (not pJ); area in um^2\n");
  else
    fprintf(fp, "# energy per action in pJ; area in um^2; leakage in uW; '-' = not given\n");
  fprintf(fp, "%-14s %-6s %-16s %6s %6s %12s %10s %10s %8s %-8s %-8s %-8s %s\n", "class", "action",
          "instance", "bits_a", "bits_b", "capacity_B", "energy", "area_um2", "leak_uW", "status", "area_st",
          "leak_st", "source");
  for (int i = 0; i < t->n_rows; i++) {
    const QaCostRow *r = &t->rows[i];
    if (r->grid[0])
      snprintf(e, sizeof e, "grid");
    else
      fmtNum(r->energy, e, sizeof e);
    fmtNum(r->area_um2, a, sizeof a);
    fmtNum(r->leakage_uw, l, sizeof l);
    snprintf(ba, sizeof ba, r->bits_a ? "%d" : "-", r->bits_a);
    snprintf(bb, sizeof bb, r->bits_b ? "%d" : "-", r->bits_b);
    if (r->capacity_bytes)
      snprintf(cap, sizeof cap, "%lld", (long long)r->capacity_bytes);
    else
      snprintf(cap, sizeof cap, "-");
    if (!strcmp(r->cls, "scale")) snprintf(e, sizeof e, "x%.6g", r->energy);
    fprintf(fp, "%-14s %-6s %-16s %6s %6s %12s %10s %10s %8s %-8s %-8s %-8s %s\n", r->cls,
            qaCostActionName(r->action), r->instance[0] ? r->instance : "-", ba, bb, cap, e, a, l,
            qaCostStatusName(r->status),
            isnan(r->area_um2) && !r->grid[0] ? "-" : qaCostStatusName(r->area_status),
            isnan(r->leakage_uw) && !r->grid[0] ? "-" : qaCostStatusName(r->leakage_status), r->source);
  }
  for (int i = 0; i < t->n_rows; i++) {
    const QaCostRow *r = &t->rows[i];
    if (!r->grid[0]) continue;
    fprintf(fp,
            "# %s: priced from memory grid '%s' (%s): the cheapest of k side-by-side macros of "
            "C/k bytes x W/k bits; log-bilinear between grid points, gap fill, power law beyond "
            "the grid (models/memcost.h)\n",
            r->cls, r->grid, qaMemGridDir(gridFind(t, r->grid)));
  }
  if (t->n_raw) {
    fprintf(fp, "# imported Accelergy actions (energy pJ, area um^2):\n");
    for (int i = 0; i < t->n_raw; i++) {
      const QaCostRaw *r = &t->raw[i];
      fmtNum(r->energy_pj, e, sizeof e);
      fmtNum(r->area_um2, a, sizeof a);
      fprintf(fp, "#   %-44s %-12s %10s %10s -> %s%s%s\n", r->component, r->action[0] ? r->action : "(area)",
              e, a, r->cls, r->arguments[0] ? "  args " : "", r->arguments);
    }
  }
  fprintf(fp, "# composites, priced from the rows above:\n");
  for (size_t i = 0; i < sizeof kCompositeRules / sizeof kCompositeRules[0]; i++)
    fprintf(fp, "#   %s\n", kCompositeRules[i]);
  if (ferror(fp)) return qaErrSet(err, QA_EINTERNAL, "cannot write the cost table listing");
  return QA_OK;
}
