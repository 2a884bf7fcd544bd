"""A CUBA-like random network with Poisson input (brianc.mpi tests): noisy
LIF neurons with refractoriness, excitatory and inhibitory random
connections, a PoissonGroup input and a SpikeGeneratorGroup.  Prints one
JSON line: spikes, final states and monitors."""
import json
import sys

from brianc import *

seed(11)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
eqs = '''
dv/dt = (ge + gi - (v + 49*mV))/(20*ms) + 2*mV*xi/(20*ms)**0.5 : volt
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt
'''
P = NeuronGroup(N, eqs, threshold=-50*mV, reset=-60*mV, refractory=5*ms)
P.v = -60*mV + 10*mV*rand(N)
Pe = P.subgroup(4 * N // 5)
Pi = P.subgroup(N - 4 * N // 5)
Ce = Connection(Pe, P, 'ge', weight=1.62*mV, sparseness=0.02)
Ci = Connection(Pi, P, 'gi', weight=lambda i, j: -9*mV*(1 + 0.1*(j % 3)),
                sparseness=0.02)
inputs = PoissonGroup(50, rates=linspace(5, 40, 50)*Hz)
Cin = Connection(inputs, P[100:N - 100], 'ge', weight=2*mV, sparseness=0.1)
burst = SpikeGeneratorGroup(3, [(0, 10*ms), (1, 20*ms), (2, 20*ms),
                                (0, 60*ms)])
Cb = Connection(burst, P, 'ge', weight=5*mV, sparseness=0.3, delay=2*ms)
M = SpikeMonitor(P)
Min = SpikeMonitor(inputs)
V = StateMonitor(P, 'v', record=[0, 1, N // 2, N - 1])
G = StateMonitor(P, 'ge')             # record=False: sums per neuron
rate = PopulationRateMonitor(P, bin=5*ms)
run(50*ms)
P.gi = P.gi * 0.5                     # a state write between runs
run(30*ms)
i, t = M.it
print(json.dumps({
    "spikes": [i.tolist(), t.tolist()],
    "input_spikes": Min.nspikes,
    "v": P.v_.tolist(), "ge": P.ge_.tolist(), "gi": P.gi_.tolist(),
    "trace": V.values.tolist(), "times": V.times.tolist(),
    "ge_mean": G.mean.tolist(), "rate": rate.rate.tolist(),
}))
