#!/usr/bin/env bash
# The bad-input suite of issue 13: every case of tests/data/bad/cases.tsv (the format is
# at its top) exits with its code and one line on stderr matching its message, within a
# 20 s timeout (a hang fails), with no raw control byte on stderr. Also makes the inputs
# git cannot hold: FIFOs, directories, a results database, networks naming the traces.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
B=$QA_TEST_DATA/bad
command -v timeout >/dev/null || { bad "timeout (coreutils) is missing"; finish; exit 1; }

for f in fifo.yaml fifo.csv fifo.ERT.yaml fifo.npy; do mkfifo "$T/$f"; done
for d in dir.yaml dir.csv dir.ERT.yaml dir.npy; do mkdir "$T/$d"; done
mkdir "$T/art"
cp "$QA_TEST_DATA/costs/accelergy/eyeriss_like.ERT.yaml" "$T/art/t.ERT.yaml"
mkfifo "$T/art/t.ART.yaml" # an ART beside the ERT that is a FIFO
cp "$B/nets/trace_fifo.yaml" "$B/nets/trace_dir.yaml" "$T/"
for f in "$B"/npy/*.npy; do
  n=$(basename "$f" .npy)
  sed "s|fifo.npy|$f|" "$B/nets/trace_fifo.yaml" >"$T/npy_$n.yaml"
done
"$Q" run --net "$D/tiny.yaml" --db "$T/X.db" --quiet >/dev/null 2>&1 || bad "cannot make $T/X.db"
command -v sqlite3 >/dev/null || bad "sqlite3 (the command-line shell) is missing"
sqlite3 "$T/foreign.db" "CREATE TABLE run(x); INSERT INTO run VALUES (1);" # a foreign run table
sqlite3 "$T/version_only.db" "PRAGMA user_version = 3;"                     # a version, no tables
V=$(sqlite3 "$T/X.db" "PRAGMA user_version")                               # this build's schema version
sqlite3 "$T/bad_columns.db" "PRAGMA user_version = $V; CREATE TABLE run(x);" # our version, other columns
: >"$T/empty.db"

declare -A count
n=0
while IFS=$'\t' read -r parser code pat args; do
  case $parser in '#'* | '') continue ;; esac
  n=$((n + 1))
  count[$parser]=$((${count[$parser]:-0} + 1))
  argv=()
  out=/dev/null
  for w in $args; do
    w=${w//@B/$B}
    w=${w//@C/$D}
    w=${w//@T/$T}
    w=${w//@x01/$'\x01'}
    case $w in
      '@>'*) out=${w#@>} ;;
      @SP*) argv+=(" ${w#@SP}") ;;
      *) argv+=("$w") ;;
    esac
  done
  timeout 20 "$Q" "${argv[@]}" >"$out" 2>"$T/err"
  rc=$?
  lines=$(wc -l <"$T/err")
  if [ "$rc" -eq 124 ]; then
    bad "HANG (20 s): qasim $args"
  elif [ "$rc" -ne "$code" ]; then
    bad "exit $rc (want $code): qasim $args: $(head -c 300 "$T/err")"
  elif [ "$code" -ne 0 ] && [ "$lines" -ne 1 ]; then
    bad "want one line on stderr, got $lines: qasim $args: $(head -c 300 "$T/err")"
  elif [ "$pat" != - ] && ! grep -qE -- "$pat" "$T/err"; then
    bad "stderr does not match /$pat/: qasim $args: $(head -c 300 "$T/err")"
  elif LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$T/err"); then
    bad "a raw control byte on stderr: qasim $args"
  else
    ok
  fi
done <"$B/cases.tsv"
[ "$n" -gt 40 ] || bad "only $n cases read from $B/cases.tsv"
for p in "${!count[@]}"; do printf '%s: %d cases\n' "$p" "${count[$p]}"; done | sort
finish
