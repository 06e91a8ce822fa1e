#!/usr/bin/env bash
# Scale-out (issue 11): a sweep run as three shards with GNU parallel (directly, and through
# scripts/sweep-parallel.sh on this machine) and merged with qasim merge equals the
# single-process sweep: the same design points and rows. Merging again adds nothing; a
# store of a newer schema is refused, naming it. Eight `qasim run` processes writing one
# database at once lose nothing. GNU parallel is a dependency of the tests (./run installs
# it): without it this fails, it is not skipped.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
S=$QA_TEST_DATA/sweep/small.yaml
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

command -v parallel >/dev/null && ok || bad "GNU parallel is not installed (apt-get install parallel)"
expect 0 "12 run \(12 stored" -- "$Q" sweep "$S" --db "$T/single.db" -j 2
dumpStore "$T/single.db" >"$T/single.dump"

# three shards, three processes at once
parallel --will-cite -j 3 --halt now,fail=1 "$Q" sweep "$S" --db "$T/shard{}.db" --shard {}/3 -j 1 --no-progress \
  ::: 1 2 3 >"$T/parallel.out" 2>&1 && ok || bad "parallel shards: $(tail -3 "$T/parallel.out")"
for i in 1 2 3; do
  [ "$(sqlite3 "$T/shard$i.db" "select count(*) from run")" = 4 ] && ok || bad "shard $i: want 4 runs"
done
expect 0 "merged into" -- "$Q" merge "$T/merged.db" "$T/shard1.db" "$T/shard2.db" "$T/shard3.db"
grep -q "shard2.db: 4 runs added, 0 already there" "$T/out" && ok || bad "merge summary: $(cat "$T/out")"
dumpStore "$T/merged.db" >"$T/merged.dump"
cmp -s "$T/single.dump" "$T/merged.dump" && ok || bad "merged shards differ: $(diff "$T/single.dump" "$T/merged.dump" | head -5)"
[ "$(sqlite3 "$T/merged.db" "select group_concat(run_id) from (select run_id from run order by run_id)")" = "1,2,3,4,5,6,7,8,9,10,11,12" ] && ok \
  || bad "merged run ids are not renumbered 1..12"
# merging a shard again (or the single-process store) adds nothing
expect 0 "0 runs added, 12 already there" -- "$Q" merge "$T/merged.db" "$T/single.db"
[ "$(sqlite3 "$T/merged.db" "select count(*) from run")" = 12 ] && ok || bad "merge again added runs"
# a newer schema is refused, naming the file; the output is also an input
cp "$T/shard1.db" "$T/newer.db"
sqlite3 "$T/newer.db" "pragma user_version = 99"
expect 1 "newer.db: results database schema version 99 is newer than this qasim" -- "$Q" merge "$T/m2.db" "$T/newer.db"
expect 1 "the output is also an input" -- "$Q" merge "$T/merged.db" "$T/merged.db"
expect 1 "nothing.db: no results database here" -- "$Q" merge "$T/m3.db" "$T/nothing.db"

# the recipe script, with this machine as its only host
"$ROOT/scripts/sweep-parallel.sh" -n 3 -S 3/: -q "$Q" "$S" "$T/recipe.db" >"$T/recipe.out" 2>&1 && ok \
  || bad "scripts/sweep-parallel.sh: $(tail -3 "$T/recipe.out")"
dumpStore "$T/recipe.db" >"$T/recipe.dump"
cmp -s "$T/single.dump" "$T/recipe.dump" && ok || bad "sweep-parallel.sh result differs from the single-process sweep"

# eight writers at once through the CLI
for i in 1 2 3 4 5 6 7 8; do
  ("$Q" run --net "$QA_TEST_DATA/cli/tiny.yaml" --arch stripes --bits $((i + 1)) --db "$T/eight.db" --quiet &&
    "$Q" run --net "$QA_TEST_DATA/cli/tiny.yaml" --arch laconic --bits $((i + 1)) --db "$T/eight.db" --quiet) \
    >"$T/w$i.out" 2>&1 &
done
wait
[ "$(sqlite3 "$T/eight.db" "select count(*), count(distinct identity), sum(n_layers) from run")" = "16|16|64" ] && ok \
  || bad "eight writers: $(sqlite3 "$T/eight.db" "select count(*), count(distinct identity), sum(n_layers) from run"); $(cat "$T"/w*.out | grep -v stored | head -3)"
[ "$(sqlite3 "$T/eight.db" "select count(*) from layer")" = 64 ] && ok || bad "eight writers: layers"
finish
