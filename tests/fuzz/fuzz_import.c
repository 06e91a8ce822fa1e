/*
** fuzz_import.c - fuzz target: other simulators' network files (workloads/import.c): the
** first byte chooses the reader, 0 (even) a SCALE-Sim topology CSV, 1 (odd) a Timeloop
** problem YAML; the rest is the file. A network that loads has every layer's derived sizes
** and memory estimate computed, like fuzz_netfile.
*/
#include "fuzz/fuzz.h"
#include "sim/run.h"
#include "workloads/import.h"

static const char *const kTokens[] = {
    "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
    "Channels, Num Filter, Strides,\n",
    "Conv1     ,224         ,224        ,11           ,11          ,3",
    ",",
    "DP",
    "\r\n",
    "problem:\n",
    "  instance:\n",
    "    C: ",
    "    M: ",
    "    N: ",
    "    P: ",
    "    Q: ",
    "    R: ",
    "    S: ",
    "    Hstride: ",
    "    Wdilation: ",
    "  shape:\n",
    "65536",
    "4294967296",
    "-1",
    NULL};

const QaFuzzTarget qaFuzzTarget = {"import", "import.in", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  QaErr err = {0, ""};
  QaNet *net = NULL;
  if (size == 0) return 0;
  int timeloop = data[0] & 1;
  const char *path = qaFuzzWrite(timeloop ? "problem.yaml" : "topology.csv", data + 1, size - 1);
  int rc = timeloop ? qaNetLoadTimeloop(path, &net, &err) : qaNetLoadScaleSim(path, &net, &err);
  qaFuzzCheck(timeloop ? "qaNetLoadTimeloop" : "qaNetLoadScaleSim", rc, &err);
  if (net) {
    uint64_t sum = (uint64_t)qaNetMacs(net); /* unsigned: the harness must not overflow itself */
    for (int i = 0; i < net->n_layers; i++)
      sum += (uint64_t)qaLayerActCount(&net->layers[i]) + (uint64_t)qaLayerWgtCount(&net->layers[i]) +
             (uint64_t)qaLayerOutCount(&net->layers[i]) + (uint64_t)qaRunLayerMemory(&net->layers[i]);
    (void)sum;
  }
  qaNetDestroy(net);
  return 0;
}
