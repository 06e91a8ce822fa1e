/*
** strbuf.c - the growable string builder and the closest-word suggestion.
*/
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void qaStrBufInit(QaStrBuf *b) {
  b->s = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}

/* Make room for `extra` more bytes plus the NUL; 0 on failure (oom set). */
static int reserve(QaStrBuf *b, size_t extra) {
  if (b->oom) return 0;
  if (extra > (size_t)-1 / 2 - b->len) {
    b->oom = 1;
    return 0;
  }
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return 1;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap *= 2;
  char *s = realloc(b->s, cap);
  if (!s) {
    b->oom = 1;
    return 0;
  }
  if (!b->s) s[0] = 0;
  b->s = s;
  b->cap = cap;
  return 1;
}

void qaStrBufAppendN(QaStrBuf *b, const char *s, size_t n) {
  if (!reserve(b, n)) return;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = 0;
}

void qaStrBufAppend(QaStrBuf *b, const char *s) { qaStrBufAppendN(b, s, strlen(s)); }

void qaStrBufAppendf(QaStrBuf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  if (b->oom) return;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->oom = 1; /* an encoding error: treat like a failed append, checked once at the end */
    return;
  }
  if ((size_t)n < sizeof small) {
    qaStrBufAppendN(b, small, (size_t)n);
    return;
  }
  if (!reserve(b, (size_t)n)) return;
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void qaStrBufJoin(QaStrBuf *b, const char *const *items, int n, const char *sep) {
  for (int i = 0; i < n; i++) {
    if (i) qaStrBufAppend(b, sep);
    qaStrBufAppend(b, items[i]);
  }
}

const char *qaStrBufText(const QaStrBuf *b) { return b->s ? b->s : ""; }

int qaStrBufCheck(const QaStrBuf *b, QaErr *err) {
  if (b->oom) return qaErrSet(err, QA_EINTERNAL, "out of memory building a string");
  return QA_OK;
}

void qaStrBufReset(QaStrBuf *b) {
  b->len = 0;
  if (b->s) b->s[0] = 0;
  b->oom = 0;
}

void qaStrBufFree(QaStrBuf *b) {
  free(b->s);
  qaStrBufInit(b);
}

char *qaStrBufTake(QaStrBuf *b) {
  char *s = b->oom ? NULL : b->s ? b->s : calloc(1, 1);
  if (b->oom) free(b->s);
  qaStrBufInit(b);
  return s;
}

/* Optimal-string-alignment distance between a and b, or max + 1 once it exceeds max. */
static int editDistance(const char *a, const char *b, int max) {
  enum { W = 64 };
  size_t na = strlen(a), nb = strlen(b);
  if (na >= W || nb >= W) return max + 1;
  if ((na > nb ? na - nb : nb - na) > (size_t)max) return max + 1;
  int d[W][W];
  for (size_t i = 0; i <= na; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= nb; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= na; i++) {
    for (size_t j = 1; j <= nb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
    }
  }
  return d[na][nb] <= max ? d[na][nb] : max + 1;
}

const char *qaStrClosest(const char *word, const char *const *known, int n, int max_dist) {
  const char *best = NULL;
  int best_d = max_dist + 1;
  size_t nw = strlen(word);
  for (int i = 0; i < n; i++) {
    int d = editDistance(word, known[i], max_dist);
    size_t longer = nw > strlen(known[i]) ? nw : strlen(known[i]);
    if (d < best_d && (size_t)d * 2 < longer) {
      best = known[i];
      best_d = d;
    }
  }
  return best;
}
