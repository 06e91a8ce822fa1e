/*
** precision.c - per-layer precision files (see precision.h).
*/
#include "workloads/precision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"

#define PRECISION_FILE_MAX (1u << 20)

/* Strip leading and trailing blanks in place. */
static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
  return s;
}

static int findLayer(const QaNet *net, const char *name) {
  for (int i = 0; i < net->n_layers; i++)
    if (!strcmp(net->layers[i].name, name)) return i;
  return -1;
}

/* Bits field: empty -> 0, else 1..16. */
static int bitsField(const char *path, int line, const char *col, char *text, int *out, QaErr *err) {
  text = trim(text);
  *out = 0;
  if (!*text) return QA_OK;
  int64_t v;
  QaErr e = {0, ""};
  if (qaParseInt64(text, col, 1, QA_BITS_MAX, &v, &e))
    return qaErrSet(err, QA_EUSER, "%s:%d: %s", path, line, e.msg);
  *out = (int)v;
  return QA_OK;
}

int qaPrecisionLoad(const char *path, const QaNet *net, int *a_bits, int *w_bits, int *n_rows, QaErr *err) {
  char *buf = NULL;
  int rc = QA_OK, line = 0, header = 0, rows = 0;
  memset(a_bits, 0, (size_t)net->n_layers * sizeof *a_bits);
  memset(w_bits, 0, (size_t)net->n_layers * sizeof *w_bits);
  if (n_rows) *n_rows = 0;
  if ((rc = qaReadFileMax(path, PRECISION_FILE_MAX, "precision file", &buf, NULL, err))) return rc;
  for (char *ln = buf, *next; ln; ln = next) {
    next = strchr(ln, '\n');
    if (next) *next++ = 0;
    line++;
    char *t = trim(ln);
    if (!*t || *t == '#') continue;
    if (!header) {
      if (strncmp(t, "layer,a_bits,w_bits", 19) != 0) {
        rc = qaErrSet(err, QA_EUSER,
                      "%s:%d: the header must be 'layer,a_bits,w_bits,source' (got '%.60s'); see "
                      "workloads/precisions/*.csv",
                      path, line, t);
        goto end;
      }
      header = 1;
      continue;
    }
    char *f[3], *rest = t; /* fields may be empty: split by hand; the rest is the source text */
    for (int k = 0; k < 3; k++) {
      f[k] = rest;
      if (rest) {
        char *c = strchr(rest, ',');
        if (c) *c = 0;
        rest = c ? c + 1 : NULL;
      }
    }
    if (!f[1] || !*trim(f[0])) {
      rc = qaErrSet(err, QA_EUSER, "%s:%d: a row needs at least 'layer,a_bits' (e.g. conv1,8,,source)", path,
                    line);
      goto end;
    }
    char *name = trim(f[0]);
    int i = findLayer(net, name);
    if (i < 0) {
      rc = qaErrSet(err, QA_EUSER,
                    "%s:%d: layer '%.64s' is not in network '%s' (its layers: %s, %s, ...); is the file for "
                    "this network?",
                    path, line, name, net->name, net->layers[0].name,
                    net->n_layers > 1 ? net->layers[1].name : "-");
      goto end;
    }
    if (a_bits[i] || w_bits[i]) {
      rc = qaErrSet(err, QA_EUSER, "%s:%d: layer '%s' is listed twice; keep one row", path, line, name);
      goto end;
    }
    if ((rc = bitsField(path, line, "a_bits", f[1], &a_bits[i], err)) ||
        (f[2] && (rc = bitsField(path, line, "w_bits", f[2], &w_bits[i], err))))
      goto end;
    if (!a_bits[i] && !w_bits[i]) {
      rc =
          qaErrSet(err, QA_EUSER, "%s:%d: layer '%s' has neither a_bits nor w_bits; give one or drop the row",
                   path, line, name);
      goto end;
    }
    rows++;
  }
  if (!header)
    rc = qaErrSet(err, QA_EUSER, "%s: no header line 'layer,a_bits,w_bits,source' and no rows", path);
end:
  free(buf);
  if (!rc && n_rows) *n_rows = rows;
  return rc;
}
