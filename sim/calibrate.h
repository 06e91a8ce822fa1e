/*
** calibrate.h - fitting at most three scale parameters of a cost table to published chip
** figures, and reporting published claims that were held out.
**
** The procedure (`qasim calibrate`, documented in models/README.md "Calibration"):
**  1. Targets. Published absolute figures are node-scaled to the tables' 45 nm, 0.9 V with
**     Stillmaker and Baas, "Scaling equations for the accurate prediction of CMOS device
**     performance from 180 nm to 7 nm", Integration 58 (2017) 74-81: area by their area
**     factors, energy (power at the same clock) by their energy polynomials
**     a V^2 + b V + c, with the coefficients as transcribed in github.com/wromaszkan/nodeScale
**     nodeScale.py (the paper's corrigendum confirms the 65 nm and HP 32 nm ones). 28 nm
**     has no row: its factors are interpolated linearly in node size between 32 and 20 nm
**     (as Accelergy's hwcomponents scaling does). Supplies are assumed: 1.1 V at 65 nm, 0.9 V
**     at 28 nm (HP devices), 0.9 V at 45 nm (Horowitz's table). Ratios (efficiency, area
**     over DaDianNao) are not node-scaled.
**  2. Model. Each target's design is composed and simulated with the base table (cacti45):
**     chip power from qaChipPower's peak layer, area from the composition, efficiency as the
**     geometric mean over a set of networks (synthetic values, per-layer precisions of the
**     Stripes paper, conv layers) of E(DaDianNao) / E(design), each energy split into
**     on-chip memory, logic (datapath, accumulation, registers), static and DRAM.
**  3. Fit. Three scales - memory_energy, logic_energy, logic_area (costs.h) - minimise the
**     sum of squared log errors over the fitted targets (DianNao power and area, DaDianNao
**     power and area, Stripes' energy efficiency and area); Nelder-Mead in log space from 1.
**     Memory areas (CACTI's, periphery included), static energy and DRAM are not scaled.
**  4. Held out (reported, never fitted): Pragmatic's efficiency and area, Laconic's
**     efficiency at 128 and 1K weight wires, the one-hot resource savings on DaDianNao and
**     Laconic, DianNao's throughput.
** The fitted table is the base table's rows plus the three scale rows (status calibrated,
** the claims in their source).
*/
#ifndef QA_CALIBRATE_H
#define QA_CALIBRATE_H

#include <stdio.h>

#include "models/costs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define QA_CAL_TARGETS_MAX 16
#define QA_CAL_TABLES 3 /* horowitz45, the base (cacti45), the fitted table */
#define QA_CAL_SCALES 3 /* memory_energy, logic_energy, logic_area */

typedef enum QaCalKind {
  QA_CAL_POWER_W = 0, /* chip peak power at the design's clock (W) */
  QA_CAL_AREA_MM2,    /* chip area (mm^2) */
  QA_CAL_EFFICIENCY,  /* energy efficiency over the baseline: E(baseline) / E(design) (x) */
  QA_CAL_AREA_RATIO,  /* chip area over the baseline's (x) */
  QA_CAL_SAVING,      /* 1 - logic area / baseline logic area (%) */
  QA_CAL_THROUGHPUT   /* peak operations per second, 2 per MAC (GOP/s) */
} QaCalKind;

/* The parts of a modelled figure the scales act on. */
typedef struct QaCalSplit {
  double mem, logic, stat, dram; /* energy or power parts; areas: mem and logic only */
} QaCalSplit;

typedef struct QaCalTarget {
  const char *id;   /* arch/claims.csv id, e.g. "dadn.power" */
  const char *what; /* what it is, with the design's config */
  QaCalKind kind;
  double published; /* as published (W, mm^2, x, %, GOP/s) */
  const char *unit;
  double node_nm;              /* node published at; 0: a ratio, not node-scaled */
  double vdd;                  /* assumed supply there (V) */
  double factor;               /* Stillmaker-Baas factor to 45 nm 0.9 V (1 for ratios) */
  double target;               /* published x factor */
  int fitted;                  /* 1 fitted, 0 held out */
  double model[QA_CAL_TABLES]; /* the model's value under horowitz45, the base table, the fit */
  int n_nets;                  /* efficiency: networks averaged */
} QaCalTarget;

typedef struct QaCalOptions {
  const char *base; /* the table the scales multiply (default "cacti45") */
  const char *nets; /* comma-separated networks for efficiencies (default: the Stripes paper's
                    ** six: alexnet,nin,googlenet,vggm,vggs,vgg19): built-in names or names of
                    ** workloads/nets/NAME.yaml, with their workloads/precisions/NAME.csv; a
                    ** network given by path (with a '/') runs without a profile */
  FILE *progress;   /* one line per simulated design point, or NULL */
} QaCalOptions;

typedef struct QaCalResult {
  char base[64];  /* base table name */
  char nets[256]; /* networks used */
  int n_targets;
  QaCalTarget t[QA_CAL_TARGETS_MAX];
  double scale[QA_CAL_SCALES]; /* fitted factors */
  double rms_log;              /* rms of ln(model / target) over the fitted targets after the fit */
  double rms_log_base;         /* the same under the base table (all scales 1) */
  double seconds;              /* wall time */
} QaCalResult;

/* Run the procedure above into *out. Errors: QA_EUSER for a table, config or network that
** does not load, or a design the table cannot price; QA_EINTERNAL otherwise. Pure C (no
** SystemC); takes minutes with the six networks. */
int qaCalibrate(const QaCalOptions *o, QaCalResult *out, QaErr *err);

/* Print the targets (published, scale factor, 45 nm target, model under each table, fitted or
** held out) and the fitted scales. QA_EINTERNAL if writing fails. */
int qaCalibratePrint(const QaCalResult *r, FILE *fp, QaErr *err);

/* Write the fitted table to PATH: the base table's rows plus the three scale rows (status
** calibrated, the targets in their source). The base table's memory grid must sit beside
** PATH (models/tables/). QA_EUSER if PATH cannot be written. */
int qaCalibrateWrite(const QaCalResult *r, const char *path, QaErr *err);

/* The Stillmaker-Baas factors used above: area at 45 nm over area at NODE_NM, and energy
** at 45 nm 0.9 V (HP) over energy at NODE_NM and VDD (65, 45, 32, 28 or 20 nm; NAN for
** another node). */
double qaCalAreaTo45(double node_nm);
double qaCalEnergyTo45(double node_nm, double vdd);

#ifdef __cplusplus
}
#endif
#endif /* QA_CALIBRATE_H */
