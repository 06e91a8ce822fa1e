#!/usr/bin/env bash
# stress-store.sh - the results store under concurrent writers, kill -9 and a full disk
# (issue 13). Prints one summary line per test: runs stored, runs lost, partial runs and
# SQLite's integrity check; exits 1 if any run was lost or partial or a check failed.
#
#   scripts/stress-store.sh [writers|kill|disk|readonly|all] (default all)
#
# writers  W processes (default 8) start at once on a fresh database (so they also race
#          to create the schema), each storing R runs of tests/data/cli/tiny.yaml one
#          after another (default 10); stored must equal the runs that exited 0
# kill     on one database, alternately a `qasim run` of mobilenetv2 and a `qasim sweep`
#          of tests/data/sweep/small.yaml (-j 2, its own seed per trial), each killed with
#          SIGKILL (its whole process group) at a random moment between 0 and the time an
#          unkilled one takes, until N (default 30) were killed; one that ends before its
#          kill must be stored whole; then every sweep is run again (resumed) and must end
#          with all its points stored
# disk     a 1 MiB tmpfs when it can be mounted (root), else a file size limit
#          (ulimit -f, SIGXFSZ ignored so writes fail with EFBIG): runs of tiny.yaml
#          until one fails, then results/export onto the full disk; stored must equal
#          the runs that exited 0, and each failure must be one line with exit 1
# readonly a store on a tmpfs remounted read-only (root only, else skipped): results,
#          export and report exit 0; a run into it exits 1 with one line
#
# Environment: QASIM (default build/qasim), WRITERS, RUNS, KILLS, SEED (of the random
# kill moments, default the time), KEEP=1 keeps the scratch folder.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
Q=${QASIM:-$ROOT/build/qasim}
WRITERS=${WRITERS:-8} RUNS=${RUNS:-10} KILLS=${KILLS:-30} SEED=${SEED:-$(date +%s)}
NET=$ROOT/tests/data/cli/tiny.yaml
SPEC=$ROOT/tests/data/sweep/small.yaml
T=$(mktemp -d /tmp/qasim-stress.XXXXXX)
MNT=""
failed=0
cleanup() {
  [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
  [ "${KEEP:-0}" = 1 ] && echo "kept $T" || rm -rf "$T"
}
trap cleanup EXIT
command -v sqlite3 >/dev/null || { echo "stress-store: sqlite3 (the shell) is missing" >&2; exit 1; }
[ -x "$Q" ] || { echo "stress-store: $Q is not built" >&2; exit 1; }

# count DB: runs stored (finished)
count() { sqlite3 "$1" "SELECT count(*) FROM run WHERE n_cycles IS NOT NULL" 2>/dev/null || echo 0; }
# partial DB: runs unfinished, missing layers or missing the energy they were priced with
partial() {
  sqlite3 "$1" "SELECT count(*) FROM run r WHERE r.n_cycles IS NULL
    OR r.n_layers <> (SELECT count(*) FROM layer l WHERE l.run_id = r.run_id)
    OR (r.costs IS NOT NULL AND NOT EXISTS (SELECT 1 FROM run_energy e WHERE e.run_id = r.run_id))" 2>/dev/null ||
    echo "?"
}
integrity() { sqlite3 "$1" "PRAGMA integrity_check" 2>&1 | tr '\n' ' ' | sed 's/ $//'; }
verdict() { # NAME STORED LOST PARTIAL INTEGRITY [EXTRA]
  printf '%-8s runs stored %s, runs lost %s, partial runs %s, integrity_check: %s%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-}"
  [ "$3" = 0 ] && [ "$4" = 0 ] && [ "$5" = ok ] || failed=1
}

writers() {
  local db=$T/writers.db pids=() ok=0
  for w in $(seq 1 "$WRITERS"); do
    (
      n=0
      for r in $(seq 1 "$RUNS"); do
        "$Q" run --net "$NET" --seed $((w * 1000 + r)) --db "$db" --quiet >/dev/null 2>>"$T/writers.err" && n=$((n + 1))
      done
      echo "$n" >"$T/writer.$w"
    ) &
    pids+=($!)
  done
  local t0=$SECONDS
  wait "${pids[@]}"
  for w in $(seq 1 "$WRITERS"); do ok=$((ok + $(cat "$T/writer.$w"))); done
  local stored
  stored=$(count "$db")
  verdict writers "$stored" $((ok - stored)) "$(partial "$db")" "$(integrity "$db")" \
    " ($WRITERS writers x $RUNS runs: $ok exited 0, $((WRITERS * RUNS - ok)) failed; $((SECONDS - t0)) s)"
  [ -s "$T/writers.err" ] && sed 's/^/  stderr: /' "$T/writers.err" | sort | uniq -c | head -5
}

# killOne SECONDS CMD...: run CMD in its own process group, SIGKILL the group after SECONDS;
# prints "exited RC" if it ended first, else "killed"
killOne() {
  local d=$1
  shift
  setsid "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "$d"
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 -- -"$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo killed
  else
    wait "$pid"
    echo "exited $?"
  fi
}

since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

# todo SPEC DB: design points of SPEC the database does not hold yet
todo() { "$Q" sweep "$1" --db "$2" --dry-run 2>/dev/null | grep -c '  todo  '; }

kill9() {
  local db=$T/kill.db t0 t_run t_sweep trial=0 killed=0 early=0 lost=0 sweeps=() left=0
  RANDOM=$SEED
  # how long an unkilled run and sweep take here (on a database of their own)
  t0=$(date +%s.%N)
  "$Q" run --net mobilenetv2 --bits 8 --db "$T/time.db" --quiet >/dev/null 2>&1
  t_run=$(since "$t0")
  sed "s|^defaults:|defaults:\n  seed: 999|; s|\.\./cli/tiny.yaml|$NET|" "$SPEC" >"$T/sweep999.yaml"
  t0=$(date +%s.%N)
  "$Q" sweep "$T/sweep999.yaml" -j 2 --db "$T/time.db" --no-progress >/dev/null 2>&1
  t_sweep=$(since "$t0")
  # until KILLS processes were killed: a run that ends before its kill must be stored, a
  # sweep that ends must hold all its points; either way the next trial draws a new moment
  while [ $killed -lt "$KILLS" ] && [ $trial -lt $((3 * KILLS)) ]; do
    trial=$((trial + 1))
    local frac=$((RANDOM % 1000)) d r kind
    if ((trial % 2)); then
      kind=run
      d=$(awk -v t="$t_run" -v f="$frac" 'BEGIN { printf "%.3f", t * f / 1000 }')
      r=$(killOne "$d" "$Q" run --net mobilenetv2 --bits 8 --seed "$trial" --db "$db" --quiet)
    else
      kind=sweep
      sed "s|^defaults:|defaults:\n  seed: $((1000 + trial))|; s|\.\./cli/tiny.yaml|$NET|" "$SPEC" >"$T/sweep$trial.yaml"
      d=$(awk -v t="$t_sweep" -v f="$frac" 'BEGIN { printf "%.3f", t * f / 1000 }')
      r=$(killOne "$d" "$Q" sweep "$T/sweep$trial.yaml" -j 2 --db "$db" --no-progress)
      sweeps+=("$T/sweep$trial.yaml")
    fi
    case $r in
      killed) killed=$((killed + 1)) ;;
      "exited 0")
        early=$((early + 1))
        if [ $kind = run ]; then
          [ "$(sqlite3 "$db" "SELECT count(*) FROM run WHERE seed = $trial AND n_cycles IS NOT NULL")" = 1 ] ||
            lost=$((lost + 1))
        else
          lost=$((lost + $(todo "$T/sweep$trial.yaml" "$db")))
        fi
        ;;
      *) echo "  kill trial $trial: $kind $r before the kill" && failed=1 ;;
    esac
    [ "${VERBOSE:-0}" = 1 ] && echo "  trial $trial: $kind, after ${d}s: $r, stored $(count "$db")"
  done
  local stored p integ
  stored=$(count "$db")
  p=$(partial "$db")
  integ=$(integrity "$db")
  verdict kill "$stored" $lost "$p" "$integ" \
    " ($killed kill -9 in $trial trials, seed $SEED; $early ended before their kill; unkilled: run ${t_run} s, sweep ${t_sweep} s)"
  # resume every sweep: each must end with all its points
  local resumed_ok=0 n_points=0
  for s in "${sweeps[@]}"; do
    n_points=$((n_points + $("$Q" sweep "$s" --db "$db" --dry-run 2>/dev/null | grep -cE '  (todo|stored)  ')))
    "$Q" sweep "$s" -j 2 --db "$db" --no-progress >/dev/null 2>&1 && resumed_ok=$((resumed_ok + 1))
    left=$((left + $(todo "$s" "$db")))
  done
  echo "         resumed ${#sweeps[@]} sweeps ($resumed_ok exited 0): $((n_points - left)) of $n_points points" \
    "stored; runs stored $(count "$db"), partial runs $(partial "$db"), integrity_check: $(integrity "$db")"
  [ $left = 0 ] && [ "$resumed_ok" = "${#sweeps[@]}" ] || failed=1
}

disk() {
  local dir how ok=0 n=0 rc=0 msg
  MNT=$T/mnt
  mkdir -p "$MNT"
  if mount -t tmpfs -o size=1m tmpfs "$MNT" 2>/dev/null; then
    how="a 1 MiB tmpfs"
    dir=$MNT
  else
    MNT=""
    how="ulimit -f 1024 (1 MiB file size limit, SIGXFSZ ignored)"
    dir=$T/limited
    mkdir -p "$dir"
  fi
  local db=$dir/full.db
  (
    trap '' XFSZ
    [ -z "$MNT" ] && ulimit -f 1024
    while :; do
      n=$((n + 1))
      if "$Q" run --net "$NET" --seed "$n" --db "$db" --quiet >/dev/null 2>"$T/disk.err"; then
        ok=$((ok + 1))
      else
        rc=$?
        break
      fi
      [ $n -lt 100000 ] || break
    done
    echo "$ok $n $rc" >"$T/disk.out"
    "$Q" results --db "$db" >"$dir/listing.txt" 2>"$T/disk.results.err"
    echo "$?" >>"$T/disk.out"
    "$Q" export --db "$db" --csv --output "$dir/export.csv" 1 2>"$T/disk.export.err"
    echo "$?" >>"$T/disk.out"
    "$Q" run --net "$NET" --seed 0 --db "$db" --quiet >/dev/null 2>"$T/disk.err2"
    echo "$?" >>"$T/disk.out"
  )
  read -r ok n rc <"$T/disk.out"
  local stored
  stored=$(count "$db")
  verdict disk "$stored" $((ok - stored)) "$(partial "$db")" "$(integrity "$db")" \
    " ($how: $ok runs exited 0, run $n failed with exit $rc)"
  echo "         run $n: exit $rc, $(wc -l <"$T/disk.err") line(s): $(head -c 300 "$T/disk.err")"
  local codes
  codes=$(sed -n '2,$p' "$T/disk.out" | tr '\n' ' ')
  echo "         then on the full disk, exit codes of results > file, export --output, run: $codes"
  for f in disk.results.err disk.export.err disk.err2; do
    [ -s "$T/$f" ] && echo "           $(head -c 300 "$T/$f")"
  done
  [ "$rc" = 1 ] && [ "$(wc -l <"$T/disk.err")" = 1 ] || failed=1
  [ -n "$MNT" ] && umount "$MNT" && MNT=""
}

# readonly: a store on read-only media (a tmpfs remounted ro; root only) is listed,
# exported and reported, and a run into it fails with one line
read_only() {
  MNT=$T/ro
  mkdir -p "$MNT"
  mount -t tmpfs -o size=4m tmpfs "$MNT" 2>/dev/null || { echo "readonly: cannot mount a tmpfs (not root?): skipped"; MNT=""; return 0; }
  "$Q" run --net "$NET" --db "$MNT/r.db" --quiet >/dev/null 2>&1
  mount -o remount,ro "$MNT"
  local codes="" c
  for cmd in "results" "export 1 --csv" "report --out $T/report"; do
    # shellcheck disable=SC2086
    "$Q" $cmd --db "$MNT/r.db" >/dev/null 2>>"$T/ro.err"
    c=$?
    codes="$codes $cmd: $c;"
    [ $c = 0 ] || failed=1
  done
  "$Q" run --net "$NET" --db "$MNT/r.db" --quiet >/dev/null 2>"$T/ro.run.err"
  c=$?
  echo "readonly exit codes on a read-only tmpfs:$codes run: $c ($(head -c 200 "$T/ro.run.err"))"
  [ $c = 1 ] && [ ! -s "$T/ro.err" ] || failed=1
  umount "$MNT" && MNT=""
}

case ${1:-all} in
  writers) writers ;;
  kill) kill9 ;;
  disk) disk ;;
  readonly) read_only ;;
  all) writers; kill9; disk; read_only ;;
  *) echo "usage: scripts/stress-store.sh [writers|kill|disk|readonly|all]" >&2; exit 2 ;;
esac
exit $failed
