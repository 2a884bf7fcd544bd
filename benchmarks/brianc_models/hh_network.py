"""brianc timing script for demos/hh_network.py with N scaled.

Brian 1 syntax; 4000*scale HH neurons, sparseness 0.02/scale.  A
SpikeMonitor (absent from the demo) supplies the spike count.
"""
import os
import sys
import time as _time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _args  # noqa: E402

args = _args.parse(1000.0)
_t0 = _time.perf_counter()
from brianc import *  # noqa: E402,F401,F403
import_s = _time.perf_counter() - _t0
if "seed" in globals():
    seed(args.seed)
else:
    import numpy
    numpy.random.seed(args.seed)

_t0 = _time.perf_counter()
N = int(round(4000 * args.scale))
N_exc = int(round(3200 * args.scale))
area=20000*umetre**2
Cm=(1*ufarad*cm**-2)*area
gl=(5e-5*siemens*cm**-2)*area
El=-60*mV
EK=-90*mV
ENa=50*mV
g_na=(100*msiemens*cm**-2)*area
g_kd=(30*msiemens*cm**-2)*area
VT=-63*mV
taue=5*ms
taui=10*ms
Ee=0*mV
Ei=-80*mV
we=6*nS
wi=67*nS
eqs=Equations('''
dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpham*(1-m)-betam*m : 1
dn/dt = alphan*(1-n)-betan*n : 1
dh/dt = alphah*(1-h)-betah*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpham = 0.32*(mV**-1)*(13*mV-v+VT)/(exp((13*mV-v+VT)/(4*mV))-1.)/ms : Hz
betam = 0.28*(mV**-1)*(v-VT-40*mV)/(exp((v-VT-40*mV)/(5*mV))-1)/ms : Hz
alphah = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
betah = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alphan = 0.032*(mV**-1)*(15*mV-v+VT)/(exp((15*mV-v+VT)/(5*mV))-1.)/ms : Hz
betan = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
''')
P=NeuronGroup(N,model=eqs,
threshold=EmpiricalThreshold(threshold=-20*mV,refractory=3*ms),
implicit=True,freeze=True)
Pe=P.subgroup(N_exc)
Pi=P.subgroup(N - N_exc)
Ce=Connection(Pe,P,'ge',weight=we,sparseness=0.02/args.scale)
Ci=Connection(Pi,P,'gi',weight=wi,sparseness=0.02/args.scale)
P.v=El+(randn(len(P))*5-5)*mV
P.ge=(randn(len(P))*1.5+4)*10.*nS
P.gi=(randn(len(P))*12+20)*10.*nS
trace=StateMonitor(P,'v',record=[1,10,100])
M=SpikeMonitor(P)
setup_s = _time.perf_counter() - _t0
_t0 = _time.perf_counter()
run(args.duration_ms*ms)
run_s = _time.perf_counter() - _t0
_args.report(args, N, import_s, setup_s, run_s, M)
