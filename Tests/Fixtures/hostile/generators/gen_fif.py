import struct, os
def tags(b):
    pos=0; out=[]
    while pos+16<=len(b):
        k,t,s,n = struct.unpack('>iIii', b[pos:pos+16])
        out.append((pos,k,t,s,n))
        if n == -1: break
        if n > 0: pos = n
        else: pos = pos+16+s
    return out
def first(ts, kind, last=False):
    c=[x for x in ts if x[1]==kind]
    return c[-1] if last else c[0]
os.makedirs('fifv', exist_ok=True)
for src in ['meg_raw','sim_raw','meg_raw_short']:
    b0=open(f'fif/{src}.fif','rb').read(); ts=tags(b0)
    print(src, len(ts), sorted(set(x[1] for x in ts)))
    def emit(name, mut):
        b=bytearray(b0); mut(b); open(f'fifv/{src}-{name}.fif','wb').write(b)
    def setsize(tag, v):
        return lambda b: b.__setitem__(slice(tag[0]+8,tag[0]+12), struct.pack('>I', v & 0xffffffff))
    def setnext(tag, v):
        return lambda b: b.__setitem__(slice(tag[0]+12,tag[0]+16), struct.pack('>I', v & 0xffffffff))
    def settype(tag, v):
        return lambda b: b.__setitem__(slice(tag[0]+4,tag[0]+8), struct.pack('>I', v & 0xffffffff))
    def setint(tag, v):
        return lambda b: b.__setitem__(slice(tag[0]+16,tag[0]+20), struct.pack('>I', v & 0xffffffff))
    def setflt(tag, v):
        return lambda b: b.__setitem__(slice(tag[0]+16,tag[0]+20), struct.pack('>f', v))
    targets = {'fileid':first(ts,100),'nchan':first(ts,200),'chinfo':first(ts,203),'buf0':first(ts,300),'buflast':first(ts,300,True),'sfreq':first(ts,201),'firstsamp':first(ts,208)}
    for tn,tg in targets.items():
        for vn,v in [('max',0x7fffffff),('neg1',-1),('neg16',-16),('min',-2**31)]:
            emit(f'size-{tn}-{vn}', setsize(tg,v))
    emit('size-buf0-plus4', setsize(targets['buf0'], targets['buf0'][3]+4))
    emit('size-buf0-minus4', setsize(targets['buf0'], targets['buf0'][3]-4))
    emit('size-buf0-1', setsize(targets['buf0'], 1))
    for vn,v in [('max',0x7fffffff),('1e6',1000000),('0',0),('neg1',-1)]:
        emit(f'nchan-{vn}', setint(targets['nchan'],v))
    for vn,v in [('0',0.0),('neg1',-1.0),('nan',float('nan')),('1e-30',1e-30),('1e30',1e30),('inf',float('inf'))]:
        emit(f'sfreq-{vn}', setflt(targets['sfreq'],v))
    for vn,v in [('max',0x7fffffff),('min',-2**31)]:
        emit(f'firstsamp-{vn}', setint(targets['firstsamp'],v))
    emit('next-buf0-self', setnext(targets['buf0'], targets['buf0'][0]))
    emit('next-buf0-neg5', setnext(targets['buf0'], -5))
    emit('next-buf0-zero-loop', setnext(targets['buf0'], 0x7ffffff0))
    emit('next-fileid-self', setnext(targets['fileid'], 0))
    emit('type-buf0-max', settype(targets['buf0'], 0x7fffffff))
    emit('type-buf0-dblplus', settype(targets['buf0'], 5))
    dp=first(ts,101)
    emit('dirptr-max', setint(dp, 0x7fffffff))
    emit('dirptr-1000', setint(dp, 1000))
    emit('dirptr-self', setint(dp, dp[0]))
