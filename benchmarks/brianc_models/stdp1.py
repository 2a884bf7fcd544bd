"""brianc timing script for Brian 1's examples/plasticity/STDP1.py (Song,
Miller & Abbott 2000): 1000 Poisson inputs at 15 Hz onto one neuron, all
synapses plastic (additive STDP, all pairs).

Brian 1 syntax.  Prints setup and run() times, the spike count and the
final weight distribution (fractions within 10 % of wmax and of 0) as
JSON (and their histogram in tenths of wmax), plus the bytes per plastic
synapse.
"""
import json
import os
import sys
import time as _time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _args  # noqa: E402

args = _args.parse(10000.0)
_t0 = _time.perf_counter()
from brianc import *  # noqa: E402,F401,F403
import_s = _time.perf_counter() - _t0
seed(args.seed)

_t0 = _time.perf_counter()
N = 1000
taum, tau_pre, tau_post, taue = 10 * ms, 20 * ms, 20 * ms, 5 * ms
Ee, vt, vr, El = 0 * mV, -54 * mV, -60 * mV, -74 * mV
F, gmax, dA_pre = 15 * Hz, .01, .01
dA_post = -dA_pre * tau_pre / tau_post * 1.05
eqs_neurons = '''
dv/dt=(ge*(Ee-vr)+El-v)/taum : volt
dge/dt=-ge/taue : 1
'''
inputs = PoissonGroup(N, rates=F)
neurons = NeuronGroup(1, model=eqs_neurons, threshold=vt, reset=vr)
synapses = Connection(inputs, neurons, 'ge',
                      weight=rand(len(inputs), len(neurons)) * gmax)
neurons.v = vr
eqs_stdp = '''
dA_pre/dt=-A_pre/tau_pre : 1
dA_post/dt=-A_post/tau_post : 1
'''
dA_post *= gmax
dA_pre *= gmax
stdp = STDP(synapses, eqs=eqs_stdp, pre='A_pre+=dA_pre;w+=A_post',
            post='A_post+=dA_post;w+=A_pre', wmax=gmax)
M = SpikeMonitor(neurons)
net = MagicNetwork()
setup_s = _time.perf_counter() - _t0
_t0 = _time.perf_counter()
_c0 = _time.process_time()
net.run(args.duration_ms * ms)
run_s = _time.perf_counter() - _t0
run_cpu = _time.process_time() - _c0
W = synapses.W.todense()[:, 0] / gmax
print(json.dumps({
    "simulator": "brianc", "import_s": import_s, "setup_s": setup_s,
    "run_s": run_s, "run_cpu_s": run_cpu, "spikes": M.nspikes, "n": 1,
    "scale": 1.0, "duration_ms": args.duration_ms, "seed": args.seed,
    "near_wmax": float(np.mean(W > 0.9)),
    "near_zero": float(np.mean(W < 0.1)),
    "histogram": np.histogram(W, 10, (0, 1))[0].tolist(),
    "bytes_per_plastic_synapse": (synapses._c.memory_bytes + stdp.nbytes)
    / synapses.W.nnz}), flush=True)
