/*
** arch.h - accelerator architectures: parameter tables, configs, and the C side of
** every model.
**
** An architecture is described by a QaArchDesc: a name, a one-line summary, a
** parameter table (one row per parameter: name, type, range, default, unit, help)
** and the C kernel that executes a layer. Configs are the parameter values, taken
** from the defaults and optionally a YAML file; the loader validates every key
** against the table and records which keys were set.
**
** Execution is organised in the project's vocabulary (see arch/README.md): a layer
** is cut into "packs" of groups and "passes" of filters; a pass visits every output
** window; a brick step feeds `lanes` channels of one (window, r, s) to all filter rows. The kernel computes a
*whole pass in C
** (outputs, cycles, action counts) for the loosely-timed mode, and also offers a
** per-cycle tick over explicit PE state for the clocked mode. Both must report the
** same cycle count; the SystemC driver (sc_sim.cpp) adds time and structure only.
*/
#ifndef QA_ARCH_H
#define QA_ARCH_H

#include "base/qa.h"
#include "arch/stats.h"
#include "quant/terms.h"
#include "workloads/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_PARAMS_MAX 32

typedef enum QaParamType { QA_PT_INT = 0, QA_PT_REAL, QA_PT_BOOL } QaParamType;

typedef struct QaParamDef {
  const char *name;
  QaParamType type;
  double min, max, def;
  const char *unit; /* "" if dimensionless */
  const char *help;
} QaParamDef;

struct QaArchDesc;

typedef struct QaArchConfig {
  const struct QaArchDesc *desc;
  double v[QA_PARAMS_MAX];          /* values, indexed like desc->params */
  unsigned char set[QA_PARAMS_MAX]; /* 1 if given explicitly (file or override) */
  char source[QA_PATH_MAX];         /* config file path or "defaults" */
} QaArchConfig;

typedef enum QaTiming { QA_TIMING_LT = 0, QA_TIMING_CYCLE } QaTiming;

/* One layer to execute, with its integer codes. All pointers are borrowed. */
typedef struct QaLayerJob {
  const QaLayer *layer;
  const int32_t *act; /* N*C*H*W activation codes */
  const int32_t *wgt; /* K*(C/groups)*R*S weight codes */
  int a_bits, w_bits; /* precisions of the codes (1..16) */
  int a_signed;       /* 1 if activation codes may be negative */
  QaEncoder encoder;  /* term encoder for term-serial architectures */
  int64_t *out;       /* N*K*OH*OW outputs written by the model (caller-owned) */
} QaLayerJob;

/* Opaque per-layer execution state of an architecture kernel. */
typedef struct QaExec QaExec;
struct QaEngine;

typedef struct QaArchDesc {
  const char *name;
  const char *summary;
  const QaParamDef *params;
  int n_params;
  /* Check that the job's precisions and geometry are supported by this config. */
  int (*check)(const QaArchConfig *cfg, const QaLayerJob *job, QaErr *err);
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

/* Registry of built-in architectures. */
int qaArchCount(void);
const QaArchDesc *qaArchAt(int i);
/* Find by name; QA_EUSER listing the known names if absent. */
int qaArchFind(const char *name, const QaArchDesc **out, QaErr *err);

/* Parameter access by name (aborts with a clear internal error message if the
** name is not in the table: that is a programming error, not user input). */
double qaCfgGet(const QaArchConfig *cfg, const char *name);
/* The value of a parameter if the architecture has it, else dflt. */
double qaCfgGetOr(const QaArchConfig *cfg, const char *name, double dflt);
int qaCfgInt(const QaArchConfig *cfg, const char *name);

/* Defaults of an architecture. */
void qaCfgDefaults(const QaArchDesc *d, QaArchConfig *cfg);
/* Load a YAML config file: a mapping with `arch: NAME` and parameter keys (either
** at the top level or under `params:`). Unknown keys, wrong types and values out
** of range are QA_EUSER errors naming file, line and key. */
int qaCfgLoadYaml(const char *path, QaArchConfig *cfg, QaErr *err);
/* Set one parameter from text ("name=value" overrides from the command line). */
int qaCfgSetText(QaArchConfig *cfg, const char *name, const char *value, const char *origin, QaErr *err);
/* The full resolved config as YAML text (every parameter, in table order). The
** text is what is stored with a run and hashed. Caller frees. */
char *qaCfgToYaml(const QaArchConfig *cfg);
/* Print the parameter table of an architecture (name, default, range, unit, help). */
void qaArchPrintParams(const QaArchDesc *d, void *file /* FILE* */);

/* Plain integer reference convolution (sim/ref.c): out[N*K*OH*OW], exact int64. */
void qaRefConv(const QaLayer *l, const int32_t *act, const int32_t *wgt, int64_t *out);

#ifdef __cplusplus
}
#endif
#endif /* QA_ARCH_H */
