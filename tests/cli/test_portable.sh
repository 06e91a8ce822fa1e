# test_portable.sh - the tuned build (-march=native: the compiler's vectorised kernels, e.g.
# AVX-512 here) against the same sources built for the baseline instruction set
# (qasim_portable, CMakeLists.txt): every stored number of a run - cycles, outputs checked,
# action counts, energies, operand and output SQNR, value and term statistics - must be the
# same (issue 12). Skipped (77) where there is no portable build (QA_NATIVE off, sanitizers).
. "$(dirname "$0")/lib.sh"
if [ -z "${QASIM_PORTABLE:-}" ]; then
  echo "no qasim_portable in this build: skipped"
  exit 77
fi
command -v sqlite3 >/dev/null || { bad "sqlite3 (Debian package sqlite3) is needed"; finish; exit 1; }

# Every stored row of DB but the columns that record when, how fast and by which command.
dump() {
  local db=$1 t cols
  for t in run layer layer_values layer_terms action energy run_energy run_component; do
    cols=$(sqlite3 "$db" "SELECT group_concat(name, ',') FROM pragma_table_info('$t') WHERE
      name NOT LIKE '%wall%' AND name NOT LIKE '%utc%' AND name NOT LIKE '%created%' AND
      name NOT LIKE '%macs_per_s%' AND name NOT LIKE '%_s' AND name != 'command_line'")
    [ -n "$cols" ] || { echo "no table $t"; continue; }
    echo "== $t"
    sqlite3 "$db" "SELECT $cols FROM $t ORDER BY 1, 2, 3"
  done
}

# same NAME ARGS...: qasim and qasim_portable store the same rows for `run ARGS`.
same() {
  local name=$1
  shift
  rm -f "$T/$name-n.db" "$T/$name-p.db"
  if ! "$QASIM" run "$@" --db "$T/$name-n.db" >"$T/$name-n.out" 2>&1; then
    bad "$name: qasim run $*: $(tail -c 300 "$T/$name-n.out")"
    return
  fi
  if ! "$QASIM_PORTABLE" run "$@" --db "$T/$name-p.db" >"$T/$name-p.out" 2>&1; then
    bad "$name: qasim_portable run $*: $(tail -c 300 "$T/$name-p.out")"
    return
  fi
  dump "$T/$name-n.db" >"$T/$name-n.rows"
  dump "$T/$name-p.db" >"$T/$name-p.rows"
  if [ "$(grep -c . "$T/$name-n.rows")" -lt 20 ]; then
    bad "$name: too few rows stored: $(head -c 300 "$T/$name-n.rows")"
  elif ! cmp -s "$T/$name-n.rows" "$T/$name-p.rows"; then
    bad "$name: the tuned and portable builds differ: $(diff "$T/$name-n.rows" "$T/$name-p.rows" | head -c 600)"
  else
    ok
  fi
}

# every architecture on MobileNetV2 (conv, depthwise, 1x1 and fc layers), priced
for a in $("$QASIM" archs | awk '/^[a-z]/ {print $1}'); do
  same "mnv2-$a" --net mobilenetv2 --arch "$a" --bits 8
done
# 16 and 4 bits, other quantizers and encoders, the Gaussian weights
same lac16 --net mobilenetv2 --arch laconic --bits 16 --encoder naf
same prag4 --net mobilenetv2 --arch pragmatic --bits 4 --quant-w sym-mse --quant-a unsigned-mse --wgt-dist gauss
same khot3 --net mobilenetv1 --arch khot-laconic --bits 6 --set k_w=3 --quant-w khot3
# streamed weights (every dense layer windowed) and two threads
QASIM_STREAM_MIN=1 same stream --net "$QA_TEST_DATA/nets/stream.yaml" --arch laconic --bits 8 --threads 2
QASIM_STREAM_MIN=1 same stream-onehot --net "$QA_TEST_DATA/nets/stream.yaml" --arch onehot-dadiannao --bits 8
finish
