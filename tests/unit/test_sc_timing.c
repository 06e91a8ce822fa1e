/*
** test_sc_timing.c - the SystemC models in both timing modes (issue 2, section 5):
** the loosely-timed mode and the clocked mode (--timing cycle) must report the
** identical cycle and stall counts for every layer, read back from simulated time,
** and both must produce outputs equal to the integer reference. SystemC allows one
** simulation per process, so each mode runs in a forked child that reports its
** per-layer cycles and output checks through a pipe (tests/modeltest.h).
*/
#include <string.h>

#include "modeltest.h"

/* MtGenFn: *arg bits for both operands, unsigned activations (30% zeros), signed
** symmetric weights (10% zeros), booth4. */
static void gen(QaRng *g, MtCase *k, int i, const void *arg) {
  int bits = *(const int *)arg;
  int32_t amax = (1 << bits) - 1, wmax = (1 << (bits - 1)) - 1;
  k->a_bits = k->w_bits = bits;
  k->a_signed = 0;
  k->enc = QA_ENC_BOOTH4;
  k->act = randCodes(g, qaLayerActCount(&k->l), 0, amax, 0.3);
  k->wgt = randCodes(g, qaLayerWgtCount(&k->l), -wmax, wmax, 0.1);
}

/* mem: NULL for the defaults, else "gbps,latency_ns,sb_kib,nm_kib" to stress the memory system. */
static void check_arch(const char *name, int tiles, int fpt, int lanes, int bits, uint64_t seed,
                       const char *mem) {
  const QaArchDesc *d;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind(name, &d, &err), QA_OK);
  QaArchConfig cfg;
  qaCfgDefaults(d, &cfg);
  char v[16];
  snprintf(v, sizeof v, "%d", tiles);
  CHECK_MSG(qaCfgSetText(&cfg, "tiles", v, "test", &err) == QA_OK, "%s", err.msg);
  snprintf(v, sizeof v, "%d", fpt);
  CHECK_MSG(qaCfgSetText(&cfg, "rows", v, "test", &err) == QA_OK, "%s", err.msg);
  snprintf(v, sizeof v, "%d", lanes);
  CHECK_MSG(qaCfgSetText(&cfg, "lanes", v, "test", &err) == QA_OK, "%s", err.msg);
  if (mem) {
    char gbps[32], lat[32], sb[32], nm[32];
    CHECK(sscanf(mem, "%31[^,],%31[^,],%31[^,],%31s", gbps, lat, sb, nm) == 4);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "dram_gbps", gbps, "test", &err), QA_OK);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "dram_latency_ns", lat, "test", &err), QA_OK);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "sb_kib", sb, "test", &err), QA_OK);
    CHECK_EQ_I64(qaCfgSetText(&cfg, "nm_kib", nm, "test", &err), QA_OK);
  }

  int64_t total_stall = mtScCheck(&cfg, 60, seed, gen, &bits);
  /* An ideal memory never stalls; the memory-stress configurations must. */
  if (mem && atof(mem) == 0)
    CHECK_MSG(total_stall == 0, "%s: stalls with an ideal memory", name);
  else if (mem)
    CHECK_MSG(total_stall > 0, "%s: expected DRAM stalls with %s", name, mem);
}

/* Prefetch (issue 8) in both drivers: with every layer fetching its weights from a slow
** DRAM, the layers' first weights come in during the previous layers, so the run stalls
** less with prefetch than without; both timing modes and the C path agree on each. */
static void check_prefetch(void) {
  const QaArchDesc *d;
  QaErr err = {0, ""};
  CHECK_EQ_I64(qaArchFind("dadiannao", &d, &err), QA_OK);
  QaArchConfig on;
  qaCfgDefaults(d, &on);
  const char *set[][2] = {{"tiles", "2"},     {"rows", "4"},
                          {"lanes", "8"},     {"weights_resident", "false"},
                          {"dram_gbps", "2"}, {"dram_latency_ns", "50"}};
  for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
    CHECK_MSG(qaCfgSetText(&on, set[i][0], set[i][1], "test", &err) == QA_OK, "%s", err.msg);
  QaArchConfig off = on;
  CHECK_EQ_I64(qaCfgSetText(&off, "prefetch", "false", "test", &err), QA_OK);
  int bits = 16;
  int64_t s_on = mtScCheck(&on, 40, 21, gen, &bits), s_off = mtScCheck(&off, 40, 21, gen, &bits);
  CHECK_MSG(s_on < s_off, "prefetch: %lld stall cycles, without %lld", (long long)s_on, (long long)s_off);
}

int main(void) {
  check_prefetch();
  check_arch("dadiannao", 2, 4, 8, 16, 7, NULL);
  check_arch("dadiannao", 16, 16, 16, 16, 8, "0,0,2048,4096");
  check_arch("dadiannao8", 3, 2, 5, 8, 9, NULL);
  /* Tiny on-chip memories: weights and activations stream, with slow and fast DRAM. */
  check_arch("dadiannao", 2, 4, 8, 16, 10, "0.5,50,1,1");
  check_arch("dadiannao", 4, 4, 4, 16, 11, "3.3,0,1,2");
  check_arch("dadiannao8", 2, 2, 8, 8, 12, "100,1000,1,1");
  return TEST_DONE();
}
