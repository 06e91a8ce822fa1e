/*
** rng.h - seeded, reproducible random streams (xoshiro256** seeded by splitmix64).
** Every random stream in qasim takes an explicit seed that is stored with the run.
*/
#ifndef QA_RNG_H
#define QA_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct QaRng {
  uint64_t s[4];
  double spare; /* second value of the last Box-Muller pair */
  int has_spare;
} QaRng;

void qaRngSeed(QaRng *r, uint64_t seed);
uint64_t qaRngNext(QaRng *r);
double qaRngUniform(QaRng *r);                        /* [0, 1) */
double qaRngGauss(QaRng *r);                          /* N(0, 1) */
double qaRngLaplace(QaRng *r, double b);              /* zero mean, scale b */
int64_t qaRngRange(QaRng *r, int64_t lo, int64_t hi); /* uniform integer in [lo, hi] */
/* The same distributions by the ziggurat method (Marsaglia & Tsang, J. Stat. Softw. 2000):
** exact, with a table lookup and a multiply for about 99% of the draws and exp/log only in
** the rare wedge and tail cases (several times faster than Box-Muller / inversion; used
** for synthetic values). Thread-safe (the tables are built once). */
double qaRngNormalZ(QaRng *r);            /* N(0, 1) */
double qaRngExpZ(QaRng *r);               /* exponential, mean 1 */
double qaRngLaplaceZ(QaRng *r, double b); /* zero mean, scale b: +-b x exponential */
/* N values at once into OUT (floats): scale x N(0, 1); Laplace of scale b; and "rectified":
** 0 with probability ZERO_FRAC, else |N(0, 1)|. The same streams as the per-value calls. */
void qaRngFillNormalZ(QaRng *r, double scale, float *out, int64_t n);
void qaRngFillLaplaceZ(QaRng *r, double b, float *out, int64_t n);
void qaRngFillRectified(QaRng *r, double zero_frac, float *out, int64_t n);
/* Derive an independent seed for sub-stream `index` of `seed`. */
uint64_t qaRngDerive(uint64_t seed, uint64_t index);

#ifdef __cplusplus
}
#endif
#endif /* QA_RNG_H */
