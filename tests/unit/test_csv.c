/*
** test_csv.c - base/csv.h on hand-written tables: quoting, every line ending, a
** byte-order mark, blank lines, short rows, line numbers, and the bad inputs (an open
** quote, a row longer than the header, an empty file, a directory).
*/
#include <string.h>
#include <sys/stat.h>

#include "base/csv.h"
#include "qatest.h"

static char g_dir[512];

static const char *put(const char *name, const char *text, size_t len) {
  static char path[600];
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  FILE *f = fopen(path, "wb");
  CHECK_MSG(f != NULL, "cannot write %s", path);
  if (f) {
    fwrite(text, 1, len, f);
    fclose(f);
  }
  return path;
}

static QaCsv *load(const char *name, const char *text, QaErr *err) {
  QaCsv *t = NULL;
  int rc = qaCsvLoad(put(name, text, strlen(text)), "test table", &t, err);
  CHECK_MSG(rc == QA_OK, "%s: %s", name, err->msg);
  return t;
}

static void expectError(const char *name, const char *text, const char *want1, const char *want2) {
  QaErr err = {0, ""};
  QaCsv *t = NULL;
  CHECK_EQ_I64(qaCsvLoad(put(name, text, strlen(text)), "test table", &t, &err), QA_EUSER);
  CHECK(t == NULL);
  CHECK_MSG(strstr(err.msg, want1) && (!want2 || strstr(err.msg, want2)), "%s: %s", name, err.msg);
}

int main(void) {
  snprintf(g_dir, sizeof g_dir, "%s/csv", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(g_dir, 0777);
  QaErr err = {0, ""};

  /* Quoting: a comma inside quotes, "" for a quote, a line break inside quotes (the next
  ** row's line number counts it), an empty quoted field, a short row. */
  QaCsv *t = load("quoted.csv",
                  "id,claim,value\n"
                  "a,\"one, two\",1.5\n"
                  "b,\"say \"\"hi\"\"\",\n"
                  "c,\"two\nlines\",\"\"\n"
                  "d,short\n",
                  &err);
  if (t) {
    CHECK_EQ_I64(qaCsvRows(t), 4);
    CHECK_EQ_I64(qaCsvColumns(t), 3);
    CHECK_EQ_I64(qaCsvColumn(t, "value"), 2);
    CHECK_EQ_I64(qaCsvColumn(t, "nope"), -1);
    CHECK(!strcmp(qaCsvCell(t, 0, 1), "one, two") && !strcmp(qaCsvCell(t, 0, 2), "1.5"));
    CHECK(!strcmp(qaCsvCell(t, 1, 1), "say \"hi\"") && !strcmp(qaCsvCell(t, 1, 2), ""));
    CHECK(!strcmp(qaCsvCell(t, 2, 1), "two\nlines") && !strcmp(qaCsvCell(t, 2, 2), ""));
    CHECK(!strcmp(qaCsvCell(t, 3, 1), "short") && !strcmp(qaCsvCell(t, 3, 2), ""));
    CHECK_EQ_I64(qaCsvLine(t, 0), 2);
    CHECK_EQ_I64(qaCsvLine(t, 2), 4);
    CHECK_EQ_I64(qaCsvLine(t, 3), 6); /* row c spans lines 4 and 5 */
    CHECK(!strcmp(qaCsvCell(t, 9, 0), "") && !strcmp(qaCsvCell(t, 0, 7), ""));
  }
  qaCsvDestroy(t);

  /* Line endings: CRLF, CR alone, none at the end; a byte-order mark; blank lines. */
  static const char *const texts[] = {"\xEF\xBB\xBFk,v\r\nx,1\r\n\r\ny,2\r\n", "k,v\rx,1\r\ry,2",
                                      "\nk,v\n\nx,1\ny,2"};
  for (int i = 0; i < 3; i++) {
    char name[32];
    snprintf(name, sizeof name, "ends%d.csv", i);
    t = load(name, texts[i], &err);
    if (!t) continue;
    CHECK_MSG(qaCsvRows(t) == 2 && !strcmp(qaCsvHeader(t, 0), "k") && !strcmp(qaCsvCell(t, 0, 0), "x") &&
                  !strcmp(qaCsvCell(t, 1, 1), "2"),
              "%s: %d rows, header '%s'", name, qaCsvRows(t), qaCsvHeader(t, 0));
    qaCsvDestroy(t);
  }

  expectError("open.csv", "a,b\n1,\"never closed\n", "open.csv:2", "never closed");
  expectError("long.csv", "a,b\n1,2\n1,2,3\n", "long.csv:3", "3 fields but the header has 2");
  expectError("after.csv", "a,b\n\"x\"y,2\n", "after.csv:2", "after a closing quote");
  expectError("empty.csv", "", "empty", NULL);
  expectError("blank.csv", "\n\r\n", "empty", NULL);
  CHECK_EQ_I64(qaCsvLoad(g_dir, "test table", &t, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "directory"), "%s", err.msg);
  qaCsvDestroy(NULL);
  return TEST_DONE();
}
