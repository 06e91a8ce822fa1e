/*
** stats.c - names of action kinds and of the hardware vocabulary (stats.h, hw.h).
*/
#include "arch/stats.h"

#include <string.h>

static const char *const kActNames[QA_ACT_COUNT] = {"op", "read_bits", "write_bits"};

const char *qaActKindName(QaActKind k) { return (unsigned)k < QA_ACT_COUNT ? kActNames[k] : "?"; }

int qaActKindParse(const char *name) {
  for (int i = 0; i < QA_ACT_COUNT; i++)
    if (!strcmp(kActNames[i], name)) return i;
  return -1;
}

int qaStatsHasActions(const QaLayerStats *st) {
  for (int i = 0; i < QA_COMP_MAX; i++)
    for (int a = 0; a < QA_ACT_COUNT; a++)
      if (st->count[i][a]) return 1;
  return 0;
}

QaPrim qaComponentPrim(const QaComponentDef *def, const QaComponent *c) {
  if (def->prim == QA_PRIM_SRAM || def->prim == QA_PRIM_EDRAM) {
    if (c->mem_type == QA_MEM_TYPE_SRAM) return QA_PRIM_SRAM;
    if (c->mem_type == QA_MEM_TYPE_EDRAM) return QA_PRIM_EDRAM;
  }
  return def->prim;
}

int qaPrimIsStorage(QaPrim p) {
  return p == QA_PRIM_SRAM || p == QA_PRIM_EDRAM || p == QA_PRIM_REGFILE || p == QA_PRIM_REG_BANK ||
         p == QA_PRIM_DRAM;
}

const char *qaPrimName(QaPrim p) {
  static const char *const n[QA_PRIM_COUNT] = {
      "int_mult", "and_gates", "int_add",        "adder_tree", "accumulator", "counter",
      "reg",      "exp_adder", "onehot_decoder", "histogram",  "shifter",     "term_encoder",
      "sram",     "edram",     "regfile",        "reg_bank",   "dram"};
  return (unsigned)p < QA_PRIM_COUNT ? n[p] : "?";
}

const char *qaScopeName(QaScope s) {
  static const char *const n[] = {"PE", "tile", "chip", "offchip"};
  return (unsigned)s < 4 ? n[s] : "?";
}

const char *qaCategoryName(QaCategory c) {
  static const char *const n[QA_CAT_COUNT] = {"datapath", "accumulation", "registers",
                                              "memory",   "dram",         "static"};
  return (unsigned)c < QA_CAT_COUNT ? n[c] : "?";
}
