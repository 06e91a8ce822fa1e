#!/usr/bin/env bash
# A real traced network through qasim (issue 10): the tracer (workloads/tracer, node) traces
# nsfwjs MobileNetV2 on chelsea.png, then
#  - `qasim info` checks all 330 trace files and counts the parameters (2,550,848 weights + 17,445 biases);
#  - the traced uint8 weights run as integer codes (--quant-w none, 9 bits: codes q - zp reach
#    -131): zero points exact, so with 16-bit activations the output matches the traced float
#    output to float32 accuracy (mean SQNR > 80 dB); at 8 bits the codes are refused, naming
#    the code, the layer and the fix;
#  - the default quantizers at 8 bits give a mean SQNR between 30 and 60 dB;
#  - statistics of the real values: zero fraction of the activations above 30%.
# Needs node, npm and python3-skimage (./run test installs them); fails without them.
. "$(dirname "$0")/lib.sh"
Q=$QASIM
SRC=$(cd "$QA_TEST_DATA/../.." && pwd)
bash "$SRC/workloads/tracer/setup.sh" && ok || { bad "tracer setup failed (node, npm, python3-skimage?)"; finish; exit 1; }
IMG=${QASIM_SKIMAGE_DATA:-/usr/lib/python3/dist-packages/skimage/data}/chelsea.png
node "$SRC/workloads/tracer/trace.js" --net mobilenetv2 --image "$IMG" --out "$T/mnv2" > "$T/trace.log" 2>&1 &&
  ok || bad "trace failed: $(tail -3 "$T/trace.log")"
expect 0 "mobilenetv2-nsfwjs .*: 55 layers, 299855360 MACs, 2568293 parameters" -- "$Q" info "$T/mnv2"
grep -q "traces: 330 files checked (dtype, shape, NaN/Inf): ok" "$T/out" && ok || bad "info traces: $(tail -1 "$T/out")"
expect 0 "mean (8[0-9]|9[0-9]|1[0-9][0-9])\.[0-9]+ dB over 55 layers \(55 on traced values\)" -- \
  "$Q" run --net "$T/mnv2" --quant-w none --a-bits 16 --w-bits 9 --no-store --quiet --costs none
expect 1 "layer 0 'Conv1': weights \(quantizer none, 8 bits, trace.wgt_codes\): .*code -131 .* does not fit 8-bit signed codes \(-128..127\); declare more bits" -- \
  "$Q" run --net "$T/mnv2" --quant-w none --bits 8 --no-store --quiet --costs none
expect 0 "mean ([3-5][0-9])\.[0-9]+ dB over 55 layers" -- "$Q" run --net "$T/mnv2" --bits 8 --no-store --quiet --costs none
expect 0 "all .*\| +([3-9][0-9])\.[0-9]%" -- "$Q" stats "$T/mnv2" --bits 8
finish
