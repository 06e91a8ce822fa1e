/*
** engine.h - the brick/pass structure shared by every architecture kernel.
**
** A layer is executed image by image and "pack" by "pack". A pack is a set of
** convolution groups whose channels share one brick: dense layers have one group
** per pack; grouped layers whose groups have fewer channels than `lanes` pack
** P = lanes / (C/groups) groups into each brick (depthwise: `lanes` channels per
** brick), and each filter of the pack gets zero weights in the lanes of the other
** groups. Inside a pack, the operands are laid out as the on-chip memories hold
** them: activations zero-padded in space and in channels, height x width x
** (bricks x lanes); weights filter x R x S x (bricks x lanes). The pack's filters are
** processed in passes of `rows` filters (one filter per PE row across all tiles).
** A chunk is one (image, pack, pass): the unit the loosely-timed mode computes at
** once and the memory system will fetch.
**
** Streamed weights (job->wsrc, arch.h): the engine holds only the loaded pass's filters.
** qaEngineLoad fetches them from the source when the pass changes, checks them with the
** architecture's check_wgt, and lays them out as above; kernels reach weights only
** through qaEngineWgtRow (filters of the current pass) and watch wgen for a change. A
** failed fetch or check leaves zero weights and the error in e->rc / e->err: the drivers
** test qaEngineFailed after each chunk starts and end the layer with that error.
*/
#ifndef QA_ENGINE_H
#define QA_ENGINE_H

#include "arch/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QaChunk {
  int img;  /* image index */
  int pack; /* pack index */
  int f0;   /* first filter of the pass (within the pack) */
  int nf;   /* filters in this pass (<= rows) */
} QaChunk;

typedef struct QaEngine {
  const QaLayer *l;
  const QaLayerJob *job;
  int lanes, rows; /* brick width (channels), filter rows per pass */
  int oh, ow;      /* output size */
  int hp, wp;      /* padded input size */
  int cg, kg;      /* channels and filters per group */
  int gpp;         /* groups per pack */
  int n_packs;
  int cb;   /* channel bricks per pack */
  int cpad; /* cb * lanes */
  int64_t n_chunk;
  QaChunk *chunks; /* owned */
  /* widths the on-chip memories and DRAM store values at (set by the kernel's
  ** begin; qaEngineInit sets them to the job's a_bits / w_bits and 16) */
  int a_store_bits, w_store_bits, o_store_bits;
  /* the currently loaded pack */
  int cur_img, cur_pack; /* -1 if none */
  int kf;                /* filters in the loaded pack */
  int k0;                /* first global output channel of the loaded pack */
  int32_t *act;          /* hp * wp * cpad, owned */
  const int32_t *wgt;    /* packed weights: wgt_buf, or job->wgt itself when the layouts
                            coincide (one group, R = S = 1, channels a multiple of lanes) */
  int32_t *wgt_buf;  /* packs' max filters (streamed: a pass's) * R * S * cpad, owned; NULL when aliased */
  int wf0, wnf;      /* filters of the loaded pack that wgt holds: [wf0, wf0 + wnf) */
  int64_t wgen;      /* changes whenever wgt's content does (kernels' per-weight tables) */
  QaArchConfig *cfg; /* streamed: a copy (owned) whose check_wgt checks the windows; else NULL */
  int rc;            /* QA_OK, or the error of a streamed window: the layer failed */
  QaErr err;         /* its message */
} QaEngine;

/* Plan a layer's chunks for bricks of `lanes` channels and `rows` filter rows of
** config CFG. QA_EINTERNAL when out of memory or a streamed job has more than one image. */
int qaEngineInit(QaEngine *e, const QaArchConfig *cfg, const QaLayerJob *job, int lanes, int rows,
                 QaErr *err);
void qaEngineFree(QaEngine *e);
/* Number of output windows of a chunk (all of them: OH * OW) and window index to
** position; kernels that process several windows at once group them in order. */
static inline int64_t qaEngineWindows(const QaEngine *e) { return (int64_t)e->oh * e->ow; }
/* Make chunk c's image and pack the loaded one (packs operands if they changed) and, for
** a streamed job, its pass's filters the weights held. */
void qaEngineLoad(QaEngine *e, const QaChunk *c);
/* The error of a streamed window (copied into *err), or QA_OK. */
int qaEngineFailed(const QaEngine *e, QaErr *err);
/* Brick steps of one window: R * S * cb. */
static inline int64_t qaEngineStepsPerWindow(const QaEngine *e) { return (int64_t)e->l->r * e->l->s * e->cb; }
/* Pointer to the activation brick row of window (oy, ox) at kernel row r:
** S * cpad contiguous values. */
static inline const int32_t *qaEngineActRow(const QaEngine *e, int oy, int ox, int r) {
  return e->act + ((int64_t)(oy * e->l->stride_h + r) * e->wp + (int64_t)ox * e->l->stride_w) * e->cpad;
}
/* Pointer to the weights of filter f (within the pack, one the engine holds: wf0 <= f <
** wf0 + wnf) at kernel row r: S * cpad values; a filter's R rows are contiguous. */
static inline const int32_t *qaEngineWgtRow(const QaEngine *e, int f, int r) {
  return e->wgt + ((int64_t)(f - e->wf0) * e->l->r + r) * e->l->s * e->cpad;
}
/* Index of output (img, filter f of the loaded pack, oy, ox) in the N*K*OH*OW output. */
static inline int64_t qaEngineOutIndex(const QaEngine *e, int img, int f, int oy, int ox) {
  return (((int64_t)img * e->l->k + e->k0 + f) * e->oh + oy) * e->ow + ox;
}
/* Wrap an exact sum to a two's-complement accumulator of acc_bits bits. */
static inline int64_t qaWrapAcc(int64_t v, int acc_bits) {
  if (acc_bits >= 64) return v;
  uint64_t m = ((uint64_t)1 << acc_bits) - 1;
  uint64_t u = (uint64_t)v & m;
  if (u >> (acc_bits - 1)) u |= ~m;
  return (int64_t)u;
}

/* Store output (img, filter f of the loaded pack, oy, ox) as an acc_bits-wide
** two's-complement accumulator holds it; an exact value that does not fit is
** counted in *overflows. */
static inline void qaEnginePut(const QaEngine *e, int acc_bits, int64_t *overflows, int img, int f, int oy,
                               int ox, int64_t exact) {
  int64_t v = qaWrapAcc(exact, acc_bits);
  if (v != exact) (*overflows)++;
  e->job->out[qaEngineOutIndex(e, img, f, oy, ox)] = v;
}

/* Exact dot product of n code pairs (the compiler vectorises it). */
#ifdef __cplusplus
#define QA_RESTRICT __restrict__
#else
#define QA_RESTRICT restrict
#endif
static inline int64_t qaEngineDot(const int32_t *QA_RESTRICT a, const int32_t *QA_RESTRICT w, int n) {
  int64_t acc = 0;
  for (int j = 0; j < n; j++) acc += (int64_t)a[j] * w[j];
  return acc;
}

/* Outputs of a whole pass (chunk c, already loaded) as exact dot products over each
** window's R x S x bricks, stored through qaEnginePut. Lanes of other groups in a
** packed brick hold zero weights and are skipped. The loosely-timed mode of every
** bit-parallel, bit-serial and one-offset kernel computes its outputs this way: their
** datapaths sum to exactly these products. */
void qaEnginePassDots(const QaEngine *e, const QaChunk *c, int acc_bits, int64_t *overflows);

/* FC column multiplexing (the group's public simulator, DNNsim FC_MULTIPLEX_COLUMNS): a
** pass of a single-window layer (fc, or a conv with one output window) has only one
** window for `cols` columns, so its bricks are dealt to the columns in turn instead:
** brick i goes to column i mod cols and starts at
**   start_i = max(start_(i-1) + 1, end of column (i mod cols)'s previous brick),
** (the weight memory delivers one brick row per cycle: one start per cycle), occupies
** its column for cost[i] cycles, and the pass ends when the last column is done. Each
** column accumulates partial sums of the pass's filters, which are added at the end
** (the last column's tail is counted, as the simulator's Loom model does). Returns the
** pass's cycles; COL_END[cols] is scratch. */
int64_t qaFcMuxCycles(const int64_t *cost, int64_t n, int cols, int64_t *col_end);
/* The same for bricks of one cost each (bit-serial at a fixed precision). */
int64_t qaFcMuxCyclesUniform(int64_t n, int cols, int64_t cost);

/* Count a pass's on-chip buffer traffic the same way for every kernel: act_bits
** activation bits read from NM and written into, then read from, the NBin of each of
** tiles_active tiles; sb_bits weight bits read from the weight memories; out_bits
** output bits written to NBout and back to NM. */
void qaEngineCountBuffers(QaLayerStats *st, int64_t act_bits, int64_t tiles_active, int64_t sb_bits,
                          int64_t out_bits);

/* QA_EUSER unless every activation code of the job fits job->a_bits bits (unsigned
** 0..2^p-1, or two's complement -2^(p-1)..2^(p-1)-1 when job->a_signed); the
** message names the first offending code and says what the datapath does with the
** bits (`what`, e.g. "processes exactly that many bits serially"). */
int qaEngineCheckActCodes(const QaArchConfig *cfg, const QaLayerJob *job, const char *what, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_ENGINE_H */
