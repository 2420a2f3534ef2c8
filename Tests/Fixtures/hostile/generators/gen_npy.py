import os, struct
def write(path, descr, shape, fortran, body, major=1):
    h = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    pre = 10 if major==1 else 12
    total = ((pre + len(h) + 1 + 63)//64)*64
    h = h + ' '*(total - pre - len(h) - 1) + '\n'
    if major==1: hdr = b'\x93NUMPY\x01\x00' + struct.pack('<H', len(h))
    else: hdr = b'\x93NUMPY\x02\x00' + struct.pack('<I', len(h))
    open(path,'wb').write(hdr + h.encode() + body)
F = open('npy/F.npy','rb').read()[128:]
I = open('npy/iscell.npy','rb').read()[128:]
cases = {
 'F-1e12x1e6': ('<f4', '(1000000000000, 1000000)'),
 'F-2p62x2': ('<f4', '(%d, 2)' % 2**62),
 'F-2p63x1': ('<f4', '(%d, 1)' % 2**63),
 'F-2p64x1': ('<f4', '(%d, 1)' % 2**64),
 'F-40x1e12': ('<f4', '(40, 1000000000000)'),
 'F-1e6x2000': ('<f4', '(1000000, 2000)'),
 'F-neg': ('<f4', '(-40, 2000)'),
 'F-3d-huge': ('<f4', '(40, 2000, 1000000000)'),
 'F-0x2000': ('<f4', '(0, 2000)'),
 'F-40x0': ('<f4', '(40, 0)'),
 'F-prod-overflow': ('<f4', '(4294967296, 4294967296)'),
 'F-descr-huge-itemsize': ('<V1000000000', '(40, 2000)'),
 'F-descr-U': ('<U1000000000', '(40, 2000)'),
}
for n,(d,s) in cases.items():
    os.makedirs(f'npy/{n}', exist_ok=True)
    write(f'npy/{n}/F.npy', d, s, False, F)
    open(f'npy/{n}/iscell.npy','wb').write(open('npy/iscell.npy','rb').read())
# iscell huge
os.makedirs('npy/iscell-huge', exist_ok=True)
open('npy/iscell-huge/F.npy','wb').write(open('npy/F.npy','rb').read())
write('npy/iscell-huge/iscell.npy', '<f8', '(1000000000000, 2)', False, I)
# header length huge (v2 with 4GB header length)
os.makedirs('npy/hdrlen-huge', exist_ok=True)
b = bytearray(open('npy/F.npy','rb').read()); b[6]=2; b[7]=0
b = b[:8] + struct.pack('<I', 0xfffffff0) + b[10:]
open('npy/hdrlen-huge/F.npy','wb').write(b)
open('npy/hdrlen-huge/iscell.npy','wb').write(open('npy/iscell.npy','rb').read())
