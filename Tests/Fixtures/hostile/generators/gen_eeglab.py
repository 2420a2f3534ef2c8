import scipy.io as sio, numpy as np, os, shutil
m=sio.loadmat('eeglab/fdt_raw.set')
def emit(name, **kv):
    d=f'eeglab/{name}'; os.makedirs(d, exist_ok=True)
    mm = {k:v for k,v in m.items() if not k.startswith('__')}
    E = mm['EEG'].copy(); E[0,0] = E[0,0].copy()
    for k,v in kv.items(): E[0,0][k] = np.array([[v]], dtype=float)
    mm['EEG']=E
    sio.savemat(f'{d}/fdt_raw.set', mm, format='5')
    shutil.copy('eeglab/fdt_raw.fdt', f'{d}/fdt_raw.fdt')
emit('nbchan1e6', nbchan=1e6)
emit('nbchan2p62', nbchan=2.0**62)
emit('nbchan2p63', nbchan=2.0**63)
emit('nbchan1e300', nbchan=1e300)
emit('nbchan-neg', nbchan=-6)
emit('nbchan-frac', nbchan=6.5)
emit('nbchan-nan', nbchan=float('nan'))
emit('pnts1e12', pnts=1e12)
emit('pnts2p63', pnts=2.0**63)
emit('pnts-neg', pnts=-1)
emit('pnts0', pnts=0)
emit('trials1e9', trials=1e9)
emit('trials1e9-pnts4', trials=1e9, pnts=4)
emit('nbchan1e6-pnts1e12', nbchan=1e6, pnts=1e12)
for v,n in [(0,'0'),(-1,'neg1'),(1e30,'1e30'),(1e-30,'1e-30'),(float('nan'),'nan'),(float('inf'),'inf')]:
    emit(f'srate{n}', srate=v)
