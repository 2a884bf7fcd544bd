"""brianc timing script for Brian 1's examples/frompapers/Vogels_et_al_2011
.py (inhibitory STDP balancing a 10,000-neuron network): 1 s without
plasticity, then the rest of the duration with STDP on the inhibitory to
excitatory connection (as the example does, with a shorter total).

Brian 1 syntax.  Prints setup and run() times (both runs), the spike count
and the bytes per plastic synapse as JSON.
"""
import json
import os
import sys
import time as _time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _args  # noqa: E402

args = _args.parse(2000.0)
_t0 = _time.perf_counter()
from brianc import *  # noqa: E402,F401,F403
import_s = _time.perf_counter() - _t0
seed(args.seed)

_t0 = _time.perf_counter()
NE = 8000
NI = NE // 4
w = 1. * nS
tau_ampa = 5.0 * ms
tau_gaba = 10.0 * ms
epsilon = 0.02
eta = 1e-2
tau_stdp = 20 * ms
gl = 10.0 * nsiemens
el = -60 * mV
er = -80 * mV
vt = -50. * mV
memc = 200.0 * pfarad
bgcurrent = 200 * pA
eqs_neurons = '''
dv/dt=(-gl*(v-el)-(g_ampa*w*v+g_gaba*(v-er)*w)+bgcurrent)/memc : volt
dg_ampa/dt = -g_ampa/tau_ampa : 1
dg_gaba/dt = -g_gaba/tau_gaba : 1
'''
neurons = NeuronGroup(NE + NI, model=eqs_neurons, threshold=vt, reset=el,
                      refractory=5 * ms)
Pe = neurons.subgroup(NE)
Pi = neurons.subgroup(NI)
con_e = Connection(Pe, neurons, 'g_ampa', weight=0.3, sparseness=epsilon)
con_ie = Connection(Pi, Pe, 'g_gaba', weight=1e-10, sparseness=epsilon)
con_ii = Connection(Pi, Pi, 'g_gaba', weight=3, sparseness=epsilon)
sm = SpikeMonitor(neurons)
alpha = 3 * Hz * tau_stdp * 2
gmax = 100
eqs_stdp_inhib = '''
dA_pre/dt=-A_pre/tau_stdp : 1
dA_post/dt=-A_post/tau_stdp : 1
'''
net = Network(neurons, con_e, con_ie, con_ii, sm)
setup_s = _time.perf_counter() - _t0
_t0 = _time.perf_counter()
_c0 = _time.process_time()
net.run(1 * second)
stdp_ie = STDP(con_ie, eqs=eqs_stdp_inhib,
               pre='A_pre+=1.; w+=(A_post-alpha)*eta;',
               post='A_post+=1.; w+=A_pre*eta;', wmax=gmax)
net.add(stdp_ie)
net.run(args.duration_ms * ms - 1 * second)
run_s = _time.perf_counter() - _t0
run_cpu = _time.process_time() - _c0
print(json.dumps({
    "simulator": "brianc", "import_s": import_s, "setup_s": setup_s,
    "run_s": run_s, "run_cpu_s": run_cpu, "spikes": sm.nspikes,
    "n": NE + NI, "scale": 1.0, "duration_ms": args.duration_ms,
    "seed": args.seed,
    "bytes_per_plastic_synapse": (con_ie._c.memory_bytes + stdp_ie.nbytes)
    / con_ie.W.nnz}), flush=True)
