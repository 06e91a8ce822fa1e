/*
** fuzz_ert.c - fuzz target: Accelergy ERT and ART files (models/accelergy.c). The input
** is the ERT; text after a line "#ART" is written beside it as the ART.
*/
#include <stdio.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "models/costs.h"

static const char *const kTokens[] = {"ERT:\n",
                                      "ART:\n",
                                      "tables:\n",
                                      "  - name: ",
                                      "actions:\n",
                                      "    - name: ",
                                      "energy: ",
                                      "area: ",
                                      "arguments: ",
                                      "class: ",
                                      "system.PE[0..167].mac",
                                      "read",
                                      "write",
                                      "compute",
                                      "leak",
                                      "idle",
                                      "version: 0.3",
                                      "\n#ART\n",
                                      "&a ",
                                      "*a",
                                      NULL};

const QaFuzzTarget qaFuzzTarget = {"ert", "t.ERT.yaml", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *null;
  QaErr err = {0, ""};
  QaCostTable *t = NULL;
  size_t ert = size;
  const char *mark = "\n#ART\n";
  for (size_t i = 0; i + 6 <= size; i++)
    if (!memcmp(data + i, mark, 6)) {
      ert = i + 1;
      break;
    }
  if (ert < size)
    qaFuzzWrite("t.ART.yaml", data + ert + 5, size - ert - 5);
  else
    qaFuzzRemove("t.ART.yaml");
  const char *path = qaFuzzWrite("t.ERT.yaml", data, ert);
  int rc = qaCostTableLoad(path, &t, &err);
  qaFuzzCheck("qaCostTableLoad (ERT)", rc, &err);
  if (t) {
    if (!null) null = fopen("/dev/null", "w");
    rc = qaCostTablePrint(t, null, &err);
    qaFuzzCheck("qaCostTablePrint", rc, &err);
  }
  qaCostTableDestroy(t);
  return 0;
}
