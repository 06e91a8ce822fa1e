/*
** test_parse.c - strict number parsing (base/parse.h; issue 7, issue 13 item 11): what
** is accepted, what is rejected (spaces, signs on unsigned values, exponents in integers,
** empty text, "0x" without digits, nan/inf, overflow), the range checks at the int64 and
** uint64 limits, and that each message names the field and the offending text.
*/
#include "base/parse.h"

#include <float.h>
#include <stdio.h>
#include <string.h>

#include "qatest.h"

static QaErr err;

static int i64(const char *text, int64_t lo, int64_t hi, int64_t *v) {
  err = (QaErr){0, ""};
  return qaParseInt64(text, "--n", lo, hi, v, &err);
}
static int u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *v) {
  err = (QaErr){0, ""};
  return qaParseUint64(text, "--seed", lo, hi, v, &err);
}
static int dbl(const char *text, double lo, double hi, double *v) {
  err = (QaErr){0, ""};
  return qaParseDouble(text, "--zero-frac", lo, hi, v, &err);
}

#define CHECK_MSG_HAS(s) CHECK_MSG(strstr(err.msg, s) != NULL, "message '%s' lacks '%s'", err.msg, s)

static void testInt64(void) {
  int64_t v = 0;
  CHECK(i64("0", INT64_MIN, INT64_MAX, &v) == QA_OK && v == 0);
  CHECK(i64("-12", INT64_MIN, INT64_MAX, &v) == QA_OK && v == -12);
  CHECK(i64("0042", INT64_MIN, INT64_MAX, &v) == QA_OK && v == 42); /* decimal, not octal */
  CHECK(i64("9223372036854775807", INT64_MIN, INT64_MAX, &v) == QA_OK && v == INT64_MAX);
  CHECK(i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v) == QA_OK && v == INT64_MIN);
  CHECK(i64("16", 1, 16, &v) == QA_OK && v == 16);
  CHECK(i64("1", 1, 16, &v) == QA_OK && v == 1);

  /* rejected text leaves *out alone */
  const char *bad[] = {"",    " 5",  "5 ",   "\t5", "+5", "--5", "-", "5x",
                       "1e3", "1.0", "0x10", "abc", " ",  "1 2", NULL};
  for (int i = 0; bad[i]; i++) {
    v = 77;
    CHECK_MSG(i64(bad[i], INT64_MIN, INT64_MAX, &v) == QA_EUSER, "accepted '%s'", bad[i]);
    CHECK(v == 77);
    CHECK_MSG_HAS("--n: '");
    CHECK_MSG_HAS("is not an integer");
  }
  i64(" 5", INT64_MIN, INT64_MAX, &v);
  CHECK_MSG_HAS("(remove the spaces)");
  i64("1e3", INT64_MIN, INT64_MAX, &v);
  CHECK_MSG_HAS("without a fraction or exponent");
  i64("", INT64_MIN, INT64_MAX, &v);
  CHECK_MSG_HAS("empty");

  /* range and overflow */
  CHECK(i64("17", 1, 16, &v) == QA_EUSER);
  CHECK_MSG(!strcmp(err.msg, "--n: 17 is out of range [1, 16]"), "%s", err.msg);
  CHECK(i64("0", 1, 16, &v) == QA_EUSER);
  CHECK(i64("-1", 0, 10, &v) == QA_EUSER);
  CHECK(i64("9223372036854775808", INT64_MIN, INT64_MAX, &v) == QA_EUSER);
  CHECK_MSG_HAS("out of range");
  CHECK(i64("-9223372036854775809", INT64_MIN, INT64_MAX, &v) == QA_EUSER);
  CHECK(i64("99999999999999999999999", 0, 10, &v) == QA_EUSER);
  CHECK_MSG_HAS("99999999999999999999999 is out of range [0, 10]");

  /* no field name, no err */
  CHECK(qaParseInt64("x", NULL, 0, 1, &v, &err) == QA_EUSER);
  CHECK_MSG(!strcmp(err.msg, "'x' is not an integer"), "%s", err.msg);
  CHECK(qaParseInt64("x", "f", 0, 1, &v, NULL) == QA_EUSER);
  CHECK(qaParseInt64(NULL, "f", 0, 1, &v, NULL) == QA_EUSER);
}

static void testUint64(void) {
  uint64_t v = 0;
  CHECK(u64("0", 0, UINT64_MAX, &v) == QA_OK && v == 0);
  CHECK(u64("18446744073709551615", 0, UINT64_MAX, &v) == QA_OK && v == UINT64_MAX);
  CHECK(u64("0x1f", 0, UINT64_MAX, &v) == QA_OK && v == 31);
  CHECK(u64("0XFFFFFFFFFFFFFFFF", 0, UINT64_MAX, &v) == QA_OK && v == UINT64_MAX);
  CHECK(u64("010", 0, UINT64_MAX, &v) == QA_OK && v == 10);

  const char *bad[] = {"",    "-5", " -5", "+5",  "1e3", "0x",  "0x 1",
                       "0xg", " 5", "5 ",  "1.5", "-0",  "nan", NULL};
  for (int i = 0; bad[i]; i++) {
    v = 77;
    CHECK_MSG(u64(bad[i], 0, UINT64_MAX, &v) == QA_EUSER, "accepted '%s'", bad[i]);
    CHECK(v == 77);
    CHECK_MSG_HAS("is not a non-negative integer");
  }
  u64("-5", 0, UINT64_MAX, &v);
  CHECK_MSG(!strcmp(err.msg, "--seed: '-5' is not a non-negative integer"), "%s", err.msg);

  CHECK(u64("18446744073709551616", 0, UINT64_MAX, &v) == QA_EUSER);
  CHECK_MSG_HAS("18446744073709551616 is out of range [0, 18446744073709551615]");
  CHECK(u64("0x10000000000000000", 0, UINT64_MAX, &v) == QA_EUSER);
  CHECK(u64("5", 6, 9, &v) == QA_EUSER);
  CHECK(u64("10", 6, 9, &v) == QA_EUSER);
}

static void testDouble(void) {
  double v = 0;
  CHECK(dbl("0.5", 0, 1, &v) == QA_OK && v == 0.5);
  CHECK(dbl(".5", 0, 1, &v) == QA_OK && v == 0.5);
  CHECK(dbl("1.", 0, 1, &v) == QA_OK && v == 1.0);
  CHECK(dbl("0", 0, 1, &v) == QA_OK && v == 0);
  CHECK(dbl("-0", -1, 1, &v) == QA_OK && v == 0);
  CHECK(dbl("+2.5e-1", 0, 1, &v) == QA_OK && v == 0.25);
  CHECK(dbl("1E2", 0, 1000, &v) == QA_OK && v == 100);
  CHECK(dbl("1e-400", -1, 1, &v) == QA_OK && v >= 0 && v < DBL_MIN); /* underflow: tiny, fine */
  CHECK(dbl("1e308", -DBL_MAX, DBL_MAX, &v) == QA_OK);

  const char *bad[] = {"",  " 0.5", "0.5 ", "nan", "NaN",   "-nan", "inf", "-inf", "Infinity", "0x1p-1",
                       ".", "e5",   "1e",   "1e+", "1.2.3", "0.5x", "--1", "+-1",  "1,5",      NULL};
  for (int i = 0; bad[i]; i++) {
    v = 77;
    CHECK_MSG(dbl(bad[i], -10, 10, &v) == QA_EUSER, "accepted '%s'", bad[i]);
    CHECK(v == 77);
    CHECK_MSG_HAS("--zero-frac: '");
  }
  dbl("nan", 0, 1, &v);
  CHECK_MSG(!strcmp(err.msg, "--zero-frac: 'nan' is not a finite number"), "%s", err.msg);
  dbl("-inf", 0, 1, &v);
  CHECK_MSG_HAS("is not a finite number");
  dbl(" 0.5", 0, 1, &v);
  CHECK_MSG_HAS("is not a number (remove the spaces)");

  CHECK(dbl("2", 0, 1, &v) == QA_EUSER);
  CHECK_MSG(!strcmp(err.msg, "--zero-frac: 2 is out of range [0, 1]"), "%s", err.msg);
  CHECK(dbl("-0.001", 0, 1, &v) == QA_EUSER);
  CHECK(dbl("1e309", -DBL_MAX, DBL_MAX, &v) == QA_EUSER);
  CHECK_MSG_HAS("1e309 is out of range");
  CHECK(dbl("-1e309", -DBL_MAX, DBL_MAX, &v) == QA_EUSER);
}

int main(void) {
  testInt64();
  testUint64();
  testDouble();
  return TEST_DONE();
}
