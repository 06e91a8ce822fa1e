/*
** parse.c - strict number parsing (see parse.h).
**
** Each parser first checks the characters itself (strtoll and friends skip leading
** spaces, accept a sign on unsigned values, read nan/inf and hex floats), then lets the
** C library convert and checks for overflow and the range.
*/
#include "base/parse.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int isDigit(char c) { return c >= '0' && c <= '9'; }
static int isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A hint for the commonest mistakes, appended to the "is not a ..." message. */
static const char *hint(const char *text, int integer) {
  size_t n = strlen(text);
  if (n == 0) return " (the value is empty)";
  if (isSpace(text[0]) || isSpace(text[n - 1])) return " (remove the spaces)";
  if (integer && strpbrk(text, ".eE") && strpbrk(text, "0123456789"))
    return " (write it without a fraction or exponent)";
  return "";
}

/* "FIELD: " or "" when the caller gave no field name. */
#define FIELD_FMT "%s%s"
#define FIELD_ARGS(field) (field) ? (field) : "", (field) ? ": " : ""

/* All of s[0..) is a non-empty run of digits (hex digits if hex). */
static int allDigits(const char *s, int hex) {
  if (!*s) return 0;
  for (; *s; s++)
    if (!(hex ? isHexDigit(*s) : isDigit(*s))) return 0;
  return 1;
}

int qaParseInt64(const char *text, const char *field, int64_t lo, int64_t hi, int64_t *out, QaErr *err) {
  if (!text) text = "";
  const char *digits = text[0] == '-' ? text + 1 : text;
  if (!allDigits(digits, 0))
    return qaErrSet(err, QA_EUSER, FIELD_FMT "'%s' is not an integer%s", FIELD_ARGS(field), text,
                    hint(text, 1));
  errno = 0;
  long long v = strtoll(text, NULL, 10);
  if (errno == ERANGE || v < lo || v > hi)
    return qaErrSet(err, QA_EUSER, FIELD_FMT "%s is out of range [%" PRId64 ", %" PRId64 "]",
                    FIELD_ARGS(field), text, lo, hi);
  *out = (int64_t)v;
  return QA_OK;
}

int qaParseUint64(const char *text, const char *field, uint64_t lo, uint64_t hi, uint64_t *out, QaErr *err) {
  if (!text) text = "";
  int hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (!allDigits(hex ? text + 2 : text, hex))
    return qaErrSet(err, QA_EUSER, FIELD_FMT "'%s' is not a non-negative integer%s", FIELD_ARGS(field), text,
                    hint(text, 1));
  errno = 0;
  unsigned long long v = strtoull(text, NULL, hex ? 16 : 10);
  if (errno == ERANGE || v < lo || v > hi)
    return qaErrSet(err, QA_EUSER, FIELD_FMT "%s is out of range [%" PRIu64 ", %" PRIu64 "]",
                    FIELD_ARGS(field), text, lo, hi);
  *out = (uint64_t)v;
  return QA_OK;
}

/* [+-] digits [. digits] [(e|E) [+-] digits], with digits on at least one side of the point. */
static int isDecimalReal(const char *s) {
  int mantissa = 0;
  if (*s == '+' || *s == '-') s++;
  for (; isDigit(*s); s++) mantissa = 1;
  if (*s == '.')
    for (s++; isDigit(*s); s++) mantissa = 1;
  if (!mantissa) return 0;
  if (*s == 'e' || *s == 'E') {
    s++;
    if (*s == '+' || *s == '-') s++;
    if (!isDigit(*s)) return 0;
    while (isDigit(*s)) s++;
  }
  return *s == 0;
}

int qaParseDouble(const char *text, const char *field, double lo, double hi, double *out, QaErr *err) {
  if (!text) text = "";
  if (!isDecimalReal(text)) {
    const char *t = text + (text[0] == '+' || text[0] == '-');
    int special = !strncmp(t, "nan", 3) || !strncmp(t, "NaN", 3) || !strncmp(t, "NAN", 3) ||
                  !strncmp(t, "inf", 3) || !strncmp(t, "Inf", 3) || !strncmp(t, "INF", 3);
    return qaErrSet(err, QA_EUSER, FIELD_FMT "'%s' is not a %snumber%s", FIELD_ARGS(field), text,
                    special ? "finite " : "", special ? "" : hint(text, 0));
  }
  errno = 0;
  double v = strtod(text, NULL);
  /* ERANGE on underflow returns a tiny or zero value, which is fine; overflow is not. */
  if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0) || v < lo || v > hi)
    return qaErrSet(err, QA_EUSER, FIELD_FMT "%s is out of range [%g, %g]", FIELD_ARGS(field), text, lo, hi);
  *out = v;
  return QA_OK;
}

int qaParseSize(const char *text, const char *field, int64_t lo, int64_t hi, int64_t *out, QaErr *err) {
  static const char units[] = "BKMGT";
  char num[64];
  if (!text) text = "";
  size_t n = strlen(text), k = n;
  while (k > 0 && ((text[k - 1] >= 'A' && text[k - 1] <= 'Z') || (text[k - 1] >= 'a' && text[k - 1] <= 'z')))
    k--;
  const char *u = text + k;
  double scale = -1;
  if (!*u || !strcmp(u, "B")) scale = 1;
  for (int i = 1; i < 5 && scale < 0; i++) {
    char a[4] = {units[i], 0}, b[4] = {units[i], 'B', 0}, c[4] = {units[i], 'i', 'B'};
    if (!strcmp(u, a) || !strcmp(u, b) || !strcmp(u, c)) scale = (double)((int64_t)1 << (10 * i));
  }
  if (scale < 0 || k == 0 || k >= sizeof num)
    return qaErrSet(err, QA_EUSER,
                    FIELD_FMT "'%s' is not a size (a number with an optional unit K, M, G or T, e.g. 512M)",
                    FIELD_ARGS(field), text);
  memcpy(num, text, k);
  num[k] = 0;
  double v;
  if (qaParseDouble(num, field, 0, 1e30, &v, err)) return QA_EUSER;
  v *= scale;
  if (v < (double)lo || v > (double)hi)
    return qaErrSet(err, QA_EUSER, FIELD_FMT "%s is out of range [%lld, %lld] bytes", FIELD_ARGS(field), text,
                    (long long)lo, (long long)hi);
  *out = (int64_t)v;
  return QA_OK;
}
