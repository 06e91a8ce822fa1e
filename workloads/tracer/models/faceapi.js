'use strict';
// @vladmandic/face-api@1.7.15 networks (MIT). The package ships plain TFJS weight files:
// model/<net>-weights_manifest.json + model/<net>.bin (uint8 codes with per-tensor scale/min,
// a few float32 tensors). The forward passes below follow face-api's own code (src/
// ssdMobilenetv1/*.ts, src/faceRecognitionNet/*.ts of that version) op for op, except that every
// conv runs through the tracer with BatchNorm / scale layers folded in.
const fs = require('fs');
const path = require('path');
const { decodeWeights } = require('../lib/weights');
const { bnAffine } = require('../lib/fold');

const PKG_VERSION = '1.7.15';

function modelDir() {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

// Reads <name>-weights_manifest.json and its shards. Returns weights.js records by name.
function readManifest(name) {
  const dir = modelDir();
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, `${name}-weights_manifest.json`), 'utf8'));
  const specs = [];
  const parts = [];
  for (const group of manifest) {
    for (const p of group.paths) parts.push(fs.readFileSync(path.join(dir, p)));
    specs.push(...group.weights);
  }
  return decodeWeights(specs, new Uint8Array(Buffer.concat(parts)));
}

function getter(weights) {
  return (name) => {
    const r = weights[name];
    if (!r) throw new Error(`face-api: weight '${name}' missing from the manifest`);
    return r;
  };
}

// face-api's own API, loaded once (lib/tf.js maps its '@tensorflow/tfjs-node' to pure-JS tfjs).
let faceapi = null;
async function faceapiNet(key) {
  if (!faceapi) faceapi = require('@vladmandic/face-api');
  const net = faceapi.nets[key];
  if (!net.isLoaded) await net.loadFromDisk(modelDir());
  return net;
}

// Spec helper: a layer whose reference computation is given by `ref(x, T)` where T holds the
// original (unfolded) weights as tensors, created on first use and kept.
function withRef(tf, spec, tensors, refFn) {
  let T = null;
  const kept = [];
  spec.ref = (x) => {
    if (!T) {
      T = {};
      for (const [k, v] of Object.entries(tensors)) {
        T[k] = tf.keep(tf.tensor(v.values, v.shape));
        kept.push(T[k]);
      }
    }
    return refFn(x, T);
  };
  spec.disposeRef = () => kept.forEach((t) => t.dispose());
  return spec;
}

const SSD_EPS = 0.0010000000474974513; // face-api mobileNetV1.ts

function buildSsd(tf, weights) {
  const w = getter(weights);
  const specs = [];
  // face-api pointwiseConvLayer: conv2d(x, filters, strides, 'same') + batch_norm_offset, relu6.
  const pointwise = (name, prefix, stride) => {
    const kernel = w(`${prefix}/weights`);
    const offset = w(`${prefix}/convolution_bn_offset`);
    specs.push(withRef(tf, {
      name, type: 'conv', kernel, bias: offset.values, affine: null, foldNote: null,
      stride: [stride, stride], pad: 'same',
    }, { k: kernel, b: offset }, (x, T) => tf.add(tf.conv2d(x, T.k, [stride, stride], 'same'), T.b)));
  };
  // face-api depthwiseConvLayer: depthwiseConv2d(x, filters, strides, 'same'), batchNorm, relu6.
  const depthwise = (name, prefix, stride) => {
    const kernel = w(`${prefix}/depthwise_weights`);
    const bn = {
      gamma: w(`${prefix}/BatchNorm/gamma`), beta: w(`${prefix}/BatchNorm/beta`),
      mean: w(`${prefix}/BatchNorm/moving_mean`), variance: w(`${prefix}/BatchNorm/moving_variance`),
    };
    const affine = bnAffine({
      gamma: bn.gamma.values, beta: bn.beta.values, mean: bn.mean.values, variance: bn.variance.values, eps: SSD_EPS,
    });
    specs.push(withRef(tf, {
      name, type: 'dwconv', kernel, bias: null, affine, foldNote: `BatchNorm ${prefix}/BatchNorm (epsilon ${SSD_EPS})`,
      stride: [stride, stride], pad: 'same',
    }, { k: kernel, ...bn }, (x, T) => tf.batchNorm(tf.depthwiseConv2d(x, T.k, [stride, stride], 'same'),
      T.mean, T.variance, T.beta, T.gamma, SSD_EPS)));
  };
  // face-api convLayer (box predictors): conv2d(x, filters, 1, 'same') + bias, no activation.
  const plain = (name, prefix) => {
    const kernel = w(`${prefix}/weights`);
    const bias = w(`${prefix}/biases`);
    specs.push(withRef(tf, {
      name, type: 'conv', kernel, bias: bias.values, affine: null, foldNote: null, stride: [1, 1], pad: 'same',
    }, { k: kernel, b: bias }, (x, T) => tf.add(tf.conv2d(x, T.k, [1, 1], 'same'), T.b)));
  };

  pointwise('Conv2d_0_pointwise', 'MobilenetV1/Conv2d_0_pointwise', 2);
  for (let i = 1; i <= 13; i++) {
    depthwise(`Conv2d_${i}_depthwise`, `MobilenetV1/Conv2d_${i}_depthwise`, [2, 4, 6, 12].includes(i) ? 2 : 1);
    pointwise(`Conv2d_${i}_pointwise`, `MobilenetV1/Conv2d_${i}_pointwise`, 1);
  }
  for (let i = 0; i <= 7; i++) pointwise(`Prediction.Conv2d_${i}_pointwise`, `Prediction/Conv2d_${i}_pointwise`, i % 2 ? 2 : 1);
  for (let i = 0; i <= 5; i++) {
    plain(`BoxPredictor_${i}.BoxEncodingPredictor`, `Prediction/BoxPredictor_${i}/BoxEncodingPredictor`);
    plain(`BoxPredictor_${i}.ClassPredictor`, `Prediction/BoxPredictor_${i}/ClassPredictor`);
  }
  const anchors = w('Output/extra_dim'); // [1, 5118, 4]

  // SsdMobilenetv1.forwardInput after preprocessing: mobileNetV1, predictionLayer, outputLayer.
  function forward(x, run) {
    const relu6 = (t) => tf.clipByValue(t, 0, 6);
    let out = relu6(run('Conv2d_0_pointwise', x));
    let conv11 = null;
    for (let i = 1; i <= 13; i++) {
      out = relu6(run(`Conv2d_${i}_depthwise`, out));
      out = relu6(run(`Conv2d_${i}_pointwise`, out));
      if (i === 11) conv11 = out;
    }
    const convs = [];
    let p = out;
    for (let i = 0; i <= 7; i++) {
      p = relu6(run(`Prediction.Conv2d_${i}_pointwise`, p));
      convs.push(p);
    }
    const N = x.shape[0];
    const feeds = [conv11, out, convs[1], convs[3], convs[5], convs[7]];
    const boxParts = [];
    const classParts = [];
    feeds.forEach((f, i) => {
      boxParts.push(tf.reshape(run(`BoxPredictor_${i}.BoxEncodingPredictor`, f), [N, -1, 1, 4]));
      classParts.push(tf.reshape(run(`BoxPredictor_${i}.ClassPredictor`, f), [N, -1, 3]));
    });
    const boxPredictions = tf.concat(boxParts, 1);
    const classPredictions = tf.concat(classParts, 1);
    return outputLayer(boxPredictions, classPredictions, N);
  }

  // face-api outputLayer.ts: decode box encodings against the anchors, sigmoid class scores.
  function outputLayer(boxPredictions, classPredictions, N) {
    const a = tf.tensor(anchors.values, anchors.shape);
    const x0 = tf.reshape(tf.tile(a, [N, 1, 1]), [-1, 4]);
    const x1 = tf.reshape(boxPredictions, [-1, 4]);
    const v0 = tf.unstack(tf.transpose(x0, [1, 0]));
    const sizes = [tf.sub(v0[2], v0[0]), tf.sub(v0[3], v0[1])];
    const centers = [tf.add(v0[0], tf.div(sizes[0], 2)), tf.add(v0[1], tf.div(sizes[1], 2))];
    const v = tf.unstack(tf.transpose(x1, [1, 0]));
    const div0 = tf.div(tf.mul(tf.exp(tf.div(v[2], 5)), sizes[0]), 2);
    const add0 = tf.add(tf.mul(tf.div(v[0], 10), sizes[0]), centers[0]);
    const div1 = tf.div(tf.mul(tf.exp(tf.div(v[3], 5)), sizes[1]), 2);
    const add1 = tf.add(tf.mul(tf.div(v[1], 10), sizes[1]), centers[1]);
    let boxes = tf.transpose(tf.stack([tf.sub(add0, div0), tf.sub(add1, div1), tf.add(add0, div0), tf.add(add1, div1)]), [1, 0]);
    boxes = tf.reshape(boxes, [N, boxes.shape[0] / N, 4]);
    const scoresAndClasses = tf.sigmoid(tf.slice(classPredictions, [0, 0, 1], [-1, -1, -1]));
    let scores = tf.slice(scoresAndClasses, [0, 0, 0], [-1, -1, 1]);
    scores = tf.reshape(scores, [N, scores.shape[1]]);
    return { boxes, scores };
  }
  return { specs, forward };
}

function buildResnet29(tf, weights) {
  const w = getter(weights);
  const specs = [];
  // face-api faceRecognitionNet convLayer: conv2d + bias, then scale layer (x * weights + biases).
  const conv = (name, prefix, stride, padding) => {
    const kernel = w(`${prefix}/conv/filters`);
    const bias = w(`${prefix}/conv/bias`);
    const sw = w(`${prefix}/scale/weights`);
    const sb = w(`${prefix}/scale/biases`);
    const affine = { mult: Float64Array.from(sw.values), add: Float64Array.from(sb.values) };
    specs.push(withRef(tf, {
      name, type: 'conv', kernel, bias: bias.values, affine, foldNote: `scale layer ${prefix}/scale (x * weights + biases)`,
      stride: [stride, stride], pad: padding,
    }, { k: kernel, b: bias, sw, sb }, (x, T) => tf.add(tf.mul(tf.add(tf.conv2d(x, T.k, [stride, stride], padding), T.b), T.sw), T.sb)));
  };
  const blocks = [
    ['conv32_1', false], ['conv32_2', false], ['conv32_3', false],
    ['conv64_down', true], ['conv64_1', false], ['conv64_2', false], ['conv64_3', false],
    ['conv128_down', true], ['conv128_1', false], ['conv128_2', false],
    ['conv256_down', true], ['conv256_1', false], ['conv256_2', false], ['conv256_down_out', true],
  ];
  conv('conv32_down', 'conv32_down', 2, 'valid');
  for (const [b, down] of blocks) {
    conv(`${b}.conv1`, `${b}/conv1`, down ? 2 : 1, down ? 'valid' : 'same');
    conv(`${b}.conv2`, `${b}/conv2`, 1, 'same');
  }
  const fc = w('fc'); // [256, 128], no bias
  specs.push({ name: 'fc', type: 'fc', kernel: fc, bias: null, affine: null, foldNote: null });

  // FaceRecognitionNet.forwardInput after preprocessing (residualLayer.ts for the blocks).
  function forward(x, run) {
    let out = tf.relu(run('conv32_down', x));
    out = tf.maxPool(out, 3, 2, 'valid');
    for (const [b, down] of blocks) {
      let y = tf.relu(run(`${b}.conv1`, out));
      y = run(`${b}.conv2`, y);
      if (!down) {
        out = tf.relu(tf.add(y, out));
        continue;
      }
      let pooled = tf.avgPool(out, 2, 2, 'valid');
      const zeros = tf.zeros(pooled.shape);
      if (pooled.shape[1] !== y.shape[1] || pooled.shape[2] !== y.shape[2]) {
        const sx = [...y.shape];
        sx[1] = 1;
        y = tf.concat([y, tf.zeros(sx)], 1);
        const sy = [...y.shape];
        sy[2] = 1;
        y = tf.concat([y, tf.zeros(sy)], 2);
      }
      if (pooled.shape[3] !== y.shape[3]) pooled = tf.concat([pooled, zeros], 3);
      out = tf.relu(tf.add(pooled, y));
    }
    const globalAvg = tf.mean(out, [1, 2]);
    return run('fc', globalAvg);
  }
  return { specs, forward };
}

function source(what) {
  return `@vladmandic/face-api@${PKG_VERSION} (MIT, npm) ${what}; ` +
    'run with @tensorflow/tfjs@4.22.0 CPU backend; BatchNorm / scale layers folded by the qasim tracer';
}

function disposer(specs) {
  return () => specs.forEach((s) => s.disposeRef && s.disposeRef());
}

const ssd = {
  id: 'mobilenetv1-ssd',
  description: 'face-api SSD face detector (512x512): MobileNetV1 1.0 backbone + SSD prediction layers and box predictors',
  async load(tf) {
    const weights = readManifest('ssd_mobilenetv1_model');
    const net = buildSsd(tf, weights);
    return {
      yamlName: 'mobilenetv1-ssd-faceapi',
      source: source('model/ssd_mobilenetv1_model.bin: SSD with a MobileNetV1 1.0 backbone, 512x512, x/127.5 - 1, 5118 anchors; uint8 weights'),
      header: `${this.description}\n27 backbone convs (13 depthwise), 8 extra feature convs, 6 x 2 box/class predictor convs;\n` +
        'pointwise convs carry their BatchNorm already folded (bias = convolution_bn_offset); depthwise BatchNorm folded here',
      specs: net.specs,
      forward: net.forward,
      // face-api NetInput.toBatchTensor(512, isCenterInputs = false): zero-pad to a square at the
      // bottom/right, bilinear resize (alignCorners = false) to 512x512; then x / 127.5 - 1.
      preprocess(img) {
        return tf.tidy(() => {
          let x = tf.cast(tf.expandDims(img), 'float32');
          const [h, wd] = img.shape;
          if (h !== wd) {
            const d = Math.abs(h - wd);
            x = tf.pad(x, h > wd ? [[0, 0], [0, 0], [0, d], [0, 0]] : [[0, 0], [0, d], [0, 0], [0, 0]]);
          }
          if (x.shape[1] !== 512 || x.shape[2] !== 512) x = tf.image.resizeBilinear(x, [512, 512], false, false);
          return tf.sub(tf.div(x, 127.5), 1);
        });
      },
      interpret(out) {
        const scores = out.scores.arraySync();
        const boxes = out.boxes.arraySync();
        return scores.map((s, n) => ({ scores: Float32Array.from(s), boxes: boxes[n] }));
      },
      // face-api's own forward (SsdMobilenetv1.forward) on the same image: boxes and scores.
      async reference(img) {
        const n = await faceapiNet('ssdMobilenetv1');
        const r = await n.forward(img);
        const res = { scores: r.scores[0].dataSync().slice(), boxes: r.boxes[0].arraySync(), imageShape: img.shape };
        r.scores.forEach((t) => t.dispose());
        r.boxes.forEach((t) => t.dispose());
        return res;
      },
      // Pass: same best anchor, every anchor's score within tol and box within boxTol.
      compare(traced, ref, tol = 1e-5, boxTol = 1e-4) {
        let ds = 0;
        let db = 0;
        let best = 0;
        let refBest = 0;
        for (let i = 0; i < ref.scores.length; i++) {
          ds = Math.max(ds, Math.abs(traced.scores[i] - ref.scores[i]));
          for (let j = 0; j < 4; j++) db = Math.max(db, Math.abs(traced.boxes[i][j] - ref.boxes[i][j]));
          if (traced.scores[i] > traced.scores[best]) best = i;
          if (ref.scores[i] > ref.scores[refBest]) refBest = i;
        }
        // Box [ymin, xmin, ymax, xmax] relative to the bottom/right-padded square, in pixels as
        // face-api's locateFaces reports it.
        const side = Math.max(ref.imageShape[0], ref.imageShape[1]);
        const px = (b) => `x ${(b[1] * side).toFixed(0)} y ${(b[0] * side).toFixed(0)} ` +
          `w ${((b[3] - b[1]) * side).toFixed(0)} h ${((b[2] - b[0]) * side).toFixed(0)} px`;
        return {
          pass: best === refBest && ds <= tol && db <= boxTol,
          maxDiff: ds,
          lines: [
            `traced  : best anchor ${best} score ${traced.scores[best].toFixed(6)} box ${px(traced.boxes[best])}`,
            `face-api: best anchor ${refBest} score ${ref.scores[refBest].toFixed(6)} box ${px(ref.boxes[refBest])}`,
            `all ${ref.scores.length} anchors: max |d score| = ${ds.toExponential(2)} (tolerance ${tol}), ` +
              `max |d box| = ${db.toExponential(2)} (tolerance ${boxTol})`,
          ],
        };
      },
      dispose: disposer(net.specs),
    };
  },
};

const resnet29 = {
  id: 'resnet29-face',
  description: 'face-api face recognition ResNet-29 (150x150, 128-d embedding; "ResNet-34 like", the dlib face recognition net per face-api TUTORIAL.md)',
  async load(tf) {
    const weights = readManifest('face_recognition_model');
    const net = buildResnet29(tf, weights);
    return {
      yamlName: 'resnet29-face-faceapi',
      source: source('model/face_recognition_model.bin: ResNet-29 face descriptor, 150x150, (x - mean RGB) / 255, 128-d output; uint8 and float32 weights'),
      header: `${this.description}\n29 convs (7x7/2 stem, 14 residual blocks of two 3x3 convs) + fc 256->128;\n` +
        'each conv is followed by a scale layer (x * w + b, per channel) that is folded into it here',
      specs: net.specs,
      forward: net.forward,
      // face-api NetInput.toBatchTensor(150, isCenterInputs = true): zero-pad to a square, the
      // larger half (rounded) after the image; bilinear resize to 150x150; minus mean RGB, / 255.
      preprocess(img) {
        return tf.tidy(() => {
          let x = tf.cast(tf.expandDims(img), 'float32');
          const [h, wd] = img.shape;
          if (h !== wd) {
            const d = Math.abs(h - wd);
            const after = Math.round(d * 0.5);
            const before = d - after;
            x = tf.pad(x, h > wd ? [[0, 0], [0, 0], [before, after], [0, 0]] : [[0, 0], [before, after], [0, 0], [0, 0]]);
          }
          if (x.shape[1] !== 150 || x.shape[2] !== 150) x = tf.image.resizeBilinear(x, [150, 150], false, false);
          const mean = tf.concat([122.782, 117.001, 104.298].map((m) => tf.fill([...x.shape.slice(0, 3), 1], m, 'float32')), 3);
          return tf.div(tf.sub(x, mean), 255);
        });
      },
      interpret(out) {
        return out.arraySync().map((row) => Float32Array.from(row));
      },
      // face-api's own FaceRecognitionNet.computeFaceDescriptor on the same image.
      async reference(img) {
        const n = await faceapiNet('faceRecognitionNet');
        return n.computeFaceDescriptor(img);
      },
      compare(traced, ref, tol = 1e-5) {
        let d = 0;
        let dist2 = 0;
        let norm2 = 0;
        for (let i = 0; i < ref.length; i++) {
          d = Math.max(d, Math.abs(traced[i] - ref[i]));
          dist2 += (traced[i] - ref[i]) ** 2;
          norm2 += ref[i] ** 2;
        }
        const head = (v) => Array.from(v.slice(0, 4), (x) => x.toFixed(6)).join(', ');
        return {
          pass: d <= tol,
          maxDiff: d,
          lines: [
            `traced  : embedding [${head(traced)}, ...] (128-d)`,
            `face-api: embedding [${head(ref)}, ...] |e| = ${Math.sqrt(norm2).toFixed(6)}`,
            `max |d| = ${d.toExponential(2)}, euclidean distance ${Math.sqrt(dist2).toExponential(2)} (tolerance ${tol}; ` +
              'face-api matches faces below 0.6)',
          ],
        };
      },
      dispose: disposer(net.specs),
    };
  },
};

module.exports = { ssd, resnet29 };
