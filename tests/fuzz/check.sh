#!/usr/bin/env bash
# check.sh FUZZER NAME - the CI side of fuzzing one parser (tests/fuzz/README.md):
# replay the committed seed corpus and every crash/hang reproducer (a per-input timeout
# makes a hang a failure), then a deterministic smoke fuzz of QA_FUZZ_SMOKE inputs
# (default 2500) mutated from the seeds with QA_FUZZ_SEED (default 1).
set -euo pipefail
fuzzer=$1 name=$2
here=$(cd "$(dirname "$0")" && pwd)
paths=("$here/corpus/$name")
shopt -s nullglob
repro=("$here/crashes/$name"/*)
[ ${#repro[@]} -gt 0 ] && paths+=("${repro[@]}")
"$fuzzer" --timeout 10 "${paths[@]}"
"$fuzzer" --timeout 10 --smoke "${QA_FUZZ_SMOKE:-2500}" --seed "${QA_FUZZ_SEED:-1}" "$here/corpus/$name"
