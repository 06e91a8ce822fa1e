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
/* Derive an independent seed for sub-stream `index` of `seed`. */
uint64_t qaRngDerive(uint64_t seed, uint64_t index);

#ifdef __cplusplus
}
#endif
#endif /* QA_RNG_H */
