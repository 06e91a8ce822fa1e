/*
** identity.h - a design point's identity: the hash of everything that determines a run's
** result, so that two runs with the same identity are the same point (one is enough) and
** two that differ in anything that matters are never merged by a listing, a plot or a
** sweep.
**
** The identity is SHA-256 over two parts, each also kept on its own:
**   config_id   the tool version, the resolved architecture config (qaCfgToYaml: every
**               parameter), the run's a_bits / w_bits, the canonical quantizer texts,
**               the encoder, the seed and the synthetic-value options (zero fraction,
**               weight distribution), the timing mode, whether outputs are verified, and
**               the cost table's identity (its label and the SHA-256 of its file and of
**               the memory-grid files it prices from), or "none"; and, when used,
**               --synthetic and --precision (profile:DB, or the SHA-256 of the file);
**   workload_id the network's content: its geometry hash (qaNetHash of the layers with
**               their trace paths blanked, so the same files under another directory are
**               the same workload), each layer's own bits (the network file's per-layer
**               precision; the run's default bits belong to the config), its own
**               quantizers (in the geometry hash), and the SHA-256 of the
**               bytes of every trace file a layer names (act, wgt, bias, out, wgt_codes,
**               wgt_scale) ("missing" for a path that does
**               not exist; "none" for a trace not given).
** A point's figure series is its config_id and its group its workload_id: (config_id,
** workload_id) determine the identity, so a report never merges distinct points.
** Paths (the network file's, the traces') are not part of it: the same content
** anywhere is the same point.
**
** Trace files are hashed once per process per (device, inode, size, mtime).
*/
#ifndef QA_IDENTITY_H
#define QA_IDENTITY_H

#include <stdint.h>

#include "base/sha256.h"
#include "models/costs.h"
#include "workloads/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_ID_HEX QA_SHA256_HEX /* 64 hex digits + NUL */
#define QA_ID_SHORT 12          /* hex digits listings and legends show */

/* What determines a run's result, as resolved (canonical texts, not what the user typed). */
typedef struct QaIdentityInput {
  const char *tool_version;
  const char *arch_config; /* qaCfgToYaml text of the resolved config */
  const QaNet *net;
  int a_bits, w_bits; /* run defaults; a layer's own bits override them */
  const char *quant_a, *quant_w, *encoder;
  uint64_t seed;
  double act_zero_frac;
  const char *wgt_dist;
  const char *timing; /* "lt" or "cycle" */
  int verify;
  const QaCostTable *costs; /* NULL: not priced */
  const char *costs_label;  /* the composition's label (e.g. "horowitz45+ddr3"); NULL: not priced */
  int synthetic;            /* 1: the network's traces ignored (--synthetic) */
  const char *precision;    /* --precision: a file (its content counts) or "profile[:DB]"; NULL */
} QaIdentityInput;

typedef struct QaIdentity {
  char id[QA_ID_HEX];          /* the design point */
  char config_id[QA_ID_HEX];   /* everything but the workload */
  char workload_id[QA_ID_HEX]; /* the workload's content */
  char costs_id[QA_ID_HEX];    /* the cost table's content; "" when not priced */
} QaIdentity;

/* Compute *out from IN. Errors: QA_EUSER if a trace or cost-table file exists but cannot
** be read (naming it); QA_EINTERNAL out of memory. */
int qaIdentityCompute(const QaIdentityInput *in, QaIdentity *out, QaErr *err);

/* The identity's text form before hashing (both parts; for tests and debugging).
** Caller frees; NULL with *err set on error. */
char *qaIdentityText(const QaIdentityInput *in, QaErr *err);

/* The identity of a cost table: label plus the SHA-256 of every file it was read from. */
int qaIdentityCosts(const QaCostTable *t, const char *label, char out[QA_ID_HEX], QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_IDENTITY_H */
