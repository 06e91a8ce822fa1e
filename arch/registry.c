/*
** registry.c - the built-in architectures: one row each. Adding an architecture is
** its file pair in this folder (spec, parameter and component tables, inventory,
** kernel, descriptor), one row here, and its tests.
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "arch/arch.h"

extern const QaArchDesc qaArchDaDianNao;
extern const QaArchDesc qaArchDaDianNao8;
extern const QaArchDesc qaArchStripes;
extern const QaArchDesc qaArchPragmatic;
extern const QaArchDesc qaArchLaconic;
extern const QaArchDesc qaArchOneHotDaDianNao;
extern const QaArchDesc qaArchKHotLaconic;

static const QaArchDesc *const kRegistry[] = {
    &qaArchDaDianNao, &qaArchDaDianNao8,      &qaArchStripes,     &qaArchPragmatic,
    &qaArchLaconic,   &qaArchOneHotDaDianNao, &qaArchKHotLaconic,
};

int qaArchCount(void) { return (int)(sizeof kRegistry / sizeof kRegistry[0]); }
const QaArchDesc *qaArchAt(int i) { return i >= 0 && i < qaArchCount() ? kRegistry[i] : NULL; }

int qaArchFind(const char *name, const QaArchDesc **out, QaErr *err) {
  char known[512];
  size_t used = 0;
  known[0] = 0;
  for (int i = 0; i < qaArchCount(); i++) {
    if (name && !strcasecmp(kRegistry[i]->name, name)) {
      *out = kRegistry[i];
      return QA_OK;
    }
    if (used < sizeof known)
      used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", kRegistry[i]->name);
  }
  return qaErrSet(err, QA_EUSER, "unknown architecture '%s'; known: %s (see `qasim archs`)", name ? name : "",
                  known);
}
