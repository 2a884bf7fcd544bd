"""A statistical battery on the generator behind rand() and randn() in
model code (Philox-4x32-10, csrc/core/rng.h), in the spirit of Knuth's
and Marsaglia's tests (TestU01's SmallCrush picks from the same family):
frequency, serial pairs, gaps, birthday spacings, turning points, bit
frequencies, the normal law (Kolmogorov-Smirnov and moments), and
correlations between neighbouring counters, steps and sub-streams.

The draws come from a group whose update program is `x = rand()` (or
randn()), one row of n draws per step, so they are the numbers models
see.  Every test is a p-value compared with P_MIN = 1e-6 (two-sided where
too good a fit is as suspect as too bad): with a dozen or so tests a
sound generator fails one with probability about 1e-5, and the seeds are
fixed, so the verdict never changes between runs.  No PyPI package
offers TestU01 or PractRand; see benchmarks/normal_draw.md for a
PractRand run made outside the test suite."""
import numpy as np
import pytest
from scipy import stats

from brianc import Network, NeuronGroup, defaultclock, reinit_default_clock
from brianc import seed as brianc_seed
from brianc._expr_compiler import ProgramBuilder
from brianc._program import core_program

P_MIN = 1e-6
N, STEPS = 100_000, 40              # 4e6 draws per stream


def draws(kind: str, substream: int = 0, seed: int = 11) -> np.ndarray:
    """STEPS x N draws of RAND or RANDN: row s holds step s, column i the
    draw of neuron i (consecutive counters)."""
    reinit_default_clock()
    brianc_seed(seed)
    G = NeuronGroup(N, "x : 1")
    b = ProgramBuilder()
    G._c.set_update(core_program(b.build([(0, b.random(kind, substream))])))
    net = Network(G)
    out = np.empty((STEPS, N))
    for s in range(STEPS):
        net.run(defaultclock.dt)
        out[s] = G._state[0]
    return out


@pytest.fixture(scope="module")
def uniforms():
    return draws("RAND")


@pytest.fixture(scope="module")
def normals():
    return draws("RANDN")


def chi2_p(observed, expected) -> float:
    """Two-sided chi-square p-value: min(P(X >= x), P(X <= x)) * 2."""
    observed = np.asarray(observed, dtype=float).ravel()
    expected = np.broadcast_to(np.asarray(expected, dtype=float),
                               observed.shape)
    x = ((observed - expected) ** 2 / expected).sum()
    dof = observed.size - 1
    return 2 * min(stats.chi2.sf(x, dof), stats.chi2.cdf(x, dof))


def z_p(z: float) -> float:
    return 2 * stats.norm.sf(abs(z))


@pytest.mark.slow
def test_uniforms_lie_in_the_open_interval_and_are_equidistributed(uniforms):
    u = uniforms.ravel()
    assert u.min() > 0.0 and u.max() < 1.0
    counts = np.bincount((u * 4096).astype(np.int64), minlength=4096)
    assert chi2_p(counts, u.size / 4096) > P_MIN
    # the distribution function as a whole (Kolmogorov-Smirnov)
    assert stats.kstest(u[:1_000_000], "uniform").pvalue > P_MIN


@pytest.mark.slow
def test_bits_are_fair(uniforms):
    # each of the top 32 bits of the 53-bit integer behind a uniform
    k = (uniforms.ravel() * 2.0 ** 32).astype(np.uint64)
    n = k.size
    for bit in range(32):
        ones = int(((k >> np.uint64(bit)) & np.uint64(1)).sum())
        assert z_p((ones - n / 2) / np.sqrt(n / 4)) > P_MIN, bit


@pytest.mark.slow
@pytest.mark.parametrize("neighbour", ["counter", "step"])
def test_serial_pairs_fill_the_square_evenly(uniforms, neighbour):
    # (u of counter i, u of counter i + 1) within a step, or the same
    # counter index in consecutive steps, on a 64 x 64 grid
    if neighbour == "counter":
        a, b = uniforms[:, 0::2], uniforms[:, 1::2]
    else:
        a, b = uniforms[0::2], uniforms[1::2]
    cell = (a * 64).astype(np.int64) * 64 + (b * 64).astype(np.int64)
    counts = np.bincount(cell.ravel(), minlength=4096)
    assert chi2_p(counts, cell.size / 4096) > P_MIN


@pytest.mark.slow
def test_gaps_between_visits_to_an_interval_are_geometric(uniforms):
    # Knuth's gap test: positions where u < 1/8; the gaps between them
    # are geometric with p = 1/8 (the tail from 40 on pooled)
    u = uniforms.ravel()
    hits = np.flatnonzero(u < 0.125)
    gaps = np.minimum(np.diff(hits) - 1, 40)
    counts = np.bincount(gaps, minlength=41)
    p = 0.125 * 0.875 ** np.arange(41)
    p[40] = 0.875 ** 40
    assert chi2_p(counts, gaps.size * p) > P_MIN


@pytest.mark.slow
def test_birthday_spacings_repeat_as_often_as_chance_says(uniforms):
    # Marsaglia: m = 2^10 birthdays in a year of 2^24 days; the number of
    # repeated spacings between sorted birthdays is ~ Poisson(m^3 / 4n) =
    # Poisson(16) per sample
    m, days = 1024, 2 ** 24
    u = uniforms.ravel()
    n_samples = u.size // m
    b = np.sort((u[:n_samples * m] * days).astype(np.int64).reshape(-1, m),
                axis=1)
    spacings = np.sort(np.diff(b, axis=1), axis=1)
    repeats = (np.diff(spacings, axis=1) == 0).sum(axis=1)
    lam = m ** 3 / (4.0 * days)
    total = repeats.sum()
    assert z_p((total - n_samples * lam) / np.sqrt(n_samples * lam)) > P_MIN
    # and per sample: Poisson(16) counts, bins 0..7 and 26+ pooled
    counts = np.bincount(np.clip(repeats, 7, 26) - 7, minlength=20)
    pk = stats.poisson.pmf(np.arange(7, 27), lam)
    pk[0] = stats.poisson.cdf(7, lam)
    pk[-1] = stats.poisson.sf(25, lam)
    assert chi2_p(counts, n_samples * pk) > P_MIN


@pytest.mark.slow
def test_turning_points_are_as_many_as_in_a_random_sequence(uniforms):
    # a peak or trough at u[i] vs u[i-1], u[i+1]: mean 2(n-2)/3,
    # variance (16n-29)/90 for independent draws
    u = uniforms.ravel()
    n = u.size
    mid = u[1:-1]
    turns = int((((mid > u[:-2]) & (mid > u[2:]))
                 | ((mid < u[:-2]) & (mid < u[2:]))).sum())
    z = (turns - 2 * (n - 2) / 3) / np.sqrt((16 * n - 29) / 90)
    assert z_p(z) > P_MIN


@pytest.mark.slow
def test_neighbouring_counters_steps_streams_and_seeds_are_uncorrelated(
        uniforms, normals):
    other_stream = draws("RAND", substream=1)
    other_seed = draws("RAND", seed=12)
    pairs = {
        "counter i, i+1": (uniforms[:, :-1], uniforms[:, 1:]),
        "step s, s+1": (uniforms[:-1], uniforms[1:]),
        "sub-stream 0, 1": (uniforms, other_stream),
        "seed 11, 12": (uniforms, other_seed),
        "normal pair halves": (normals[:, 0::2], normals[:, 1::2]),
        "normals, uniforms": (normals, uniforms),
    }
    for name, (a, b) in pairs.items():
        r = np.corrcoef(a.ravel(), b.ravel())[0, 1]
        assert z_p(r * np.sqrt(a.size)) > P_MIN, name


@pytest.mark.slow
def test_normals_follow_the_standard_normal_law(normals):
    z = normals.ravel()
    n = z.size
    assert np.all(np.isfinite(z)) and np.abs(z).max() < 8.7
    assert stats.kstest(z[:1_000_000], "norm").pvalue > P_MIN
    # moments: mean 0, variance 1, skewness 0, excess kurtosis 0, with
    # their sampling standard deviations
    assert z_p(z.mean() * np.sqrt(n)) > P_MIN
    assert z_p((z.var() - 1) / np.sqrt(2 / n)) > P_MIN
    assert z_p(stats.skew(z) / np.sqrt(6 / n)) > P_MIN
    assert z_p(stats.kurtosis(z) / np.sqrt(24 / n)) > P_MIN
    # the tails, where a cheap transform would go wrong first: counts in
    # bins of the normal's quantiles out to 4 sigma (beyond: ~130 each)
    edges = np.array([-np.inf, -4, -3.5, -3, -2.5, -2, -1, 0,
                      1, 2, 2.5, 3, 3.5, 4, np.inf])
    counts = np.histogram(z, edges)[0]
    assert chi2_p(counts, n * np.diff(stats.norm.cdf(edges))) > P_MIN
