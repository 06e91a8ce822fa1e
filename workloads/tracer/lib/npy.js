'use strict';
// NumPy .npy v1.0 files: a small writer and reader for little-endian float32 ('<f4'), float64
// ('<f8') and int32 ('<i4') arrays in C order. Format: magic "\x93NUMPY", version 1.0, a uint16 header
// length, then a Python dict literal {'descr', 'fortran_order', 'shape'} padded with spaces and
// ending in '\n' so that the data starts at a multiple of 64 bytes.
const fs = require('fs');

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const DESCR = { float32: '<f4', float64: '<f8', int32: '<i4' };

function shapeLiteral(shape) {
  // Python tuple syntax: () for a scalar, (n,) for one dimension, (a, b) otherwise.
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

// Encodes `data` (Float32Array, Float64Array or Int32Array, C order) with `shape` as .npy bytes.
// Throws if the element count does not match the shape or the array type is unsupported.
function encodeNpy(data, shape) {
  const kind = data instanceof Float32Array ? 'float32' : data instanceof Float64Array ? 'float64'
    : data instanceof Int32Array ? 'int32' : null;
  if (!kind) throw new Error('npy: only Float32Array, Float64Array and Int32Array are supported');
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(`npy: shape ${shapeLiteral(shape)} holds ${count} values, data has ${data.length}`);
  }
  let header = `{'descr': '${DESCR[kind]}', 'fortran_order': False, 'shape': ${shapeLiteral(shape)}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1; // magic, version, HEADER_LEN, header, '\n'
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const pre = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(pre, 0);
  pre[6] = 1; // major version
  pre[7] = 0; // minor version
  pre.writeUInt16LE(header.length, 8);
  // TypedArrays are in host byte order; every platform node runs on here is little-endian.
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), body]);
}

// Writes `data` with `shape` to `path`; returns the number of bytes written.
function writeNpy(path, data, shape) {
  const bytes = encodeNpy(data, shape);
  fs.writeFileSync(path, bytes);
  return bytes.length;
}

// Reads a v1.0/v2.0 '<f4', '<f8' or '<i4' C-order .npy file. Returns {data, shape, descr, headerLen}.
// Throws with the file name on any format problem.
function readNpy(path) {
  const buf = fs.readFileSync(path);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new Error(`${path}: not a .npy file`);
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shapeM = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeM) throw new Error(`${path}: bad .npy header ${header}`);
  if (fortran[1] !== 'False') throw new Error(`${path}: fortran_order arrays are not supported`);
  const shape = shapeM[1].split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const off = start + hlen;
  const bytes = buf.subarray(off);
  const copy = new Uint8Array(bytes); // aligned copy
  let data;
  if (descr[1] === '<f4') data = new Float32Array(copy.buffer);
  else if (descr[1] === '<f8') data = new Float64Array(copy.buffer);
  else if (descr[1] === '<i4') data = new Int32Array(copy.buffer);
  else throw new Error(`${path}: unsupported descr ${descr[1]}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`${path}: shape ${shapeM[1]} but ${data.length} values`);
  return { data, shape, descr: descr[1], headerLen: off };
}

module.exports = { encodeNpy, writeNpy, readNpy };
