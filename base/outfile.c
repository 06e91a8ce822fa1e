/*
** outfile.c - output files written to a temporary file and renamed (see outfile.h).
*/
#define _POSIX_C_SOURCE 200809L
#include "base/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kindOf(mode_t m) {
  return S_ISDIR(m)    ? "a directory"
         : S_ISFIFO(m) ? "a FIFO"
         : S_ISSOCK(m) ? "a socket"
         : S_ISCHR(m)  ? "a character device"
         : S_ISBLK(m)  ? "a block device"
                       : "not a regular file";
}

int qaOutOpen(QaOutFile *o, const char *path, const char *protect_what, const char *protect, QaErr *err) {
  struct stat st, pst;
  memset(o, 0, sizeof *o);
  if (!path || !*path) return qaErrSet(err, QA_EUSER, "empty output file name");
  if (stat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode))
      return qaErrSet(err, QA_EUSER, "%s: exists and is %s; give a file path for the output", path,
                      kindOf(st.st_mode));
    if (protect && stat(protect, &pst) == 0 && pst.st_dev == st.st_dev && pst.st_ino == st.st_ino)
      return qaErrSet(err, QA_EUSER, "%s: is %s (%s); write the output to another file", path,
                      protect_what ? protect_what : "an input of this command", protect);
  }
  size_t n = strlen(path);
  o->path = qaMalloc(n + 1, err);
  o->tmp = qaMalloc(n + 16, err);
  if (!o->path || !o->tmp) {
    qaOutAbort(o);
    return QA_EINTERNAL;
  }
  memcpy(o->path, path, n + 1);
  snprintf(o->tmp, n + 16, "%s.tmp-XXXXXX", path);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    int e = errno;
    free(o->tmp);
    o->tmp = NULL;
    qaOutAbort(o);
    return qaErrSet(err, QA_EUSER, "%s: cannot create a temporary file beside it: %s", path, strerror(e));
  }
  fchmod(fd, 0644); /* mkstemp makes it 0600; an output is an ordinary file (umask permitting) */
  if (!(o->f = fdopen(fd, "w"))) {
    close(fd);
    qaOutAbort(o);
    return qaErrSet(err, QA_EINTERNAL, "%s: out of memory opening the output", path);
  }
  return QA_OK;
}

int qaOutCommit(QaOutFile *o, QaErr *err) {
  int e = 0;
  if (!o->f) {
    qaOutAbort(o);
    return qaErrSet(err, QA_EINTERNAL, "qaOutCommit: the output is not open");
  }
  errno = 0;
  if (fflush(o->f) != 0 || ferror(o->f)) e = errno ? errno : EIO; /* a failed write fails again here */
  if (!e && fsync(fileno(o->f)) != 0 && errno != EINVAL) e = errno;
  if (fclose(o->f) != 0 && !e) e = errno;
  o->f = NULL;
  if (!e && rename(o->tmp, o->path) != 0) e = errno;
  if (e) {
    int rc = qaErrSet(err, QA_EUSER, "%s: write failed: %s; nothing was written", o->path, strerror(e));
    qaOutAbort(o);
    return rc;
  }
  free(o->tmp);
  o->tmp = NULL;
  qaOutAbort(o);
  return QA_OK;
}

void qaOutAbort(QaOutFile *o) {
  if (o->f) fclose(o->f);
  if (o->tmp) unlink(o->tmp);
  free(o->tmp);
  free(o->path);
  memset(o, 0, sizeof *o);
}

int qaOutCheckStdout(QaErr *err) {
  errno = 0;
  if (fflush(stdout) != 0 || ferror(stdout)) {
    int e = errno ? errno : EIO;
    clearerr(stdout);
    return qaErrSet(err, QA_EUSER, "writing standard output failed: %s", strerror(e));
  }
  return QA_OK;
}

int qaMakeDirs(const char *dir, const char *what, QaErr *err) {
  char *d = strdup(dir);
  int rc = QA_OK;
  if (!d) return qaErrSet(err, QA_EINTERNAL, "out of memory");
  /* Each prefix ending before a '/' (and the whole dir): make it unless it is a directory. */
  for (char *p = d + 1;; p++) {
    if (*p != '/' && *p != 0) continue;
    char c = *p;
    *p = 0;
    struct stat sb;
    if (stat(d, &sb) == 0) {
      if (!S_ISDIR(sb.st_mode)) {
        rc = qaErrSet(err, QA_EUSER, "%s: %s is not a directory", what, d);
        break;
      }
    } else if (mkdir(d, 0777) != 0 && errno != EEXIST) {
      rc = qaErrSet(err, QA_EUSER, "%s: cannot create directory %s: %s", what, d, strerror(errno));
      break;
    }
    *p = c;
    if (!c) break;
  }
  free(d);
  return rc;
}
