import h5py, shutil, os, numpy as np
os.makedirs('h5v', exist_ok=True)
def nwb(name, dpath, shape, dtype='f4', chunks=True, maxshape=None, extra=None):
    dst=f'h5v/nwb-{name}.nwb'; shutil.copy('h5/worm1.nwb', dst)
    with h5py.File(dst,'r+') as f:
        d=f[dpath]; attrs=dict(d.attrs); del f[dpath]
        nd=f.create_dataset(dpath, shape=shape, dtype=dtype, chunks=chunks, maxshape=maxshape)
        for k,v in attrs.items(): nd.attrs[k]=v
        if extra: extra(f)
D='processing/ophys/Fluorescence/RoiResponseSeries/data'
T='processing/ophys/Fluorescence/RoiResponseSeries/timestamps'
nwb('data1e9x60', D, (10**9,60))
nwb('data1e9x60-f8', D, (10**9,60), 'f8')
nwb('data960x1e6', D, (960,10**6))
nwb('data1e12x60', D, (10**12,60), chunks=(1024,60))
nwb('data-unlim', D, (10**9,60), maxshape=(None,60))
nwb('ts1e9', T, (10**9,), 'f8')
nwb('data-ts-1e9', D, (10**9,60), extra=lambda f: (f.__delitem__(T), f.create_dataset(T, shape=(10**9,), dtype='f8', chunks=True)))
def mat(name, ref, shape, chunks=True):
    dst=f'h5v/mat-{name}.mat'; shutil.copy('h5/WT_NoStim.mat', dst)
    with h5py.File(dst,'r+') as f:
        d=f[ref]; attrs=dict(d.attrs); del f[ref]
        nd=f.create_dataset(ref, shape=shape, dtype='f8', chunks=chunks)
        for k,v in attrs.items(): nd.attrs[k]=v
mat('traces48x1e9', '#refs#/105', (48,10**9))
mat('traces1e9x720', '#refs#/105', (10**9,720))
mat('traces1e6x720', '#refs#/105', (10**6,720))
mat('time1e9', '#refs#/108', (1,10**9))
