/*
** power.h - chip-level figures of an architecture config under a cost table: area, peak
** power at the config's clock and leakage (for checking published area and power claims
** under each table, and for calibration), and the energy of a whole network simulated
** without SystemC.
**
** Peak power is measured, not assumed: a dense "peak layer" that fills the array (one
** pass of tiles x rows filters, 3x3 kernel, 4 channel bricks, 8 x (4 x columns) output
** windows, batch 1) gets synthetic values with no zero activations, quantized at the
** hardware's width with the architecture's default quantizers, runs through the C kernel
** (qaSimRunLayerC, loosely timed) and is priced with the table. The on-chip dynamic power
** is the layer's on-chip energy (DRAM excluded: it is reported apart, as chip power claims
** exclude it) over its simulated time at the config's clock; the leakage is the chip's
** leakage (compose.h), or not priced when the table gives none. For bit-parallel designs
** every PE works every cycle of that layer; for value-dependent designs (Pragmatic,
** Laconic) it is the power of dense random 16-bit data.
**
** qaNetEnergyC runs every layer of a network the same way (synthetic values, per-layer
** activation precisions from a profile if given, memory state carried from layer to
** layer) and prices the run: the energy of a run that `qasim run` would store, without
** SystemC, so one process can price many design points.
*/
#ifndef QA_POWER_H
#define QA_POWER_H

#include "models/energy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The chip figures of one config under one table. */
typedef struct QaChipPower {
  double clock_mhz;                /* the config's clock */
  double area_mm2;                 /* chip area (compose.h) */
  double memory_area_mm2;          /* on-chip memories */
  double logic_area_mm2;           /* datapath, accumulation and registers */
  int leakage_priced;              /* 1 if the table gives leakage for every on-chip component */
  double leakage_w;                /* on-chip leakage (what the table gives; 0 if none) */
  double dynamic_w;                /* on-chip dynamic power of the peak layer */
  double peak_w;                   /* dynamic_w + leakage_w */
  double dram_w;                   /* off-chip DRAM power of the peak layer (not in peak_w) */
  double category_w[QA_CAT_COUNT]; /* dynamic power by category (static: the leakage) */
  double macs_per_cycle;           /* useful MACs per cycle of the peak layer */
  double weak_share;               /* share of the peak layer's energy on assumed/extrapolated rows */
  char layer[96];                  /* the peak layer, e.g. "conv 64x10x6 -> 256 3x3, a/w 16/16" */
} QaChipPower;

/* The figures of config CFG under table T (see above) into *out. Errors: QA_EUSER if T
** cannot price the architecture (qaCompose) or the peak layer cannot run on it (naming
** it); QA_EINTERNAL on allocation failure. Pure C, no SystemC: callable any number of
** times per process. */
int qaChipPower(const QaArchConfig *cfg, const QaCostTable *t, QaChipPower *out, QaErr *err);

/* One layer's activation precision override (a precision profile such as
** workloads/precisions/alexnet.csv). */
typedef struct QaLayerBits {
  char layer[QA_NAME_MAX];
  int a_bits; /* 1..16 */
} QaLayerBits;

typedef struct QaNetEnergyOptions {
  int a_bits, w_bits;         /* precisions of every layer (1..16) */
  const QaLayerBits *profile; /* per-layer activation precisions overriding a_bits, or NULL */
  int n_profile;
  int conv_only;        /* 1: only the conv layers (profiles cover conv layers) */
  uint64_t seed;        /* synthetic values */
  double act_zero_frac; /* synthetic activations' zero fraction */
} QaNetEnergyOptions;

/* Simulate NET on CFG without SystemC (above), once, and price it with each of the
** N_TABLES tables T[i]: out[i] the run's energy under T[i] (qaEnergyAdd over its layers).
** Values are synthetic (workloads/synth.h), quantized with the architecture's default
** quantizers. Errors: as qaChipPower, and a layer the architecture rejects (named). */
int qaNetEnergyC(const QaArchConfig *cfg, const QaCostTable *const *t, int n_tables, const QaNet *net,
                 const QaNetEnergyOptions *o, QaEnergy *out, QaErr *err);

/* Read a precision profile (CSV with columns layer, a_bits; '#' comment lines) into
** *out (malloc'ed, *n entries). QA_EUSER naming file:line for a bad row. */
int qaLayerBitsLoad(const char *path, QaLayerBits **out, int *n, QaErr *err);

#ifdef __cplusplus
}
#endif
#endif /* QA_POWER_H */
