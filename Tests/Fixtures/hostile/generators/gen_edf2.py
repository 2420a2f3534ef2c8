exec(open('gen_edf.py').read().split("for ext in")[0])
for ext in ['edf','bdf']:
    src=f'v/test.{ext}'
    for spr in ['99999999','1000003','511']:
        def f(b,ns,spr=spr): setf(b,236,8,'0'); setf(b,*sig_off(ns,'spr',0),spr)
        make(src, f'v/{ext}-rec0-spr{spr}.{ext}', f)
    def g(b,ns): setf(b,236,8,'0'); setf(b,244,8,'1e-9')
    make(src, f'v/{ext}-rec0-dur1e-9.{ext}', g)
    def h(b,ns): setf(b,244,8,'1e-8'); setf(b,*sig_off(ns,'spr',0),'1')
    # mixed rate: sig0 spr 1 -> total record size changes; use records -1
    def h(b,ns): setf(b,236,8,'-1'); setf(b,*sig_off(ns,'spr',0),'1000003')
    make(src, f'v/{ext}-recunk-spr1000003.{ext}', h)
