/*
** strset.h - a set of strings with an int each, for duplicate checks in linear time.
**
** Loaders that must refuse a repeated name (layer names in a network file, component
** names in an Accelergy table) add every name as they read it; a name already in the
** set gives back the value stored with it (e.g. the line where it first appeared). It
** is an open-addressing hash table that grows as needed: 50,000 names take
** milliseconds where comparing each name with every earlier one took 47 s (issue 13).
**
**   QaStrSet seen;
**   qaStrSetInit(&seen);
**   int first;
**   for (...) {
**     if ((rc = qaStrSetAdd(&seen, name, line, &first, err))) goto end;  (out of memory)
**     if (first >= 0) ... "duplicate name (first at line %d)", first ...
**   }
**   qaStrSetFree(&seen);
*/
#ifndef QA_STRSET_H
#define QA_STRSET_H

#include <stddef.h>
#include <stdint.h>

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QaStrSetSlot {
  const char *key; /* borrowed; NULL: empty slot */
  uint64_t hash;
  int value;
} QaStrSetSlot;

typedef struct QaStrSet {
  QaStrSetSlot *slots; /* owned */
  size_t n, cap;       /* cap is 0 or a power of two; n <= cap / 2 */
} QaStrSet;

/* An empty set (no allocation until the first add). */
void qaStrSetInit(QaStrSet *s);

/* Add KEY (borrowed: it must stay valid while the set is used) with VALUE unless it is
** already there. *existing (out) gets the value stored with an earlier equal key, or -1 if
** KEY was added (so store values >= 0). Returns QA_OK, or QA_EINTERNAL if out of memory. */
int qaStrSetAdd(QaStrSet *s, const char *key, int value, int *existing, QaErr *err);

/* The value stored with KEY, or -1 if KEY is not in the set. */
int qaStrSetFind(const QaStrSet *s, const char *key);

/* Free the table (not the keys); the set is empty again. */
void qaStrSetFree(QaStrSet *s);

#ifdef __cplusplus
}
#endif
#endif /* QA_STRSET_H */
