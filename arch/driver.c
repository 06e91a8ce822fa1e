/*
** driver.c - layer execution without SystemC, and timing-mode names.
*/
#include <string.h>

#include <stdlib.h>

#include "arch/clock.h"
#include "arch/memory.h"
#include "arch/driver.h"
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
  const QaArchDesc *d = cfg->desc;
  QaExec *ex = NULL;
  QaReshaped rs;
  int rc = qaDriverBegin(cfg, job, st, &rs, &ex, err);
  if (rc) return rc;
  QaMemPlan plan;
  int64_t cycles = 0, n = d->n_chunks(ex);
  int64_t *chunk_cycles = qaMalloc((size_t)(n ? n : 1) * sizeof *chunk_cycles, err);
  if (!chunk_cycles || (rc = qaMemPlanLayer(cfg, d->engine(ex), carry, &plan, err)) != QA_OK) {
    free(chunk_cycles);
    d->end(ex, 0);
    qaReshapeFree(&rs);
    return rc ? rc : QA_EINTERNAL;
  }
  for (int64_t i = 0; i < n; i++) {
    int64_t c = 0;
    if (timing == QA_TIMING_LT) {
      c = d->run_chunk(ex, i);
    } else {
      d->start_chunk(ex, i);
      do c++;
      while (d->tick(ex));
    }
    chunk_cycles[i] = c;
    cycles += c;
  }
  st->n_compute_cycles = cycles;
  st->n_stall_cycles = qaMemStallCycles(&plan, chunk_cycles, carry);
  st->n_cycles = cycles + st->n_stall_cycles;
  qaMemCountActions(&plan, st);
  qaClockCountRegisters(cfg, st);
  qaMemPlanFree(&plan);
  free(chunk_cycles);
  d->end(ex, st->n_cycles);
  qaReshapeFree(&rs);
  return QA_OK;
}
