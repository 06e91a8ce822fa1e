/*
** fuzz_costs.c - fuzz target: CSV cost tables (models/costs.c). A table that loads is
** printed (every row, every composite rule) to /dev/null.
*/
#include <stdio.h>

#include "fuzz/fuzz.h"
#include "models/costs.h"

static const char *const kTokens[] = {
    "class,action,instance,bits_a,bits_b,capacity_bytes,energy,energy_unit,area,area_unit,status,source\n",
    "int_add",
    "int_mult",
    "sram",
    "dram",
    "reg",
    "op",
    "read",
    "write",
    "pJ",
    "nJ",
    "mac",
    "um2",
    "mm2",
    "verified",
    "assumed",
    "cacti45",
    ",,",
    "\"",
    "#",
    "\r\n",
    "1e305",
    "grid",
    NULL};

const QaFuzzTarget qaFuzzTarget = {"costs", "table.csv", kTokens};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static FILE *null;
  QaErr err = {0, ""};
  QaCostTable *t = NULL;
  const char *path = qaFuzzWrite("table.csv", data, size);
  int rc = qaCostTableLoadCsv(path, &t, &err);
  qaFuzzCheck("qaCostTableLoadCsv", rc, &err);
  if (t) {
    if (!null) null = fopen("/dev/null", "w");
    rc = qaCostTablePrint(t, null, &err);
    qaFuzzCheck("qaCostTablePrint", rc, &err);
  }
  qaCostTableDestroy(t);
  return 0;
}
