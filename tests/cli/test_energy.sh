#!/usr/bin/env bash
# The energy and area cost model on the command line (issue 4): `qasim area` (golden file
# for DaDianNao), `qasim costs`, energy printed and stored by `qasim run`, `qasim price`
# re-pricing a stored run without simulating (same numbers; another DRAM type is another
# label), static energy with a table that gives leakage, and the error messages.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
E=$QA_TEST_DATA/energy
DB=$T/e.db
NET=$E/tiny.yaml

# ---- area
"$Q" area --arch dadiannao | sed 's|([^()]*/horowitz45\.csv)|(TABLE)|' > "$T/area.txt" && ok || bad "area"
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

# ---- costs
expect 0 "sze-normalized +5 MAC" -- "$Q" costs
grep -q "^horowitz45 .* pJ " "$T/out" && ok || bad "costs listing"
expect 0 "Horowitz ISSCC 2014" -- "$Q" costs horowitz45
grep -q "and_gates(n)" "$T/out" && ok || bad "composites not listed"
expect 1 "unknown cost table 'nosuch'" -- "$Q" costs nosuch

# ---- run: energy printed and stored
expect 0 "this run is the baseline" -- "$Q" run --arch dadiannao --net "$NET" --bits 8 --db "$DB" --quiet
grep -qE "^energy \(costs horowitz45\): [0-9.]+ uJ per inference \(batch 1\), [0-9.]+ pJ/MAC" "$T/out" && ok || bad "run energy line"
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
expect 0 "stored as costs 'horowitz45' of run 2" -- "$Q" price 2 --db "$DB"
[ "$(grep "^energy (costs" "$T/out")" = "$run2" ] && ok || bad "price differs from run: $(grep "^energy (costs" "$T/out") vs $run2"
grep -q "energy efficiency vs dadiannao (run 1" "$T/out" && ok || bad "price efficiency line"
before=$(sqlite3 "$DB" "select count(*) from energy")
expect 0 "" -- "$Q" price 1 --costs horowitz45 --db "$DB"
[ "$(grep "^energy (costs" "$T/out")" = "$run1" ] && ok || bad "price of run 1 differs"
[ "$(sqlite3 "$DB" "select count(*) from energy")" = "$before" ] && ok || bad "re-pricing duplicated rows"
expect 0 "stored as costs 'horowitz45\+ddr3' of run 2" -- "$Q" price 2 --dram ddr3 --db "$DB"
grep -q "no dadiannao run of tiny-energy at a/w 8/8 bits priced with 'horowitz45+ddr3'" "$T/out" && ok || bad "ddr3 baseline hint"
[ "$(sqlite3 "$DB" "select count(distinct costs) from run_energy where run_id = 2")" = 2 ] && ok || bad "labels"
expect 0 "stored as costs 'horowitz45' of run 3" -- "$Q" price 3 --db "$DB"
# static energy with a table that gives leakage
expect 0 "static +[0-9.]+ uJ" -- "$Q" price 1 --costs "$E/leaky.csv" --db "$DB"
[ "$(sqlite3 "$DB" "select count(*) from energy where run_id = 1 and costs = 'leaky' and component = 'static' and energy_pj > 0")" = 2 ] && ok || bad "static rows"
expect 0 "static +[0-9.]+ uJ" -- "$Q" run --net "$NET" --bits 8 --costs "$E/leaky.csv" --no-store --quiet
# errors
expect 1 "run 99 not found" -- "$Q" price 99 --db "$DB"
expect 1 "missing RUN: a run id" -- "$Q" price --db "$DB"
expect 1 "no results database here" -- "$Q" price 1 --db "$T/none.db"
expect 1 "normalised" -- "$Q" price 1 --costs sze-normalized --db "$DB"
expect 1 "unknown cost table 'nosuch'" -- "$Q" run --net "$NET" --costs nosuch --no-store
[ "$(sqlite3 "$DB" "pragma integrity_check")" = ok ] && ok || bad "integrity"
finish
