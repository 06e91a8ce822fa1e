/*
** rng.c - xoshiro256** (Blackman & Vigna) seeded with splitmix64.
*/
#define _POSIX_C_SOURCE 200809L
#include "base/rng.h"

#include <math.h>
#include <pthread.h>

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

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next(QaRng *r) {
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

uint64_t qaRngNext(QaRng *r) { return next(r); }

double qaRngUniform(QaRng *r) { return (double)(next(r) >> 11) * 0x1.0p-53; }

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

/* ---- ziggurat ------------------------------------------------------------------------
** A decreasing density f on [0, inf) is covered by N horizontal strips of equal area V:
** strip i (1 <= i < N) is the rectangle [0, x[i]] x [f(x[i]), f(x[i+1])], with x[1] = R
** > x[2] > ... > x[N] = 0; strip 0 is the rectangle [0, R] x [0, f(R)] plus the tail
** beyond R, which together also have area V, and x[0] = V / f(R) is its pseudo-width.
** A draw picks a strip i and z = U x[i]: if z < x[i+1] the point lies under the curve
** (accepted at once); in strip 0 a z beyond R is drawn from the tail; else (the wedge)
** z is accepted with probability (f(z) - f(x[i])) / (f(x[i+1]) - f(x[i])), and a
** rejected draw starts over. The constants R and V are Marsaglia and Tsang's (2000) for
** N = 128 (normal) and N = 256 (exponential); the tables follow from
** x[i+1] = f^-1(V / x[i] + f(x[i])). */
#define ZN_N 128
#define ZE_N 256
static double zn_x[ZN_N + 1], zn_f[ZN_N + 1], ze_x[ZE_N + 1], ze_f[ZE_N + 1];
static pthread_once_t z_once = PTHREAD_ONCE_INIT;

static void zigTables(void) {
  const double nr = 3.442619855899, nv = 9.91256303526217e-3;
  zn_x[0] = nv / exp(-0.5 * nr * nr);
  zn_x[1] = nr;
  for (int i = 1; i < ZN_N - 1; i++)
    zn_x[i + 1] = sqrt(-2.0 * log(nv / zn_x[i] + exp(-0.5 * zn_x[i] * zn_x[i])));
  zn_x[ZN_N] = 0;
  for (int i = 0; i <= ZN_N; i++) zn_f[i] = exp(-0.5 * zn_x[i] * zn_x[i]);
  const double er = 7.69711747013104972, ev = 3.949659822581572e-3;
  ze_x[0] = ev / exp(-er);
  ze_x[1] = er;
  for (int i = 1; i < ZE_N - 1; i++) ze_x[i + 1] = -log(ev / ze_x[i] + exp(-ze_x[i]));
  ze_x[ZE_N] = 0;
  for (int i = 0; i <= ZE_N; i++) ze_f[i] = exp(-ze_x[i]);
}

/* The normal sampler draws its words through DRAW(SRC): the state itself (drawRng) or the
** fills' batches of words drawn ahead (drawWords); both give the stream's words in order. */
typedef uint64_t (*DrawFn)(void *src);
static uint64_t drawRng(void *src) { return next((QaRng *)src); }

/* A uniform in (0, 1] from 53 bits (never 0: log-safe). */
static inline double uniformPos(DrawFn draw, void *src) {
  return ((double)(draw(src) >> 11) + 1.0) * 0x1.0p-53;
}

static inline double normalWith(DrawFn draw, void *src) {
  for (;;) {
    uint64_t u = draw(src);
    int i = (int)(u & (ZN_N - 1));
    double sign = (u >> 7) & 1 ? -1.0 : 1.0;
    double z = (double)(u >> 11) * 0x1.0p-53 * zn_x[i];
    if (z < zn_x[i + 1]) return sign * z;
    if (i == 0) { /* z >= R: the tail beyond R (Marsaglia 1964) */
      double a, b;
      do {
        a = -log(uniformPos(draw, src)) / zn_x[1];
        b = -log(uniformPos(draw, src));
      } while (b + b < a * a);
      return sign * (zn_x[1] + a);
    }
    if (zn_f[i] + ((double)(draw(src) >> 11) * 0x1.0p-53) * (zn_f[i + 1] - zn_f[i]) < exp(-0.5 * z * z))
      return sign * z;
  }
}

static inline double normalZ(QaRng *r) { return normalWith(drawRng, r); }

/* Words of a stream drawn ahead in batches: GEN is the state after the last word drawn,
** START the state before the batch in W, P the next word to hand out. wordsEnd leaves R
** where the per-value calls leave it: START plus the words handed out of this batch. */
#define WORDS 1024
typedef struct Words {
  QaRng gen, start;
  int p, len;
  uint64_t w[WORDS];
} Words;

static void wordsBegin(Words *s, const QaRng *r) {
  s->gen = s->start = *r;
  s->p = s->len = 0;
}
static void wordsFill(Words *s) { /* the next batch */
  s->start = s->gen;
  for (int i = 0; i < WORDS; i++) s->w[i] = next(&s->gen);
  s->p = 0;
  s->len = WORDS;
}
static uint64_t drawWords(void *src) {
  Words *s = src;
  if (s->p == s->len) wordsFill(s);
  return s->w[s->p++];
}
static void wordsEnd(Words *s, QaRng *r) {
  *r = s->start;
  for (int i = 0; i < s->p; i++) next(r);
}

/* An exponential draw; *sign gets a random bit of the first word (unused by the draw). */
static inline double expZ(QaRng *r, int *sign) {
  double base = 0; /* memoryless: a tail draw is R + another exponential */
  uint64_t u = next(r);
  *sign = (int)((u >> 8) & 1);
  for (;;) {
    int i = (int)(u & (ZE_N - 1));
    double z = (double)(u >> 11) * 0x1.0p-53 * ze_x[i];
    if (z < ze_x[i + 1]) return base + z;
    if (i == 0) /* z >= R: the tail */
      base += ze_x[1];
    else if (ze_f[i] + ((double)(next(r) >> 11) * 0x1.0p-53) * (ze_f[i + 1] - ze_f[i]) < exp(-z))
      return base + z;
    u = next(r);
  }
}

double qaRngExpZ(QaRng *r) {
  pthread_once(&z_once, zigTables);
  int sign;
  return expZ(r, &sign);
}

double qaRngLaplaceZ(QaRng *r, double b) {
  pthread_once(&z_once, zigTables);
  int sign;
  double e = expZ(r, &sign);
  return sign ? -b * e : b * e;
}

double qaRngNormalZ(QaRng *r) {
  pthread_once(&z_once, zigTables);
  return normalZ(r);
}

/* The fills draw from a local copy of the state, so the compiler keeps the four words in
** registers (through R they would go to memory and back on every draw), and take the
** ziggurat's fast path (about 99% of the draws) without a branch on a random bit: the sign
** is a multiply by +-1, a zero activation a select that also puts back the state before the
** draw it did not need. A draw off the fast path starts over from the saved state with the
** per-value sampler, so every stream is the per-value calls' (tests/unit/test_rng.c). */
void qaRngFillNormalZ(QaRng *r, double scale, float *out, int64_t n) {
  pthread_once(&z_once, zigTables);
  QaRng l = *r;
  for (int64_t i = 0; i < n; i++) {
    QaRng save = l;
    uint64_t u = next(&l);
    int k = (int)(u & (ZN_N - 1));
    double z = (double)(u >> 11) * 0x1.0p-53 * zn_x[k], sign = 1.0 - 2.0 * (double)((u >> 7) & 1);
    if (__builtin_expect(!(z < zn_x[k + 1]), 0)) {
      l = save;
      z = normalZ(&l);
      sign = 1.0;
    }
    out[i] = (float)(scale * (sign * z));
  }
  *r = l;
}

void qaRngFillLaplaceZ(QaRng *r, double b, float *out, int64_t n) {
  pthread_once(&z_once, zigTables);
  QaRng l = *r;
  for (int64_t i = 0; i < n; i++) {
    QaRng save = l;
    uint64_t u = next(&l);
    int k = (int)(u & (ZE_N - 1)), sign;
    double z = (double)(u >> 11) * 0x1.0p-53 * ze_x[k];
    if (__builtin_expect(!(z < ze_x[k + 1]), 0)) {
      l = save;
      z = expZ(&l, &sign);
    }
    out[i] = (float)(b * z * (1.0 - 2.0 * (double)((u >> 8) & 1)));
  }
  *r = l;
}

void qaRngFillRectified(QaRng *r, double zero_frac, float *out, int64_t n) {
  pthread_once(&z_once, zigTables);
  /* (u >> 11) 2^-53 < zero_frac exactly when the integer u >> 11 < ceil(zero_frac 2^53) */
  uint64_t zmax = !(zero_frac > 0) ? 0
                  : zero_frac >= 1 ? (uint64_t)1 << 53
                                   : (uint64_t)ceil(zero_frac * 0x1.0p53);
  Words s;
  wordsBegin(&s, r);
  int64_t i = 0;
  while (i < n) {
    if (s.p == s.len) wordsFill(&s);
    uint64_t pending = 0; /* 1: the word at p is a non-zero value's first normal word */
    int p = s.p, len = s.len;
    while (p < len && i < n) {
      uint64_t u = s.w[p];
      uint64_t zf = (u >> 11) < zmax;
      int k = (int)(u & (ZN_N - 1));
      double z = (double)(u >> 11) * 0x1.0p-53 * zn_x[k];
      if (__builtin_expect(pending & !(z < zn_x[k + 1]), 0)) break; /* off the fast path */
      out[i] = (float)(z * (double)pending);
      i += (int64_t)(pending | zf);
      pending = (pending ^ 1) & (zf ^ 1);
      p++;
    }
    s.p = p;
    if (pending && i < n) out[i++] = (float)fabs(normalWith(drawWords, &s));
  }
  wordsEnd(&s, r);
}
