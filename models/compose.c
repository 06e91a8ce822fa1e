/*
** compose.c - architecture -> hardware inventory -> area and energy per action (see
** compose.h).
**
** Each architecture has one composition function below: it reads its config and adds its
** components with the helpers logic() / memory() / regBank() / dram() (DaDianNao's memory
** set, shared by most architectures, is dadiannaoMemories()), which price one instance at
** once from the cost table and record which primitive and which table rows they used.
** qaCompose then sums the areas (PE, tile, chip) and the leakage. The registry kCompose[]
** maps architecture names to their functions. The widths a composition instantiates are
** the hardware's (a 16-bit DaDianNao multiplies 16 x 16 bits whatever the data); an
** action counted at other widths is re-priced at the action's widths (qaComposePriceAction).
*/
#include "models/compose.h"

#include <math.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------------------ */

const char *qaScopeName(QaScope s) {
  static const char *const n[] = {"PE", "tile", "chip", "offchip"};
  return (unsigned)s < 4 ? n[s] : "?";
}

const char *qaCategoryName(QaCategory c) {
  static const char *const n[] = {"datapath", "accumulation", "memory", "dram", "static"};
  return (unsigned)c < 5 ? n[c] : "?";
}

static int isMemory(QaPrim p) { return p == QA_PRIM_SRAM || p == QA_PRIM_EDRAM || p == QA_PRIM_REGFILE; }
/* Priced per bit read / written. */
static int isStorage(QaPrim p) { return isMemory(p) || p == QA_PRIM_REG_BANK || p == QA_PRIM_DRAM; }
static const char *memClass(QaPrim p) {
  return p == QA_PRIM_SRAM ? "sram" : p == QA_PRIM_EDRAM ? "edram" : "regfile";
}

/* ---- pricing one logic instance ------------------------------------------------------------ */

/* One op of a logic primitive at widths A (and B for multipliers) with structure N. */
static int priceLogic(const QaCostTable *t, QaPrim prim, int a, int b, int n, QaCost *out, QaErr *err) {
  switch (prim) {
    case QA_PRIM_MULT:
      return qaCostIntMult(t, a, b, out, err);
    case QA_PRIM_AND_GATES:
      return qaCostAndGates(t, n, out, err);
    case QA_PRIM_ADDER:
      return qaCostIntAdd(t, a, out, err);
    case QA_PRIM_ADDER_TREE:
      return qaCostAdderTree(t, n, a, out, err);
    case QA_PRIM_ACCUMULATOR:
    case QA_PRIM_COUNTER:
      return qaCostAccumulator(t, a, out, err);
    case QA_PRIM_REG:
      return qaCostReg(t, a, out, err);
    case QA_PRIM_EXP_ADDER:
      return qaCostExpAdder(t, a, out, err);
    case QA_PRIM_DECODER:
      return qaCostOneHotDecoder(t, n, out, err);
    case QA_PRIM_HISTOGRAM:
      return qaCostHistogram(t, n, a, out, err);
    case QA_PRIM_SHIFTER:
      return qaCostShifter(t, a, n, out, err);
    case QA_PRIM_TERM_ENCODER:
      return qaCostIntAdd(t, a, out, err);
    default:
      return qaErrSet(err, QA_EINTERNAL, "priceLogic: primitive %d is not logic", (int)prim);
  }
}

/* "int_mult(16x16)", "adder_tree(16 x 32b)", ... */
static void describePrim(const QaComponent *c, char *buf, size_t cap) {
  switch (c->prim) {
    case QA_PRIM_MULT:
      snprintf(buf, cap, "int_mult(%dx%d)", c->bits_a, c->bits_b);
      break;
    case QA_PRIM_AND_GATES:
      snprintf(buf, cap, "and_gates(%d)", c->n);
      break;
    case QA_PRIM_ADDER:
      snprintf(buf, cap, "int_add(%db)", c->bits_a);
      break;
    case QA_PRIM_ADDER_TREE:
      snprintf(buf, cap, "adder_tree(%d x %db)", c->n, c->bits_a);
      break;
    case QA_PRIM_ACCUMULATOR:
      snprintf(buf, cap, "accumulator(%db)", c->bits_a);
      break;
    case QA_PRIM_COUNTER:
      snprintf(buf, cap, "counter(%db)=accumulator", c->bits_a);
      break;
    case QA_PRIM_REG:
      snprintf(buf, cap, "reg(%db)", c->bits_a);
      break;
    case QA_PRIM_EXP_ADDER:
      snprintf(buf, cap, "exp_adder(%db)", c->bits_a);
      break;
    case QA_PRIM_DECODER:
      snprintf(buf, cap, "onehot_decoder(%d)", c->n);
      break;
    case QA_PRIM_HISTOGRAM:
      snprintf(buf, cap, "histogram(%d x %db)", c->n, c->bits_a);
      break;
    case QA_PRIM_SHIFTER:
      snprintf(buf, cap, "shifter(%db by 0..%d)", c->bits_a, c->n - 1);
      break;
    case QA_PRIM_TERM_ENCODER:
      snprintf(buf, cap, "term_encoder(%db)=int_add", c->bits_a);
      break;
    case QA_PRIM_REG_BANK:
      snprintf(buf, cap, "reg_bank(%lld B, %d-bit access)", (long long)c->capacity_bytes, c->access_bits);
      break;
    case QA_PRIM_SRAM:
    case QA_PRIM_EDRAM:
    case QA_PRIM_REGFILE:
      snprintf(buf, cap, "%s(%lld B, %d-bit access)", memClass(c->prim), (long long)c->capacity_bytes,
               c->access_bits);
      break;
    case QA_PRIM_DRAM:
      snprintf(buf, cap, "%s per bit", c->dram_type);
      break;
  }
}

/* Append to BUF which rows of class CLS (actions ACT1/ACT2, -1 for any) the price comes
** from: "int_mult line 38 (exact)" when a row sits at exactly (A, B, CAP), else
** "int_add lines 33,34,35 (scaled)". */
static void describeRows(const QaCostTable *t, const char *cls, int act1, int act2, int a, int b,
                         int64_t cap_bytes, char *buf, size_t cap) {
  char lines[128] = "";
  size_t used = 0;
  int n = 0, exact_line = 0, flat = 0;
  for (int i = 0; i < qaCostTableRowCount(t); i++) {
    const QaCostRow *r = qaCostTableRow(t, i);
    if (strcmp(r->cls, cls)) continue;
    if (act1 >= 0 && (int)r->action != act1 && (int)r->action != act2 && r->action != QA_COST_ACCESS)
      continue;
    if (!r->bits_a && !r->capacity_bytes) flat = 1;
    if (r->bits_a == a && (b == 0 || r->bits_b == b || r->bits_b == 0) && r->capacity_bytes == cap_bytes)
      exact_line = r->line;
    if (used < sizeof lines) {
      int k = snprintf(lines + used, sizeof lines - used, "%s%d", n ? "," : "", r->line);
      if (k > 0) used += (size_t)k;
    }
    n++;
  }
  size_t len = strlen(buf);
  if (len >= cap) return;
  const char *sep = len ? "; " : "";
  if (n == 0)
    snprintf(buf + len, cap - len, "%s%s: none", sep, cls);
  else if (flat)
    snprintf(buf + len, cap - len, "%s%s line%s %s (width-independent)", sep, cls, n > 1 ? "s" : "", lines);
  else if (exact_line)
    snprintf(buf + len, cap - len, "%s%s line %d (exact)", sep, cls, exact_line);
  else
    snprintf(buf + len, cap - len, "%s%s line%s %s (scaled)", sep, cls, n > 1 ? "s" : "", lines);
}

static void rowsFor(const QaCostTable *t, QaComponent *c) {
  c->rows[0] = 0;
  size_t cap = sizeof c->rows;
  switch (c->prim) {
    case QA_PRIM_MULT:
      describeRows(t, "int_mult", -1, -1, c->bits_a, c->bits_b, 0, c->rows, cap);
      break;
    case QA_PRIM_ADDER:
    case QA_PRIM_TERM_ENCODER:
    case QA_PRIM_EXP_ADDER:
      describeRows(t, "int_add", -1, -1, c->bits_a, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_ADDER_TREE:
      describeRows(t, "int_add", -1, -1, -1, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_AND_GATES:
    case QA_PRIM_DECODER:
    case QA_PRIM_SHIFTER:
      describeRows(t, "int_add", -1, -1, 8, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_ACCUMULATOR:
    case QA_PRIM_COUNTER:
    case QA_PRIM_HISTOGRAM:
      describeRows(t, "int_add", -1, -1, c->bits_a, 0, 0, c->rows, cap);
      describeRows(t, "reg", -1, -1, c->bits_a, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_REG:
      describeRows(t, "reg", -1, -1, c->bits_a, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_REG_BANK:
      describeRows(t, "reg", -1, -1, c->access_bits, 0, 0, c->rows, cap);
      describeRows(t, "int_add", -1, -1, 8, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_SRAM:
    case QA_PRIM_EDRAM:
    case QA_PRIM_REGFILE:
      describeRows(t, memClass(c->prim), QA_COST_READ, QA_COST_WRITE, c->access_bits, 0, c->capacity_bytes,
                   c->rows, cap);
      break;
    case QA_PRIM_DRAM:
      describeRows(t, c->dram_type, QA_COST_READ, QA_COST_WRITE, 1, 0, 0, c->rows, cap);
      break;
  }
}

/* ---- the builder the composition functions use ---------------------------------------------- */

typedef struct Builder {
  QaComposition *cx;
  const QaCostTable *t;
  const QaArchConfig *cfg;
  const QaComposeOptions *opt;
  QaErr *err;
  int rc; /* the first error; every helper is a no-op once it is set */
} Builder;

static QaComponent *newComp(Builder *b, const char *name, const char *role, QaCategory cat, QaScope scope,
                            int64_t count, QaPrim prim) {
  QaComposition *cx = b->cx;
  if (b->rc) return NULL;
  if (cx->n_comp == QA_COMPOSE_MAX || strlen(name) >= QA_COMP_MAX || qaComposeFind(cx, name)) {
    b->rc = qaErrSet(b->err, QA_EINTERNAL,
                     "composition of %s: component '%s' is a duplicate, "
                     "too long, or one too many",
                     cx->arch->name, name);
    return NULL;
  }
  if (count < 1) {
    b->rc = qaErrSet(b->err, QA_EINTERNAL, "composition of %s: component '%s' has %lld instances",
                     cx->arch->name, name, (long long)count);
    return NULL;
  }
  QaComponent *c = &cx->comp[cx->n_comp];
  memset(c, 0, sizeof *c);
  snprintf(c->name, sizeof c->name, "%s", name);
  c->role = role;
  c->category = cat;
  c->scope = scope;
  c->count = count;
  c->prim = prim;
  return c;
}

static void failed(Builder *b, QaComponent *c, int rc) {
  char what[96];
  describePrim(c, what, sizeof what);
  qaErrPrefix(b->err, "%s: component '%s' = %s", b->cx->arch->name, c->name, what);
  b->rc = rc;
}

/* COUNT logic instances per SCOPE. A and B are widths, N the structure (see QaComponent). */
static void logic(Builder *b, const char *name, const char *role, QaCategory cat, QaScope scope,
                  int64_t count, QaPrim prim, int a, int bw, int n) {
  QaComponent *c = newComp(b, name, role, cat, scope, count, prim);
  if (!c) return;
  c->bits_a = a;
  c->bits_b = bw;
  c->n = n;
  c->args = qaComposeDefaultArgs(prim);
  int rc = priceLogic(b->t, prim, a, bw, n, &c->op, b->err);
  if (rc) {
    failed(b, c, rc);
    return;
  }
  c->write = c->op;
  describePrim(c, c->what, sizeof c->what);
  rowsFor(b->t, c);
  b->cx->n_comp++;
}

/* COUNT memories of CAPACITY_BYTES per SCOPE, accessed ACCESS_BITS at a time. */
static void memory(Builder *b, const char *name, const char *role, QaScope scope, int64_t count, QaPrim prim,
                   int64_t capacity_bytes, int access_bits) {
  QaComponent *c = newComp(b, name, role, QA_CAT_MEMORY, scope, count, prim);
  if (!c) return;
  c->capacity_bytes = capacity_bytes;
  c->access_bits = access_bits;
  int rc;
  if ((rc = qaCostMem(b->t, memClass(prim), QA_COST_READ, access_bits, capacity_bytes, &c->op, b->err)) ||
      (rc = qaCostMem(b->t, memClass(prim), QA_COST_WRITE, access_bits, capacity_bytes, &c->write, b->err))) {
    failed(b, c, rc);
    return;
  }
  c->read_pj_per_bit = c->op.energy / access_bits;
  c->write_pj_per_bit = c->write.energy / access_bits;
  describePrim(c, c->what, sizeof c->what);
  rowsFor(b->t, c);
  b->cx->n_comp++;
}

/* COUNT banks of CAPACITY_BYTES of flip-flops per SCOPE, ACCESS_BITS wide (see QA_PRIM_REG_BANK). */
static void regBank(Builder *b, const char *name, const char *role, QaScope scope, int64_t count,
                    int64_t capacity_bytes, int access_bits) {
  QaComponent *c = newComp(b, name, role, QA_CAT_MEMORY, scope, count, QA_PRIM_REG_BANK);
  if (!c) return;
  c->capacity_bytes = capacity_bytes;
  c->access_bits = access_bits;
  int64_t depth = capacity_bytes * 8 / access_bits;
  QaCost mux, cells;
  int rc;
  if ((rc = qaCostReg(b->t, access_bits, &c->write, b->err)) ||
      (rc = qaCostShifter(b->t, access_bits, depth > 1 ? (int)depth : 1, &mux, b->err)) ||
      (rc = qaCostReg(b->t, (int)(capacity_bytes * 8), &cells, b->err))) {
    failed(b, c, rc);
    return;
  }
  c->op = mux; /* a read goes through the multiplexer */
  c->op.area_um2 = c->write.area_um2 = cells.area_um2 + mux.area_um2;
  c->op.leakage_uw = c->write.leakage_uw = cells.leakage_uw + mux.leakage_uw;
  c->op.area_status = c->write.area_status = QA_COST_ASSUMED;
  c->read_pj_per_bit = c->op.energy / access_bits;
  c->write_pj_per_bit = c->write.energy / access_bits;
  describePrim(c, c->what, sizeof c->what);
  rowsFor(b->t, c);
  b->cx->n_comp++;
}

/* The off-chip DRAM, priced per bit. */
static void dram(Builder *b, const char *name, const char *role) {
  QaComponent *c = newComp(b, name, role, QA_CAT_DRAM, QA_SCOPE_OFFCHIP, 1, QA_PRIM_DRAM);
  if (!c) return;
  const char *type = b->opt ? b->opt->dram_type : NULL;
  int rc;
  if (!type || !*type) {
    /* The default type if the table has it, else the table's only DRAM class. */
    type = qaCostTableHasClass(b->t, "dram_" QA_DEFAULT_DRAM) ? QA_DEFAULT_DRAM : NULL;
  }
  if ((rc = qaCostDram(b->t, type, QA_COST_READ, 1, &c->op, b->err)) ||
      (rc = qaCostDram(b->t, type, QA_COST_WRITE, 1, &c->write, b->err))) {
    snprintf(c->what, sizeof c->what, "dram_%s", type ? type : "?");
    qaErrPrefix(b->err, "%s: component '%s'", b->cx->arch->name, c->name);
    b->rc = rc;
    return;
  }
  if (type) {
    snprintf(c->dram_type, sizeof c->dram_type, "dram_%s", type);
  } else { /* the table's only DRAM class */
    for (int i = 0; i < qaCostTableRowCount(b->t); i++) {
      const char *cls = qaCostTableRow(b->t, i)->cls;
      if (!strncmp(cls, "dram", 4) && (cls[4] == 0 || cls[4] == '_')) {
        snprintf(c->dram_type, sizeof c->dram_type, "%s", cls);
        break;
      }
    }
  }
  c->read_pj_per_bit = c->op.energy;
  c->write_pj_per_bit = c->write.energy;
  c->op.area_um2 = c->write.area_um2 = 0; /* off chip */
  c->op.leakage_uw = c->write.leakage_uw = 0;
  describePrim(c, c->what, sizeof c->what);
  rowsFor(b->t, c);
  b->cx->n_comp++;
}

static void structure(Builder *b, int64_t tiles, int64_t pes_per_tile) {
  b->cx->tiles = tiles;
  b->cx->pes_per_tile = pes_per_tile;
}

/* ---- architectures -------------------------------------------------------------------------- */

static void dadiannaoMemories(Builder *b, int sb_row_bits, int act_bits, int out_bits);

/* DaDianNao (Chen et al., MICRO 2014) and its 8-bit variant. A PE is one filter row of a
** tile: `lanes` dp x dp multipliers, an adder tree over the lanes products (2*dp-bit
** inputs) and an acc_bits accumulator. Per tile: filters_per_tile PEs, the synapse buffer
** SB (eDRAM, one row = every PE's lanes weights = fpt x lanes x dp bits), NBin (SRAM, one
** brick of lanes x dp bits per access) and NBout (SRAM, one output per PE = fpt x dp bits).
** Per chip: tiles tiles and the central eDRAM NM (one activation brick per access). */
static void composeDaDianNao(Builder *b) {
  const QaArchConfig *cfg = b->cfg;
  int tiles = qaCfgInt(cfg, "tiles"), fpt = qaCfgInt(cfg, "filters_per_tile");
  int lanes = qaCfgInt(cfg, "lanes"), dp = qaCfgInt(cfg, "datapath_bits");
  int acc = qaCfgInt(cfg, "acc_bits");
  structure(b, tiles, fpt);
  logic(b, "mult", "one multiplier per lane: activation x weight at the datapath width", QA_CAT_DATAPATH,
        QA_SCOPE_PE, lanes, QA_PRIM_MULT, dp, dp, 0);
  logic(b, "adder_tree", "reduces the PE's lanes products (2*dp-bit inputs) to one sum", QA_CAT_DATAPATH,
        QA_SCOPE_PE, 1, QA_PRIM_ADDER_TREE, 2 * dp, 0, lanes);
  logic(b, "acc", "adds the tree's sum into the filter's output (partial sum register)", QA_CAT_ACCUMULATION,
        QA_SCOPE_PE, 1, QA_PRIM_ACCUMULATOR, acc, 0, 0);
  dadiannaoMemories(b, fpt * lanes * dp, lanes * dp, fpt * dp);
}

/* Bits needed to hold 0..n (as laconic.c / onehot.c count exponent widths). */
static int bitsFor(int n) {
  int k = 1;
  while ((1 << k) <= n) k++;
  return k;
}

static int ceilLog2i(int64_t n) {
  int k = 0;
  while (((int64_t)1 << k) < n) k++;
  return k;
}

/* DaDianNao's memories around a tile of PEs, sized by the sb/nbin/nbout/nm parameters:
** SB rows of SB_ROW_BITS, NBin / NM one ACT_BITS brick per access, NBout OUT_BITS. */
static void dadiannaoMemories(Builder *b, int sb_row_bits, int act_bits, int out_bits) {
  const QaArchConfig *cfg = b->cfg;
  memory(b, "sb", "synapse buffer: the tile's weights; one row feeds every PE row of the tile", QA_SCOPE_TILE,
         1, QA_PRIM_EDRAM, (int64_t)qaCfgInt(cfg, "sb_kib") * 1024, sb_row_bits);
  memory(b, "nbin", "input buffer: the activations broadcast to the tile's PEs", QA_SCOPE_TILE, 1,
         QA_PRIM_SRAM, (int64_t)qaCfgInt(cfg, "nbin_kib") * 1024, act_bits);
  memory(b, "nbout", "output buffer: the outputs of the tile's PEs", QA_SCOPE_TILE, 1, QA_PRIM_SRAM,
         (int64_t)qaCfgInt(cfg, "nbout_kib") * 1024, out_bits);
  memory(b, "nm", "central activation memory: layer inputs and outputs", QA_SCOPE_CHIP, 1, QA_PRIM_EDRAM,
         (int64_t)qaCfgInt(cfg, "nm_kib") * 1024, act_bits);
  dram(b, "dram",
       "off-chip memory: weights, and activations that do not fit on chip "
       "(traffic planned by arch/memory.c)");
}

/* Stripes (Judd et al., MICRO 2016). A PE is a serial inner-product unit (SIP): `lanes`
** rows of datapath_bits AND gates (1 activation bit x a bit-parallel weight), an adder
** tree over the lanes (dp-bit inputs) and a shift-accumulator (the x2 shift is wiring).
** A tile: windows x filters_per_tile SIPs; memories as DaDianNao's, NBin/NM read one bit
** per lane per window column. */
static void composeStripes(Builder *b) {
  const QaArchConfig *cfg = b->cfg;
  int tiles = qaCfgInt(cfg, "tiles"), fpt = qaCfgInt(cfg, "filters_per_tile");
  int cols = qaCfgInt(cfg, "windows"), lanes = qaCfgInt(cfg, "lanes");
  int dp = qaCfgInt(cfg, "datapath_bits"), acc = qaCfgInt(cfg, "acc_bits");
  structure(b, tiles, (int64_t)fpt * cols);
  logic(b, "and", "one row of dp AND gates per lane: activation bit x bit-parallel weight", QA_CAT_DATAPATH,
        QA_SCOPE_PE, lanes, QA_PRIM_AND_GATES, 0, 0, dp);
  logic(b, "adder_tree", "reduces the lanes' AND rows (dp-bit inputs)", QA_CAT_DATAPATH, QA_SCOPE_PE, 1,
        QA_PRIM_ADDER_TREE, dp, 0, lanes);
  logic(b, "acc", "shift-accumulates the tree's sum, one activation bit per cycle", QA_CAT_ACCUMULATION,
        QA_SCOPE_PE, 1, QA_PRIM_ACCUMULATOR, acc, 0, 0);
  dadiannaoMemories(b, fpt * lanes * dp, cols * lanes, fpt * dp);
}

/* Bit-Pragmatic (Albericio et al., MICRO 2017). A PE: per lane a first-stage shifter of
** the dp-bit weight by 0..2^first_stage_bits-1 (at most 16 useful amounts), an adder tree
** over the lanes (dp + range - 1 bits), a second-stage shifter of the tree's sum by the
** column base (0..15) and an accumulator; with run-ahead, per PE a bank of runahead weight
** bricks. A tile: windows x filters_per_tile PEs; memories as Stripes. The offset
** generators that recode activations are not counted by the simulator and not listed. */
static void composePragmatic(Builder *b) {
  const QaArchConfig *cfg = b->cfg;
  int tiles = qaCfgInt(cfg, "tiles"), fpt = qaCfgInt(cfg, "filters_per_tile");
  int cols = qaCfgInt(cfg, "windows"), lanes = qaCfgInt(cfg, "lanes");
  int dp = qaCfgInt(cfg, "datapath_bits"), acc = qaCfgInt(cfg, "acc_bits");
  int fsb = qaCfgInt(cfg, "first_stage_bits"), ra = qaCfgInt(cfg, "runahead");
  int range1 = fsb >= 4 ? 16 : 1 << fsb; /* activations have at most 16 offsets */
  int tree_in = dp + range1 - 1, lg = ceilLog2i(lanes);
  structure(b, tiles, (int64_t)fpt * cols);
  logic(b, "shifter", "first stage: shifts a lane's weight by its offset minus the base", QA_CAT_DATAPATH,
        QA_SCOPE_PE, lanes, QA_PRIM_SHIFTER, dp, 0, range1);
  logic(b, "adder_tree", "reduces the lanes' shifted weights", QA_CAT_DATAPATH, QA_SCOPE_PE, 1,
        QA_PRIM_ADDER_TREE, tree_in, 0, lanes);
  logic(b, "shifter2", "second stage: shifts the tree's sum by the column's base offset", QA_CAT_DATAPATH,
        QA_SCOPE_PE, 1, QA_PRIM_SHIFTER, tree_in + lg, 0, 16);
  logic(b, "acc", "accumulates the shifted sum into the output", QA_CAT_ACCUMULATION, QA_SCOPE_PE, 1,
        QA_PRIM_ACCUMULATOR, acc, 0, 0);
  if (ra > 0)
    regBank(b, "runahead_reg", "run-ahead registers: weight bricks a column may run ahead with", QA_SCOPE_PE,
            1, (int64_t)ra * lanes * dp / 8 > 0 ? (int64_t)ra * lanes * dp / 8 : 1, lanes * dp);
  dadiannaoMemories(b, fpt * lanes * dp, cols * lanes * 16, fpt * dp);
}

/* The Laconic PE array (Sharify et al., ISCA 2019), used by laconic and khot-laconic. A PE:
** per lane an exponent adder (e_a + e_w, 5-bit exponents of 16-bit codes) and a one-hot
** decoder onto 2*max_bits+1 positions; a histogram of that many counters (bits_for(lanes) + 1 bits), the
** shifter of the counts by position, an adder tree over the 33 shifted counts and the
** accumulator. A tile: rows x columns PEs plus a term encoder per lane at the NBin side
** (one per column) and at the SB side (one per row). Sized for max_bits-bit operands
** (2 * max_bits + 1 positions: 33 at 16 bits). */
static void composeLaconic(Builder *b) {
  const QaArchConfig *cfg = b->cfg;
  int tiles = qaCfgInt(cfg, "tiles"), rows = qaCfgInt(cfg, "rows");
  int cols = qaCfgInt(cfg, "columns"), lanes = qaCfgInt(cfg, "lanes");
  int acc = qaCfgInt(cfg, "acc_bits"), mb = qaCfgInt(cfg, "max_bits");
  int positions = mb + mb + 1, counter = bitsFor(lanes) + 1;
  structure(b, tiles, (int64_t)rows * cols);
  logic(b, "exp_adder", "per lane: adds the activation and weight term exponents", QA_CAT_DATAPATH,
        QA_SCOPE_PE, lanes, QA_PRIM_EXP_ADDER, bitsFor(mb), 0, 0);
  logic(b, "onehot_decoder", "per lane: the exponent sum as a one-hot position", QA_CAT_DATAPATH, QA_SCOPE_PE,
        lanes, QA_PRIM_DECODER, 0, 0, positions);
  logic(b, "histogram", "counts the lanes' +1/-1 hits per position", QA_CAT_DATAPATH, QA_SCOPE_PE, 1,
        QA_PRIM_HISTOGRAM, counter, 0, positions);
  logic(b, "shifter", "shifts each position's count by its position", QA_CAT_DATAPATH, QA_SCOPE_PE, 1,
        QA_PRIM_SHIFTER, counter, 0, positions);
  logic(b, "adder_tree", "reduces the shifted counts", QA_CAT_DATAPATH, QA_SCOPE_PE, 1, QA_PRIM_ADDER_TREE,
        counter + positions, 0, positions);
  logic(b, "acc", "accumulates the reduced sum into the output", QA_CAT_ACCUMULATION, QA_SCOPE_PE, 1,
        QA_PRIM_ACCUMULATOR, acc, 0, 0);
  logic(b, "term_encoder",
        "recodes every operand read into terms (one per lane per column "
        "and per row)",
        QA_CAT_DATAPATH, QA_SCOPE_TILE, (int64_t)(rows + cols) * lanes, QA_PRIM_TERM_ENCODER, mb, 0, 0);
  dadiannaoMemories(b, rows * lanes * mb, cols * lanes * mb, rows * mb);
}

/* onehot-dadiannao (Li et al., DATE 2020 codes on DaDianNao's geometry). A PE row: per
** lane an exponent adder and a one-hot decoder onto 2*max_bits-1 positions; a histogram,
** an adder tree over the positions and the accumulator (the shift by position is in the
** tree's wiring: the simulator counts no shifter). Codes are stored as zero flag + sign +
** exponent (2 + ceil(log2 max_bits) bits). */
static void composeOneHotDaDianNao(Builder *b) {
  const QaArchConfig *cfg = b->cfg;
  int tiles = qaCfgInt(cfg, "tiles"), fpt = qaCfgInt(cfg, "filters_per_tile");
  int lanes = qaCfgInt(cfg, "lanes"), mb = qaCfgInt(cfg, "max_bits");
  int acc = qaCfgInt(cfg, "acc_bits");
  int positions = 2 * mb - 1, counter = bitsFor(lanes) + 1;
  int code = 2 + ceilLog2i(mb);
  structure(b, tiles, fpt);
  logic(b, "exp_adder", "per lane: adds the activation and weight exponents", QA_CAT_DATAPATH, QA_SCOPE_PE,
        lanes, QA_PRIM_EXP_ADDER, bitsFor(mb - 1), 0, 0);
  logic(b, "onehot_decoder", "per lane: the exponent sum as a one-hot position", QA_CAT_DATAPATH, QA_SCOPE_PE,
        lanes, QA_PRIM_DECODER, 0, 0, positions);
  logic(b, "histogram", "counts the lanes' +1/-1 hits per position", QA_CAT_DATAPATH, QA_SCOPE_PE, 1,
        QA_PRIM_HISTOGRAM, counter, 0, positions);
  logic(b, "adder_tree", "reduces the counts, each shifted by its position (wiring)", QA_CAT_DATAPATH,
        QA_SCOPE_PE, 1, QA_PRIM_ADDER_TREE, counter + positions, 0, positions);
  logic(b, "acc", "accumulates the reduced sum into the output", QA_CAT_ACCUMULATION, QA_SCOPE_PE, 1,
        QA_PRIM_ACCUMULATOR, acc, 0, 0);
  dadiannaoMemories(b, fpt * lanes * code, lanes * code, fpt * code);
}

typedef void (*ComposeFn)(Builder *b);

static const struct {
  const char *arch;
  ComposeFn fn;
} kCompose[] = {
    {"dadiannao", composeDaDianNao},
    {"dadiannao8", composeDaDianNao},
    {"stripes", composeStripes},
    {"pragmatic", composePragmatic},
    {"laconic", composeLaconic},
    {"khot-laconic", composeLaconic},
    {"onehot-dadiannao", composeOneHotDaDianNao},
};

static ComposeFn findCompose(const char *arch) {
  for (size_t i = 0; i < sizeof kCompose / sizeof kCompose[0]; i++)
    if (!strcmp(kCompose[i].arch, arch)) return kCompose[i].fn;
  return NULL;
}

int qaComposeHas(const char *arch_name) { return arch_name && findCompose(arch_name) != NULL; }

/* ---- qaCompose ------------------------------------------------------------------------------ */

QaActArgs qaComposeDefaultArgs(QaPrim prim) {
  switch (prim) {
    case QA_PRIM_AND_GATES:
      return QA_ARGS_PRODUCT;
    case QA_PRIM_ADDER_TREE:
    case QA_PRIM_SHIFTER:
      return QA_ARGS_WIDTH_N;
    case QA_PRIM_HISTOGRAM:
      return QA_ARGS_N_WIDTH;
    case QA_PRIM_DECODER:
      return QA_ARGS_N;
    case QA_PRIM_EXP_ADDER:
      return QA_ARGS_MAX_WIDTH;
    default:
      return QA_ARGS_WIDTH;
  }
}

int64_t qaComposeInstances(const QaComposition *cx, const QaComponent *c) {
  switch (c->scope) {
    case QA_SCOPE_PE:
      return c->count * cx->pes_per_tile * cx->tiles;
    case QA_SCOPE_TILE:
      return c->count * cx->tiles;
    default:
      return c->count;
  }
}

int qaCompose(const QaArchConfig *cfg, const QaCostTable *t, const QaComposeOptions *opt, QaComposition *out,
              QaErr *err) {
  memset(out, 0, sizeof *out);
  if (!cfg || !cfg->desc || !t) return qaErrSet(err, QA_EINTERNAL, "qaCompose: NULL argument");
  const char *name = cfg->desc->name;
  ComposeFn fn = findCompose(name);
  if (!fn) {
    char known[512] = "";
    for (size_t i = 0; i < sizeof kCompose / sizeof kCompose[0]; i++) {
      if (i) strncat(known, ", ", sizeof known - strlen(known) - 1);
      strncat(known, kCompose[i].arch, sizeof known - strlen(known) - 1);
    }
    return qaErrSet(err, QA_EUSER,
                    "architecture '%s' has no energy/area composition (models/compose.c has: %s); "
                    "run it with --costs none to skip pricing",
                    name, known);
  }
  if (qaCostTableIsNormalized(t))
    return qaErrSet(err, QA_EUSER,
                    "cost table '%s' is normalised (energies in multiples of one MAC, not pJ): it "
                    "cannot price an architecture in pJ; use a table in pJ such as horowitz45",
                    qaCostTableName(t));
  out->arch = cfg->desc;
  out->table = t;
  snprintf(out->config_source, sizeof out->config_source, "%s", cfg->source);
  out->a_bits = opt && opt->a_bits > 0 ? opt->a_bits : 16;
  out->w_bits = opt && opt->w_bits > 0 ? opt->w_bits : 16;
  out->clock_mhz = qaCfgGet(cfg, "clock_mhz");
  out->tiles = out->pes_per_tile = 1;
  const char *dt = opt ? opt->dram_type : NULL;
  if (dt && *dt && strcmp(dt, QA_DEFAULT_DRAM))
    snprintf(out->costs, sizeof out->costs, "%s+%s", qaCostTableName(t), dt);
  else
    snprintf(out->costs, sizeof out->costs, "%s", qaCostTableName(t));

  Builder b = {out, t, cfg, opt, err, QA_OK};
  fn(&b);
  if (b.rc) {
    QaErr keep = err ? *err : (QaErr){0, ""};
    memset(out, 0, sizeof *out);
    if (err) *err = keep;
    return b.rc;
  }

  double pe = 0, tile = 0, chip = 0;
  for (int i = 0; i < out->n_comp; i++) {
    const QaComponent *c = &out->comp[i];
    double a = (double)c->count * c->op.area_um2;
    if (c->scope == QA_SCOPE_PE)
      pe += a;
    else if (c->scope == QA_SCOPE_TILE)
      tile += a;
    else if (c->scope == QA_SCOPE_CHIP)
      chip += a;
    if (c->scope == QA_SCOPE_OFFCHIP) continue;
    if (isnan(c->op.leakage_uw)) {
      out->n_leak_missing++;
    } else {
      out->n_leak_known++;
      out->chip_leakage_uw += (double)qaComposeInstances(out, c) * c->op.leakage_uw;
    }
  }
  out->pe_area_um2 = pe;
  out->tile_area_um2 = (double)out->pes_per_tile * pe + tile;
  out->chip_area_um2 = (double)out->tiles * out->tile_area_um2 + chip;
  return QA_OK;
}

const QaComponent *qaComposeFind(const QaComposition *cx, const char *name) {
  for (int i = 0; i < cx->n_comp; i++)
    if (!strcmp(cx->comp[i].name, name)) return &cx->comp[i];
  return NULL;
}

/* ---- pricing actions ------------------------------------------------------------------------ */

int qaComposePriceAction(const QaComposition *cx, const QaAction *a, double *energy_pj, QaCategory *category,
                         QaErr *err) {
  *energy_pj = 0;
  const QaComponent *c = qaComposeFind(cx, a->component);
  if (!c) {
    char known[512] = "";
    for (int i = 0; i < cx->n_comp; i++) {
      if (i) strncat(known, ", ", sizeof known - strlen(known) - 1);
      strncat(known, cx->comp[i].name, sizeof known - strlen(known) - 1);
    }
    return qaErrSet(err, QA_EUSER,
                    "architecture %s counts action '%s' of component '%s', which its composition "
                    "does not price (priced components: %s; add it in models/compose.c)",
                    cx->arch->name, a->action, a->component, known);
  }
  if (category) *category = c->category;
  double per;
  if (isStorage(c->prim)) {
    if (!strcmp(a->action, "read_bits"))
      per = c->read_pj_per_bit;
    else if (!strcmp(a->action, "write_bits"))
      per = c->write_pj_per_bit;
    else
      return qaErrSet(err, QA_EUSER,
                      "architecture %s counts action '%s' of memory '%s', which has no price "
                      "(memories price read_bits and write_bits)",
                      cx->arch->name, a->action, a->component);
  } else {
    if (strcmp(a->action, "op"))
      return qaErrSet(err, QA_EUSER,
                      "architecture %s counts action '%s' of component '%s', which has no price "
                      "(logic prices op)",
                      cx->arch->name, a->action, a->component);
    int wa = c->bits_a, wb = c->bits_b, n = c->n, ga = a->a_bits, gw = a->w_bits;
    switch (c->args) {
      case QA_ARGS_WIDTH:
        if (ga > 0) wa = ga;
        if (gw > 0 && c->prim == QA_PRIM_MULT) wb = gw;
        break;
      case QA_ARGS_PRODUCT:
        if (ga > 0 && gw > 0) n = ga * gw;
        break;
      case QA_ARGS_WIDTH_N:
        if (ga > 0) wa = ga;
        if (gw > 0) n = gw;
        break;
      case QA_ARGS_N_WIDTH:
        if (ga > 0) n = ga;
        if (gw > 0) wa = gw;
        break;
      case QA_ARGS_N:
        if (ga > 0) n = ga;
        break;
      case QA_ARGS_MAX_WIDTH:
        if (ga > 0 || gw > 0) wa = ga > gw ? ga : gw;
        break;
      case QA_ARGS_FIXED:
        break;
    }
    if (wa == c->bits_a && wb == c->bits_b && n == c->n) {
      per = c->op.energy;
    } else {
      QaCost p;
      int rc = priceLogic(cx->table, c->prim, wa, wb, n, &p, err);
      if (rc) {
        qaErrPrefix(err, "architecture %s, component '%s', action '%s' at %d/%d bits", cx->arch->name,
                    a->component, a->action, a->a_bits, a->w_bits);
        return rc;
      }
      per = p.energy;
    }
  }
  *energy_pj = per * (double)a->count;
  return QA_OK;
}

/* ---- listing -------------------------------------------------------------------------------- */

static void fmtArea(double um2, char *buf, size_t cap) {
  if (isnan(um2))
    snprintf(buf, cap, "-");
  else
    snprintf(buf, cap, "%.1f", um2);
}

int qaComposePrint(const QaComposition *cx, FILE *fp, QaErr *err) {
  const QaCostTable *t = cx->table;
  fprintf(fp, "# %s (config: %s) priced with cost table '%s'%s%s%s, a/w %d/%d bits, %g MHz\n", cx->arch->name,
          cx->config_source, qaCostTableName(t), qaCostTablePath(t)[0] ? " (" : "", qaCostTablePath(t),
          qaCostTablePath(t)[0] ? ")" : "", cx->a_bits, cx->w_bits, cx->clock_mhz);
  fprintf(fp,
          "# chip = %lld tiles x (%lld PEs + tile components) + chip components; "
          "energy per action in pJ, area in um^2\n",
          (long long)cx->tiles, (long long)cx->pes_per_tile);
  fprintf(fp, "%-12s %-7s %6s %-36s %-30s %12s %14s %-8s %s\n", "component", "scope", "count", "primitive",
          "energy per action", "area_um2/inst", "area_um2/chip", "status", "table rows");
  for (int i = 0; i < cx->n_comp; i++) {
    const QaComponent *c = &cx->comp[i];
    char e[64], ai[32], ac[32];
    if (isStorage(c->prim))
      snprintf(e, sizeof e, "r %.4g, w %.4g pJ/bit", c->read_pj_per_bit, c->write_pj_per_bit);
    else
      snprintf(e, sizeof e, "%.4g pJ/op", c->op.energy);
    fmtArea(c->op.area_um2, ai, sizeof ai);
    fmtArea((double)qaComposeInstances(cx, c) * c->op.area_um2, ac, sizeof ac);
    QaCostStatus st = c->op.status > c->write.status ? c->op.status : c->write.status;
    char count[24];
    if (c->scope == QA_SCOPE_OFFCHIP)
      snprintf(count, sizeof count, "-");
    else
      snprintf(count, sizeof count, "%lld", (long long)c->count);
    fprintf(fp, "%-12s %-7s %6s %-36s %-30s %12s %14s %-8s %s\n", c->name, qaScopeName(c->scope), count,
            c->what, e, ai, ac, qaCostStatusName(st), c->rows);
  }
  fprintf(fp, "roles:\n");
  for (int i = 0; i < cx->n_comp; i++) {
    const QaComponent *c = &cx->comp[i];
    fprintf(fp, "  %-12s %s (%s", c->name, c->role, qaCategoryName(c->category));
    if (isMemory(c->prim) || c->prim == QA_PRIM_REG_BANK)
      fprintf(fp, "; one access: read %.4g pJ, write %.4g pJ", c->op.energy, c->write.energy);
    fprintf(fp, ")\n");
  }
  fprintf(fp,
          "area: PE %.1f um^2 (%.4f mm^2); tile %.1f um^2 (%.4f mm^2); chip %.1f um^2 "
          "(%.3f mm^2)\n",
          cx->pe_area_um2, cx->pe_area_um2 / 1e6, cx->tile_area_um2, cx->tile_area_um2 / 1e6,
          cx->chip_area_um2, cx->chip_area_um2 / 1e6);
  if (cx->n_leak_known == 0)
    fprintf(fp, "leakage: cost table '%s' gives none: static energy is not priced\n", qaCostTableName(t));
  else
    fprintf(fp, "leakage: %.6g uW on chip (%d of %d on-chip components have a figure)\n", cx->chip_leakage_uw,
            cx->n_leak_known, cx->n_leak_known + cx->n_leak_missing);
  if (ferror(fp)) return qaErrSet(err, QA_EINTERNAL, "cannot write the composition listing");
  return QA_OK;
}
