/*
** test_costs.c - cost tables (models/costs.h): every horowitz45 row reproduced exactly (the
** CSV is also parsed independently here), scaling rules monotonic in width and capacity,
** spot values of the interpolation, composites positive and monotonic, the normalised Sze
** table, a user table with other units and column order, lookup by name and $QASIM_DATA,
** one bad-table fixture per error class with file, line and field in the message, the
** Accelergy ERT/ART import against the numbers in the YAML, and unmappable ERTs.
*/
#define _POSIX_C_SOURCE 200809L
#include "models/costs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "qatest.h"

#define TABLES_DIR QA_TEST_DATA "/../../models/tables"

static const char *dataPath(const char *name) {
  static char buf[4][1024];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/costs/%s", QA_TEST_DATA, name);
  return buf[k];
}

static QaCostTable *mustLoad(const char *name) {
  QaCostTable *t = NULL;
  QaErr err = {0};
  int rc = qaCostTableLoad(name, &t, &err);
  CHECK_MSG(rc == QA_OK && t != NULL, "loading %s: %s", name, err.msg);
  return t;
}

static int near(double a, double b, double rel) { return fabs(a - b) <= rel * fabs(b); }

/* ---- every horowitz45 row, priced by the specific function for its class ------------------ */

static int priceLike(const QaCostTable *t, const char *cls, const char *action, int bits_a, int bits_b,
                     long long cap, QaCost *c, QaErr *err) {
  QaCostAction act = !strcmp(action, "read")     ? QA_COST_READ
                     : !strcmp(action, "write")  ? QA_COST_WRITE
                     : !strcmp(action, "access") ? QA_COST_ACCESS
                                                 : QA_COST_OP;
  if (!strcmp(cls, "int_add")) return qaCostIntAdd(t, bits_a, c, err);
  if (!strcmp(cls, "int_mult")) return qaCostIntMult(t, bits_a, bits_b, c, err);
  if (!strcmp(cls, "reg")) return qaCostReg(t, bits_a, c, err);
  if (!strcmp(cls, "fp16_add") || !strcmp(cls, "fp32_add")) return qaCostFpAdd(t, bits_a, c, err);
  if (!strcmp(cls, "fp16_mult") || !strcmp(cls, "fp32_mult")) return qaCostFpMult(t, bits_a, c, err);
  if (!strcmp(cls, "sram") || !strcmp(cls, "edram") || !strcmp(cls, "regfile"))
    return qaCostMem(t, cls, act, bits_a, cap, c, err);
  if (!strncmp(cls, "dram_", 5)) return qaCostDram(t, cls + 5, act, bits_a, c, err);
  return qaErrSet(err, QA_EUSER, "test does not know class %s", cls);
}

/* Parse horowitz45.csv here, without the library, and compare each row with the pricing. */
static void testHorowitzRowsIndependent(void) {
  QaCostTable *t = mustLoad("horowitz45");
  if (!t) return;
  FILE *f = fopen(TABLES_DIR "/horowitz45.csv", "r");
  CHECK_MSG(f != NULL, "cannot open %s", TABLES_DIR "/horowitz45.csv");
  if (!f) {
    qaCostTableDestroy(t);
    return;
  }
  char line[2048];
  int header = 0, n_rows = 0, n_checked = 0;
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '#' || line[0] == '\n') continue;
    if (!header) {
      const char *want = "class,action,bits_a,bits_b,capacity_bytes,energy,energy_unit,area,area_unit,";
      CHECK(!strncmp(line, want, strlen(want)));
      header = 1;
      continue;
    }
    /* the first 12 fields are plain (the quoted source is last) */
    char *fld[12];
    char *p = line;
    int n = 0;
    while (n < 12) {
      fld[n++] = p;
      char *c = strchr(p, ',');
      if (!c) break;
      *c = 0;
      p = c + 1;
    }
    CHECK_MSG(n == 12, "row %d has %d plain fields", n_rows + 1, n);
    if (n < 12) continue;
    n_rows++;
    double e = atof(fld[5]);
    if (!strcmp(fld[6], "nJ"))
      e *= 1000.0;
    else if (!strcmp(fld[6], "fJ"))
      e /= 1000.0;
    else
      CHECK_MSG(!strcmp(fld[6], "pJ"), "unit %s", fld[6]);
    double area = fld[7][0] ? atof(fld[7]) : NAN;
    if (fld[7][0]) CHECK(!strcmp(fld[8], "um2"));
    QaCost c;
    QaErr err = {0};
    int rc = priceLike(t, fld[0], fld[1], atoi(fld[2]), atoi(fld[3]), atoll(fld[4]), &c, &err);
    CHECK_MSG(rc == QA_OK, "%s %s bits %s: %s", fld[0], fld[1], fld[2], err.msg);
    if (rc) continue;
    CHECK_MSG(c.energy == e, "%s %s: priced %.17g, table %.17g", fld[0], fld[2], c.energy, e);
    if (isnan(area))
      CHECK_MSG(isnan(c.area_um2), "%s: area should be unknown", fld[0]);
    else
      CHECK_MSG(c.area_um2 == area, "%s %s: area %.17g, table %.17g", fld[0], fld[2], c.area_um2, area);
    const char *st = qaCostStatusName(c.status);
    CHECK_MSG(!strcmp(st, fld[10]), "%s %s: status %s, table %s", fld[0], fld[2], st, fld[10]);
    n_checked++;
  }
  fclose(f);
  CHECK_EQ_I64(n_rows, qaCostTableRowCount(t));
  CHECK_EQ_I64(n_checked, n_rows);
  CHECK(n_rows >= 22);
  qaCostTableDestroy(t);
}

/* The same through the API: each row priced by qaCostPrimitive at its own size. */
static void testRowsViaApi(const char *name) {
  QaCostTable *t = mustLoad(name);
  if (!t) return;
  for (int i = 0; i < qaCostTableRowCount(t); i++) {
    const QaCostRow *r = qaCostTableRow(t, i);
    QaCost c;
    QaErr err = {0};
    int rc = qaCostPrimitive(t, r->cls, r->action, r->bits_a, r->bits_b, r->capacity_bytes, &c, &err);
    CHECK_MSG(rc == QA_OK, "%s row %d (%s): %s", name, i, r->cls, err.msg);
    if (rc) continue;
    CHECK_MSG(c.energy == r->energy, "%s line %d: %.17g != %.17g", name, r->line, c.energy, r->energy);
    CHECK_MSG((isnan(c.area_um2) && isnan(r->area_um2)) || c.area_um2 == r->area_um2, "%s line %d area", name,
              r->line);
    CHECK_MSG(c.status == r->status, "%s line %d status", name, r->line);
    CHECK(r->source && r->source[0]);
    CHECK(r->line > 0);
  }
  CHECK(qaCostTableRow(t, -1) == NULL);
  CHECK(qaCostTableRow(t, qaCostTableRowCount(t)) == NULL);
  qaCostTableDestroy(t);
}

/* ---- scaling ------------------------------------------------------------------------------- */

static void testMonotonic(void) {
  QaCostTable *t = mustLoad("horowitz45");
  if (!t) return;
  QaErr err = {0};
  QaCost c, p;
  /* adders and registers, 1..32 bits: strictly increasing energy and area */
  for (int k = 0; k < 2; k++) {
    double pe = 0, pa = 0;
    for (int w = 1; w <= 64; w++) {
      int rc = k ? qaCostReg(t, w, &c, &err) : qaCostIntAdd(t, w, &c, &err);
      CHECK_MSG(rc == QA_OK, "%s", err.msg);
      CHECK_MSG(c.energy > pe && c.area_um2 > pa, "%s at %d bits not increasing", k ? "reg" : "add", w);
      pe = c.energy;
      pa = c.area_um2;
    }
  }
  /* multipliers: non-decreasing in each operand, increasing along the diagonal */
  for (int a = 1; a <= 32; a++) {
    for (int b = 1; b <= 32; b++) {
      CHECK(qaCostIntMult(t, a, b, &c, &err) == QA_OK);
      CHECK(c.energy > 0 && c.area_um2 > 0);
      if (a > 1) {
        CHECK(qaCostIntMult(t, a - 1, b, &p, &err) == QA_OK);
        CHECK_MSG(c.energy > p.energy && c.area_um2 > p.area_um2, "mult %dx%d vs %dx%d", a, b, a - 1, b);
      }
      if (b > 1) {
        CHECK(qaCostIntMult(t, a, b - 1, &p, &err) == QA_OK);
        CHECK_MSG(c.energy > p.energy && c.area_um2 > p.area_um2, "mult %dx%d vs %dx%d", a, b, a, b - 1);
      }
    }
  }
  QaCost m8, m16, m32, m16x8;
  CHECK(qaCostIntMult(t, 8, 8, &m8, &err) == QA_OK);
  CHECK(qaCostIntMult(t, 16, 16, &m16, &err) == QA_OK);
  CHECK(qaCostIntMult(t, 32, 32, &m32, &err) == QA_OK);
  CHECK(qaCostIntMult(t, 16, 8, &m16x8, &err) == QA_OK);
  CHECK(m8.energy < m16.energy && m16.energy < m32.energy);
  CHECK(m8.area_um2 < m16.area_um2 && m16.area_um2 < m32.area_um2);
  CHECK(m8.energy < m16x8.energy && m16x8.energy < m16.energy);
  CHECK(m16.energy == 0.787 && m16.status == QA_COST_DERIVED);
  /* SRAM / eDRAM: increasing in capacity 1 KB..64 MB and in access width */
  const char *mems[] = {"sram", "edram"};
  for (int k = 0; k < 2; k++) {
    for (int bits = 8; bits <= 512; bits *= 2) {
      double pe = 0, pa = 0;
      for (long long cap = 1024; cap <= (64LL << 20); cap *= 2) {
        int rc = qaCostMem(t, mems[k], QA_COST_READ, bits, cap, &c, &err);
        CHECK_MSG(rc == QA_OK, "%s", err.msg);
        CHECK_MSG(c.energy > pe && c.area_um2 > pa, "%s %d bits at %lld B not increasing", mems[k], bits,
                  cap);
        pe = c.energy;
        pa = c.area_um2;
      }
    }
    for (long long cap = 1024; cap <= (64LL << 20); cap *= 4) {
      double pe = 0;
      for (int bits = 1; bits <= 512; bits++) {
        CHECK(qaCostMem(t, mems[k], QA_COST_WRITE, bits, cap, &c, &err) == QA_OK);
        CHECK_MSG(c.energy > pe, "%s %d bits at %lld B", mems[k], bits, cap);
        pe = c.energy;
      }
    }
  }
  /* DRAM: linear in bits */
  QaCost d1, d64;
  CHECK(qaCostDram(t, "lpddr4", QA_COST_READ, 1, &d1, &err) == QA_OK);
  CHECK(qaCostDram(t, "lpddr4", QA_COST_READ, 64, &d64, &err) == QA_OK);
  CHECK(d1.energy == 8.0 && d64.energy == 512.0);
  CHECK(qaCostDram(t, "horowitz", QA_COST_WRITE, 64, &d64, &err) == QA_OK);
  CHECK(d64.energy == 1300.0);
  CHECK(qaCostDram(t, "horowitz", QA_COST_WRITE, 1, &d1, &err) == QA_OK);
  CHECK(near(d1.energy, 1300.0 / 64, 1e-12));
  qaCostTableDestroy(t);
}

/* Spot values of the interpolation rules. */
static void testScalingValues(void) {
  QaCostTable *t = mustLoad("horowitz45");
  if (!t) return;
  QaErr err = {0};
  QaCost c;
  CHECK(qaCostIntAdd(t, 24, &c, &err) == QA_OK); /* halfway between 16b 0.05 and 32b 0.1 */
  CHECK(near(c.energy, 0.075, 1e-12) && near(c.area_um2, 102, 1e-12));
  CHECK(c.status == QA_COST_DERIVED && c.area_status == QA_COST_ASSUMED);
  CHECK(qaCostIntAdd(t, 4, &c, &err) == QA_OK); /* proportional below the 8b row */
  CHECK(near(c.energy, 0.015, 1e-12) && near(c.area_um2, 18, 1e-12));
  CHECK(qaCostIntAdd(t, 64, &c, &err) == QA_OK); /* last segment extended */
  CHECK(near(c.energy, 0.2, 1e-12));
  CHECK(qaCostIntMult(t, 4, 4, &c, &err) == QA_OK); /* first power-law segment extended */
  CHECK(near(c.energy, 0.2 * pow(0.25, log(0.787 / 0.2) / log(4.0)), 1e-12));
  CHECK(qaCostMem(t, "sram", QA_COST_READ, 64, 16384, &c, &err) == QA_OK); /* 10 pJ x 2^0.5 */
  CHECK(near(c.energy, 10 * sqrt(2.0), 1e-12));
  CHECK(c.status == QA_COST_DERIVED);
  CHECK(qaCostMem(t, "sram", QA_COST_READ, 32, 8192, &c, &err) == QA_OK); /* half the width */
  CHECK(c.energy == 5.0 && c.area_um2 == 39322);
  CHECK(c.status == QA_COST_DERIVED && c.area_status == QA_COST_ASSUMED);
  CHECK(qaCostMem(t, "sram", QA_COST_ACCESS, 64, 8192, &c, &err) == QA_OK);
  CHECK(c.energy == 10.0 && c.status == QA_COST_VERIFIED);
  CHECK(qaCostFpAdd(t, 16, &c, &err) == QA_OK && c.energy == 0.4 && c.area_um2 == 1360);
  CHECK(qaCostFpMult(t, 32, &c, &err) == QA_OK && c.energy == 3.7 && c.area_um2 == 7700);
  CHECK(qaCostReg(t, 8, &c, &err) == QA_OK && c.status == QA_COST_ASSUMED);
  qaCostTableDestroy(t);
}

/* ---- composites ---------------------------------------------------------------------------- */

typedef int (*Composite1)(const QaCostTable *, int, int, QaCost *, QaErr *);

static int cDecoder(const QaCostTable *t, int n, int unused, QaCost *c, QaErr *e) {
  return qaCostOneHotDecoder(t, n, c, e);
}
static int cExp(const QaCostTable *t, int n, int unused, QaCost *c, QaErr *e) {
  return qaCostExpAdder(t, n, c, e);
}
static int cAcc(const QaCostTable *t, int n, int unused, QaCost *c, QaErr *e) {
  return qaCostAccumulator(t, n, c, e);
}
static int cHistP(const QaCostTable *t, int n, int m, QaCost *c, QaErr *e) {
  return qaCostHistogram(t, n, m, c, e);
}
static int cHistC(const QaCostTable *t, int n, int m, QaCost *c, QaErr *e) {
  return qaCostHistogram(t, m, n, c, e);
}
static int cShiftW(const QaCostTable *t, int n, int m, QaCost *c, QaErr *e) {
  return qaCostShifter(t, n, m, c, e);
}
static int cShiftR(const QaCostTable *t, int n, int m, QaCost *c, QaErr *e) {
  return qaCostShifter(t, m, n, c, e);
}
static int cTreeN(const QaCostTable *t, int n, int m, QaCost *c, QaErr *e) {
  return qaCostAdderTree(t, n, m, c, e);
}
static int cTreeW(const QaCostTable *t, int n, int m, QaCost *c, QaErr *e) {
  return qaCostAdderTree(t, m, n, c, e);
}
static int cMac(const QaCostTable *t, int n, int m, QaCost *c, QaErr *e) {
  return qaCostIntMac(t, n, m, 0, c, e);
}

/* Positive from LO and non-decreasing (strictly increasing if STRICT) over LO..HI. */
static void checkSweep(const QaCostTable *t, const char *what, Composite1 f, int lo, int hi, int other,
                       int strict) {
  double pe = -1, pa = -1;
  for (int n = lo; n <= hi; n++) {
    QaCost c;
    QaErr err = {0};
    int rc = f(t, n, other, &c, &err);
    CHECK_MSG(rc == QA_OK, "%s(%d): %s", what, n, err.msg);
    if (rc) return;
    CHECK_MSG(c.energy > 0 && c.area_um2 > 0, "%s(%d) = %g pJ %g um2", what, n, c.energy, c.area_um2);
    if (strict)
      CHECK_MSG(c.energy > pe && c.area_um2 > pa, "%s(%d) not increasing", what, n);
    else
      CHECK_MSG(c.energy >= pe && c.area_um2 >= pa, "%s(%d) decreasing", what, n);
    pe = c.energy;
    pa = c.area_um2;
  }
}

static void testComposites(void) {
  QaCostTable *t = mustLoad("horowitz45");
  if (!t) return;
  checkSweep(t, "exp_adder", cExp, 1, 16, 0, 1);
  checkSweep(t, "accumulator", cAcc, 1, 48, 0, 1);
  checkSweep(t, "onehot_decoder", cDecoder, 1, 256, 0, 1);
  checkSweep(t, "histogram positions", cHistP, 1, 64, 5, 1);
  checkSweep(t, "histogram counter bits", cHistC, 1, 16, 16, 1);
  checkSweep(t, "shifter width", cShiftW, 1, 64, 16, 1);
  checkSweep(t, "shifter range", cShiftR, 2, 128, 32, 0);
  checkSweep(t, "adder_tree inputs", cTreeN, 2, 256, 16, 1);
  checkSweep(t, "adder_tree width", cTreeW, 1, 48, 16, 1);
  checkSweep(t, "int_mac a", cMac, 1, 16, 8, 1);

  QaErr err = {0};
  QaCost c, a, b, r;
  /* exact compositions */
  CHECK(qaCostAdderTree(t, 2, 16, &c, &err) == QA_OK);
  CHECK(qaCostIntAdd(t, 16, &a, &err) == QA_OK);
  CHECK(c.energy == a.energy && c.area_um2 == a.area_um2);
  CHECK(qaCostAdderTree(t, 4, 8, &c, &err) == QA_OK);
  CHECK(qaCostIntAdd(t, 8, &a, &err) == QA_OK && qaCostIntAdd(t, 9, &b, &err) == QA_OK);
  CHECK(near(c.energy, 2 * a.energy + b.energy, 1e-12));
  CHECK(qaCostAdderTree(t, 3, 8, &c, &err) == QA_OK); /* (8b + 8b) then + 9b */
  CHECK(near(c.energy, a.energy + b.energy, 1e-12));
  CHECK(qaCostAdderTree(t, 1, 32, &c, &err) == QA_OK && c.energy == 0 && c.area_um2 == 0);
  CHECK(qaCostExpAdder(t, 5, &c, &err) == QA_OK && qaCostIntAdd(t, 5, &a, &err) == QA_OK);
  CHECK(c.energy == a.energy);
  CHECK(qaCostOneHotDecoder(t, 16, &c, &err) == QA_OK); /* 16 x 3 AND2, 0.03/32 pJ each */
  CHECK(near(c.energy, 48 * 0.03 / 32, 1e-12) && near(c.area_um2, 48 * 36.0 / 32, 1e-12));
  CHECK(c.status == QA_COST_ASSUMED);
  CHECK(qaCostShifter(t, 32, 32, &c, &err) == QA_OK); /* 5 stages x 32 MUX2, 0.03/16 pJ each */
  CHECK(near(c.energy, 5 * 32 * 0.03 / 16, 1e-12));
  CHECK(qaCostShifter(t, 32, 1, &c, &err) == QA_OK && c.energy == 0);
  CHECK(qaCostHistogram(t, 16, 5, &c, &err) == QA_OK);
  CHECK(qaCostIntAdd(t, 5, &a, &err) == QA_OK && qaCostReg(t, 5, &r, &err) == QA_OK);
  CHECK(near(c.energy, 16 * (a.energy + r.energy), 1e-12) && c.status == QA_COST_ASSUMED);
  CHECK(qaCostIntMac(t, 8, 8, 24, &c, &err) == QA_OK);
  CHECK(qaCostIntMult(t, 8, 8, &a, &err) == QA_OK && qaCostIntAdd(t, 24, &b, &err) == QA_OK &&
        qaCostReg(t, 24, &r, &err) == QA_OK);
  CHECK(near(c.energy, a.energy + b.energy + r.energy, 1e-12) && c.status == QA_COST_ASSUMED);
  /* bad sizes are errors naming the composite */
  CHECK(qaCostOneHotDecoder(t, 0, &c, &err) == QA_EUSER && strstr(err.msg, "onehot_decoder"));
  CHECK(qaCostAdderTree(t, 4, 0, &c, &err) == QA_EUSER && strstr(err.msg, "adder_tree"));
  CHECK(qaCostShifter(t, 0, 4, &c, &err) == QA_EUSER && strstr(err.msg, "shifter"));
  CHECK(qaCostHistogram(t, 4, 0, &c, &err) == QA_EUSER && strstr(err.msg, "histogram"));
  qaCostTableDestroy(t);
}

/* ---- pricing errors ------------------------------------------------------------------------ */

static void testPricingErrors(void) {
  QaCostTable *t = mustLoad("horowitz45");
  if (!t) return;
  QaErr err = {0};
  QaCost c;
  CHECK(qaCostFpAdd(t, 24, &c, &err) == QA_EUSER && strstr(err.msg, "fp24_add"));
  CHECK(qaCostPrimitive(t, "fp16_add", QA_COST_OP, 32, 0, 0, &c, &err) == QA_EUSER &&
        strstr(err.msg, "fp16_add") && strstr(err.msg, "only at 16 bits"));
  CHECK(qaCostIntAdd(t, 0, &c, &err) == QA_EUSER && strstr(err.msg, "int_add"));
  CHECK(qaCostMem(t, "sram", QA_COST_READ, 64, 0, &c, &err) == QA_EUSER && strstr(err.msg, "sram"));
  CHECK(qaCostMem(t, "regfile", QA_COST_READ, 16, 64, &c, &err) == QA_EUSER && strstr(err.msg, "regfile") &&
        strstr(err.msg, "horowitz45"));
  CHECK_MSG(strstr(err.msg, "classes: int_add"), "%s", err.msg);
  CHECK(qaCostMem(t, "flash", QA_COST_READ, 16, 64, &c, &err) == QA_EUSER && strstr(err.msg, "flash"));
  CHECK(qaCostNoc(t, 16, &c, &err) == QA_EUSER && strstr(err.msg, "noc"));
  CHECK(qaCostDram(t, NULL, QA_COST_READ, 64, &c, &err) == QA_EUSER && strstr(err.msg, "several DRAM"));
  CHECK(qaCostDram(t, "ddr5", QA_COST_READ, 64, &c, &err) == QA_EUSER && strstr(err.msg, "'ddr5'") &&
        strstr(err.msg, "lpddr4") && strstr(err.msg, "hbm2"));
  CHECK(qaCostPrimitive(t, "warp_core", QA_COST_OP, 8, 0, 0, &c, &err) == QA_EUSER &&
        strstr(err.msg, "warp_core"));
  CHECK(qaCostInstance(t, "weights_spad", QA_COST_READ, &c, &err) == QA_EUSER &&
        strstr(err.msg, "weights_spad"));
  qaCostTableDestroy(t);
}

/* ---- normalised table ----------------------------------------------------------------------- */

static void testSze(void) {
  QaCostTable *t = mustLoad("sze-normalized");
  QaCostTable *h = mustLoad("horowitz45");
  if (!t || !h) goto end;
  QaErr err = {0};
  QaCost mac, c;
  CHECK(qaCostTableIsNormalized(t) == 1 && qaCostTableIsNormalized(h) == 0);
  CHECK(!strcmp(qaCostTableEnergyUnit(t), "MAC") && !strcmp(qaCostTableEnergyUnit(h), "pJ"));
  CHECK(!strcmp(qaCostTableName(t), "sze-normalized"));
  CHECK(qaCostIntMac(t, 8, 8, 0, &mac, &err) == QA_OK && mac.energy == 1.0);
  CHECK(isnan(mac.area_um2));
  CHECK(qaCostMem(t, "regfile", QA_COST_READ, 16, 512, &c, &err) == QA_OK && c.energy == 1.0);
  CHECK(qaCostNoc(t, 16, &c, &err) == QA_OK && c.energy == 2.0);
  CHECK(qaCostMem(t, "sram", QA_COST_READ, 16, 100000, &c, &err) == QA_OK && c.energy == 6.0);
  CHECK(qaCostMem(t, "sram", QA_COST_WRITE, 64, 1 << 20, &c, &err) == QA_OK && c.energy == 6.0);
  CHECK(qaCostDram(t, NULL, QA_COST_READ, 16, &c, &err) == QA_OK && c.energy == 200.0);
  CHECK(c.status == QA_COST_VERIFIED);
  CHECK(c.energy / mac.energy == 200.0);
  CHECK(qaCostIntAdd(t, 8, &c, &err) == QA_EUSER && strstr(err.msg, "int_add") &&
        strstr(err.msg, "sze-normalized"));
end:
  qaCostTableDestroy(t);
  qaCostTableDestroy(h);
}

/* ---- user tables, lookup by name ---------------------------------------------------------- */

static void testUserTable(void) {
  QaCostTable *t = mustLoad(dataPath("user_small.csv"));
  if (!t) return;
  QaErr err = {0};
  QaCost c;
  CHECK(!strcmp(qaCostTableName(t), "user_small"));
  CHECK(qaCostIntAdd(t, 4, &c, &err) == QA_OK);
  CHECK(near(c.energy, 0.02, 1e-12) && near(c.area_um2, 20, 1e-12) && c.status == QA_COST_ASSUMED);
  CHECK(qaCostIntAdd(t, 8, &c, &err) == QA_OK && near(c.energy, 0.04, 1e-12));
  CHECK(qaCostMem(t, "sram", QA_COST_READ, 32, 2048, &c, &err) == QA_OK && near(c.energy, 4.0, 1e-12));
  CHECK(near(c.area_um2, 10000, 1e-12) && c.area_status == QA_COST_DERIVED);
  CHECK(qaCostMem(t, "sram", QA_COST_WRITE, 32, 2048, &c, &err) == QA_OK && near(c.energy, 5.0, 1e-12));
  CHECK(qaCostMem(t, "sram", QA_COST_ACCESS, 32, 2048, &c, &err) == QA_OK && near(c.energy, 4.0, 1e-12));
  CHECK(qaCostMem(t, "sram", QA_COST_READ, 32, 8192, &c, &err) == QA_OK &&
        near(c.energy, 8.0, 1e-12)); /* one point: sqrt(capacity) */
  const QaCostRow *r = qaCostTableRow(t, 0);
  CHECK(r && near(r->leakage_uw, 0.5, 1e-12) && !strcmp(r->source, "adder, 4 bits"));
  r = qaCostTableRow(t, 1);
  CHECK(r && isnan(r->leakage_uw) && r->action == QA_COST_READ && r->capacity_bytes == 2048);
  qaCostTableDestroy(t);

  /* $QASIM_DATA redirects lookup by name */
  char dir[1024], path[1200];
  snprintf(dir, sizeof dir, "%s/costs_data", QA_TEST_TMP);
  mkdir(QA_TEST_TMP, 0777);
  mkdir(dir, 0777);
  snprintf(path, sizeof path, "%s/models", dir);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/models/tables", dir);
  mkdir(path, 0777);
  snprintf(path, sizeof path, "%s/models/tables/mine.csv", dir);
  FILE *f = fopen(path, "w");
  CHECK_MSG(f != NULL, "cannot create %s: %s", path, strerror(errno));
  if (!f) return;
  fputs("class,energy,energy_unit,status,source\nint_add,1,pJ,assumed,flat adder\n", f);
  fclose(f);
  setenv("QASIM_DATA", dir, 1);
  t = mustLoad("mine");
  if (t) {
    CHECK(qaCostIntAdd(t, 13, &c, &err) == QA_OK && c.energy == 1.0 && isnan(c.area_um2));
    CHECK(!strcmp(qaCostTablePath(t), path));
  }
  qaCostTableDestroy(t);
  t = NULL;
  CHECK(qaCostTableLoad("horowitz45", &t, &err) == QA_EUSER && t == NULL);
  CHECK_MSG(strstr(err.msg, "unknown cost table 'horowitz45'") && strstr(err.msg, "available: mine"), "%s",
            err.msg);
  unsetenv("QASIM_DATA");
  CHECK(qaCostTableLoad("no_such_table", &t, &err) == QA_EUSER && t == NULL);
  CHECK_MSG(strstr(err.msg, "'no_such_table'") && strstr(err.msg, "horowitz45") &&
                strstr(err.msg, "sze-normalized"),
            "%s", err.msg);
  CHECK(qaCostTableLoad(dataPath("does_not_exist.csv"), &t, &err) == QA_EUSER && t == NULL);
  CHECK(strstr(err.msg, "does_not_exist.csv"));
  CHECK(qaCostTableLoad("", &t, &err) == QA_EUSER);
}

/* ---- bad tables: one fixture per error class ------------------------------------------------ */

static void expectBad(const char *file, int line, const char *field, const char *text) {
  QaCostTable *t = NULL;
  QaErr err = {0};
  char want[256];
  int rc = qaCostTableLoad(dataPath(file), &t, &err);
  CHECK_MSG(rc == QA_EUSER && t == NULL, "%s loaded (rc %d)", file, rc);
  snprintf(want, sizeof want, "%s:%d: field '%s': ", file, line, field);
  CHECK_MSG(strstr(err.msg, want) != NULL, "%s: want '%s' in: %s", file, want, err.msg);
  CHECK_MSG(strstr(err.msg, text) != NULL, "%s: want '%s' in: %s", file, text, err.msg);
  qaCostTableDestroy(t);
}

static void testBadTables(void) {
  expectBad("bad_missing.csv", 4, "source", "missing value");
  expectBad("bad_negative.csv", 3, "energy", "negative value -0.2");
  expectBad("bad_nonnumeric.csv", 3, "area", "not a number 'lots'");
  expectBad("bad_energy_unit.csv", 3, "energy_unit", "unknown unit 'kJ'");
  expectBad("bad_area_unit.csv", 2, "area_unit", "unknown unit 'ft2'");
  expectBad("bad_status.csv", 2, "status", "unknown status 'guessed'");
  expectBad("bad_class.csv", 3, "class", "unknown class 'flux_capacitor'");
  expectBad("bad_duplicate.csv", 5, "class", "duplicate row: int_add op 8 bits (first at line 3)");
  expectBad("bad_header.csv", 2, "energy_unit", "required column missing");
  expectBad("bad_monotonic.csv", 3, "energy", "must not decrease");
  expectBad("bad_mixed_units.csv", 3, "energy_unit", "mixes normalised");
  expectBad("bad_memory_size.csv", 2, "capacity_bytes", "needs both capacity_bytes and bits_a");
  expectBad("bad_quote.csv", 2, "source", "quote");
  expectBad("bad_extra_field.csv", 2, "source", "12 fields but the header (line 1) has 11");
  expectBad("bad_action.csv", 2, "action", "memory");
}

/* Rows built in code are checked the same way. */
static void testBuilder(void) {
  QaErr err = {0};
  QaCostTable *t = qaCostTableCreate("built", NULL, 0, &err);
  CHECK(t != NULL);
  if (!t) return;
  QaCostRow r;
  memset(&r, 0, sizeof r);
  snprintf(r.cls, sizeof r.cls, "int_mult");
  r.bits_a = 8;
  r.bits_b = 4;
  r.energy = 0.1;
  r.area_um2 = NAN;
  r.leakage_uw = NAN;
  r.source = "test";
  CHECK(qaCostTableAddRow(t, &r, &err) == QA_OK);
  r.bits_a = 4;
  r.bits_b = 8; /* same a*b product as 8x4 */
  r.energy = 0.2;
  CHECK(qaCostTableAddRow(t, &r, &err) == QA_OK);
  CHECK(qaCostTableFinish(t, &err) == QA_EUSER && strstr(err.msg, "same a*b product"));
  qaCostTableDestroy(t);
  t = qaCostTableCreate("empty", NULL, 0, &err);
  CHECK(qaCostTableFinish(t, &err) == QA_EUSER && strstr(err.msg, "no rows"));
  r.energy = -1;
  CHECK(qaCostTableAddRow(t, &r, &err) == QA_EUSER && strstr(err.msg, "field 'energy'"));
  qaCostTableDestroy(t);
  qaCostTableDestroy(NULL);
}

/* ---- Accelergy ------------------------------------------------------------------------------ */

static const QaCostRaw *findRaw(const QaCostTable *t, const char *component, const char *action) {
  for (int i = 0; i < qaCostTableRawCount(t); i++) {
    const QaCostRaw *r = qaCostTableRaw(t, i);
    if (!strcmp(r->component, component) && !strcmp(r->action, action)) return r;
  }
  return NULL;
}

static void testAccelergy(void) {
  QaCostTable *t = mustLoad(dataPath("accelergy/eyeriss_like.ERT.yaml"));
  if (!t) return;
  QaErr err = {0};
  QaCost c;
  CHECK(!strcmp(qaCostTableName(t), "eyeriss_like"));
  CHECK(qaCostTableIsNormalized(t) == 0);
  CHECK_EQ_I64(qaCostTableRawCount(t), 24); /* 22 ERT actions + 2 ART-only networks */
  /* raw numbers exactly as in the YAML */
  const QaCostRaw *r = findRaw(t, "system_top_level.shared_glb[1..1]", "read");
  CHECK(r && r->energy_pj == 18.183829 && r->area_um2 == 217363.36892 && !strcmp(r->cls, "sram"));
  r = findRaw(t, "system_top_level.mac[1..168]", "compute");
  CHECK(r && r->energy_pj == 0.207692 && r->area_um2 == 191.82 && !strcmp(r->instance, "mac"));
  r = findRaw(t, "system_top_level.DRAM[1..1]", "update");
  CHECK(r && r->energy_pj == 512.0 && !strcmp(r->cls, "dram"));
  CHECK(r && strstr(r->arguments, "global_cycle_seconds=1e-09"));
  r = findRaw(t, "system_top_level.inter_PE_spatial[1..14]", "");
  CHECK(r && isnan(r->energy_pj) && r->area_um2 == 1.0 && !strcmp(r->cls, "noc"));
  /* mapped onto classes */
  CHECK(qaCostMem(t, "sram", QA_COST_READ, 64, 1 << 17, &c, &err) == QA_OK);
  CHECK(c.energy == 18.183829 && c.area_um2 == 217363.36892);
  CHECK(qaCostMem(t, "sram", QA_COST_WRITE, 16, 1 << 10, &c, &err) == QA_OK && c.energy == 14.137929);
  CHECK(qaCostDram(t, NULL, QA_COST_READ, 64, &c, &err) == QA_OK && c.energy == 512.0);
  CHECK(qaCostIntMac(t, 8, 8, 0, &c, &err) == QA_OK && c.energy == 0.207692 && c.area_um2 == 191.82);
  CHECK(qaCostInstance(t, "weights_spad", QA_COST_READ, &c, &err) == QA_OK);
  CHECK(c.energy == 1.976602 && c.area_um2 == 5816.44278);
  CHECK(qaCostInstance(t, "psum_spad", QA_COST_WRITE, &c, &err) == QA_OK && c.energy == 0.2191);
  CHECK(qaCostInstance(t, "ifmap_spad", QA_COST_ACCESS, &c, &err) == QA_OK && c.energy == 0.202442);
  CHECK(qaCostMem(t, "regfile", QA_COST_READ, 16, 24, &c, &err) == QA_EUSER);
  CHECK_MSG(strstr(err.msg, "ifmap_spad") && strstr(err.msg, "weights_spad") && strstr(err.msg, "psum_spad"),
            "%s", err.msg);
  CHECK(qaCostInstance(t, "nothing", QA_COST_READ, &c, &err) == QA_EUSER && strstr(err.msg, "'nothing'"));
  CHECK(qaCostIntMult(t, 8, 8, &c, &err) == QA_EUSER && strstr(err.msg, "int_mult"));
  /* leak (pJ per 1 ns cycle) becomes leakage power in uW */
  int found = 0;
  for (int i = 0; i < qaCostTableRowCount(t); i++) {
    const QaCostRow *row = qaCostTableRow(t, i);
    if (!strcmp(row->instance, "shared_glb")) {
      CHECK(near(row->leakage_uw, 5.652, 1e-9));
      CHECK(row->line > 0 && strstr(row->source, "shared_glb"));
      found++;
    }
  }
  CHECK_EQ_I64(found, 2); /* read and write */
  qaCostTableDestroy(t);

  /* the ERT alone has no areas */
  t = NULL;
  CHECK(qaCostAccelergyLoad(dataPath("accelergy/eyeriss_like.ERT.yaml"), NULL, &t, &err) == QA_OK);
  if (t) {
    CHECK(qaCostIntMac(t, 8, 8, 0, &c, &err) == QA_OK && c.energy == 0.207692 && isnan(c.area_um2));
    CHECK_EQ_I64(qaCostTableRawCount(t), 22);
  }
  qaCostTableDestroy(t);

  /* unmappable component, unmappable action, not an ERT, the ART alone */
  t = NULL;
  CHECK(qaCostTableLoad(dataPath("accelergy/bad_unmappable.ERT.yaml"), &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg, "bad_unmappable.ERT.yaml:11:") &&
                strstr(err.msg, "system_top_level.flux_capacitor[1..4]") && strstr(err.msg, "'charge'") &&
                strstr(err.msg, "mappable names"),
            "%s", err.msg);
  CHECK(qaCostTableLoad(dataPath("accelergy/bad_action.ERT.yaml"), &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg, "bad_action.ERT.yaml:9:") && strstr(err.msg, "shared_glb") &&
                strstr(err.msg, "'teleport'") && strstr(err.msg, "mappable actions: read"),
            "%s", err.msg);
  CHECK(qaCostTableLoad(dataPath("accelergy/not_ert.yaml"), &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg, "not an Accelergy ERT"), "%s", err.msg);
  CHECK(qaCostTableLoad(dataPath("accelergy/eyeriss_like.ART.yaml"), &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg, "ART"), "%s", err.msg);
  CHECK(qaCostTableLoad(dataPath("accelergy/missing.ERT.yaml"), &t, &err) == QA_EUSER && !t);
  /* issue 13: FILE:LINE:COLUMN errors through base/yaml.h; a name too long for the table's
  ** fields is an error, not a silent cut */
  CHECK(qaCostTableLoad(dataPath("accelergy/bad_long_name.ERT.yaml"), &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg, "bad_long_name.ERT.yaml:6:15: component 'system_top_level.weights_spad_xxx") &&
                strstr(err.msg, "the short name is longer than 63 characters"),
            "%s", err.msg);
  CHECK(qaCostTableLoad(dataPath("accelergy/bad_syntax.ERT.yaml"), &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg, "bad_syntax.ERT.yaml:7:7: YAML syntax error: "), "%s", err.msg);
  CHECK(qaCostTableLoad(dataPath("accelergy/bad_energy.ERT.yaml"), &t, &err) == QA_EUSER && !t);
  CHECK_MSG(strstr(err.msg,
                   "bad_energy.ERT.yaml:9:21: component 'system_top_level.shared_glb[1..1]' action "
                   "'read': energy must be a finite number (got '1.5 pJ')"),
            "%s", err.msg);
  CHECK(qaCostTableLoad(QA_TEST_DATA "/costs", &t, &err) == QA_EUSER && !t); /* a directory */
  CHECK_MSG(strstr(err.msg, "/costs: is a directory"), "%s", err.msg);
}

/* ---- listing ---------------------------------------------------------------------------------- */

static char *printToString(const char *name) {
  QaCostTable *t = mustLoad(name);
  char path[1024];
  char *buf = NULL;
  QaErr err = {0};
  if (!t) return NULL;
  mkdir(QA_TEST_TMP, 0777);
  snprintf(path, sizeof path, "%s/costs_listing.txt", QA_TEST_TMP);
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f) {
    CHECK(qaCostTablePrint(t, f, &err) == QA_OK);
    fclose(f);
    CHECK(qaReadFile(path, &buf, NULL, &err) == QA_OK);
  }
  qaCostTableDestroy(t);
  return buf;
}

static void testPrint(void) {
  char *s = printToString("horowitz45");
  CHECK(s && strstr(s, "# cost table 'horowitz45'") && strstr(s, "energy per action in pJ"));
  CHECK(s && strstr(s, "int_mult") && strstr(s, "0.787") && strstr(s, "derived") &&
        strstr(s, "geometric mean"));
  CHECK(s && strstr(s, "dram_lpddr4") && strstr(s, "onehot_decoder(n)") && strstr(s, "adder_tree(n, w)"));
  free(s);
  s = printToString("sze-normalized");
  CHECK(s && strstr(s, "NORMALISED") && strstr(s, "Sze"));
  free(s);
  s = printToString(dataPath("accelergy/eyeriss_like.ERT.yaml"));
  CHECK(s && strstr(s, "imported Accelergy actions") && strstr(s, "system_top_level.weights_spad[1..168]"));
  free(s);
}

/* ---- issue 9: identity by content, overlays, byte-order marks and CR line ends, scales -- */

static void writeFile(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static QaCostTable *loadPath(const char *path) {
  QaCostTable *t = NULL;
  QaErr err = {0};
  CHECK_MSG(qaCostTableLoad(path, &t, &err) == QA_OK, "%s: %s", path, err.msg);
  return t;
}

/* A small table in three spellings: LF with a comment; a UTF-8 byte-order mark and CR-only
** line ends with the columns in another order; CR LF. */
static const char kSmallLf[] =
    "# a comment\n"
    "class,action,bits_a,bits_b,capacity_bytes,energy,energy_unit,area,area_unit,status,source\n"
    "int_add,op,8,,,0.03,pJ,36,um2,verified,\"Horowitz, 8b add\"\n"
    "reg,op,1,,,0.004,pJ,3,um2,assumed,one flip-flop\n";
static const char kSmallBomCr[] =
    "\xEF\xBB\xBF"
    "source,class,action,bits_a,energy,energy_unit,area,area_unit,status\r"
    "\"Horowitz, 8b add\",int_add,op,8,0.03,pJ,36,um2,verified\r"
    "\r"
    "one flip-flop,reg,op,1,0.004,pJ,3,um2,assumed\r";
static const char kSmallCrLf[] =
    "class,action,bits_a,bits_b,capacity_bytes,energy,energy_unit,area,area_unit,status,source\r\n"
    "int_add,op,8,,,0.03,pJ,36,um2,verified,\"Horowitz, 8b add\"\r\n"
    "reg,op,1,,,0.004,pJ,3,um2,assumed,one flip-flop\r\n";

static void testCsvSpellings(void) {
  char lf[] = QA_TEST_TMP "/costs_lf.csv", cr[] = QA_TEST_TMP "/costs_bomcr.csv",
       crlf[] = QA_TEST_TMP "/costs_crlf.csv";
  writeFile(lf, kSmallLf);
  writeFile(cr, kSmallBomCr);
  writeFile(crlf, kSmallCrLf);
  QaCostTable *a = loadPath(lf), *b = loadPath(cr), *c = loadPath(crlf);
  if (a && b && c) {
    CHECK_EQ_I64(qaCostTableRowCount(b), 2);
    /* the same rows (by content), at the right lines: CR alone ends a line */
    CHECK(!strcmp(qaCostTableId(a), qaCostTableId(b)) && !strcmp(qaCostTableId(a), qaCostTableId(c)));
    CHECK_EQ_I64(qaCostTableRow(b, 1)->line, 4);
    CHECK(!strcmp(qaCostTableRow(b, 0)->cls, "int_add") &&
          !strcmp(qaCostTableRow(b, 0)->source, "Horowitz, 8b add"));
    CHECK(qaCostTableRow(b, 1)->energy == 0.004);
  }
  qaCostTableDestroy(a);
  qaCostTableDestroy(b);
  qaCostTableDestroy(c);
  /* an error in a CR-only file names its line */
  writeFile(cr,
            "\xEF\xBB\xBF"
            "class,energy,energy_unit,status,source\rint_add,x,pJ,assumed,s\r");
  QaCostTable *t = NULL;
  QaErr err = {0};
  CHECK_EQ_I64(qaCostTableLoad(cr, &t, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "costs_bomcr.csv:2: field 'energy'"), "%s", err.msg);
}

/* A table is identified by its content (issue 9): the same rows give the same id whatever
** the file's name, comments or column order; any changed number or source gives another. */
static void testIdentity(void) {
  QaCostTable *h1 = mustLoad("horowitz45"), *h2 = mustLoad("horowitz45"), *c45 = mustLoad("cacti45");
  char copy[] = QA_TEST_TMP "/mytable.csv", other[] = QA_TEST_TMP "/other/mytable.csv";
  QaErr err = {0};
  if (!h1 || !h2 || !c45) goto end;
  CHECK_EQ_I64(strlen(qaCostTableId(h1)), 64);
  CHECK(!strcmp(qaCostTableId(h1), qaCostTableId(h2)));
  CHECK(strcmp(qaCostTableId(h1), qaCostTableId(c45)) != 0);
  /* written back by qaCostTableWriteCsv under another name: same rows, same id */
  FILE *f = fopen(copy, "w");
  CHECK(f && qaCostTableWriteCsv(h1, "a copy of horowitz45\nunder another name", f, &err) == QA_OK);
  if (f) fclose(f);
  QaCostTable *w = loadPath(copy);
  CHECK(w && !strcmp(qaCostTableName(w), "mytable") && !strcmp(qaCostTableId(w), qaCostTableId(h1)));
  CHECK(w && qaCostTableRowCount(w) == qaCostTableRowCount(h1));
  qaCostTableDestroy(w);
  /* another file of the same basename with one number changed: another id */
  mkdir(QA_TEST_TMP "/other", 0777);
  writeFile(other, kSmallLf);
  QaCostTable *o1 = loadPath(other);
  char changed[sizeof kSmallLf];
  memcpy(changed, kSmallLf, sizeof changed);
  char *p = strstr(changed, "0.004");
  if (p) p[4] = '5'; /* 0.005 pJ */
  writeFile(copy, changed);
  QaCostTable *o2 = loadPath(copy);
  CHECK(o1 && o2 && !strcmp(qaCostTableName(o1), qaCostTableName(o2)));
  CHECK(o1 && o2 && strcmp(qaCostTableId(o1), qaCostTableId(o2)) != 0);
  qaCostTableDestroy(o1);
  qaCostTableDestroy(o2);
end:
  qaCostTableDestroy(h1);
  qaCostTableDestroy(h2);
  qaCostTableDestroy(c45);
}

/* An Accelergy ERT layered over a table (issue 9): the ERT's classes (sram, regfile, int_mac,
** dram, noc) come from it, every other class from the base. */
static void testOverlay(void) {
  char spec[1100];
  snprintf(spec, sizeof spec, "cacti45,%s", dataPath("accelergy/eyeriss_like.ERT.yaml"));
  QaCostTable *t = mustLoad(spec), *c45 = mustLoad("cacti45");
  QaErr err = {0};
  QaCost c, b;
  if (!t || !c45) goto end;
  CHECK(!strcmp(qaCostTableName(t), "cacti45,eyeriss_like"));
  CHECK(strcmp(qaCostTableId(t), qaCostTableId(c45)) != 0);
  CHECK_EQ_I64(qaCostTableRawCount(t), 24); /* the ERT's actions are kept */
  /* the ERT's global buffer prices every SRAM access, whatever its size */
  CHECK(qaCostMem(t, "sram", QA_COST_READ, 256, 16 << 10, &c, &err) == QA_OK && c.energy == 18.183829);
  CHECK(qaCostTableMemGrid(t, "sram") == NULL && qaCostTableMemGrid(t, "edram") != NULL);
  /* eDRAM and the multipliers stay cacti45's */
  CHECK(qaCostMem(t, "edram", QA_COST_READ, 4096, 2 << 20, &c, &err) == QA_OK);
  CHECK(qaCostMem(c45, "edram", QA_COST_READ, 4096, 2 << 20, &b, &err) == QA_OK && c.energy == b.energy);
  CHECK(qaCostIntMult(t, 16, 16, &c, &err) == QA_OK && c.energy == 0.787);
  CHECK(qaCostIntMac(t, 8, 8, 0, &c, &err) == QA_OK && c.energy == 0.207692);
  /* the ERT's DRAM replaces every DRAM type of the base */
  CHECK(!qaCostTableHasClass(t, "dram_lpddr4") && qaCostTableHasClass(t, "dram"));
  CHECK(qaCostDram(t, NULL, QA_COST_READ, 64, &c, &err) == QA_OK && c.energy == 512.0);
  qaCostTableDestroy(t);
  t = NULL;
  /* a normalised table cannot be layered over one in pJ */
  CHECK_EQ_I64(qaCostTableLoad("cacti45,sze-normalized", &t, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "normalised") && !t, "%s", err.msg);
  CHECK_EQ_I64(qaCostTableLoad("cacti45,", &t, &err), QA_EUSER);
end:
  qaCostTableDestroy(t);
  qaCostTableDestroy(c45);
}

/* Calibration scale rows (class scale, energy_unit x) and leakage statuses. */
static void testScales(void) {
  char path[] = QA_TEST_TMP "/scaled.csv";
  writeFile(path,
            "class,action,instance,bits_a,energy,energy_unit,leakage_uw,status,leakage_status,source\n"
            "int_add,op,,8,0.03,pJ,0.3,verified,assumed,x\n"
            "scale,op,logic_energy,,1.5,x,,calibrated,,fitted to a claim\n");
  QaCostTable *t = loadPath(path);
  QaErr err = {0};
  if (t) {
    double f;
    QaCostStatus st;
    CHECK(qaCostScale(t, QA_SCALE_LOGIC_ENERGY, &f, &st) != NULL && f == 1.5 && st == QA_COST_CALIBRATED);
    CHECK(qaCostScale(t, QA_SCALE_MEMORY_ENERGY, &f, &st) == NULL && f == 1.0 && st == QA_COST_VERIFIED);
    QaCost c;
    /* a scale is not a primitive: prices stay the rows' (compose.c applies the scales) */
    CHECK(qaCostIntAdd(t, 8, &c, &err) == QA_OK && c.energy == 0.03 && c.leakage_status == QA_COST_ASSUMED);
    CHECK(qaCostIntAdd(t, 16, &c, &err) == QA_OK && c.leakage_uw == 0.6 &&
          c.leakage_status == QA_COST_ASSUMED);
  }
  qaCostTableDestroy(t);
  t = NULL;
  writeFile(path,
            "class,action,instance,energy,energy_unit,status,source\nscale,op,wires,2,x,calibrated,s\n");
  CHECK_EQ_I64(qaCostTableLoad(path, &t, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "unknown scale 'wires'") && strstr(err.msg, ":2:"), "%s", err.msg);
  writeFile(path,
            "class,action,instance,energy,energy_unit,status,source\nscale,op,leakage,2,pJ,calibrated,s\n");
  CHECK_EQ_I64(qaCostTableLoad(path, &t, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "energy_unit is x"), "%s", err.msg);
  writeFile(path, "class,bits_a,energy,energy_unit,status,source\nint_add,8,1,x,assumed,s\n");
  CHECK_EQ_I64(qaCostTableLoad(path, &t, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "for scale rows only"), "%s", err.msg);
}

int main(void) {
  mkdir(QA_TEST_TMP, 0777);
  testHorowitzRowsIndependent();
  testRowsViaApi("horowitz45");
  testRowsViaApi("sze-normalized");
  testRowsViaApi(dataPath("user_small.csv"));
  testMonotonic();
  testScalingValues();
  testComposites();
  testPricingErrors();
  testSze();
  testUserTable();
  testBadTables();
  testBuilder();
  testAccelergy();
  testPrint();
  testCsvSpellings();
  testIdentity();
  testOverlay();
  testScales();
  return TEST_DONE();
}
