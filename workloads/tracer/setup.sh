#!/usr/bin/env bash
# setup.sh - make the trace tool runnable: node and npm found, the pinned packages installed
# (`npm ci` from package-lock.json, only when `npm ls` finds them missing, under a lock so that
# tests running in parallel install once), and the photos of python3-skimage present.
# Prints one line naming what is missing and exits 1 otherwise; prints nothing on success
# (npm's own output goes to stderr). QASIM_SKIMAGE_DATA overrides the photo directory.
set -euo pipefail
cd "$(dirname "$0")"
command -v node >/dev/null || { echo "tracer: node not found (apt-get install nodejs npm)" >&2; exit 1; }
command -v npm >/dev/null || { echo "tracer: npm not found (apt-get install npm)" >&2; exit 1; }
exec 9>.npm-ci.lock
flock 9
if ! npm ls --depth=0 >/dev/null 2>&1; then
  echo "tracer: installing the pinned packages (npm ci)" >&2
  npm ci --no-audit --no-fund >&2 || { echo "tracer: npm ci failed (is the npm registry reachable?)" >&2; exit 1; }
fi
data="${QASIM_SKIMAGE_DATA:-/usr/lib/python3/dist-packages/skimage/data}"
for f in chelsea.png astronaut.png; do
  [ -f "$data/$f" ] || { echo "tracer: $data/$f missing (apt-get install python3-skimage)" >&2; exit 1; }
done
