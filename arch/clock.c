/*
** clock.c - register clocking with and without clock gating (see clock.h).
*/
#include "arch/clock.h"

#include <string.h>

int64_t qaClockInstances(const QaArchConfig *cfg, int id) {
  const QaArchDesc *d = cfg->desc;
  QaInventory inv;
  int hw = qaArchHwBits(cfg);
  if (id < 0 || id >= d->n_comps) return 0;
  memset(&inv, 0, sizeof inv);
  d->inventory(cfg, hw, hw, &inv);
  const QaComponent *c = &inv.comp[id];
  switch (d->comps[id].scope) {
    case QA_SCOPE_PE:
      return c->count * inv.pes_per_tile * inv.tiles;
    case QA_SCOPE_TILE:
      return c->count * inv.tiles;
    case QA_SCOPE_CHIP:
      return c->count;
    default:
      return 0;
  }
}

void qaClockCountRegisters(const QaArchConfig *cfg, QaLayerStats *st) {
  const QaArchDesc *d = cfg->desc;
  if (cfg->spec.base.clock_gating) return;
  for (int id = 0; id < d->n_comps; id++)
    if (d->comps[id].category == QA_CAT_REGISTERS)
      st->count[id][QA_ACT_OP] = qaClockInstances(cfg, id) * st->n_cycles;
}
