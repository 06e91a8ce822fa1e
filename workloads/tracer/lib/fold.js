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

// The spacing of float32 numbers at x (one unit in the last place), for normal and subnormal x.
function ulp32(x) {
  const a = Math.abs(x);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

// Largest deviation (in float32 ulps of the plain fold) that integer codes may cause: the
// package's weights are float32(q * scale + min), folded as float32(w * mult); the code weights
// are float32((q - zp) * scale * mult) - two roundings apart, so at most one ulp.
const CODES_MAX_ULP = 1;

// Folds `affine` ({mult, add} Float64Array(K), or null for none) into the layer and derives codes.
//   type:   'conv' | 'dwconv' | 'fc'
//   kernel: {shape (TF layout), values Float32Array, quantized, codes Int32Array|null, qscale, zp}
//   bias:   Float32Array(K) or null (no bias)
//   useCodes: when true (the default) and the kernel has integer codes q - zp, the layer's weights
//             are defined by them: scale[k] = qscale * mult[k] in float64 (wgt_scale is written as
//             float64) and wgt = float32(codes * scale[k]) exactly. These weights are within
//             CODES_MAX_ULP float32 ulp of the plain fold (checked for every weight; a layer that
//             is not gets no codes), so the traced prediction moves by ~1e-7, not the 1e-5 a
//             float32 scale needed. When false, the plain float32 fold and no codes.
// Returns {tfKernel (TF layout, Float32Array), bias Float32Array(K), K,
//          codes Int32Array|null, scale Float64Array|null, codesNote string,
//          maxUlpFromFold (how far the code weights are from the plain fold, in ulps)}.
function foldLayer(type, kernel, bias, affine, useCodes = true) {
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
  let maxUlp = 0;
  if (!kernel.codes) {
    codesNote = !kernel.quantized
      ? 'no wgt_codes: the package stores this kernel as float32, not as integer codes'
      : 'no wgt_codes: -min/scale of the stored uint8 codes is not an integer';
  } else if (!useCodes) {
    codesNote = `integer codes q - ${kernel.zp} exist; wgt_codes not written (tracer run with --no-codes)`;
  } else {
    scale = new Float64Array(K);
    for (let k = 0; k < K; k++) scale[k] = kernel.qscale * (mult ? mult[k] : 1);
    const w = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      w[i] = Math.fround(kernel.codes[i] * scale[i % K]);
      maxUlp = Math.max(maxUlp, Math.abs(w[i] - tfKernel[i]) / ulp32(tfKernel[i]));
    }
    if (maxUlp <= CODES_MAX_ULP) {
      tfKernel.set(w);
      codes = kernel.codes;
      const zpText = kernel.zpExact ? 'exactly' : 'up to float64 rounding of the stored min';
      codesNote = `wgt == float32(wgt_codes * wgt_scale[k]) exactly (wgt_scale float64); codes = q - ${kernel.zp} ` +
        `(uint8 q, zero point -min/scale, integer ${zpText}); these weights are within ${maxUlp.toFixed(2)} ulp ` +
        'of the plain float32 fold';
    } else {
      scale = null;
      codesNote = `no wgt_codes: codes * scale would move a weight by ${maxUlp.toFixed(2)} ulp (> ${CODES_MAX_ULP})`;
    }
  }
  return { tfKernel, bias: outBias, K, codes: codes ? toQasimLayout(type, kernel.shape, codes) : null, scale, codesNote, maxUlpFromFold: maxUlp };
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

module.exports = { bnAffine, foldLayer, toQasimLayout, ulp32, outChannels, CODES_MAX_ULP };
