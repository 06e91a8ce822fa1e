'use strict';
// One place that loads TensorFlow.js: @tensorflow/tfjs with its pure-JS CPU backend (no native
// addon, nothing downloaded). It also lets face-api's Node build, which asks for the native
// '@tensorflow/tfjs-node', run on this same pure-JS tfjs (the ops it uses are identical), so the
// traced networks and the packages' own forward passes share one tfjs engine.
const Module = require('module');

let tfPromise = null;

function installTfjsNodeAlias() {
  const load = Module._load;
  if (load.qasimAliased) return;
  const aliased = function (request, parent, isMain) {
    if (request === '@tensorflow/tfjs-node') request = '@tensorflow/tfjs';
    return load.call(this, request, parent, isMain);
  };
  aliased.qasimAliased = true;
  Module._load = aliased;
}

// Resolves to the tfjs module with the 'cpu' backend active. The first tensor write of the CPU
// backend prints a hint to install tfjs-node; that one message is muted.
function loadTf() {
  if (!tfPromise) {
    tfPromise = (async () => {
      installTfjsNodeAlias();
      const tf = require('@tensorflow/tfjs');
      await tf.setBackend('cpu');
      await tf.ready();
      const warn = console.warn;
      console.warn = () => {};
      try {
        tf.tidy(() => tf.scalar(0).dataSync());
      } finally {
        console.warn = warn;
      }
      return tf;
    })();
  }
  return tfPromise;
}

module.exports = { loadTf };
