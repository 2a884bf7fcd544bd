"""brianc timing script for demos/random_network.py with N scaled.

Brian 1 syntax; 4000*scale neurons, sparseness 0.02/scale so the in-degree
stays ~80.  Prints setup and run() times and the spike count as JSON.
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
eqs = '''
dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt
'''
P = NeuronGroup(N, eqs, threshold=-50*mV, reset=-60*mV)
P.v = -60*mV+10*mV*rand(len(P))
Pe = P.subgroup(N_exc)
Pi = P.subgroup(N - N_exc)
Ce = Connection(Pe, P, 'ge', weight=1.62*mV, sparseness=0.02/args.scale)
Ci = Connection(Pi, P, 'gi', weight=-9*mV, sparseness=0.02/args.scale)
M = SpikeMonitor(P)
setup_s = _time.perf_counter() - _t0
_t0 = _time.perf_counter()
run(args.duration_ms*ms)
run_s = _time.perf_counter() - _t0
_args.report(args, N, import_s, setup_s, run_s, M)
