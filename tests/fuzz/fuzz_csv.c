/*
** fuzz_csv.c - fuzz target: the RFC 4180 table reader (base/csv.c) every CSV goes through
** but the cost tables (the published-claims table of `qasim validate`, ...). Every cell of
** a table that loads is read, with its column looked up by its header.
*/
#include <string.h>

#include "base/csv.h"
#include "fuzz/fuzz.h"

static const char *const kTokens[] = {"\"",           "\"\"",    ",",    "\r\n",    "\r", "\n",
                                      "\xef\xbb\xbf", "a,b,c\n", ",,,,", "\"a,b\"", "#",  NULL};

const QaFuzzTarget qaFuzzTarget = {"csv", "t.csv", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  QaErr err = {0, ""};
  QaCsv *t = NULL;
  const char *path = qaFuzzWrite("t.csv", data, size);
  int rc = qaCsvLoad(path, "fuzzed table", &t, &err);
  qaFuzzCheck("qaCsvLoad", rc, &err);
  if (t) {
    size_t total = 0;
    for (int c = 0; c < qaCsvColumns(t); c++) {
      const char *h = qaCsvHeader(t, c);
      int at = qaCsvColumn(t, h);
      if (at < 0 || at > c) __builtin_trap(); /* the first column of that name */
      for (int r = 0; r < qaCsvRows(t); r++) total += strlen(qaCsvCell(t, r, c)) + (size_t)qaCsvLine(t, r);
    }
    (void)total;
  }
  qaCsvDestroy(t);
  return 0;
}
