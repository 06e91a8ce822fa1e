/*
** memcost.c - the CACTI memory grid: loader and validator of the two CSV tables, the
** read-energy power-law fit, the per-macro lookup (grid point, log-bilinear interpolation,
** gap fill, extrapolation) and the side-by-side macro rule. The rules are in memcost.h.
*/
#define _POSIX_C_SOURCE 200809L
#include "models/memcost.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"

#define CAP_MAX 64   /* most distinct capacities in a grid */
#define WIDTH_MAX 32 /* most distinct widths in a grid */
#define FIELDS_MAX 64
#define PATH_LEN 1024

/* The values kept per grid point, interpolated alike. */
enum { V_READ, V_WRITE, V_AREA, V_LEAK, V_ACCESS, V_CYCLE, V_N };

typedef struct Cell {
  int ok;        /* CACTI found an organisation */
  int line;      /* line in the main table, 0 if the point is absent */
  int wline;     /* line in the write-fix table (eDRAM), 0 if none */
  double v[V_N]; /* pJ, pJ, um2, uW, ns, ns */
} Cell;

struct QaMemGrid {
  char name[64];
  char dir[PATH_LEN];
  char main_path[PATH_LEN];
  char fix_path[PATH_LEN];
  int n_cap, n_w;
  double cap[CAP_MAX]; /* ascending, bytes */
  double w[WIDTH_MAX]; /* ascending, bits */
  Cell cell[QA_MEM_KINDS][CAP_MAX][WIDTH_MAX];
  int n_rows[QA_MEM_KINDS]; /* rows of each kind, ok or failed */
  int n_ok[QA_MEM_KINDS];
  QaMemFit fit[QA_MEM_KINDS];
  char id[QA_SHA256_HEX]; /* SHA-256 of the bytes of the files read */
};

static const char *const kKindNames[QA_MEM_KINDS] = {"sram", "edram"};
static const char *const kWhereNames[] = {"grid", "interpolated", "gap fill", "extrapolated"};

const char *qaMemKindName(QaMemKind k) { return (unsigned)k < QA_MEM_KINDS ? kKindNames[k] : "?"; }
const char *qaMemWhereName(QaMemWhere w) { return (unsigned)w <= QA_MEM_EXTRAPOLATED ? kWhereNames[w] : "?"; }

int qaMemKindParse(const char *s, QaMemKind *out) {
  for (int k = 0; k < QA_MEM_KINDS; k++) {
    if (s && !strcmp(s, kKindNames[k])) {
      *out = (QaMemKind)k;
      return 1;
    }
  }
  return 0;
}

const char *qaMemGridName(const QaMemGrid *g) { return g->name; }
const char *qaMemGridId(const QaMemGrid *g) { return g->id; }
const char *qaMemGridDir(const QaMemGrid *g) { return g->dir; }
int qaMemGridHas(const QaMemGrid *g, QaMemKind kind) {
  return (unsigned)kind < QA_MEM_KINDS && g->n_ok[kind] > 0;
}

void qaMemGridRange(const QaMemGrid *g, QaMemRange *out) {
  out->min_capacity_bytes = g->cap[0];
  out->max_capacity_bytes = g->cap[g->n_cap - 1];
  out->min_bits = (int)g->w[0];
  out->max_bits = (int)g->w[g->n_w - 1];
  out->n_capacities = g->n_cap;
  out->n_widths = g->n_w;
}

int qaMemGridFit(const QaMemGrid *g, QaMemKind kind, QaMemFit *out, QaErr *err) {
  if (!qaMemGridHas(g, kind))
    return qaErrSet(err, QA_EUSER, "memory grid '%s' has no %s points", g->name, qaMemKindName(kind));
  *out = g->fit[kind];
  return QA_OK;
}

void qaMemGridDestroy(QaMemGrid *g) { free(g); }

/* ---- Loading ------------------------------------------------------------------------- */

/* "file:line: field 'f': message" */
static int dataErr(QaErr *err, const char *path, int line, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static int dataErr(QaErr *err, const char *path, int line, const char *field, const char *fmt, ...) {
  char msg[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return qaErrSet(err, QA_EUSER, "%s:%d: field '%s': %s", path, line, field, msg);
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
  return s;
}

/* Split LINE in place at commas; a field may be double-quoted ("" is a quote). Returns the
** field count, -1 if there are more than MAX, -2 on a bad quote. */
static int splitCsv(char *line, char **f, int max) {
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
      f[n++] = start;
      if (!*p) return n;
      p++;
    } else {
      char *start = p;
      while (*p && *p != ',') p++;
      int last = !*p;
      *p = 0;
      f[n++] = trim(start);
      if (last) return n;
      p++;
    }
  }
}

/* Columns of the tables, by name. */
enum {
  COL_MEM,
  COL_CAP,
  COL_WIDTH,
  COL_READ,
  COL_WRITE,
  COL_AREA,
  COL_LEAK,
  COL_ACCESS,
  COL_CYCLE,
  COL_STATUS,
  COL_N
};
static const char *const kCols[COL_N] = {"mem",      "capacity_bytes", "width_bits", "read_pJ",  "write_pJ",
                                         "area_mm2", "leakage_mW",     "access_ns",  "cycle_ns", "status"};
/* Which columns each table needs: the main table all, the write-fix table the key, the two
** energies and the status. */
static const int kNeedMain[COL_N] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
static const int kNeedFix[COL_N] = {1, 1, 1, 1, 1, 0, 0, 0, 0, 1};

typedef struct Row {
  int kind, ok, line;
  double cap, w;
  double v[V_N];
} Row;

typedef struct Rows {
  Row *r;
  int n, cap;
} Rows;

static int parseWhole(const char *path, int line, const char *field, const char *s, double max, double *out,
                      QaErr *err) {
  char *end;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end || v < 1 || (double)v > max)
    return dataErr(err, path, line, field, "'%s' is not a whole number in 1..%.0f", s, max);
  *out = (double)v;
  return QA_OK;
}

static int parsePositive(const char *path, int line, const char *field, const char *s, double *out,
                         QaErr *err) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end || !isfinite(v) || v <= 0)
    return dataErr(err, path, line, field,
                   "'%s' is not a positive number (a status-ok row needs every value > 0)", s);
  *out = v;
  return QA_OK;
}

/* Read table PATH into *rows. FIX: the write-fix table (fewer columns needed, eDRAM only). */
static int readTable(const char *path, int fix, Rows *rows, QaSha256 *id, QaErr *err) {
  char *buf = NULL;
  size_t len = 0;
  int rc = qaReadFile(path, &buf, &len, err);
  if (rc) return rc;
  qaSha256Update(id, fix ? "writefix\n" : "grid\n", fix ? 9 : 5);
  qaSha256Update(id, buf, len);
  const int *need = fix ? kNeedFix : kNeedMain;
  int col[COL_N], n_hdr = 0, line = 0;
  char *p = buf;
  while (*p) {
    char *nl = strchr(p, '\n');
    char *next = nl ? nl + 1 : p + strlen(p);
    if (nl) *nl = 0;
    line++;
    char *s = trim(p);
    p = next;
    if (!*s || *s == '#') continue;
    char *f[FIELDS_MAX];
    int nf = splitCsv(s, f, FIELDS_MAX);
    if (nf < 0) {
      rc = nf == -1 ? dataErr(err, path, line, "*", "more than %d fields", FIELDS_MAX)
                    : dataErr(err, path, line, "*", "unterminated or misplaced double quote");
      goto end;
    }
    if (!n_hdr) {
      for (int c = 0; c < COL_N; c++) col[c] = -1;
      for (int i = 0; i < nf; i++)
        for (int c = 0; c < COL_N; c++)
          if (!strcmp(f[i], kCols[c])) col[c] = i;
      for (int c = 0; c < COL_N; c++) {
        if (need[c] && col[c] < 0) {
          rc = dataErr(err, path, line, kCols[c], "required column missing from the header");
          goto end;
        }
      }
      n_hdr = nf;
      continue;
    }
    if (nf != n_hdr) {
      rc = dataErr(err, path, line, "*", "%d fields but the header has %d", nf, n_hdr);
      goto end;
    }
    Row r;
    memset(&r, 0, sizeof r);
    r.line = line;
    const char *mem = f[col[COL_MEM]];
    if (!strcmp(mem, "sram"))
      r.kind = QA_MEM_SRAM;
    else if (!strcmp(mem, "edram"))
      r.kind = QA_MEM_EDRAM;
    else {
      rc = dataErr(err, path, line, "mem", "unknown memory type '%s' (expected sram or edram)", mem);
      goto end;
    }
    if (fix && r.kind != QA_MEM_EDRAM) {
      rc = dataErr(err, path, line, "mem", "'%s': the eDRAM write-fix table holds eDRAM rows only", mem);
      goto end;
    }
    if ((rc = parseWhole(path, line, "capacity_bytes", f[col[COL_CAP]], 1e15, &r.cap, err)) ||
        (rc = parseWhole(path, line, "width_bits", f[col[COL_WIDTH]], QA_MEM_BITS_MAX, &r.w, err)))
      goto end;
    const char *st = f[col[COL_STATUS]];
    if (!strcmp(st, "ok"))
      r.ok = 1;
    else if (strcmp(st, "failed")) {
      rc = dataErr(err, path, line, "status", "unknown status '%s' (expected ok or failed)", st);
      goto end;
    }
    if (r.ok) {
      static const int kColOf[V_N] = {COL_READ, COL_WRITE, COL_AREA, COL_LEAK, COL_ACCESS, COL_CYCLE};
      for (int v = 0; v < V_N; v++) {
        int c = kColOf[v];
        if (col[c] < 0) continue;
        /* the stock eDRAM write energy is CACTI 7.0's bug: never read it */
        if (!fix && v == V_WRITE && r.kind == QA_MEM_EDRAM) continue;
        if ((rc = parsePositive(path, line, kCols[c], f[col[c]], &r.v[v], err))) goto end;
      }
      r.v[V_AREA] *= 1e6; /* mm2 -> um2 */
      r.v[V_LEAK] *= 1e3; /* mW -> uW */
    }
    if (rows->n == rows->cap) {
      int cap = rows->cap ? 2 * rows->cap : 256;
      Row *nr = realloc(rows->r, (size_t)cap * sizeof *nr);
      if (!nr) {
        rc = qaErrSet(err, QA_EINTERNAL, "out of memory reading %s", path);
        goto end;
      }
      rows->r = nr;
      rows->cap = cap;
    }
    rows->r[rows->n++] = r;
  }
  if (!n_hdr)
    rc = qaErrSet(err, QA_EUSER, "%s: no header line (expected mem,capacity_bytes,width_bits,...)", path);
end:
  free(buf);
  return rc;
}

static int cmpDouble(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Insert X into the sorted set V[*n] (capacity MAX); returns 0 if full. */
static int addDistinct(double *v, int *n, int max, double x) {
  for (int i = 0; i < *n; i++)
    if (v[i] == x) return 1;
  if (*n == max) return 0;
  v[(*n)++] = x;
  qsort(v, (size_t)*n, sizeof v[0], cmpDouble);
  return 1;
}

static int indexOf(const double *v, int n, double x) {
  for (int i = 0; i < n; i++)
    if (v[i] == x) return i;
  return -1;
}

/* Solve the 3x3 system A x = y (partial pivoting); returns 0 if singular. */
static int solve3(double a[3][4], double x[3]) {
  for (int i = 0; i < 3; i++) {
    int p = i;
    for (int k = i + 1; k < 3; k++)
      if (fabs(a[k][i]) > fabs(a[p][i])) p = k;
    if (fabs(a[p][i]) < 1e-9) return 0;
    for (int j = 0; j < 4; j++) {
      double t = a[i][j];
      a[i][j] = a[p][j];
      a[p][j] = t;
    }
    for (int k = i + 1; k < 3; k++) {
      double f = a[k][i] / a[i][i];
      for (int j = i; j < 4; j++) a[k][j] -= f * a[i][j];
    }
  }
  for (int i = 2; i >= 0; i--) {
    double s = a[i][3];
    for (int j = i + 1; j < 3; j++) s -= a[i][j] * x[j];
    x[i] = s / a[i][i];
  }
  return 1;
}

/* Least squares ln E = ln a + b ln W + c ln C over the valid points of KIND. */
static int fitKind(QaMemGrid *g, int kind, QaErr *err) {
  double m[3][4] = {{0}};
  int n = 0;
  for (int i = 0; i < g->n_cap; i++) {
    for (int j = 0; j < g->n_w; j++) {
      const Cell *c = &g->cell[kind][i][j];
      if (!c->ok) continue;
      double x[3] = {1.0, log(g->w[j]), log(g->cap[i])}, y = log(c->v[V_READ]);
      for (int r = 0; r < 3; r++) {
        for (int s = 0; s < 3; s++) m[r][s] += x[r] * x[s];
        m[r][3] += x[r] * y;
      }
      n++;
    }
  }
  double sol[3];
  if (n < 3 || !solve3(m, sol))
    return qaErrSet(err, QA_EUSER,
                    "%s: the %s points span too few capacities and widths to fit the power law "
                    "used beyond the grid (need at least 2 of each)",
                    g->main_path, kKindNames[kind]);
  g->fit[kind].a = exp(sol[0]);
  g->fit[kind].b_width = sol[1];
  g->fit[kind].c_capacity = sol[2];
  g->fit[kind].n_points = n;
  return QA_OK;
}

static void lastComponent(const char *dir, char *out, size_t cap) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  size_t s = n;
  while (s > 0 && dir[s - 1] != '/') s--;
  size_t len = n - s < cap - 1 ? n - s : cap - 1;
  memcpy(out, dir + s, len);
  out[len] = 0;
}

int qaMemGridLoad(const char *dir, QaMemGrid **out, QaErr *err) {
  Rows main_rows = {0}, fix_rows = {0};
  QaMemGrid *g = NULL;
  int rc = QA_OK;
  *out = NULL;
  if (!dir || !*dir) return qaErrSet(err, QA_EUSER, "empty memory grid directory");
  g = qaCalloc(1, sizeof *g, err);
  if (!g) return QA_EINTERNAL;
  snprintf(g->dir, sizeof g->dir, "%s", dir);
  lastComponent(dir, g->name, sizeof g->name);
  int n1 = snprintf(g->main_path, sizeof g->main_path, "%s/%s.csv", dir, g->name);
  int n2 = snprintf(g->fix_path, sizeof g->fix_path, "%s/%s_edram_writefix.csv", dir, g->name);
  if (!g->name[0] || n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof g->main_path ||
      (size_t)n2 >= sizeof g->fix_path) {
    rc = qaErrSet(err, QA_EUSER, "bad memory grid directory '%s'", dir);
    goto end;
  }
  QaSha256 id;
  qaSha256Init(&id);
  if ((rc = readTable(g->main_path, 0, &main_rows, &id, err))) goto end;
  for (int i = 0; i < main_rows.n; i++) {
    const Row *r = &main_rows.r[i];
    if (!addDistinct(g->cap, &g->n_cap, CAP_MAX, r->cap) || !addDistinct(g->w, &g->n_w, WIDTH_MAX, r->w)) {
      rc = dataErr(err, g->main_path, r->line, "capacity_bytes",
                   "more than %d distinct capacities or %d widths", CAP_MAX, WIDTH_MAX);
      goto end;
    }
  }
  for (int i = 0; i < main_rows.n; i++) {
    const Row *r = &main_rows.r[i];
    Cell *c = &g->cell[r->kind][indexOf(g->cap, g->n_cap, r->cap)][indexOf(g->w, g->n_w, r->w)];
    if (c->line) {
      rc = dataErr(err, g->main_path, r->line, "capacity_bytes",
                   "duplicate point %s %.0f bytes x %.0f bits (first at line %d)", kKindNames[r->kind],
                   r->cap, r->w, c->line);
      goto end;
    }
    c->line = r->line;
    c->ok = r->ok;
    memcpy(c->v, r->v, sizeof c->v);
    g->n_rows[r->kind]++;
    g->n_ok[r->kind] += r->ok;
  }
  if (!g->n_ok[QA_MEM_SRAM] && !g->n_ok[QA_MEM_EDRAM]) {
    rc = qaErrSet(err, QA_EUSER, "%s: no status-ok rows", g->main_path);
    goto end;
  }
  /* eDRAM writes: only from the patched table */
  if (g->n_rows[QA_MEM_EDRAM]) {
    if ((rc = readTable(g->fix_path, 1, &fix_rows, &id, err))) {
      qaErrPrefix(err,
                  "%s has eDRAM rows, whose write energies come only from the patched table "
                  "(the stock CACTI 7.0 eDRAM write energy is a bug)",
                  g->main_path);
      goto end;
    }
    for (int i = 0; i < fix_rows.n; i++) {
      const Row *r = &fix_rows.r[i];
      int ci = indexOf(g->cap, g->n_cap, r->cap), wi = indexOf(g->w, g->n_w, r->w);
      Cell *c = ci >= 0 && wi >= 0 ? &g->cell[QA_MEM_EDRAM][ci][wi] : NULL;
      if (!c || !c->line) {
        rc = dataErr(err, g->fix_path, r->line, "capacity_bytes",
                     "eDRAM point %.0f bytes x %.0f bits is not in %s", r->cap, r->w, g->main_path);
        goto end;
      }
      if (c->wline) {
        rc = dataErr(err, g->fix_path, r->line, "capacity_bytes",
                     "duplicate point %.0f bytes x %.0f bits (first at line %d)", r->cap, r->w, c->wline);
        goto end;
      }
      c->wline = r->line;
      if (r->ok != c->ok) {
        rc = dataErr(err, g->fix_path, r->line, "status", "'%s' but %s:%d says '%s'", r->ok ? "ok" : "failed",
                     g->main_path, c->line, c->ok ? "ok" : "failed");
        goto end;
      }
      if (!r->ok) continue;
      if (fabs(r->v[V_READ] - c->v[V_READ]) > 1e-6 * c->v[V_READ]) {
        rc = dataErr(err, g->fix_path, r->line, "read_pJ",
                     "%g differs from %g at %s:%d: the write-fix table must be the same grid rerun",
                     r->v[V_READ], c->v[V_READ], g->main_path, c->line);
        goto end;
      }
      c->v[V_WRITE] = r->v[V_WRITE];
    }
    for (int i = 0; i < g->n_cap; i++) {
      for (int j = 0; j < g->n_w; j++) {
        const Cell *c = &g->cell[QA_MEM_EDRAM][i][j];
        if (c->ok && !c->wline) {
          rc = dataErr(err, g->main_path, c->line, "write_pJ",
                       "eDRAM point %.0f bytes x %.0f bits has no row in %s (the stock eDRAM write "
                       "energy is never used)",
                       g->cap[i], g->w[j], g->fix_path);
          goto end;
        }
      }
    }
  }
  for (int k = 0; k < QA_MEM_KINDS; k++)
    if (g->n_ok[k] && (rc = fitKind(g, k, err))) goto end;
  qaSha256Final(&id, g->id);
  *out = g;
  g = NULL;
end:
  free(main_rows.r);
  free(fix_rows.r);
  qaMemGridDestroy(g);
  return rc;
}

/* ---- One macro ------------------------------------------------------------------------- */

typedef struct Macro {
  double v[V_N];
  QaMemWhere where;
} Macro;

/* X (inside [v[0], v[n-1]]) between v[*lo] and v[*hi]; *t is the log-space fraction.
** *lo == *hi (t 0) when X is a grid value. */
static void bracket(const double *v, int n, double x, int *lo, int *hi, double *t) {
  for (int i = 0; i < n; i++) {
    if (v[i] == x) {
      *lo = *hi = i;
      *t = 0;
      return;
    }
  }
  int i = 0;
  while (i < n - 2 && x > v[i + 1]) i++;
  *lo = i;
  *hi = i + 1;
  *t = log(x / v[i]) / log(v[i + 1] / v[i]);
}

static double lerpLog(double a, double b, double t) {
  return t == 0 ? a : exp((1 - t) * log(a) + t * log(b));
}

/* Log-bilinear value at capacity index pair (i0,i1,tc) and width pair (j0,j1,tw); 0 if a
** corner is not a valid point. */
static int corners(const QaMemGrid *g, int kind, int i0, int i1, double tc, int j0, int j1, double tw,
                   double out[V_N]) {
  const Cell *c00 = &g->cell[kind][i0][j0], *c01 = &g->cell[kind][i0][j1];
  const Cell *c10 = &g->cell[kind][i1][j0], *c11 = &g->cell[kind][i1][j1];
  if (!c00->ok || !c01->ok || !c10->ok || !c11->ok) return 0;
  for (int v = 0; v < V_N; v++)
    out[v] = lerpLog(lerpLog(c00->v[v], c01->v[v], tw), lerpLog(c10->v[v], c11->v[v], tw), tc);
  return 1;
}

/* Price one macro of CAP bytes x BITS bits; 0 if the grid cannot (no valid array of that
** width at or above that capacity). */
static int macroEval(const QaMemGrid *g, int kind, double cap, double bits, Macro *m) {
  double ce = fmin(fmax(cap, g->cap[0]), g->cap[g->n_cap - 1]);
  double we = fmin(fmax(bits, g->w[0]), g->w[g->n_w - 1]);
  int i0, i1, j0, j1;
  double tc, tw;
  bracket(g->cap, g->n_cap, ce, &i0, &i1, &tc);
  bracket(g->w, g->n_w, we, &j0, &j1, &tw);
  if (corners(g, kind, i0, i1, tc, j0, j1, tw, m->v)) {
    m->where = i0 == i1 && j0 == j1 ? QA_MEM_AT_GRID : QA_MEM_INTERPOLATED;
  } else {
    /* gap: the smallest grid capacity at or above CE where this width is organisable */
    int i = i1;
    while (i < g->n_cap && !corners(g, kind, i, i, 0, j0, j1, tw, m->v)) i++;
    if (i == g->n_cap) return 0;
    m->where = QA_MEM_GAP;
  }
  if (ce != cap || we != bits) {
    const QaMemFit *f = &g->fit[kind];
    double sc = cap / ce, se = pow(sc, f->c_capacity) * pow(bits / we, f->b_width);
    m->v[V_READ] *= se;
    m->v[V_WRITE] *= se;
    m->v[V_AREA] *= sc;
    m->v[V_LEAK] *= sc;
    m->where = QA_MEM_EXTRAPOLATED;
  }
  return 1;
}

/* ---- Pricing --------------------------------------------------------------------------- */

static int isPow2(int64_t k) { return k > 0 && (k & (k - 1)) == 0; }

/* "2M", "32K", "512B", or "%.4gB" for a fraction of a byte. */
static void fmtBytes(double b, char *out, size_t cap) {
  if (b == floor(b) && b >= 1 << 20 && fmod(b, 1 << 20) == 0)
    snprintf(out, cap, "%.0fM", b / (1 << 20));
  else if (b == floor(b) && b >= 1024 && fmod(b, 1024) == 0)
    snprintf(out, cap, "%.0fK", b / 1024);
  else if (b == floor(b))
    snprintf(out, cap, "%.0fB", b);
  else
    snprintf(out, cap, "%.4gB", b);
}

int qaMemCostPrice(const QaMemGrid *g, const QaMemQuery *q, QaMemCost *out, QaErr *err) {
  if ((unsigned)q->kind >= QA_MEM_KINDS)
    return qaErrSet(err, QA_EUSER, "cannot price memory kind %d: expected sram or edram", (int)q->kind);
  const char *kn = kKindNames[q->kind];
  if (!qaMemGridHas(g, q->kind))
    return qaErrSet(err, QA_EUSER, "cannot price %s: memory grid '%s' has no %s points", kn, g->name, kn);
  if (q->capacity_bytes < 1 || q->access_bits < 1 || q->access_bits > QA_MEM_BITS_MAX)
    return qaErrSet(err, QA_EUSER,
                    "cannot price a %d-bit access to a %lld-byte %s: the width must be 1..%d bits "
                    "and the capacity at least 1 byte",
                    q->access_bits, (long long)q->capacity_bytes, kn, QA_MEM_BITS_MAX);
  if (q->banks && (!isPow2(q->banks) || q->access_bits % q->banks || q->banks > q->capacity_bytes))
    return qaErrSet(err, QA_EUSER,
                    "cannot price %s %lld bytes x %d bits as %d macros: the macro count must be a "
                    "power of two that divides the width and is at most the capacity in bytes "
                    "(or 0 to choose)",
                    kn, (long long)q->capacity_bytes, q->access_bits, q->banks);
  double C = (double)q->capacity_bytes;
  int W = q->access_bits;
  int best_k = 0, best_pref = 0;
  Macro best;
  memset(&best, 0, sizeof best);
  for (int k = q->banks ? q->banks : 1; k <= W; k *= 2) {
    if (!q->banks && k > 1 && (W % k || W / k < g->w[0] || C / k < g->cap[0])) break;
    Macro m;
    if (macroEval(g, q->kind, C / k, (double)(W / k), &m)) {
      int pref = m.where <= QA_MEM_INTERPOLATED ? 0 : 1;
      double e = k * m.v[V_READ], a = k * m.v[V_AREA];
      double be = best_k * best.v[V_READ], ba = best_k * best.v[V_AREA];
      if (!best_k || pref < best_pref || (pref == best_pref && (e < be || (e == be && a < ba)))) {
        best = m;
        best_k = k;
        best_pref = pref;
      }
    }
    if (q->banks) break;
  }
  if (!best_k)
    return qaErrSet(err, QA_EUSER,
                    "cannot price %s %lld bytes x %d bits: memory grid '%s' has no valid array of "
                    "that macro width at or above that capacity",
                    kn, (long long)q->capacity_bytes, W, g->name);
  memset(out, 0, sizeof *out);
  out->read_pj = best_k * best.v[V_READ];
  out->write_pj = best_k * best.v[V_WRITE];
  out->area_um2 = best_k * best.v[V_AREA];
  out->leakage_uw = best_k * best.v[V_LEAK];
  out->access_ns = best.v[V_ACCESS];
  out->cycle_ns = best.v[V_CYCLE];
  out->n_macros = best_k;
  out->macro_capacity_bytes = C / best_k;
  out->macro_bits = W / best_k;
  out->where = best.where;
  out->status = best.where <= QA_MEM_INTERPOLATED ? QA_COST_DERIVED : QA_COST_EXTRAPOLATED;
  char cb[32], mb[32];
  fmtBytes(C, cb, sizeof cb);
  fmtBytes(out->macro_capacity_bytes, mb, sizeof mb);
  int n = snprintf(out->basis, sizeof out->basis, "%s %s %s x %db as %d x %s x %db (%s)", g->name, kn, cb, W,
                   best_k, mb, out->macro_bits, kWhereNames[best.where]);
  if (n < 0 || (size_t)n >= sizeof out->basis) /* a long grid name: keep it one line anyway */
    out->basis[sizeof out->basis - 1] = 0;
  return QA_OK;
}

/* ---- Comparison with Horowitz ------------------------------------------------------------ */

/* Horowitz, "Computing's energy problem", ISSCC 2014, 45 nm: SRAM read of 64 bits. */
static const struct {
  int64_t capacity_bytes;
  double pj;
} kHorowitz[QA_MEM_HOROWITZ_N] = {{8192, 10.0}, {32768, 20.0}, {1048576, 100.0}};

int qaMemCompareHorowitz(const QaMemGrid *g, QaMemCompare out[QA_MEM_HOROWITZ_N], QaErr *err) {
  for (int i = 0; i < QA_MEM_HOROWITZ_N; i++) {
    QaMemQuery q = {QA_MEM_SRAM, kHorowitz[i].capacity_bytes, 64, 1};
    QaMemCost c;
    int rc = qaMemCostPrice(g, &q, &c, err);
    if (rc) return rc;
    out[i].capacity_bytes = q.capacity_bytes;
    out[i].access_bits = 64;
    out[i].horowitz_pj = kHorowitz[i].pj;
    out[i].sram_pj = c.read_pj;
    out[i].ratio = c.read_pj / kHorowitz[i].pj;
    out[i].edram_pj = NAN;
    if (qaMemGridHas(g, QA_MEM_EDRAM)) {
      q.kind = QA_MEM_EDRAM;
      if ((rc = qaMemCostPrice(g, &q, &c, err))) return rc;
      out[i].edram_pj = c.read_pj;
    }
  }
  return QA_OK;
}

int qaMemComparePrint(const QaMemGrid *g, FILE *fp, QaErr *err) {
  QaMemCompare c[QA_MEM_HOROWITZ_N];
  int rc = qaMemCompareHorowitz(g, c, err);
  if (rc) return rc;
  fprintf(fp, "# %s vs Horowitz ISSCC 2014 (45 nm), one 64-bit read of one array:\n", g->name);
  fprintf(fp, "#   %-9s %12s %12s %8s %12s\n", "capacity", "horowitz_pJ", "sram_pJ", "ratio", "edram_pJ");
  for (int i = 0; i < QA_MEM_HOROWITZ_N; i++) {
    char cb[32], ed[32];
    fmtBytes((double)c[i].capacity_bytes, cb, sizeof cb);
    if (isnan(c[i].edram_pj))
      snprintf(ed, sizeof ed, "-");
    else
      snprintf(ed, sizeof ed, "%.4g", c[i].edram_pj);
    fprintf(fp, "#   %-9s %12.4g %12.4g %8.2f %12s\n", cb, c[i].horowitz_pj, c[i].sram_pj, c[i].ratio, ed);
  }
  if (ferror(fp)) return qaErrSet(err, QA_EINTERNAL, "cannot write the memory comparison");
  return QA_OK;
}
