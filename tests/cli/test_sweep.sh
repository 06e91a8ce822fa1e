#!/usr/bin/env bash
# qasim sweep (issue 11): a spec's design points are listed and run; a second run resumes
# (everything stored: nothing runs); a bad spec is one line naming file:line; and a sweep
# killed at random moments - SIGKILL of its whole process group, workers included, and
# once Ctrl-C (SIGINT) - leaves only complete runs, and resuming it until done gives a
# store equal to an uninterrupted one (the same design points, the same rows).
. "$(dirname "$0")/lib.sh"
Q=$QASIM
S=$QA_TEST_DATA/sweep/small.yaml

# listing
expect 0 "12 distinct design points" -- "$Q" sweep "$S" --db "$T/none.db" --dry-run
[ "$(grep -c ' todo ' "$T/out")" = 12 ] && ok || bad "dry-run: want 12 points to do: $(cat "$T/out")"
grep -q "laconic sync=pe tiny.yaml a8/w8" "$T/out" && ok || bad "dry-run labels: $(cat "$T/out")"
[ ! -e "$T/none.db" ] && ok || bad "--dry-run created the database"
expect 1 "sweep/bad_bits.yaml:5:[0-9]+: key 'bits': 32 is out of range \[1, 16\]" -- "$Q" sweep "$QA_TEST_DATA/sweep/bad_bits.yaml" --db "$T/x.db"
expect 1 "cannot open sweep spec" -- "$Q" sweep "$T/nothing.yaml" --db "$T/x.db"
expect 1 "--shard '4/3'|--shard I: 4 is out of range" -- "$Q" sweep "$S" --db "$T/x.db" --shard 4/3
expect 1 "--jobs: 0 is out of range" -- "$Q" sweep "$S" --db "$T/x.db" -j 0

# the uninterrupted reference, then a resume that finds everything stored
expect 0 "12 design points: 0 already stored, 12 run \(12 stored, 0 failed\)" -- "$Q" sweep "$S" --db "$T/ref.db" -j 2
[ "$(sqlite3 "$T/ref.db" "select count(*), count(distinct identity) from run")" = "12|12" ] && ok || bad "ref runs"
grep -q "^\[12/12\] stored run" "$T/out" && ok || bad "plain progress lines: $(head -c 300 "$T/out")"
expect 0 "12 already stored, 0 run" -- "$Q" sweep "$S" --db "$T/ref.db" -j 2
expect 0 "" -- "$Q" sweep "$S" --db "$T/ref.db" --dry-run
[ "$(grep -c ' stored ' "$T/out")" = 12 ] && ok || bad "dry-run after the sweep: $(cat "$T/out")"
# every run carries the equivalent `qasim run` command
sqlite3 "$T/ref.db" "select command_line from run where arch = 'laconic' and a_bits = 8" | grep -q -- "--set sync=pe" \
  && ok || bad "command line of a sweep run"

# killed at random moments, then resumed until done: a campaign kills a sweep into a
# fresh store after 0.02 .. 0.3 s (growing by 0.15 s a round) until it is complete; campaigns repeat until some kill
# caught the sweep midway (some points stored, not all) - normally the first one does
seed=${QA_SWEEP_KILL_SEED:-$$}
RANDOM=$seed
rounds=0 kills=0 midway=0 sigint=0 campaign=0
while { [ $midway -lt 1 ] || [ $kills -lt 2 ] || [ $sigint -eq 0 ]; } && [ $campaign -lt 4 ]; do
  campaign=$((campaign + 1))
  KD=$T/kill$campaign.db
  k=0
  while :; do
    rounds=$((rounds + 1))
    if [ $rounds -gt 60 ]; then bad "not done after 60 rounds (seed $seed)"; break 2; fi
    setsid "$Q" sweep "$S" --db "$KD" -j 2 --no-progress >"$T/k.out" 2>"$T/k.err" &
    pid=$!
    # 0.02 .. 0.3 s, later in a campaign longer (a slow build, e.g. with sanitizers, still finishes)
    cs=$((2 + RANDOM % 28 + 15 * k))
    k=$((k + 1))
    sleep "$((cs / 100)).$(printf '%02d' $((cs % 100)))"
    if kill -0 $pid 2>/dev/null; then
      if [ $sigint -eq 0 ] && [ $kills -ge 2 ]; then
        kill -INT -- -$pid 2>/dev/null; sigint=1
        wait $pid; rc=$?
        # interrupted (1) or just finished (0); never an internal error
        [ $rc -le 1 ] && ok || bad "SIGINT: exit $rc: $(cat "$T/k.err")"
      else
        kill -KILL -- -$pid 2>/dev/null; kills=$((kills + 1))
        wait $pid 2>/dev/null
        n=$(sqlite3 "$KD" "select count(*) from run" 2>/dev/null || echo 0)
        [ "$n" -gt 0 ] && [ "$n" -lt 12 ] && midway=$((midway + 1))
      fi
    else
      wait $pid; rc=$?
      [ $rc -eq 0 ] && ok || bad "round $rounds: exit $rc: $(cat "$T/k.err")"
    fi
    [ -e "$KD" ] || continue
    [ "$(sqlite3 "$KD" "pragma integrity_check")" = ok ] || bad "round $rounds: integrity (seed $seed)"
    # (killed before the schema's last migration step committed: an empty or partly built
    # schema, no run yet - the next open completes it; nothing to check)
    [ "$(sqlite3 "$KD" "pragma user_version")" = "$(sqlite3 "$T/ref.db" "pragma user_version")" ] || continue
    [ "$(sqlite3 "$KD" "select count(*) - count(distinct identity) from run")" = 0 ] || bad "round $rounds: a point twice"
    [ "$(sqlite3 "$KD" "select count(*) from run where n_cycles is null")" = 0 ] || bad "round $rounds: an unfinished run"
    [ "$(sqlite3 "$KD" "select count(*) from layer where run_id not in (select run_id from run)")" = 0 ] \
      || bad "round $rounds: layers of no run"
    [ "$(sqlite3 "$KD" "select count(*) from run")" = 12 ] && break
  done
done
[ $midway -ge 1 ] && ok || bad "no kill caught a sweep midway in $rounds rounds (seed $seed)"
echo "kill test: $campaign campaigns, $rounds rounds, $kills SIGKILLs ($midway midway), $sigint SIGINT (seed $seed)"
expect 0 "12 already stored, 0 run" -- "$Q" sweep "$S" --db "$KD" -j 2
dumpStore "$T/ref.db" >"$T/ref.dump"
dumpStore "$KD" >"$T/kill.dump"
[ -s "$T/ref.dump" ] && cmp -s "$T/ref.dump" "$T/kill.dump" && ok \
  || bad "killed-and-resumed store differs from the uninterrupted one (seed $seed): $(diff "$T/ref.dump" "$T/kill.dump" | head -5)"
[ "$(grep -c '^run|' "$T/ref.dump")" = 12 ] && [ "$(grep -c '^layer|' "$T/ref.dump")" = 48 ] && ok || bad "dump rows"
finish
