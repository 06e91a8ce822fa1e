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
  "$@" >"$T/out" 2>"$T/err"
  local rc=$?
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
