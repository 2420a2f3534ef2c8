exec(open('gen_edf.py').read().split("for ext in")[0])
for ext in ['edf','bdf']:
    make(f'v/test.{ext}', f'v/{ext}-dur1e-30.{ext}', lambda b,ns: setf(b,244,8,'1e-30'))
    make(f'v/test.{ext}', f'v/{ext}-dur1e-300.{ext}', lambda b,ns: setf(b,244,8,'1e-300'))
