#!/usr/bin/env bash
# test_validate.sh - `qasim validate` (issue 8): the verdict rules on fixtures whose values
# are known by construction (a design against itself; the same cycles at twice the clock),
# the Markdown table, bad specs, and the quick subset of the real cases (arch/validate.yaml).
source "$(dirname "$0")/lib.sh"
V=$QA_TEST_DATA/validate

# Fixtures: 4 PASS, 1 EXPLAINED, 1 FAIL -> exit 1, the FAIL named in the message.
expect 1 "1 claim\(s\) FAIL" -- "$QASIM" validate --spec "$V/spec.yaml" --claims "$V/claims.csv" --jobs 2 --quiet
for want in "same.area .* PASS" "wrong.area .* FAIL" "wrong.explained .* EXPLAINED" "same.speedup .* PASS" \
            "fast.time .* 2 .* PASS" "same.saving .* PASS" "6 claims: 4 PASS, 1 EXPLAINED, 1 FAIL, 0 ERROR"; do
  if grep -qE -- "$want" "$T/out"; then ok; else bad "validate fixtures: no line /$want/"; fi
done
grep -q "why: the fixture's published value is wrong on purpose" "$T/out" && ok || bad "validate: reason not printed"
grep -q "measured: tiny 1$" "$T/out" && ok || bad "validate: per-network value not printed"

# The quick cases of the fixtures pass (exit 0); Markdown has the table header.
expect 0 "" -- "$QASIM" validate --spec "$V/spec.yaml" --claims "$V/claims.csv" --quick --markdown --quiet
grep -q "^| claim | source | published | qasim | ratio | band | values | verdict |" "$T/out" && ok ||
  bad "validate --markdown: no table header"
grep -q '^| `wrong.explained`: .*| \*\*EXPLAINED\*\*' "$T/out" && ok || bad "validate --markdown: no EXPLAINED row"
expect 0 "1 claims: 1 PASS" -- "$QASIM" validate --spec "$V/spec.yaml" --claims "$V/claims.csv" --only same.sp --quiet

# Bad specs and options: one line naming the file, line and the fix.
printf 'cases:\n  - claim: no.such.claim\n    metric: speedup\n' >"$T/unknown.yaml"
expect 1 "unknown.yaml:2:[0-9]+: claim 'no.such.claim' is not in" -- \
  "$QASIM" validate --spec "$T/unknown.yaml" --claims "$V/claims.csv"
printf 'cases:\n  - claim: same.area\n    metric: speed\n    design: {arch: dadiannao}\n    base: {arch: dadiannao}\n    tolerance: 0.1\n    band: x\n' >"$T/metric.yaml"
expect 1 "metric.yaml:3:[0-9]+: metric 'speed': use one of speedup, energy_eff, area_ratio, area_saving" -- \
  "$QASIM" validate --spec "$T/metric.yaml" --claims "$V/claims.csv"
printf 'cases:\n  - claim: same.area\n    metrc: speedup\n' >"$T/key.yaml"
expect 1 "key.yaml:3:[0-9]+: unknown key 'metrc'.*did you mean 'metric'" -- \
  "$QASIM" validate --spec "$T/key.yaml" --claims "$V/claims.csv"
printf 'cases:\n  - claim: same.speedup\n    metric: speedup\n    design: {arch: dadiannao}\n    base: {arch: dadiannao}\n    tolerance: 0.1\n    band: x\n' >"$T/nonets.yaml"
expect 1 "nonets.yaml:2:[0-9]+: case same.speedup: metric speedup needs nets" -- \
  "$QASIM" validate --spec "$T/nonets.yaml" --claims "$V/claims.csv"
expect 1 "no-such.csv" -- "$QASIM" validate --spec "$V/spec.yaml" --claims "$T/no-such.csv"
expect 1 "no case matches --only zzz" -- "$QASIM" validate --spec "$V/spec.yaml" --claims "$V/claims.csv" --only zzz
expect 1 "--jobs" -- "$QASIM" validate --jobs 0

# A case whose runs fail is an ERROR row (exit 1), not a crash.
printf 'cases:\n  - claim: same.speedup\n    metric: speedup\n    nets: [no-such-net]\n    design: {arch: dadiannao}\n    base: {arch: dadiannao}\n    tolerance: 0.1\n    band: x\n' >"$T/err.yaml"
expect 1 "1 claim\(s\) FAIL or ERROR" -- "$QASIM" validate --spec "$T/err.yaml" --claims "$V/claims.csv" --quiet
grep -q "same.speedup .* ERROR" "$T/out" && grep -q "error: no-such-net: .*no-such-net" "$T/out" && ok ||
  bad "validate: run error not reported in its row: $(cat "$T/out")"

# The real quick cases (the papers' claims) all PASS or are EXPLAINED.
expect 0 "claims: .* 0 FAIL, 0 ERROR" -- "$QASIM" validate --quick --jobs 2 --quiet
finish
