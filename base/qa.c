/*
** qa.c - error messages, allocation, file reading, hashing, clocks.
*/
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include "base/qa.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

#define HUGE_PAGE ((size_t)2 << 20)

/* The heap's first HEAP_RESERVE bytes: reserved (address space only) and advised as huge pages. */
#define HEAP_RESERVE ((size_t)512 << 20)

void qaHeapSetup(void) {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__) /* (ASan has its own allocator) */
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_ARENA_MAX, 1);
#ifdef MADV_HUGEPAGE
  char *p = malloc(HEAP_RESERVE);
  if (p) {
    uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t hi = ((uintptr_t)p + HEAP_RESERVE) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (hi > lo) (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* a hint: without it, 4 KiB pages */
    free(p); /* back to the heap's top, untouched: nothing resident yet */
  }
#endif
#endif
}

void *qaMallocBig(size_t n, QaErr *err) {
#ifdef MADV_HUGEPAGE
  if (n >= HUGE_PAGE) { /* whole huge pages: the first touch faults once per 2 MiB, not per 4 KiB */
    void *p = NULL;
    size_t whole = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (posix_memalign(&p, HUGE_PAGE, whole) == 0) {
      (void)madvise(p, whole, MADV_HUGEPAGE); /* a hint: without it, ordinary pages */
      return p;
    }
  }
#endif
  return qaMalloc(n, err);
}

/* "a FIFO", "a socket", ... for "PATH: is not a regular file (a FIFO)". */
static const char *fileKind(mode_t m) {
  return S_ISFIFO(m)   ? "a FIFO"
         : S_ISSOCK(m) ? "a socket"
         : S_ISCHR(m)  ? "a character device"
         : S_ISBLK(m)  ? "a block device"
                       : "not a plain file";
}

int qaOpenRegular(const char *path, const char *what, int *out_fd, QaErr *err) {
  struct stat st;
  *out_fd = -1;
  /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return qaErrSet(err, QA_EUSER, "%s: cannot open%s%s: %s", path, what ? " " : "", what ? what : "",
                    strerror(errno));
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return qaErrSet(err, QA_EUSER, "%s: cannot stat: %s", path, strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    const char *w = what ? what : "file", *an = strchr("aeiouAEIOU", w[0]) ? "an" : "a";
    close(fd);
    if (S_ISDIR(st.st_mode)) return qaErrSet(err, QA_EUSER, "%s: is a directory; give %s %s", path, an, w);
    return qaErrSet(err, QA_EUSER, "%s: is not a regular file (%s); give %s %s", path, fileKind(st.st_mode),
                    an, w);
  }
  /* reads from a regular file never block anyway: back to ordinary blocking reads */
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  *out_fd = fd;
  return QA_OK;
}

/* "16 MiB" or "1000 bytes". */
static void formatSize(size_t n, char *out, size_t cap) {
  if (n && n % (1u << 20) == 0)
    snprintf(out, cap, "%zu MiB", n >> 20);
  else
    snprintf(out, cap, "%zu bytes", n);
}

int qaReadFileMax(const char *path, size_t max_bytes, const char *what, char **out_buf, size_t *out_len,
                  QaErr *err) {
  int rc = QA_OK;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  struct stat st;
  *out_buf = NULL;
  if (out_len) *out_len = 0;
  int fd;
  if ((rc = qaOpenRegular(path, what, &fd, err))) return rc;
  if (fstat(fd, &st) != 0) {
    rc = qaErrSet(err, QA_EUSER, "%s: cannot stat: %s", path, strerror(errno));
    goto end;
  }
  /* st_size is a hint (a file in /proc says 0): read until end of file, up to the limit */
  if ((uint64_t)st.st_size > max_bytes) len = max_bytes + 1;
  size_t most = max_bytes + 2; /* room for one byte too many, and the NUL */
  cap = (uint64_t)st.st_size + 2 < most ? (size_t)st.st_size + 2 : most;
  if (cap < 4096 && most > 4096) cap = 4096;
  while (len <= max_bytes) {
    if (!buf || len + 1 == cap) {
      size_t next = !buf ? cap : cap > most / 2 ? most : cap * 2;
      char *b = realloc(buf, next);
      if (!b) {
        rc = qaErrSet(err, QA_EINTERNAL, "%s: out of memory reading %zu bytes", path, next);
        goto end;
      }
      buf = b;
      cap = next;
    }
    ssize_t n = read(fd, buf + len, cap - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc = qaErrSet(err, QA_EUSER, "%s: read failed: %s", path, strerror(errno));
      goto end;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  if (len > max_bytes) {
    char limit[32];
    formatSize(max_bytes, limit, sizeof limit);
    rc = qaErrSet(err, QA_EUSER, "%s: is larger than the limit of %s for a %s", path, limit,
                  what ? what : "file");
    goto end;
  }
  buf[len] = 0;
  *out_buf = buf;
  buf = NULL;
  if (out_len) *out_len = len;
end:
  free(buf);
  close(fd);
  return rc;
}

int qaReadFile(const char *path, char **out_buf, size_t *out_len, QaErr *err) {
  return qaReadFileMax(path, (size_t)-1 / 4, NULL, out_buf, out_len, err);
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
