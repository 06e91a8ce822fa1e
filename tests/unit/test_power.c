/*
** test_power.c - chip figures of a config and the calibration procedure (issue 9):
**  - DaDianNao's peak power with tests/data/energy/regleak.csv worked by hand for the parts
**    that are busy every cycle (datapath, registers) and the leakage; dynamic power scales with
**    the clock, leakage does not; the area is the composition's;
**  - the Stillmaker-Baas node factors worked by hand;
**  - qaCalibrate on a tiny network: the fit uses the six fitted claims only, improves on the
**    base table, and the held-out claims are reported, never fitted;
**  - the shipped calibrated45 table: cacti45's rows plus exactly three calibrated scale rows
**    naming the fitted claims and none of the held-out ones.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "costtest.h"
#include "qatest.h"
#include "sim/calibrate.h"
#include "sim/power.h"

static void testPeakPower(void) {
  QaCostTable *t = NULL;
  QaErr err = {0, ""};
  CHECK_MSG(qaCostTableLoad(QA_TEST_DATA "/energy/regleak.csv", &t, &err) == QA_OK, "%s", err.msg);
  if (!t) return;
  const QaArchDesc *d;
  QaArchConfig cfg;
  QaChipPower p, p2;
  CHECK(qaArchFind("dadiannao", &d, &err) == QA_OK);
  qaCfgDefaults(d, &cfg);
  CHECK_MSG(qaChipPower(&cfg, t, &p, &err) == QA_OK, "%s", err.msg);
  /* Every cycle of the peak layer all 256 PEs work: 4096 multiplications (1 pJ), 256 adder
  ** trees (16 x 32-bit inputs: 0.01 pJ/bit x 491 bits = 4.91 pJ), 256 accumulations (48-bit
  ** add 0.48 + reg 0.096 = 0.576 pJ); registers 256 x (reg(256) 0.512 + reg(512) 1.024) +
  ** 16 areg x 0.512 = 401.408 pJ. At 606 MHz: datapath (4096 + 1256.96) pJ x 606e6 = 3.24389 W,
  ** accumulation 147.456 pJ x 606e6 = 0.0893583 W, registers 0.243253 W. */
  CHECK_EQ_I64((int64_t)p.macs_per_cycle, 4096);
  CHECK_NEAR(p.category_w[QA_CAT_DATAPATH], (4096 + 256 * 4.91) * 1e-12 * 606e6);
  CHECK_NEAR(p.category_w[QA_CAT_ACCUMULATION], 256 * 0.576 * 1e-12 * 606e6);
  CHECK_NEAR(p.category_w[QA_CAT_REGISTERS], (256 * 1.536 + 16 * 0.512) * 1e-12 * 606e6);
  CHECK(fabs(p.category_w[QA_CAT_DATAPATH] - 3.24389) < 1e-5);
  /* leakage: 45812.736 uW (test_energy.c, the same table and config) */
  CHECK(p.leakage_priced && near(p.leakage_w, 45812.736e-6) &&
        near(p.category_w[QA_CAT_STATIC], p.leakage_w));
  CHECK_NEAR(p.peak_w, p.dynamic_w + p.leakage_w);
  CHECK(p.dram_w == 0 && p.category_w[QA_CAT_DRAM] == 0); /* weights resident, activations on chip */
  /* twice the clock: twice the dynamic power, the same leakage */
  CHECK(qaCfgSetText(&cfg, "clock_mhz", "1212", "test", &err) == QA_OK);
  CHECK_MSG(qaChipPower(&cfg, t, &p2, &err) == QA_OK, "%s", err.msg);
  CHECK_NEAR(p2.dynamic_w, 2 * p.dynamic_w);
  CHECK_NEAR(p2.leakage_w, p.leakage_w);
  CHECK(p2.clock_mhz == 1212 && near(p2.area_mm2, p.area_mm2));
  CHECK_NEAR(p.area_mm2, p.memory_area_mm2 + p.logic_area_mm2);
  qaCostTableDestroy(t);

  /* horowitz45 gives no leakage: peak power is the dynamic part, leakage not priced */
  CHECK(qaCostTableLoad("horowitz45", &t, &err) == QA_OK);
  qaCfgDefaults(d, &cfg);
  CHECK(t && qaChipPower(&cfg, t, &p, &err) == QA_OK && !p.leakage_priced && p.leakage_w == 0 &&
        p.peak_w == p.dynamic_w && p.weak_share > 0.9);
  qaCostTableDestroy(t);
}

/* Stillmaker & Baas 2017 (nodeScale.py coefficients): energy a V^2 + b V + c.
**   45 nm HP at 0.9 V: 1.018 x 0.81 - 0.3107 x 0.9 + 0.1539 = 0.69885
**   65 nm at 1.1 V: 3.755 x 1.21 - 4.398 x 1.1 + 1.975 = 1.68075  -> 0.69885 / 1.68075 = 0.41580
**   28 nm (1/3 of the way from HP32 to HP20): a 0.682133, b -0.342133, c 0.127080; at 0.9 V
**   0.371688 -> 0.69885 / 0.371688 = 1.880206
** Area: 45 nm = 65 nm / 1.5; 28 nm: factor 0.46 + (0.21 - 0.46) / 3 = 0.376667 -> x 2.65487. */
static void testNodeFactors(void) {
  CHECK(fabs(qaCalEnergyTo45(65, 1.1) - 0.41580) < 1e-5);
  CHECK(fabs(qaCalEnergyTo45(28, 0.9) - 1.880206) < 1e-6);
  CHECK(fabs(qaCalEnergyTo45(45, 0.9) - 1.0) < 1e-12);
  CHECK(fabs(qaCalAreaTo45(65) - 1 / 1.5) < 1e-12);
  CHECK(fabs(qaCalAreaTo45(28) - 2.65487) < 1e-5);
  CHECK(isnan(qaCalAreaTo45(90)));
}

static int isFitted(const char *id) {
  static const char *const fitted[] = {"diannao.power", "diannao.area",       "dadn.power",
                                       "dadn.area",     "stripes.energy_eff", "stripes.area"};
  for (size_t i = 0; i < sizeof fitted / sizeof fitted[0]; i++)
    if (!strcmp(id, fitted[i])) return 1;
  return 0;
}

static void testCalibrate(void) {
  QaCalOptions o = {"cacti45", QA_TEST_DATA "/energy/tiny.yaml", NULL};
  static QaCalResult r;
  QaErr err = {0, ""};
  CHECK_MSG(qaCalibrate(&o, &r, &err) == QA_OK, "%s", err.msg);
  int n_fit = 0, n_held = 0;
  for (int i = 0; i < r.n_targets; i++) {
    const QaCalTarget *t = &r.t[i];
    CHECK_MSG(t->fitted == isFitted(t->id), "%s", t->id);
    n_fit += t->fitted;
    n_held += !t->fitted;
    CHECK_MSG(t->model[1] > 0 && t->model[2] > 0 && isfinite(t->target), "%s", t->id);
    /* held-out figures that no scale touches are the same under the base table and the fit */
    if (t->kind == QA_CAL_SAVING || t->kind == QA_CAL_THROUGHPUT) CHECK_NEAR(t->model[1], t->model[2]);
  }
  CHECK_EQ_I64(n_fit, 6);
  CHECK(n_held >= 7);
  for (int i = 0; i < QA_CAL_SCALES; i++) CHECK(r.scale[i] > 0);
  CHECK(r.rms_log <= r.rms_log_base + 1e-12); /* the fit never does worse than all scales 1 */
  /* the printed report names every claim and the scales */
  char buf[8192];
  FILE *f = fmemopen(buf, sizeof buf, "w");
  CHECK(qaCalibratePrint(&r, f, &err) == QA_OK);
  fclose(f);
  CHECK(strstr(buf, "pra17.energy_eff.16b") && strstr(buf, "held-out") && strstr(buf, "fitted scales:"));
  /* written, the table loads and reproduces the fit's DaDianNao power */
  char path[] = QA_TEST_DATA "/../../models/tables/calibrated-test.csv";
  CHECK_MSG(qaCalibrateWrite(&r, path, &err) == QA_OK, "%s", err.msg);
  QaCostTable *t = NULL;
  CHECK_MSG(qaCostTableLoad(path, &t, &err) == QA_OK, "%s", err.msg);
  remove(path);
  for (int i = 0; t && i < r.n_targets; i++) {
    if (strcmp(r.t[i].id, "dadn.power")) continue;
    const QaArchDesc *d;
    QaArchConfig cfg;
    QaChipPower p;
    CHECK(qaArchFind("dadiannao", &d, &err) == QA_OK);
    qaCfgDefaults(d, &cfg);
    CHECK(qaChipPower(&cfg, t, &p, &err) == QA_OK);
    CHECK_MSG(fabs(p.peak_w / r.t[i].model[2] - 1) < 1e-9, "%g vs %g", p.peak_w, r.t[i].model[2]);
  }
  qaCostTableDestroy(t);
}

static void testShippedTable(void) {
  QaCostTable *k = NULL, *c = NULL;
  QaErr err = {0, ""};
  CHECK(qaCostTableLoad("calibrated45", &k, &err) == QA_OK && qaCostTableLoad("cacti45", &c, &err) == QA_OK);
  if (!k || !c) goto end;
  int n_scale = 0;
  for (int i = 0; i < qaCostTableRowCount(k); i++) {
    const QaCostRow *r = qaCostTableRow(k, i);
    if (strcmp(r->cls, "scale")) continue;
    n_scale++;
    CHECK(r->status == QA_COST_CALIBRATED && r->energy > 0);
    CHECK(strstr(r->source, "diannao.power") && strstr(r->source, "dadn.area") &&
          strstr(r->source, "stripes.energy_eff"));
    CHECK(!strstr(r->source, "pra17") && !strstr(r->source, "lacarx") && !strstr(r->source, "onehot"));
  }
  CHECK_EQ_I64(n_scale, 3); /* at most three fitted parameters */
  CHECK_EQ_I64(qaCostTableRowCount(k), qaCostTableRowCount(c) + 3);
end:
  qaCostTableDestroy(k);
  qaCostTableDestroy(c);
}

int main(void) {
  testPeakPower();
  testNodeFactors();
  testCalibrate();
  testShippedTable();
  return TEST_DONE();
}
