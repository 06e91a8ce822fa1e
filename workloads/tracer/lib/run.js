'use strict';
// One trace run: load a network, preprocess the photos, execute it through the tracer (writing
// the .npy files and net.yaml), and optionally check it against the package's own API.
const fs = require('fs');
const path = require('path');
const { loadTf } = require('./tf');
const { readImage, imageTensor } = require('./image');
const { Tracer } = require('./tracer');
const { renderNetYaml } = require('./netyaml');
const { NETWORKS } = require('../models');

const FOLD_TOL_REL = 1e-4; // folded vs unfolded layer output, relative to max |output|
const PRED_TOL = 1e-5; // traced vs package prediction (probability / score / embedding)
// Weights defined by integer codes (the default) are within 1 float32 ulp of the plain fold
// (fold.js), so the same tolerance holds with and without them.

function seconds(t0) {
  return (Date.now() - t0) / 1000;
}

// Traces network `netId` on the photos `images` (paths) into `outDir` (null: trace nothing to
// disk, only execute and check). opts: {check, useCodes (default true: write integer weight
// codes where the package has them, see fold.js), log (function for progress lines)}.
// Returns a summary object (also written to outDir/summary.json). Throws on any error; a failed
// check is reported in summary.check.pass, not thrown.
async function traceNetwork(netId, images, outDir, opts = {}) {
  const log = opts.log || (() => {});
  const model = NETWORKS[netId];
  if (!model) throw new Error(`unknown network '${netId}' (known: ${Object.keys(NETWORKS).join(', ')})`);
  if (!images.length) throw new Error('no --image given');
  const t0 = Date.now();
  const tf = await loadTf();
  const net = await model.load(tf);
  const tLoad = seconds(t0);

  const imgs = images.map((p) => ({ path: p, tensor: imageTensor(tf, readImage(p)) }));
  const x = tf.tidy(() => tf.concat(imgs.map((i) => net.preprocess(i.tensor)), 0));
  const useCodes = opts.useCodes !== false;
  const tracer = new Tracer(tf, net.specs, { outDir, useCodes, checkFold: !!opts.check });
  const t1 = Date.now();
  const traced = tf.tidy(() => {
    const out = net.forward(x, (name, t) => tracer.run(name, t));
    return net.interpret(out);
  });
  tracer.assertComplete();
  const tTrace = seconds(t1);
  log(`${netId}: ${tracer.layers.length} layers traced in ${tTrace.toFixed(1)} s`);

  const batch = x.shape[0];
  const totalMacs = tracer.layers.reduce((a, l) => a + l.macs, 0);
  const totalWeights = tracer.layers.reduce((a, l) => a + l.weights, 0);
  const summary = {
    network: netId,
    name: net.yamlName,
    images: images.map((p) => path.resolve(p)),
    batch,
    layers: tracer.layers.length,
    macs: totalMacs,
    weights: totalWeights,
    traceBytes: tracer.bytes,
    seconds: { load: tLoad, trace: tTrace },
    prediction: traced,
    perLayer: tracer.layers.map((l) => ({
      name: l.name, type: l.type, macs: l.macs, actZeroFrac: l.stats.actZeroFrac, actMin: l.stats.actMin,
      fold: l.stats.fold || null,
    })),
  };

  if (opts.check) {
    const t2 = Date.now();
    const lines = [];
    let pass = true;
    for (let i = 0; i < imgs.length; i++) {
      const ref = await net.reference(imgs[i].tensor);
      const c = net.compare(traced[i], ref, PRED_TOL);
      pass = pass && c.pass;
      lines.push(`${path.basename(imgs[i].path)}:`, ...c.lines.map((s) => `  ${s}`));
      summary.reference = summary.reference || [];
      summary.reference.push(ref);
    }
    const folds = tracer.layers.filter((l) => l.stats.fold);
    const worst = folds.reduce((a, l) => (l.stats.fold.relErr > (a ? a.stats.fold.relErr : -1) ? l : a), null);
    const foldPass = folds.every((l) => l.stats.fold.relErr <= FOLD_TOL_REL);
    pass = pass && foldPass;
    if (worst) {
      lines.push(`folding: ${folds.length} layers checked against the package's unfolded ops on the same input; worst ` +
        `${worst.name}: max abs err ${worst.stats.fold.maxAbsErr.toExponential(2)} = ` +
        `${worst.stats.fold.relErr.toExponential(2)} of max |out| (tolerance ${FOLD_TOL_REL}) ${foldPass ? 'ok' : 'FAILED'}`);
    }
    summary.check = { pass, lines, foldLayers: folds.length, foldWorstRelErr: worst ? worst.stats.fold.relErr : null };
    summary.seconds.check = seconds(t2);
  }

  if (outDir) {
    const yaml = renderNetYaml({
      name: net.yamlName,
      source: net.source,
      batch,
      header: `qasim trace of ${net.yamlName} by workloads/tracer (node ${process.version}, @tensorflow/tfjs ${tf.version.tfjs} cpu)\n` +
        `input: ${images.map((p) => path.basename(p)).join(', ')}\n${net.header}\n` +
        `${tracer.layers.length} MAC layers, ${totalMacs} MACs, ${totalWeights} weights\n` +
        'padding is [top, bottom, left, right]; act = the exact tensor the layer consumed (N, C, H, W);\n' +
        'out = layer output before its activation function, with bias (N, K, OH, OW); wgt has BatchNorm folded in\n' +
        (useCodes
          ? 'wgt_codes (int32, q - zp of the stored uint8 q) and wgt_scale (float64, per output channel, BatchNorm folded in)\n' +
            'where the package stores integer codes: wgt == float32(wgt_codes * wgt_scale[k]) exactly, within 1 ulp of the\n' +
            'plain float32 fold (qasim: --quant-w none runs these codes as they are)'
          : 'wgt_codes / wgt_scale not written (tracer run with --no-codes)'),
      layers: tracer.layers,
    });
    fs.writeFileSync(path.join(outDir, 'net.yaml'), yaml);
    summary.traceBytes += Buffer.byteLength(yaml);
  }
  summary.seconds.total = seconds(t0);
  if (outDir) fs.writeFileSync(path.join(outDir, 'summary.json'), JSON.stringify(summary, null, 1) + '\n');
  tracer.dispose();
  net.dispose();
  x.dispose();
  for (const i of imgs) i.tensor.dispose();
  return summary;
}

module.exports = { traceNetwork, FOLD_TOL_REL, PRED_TOL };
