/*
** outfile.h - writing an output file safely: all or nothing, never onto an input.
**
** An output (e.g. `qasim export --output FILE`) is written to a temporary file beside
** FILE and renamed over it only when every write, the flush, fsync and fclose have
** succeeded: a full disk leaves FILE as it was and is an error, never an empty or cut
** file with exit 0. An existing FILE that is not a regular file (a directory, FIFO or
** device) is refused, and so is FILE when it is the same file (same device and inode) as
** a file the command reads, such as the results database (issue 13: `export --db X.db
** --output X.db` truncated the database).
**
**   QaOutFile o;
**   if ((rc = qaOutOpen(&o, path, "the results database", db_path, err))) return rc;
**   ... fprintf(o.f, ...) ...
**   rc = rc ? (qaOutAbort(&o), rc) : qaOutCommit(&o, err);
*/
#ifndef QA_OUTFILE_H
#define QA_OUTFILE_H

#include <stdio.h>

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QaOutFile {
  FILE *f;    /* write here; NULL when closed */
  char *path; /* the final name (owned) */
  char *tmp;  /* the temporary file beside it (owned) */
} QaOutFile;

/* Start writing PATH. PROTECT (may be NULL) is a file that must not be overwritten, named
** PROTECT_WHAT in the message ("the results database"). Returns QA_OK with o->f open, or
** QA_EUSER: "PATH: is the results database (DB); write the output to another file",
** "PATH: exists and is a directory / not a regular file (a FIFO); give a file path", or
** "PATH: cannot create a temporary file beside it: REASON". On error nothing is left. */
int qaOutOpen(QaOutFile *o, const char *path, const char *protect_what, const char *protect, QaErr *err);

/* Finish: check the stream, flush, fsync, close and rename the temporary file to PATH.
** QA_OK, or QA_EUSER "PATH: write failed: REASON; nothing was written" (the temporary file
** is removed and PATH is untouched). o is closed either way. */
int qaOutCommit(QaOutFile *o, QaErr *err);

/* Give up: close and remove the temporary file; PATH is untouched. Safe after Commit. */
void qaOutAbort(QaOutFile *o);

/* Check that everything written to standard output reached it (flush, then the error
** flag): QA_OK, or QA_EUSER "writing standard output failed: REASON". For the end of a
** command whose output went to stdout (e.g. `qasim results > /dev/full`). */
int qaOutCheckStdout(QaErr *err);

/* mkdir -p DIR: each prefix of DIR that does not exist is created (mode 0777 before the
** umask). QA_EUSER "WHAT: D is not a directory" when a prefix D exists as something else,
** "WHAT: cannot create directory D: REASON" when mkdir fails; WHAT names the operation
** (e.g. the path being written). */
int qaMakeDirs(const char *dir, const char *what, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_OUTFILE_H */
