"""brianc timing script for demos/sparse_inhibitory.py with N scaled.

Brian 1 syntax; 5000*scale neurons, each keeping C = 1000 inhibitory inputs.
Prints setup and run() times and the spike count as JSON.
"""
import os
import sys
import time as _time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _args  # noqa: E402

args = _args.parse(100.0)
_t0 = _time.perf_counter()
from brianc import *  # noqa: E402,F401,F403
import_s = _time.perf_counter() - _t0
if "seed" in globals():
    seed(args.seed)
else:
    import numpy
    numpy.random.seed(args.seed)

_t0 = _time.perf_counter()
N = int(round(5000 * args.scale))
Vr = 10 * mV
theta = 20 * mV
tau = 20 * ms
delta = 2 * ms
taurefr = 2 * ms
C = 1000
sparseness = float(C)/N
J = .1 * mV
muext = 25 * mV
sigmaext = 1 * mV
eqs = "dV/dt=(-V+muext+sigmaext*sqrt(tau)*xi)/tau : volt"
group = NeuronGroup(N, eqs, threshold=theta,
                    reset=Vr, refractory=taurefr)
group.V = Vr
conn = Connection(group, group, state='V', delay=delta,
                  weight=-J, sparseness=sparseness)
M = SpikeMonitor(group)
setup_s = _time.perf_counter() - _t0
_t0 = _time.perf_counter()
run(args.duration_ms*ms)
run_s = _time.perf_counter() - _t0
_args.report(args, N, import_s, setup_s, run_s, M)
