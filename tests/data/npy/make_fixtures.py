#!/usr/bin/env python3
"""Regenerate the .npy fixtures in this folder without needing numpy.

numpy was not installed when these were made, so this script builds the bytes
exactly as numpy.lib.format writes them (np.save / write_array in numpy >= 1.22):
magic b'\\x93NUMPY', version bytes, little-endian header length (uint16 for 1.0,
uint32 for 2.0), then "{'descr': ..., 'fortran_order': ..., 'shape': ..., }",
21 - len(repr(growth axis)) spare spaces (none for 0-d), then spaces and '\\n'
so that the data starts at a multiple of 64 bytes. With numpy available, the
same files come from (values as below):
  np.save('f4_2x3.npy', np.array([[0, 1.5, -2], [3.25, 100, -0.125]], '<f4'))
  np.save('i2_4.npy', np.array([-32768, -1, 0, 32767], '<i2'))
  np.save('f8_0d.npy', np.float64(np.pi))
  np.lib.format.write_array(open('u1_v2.npy', 'wb'), np.array([0, 1, 127, 128, 255], 'u1'), version=(2, 0))
  np.save('f4_fortran.npy', np.asfortranarray(np.array([[0, 1.5, -2], [3.25, 100, -0.125]], '<f4')))
  np.save('f4_bigendian.npy', np.array([1, 2, 3], '>f4'))
"""
import struct

ALIGN, GROWTH_DIGITS = 64, 21


def npy(descr, fortran, shape, data, version=(1, 0)):
    header = "{'descr': %r, 'fortran_order': %r, 'shape': %r, }" % (descr, fortran, shape)
    if shape:
        header += " " * (GROWTH_DIGITS - len(repr(shape[-1 if fortran else 0])))
    fmt = "<H" if version == (1, 0) else "<I"
    hlen = len(header) + 1
    pad = ALIGN - ((8 + struct.calcsize(fmt) + hlen) % ALIGN)
    return (b"\x93NUMPY" + bytes(version) + struct.pack(fmt, hlen + pad)
            + header.encode("latin1") + b" " * pad + b"\n" + data)


M = [[0, 1.5, -2], [3.25, 100, -0.125]]
files = {
    "f4_2x3.npy": npy("<f4", False, (2, 3), struct.pack("<6f", *(M[0] + M[1]))),
    "i2_4.npy": npy("<i2", False, (4,), struct.pack("<4h", -32768, -1, 0, 32767)),
    "f8_0d.npy": npy("<f8", False, (), struct.pack("<d", 3.141592653589793)),
    "u1_v2.npy": npy("|u1", False, (5,), bytes([0, 1, 127, 128, 255]), (2, 0)),
    "f4_fortran.npy": npy("<f4", True, (2, 3),
                          struct.pack("<6f", *[M[r][c] for c in range(3) for r in range(2)])),
    "f4_bigendian.npy": npy(">f4", False, (3,), struct.pack(">3f", 1, 2, 3)),
}
for name, blob in files.items():
    with open(name, "wb") as f:
        f.write(blob)
