import os
def field(s, w): 
    s = str(s).encode()
    assert len(s) <= w, (s, w)
    return s.ljust(w)
def make(src, dst, fn):
    b = bytearray(open(src,'rb').read())
    ns = int(b[252:256])
    fn(b, ns)
    open(dst,'wb').write(b)
def setf(b, off, w, val): b[off:off+w] = field(val, w)
# per-signal field offsets
widths = [('label',16),('trans',80),('dim',8),('pmin',8),('pmax',8),('dmin',8),('dmax',8),('pref',80),('spr',8),('res',32)]
def sig_off(ns, name, i):
    off = 256
    for n,w in widths:
        if n == name: return off + i*w, w
        off += ns*w
for ext in ['edf','bdf']:
    src = f'v/test.{ext}'
    V = {
     'records99999999': lambda b,ns: setf(b,236,8,'99999999'),
     'recordsneg': lambda b,ns: setf(b,236,8,'-5'),
     'records0': lambda b,ns: setf(b,236,8,'0'),
     'ns9999': lambda b,ns: setf(b,252,4,'9999'),
     'ns0': lambda b,ns: setf(b,252,4,'0'),
     'spr99999999': lambda b,ns: setf(b,*sig_off(ns,'spr',0),'99999999'),
     'sprneg': lambda b,ns: setf(b,*sig_off(ns,'spr',0),'-1'),
     'spr0all': lambda b,ns: [setf(b,*sig_off(ns,'spr',i),'0') for i in range(ns)],
     'dur0': lambda b,ns: setf(b,244,8,'0'),
     'dur-1': lambda b,ns: setf(b,244,8,'-1'),
     'dur1e-9': lambda b,ns: setf(b,244,8,'1e-9'),
     'dur1e30': lambda b,ns: setf(b,244,8,'1e30'),
     'durnan': lambda b,ns: setf(b,244,8,'nan'),
     'durinf': lambda b,ns: setf(b,244,8,'inf'),
     'dmineqdmax': lambda b,ns: (setf(b,*sig_off(ns,'dmin',0),'100'), setf(b,*sig_off(ns,'dmax',0),'100')),
     'pmineqpmax': lambda b,ns: (setf(b,*sig_off(ns,'pmin',0),'5'), setf(b,*sig_off(ns,'pmax',0),'5')),
     'hdrhuge': lambda b,ns: setf(b,184,8,'99999999'),
     'hdrsmall': lambda b,ns: setf(b,184,8,'256'),
     'hdrneg': lambda b,ns: setf(b,184,8,'-256'),
    }
    for k,f in V.items():
        make(src, f'v/{ext}-{k}.{ext}', f)
    # ns huge AND header length consistent but file small: ns 9999 and header len 256*10000
    def nsh(b,ns): setf(b,252,4,'9999'); setf(b,184,8,str(256*10000))
    make(src, f'v/{ext}-ns9999hdr.{ext}', nsh)
    # truncated: header claims 6 records but file cut to header + few bytes
    b = open(src,'rb').read(); hl=int(b[184:192]); open(f'v/{ext}-trunc.{ext}','wb').write(b[:hl+100])
    # header only, records 99999999
    bb = bytearray(b[:hl]); setf(bb,236,8,'99999999'); open(f'v/{ext}-hdronly-rec.{ext}','wb').write(bb)
    # records -1 (unknown) with huge spr
    def unk(b,ns): setf(b,236,8,'-1'); setf(b,*sig_off(ns,'spr',0),'99999999')
    make(src, f'v/{ext}-recunk-spr.{ext}', unk)
    # all signals spr 99999999 and records 99999999
    def allbig(b,ns): setf(b,236,8,'99999999'); [setf(b,*sig_off(ns,'spr',i),'99999999') for i in range(ns)]
    make(src, f'v/{ext}-allbig.{ext}', allbig)
