#!/usr/bin/env bash
# layers.sh - the source tree is a layered DAG: a folder may include its own headers and
# those of folders below it, never one above it or beside it (issue 7).
#
#   rank 0 base       errors, allocation, hashing, rng, .npy, YAML and string helpers
#   rank 1 workloads  layers, networks, network files, importers, synthetic values
#   rank 2 quant      quantizers and term encoders
#   rank 3 arch       architecture specs, kernels, memory system, SystemC driver
#   rank 4 models     cost tables, pricing of component inventories, energy
#   rank 5 store      the SQLite results store (owns every SQL statement)
#   rank 6 reports    report data and gnuplot rendering     } side by side: neither
#   rank 6 sim        run pipeline, re-pricing, sweeps       } includes the other
#   rank 7 cli        the qasim command-line tool
# Prints every offending #include and exits 1; tests/ may include anything.
set -u
cd "$(dirname "$0")/.."
declare -A RANK=([base]=0 [workloads]=1 [quant]=2 [arch]=3 [models]=4 [store]=5 [reports]=6 [sim]=6 [cli]=7)
bad=0
for dir in "${!RANK[@]}"; do
  [ -d "$dir" ] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}
    inc=$(printf '%s' "$rest" | sed -n 's/^[0-9]*:[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p')
    [ -n "$inc" ] || continue
    target=${inc%%/*}
    if [ "$target" = "$inc" ]; then
      echo "$file:$line: include \"$inc\" must name its folder (root-relative, e.g. \"$dir/$inc\")"; bad=1; continue
    fi
    [ "$target" = "$dir" ] && continue
    r=${RANK[$target]:-}
    if [ -z "$r" ]; then echo "$file:$line: include \"$inc\" names no source folder"; bad=1; continue; fi
    if [ "$r" -ge "${RANK[$dir]}" ]; then
      echo "$file:$line: $dir (rank ${RANK[$dir]}) includes $target (rank $r): includes must point down"; bad=1
    fi
  done < <(grep -rn --exclude-dir=node_modules --include='*.c' --include='*.h' --include='*.cpp' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$dir")
done
[ $bad -eq 0 ] && echo "layers: every include points down (base < workloads < quant < arch < models < store < reports, sim < cli)"
exit $bad
