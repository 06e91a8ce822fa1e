#!/usr/bin/env bash
# qasim report, results and export over a real small sweep (issue 11): every figure is
# drawn, rendered (PNG and PDF) with its CSV, SQL and script; the index opens in headless
# Chromium (Debian package chromium) and every image in it loads; a baseline that matches
# no design point names those that exist; results filters by architecture, network and
# bits and shows the config that differs; export writes several runs (or a filter) as one
# CSV or JSON with energy columns. Chromium is a dependency of the tests (./run installs
# it): without it this fails, it is not skipped.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
DB=$T/r.db
expect 0 "12 run \(12 stored" -- "$Q" sweep "$QA_TEST_DATA/sweep/small.yaml" --db "$DB" -j 2
# a run on another network: two groups
expect 0 "stored as run 13" -- "$Q" run --net "$QA_TEST_DATA/energy/tiny.yaml" --arch stripes --bits 8 --db "$DB" --quiet

# the report
R=$T/report
expect 0 "8 of 8 figures drawn, 8 rendered" -- "$Q" report --db "$DB" --out "$R"
for f in speedup-time speedup-cycles energy-breakdown bits-energy bits-speedup layers-tiny area energy-sqnr; do
  for ext in png pdf csv sql gp; do
    [ -s "$R/$f.$ext" ] || bad "missing $R/$f.$ext"
  done
  ok
done
head -1 "$R/speedup-time.csv" | grep -q "laconic sync=grid 8b.*laconic sync=pe 8b" && ok \
  || bad "legend by difference: $(head -1 "$R/speedup-time.csv")"
grep -q "seed=2" "$R/speedup-time.csv" && ok || bad "the seed-2 point is not named by its seed"

# the index in a real browser: every image loads
command -v chromium >/dev/null && ok || bad "chromium is not installed (apt-get install chromium)"
U=$(mktemp -d)
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$U" \
  --allow-file-access-from-files --virtual-time-budget=5000 --dump-dom "file://$R/index.html" >"$T/dom.html" 2>"$T/chromium.err"
rm -rf "$U"
body=$(grep -o '<body[^>]*>' "$T/dom.html")
[ "$body" = '<body data-images-total="8" data-images-loaded="8">' ] && ok \
  || bad "index in chromium: want 8 of 8 images loaded, got '$body' ($(tail -2 "$T/chromium.err"))"
grep -q "Per-architecture totals" "$T/dom.html" && ok || bad "no totals table"

# baseline and filters
expect 1 "--baseline 'nosuch@16' matches no design point; the design points: dadiannao@16" -- \
  "$Q" report --db "$DB" --out "$T/r2" --baseline nosuch@16
expect 1 "matches 2 design points \(laconic@8,sync=grid, laconic@8,sync=pe\)" -- \
  "$Q" report --db "$DB" --out "$T/r2" --baseline laconic@8
expect 0 "baseline laconic sync=pe 8b" -- "$Q" report --db "$DB" --out "$T/r2" --baseline laconic@8,sync=pe --no-render
expect 0 "report: 4 design points" -- "$Q" report --db "$DB" --out "$T/r3" --arch stripes --net tiny --no-render
expect 1 "--where" -- "$Q" report --db "$DB" --out "$T/r4" --where "1); DELETE FROM run; --"
[ "$(sqlite3 "$DB" "select count(*) from run")" = 13 ] && ok || bad "--where changed the store"
expect 0 "report: 2 design points" -- "$Q" report --db "$DB" --out "$T/r5" --where "arch_config LIKE '%sync: pe%' OR seed = 2" --no-render
expect 0 "" -- "$Q" plot --db "$DB" --out "$T/plots" --no-render
[ -s "$T/plots/index.html" ] && ok || bad "plot (the report's shortcut)"

# results: filters, config that differs, energy per inference
expect 0 "sync=pe" -- "$Q" results --db "$DB" --arch laconic --bits 8
[ "$(grep -c "laconic" "$T/out")" = 2 ] && ok || bad "results --arch laconic --bits 8: $(cat "$T/out")"
head -1 "$T/out" | grep -q "point.*arch.*workload.*a/w.*config.*uJ/inf" && ok || bad "results header: $(head -1 "$T/out")"
expect 0 "tiny-energy" -- "$Q" results --db "$DB" --net tiny-energy
[ "$(wc -l <"$T/out")" = 2 ] && ok || bad "results --net tiny-energy: $(cat "$T/out")"
expect 0 "no runs in .* match the filter" -- "$Q" results --db "$DB" --bits 3
expect 0 "runs" -- "$Q" results --db "$DB" --points

# export: several runs, or a filter, as CSV or JSON with energy columns
expect 0 "" -- "$Q" export 1 2 3 --csv --db "$DB" --output "$T/three.csv"
[ "$(wc -l <"$T/three.csv")" = 13 ] && ok || bad "export 1 2 3: $(wc -l <"$T/three.csv") lines"
head -1 "$T/three.csv" | grep -q "^run_id,layer_idx,.*,identity,.*,energy_pj,datapath_pj,accumulation_pj,registers_pj,memory_pj,dram_pj,static_pj$" \
  && ok || bad "export header: $(head -1 "$T/three.csv")"
expect 0 "" -- "$Q" export --arch laconic --json --db "$DB" --output "$T/laconic.json"
n=$(grep -c '^  {"run_id"' "$T/laconic.json")
[ "$n" = 16 ] && ok || bad "export --arch laconic --json: $n rows"
grep -q '"datapath_pj": [0-9]' "$T/laconic.json" && ok || bad "JSON energy columns"
expect 1 "choose one format" -- "$Q" export 1 --csv --json --db "$DB"
expect 1 "run 99 not found" -- "$Q" export 1 99 --csv --db "$DB"
finish
