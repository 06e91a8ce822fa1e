/*
** qa.h - common definitions shared by every qasim module.
**
** Error handling follows one convention everywhere: functions return QA_OK (0) on
** success or a QA_E* code, and write a one-line, human-readable message into a
** caller-owned QaErr. User errors (bad files, bad options) are QA_EUSER and map to
** exit code 1; bugs and resource failures are QA_EINTERNAL and map to exit code 2.
** Library code never calls exit() and never uses assert() on user input.
*/
#ifndef QA_H
#define QA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QA_OK 0
#define QA_EUSER 1     /* bad input from the user: exit code 1 */
#define QA_EINTERNAL 2 /* internal error or resource failure: exit code 2 */

#define QA_ERR_MAX 1024

typedef struct QaErr {
  int rc;               /* last code set, QA_OK if none */
  char msg[QA_ERR_MAX]; /* one line, no trailing newline */
} QaErr;

/* Format a message into *err (if err is non-NULL) and return rc. */
int qaErrSet(QaErr *err, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefix the existing message with "prefix: " (used to add file/layer context). */
int qaErrPrefix(QaErr *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Allocation helpers: return NULL and set QA_EINTERNAL on failure. */
void *qaMalloc(size_t n, QaErr *err);
void *qaCalloc(size_t count, size_t size, QaErr *err);
/* qaMalloc for a big buffer that is kept and reused (freed with free()): from 2 MiB up it
** is backed by transparent huge pages where the system allows them, so touching it the
** first time costs a page fault per 2 MiB instead of one per 4 KiB (~10 us each on a VM). */
void *qaMallocBig(size_t n, QaErr *err);
/* The process's heap for qasim's pattern - layers allocating and freeing large buffers one
** after another - called once at start, before any thread (glibc; elsewhere nothing):
** freed memory stays in the heap for the next layer (no per-buffer mmap, no trimming), one
** arena for every thread (a buffer freed by one thread serves the next layer on another),
** and the heap's first 512 MiB of address space advised as transparent huge pages. Fresh
** pages must be zeroed by the kernel on their first touch, which on the shared VMs this was
** measured on costs ~10 us per 4 KiB page (2.4 ns per byte: more than a layer's simulation
** spends on it) and ~0.1 ms per 2 MiB one: ResNet-18 took 10.6 k page faults, 1.65 k advised. */
void qaHeapSetup(void);

/* Open PATH for reading if it is a regular file: *out_fd gets the descriptor (the caller
** closes it). Never blocks: a FIFO is opened without waiting for a writer and refused. Only
** regular files pass: QA_EUSER "PATH: is a directory; give a WHAT", "PATH: is not a regular
** file (a FIFO); give a WHAT" (WHAT NULL: "file"), or "PATH: cannot open WHAT: REASON". */
int qaOpenRegular(const char *path, const char *what, int *out_fd, QaErr *err);

/* Read a whole file into a NUL-terminated buffer the caller frees (*out_len, if not NULL,
** gets its length). Only regular files are read: a directory is QA_EUSER "PATH: is a
** directory", a FIFO, device or socket "PATH: is not a regular file" (opened without
** blocking, never read). QA_EUSER "PATH: cannot open: REASON" if it cannot be opened. */
int qaReadFile(const char *path, char **out_buf, size_t *out_len, QaErr *err);

/* qaReadFile with a size limit: a file larger than MAX_BYTES is QA_EUSER "PATH: is larger
** than the limit of N MiB for a WHAT". WHAT names the kind of file in messages ("network
** file": "PATH: cannot open network file: REASON"); NULL means "file". */
int qaReadFileMax(const char *path, size_t max_bytes, const char *what, char **out_buf, size_t *out_len,
                  QaErr *err);

/* 64-bit FNV-1a hash of a byte string, printed as 16 hex digits into out[17]. */
uint64_t qaHash64(const void *data, size_t len, uint64_t seed);
void qaHashHex(uint64_t h, char out[17]);

/* Monotonic wall clock in seconds. */
double qaNowSeconds(void);

/* Path of a data file shipped with qasim: REL (e.g. "models/tables/horowitz45.csv")
** under $QASIM_DATA if set, else under the source tree qasim was built from. */
void qaDataPath(const char *rel, char *out, size_t cap);

/* Version string from `git describe` at configure time (or "unknown"). */
const char *qaVersion(void);

#ifdef __cplusplus
}
#endif
#endif /* QA_H */
