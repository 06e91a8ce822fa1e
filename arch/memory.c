/*
** memory.c - DRAM traffic plan and double-buffered timing (see memory.h).
*/
#include "arch/memory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const qaMemTypeNames[] = {"sram", "edram", NULL};

int64_t qaMemPeriodPs(const QaArchConfig *cfg) { return llround(1e6 / cfg->spec.base.clock_mhz); }

void qaMemInventory(const QaArchSpec *s, int sb_row_bits, int act_bits, int out_bits, QaInventory *inv) {
  QaComponent *c = inv->comp;
  c[QA_C_SB] =
      (QaComponent){.count = 1, .capacity_bytes = (int64_t)s->mem.sb_kib * 1024, .access_bits = sb_row_bits};
  c[QA_C_NBIN] =
      (QaComponent){.count = 1, .capacity_bytes = (int64_t)s->mem.nbin_kib * 1024, .access_bits = act_bits};
  c[QA_C_NBOUT] =
      (QaComponent){.count = 1, .capacity_bytes = (int64_t)s->mem.nbout_kib * 1024, .access_bits = out_bits};
  c[QA_C_NM] =
      (QaComponent){.count = 1, .capacity_bytes = (int64_t)s->mem.nm_kib * 1024, .access_bits = act_bits};
  c[QA_C_DRAM] = (QaComponent){.count = 1};
  c[QA_C_SB].mem_type = s->mem.sb_type ? QA_MEM_TYPE_EDRAM : QA_MEM_TYPE_SRAM;
  c[QA_C_NM].mem_type = s->mem.nm_type ? QA_MEM_TYPE_EDRAM : QA_MEM_TYPE_SRAM;
}

int qaMemPlanLayer(const QaArchConfig *cfg, const QaEngine *e, QaMemPlan *plan, QaErr *err) {
  const QaLayer *l = e->l;
  memset(plan, 0, sizeof *plan);
  plan->period_ps = qaMemPeriodPs(cfg);
  const QaArchSpec *s = &cfg->spec.base;
  plan->latency_ps = llround(s->mem.dram_latency_ns * 1e3);
  plan->gbps = s->mem.dram_gbps;
  double sb_bits = (double)s->tiles * s->mem.sb_kib * 8192.0;
  double nm_bits = (double)s->mem.nm_kib * 8192.0;
  double w_bits = (double)qaLayerWgtCount(l) * e->w_store_bits;
  double a_bits = (double)qaLayerActCount(l) * e->a_store_bits + (double)qaLayerOutCount(l) * e->o_store_bits;
  double dram_bits = s->mem.dram_gib * 8.0 * 1024 * 1024 * 1024;
  if (w_bits + a_bits > dram_bits)
    return qaErrSet(err, QA_EUSER,
                    "layer '%s': weights and activations need %.3g GiB of DRAM but dram_gib is %g; "
                    "raise dram_gib or lower the batch",
                    l->name, (w_bits + a_bits) / (8.0 * 1024 * 1024 * 1024), s->mem.dram_gib);
  plan->weights_on_chip = w_bits <= sb_bits;
  plan->acts_on_chip = a_bits <= nm_bits;
  int resident = s->mem.weights_resident != 0;
  plan->n_chunk = e->n_chunk;
  plan->chunks = qaCalloc((size_t)e->n_chunk, sizeof *plan->chunks, err);
  if (!plan->chunks) return QA_EINTERNAL;
  int64_t per_filter = (int64_t)e->cg * l->r * l->s * e->w_store_bits;
  int64_t per_out = qaEngineWindows(e) * e->o_store_bits;
  for (int64_t i = 0; i < e->n_chunk; i++) {
    const QaChunk *c = &e->chunks[i];
    QaMemChunk *m = &plan->chunks[i];
    if (!plan->weights_on_chip || (c->img == 0 && !resident)) m->in_bits += c->nf * per_filter;
    if (!plan->acts_on_chip) {
      int g0 = c->pack * e->gpp;
      int ng = l->groups - g0 < e->gpp ? l->groups - g0 : e->gpp;
      m->in_bits += (int64_t)ng * e->cg * l->h * l->w * e->a_store_bits;
      m->out_bits = c->nf * per_out;
    }
    plan->dram_read_bits += m->in_bits;
    plan->dram_write_bits += m->out_bits;
  }
  return QA_OK;
}

void qaMemPlanFree(QaMemPlan *plan) {
  free(plan->chunks);
  plan->chunks = NULL;
}

int64_t qaMemTransferPs(const QaMemPlan *plan, int64_t bits) {
  if (bits <= 0 || plan->gbps <= 0) return 0;
  /* bits / (8 * GB/s) ns = bits * 125 / gbps ps */
  return plan->latency_ps + (int64_t)ceil((double)bits * 125.0 / plan->gbps);
}

static int64_t ceil_edge(int64_t t, int64_t period) { return (t + period - 1) / period * period; }

int64_t qaMemStallCycles(const QaMemPlan *plan, const int64_t *chunk_cycles) {
  int64_t n = plan->n_chunk, p = plan->period_ps;
  int64_t dma = 0, cend_prev = 0, cend_prev2 = 0, stall_ps = 0;
  /* cend of chunks i-1 and i-2; the DMA loop interleaves read(i), write(i-2). */
  for (int64_t i = 0; i < n; i++) {
    if (i >= 2 && dma < cend_prev2) dma = cend_prev2;
    dma += qaMemTransferPs(plan, plan->chunks[i].in_bits);
    int64_t ready = dma;
    if (i >= 2) dma += qaMemTransferPs(plan, plan->chunks[i - 2].out_bits);
    int64_t start = cend_prev;
    if (ready > start) {
      int64_t s = ceil_edge(ready, p);
      stall_ps += s - start;
      start = s;
    }
    cend_prev2 = cend_prev;
    cend_prev = start + chunk_cycles[i] * p;
  }
  /* write-back tail: chunks n-2 and n-1 */
  for (int64_t i = n >= 2 ? n - 2 : 0; i < n; i++) {
    int64_t avail = i == n - 1 ? cend_prev : cend_prev2;
    if (dma < avail) dma = avail;
    dma += qaMemTransferPs(plan, plan->chunks[i].out_bits);
  }
  if (dma > cend_prev) stall_ps += ceil_edge(dma, p) - cend_prev;
  return stall_ps / p;
}

void qaMemCountActions(const QaMemPlan *plan, QaLayerStats *st) {
  qaCount(st, QA_C_DRAM, QA_ACT_READ_BITS, plan->dram_read_bits);
  qaCount(st, QA_C_DRAM, QA_ACT_WRITE_BITS, plan->dram_write_bits);
}
