'use strict';
// Writing qasim network files (net.yaml, format in workloads/README.md): name, source, batch and
// one entry per conv / dwconv / fc layer with its geometry and trace file names.

function quote(s) {
  return `"${String(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// Plain scalar when safe, else double-quoted.
function scalar(s) {
  return /^[A-Za-z_][A-Za-z0-9_.\-]*$/.test(s) ? s : quote(s);
}

function flow(a) {
  return `[${a.join(', ')}]`;
}

// Comment lines: every line of `text` prefixed with `indent# `.
function comment(text, indent) {
  return text.split('\n').map((l) => `${indent}# ${l}`.trimEnd()).join('\n') + '\n';
}

// Renders the YAML text. `net` = {name, source, batch, header (comment text), layers: [{name,
// type, input ([C,H,W] or features), filters | outputs, kernel [R,S], stride [sh,sw], padding
// [t,b,l,r], groups, trace {act, wgt, bias, out, wgt_codes?, wgt_scale?}, note (comment text)}]}.
function renderNetYaml(net) {
  let y = '';
  if (net.header) y += comment(net.header, '');
  y += `name: ${scalar(net.name)}\n`;
  y += `source: ${quote(net.source)}\n`;
  y += `batch: ${net.batch}\n`;
  y += 'layers:\n';
  for (const l of net.layers) {
    if (l.note) y += comment(l.note, '  ');
    y += `  - name: ${scalar(l.name)}\n`;
    y += `    type: ${l.type}\n`;
    if (l.type === 'fc') {
      y += `    input: ${l.features}\n`;
      y += `    outputs: ${l.outputs}\n`;
    } else {
      y += `    input: ${flow(l.input)}\n`;
      y += `    filters: ${l.filters}\n`;
      y += `    kernel: ${l.kernel[0] === l.kernel[1] ? l.kernel[0] : flow(l.kernel)}\n`;
      y += `    stride: ${l.stride[0] === l.stride[1] ? l.stride[0] : flow(l.stride)}\n`;
      y += `    padding: ${flow(l.padding)}\n`;
      y += `    groups: ${l.groups}\n`;
    }
    y += '    trace:\n';
    for (const key of ['act', 'wgt', 'bias', 'out', 'wgt_codes', 'wgt_scale']) {
      if (l.trace[key]) y += `      ${key}: ${l.trace[key]}\n`;
    }
  }
  return y;
}

module.exports = { renderNetYaml };

// Reads back a net.yaml written by renderNetYaml (this exact subset of YAML: top-level scalars,
// a `layers:` list of maps with scalar / flow-list values and a nested `trace:` map; comments).
// Returns {name, source, batch, layers: [{name, type, input, filters, outputs, kernel, stride,
// padding, groups, trace}]}. Used by the tests; qasim itself has its own full YAML reader.
function parseNetYaml(text) {
  const value = (v) => {
    v = v.trim();
    if (v.startsWith('"')) return JSON.parse(v);
    if (v.startsWith('[')) return v.slice(1, -1).split(',').map((s) => value(s));
    return /^-?\d+$/.test(v) ? Number(v) : v;
  };
  const net = { layers: [] };
  let layer = null;
  let inTrace = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (!line.trim()) continue;
    const m = /^(\s*)(- )?([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (!m) throw new Error(`net.yaml: cannot read line '${raw}'`);
    const [, indent, dash, key, val] = m;
    if (indent.length === 0) {
      if (key !== 'layers') net[key] = value(val);
    } else if (dash) {
      layer = { trace: {} };
      net.layers.push(layer);
      layer[key] = value(val);
      inTrace = false;
    } else if (key === 'trace') {
      inTrace = true;
    } else if (inTrace && indent.length > 4) {
      layer.trace[key] = value(val);
    } else {
      inTrace = false;
      layer[key] = value(val);
    }
  }
  return net;
}

module.exports.parseNetYaml = parseNetYaml;
