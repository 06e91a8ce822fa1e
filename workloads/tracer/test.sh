#!/usr/bin/env bash
# Tests of the qasim trace tool (workloads/tracer): unit tests (npy, padding, BN folding) and
# end-to-end traces of nsfwjs MobileNetV2 (chelsea.png) and face-api ResNet-29 (astronaut.png)
# with the self-check against the packages' own APIs. Needs node >= 18, npm (registry reachable
# the first time: setup.sh runs `npm ci` from package-lock.json) and the Debian package
# python3-skimage for the photos; fails (never skips) without them. About 40-60 s on 2 cores.
# ctest runs it as tracer.node.
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh
export QASIM_SKIMAGE_DATA="${QASIM_SKIMAGE_DATA:-/usr/lib/python3/dist-packages/skimage/data}"
exec node --test test/
