/*
** driver.h - run a sequence of layers on an architecture inside a SystemC simulation.
**
** The driver elaborates one accelerator module and streams layers to it through
** two callbacks, so only one layer's data needs to be in memory at a time:
**   next_job(ctx, i, &job, &stats) prepares layer i (returns QA_OK and sets *job to
**     NULL when there are no more layers; any other code aborts the simulation);
**   job_done(ctx, i, job, stats) receives the finished layer (stats->n_cycles set
**     from simulated time; outputs in job->out), e.g. to verify and store it.
** Timing QA_TIMING_LT computes each chunk in C and advances time once per chunk;
** QA_TIMING_CYCLE runs a clock and ticks the PE array once per cycle. Both set
** n_cycles = elapsed simulated time / clock period.
** SystemC allows one simulation per process: qaSimRun may be called once.
*/
#ifndef QA_DRIVER_H
#define QA_DRIVER_H

#include "arch/arch.h"
#include "arch/memory.h"
#include "arch/reshape.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QaSimHooks {
  void *ctx;
  int (*next_job)(void *ctx, int idx, QaLayerJob **job, QaLayerStats **st, QaErr *err);
  int (*job_done)(void *ctx, int idx, QaLayerJob *job, QaLayerStats *st, QaErr *err);
} QaSimHooks;

int qaSimRun(const QaArchConfig *cfg, QaTiming timing, const QaSimHooks *hooks, QaErr *err);

/* The same execution without SystemC (pure C): LT sums chunk cycles, CYCLE counts
** ticks. Used by unit tests of the kernels and by tools that need no timing.
** qaSimRunLayerC runs JOB as the first layer of a run; qaSimRunLayerCarry as the layer
** after those CARRY has seen (memory.h: resident weights, prefetch), updating it. */
int qaSimRunLayerC(const QaArchConfig *cfg, QaTiming timing, QaLayerJob *job, QaLayerStats *st, QaErr *err);
int qaSimRunLayerCarry(const QaArchConfig *cfg, QaTiming timing, QaLayerJob *job, QaLayerStats *st,
                       QaMemCarry *carry, QaErr *err);

/* The same in two steps, so layers can be computed concurrently (each on its own thread)
** and finished in order: qaSimLayerCompute begins JOB and runs every chunk (*sl holds the
** kernel state, the reshaped operands and each chunk's compute cycles; JOB's operands must
** live until the finish); qaSimLayerFinish plans the layer's memory after those CARRY has
** seen, counts its stalls, memory actions and registers, ends the kernel (st complete) and
** releases *sl, also on error. Errors as qaSimRunLayerCarry. qaSimLayerFree releases a
** computed layer that will not be finished (its kernel ended with 0 cycles). */
typedef struct QaSimLayer {
  QaExec *ex;
  QaReshaped rs;
  int64_t *chunk_cycles, n_chunks, n_compute_cycles;
} QaSimLayer;
int qaSimLayerCompute(const QaArchConfig *cfg, QaTiming timing, QaLayerJob *job, QaLayerStats *st,
                      QaSimLayer *sl, QaErr *err);
int qaSimLayerFinish(const QaArchConfig *cfg, QaSimLayer *sl, QaLayerStats *st, QaMemCarry *carry,
                     QaErr *err);
void qaSimLayerFree(const QaArchConfig *cfg, QaSimLayer *sl);

/* Begin a layer in either driver: check the job against the config, apply the
** first-layer reshape when the config asks for it (*rs holds the reshaped operands; free
** it with qaReshapeFree after d->end), and begin the kernel. Errors as check / begin. */
int qaDriverBegin(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaReshaped *rs,
                  QaExec **ex, QaErr *err);

const char *qaTimingName(QaTiming t);
int qaTimingParse(const char *s, QaTiming *out, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_DRIVER_H */
