'use strict';
// Folding a per-output-channel affine transform (BatchNorm, or face-api's "scale" layer) into the
// preceding conv / depthwise conv / dense layer, converting TensorFlow weight layouts to qasim's
// (K, C/groups, R, S), and deriving exact integer weight codes with a per-channel scale.
//
// TensorFlow layouts: conv kernels are HWIO [R, S, C, K]; depthwise kernels are [R, S, C, M]
// with output channel c*M + m (K = C*M, groups = C); dense kernels are [C, K]. In all three the
// output channel of flat element i is i % K, which is what the folding below relies on.

// Per-channel affine of a BatchNorm in inference mode:
// BN(y) = (y - mean) / sqrt(var + eps) * gamma + beta = y * mult + add.
// gamma may be null (Keras BatchNormalization with scale=False) and beta null (center=False).
function bnAffine({ gamma, beta, mean, variance, eps }) {
  const K = mean.length;
  const mult = new Float64Array(K);
  const add = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    mult[k] = (gamma ? gamma[k] : 1) / Math.sqrt(variance[k] + eps);
    add[k] = (beta ? beta[k] : 0) - mean[k] * mult[k];
  }
  return { mult, add };
}

// Number of output channels K of a kernel of `type` with TF `shape`.
function outChannels(type, shape) {
  if (type === 'fc') return shape[1];
  if (type === 'dwconv') return shape[2] * shape[3];
  return shape[3];
}

// Rounds x to `bits` significant bits (round half away from zero): the result times any integer
// of at most 24 - bits bits is exact in float32.
function roundToBits(x, bits) {
  if (x === 0 || !Number.isFinite(x)) return x;
  const e = Math.floor(Math.log2(Math.abs(x)));
  const ulp = 2 ** (e - bits + 1);
  return Math.round(x / ulp) * ulp;
}

// Folds `affine` ({mult, add} Float64Array(K), or null for none) into the layer and derives codes.
//   type:   'conv' | 'dwconv' | 'fc'
//   kernel: {shape (TF layout), values Float32Array, quantized, codes Int32Array|null, qscale, zp}
//   bias:   Float32Array(K) or null (no bias)
//   useCodes: when true and the kernel has integer codes, the folded weights are defined as
//             codes * scale[k] with scale[k] rounded to 24 - bits(max |code| of channel k) bits so
//             that every product is exact in float32 (this moves the weights by up to
//             2^-(24 - bits) relative, 1.5e-5 for 8-bit codes). When false, the weights are the
//             plain float32 fold and no codes are returned: codes * a float32 scale cannot
//             reproduce them exactly.
// Returns {tfKernel (TF layout, Float32Array), bias Float32Array(K), K,
//          codes Int32Array|null, scale Float32Array|null, codesNote string,
//          maxRelDevFromFold (how far codes*scale moved the weights from the plain fold)}.
function foldLayer(type, kernel, bias, affine, useCodes = false) {
  const K = outChannels(type, kernel.shape);
  const n = kernel.values.length;
  const mult = affine ? affine.mult : null;
  const tfKernel = new Float32Array(n);
  const outBias = new Float32Array(K);
  for (let k = 0; k < K; k++) {
    const b = bias ? bias[k] : 0;
    outBias[k] = affine ? b * affine.mult[k] + affine.add[k] : b;
  }
  for (let i = 0; i < n; i++) tfKernel[i] = mult ? kernel.values[i] * mult[i % K] : kernel.values[i];

  let codes = null;
  let scale = null;
  let codesNote;
  let maxRelDev = 0;
  if (!kernel.codes) {
    codesNote = !kernel.quantized
      ? 'no wgt_codes: the package stores this kernel as float32, not as integer codes'
      : 'no wgt_codes: -min/scale of the stored uint8 codes is not an integer';
  } else if (!useCodes) {
    codesNote = `integer codes q - ${kernel.zp} exist; wgt_codes not written (tracer run without --codes)`;
  } else {
    // Significant bits of the largest code per channel decide how precise scale[k] may be.
    const maxAbs = new Int32Array(K);
    for (let i = 0; i < n; i++) {
      const a = Math.abs(kernel.codes[i]);
      if (a > maxAbs[i % K]) maxAbs[i % K] = a;
    }
    scale = new Float32Array(K);
    for (let k = 0; k < K; k++) {
      const bits = maxAbs[k] === 0 ? 0 : Math.floor(Math.log2(maxAbs[k])) + 1;
      const s = kernel.qscale * (mult ? mult[k] : 1);
      scale[k] = roundToBits(s, 24 - bits);
    }
    codes = kernel.codes;
    let exact = true;
    for (let i = 0; i < n; i++) {
      const k = i % K;
      const w = codes[i] * scale[k]; // float64 product
      const w32 = Math.fround(w);
      if (w32 !== w) { exact = false; break; }
      const ref = tfKernel[i];
      if (ref !== 0) maxRelDev = Math.max(maxRelDev, Math.abs(w32 - ref) / Math.abs(ref));
      else if (w32 !== 0) maxRelDev = Infinity;
      tfKernel[i] = w32;
    }
    if (!exact) throw new Error('fold: codes * scale is not exact in float32 (bug in roundToBits)');
    const zpText = kernel.zpExact ? 'exactly' : 'up to float64 rounding of the stored min';
    codesNote = `wgt == wgt_codes * wgt_scale[k] exactly; codes = q - ${kernel.zp} (uint8 q, zero point -min/scale, integer ${zpText}); ` +
      `scale rounded to keep products exact moves weights by <= ${maxRelDev.toExponential(2)} relative`;
  }
  return { tfKernel, bias: outBias, K, codes: codes ? toQasimLayout(type, kernel.shape, codes) : null, scale, codesNote, maxRelDevFromFold: maxRelDev };
}

// Converts a TF-layout array (Float32Array or Int32Array) to qasim's (K, C/groups, R, S) / (K, C).
// Returns {data (same array type), shape}.
function toQasimLayout(type, shape, src) {
  const dst = new src.constructor(src.length);
  if (type === 'fc') {
    const [C, K] = shape;
    for (let c = 0; c < C; c++) for (let k = 0; k < K; k++) dst[k * C + c] = src[c * K + k];
    return { data: dst, shape: [K, C] };
  }
  const [R, S, C, M] = shape;
  if (type === 'dwconv') {
    // [R, S, C, M] -> [C*M, 1, R, S]: output channel c*M + m reads input channel c only.
    for (let r = 0; r < R; r++) for (let s = 0; s < S; s++) for (let c = 0; c < C; c++) for (let m = 0; m < M; m++) {
      dst[((c * M + m) * R + r) * S + s] = src[((r * S + s) * C + c) * M + m];
    }
    return { data: dst, shape: [C * M, 1, R, S] };
  }
  const K = M; // HWIO [R, S, C, K] -> [K, C, R, S]
  for (let r = 0; r < R; r++) for (let s = 0; s < S; s++) for (let c = 0; c < C; c++) for (let k = 0; k < K; k++) {
    dst[((k * C + c) * R + r) * S + s] = src[((r * S + s) * C + c) * K + k];
  }
  return { data: dst, shape: [K, C, R, S] };
}

module.exports = { bnAffine, foldLayer, toQasimLayout, roundToBits, outChannels };
