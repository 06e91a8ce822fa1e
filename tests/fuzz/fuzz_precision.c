/*
** fuzz_precision.c - fuzz target: per-layer precision files (workloads/precision.c), read
** for the built-in AlexNet (the network of most shipped profiles).
*/
#include <stdlib.h>

#include "fuzz/fuzz.h"
#include "workloads/precision.h"

static const char *const kTokens[] = {"layer,a_bits,w_bits,source\n",
                                      "conv1",
                                      "conv2",
                                      "fc6",
                                      ",",
                                      "\"",
                                      "#",
                                      "\r\n",
                                      "16",
                                      "0",
                                      "17",
                                      "-1",
                                      NULL};

const QaFuzzTarget qaFuzzTarget = {"precision", "p.csv", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static QaNet *net;
  static int *a_bits, *w_bits;
  QaErr err = {0, ""};
  if (!net) {
    if (qaNetBuiltin("alexnet", &net, &err) != QA_OK) abort();
    a_bits = calloc((size_t)net->n_layers, sizeof *a_bits);
    w_bits = calloc((size_t)net->n_layers, sizeof *w_bits);
    if (!a_bits || !w_bits) abort();
  }
  const char *path = qaFuzzWrite("p.csv", data, size);
  int n_rows = 0;
  int rc = qaPrecisionLoad(path, net, a_bits, w_bits, &n_rows, &err);
  qaFuzzCheck("qaPrecisionLoad", rc, &err);
  return 0;
}
