"""Spike-train statistics speed: brianc against Brian 1's algorithms (as
Brian 1 wrote them, re-run here on NumPy) and against Elephant where it
has the same function.

- CV of one Poisson train of 10^6 spikes;
- correlogram of two Poisson trains of 5 x 10^5 spikes each (10^6 in all),
  lags in [-20 ms, 20 ms] in 1 ms bins;
- van Rossum distances between 1,000 trains of 10 s (10 Hz, dt = 0.1 ms,
  tau = 4 ms): Brian 1 filtered every train at every step and summed the
  squared differences of every pair; that needs 800 MB of traces and
  N^2 x steps operations, so it is timed on a subset (``--vr-subset``
  neurons for 1 s) and scaled by N^2 x steps, and brianc is timed on both.

    python benchmarks/bench_statistics.py [--repeat 3] [--no-elephant]

Prints the medians of ``--repeat`` runs (seconds) and the ratios.
"""
import argparse
import statistics
import time

import numpy as np

# ---------------------------------------------------------------------------
# Brian 1's algorithms, re-run on NumPy (reference only)


def brian1_cv(spikes):
    isi = np.diff(spikes)
    return np.std(isi) / np.mean(isi)


def brian1_correlogram(T1, T2, width=0.02, bin=0.001, T=None):
    i = j = 0
    n = int(np.ceil(width / bin))
    lags = []
    for t in T1:
        while i < len(T2) and T2[i] < t - width:
            i += 1
        while j < len(T2) and T2[j] < t + width:
            j += 1
        lags.extend(T2[i:j] - t)
    H, _ = np.histogram(lags, bins=np.arange(2 * n + 1) * bin - n * bin)
    if T is None:
        T = max(T1[-1], T2[-1]) - min(T1[0], T2[0])
    W = np.zeros(2 * n)
    W[:n] = T - bin * np.arange(n - 1, -1, -1)
    W[n:] = T - bin * np.arange(n)
    return H / W


def brian1_van_rossum(indices, steps, n, n_steps, dt, tau):
    """Traces of the filtered trains at every step (the kernel group
    Brian 1 simulated), then dt/tau * sum((v_i - v_j)^2) row by row."""
    q = np.exp(-dt / tau)
    values = np.zeros((n, n_steps))
    order = np.argsort(steps, kind="stable")
    v = np.zeros(n)
    k = 0
    for s in range(n_steps):          # the per-step simulation
        v *= q
        while k < len(order) and steps[order[k]] == s:
            v[indices[order[k]]] += 1
            k += 1
        values[:, s] = v
    distance = np.zeros((n, n))
    for a in range(n):
        distance[a, :] = (dt / tau) * np.sum((values[a][None, :] - values)
                                             ** 2, axis=1)
    return np.tril(distance) + np.tril(distance).T


# ---------------------------------------------------------------------------


def median_time(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def poisson_train(n, rate, rng):
    return np.cumsum(rng.exponential(1 / rate, n))


def brianc_van_rossum(indices, steps, n, n_steps, dt, tau):
    """The arithmetic of brianc's VanRossumMetric.distance on the same
    spikes (the monitor records them in C during the run)."""
    from brianc import _core
    order = np.argsort(steps, kind="stable")
    gram = _core.van_rossum_gram(n, indices[order].astype(np.int32),
                                 steps[order].astype(np.int64), n_steps,
                                 np.exp(-dt / tau))
    norms = np.diag(gram)
    d = (norms[:, None] + norms[None, :] - 2 * gram) * (dt / tau)
    return np.maximum(d, 0)


def van_rossum_spikes(n, duration, rate, dt, rng):
    count = rng.poisson(rate * duration * n)
    steps = rng.integers(0, int(round(duration / dt)), count)
    return rng.integers(0, n, count), steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--vr-subset", type=int, default=100)
    parser.add_argument("--no-elephant", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    from brianc.tools import statistics as st
    rows = []

    train = poisson_train(10 ** 6, 10.0, rng)
    assert np.isclose(st.CV(train), brian1_cv(train))
    rows.append(("CV, 10^6 spikes", median_time(
        lambda: st.CV(train), args.repeat), median_time(
        lambda: brian1_cv(train), args.repeat)))

    t1 = poisson_train(5 * 10 ** 5, 100.0, rng)
    t2 = poisson_train(5 * 10 ** 5, 100.0, rng)
    assert np.allclose(st.correlogram(t1, t2), brian1_correlogram(t1, t2))
    rows.append(("correlogram, 2 x 5*10^5 spikes", median_time(
        lambda: st.correlogram(t1, t2), args.repeat), median_time(
        lambda: brian1_correlogram(t1, t2), 1)))

    dt, tau = 1e-4, 4e-3
    n_sub = args.vr_subset
    i_sub, s_sub = van_rossum_spikes(n_sub, 1.0, 10.0, dt, rng)
    d_ref = brian1_van_rossum(i_sub, s_sub, n_sub, 10000, dt, tau)
    assert np.allclose(brianc_van_rossum(i_sub, s_sub, n_sub, 10000, dt,
                                         tau), d_ref, rtol=1e-7, atol=1e-9)
    rows.append((f"van Rossum, {n_sub} neurons x 1 s", median_time(
        lambda: brianc_van_rossum(i_sub, s_sub, n_sub, 10000, dt, tau),
        args.repeat), median_time(
        lambda: brian1_van_rossum(i_sub, s_sub, n_sub, 10000, dt, tau), 1)))
    i_full, s_full = van_rossum_spikes(1000, 10.0, 10.0, dt, rng)
    full = median_time(lambda: brianc_van_rossum(i_full, s_full, 1000,
                                                 100000, dt, tau),
                       args.repeat)
    scale = (1000 / n_sub) ** 2 * 10
    rows.append(("van Rossum, 1000 neurons x 10 s (Brian 1 scaled)", full,
                 rows[-1][2] * scale))

    print(f"{'benchmark':50s} {'brianc s':>10s} {'Brian 1 s':>10s} "
          f"{'ratio':>8s}")
    for name, ours, theirs in rows:
        print(f"{name:50s} {ours:10.4f} {theirs:10.4f} {theirs / ours:8.1f}")

    if args.no_elephant:
        return
    run_elephant(train, t1, t2, i_sub, s_sub, n_sub, dt, tau, args.repeat)


def run_elephant(train, t1, t2, i_sub, s_sub, n_sub, dt, tau, repeat):
    try:
        import neo
        import quantities as pq
        from elephant import conversion, spike_train_correlation, \
            spike_train_dissimilarity
        from elephant import statistics as es
    except ImportError:
        print("Elephant is not installed: no comparison with it")
        return
    from brianc.tools import statistics as st
    rows = []
    # CV: Elephant's cv of the intervals (SciPy's variation, ddof 0).
    ours = median_time(lambda: st.CV(train), repeat)
    theirs = median_time(lambda: es.cv(np.diff(train)), repeat)
    assert np.isclose(es.cv(np.diff(train)), st.CV(train))
    rows.append(("CV, 10^6 spikes", ours, theirs))
    # Cross-correlogram: Elephant bins both trains first (1 ms), then
    # correlates the binned trains; the binning is part of its cost.
    T = float(max(t1[-1], t2[-1])) + 1

    def elephant_cch():
        a = neo.SpikeTrain(t1 * pq.s, t_stop=T * pq.s)
        b = neo.SpikeTrain(t2 * pq.s, t_stop=T * pq.s)
        ba = conversion.BinnedSpikeTrain(a, bin_size=1 * pq.ms)
        bb = conversion.BinnedSpikeTrain(b, bin_size=1 * pq.ms)
        return spike_train_correlation.cross_correlation_histogram(
            ba, bb, window=[-20, 20], cross_correlation_coefficient=False)
    ours = median_time(lambda: st.correlogram(t1, t2, T=T), repeat)
    theirs = median_time(elephant_cch, 1)
    rows.append(("correlogram vs cross_correlation_histogram", ours,
                 theirs))
    # van Rossum: Elephant's distance in continuous time on the same
    # spikes (a different normalisation, the same pairwise work).
    trains = [neo.SpikeTrain(np.sort(s_sub[i_sub == k]) * dt * pq.s,
                             t_stop=1.0 * pq.s) for k in range(n_sub)]
    ours = median_time(lambda: brianc_van_rossum(i_sub, s_sub, n_sub, 10000,
                                                 dt, tau), repeat)
    theirs = median_time(lambda: spike_train_dissimilarity.
                         van_rossum_distance(trains, tau * pq.s), 1)
    rows.append((f"van Rossum, {n_sub} neurons x 1 s", ours, theirs))
    print(f"\n{'vs Elephant':50s} {'brianc s':>10s} {'Elephant s':>10s} "
          f"{'ratio':>8s}")
    for name, ours, theirs in rows:
        print(f"{name:50s} {ours:10.4f} {theirs:10.4f} {theirs / ours:8.1f}")


if __name__ == "__main__":
    main()
