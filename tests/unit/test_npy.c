/*
** test_npy.c - the .npy reader/writer: round trips of every dtype and shape class, the
** numpy header layout (64-byte data alignment, byte-identical to np.save), fixtures in
** tests/data/npy/, header dialects the reader must accept, and one hand-crafted file per
** error class with its message.
*/
#define _POSIX_C_SOURCE 200809L
#include "base/npy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qatest.h"

static const char *tmpPath(const char *name) {
  static char buf[4][1024];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/npy_%s", QA_TEST_TMP, name);
  return buf[k];
}

static const char *dataPath(const char *name) {
  static char buf[1024];
  snprintf(buf, sizeof buf, "%s/npy/%s", QA_TEST_DATA, name);
  return buf;
}

static void writeBytes(const char *path, const void *buf, size_t n) {
  FILE *f = fopen(path, "wb");
  CHECK_MSG(f != NULL, "cannot create %s", path);
  if (!f) return;
  CHECK(fwrite(buf, 1, n, f) == n);
  fclose(f);
}

/* Read a whole file; returns its length (0 on failure) and a malloc'd buffer. */
static size_t readBytes(const char *path, unsigned char **out) {
  char *buf = NULL;
  size_t n = 0;
  QaErr err = {0};
  *out = NULL;
  if (qaReadFile(path, &buf, &n, &err) != QA_OK) return 0;
  *out = (unsigned char *)buf;
  return n;
}

/* Build a .npy file image: magic, version major.0, header length (uint16 for 1, else uint32),
** the dict text, then (if align) spaces and '\n' to a 64-byte boundary, else just '\n'. */
static size_t craft(unsigned char *buf, int major, const char *dict, int align, const void *data,
                    size_t data_len) {
  size_t prefix = major == 1 ? 10 : 12, n = strlen(dict);
  memcpy(buf, "\x93NUMPY", 6);
  buf[6] = (unsigned char)major;
  buf[7] = 0;
  memcpy(buf + prefix, dict, n);
  size_t hlen = n + 1;
  while (align && (prefix + hlen) % 64) buf[prefix + hlen++ - 1] = ' ';
  buf[prefix + hlen - 1] = '\n';
  for (size_t i = 0; i < prefix - 8; i++) buf[8 + i] = (unsigned char)(hlen >> (8 * i));
  if (data_len) memcpy(buf + prefix + hlen, data, data_len);
  return prefix + hlen + data_len;
}

static int contains(const unsigned char *buf, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= n; i++)
    if (!memcmp(buf + i, needle, k)) return 1;
  return 0;
}

static QaArray *readOk(const char *path) {
  QaArray *a = NULL;
  QaErr err = {0};
  int rc = qaNpyRead(path, &a, &err);
  CHECK_MSG(rc == QA_OK && a != NULL, "%s: rc %d: %s", path, rc, err.msg);
  return rc == QA_OK ? a : NULL;
}

/* Write raw bytes to tmp/<name>, read them back and expect QA_EUSER with a one-line message
** naming the file and containing `word`. */
static void expectBytesErr(const char *name, const void *bytes, size_t n, const char *word) {
  const char *path = tmpPath(name);
  QaArray *a = (QaArray *)1;
  QaErr err = {0};
  writeBytes(path, bytes, n);
  int rc = qaNpyRead(path, &a, &err);
  CHECK_MSG(rc == QA_EUSER, "%s: rc %d (%s)", name, rc, err.msg);
  CHECK_MSG(a == NULL, "%s: *out not cleared", name);
  CHECK_MSG(strstr(err.msg, path) != NULL, "%s: message lacks the path: %s", name, err.msg);
  CHECK_MSG(strstr(err.msg, word) != NULL, "%s: message lacks \"%s\": %s", name, word, err.msg);
  CHECK_MSG(strchr(err.msg, '\n') == NULL, "%s: message is not one line: %s", name, err.msg);
  qaArrayDestroy(a == (QaArray *)1 ? NULL : a);
}

static void expectErr(const char *name, int major, const char *dict, size_t data_len, const char *word) {
  static unsigned char buf[1 << 16];
  unsigned char data[64] = {0};
  expectBytesErr(name, buf, craft(buf, major, dict, 1, data, data_len), word);
}

static void testDtypes(void) {
  CHECK_EQ_I64(qaDtypeSize(QA_DT_F32), 4);
  CHECK_EQ_I64(qaDtypeSize(QA_DT_F64), 8);
  CHECK_EQ_I64(qaDtypeSize(QA_DT_I8), 1);
  CHECK_EQ_I64(qaDtypeSize(QA_DT_I16), 2);
  CHECK_EQ_I64(qaDtypeSize(QA_DT_I32), 4);
  CHECK_EQ_I64(qaDtypeSize(QA_DT_U8), 1);
  CHECK_EQ_I64(qaDtypeSize((QaDtype)99), 0);
  CHECK(!strcmp(qaDtypeName(QA_DT_F32), "<f4"));
  CHECK(!strcmp(qaDtypeName(QA_DT_F64), "<f8"));
  CHECK(!strcmp(qaDtypeName(QA_DT_I8), "|i1"));
  CHECK(!strcmp(qaDtypeName(QA_DT_I16), "<i2"));
  CHECK(!strcmp(qaDtypeName(QA_DT_I32), "<i4"));
  CHECK(!strcmp(qaDtypeName(QA_DT_U8), "|u1"));
}

/* Every dtype at 0-d, 1-element, 1-d, 2-d, 3-d, zero-size and 8-d shapes; checks the data,
** the header layout (version 1.0, data offset % 64 == 0, '\n' before the data) and that no
** .tmp file is left behind. */
static void testRoundTrip(void) {
  static const struct {
    int ndim;
    int64_t shape[QA_NPY_MAX_DIMS];
  } shapes[] = {{0, {0}},       {1, {1}},    {1, {7}},      {2, {2, 3}},
                {3, {2, 3, 4}}, {2, {0, 3}}, {1, {100000}}, {8, {1, 1, 2, 1, 1, 1, 3, 1}}};
  static unsigned char src[800000];
  for (size_t i = 0; i < sizeof src; i++) src[i] = (unsigned char)(i * 37 + 11);
  for (int dt = QA_DT_F32; dt <= QA_DT_U8; dt++) {
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
      const char *path = tmpPath("roundtrip.npy");
      QaErr err = {0};
      int rc = qaNpyWrite(path, (QaDtype)dt, shapes[s].ndim, shapes[s].shape, src, &err);
      CHECK_MSG(rc == QA_OK, "dt %d shape %zu: %s", dt, s, err.msg);
      CHECK(access(tmpPath("roundtrip.npy.tmp"), F_OK) != 0);
      int64_t count = 1;
      for (int d = 0; d < shapes[s].ndim; d++) count *= shapes[s].shape[d];
      size_t nbytes = (size_t)count * qaDtypeSize((QaDtype)dt);

      unsigned char *raw = NULL;
      size_t n = readBytes(path, &raw);
      CHECK(n > 10 && raw && !memcmp(raw, "\x93NUMPY\x01\x00", 8));
      if (raw && n > 10) {
        size_t off = 10 + (size_t)(raw[8] | raw[9] << 8);
        CHECK_MSG(off % 64 == 0, "data offset %zu not 64-aligned", off);
        CHECK(off <= n && raw[off - 1] == '\n');
        CHECK_EQ_I64(n, off + nbytes);
        char want[32];
        snprintf(want, sizeof want, "'descr': '%s'", qaDtypeName((QaDtype)dt));
        CHECK(contains(raw, off, want));
      }
      free(raw);

      QaArray *a = readOk(path);
      if (!a) continue;
      CHECK_EQ_I64(a->dtype, dt);
      CHECK_EQ_I64(a->ndim, shapes[s].ndim);
      CHECK_EQ_I64(a->count, count);
      for (int d = 0; d < shapes[s].ndim; d++) CHECK_EQ_I64(a->shape[d], shapes[s].shape[d]);
      CHECK(nbytes == 0 || !memcmp(a->data, src, nbytes));
      qaArrayDestroy(a);
    }
  }
  qaArrayDestroy(NULL);
}

/* The writer reproduces np.save byte for byte (fixtures made as numpy writes them). */
static void testWriterMatchesNumpy(void) {
  static const float f4[6] = {0, 1.5f, -2, 3.25f, 100, -0.125f};
  static const int16_t i2[4] = {-32768, -1, 0, 32767};
  static const double f8 = 3.141592653589793;
  static const struct {
    const char *fixture;
    QaDtype dt;
    int ndim;
    int64_t shape[2];
    const void *data;
  } cases[] = {{"f4_2x3.npy", QA_DT_F32, 2, {2, 3}, f4},
               {"i2_4.npy", QA_DT_I16, 1, {4}, i2},
               {"f8_0d.npy", QA_DT_F64, 0, {0}, &f8}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const char *out = tmpPath(cases[c].fixture);
    QaErr err = {0};
    CHECK_MSG(qaNpyWrite(out, cases[c].dt, cases[c].ndim, cases[c].shape, cases[c].data, &err) == QA_OK, "%s",
              err.msg);
    unsigned char *want = NULL, *got = NULL;
    size_t nw = readBytes(dataPath(cases[c].fixture), &want), ng = readBytes(out, &got);
    CHECK_MSG(nw > 0 && nw == ng && !memcmp(want, got, nw), "%s differs from the numpy-written fixture",
              cases[c].fixture);
    free(want);
    free(got);
  }
}

static void testFixtures(void) {
  QaArray *a = readOk(dataPath("f4_2x3.npy"));
  if (a) {
    CHECK(a->dtype == QA_DT_F32 && a->ndim == 2 && a->shape[0] == 2 && a->shape[1] == 3 && a->count == 6);
    const float *v = a->data;
    CHECK(v[0] == 0 && v[1] == 1.5f && v[2] == -2 && v[3] == 3.25f && v[4] == 100 && v[5] == -0.125f);
    qaArrayDestroy(a);
  }
  if ((a = readOk(dataPath("i2_4.npy")))) {
    const int16_t *v = a->data;
    CHECK(a->dtype == QA_DT_I16 && a->ndim == 1 && a->shape[0] == 4);
    CHECK(v[0] == -32768 && v[1] == -1 && v[2] == 0 && v[3] == 32767);
    qaArrayDestroy(a);
  }
  if ((a = readOk(dataPath("f8_0d.npy")))) {
    CHECK(a->dtype == QA_DT_F64 && a->ndim == 0 && a->count == 1);
    CHECK(*(const double *)a->data == 3.141592653589793);
    qaArrayDestroy(a);
  }
  if ((a = readOk(dataPath("u1_v2.npy")))) { /* version 2.0, written by write_array(version=(2, 0)) */
    const uint8_t *v = a->data;
    CHECK(a->dtype == QA_DT_U8 && a->ndim == 1 && a->shape[0] == 5);
    CHECK(v[0] == 0 && v[1] == 1 && v[2] == 127 && v[3] == 128 && v[4] == 255);
    qaArrayDestroy(a);
  }
  QaErr err = {0};
  a = NULL;
  CHECK(qaNpyRead(dataPath("f4_fortran.npy"), &a, &err) == QA_EUSER && a == NULL);
  CHECK_MSG(strstr(err.msg, "f4_fortran.npy: Fortran-ordered arrays are not supported") &&
                strstr(err.msg, "np.ascontiguousarray(a)"),
            "%s", err.msg);
  CHECK(qaNpyRead(dataPath("f4_bigendian.npy"), &a, &err) == QA_EUSER && a == NULL);
  CHECK_MSG(strstr(err.msg, "f4_bigendian.npy") && strstr(err.msg, "a.astype('<f4')"), "%s", err.msg);
}

/* Header dialects the reader must accept: other key orders, double quotes, no trailing
** comma, extra spaces, no 64-byte alignment, '<i1'/'<u1', Python 2 longs, v2.0 and v3.0. */
static void testHeaderDialects(void) {
  static unsigned char buf[4096];
  const int32_t i4[6] = {1, -2, 3, -4, 5, -6};
  const unsigned char b[4] = {0x80, 0x7f, 1, 0xff};
  static const struct {
    int major, align;
    const char *dict;
    QaDtype dt;
    int ndim;
    int64_t s0, s1;
  } cases[] = {
      {1, 0, "{\"shape\": (2, 3), \"fortran_order\": False, \"descr\": \"<i4\"}", QA_DT_I32, 2, 2, 3},
      {1, 1, "{ 'fortran_order' : False , 'descr' : '<i4' , 'shape' : ( 2 ,3 , ) , }", QA_DT_I32, 2, 2, 3},
      {1, 0, "{'descr':'<i4','fortran_order':False,'shape':(6L,)}", QA_DT_I32, 1, 6, 0},
      {2, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3, 2), }", QA_DT_I32, 2, 3, 2},
      {3, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (6,), }", QA_DT_I32, 1, 6, 0},
      {1, 1, "{'descr': '<i1', 'fortran_order': False, 'shape': (4,), }", QA_DT_I8, 1, 4, 0},
      {1, 1, "{'descr': '<u1', 'fortran_order': False, 'shape': (2, 2), }", QA_DT_U8, 2, 2, 2},
      {1, 1, "{'descr': '|i1',\n 'fortran_order': False,\n 'shape': (4,)\n}", QA_DT_I8, 1, 4, 0},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const void *data = qaDtypeSize(cases[c].dt) == 4 ? (const void *)i4 : (const void *)b;
    size_t nbytes = qaDtypeSize(cases[c].dt) == 4 ? sizeof i4 : sizeof b;
    const char *path = tmpPath("dialect.npy");
    writeBytes(path, buf, craft(buf, cases[c].major, cases[c].dict, cases[c].align, data, nbytes));
    QaArray *a = readOk(path);
    CHECK_MSG(a != NULL, "dialect %zu: %s", c, cases[c].dict);
    if (!a) continue;
    CHECK_EQ_I64(a->dtype, cases[c].dt);
    CHECK_EQ_I64(a->ndim, cases[c].ndim);
    CHECK_EQ_I64(a->shape[0], cases[c].s0);
    if (cases[c].ndim == 2) CHECK_EQ_I64(a->shape[1], cases[c].s1);
    CHECK(!memcmp(a->data, data, nbytes));
    qaArrayDestroy(a);
  }
  /* zero-size array: no data bytes at all */
  const char *path = tmpPath("empty.npy");
  writeBytes(path, buf,
             craft(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", 1, NULL, 0));
  QaArray *a = readOk(path);
  if (a) CHECK(a->count == 0 && a->ndim == 2 && a->shape[1] == 5);
  qaArrayDestroy(a);
}

static void testReadErrors(void) {
  static unsigned char buf[4096];
  const char *ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  size_t n;

  /* file-level problems */
  QaArray *a = NULL;
  QaErr err = {0};
  CHECK(qaNpyRead(tmpPath("does_not_exist.npy"), &a, &err) == QA_EUSER && a == NULL);
  CHECK(strstr(err.msg, "does_not_exist.npy") && strstr(err.msg, "cannot open"));
  n = craft(buf, 1, ok, 1, NULL, 0);
  buf[5] = 'Z';
  expectBytesErr("bad_magic.npy", buf, n + 24, "magic");
  expectBytesErr("short.npy", "\x93NUM", 4, "magic");
  expectBytesErr("text.npy", "a,b,c\n1,2,3\n", 12, "not a .npy file");
  n = craft(buf, 1, ok, 1, NULL, 0);
  buf[6] = 4;
  expectBytesErr("version4.npy", buf, n + 24, "version 4.0");
  n = craft(buf, 1, ok, 1, NULL, 0);
  expectBytesErr("header_cut.npy", buf, 40, "header length 118 exceeds the file size (40 bytes)");
  n = craft(buf, 2, ok, 1, NULL, 0);
  buf[11] = 0x10; /* v2.0 length of 256 MiB */
  expectBytesErr("header_huge.npy", buf, n, "exceeds the file size");
  expectBytesErr("lenfield_cut.npy", "\x93NUMPY\x02\x00\x10", 9, "truncated");

  /* data size */
  expectErr("truncated.npy", 1, ok, 20, "expected 24 bytes of data, file has 20");
  expectErr("trailing.npy", 1, ok, 28, "expected 24 bytes of data, file has 28 (trailing");
  expectErr("huge_dim_small_file.npy", 1,
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), }", 0,
            "expected 4000000000000 bytes of data, file has 0");

  /* layout, byte order, dtype */
  expectErr("fortran.npy", 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24,
            "Fortran-ordered arrays are not supported; save with np.ascontiguousarray(a)");
  expectErr("big_f4.npy", 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", 24,
            "big-endian dtype '>f4' is not supported; convert with a.astype('<f4')");
  expectErr("big_i2.npy", 1, "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }", 4,
            "a.astype('<i2')");
  expectErr("i8.npy", 1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", 8,
            "unsupported dtype '<i8' (supported: <f4, <f8, |i1, <i2, <i4, |u1)");
  expectErr("bool.npy", 1, "{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }", 1,
            "unsupported dtype '|b1'");
  expectErr("structured.npy", 1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4,
            "structured dtypes are not supported");

  /* shape */
  expectErr("negative.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", 0,
            "dimension 1 of the .npy shape is negative");
  expectErr("huge_dim.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
            0, "too large");
  expectErr("overflow.npy", 1,
            "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 0,
            "overflows the element count");
  expectErr("overflow_bytes.npy", 1,
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,), }", 0, "overflows");
  expectErr("ndim9.npy", 1,
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 1, 1, 1, 1, 1), }", 4,
            "too many dimensions");
  expectErr("not_tuple.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3), }", 12, "(n,)");
  expectErr("shape_list.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': [3], }", 12,
            "shape tuple");
  expectErr("shape_float.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3.0,), }", 12,
            "',' or ')'");

  /* dict syntax */
  expectErr("missing_key.npy", 1, "{'descr': '<f4', 'fortran_order': False, }", 4, "lacks the 'shape' key");
  expectErr("dup_key.npy", 1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4,
            "duplicate key 'descr'");
  expectErr("unknown_key.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1, }", 4,
            "unexpected key 'extra'");
  expectErr("bad_bool.npy", 1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }", 4, "True or False");
  expectErr("bad_bool2.npy", 1, "{'descr': '<f4', 'fortran_order': Falsey, 'shape': (1,), }", 4,
            "True or False");
  expectErr("no_brace.npy", 1, "'descr': '<f4', 'fortran_order': False, 'shape': (1,)", 4, "expected '{'");
  expectErr("unclosed.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)", 4,
            "expected ',' or '}' at the end of the header");
  expectErr("after_brace.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } x", 4,
            "only padding after '}'");
  expectErr("open_quote.npy", 1, "{'descr: '<f4', 'fortran_order': False, 'shape': (1,), }", 4,
            "expected ':' near \"<f4', 'fortran_order\" at offset 10");
  expectErr("no_quote_end.npy", 1, "{'descr", 4, "closing quote");
  expectErr("no_colon.npy", 1, "{'descr' '<f4', 'fortran_order': False, 'shape': (1,), }", 4, "expected ':'");
  n = craft(buf, 1, ok, 1, NULL, 0);
  buf[30] = 0;
  expectBytesErr("nul.npy", buf, n + 24, "NUL");
}

static void testWriteErrors(void) {
  QaErr err = {0};
  const float v[4] = {1, 2, 3, 4};
  const int64_t shape[QA_NPY_MAX_DIMS + 1] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  const char *bad = QA_TEST_TMP "/no_such_dir/out.npy";
  CHECK(qaNpyWrite(bad, QA_DT_F32, 1, shape, v, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, bad) && strstr(err.msg, "cannot create"), "%s", err.msg);
  CHECK(qaNpyWrite(tmpPath("w9.npy"), QA_DT_F32, QA_NPY_MAX_DIMS + 1, shape, v, &err) == QA_EUSER);
  CHECK(strstr(err.msg, "w9.npy") && strstr(err.msg, "at most 8"));
  const int64_t neg[2] = {2, -2};
  CHECK(qaNpyWrite(tmpPath("wneg.npy"), QA_DT_F32, 2, neg, v, &err) == QA_EUSER);
  CHECK(strstr(err.msg, "wneg.npy") && strstr(err.msg, "negative"));
  CHECK(qaNpyWrite(tmpPath("wdt.npy"), (QaDtype)42, 1, shape, v, &err) == QA_EINTERNAL);
  CHECK(qaNpyWrite(tmpPath("wnull.npy"), QA_DT_F32, 1, shape, NULL, &err) == QA_EINTERNAL);
  CHECK(access(tmpPath("wneg.npy"), F_OK) != 0 && access(tmpPath("wnull.npy.tmp"), F_OK) != 0);

  /* overwriting an existing file replaces it whole */
  const char *path = tmpPath("overwrite.npy");
  const int64_t s4[1] = {4}, s1[1] = {1};
  CHECK(qaNpyWrite(path, QA_DT_F32, 1, s4, v, &err) == QA_OK);
  CHECK(qaNpyWrite(path, QA_DT_F32, 1, s1, v + 3, &err) == QA_OK);
  QaArray *a = readOk(path);
  if (a) CHECK(a->count == 1 && ((const float *)a->data)[0] == 4);
  qaArrayDestroy(a);
}

static void testToFloat(void) {
  QaErr err = {0};
  float *f = NULL;
  float f4[20];
  for (int i = 0; i < 20; i++) f4[i] = (float)i * 0.5f;
  QaArray a = {QA_DT_F32, 2, {4, 5}, 20, f4};
  CHECK(qaArrayToFloat(&a, "w.npy", &f, &err) == QA_OK && f && f[19] == 9.5f);
  free(f);
  f4[17] = NAN;
  CHECK(qaArrayToFloat(&a, "x.npy", &f, &err) == QA_EUSER && f == NULL);
  CHECK_MSG(strstr(err.msg, "x.npy: value at flat index 17 is NaN;"), "%s", err.msg);
  f4[17] = 1;
  f4[3] = INFINITY;
  CHECK(qaArrayToFloat(&a, "x.npy", &f, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "flat index 3 is +Inf"), "%s", err.msg);

  double f8[4] = {0.1, -2.5, 1e300, -INFINITY};
  QaArray b = {QA_DT_F64, 1, {4}, 2, f8};
  CHECK(qaArrayToFloat(&b, "d.npy", &f, &err) == QA_OK && f && f[0] == (float)0.1 && f[1] == -2.5f);
  free(f);
  b.count = 3;
  CHECK(qaArrayToFloat(&b, "d.npy", &f, &err) == QA_EUSER &&
        strstr(err.msg, "index 2 is outside the float32 range"));
  f8[2] = 0;
  b.count = 4;
  CHECK(qaArrayToFloat(&b, "d.npy", &f, &err) == QA_EUSER && strstr(err.msg, "index 3 is -Inf"));

  int8_t i1[3] = {-128, 0, 127};
  int16_t i2[2] = {-32768, 32767};
  int32_t i4[2] = {INT32_MIN, 16777216};
  uint8_t u1[2] = {0, 255};
  QaArray c1 = {QA_DT_I8, 1, {3}, 3, i1}, c2 = {QA_DT_I16, 1, {2}, 2, i2}, c4 = {QA_DT_I32, 1, {2}, 2, i4},
          cu = {QA_DT_U8, 1, {2}, 2, u1};
  CHECK(qaArrayToFloat(&c1, "i1", &f, &err) == QA_OK && f[0] == -128 && f[1] == 0 && f[2] == 127);
  free(f);
  CHECK(qaArrayToFloat(&c2, "i2", &f, &err) == QA_OK && f[0] == -32768 && f[1] == 32767);
  free(f);
  CHECK(qaArrayToFloat(&c4, "i4", &f, &err) == QA_OK && f[0] == -2147483648.0f && f[1] == 16777216.0f);
  free(f);
  CHECK(qaArrayToFloat(&cu, "u1", &f, &err) == QA_OK && f[0] == 0 && f[1] == 255);
  free(f);
  QaArray e = {QA_DT_F32, 1, {0}, 0, f4};
  CHECK(qaArrayToFloat(&e, "e", &f, &err) == QA_OK && f != NULL);
  free(f);
}

static void testCheckShape(void) {
  QaErr err = {0};
  QaArray a = {QA_DT_F32, 4, {64, 3, 7, 7}, 64 * 3 * 49, NULL};
  const int64_t same[4] = {64, 3, 7, 7}, other[4] = {64, 3, 5, 5};
  CHECK(qaArrayCheckShape(&a, 4, same, "conv1.npy", &err) == QA_OK);
  CHECK(qaArrayCheckShape(&a, 4, other, "conv1.npy", &err) == QA_EUSER);
  CHECK_MSG(
      strstr(err.msg, "conv1.npy") && strstr(err.msg, "(64, 3, 7, 7)") && strstr(err.msg, "(64, 3, 5, 5)"),
      "%s", err.msg);
  CHECK(qaArrayCheckShape(&a, 3, same, "conv1.npy", &err) == QA_EUSER && strstr(err.msg, "(64, 3, 7)"));
  QaArray v = {QA_DT_F32, 1, {3}, 3, NULL}, s = {QA_DT_F32, 0, {0}, 1, NULL};
  CHECK(qaArrayCheckShape(&v, 0, same, "b.npy", &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "shape (3,) does not match the expected ()"), "%s", err.msg);
  CHECK(qaArrayCheckShape(&s, 0, NULL, "s.npy", &err) == QA_OK);
}

int main(void) {
  testDtypes();
  testRoundTrip();
  testWriterMatchesNumpy();
  testFixtures();
  testHeaderDialects();
  testReadErrors();
  testWriteErrors();
  testToFloat();
  testCheckShape();
  return TEST_DONE();
}
