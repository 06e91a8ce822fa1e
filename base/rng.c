/*
** rng.c - xoshiro256** (Blackman & Vigna) seeded with splitmix64.
*/
#include "base/rng.h"

#include <math.h>

static uint64_t splitmix(uint64_t *x) {
  uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

void qaRngSeed(QaRng *r, uint64_t seed) {
  uint64_t x = seed;
  for (int i = 0; i < 4; i++) r->s[i] = splitmix(&x);
  r->spare = 0;
  r->has_spare = 0;
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t qaRngNext(QaRng *r) {
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double qaRngUniform(QaRng *r) { return (double)(qaRngNext(r) >> 11) * 0x1.0p-53; }

double qaRngGauss(QaRng *r) {
  /* Box-Muller: each pair of uniforms gives two independent normals; the second
  ** is returned by the next call. */
  if (r->has_spare) {
    r->has_spare = 0;
    return r->spare;
  }
  double u1 = qaRngUniform(r), u2 = qaRngUniform(r);
  if (u1 < 1e-300) u1 = 1e-300;
  double rad = sqrt(-2.0 * log(u1)), th = 6.283185307179586 * u2;
  r->spare = rad * sin(th);
  r->has_spare = 1;
  return rad * cos(th);
}

double qaRngLaplace(QaRng *r, double b) {
  double u = qaRngUniform(r) - 0.5;
  double a = 1.0 - 2.0 * fabs(u);
  if (a < 1e-300) a = 1e-300;
  return (u < 0 ? b : -b) * log(a);
}

int64_t qaRngRange(QaRng *r, int64_t lo, int64_t hi) {
  uint64_t span = (uint64_t)(hi - lo) + 1;
  if (span == 0) return (int64_t)qaRngNext(r);
  return lo + (int64_t)(qaRngNext(r) % span);
}

uint64_t qaRngDerive(uint64_t seed, uint64_t index) {
  uint64_t x = seed ^ (index * 0xD1B54A32D192ED03ULL);
  splitmix(&x);
  return splitmix(&x);
}
