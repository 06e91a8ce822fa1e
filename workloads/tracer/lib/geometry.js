'use strict';
// Layer geometry: resolving TensorFlow 'same' / 'valid' padding to explicit numbers and counting
// MACs. qasim's padding is [top, bottom, left, right]; TF 'same' puts the odd extra row/column at
// the bottom/right: total = max((ceil(in / stride) - 1) * stride + kernel - in, 0), before =
// floor(total / 2), after = total - before.

// Returns [before, after] padding of one spatial dimension for TF padding mode `mode`.
function padOneDim(mode, inSize, kernel, stride) {
  if (mode === 'valid') return [0, 0];
  if (mode !== 'same') throw new Error(`geometry: unknown padding mode '${mode}'`);
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

// Explicit [top, bottom, left, right] for `pad` ('same' | 'valid' | [t, b, l, r]) plus an optional
// `extra` [t, b, l, r] (a ZeroPadding2D absorbed into the layer).
function resolvePadding(pad, inH, inW, [R, S], [sh, sw], extra = [0, 0, 0, 0]) {
  let p;
  if (Array.isArray(pad)) p = pad.slice();
  else {
    // TF resolves 'same' on the tensor the conv sees, i.e. after any explicit zero padding.
    const [t, b] = padOneDim(pad, inH + extra[0] + extra[1], R, sh);
    const [l, r] = padOneDim(pad, inW + extra[2] + extra[3], S, sw);
    p = [t, b, l, r];
  }
  return p.map((v, i) => v + extra[i]);
}

// Output size of one dimension: floor((in + before + after - kernel) / stride) + 1.
function outSize(inSize, kernel, stride, before, after) {
  return Math.floor((inSize + before + after - kernel) / stride) + 1;
}

// MACs of one layer described as in net.yaml: N * K * OH * OW * (C / groups) * R * S.
function layerMacs(l, batch) {
  if (l.type === 'fc') return batch * l.outputs * l.features;
  const [C, H, W] = l.input;
  const [R, S] = l.kernel;
  const [sh, sw] = l.stride;
  const [t, b, le, r] = l.padding;
  const oh = outSize(H, R, sh, t, b);
  const ow = outSize(W, S, sw, le, r);
  return batch * l.filters * oh * ow * (C / l.groups) * R * S;
}

module.exports = { padOneDim, resolvePadding, outSize, layerMacs };
