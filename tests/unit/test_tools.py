"""brianc.tools: spike statistics against closed forms on synthetic trains,
AER round trips, metrics from recorded spikes, parameters, tabulation,
progress reports and remote control over loopback."""
import threading

import numpy as np
import pytest

from brianc import (ACF, ACVF, AERSpikeMonitor, CCF, CV, NaN, NeuronGroup,
                    DimensionMismatchError, FileSpikeMonitor, Parameters,
                    RemoteControlClient, RemoteControlServer,
                    SpikeGeneratorGroup, SpikeMonitor, Tabulate,
                    TabulateInterp, VanRossumMetric, clear, correlogram,
                    defaultclock, firing_rate, gamma_factor,
                    group_correlations, mV, ms, reinit_default_clock, run,
                    second, sort_spikes, spike_triggered_average, stop,
                    total_correlation, vector_strength)
from brianc.tools.io import load_aer, save_aer
from brianc.utils.progressreporting import ProgressReporter, time_rep


def poisson(rate, duration, rng):
    n = rng.poisson(rate * duration)
    return np.sort(rng.uniform(0, duration, n))


def test_poisson_cv_and_rate():
    rng = np.random.default_rng(3)
    t = poisson(100.0, 200.0, rng)            # ~20000 spikes
    n = len(t) - 1
    # CV of exponential intervals is 1; its sampling sd is about 1/sqrt(n).
    assert abs(CV(t) - 1) < 5 / np.sqrt(n)
    assert firing_rate(t) == pytest.approx((len(t) - 1) / (t[-1] - t[0]))
    assert abs(firing_rate(t) - 100) < 5 * np.sqrt(100 / 200.0)


def test_periodic_train():
    t = 0.003 + np.arange(200) * 0.01
    assert vector_strength(t, 0.01) == pytest.approx(1.0)
    assert CV(t) == pytest.approx(0.0, abs=1e-9)
    # Half the spikes shifted by half a period: phases cancel.
    t2 = np.sort(np.concatenate([t, t + 0.005]))
    assert vector_strength(t2, 0.01) == pytest.approx(0.0, abs=1e-9)


def test_correlogram_of_a_shifted_copy():
    rng = np.random.default_rng(5)
    t1 = poisson(20.0, 100.0, rng)
    shift = 0.0035
    c = correlogram(t1, t1 + shift, width=10 * ms, bin=1 * ms, T=100.0)
    assert len(c) == 20
    peak = int(np.argmax(c))
    assert peak == 10 + 3                      # lag bin [3 ms, 4 ms)
    # Every spike has its copy in that bin, plus chance coincidences
    # (Poisson, mean N * rate * bin): count / (T - lag).
    chance = len(t1) * 20.0 * 1e-3
    assert c[peak] * (100.0 - 3e-3) == pytest.approx(
        len(t1) + chance, abs=4 * np.sqrt(chance))
    # Other bins hold the chance coincidences rate^2 * bin * T / T.
    others = np.delete(c, peak)
    assert abs(others.mean() - 20.0 ** 2 * 1e-3) < 0.15


def test_correlogram_matches_a_direct_count():
    rng = np.random.default_rng(7)
    t1, t2 = poisson(30.0, 20.0, rng), poisson(30.0, 20.0, rng)
    width, bin = 0.02, 0.001
    lags = (t2[None, :] - t1[:, None]).ravel()
    lags = lags[(lags >= -width) & (lags < width)]
    h, _ = np.histogram(lags, np.arange(41) * bin - width)
    T = max(t1[-1], t2[-1]) - min(t1[0], t2[0])
    c = correlogram(t1, t2, width=width, bin=bin)
    n = 20
    overlap = np.concatenate([T - bin * np.arange(n - 1, -1, -1),
                              T - bin * np.arange(n)])
    np.testing.assert_allclose(c, h / overlap)
    assert np.allclose(CCF(t1, t2), c / 1e-3)
    assert np.allclose(ACVF(t1), ACF(t1) - firing_rate(t1) ** 2)


def test_total_correlation_of_copies_and_independent_trains():
    rng = np.random.default_rng(11)
    t = poisson(10.0, 500.0, rng)
    assert total_correlation(t, t + 0.001) == pytest.approx(1.0, abs=0.05)
    u = poisson(10.0, 500.0, rng)
    assert abs(total_correlation(t, u)) < 0.05


def test_empty_trains_give_nan_with_a_warning():
    with pytest.warns(RuntimeWarning):
        assert firing_rate([]) is NaN
    with pytest.warns(RuntimeWarning):
        assert CV([]) is NaN
    with pytest.warns(RuntimeWarning):
        assert correlogram([], []) is NaN
    with pytest.warns(RuntimeWarning):
        assert total_correlation([], []) is NaN


def test_bad_input_raises():
    with pytest.raises(ValueError, match="sorted"):
        CV([0.3, 0.1, 0.2])
    with pytest.raises(ValueError, match="positive"):
        correlogram([0.1, 0.2], [0.1, 0.2], bin=0 * ms)
    with pytest.raises(ValueError, match="too short"):
        correlogram([0.1, 0.2], [0.1, 0.2], width=20 * ms, T=0.01)
    with pytest.raises(ValueError, match="same time"):
        firing_rate([0.1, 0.1])
    with pytest.raises(ValueError, match="empty"):
        vector_strength([], 0.1)
    with pytest.raises(DimensionMismatchError):
        correlogram([0.1, 0.2], [0.1, 0.2], width=2 * mV)


def test_group_correlations_finds_a_1ms_lag():
    rng = np.random.default_rng(2)
    t = np.cumsum(rng.exponential(0.1, 200))
    spikes = sort_spikes([(0, x) for x in t] + [(1, x + 1e-3) for x in t])
    S, tauc = group_correlations(spikes, delta=3 * ms)
    assert tauc[0, 1] == pytest.approx(1e-3, rel=0.05)   # few chance pairs
    # Every spike of 0 is followed by one of 1: S = 1 - chance level.
    assert S[0, 1] == pytest.approx(1 - 200 / t[-1] * 3e-3, rel=0.05)


def test_gamma_factor():
    t = np.arange(1, 101) * 0.01
    assert gamma_factor(t, t, 1 * ms, normalize=False) == 100
    g = gamma_factor(t, t, 1 * ms)
    rate = 99 / (t[-1] - t[0])
    expected = (100 - 2 * 1e-3 * 100 * rate) / (
        .5 * (1 - 2 * 1e-3 * rate) * 200)
    assert g == pytest.approx(expected)
    assert gamma_factor(t + 0.005, t, 1 * ms, normalize=False) == 0


def test_spike_triggered_average_of_a_known_stimulus():
    dt = 1e-3
    stimulus = np.sin(np.arange(10000) * 0.01)
    spikes = np.array([1.0, 2.0, 3.0])
    sta, axis = spike_triggered_average(spikes, stimulus, 0.01, dt)
    idx = (spikes / dt).astype(int)
    expected = np.mean([stimulus[i - 1 - np.arange(10)] for i in idx],
                       axis=0)
    np.testing.assert_allclose(sta, expected)
    assert axis[-1] == pytest.approx(0.01)


def test_aer_round_trip(tmp_path):
    addr = np.array([3, 0, 7, 2])
    times = np.array([0.0, 1e-4, 2.5e-3, 0.1])
    name = str(tmp_path / "x.aedat")
    save_aer((addr, times), name)
    a, t = load_aer(name)
    np.testing.assert_array_equal(a, addr)
    np.testing.assert_allclose(t, times, atol=1e-12)
    with pytest.raises(ValueError, match="aedat"):
        save_aer((addr, times), str(tmp_path / "x.txt"))


def test_aer_spike_monitor_round_trip(tmp_path):
    reinit_default_clock()
    clear(True)
    G = SpikeGeneratorGroup(5, [(1, 1 * ms), (4, 2 * ms), (0, 2 * ms),
                                (1, 5 * ms)])
    name = str(tmp_path / "m.aedat")
    M = AERSpikeMonitor(G, name)
    S = SpikeMonitor(G)
    run(10 * ms)
    M.close()
    addr, t = load_aer(name)
    i, ts = S.it
    np.testing.assert_array_equal(addr, i)
    np.testing.assert_allclose(t, ts, atol=1e-12)
    clear(True)


def test_file_spike_monitor(tmp_path):
    reinit_default_clock()
    clear(True)
    G = SpikeGeneratorGroup(3, [(2, 1 * ms), (0, 3 * ms)])
    name = tmp_path / "s.txt"
    M = FileSpikeMonitor(G, str(name), record=True)
    run(5 * ms)
    M.close()
    rows = [line.split(", ") for line in name.read_text().splitlines()]
    assert [int(r[0]) for r in rows] == [2, 0]
    assert [float(r[1]) for r in rows] == pytest.approx([1e-3, 3e-3])
    assert len(M.spikes) == 2
    clear(True)


def direct_van_rossum(spikes, n, n_steps, q):
    x = np.zeros((n, n_steps))
    for i, s in spikes:
        x[i, s:] += q ** np.arange(n_steps - s)
    d = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)
    return d


def test_van_rossum_gram_matches_filtered_traces():
    from brianc import _core
    rng = np.random.default_rng(4)
    n, n_steps, q = 4, 300, np.exp(-0.1 / 2.0)
    steps = np.sort(rng.integers(0, n_steps, 40))
    neurons = rng.integers(0, n, 40)
    steps[5] = steps[4]                       # two spikes in one step
    neurons[5] = neurons[4]
    gram = _core.van_rossum_gram(n, neurons.astype(np.int32),
                                 steps.astype(np.int64), n_steps, q)
    norms = np.diag(gram)
    d = norms[:, None] + norms[None, :] - 2 * gram
    expected = direct_van_rossum(zip(neurons, steps), n, n_steps, q)
    np.testing.assert_allclose(d, expected, rtol=1e-9, atol=1e-9)
    with pytest.raises(ValueError):
        _core.van_rossum_gram(n, neurons.astype(np.int32)[::-1].copy(),
                              steps.astype(np.int64)[::-1].copy(),
                              n_steps, q)


def test_van_rossum_metric_monitor():
    reinit_default_clock()
    clear(True)
    spikes = [(0, 1 * ms), (1, 1 * ms), (2, 4 * ms), (0, 6 * ms)]
    G = SpikeGeneratorGroup(3, spikes)
    V = VanRossumMetric(G, tau=2 * ms)
    run(10 * ms)
    d = V.distance
    dt, tau = float(defaultclock.dt), 2e-3
    steps = [(i, int(round(float(t) / dt))) for i, t in spikes]
    expected = direct_van_rossum(steps, 3, 100, np.exp(-dt / tau)) * dt / tau
    np.testing.assert_allclose(d, expected, rtol=1e-9, atol=1e-12)
    assert d[0, 1] > 0 and d[0, 1] == d[1, 0]
    clear(True)


def test_parameters_and_tabulate():
    p = Parameters(a=5, b=6, computed_c='''
        c = a + b
        ''')
    assert p.c == 11
    p.a = 1
    assert p.c == 7 and p(b=1).c == 2
    with pytest.raises(AttributeError):
        p.c = 3
    g = TabulateInterp(np.sin, 0, 1, 1001)
    assert g(0.5) == pytest.approx(np.sin(0.5), abs=1e-6)
    assert np.isnan(Tabulate(np.sin, 0, 1, 100)(2.0))


def test_progress_reporter_text_and_function():
    seen = []
    with ProgressReporter(lambda e, c: seen.append(c), period=0) as r:
        for k in range(4):
            r.update((k + 1) / 4)
    assert seen[-1] == 1.0 and len(seen) >= 4
    assert time_rep(3725) == "1h 2m 5s"
    with pytest.raises(ValueError):
        ProgressReporter("nonsense")


def test_remote_control_round_trip_on_loopback():
    reinit_default_clock()
    clear(True)
    G = NeuronGroup(1, 'v : 1')
    server = RemoteControlServer(server=('127.0.0.1', 0), authkey='k')
    out = {}

    def client_side():
        client = RemoteControlClient(server.address, authkey='k')
        out['value'] = client.evaluate('40 + 2')
        client.set('x', 5)
        client.execute('G.v = 3')
        out['v'] = client.evaluate('float(G.v[0])')
        with pytest.raises(NameError):
            client.evaluate('undefined_name')
        client.stop()
        client.close()

    thread = threading.Thread(target=client_side)
    thread.start()
    run(100 * second)             # stopped by the client
    thread.join(60)               # a guard against a hang, not a timing
    server.close()
    assert not thread.is_alive()
    assert out == {'value': 42, 'v': 3.0}
    assert defaultclock.t < 100 * second      # stopped long before its end
    clear(True)


def test_coincidence_counters():
    from brianc import CoincidenceCounter, CoincidenceMatrixCounter
    reinit_default_clock()
    clear(True)
    G = SpikeGeneratorGroup(2, [(0, 10 * ms), (0, 20 * ms), (0, 30 * ms),
                                (1, 10 * ms), (1, 10.2 * ms)])
    data = [-1, 10.5e-3, 25e-3, 31e-3, 10]       # with the sentinels
    exclusive = CoincidenceCounter(G, data, delta=1 * ms)
    inclusive = CoincidenceCounter(G, data, delta=1 * ms,
                                   coincidence_count_algorithm='inclusive')
    matrix = CoincidenceMatrixCounter(G, delta=1 * ms)
    run(40 * ms)
    assert list(exclusive.model_length) == [3, 2]
    # 10 ms and 30 ms match 10.5 ms and 31 ms; neuron 1's two spikes
    # share the 10.5 ms target, which counts once unless inclusive.
    assert list(exclusive.coincidences) == [2, 1]
    assert list(inclusive.coincidences) == [2, 2]
    M = matrix.coincidences
    assert list(np.diag(M)) == [3, 2]            # each spike with itself
    assert M[0, 1] == M[1, 0] == 1               # 1 at 10 ms, 0 at 10 ms
    clear(True)


def test_state_histogram_monitor():
    from brianc import NeuronGroup, StateHistogramMonitor
    reinit_default_clock()
    clear(True)
    G = NeuronGroup(2, 'v : 1')
    G.v = [0.25, 0.75]
    M = StateHistogramMonitor(G, 'v', (0, 1), period=1 * ms, nbins=4)
    run(10 * ms)
    np.testing.assert_array_equal(M.hist, [[0, 1, 0, 0], [0, 0, 0, 1]])
    np.testing.assert_allclose(M.mean, [0.25, 0.75])
    np.testing.assert_allclose(M.var, [0, 0], atol=1e-15)
    clear(True)


def test_information_theory_against_gaussians():
    from brianc.tools.information_theory import entropy, entropy_gaussian, \
        mutual_information
    rng = np.random.default_rng(0)
    P = rng.normal(size=(2, 2))
    C = P @ P.T
    X = (P @ rng.normal(size=(2, 20000))).T
    assert entropy(X, k=5) == pytest.approx(entropy_gaussian(C), abs=0.05)
    x = rng.normal(size=(20000, 1))
    y = 0.8 * x + 0.6 * rng.normal(size=(20000, 1))
    assert mutual_information(x, y, k=3) == pytest.approx(
        -0.5 * np.log(1 - 0.8 ** 2), abs=0.05)
