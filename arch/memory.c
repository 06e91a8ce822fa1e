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

int qaMemPlanLayer(const QaArchConfig *cfg, const QaEngine *e, QaMemCarry *carry, QaMemPlan *plan,
                   QaErr *err) {
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
  double left = sb_bits - (carry ? carry->preloaded_bits : 0);
  plan->weights_on_chip = w_bits <= left;
  plan->weights_preloaded = plan->weights_on_chip && s->mem.weights_resident;
  if (plan->weights_preloaded && carry) carry->preloaded_bits += w_bits;
  plan->acts_on_chip = a_bits <= nm_bits;
  plan->n_chunk = e->n_chunk;
  plan->chunks = qaCalloc((size_t)e->n_chunk, sizeof *plan->chunks, err);
  if (!plan->chunks) return QA_EINTERNAL;
  int64_t per_filter = (int64_t)e->cg * l->r * l->s * e->w_store_bits;
  int64_t per_out = qaEngineWindows(e) * e->o_store_bits;
  for (int64_t i = 0; i < e->n_chunk; i++) {
    const QaChunk *c = &e->chunks[i];
    QaMemChunk *m = &plan->chunks[i];
    if (!plan->weights_on_chip || (c->img == 0 && !plan->weights_preloaded)) m->wgt_bits = c->nf * per_filter;
    m->in_bits = m->wgt_bits;
    if (!plan->acts_on_chip) {
      int g0 = c->pack * e->gpp;
      int ng = l->groups - g0 < e->gpp ? l->groups - g0 : e->gpp;
      m->in_bits += (int64_t)ng * e->cg * l->h * l->w * e->a_store_bits;
      m->out_bits = c->nf * per_out;
    }
    plan->dram_read_bits += m->in_bits;
    plan->dram_write_bits += m->out_bits;
  }
  /* Every transfer time is an int64 of ps, and so is the simulated time: a bandwidth so
  ** low that the layer's transfers would not fit is an error, never a wrapped number
  ** (issue 13: dram_gbps = 1e-15 gave 0 stall cycles). */
  if (plan->gbps > 0) {
    double ps = (double)e->n_chunk * 2.0 * (double)plan->latency_ps +
                (double)(plan->dram_read_bits + plan->dram_write_bits) * 125.0 / plan->gbps;
    if (!(ps <= (double)QA_MEM_LAYER_PS_MAX)) {
      qaMemPlanFree(plan);
      return qaErrSet(
          err, QA_EUSER,
          "layer '%s': its DRAM transfers would take %.3g s at dram_gbps = %g and dram_latency_ns "
          "= %g, more than the %.0f s one layer may be simulated for; raise dram_gbps (0 = ideal "
          "memory) or lower dram_latency_ns",
          l->name, ps * 1e-12, plan->gbps, s->mem.dram_latency_ns, (double)QA_MEM_LAYER_PS_MAX * 1e-12);
    }
  }
  if (s->mem.prefetch && carry && plan->n_chunk > 0 && plan->chunks[0].wgt_bits > 0)
    plan->head_ps = carry->idle_ps;
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

int64_t qaMemStallCycles(const QaMemPlan *plan, const int64_t *chunk_cycles, QaMemCarry *carry) {
  int64_t n = plan->n_chunk, p = plan->period_ps;
  int64_t dma = 0, cend_prev = 0, cend_prev2 = 0, stall_ps = 0;
  int64_t busy_end = 0, release = 0; /* last non-empty transfer's end; buffer free for a prefetch */
  /* cend of chunks i-1 and i-2; the DMA loop interleaves read(i), write(i-2). */
  for (int64_t i = 0; i < n; i++) {
    if (i >= 2 && dma < cend_prev2) dma = cend_prev2;
    const QaMemChunk *m = &plan->chunks[i];
    if (i == 0 && plan->head_ps > 0) { /* prefetched weights, then the activations */
      int64_t dw = qaMemTransferPs(plan, m->wgt_bits), wend = dw - plan->head_ps;
      if (dw > 0) busy_end = wend;
      dma = wend > 0 ? wend : 0;
      int64_t da = qaMemTransferPs(plan, m->in_bits - m->wgt_bits);
      dma += da;
      if (da > 0) busy_end = dma;
    } else {
      int64_t d = qaMemTransferPs(plan, m->in_bits);
      dma += d;
      if (d > 0) busy_end = dma;
    }
    int64_t ready = dma;
    if (i >= 2) {
      int64_t d = qaMemTransferPs(plan, plan->chunks[i - 2].out_bits);
      dma += d;
      if (d > 0) busy_end = dma;
    }
    int64_t start = cend_prev;
    if (ready > start) {
      int64_t s = ceil_edge(ready, p);
      stall_ps += s - start;
      start = s;
    }
    if (i == n - 1 && n >= 2) release = cend_prev; /* the end of chunk n-2 */
    cend_prev2 = cend_prev;
    cend_prev = start + chunk_cycles[i] * p;
  }
  /* write-back tail: chunks n-2 and n-1 */
  for (int64_t i = n >= 2 ? n - 2 : 0; i < n; i++) {
    int64_t avail = i == n - 1 ? cend_prev : cend_prev2;
    if (dma < avail) dma = avail;
    int64_t d = qaMemTransferPs(plan, plan->chunks[i].out_bits);
    dma += d;
    if (d > 0) busy_end = dma;
  }
  int64_t end = cend_prev;
  if (dma > cend_prev) {
    end = ceil_edge(dma, p);
    stall_ps += end - cend_prev;
  }
  if (carry) {
    int64_t from = busy_end > release ? busy_end : release;
    carry->idle_ps = end > from ? end - from : 0;
  }
  return stall_ps / p;
}

void qaMemCountActions(const QaMemPlan *plan, QaLayerStats *st) {
  /* weights fetched from DRAM are written into the weight memories (preloaded ones were
  ** written before the run) */
  int64_t wgt = 0;
  for (int64_t i = 0; i < plan->n_chunk; i++) wgt += plan->chunks[i].wgt_bits;
  qaCount(st, QA_C_SB, QA_ACT_WRITE_BITS, wgt);
  qaCount(st, QA_C_DRAM, QA_ACT_READ_BITS, plan->dram_read_bits);
  qaCount(st, QA_C_DRAM, QA_ACT_WRITE_BITS, plan->dram_write_bits);
}
