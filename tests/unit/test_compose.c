/*
** test_compose.c - architecture composition (issue 4: energy and area cost model):
**  - DaDianNao's area per PE, tile and chip worked by hand from the horowitz45 rows
**    (looked up by value), and its energy per action;
**  - the chip leakage of DaDianNao worked by hand with a table that gives leakage;
**  - every registered architecture has a composition that prices with horowitz45;
**  - monotonicity: more tiles / lanes / a wider datapath / a bigger buffer -> more area;
**  - a layer's actions are priced at the layer's operand widths (qaComposePriceAt);
**  - every registered architecture's tables are consistent (issue 7): the memory
**    system's component ids first, unique names, parameter rows inside the spec;
**  - errors: a normalised table, an Accelergy table lacking int_mult and a bad DRAM
**    type are clear QA_EUSER errors; counting a component the config does not build
**    is an internal error.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "models/compose.h"
#include "models/energy.h"
#include "costtest.h"
#include "qatest.h"

#define TABLE_DIR QA_TEST_DATA "/energy"

static void config(const char *arch, QaArchConfig *cfg) {
  const QaArchDesc *d = NULL;
  QaErr err = {0, ""};
  CHECK_MSG(qaArchFind(arch, &d, &err) == QA_OK, "%s", err.msg);
  qaCfgDefaults(d, cfg);
}

static void set(QaArchConfig *cfg, const char *k, const char *v) {
  QaErr err = {0, ""};
  CHECK_MSG(qaCfgSetText(cfg, k, v, "test", &err) == QA_OK, "%s", err.msg);
}

/* The component called NAME, or NULL. */
static const QaPricedComp *find(const QaComposition *cx, const char *name) {
  int id = qaComposeFind(cx, name);
  return id >= 0 ? &cx->comp[id] : NULL;
}

static int compose(const QaArchConfig *cfg, const QaCostTable *t, QaComposition *cx, QaErr *err) {
  QaComposeOptions o = {16, 16, NULL};
  return qaCompose(cfg, t, &o, cx, err);
}

/* ---- DaDianNao by hand ------------------------------------------------------------------ */

static void testDaDianNaoByHand(const QaCostTable *h) {
  QaArchConfig cfg;
  QaComposition cx;
  QaErr err = {0, ""};
  config("dadiannao", &cfg);
  CHECK_MSG(compose(&cfg, h, &cx, &err) == QA_OK, "%s", err.msg);

  /* horowitz45 rows, by value */
  double add16a = row(h, "int_add", 16, 0, 0)->area_um2;   /* 67 um^2 */
  double add32a = row(h, "int_add", 32, 0, 0)->area_um2;   /* 137 um^2 */
  double add32e = row(h, "int_add", 32, 0, 0)->energy;     /* 0.1 pJ */
  double add16e = row(h, "int_add", 16, 0, 0)->energy;     /* 0.05 pJ */
  double reg8a = row(h, "reg", 8, 0, 0)->area_um2;         /* 36 um^2 */
  double reg8e = row(h, "reg", 8, 0, 0)->energy;           /* 0.03 pJ */
  double mul16a = row(h, "int_mult", 16, 16, 0)->area_um2; /* 993 um^2 */
  double mul16e = row(h, "int_mult", 16, 16, 0)->energy;   /* 0.787 pJ */
  CHECK_NEAR(mul16a, 993);
  CHECK_NEAR(add32a, 137);

  /* Adders above 32 bits extend the 16 -> 32 segment: A(w) = 137 + (137 - 67)/16 (w - 32). */
#define ADD_A(w) (add32a + (add32a - add16a) / 16.0 * ((w)-32))
#define ADD_E(w) (add32e + (add32e - add16e) / 16.0 * ((w)-32))
  /* The PE's adder tree: 16 products of 2 x 16 = 32 bits -> 8 adders of 32 bits, 4 of 33,
  ** 2 of 34, 1 of 35: 8*137 + 4*141.375 + 2*145.75 + 150.125 = 2103.125 um^2. */
  double tree_a = 8 * ADD_A(32) + 4 * ADD_A(33) + 2 * ADD_A(34) + ADD_A(35);
  CHECK_NEAR(tree_a, 2103.125);
  /* its energy: 8*0.1 + 4*0.103125 + 2*0.10625 + 0.109375 = 1.534375 pJ */
  double tree_e = 8 * ADD_E(32) + 4 * ADD_E(33) + 2 * ADD_E(34) + ADD_E(35);
  CHECK_NEAR(tree_e, 1.534375);
  /* The 48-bit accumulator: int_add(48) + reg(48) = (137 + 70) + 36 * 48/8 = 207 + 216 = 423 um^2;
  ** energy (0.1 + 0.05) + 0.03 * 6 = 0.33 pJ. */
  double acc_a = ADD_A(48) + reg8a * 48 / 8, acc_e = ADD_E(48) + reg8e * 48 / 8;
  CHECK_NEAR(acc_a, 423);
  CHECK_NEAR(acc_e, 0.33);
  /* Registers (issue 9), reg(w) = 36 * w/8 um^2: the lanes weights 16 x 16 = 256 bits
  ** (1152 um^2) and the lanes products 16 x 32 = 512 bits (2304 um^2) per PE; the activation
  ** brick 256 bits per tile (1152 um^2). */
  double wreg_a = reg8a * 256 / 8, preg_a = reg8a * 512 / 8, areg_a = reg8a * 256 / 8;
  CHECK_NEAR(wreg_a + preg_a, 3456);
  /* PE = 16 multipliers + tree + accumulator + registers = 16*993 + 2103.125 + 423 + 3456
  ** = 21870.125 um^2 */
  double pe = 16 * mul16a + tree_a + acc_a + wreg_a + preg_a;
  CHECK_NEAR(pe, 21870.125);
  CHECK_NEAR(cx.pe_area_um2, pe);

  /* Memories: area is a power law in capacity through the rows (log-log), the last
  ** segment extended above 1 MB. */
  const QaCostRow *s8 = row(h, "sram", 64, 0, 8192), *s32 = row(h, "sram", 64, 0, 32768);
  const QaCostRow *e32 = row(h, "edram", 64, 0, 32768), *e1m = row(h, "edram", 64, 0, 1048576);
  /* 16 KiB SRAM, between 8 KB and 32 KB: a(16K) = a(8K) * 2^(log(a32/a8)/log 4) */
  double nb_a = s8->area_um2 * pow(2.0, log(s32->area_um2 / s8->area_um2) / log(4.0));
  /* 2 MiB eDRAM: a(2M) = a(1M) * 2^(log(a1M/a32K)/log 32); 4 MiB: * 4^(...) */
  double ek = log(e1m->area_um2 / e32->area_um2) / log(32.0);
  double sb_a = e1m->area_um2 * pow(2.0, ek), nm_a = e1m->area_um2 * pow(4.0, ek);
  /* tile = 16 PEs + SB + NBin + NBout + the activation register; chip = 16 tiles + NM */
  double tile = 16 * pe + sb_a + 2 * nb_a + areg_a, chip = 16 * tile + nm_a;
  CHECK_NEAR(cx.tile_area_um2, tile);
  CHECK_NEAR(cx.chip_area_um2, chip);
  CHECK(cx.chip_area_um2 / 1e6 > 60 && cx.chip_area_um2 / 1e6 < 75); /* ~67.6 mm^2 */
  CHECK_EQ_I64(cx.tiles, 16);
  CHECK_EQ_I64(cx.pes_per_tile, 16);

  /* Energy per action */
  const QaPricedComp *c = find(&cx, "mult");
  CHECK(c && c->size.count == 16 && c->def->scope == QA_SCOPE_PE && near(c->op.energy, mul16e));
  CHECK(c && strstr(c->rows, "int_mult line") && strstr(c->rows, "(exact)"));
  CHECK(c && !strcmp(c->what, "int_mult(16x16)"));
  c = find(&cx, "adder_tree");
  CHECK(c && c->size.n == 16 && c->size.bits_a == 32 && near(c->op.energy, tree_e));
  c = find(&cx, "acc");
  CHECK(c && near(c->op.energy, acc_e) && c->def->category == QA_CAT_ACCUMULATION);
  /* SB read per bit: e(2M)/bit = (100/64) * 2^(log(100/20)/log 32) = 2.1558 pJ/bit */
  const QaCostRow *r1m = row(h, "edram", 64, 0, 1048576);
  double sb_bit = r1m->energy / 64 * pow(2.0, log(r1m->energy / e32->energy) / log(32.0));
  c = find(&cx, "sb");
  CHECK(c && near(c->read_pj_per_bit, sb_bit) && c->size.access_bits == 4096 &&
        c->size.capacity_bytes == 2 << 20);
  CHECK(fabs(sb_bit - 2.1558) < 1e-3);
  /* NBin per bit: (10/64) * 2^(log(20/10)/log 4) = 0.15625 * sqrt(2) = 0.22097 pJ/bit */
  c = find(&cx, "nbin");
  CHECK(c && near(c->read_pj_per_bit, s8->energy / 64 * pow(2.0, log(s32->energy / s8->energy) / log(4.0))));
  c = find(&cx, "dram");
  CHECK(c && near(c->read_pj_per_bit, row(h, "dram_lpddr4", 1, 0, 0)->energy) &&
        !strcmp(c->dram_type, "dram_lpddr4") && c->op.area_um2 == 0);
  CHECK(!strcmp(cx.costs, "horowitz45"));
  CHECK_EQ_I64(cx.n_leak_known, 0); /* horowitz45 gives no leakage */

  /* Pricing at other widths: the 16-bit hardware's multipliers are built 16 x 16 whatever
  ** the layer (its datapath is fixed), so pricing at 8 x 8 gives the same prices. */
  QaPricedComp at8[QA_COMP_MAX];
  CHECK(qaComposePriceAt(&cx, 8, 8, at8, &err) == QA_OK);
  CHECK(near(at8[qaComposeFind(&cx, "mult")].op.energy, mul16e));
  CHECK(near(at8[qaComposeFind(&cx, "sb")].read_pj_per_bit, sb_bit));
  CHECK_EQ_I64(qaComposeFind(&cx, "multiplier"), -1);

  /* The listing names every component, its primitive and rows, and the areas. */
  char buf[16384];
  FILE *f = fmemopen(buf, sizeof buf, "w");
  CHECK(qaComposePrint(&cx, f, &err) == QA_OK);
  fclose(f);
  CHECK(strstr(buf, "int_mult(16x16)") && strstr(buf, "edram(2097152 B, 4096-bit access)"));
  CHECK(strstr(buf, "area: PE 21870.1 um^2"));
  CHECK(strstr(buf, "not modelled") && strstr(buf, "interconnect") && strstr(buf, "chip I/O"));
  CHECK(strstr(buf, "static energy is not priced"));
  CHECK(strstr(buf, "dram_lpddr4 line"));

  /* dadiannao8: 32 lanes of 8x8 multipliers (the table's exact 8-bit row). */
  config("dadiannao8", &cfg);
  CHECK_MSG(compose(&cfg, h, &cx, &err) == QA_OK, "%s", err.msg);
  c = find(&cx, "mult");
  CHECK(c && c->size.count == 32 && near(c->op.area_um2, row(h, "int_mult", 8, 8, 0)->area_um2));
  /* tree of 32 inputs of 16 bits: 16*add(16) + 8*add(17) + 4*add(18) + 2*add(19) + add(20);
  ** add(w) for 16 < w < 32 = 67 + 70/16 (w - 16) */
#define ADD_A2(w) (add16a + (add32a - add16a) / 16.0 * ((w)-16))
  double tree8 = 16 * ADD_A2(16) + 8 * ADD_A2(17) + 4 * ADD_A2(18) + 2 * ADD_A2(19) + ADD_A2(20);
  /* accumulator 32 bits: 137 + 36 * 4 = 281; registers 32 x 8 + 32 x 16 = 768 bits = 3456 */
  CHECK_NEAR(cx.pe_area_um2, 32 * row(h, "int_mult", 8, 8, 0)->area_um2 + tree8 + 281 + 3456);
#undef ADD_A
#undef ADD_E
#undef ADD_A2
}

/* ---- every architecture's area by hand (horowitz45 areas) ------------------------------------
** Worked from the rows (int_add 36/67/137 um^2 at 8/16/32 bits, linear between them and
** through 0 below 8; reg 36 um^2 per 8 bits; int_mult 282 um^2 at 8x8) and the composite
** rules of models/README.md: AND2 = add(8)/32 = 1.125; MUX2 = add(8)/16 = 2.25; an
** n-output decoder n x max(1, ceil(log2 n) - 1) AND2; a histogram p x (add(c) + reg(c));
** a tree of n inputs n-1 adders one bit wider per level; an accumulator add(w) + reg(w).
** add(w) for 16 < w <= 32 is 67 + 4.375 (w - 16), e.g. add(19) = 80.125; above 32 the
** 16 -> 32 segment goes on: add(48) = 207, so acc(48) = 207 + 216 = 423. */
static void testAreasByHand(const QaCostTable *h) {
  /* memories (as in testDaDianNaoByHand): 16 KiB SRAM, 2 MiB and 4 MiB eDRAM */
  const QaCostRow *s8 = row(h, "sram", 64, 0, 8192), *s32 = row(h, "sram", 64, 0, 32768);
  const QaCostRow *e32 = row(h, "edram", 64, 0, 32768), *e1m = row(h, "edram", 64, 0, 1048576);
  double nb = s8->area_um2 * pow(2.0, log(s32->area_um2 / s8->area_um2) / log(4.0));
  double ek = log(e1m->area_um2 / e32->area_um2) / log(32.0);
  double sb = e1m->area_um2 * pow(2.0, ek), nm = e1m->area_um2 * pow(4.0, ek);
  CHECK(row(h, "int_add", 8, 0, 0)->area_um2 == 36 && row(h, "int_add", 16, 0, 0)->area_um2 == 67 &&
        row(h, "int_add", 32, 0, 0)->area_um2 == 137 && row(h, "reg", 8, 0, 0)->area_um2 == 36 &&
        row(h, "int_mult", 8, 8, 0)->area_um2 == 282);
  struct {
    const char *arch;
    double pe;    /* one PE by hand */
    int pes;      /* PEs per tile */
    double extra; /* tile logic besides the PEs and memories */
  } cases[] = {
      /* stripes SIP: 16 lanes x 16 AND2 = 16 x 18; a 16-input tree of 16-bit adders:
      ** 8 x 67 + 4 x 71.375 + 2 x 75.75 + 80.125 = 1053.125; acc(48) 423; the weight register
      ** 16 x 16 = 256 bits 1152; total 2916.125; 16 windows x 16 filters per tile; per tile 16
      ** column shift registers of 16 lanes x 16 bits: 16 x 1152 = 18432 */
      {"stripes", 1764.125 + 1152, 256, 18432},
      /* pragmatic: 16 first-stage shifters of 16 bits by 0..3 (2 stages x 16 MUX2 = 72); a
      ** 16-input tree of 16 + 4 - 1 = 19-bit adders: 8 x 80.125 + 4 x 84.5 + 2 x 88.875 +
      ** 93.25 = 1250; a second stage of 19 + 4 = 23 bits by 0..15 (4 x 23 MUX2 = 207);
      ** acc(48) 423: 16 x 72 + 1250 + 207 + 423 = 3032; plus the default one-brick
      ** run-ahead bank (issue 8): 16 lanes x 16 bits = 256 flip-flops reg(256) = 256 x 4.5 =
      ** 1152 (its 1-deep read multiplexer is free): 4184 */
      /* + the weight register 256 bits 1152 per PE, and per tile 16 column offset generators
      ** of 16 lanes x 16 bits: 18432 */
      {"pragmatic", 3032.0 + 1152.0 + 1152.0, 256, 18432},
      /* laconic PE: 16 lanes x (5-bit exponent adder 22.5 + 33-output decoder 33 x 5 AND2
      ** = 185.625); a histogram of 33 6-bit counters 33 x 54 = 1782; the 6-bit shifter over
      ** 33 positions 6 x 6 MUX2 = 81; a 33-input tree of 39-bit adders 5499.625 (16 x 167.625
      ** + 8 x 172 + 4 x 176.375 + 2 x 180.75 + 1 x 185.125 + 1 x 189.5 over its six levels);
      ** acc 423: 11115.625. Per tile (16 rows + 16 columns) x 16 lanes term encoders of 16
      ** bits (= int_add(16)): 512 x 67 = 34304; the operand registers of 16 columns and 16
      ** rows, 16 lanes x 16 bits each: 32 x 1152 = 36864 */
      {"laconic", 11115.625, 256, 34304 + 36864},
      /* khot-laconic: the same PE; k-hot codes are stored as exponents + sign, so no term
      ** encoders (issue 8), and the operand registers hold 16 lanes x 9-bit 2-hot codes (2 x 4
      ** exponent bits + sign): 32 x 144 x 4.5 = 20736 */
      {"khot-laconic", 11115.625, 256, 20736},
      /* onehot-dadiannao PE row: 16 lanes x (4-bit exponent adder 18 + 31-output decoder
      ** 31 x 4 AND2 = 139.5); a histogram of 31 6-bit counters 31 x 54 = 1674; a 31-input
      ** tree of 37-bit adders 4880; acc 423: 9497; registers: the lanes weight codes 16 x 5
      ** bits (one-hot 16-bit: 4 exponent bits + sign) 360, the lanes exponent sums 16 x
      ** (5 + 1) bits 432: 10289; per tile the activation codes 80 bits 360 */
      {"onehot-dadiannao", 9497.0 + 360 + 432, 16, 360},
      /* dadiannao8: 32 multipliers 8x8 (282); a 32-input tree of 16-bit adders: 16 x 67 +
      ** 8 x 71.375 + 4 x 75.75 + 2 x 80.125 + 84.5 = 2190.75; acc(32) 137 + 144 = 281;
      ** registers 256 + 512 bits 3456; per tile the activation brick 256 bits 1152 */
      {"dadiannao8", 32 * 282 + 2190.75 + 281 + 3456, 16, 1152},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const QaArchDesc *d;
    QaErr err = {0, ""};
    CHECK_MSG(qaArchFind(cases[i].arch, &d, &err) == QA_OK, "%s", err.msg); /* every case's arch exists */
    QaArchConfig cfg;
    QaComposition cx;
    config(cases[i].arch, &cfg);
    CHECK_MSG(compose(&cfg, h, &cx, &err) == QA_OK, "%s", err.msg);
    /* tile = PEs + logic + SB + NBin + NBout; chip = 16 tiles + NM */
    double tile = cases[i].pes * cases[i].pe + cases[i].extra + sb + 2 * nb;
    CHECK_MSG(near(cx.pe_area_um2, cases[i].pe), "%s PE %.6f vs %.6f", cases[i].arch, cx.pe_area_um2,
              cases[i].pe);
    CHECK_MSG(cx.pes_per_tile == cases[i].pes && near(cx.tile_area_um2, tile), "%s tile %.3f vs %.3f",
              cases[i].arch, cx.tile_area_um2, tile);
    CHECK_MSG(near(cx.chip_area_um2, 16 * tile + nm), "%s chip", cases[i].arch);
  }
}

/* DaDianNao's chip leakage with tests/data/energy/leaky.csv (one point per class, leakage
** scaled like the area): int_add(w) leaks w/16 uW, reg(w) w/16 uW, int_mult(16x16) 10 uW,
** sram 100 uW per 8 KB, edram 50 uW per 8 KB. */
static void testLeakageByHand(void) {
  QaCostTable *t = NULL;
  QaErr err = {0, ""};
  CHECK_MSG(qaCostTableLoad(TABLE_DIR "/leaky.csv", &t, &err) == QA_OK, "%s", err.msg);
  if (!t) return;
  QaArchConfig cfg;
  QaComposition cx;
  config("dadiannao", &cfg);
  CHECK_MSG(compose(&cfg, t, &cx, &err) == QA_OK, "%s", err.msg);
  /* PE: 16 mults x 10 = 160; tree (8*32 + 4*33 + 2*34 + 35)/16 = 491/16 = 30.6875;
  ** accumulator add(48) + reg(48) = 3 + 3 = 6; registers reg(256) + reg(512) = 16 + 32 = 48
  ** -> 244.6875 uW */
  double pe = 16 * 10.0 + 491.0 / 16 + 6 + 48;
  /* tile: 16 PEs + SB 2 MiB eDRAM (50 x 256 = 12800) + NBin and NBout 16 KiB (2 x 100 x 2)
  ** + the activation register reg(256) 16 = 3915 + 13216 = 17131 uW; chip: 16 tiles + NM
  ** 4 MiB (50 x 512 = 25600) = 299696 uW */
  double chip = 16 * (16 * pe + 12800 + 400 + 16) + 25600;
  CHECK_NEAR(chip, 299696);
  CHECK_NEAR(cx.chip_leakage_uw, chip);
  CHECK_EQ_I64(cx.n_leak_known, 10);
  CHECK_EQ_I64(cx.n_leak_missing, 0);
  qaCostTableDestroy(t);
}

/* ---- every architecture -------------------------------------------------------------------- */

static void testEveryArch(const QaCostTable *h) {
  QaErr err = {0, ""};
  CHECK(qaArchCount() >= 2);
  for (int i = 0; i < qaArchCount(); i++) {
    const QaArchDesc *d = qaArchAt(i);
    QaArchConfig cfg;
    QaComposition cx;
    qaCfgDefaults(d, &cfg);
    int rc = compose(&cfg, h, &cx, &err);
    CHECK_MSG(rc == QA_OK, "%s: %s", d->name, err.msg);
    if (rc) continue;
    CHECK(cx.n_comp >= 4);
    CHECK_MSG(cx.pe_area_um2 > 0 && cx.tile_area_um2 > cx.pe_area_um2 && cx.chip_area_um2 > cx.tile_area_um2,
              "%s: areas %g %g %g", d->name, cx.pe_area_um2, cx.tile_area_um2, cx.chip_area_um2);
    int has_dram = 0, has_mem = 0;
    for (int k = 0; k < cx.n_comp; k++) {
      const QaPricedComp *c = &cx.comp[k];
      if (!c->size.count) continue; /* not built at this config */
      const char *nm = c->def->name;
      /* a one-deep register bank is read without a multiplexer: its writes cost */
      CHECK_MSG(c->op.energy > 0 || (c->def->prim == QA_PRIM_SHIFTER && c->size.n <= 1) ||
                    (c->def->prim == QA_PRIM_REG_BANK && c->write.energy > 0),
                "%s.%s", d->name, nm);
      CHECK_MSG(!isnan(c->op.area_um2), "%s.%s has no area", d->name, nm);
      CHECK_MSG(c->what[0] && c->rows[0] && c->def->role && c->def->role[0], "%s.%s", d->name, nm);
      has_dram |= c->def->category == QA_CAT_DRAM;
      has_mem |= c->def->category == QA_CAT_MEMORY;
    }
    CHECK_MSG(has_dram && has_mem, "%s", d->name);
  }
}

/* Issue 7: the typed tables of every registered architecture are consistent: the memory
** system's components come first with their fixed ids, names are unique, every
** parameter row points inside the spec struct, the spec fits a config, the kernel and
** inventory are there, and parameter names shared between architectures mean the same
** field of QaArchSpec. */
static void testTables(void) {
  static const char *const mem[QA_C_COMMON] = {"sb", "nbin", "nbout", "nm", "dram"};
  CHECK_EQ_I64(qaArchCount(), 7);
  for (int i = 0; i < qaArchCount(); i++) {
    const QaArchDesc *d = qaArchAt(i);
    CHECK_MSG(d->spec_size >= sizeof(QaArchSpec) && d->spec_size <= QA_SPEC_BYTES, "%s spec %zu", d->name,
              d->spec_size);
    CHECK_MSG(d->n_params <= QA_PARAMS_MAX && d->n_comps <= QA_COMP_MAX && d->n_comps > QA_C_COMMON, "%s",
              d->name);
    CHECK_MSG(d->inventory && d->check && d->begin && d->run_chunk && d->tick && d->end && d->peak_macs, "%s",
              d->name);
    for (int k = 0; k < QA_C_COMMON; k++)
      CHECK_MSG(!strcmp(d->comps[k].name, mem[k]), "%s comp %d", d->name, k);
    for (int k = 0; k < d->n_comps; k++) {
      CHECK_MSG(d->comps[k].name && d->comps[k].role, "%s comp %d has no name or role", d->name, k);
      for (int m = 0; m < k; m++)
        CHECK_MSG(strcmp(d->comps[k].name, d->comps[m].name), "%s: two components named %s", d->name,
                  d->comps[k].name);
    }
    for (int k = 0; k < d->n_params; k++) {
      const QaParam *p = &d->params[k];
      size_t w = p->type == QA_PT_REAL ? sizeof(double) : sizeof(int);
      CHECK_MSG(p->offset + w <= d->spec_size, "%s.%s lies outside the spec", d->name, p->name);
      CHECK_MSG(p->def >= p->min && p->def <= p->max, "%s.%s default out of range", d->name, p->name);
      CHECK_MSG((p->type == QA_PT_ENUM) == (p->names != NULL), "%s.%s", d->name, p->name);
      for (int m = 0; m < k; m++)
        CHECK_MSG(strcmp(p->name, d->params[m].name), "%s: %s twice", d->name, p->name);
      static const struct {
        const char *name;
        size_t off;
      } shared[] = {
          {"tiles", offsetof(QaArchSpec, tiles)},       {"rows", offsetof(QaArchSpec, rows)},
          {"columns", offsetof(QaArchSpec, columns)},   {"lanes", offsetof(QaArchSpec, lanes)},
          {"acc_bits", offsetof(QaArchSpec, acc_bits)}, {"clock_mhz", offsetof(QaArchSpec, clock_mhz)},
          {"sb_kib", offsetof(QaArchSpec, mem.sb_kib)}, {"nm_kib", offsetof(QaArchSpec, mem.nm_kib)}};
      for (size_t s = 0; s < sizeof shared / sizeof shared[0]; s++)
        if (!strcmp(p->name, shared[s].name))
          CHECK_MSG(p->offset == shared[s].off, "%s.%s is not QaArchSpec's field", d->name, p->name);
    }
  }
}

/* More hardware never costs less area. */
static void testMonotonic(const QaCostTable *h) {
  struct {
    const char *arch, *param, *lo, *hi;
    int what; /* 0 PE, 1 tile, 2 chip */
  } cases[] = {
      {"dadiannao", "tiles", "8", "16", 2},       {"dadiannao", "datapath_bits", "8", "16", 0},
      {"dadiannao", "lanes", "8", "16", 0},       {"dadiannao", "sb_kib", "1024", "2048", 1},
      {"dadiannao", "rows", "8", "16", 1},        {"dadiannao", "acc_bits", "32", "48", 0},
      {"dadiannao", "nm_kib", "2048", "4096", 2}, {"stripes", "columns", "8", "16", 1},
      {"stripes", "datapath_bits", "8", "16", 0}, {"pragmatic", "first_stage_bits", "1", "3", 0},
      {"pragmatic", "runahead", "0", "2", 0},     {"laconic", "lanes", "8", "16", 0},
      {"laconic", "columns", "8", "16", 1},       {"onehot-dadiannao", "max_bits", "8", "16", 0},
      {"khot-laconic", "tiles", "4", "8", 2},     {"laconic", "max_bits", "8", "16", 0},
      {"khot-laconic", "max_bits", "4", "8", 0},
  };
  QaErr err = {0, ""};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const QaArchDesc *d;
    CHECK_MSG(qaArchFind(cases[i].arch, &d, &err) == QA_OK, "%s", err.msg); /* every case's arch exists */
    QaArchConfig lo, hi;
    QaComposition a, b;
    config(cases[i].arch, &lo);
    config(cases[i].arch, &hi);
    set(&lo, cases[i].param, cases[i].lo);
    set(&hi, cases[i].param, cases[i].hi);
    CHECK_MSG(compose(&lo, h, &a, &err) == QA_OK && compose(&hi, h, &b, &err) == QA_OK, "%s", err.msg);
    double va = cases[i].what == 0 ? a.pe_area_um2 : cases[i].what == 1 ? a.tile_area_um2 : a.chip_area_um2;
    double vb = cases[i].what == 0 ? b.pe_area_um2 : cases[i].what == 1 ? b.tile_area_um2 : b.chip_area_um2;
    CHECK_MSG(vb > va, "%s %s %s -> %s: area %g -> %g", cases[i].arch, cases[i].param, cases[i].lo,
              cases[i].hi, va, vb);
    CHECK(b.chip_area_um2 > a.chip_area_um2);
  }
}

/* ---- errors and options -------------------------------------------------------------------- */

static void testErrors(const QaCostTable *h) {
  QaErr err = {0, ""};
  QaArchConfig cfg;
  QaComposition cx;
  config("dadiannao", &cfg);

  /* A normalised table is not pJ. */
  QaCostTable *t = NULL;
  CHECK(qaCostTableLoad("sze-normalized", &t, &err) == QA_OK);
  CHECK_EQ_I64(compose(&cfg, t, &cx, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "'sze-normalized' is normalised") != NULL, "%s", err.msg);
  qaCostTableDestroy(t);
  t = NULL;

  /* An Accelergy table without a multiplier: the error names the component and what the
  ** table has. */
  CHECK_MSG(qaCostTableLoad(QA_TEST_DATA "/costs/accelergy/eyeriss_like.ERT.yaml", &t, &err) == QA_OK, "%s",
            err.msg);
  if (t) {
    CHECK_EQ_I64(compose(&cfg, t, &cx, &err), QA_EUSER);
    CHECK_MSG(strstr(err.msg, "dadiannao: component 'mult' = int_mult(16x16)") &&
                  strstr(err.msg, "no int_mult rows"),
              "%s", err.msg);
    CHECK(cx.n_comp == 0); /* nothing half-built is left */
    qaCostTableDestroy(t);
    t = NULL;
  }
  /* Layered over cacti45 it prices every component (issue 9): NBin from the ERT's global
  ** buffer (18.183829 pJ per read, 256 bits), the multipliers and the SB from cacti45. */
  CHECK_MSG(
      qaCostTableLoad("cacti45," QA_TEST_DATA "/costs/accelergy/eyeriss_like.ERT.yaml", &t, &err) == QA_OK,
      "%s", err.msg);
  if (t) {
    CHECK_MSG(compose(&cfg, t, &cx, &err) == QA_OK, "%s", err.msg);
    const QaPricedComp *nb = find(&cx, "nbin"), *m = find(&cx, "mult"), *sb = find(&cx, "sb");
    CHECK(nb && near(nb->read_pj_per_bit, 18.183829 / 256) && strstr(nb->rows, "width-independent"));
    CHECK(m && near(m->op.energy, 0.787) && sb && strstr(sb->rows, "cacti45 edram"));
    CHECK(!strcmp(cx.costs, "cacti45,eyeriss_like"));
    qaCostTableDestroy(t);
    t = NULL;
  }

  /* DRAM types: a non-default type changes the label; an unknown one lists the types. */
  QaComposeOptions o = {16, 16, "ddr3"};
  CHECK_MSG(qaCompose(&cfg, h, &o, &cx, &err) == QA_OK, "%s", err.msg);
  CHECK(!strcmp(cx.costs, "horowitz45+ddr3"));
  const QaPricedComp *c = find(&cx, "dram");
  CHECK(c && near(c->read_pj_per_bit, row(h, "dram_ddr3", 1, 0, 0)->energy) &&
        !strcmp(c->dram_type, "dram_ddr3"));
  o.dram_type = "lpddr4"; /* the default: no suffix */
  CHECK(qaCompose(&cfg, h, &o, &cx, &err) == QA_OK && !strcmp(cx.costs, "horowitz45"));
  o.dram_type = "sdram9";
  CHECK_EQ_I64(qaCompose(&cfg, h, &o, &cx, &err), QA_EUSER);
  CHECK_MSG(strstr(err.msg, "no DRAM type 'sdram9'") && strstr(err.msg, "lpddr4") &&
                strstr(err.msg, "component 'dram'"),
            "%s", err.msg);

  /* Names */
  CHECK(!strcmp(qaScopeName(QA_SCOPE_TILE), "tile") && !strcmp(qaCategoryName(QA_CAT_STATIC), "static"));
}

/* A layer's actions are priced at its operand widths: the inventory sized for them. */
static void testPriceAt(const QaCostTable *h) {
  QaErr err = {0, ""};
  QaArchConfig cfg;
  QaComposition cx;
  QaPricedComp p[QA_COMP_MAX];
  double add8 = row(h, "int_add", 8, 0, 0)->energy, reg8 = row(h, "reg", 8, 0, 0)->energy;
  config("stripes", &cfg);
  CHECK(compose(&cfg, h, &cx, &err) == QA_OK);
  /* a lane's row of 1 x 16 AND gates = 16 AND2 = 16 * int_add(8)/32, whatever the layer */
  CHECK(qaComposePriceAt(&cx, 3, 5, p, &err) == QA_OK &&
        near(p[qaComposeFind(&cx, "and")].op.energy, 16 * add8 / 32));
  config("laconic", &cfg);
  CHECK(compose(&cfg, h, &cx, &err) == QA_OK);
  /* hardware (max_bits 16): 33 positions; an 8 x 8 layer uses 8 + 8 + 1 = 17 */
  CHECK_EQ_I64(cx.comp[qaComposeFind(&cx, "histogram")].size.n, 33);
  CHECK(qaComposePriceAt(&cx, 8, 8, p, &err) == QA_OK);
  /* histogram of 17 positions of 6-bit counters (qaBitsFor(16) + 1): 17 * (int_add(6) + reg(6)) */
  CHECK(near(p[qaComposeFind(&cx, "histogram")].op.energy, 17 * (add8 * 6 / 8 + reg8 * 6 / 8)));
  /* decoder onto 17 positions: 17 * (ceil(log2 17) - 1 = 4) AND2 = 68 * int_add(8)/32 */
  CHECK(near(p[qaComposeFind(&cx, "onehot_decoder")].op.energy, 68 * add8 / 32));
  /* exponent adder of 4 bits (exponents 0..8 need 4) = 0.03 * 4/8 */
  CHECK(near(p[qaComposeFind(&cx, "exp_adder")].op.energy, add8 * 4 / 8));
  /* shifter of 6 bits over 17 positions: 5 stages x 6 MUX2 = 30 * int_add(8)/16 */
  CHECK(near(p[qaComposeFind(&cx, "shifter")].op.energy, 30 * add8 / 16));
  /* term encoders at each operand's width: 8-bit adders */
  CHECK(near(p[qaComposeFind(&cx, "term_encoder_a")].op.energy, add8));
  CHECK(near(p[qaComposeFind(&cx, "term_encoder_w")].op.energy, add8));

  /* A kernel counting a component this config does not build is an internal error. */
  config("pragmatic", &cfg);
  CHECK(qaCfgSetText(&cfg, "runahead", "0", "test", &err) == QA_OK); /* no run-ahead registers */
  CHECK(compose(&cfg, h, &cx, &err) == QA_OK);
  int ra = qaComposeFind(&cx, "runahead_reg");
  CHECK(ra >= 0 && cx.comp[ra].size.count == 0);
  QaLayerStats st;
  memset(&st, 0, sizeof st);
  st.count[ra][QA_ACT_READ_BITS] = 5;
  QaEnergy e;
  CHECK_EQ_I64(qaEnergyPriceLayer(&cx, &st, 16, 16, 1, &e, &err), QA_EINTERNAL);
  CHECK_MSG(strstr(err.msg, "runahead_reg") && strstr(err.msg, "does not build"), "%s", err.msg);
}

/* cacti45 and calibrated45 (issue 9): memories priced from the grid show their basis; the
** fitted scales multiply memory energy, logic energy and logic area, and their prices carry
** the status calibrated; a config builds the weight memory as SRAM. */
static void testCactiAndCalibrated(void) {
  QaCostTable *c = NULL, *k = NULL;
  QaErr err = {0, ""};
  QaArchConfig cfg;
  QaComposition *a = calloc(2, sizeof *a), *b = a + 1;
  CHECK(qaCostTableLoad("cacti45", &c, &err) == QA_OK && qaCostTableLoad("calibrated45", &k, &err) == QA_OK);
  if (!c || !k || !a) goto end;
  config("dadiannao", &cfg);
  CHECK_MSG(compose(&cfg, c, a, &err) == QA_OK && compose(&cfg, k, b, &err) == QA_OK, "%s", err.msg);
  const QaPricedComp *sb = find(a, "sb");
  CHECK_MSG(sb && strstr(sb->rows, "cacti45 edram 2M x 4096b as 128 x 16K x 32b (interpolated) (derived)"),
            "%s", sb ? sb->rows : "");
  CHECK(a->n_leak_known > 0 && a->n_leak_missing == 0); /* logic leakage from cacti45's rows */
  double fm, fl, fa;
  CHECK(qaCostScale(k, QA_SCALE_MEMORY_ENERGY, &fm, NULL) &&
        qaCostScale(k, QA_SCALE_LOGIC_ENERGY, &fl, NULL) && qaCostScale(k, QA_SCALE_LOGIC_AREA, &fa, NULL));
  double one;
  CHECK(!qaCostScale(k, QA_SCALE_MEMORY_AREA, &one, NULL) && one == 1.0); /* memory areas are CACTI's */
  const QaPricedComp *m1 = find(a, "mult"), *m2 = find(b, "mult"), *s2 = find(b, "sb");
  CHECK(m1 && m2 && near(m2->op.energy, fl * m1->op.energy) && near(m2->op.area_um2, fa * m1->op.area_um2));
  CHECK(m2 && m2->op.status == QA_COST_CALIBRATED && strstr(m2->rows, "scale logic_energy"));
  CHECK(sb && s2 && near(s2->read_pj_per_bit, fm * sb->read_pj_per_bit) &&
        near(s2->op.area_um2, sb->op.area_um2));
  CHECK(near(b->memory_area_um2, a->memory_area_um2) && near(b->logic_area_um2, fa * a->logic_area_um2));
  /* sb_type: the weight memory as SRAM */
  set(&cfg, "sb_type", "sram");
  CHECK_MSG(compose(&cfg, c, a, &err) == QA_OK, "%s", err.msg);
  sb = find(a, "sb");
  CHECK(sb && sb->prim == QA_PRIM_SRAM && strstr(sb->what, "sram(2097152 B") &&
        strstr(sb->rows, "cacti45 sram"));
end:
  free(a);
  qaCostTableDestroy(c);
  qaCostTableDestroy(k);
}

int main(void) {
  QaCostTable *h = NULL;
  QaErr err = {0, ""};
  CHECK_MSG(qaCostTableLoad("horowitz45", &h, &err) == QA_OK, "%s", err.msg);
  if (!h) return TEST_DONE();
  testDaDianNaoByHand(h);
  testLeakageByHand();
  testAreasByHand(h);
  testEveryArch(h);
  testMonotonic(h);
  testErrors(h);
  testPriceAt(h);
  testTables();
  testCactiAndCalibrated();
  qaCostTableDestroy(h);
  return TEST_DONE();
}
