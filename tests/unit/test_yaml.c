/*
** test_yaml.c - base/yaml.h and base/strbuf.h (issue 7 item 7, issue 13): loading from
** files and strings, every guard against libfyaml 0.7.12's bugs and against abuse (each
** with a file under tests/data/yaml/), the typed getters, known-key mappings with
** suggestions, the string builder, and qaReadFile on directories and FIFOs.
** Every error message is checked to be one line "NAME:LINE:COL: ..." without raw control
** bytes. A hang fails the test through alarm() instead of blocking ctest.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/strbuf.h"
#include "base/yaml.h"
#include "qatest.h"

#define DATA QA_TEST_DATA "/yaml/"

/* No byte below 0x20 (newline included) and no DEL in a message. */
static int clean(const char *msg) {
  for (const unsigned char *p = (const unsigned char *)msg; *p; p++)
    if (*p < 0x20 || *p == 0x7F) return 0;
  return 1;
}

/* Load FILE (under DATA) or, if text is given, the string named FILE; expect QA_EUSER with a
** message starting "NAME:LINE:COL: " and containing NEEDLE. */
static void expectBad(const char *file, const char *text, int line, int col, const char *needle) {
  char path[512], prefix[600];
  QaYamlDoc *doc = (QaYamlDoc *)&doc;
  QaErr err = {0, ""};
  int rc;
  if (text) {
    snprintf(path, sizeof path, "%s", file);
    rc = qaYamlLoadString(path, text, strlen(text), &doc, &err);
  } else {
    snprintf(path, sizeof path, "%s%s", DATA, file);
    rc = qaYamlLoadFile(path, NULL, &doc, &err);
  }
  snprintf(prefix, sizeof prefix, "%s:%d:%d: ", path, line, col);
  CHECK_MSG(rc == QA_EUSER, "%s: rc %d (%s)", file, rc, err.msg);
  CHECK_MSG(doc == NULL, "%s: doc not NULL", file);
  CHECK_MSG(strncmp(err.msg, prefix, strlen(prefix)) == 0, "%s: '%s' does not start '%s'", file, err.msg,
            prefix);
  CHECK_MSG(strstr(err.msg, needle) != NULL, "%s: '%s' not in '%s'", file, needle, err.msg);
  CHECK_MSG(clean(err.msg), "%s: raw control bytes in '%s'", file, err.msg);
}

static QaYamlDoc *loadText(const char *text) {
  QaYamlDoc *doc = NULL;
  QaErr err = {0, ""};
  int rc = qaYamlLoadString("t.yaml", text, strlen(text), &doc, &err);
  CHECK_MSG(rc == QA_OK && doc, "rc %d: %s", rc, err.msg);
  return doc;
}

/* ---- issue 13: libfyaml bugs and abuse --------------------------------------------------- */

static void testDirectives(void) {
  /* libfyaml 0.7.12 loops forever on these bytes: a hang here kills the test (SIGALRM) */
  alarm(10);
  expectBad("directive_hang.yaml", NULL, 1, 1, "YAML directives (%...) are not supported");
  expectBad("directive_bom.yaml", NULL, 1, 1, "YAML directives (%...) are not supported");
  expectBad("directive_line3.yaml", NULL, 3, 1, "YAML directives (%...) are not supported");
  expectBad("s", "a: 1\r%\xff\n", 2, 1, "YAML directives"); /* CR alone ends a line too */
  alarm(0);
  /* '%' elsewhere is ordinary text */
  QaYamlDoc *doc = loadText("a: '%'\nb: x%\nc: \"\n  %\"\n");
  if (doc) CHECK(!strcmp(qaYamlScalar(qaYamlLookup(qaYamlRoot(doc), "b")), "x%"));
  qaYamlDestroy(doc);
}

static void testBytes(void) {
  expectBad("not_utf8.yaml", NULL, 2, 10, "a byte that is not valid UTF-8 (\\xE9)");
  expectBad("control_char.yaml", NULL, 2, 8, "control character \\x01 (U+0001) is not allowed");
  expectBad("s", "a: \xc0\xaf\n", 1, 4, "not valid UTF-8 (\\xC0)");                /* overlong '/' */
  expectBad("s", "a: \xed\xa0\x80\n", 1, 4, "not valid UTF-8 (\\xED)");            /* a surrogate */
  expectBad("s", "a: b\xc2\x85\n", 1, 5, "control character \\xC2\\x85 (U+0085)"); /* NEL */
  expectBad("s", "a: \xe2\x80\xa8\n", 1, 4, "(U+2028)");
  expectBad("s", "a: x\n\xef\xbb\xbf\n", 2, 1, "byte-order mark");
  expectBad("s", "a: 1\x7f\n", 1, 5, "\\x7F");
  static const char nul[] = "a: 1\0b: 2\n";
  QaYamlDoc *doc = NULL;
  QaErr err = {0, ""};
  CHECK(qaYamlLoadString("nul", nul, sizeof nul - 1, &doc, &err) == QA_EUSER && !doc);
  CHECK_MSG(strstr(err.msg, "nul:1:5: control character \\x00"), "%s", err.msg);
  /* tab, CRLF, a leading BOM and UTF-8 text are fine; columns count characters */
  doc = loadText(
      "\xef\xbb\xbf"
      "k:\t\"h\xc3\xa9\"\r\n\xc3\xa9t\xc3\xa9: [1,\t2]\r\n");
  if (doc) {
    const QaYamlNode *v = qaYamlLookup(qaYamlRoot(doc), "\xc3\xa9t\xc3\xa9");
    CHECK(qaYamlKind(v) == QA_YAML_SEQ && qaYamlLine(v) == 2 && qaYamlColumn(v) == 6);
    CHECK(!strcmp(qaYamlScalar(qaYamlLookup(qaYamlRoot(doc), "k")), "h\xc3\xa9"));
  }
  qaYamlDestroy(doc);
  /* escapes inside quotes can make control characters: kept in the data, escaped in messages */
  doc = loadText("\"a\\x01\\nb\": 1\nname: \"x\\ty\"\n");
  if (doc) {
    const char *const keys[] = {"name"};
    QaYamlField f[1];
    err.msg[0] = 0;
    CHECK(qaYamlReadMap(qaYamlRoot(doc), "at the top level", keys, 1, f, &err) == QA_EUSER);
    CHECK_MSG(clean(err.msg) && strstr(err.msg, "t.yaml:1:1: unknown key 'a\\x01\\x0Ab'"), "%s", err.msg);
    char s[16];
    CHECK(qaYamlGetStr(qaYamlLookup(qaYamlRoot(doc), "name"), "key 'name'", s, sizeof s, &err) == QA_EUSER);
    CHECK_MSG(clean(err.msg) && strstr(err.msg,
                                       "t.yaml:2:7: key 'name' must be one line without control "
                                       "characters (got 'x\\x09y')"),
              "%s", err.msg);
  }
  qaYamlDestroy(doc);
  /* a C1 control made by an escape is refused as a name; other UTF-8 text is fine */
  doc = loadText("a: \"x\\x85\"\nb: caf\xc3\xa9\n");
  if (doc) {
    char s[16];
    CHECK(qaYamlGetStr(qaYamlLookup(qaYamlRoot(doc), "a"), "a", s, sizeof s, &err) == QA_EUSER);
    CHECK_MSG(clean(err.msg) && strstr(err.msg, "(got 'x\\xC2\\x85')"), "%s", err.msg);
    CHECK(qaYamlGetStr(qaYamlLookup(qaYamlRoot(doc), "b"), "b", s, sizeof s, &err) == QA_OK &&
          !strcmp(s, "caf\xc3\xa9"));
  }
  qaYamlDestroy(doc);
  expectBad("s", "a: \"x\\0y\"\n", 1, 4, "NUL character");
}

static void testDocuments(void) {
  expectBad("second_doc.yaml", NULL, 2, 1, "a second YAML document is not allowed");
  expectBad("second_doc_implicit.yaml", NULL, 3, 1, "a second YAML document is not allowed");
  /* one explicit document, with or without an end marker, is fine; so is an empty one */
  QaYamlDoc *doc = loadText("---\na: 1\n...\n");
  if (doc) CHECK(qaYamlCount(qaYamlRoot(doc)) == 1);
  qaYamlDestroy(doc);
  doc = loadText("# only a comment\n");
  if (doc) CHECK(qaYamlRoot(doc) == NULL);
  QaErr err = {0, ""};
  if (doc) CHECK(qaYamlFailDoc(doc, &err, "empty") == QA_EUSER && !strcmp(err.msg, "t.yaml:1:1: empty"));
  qaYamlDestroy(doc);
  expectBad("s", "a: [1, 2\n", 2, 1, "YAML syntax error: ");
}

static void testAliases(void) {
  double t0 = qaNowSeconds();
  expectBad("alias_bomb.yaml", NULL, 7, 36, "YAML aliases expand to more than 100000 nodes");
  double bomb_s = qaNowSeconds() - t0;
  printf("alias bomb refused in %.2f ms\n", bomb_s * 1e3);
  CHECK_MSG(bomb_s < 0.5, "alias bomb took %.3f s", bomb_s);
  expectBad("alias_recursive.yaml", NULL, 3, 6, "alias '*loop' refers to a node that contains it");
  expectBad("s", "a: *nope\n", 1, 4, "alias '*nope' has no anchor '&nope' before it");
  /* the number of alias references is capped on its own */
  QaStrBuf b;
  qaStrBufInit(&b);
  qaStrBufAppend(&b, "a: &a x\nb:\n");
  for (int i = 0; i < QA_YAML_ALIASES_MAX + 1; i++) qaStrBufAppend(&b, "  - *a\n");
  CHECK(qaStrBufCheck(&b, NULL) == QA_OK);
  expectBad("aliases", qaStrBufText(&b), 3 + QA_YAML_ALIASES_MAX, 5, "more than 10000 YAML alias references");
  qaStrBufFree(&b);

  /* aliases resolve transparently; the alias site's position is reported */
  QaYamlDoc *doc = loadText("a: &x {k: 5}\nb: *x\nc: &n 12\nd: [*n, 3]\n");
  if (!doc) return;
  const QaYamlNode *root = qaYamlRoot(doc), *bv = qaYamlLookup(root, "b");
  CHECK(qaYamlKind(bv) == QA_YAML_MAP && qaYamlCount(bv) == 1 && qaYamlLine(bv) == 2 &&
        qaYamlColumn(bv) == 4);
  int v = 0;
  QaErr err = {0, ""};
  CHECK(qaYamlGetInt(qaYamlLookup(bv, "k"), "k", 0, 9, &v, &err) == QA_OK && v == 5);
  const QaYamlNode *d0 = qaYamlItem(qaYamlLookup(root, "d"), 0);
  CHECK(qaYamlGetInt(d0, "d[0]", 0, 9, &v, &err) == QA_EUSER);
  CHECK_MSG(!strcmp(err.msg, "t.yaml:4:5: d[0] = 12 is out of range [0, 9]"), "%s", err.msg);
  int two[2];
  CHECK(qaYamlGetInts(qaYamlLookup(root, "d"), "d", 2, 0, 99, 0, two, NULL, &err) == QA_OK && two[0] == 12);
  qaYamlDestroy(doc);
}

/* "k0: 0\nk1: 1\n..." with n keys. */
static char *manyKeys(int n) {
  QaStrBuf b;
  qaStrBufInit(&b);
  for (int i = 0; i < n; i++) qaStrBufAppendf(&b, "key_%d: %d\n", i, i);
  char *s = b.oom ? NULL : b.s;
  if (!s) qaStrBufFree(&b);
  return s;
}

static void testSizes(void) {
  /* libfyaml's own duplicate-key check took 15 s on 10,000 keys; ours is a hash set */
  char *text = manyKeys(10000);
  CHECK(text != NULL);
  if (!text) return;
  double t0 = qaNowSeconds();
  QaYamlDoc *doc = loadText(text);
  double s10k = qaNowSeconds() - t0;
  printf("10,000-key mapping parsed in %.1f ms\n", s10k * 1e3);
  CHECK_MSG(s10k < 0.5, "10,000 keys took %.3f s", s10k);
  if (doc) {
    const QaYamlNode *root = qaYamlRoot(doc);
    CHECK(qaYamlCount(root) == 10000);
    int v = -1;
    CHECK(qaYamlGetInt(qaYamlLookup(root, "key_9876"), "k", 0, 99999, &v, NULL) == QA_OK && v == 9876);
    CHECK(qaYamlLookup(root, "key_10000") == NULL);
    CHECK(!strcmp(qaYamlScalar(qaYamlKeyAt(root, 17)), "key_17"));
  }
  qaYamlDestroy(doc);
  /* a duplicate at the end of 10,000 keys */
  size_t len = strlen(text);
  char *dup = malloc(len + 32);
  if (dup) {
    memcpy(dup, text, len);
    strcpy(dup + len, "key_4321: 0\n");
    expectBad("dup", dup, 10001, 1, "duplicate key 'key_4321' (first at line 4322)");
    free(dup);
  }
  free(text);
  text = manyKeys(20000);
  t0 = qaNowSeconds();
  doc = text ? loadText(text) : NULL;
  printf("20,000-key mapping parsed in %.1f ms\n", (qaNowSeconds() - t0) * 1e3);
  if (doc) CHECK(qaYamlCount(qaYamlRoot(doc)) == 20000);
  qaYamlDestroy(doc);
  free(text);

  expectBad("duplicate_key.yaml", NULL, 4, 1, "duplicate key 'batch' (first at line 2)");
  expectBad("too_deep.yaml", NULL, 34, 65, "YAML nesting deeper than 32 levels");
  /* more entries than QA_YAML_ITEMS_MAX in one list */
  QaStrBuf b;
  qaStrBufInit(&b);
  qaStrBufAppend(&b, "x:\n");
  for (int i = 0; i <= QA_YAML_ITEMS_MAX; i++) qaStrBufAppend(&b, "- 1\n");
  expectBad("items", qaStrBufText(&b), 2 + QA_YAML_ITEMS_MAX, 3, "a YAML list with more than 50000 entries");
  /* a one-line [...] longer than the parser's look-ahead (libfyaml buffers it whole) */
  qaStrBufReset(&b);
  qaStrBufAppend(&b, "- [");
  for (int i = 0; i < 40000; i++) qaStrBufAppend(&b, "1,");
  qaStrBufAppend(&b, "1]\n");
  t0 = qaNowSeconds();
  expectBad("flow", qaStrBufText(&b), 1, 3, "more than 64 KiB of YAML after this point");
  CHECK_MSG(qaNowSeconds() - t0 < 1.0, "long flow list took %.3f s", qaNowSeconds() - t0);
  /* the same list after "key:" streams, and the same items one per line are fine */
  qaStrBufReset(&b);
  qaStrBufAppend(&b, "k: [");
  for (int i = 0; i < 40000; i++) qaStrBufAppend(&b, " 1,\n");
  qaStrBufAppend(&b, " 1]\n");
  QaYamlDoc *ok = loadText(qaStrBufText(&b));
  if (ok) CHECK(qaYamlCount(qaYamlLookup(qaYamlRoot(ok), "k")) == 40001);
  qaYamlDestroy(ok);
  qaStrBufFree(&b);

  /* text larger than QA_YAML_FILE_MAX_BYTES */
  size_t big = QA_YAML_FILE_MAX_BYTES + 1;
  char *huge = malloc(big);
  if (huge) {
    memset(huge, '#', big);
    QaErr err = {0, ""};
    doc = NULL;
    CHECK(qaYamlLoadString("huge", huge, big, &doc, &err) == QA_EUSER && !doc);
    CHECK_MSG(strstr(err.msg, "huge: YAML text of 16777217 bytes is larger than the limit of 16 MiB"), "%s",
              err.msg);
    free(huge);
  }
  expectBad("s", "a: [1]: 2\n", 1, 7, "YAML syntax error");
  expectBad("s", "? [a, b]\n: 1\n", 1, 3, "a mapping key must be a plain word or string, not a list");
  expectBad("s", "a: &m {x: 1}\nb:\n  <<: *m\n", 3, 3, "YAML merge keys (<<) are not supported");
}

static void testFiles(void) {
  char dir[600], fifo[700], path[700];
  QaYamlDoc *doc = (QaYamlDoc *)&doc;
  QaErr err = {0, ""};
  snprintf(dir, sizeof dir, "%s/yaml", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(dir, 0777);
  CHECK(qaYamlLoadFile(dir, "network file", &doc, &err) == QA_EUSER && !doc);
  CHECK_MSG(strstr(err.msg, "/yaml: is a directory"), "%s", err.msg);
  /* a FIFO with no writer: refused at once, never waited on */
  snprintf(fifo, sizeof fifo, "%s/fifo.yaml", dir);
  unlink(fifo);
  CHECK(mkfifo(fifo, 0600) == 0);
  alarm(10);
  CHECK(qaYamlLoadFile(fifo, NULL, &doc, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "fifo.yaml: is not a regular file"), "%s", err.msg);
  char *buf = (char *)&buf;
  CHECK(qaReadFile(fifo, &buf, NULL, &err) == QA_EUSER && !buf);
  alarm(0);
  unlink(fifo);
  CHECK(qaReadFile(dir, &buf, NULL, &err) == QA_EUSER && strstr(err.msg, "is a directory"));
  CHECK(qaYamlLoadFile(DATA "missing.yaml", "network file", &doc, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "missing.yaml: cannot open network file: No such file"), "%s", err.msg);
  /* the size limit of qaReadFileMax */
  snprintf(path, sizeof path, "%s/ten.yaml", dir);
  FILE *f = fopen(path, "w");
  if (f) {
    fputs("a: 12345\n#", f);
    fclose(f);
  }
  size_t n = 0;
  CHECK(qaReadFileMax(path, 10, "network file", &buf, &n, &err) == QA_OK && n == 10 && buf[10] == 0);
  free(buf);
  CHECK(qaReadFileMax(path, 9, "network file", &buf, &n, &err) == QA_EUSER && !buf);
  CHECK_MSG(strstr(err.msg, "ten.yaml: is larger than the limit of 9 bytes for a network file"), "%s",
            err.msg);
  /* a file in /proc says it has 0 bytes: read to the end anyway */
  if (qaReadFile("/proc/self/status", &buf, &n, &err) == QA_OK) {
    CHECK(n > 0 && strstr(buf, "Name:"));
    free(buf);
  }
}

/* ---- typed getters ---------------------------------------------------------------------- */

/* Value of KEY in the root of doc. */
static const QaYamlNode *at(QaYamlDoc *doc, const char *key) { return qaYamlLookup(qaYamlRoot(doc), key); }

static void expectMsg(int rc, const QaErr *err, const char *want) {
  CHECK_MSG(rc == QA_EUSER, "rc %d for '%s'", rc, want);
  CHECK_MSG(!strcmp(err->msg, want), "got  '%s'\nwant '%s'", err->msg, want);
}

static void testGetters(void) {
  QaYamlDoc *doc = NULL;
  QaErr err = {0, ""};
  CHECK_MSG(qaYamlLoadFile(DATA "good.yaml", NULL, &doc, &err) == QA_OK, "%s", err.msg);
  if (!doc) return;
  int i = 0;
  int64_t i64 = 0;
  double d = 0;
  char s[8];
  const char *text;
  CHECK(qaYamlGetInt(at(doc, "count"), "count", 0, 100, &i, &err) == QA_OK && i == 42);
  CHECK(qaYamlGetInt(at(doc, "negative"), "n", -10, 0, &i, &err) == QA_OK && i == -7);
  CHECK(qaYamlGetInt(at(doc, "quoted"), "q", 0, 16, &i, &err) == QA_OK && i == 8); /* quoting ignored */
  CHECK(qaYamlGetDouble(at(doc, "ratio"), "r", 0, 1, &d, &err) == QA_OK && d == 0.25);
  CHECK(qaYamlGetDouble(at(doc, "tiny"), "t", 0, 1, &d, &err) == QA_OK && d == 1e-9);
  CHECK(qaYamlGetDouble(at(doc, "count"), "c", 0, 100, &d, &err) == QA_OK && d == 42);
  CHECK(qaYamlGetBool(at(doc, "flag"), "f", &i, &err) == QA_OK && i == 1);
  CHECK(qaYamlGetBool(at(doc, "off"), "o", &i, &err) == QA_OK && i == 0);
  CHECK(qaYamlGetStr(at(doc, "name"), "name", s, sizeof s, &err) == QA_OK && !strcmp(s, "tiny"));
  CHECK(qaYamlGetStr(at(doc, "empty"), "e", s, sizeof s, &err) == QA_OK && !strcmp(s, ""));
  CHECK(qaYamlGetStr(at(doc, "tilde"), "t", s, sizeof s, &err) == QA_OK && !strcmp(s, ""));
  CHECK(qaYamlGetText(at(doc, "text"), "text", &text, &err) == QA_OK && !strcmp(text, "two\nlines\n"));
  CHECK(qaYamlIsNull(at(doc, "empty")) && qaYamlIsNull(at(doc, "tilde")) && !qaYamlIsNull(at(doc, "quoted")));
  CHECK(!strcmp(qaYamlKindName(at(doc, "empty")), "an empty value"));
  CHECK(!strcmp(qaYamlKindName(at(doc, "nothing")), "nothing") && qaYamlKind(NULL) == QA_YAML_NONE);
  int dims[3], count = 0;
  CHECK(qaYamlGetInts(at(doc, "dims"), "dims", 3, 1, 1000, 0, dims, &count, &err) == QA_OK);
  CHECK(dims[0] == 3 && dims[1] == 224 && dims[2] == 224 && count == 3);
  CHECK(qaYamlGetInts(at(doc, "kernel"), "kernel", 2, 1, 9, 1, dims, &count, &err) == QA_OK);
  CHECK(dims[0] == 3 && dims[1] == 3 && count == 1);
  CHECK(qaYamlGetInt(qaYamlLookup(at(doc, "copy"), "w"), "w", 1, 16, &i, &err) == QA_OK && i == 4);
  /* a flat config with a nested params: mapping, as the architecture configs are */
  const QaYamlNode *params = at(doc, "params");
  CHECK(qaYamlCount(params) == 2 && !strcmp(qaYamlScalar(qaYamlKeyAt(params, 1)), "clock_mhz"));
  CHECK(qaYamlGetDouble(qaYamlValueAt(params, 1), "parameter 'clock_mhz'", 1, 1e4, &d, &err) == QA_OK &&
        d == 606);

  /* errors, exactly */
  expectMsg(qaYamlGetInt(at(doc, "count"), "key 'count'", 0, 10, &i, &err), &err,
            DATA "good.yaml:3:8: key 'count' = 42 is out of range [0, 10]");
  expectMsg(qaYamlGetInt(at(doc, "ratio"), "key 'ratio'", 0, 10, &i, &err), &err,
            DATA "good.yaml:5:8: key 'ratio' must be an integer (got '0.25')");
  expectMsg(qaYamlGetInt(at(doc, "dims"), "key 'dims'", 0, 10, &i, &err), &err,
            DATA "good.yaml:12:7: key 'dims' must be an integer, not a list");
  expectMsg(qaYamlGetInt(at(doc, "empty"), "key 'empty'", 0, 10, &i, &err), &err,
            DATA "good.yaml:10:1: key 'empty' must be an integer, not an empty value");
  expectMsg(qaYamlGetBool(at(doc, "count"), "key 'count'", &i, &err), &err,
            DATA "good.yaml:3:8: key 'count' must be true or false (or yes/no) (got '42')");
  expectMsg(qaYamlGetStr(at(doc, "name"), "key 'name'", s, 4, &err), &err,
            DATA "good.yaml:2:7: key 'name' is too long (at most 3 characters)");
  expectMsg(qaYamlGetInts(at(doc, "dims"), "key 'dims'", 2, 1, 1000, 1, dims, NULL, &err), &err,
            DATA "good.yaml:12:7: key 'dims' must be an integer or a list of 2 integers (got a list of 3)");
  expectMsg(qaYamlGetInts(at(doc, "params"), "key 'params'", 2, 1, 1000, 0, dims, NULL, &err), &err,
            DATA "good.yaml:17:3: key 'params' must be a list of 2 integers, not a mapping");
  CHECK(qaYamlGetInt(NULL, "key 'x'", 0, 1, &i, &err) == QA_EUSER && !strcmp(err.msg, "key 'x' is missing"));
  const QaYamlNode *root = qaYamlRoot(doc);
  expectMsg(qaYamlFail(at(doc, "ratio"), &err, "custom %d", 7), &err, DATA "good.yaml:5:8: custom 7");
  expectMsg(qaYamlMissing(params, "tiles_x", "in 'params'", &err), &err,
            DATA "good.yaml:17:3: missing required key 'tiles_x' in 'params'");
  CHECK(!strcmp(qaYamlName(doc), DATA "good.yaml"));
  CHECK(qaYamlLine(root) == 2 && qaYamlColumn(root) == 1);
  qaYamlDestroy(doc);

  /* strict numbers: every one of these is refused */
  doc = loadText(
      "i: [1e3, ' 5', '5 ', 0x10, 1.0, '', +, --1, 12a, 99999999999999999999]\n"
      "d: [nan, .nan, .inf, -.inf, inf, 1e999, 0x1p3, '1,5', '', ., e5, 1e, ' 1', 1_000]\n"
      "ok: [+5, -0, 007, 5., .5, -1.5e-3, 1E+2]\n");
  if (!doc) return;
  const QaYamlNode *bad_i = at(doc, "i"), *bad_d = at(doc, "d"), *good = at(doc, "ok");
  for (int k = 0; k < qaYamlCount(bad_i); k++) {
    CHECK_MSG(qaYamlGetInt64(qaYamlItem(bad_i, k), "i", INT64_MIN, INT64_MAX, &i64, &err) == QA_EUSER,
              "i[%d] '%s' accepted", k, qaYamlScalar(qaYamlItem(bad_i, k)));
    CHECK(clean(err.msg));
  }
  CHECK_MSG(strstr(err.msg, "t.yaml:1:50: i = 99999999999999999999 is out of range"), "%s", err.msg);
  for (int k = 0; k < qaYamlCount(bad_d); k++) {
    CHECK_MSG(qaYamlGetDouble(qaYamlItem(bad_d, k), "d", -HUGE_VAL, HUGE_VAL, &d, &err) == QA_EUSER,
              "d[%d] '%s' accepted", k, qaYamlScalar(qaYamlItem(bad_d, k)));
  }
  qaYamlGetDouble(qaYamlItem(bad_d, 5), "d", -1, 1, &d, &err);
  CHECK_MSG(!strcmp(err.msg, "t.yaml:2:34: d must be a finite number (got '1e999')"), "%s", err.msg);
  CHECK(qaYamlGetInt(qaYamlItem(good, 0), "ok", -9, 9, &i, &err) == QA_EUSER); /* "+5": no '+' on ints */
  CHECK(qaYamlGetInt(qaYamlItem(good, 1), "ok", -9, 9, &i, &err) == QA_OK && i == 0);
  CHECK(qaYamlGetInt(qaYamlItem(good, 2), "ok", -9, 9, &i, &err) == QA_OK && i == 7);
  double want[] = {5, -0.0, 7, 5, 0.5, -1.5e-3, 100};
  for (int k = 0; k < 7; k++)
    CHECK_MSG(qaYamlGetDouble(qaYamlItem(good, k), "ok", -1e9, 1e9, &d, &err) == QA_OK && d == want[k],
              "ok[%d]: %s", k, err.msg);
  qaYamlDestroy(doc);
}

/* ---- mappings with known keys ----------------------------------------------------------- */

static void testKnownKeys(void) {
  static const char *const keys[] = {"name", "type", "filters", "kernel", "stride", "a", "w"};
  QaYamlField f[7];
  QaErr err = {0, ""};
  QaYamlDoc *doc = loadText("name: c1\nkernel: 3\nfiltrs: 16\n");
  if (!doc) return;
  expectMsg(
      qaYamlReadMap(qaYamlRoot(doc), "in layer 'c1'", keys, 7, f, &err), &err,
      "t.yaml:3:1: unknown key 'filtrs' in layer 'c1' (known: name, type, filters, kernel, stride, a, w); "
      "did you mean 'filters'?");
  qaYamlDestroy(doc);
  /* a swap of two letters is one edit; a key far from all known ones gets no suggestion */
  doc = loadText("kernle: 3\n");
  if (doc) {
    qaYamlReadMap(qaYamlRoot(doc), "here", keys, 7, f, &err);
    CHECK_MSG(strstr(err.msg, "did you mean 'kernel'?"), "%s", err.msg);
  }
  qaYamlDestroy(doc);
  doc = loadText("batchsize: 3\nx: 1\n");
  if (doc) {
    qaYamlReadMap(qaYamlRoot(doc), "here", keys, 7, f, &err);
    CHECK_MSG(strstr(err.msg, "(known: name, type, filters, kernel, stride, a, w)") &&
                  !strstr(err.msg, "did you mean"),
              "%s", err.msg);
  }
  qaYamlDestroy(doc);
  doc = loadText("x: 1\n"); /* "x" is one edit from "a" and "w" but as different as it is alike */
  if (doc) {
    qaYamlReadMap(qaYamlRoot(doc), "here", keys, 7, f, &err);
    CHECK_MSG(!strstr(err.msg, "did you mean"), "%s", err.msg);
  }
  qaYamlDestroy(doc);
  /* known keys: fields by index, absent ones NULL, key positions kept */
  doc = loadText("stride: [2, 1]\nname: c1\n");
  if (doc) {
    CHECK(qaYamlReadMap(qaYamlRoot(doc), "here", keys, 7, f, &err) == QA_OK);
    CHECK(f[0].val && !strcmp(qaYamlScalar(f[0].val), "c1") && qaYamlLine(f[0].key) == 2);
    CHECK(f[4].val && qaYamlKind(f[4].val) == QA_YAML_SEQ && qaYamlColumn(f[4].val) == 9);
    CHECK(!f[1].key && !f[1].val && !f[3].val);
    expectMsg(qaYamlReadMap(f[4].val, "in 'stride'", keys, 7, f, &err), &err,
              "t.yaml:1:9: expected a mapping in 'stride', not a list");
  }
  qaYamlDestroy(doc);
}

/* ---- strbuf ----------------------------------------------------------------------------- */

static void testStrBuf(void) {
  QaStrBuf b;
  qaStrBufInit(&b);
  CHECK(!strcmp(qaStrBufText(&b), "") && b.len == 0);
  static const char *const items[] = {"a", "bb", "ccc"};
  qaStrBufJoin(&b, items, 3, ", ");
  CHECK(!strcmp(qaStrBufText(&b), "a, bb, ccc"));
  qaStrBufJoin(&b, items, 0, ", ");
  CHECK(b.len == 10);
  char big[1000];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = 0;
  qaStrBufAppendf(&b, "[%s|%d]", big, 7); /* longer than the formatting fast path */
  CHECK(b.len == 10 + 1 + 999 + 3 && !strcmp(qaStrBufText(&b) + b.len - 3, "|7]"));
  qaStrBufAppendN(&b, "xyz", 2);
  CHECK(!strcmp(qaStrBufText(&b) + b.len - 3, "]xy"));
  CHECK(qaStrBufCheck(&b, NULL) == QA_OK);
  qaStrBufReset(&b);
  CHECK(b.len == 0 && !strcmp(qaStrBufText(&b), ""));
  for (int i = 0; i < 10000; i++) qaStrBufAppend(&b, "0123456789");
  CHECK(b.len == 100000 && strlen(qaStrBufText(&b)) == 100000);
  /* a failed allocation is sticky and reported once */
  b.oom = 1;
  qaStrBufAppend(&b, "more");
  CHECK(b.len == 100000);
  QaErr err = {0, ""};
  CHECK(qaStrBufCheck(&b, &err) == QA_EINTERNAL && strstr(err.msg, "out of memory"));
  qaStrBufFree(&b);
  qaStrBufFree(&b); /* freeing twice is harmless */
  CHECK(b.s == NULL && b.len == 0);

  static const char *const known[] = {"tiles", "clock_mhz", "lanes", "a", "w"};
  CHECK(qaStrClosest("tile", known, 5, 2) == known[0]);
  CHECK(qaStrClosest("lanse", known, 5, 2) == known[2]);
  CHECK(qaStrClosest("clk_mhz", known, 5, 2) == known[1]);
  CHECK(qaStrClosest("x", known, 5, 2) == NULL);
  CHECK(qaStrClosest("frequency", known, 5, 2) == NULL);

  char out[16];
  qaYamlEscape("ok \x1b[31m\xff", out, sizeof out);
  CHECK_MSG(!strcmp(out, "ok \\x1B[31m..."), "%s", out);
  qaYamlEscape("caf\xc3\xa9", out, sizeof out);
  CHECK(!strcmp(out, "caf\xc3\xa9"));
}

int main(void) {
  testDirectives();
  testBytes();
  testDocuments();
  testAliases();
  testSizes();
  testFiles();
  testGetters();
  testKnownKeys();
  testStrBuf();
  return TEST_DONE();
}
