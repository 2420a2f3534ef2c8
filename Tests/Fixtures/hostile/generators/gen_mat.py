import h5py, shutil
def mat(name, which, idx, shape):
    dst=f'h5v/mat2-{name}.mat'; shutil.copy('h5/WT_NoStim.mat', dst)
    with h5py.File(dst,'r+') as f:
        refs=f[f'WT_NoStim/{which}']
        old=f[refs[idx,0]]; attrs=dict(old.attrs)
        nd=f.create_dataset(f'#refs#/hostile', shape=shape, dtype='f8', chunks=True)
        for k,v in attrs.items(): nd.attrs[k]=v
        r=refs[...]; r[idx,0]=nd.ref; refs[...]=r
        print(name, old.name, old.shape, '->', f[refs[idx,0]].shape)
mat('traces48x1e9','traces',0,(48,10**9))
mat('traces1e9x720','traces',0,(10**9,720))
mat('traces1e6x720','traces',0,(10**6,720))
mat('time1x1e9','timeVectorSeconds',0,(1,10**9))
