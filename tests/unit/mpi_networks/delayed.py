"""A network whose connections all have delays of several steps
(brianc.mpi tests): ranks exchange spikes once per shortest delay, so
spikes arrive late into the history, per-synapse delays read them late and
spike monitors record them at the exchange.  Every connection builder is
used.  argv: N, the shortest delay in ms (0.1 = one step), and "grow" to
add a connection with a delay of 5 steps before the second run (its
window is then 6 steps).  Two runs whose lengths are not multiples of the window.
Prints one JSON line."""
import json
import sys

from brianc import *
from brianc.mpi import exchange_totals

seed(7)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
shortest = float(sys.argv[2]) * ms if len(sys.argv) > 2 else 1 * ms
tau = 10*ms
eqs = "dV/dt = (-V + 21*mV + 2*mV*sqrt(tau)*xi)/tau : volt"
group = NeuronGroup(N, eqs, threshold=20*mV, reset=10*mV, refractory=1*ms)
group.V = 10*mV + 10*mV*rand(N)
exc = Connection(group, group, 'V', delay=shortest + 0.7*ms,
                 weight=0.3*mV, sparseness=0.05)
late = DelayConnection(group, group[N // 4:], 'V', max_delay=5*ms)
late.connect_random(group, group[N // 4:], 0.03, weight=-0.5*mV,
                    delay=(shortest, 5*ms))
inputs = PoissonGroup(50, 40*Hz)
drive = Connection(inputs, group, 'V', weight=1*mV, sparseness=0.2,
                   delay=2*ms)
# every builder: one to one, full, a weight matrix, and delays drawn by
# the constructor over every synapse
links = IdentityConnection(inputs, group[:50], 'V', weight=0.5*mV,
                           delay=3*ms)
full = Connection(inputs[:5], group[N // 2:N // 2 + 40], 'V',
                  weight=0.2*mV, delay=1.2*ms)
matrix = Connection(inputs[5:10], group, 'V', delay=1.4*ms)
matrix.connect(inputs[5:10], group, W=rand(5, N)*0.3*mV)
spread = DelayConnection(inputs, group, 'V', weight=0.4*mV, sparseness=0.05,
                         delay=(1.1*ms, 3*ms), max_delay=3*ms)
M = SpikeMonitor(group)
seen_late = SpikeMonitor(group[10:N - 10], delay=0.3*ms)
rate = PopulationRateMonitor(group, bin=0.7*ms)
counter = SpikeCounter(group)
pulses = SpikeMonitor(inputs)
V = StateMonitor(group, 'V', record=[1, N // 2, N - 1])
run(23.35*ms)
if sys.argv[3:] == ["grow"]:
    quick = Connection(inputs, group, 'V', weight=0.1*mV, sparseness=0.1,
                       delay=0.5*ms)
run(16.2*ms)
i, t = M.it
print(json.dumps({
    "spikes": [i.tolist(), t.tolist()],
    "late": [x.tolist() for x in seen_late.it],
    "rate": rate.rate.tolist(), "count": counter.count.tolist(),
    "pulses": [x.tolist() for x in pulses.it],
    "V": group.V_.tolist(), "trace": V.values.tolist(),
    "exchanges": exchange_totals()["calls"],
}))
