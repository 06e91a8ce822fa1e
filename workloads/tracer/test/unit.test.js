'use strict';
// Unit tests without the pretrained models: .npy format, padding geometry, BatchNorm folding
// (against tfjs conv + batchNorm on random data) and exact integer weight codes.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { encodeNpy, writeNpy, readNpy } = require('../lib/npy');
const { padOneDim, resolvePadding, outSize } = require('../lib/geometry');
const { bnAffine, foldLayer, toQasimLayout, ulp32 } = require('../lib/fold');
const { loadTf } = require('../lib/tf');

// Deterministic pseudo-random numbers (mulberry32), so failures reproduce.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('npy v1.0 header: magic, 64-byte aligned, numpy dict, little-endian data', () => {
  const b = encodeNpy(new Float32Array([1.5, -2, 3, 4, 5, 6]), [1, 2, 3]);
  assert.deepStrictEqual([...b.subarray(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const hlen = b.readUInt16LE(8);
  assert.strictEqual((10 + hlen) % 64, 0);
  const header = b.toString('latin1', 10, 10 + hlen);
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(1, 2, 3\), \} *\n$/);
  assert.strictEqual(b.readFloatLE(10 + hlen), 1.5);
  assert.match(encodeNpy(new Int32Array([7]), [1]).toString('latin1', 10, 80), /'<i4'.*'shape': \(1,\)/);
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 3]), /holds 6 values/);
});

test('npy round trip through a file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qasim-npy-'));
  try {
    const p = path.join(dir, 'a.npy');
    writeNpy(p, new Int32Array([-164, 0, 157]), [3]);
    const r = readNpy(p);
    assert.deepStrictEqual([...r.data], [-164, 0, 157]);
    assert.deepStrictEqual(r.shape, [3]);
    assert.strictEqual(r.descr, '<i4');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("TF 'same' padding puts the odd row/column at the bottom/right", () => {
  assert.deepStrictEqual(padOneDim('same', 224, 3, 2), [0, 1]);
  assert.deepStrictEqual(padOneDim('same', 512, 3, 2), [0, 1]);
  assert.deepStrictEqual(padOneDim('same', 7, 3, 1), [1, 1]);
  assert.deepStrictEqual(padOneDim('same', 17, 3, 2), [1, 1]);
  assert.deepStrictEqual(padOneDim('same', 8, 1, 2), [0, 0]);
  assert.deepStrictEqual(padOneDim('same', 150, 7, 2), [2, 3]);
  assert.deepStrictEqual(padOneDim('valid', 150, 7, 2), [0, 0]);
  // A ZeroPadding2D [[0,1],[0,1]] absorbed into a 'valid' conv.
  assert.deepStrictEqual(resolvePadding('valid', 224, 224, [3, 3], [2, 2], [0, 1, 0, 1]), [0, 1, 0, 1]);
  assert.strictEqual(outSize(224, 3, 2, 0, 1), 112);
  assert.strictEqual(outSize(150, 7, 2, 0, 0), 72);
});

test('ulp32: the float32 spacing at x', () => {
  assert.strictEqual(ulp32(1), 2 ** -23);
  assert.strictEqual(ulp32(-3), 2 ** -22);
  assert.strictEqual(ulp32(0.75), 2 ** -24);
  assert.strictEqual(ulp32(0), 2 ** -149);
});

// Random conv / depthwise / dense layers with BatchNorm: the folded layer (through the same
// path the tracer uses) must reproduce tfjs conv + batchNorm.
test('BatchNorm folding reproduces conv + BN (conv, depthwise, dense; with and without codes)', async () => {
  const tf = await loadTf();
  const r = rng(42);
  const rand = (n, lo, hi) => Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
  const cases = [
    { type: 'conv', kshape: [3, 3, 8, 16], x: [1, 9, 9, 8], stride: [2, 2] },
    { type: 'dwconv', kshape: [3, 3, 8, 2], x: [2, 10, 10, 8], stride: [1, 1] },
    { type: 'fc', kshape: [32, 10], x: [3, 32] },
  ];
  for (const c of cases) {
    for (const useCodes of [false, true]) {
      const n = c.kshape.reduce((a, b) => a * b, 1);
      const K = c.type === 'dwconv' ? c.kshape[2] * c.kshape[3] : c.kshape[c.kshape.length - 1];
      // uint8 codes with an integer zero point, as in the nsfwjs / face-api weight files.
      const zp = 131;
      const qscale = 0.0066667566;
      const codes = Int32Array.from({ length: n }, () => Math.floor(r() * 256) - zp);
      const values = Float32Array.from(codes, (q) => q * qscale);
      const kernel = { shape: c.kshape, values, quantized: true, codes, qscale, zp, zpExact: true };
      const bias = rand(K, -0.5, 0.5);
      const bn = { gamma: rand(K, 0.2, 3), beta: rand(K, -1, 1), mean: rand(K, -0.5, 0.5), variance: rand(K, 0.01, 2), eps: 1e-3 };
      const f = foldLayer(c.type, kernel, bias, bnAffine(bn), useCodes);
      const x = tf.tensor(rand(c.x.reduce((a, b) => a * b, 1), 0, 6), c.x);
      const { ref, got } = tf.tidy(() => {
        const k = tf.tensor(values, c.kshape);
        const kf = tf.tensor(f.tfKernel, c.kshape);
        const op = (kk) => (c.type === 'fc' ? tf.matMul(x, kk) : c.type === 'conv'
          ? tf.conv2d(x, kk, c.stride, 'same') : tf.depthwiseConv2d(x, kk, c.stride, 'same'));
        const y = tf.add(op(k), tf.tensor1d(bias));
        const t1 = (a) => tf.tensor1d(a);
        return {
          ref: tf.batchNorm(y, t1(bn.mean), t1(bn.variance), t1(bn.beta), t1(bn.gamma), bn.eps).dataSync(),
          got: tf.add(op(kf), tf.tensor1d(f.bias)).dataSync(),
        };
      });
      let err = 0;
      let mag = 0;
      for (let i = 0; i < ref.length; i++) {
        err = Math.max(err, Math.abs(ref[i] - got[i]));
        mag = Math.max(mag, Math.abs(ref[i]));
      }
      console.log(`  fold ${c.type}${useCodes ? ' (codes)' : ''}: max abs err ${err.toExponential(2)}, ` +
        `relative ${(err / mag).toExponential(2)}`);
      assert.ok(err / mag < 1e-4, `${c.type}: folded output off by ${err} (max |y| ${mag})`);
      x.dispose();
      if (useCodes) {
        // wgt == float32(codes * scale[k]) exactly, scale float64; within 1 ulp of the plain fold.
        assert.ok(f.codes && f.scale instanceof Float64Array);
        assert.ok(f.maxUlpFromFold <= 1, `${c.type}: codes move a weight by ${f.maxUlpFromFold} ulp`);
        const w = toQasimLayout(c.type, c.kshape, f.tfKernel);
        const plain = toQasimLayout(c.type, c.kshape, foldLayer(c.type, kernel, bias, bnAffine(bn), false).tfKernel);
        const per = w.data.length / K;
        for (let i = 0; i < w.data.length; i++) {
          assert.strictEqual(w.data[i], Math.fround(f.codes.data[i] * f.scale[Math.floor(i / per)]));
          assert.ok(Math.abs(w.data[i] - plain.data[i]) <= ulp32(plain.data[i]));
        }
      } else {
        assert.strictEqual(f.codes, null);
      }
    }
  }
});

test('layout conversion: HWIO -> KCRS, HWCM -> (C*M)1RS, CK -> KC', () => {
  // conv [R=1, S=2, C=2, K=3]: value = 1000r + 100s + 10c + k
  const hwio = new Float32Array(12);
  for (let s = 0; s < 2; s++) for (let c = 0; c < 2; c++) for (let k = 0; k < 3; k++) hwio[(s * 2 + c) * 3 + k] = 100 * s + 10 * c + k;
  const a = toQasimLayout('conv', [1, 2, 2, 3], hwio);
  assert.deepStrictEqual(a.shape, [3, 2, 1, 2]);
  assert.strictEqual(a.data[((2 * 2 + 1) * 1 + 0) * 2 + 1], 100 * 1 + 10 * 1 + 2); // k=2, c=1, r=0, s=1
  // depthwise [R=1, S=1, C=2, M=2]: output channel c*M + m
  const dw = toQasimLayout('dwconv', [1, 1, 2, 2], Float32Array.from([0, 1, 10, 11]));
  assert.deepStrictEqual(dw.shape, [4, 1, 1, 1]);
  assert.deepStrictEqual([...dw.data], [0, 1, 10, 11]);
  const fc = toQasimLayout('fc', [2, 3], Float32Array.from([0, 1, 2, 10, 11, 12]));
  assert.deepStrictEqual(fc.shape, [3, 2]);
  assert.deepStrictEqual([...fc.data], [0, 10, 1, 11, 2, 12]);
});
