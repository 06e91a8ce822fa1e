/*
** fuzz_netfile.c - fuzz target: YAML network files (workloads/netfile.c, base/yaml.c).
** A network that loads has every layer's derived sizes and memory estimate computed (they
** must not overflow: UBSan checks).
*/
#include "fuzz/fuzz.h"
#include "sim/run.h"
#include "workloads/layer.h"

static const char *const kTokens[] = {"name: ",
                                      "type: conv",
                                      "type: fc",
                                      "type: dwconv",
                                      "layers:\n",
                                      "  - ",
                                      "input: ",
                                      "[",
                                      "]",
                                      "{",
                                      "}",
                                      "filters: ",
                                      "kernel: ",
                                      "stride: ",
                                      "padding: ",
                                      "groups: ",
                                      "outputs: ",
                                      "batch: ",
                                      "bits: {a: 8, w: 8}",
                                      "trace: {act: a.npy}",
                                      "&a ",
                                      "*a",
                                      "%YAML 1.2\n",
                                      "---\n",
                                      "...\n",
                                      "<<: ",
                                      "!!str ",
                                      "same",
                                      "65536",
                                      NULL};

const QaFuzzTarget qaFuzzTarget = {"netfile", "net.yaml", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  QaErr err = {0, ""};
  QaNet *net = NULL;
  const char *path = qaFuzzWrite("net.yaml", data, size);
  int rc = qaNetLoadYaml(path, &net, &err);
  qaFuzzCheck("qaNetLoadYaml", rc, &err);
  if (net) {
    uint64_t sum = (uint64_t)qaNetMacs(net); /* unsigned: the harness must not overflow itself */
    for (int i = 0; i < net->n_layers; i++)
      sum += (uint64_t)qaLayerActCount(&net->layers[i]) + (uint64_t)qaLayerWgtCount(&net->layers[i]) +
             (uint64_t)qaLayerOutCount(&net->layers[i]) + (uint64_t)qaRunLayerMemory(&net->layers[i]);
    (void)qaNetHash(net);
    (void)sum;
  }
  qaNetDestroy(net);
  return 0;
}
