/*
** driver.c - layer execution without SystemC, and timing-mode names.
*/
#include <string.h>

#include <stdlib.h>

#include "arch/clock.h"
#include "arch/memory.h"
#include "arch/driver.h"
#include "arch/engine.h"
#include "arch/reshape.h"

const char *qaTimingName(QaTiming t) { return t == QA_TIMING_CYCLE ? "cycle" : "lt"; }

int qaTimingParse(const char *s, QaTiming *out, QaErr *err) {
  if (!strcmp(s, "lt") || !strcmp(s, "fast")) {
    *out = QA_TIMING_LT;
    return QA_OK;
  }
  if (!strcmp(s, "cycle") || !strcmp(s, "clocked")) {
    *out = QA_TIMING_CYCLE;
    return QA_OK;
  }
  return qaErrSet(err, QA_EUSER, "unknown timing mode '%s'; use lt (loosely timed, default) or cycle", s);
}

int qaDriverBegin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaReshaped *rs,
                  QaExec **ex, QaErr *err) {
  const QaArchDesc *d = cfg->desc;
  memset(rs, 0, sizeof *rs);
  *ex = NULL;
  int rc = d->check(cfg, job, err);
  if (rc) return rc;
  if (qaReshapeApplies(cfg, job->layer)) {
    if (job->wsrc)
      return qaErrSet(err, QA_EINTERNAL, "layer '%s': the first-layer reshape needs the whole weights",
                      job->layer->name);
    if ((rc = qaReshapeJob(job, rs, err))) return rc;
    job = &rs->job;
  }
  if ((rc = d->begin(cfg, job, st, ex, err))) qaReshapeFree(rs);
  return rc;
}

int qaSimRunLayerC(const QaArchConfig *cfg, QaTiming timing, QaLayerJob *job, QaLayerStats *st, QaErr *err) {
  QaMemCarry carry = {0, 0};
  return qaSimRunLayerCarry(cfg, timing, job, st, &carry, err);
}

int qaSimRunLayerCarry(const QaArchConfig *cfg, QaTiming timing, QaLayerJob *job, QaLayerStats *st,
                       QaMemCarry *carry, QaErr *err) {
  QaSimLayer sl;
  int rc = qaSimLayerCompute(cfg, timing, job, st, &sl, err);
  return rc ? rc : qaSimLayerFinish(cfg, &sl, st, carry, err);
}

int qaSimLayerCompute(const QaArchConfig *cfg, QaTiming timing, QaLayerJob *job, QaLayerStats *st,
                      QaSimLayer *sl, QaErr *err) {
  const QaArchDesc *d = cfg->desc;
  memset(sl, 0, sizeof *sl);
  int rc = qaDriverBegin(cfg, job, st, &sl->rs, &sl->ex, err);
  if (rc) return rc;
  int64_t n = d->n_chunks(sl->ex);
  sl->chunk_cycles = qaMalloc((size_t)(n ? n : 1) * sizeof *sl->chunk_cycles, err);
  if (!sl->chunk_cycles) {
    d->end(sl->ex, 0);
    qaReshapeFree(&sl->rs);
    return QA_EINTERNAL;
  }
  sl->n_chunks = n;
  for (int64_t i = 0; i < n; i++) {
    int64_t c = 0;
    if (timing == QA_TIMING_LT) {
      c = d->run_chunk(sl->ex, i);
    } else {
      d->start_chunk(sl->ex, i);
      if (!qaEngineFailed(d->engine(sl->ex), NULL)) do
          c++;
        while (d->tick(sl->ex));
    }
    if ((rc = qaEngineFailed(d->engine(sl->ex), err))) { /* a streamed window */
      qaSimLayerFree(cfg, sl);
      return rc;
    }
    sl->chunk_cycles[i] = c;
    sl->n_compute_cycles += c;
  }
  return QA_OK;
}

int qaSimLayerFinish(const QaArchConfig *cfg, QaSimLayer *sl, QaLayerStats *st, QaMemCarry *carry,
                     QaErr *err) {
  const QaArchDesc *d = cfg->desc;
  QaMemPlan plan;
  int rc = qaMemPlanLayer(cfg, d->engine(sl->ex), carry, &plan, err);
  if (rc == QA_OK) {
    st->n_compute_cycles = sl->n_compute_cycles;
    st->n_stall_cycles = qaMemStallCycles(&plan, sl->chunk_cycles, carry);
    st->n_cycles = sl->n_compute_cycles + st->n_stall_cycles;
    qaMemCountActions(&plan, st);
    qaClockCountRegisters(cfg, st);
    qaMemPlanFree(&plan);
  }
  d->end(sl->ex, rc ? 0 : st->n_cycles);
  sl->ex = NULL;
  qaSimLayerFree(cfg, sl);
  return rc;
}

void qaSimLayerFree(const QaArchConfig *cfg, QaSimLayer *sl) {
  if (sl->ex) cfg->desc->end(sl->ex, 0);
  qaReshapeFree(&sl->rs);
  free(sl->chunk_cycles);
  memset(sl, 0, sizeof *sl);
}
