/*
** clock.h - how often the registers of an architecture are clocked.
**
** Every architecture lists its registers as components of category QA_CAT_REGISTERS with
** primitive QA_PRIM_REG (hw.h): operand registers at the PE inputs, pipeline registers
** between datapath stages, the serial shift registers and offset generators of bit-serial
** designs, the operand registers of term encoders. A register's QA_ACT_OP count is the
** number of times one instance is clocked. The kernels count the clocked updates a
** clock-gated design makes (clock_gating 1, the default): a register is clocked only in
** the cycles or brick steps its unit works, from quantities the cycle model already has
** (busy PE-cycles, PE-steps, active tiles). qaClockCountRegisters, called by both drivers
** once a layer's cycles are known, replaces those counts for a design without clock gating
** (clock_gating 0): every register of the chip is clocked every cycle of the layer, stall
** cycles included - instances on the chip (inventory at the hardware's width) x n_cycles.
** Both timing modes call it with the same counts and cycles, so they agree exactly.
** Registers inside priced composites (an accumulator's, the histogram counters, run-ahead
** register banks) are priced per update with their composite and not listed here.
*/
#ifndef QA_CLOCK_H
#define QA_CLOCK_H

#include "arch/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Instances of component ID on the whole chip at config CFG (its inventory at the
** hardware's width): count x PEs per tile x tiles for a PE component, count x tiles for a
** tile component, count for a chip one. */
int64_t qaClockInstances(const QaArchConfig *cfg, int id);

/* After a layer of ST->n_cycles cycles: with clock_gating 0, set the QA_ACT_OP count of
** every register component (category QA_CAT_REGISTERS) to its chip instances x
** ST->n_cycles; with clock gating, leave the kernel's counts. Never fails. */
void qaClockCountRegisters(const QaArchConfig *cfg, QaLayerStats *st);

#ifdef __cplusplus
}
#endif
#endif /* QA_CLOCK_H */
