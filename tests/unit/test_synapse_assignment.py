"""Strings assigned to synaptic variables (S.w = 'rand()*gmax', S.delay =
'...') computed by the VM in C: the same values as NumPy's evaluation for
arithmetic of i, j, synaptic and group variables; rand() and randn() from
brianc's generator (one number per synapse: uniform and normal by their
statistics, the same under seed() on any thread count); what the VM
cannot run still evaluated by NumPy; bad delays and NaN refused.

rand() here used to come from NumPy's generator, then from one cipher
call per synapse, now two synapses per call: seeded values differ from
earlier releases, their distribution does not."""
import math

import numpy as np
import pytest

from brianc import (NeuronGroup, Synapses, ms, reinit_default_clock, seed,
                    set_num_threads)


@pytest.fixture(autouse=True)
def _clock():
    reinit_default_clock()
    yield
    set_num_threads(None)


def _synapses(n_pre=40, n_post=30, p=0.3, model="w : 1\nu : 1"):
    P = NeuronGroup(n_pre, "v : 1\nx : 1")
    Q = NeuronGroup(n_post, "v : 1\ny : 1")
    P.x = np.linspace(-1.0, 2.0, n_pre)
    Q.y = np.cos(np.arange(n_post))
    S = Synapses(P, Q, model=model, pre="v += w * x_pre + y_post")
    S[:, :] = p
    return P, Q, S


def test_arithmetic_equals_numpy_exactly():
    P, Q, S = _synapses(model="w : 1\nu : 1\nz : 1")
    i, j = S.presynaptic.astype(float), S.postsynaptic.astype(float)
    S.u = "i * 0.5 - j * 0.75"
    S.z = "u * x_pre + y_post * (i > j) - 2 * u"
    u = i * 0.5 - j * 0.75
    assert np.array_equal(S.u[:], u)
    x, y = P.x[:][S.presynaptic], Q.y[:][S.postsynaptic]
    assert np.array_equal(S.z[:], u * x + y * (i > j) - 2 * u)
    # a division by a constant is a product by its inverse (to 1 ulp)
    S.u = "j / 3"
    assert np.allclose(S.u[:], j / 3, rtol=2.3e-16, atol=0)


def test_gathered_group_arrays_and_subsets():
    P, Q, S = _synapses()
    xs = P.x[:].copy()
    S.w = "xs[i] + 10 * n"
    assert np.array_equal(S.w[:], xs[S.presynaptic] + 10 * len(S))
    S.w[2, :] = "j * 1.5"
    mine = S.presynaptic == 2
    assert np.array_equal(S.w[:][mine], 1.5 * S.postsynaptic[mine])
    assert np.array_equal(S.w[:][~mine], (xs[S.presynaptic] +
                                          10 * len(S))[~mine])


def test_python_function_falls_back_to_numpy():
    P, Q, S = _synapses()

    def double(a):
        return 2 * a
    S.w = "double(j) + 1"
    assert np.array_equal(S.w[:], 2.0 * S.postsynaptic + 1)


def test_rand_is_uniform_and_randn_normal():
    seed(7)
    P, Q, S = _synapses(400, 500, p=0.5)          # ~100000 synapses
    n = len(S)
    S.w = "rand()"
    w = np.sort(S.w[:])
    assert 0.0 < w[0] and w[-1] < 1.0
    # Kolmogorov-Smirnov distance against U(0, 1): P(D > 1.95/sqrt(n))
    # is about 0.001
    d = np.max(np.maximum(np.arange(1, n + 1) / n - w,
                          w - np.arange(n) / n))
    assert d < 1.95 / math.sqrt(n)
    S.u = "randn()"
    u = S.u[:]
    assert abs(u.mean()) < 4.0 / math.sqrt(n)
    assert abs(u.var() - 1.0) < 4.0 * math.sqrt(2.0 / n)
    # two draws in one string are independent: E (U1 - U2)^2 = 1/6, the
    # square's standard deviation sqrt(7/180) < 0.2
    S.u = "rand() - rand()"
    assert abs(np.mean(S.u[:] ** 2) - 1.0 / 6.0) < 4.0 * 0.2 / math.sqrt(n)


def test_neighbouring_synapses_draw_independently():
    # synapses 2m and 2m + 1 take the two halves of one cipher call: the
    # pairs fill the unit square evenly (chi-square over a 10 x 10 grid,
    # 99 degrees of freedom: P(X > 160) < 1e-4) and neighbours, within a
    # call or across two, are uncorrelated (|r| < 4 / sqrt(n))
    seed(11)
    P, Q, S = _synapses(400, 500, p=0.5)          # ~100000 synapses
    S.w = "rand()"
    w = S.w[:]
    n = len(w) // 2
    cells = (np.floor(w[0:2 * n:2] * 10) * 10
             + np.floor(w[1:2 * n:2] * 10)).astype(int)
    counts = np.bincount(cells, minlength=100)
    expected = n / 100.0
    assert ((counts - expected) ** 2 / expected).sum() < 160.0
    for a, b in ((w[0:2 * n:2], w[1:2 * n:2]),
                 (w[1:2 * n - 1:2], w[2:2 * n:2])):
        assert abs(np.corrcoef(a, b)[0, 1]) < 4.0 / math.sqrt(len(a))


def _drawn(threads):
    set_num_threads(threads)
    seed(3)
    P, Q, S = _synapses(700, 600, p=0.5)          # > 200000: split
    S.w = "rand() * 0.5 + randn()"
    S.delay = "rand() * 2 * ms"
    return S.w[:].copy(), S.delay[:].copy()


def test_same_draws_under_seed_on_one_and_two_threads():
    one, two, again = _drawn(1), _drawn(2), _drawn(1)
    assert len(one[0]) > 200000
    for a, b, c in zip(one, two, again):
        assert np.array_equal(a, b) and np.array_equal(a, c)


def test_each_assignment_draws_afresh():
    seed(4)
    P, Q, S = _synapses()
    S.w = "rand()"
    first = S.w[:].copy()
    S.w = "rand()"
    assert not np.any(first == S.w[:])


def test_delay_strings_in_steps_and_checked():
    P, Q, S = _synapses()
    S.delay = "rand() * 2 * ms"
    d = S.delay[:]
    assert np.all((d >= 0) & (d < 2e-3)) and np.unique(d).size > 5
    assert np.allclose(d / 1e-4, np.round(d / 1e-4))       # whole steps
    with pytest.raises(ValueError):
        S.delay = "(rand() - 2) * ms"
    assert np.array_equal(S.delay[:], d)


def test_nan_is_refused_and_values_kept():
    P, Q, S = _synapses()
    S.w = "j + 1.0"
    before = S.w[:].copy()
    with pytest.raises(ValueError):
        S.w = "log(j - 3.0)"
    assert np.array_equal(S.w[:], before)
