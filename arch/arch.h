/*
** arch.h - accelerator architectures: typed specs, parameter tables, configs, the
** component table, and the C side of every model.
**
** An architecture is one descriptor (QaArchDesc) in one file pair of this folder plus
** one row of the registry (registry.c):
**  - a typed spec struct that starts with QaArchSpec (the geometry, clock and memory
**    system every architecture has) and adds the architecture's own fields;
**  - a parameter table bound to that struct, Redis static_configs[] style: each row
**    (name, type, range, default, unit, help) points at the field it sets, so one
**    loader validates every parameter of every architecture and kernels read typed
**    fields, never look a parameter up by name;
**  - a component table (hw.h) and an inventory function sizing it at a config and
**    operand precision: the kernel counts actions by component id, the cost model
**    prices the same ids;
**  - the kernel that executes a layer (below), and the run defaults (quantizers,
**    encoder) for when the user does not choose.
** Parameter names mean the same everywhere: `tiles` work in lock-step, each with `rows`
** PE rows (one filter each) and `columns` PE columns (one output window each) of PEs
** with `lanes` lanes (the brick width in channels).
**
** Configs: qaArchResolve() is the one place an architecture is resolved from its name,
** an optional YAML config file (or a named config in arch/configs/), `--set` overrides
** and the run's precision; run, area, price, bench and sweeps all call it. The resolved
** config is stored with a run as the text qaCfgToYaml() writes, and read back by
** qaCfgFromText() in this module.
**
** Execution is organised in the project's vocabulary (see arch/README.md): a layer is
** cut into "packs" of groups and "passes" of filters; a pass visits every output
** window; a brick step feeds `lanes` channels of one (window, r, s) to all filter
** rows. The kernel computes a whole pass in C (outputs, cycles, action counts) for the
** loosely-timed mode, and also offers a per-cycle tick over explicit PE state for the
** clocked mode. Both must report the same cycle count; the SystemC driver adds time
** and structure only.
*/
#ifndef QA_ARCH_H
#define QA_ARCH_H

#include <stddef.h>

#include "arch/hw.h"
#include "arch/stats.h"
#include "base/qa.h"
#include "quant/terms.h"
#include "workloads/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_PARAMS_MAX 40  /* most parameters of one architecture */
#define QA_SPEC_BYTES 512 /* room for the largest spec struct */

/* ---- parameters ------------------------------------------------------------------- */

typedef enum QaParamType {
  QA_PT_INT = 0, /* an int field */
  QA_PT_REAL,    /* a double field */
  QA_PT_BOOL,    /* an int field, 0 or 1 */
  QA_PT_ENUM     /* an int field holding the index of one of `names` */
} QaParamType;

#define QA_PF_SIZED_BY_BITS 1u /* qaArchResolve sets it to the run precision unless given */

typedef struct QaParam {
  const char *name;
  QaParamType type;
  double min, max, def; /* ENUM: min 0, max = names - 1, def an index */
  const char *unit;     /* "" if dimensionless */
  const char *help;
  size_t offset;            /* of the field in the spec struct */
  const char *const *names; /* ENUM: value names, index = value, NULL-terminated */
  unsigned flags;           /* QA_PF_... */
} QaParam;

/* The memory system every architecture has (memory.h). */
typedef struct QaMemSpec {
  int sb_kib;             /* weight memory per tile (KiB) */
  int nbin_kib;           /* input activation buffer per tile (KiB) */
  int nbout_kib;          /* output buffer per tile (KiB) */
  int nm_kib;             /* central activation memory (KiB) */
  double dram_gbps;       /* off-chip bandwidth (GB/s); 0 = ideal */
  double dram_latency_ns; /* latency of each transfer (ns) */
  double dram_gib;        /* DRAM capacity (GiB) */
  int weights_resident;   /* weights that fit on chip are loaded before the run (memory.h) */
  int prefetch;           /* the next layer's first weights are fetched during this layer */
  int sb_type;            /* weight memory: index into qaMemTypeNames (0 SRAM, 1 eDRAM) */
  int nm_type;            /* central activation memory: the same */
} QaMemSpec;

/* The fields every architecture's spec struct starts with. */
typedef struct QaArchSpec {
  int tiles;               /* tiles working in lock-step */
  int rows;                /* PE rows per tile, one filter each */
  int columns;             /* PE columns per tile, one output window each (1 if the design has none) */
  int lanes;               /* (activation, weight) pairs per PE step: the brick width in channels */
  int acc_bits;            /* accumulator width (bits) */
  double clock_mhz;        /* clock frequency (MHz) */
  int first_layer_reshape; /* fold a strided layer's stride x stride patches into channels (reshape.h) */
  int fc_multiplex;        /* deal a single-window pass's bricks to the columns in turn (engine.h) */
  int clock_gating;        /* 1: registers clocked only when their unit works; 0: every cycle (clock.h) */
  QaMemSpec mem;
} QaArchSpec;

struct QaArchDesc;

/* A resolved configuration: an architecture and its typed spec. Plain data: copy it
** with `=`. */
typedef struct QaArchConfig {
  const struct QaArchDesc *desc;
  union {
    QaArchSpec base;
    max_align_t align_;
    unsigned char bytes[QA_SPEC_BYTES];
  } spec;
  unsigned char set[QA_PARAMS_MAX]; /* 1 if given explicitly (file or override) */
  char source[QA_PATH_MAX];         /* config file path, "defaults", or where it was read from */
} QaArchConfig;

/* The architecture's typed spec inside a config: QA_SPEC(cfg, QaStripesSpec). */
#define QA_SPEC(cfg, T) ((const T *)(const void *)(cfg)->spec.bytes)

/* ---- execution -------------------------------------------------------------------- */

typedef enum QaTiming { QA_TIMING_LT = 0, QA_TIMING_CYCLE } QaTiming;

/* A layer's weight codes produced window by window instead of held whole (issue 12: the
** big fc layers' weights are never materialised). fetch(ctx, k0, nk, &codes, err) gives the
** codes of filters [k0, k0 + nk) in the job's K x (C/groups) x R x S layout (nk x C/groups
** x R x S values, owned by the source, valid until the next call); the engine asks for each
** pass's filters in increasing k0 order, each filter once (so a streamed job has one image).
** Returns QA_OK or an error code with a message in *err, which ends the layer with it. */
typedef struct QaWgtSource {
  void *ctx;
  int (*fetch)(void *ctx, int k0, int nk, const int32_t **codes, QaErr *err);
} QaWgtSource;

/* One layer to execute, with its integer codes. All pointers are borrowed. */
typedef struct QaLayerJob {
  const QaLayer *layer;
  const int32_t *act; /* N*C*H*W activation codes */
  const int32_t *wgt; /* K*(C/groups)*R*S weight codes; NULL when wsrc gives them */
  int a_bits, w_bits; /* precisions of the codes (1..16) */
  int a_signed;       /* 1 if activation codes may be negative */
  QaEncoder encoder;  /* term encoder for term-serial architectures */
  int64_t *out;       /* N*K*OH*OW outputs written by the model (caller-owned) */
  int64_t macs;       /* useful MACs when the layer is a rewrite of another one (reshape.h); 0: the layer's */
  const QaWgtSource *wsrc; /* NULL: the weights are `wgt`; else streamed by the engine (engine.h),
                           ** one image only, and no first-layer reshape */
} QaLayerJob;

/* The useful MACs of a job: job->macs, or the layer's. */
static inline int64_t qaJobMacs(const QaLayerJob *job) {
  return job->macs ? job->macs : qaLayerMacs(job->layer);
}

/* Opaque per-layer execution state of an architecture kernel. */
typedef struct QaExec QaExec;
struct QaEngine;

typedef struct QaArchDesc {
  const char *name;
  const char *summary;
  /* the typed spec and its parameter table */
  const QaParam *params;
  int n_params;
  size_t spec_size; /* sizeof the spec struct (<= QA_SPEC_BYTES) */
  /* hardware: component table (index = id) and its sizing */
  const QaComponentDef *comps;
  int n_comps;
  /* Size every component at config CFG for A_BITS x W_BITS operands (the precisions a
  ** layer's actions happen at, or hw_bits(cfg) for the hardware as built). */
  void (*inventory)(const QaArchConfig *cfg, int a_bits, int w_bits, QaInventory *out);
  /* The operand width the hardware is built for (its area): NULL = QA_BITS_MAX. */
  int (*hw_bits)(const QaArchConfig *cfg);
  /* Check that the job's precisions and geometry are supported by this config. A job
  ** with a weight source (job->wsrc) has no weight codes yet: check_wgt checks them. */
  int (*check)(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err);
  /* NULL, or the check of weight codes W[0..n), flat indices I0.. of the job's weights,
  ** with the message `check` gives for them: the engine calls it on each window of a
  ** streamed job before a kernel sees it. */
  int (*check_wgt)(const QaArchConfig *cfg, const QaLayerJob *job, const int32_t *w, int64_t i0, int64_t n,
                   QaErr *err);
  /* Prepare a layer: pack operands into on-chip layouts; stats are accumulated
  ** into *st (owned by the caller, must outlive the exec). */
  int (*begin)(const QaArchConfig *cfg, const QaLayerJob *job, QaLayerStats *st, QaExec **out, QaErr *err);
  /* Number of chunks (passes) of the layer. */
  int64_t (*n_chunks)(const QaExec *ex);
  /* Loosely timed: compute chunk i entirely; return its cycle count. */
  int64_t (*run_chunk)(QaExec *ex, int64_t i);
  /* Clocked: start chunk i, then tick once per clock until tick returns 0
  ** (the chunk is finished after that cycle). */
  void (*start_chunk)(QaExec *ex, int64_t i);
  int (*tick)(QaExec *ex);
  /* Finish the layer: write outputs, final counts (actions, util); free state. */
  void (*end)(QaExec *ex, int64_t n_cycles);
  /* Peak MACs per cycle of a config (for utilisation). */
  double (*peak_macs)(const QaArchConfig *cfg);
  /* The brick/pass plan of a layer in progress (chunks, storage widths): the
  ** memory system reads what each chunk must fetch from it. */
  const struct QaEngine *(*engine)(const QaExec *ex);
  /* Defaults a run uses when the user does not choose (NULL: the global ones:
  ** quantizers "auto" / "sym-ch", encoder "booth4"). */
  const char *quant_a;
  const char *quant_w;
  const char *encoder;
} QaArchDesc;

/* ---- registry (registry.c) ------------------------------------------------------- */

int qaArchCount(void);
const QaArchDesc *qaArchAt(int i);
/* Find by name (case-insensitive); QA_EUSER listing the known names if absent. */
int qaArchFind(const char *name, const QaArchDesc **out, QaErr *err);

/* ---- configs (config.c) ----------------------------------------------------------- */

/* The defaults of architecture D (every table default; columns 1 if not a parameter). */
void qaCfgDefaults(const QaArchDesc *d, QaArchConfig *cfg);
/* Set one parameter from text. NAME may be an old alias (filters_per_tile = rows,
** windows = columns); ENUM values by name (or index). Range, type and name errors are
** QA_EUSER "ORIGIN: ..." naming the parameter and what is allowed. */
int qaCfgSetText(QaArchConfig *cfg, const char *name, const char *value, const char *origin, QaErr *err);
/* Index of parameter NAME (aliases resolved) in the config's table, or -1. */
int qaCfgParamIndex(const QaArchDesc *d, const char *name);
/* Value of parameter I as a double (ENUM: the index) and as text ("true", "grid", "16"). */
double qaCfgValue(const QaArchConfig *cfg, int i);
void qaCfgValueText(const QaArchConfig *cfg, int i, char *buf, size_t cap);
/* Load a YAML config file: a mapping with `arch: NAME` and parameter keys (either at the
** top level or under `params:`) into *cfg (which it resets to that architecture's
** defaults first). Unknown keys, wrong types and values out of range are QA_EUSER
** naming file, line and key. */
int qaCfgLoadYaml(const char *path, QaArchConfig *cfg, QaErr *err);
/* The full resolved config as YAML text (every parameter, in table order). The text
** is what is stored with a run and hashed. Caller frees; NULL if out of memory. */
char *qaCfgToYaml(const QaArchConfig *cfg);
/* Read back text written by qaCfgToYaml (e.g. a stored run's config). ORIGIN names
** where it came from in messages. QA_EUSER naming the line for anything else. */
int qaCfgFromText(const char *text, const char *origin, QaArchConfig *cfg, QaErr *err);
/* Print the parameter table of an architecture (name, default, range, unit, help). */
void qaArchPrintParams(const QaArchDesc *d, void *file /* FILE* */);

/* What to resolve. */
typedef struct QaArchRequest {
  const char *arch;        /* architecture name, or NULL: the config file's `arch:`, else dadiannao */
  const char *config;      /* YAML config path, or the name of one in arch/configs/; NULL: none */
  const char *const *sets; /* n_sets "NAME=VALUE" overrides, applied last */
  int n_sets;
  int size_bits; /* > 0: parameters flagged QA_PF_SIZED_BY_BITS (max_bits) take this
                 ** value unless the config file or a --set gave them */
} QaArchRequest;

/* Resolve an architecture config: defaults, then the config file, then the overrides.
** An --arch that contradicts the config file's `arch:` is an error naming both. */
int qaArchResolve(const QaArchRequest *req, QaArchConfig *out, QaErr *err);

/* The hardware operand width of a config (desc->hw_bits or QA_BITS_MAX). */
int qaArchHwBits(const QaArchConfig *cfg);

/* Plain integer reference convolution (ref.c): out[N*K*OH*OW], exact int64. */
void qaRefConv(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out);
/* The same by direct loops, no allocation (qaRefConv's fallback when out of memory; slow). */
void qaRefConvDirect(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out);
/* The number of outputs of GOT (N*K*OH*OW) that differ from the reference's, computed
** without a copy of the outputs (the check of a simulated layer). */
int64_t qaRefConvCheck(const QaLayer *l, const int32_t *act, const int32_t *wgt, const int64_t *got);

/* ---- parameter rows every architecture shares --------------------------------------
** QA_P_* expand to QaParam rows bound to the QaArchSpec fields (the spec struct of every
** architecture starts with its QaArchSpec, so these offsets hold for all). */
#define QA_P_INT(field, lo, hi, def, unit, help) \
  { #field, QA_PT_INT, lo, hi, def, unit, help, offsetof(QaArchSpec, field), NULL, 0 }
#define QA_P_TILES(def, help) QA_P_INT(tiles, 1, 1024, def, "", help)
#define QA_P_ROWS(def, help) QA_P_INT(rows, 1, 1024, def, "", help)
#define QA_P_COLUMNS(def, help) QA_P_INT(columns, 1, 256, def, "", help)
#define QA_P_LANES(def, help) QA_P_INT(lanes, 1, 256, def, "", help)
#define QA_P_ACC_BITS(def, help) QA_P_INT(acc_bits, 16, 64, def, "bits", help)
/* The clock: its frequency and whether registers are clock-gated (arch/clock.h). */
#define QA_P_CLOCK(def, help)                                                                      \
  {"clock_mhz", QA_PT_REAL, 1, 10000, def, "MHz", help, offsetof(QaArchSpec, clock_mhz), NULL, 0}, \
      QA_P_CLOCK_GATING
#define QA_P_CLOCK_GATING                                                                                 \
  {                                                                                                       \
    "clock_gating", QA_PT_BOOL, 0, 1, 1, "",                                                              \
        "registers are clocked only in the cycles their unit works (assumed default: synthesis gates "    \
        "load-enabled registers); 0: every register of the chip is clocked every cycle, stalls included", \
        offsetof(QaArchSpec, clock_gating), NULL, 0                                                       \
  }
#define QA_P_RESHAPE                                                                                     \
  {                                                                                                      \
    "first_layer_reshape", QA_PT_BOOL, 0, 1, 1, "",                                                      \
        "fold a strided layer with fewer channels than lanes into a stride-1 layer over stride^2 x the " \
        "channels "                                                                                      \
        "(as the group's public simulator does for the first layer; outputs unchanged)",                 \
        offsetof(QaArchSpec, first_layer_reshape), NULL, 0                                               \
  }
#define QA_P_FC_MULTIPLEX                                                                                    \
  {                                                                                                          \
    "fc_multiplex", QA_PT_BOOL, 0, 1, 1, "",                                                                 \
        "fully connected (single-window) layers: the columns take the bricks in turn instead of one column " \
        "taking them all (the group's public simulator, FC_MULTIPLEX_COLUMNS)",                              \
        offsetof(QaArchSpec, fc_multiplex), NULL, 0                                                          \
  }
/* Row binding a field of an architecture's own spec struct T. */
#define QA_P_FIELD(T, field, type, lo, hi, def, unit, help) \
  { #field, type, lo, hi, def, unit, help, offsetof(T, field), NULL, 0 }

#ifdef __cplusplus
}
#endif
#endif /* QA_ARCH_H */
