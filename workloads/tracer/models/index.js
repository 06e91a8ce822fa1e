'use strict';
// The networks the tracer knows, by CLI name.
const nsfwjs = require('./nsfwjs');
const faceapi = require('./faceapi');

const NETWORKS = {
  mobilenetv2: nsfwjs.mobilenetv2,
  'mobilenetv1-ssd': faceapi.ssd,
  'resnet29-face': faceapi.resnet29,
  inceptionv3: nsfwjs.inceptionv3,
};

module.exports = { NETWORKS };
