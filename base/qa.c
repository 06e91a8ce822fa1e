/*
** qa.c - error messages, allocation, file reading, hashing, clocks.
*/
#define _POSIX_C_SOURCE 200809L
#include "base/qa.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef QA_VERSION_STRING
#define QA_VERSION_STRING "unknown"
#endif

int qaErrSet(QaErr *err, int rc, const char *fmt, ...) {
  if (err) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->rc = rc;
  }
  return rc;
}

int qaErrPrefix(QaErr *err, const char *fmt, ...) {
  if (!err) return QA_OK;
  char prefix[QA_ERR_MAX];
  char old[QA_ERR_MAX];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  memcpy(old, err->msg, sizeof old);
  size_t n = strlen(prefix);
  if (n > sizeof err->msg - 3) n = sizeof err->msg - 3;
  memcpy(err->msg, prefix, n);
  err->msg[n] = ':';
  err->msg[n + 1] = ' ';
  size_t room = sizeof err->msg - n - 3;
  size_t m = strlen(old);
  if (m > room) m = room;
  memcpy(err->msg + n + 2, old, m);
  err->msg[n + 2 + m] = 0;
  return err->rc;
}

void *qaMalloc(size_t n, QaErr *err) {
  void *p = malloc(n ? n : 1);
  if (!p) qaErrSet(err, QA_EINTERNAL, "out of memory allocating %zu bytes", n);
  return p;
}

void *qaCalloc(size_t count, size_t size, QaErr *err) {
  void *p = calloc(count ? count : 1, size ? size : 1);
  if (!p) qaErrSet(err, QA_EINTERNAL, "out of memory allocating %zu x %zu bytes", count, size);
  return p;
}

int qaReadFile(const char *path, char **out_buf, size_t *out_len, QaErr *err) {
  int rc = QA_OK;
  char *buf = NULL;
  FILE *f = fopen(path, "rb");
  *out_buf = NULL;
  if (out_len) *out_len = 0;
  if (!f) return qaErrSet(err, QA_EUSER, "%s: cannot open: %s", path, strerror(errno));
  if (fseek(f, 0, SEEK_END) != 0) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot seek: %s", path, strerror(errno));
    goto end;
  }
  long n = ftell(f);
  if (n < 0) {
    rc = qaErrSet(err, QA_EUSER, "%s: not a regular file", path);
    goto end;
  }
  rewind(f);
  buf = qaMalloc((size_t)n + 1, err);
  if (!buf) {
    rc = QA_EINTERNAL;
    goto end;
  }
  if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    rc = qaErrSet(err, QA_EUSER, "%s: read failed", path);
    goto end;
  }
  buf[n] = 0;
  *out_buf = buf;
  buf = NULL;
  if (out_len) *out_len = (size_t)n;
end:
  free(buf);
  fclose(f);
  return rc;
}

uint64_t qaHash64(const void *data, size_t len, uint64_t seed) {
  const unsigned char *p = data;
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (size_t i = 0; i < len; i++) {
    h ^= p[i];
    h *= 1099511628211ULL;
  }
  return h;
}

void qaHashHex(uint64_t h, char out[17]) { snprintf(out, 17, "%016llx", (unsigned long long)h); }

double qaNowSeconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#ifndef QA_SOURCE_DIR
#define QA_SOURCE_DIR "."
#endif

void qaDataPath(const char *rel, char *out, size_t cap) {
  const char *root = getenv("QASIM_DATA");
  if (!root || !*root) root = QA_SOURCE_DIR;
  snprintf(out, cap, "%s/%s", root, rel);
}

const char *qaVersion(void) { return QA_VERSION_STRING; }
