#!/usr/bin/env python3
"""Write the .npy fixtures of the CLI tests (no numpy needed; the bytes are what
np.save writes for C-order little-endian arrays). Re-run to regenerate."""
import math, random, struct

def save(path, shape, values, descr='<f4'):
    fmt = {'<f4': 'f', '<f8': 'd'}[descr]
    shp = '(' + ', '.join(str(d) for d in shape) + (',)' if len(shape) == 1 else ')')
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shp)
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + ' ' * pad + '\n'
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode())
        f.write(struct.pack('<%d%s' % (len(values), fmt), *values))

rnd = random.Random(7)
n = 3 * 8 * 8
save('conv1_act.npy', (1, 3, 8, 8), [max(0.0, rnd.gauss(0, 1)) for _ in range(n)])
save('conv1_wgt.npy', (4, 3, 3, 3), [rnd.gauss(0, 0.3) for _ in range(4 * 27)])
save('bad_shape_wgt.npy', (4, 3, 2, 2), [0.5] * 48)
vals = [0.25] * (4 * 27)
vals[5] = math.nan
save('nan_wgt.npy', (4, 3, 3, 3), vals)
