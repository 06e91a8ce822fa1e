#!/usr/bin/env bash
# The command table and the option parser (issue 7): one table drives dispatch, the
# command list, `qasim help CMD`, `qasim CMD --help` and the error messages; options
# come from per-command rows (--opt=value, --opt value, repeatable, -h, "--"); numbers
# are parsed strictly (issue 13 item 11); one default results database,
# results/qasim.db or $QASIM_DB, used by run and read by results/export/plot/price.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
SRC=$(cd "$QA_TEST_DATA/../.." && pwd)
unset QASIM_DB

# ---- the command table (issue 7): every command defined in cli/*.c is listed, and
# every listed command has a usage
defined=$(grep -ho '^ *\.name = "[a-z-]*"' "$SRC"/cli/*.c | sed 's/.*"\(.*\)"/\1/' | sort)
[ "$(echo "$defined" | wc -l)" -ge 12 ] && ok || bad "found only $(echo "$defined" | wc -l) command definitions in cli/*.c"
expect 1 "missing command" -- "$Q"
listed=$(sed -n 's/^  \([a-z-]*\)  .*/\1/p' "$T/out" | sort)
[ "$listed" = "$defined" ] && ok || bad "qasim lists [$(echo $listed)], cli/*.c defines [$(echo $defined)]"
for c in $defined; do
  grep -q "[ (]$c[,;]" "$T/err" && ok || bad "missing-command message does not name '$c': $(cat "$T/err")"
done
"$Q" > "$T/bare" 2>/dev/null
"$Q" --help > "$T/help1" && ok || bad "qasim --help failed"
"$Q" help > "$T/help2" && ok || bad "qasim help failed"
"$Q" -h > "$T/help3" && ok || bad "qasim -h failed"
cmp -s "$T/help1" "$T/help2" && cmp -s "$T/help1" "$T/help3" && cmp -s "$T/help1" "$T/bare" && ok ||
  bad "qasim, qasim --help, qasim -h and qasim help print different command lists"
for c in $defined; do
  expect 0 "^usage: qasim $c( |$)" -- "$Q" help "$c"
  cp "$T/out" "$T/help-$c"
  "$Q" "$c" --help > "$T/dash-$c" && ok || bad "qasim $c --help failed"
  cmp -s "$T/help-$c" "$T/dash-$c" && ok || bad "qasim help $c and qasim $c --help differ"
  "$Q" "$c" -h > "$T/h-$c" && cmp -s "$T/help-$c" "$T/h-$c" && ok || bad "qasim $c -h differs"
  grep -q "^  -h, --help " "$T/help-$c" && ok || bad "usage of $c does not list --help"
done
# help CMD prints that command's usage, not the global one (issue 7)
expect 0 "^usage: qasim run --net NET" -- "$Q" help run
grep -q "^  --zero-frac F " "$T/out" && ok || bad "help run lacks --zero-frac"
grep -q "^commands:" "$T/out" && bad "help run printed the global usage" || ok
# the parser knows every option the usage lists, with the same kind: a value option
# alone at the end needs its value, a flag refuses one
for c in $defined; do
  while read -r opt arg; do
    [ "$opt" = "-h," ] && continue
    if [ -n "$arg" ]; then
      expect 1 "option '$opt' needs a value \($opt $arg\)" -- "$Q" "$c" "$opt"
    else
      expect 1 "option '$opt' is a flag and takes no value" -- "$Q" "$c" "$opt=1"
    fi
  done < <(sed -n 's/^  \(-[-a-z,]*\)\( [A-Z=]*\)\{0,1\}  .*/\1\2/p' "$T/help-$c")
done
expect 1 "unknown command 'frob' \(commands: nets, info, .*, help;" -- "$Q" help frob
expect 1 "unknown command 'rn' \(did you mean run\?" -- "$Q" help rn
expect 1 "unexpected argument 'b'" -- "$Q" help run b
expect 1 "^qasim: unknown command 'rn' \(did you mean run\? see qasim --help\)$" -- "$Q" rn
expect 1 "unknown command 'resutls' \(did you mean results\?" -- "$Q" resutls
expect 1 "unknown command 'frobnicate' \(commands: nets, " -- "$Q" frobnicate
expect 1 "unknown option '--bogus'" -- "$Q" --bogus
expect 0 "^qasim " -- "$Q" --version

# ---- options from the rows (issue 7)
expect 1 "^qasim run: unknown option '--bitz' \(did you mean --bits\? see qasim run --help\)$" -- "$Q" run --bitz 8
expect 1 "unknown option '--zero' \(did you mean --zero-frac\?" -- "$Q" run --zero 0.5
expect 1 "unknown option '-bits' \(did you mean --bits\?" -- "$Q" run -bits 8
expect 1 "unknown option '--xyzzy' \(see qasim run --help\)" -- "$Q" run --xyzzy
expect 1 "unknown option '--cvs' \(did you mean --csv\?" -- "$Q" export 1 --cvs
expect 1 "option '--bits' needs a value \(--bits N\)" -- "$Q" run --net "$D/tiny.yaml" --bits
expect 1 "option '--net' needs a value before '--quiet'" -- "$Q" run --net --quiet
expect 1 "option '--quiet' is a flag and takes no value" -- "$Q" run --net "$D/tiny.yaml" --quiet=1
expect 1 "option '--bits' given twice \('8', then '4'\)" -- "$Q" run --net "$D/tiny.yaml" --bits 8 --bits 4
expect 1 "--net is required" -- "$Q" run --bits 8
expect 1 "unexpected argument 'extra' \(nets takes no arguments" -- "$Q" nets extra
expect 1 "unexpected argument 'b' \(info takes 1 NET" -- "$Q" info a b
expect 1 "give run ids \(see qasim results\) or a filter" -- "$Q" export --csv
# --opt=value and --opt value are the same; "--" ends the options
expect 0 "stored as run|not stored|total" -- "$Q" run --net="$D/tiny.yaml" --bits=8 --no-store --quiet
cp "$T/out" "$T/eq.out"
expect 0 "" -- "$Q" run --net "$D/tiny.yaml" --bits 8 --no-store --quiet
diff <(grep -v wall "$T/eq.out") <(grep -v wall "$T/out") >&2 && ok || bad "--opt=value and --opt value differ"
expect 0 "conv1" -- "$Q" info -- "$D/tiny.yaml"
# repeatable options: --set in area, --arch in bench
expect 0 "^area: PE" -- "$Q" area --set tiles=8 --set clock_mhz=500
expect 0 "" -- "$Q" bench --arch dadiannao --arch stripes --net "$D/tiny.yaml" --bits 8
[ "$(grep -c "verified" "$T/out")" = 2 ] && ok || bad "bench --arch twice: want 2 rows: $(cat "$T/out")"
# --repeat 3: one row per case (the median run), its spread column
expect 0 "" -- "$Q" bench --arch stripes --net "$D/tiny.yaml" --bits 8 --repeat 3
[ "$(grep -c "verified" "$T/out")" = 1 ] && grep -q "spread%" "$T/out" && ok ||
  bad "bench --repeat 3: want 1 row and a spread% column: $(cat "$T/out")"
expect 1 "--repeat: 0 is out of range" -- "$Q" bench --repeat 0

# ---- strict numbers (issue 7; issue 13 item 11)
N=(--net "$D/tiny.yaml" --no-store --quiet)
expect 1 "--seed: ' -5' is not a non-negative integer \(remove the spaces\)" -- "$Q" run "${N[@]}" --seed " -5"
expect 1 "--seed: '-5' is not a non-negative integer" -- "$Q" run "${N[@]}" --seed -5
expect 1 "--seed: '1e3' is not a non-negative integer" -- "$Q" run "${N[@]}" --seed 1e3
expect 1 "--seed: '0x' is not a non-negative integer" -- "$Q" run "${N[@]}" --seed 0x
expect 1 "--seed: '5 ' is not a non-negative integer" -- "$Q" run "${N[@]}" --seed "5 "
expect 1 "--seed: '' is not a non-negative integer" -- "$Q" run "${N[@]}" --seed=
expect 1 "--seed: 18446744073709551616 is out of range" -- "$Q" run "${N[@]}" --seed 18446744073709551616
expect 0 "" -- "$Q" run "${N[@]}" --seed 0x10
expect 0 "" -- "$Q" run "${N[@]}" --seed 18446744073709551615
expect 1 "--zero-frac: 'nan' is not a finite number" -- "$Q" run "${N[@]}" --zero-frac nan
expect 1 "--zero-frac: 'inf' is not a finite number" -- "$Q" run "${N[@]}" --zero-frac inf
expect 1 "--zero-frac: ' 0.5' is not a number" -- "$Q" run "${N[@]}" --zero-frac " 0.5"
expect 1 "--zero-frac: '0x0.8' is not a number" -- "$Q" run "${N[@]}" --zero-frac 0x0.8
expect 1 "--zero-frac: -0.1 is out of range \[0, 1\]" -- "$Q" run "${N[@]}" --zero-frac -0.1
expect 1 "--bits: '8.0' is not an integer" -- "$Q" run "${N[@]}" --bits 8.0
expect 1 "--bits: ' 8' is not an integer" -- "$Q" run "${N[@]}" --bits " 8"
expect 1 "--w-bits: 99999999999999999999 is out of range \[1, 16\]" -- "$Q" run "${N[@]}" --w-bits 99999999999999999999
expect 1 "--bits: '0x8' is not an integer" -- "$Q" area --bits 0x8
expect 1 "--bits: 0 is out of range" -- "$Q" bench --bits 0
expect 1 "run id: ' 1' is not an integer" -- "$Q" export " 1" --csv --db "$T/none.db"
expect 1 "run id: '1e0' is not an integer" -- "$Q" price 1e0 --db "$T/none.db"

# ---- one default results database (issue 7): results/qasim.db under the working
# directory, or $QASIM_DB; run creates it with its directory, the readers find it
mkdir -p "$T/cwd" && cd "$T/cwd" || exit 1
expect 1 "results/qasim.db: no results database here; run \`qasim run ...\` first or pass --db PATH" -- "$Q" results
expect 1 "results/qasim.db: no results database here" -- "$Q" export 1 --csv
expect 1 "results/qasim.db: no results database here" -- "$Q" plot --no-render
expect 1 "results/qasim.db: no results database here" -- "$Q" price 1
[ ! -e results ] && ok || bad "a read-only command created results/"
expect 0 "stored as run 1 in results/qasim.db" -- "$Q" run --net "$D/tiny.yaml" --bits 8 --quiet
[ -s results/qasim.db ] && ok || bad "run did not create results/qasim.db"
expect 0 "dadiannao +tiny +8/8" -- "$Q" results
expect 0 "" -- "$Q" export 1 --csv
head -1 "$T/out" | grep -q "^run_id,layer_idx," && ok || bad "export without --db: $(head -c 200 "$T/out")"
expect 0 "stored as costs 'cacti45' of run 1 in results/qasim.db" -- "$Q" price 1
expect 0 "" -- "$Q" plot --no-render --out "$T/cwd/plots"
# $QASIM_DB moves the default; --db still wins
expect 0 "stored as run 1 in $T/env/e.db" -- env QASIM_DB="$T/env/e.db" "$Q" run --net "$D/tiny.yaml" --quiet
expect 0 "dadiannao +tiny +16/16" -- env QASIM_DB="$T/env/e.db" "$Q" results
grep -q "8/8" "$T/out" && bad "QASIM_DB listed the default database's run" || ok
expect 0 "dadiannao +tiny +8/8" -- env QASIM_DB="$T/env/e.db" "$Q" results --db results/qasim.db
expect 1 "nowhere.db: no results database here" -- env QASIM_DB="$T/nowhere.db" "$Q" results
[ "$(sqlite3 results/qasim.db "select count(*) from run")" = 1 ] && ok || bad "default database has more than one run"
# the store creates missing directories (mkdir -p), and names a parent that is a file
expect 0 "stored as run 1 in $T/deep/a/b/r.db" -- "$Q" run --net "$D/tiny.yaml" --quiet --db "$T/deep/a/b/r.db"
cd "$T" || exit 1
finish
