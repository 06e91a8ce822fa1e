/*
** csv.h - reading comma-separated tables (RFC 4180) with a header row.
**
** The file is read whole (qaReadFileMax: regular files only, size-limited) and split into
** rows of fields: fields may be quoted ("a, b" keeps its comma, "" is a literal quote),
** line ends may be LF, CRLF or CR alone, a UTF-8 byte-order mark before the header is
** skipped, and blank lines are skipped. The first row is the header; every other row must
** have at most as many fields as the header (missing trailing fields read as ""). Errors
** are one line "PATH:LINE: message". Cells are borrowed from the table until
** qaCsvDestroy.
**
**   QaCsv *t;
**   if ((rc = qaCsvLoad("arch/claims.csv", "claims table", &t, err))) return rc;
**   int col = qaCsvColumn(t, "published");
**   for (int r = 0; r < qaCsvRows(t); r++) use(qaCsvCell(t, r, col), qaCsvLine(t, r));
**   qaCsvDestroy(t);
*/
#ifndef QA_CSV_H
#define QA_CSV_H

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_CSV_FILE_MAX_BYTES (64u << 20) /* 64 MiB: the largest CSV file read */
#define QA_CSV_FIELDS_MAX 256             /* columns of a table */

typedef struct QaCsv QaCsv;

/* Read and split PATH. WHAT names the file in messages ("claims table"). QA_EUSER for an
** unreadable file, an unterminated quote, a row longer than the header, an empty file or
** more than QA_CSV_FIELDS_MAX columns; QA_EINTERNAL when out of memory. */
int qaCsvLoad(const char *path, const char *what, QaCsv **out, QaErr *err);
void qaCsvDestroy(QaCsv *t); /* NULL is a no-op */

int qaCsvRows(const QaCsv *t);    /* data rows (the header excluded) */
int qaCsvColumns(const QaCsv *t); /* header fields */
/* Index of the header field NAME (exact match), or -1. */
int qaCsvColumn(const QaCsv *t, const char *name);
const char *qaCsvHeader(const QaCsv *t, int col);
/* Cell of data row ROW and column COL ("" past the row's last field). */
const char *qaCsvCell(const QaCsv *t, int row, int col);
int qaCsvLine(const QaCsv *t, int row); /* 1-based line of data row ROW in the file */
const char *qaCsvPath(const QaCsv *t);

#ifdef __cplusplus
}
#endif
#endif /* QA_CSV_H */
