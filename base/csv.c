/*
** csv.c - RFC 4180 tables with a header row (see csv.h).
**
** The buffer is split in place: each field is unquoted into the bytes it occupied (the
** unquoted text is never longer) and NUL-terminated, so the cells point into the buffer.
*/
#include "base/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Row {
  int first; /* index of the row's first field in fields[] */
  int n;     /* fields in the row */
  int line;  /* 1-based line where the row starts */
} Row;

struct QaCsv {
  char *buf;
  char path[1024];
  char **fields;
  int n_fields, cap_fields;
  Row *rows; /* rows[0] is the header */
  int n_rows, cap_rows;
};

static int grow(void **p, int *cap, int need, size_t size, QaErr *err) {
  if (need <= *cap) return QA_OK;
  int c = *cap ? *cap * 2 : 64;
  while (c < need) c *= 2;
  void *q = realloc(*p, (size_t)c * size);
  if (!q) return qaErrSet(err, QA_EINTERNAL, "out of memory reading a CSV table");
  *p = q;
  *cap = c;
  return QA_OK;
}

static int addField(QaCsv *t, char *f, QaErr *err) {
  int rc = grow((void **)&t->fields, &t->cap_fields, t->n_fields + 1, sizeof *t->fields, err);
  if (rc) return rc;
  t->fields[t->n_fields++] = f;
  return QA_OK;
}

/* Split t->buf (LEN bytes) into rows of fields. */
static int split(QaCsv *t, size_t len, const char *what, QaErr *err) {
  char *s = t->buf, *end = t->buf + len;
  int line = 1, rc;
  if (len >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
    s += 3;
  while (s < end) {
    /* blank lines (LF, CRLF or CR alone) */
    if (*s == '\n' || *s == '\r') {
      if (*s == '\r' && s + 1 < end && s[1] == '\n') s++;
      s++;
      line++;
      continue;
    }
    Row row = {t->n_fields, 0, line};
    for (;;) { /* one field per iteration */
      char *out = s, *start = s;
      if (s < end && *s == '"') {
        int qline = line;
        s++;
        for (;;) {
          if (s >= end)
            return qaErrSet(err, QA_EUSER, "%s:%d: %s: a quoted field is never closed (a '\"' is missing)",
                            t->path, qline, what);
          if (*s == '"') {
            if (s + 1 < end && s[1] == '"') {
              *out++ = '"';
              s += 2;
              continue;
            }
            s++;
            break;
          }
          if (*s == '\n' || (*s == '\r' && !(s + 1 < end && s[1] == '\n'))) line++;
          *out++ = *s++;
        }
        if (s < end && *s != ',' && *s != '\n' && *s != '\r')
          return qaErrSet(err, QA_EUSER,
                          "%s:%d: %s: text after a closing quote (write \"\" for a quote inside)", t->path,
                          line, what);
      } else {
        while (s < end && *s != ',' && *s != '\n' && *s != '\r') s++;
        out = s;
      }
      char sep = s < end ? *s : '\n';
      *out = '\0'; /* out <= s: the separator (or a byte past the field) is overwritten */
      if ((rc = addField(t, start, err))) return rc;
      row.n++;
      if (s < end) s++;
      if (sep == ',') continue;
      if (sep == '\r' && s < end && *s == '\n') s++;
      line++;
      break;
    }
    if ((rc = grow((void **)&t->rows, &t->cap_rows, t->n_rows + 1, sizeof *t->rows, err))) return rc;
    t->rows[t->n_rows++] = row;
  }
  return QA_OK;
}

int qaCsvLoad(const char *path, const char *what, QaCsv **out, QaErr *err) {
  *out = NULL;
  QaCsv *t = qaCalloc(1, sizeof *t, err);
  if (!t) return QA_EINTERNAL;
  snprintf(t->path, sizeof t->path, "%s", path);
  size_t len = 0;
  int rc = qaReadFileMax(path, QA_CSV_FILE_MAX_BYTES, what, &t->buf, &len, err);
  if (rc) goto fail;
  /* the buffer is NUL-terminated: a field ending at the end of the file is terminated there */
  if ((rc = split(t, len, what, err))) goto fail;
  if (t->n_rows == 0) {
    rc = qaErrSet(err, QA_EUSER, "%s: %s is empty (expected a header row)", path, what);
    goto fail;
  }
  int cols = t->rows[0].n;
  if (cols > QA_CSV_FIELDS_MAX) {
    rc = qaErrSet(err, QA_EUSER, "%s:1: %s has %d columns (at most %d)", path, what, cols, QA_CSV_FIELDS_MAX);
    goto fail;
  }
  for (int r = 1; r < t->n_rows; r++)
    if (t->rows[r].n > cols) {
      rc = qaErrSet(err, QA_EUSER,
                    "%s:%d: %s: %d fields but the header has %d (quote a field that holds a comma)", path,
                    t->rows[r].line, what, t->rows[r].n, cols);
      goto fail;
    }
  *out = t;
  return QA_OK;
fail:
  qaCsvDestroy(t);
  return rc;
}

void qaCsvDestroy(QaCsv *t) {
  if (!t) return;
  free(t->buf);
  free(t->fields);
  free(t->rows);
  free(t);
}

int qaCsvRows(const QaCsv *t) { return t->n_rows - 1; }
int qaCsvColumns(const QaCsv *t) { return t->rows[0].n; }

int qaCsvColumn(const QaCsv *t, const char *name) {
  for (int c = 0; c < t->rows[0].n; c++)
    if (!strcmp(t->fields[t->rows[0].first + c], name)) return c;
  return -1;
}

const char *qaCsvHeader(const QaCsv *t, int col) {
  return col >= 0 && col < t->rows[0].n ? t->fields[t->rows[0].first + col] : "";
}

const char *qaCsvCell(const QaCsv *t, int row, int col) {
  if (row < 0 || row >= t->n_rows - 1 || col < 0) return "";
  const Row *r = &t->rows[row + 1];
  return col < r->n ? t->fields[r->first + col] : "";
}

int qaCsvLine(const QaCsv *t, int row) { return row >= 0 && row < t->n_rows - 1 ? t->rows[row + 1].line : 0; }

const char *qaCsvPath(const QaCsv *t) { return t->path; }
