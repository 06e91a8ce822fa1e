/*
** validate.h - reproduce the published claims: every case of a validation spec
** (arch/validate.yaml) beside the claim it reproduces (arch/claims.csv).
**
** A case names a claim (its id in the claims table, which holds the published value,
** its source and status), a metric, the networks, and two design points: the design the
** paper proposes and the baseline it compares with. Metrics:
**   speedup      baseline cycles / design cycles (or simulated time, `in: time`: each
**                design at its own clock), aggregated over the networks;
**   energy_eff   baseline energy / design energy under a cost table (`costs:`);
**   area_ratio   design area / baseline area (`area: chip` or `pe_array`, no simulation);
**   area_saving  1 - design area / baseline area.
** Each case has a tolerance band with its reason, e.g. 10% for cycle speedups on the
** papers' own networks and precisions, 25% for energy ratios: PASS when the measured
** value is within the band of the published one (relative; absolute for a published 0);
** otherwise EXPLAINED when the case carries a documented reason (`explained:`), else
** FAIL. A case that cannot run is ERROR. Nothing is fitted here: the design points are the named configs with
*the
** parameters the papers give.
**
** Every distinct design point (network x options) is simulated once, in a child process
** per point (SystemC allows one simulation per process), `jobs` at a time; the runs are
** not stored. Paths in the spec are relative to the spec file's directory; "{net}" in a
** precision path is replaced by the network's short name.
*/
#ifndef QA_VALIDATE_H
#define QA_VALIDATE_H

#include "base/qa.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum QaValStatus { QA_VAL_PASS = 0, QA_VAL_EXPLAINED, QA_VAL_FAIL, QA_VAL_ERROR } QaValStatus;

typedef struct QaValidateOptions {
  const char *spec;   /* NULL: arch/validate.yaml of the data tree (qaDataPath) */
  const char *claims; /* NULL: arch/claims.csv of the data tree */
  int quick;          /* only the cases marked `quick: true` (the ctest subset) */
  const char *only;   /* NULL, or only the cases whose claim id starts with this */
  int jobs;           /* runs at a time (0: the online cores) */
  int verify;         /* check every run's outputs against the reference (slower) */
  const char *costs;  /* NULL, or the cost table of every energy and area case (--costs) */
  /* progress (may be NULL): called in the parent after each finished run */
  void (*progress)(void *ctx, int done, int total, const char *what);
  void *progress_ctx;
} QaValidateOptions;

/* One case: the claim, the measured value and the verdict. */
typedef struct QaValidateRow {
  char claim_id[64];
  char claim[256];       /* the claim's text (claims table) */
  char source[256];      /* where it is published (claims table, shortened) */
  char claim_status[24]; /* verified / unverified / derived ... (claims table) */
  char unit[16];
  char metric[24]; /* speedup, energy_eff, ... */
  char values[24]; /* "synthetic", "traced", "mixed" or "none" (area only) */
  double published;
  double value;     /* measured (NaN on ERROR) */
  double ratio;     /* value / published */
  double tolerance; /* relative band, e.g. 0.10 */
  char band[256];   /* why the band is what it is */
  QaValStatus status;
  char note[768];   /* EXPLAINED: the documented reason; ERROR: the message */
  char detail[512]; /* per network: "alexnet 1.58, nin 1.71" */
} QaValidateRow;

typedef struct QaValidateReport {
  int n_rows;
  QaValidateRow *rows; /* owned */
  int n_pass, n_explained, n_fail, n_error;
  int n_runs; /* simulations run */
  double wall_s;
} QaValidateReport;

/* Run the spec. QA_EUSER for a bad spec or claims table (file:line:column), or a case
** naming an unknown claim; a case whose runs fail is reported as ERROR in its row, not as
** a return code. *rep is filled on QA_OK; free it with qaValidateFree. */
int qaValidateRun(const QaValidateOptions *opt, QaValidateReport *rep, QaErr *err);
void qaValidateFree(QaValidateReport *rep);
const char *qaValStatusName(QaValStatus s); /* "PASS", "EXPLAINED", "FAIL", "ERROR" */

#ifdef __cplusplus
}
#endif
#endif /* QA_VALIDATE_H */
