#!/usr/bin/env node
'use strict';
// qasim trace tool: runs a real pretrained CNN (TensorFlow.js, pure-JS CPU backend, weights from
// node_modules, offline) on photos and writes a trace directory qasim can simulate: net.yaml plus
// per-layer .npy files (see README.md).
//
//   node trace.js --list
//   node trace.js --net mobilenetv2 --image chelsea.png --out DIR [--check] [--codes]
const { traceNetwork } = require('./lib/run');
const { NETWORKS } = require('./models');

const USAGE = `usage: node trace.js --net NAME --image PATH [--image PATH ...] [--out DIR] [--check] [--no-codes]
       node trace.js --list
  --net NAME    network to trace (--list shows them)
  --image PATH  PNG or JPEG photo; several give a batch
  --out DIR     trace directory to write (net.yaml, *.npy, summary.json); without it nothing is written
  --check       compare the traced network's prediction with the package's own API and check BN folding
  --no-codes    do not write integer weight codes; by default, where the package stores uint8 codes,
                wgt_codes (q - zp) and a float64 per-channel wgt_scale are written and the weights are
                float32(codes * scale), within 1 ulp of the plain fold (--codes: the default, accepted)`;

function parseArgs(argv) {
  const a = { images: [], check: false, useCodes: true, list: false, net: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--net') a.net = val();
    else if (k === '--image') a.images.push(val());
    else if (k === '--out') a.out = val();
    else if (k === '--check') a.check = true;
    else if (k === '--codes') a.useCodes = true;
    else if (k === '--no-codes') a.useCodes = false;
    else if (k === '--list') a.list = true;
    else if (k === '-h' || k === '--help') a.help = true;
    else throw new Error(`unknown argument '${k}'`);
  }
  return a;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`trace.js: ${e.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.list) {
    for (const [id, m] of Object.entries(NETWORKS)) console.log(`${id.padEnd(16)} ${m.description}`);
    return 0;
  }
  if (!args.net || !args.images.length) {
    console.error(`trace.js: --net and --image are required\n${USAGE}`);
    return 2;
  }
  const s = await traceNetwork(args.net, args.images, args.out, {
    check: args.check, useCodes: args.useCodes, log: (m) => console.log(m),
  });
  console.log(`${s.name}: ${s.layers} layers, ${s.macs.toLocaleString('en-US')} MACs, ` +
    `${s.weights.toLocaleString('en-US')} weights, batch ${s.batch}`);
  if (args.out) console.log(`wrote ${args.out}/net.yaml and ${(s.traceBytes / 1e6).toFixed(1)} MB of traces`);
  if (s.check) for (const l of s.check.lines) console.log(l);
  console.log(`time: load ${s.seconds.load.toFixed(1)} s, trace ${s.seconds.trace.toFixed(1)} s` +
    `${s.check ? `, check ${s.seconds.check.toFixed(1)} s` : ''}, total ${s.seconds.total.toFixed(1)} s`);
  if (s.check) {
    console.log(`self-check: ${s.check.pass ? 'PASS' : 'FAIL'}`);
    return s.check.pass ? 0 : 1;
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(`trace.js: ${e.message}`);
  if (process.env.QASIM_TRACE_DEBUG) console.error(e.stack);
  process.exitCode = 1;
});
