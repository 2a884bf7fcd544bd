"""brianc.experimental.connectionmonitor.ConnectionMonitor: copies of the
weight matrix at its clock's ticks, whole or for chosen synapses."""
import numpy as np
import pytest

from brianc import (Connection, EventClock, Network, NeuronGroup, ms,
                    reinit_default_clock)
from brianc.experimental.connectionmonitor import ConnectionMonitor


@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()


def test_records_whole_matrices_at_each_tick():
    G = NeuronGroup(3, "v : 1")
    C = Connection(G, G, "v", structure="dense")
    C[0, 1] = 1.0
    C[2, 0] = 2.0
    seen = []
    M = ConnectionMonitor(C, store=True, callback=seen.append,
                          clock=EventClock(dt=1 * ms))
    net = Network(G, C, M)
    net.run(1.5 * ms)
    C[0, 1] = 5.0
    net.run(1 * ms)
    assert len(M.values) == 3 and len(seen) == 3
    times = [float(t) for t, _ in M.values]
    assert np.allclose(times, [0.0, 1e-3, 2e-3])
    first, last = M.values[0][1], M.values[-1][1]
    assert isinstance(first, np.ndarray)        # dense, recorded whole
    assert first[0, 1] == 1.0 and last[0, 1] == 5.0 and last[2, 0] == 2.0


@pytest.mark.slow
def test_sparse_and_chosen_synapses():
    G = NeuronGroup(4, "v : 1")
    C = Connection(G, G, "v")
    for i, j, w in [(0, 1, 1.0), (1, 2, 2.0), (3, 3, 3.0)]:
        C[i, j] = w
    M = ConnectionMonitor(C, store=True, synapses=[(1, 2), (3, 3)],
                          clock=EventClock(dt=1 * ms))
    Network(G, C, M).run(0.5 * ms)
    m = M.values[0][1]
    assert m.todense().tolist() == [[0, 0, 0, 0], [0, 0, 2, 0],
                                    [0, 0, 0, 0], [0, 0, 0, 3]]
    M2 = ConnectionMonitor(C, store=True, synapses=2,
                           clock=EventClock(dt=1 * ms))
    Network(G, C, M2).run(0.5 * ms)
    assert M2.values[0][1].nnz == 2
    image = M2.get_image()
    assert image.shape == (4, 4, 4) and image.dtype == np.uint8
