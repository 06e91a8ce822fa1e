#!/usr/bin/env bash
# Tests of the qasim trace tool (workloads/tracer): unit tests (npy, padding, BN folding) and
# end-to-end traces of nsfwjs MobileNetV2 (chelsea.png) and face-api ResNet-29 (astronaut.png)
# with the self-check against the packages' own APIs. Needs node >= 18, npm (registry reachable
# the first time: `npm ci` installs the pinned packages from package-lock.json) and the Debian
# package python3-skimage for the photos. Takes about 40-60 s on 2 cores.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null; then
  echo "test.sh: node not found (apt-get install nodejs npm)" >&2
  exit 1
fi
if ! npm ls --depth=0 >/dev/null 2>&1; then
  echo "test.sh: installing the pinned packages (npm ci)"
  npm ci --no-audit --no-fund
fi
data="${QASIM_SKIMAGE_DATA:-/usr/lib/python3/dist-packages/skimage/data}"
if [ ! -f "$data/chelsea.png" ] || [ ! -f "$data/astronaut.png" ]; then
  echo "test.sh: $data/chelsea.png missing: apt-get install python3-skimage" >&2
  exit 1
fi
export QASIM_SKIMAGE_DATA="$data"
exec node --test test/
