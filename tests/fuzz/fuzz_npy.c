/*
** fuzz_npy.c - fuzz target: .npy arrays (base/npy.c), read and converted to float as a
** trace is.
*/
#include <stdlib.h>

#include "base/npy.h"
#include "fuzz/fuzz.h"

static const char *const kTokens[] = {"\x93NUMPY\x01\x00",
                                      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                                      "'descr'",
                                      "'shape'",
                                      "'fortran_order'",
                                      "True",
                                      "False",
                                      "(",
                                      ")",
                                      "(0,)",
                                      "<f8",
                                      "|u1",
                                      ">f4",
                                      "<i4",
                                      "9223372036854775807",
                                      "L",
                                      NULL};

const QaFuzzTarget qaFuzzTarget = {"npy", "a.npy", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  QaErr err = {0, ""};
  QaArray *a = NULL;
  const char *path = qaFuzzWrite("a.npy", data, size);
  int rc = qaNpyRead(path, &a, &err);
  qaFuzzCheck("qaNpyRead", rc, &err);
  if (a) {
    float *f = NULL;
    rc = qaArrayToFloat(a, path, &f, &err);
    qaFuzzCheck("qaArrayToFloat", rc, &err);
    free(f);
  }
  qaArrayDestroy(a);
  return 0;
}
