#!/usr/bin/env bash
# Bad input gets a clear one-line error and exit code 1, never a crash (issue 2:
# CLI exit codes; README ground rule). Each case names the file/field/option.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
expect 1 "unknown command 'frobnicate'" -- "$Q" frobnicate
expect 1 "missing command" -- "$Q"
expect 1 "--net is required" -- "$Q" run --no-store
expect 1 "unknown option '--nett'" -- "$Q" run --nett resnet18
expect 1 "option '--bits' needs a value" -- "$Q" run --net resnet18 --bits
expect 1 "--bits: 17 is out of range \[1, 16\]" -- "$Q" run --net resnet18 --bits 17
expect 1 "--bits: 'abc' is not an integer" -- "$Q" run --net resnet18 --bits abc
expect 1 "--a-bits: 0 is out of range" -- "$Q" run --net resnet18 --a-bits 0
expect 1 "unknown network 'resnet19'" -- "$Q" run --net resnet19 --no-store
expect 1 "unknown architecture 'eyeriss'.*qasim archs" -- "$Q" run --arch eyeriss --net resnet18 --no-store
expect 1 "laconic \(max_bits 8\) runs 1..8-bit codes" -- "$Q" run --arch laconic --set max_bits=8 --net "$D/tiny.yaml" --bits 16 --no-store
expect 1 "layer 'conv1': weights and activations need .* GiB of DRAM but dram_gib is 1e-07" -- "$Q" run --set dram_gib=0.0000001 --net "$D/tiny.yaml" --no-store
expect 1 "8-bit datapath" -- "$Q" run --arch dadiannao8 --net "$D/tiny.yaml" --bits 16 --no-store
expect 1 "bad_arch.yaml:4:3: unknown parameter 'lanse'.*did you mean 'lanes'" -- "$Q" run --config "$D/bad_arch.yaml" --net "$D/tiny.yaml" --no-store
expect 1 "bad_range.yaml:2:8: parameter 'tiles' = 0 is out of range" -- "$Q" run --config "$D/bad_range.yaml" --net "$D/tiny.yaml" --no-store
expect 1 "bad_syntax.yaml:4:1: YAML syntax error" -- "$Q" run --config "$D/bad_syntax.yaml" --net "$D/tiny.yaml" --no-store
expect 1 "nope.yaml: cannot open" -- "$Q" run --config "$T/nope.yaml" --net "$D/tiny.yaml" --no-store
expect 1 "--set 'tiles': expected NAME=VALUE" -- "$Q" run --set tiles --net "$D/tiny.yaml" --no-store
expect 1 "--set: parameter 'clock_mhz' must be a number" -- "$Q" run --set clock_mhz=fast --net "$D/tiny.yaml" --no-store
expect 1 "--quant-w" -- "$Q" run --quant-w cubic --net "$D/tiny.yaml" --no-store
expect 1 "--encoder" -- "$Q" run --encoder morse --net "$D/tiny.yaml" --no-store
expect 1 "unknown timing mode 'slow'" -- "$Q" run --timing slow --net "$D/tiny.yaml" --no-store
# issue 7: numbers are parsed strictly with their range (base/parse.h); more in test_commands.sh
expect 1 "--zero-frac: 2 is out of range \[0, 1\]" -- "$Q" run --zero-frac 2 --net "$D/tiny.yaml" --no-store
expect 1 "--seed: '-3' is not a non-negative integer" -- "$Q" run --seed -3 --net "$D/tiny.yaml" --no-store
# traces: wrong shape and NaN values name the file
expect 1 "bad_shape_wgt.npy.*\(4, 3, 2, 2\)" -- "$Q" run --net "$D/bad_shape.yaml" --no-store
expect 1 "nan_wgt.npy.*NaN" -- "$Q" run --net "$D/nan.yaml" --no-store
# results store
# issue 7: the store creates a missing directory (mkdir -p), but not through a file
echo "a file" > "$T/plain"
expect 1 "r.db: cannot create the results database: .*plain is not a directory" -- "$Q" run --net "$D/tiny.yaml" --db "$T/plain/sub/r.db"
echo "not a database" > "$T/junk.db"
expect 1 "junk.db" -- "$Q" run --net "$D/tiny.yaml" --db "$T/junk.db"
expect 1 "junk.db" -- "$Q" results --db "$T/junk.db"
expect 1 "no results database" -- "$Q" results --db "$T/missing.db"
expect 0 "" -- "$Q" run --net "$D/tiny.yaml" --db "$T/r.db" --quiet
expect 1 "run 42 not found" -- "$Q" export 42 --csv --db "$T/r.db"
expect 1 "choose a format: --csv" -- "$Q" export 1 --db "$T/r.db"
expect 1 "run id: 'x' is not an integer" -- "$Q" export x --csv --db "$T/r.db"
# issue 7: a missing positional argument is named from the command table
expect 1 "qasim info: missing NET: a built-in network name" -- "$Q" info
expect 1 "unknown architecture 'nope'" -- "$Q" archs nope
# --help everywhere, exit 0
for c in nets info archs run results export sweep merge report plot bench area price costs help; do
  expect 0 "usage: qasim $c" -- "$Q" "$c" --help
done
finish
