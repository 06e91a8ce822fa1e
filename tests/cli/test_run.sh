#!/usr/bin/env bash
# End-to-end runs through the CLI (issue 2): a traced + synthetic YAML network is
# simulated and stored; the same seed gives the same rows; the clocked mode gives
# the same cycles as the default mode; export and plot work; a run killed midway
# leaves nothing in the store.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
DB=$T/r.db
cyc() { sqlite3 "$DB" "select group_concat(n_cycles || '/' || n_stall_cycles, ' ') from layer where run_id = $1 order by layer_idx"; }

expect 0 "stored as run 1" -- "$Q" run --net "$D/tiny.yaml" --config "$D/small.yaml" --bits 8 --db "$DB"
expect 0 "stored as run 2" -- "$Q" run --net "$D/tiny.yaml" --config "$D/small.yaml" --bits 8 --db "$DB"
expect 0 "stored as run 3" -- "$Q" run --net "$D/tiny.yaml" --config "$D/small.yaml" --bits 8 --db "$DB" --timing cycle
expect 0 "stored as run 4" -- "$Q" run --net "$D/tiny.yaml" --config "$D/small.yaml" --bits 8 --db "$DB" --seed 5 --zero-frac 0.9
[ "$(cyc 1)" = "$(cyc 2)" ] && ok || bad "same seed, different cycles: $(cyc 1) vs $(cyc 2)"
[ "$(cyc 1)" = "$(cyc 3)" ] && ok || bad "lt and cycle disagree: $(cyc 1) vs $(cyc 3)"
# every layer verified, values recorded
[ "$(sqlite3 "$DB" "select count(*) from layer where outputs_verified = 1")" = 16 ] && ok || bad "unverified layers"
[ "$(sqlite3 "$DB" "select values_src from layer where run_id = 1 order by layer_idx" | tr '\n' ' ')" = "trace synthetic synthetic synthetic " ] && ok || bad "values_src"
[ "$(sqlite3 "$DB" "select seed, timing, arch, a_bits from run where run_id = 4")" = "5|lt|dadiannao|8" ] && ok || bad "run row"
sqlite3 "$DB" "select arch_config from run where run_id = 1" | grep -q "^tiles: 2$" && ok || bad "resolved config not stored"
[ "$(sqlite3 "$DB" "select count(distinct arch_config_hash) from run")" = 1 ] && ok || bad "config hash"
[ "$(sqlite3 "$DB" "select sum(count) > 0 from action where component = 'mult'")" = 1 ] && ok || bad "action counts"
[ "$(sqlite3 "$DB" "pragma user_version")" -ge 1 ] && ok || bad "schema version"
# results and export
expect 0 "dadiannao +tiny +8/8" -- "$Q" results --db "$DB"
"$Q" export 1 --csv --db "$DB" > "$T/run1.csv" && ok || bad "export"
[ "$(wc -l < "$T/run1.csv")" = 5 ] && ok || bad "export rows: $(wc -l < "$T/run1.csv")"
head -1 "$T/run1.csv" | grep -q "layer_idx.*n_cycles.*pe_util.*outputs_verified" && ok || bad "export header"
expect 0 "" -- "$Q" export 1 --csv --db "$DB" --output "$T/run1b.csv"
cmp -s "$T/run1.csv" "$T/run1b.csv" && ok || bad "export --output differs"
# --parts: conv and fc totals apart, each the sum of its layers, and the same as view run_part
expect 0 "" -- "$Q" export 1 --csv --parts --db "$DB" --output "$T/parts.csv"
[ "$(wc -l < "$T/parts.csv")" = 3 ] && ok || bad "export --parts rows: $(wc -l < "$T/parts.csv")"
want=$(sqlite3 "$DB" "select part || ',' || n_layers || ',' || macs || ',' || n_cycles from run_part where run_id = 1 order by part")
got=$(tail -n +2 "$T/parts.csv" | cut -d, -f7-10)
[ "$got" = "$want" ] && ok || bad "export --parts: $got vs run_part $want"
want=$(sqlite3 "$DB" "select sum(n_cycles) from layer where run_id = 1 and kind = 'fc'")
[ "$(grep ',fc,' "$T/parts.csv" | cut -d, -f10)" = "$want" ] && ok || bad "export --parts fc cycles"
# plots (gnuplot is a dependency of ./run and of the tests: without it this fails)
command -v gnuplot >/dev/null && ok || bad "gnuplot not installed (apt-get install gnuplot-nox)"
expect 0 "layers-tiny " -- "$Q" plot --db "$DB" --out "$T/plots"
[ -s "$T/plots/layers-tiny.png" ] && [ -s "$T/plots/layers-tiny.csv" ] && [ -s "$T/plots/index.html" ] && ok || bad "plot files"
# crash safety: a run killed mid-way stores nothing; the store stays usable
"$Q" run --net vgg16 --db "$DB" --quiet > /dev/null 2>&1 &
pid=$!
sleep 1.5
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$(sqlite3 "$DB" "select count(*) from run")" = 4 ] && ok || bad "killed run left a run row"
[ "$(sqlite3 "$DB" "select count(*) from layer where run_id > 4")" = 0 ] && ok || bad "killed run left layer rows"
expect 0 "stored as run 5" -- "$Q" run --net "$D/tiny.yaml" --db "$DB" --quiet
[ "$(sqlite3 "$DB" "pragma integrity_check")" = ok ] && ok || bad "integrity"
# issue 7: --config decides the architecture: printed, stored, priced and compared as it,
# with its own quantizer and encoder defaults; an --arch that contradicts it is an error
expect 0 "stripes on tiny" -- "$Q" run --net "$D/tiny.yaml" --config "$D/stripes.yaml" --bits 8 --db "$DB" --quiet
[ "$(sqlite3 "$DB" "select arch from run where run_id = 6")" = stripes ] && ok || bad "stored arch is not stripes"
[ "$(sqlite3 "$DB" "select count(*) from action where run_id = 6 and component = 'and'")" -gt 0 ] && ok ||
  bad "stripes actions not stored"
grep -q "efficiency vs dadiannao (run" "$T/out" && ok || bad "no efficiency line: $(tail -3 "$T/out")"
expect 0 "khot-laconic on tiny" -- "$Q" run --net "$D/tiny.yaml" --config "$D/khot.yaml" --bits 8 --db "$DB" --quiet
[ "$(sqlite3 "$DB" "select arch || ' ' || quant_w || ' ' || encoder from run where run_id = 7")" = "khot-laconic khot2 naf" ] &&
  ok || bad "khot run row: $(sqlite3 "$DB" "select arch, quant_w, encoder from run where run_id = 7")"
expect 1 "--arch laconic contradicts the config file .*stripes.yaml, which is for architecture stripes" -- \
  "$Q" run --net "$D/tiny.yaml" --config "$D/stripes.yaml" --arch laconic --no-store
expect 0 "stripes on tiny" -- "$Q" run --net "$D/tiny.yaml" --config "$D/stripes.yaml" --arch stripes --no-store
finish
