"""PoissonGroup with one rate for all its neurons draws the spiking
neurons directly (geometric gaps, csrc/core/bernoulli_skips.c): each
neuron-step must still be an independent Bernoulli(rate*dt) trial."""
import numpy as np
import pytest

from brianc import (Connection, Hz, Network, PoissonGroup, SpikeGeneratorGroup,
                    SpikeMonitor, ms, network_operation,
                    reinit_default_clock, seed)


def spike_counts(rates, n, duration):
    reinit_default_clock()
    seed(21)
    P = PoissonGroup(n, rates)
    M = SpikeMonitor(P)
    Network(P, M).run(duration)
    idx = np.array([i for i, _ in M.spikes], dtype=np.int64)
    steps = np.array([round(float(t) / 1e-4) for _, t in M.spikes],
                     dtype=np.int64)
    return idx, steps


@pytest.mark.slow
@pytest.mark.parametrize("uniform", [True, False])
def test_counts_per_neuron_follow_the_binomial_law(uniform):
    n, n_steps, rate = 4000, 2000, 50.0
    # the same law through the per-neuron path: rates that differ by
    # 1e-12 Hz are not one rate
    rates = rate * Hz if uniform else (rate + 1e-12 * np.arange(n)) * Hz
    idx, steps = spike_counts(rates, n, n_steps * 0.1 * ms)
    p = rate * 1e-4
    counts = np.bincount(idx, minlength=n)
    m, v = n_steps * p, n_steps * p * (1 - p)
    # total ~ Binomial(n * steps, p)
    assert abs(counts.sum() - n * m) < 5 * np.sqrt(n * v)
    # every neuron alike: sum (c - m)^2 / v ~ chi2(n - 1)
    chi2 = ((counts - m) ** 2 / v).sum()
    assert abs(chi2 - (n - 1)) < 5 * np.sqrt(2 * (n - 1))
    # neurons independent within a step: spikes per step ~ Binomial(n, p)
    per_step = np.bincount(steps, minlength=n_steps)[:n_steps]
    assert abs(per_step.var() / (n * p * (1 - p)) - 1) < \
        5 * np.sqrt(2 / n_steps)
    # one neuron's steps independent: the gaps between its spikes are
    # geometric, P(gap = 1) = p, mean 1/p (gaps from spikes in the first
    # half, so the end of the run cuts off almost none)
    order = np.lexsort((steps, idx))
    si, ss = idx[order], steps[order]
    same = si[1:] == si[:-1]
    gaps = (ss[1:] - ss[:-1])[same & (ss[:-1] < n_steps // 2)]
    assert abs(gaps.mean() - 1 / p) < 5 * np.sqrt((1 - p) / p ** 2 /
                                                  len(gaps)) + 1.0
    assert abs((gaps == 1).mean() - p) < 5 * np.sqrt(p * (1 - p) /
                                                    len(gaps))


def test_spikes_do_not_depend_on_earlier_steps_or_reruns():
    a = spike_counts(80 * Hz, 3000, 50 * ms)
    b = spike_counts(80 * Hz, 3000, 50 * ms)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert len(a[0]) > 0


@pytest.mark.parametrize("rate, expected", [(0 * Hz, 0), (1e4 * Hz, 1),
                                            (2e4 * Hz, 1)])
def test_rate_edges(rate, expected):
    idx, steps = spike_counts(rate, 100, 1 * ms)
    assert len(idx) == expected * 100 * 10


def test_a_rate_changed_in_place_takes_effect():
    reinit_default_clock()
    seed(2)
    P = PoissonGroup(1000, 40 * Hz)
    M = SpikeMonitor(P)
    net = Network(P, M)
    net.run(10 * ms)
    P.rate_[:500] = 0.0                     # a live view, written in place
    n_before = M.nspikes
    net.run(200 * ms)
    late = np.array([i for i, t in M.spikes[n_before:]])
    assert len(late) > 0 and late.min() >= 500
    assert abs(len(late) - 500 * 2000 * 40e-4) < 5 * np.sqrt(500 * 2000 *
                                                              40e-4)


def test_rates_written_in_place_by_an_operation_take_effect_next_step():
    # the group looks at its rates once per run segment: an operation
    # ends a segment, so its in-place write is seen from the next step
    reinit_default_clock()
    seed(3)
    P = PoissonGroup(1000, 40 * Hz)
    M = SpikeMonitor(P)

    @network_operation(clock=P.clock, when='start')
    def silence_half():
        if P.clock.t >= 10 * ms:
            P.rate_[:500] = 0.0

    net = Network(P, M, silence_half)
    net.run(100 * ms)
    steps = np.array([round(float(t) / 1e-4) for _, t in M.spikes])
    idx = np.array([i for i, _ in M.spikes])
    assert (idx[steps < 100] < 500).sum() > 0
    assert (idx[steps >= 100] < 500).sum() == 0


def test_rates_written_by_a_connection_take_effect_next_step():
    # a connection writes the rate row inside the run: the group then
    # looks at its rates every step
    reinit_default_clock()
    seed(4)
    P = PoissonGroup(1000, 0 * Hz)
    G = SpikeGeneratorGroup(1, [(0, 5 * ms)])
    C = Connection(G, P, "rate")
    C[0, 7] = 2e4 * Hz                  # rate * dt = 2: a spike every step
    M = SpikeMonitor(P)
    Network(P, G, C, M).run(10 * ms)
    steps = [round(float(t) / 1e-4) for _, t in M.spikes]
    assert {i for i, _ in M.spikes} == {7}
    assert steps == list(range(min(steps), 100))
    assert 50 <= min(steps) <= 51


def test_silent_blocks_leave_the_other_sources_draws_alone():
    # sources with rate 0 draw nothing; the others' spikes are those of
    # a group where the silent sources have a rate too small to fire
    n = 3000
    base = np.full(n, 80.0)
    silent = base.copy()
    silent[:1500] = 0.0                 # whole blocks silent
    silent[2000:2100] = 0.0             # part of a block silent
    tiny = np.where(silent == 0.0, 1e-300, silent)
    i_silent, s_silent = spike_counts(silent * Hz, n, 50 * ms)
    i_tiny, s_tiny = spike_counts(tiny * Hz, n, 50 * ms)
    assert len(i_silent) > 500
    assert np.array_equal(i_silent, i_tiny)
    assert np.array_equal(s_silent, s_tiny)
    assert not np.any(silent[i_silent] == 0.0)


def test_a_scalar_rate_function_fills_every_rate():
    reinit_default_clock()
    P = PoissonGroup(5, rates=lambda t: 10 * Hz + float(t) * 1000 * Hz)
    Network(P).run(1 * ms)
    assert np.allclose(P.rate, 10 + 0.9)     # set at the start of step 9
    P2 = PoissonGroup(3, rates=lambda t: -5 * Hz)
    Network(P2).run(1 * ms)
    assert np.all(P2.rate == 0)
