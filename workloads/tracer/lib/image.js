'use strict';
// Decoding photos (PNG via pngjs, JPEG via jpeg-js; both pure JS) into RGB bytes.
const fs = require('fs');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

// Reads the PNG or JPEG file at `path`. Returns {width, height, rgb: Uint8Array(H*W*3)} in HWC
// order; alpha is dropped, grey images are expanded to RGB. Throws naming the file on failure.
function readImage(path) {
  const buf = fs.readFileSync(path);
  let img;
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    img = PNG.sync.read(buf); // RGBA, 8 bits per channel
  } else if (buf[0] === 0xff && buf[1] === 0xd8) {
    img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  } else {
    throw new Error(`${path}: not a PNG or JPEG file`);
  }
  const { width, height, data } = img;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    rgb[3 * i] = data[j];
    rgb[3 * i + 1] = data[j + 1];
    rgb[3 * i + 2] = data[j + 2];
  }
  return { width, height, rgb };
}

// The image as an int32 tf.Tensor3D [H, W, 3], like tf.node.decodeImage(buf, 3) would give.
function imageTensor(tf, img) {
  return tf.tensor3d(Int32Array.from(img.rgb), [img.height, img.width, 3], 'int32');
}

module.exports = { readImage, imageTensor };
