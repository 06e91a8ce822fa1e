#!/usr/bin/env bash
# The energy and area cost model on the command line (issues 4 and 9): `qasim area` (golden
# file for DaDianNao with the default table cacti45, registers, leakage, what is not
# modelled, peak power), `qasim costs` (CACTI vs Horowitz), energy printed and stored by
# `qasim run` (table id, the weak-rows warning), `qasim price` re-pricing stored runs without
# simulating (same numbers; another DRAM type is another label; several runs or all; a
# different table with the same name never overwrites another's energies), static energy,
# an Accelergy ERT layered over a table, `qasim calibrate`, and the error messages.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
E=$QA_TEST_DATA/energy
DB=$T/e.db
NET=$E/tiny.yaml

# ---- area
"$Q" area --arch dadiannao | sed 's|([^()]*/cacti45\.csv)|(TABLE)|' > "$T/area.txt" && ok || bad "area"
diff -u "$E/area-dadiannao.txt" "$T/area.txt" >&2 && ok || bad "area golden differs (diff above)"
for a in dadiannao8 stripes pragmatic laconic khot-laconic onehot-dadiannao; do
  expect 0 "^area: PE [0-9.]+ um\^2" -- "$Q" area --arch "$a" --bits 8
done
chip() { "$Q" area "$@" | sed -n 's/^area: .* chip [0-9.]* um^2 (\([0-9.]*\) mm^2)$/\1/p'; }
big=$(chip --arch dadiannao)
small=$(chip --arch dadiannao --set tiles=8)
awk -v a="$small" -v b="$big" 'BEGIN { exit !(a > 0 && a < b) }' && ok || bad "8 tiles ($small mm^2) not smaller than 16 ($big mm^2)"
expect 0 "dram_ddr3 per bit +r 70, w 70 pJ/bit" -- "$Q" area --dram ddr3
expect 0 "leakage: [0-9.]+ uW on chip" -- "$Q" area --costs "$E/leaky.csv"
expect 1 "cost table 'sze-normalized' is normalised" -- "$Q" area --costs sze-normalized
expect 1 "unknown cost table 'nosuch'.*horowitz45" -- "$Q" area --costs nosuch
expect 1 "has no DRAM type 'sdram9'" -- "$Q" area --dram sdram9
expect 1 "unknown architecture 'warp'" -- "$Q" area --arch warp
expect 1 "unknown parameter 'flux'" -- "$Q" area --set flux=1
expect 1 "no int_mult rows" -- "$Q" area --costs "$QA_TEST_DATA/costs/accelergy/eyeriss_like.ERT.yaml"
# an ERT layered over a table prices every architecture
expect 0 "cost table 'cacti45,eyeriss_like'" -- "$Q" area --arch laconic --costs "cacti45,$QA_TEST_DATA/costs/accelergy/eyeriss_like.ERT.yaml"
# leakage not priced, never 0; peak power at the clock
expect 0 "leakage: not priced" -- "$Q" area --costs horowitz45
expect 0 "peak power at 606 MHz: [0-9.]+ W = dynamic" -- "$Q" area --power
expect 0 "leakage not priced by this table" -- "$Q" area --costs horowitz45 --power
expect 0 "calibrated .*scale logic_energy" -- "$Q" area --costs calibrated45
expect 0 "sram\(2097152 B, 4096-bit access\).*cacti45 sram 2M" -- "$Q" area --set sb_type=sram

# ---- costs
expect 0 "sze-normalized +5 MAC" -- "$Q" costs
grep -q "^horowitz45 .* pJ " "$T/out" && ok || bad "costs listing"
grep -qE "^#   8K +10 +6.137 +0.61 " "$T/out" && ok || bad "CACTI/Horowitz ratios not listed"
expect 0 "Horowitz ISSCC 2014" -- "$Q" costs horowitz45
grep -q "and_gates(n)" "$T/out" && ok || bad "composites not listed"
expect 1 "unknown cost table 'nosuch'" -- "$Q" costs nosuch

# ---- run: energy printed and stored
expect 0 "this run is the baseline" -- "$Q" run --arch dadiannao --net "$NET" --bits 8 --db "$DB" --quiet
grep -qE "^energy \(costs cacti45, table id [0-9a-f]{16}\): [0-9.]+ uJ per inference \(batch 1\), [0-9.]+ pJ/MAC" "$T/out" && ok || bad "run energy line"
run1=$(grep "^energy (costs" "$T/out")
expect 0 "energy efficiency vs dadiannao \(run 1, [0-9.]+ uJ per inference\): [0-9.]+x" -- \
  "$Q" run --arch stripes --net "$NET" --bits 8 --db "$DB" --quiet
run2=$(grep "^energy (costs" "$T/out")
expect 0 "stored as run 3" -- "$Q" run --arch stripes --net "$NET" --bits 8 --db "$DB" --quiet --costs none
grep -q "^energy" "$T/out" && bad "--costs none printed energy" || ok
expect 0 "no dadiannao run of tiny-energy at a/w 4/4 bits" -- "$Q" run --arch stripes --net "$NET" --bits 4 --db "$DB" --quiet
[ "$(sqlite3 "$DB" "pragma user_version")" -ge 2 ] && ok || bad "schema version"
[ "$(sqlite3 "$DB" "select count(*) from energy where run_id = 3")" = 0 ] && ok || bad "unpriced run has energy rows"
[ "$(sqlite3 "$DB" "select count(distinct layer_idx) from energy where run_id = 2")" = 2 ] && ok || bad "energy rows per layer"
# the rows sum to the run's total
[ "$(sqlite3 "$DB" "select abs((select sum(energy_pj) from energy where run_id = 2) - energy_pj) < 1e-6 * energy_pj from run_energy where run_id = 2")" = 1 ] && ok || bad "rows do not sum to run_energy"

# ---- price: the same numbers without simulating; a new label for another DRAM type
expect 0 "stored as costs 'cacti45' of run 2" -- "$Q" price 2 --db "$DB"
[ "$(grep "^energy (costs" "$T/out")" = "$run2" ] && ok || bad "price differs from run: $(grep "^energy (costs" "$T/out") vs $run2"
grep -q "energy efficiency vs dadiannao (run 1" "$T/out" && ok || bad "price efficiency line"
before=$(sqlite3 "$DB" "select count(*) from energy")
expect 0 "" -- "$Q" price 1 --costs cacti45 --db "$DB"
[ "$(grep "^energy (costs" "$T/out")" = "$run1" ] && ok || bad "price of run 1 differs"
[ "$(sqlite3 "$DB" "select count(*) from energy")" = "$before" ] && ok || bad "re-pricing duplicated rows"
expect 0 "stored as costs 'cacti45\+ddr3' of run 2" -- "$Q" price 2 --dram ddr3 --db "$DB"
grep -q "no dadiannao run of tiny-energy at a/w 8/8 bits priced with 'cacti45+ddr3'" "$T/out" && ok || bad "ddr3 baseline hint"
[ "$(sqlite3 "$DB" "select count(distinct costs) from run_energy where run_id = 2")" = 2 ] && ok || bad "labels"
expect 0 "stored as costs 'cacti45' of run 3" -- "$Q" price 3 --db "$DB"
# several runs, ranges and all; horowitz45's assumed eDRAM rows are flagged
expect 0 "priced 3 runs with cost table 'horowitz45'" -- "$Q" price 1-2 3 --costs horowitz45 --db "$DB"
grep -q "WARNING: [0-9.]*% of this energy rests on cost rows whose status is assumed or extrapolated" "$T/out" && ok || bad "no weak-rows warning"
expect 0 "priced 4 runs" -- "$Q" price all --costs horowitz45 --db "$DB"
[ "$(sqlite3 "$DB" "select status from energy where run_id = 1 and costs = 'horowitz45' and component = 'sb' limit 1")" = assumed ] && ok || bad "energy row status"
# a table is known by its content: another file called leaky.csv with other numbers gets its
# own label and leaves the first one's energies alone
mkdir -p "$T/other" && sed 's/int_mult,op,16,16,,0.787/int_mult,op,16,16,,0.9/' "$E/leaky.csv" > "$T/other/leaky.csv"
expect 0 "stored as costs 'leaky' of run 1" -- "$Q" price 1 --costs "$E/leaky.csv" --db "$DB"
leaky1=$(sqlite3 "$DB" "select energy_pj from run_energy where run_id = 1 and costs = 'leaky'")
expect 0 "stored as costs 'leaky@[0-9a-f]{8}' of run 1" -- "$Q" price 1 --costs "$T/other/leaky.csv" --db "$DB"
[ "$(sqlite3 "$DB" "select energy_pj from run_energy where run_id = 1 and costs = 'leaky'")" = "$leaky1" ] && ok || bad "the other leaky.csv overwrote leaky's energies"
# the same content under another name keeps its label
cp "$E/leaky.csv" "$T/other/copy.csv"
expect 0 "stored as costs 'leaky' of run 1" -- "$Q" price 1 --costs "$T/other/copy.csv" --db "$DB"
# static energy with a table that gives leakage
expect 0 "static +[0-9.]+ uJ" -- "$Q" price 1 --costs "$E/leaky.csv" --db "$DB"
[ "$(sqlite3 "$DB" "select count(*) from energy where run_id = 1 and costs = 'leaky' and component = 'static' and energy_pj > 0")" = 2 ] && ok || bad "static rows"
expect 0 "static +[0-9.]+ uJ" -- "$Q" run --net "$NET" --bits 8 --costs "$E/leaky.csv" --no-store --quiet
# errors
expect 1 "run 99 not found" -- "$Q" price 99 --db "$DB"
expect 1 "missing RUN...: run ids" -- "$Q" price --db "$DB"
expect 1 "run range end: 1 is out of range" -- "$Q" price 3-1 --db "$DB"
expect 1 "no results database here" -- "$Q" price 1 --db "$T/none.db"
expect 1 "normalised" -- "$Q" price 1 --costs sze-normalized --db "$DB"
expect 1 "unknown cost table 'nosuch'" -- "$Q" run --net "$NET" --costs nosuch --no-store
[ "$(sqlite3 "$DB" "pragma integrity_check")" = ok ] && ok || bad "integrity"
# calibration on a tiny network: every claim, fitted or held out, and the three scales
expect 0 "fitted scales: memory_energy x[0-9.e+-]+ logic_energy x[0-9.e+-]+ logic_area x[0-9.e+-]+" -- "$Q" calibrate --nets "$NET" --quiet
grep -qE "^pra17.energy_eff.16b +held-out" "$T/out" && grep -qE "^dadn.power +fitted" "$T/out" && ok || bad "calibrate listing"
finish
