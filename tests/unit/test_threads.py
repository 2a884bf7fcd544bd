"""Threads for large state updates and random connections: the settings
(set_num_threads, BRIANC_THREADS) and the promise that any number of
threads gives the same spikes, states and synapses, bit for bit, as one."""
import os
import textwrap

import numpy as np
import pytest

import brianc
from brianc import (Connection, EmpiricalThreshold, Network, NeuronGroup,
                    SpikeMonitor, get_num_threads, mV, ms, nS, rand,
                    reinit_default_clock, seed, set_num_threads)
from brianc import _engine
from ctrl_c import interrupt
from hh_model import hh_equations


@pytest.fixture(autouse=True)
def default_threads(monkeypatch):
    """Every test starts from the default setting and leaves it so."""
    monkeypatch.delenv("BRIANC_THREADS", raising=False)
    set_num_threads(None)
    yield
    set_num_threads(None)
    _engine._state.always_split = False


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True, 257, None.__class__])
def test_set_num_threads_rejects_what_is_not_a_thread_count(bad):
    with pytest.raises(ValueError, match="set_num_threads"):
        set_num_threads(bad)


def test_set_num_threads_and_environment(monkeypatch):
    cpus = os.sysconf("SC_NPROCESSORS_ONLN")
    assert get_num_threads() == cpus
    monkeypatch.setenv("BRIANC_THREADS", "3")
    assert get_num_threads() == 3
    set_num_threads(np.int64(2))        # wins over the environment
    assert get_num_threads() == 2
    set_num_threads(None)
    assert get_num_threads() == 3
    monkeypatch.setenv("BRIANC_THREADS", "two")
    P = NeuronGroup(10, "dv/dt = -v/(10*ms) : volt")
    with pytest.raises(ValueError, match="BRIANC_THREADS.*'two'"):
        Network(P).run(1 * ms)


# -- the models: each has a state update dear enough to be split ----------

def hh(n):
    """The hh_network demo's model and synapses, n neurons."""
    El = -60 * mV
    P = NeuronGroup(n, model=hh_equations(),
                    threshold=EmpiricalThreshold(threshold=-20 * mV,
                                                 refractory=3 * ms),
                    implicit=True, freeze=True)
    Ce = Connection(P[:4 * n // 5], P, "ge", weight=6 * nS, sparseness=0.02)
    Ci = Connection(P[4 * n // 5:], P, "gi", weight=67 * nS,
                    sparseness=0.02)
    rng = np.random.RandomState(5)
    P.v = El + (rng.randn(n) * 5 - 5) * mV
    P.ge = (rng.randn(n) * 1.5 + 4) * 10. * nS
    P.gi = (rng.randn(n) * 12 + 20) * 10. * nS
    return P, [Ce, Ci]


def noisy(n):
    """A noisy LIF (xi: one normal draw per neuron-step)."""
    P = NeuronGroup(n, "dV/dt = (-V + 25*mV + 3*mV*sqrt(20*ms)*xi)/(20*ms)"
                       " : volt", threshold=20 * mV, reset=10 * mV,
                    refractory=2 * ms)
    P.V = 10 * mV + 10 * mV * np.random.RandomState(6).rand(n)
    return P, []


def uniform(n):
    """rand() in the equations and a nonlinear drift."""
    assert rand is not None     # the equations name it
    P = NeuronGroup(n, "dv/dt = (tanh(v/mV)*mV - v + 30*mV*rand())"
                       "/(5*ms) : volt", threshold=12 * mV, reset=0 * mV)
    return P, []


def moving_threshold(n):
    """A threshold that is a state variable (each chunk tests its own)."""
    P = NeuronGroup(n, "dv/dt = (tanh(v/mV)*mV - v + 30*mV*rand())"
                       "/(5*ms) : volt\n"
                       "dvt/dt = (10*mV - vt)/(50*ms) : volt",
                    threshold="v > vt", reset="vt = 14*mV")
    P.vt = 10 * mV
    return P, []


def program_threshold(n):
    """A threshold program: run after the update, on the calling thread."""
    P = NeuronGroup(n, "dv/dt = (tanh(v/mV)*mV - v + 30*mV*rand())"
                       "/(5*ms) : volt",
                    threshold="(v > 12*mV) & (v < 100*mV)", reset=0 * mV)
    return P, []


def simulate(model, n, threads, steps=200):
    """Spikes (indices, step numbers) and final state of one seeded run."""
    set_num_threads(threads)
    _engine._state.always_split = True      # split even on a busy machine
    reinit_default_clock()
    seed(11)
    P, extra = model(n)
    M = SpikeMonitor(P)
    Network(P, M, *extra).run(steps * 0.1 * ms)
    assert P._c.update_is_parallel          # dear enough to be split
    spikes = np.array([(i, round(float(t) / 1e-4)) for i, t in M.spikes],
                      dtype=np.int64).reshape(-1, 2)
    return spikes, P._state.copy()


# Sizes that are not multiples of the 256-neuron block, and one that is.
@pytest.mark.parametrize("model, n", [(hh, 1000), (hh, 1537), (noisy, 9999),
                                      (noisy, 8192), (uniform, 9001),
                                      (moving_threshold, 5000),
                                      (program_threshold, 5000)])
def test_two_threads_give_the_serial_result_bit_for_bit(model, n):
    s1, x1 = simulate(model, n, 1)
    s2, x2 = simulate(model, n, 2)
    assert len(s1) > 0
    assert np.array_equal(s1, s2)
    assert np.array_equal(x1.view(np.uint64), x2.view(np.uint64))
    s4, x4 = simulate(model, n, 4)          # more threads than CPUs
    assert np.array_equal(s1, s4)
    assert np.array_equal(x1.view(np.uint64), x4.view(np.uint64))


@pytest.mark.parametrize("n", [4000, 100000])
def test_cheap_updates_stay_serial(n):
    """random_network's linear update: memory-bound at any size."""
    P = NeuronGroup(n, "dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt\n"
                       "dge/dt = -ge/(5*ms) : volt\n"
                       "dgi/dt = -gi/(10*ms) : volt",
                    threshold=-50 * mV, reset=-60 * mV)
    assert not P._c.update_is_parallel


def test_automatic_threads_stop_at_what_the_update_can_use():
    """A many-core machine would otherwise wake a thread per CPU for an
    update worth a few: each thread gets 10 us of estimated work and two
    blocks at least."""
    small, _ = hh(1000)         # 4 blocks: two threads
    assert small._c.update_is_parallel and small._c.useful_threads == 2
    demo, _ = hh(4000)          # ~74 us a step, 16 blocks
    assert 2 < demo._c.useful_threads <= 8
    big, _ = hh(64000)
    assert big._c.useful_threads >= 64
    cheap = NeuronGroup(4000, "dv/dt = -v/(20*ms) : volt")
    assert cheap._c.useful_threads == 1


def test_small_groups_stay_serial():
    P, _ = hh(300)          # 300 neurons: 8 us a step, 2 blocks
    assert not P._c.update_is_parallel


# -- random connections: rows drawn on the run threads ---------------------

def random_synapses(n_pre, n_post, p, threads, env=None, monkeypatch=None):
    """The synapses of Connection(P, Q, sparseness=p) drawn on `threads`
    threads (set_num_threads), or with BRIANC_THREADS=env."""
    if env is not None:
        set_num_threads(None)
        monkeypatch.setenv("BRIANC_THREADS", env)
    else:
        set_num_threads(threads)
    seed(5)
    P = NeuronGroup(n_pre, "v : volt")
    Q = NeuronGroup(n_post, "v : volt")
    C = Connection(P, Q, "v", weight=1 * mV, sparseness=p)
    pre, post, _, _ = C._c.synapses()
    return pre, post


# Each block is big enough to be split (>= 100000 synapses expected, more
# than 1024 rows); p covers skip rows, sparse and plain bitmap rows, and
# rows above half full.
@pytest.mark.parametrize("n_pre, n_post, p", [(1100, 100000, 0.001),
                                              (1100, 200000, 0.0005),
                                              (2500, 2500, 0.02),
                                              (1100, 200, 0.7)])
def test_random_connection_same_synapses_on_any_thread_count(
        n_pre, n_post, p, monkeypatch):
    pre1, post1 = random_synapses(n_pre, n_post, p, 1)
    assert len(pre1) > 100000
    for threads in (2, 4):              # 4: more threads than CPUs
        pre, post = random_synapses(n_pre, n_post, p, threads)
        assert np.array_equal(pre, pre1) and np.array_equal(post, post1)
    pre, post = random_synapses(n_pre, n_post, p, None, env="2",
                                monkeypatch=monkeypatch)
    assert np.array_equal(pre, pre1) and np.array_equal(post, post1)


def test_random_connection_rejects_bad_thread_counts():
    P = NeuronGroup(10, "v : volt")
    C = Connection(P, P, "v")
    for bad in (-1, 257):
        with pytest.raises(ValueError, match="threads must be 0"):
            C._c.add_random(1, 0, 0, 10, 0, 10, 0.5, 1.0, -1, bad)
    assert C.W.nnz == 0


CHILD = textwrap.dedent("""
    import numpy as np
    from brianc import *
    from brianc import _engine
    def group():
        seed(3)
        return NeuronGroup(20000, 'dv/dt = (-v + 0.5*mV*sin(v/mV) '
                           '+ 2*mV*sqrt(ms)*xi)/ms : volt')
    set_num_threads(2)
    _engine._state.always_split = True
    P = group()
    net = Network(P, announce_ready)
    try:
        net.run(1000 * second)
        print('not interrupted', flush=True)
    except KeyboardInterrupt:
        cpu = time.process_time()
        n = defaultclock._c.step
        v = P.v.copy()
        net.run(1 * ms)
        v10 = P.v.copy()
        set_num_threads(1)
        reinit_default_clock()
        Q = group()
        Network(Q).run(n * 0.1 * ms)
        same = np.array_equal(v, Q.v)
        Network(Q).run(1 * ms)
        same10 = np.array_equal(v10, Q.v)
        print(repr(cpu), n, P._c.update_is_parallel, same, same10,
              flush=True)
""")


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"),
                    reason="needs SIGINT and /proc")
def test_ctrl_c_stops_a_threaded_run_cleanly():
    cpu_at_signal, line, code = interrupt(CHILD)
    cpu, n, parallel, same, same10 = line
    # The run of 1000 s stops at the next pause (every 50 ms of wall
    # time), not at its end: after the signal its two threads work at
    # most that long each (in CPU time, which a busy machine does not
    # stretch as it does wall time), plus the step, Python's handling and
    # a clock tick of rounding.
    assert float(cpu) - cpu_at_signal < 2 * 0.05 + 0.1
    assert int(n) > 0
    assert parallel == same == same10 == "True"
    assert code == 0                            # threads joined at exit
