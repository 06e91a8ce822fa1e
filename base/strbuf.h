/*
** strbuf.h - a growable string builder for messages and lists ("a, b, c").
**
** A QaStrBuf replaces fixed-size char arrays filled with strncat/snprintf: text of any
** length is appended, and an allocation failure sets a sticky `oom` flag instead of
** being reported at every call. Appends after a failure do nothing, the text stays a
** valid (truncated) NUL-terminated string, and the caller checks once at the end with
** qaStrBufCheck(). Typical use:
**
**   QaStrBuf b;
**   qaStrBufInit(&b);
**   qaStrBufJoin(&b, names, n, ", ");
**   qaStrBufAppendf(&b, " (%d in all)", n);
**   if (qaStrBufCheck(&b, err) == QA_OK) use(qaStrBufText(&b));
**   qaStrBufFree(&b);
**
** It also holds qaStrClosest(), the edit-distance suggestion used by "unknown key 'x'
** (did you mean 'y'?)" messages.
*/
#ifndef QA_STRBUF_H
#define QA_STRBUF_H

#include <stddef.h>

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QaStrBuf {
  char *s;    /* owned text, NUL-terminated; NULL until the first append */
  size_t len; /* bytes of text, excluding the NUL */
  size_t cap; /* bytes allocated at s */
  int oom;    /* 1 once an allocation failed: later appends are ignored */
} QaStrBuf;

/* Start an empty builder (no allocation). */
void qaStrBufInit(QaStrBuf *b);

/* Append N bytes of S / the NUL-terminated S / printf-formatted text. On allocation
** failure set b->oom and leave the text as it was. */
void qaStrBufAppendN(QaStrBuf *b, const char *s, size_t n);
void qaStrBufAppend(QaStrBuf *b, const char *s);
void qaStrBufAppendf(QaStrBuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Append ITEMS[0..n) separated by SEP, e.g. "a, b, c" with SEP ", ". */
void qaStrBufJoin(QaStrBuf *b, const char *const *items, int n, const char *sep);

/* The text so far: never NULL ("" before the first append). Owned by b. */
const char *qaStrBufText(const QaStrBuf *b);

/* QA_OK, or QA_EINTERNAL with "out of memory building a string" in *err if any append
** failed since the last reset. */
int qaStrBufCheck(const QaStrBuf *b, QaErr *err);

/* Empty the text (keeping the allocation) and clear the oom flag. */
void qaStrBufReset(QaStrBuf *b);

/* Release the text; b is empty again. */
void qaStrBufFree(QaStrBuf *b);

/* Hand the text over to the caller (free() it; "" allocated if nothing was appended),
** leaving b empty; NULL if out of memory (also after a failed append). */
char *qaStrBufTake(QaStrBuf *b);

/* The word in KNOWN[0..n) closest to WORD by edit distance (insert, delete, substitute,
** swap two neighbours: one each), or NULL if none is within MAX_DIST or the best one is
** as different as it is alike (distance * 2 >= the longer length: "a" is not a typo of
** "w"). Ties go to the earlier word. */
const char *qaStrClosest(const char *word, const char *const *known, int n, int max_dist);

#ifdef __cplusplus
}
#endif
#endif /* QA_STRBUF_H */
