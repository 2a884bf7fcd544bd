"""A sparse inhibitory network (brianc.mpi tests): noisy LIF neurons with
a homogeneous-delay inhibitory connection of fixed in-degree, and a
DelayConnection with a delay per synapse.  Prints one JSON line."""
import json
import sys

from brianc import *

seed(5)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 1200
tau = 20*ms
eqs = "dV/dt = (-V + 25*mV + 1*mV*sqrt(tau)*xi)/tau : volt"
group = NeuronGroup(N, eqs, threshold=20*mV, reset=10*mV, refractory=2*ms)
group.V = 10*mV + 5*mV*rand(N)
inh = Connection(group, group, 'V', delay=1.5*ms, weight=-0.4*mV,
                 sparseness=100.0/N, fixed=True)
late = DelayConnection(group, group[0:N // 2], 'V', max_delay=4*ms)
late.connect_random(group, group[0:N // 2], 0.05, weight=-0.2*mV,
                    delay=(0*ms, 4*ms))
M = SpikeMonitor(group)
V = StateMonitor(group, 'V', record=[3, N // 2, N - 2], timestep=2)
run(60*ms)
i, t = M.it
print(json.dumps({
    "spikes": [i.tolist(), t.tolist()],
    "V": group.V_.tolist(), "trace": V.values.tolist(),
}))
