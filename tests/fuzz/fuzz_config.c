/*
** fuzz_config.c - fuzz target: architecture config files (arch/config.c, base/yaml.c).
*/
#include <stdlib.h>

#include "arch/arch.h"
#include "fuzz/fuzz.h"

static const char *const kTokens[] = {
    "arch: ",     "dadiannao", "stripes", "laconic",     "pragmatic",   "khot-laconic",
    "params:\n",  "  tiles: ", "lanes: ", "clock_mhz: ", "dram_gbps: ", "filters_per_tile: ",
    "max_bits: ", "sync: ",    "column",  "true",        "&a ",         "*a",
    "{",          "}",         "[",       "]",           "---\n",       "%TAG ",
    NULL};

const QaFuzzTarget qaFuzzTarget = {"config", "arch.yaml", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  QaErr err = {0, ""};
  QaArchConfig cfg;
  const char *path = qaFuzzWrite("arch.yaml", data, size);
  int rc = qaCfgLoadYaml(path, &cfg, &err);
  qaFuzzCheck("qaCfgLoadYaml", rc, &err);
  if (rc == QA_OK) { /* what is stored with a run must read back */
    char *text = qaCfgToYaml(&cfg);
    QaArchConfig again;
    if (text) {
      rc = qaCfgFromText(text, "stored config", &again, &err);
      qaFuzzCheck("qaCfgFromText", rc, &err);
      if (rc != QA_OK) abort();
    }
    free(text);
  }
  return 0;
}
