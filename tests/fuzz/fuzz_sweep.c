/*
** fuzz_sweep.c - fuzz target: sweep specs (sim/sweep.c through base/yaml.c). A spec that
** loads has every point's label and command read; a small one is also identified
** (points resolved: architectures, cost tables, networks by name).
*/
#include <string.h>

#include "fuzz/fuzz.h"
#include "sim/sweep.h"

static const char *const kTokens[] = {"name: ",  "defaults:\n", "product:\n", "points:\n", "  - ",
                                      "net: ",   "tiny",        "resnet18",   "arch: ",    "dadiannao",
                                      "laconic", "bits: ",      "[8, 16]",    "set: ",     "{tiles: 2}",
                                      "costs: ", "horowitz45",  "seed: ",     "repeat: ",  "&a ",
                                      "*a",      "[",           "]",          "{",         "}",
                                      NULL};

const QaFuzzTarget qaFuzzTarget = {"sweep", "spec.yaml", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  QaErr err = {0, ""};
  QaSweep *sw = NULL;
  const char *path = qaFuzzWrite("spec.yaml", data, size);
  int rc = qaSweepLoad(path, &sw, &err);
  qaFuzzCheck("qaSweepLoad", rc, &err);
  if (sw) {
    size_t total = strlen(qaSweepName(sw));
    for (int i = 0; i < qaSweepCount(sw); i++) {
      QaSweepPoint *p = qaSweepAt(sw, i);
      total += strlen(p->label) + strlen(p->command);
    }
    (void)total;
    if (qaSweepCount(sw) <= 8) {
      rc = qaSweepIdentify(sw, NULL, &err);
      qaFuzzCheck("qaSweepIdentify", rc, &err);
    }
  }
  qaSweepDestroy(sw);
  return 0;
}
