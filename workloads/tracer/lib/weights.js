'use strict';
// Decoding TensorFlow.js weight manifests into plain typed arrays, without a tfjs model.
// A manifest is a list of groups {paths, weights: [{name, shape, dtype, quantization?}]}; the
// group's shard files hold the weights back to back. Quantized weights (uint8/uint16 with
// {scale, min}) are stored as codes q and decoded exactly like tfjs-core's io.decodeWeights:
// value = float32(q * scale + min). When -min/scale is an integer zero point zp (see ZP_TOL),
// the signed codes q - zp are also kept: they are exact integers and value ~= (q - zp) * scale.

// A zero point -min/scale that is an integer up to float64 rounding of the stored min
// (|zp - round(zp)| <= ZP_TOL) is accepted: value and (q - zp) * scale then differ by ~1e-16
// relative, far below float32 resolution. zpExact tells whether it was exact.
const ZP_TOL = 1e-9;

// Returns {name: {name, shape, dtype, values: Float32Array|Int32Array, quantized, codes:
// Int32Array|null, qscale, zp, zpExact}} from `specs` (the manifest's weight entries, in storage order) and
// `bytes` (the concatenated shards, a Uint8Array). Throws on an unsupported dtype or a size
// mismatch.
function decodeWeights(specs, bytes) {
  const out = {};
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new Error(`weights: ${spec.name} has dtype ${spec.dtype}`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization;
    const Arr = spec.dtype === 'float32' ? Float32Array : Int32Array;
    const rec = {
      name: spec.name, shape: spec.shape.slice(), dtype: spec.dtype, values: new Arr(size),
      quantized: !!q, codes: null, qscale: null, zp: null, zpExact: false,
    };
    if (!q) {
      rec.values.set(new Arr(bytes.slice(offset, offset + 4 * size).buffer));
      offset += 4 * size;
    } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      const width = q.dtype === 'uint8' ? 1 : 2;
      const raw = q.dtype === 'uint8'
        ? bytes.subarray(offset, offset + size)
        : new Uint16Array(bytes.slice(offset, offset + 2 * size).buffer);
      // tfjs-core io.decodeWeights: float32(q * scale + min); int32 weights are rounded.
      for (let i = 0; i < size; i++) {
        const v = raw[i] * q.scale + q.min;
        rec.values[i] = spec.dtype === 'int32' ? Math.round(v) : v;
      }
      const zpReal = -q.min / q.scale;
      const zp = Math.round(zpReal);
      if (spec.dtype === 'float32' && Math.abs(zpReal - zp) <= ZP_TOL * Math.max(1, Math.abs(zp))) {
        rec.codes = new Int32Array(size);
        for (let i = 0; i < size; i++) rec.codes[i] = raw[i] - zp;
        rec.qscale = q.scale;
        rec.zp = zp;
        rec.zpExact = zpReal === zp;
      }
      offset += width * size;
    } else {
      throw new Error(`weights: ${spec.name} uses unsupported quantization ${q.dtype}`);
    }
    out[spec.name] = rec;
  }
  if (offset !== bytes.length) {
    throw new Error(`weights: manifest describes ${offset} bytes, shards hold ${bytes.length}`);
  }
  return out;
}

module.exports = { decodeWeights, ZP_TOL };
