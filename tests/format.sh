#!/usr/bin/env bash
# format.sh - every C/C++ source follows the checked-in .clang-format (issue 7).
# Prints the files that do not (and how to fix them) and exits 1.
set -u
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format is not installed (apt-get install clang-format)"; exit 1; }
mapfile -t files < <(git ls-files '*.c' '*.h' '*.cpp' 2>/dev/null)
[ ${#files[@]} -gt 0 ] || mapfile -t files < <(find base workloads quant arch models store reports sim cli tests \( -name '*.[ch]' -o -name '*.cpp' \))
bad=$(clang-format --dry-run "${files[@]}" 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' | sort -u)
if [ -n "$bad" ]; then
  printf 'format: %s does not follow .clang-format\n' $bad
  echo "format: run clang-format -i on the files above"
  exit 1
fi
echo "format: ${#files[@]} sources follow .clang-format"
