/*
** stats.c - action-count table of a layer.
*/
#include "arch/stats.h"

#include <stdio.h>
#include <string.h>

int qaStatsAddAction(QaLayerStats *st, const char *component, const char *action, int a_bits, int w_bits,
                     int64_t count) {
  for (int i = 0; i < st->n_actions; i++) {
    QaAction *a = &st->actions[i];
    if (a->a_bits == a_bits && a->w_bits == w_bits && !strcmp(a->component, component) &&
        !strcmp(a->action, action)) {
      a->count += count;
      return QA_OK;
    }
  }
  if (st->n_actions >= QA_ACTIONS_MAX) return QA_EINTERNAL;
  QaAction *a = &st->actions[st->n_actions++];
  snprintf(a->component, sizeof a->component, "%s", component);
  snprintf(a->action, sizeof a->action, "%s", action);
  a->a_bits = a_bits;
  a->w_bits = w_bits;
  a->count = count;
  return QA_OK;
}

int64_t qaStatsGetAction(const QaLayerStats *st, const char *component, const char *action) {
  int64_t t = 0;
  for (int i = 0; i < st->n_actions; i++)
    if (!strcmp(st->actions[i].component, component) && !strcmp(st->actions[i].action, action))
      t += st->actions[i].count;
  return t;
}
