# lib.sh - helpers for the CLI tests: expect an exit code and a message.
set -u
: "${QASIM:?QASIM must point to the qasim binary}"
: "${QA_TEST_DATA:?}"
: "${QA_TEST_TMP:?}"
rm -rf "$QA_TEST_TMP" && mkdir -p "$QA_TEST_TMP"
T=$QA_TEST_TMP
D=$QA_TEST_DATA/cli
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# expect CODE PATTERN -- command...: exit code CODE, stderr is one line matching PATTERN
expect() {
  local code=$1 pat=$2
  shift 3
  "$@" >"$T/out" 2>"$T/err.raw"
  local rc=$?
  # ASan's known warning about SystemC's coroutine stacks (sanitizer builds only; printed
  # by every process that runs a simulation, e.g. validate's children) is not a message
  grep -vE '^==[0-9]+==WARNING: ASan is ignoring requested __asan_handle_no_return|^False positive error reports may follow$|^For details see https://github.com/google/sanitizers/issues/189$' \
    "$T/err.raw" >"$T/err"
  local lines
  lines=$(wc -l <"$T/err")
  if [ "$rc" -ne "$code" ]; then
    bad "exit $rc (want $code): $*: $(head -c 300 "$T/err")"
  elif [ "$code" -ne 0 ] && [ "$lines" -ne 1 ]; then
    bad "want one line on stderr, got $lines: $*: $(head -c 300 "$T/err")"
  elif [ -n "$pat" ] && ! grep -qE -- "$pat" "$T/err" "$T/out"; then
    bad "output does not match /$pat/: $*: $(head -c 300 "$T/err")"
  else
    ok
  fi
}

finish() {
  printf '%d passed, %d failed\n' "$PASS" "$FAIL"
  [ "$FAIL" -eq 0 ]
}

# dumpStore DB: every stored row that a run's result determines, keyed by design point
# (identity), one per line, sorted: run rows without their id, time stamp, host wall time,
# command line and network path (and the path hash, workload_hash); layer, action, energy,
# run_energy and run_component rows by the run's identity.
# Two stores hold the same results when their dumps are equal.
dumpStore() {
  sqlite3 -separator '|' "$1" "
    SELECT 'run', identity, config_id, workload_id, tool_version, arch, replace(arch_config, char(10), ';'), workload,
           a_bits, w_bits, quant_a, quant_w, encoder, seed, act_zero_frac, wgt_dist, verify, timing, clock_mhz,
           costs, costs_id, n_layers, macs, n_cycles, n_stall_cycles, time_s, all_verified FROM run;
    SELECT 'layer', r.identity, l.layer_idx, l.name, l.a_bits, l.w_bits, l.a_sqnr_db, l.w_sqnr_db, l.values_src,
           l.macs, l.n_cycles, l.n_compute_cycles, l.n_stall_cycles, l.pe_util, l.outputs_verified
      FROM layer l JOIN run r USING(run_id);
    SELECT 'action', r.identity, a.layer_idx, a.component, a.action, a.count FROM action a JOIN run r USING(run_id);
    SELECT 'energy', r.identity, e.layer_idx, e.costs, e.component, e.energy_pj FROM energy e JOIN run r USING(run_id);
    SELECT 'run_energy', r.identity, e.costs, e.energy_pj, e.static_pj, e.energy_per_inference_pj, e.area_mm2
      FROM run_energy e JOIN run r USING(run_id);
    SELECT 'component', r.identity, c.costs, c.component, c.category, c.instances, c.area_um2
      FROM run_component c JOIN run r USING(run_id);" | LC_ALL=C sort
}
