/*
** compose.c - an architecture's inventory priced with a cost table (see compose.h).
**
** Each component of the inventory is priced by its primitive: logic per operation
** (priceLogic), memories per access and per bit (qaCostMem), register banks (a write
** per access, a read through a multiplexer), DRAM per bit. The rows every price came
** from are recorded for the listing. qaCompose then sums the areas (PE, tile, chip) and
** the leakage.
*/
#include "models/compose.h"

#include <math.h>
#include <string.h>

#include "models/memcost.h"

static int isMemory(QaPrim p) { return p == QA_PRIM_SRAM || p == QA_PRIM_EDRAM || p == QA_PRIM_REGFILE; }
static const char *memClass(QaPrim p) {
  return p == QA_PRIM_SRAM ? "sram" : p == QA_PRIM_EDRAM ? "edram" : "regfile";
}

/* ---- pricing one instance ------------------------------------------------------------------ */

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
static void describePrim(const QaPricedComp *c, char *buf, size_t cap) {
  switch (c->prim) {
    case QA_PRIM_MULT:
      snprintf(buf, cap, "int_mult(%dx%d)", c->size.bits_a, c->size.bits_b);
      break;
    case QA_PRIM_AND_GATES:
      snprintf(buf, cap, "and_gates(%d)", c->size.n);
      break;
    case QA_PRIM_ADDER:
      snprintf(buf, cap, "int_add(%db)", c->size.bits_a);
      break;
    case QA_PRIM_ADDER_TREE:
      snprintf(buf, cap, "adder_tree(%d x %db)", c->size.n, c->size.bits_a);
      break;
    case QA_PRIM_ACCUMULATOR:
      snprintf(buf, cap, "accumulator(%db)", c->size.bits_a);
      break;
    case QA_PRIM_COUNTER:
      snprintf(buf, cap, "counter(%db)=accumulator", c->size.bits_a);
      break;
    case QA_PRIM_REG:
      snprintf(buf, cap, "reg(%db)", c->size.bits_a);
      break;
    case QA_PRIM_EXP_ADDER:
      snprintf(buf, cap, "exp_adder(%db)", c->size.bits_a);
      break;
    case QA_PRIM_DECODER:
      snprintf(buf, cap, "onehot_decoder(%d)", c->size.n);
      break;
    case QA_PRIM_HISTOGRAM:
      snprintf(buf, cap, "histogram(%d x %db)", c->size.n, c->size.bits_a);
      break;
    case QA_PRIM_SHIFTER:
      snprintf(buf, cap, "shifter(%db by 0..%d)", c->size.bits_a, c->size.n - 1);
      break;
    case QA_PRIM_TERM_ENCODER:
      snprintf(buf, cap, "term_encoder(%db)=int_add", c->size.bits_a);
      break;
    case QA_PRIM_REG_BANK:
      snprintf(buf, cap, "reg_bank(%lld B, %d-bit access)", (long long)c->size.capacity_bytes,
               c->size.access_bits);
      break;
    case QA_PRIM_SRAM:
    case QA_PRIM_EDRAM:
    case QA_PRIM_REGFILE:
      snprintf(buf, cap, "%s(%lld B, %d-bit access)", memClass(c->prim), (long long)c->size.capacity_bytes,
               c->size.access_bits);
      break;
    case QA_PRIM_DRAM:
      snprintf(buf, cap, "%s per bit", c->dram_type);
      break;
    case QA_PRIM_COUNT:
      snprintf(buf, cap, "?");
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

/* The basis of a memory priced from a grid (memcost.h), e.g. "cacti45 edram 2M x 4096b as
** 128 x 16K x 32b (interpolated)", into buf; 0 if the class has no grid. */
static int gridBasis(const QaCostTable *t, const QaPricedComp *c, char *buf, size_t cap) {
  const char *cls = memClass(c->prim);
  const QaMemGrid *g = qaCostTableMemGrid(t, cls);
  QaMemQuery q;
  QaMemCost mc;
  if (!g) return 0;
  memset(&q, 0, sizeof q);
  qaMemKindParse(cls, &q.kind);
  q.capacity_bytes = c->size.capacity_bytes;
  q.access_bits = c->size.access_bits;
  if (qaMemCostPrice(g, &q, &mc, NULL)) return 0;
  snprintf(buf, cap, "%s (%s)", mc.basis, qaCostStatusName(mc.status));
  return 1;
}

static void rowsFor(const QaCostTable *t, QaPricedComp *c) {
  c->rows[0] = 0;
  size_t cap = sizeof c->rows;
  switch (c->prim) {
    case QA_PRIM_MULT:
      describeRows(t, "int_mult", -1, -1, c->size.bits_a, c->size.bits_b, 0, c->rows, cap);
      break;
    case QA_PRIM_ADDER:
    case QA_PRIM_TERM_ENCODER:
    case QA_PRIM_EXP_ADDER:
      describeRows(t, "int_add", -1, -1, c->size.bits_a, 0, 0, c->rows, cap);
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
      describeRows(t, "int_add", -1, -1, c->size.bits_a, 0, 0, c->rows, cap);
      describeRows(t, "reg", -1, -1, c->size.bits_a, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_REG:
      describeRows(t, "reg", -1, -1, c->size.bits_a, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_REG_BANK:
      describeRows(t, "reg", -1, -1, c->size.access_bits, 0, 0, c->rows, cap);
      describeRows(t, "int_add", -1, -1, 8, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_SRAM:
    case QA_PRIM_EDRAM:
    case QA_PRIM_REGFILE:
      if (!gridBasis(t, c, c->rows, cap))
        describeRows(t, memClass(c->prim), QA_COST_READ, QA_COST_WRITE, c->size.access_bits, 0,
                     c->size.capacity_bytes, c->rows, cap);
      break;
    case QA_PRIM_DRAM:
      describeRows(t, c->dram_type, QA_COST_READ, QA_COST_WRITE, 1, 0, 0, c->rows, cap);
      break;
    case QA_PRIM_COUNT:
      break;
  }
}

/* ---- pricing a component ------------------------------------------------------------------- */

/* Multiply the prices of C by the table's calibration scales of its category. */
static void applyScales(const QaCostTable *t, QaPricedComp *c) {
  QaCostScaleKind ke, ka;
  double fe, fa, fl;
  QaCostStatus se, sa, sl;
  if (c->prim == QA_PRIM_DRAM) return;
  if (c->def->category == QA_CAT_MEMORY) {
    ke = QA_SCALE_MEMORY_ENERGY;
    ka = QA_SCALE_MEMORY_AREA;
  } else {
    ke = QA_SCALE_LOGIC_ENERGY;
    ka = QA_SCALE_LOGIC_AREA;
  }
  const QaCostRow *re = qaCostScale(t, ke, &fe, &se), *ra = qaCostScale(t, ka, &fa, &sa);
  const QaCostRow *rl = qaCostScale(t, QA_SCALE_LEAKAGE, &fl, &sl);
  QaCost *p[2] = {&c->op, &c->write};
  for (int i = 0; i < 2; i++) {
    p[i]->energy *= fe;
    p[i]->area_um2 *= fa;
    p[i]->leakage_uw *= fl;
    if (re && se > p[i]->status) p[i]->status = se;
    if (ra && sa > p[i]->area_status) p[i]->area_status = sa;
    if (rl && sl > p[i]->leakage_status) p[i]->leakage_status = sl;
  }
  c->read_pj_per_bit *= fe;
  c->write_pj_per_bit *= fe;
  size_t n = strlen(c->rows);
  if (re && n < sizeof c->rows)
    snprintf(c->rows + n, sizeof c->rows - n, "; x%g scale %s line %d", fe, re->instance, re->line);
  n = strlen(c->rows);
  if (ra && n < sizeof c->rows)
    snprintf(c->rows + n, sizeof c->rows - n, "; area x%g scale %s line %d", fa, ra->instance, ra->line);
}

/* The DRAM class of type TYPE (NULL/"" = the default if the table has it, else its only
** DRAM class) into out[cap]. */
static void dramClass(const QaCostTable *t, const char *type, char *out, size_t cap) {
  if (!type || !*type) type = qaCostTableHasClass(t, "dram_" QA_DEFAULT_DRAM) ? QA_DEFAULT_DRAM : NULL;
  out[0] = 0;
  if (type) {
    snprintf(out, cap, "dram_%s", type);
    return;
  }
  for (int i = 0; i < qaCostTableRowCount(t); i++) { /* the table's only DRAM class */
    const char *cls = qaCostTableRow(t, i)->cls;
    if (!strncmp(cls, "dram", 4) && (cls[4] == 0 || cls[4] == '_')) {
      snprintf(out, cap, "%s", cls);
      return;
    }
  }
}

/* Price component C (def and size set) with table T; DRAM_TYPE as QaComposeOptions. */
static int priceComp(const QaArchDesc *arch, const QaCostTable *t, const char *dram_type, QaPricedComp *c,
                     QaErr *err) {
  const QaComponent *z = &c->size;
  QaPrim prim = c->prim;
  int rc = QA_OK;
  c->read_pj_per_bit = c->write_pj_per_bit = 0;
  c->dram_type[0] = 0;
  if (isMemory(prim)) {
    if ((rc = qaCostMem(t, memClass(prim), QA_COST_READ, z->access_bits, z->capacity_bytes, &c->op, err)) ||
        (rc = qaCostMem(t, memClass(prim), QA_COST_WRITE, z->access_bits, z->capacity_bytes, &c->write, err)))
      goto fail;
    c->read_pj_per_bit = c->op.energy / z->access_bits;
    c->write_pj_per_bit = c->write.energy / z->access_bits;
  } else if (prim == QA_PRIM_REG_BANK) {
    int64_t depth = z->capacity_bytes * 8 / z->access_bits;
    QaCost mux, cells;
    if ((rc = qaCostReg(t, z->access_bits, &c->write, err)) ||
        (rc = qaCostShifter(t, z->access_bits, depth > 1 ? (int)depth : 1, &mux, err)) ||
        (rc = qaCostReg(t, (int)(z->capacity_bytes * 8), &cells, err)))
      goto fail;
    c->op = mux; /* a read goes through the multiplexer */
    c->op.area_um2 = c->write.area_um2 = cells.area_um2 + mux.area_um2;
    c->op.leakage_uw = c->write.leakage_uw = cells.leakage_uw + mux.leakage_uw;
    c->op.area_status = c->write.area_status = QA_COST_ASSUMED;
    c->read_pj_per_bit = c->op.energy / z->access_bits;
    c->write_pj_per_bit = c->write.energy / z->access_bits;
  } else if (prim == QA_PRIM_DRAM) {
    dramClass(t, dram_type, c->dram_type, sizeof c->dram_type);
    const char *type = c->dram_type[0] && c->dram_type[4] == '_' ? c->dram_type + 5 : NULL;
    if (dram_type && *dram_type) type = dram_type;
    if ((rc = qaCostDram(t, type, QA_COST_READ, 1, &c->op, err)) ||
        (rc = qaCostDram(t, type, QA_COST_WRITE, 1, &c->write, err))) {
      snprintf(c->what, sizeof c->what, "dram_%s", type ? type : "?");
      qaErrPrefix(err, "%s: component '%s'", arch->name, c->def->name);
      return rc;
    }
    c->read_pj_per_bit = c->op.energy;
    c->write_pj_per_bit = c->write.energy;
    c->op.area_um2 = c->write.area_um2 = 0; /* off chip */
    c->op.leakage_uw = c->write.leakage_uw = 0;
  } else {
    if ((rc = priceLogic(t, prim, z->bits_a, z->bits_b, z->n, &c->op, err))) goto fail;
    c->write = c->op;
  }
  describePrim(c, c->what, sizeof c->what);
  rowsFor(t, c);
  applyScales(t, c);
  if (!isfinite(c->op.energy) || !isfinite(c->write.energy) || isinf(c->op.area_um2) ||
      isinf(c->op.leakage_uw))
    return qaErrSet(
        err, QA_EUSER,
        "%s: component '%s' = %s is priced at %g pJ per read/op, %g pJ per write, %g um^2, %g uW: "
        "not a finite number (table '%s' rows: %s); fix those rows",
        arch->name, c->def->name, c->what, c->op.energy, c->write.energy, c->op.area_um2, c->op.leakage_uw,
        qaCostTableName(t), c->rows);
  return QA_OK;
fail:
  describePrim(c, c->what, sizeof c->what);
  qaErrPrefix(err, "%s: component '%s' = %s", arch->name, c->def->name, c->what);
  return rc;
}

/* Size the architecture's components for A_BITS x W_BITS and price every built one. */
static int priceInventory(const QaArchConfig *cfg, const QaCostTable *t, const char *dram_type, int a_bits,
                          int w_bits, QaInventory *inv, QaPricedComp *out, QaErr *err) {
  const QaArchDesc *d = cfg->desc;
  memset(inv, 0, sizeof *inv);
  d->inventory(cfg, a_bits, w_bits, inv);
  if (inv->n_comp != d->n_comps || d->n_comps > QA_COMP_MAX)
    return qaErrSet(err, QA_EINTERNAL, "%s: inventory has %d components, its table %d", d->name, inv->n_comp,
                    d->n_comps);
  for (int k = 0; k < d->n_comps; k++) { /* display order: the architecture's own components first */
    int i = k < d->n_comps - QA_C_COMMON ? QA_C_COMMON + k : k - (d->n_comps - QA_C_COMMON);
    QaPricedComp *c = &out[i];
    memset(c, 0, sizeof *c);
    c->def = &d->comps[i];
    c->size = inv->comp[i];
    c->prim = qaComponentPrim(c->def, &c->size);
    if (c->size.count < 0)
      return qaErrSet(err, QA_EINTERNAL, "%s: component '%s' has %lld instances", d->name, c->def->name,
                      (long long)c->size.count);
    if (c->size.count == 0) continue;
    int rc = priceComp(d, t, dram_type, c, err);
    if (rc) return rc;
  }
  return QA_OK;
}

/* ---- qaCompose ------------------------------------------------------------------------------ */

int64_t qaComposeInstances(const QaComposition *cx, const QaPricedComp *c) {
  switch (c->def->scope) {
    case QA_SCOPE_PE:
      return c->size.count * cx->pes_per_tile * cx->tiles;
    case QA_SCOPE_TILE:
      return c->size.count * cx->tiles;
    default:
      return c->size.count;
  }
}

int qaComposeOrder(const QaComposition *cx, int ids[QA_COMP_MAX]) {
  int n = 0;
  for (int pass = 0; pass < 2; pass++)
    for (int i = pass ? 0 : QA_C_COMMON; i < (pass ? QA_C_COMMON : cx->n_comp); i++)
      if (cx->comp[i].size.count > 0) ids[n++] = i;
  return n;
}

int qaCompose(const QaArchConfig *cfg, const QaCostTable *t, const QaComposeOptions *opt, QaComposition *out,
              QaErr *err) {
  memset(out, 0, sizeof *out);
  if (!cfg || !cfg->desc || !t) return qaErrSet(err, QA_EINTERNAL, "qaCompose: NULL argument");
  if (qaCostTableIsNormalized(t))
    return qaErrSet(err, QA_EUSER,
                    "cost table '%s' is normalised (energies in multiples of one MAC, not pJ): it "
                    "cannot price an architecture in pJ; use a table in pJ such as horowitz45",
                    qaCostTableName(t));
  out->cfg = *cfg;
  out->arch = cfg->desc;
  out->table = t;
  out->a_bits = opt && opt->a_bits > 0 ? opt->a_bits : 16;
  out->w_bits = opt && opt->w_bits > 0 ? opt->w_bits : 16;
  out->hw_bits = qaArchHwBits(cfg);
  out->clock_mhz = cfg->spec.base.clock_mhz;
  const char *dt = opt ? opt->dram_type : NULL;
  snprintf(out->dram_type, sizeof out->dram_type, "%s", dt ? dt : "");
  if (dt && *dt && strcmp(dt, QA_DEFAULT_DRAM))
    snprintf(out->costs, sizeof out->costs, "%s+%s", qaCostTableName(t), dt);
  else
    snprintf(out->costs, sizeof out->costs, "%s", qaCostTableName(t));

  QaInventory inv;
  int rc = priceInventory(cfg, t, out->dram_type, out->hw_bits, out->hw_bits, &inv, out->comp, err);
  if (rc) {
    QaErr keep = err ? *err : (QaErr){0, ""};
    memset(out, 0, sizeof *out);
    if (err) *err = keep;
    return rc;
  }
  out->n_comp = inv.n_comp;
  out->tiles = inv.tiles;
  out->pes_per_tile = inv.pes_per_tile;

  double pe = 0, tile = 0, chip = 0;
  int ids[QA_COMP_MAX], n = qaComposeOrder(out, ids);
  for (int k = 0; k < n; k++) {
    const QaPricedComp *c = &out->comp[ids[k]];
    double a = (double)c->size.count * c->op.area_um2;
    if (c->def->scope == QA_SCOPE_PE)
      pe += a;
    else if (c->def->scope == QA_SCOPE_TILE)
      tile += a;
    else if (c->def->scope == QA_SCOPE_CHIP)
      chip += a;
    if (c->def->scope == QA_SCOPE_OFFCHIP) continue;
    double on_chip = (double)qaComposeInstances(out, c) * c->op.area_um2;
    if (c->def->category == QA_CAT_MEMORY)
      out->memory_area_um2 += on_chip;
    else
      out->logic_area_um2 += on_chip;
    if (isnan(c->op.leakage_uw)) {
      size_t used = strlen(out->leak_missing);
      if (used < sizeof out->leak_missing)
        snprintf(out->leak_missing + used, sizeof out->leak_missing - used, "%s%s",
                 out->n_leak_missing ? ", " : "", c->def->name);
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

int qaComposePriceAt(const QaComposition *cx, int a_bits, int w_bits, QaPricedComp *out, QaErr *err) {
  if (a_bits == cx->hw_bits && w_bits == cx->hw_bits) {
    memcpy(out, cx->comp, (size_t)cx->n_comp * sizeof *out);
    return QA_OK;
  }
  QaInventory inv;
  return priceInventory(&cx->cfg, cx->table, cx->dram_type, a_bits, w_bits, &inv, out, err);
}

int qaComposeFind(const QaComposition *cx, const char *name) {
  for (int i = 0; i < cx->n_comp; i++)
    if (cx->comp[i].def && !strcmp(cx->comp[i].def->name, name)) return i;
  return -1;
}

/* ---- listing -------------------------------------------------------------------------------- */

const char *const qaComposeNotModelled[] = {
    "control: instruction / layer sequencing, address generation, the tiles' and the central block's "
    "controllers",
    "interconnect: the bus or tree carrying activations from the central memory to the tiles and outputs "
    "back",
    "chip I/O: inter-chip links (DaDianNao's HyperTransport links, recalled, not verified here, are part of "
    "its published node power and area) and DRAM controllers",
    "clock tree: only the registers' own clock pins are priced (their reg row), not the distribution network",
    "layout: placement density, wiring and power grid beyond the table's cell and array areas (a "
    "calibrated table's area scales stand in for them)",
    NULL};

static void fmtArea(double um2, char *buf, size_t cap) {
  if (isnan(um2))
    snprintf(buf, cap, "-");
  else
    snprintf(buf, cap, "%.1f", um2);
}

int qaComposePrint(const QaComposition *cx, FILE *fp, QaErr *err) {
  const QaCostTable *t = cx->table;
  fprintf(fp, "# %s (config: %s) priced with cost table '%s'%s%s%s id %.16s, a/w %d/%d bits, %g MHz\n",
          cx->arch->name, cx->cfg.source, qaCostTableName(t), qaCostTablePath(t)[0] ? " (" : "",
          qaCostTablePath(t), qaCostTablePath(t)[0] ? ")" : "", qaCostTableId(t), cx->a_bits, cx->w_bits,
          cx->clock_mhz);
  fprintf(fp,
          "# chip = %lld tiles x (%lld PEs + tile components) + chip components; "
          "energy per action in pJ, area in um^2\n",
          (long long)cx->tiles, (long long)cx->pes_per_tile);
  fprintf(fp, "%-12s %-7s %6s %-36s %-30s %12s %14s %-8s %s\n", "component", "scope", "count", "primitive",
          "energy per action", "area_um2/inst", "area_um2/chip", "status", "table rows");
  int ids[QA_COMP_MAX], n = qaComposeOrder(cx, ids);
  for (int k = 0; k < n; k++) {
    const QaPricedComp *c = &cx->comp[ids[k]];
    char e[64], ai[32], ac[32];
    if (qaPrimIsStorage(c->prim))
      snprintf(e, sizeof e, "r %.4g, w %.4g pJ/bit", c->read_pj_per_bit, c->write_pj_per_bit);
    else
      snprintf(e, sizeof e, "%.4g pJ/op", c->op.energy);
    fmtArea(c->op.area_um2, ai, sizeof ai);
    fmtArea((double)qaComposeInstances(cx, c) * c->op.area_um2, ac, sizeof ac);
    QaCostStatus st = c->op.status > c->write.status ? c->op.status : c->write.status;
    char count[24];
    if (c->def->scope == QA_SCOPE_OFFCHIP)
      snprintf(count, sizeof count, "-");
    else
      snprintf(count, sizeof count, "%lld", (long long)c->size.count);
    fprintf(fp, "%-12s %-7s %6s %-36s %-30s %12s %14s %-8s %s\n", c->def->name, qaScopeName(c->def->scope),
            count, c->what, e, ai, ac, qaCostStatusName(st), c->rows);
  }
  fprintf(fp, "roles:\n");
  for (int k = 0; k < n; k++) {
    const QaPricedComp *c = &cx->comp[ids[k]];
    fprintf(fp, "  %-12s %s (%s", c->def->name, c->def->role, qaCategoryName(c->def->category));
    if (isMemory(c->prim) || c->prim == QA_PRIM_REG_BANK)
      fprintf(fp, "; one access: read %.4g pJ, write %.4g pJ", c->op.energy, c->write.energy);
    fprintf(fp, ")\n");
  }
  fprintf(fp,
          "area: PE %.1f um^2 (%.4f mm^2); tile %.1f um^2 (%.4f mm^2); chip %.1f um^2 "
          "(%.3f mm^2)\n",
          cx->pe_area_um2, cx->pe_area_um2 / 1e6, cx->tile_area_um2, cx->tile_area_um2 / 1e6,
          cx->chip_area_um2, cx->chip_area_um2 / 1e6);
  fprintf(fp, "area split: memories %.3f mm^2, logic and registers %.3f mm^2\n", cx->memory_area_um2 / 1e6,
          cx->logic_area_um2 / 1e6);
  if (cx->n_leak_known == 0)
    fprintf(fp, "leakage: not priced: cost table '%s' gives no leakage (static energy is not priced)\n",
            qaCostTableName(t));
  else if (cx->n_leak_missing)
    fprintf(
        fp,
        "leakage: %.6g uW on chip, partial: not priced for %s (%d of %d on-chip components have a figure)\n",
        cx->chip_leakage_uw, cx->leak_missing, cx->n_leak_known, cx->n_leak_known + cx->n_leak_missing);
  else
    fprintf(fp, "leakage: %.6g uW on chip, every on-chip component priced (eDRAM includes refresh)\n",
            cx->chip_leakage_uw);
  fprintf(fp, "not modelled (no component, no area, no energy):\n");
  for (int i = 0; qaComposeNotModelled[i]; i++) fprintf(fp, "  %s\n", qaComposeNotModelled[i]);
  if (ferror(fp)) return qaErrSet(err, QA_EINTERNAL, "cannot write the composition listing");
  return QA_OK;
}
