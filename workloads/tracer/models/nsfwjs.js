'use strict';
// nsfwjs@4.4.0 image classifiers (MIT). Each model ships inside the npm package as JS modules:
// dist/models/<model>/model.min.js exports {modelTopology (Keras), weightsManifest} and
// group1-shard<i>of<n>.min.js exports one base64 string per weight shard. Weights are uint8
// codes with per-tensor {scale, min}. Everything is read from node_modules, offline.
const path = require('path');
const { decodeWeights } = require('../lib/weights');
const { buildKerasNet } = require('./keras');

const PKG_VERSION = '4.4.0';
const CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']; // nsfwjs NSFW_CLASSES order

function modelDir(dirName) {
  // require.resolve('nsfwjs') is dist/cjs/index.js; the models sit in dist/models.
  return path.join(path.dirname(require.resolve('nsfwjs')), '..', 'models', dirName);
}

// Reads model.min.js and its shards. Returns {topology, weights (weights.js records)}.
function readModel(dirName) {
  const dir = modelDir(dirName);
  const json = require(path.join(dir, 'model.min.js'));
  const specs = [];
  const parts = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) parts.push(Buffer.from(require(path.join(dir, `${p}.min.js`)), 'base64'));
    specs.push(...group.weights);
  }
  return { topology: json.modelTopology, weights: decodeWeights(specs, new Uint8Array(Buffer.concat(parts))) };
}

// Runs fn with console.info muted (nsfwjs.load prints usage hints there).
async function quietly(fn) {
  const info = console.info;
  console.info = () => {};
  try {
    return await fn();
  } finally {
    console.info = info;
  }
}

function makeNet({ id, yamlName, dirName, apiName, size, description }) {
  return {
    id,
    description,
    // Loads the model. Returns the network object the trace driver uses.
    async load(tf) {
      const { topology, weights } = readModel(dirName);
      const k = buildKerasNet(tf, topology, weights);
      let api = null;
      return {
        yamlName,
        source: `nsfwjs@${PKG_VERSION} (MIT, npm) dist/models/${dirName}: Keras ${apiName} (keras ${topology.keras_version}), ` +
          `${size}x${size} RGB/255, 5 classes ${CLASSES.join('/')}; uint8 weights with per-tensor scale/min; ` +
          'BatchNorm folded by the qasim tracer; run with @tensorflow/tfjs@4.22.0 CPU backend',
        header: `${description}\nKeras layers: ${JSON.stringify(k.layerCounts)}\n` +
          `${k.foldedBN} BatchNormalization layers folded into the conv before them; ${k.absorbedPads} ZeroPadding2D absorbed into conv padding`,
        specs: k.specs,
        forward: k.forward,
        // nsfwjs preprocessing (core.js infer): float, /255, bilinear resize with
        // alignCorners = true to size x size (only when the image is not that size already).
        preprocess(img) {
          return tf.tidy(() => {
            let x = tf.div(tf.cast(img, 'float32'), tf.scalar(255));
            if (img.shape[0] !== size || img.shape[1] !== size) x = tf.image.resizeBilinear(x, [size, size], true);
            return tf.reshape(x, [1, size, size, 3]);
          });
        },
        // Output tensor [N, 5] (softmax) -> per image [{className, probability}] sorted.
        interpret(out) {
          const p = out.arraySync();
          return p.map((row) => row.map((v, i) => ({ className: CLASSES[i], probability: v }))
            .sort((a, b) => b.probability - a.probability));
        },
        // The package's own API: nsfwjs.load(apiName) + classify(image tensor, all classes).
        async reference(img) {
          if (!api) {
            const nsfwjs = require('nsfwjs');
            api = await quietly(() => nsfwjs.load(apiName, { size }));
          }
          return api.classify(img, CLASSES.length);
        },
        // Pass: same top class and its probability within tol (the other classes are reported).
        compare(traced, ref, tol = 1e-5) {
          const refBy = Object.fromEntries(ref.map((r) => [r.className, r.probability]));
          const dTop = Math.abs(traced[0].probability - refBy[traced[0].className]);
          const maxDiff = Math.max(...traced.map((t) => Math.abs(t.probability - refBy[t.className])));
          const same = traced[0].className === ref[0].className;
          const fmt = (r) => r.map((c) => `${c.className} ${c.probability.toFixed(6)}`).join(', ');
          return {
            pass: same && dTop <= tol,
            maxDiff: dTop,
            lines: [`traced : ${fmt(traced)}`, `nsfwjs : ${fmt(ref)}`,
              `top class ${same ? 'equal' : 'DIFFERS'}, |dp| top class ${dTop.toExponential(2)} (tolerance ${tol}), ` +
                `max over all classes ${maxDiff.toExponential(2)}`],
          };
        },
        dispose() {
          k.dispose();
          if (api) api.dispose();
        },
      };
    },
  };
}

module.exports = {
  mobilenetv2: makeNet({
    id: 'mobilenetv2', yamlName: 'mobilenetv2-nsfwjs', dirName: 'mobilenet_v2', apiName: 'MobileNetV2', size: 224,
    description: 'nsfwjs MobileNetV2 1.0 (224x224): ImageNet backbone, head fine-tuned to 5 classes',
  }),
  inceptionv3: makeNet({
    id: 'inceptionv3', yamlName: 'inceptionv3-nsfwjs', dirName: 'inception_v3', apiName: 'InceptionV3', size: 299,
    description: 'nsfwjs InceptionV3 (299x299), head fine-tuned to 5 classes',
  }),
};
