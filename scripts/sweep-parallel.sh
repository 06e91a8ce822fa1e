#!/usr/bin/env bash
# sweep-parallel.sh - run a qasim sweep as N shards with GNU parallel, on this machine or
# across hosts over ssh, then merge the shards' databases into one.
#
#   scripts/sweep-parallel.sh [options] SPEC OUT.db
#
#   -n N        shards (default 4); shard I runs points I, I+N, I+2N, ... of the sweep
#   -S LOGINS   GNU parallel --sshlogin list, e.g. "2/alice@node1,2/node2" (N/ = shards
#               at once on that host); default ":" = this machine only
#   -j J        worker processes per shard (qasim sweep -j; default 1)
#   -q QASIM    qasim on every host (default: build/qasim of this checkout)
#   -d DIR      where the shard databases go (default: OUT.db.shards/ beside OUT.db)
#
# On remote hosts: every host needs this checkout at the same path (or a shared file
# system), built from the same commit (identities include the tool version: the same
# point built twice from different commits is two points), and the spec and network
# files at the same paths. Shards run in the checkout (--workdir) and their databases
# come back with --return, then `qasim merge` joins them here; a design point in two
# shards (never, with one spec) would be kept once. Re-running the script resumes: each
# shard skips the points its database already holds.
#
# Example (two hosts, 4 shards each at a time, 16 shards):
#   scripts/sweep-parallel.sh -n 16 -S 4/node1,4/node2 sweeps/bits.yaml results/bits.db
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=4 LOGINS=":" JOBS=1 Q="$ROOT/build/qasim" DIR=""
while getopts "n:S:j:q:d:h" o; do
  case $o in
    n) N=$OPTARG ;;
    S) LOGINS=$OPTARG ;;
    j) JOBS=$OPTARG ;;
    q) Q=$OPTARG ;;
    d) DIR=$OPTARG ;;
    *) sed -n '2,26p' "$0"; exit 1 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 2 ] || { sed -n '2,26p' "$0"; exit 1; }
SPEC=$1 OUT=$2
command -v parallel >/dev/null || { echo "sweep-parallel.sh: GNU parallel is not installed (apt-get install parallel)" >&2; exit 1; }
[ -n "$DIR" ] || DIR="$OUT.shards"
mkdir -p "$DIR"
# paths relative to the checkout, so that they mean the same on every host
SPEC=$(realpath --relative-to="$ROOT" "$SPEC")
RDIR=$(realpath --relative-to="$ROOT" "$DIR")
cd "$ROOT"
parallel --will-cite --halt now,fail=1 --line-buffer --tag --sshlogin "$LOGINS" --workdir "$ROOT" \
  --return "$RDIR/shard-{}-of-$N.db" \
  "mkdir -p $RDIR && $Q sweep $SPEC --db $RDIR/shard-{}-of-$N.db --shard {}/$N -j $JOBS --no-progress" \
  ::: $(seq 1 "$N")
"$Q" merge "$OUT" "$DIR"/shard-*-of-"$N".db
