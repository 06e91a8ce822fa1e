'use strict';
// An interpreter for Keras functional-model topologies as stored by TensorFlow.js (model.json
// "modelTopology"), executing conv / depthwise conv / dense layers through the tracer and every
// other layer (ReLU, Add, pooling, Concatenate, Flatten, Dropout, ...) with the same tfjs ops
// tfjs-layers uses. At build time it folds each BatchNormalization into the conv it directly
// follows and absorbs a ZeroPadding2D into the 'valid' convs it feeds (their padding becomes
// explicit), so a layer's recorded input is the unpadded tensor.
const { bnAffine } = require('../lib/fold');

const MAC_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'Dense']);

function pair(v) {
  return Array.isArray(v) ? v.slice(0, 2) : [v, v];
}

// Keras ZeroPadding2D 'padding' (int | [h, w] | [[t, b], [l, r]]) as [t, b, l, r].
function zeroPad4(p) {
  if (typeof p === 'number') return [p, p, p, p];
  if (typeof p[0] === 'number') return [p[0], p[0], p[1], p[1]];
  return [p[0][0], p[0][1], p[1][0], p[1][1]];
}

function activation(tf, name, x) {
  switch (name || 'linear') {
    case 'linear': return x;
    case 'relu': return tf.relu(x);
    case 'relu6': return tf.relu6(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'tanh': return tf.tanh(x);
    case 'softmax': return tf.softmax(x);
    default: throw new Error(`keras: unsupported activation '${name}'`);
  }
}

// Builds an executable network from `topology` (modelTopology of a tfjs layers model) and
// `weights` (weights.js records by name). Returns {specs, forward(x, run), source notes}.
// Throws on a layer class or configuration it cannot reproduce exactly.
function buildKerasNet(tf, topology, weights) {
  const cfg = topology.model_config.config;
  const layers = cfg.layers;
  const byName = new Map(layers.map((l) => [l.name, l]));
  const inputsOf = (l) => (l.inbound_nodes.length ? l.inbound_nodes[0].map((n) => n[0]) : []);
  const consumers = new Map(layers.map((l) => [l.name, []]));
  for (const l of layers) for (const i of inputsOf(l)) consumers.get(i).push(l.name);
  const w = (name) => {
    const r = weights[name];
    if (!r) throw new Error(`keras: weight '${name}' missing from the manifest`);
    return r;
  };

  const folded = new Map(); // BN layer name -> conv layer name it is folded into
  const absorbed = new Set(); // ZeroPadding2D layers absorbed into their consumers
  const specs = [];
  const kept = []; // tensors of the unfolded reference computation, kept for the whole run
  const keep = (t) => { kept.push(tf.keep(t)); return t; };

  for (const l of layers) {
    if (!MAC_CLASSES.has(l.class_name)) continue;
    const c = l.config;
    const type = l.class_name === 'Dense' ? 'fc' : l.class_name === 'Conv2D' ? 'conv' : 'dwconv';
    if (type !== 'fc') {
      if (pair(c.dilation_rate || 1).some((d) => d !== 1)) throw new Error(`keras: ${l.name}: dilation unsupported`);
      if (c.data_format && c.data_format !== 'channels_last') throw new Error(`keras: ${l.name}: ${c.data_format}`);
      if (type === 'conv' && c.groups && c.groups !== 1) throw new Error(`keras: ${l.name}: grouped conv unsupported`);
    }
    const kernel = w(`${l.name}/${type === 'dwconv' ? 'depthwise_kernel' : 'kernel'}`);
    const bias = c.use_bias ? w(`${l.name}/bias`).values : null;

    // BatchNormalization directly after the layer, consuming only its output: fold it.
    const cons = consumers.get(l.name);
    let affine = null;
    let foldNote = null;
    let bn = null;
    if (cons.length === 1 && byName.get(cons[0]).class_name === 'BatchNormalization') {
      bn = byName.get(cons[0]);
      const bc = bn.config;
      if (![-1, 3].includes(bc.axis)) throw new Error(`keras: ${bn.name}: axis ${bc.axis} unsupported`);
      if ((c.activation || 'linear') !== 'linear') throw new Error(`keras: ${l.name}: activation before BatchNormalization`);
      const p = {
        gamma: bc.scale ? w(`${bn.name}/gamma`).values : null,
        beta: bc.center ? w(`${bn.name}/beta`).values : null,
        mean: w(`${bn.name}/moving_mean`).values,
        variance: w(`${bn.name}/moving_variance`).values,
        eps: bc.epsilon,
      };
      affine = bnAffine(p);
      foldNote = `BatchNormalization ${bn.name} (epsilon ${bc.epsilon}${bc.scale ? '' : ', no gamma'}${bc.center ? '' : ', no beta'})`;
      folded.set(bn.name, l.name);
      bn.bnParams = p;
    }

    // A ZeroPadding2D feeding only 'valid' convs becomes their explicit padding.
    let input = inputsOf(l)[0];
    let extraPad = null;
    const src = byName.get(input);
    if (type !== 'fc' && src.class_name === 'ZeroPadding2D') {
      const allValid = consumers.get(src.name).every((n) => {
        const k = byName.get(n);
        return (k.class_name === 'Conv2D' || k.class_name === 'DepthwiseConv2D') && k.config.padding === 'valid';
      });
      if (allValid) {
        extraPad = zeroPad4(src.config.padding);
        absorbed.add(src.name);
        input = inputsOf(src)[0];
      }
    }

    const spec = {
      name: l.name, type, kernel, bias, affine, foldNote, extraPad, input,
      stride: type === 'fc' ? null : pair(c.strides), pad: type === 'fc' ? null : c.padding,
      activation: bn ? 'linear' : (c.activation || 'linear'),
      bnName: bn ? bn.name : null,
    };
    // The package's own unfolded computation (tfjs-layers ops) for the folding check.
    let refT = null;
    spec.ref = (x) => {
      if (!refT) {
        refT = {
          k: keep(tf.tensor(kernel.values, kernel.shape)),
          b: bias ? keep(tf.tensor1d(bias)) : null,
          bn: bn ? Object.fromEntries(Object.entries(bn.bnParams).filter(([k, v]) => k !== 'eps' && v)
            .map(([k, v]) => [k, keep(tf.tensor1d(v))])) : null,
        };
      }
      let y;
      if (type === 'fc') y = tf.matMul(x, refT.k);
      else {
        const xp = extraPad ? tf.pad(x, [[0, 0], [extraPad[0], extraPad[1]], [extraPad[2], extraPad[3]], [0, 0]]) : x;
        y = type === 'conv' ? tf.conv2d(xp, refT.k, spec.stride, c.padding) : tf.depthwiseConv2d(xp, refT.k, spec.stride, c.padding);
      }
      if (refT.b) y = tf.add(y, refT.b);
      if (refT.bn) {
        const q = refT.bn;
        y = tf.batchNorm(y, q.mean, q.variance, q.beta || undefined, q.gamma || undefined, bn.bnParams.eps);
      }
      return y;
    };
    specs.push(spec);
  }
  const specByName = new Map(specs.map((s) => [s.name, s]));
  const outputs = cfg.output_layers.map((o) => o[0]);
  if (outputs.length !== 1) throw new Error('keras: only single-output models are supported');

  // Runs the network on x (NHWC float32); `run(name, x)` executes a MAC layer. Returns the
  // model output tensor.
  function forward(x, run) {
    const v = new Map();
    for (const l of layers) {
      const c = l.config;
      const ins = inputsOf(l).map((n) => v.get(n));
      const x0 = ins[0];
      let y;
      switch (l.class_name) {
        case 'InputLayer': y = x; break;
        case 'Conv2D': case 'DepthwiseConv2D': case 'Dense': {
          const s = specByName.get(l.name);
          y = activation(tf, s.activation, run(l.name, v.get(s.input)));
          break;
        }
        case 'BatchNormalization':
          if (!folded.has(l.name)) throw new Error(`keras: ${l.name}: BatchNormalization not after a conv`);
          y = x0;
          break;
        case 'ZeroPadding2D':
          if (absorbed.has(l.name)) continue; // its consumers read its input directly
          y = tf.pad(x0, (([t, b, le, r]) => [[0, 0], [t, b], [le, r], [0, 0]])(zeroPad4(c.padding)));
          break;
        case 'ReLU':
          if ((c.negative_slope || 0) !== 0 || (c.threshold || 0) !== 0) throw new Error(`keras: ${l.name}: leaky/threshold ReLU`);
          y = tf.relu(x0);
          if (c.max_value !== null && c.max_value !== undefined) y = tf.clipByValue(y, 0, c.max_value);
          break;
        case 'Activation': y = activation(tf, c.activation, x0); break;
        case 'Add': y = ins.slice(1).reduce((a, b) => tf.add(a, b), x0); break;
        case 'Concatenate': y = tf.concat(ins, c.axis === -1 ? 3 : c.axis); break;
        case 'AveragePooling2D': y = tf.avgPool(x0, pair(c.pool_size), pair(c.strides || c.pool_size), c.padding); break;
        case 'MaxPooling2D': y = tf.maxPool(x0, pair(c.pool_size), pair(c.strides || c.pool_size), c.padding); break;
        case 'GlobalAveragePooling2D': y = tf.mean(x0, [1, 2]); break;
        case 'Flatten': y = tf.reshape(x0, [x0.shape[0], -1]); break;
        case 'Dropout': y = x0; break; // inference
        default: throw new Error(`keras: layer class ${l.class_name} (${l.name}) unsupported`);
      }
      v.set(l.name, y);
    }
    return v.get(outputs[0]);
  }

  function dispose() {
    for (const t of kept) t.dispose();
    kept.length = 0;
  }

  const counts = {};
  for (const l of layers) counts[l.class_name] = (counts[l.class_name] || 0) + 1;
  return { specs, forward, dispose, layerCounts: counts, foldedBN: folded.size, absorbedPads: absorbed.size };
}

module.exports = { buildKerasNet };
