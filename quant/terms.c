/*
** terms.c - term encoders (popcount, radix-4 Booth, NAF) and their count tables.
**
** Every encoder works on the magnitude m = |v| and multiplies each digit by the sign
** of v. The count tables (one uint8 per magnitude 0..QA_TERMS_VMAX and encoder) are
** built once under pthread_once, so qaTermsCount is a bounds check plus a load.
*/
#define _POSIX_C_SOURCE 200809L
#include "quant/terms.h"

#include <pthread.h>
#include <string.h>

static uint8_t g_count[QA_ENC_COUNT][QA_TERMS_VMAX + 1];
static uint32_t g_pos[QA_ENC_COUNT][QA_TERMS_VMAX + 1]; /* bit e: a term at exponent e */
static uint32_t g_neg[QA_ENC_COUNT][QA_TERMS_VMAX + 1]; /* bit e: that term is negative */
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static int validEnc(QaEncoder e) { return (unsigned)e < (unsigned)QA_ENC_COUNT; }

static const char *const g_names[QA_ENC_COUNT] = {"popcount", "booth4", "naf"};

const char *qaEncoderName(QaEncoder e) { return validEnc(e) ? g_names[e] : "?"; }

int qaEncoderParse(const char *name, QaEncoder *out, QaErr *err) {
  static const struct {
    const char *name;
    QaEncoder e;
  } tab[] = {{"popcount", QA_ENC_POPCOUNT},
             {"booth4", QA_ENC_BOOTH4},
             {"booth", QA_ENC_BOOTH4},
             {"naf", QA_ENC_NAF},
             {"csd", QA_ENC_NAF}};
  for (size_t i = 0; name && i < sizeof tab / sizeof tab[0]; i++) {
    if (strcmp(name, tab[i].name) == 0) {
      *out = tab[i].e;
      return QA_OK;
    }
  }
  return qaErrSet(err, QA_EUSER,
                  "unknown term encoder '%s' (valid: popcount, booth4 (alias booth), naf (alias csd))",
                  name ? name : "(null)");
}

static int emit(QaTerm *out, int n, int sign, int exp) {
  out[n].sign = (int8_t)sign;
  out[n].exp = (int8_t)exp;
  return n + 1;
}

/* Encode magnitude m (0..QA_TERMS_VMAX), every digit multiplied by sign (+-1). */
static int encodeMag(QaEncoder e, uint32_t m, int sign, QaTerm *out) {
  int n = 0;
  switch (e) {
    case QA_ENC_POPCOUNT:
      for (int i = 0; m >> i; i++)
        if ((m >> i) & 1u) n = emit(out, n, sign, i);
      break;
    case QA_ENC_BOOTH4: {
      /* Group i is bits (2i+1, 2i, 2i-1) of m, with a zero padded below bit 0: in
      ** ext = m << 1 that is bits (2i+2, 2i+1, 2i). Digit = -2*b2 + b1 + b0. The
      ** magnitude is zero-extended, so looping until no bit at or above 2i-1 is left
      ** ends with a group whose top bit is 0 and the digits sum exactly to m. */
      static const int8_t digit[8] = {0, 1, 1, 2, -2, -1, -1, 0};
      uint32_t ext = m << 1;
      for (int i = 0; ext >> (2 * i); i++) {
        int d = digit[(ext >> (2 * i)) & 7u];
        if (d) n = emit(out, n, d > 0 ? sign : -sign, 2 * i + (d == 2 || d == -2));
      }
      break;
    }
    case QA_ENC_NAF:
      /* Odd m: take the digit d in {+1,-1} that makes m - d divisible by 4, so the
      ** next digit is 0 (non-adjacent). */
      for (int i = 0; m; i++, m >>= 1) {
        if (m & 1u) {
          int d = (m & 3u) == 1 ? 1 : -1;
          n = emit(out, n, d * sign, i);
          m = d > 0 ? m - 1 : m + 1;
        }
      }
      break;
    default:
      return -1;
  }
  return n;
}

/* The tables without the per-term encoder (12 ms of every process before): popcount is m
** itself; NAF's positive and negative digits by the carry trick (with h = m >> 1, t = m + h,
** c = h ^ t: positive t & c, negative h & c); Booth's radix-4 digits group by group.
** tests/unit/test_terms.c checks every entry against encodeMag. */
static void buildTables(void) {
  static const int8_t digit[8] = {0, 1, 1, 2, -2, -1, -1, 0};
  for (uint32_t m = 0; m <= QA_TERMS_VMAX; m++) {
    g_count[QA_ENC_POPCOUNT][m] = (uint8_t)__builtin_popcount(m);
    g_pos[QA_ENC_POPCOUNT][m] = m;
    uint32_t h = m >> 1, t = m + h, c = h ^ t;
    g_pos[QA_ENC_NAF][m] = (t & c) | (h & c);
    g_neg[QA_ENC_NAF][m] = h & c;
    g_count[QA_ENC_NAF][m] = (uint8_t)__builtin_popcount(c);
    uint32_t ext = m << 1, pos = 0, neg = 0;
    for (int i = 0; ext >> (2 * i); i++) {
      int d = digit[(ext >> (2 * i)) & 7u];
      if (!d) continue;
      uint32_t bit = 1u << (2 * i + (d == 2 || d == -2));
      pos |= bit;
      neg |= d < 0 ? bit : 0;
    }
    g_pos[QA_ENC_BOOTH4][m] = pos;
    g_neg[QA_ENC_BOOTH4][m] = neg;
    g_count[QA_ENC_BOOTH4][m] = (uint8_t)__builtin_popcount(pos);
  }
}

void qaTermsInit(void) { pthread_once(&g_once, buildTables); }

int qaTermsEncode(QaEncoder e, int32_t v, QaTerm *out) {
  int64_t m = v < 0 ? -(int64_t)v : (int64_t)v;
  if (!validEnc(e) || m > QA_TERMS_VMAX) return -1;
  return encodeMag(e, (uint32_t)m, v < 0 ? -1 : 1, out);
}

int qaTermsCount(QaEncoder e, int32_t v) {
  int64_t m = v < 0 ? -(int64_t)v : (int64_t)v;
  if (!validEnc(e) || m > QA_TERMS_VMAX) return -1;
  qaTermsInit();
  return g_count[e][m];
}

const uint8_t *qaTermsTable(QaEncoder e) {
  if (!validEnc(e)) return NULL; /* invalid encoder */
  qaTermsInit();
  return g_count[e];
}

const uint32_t *qaTermsPosMask(QaEncoder e) {
  if (!validEnc(e)) return NULL;
  qaTermsInit();
  return g_pos[e];
}

const uint32_t *qaTermsNegMask(QaEncoder e) {
  if (!validEnc(e)) return NULL;
  qaTermsInit();
  return g_neg[e];
}
