#!/usr/bin/env bash
# Traced workloads through the CLI (issue 10; --precision from issue 8):
#  - --precision FILE on Stripes, worked by hand: conv1 at 5 bits = 72 steps x 5 = 360
#    compute cycles, conv2 at 9 bits = 36 x 9 = 324 (tests/data/traces/stripes2.yaml); the
#    bits are stored per layer and the source with the run; profile stores its choice;
#  - output SQNR per layer in the store, `qasim run` (mean, worst) and `export`;
#  - value statistics stored (layer_values, layer_terms) and `qasim stats` (NET, --run, --plot);
#  - export-traces writes a DNNsim directory whose codes run again with the same cycles;
#  - SCALE-Sim and Timeloop inputs run; warnings go to stderr;
#  - a bad trace of the LAST layer stops the run before the first layer is simulated;
#  - info prints parameters and checks traces; bad input: one line naming the field.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
DB=$T/t.db
TD=$QA_TEST_DATA/traces
PEER=$QA_TEST_DATA/peer-formats
q() { sqlite3 "$DB" "$1"; }

# --precision FILE, hand-worked on Stripes
expect 0 "per-layer precisions: --precision .*stripes2.csv" -- \
  "$Q" run --arch stripes --net "$TD/stripes2.yaml" --precision "$TD/stripes2.csv" --db "$DB" --costs none
[ "$(q "select group_concat(a_bits || '/' || w_bits || ':' || n_compute_cycles, ' ') from layer where run_id = 1")" = \
  "5/16:360 9/12:324" ] && ok || bad "stripes --precision: $(q "select group_concat(a_bits || '/' || w_bits || ':' || n_compute_cycles, ' ') from layer where run_id = 1")"
q "select precision from run where run_id = 1" | grep -q "stripes2.csv" && ok || bad "run.precision"
# the same bits given per layer otherwise give the same cycles
expect 0 "stored as run 2" -- "$Q" run --arch stripes --net "$TD/stripes2.yaml" --a-bits 5 --db "$DB" --quiet --costs none
[ "$(q "select n_compute_cycles from layer where run_id = 2 and layer_idx = 0")" = 360 ] && ok || bad "a-bits 5"
# profile: bits chosen per layer, stored
expect 0 "stored as run 3" -- "$Q" run --arch stripes --net "$TD/stripes2.yaml" --quant-a fixed-u --precision profile:20 --db "$DB" --quiet --costs none
[ "$(q "select precision from run where run_id = 3")" = "profile:20" ] && ok || bad "profile precision text"
[ "$(q "select count(*) from layer where run_id = 3 and a_bits between 1 and 15")" = 2 ] && ok || bad "profile bits: $(q "select a_bits from layer where run_id = 3")"
expect 1 "--precision profile:DB: 'abc' is not a number" -- "$Q" run --net "$TD/stripes2.yaml" --precision profile:abc --no-store
expect 1 "--precision: .*nope.csv: cannot open" -- "$Q" run --net "$TD/stripes2.yaml" --precision "$T/nope.csv" --no-store
expect 1 "stripes2.csv:4: layer 'conv2' is not in network 'tiny'" -- "$Q" run --net "$D/tiny.yaml" --precision "$TD/stripes2.csv" --no-store

# SQNR: printed, stored per layer, exported
expect 0 "output SQNR vs the float output: mean [0-9.]+ dB over 4 layers \(1 on traced values\), worst" -- \
  "$Q" run --net "$D/tiny.yaml" --bits 8 --db "$DB"
[ "$(q "select count(*) from layer where run_id = 4 and out_sqnr_db > 20 and quant_w = 'sym-ch'")" = 4 ] && ok || bad "out_sqnr_db"
"$Q" export 4 --csv --db "$DB" > "$T/e.csv" && ok || bad "export"
for c in out_sqnr_db quant_a quant_w; do head -1 "$T/e.csv" | tr ',' '\n' | grep -qx "$c" && ok || bad "export column $c"; done
# statistics stored: a and w per layer; the terms distribution adds up to the values
[ "$(q "select count(*) from layer_values where run_id = 4")" = 8 ] && ok || bad "layer_values rows"
[ "$(q "select count(*) from (select v.layer_idx from layer_values v join layer_terms t using(run_id, layer_idx, tensor)
  where v.run_id = 4 and t.encoder = 'naf' group by v.layer_idx, v.tensor having sum(t.n_values) = max(v.n_values))")" = 8 ] && ok || bad "terms sum"
expect 0 "a_zero" -- "$Q" stats "$D/tiny.yaml" --bits 8
expect 0 "conv1" -- "$Q" stats --run 4 --db "$DB" --dist
expect 0 "plot: .*terms-tiny.png" -- "$Q" stats "$D/tiny.yaml" --plot "$T/plots"
[ -s "$T/plots/terms-tiny.png" ] && [ -s "$T/plots/terms-tiny.dat" ] && ok || bad "terms plot files"
# same values as the run: stats NET and stats --run agree
"$Q" stats "$D/tiny.yaml" --bits 8 | grep "^ *all" > "$T/s1"
"$Q" stats --run 4 --db "$DB" | grep "^ *all" > "$T/s2"
cmp -s "$T/s1" "$T/s2" && ok || bad "stats NET vs --run: $(cat "$T/s1") / $(cat "$T/s2")"
expect 1 "give a network .* or --run RUN, not neither" -- "$Q" stats
# --synthetic ignores the traces
expect 0 "values: synthetic \(--synthetic: traces ignored\)" -- "$Q" run --net "$D/tiny.yaml" --synthetic --no-store --quiet

# export-traces: a DNNsim directory whose codes run again with the same cycles
expect 0 "stored as run 5" -- "$Q" run --arch stripes --net "$D/tiny.yaml" --bits 8 --db "$DB" --quiet --costs none
expect 0 "wrote .*dn: model.csv, precision.txt and the integer codes of 4 layers" -- "$Q" export-traces 5 "$T/dn" --db "$DB"
[ -s "$T/dn/model.csv" ] && [ -s "$T/dn/wgt-conv1.npy" ] && [ -s "$T/dn/act-fc-0.npy" ] && ok || bad "dnnsim files"
expect 0 "stored as run 6" -- "$Q" run --arch stripes --net "$T/dn" --quant-a none --quant-w none --db "$DB" --quiet --costs none
[ "$(q "select group_concat(n_cycles) from layer where run_id = 5")" = "$(q "select group_concat(n_cycles) from layer where run_id = 6")" ] &&
  ok || bad "export-traces round trip cycles: $(q "select group_concat(n_cycles) from layer where run_id = 5") vs $(q "select group_concat(n_cycles) from layer where run_id = 6")"
[ "$(q "select group_concat(a_bits || '/' || w_bits) from layer where run_id = 6")" = "8/8,8/8,8/8,8/8" ] && ok || bad "round trip bits"
# a --layers subset run exports that subset
expect 0 "stored as run 7" -- "$Q" run --net "$D/tiny.yaml" --layers conv --bits 8 --db "$DB" --quiet --costs none
expect 0 "integer codes of 3 layers .* of run 7 \(tiny:conv" -- "$Q" export-traces 7 "$T/dnc" --db "$DB"
expect 1 "--format csv: the only format is dnnsim" -- "$Q" export-traces 5 "$T/dn2" --format csv --db "$DB"
expect 1 "run 99 not found" -- "$Q" export-traces 99 "$T/dn2" --db "$DB"

# SCALE-Sim and Timeloop inputs: the shipped samples read with SCALE-Sim's MAC totals (info);
# small ones of the same formats run (the samples' 0.8-1.8 G MACs are too slow for ASan)
expect 0 "conv_nets_alexnet .*: 5 layers, 805118496 MACs" -- "$Q" info "$PEER/scale-sim/conv_nets_alexnet.csv"
expect 0 "warning: .*:3: layer 'Conv2' has 16 channels but the previous layer 'Conv1' has 4 outputs" -- \
  "$Q" info "$PEER/scale-sim/conv_nets_yolo_tiny.csv"
expect 0 "timeloop \(.*\): 5 layers, 1076634144 MACs" -- "$Q" info "$PEER/timeloop"
expect 0 "AlexNet_layer1 .* 105415200" -- "$Q" info "$PEER/timeloop/AlexNet_layer1.yaml"
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n' > "$T/s.csv"
printf 'c1, 10, 10, 3, 3, 3, 8, 2,\n,,,,,,,,\nc2, 5, 5, 3, 3, 16, 8, 1,\n' >> "$T/s.csv"
"$Q" run --net "$T/s.csv" --bits 8 --db "$DB" --quiet --costs none > "$T/out" 2> "$T/warn" && ok || bad "scale-sim run: $(cat "$T/warn")"
grep -q "warning: .*s.csv:4: layer 'c2' has 16 channels but the previous layer 'c1' has 8 outputs" "$T/warn" && ok ||
  bad "channel warning: $(cat "$T/warn")"
# c1: SCALE-Sim OH = ceil((10 - 3 + 2) / 2) = 5 (bottom/right overhang 1), 5*5*9*3*8 MACs; c2: 3*3*9*16*8
[ "$(q "select macs from run where run_id = 8")" = $((5 * 5 * 9 * 3 * 8 + 3 * 3 * 9 * 16 * 8)) ] && ok || bad "scale-sim MACs"
mkdir -p "$T/tl"
printf 'problem:\n  instance: {C: 8, M: 4, P: 6, Q: 5, R: 3, S: 3, Hstride: 1, WStride: 2}\n' > "$T/tl/a.yaml"
expect 0 "tl \(1 layers, 8640 MACs\)" -- "$Q" run --net "$T/tl" --bits 8 --no-store --quiet --costs none
expect 1 "not a network directory: expected net.yaml" -- "$Q" run --net "$T/plots" --no-store

# early trace validation: a bad trace of the last layer fails before layer 0 is simulated
mkdir -p "$T/bad" && cp "$D"/conv1_act.npy "$D"/conv1_wgt.npy "$T/bad/"
sed 's|    outputs: 10|    outputs: 10\n    trace: {wgt: conv1_wgt.npy}|' "$D/tiny.yaml" > "$T/bad/net.yaml"
expect 1 "layer 'fc' trace.wgt .*conv1_wgt.npy: shape \(4, 3, 3, 3\) does not match the layer, which needs \(10, 320\)" -- \
  "$Q" run --net "$T/bad" --no-store
grep -q "^ *0 conv1" "$T/out" && bad "a layer was simulated before the bad trace was found" || ok
expect 1 "layer 'fc' trace.wgt" -- "$Q" info "$T/bad/net.yaml"
expect 0 "tiny .*: 4 layers, 13856 MACs, 3464 parameters" -- "$Q" info "$D/tiny.yaml"
grep -q "traces: 2 files checked" "$T/out" && ok || bad "info traces line"
finish
