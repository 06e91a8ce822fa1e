/*
** npy.c - strict NumPy .npy reader and writer (see npy.h).
**
** Layout (numpy.lib.format): the magic "\x93NUMPY", major and minor version bytes, the header
** length (uint16 little-endian for 1.0, uint32 for 2.0 and 3.0), then the header: a Python dict
** literal {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with spaces and a
** final '\n' so that the data starts at a multiple of 64 bytes, then the raw C-order data.
** The reader parses just that literal subset with a small tokenizer (keys in any order, either
** quote style, any whitespace, optional trailing commas); the writer produces the same bytes
** as np.save.
*/
#define _POSIX_C_SOURCE 200809L
#include "base/npy.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "\x93NUMPY"
#define MAGIC_LEN 6
#define ALIGN_BYTES 64   /* data offset alignment used by numpy */
#define GROWTH_DIGITS 21 /* numpy leaves room for the first axis to grow to 21 digits */
#define SUPPORTED "<f4, <f8, |i1, <i2, <i4, |u1"
#define RESAVE "re-save the array with np.save"

static const struct {
  const char *descr;
  QaDtype dtype;
} kDescrs[] = {{"<f4", QA_DT_F32}, {"<f8", QA_DT_F64}, {"|i1", QA_DT_I8}, {"<i1", QA_DT_I8},
               {"<i2", QA_DT_I16}, {"<i4", QA_DT_I32}, {"|u1", QA_DT_U8}, {"<u1", QA_DT_U8}};

size_t qaDtypeSize(QaDtype t) {
  switch (t) {
    case QA_DT_F32:
      return 4;
    case QA_DT_F64:
      return 8;
    case QA_DT_I8:
      return 1;
    case QA_DT_I16:
      return 2;
    case QA_DT_I32:
      return 4;
    case QA_DT_U8:
      return 1;
  }
  return 0;
}

const char *qaDtypeName(QaDtype t) {
  switch (t) {
    case QA_DT_F32:
      return "<f4";
    case QA_DT_F64:
      return "<f8";
    case QA_DT_I8:
      return "|i1";
    case QA_DT_I16:
      return "<i2";
    case QA_DT_I32:
      return "<i4";
    case QA_DT_U8:
      return "|u1";
  }
  return "?";
}

/* .npy data is little-endian; swap in place on a big-endian host (a no-op elsewhere). */
static void toLittleEndian(void *data, int64_t count, size_t size) {
  const uint16_t one = 1;
  if (*(const unsigned char *)&one == 1 || size == 1) return;
  unsigned char *p = data;
  for (int64_t i = 0; i < count; i++, p += size)
    for (size_t j = 0; j < size / 2; j++) {
      unsigned char t = p[j];
      p[j] = p[size - 1 - j];
      p[size - 1 - j] = t;
    }
}

/* "(64, 3, 7, 7)", "(3,)" or "()", as Python prints a shape tuple. */
static void formatShape(int ndim, const int64_t *shape, char *buf, size_t cap) {
  size_t n = (size_t)snprintf(buf, cap, "(");
  for (int i = 0; i < ndim && n < cap; i++)
    n += (size_t)snprintf(buf + n, cap - n, "%s%lld", i ? ", " : "", (long long)shape[i]);
  if (n < cap) snprintf(buf + n, cap - n, ndim == 1 ? ",)" : ")");
}

/* Element count of a shape, or -1 if a dimension is negative or count * size overflows. */
static int64_t shapeCount(int ndim, const int64_t *shape, size_t size) {
  int64_t count = 1;
  for (int i = 0; i < ndim; i++) {
    if (shape[i] < 0) return -1;
    if (shape[i] == 0) count = 0;
  }
  if (count == 0) return 0;
  for (int i = 0; i < ndim; i++) {
    if (count > INT64_MAX / shape[i]) return -1;
    count *= shape[i];
  }
  return count > INT64_MAX / (int64_t)size ? -1 : count;
}

/* ---- header parser ---------------------------------------------------------------------- */

typedef struct Header {
  char descr[64];
  int fortran; /* -1 until seen */
  int ndim;    /* -1 until seen */
  int64_t shape[QA_NPY_MAX_DIMS];
} Header;

typedef struct Parser {
  const char *start, *p;
  const char *path;
  QaErr *err;
} Parser;

static void skipSpace(Parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static int syntaxError(Parser *ps, const char *expected) {
  char near[24];
  size_t i = 0;
  for (; i < 20 && ps->p[i]; i++) near[i] = (ps->p[i] < ' ' || ps->p[i] > '~') ? ' ' : ps->p[i];
  while (i > 0 && near[i - 1] == ' ') i--;
  near[i] = 0;
  if (!i)
    return qaErrSet(ps->err, QA_EUSER,
                    "%s: malformed .npy header: expected %s at the end of the header; " RESAVE, ps->path,
                    expected);
  return qaErrSet(ps->err, QA_EUSER,
                  "%s: malformed .npy header: expected %s near \"%s\" at offset %d; " RESAVE, ps->path,
                  expected, near, (int)(ps->p - ps->start));
}

static int parseString(Parser *ps, char *out, size_t cap) {
  char quote = *ps->p;
  if (quote != '\'' && quote != '"') return syntaxError(ps, "a quoted string");
  const char *end = strchr(ps->p + 1, quote);
  if (!end) return syntaxError(ps, "a closing quote");
  size_t n = (size_t)(end - ps->p - 1);
  if (n >= cap) return syntaxError(ps, "a string shorter than 64 characters");
  memcpy(out, ps->p + 1, n);
  out[n] = 0;
  ps->p = end + 1;
  return QA_OK;
}

static int parseShape(Parser *ps, Header *h) {
  if (*ps->p != '(') return syntaxError(ps, "a shape tuple like (2, 3)");
  ps->p++;
  h->ndim = 0;
  for (;;) {
    skipSpace(ps);
    if (*ps->p == ')') break;
    if (*ps->p == '-')
      return qaErrSet(ps->err, QA_EUSER, "%s: dimension %d of the .npy shape is negative; " RESAVE, ps->path,
                      h->ndim);
    if (*ps->p < '0' || *ps->p > '9') return syntaxError(ps, "a dimension (a non-negative integer)");
    if (h->ndim == QA_NPY_MAX_DIMS)
      return qaErrSet(ps->err, QA_EUSER,
                      "%s: too many dimensions in the .npy shape (more than %d); reshape the array", ps->path,
                      QA_NPY_MAX_DIMS);
    int64_t v = 0;
    for (; *ps->p >= '0' && *ps->p <= '9'; ps->p++) {
      int d = *ps->p - '0';
      if (v > (INT64_MAX - d) / 10)
        return qaErrSet(ps->err, QA_EUSER, "%s: dimension %d of the .npy shape is too large; " RESAVE,
                        ps->path, h->ndim);
      v = v * 10 + d;
    }
    if (*ps->p == 'L') ps->p++; /* Python 2 long literal */
    h->shape[h->ndim++] = v;
    skipSpace(ps);
    if (*ps->p == ',')
      ps->p++;
    else if (*ps->p != ')')
      return syntaxError(ps, "',' or ')' in the shape");
    else if (h->ndim == 1)
      return syntaxError(ps, "a comma: a 1-d shape is written (n,)");
  }
  ps->p++;
  return QA_OK;
}

/* Parse the header dict text (NUL-terminated) into *h. */
static int parseHeader(const char *text, const char *path, Header *h, QaErr *err) {
  Parser ps = {text, text, path, err};
  char key[64];
  int rc, seen_descr = 0;
  h->fortran = h->ndim = -1;
  skipSpace(&ps);
  if (*ps.p != '{') return syntaxError(&ps, "'{'");
  ps.p++;
  for (;;) {
    skipSpace(&ps);
    if (*ps.p == '}') break;
    if ((rc = parseString(&ps, key, sizeof key))) return rc;
    skipSpace(&ps);
    if (*ps.p != ':') return syntaxError(&ps, "':'");
    ps.p++;
    skipSpace(&ps);
    int dup = 0;
    if (!strcmp(key, "descr")) {
      dup = seen_descr++;
      if (*ps.p == '[' || *ps.p == '(')
        return qaErrSet(err, QA_EUSER,
                        "%s: structured dtypes are not supported (supported: " SUPPORTED
                        "); save a plain numeric array",
                        path);
      if ((rc = parseString(&ps, h->descr, sizeof h->descr))) return rc;
    } else if (!strcmp(key, "fortran_order")) {
      dup = h->fortran >= 0;
      size_t n = !strncmp(ps.p, "True", 4) ? 4 : !strncmp(ps.p, "False", 5) ? 5 : 0;
      if (!n || isalnum((unsigned char)ps.p[n]) || ps.p[n] == '_') return syntaxError(&ps, "True or False");
      h->fortran = n == 4;
      ps.p += n;
    } else if (!strcmp(key, "shape")) {
      dup = h->ndim >= 0;
      if ((rc = parseShape(&ps, h))) return rc;
    } else {
      return qaErrSet(
          err, QA_EUSER,
          "%s: unexpected key '%s' in the .npy header (expected descr, fortran_order, shape); " RESAVE, path,
          key);
    }
    if (dup) return qaErrSet(err, QA_EUSER, "%s: duplicate key '%s' in the .npy header; " RESAVE, path, key);
    skipSpace(&ps);
    if (*ps.p == ',')
      ps.p++;
    else if (*ps.p != '}')
      return syntaxError(&ps, "',' or '}'");
  }
  ps.p++;
  skipSpace(&ps);
  if (*ps.p) return syntaxError(&ps, "only padding after '}'");
  const char *missing = !seen_descr      ? "descr"
                        : h->fortran < 0 ? "fortran_order"
                        : h->ndim < 0    ? "shape"
                                         : NULL;
  if (missing)
    return qaErrSet(err, QA_EUSER, "%s: the .npy header lacks the '%s' key; " RESAVE, path, missing);
  return QA_OK;
}

/* ---- reader ----------------------------------------------------------------------------- */

/* Read path into a new array (*out owned by the caller; NULL on error). Every problem with the
** file is QA_EUSER naming path and the fix; allocation failure is QA_EINTERNAL. The data size is
** checked against the file size before anything is allocated. */
int qaNpyRead(const char *path, QaArray **out, QaErr *err) {
  int rc = QA_OK;
  char *text = NULL;
  QaArray *a = NULL;
  Header h;
  unsigned char pre[12];
  *out = NULL;
  int fd;
  if ((rc = qaOpenRegular(path, ".npy file", &fd, err))) return rc; /* never a FIFO or directory */
  FILE *f = fdopen(fd, "rb");
  if (!f) {
    close(fd);
    return qaErrSet(err, QA_EINTERNAL, "%s: out of memory opening the file", path);
  }
  long file_len = -1;
  if (fseek(f, 0, SEEK_END) == 0) file_len = ftell(f);
  if (file_len < 0 || fseek(f, 0, SEEK_SET) != 0) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot seek (not a regular file?)", path);
    goto end;
  }
  size_t got = fread(pre, 1, sizeof pre, f);
  if (got < MAGIC_LEN + 2 || memcmp(pre, MAGIC, MAGIC_LEN) != 0) {
    rc = qaErrSet(err, QA_EUSER,
                  "%s: not a .npy file (bad magic, expected \\x93NUMPY); save arrays with np.save", path);
    goto end;
  }
  int major = pre[6], minor = pre[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    rc = qaErrSet(err, QA_EUSER,
                  "%s: unsupported .npy format version %d.%d (supported 1.0, 2.0, 3.0); " RESAVE, path, major,
                  minor);
    goto end;
  }
  size_t prefix = major == 1 ? 10 : 12;
  if (got < prefix) {
    rc = qaErrSet(err, QA_EUSER, "%s: file is truncated inside the .npy header length field; " RESAVE, path);
    goto end;
  }
  uint32_t hlen = major == 1 ? (uint32_t)(pre[8] | pre[9] << 8)
                             : (uint32_t)pre[8] | (uint32_t)pre[9] << 8 | (uint32_t)pre[10] << 16 |
                                   (uint32_t)pre[11] << 24;
  if ((uint64_t)prefix + hlen > (uint64_t)file_len) {
    rc = qaErrSet(err, QA_EUSER,
                  "%s: header length %lu exceeds the file size (%ld bytes); the file is truncated, " RESAVE,
                  path, (unsigned long)hlen, file_len);
    goto end;
  }
  if (!(text = qaMalloc((size_t)hlen + 1, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  if (fseek(f, (long)prefix, SEEK_SET) != 0 || fread(text, 1, hlen, f) != hlen) {
    rc = qaErrSet(err, QA_EUSER, "%s: read failed in the .npy header", path);
    goto end;
  }
  text[hlen] = 0;
  if (strlen(text) != hlen) {
    rc = qaErrSet(err, QA_EUSER, "%s: malformed .npy header: it contains a NUL byte; " RESAVE, path);
    goto end;
  }
  if ((rc = parseHeader(text, path, &h, err))) goto end;

  if (h.fortran) {
    rc = qaErrSet(err, QA_EUSER,
                  "%s: Fortran-ordered arrays are not supported; save with np.ascontiguousarray(a)", path);
    goto end;
  }
  int found = -1;
  for (size_t i = 0; i < sizeof kDescrs / sizeof kDescrs[0]; i++)
    if (!strcmp(h.descr, kDescrs[i].descr)) found = (int)i;
  if (found < 0 && h.descr[0] == '>') {
    rc = qaErrSet(err, QA_EUSER, "%s: big-endian dtype '%s' is not supported; convert with a.astype('<%s')",
                  path, h.descr, h.descr + 1);
    goto end;
  }
  if (found < 0) {
    rc = qaErrSet(err, QA_EUSER,
                  "%s: unsupported dtype '%s' (supported: " SUPPORTED "); convert with e.g. a.astype('<f4')",
                  path, h.descr);
    goto end;
  }
  QaDtype dt = kDescrs[found].dtype;
  size_t size = qaDtypeSize(dt);
  int64_t count = shapeCount(h.ndim, h.shape, size);
  if (count < 0) {
    char s[256];
    formatShape(h.ndim, h.shape, s, sizeof s);
    rc = qaErrSet(err, QA_EUSER, "%s: the .npy shape %s overflows the element count; " RESAVE, path, s);
    goto end;
  }
  int64_t want = count * (int64_t)size, have = (int64_t)file_len - (int64_t)prefix - (int64_t)hlen;
  if (want != have) {
    rc = qaErrSet(err, QA_EUSER, "%s: expected %lld bytes of data, file has %lld (%s); " RESAVE, path,
                  (long long)want, (long long)have,
                  want > have ? "truncated" : "trailing bytes after the array");
    goto end;
  }
  if (!(a = qaCalloc(1, sizeof *a, err)) || !(a->data = qaMalloc((size_t)want, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  a->dtype = dt;
  a->ndim = h.ndim;
  memcpy(a->shape, h.shape, sizeof a->shape);
  a->count = count;
  if (want > 0 && fread(a->data, 1, (size_t)want, f) != (size_t)want) {
    rc = qaErrSet(err, QA_EUSER, "%s: read failed in the array data", path);
    goto end;
  }
  toLittleEndian(a->data, count, size);
  *out = a;
  a = NULL;
end:
  qaArrayDestroy(a);
  free(text);
  fclose(f);
  return rc;
}

void qaArrayDestroy(QaArray *a) {
  if (!a) return;
  free(a->data);
  free(a);
}

/* ---- writer ----------------------------------------------------------------------------- */

/* Build the magic, version, length and padded header exactly as np.save does (version 2.0
** only if the header would not fit a uint16, which cannot happen with <= 8 dims); returns the
** total length (a multiple of 64) or 0 if it does not fit in cap. */
static size_t buildHeader(QaDtype dt, int ndim, const int64_t *shape, unsigned char *buf, size_t cap) {
  char dict[512], s[256];
  formatShape(ndim, shape, s, sizeof s);
  int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                   qaDtypeName(dt), s);
  if (ndim > 0) { /* np.save's spare room for growing axis 0; kept for byte identity */
    int digits = snprintf(s, sizeof s, "%lld", (long long)shape[0]);
    n += snprintf(dict + n, sizeof dict - (size_t)n, "%*s", GROWTH_DIGITS - digits, "");
  }
  size_t hlen = (size_t)n + 1, prefix = 10; /* version 1.0: uint16 length */
  size_t pad = ALIGN_BYTES - (prefix + hlen) % ALIGN_BYTES;
  if (hlen + pad > 65535) { /* version 2.0: uint32 length */
    prefix = 12;
    pad = ALIGN_BYTES - (prefix + hlen) % ALIGN_BYTES;
  }
  size_t total = prefix + hlen + pad;
  if (total > cap) return 0;
  uint32_t len = (uint32_t)(hlen + pad);
  memcpy(buf, MAGIC, MAGIC_LEN);
  buf[6] = prefix == 10 ? 1 : 2;
  buf[7] = 0;
  for (size_t i = 0; i < prefix - 8; i++) buf[8 + i] = (unsigned char)(len >> (8 * i));
  memcpy(buf + prefix, dict, (size_t)n);
  memset(buf + prefix + n, ' ', pad);
  buf[total - 1] = '\n';
  return total;
}

/* Write data (borrowed) to path.tmp, fsync, then rename over path, so readers never see a partial
** file. QA_EUSER (naming path) for a bad shape or an I/O failure; QA_EINTERNAL for an invalid dtype
** code or NULL data. On error path.tmp is removed and path is untouched. */
int qaNpyWrite(const char *path, QaDtype dtype, int ndim, const int64_t *shape, const void *data,
               QaErr *err) {
  int rc = QA_OK;
  unsigned char head[1024];
  char *tmp = NULL;
  void *swapped = NULL;
  FILE *f = NULL;
  size_t size = qaDtypeSize(dtype);
  if (!size) return qaErrSet(err, QA_EINTERNAL, "%s: invalid dtype code %d", path, (int)dtype);
  if (ndim < 0 || ndim > QA_NPY_MAX_DIMS)
    return qaErrSet(err, QA_EUSER, "%s: cannot write a %d-d array (at most %d dimensions)", path, ndim,
                    QA_NPY_MAX_DIMS);
  int64_t count = shapeCount(ndim, shape, size);
  if (count < 0)
    return qaErrSet(err, QA_EUSER, "%s: cannot write: negative dimension or element count overflow", path);
  if (count > 0 && !data) return qaErrSet(err, QA_EINTERNAL, "%s: cannot write: data is NULL", path);
  size_t head_len = buildHeader(dtype, ndim, shape, head, sizeof head);
  if (!head_len) return qaErrSet(err, QA_EINTERNAL, "%s: .npy header does not fit", path);

  size_t nbytes = (size_t)count * size;
  const uint16_t one = 1;
  if (*(const unsigned char *)&one != 1 && size > 1) { /* big-endian host: write a swapped copy */
    if (!(swapped = qaMalloc(nbytes, err))) return QA_EINTERNAL;
    memcpy(swapped, data, nbytes);
    toLittleEndian(swapped, count, size);
    data = swapped;
  }
  if (!(tmp = qaMalloc(strlen(path) + 5, err))) {
    rc = QA_EINTERNAL;
    goto end;
  }
  snprintf(tmp, strlen(path) + 5, "%s.tmp", path);
  if (!(f = fopen(tmp, "wb"))) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot create %s: %s", path, tmp, strerror(errno));
    goto end;
  }
  if (fwrite(head, 1, head_len, f) != head_len || (nbytes && fwrite(data, 1, nbytes, f) != nbytes) ||
      fflush(f) != 0 || fsync(fileno(f)) != 0) {
    rc = qaErrSet(err, QA_EUSER, "%s: write failed: %s", path, strerror(errno));
    goto end;
  }
  int closed = fclose(f);
  f = NULL;
  if (closed != 0 || rename(tmp, path) != 0) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot write (rename from %s): %s", path, tmp, strerror(errno));
    goto end;
  }
end:
  if (f) fclose(f);
  if (rc && tmp) remove(tmp);
  free(tmp);
  free(swapped);
  return rc;
}

/* ---- conversions and checks ------------------------------------------------------------- */

/* New float copy in *out (caller frees; NULL on error). QA_EUSER at the first NaN, Inf or float64
** value beyond the float32 range, naming `what` and the flat index. */
int qaArrayToFloat(const QaArray *a, const char *what, float **out, QaErr *err) {
  *out = NULL;
  float *f = qaMalloc((size_t)a->count * sizeof *f, err);
  if (!f) return QA_EINTERNAL;
  for (int64_t i = 0; i < a->count; i++) {
    double v = 0;
    switch (a->dtype) {
      case QA_DT_F32:
        v = ((const float *)a->data)[i];
        break;
      case QA_DT_F64:
        v = ((const double *)a->data)[i];
        break;
      case QA_DT_I8:
        v = ((const int8_t *)a->data)[i];
        break;
      case QA_DT_I16:
        v = ((const int16_t *)a->data)[i];
        break;
      case QA_DT_I32:
        v = ((const int32_t *)a->data)[i];
        break;
      case QA_DT_U8:
        v = ((const uint8_t *)a->data)[i];
        break;
    }
    if (!(fabs(v) <= FLT_MAX)) {
      free(f);
      return qaErrSet(err, QA_EUSER,
                      "%s: value at flat index %lld is %s; fix the data (e.g. np.nan_to_num) and re-save",
                      what ? what : "array", (long long)i,
                      isnan(v)   ? "NaN"
                      : isinf(v) ? (v > 0 ? "+Inf" : "-Inf")
                                 : "outside the float32 range");
    }
    f[i] = (float)v;
  }
  *out = f;
  return QA_OK;
}

/* QA_OK if a has exactly this shape, else QA_EUSER showing both shapes Python-style. */
int qaArrayCheckShape(const QaArray *a, int ndim, const int64_t *shape, const char *what, QaErr *err) {
  int same = a->ndim == ndim;
  for (int i = 0; same && i < ndim; i++) same = a->shape[i] == shape[i];
  if (same) return QA_OK;
  char have[256], want[256];
  formatShape(a->ndim, a->shape, have, sizeof have);
  formatShape(ndim, shape, want, sizeof want);
  return qaErrSet(err, QA_EUSER, "%s: shape %s does not match the expected %s", what ? what : "array", have,
                  want);
}
