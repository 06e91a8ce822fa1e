'use strict';
// The tracer: executes a network's MAC layers (conv, depthwise conv, dense) with BatchNorm-folded
// weights and explicit padding, and records for each layer the exact input tensor it consumed,
// its weights (K, C/groups, R, S), bias (K,) and its output before the activation function.
// A model module drives it: its forward pass calls tracer.run(name, x) for every MAC layer and
// does the glue (activations, residual adds, pooling, concatenation) itself with tfjs ops.
//
// Layer spec (what a model module registers per MAC layer):
//   name     unique layer name (also the trace file prefix)
//   type     'conv' | 'dwconv' | 'fc'
//   kernel   {shape, values, codes, qscale, zp} in TF layout (see fold.js), from weights.js
//   bias     Float32Array(K) or null
//   affine   {mult, add} per output channel folded in (BatchNorm / scale layer), or null
//   foldNote text saying what was folded, for net.yaml
//   stride   [sh, sw]; pad 'same' | 'valid' | [t, b, l, r]; extraPad [t, b, l, r] (an absorbed
//            ZeroPadding2D) or null
//   ref      optional (x) => tf.Tensor: the package's own unfolded computation of this layer
//            (conv + BatchNorm/scale, with its own padding mode), used to check the folding
const fs = require('fs');
const path = require('path');
const { writeNpy } = require('./npy');
const { foldLayer, toQasimLayout } = require('./fold');
const { resolvePadding, outSize, layerMacs } = require('./geometry');

function fileSafe(name) {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

class Tracer {
  // tf: the tfjs module. opts: {outDir (null: record nothing on disk), useCodes (default true,
  // see fold.js), checkFold (default false)}. `specs`: array of layer specs (see above).
  constructor(tf, specs, opts = {}) {
    this.tf = tf;
    this.specs = new Map(specs.map((s) => [s.name, s]));
    if (this.specs.size !== specs.length) throw new Error('tracer: duplicate layer names');
    this.outDir = opts.outDir || null;
    this.useCodes = opts.useCodes !== false;
    this.checkFold = !!opts.checkFold;
    this.layers = []; // recorded layers, in execution order (net.yaml order)
    this.actFiles = new Map(); // tensor id -> act file already written (shared inputs)
    this.prepared = new Map(); // layer name -> {fold, kT, bT}
    this.done = new Set(); // layers executed
    this.bytes = 0;
    if (this.outDir) fs.mkdirSync(this.outDir, { recursive: true });
  }

  // Folds the layer's weights once and keeps the tfjs tensors for execution.
  prepare(spec) {
    if (!this.prepared.has(spec.name)) {
      const tf = this.tf;
      const f = foldLayer(spec.type, spec.kernel, spec.bias, spec.affine, this.useCodes);
      this.prepared.set(spec.name, {
        fold: f,
        kT: tf.keep(tf.tensor(f.tfKernel, spec.kernel.shape, 'float32')),
        bT: tf.keep(tf.tensor1d(f.bias, 'float32')),
      });
    }
    return this.prepared.get(spec.name);
  }

  // Executes MAC layer `name` on x (NHWC, or [N, C] for fc) and records it. Returns the output
  // before the activation function, with bias (NHWC / [N, K]). Throws on an unknown or repeated
  // layer, or if the output shape disagrees with the geometry written to net.yaml.
  run(name, x) {
    const tf = this.tf;
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`tracer: no layer named '${name}'`);
    if (this.done.has(name)) throw new Error(`tracer: layer '${name}' executed twice`);
    this.done.add(name);
    const { fold, kT, bT } = this.prepare(spec);
    const N = x.shape[0];
    let y;
    let geo;
    if (spec.type === 'fc') {
      if (x.rank !== 2) throw new Error(`tracer: fc layer '${name}' needs [N, C] input, got ${x.shape}`);
      const [C, K] = spec.kernel.shape;
      if (x.shape[1] !== C) throw new Error(`tracer: '${name}' expects ${C} features, got ${x.shape[1]}`);
      y = tf.add(tf.matMul(x, kT), bT);
      geo = { type: 'fc', features: C, outputs: K };
    } else {
      const [, H, W, C] = x.shape;
      const [R, S, Ck, M] = spec.kernel.shape;
      if (Ck !== C) throw new Error(`tracer: '${name}' expects ${Ck} channels, got ${C}`);
      const stride = spec.stride;
      const p = resolvePadding(spec.pad, H, W, [R, S], stride, spec.extraPad || undefined);
      const explicit = [[0, 0], [p[0], p[1]], [p[2], p[3]], [0, 0]];
      const isDw = spec.type === 'dwconv';
      y = tf.add(isDw ? tf.depthwiseConv2d(x, kT, stride, explicit) : tf.conv2d(x, kT, stride, explicit), bT);
      geo = {
        type: spec.type, input: [C, H, W], filters: isDw ? C * M : M, kernel: [R, S], stride: stride.slice(),
        padding: p, groups: isDw ? C : 1,
      };
      const oh = outSize(H, R, stride[0], p[0], p[1]);
      const ow = outSize(W, S, stride[1], p[2], p[3]);
      if (y.shape[1] !== oh || y.shape[2] !== ow) {
        throw new Error(`tracer: '${name}' output ${y.shape} disagrees with geometry ${oh}x${ow}`);
      }
    }
    const rec = { name, ...geo, note: '', trace: {}, stats: {} };
    rec.macs = layerMacs(rec, N);
    rec.weights = spec.kernel.values.length;
    this.record(spec, rec, x, y, fold);
    if (this.checkFold && spec.ref) rec.stats.fold = this.compareRef(spec, x, y);
    this.layers.push(rec);
    return y;
  }

  // Stats and (with an outDir) the .npy files of one layer.
  record(spec, rec, x, y, fold) {
    const tf = this.tf;
    const toNCHW = (t) => (t.rank === 4 ? tf.tidy(() => tf.transpose(t, [0, 3, 1, 2])) : t);
    const xs = toNCHW(x);
    const ys = toNCHW(y);
    const act = xs.dataSync();
    const out = ys.dataSync();
    let zeros = 0;
    let aMin = Infinity;
    let aMax = -Infinity;
    let finite = true;
    for (let i = 0; i < act.length; i++) {
      const v = act[i];
      if (v === 0) zeros++;
      if (v < aMin) aMin = v;
      if (v > aMax) aMax = v;
      if (!Number.isFinite(v)) finite = false;
    }
    for (let i = 0; i < out.length && finite; i++) if (!Number.isFinite(out[i])) finite = false;
    if (!finite) throw new Error(`tracer: '${rec.name}' has NaN/Inf in its input or output`);
    Object.assign(rec.stats, { actZeroFrac: zeros / act.length, actMin: aMin, actMax: aMax, codesNote: fold.codesNote });
    const notes = [];
    if (spec.foldNote) notes.push(`folded: ${spec.foldNote}`);
    notes.push(fold.codesNote);
    notes.push(`act in [${aMin.toPrecision(4)}, ${aMax.toPrecision(4)}], ${(100 * zeros / act.length).toFixed(1)}% zeros`);
    rec.note = notes.join('\n');

    if (this.outDir) {
      const base = fileSafe(rec.name);
      const put = (key, file, data, shape) => {
        this.bytes += writeNpy(path.join(this.outDir, file), data, shape);
        rec.trace[key] = file;
      };
      const shared = this.actFiles.get(x.id);
      if (shared) {
        rec.trace.act = shared; // the same tensor already feeds an earlier layer
      } else {
        put('act', `${base}.act.npy`, Float32Array.from(act), xs.shape);
        this.actFiles.set(x.id, rec.trace.act);
      }
      const w = toQasimLayout(rec.type, spec.kernel.shape, fold.tfKernel);
      put('wgt', `${base}.wgt.npy`, w.data, w.shape);
      put('bias', `${base}.bias.npy`, fold.bias, [fold.K]);
      put('out', `${base}.out.npy`, Float32Array.from(out), ys.shape);
      if (fold.codes) {
        put('wgt_codes', `${base}.wq.npy`, fold.codes.data, fold.codes.shape);
        put('wgt_scale', `${base}.ws.npy`, fold.scale, [fold.K]);
      }
    }
    if (xs !== x) xs.dispose();
    if (ys !== y) ys.dispose();
  }

  // Max abs difference between the folded layer output y and the package's own unfolded
  // computation on the same input, and that difference relative to max |reference|.
  compareRef(spec, x, y) {
    const tf = this.tf;
    const r = tf.tidy(() => {
      const ref = spec.ref(x);
      return [tf.max(tf.abs(tf.sub(ref, y))).dataSync()[0], tf.max(tf.abs(ref)).dataSync()[0]];
    });
    return { maxAbsErr: r[0], maxAbsRef: r[1], relErr: r[1] > 0 ? r[0] / r[1] : r[0] };
  }

  // Throws unless every registered layer ran exactly once.
  assertComplete() {
    const missing = [...this.specs.keys()].filter((n) => !this.done.has(n));
    if (missing.length) throw new Error(`tracer: layers never executed: ${missing.join(', ')}`);
  }

  // Frees the kept weight tensors.
  dispose() {
    for (const p of this.prepared.values()) {
      p.kT.dispose();
      p.bT.dispose();
    }
    this.prepared.clear();
  }
}

module.exports = { Tracer, fileSafe };
