/*
** strset.c - open-addressing string set (see strset.h): FNV-1a mixed by murmur3's
** finaliser, linear probing, load factor at most 1/2.
*/
#include "base/strset.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

static QaStrSetSlot *find(const QaStrSet *s, const char *key, uint64_t h) {
  size_t mask = s->cap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    QaStrSetSlot *e = &s->slots[i];
    if (!e->key || (e->hash == h && !strcmp(e->key, key))) return e;
  }
}

void qaStrSetInit(QaStrSet *s) { memset(s, 0, sizeof *s); }

int qaStrSetAdd(QaStrSet *s, const char *key, int value, int *existing, QaErr *err) {
  *existing = -1;
  if ((s->n + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 64;
    QaStrSetSlot *old = s->slots;
    size_t old_cap = s->cap;
    s->slots = qaCalloc(cap, sizeof *s->slots, err);
    if (!s->slots) {
      s->slots = old;
      return QA_EINTERNAL;
    }
    s->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
      if (old[i].key) *find(s, old[i].key, old[i].hash) = old[i];
    free(old);
  }
  uint64_t h = mix(qaHash64(key, strlen(key), 0));
  QaStrSetSlot *e = find(s, key, h);
  if (e->key) {
    *existing = e->value;
    return QA_OK;
  }
  *e = (QaStrSetSlot){key, h, value};
  s->n++;
  return QA_OK;
}

int qaStrSetFind(const QaStrSet *s, const char *key) {
  if (!s->cap) return -1;
  const QaStrSetSlot *e = find(s, key, mix(qaHash64(key, strlen(key), 0)));
  return e->key ? e->value : -1;
}

void qaStrSetFree(QaStrSet *s) {
  free(s->slots);
  qaStrSetInit(s);
}
