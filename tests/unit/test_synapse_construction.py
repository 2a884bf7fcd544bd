"""Synapses construction in C: full, one-to-one, random and conditional
blocks give the pairs the NumPy formulation gives (random rows: the same
draws as the connection sampler), the same pairs on 1 and 2 threads, and
clear errors for bad input.

The random stream of conditional blocks is per row (row k draws at step
k, index = the column's position), where it used to be per chunk of
pairs: numeric (probability) conditions draw other numbers than before,
so they are tested by their statistics."""
import math

import numpy as np
import pytest

from brianc import (NeuronGroup, Synapses, reinit_default_clock, seed,
                    set_num_threads)
from brianc import _core


@pytest.fixture(autouse=True)
def _clock():
    reinit_default_clock()
    yield
    set_num_threads(None)


def _synapses(n_pre, n_post, model="w : 1"):
    P = NeuronGroup(n_pre, "v : 1")
    Q = NeuronGroup(n_post, "v : 1")
    return P, Q, Synapses(P, Q, model=model)


def _pairs(S):
    return S.presynaptic.tolist(), S.postsynaptic.tolist()


# -- same pairs as the NumPy formulation ------------------------------------
def test_full_pairs_match_repeat_and_tile():
    i = np.array([4, 0, 2], np.int32)
    j = np.array([1, 3], np.int32)
    pre, post = _core.synapse_full_pairs(i, j, 2)
    assert pre.dtype == np.int32 and post.dtype == np.int32
    assert pre.tolist() == np.tile(np.repeat(i, 2), 2).tolist()
    assert post.tolist() == np.tile(j, 6).tolist()
    pre, post = _core.synapse_full_pairs(i, j, 0)
    assert len(pre) == len(post) == 0


@pytest.mark.parametrize("p", [0.0, 0.0005, 0.003, 0.3, 0.7, 1.0])
def test_random_pairs_draw_as_the_connection_sampler(p):
    # row k of the block is the sampler's row k, mapped through i and j
    i = np.array([7, 3, 3, 0, 9, 1] * 400, np.int32)    # split at p >= 0.3
    j = np.arange(0, 2000, 3, dtype=np.int32)[::-1].copy()
    rows, cols = _core.random_pairs(11, 5, 0, len(i), 0, len(j), p)
    for threads in (1, 2):
        pre, post = _core.synapse_random_pairs(11, 5, i, j, p, threads)
        assert np.array_equal(pre, i[rows]) and np.array_equal(post, j[cols])


def test_condition_pairs_match_numpy():
    G = NeuronGroup(30, "x : 1")
    G.x = np.arange(30) % 7
    S = Synapses(G[3:20], G[10:30], model="w : 1")
    S[G[3:20], G[10:30]] = "((i + 2*j) % 3 == 0 and i != j) or G.x[j] > 5"
    ii, jj = np.meshgrid(np.arange(17), np.arange(20), indexing="ij")
    # i and j count from the subgroups' starts, G.x[j] too (Brian 1)
    keep = (((ii + 2 * jj) % 3 == 0) & (ii != jj)) | (G.x[jj] > 5)
    assert S.presynaptic.tolist() == ii[keep].tolist()
    assert S.postsynaptic.tolist() == jj[keep].tolist()


def test_one_to_one_and_full_keep_their_order():
    P, Q, S = _synapses(5, 6)
    S.connect_one_to_one(P[1:4], Q[2:5])
    S.connect_full([4, 0], [5, 1])
    assert _pairs(S) == ([1, 2, 3, 4, 4, 0, 0], [2, 3, 4, 5, 1, 5, 1])


def test_probability_condition_follows_its_statistics():
    P, Q, S = _synapses(300, 300)
    seed(5)
    S[:, :] = "exp(-abs(i - j) / 20.0)"
    ii, jj = np.meshgrid(np.arange(300), np.arange(300), indexing="ij")
    prob = np.exp(-np.abs(ii - jj) / 20.0)
    mean, var = prob.sum(), (prob * (1 - prob)).sum()
    assert abs(len(S) - mean) < 5 * math.sqrt(var)
    # each pair at most once, and far pairs (prob < 1e-6) never
    pre, post = np.array(_pairs(S))
    assert len(set(zip(pre.tolist(), post.tolist()))) == len(S)
    assert np.all(np.abs(pre - post) < 280)
    # the nearest diagonals: kept about as often as they should be
    near = np.abs(pre - post) <= 2
    expected = prob[np.abs(ii - jj) <= 2].sum()
    assert abs(near.sum() - expected) < 5 * math.sqrt(expected)


# -- threads -----------------------------------------------------------------
def _build(threads):
    set_num_threads(threads)
    seed(17)
    P, Q, S = _synapses(700, 600)
    S.connect_random(sparseness=0.5)
    S[:, :] = "rand() < 0.02"
    S[:, :] = "0.01 * (1 + (i % 3))"
    S[100:300, :] = "j % 50 == i % 50"
    S.w = "rand()"
    return (S.presynaptic.copy(), S.postsynaptic.copy(), S.w[:].copy())


def test_same_synapses_on_one_and_two_threads():
    one, two = _build(1), _build(2)
    assert len(one[0]) > 200000         # enough rows to be split
    for a, b in zip(one, two):
        assert np.array_equal(a, b)


# -- bad input ---------------------------------------------------------------
def test_non_boolean_condition_is_an_error():
    P, Q, S = _synapses(4, 5)
    with pytest.raises(ValueError, match=r"'i - j'.*boolean or a "
                                         r"probability.*i = 0, j = 1"):
        S[:, :] = "i - j"
    assert len(S) == 0


def test_nan_probabilities_are_errors():
    P, Q, S = _synapses(4, 5)
    with pytest.raises(ValueError, match="nan"):
        S[:, :] = float("nan")
    with pytest.raises(ValueError, match="nan"):
        S.connect_random(sparseness=float("nan"))
    with pytest.raises(ValueError, match="probability"):
        S[:, :] = "sqrt(-1.0 * (i + 1))"
    with pytest.raises(ValueError):
        S[:, :] = 1.5
    assert len(S) == 0


def test_out_of_range_indices_are_errors():
    P, Q, S = _synapses(4, 5)
    with pytest.raises(IndexError):
        S[[0, 4], :] = True
    with pytest.raises(IndexError):
        S[:, -1] = "i == j"
    with pytest.raises(IndexError):
        S.connect_full(P, [5])
    with pytest.raises(IndexError):
        S.connect_random([0, 9], Q, sparseness=0.5)
    with pytest.raises(IndexError):
        _core.synapse_full_pairs(np.array([-1], np.int32),
                                 np.array([0], np.int32), 1)
    assert len(S) == 0


def test_condition_program_is_checked_by_the_core():
    P, Q, S = _synapses(2, 2)
    from brianc.synapses.construction import _Expression
    test = _Expression("i < j", ["i", "j"], [{}], condition=True)
    i = np.arange(2, dtype=np.int32)
    with pytest.raises(ValueError, match="values"):
        _core.synapse_condition_pairs(test.program, (np.zeros(2),),
                                      (True, False), i, i, 1, 0, -1, 1)
    with pytest.raises(ValueError, match="row 1 has 3 values"):
        _core.synapse_condition_pairs(test.program, (np.zeros(2),
                                                     np.zeros(3)),
                                      (True, False), i, i, 1, 0, -1, 1)
    pre, post, bad = _core.synapse_condition_pairs(
        test.program, (np.zeros(2), np.arange(2.0)), (True, False), i, i,
        1, 0, -1, 1)
    assert bad is None and pre.tolist() == [0, 1] and post.tolist() == [1, 1]


# -- delays -------------------------------------------------------------------
def test_delays_of_every_synapse_converted_in_c_as_numpy_does():
    from brianc import ms
    P, Q, S = _synapses(40, 50, "w : 1")
    S2 = Synapses(P, Q, model="w : 1", pre="v += w", max_delay=3 * ms)
    S2[:, :] = True
    seconds = np.random.RandomState(2).rand(len(S2)) * 3e-3
    seconds[:7] = [0.0, 1e-4, 2e-4, 3e-4, 2.9999e-3, 3e-3, 1e-3]
    S2.delay[:] = seconds                   # all synapses: the C pass
    steps = (seconds * (1.0 / S2._dt)).astype(np.int64)
    assert np.array_equal(S2._delays[0], steps)
    before = S2._delays[0].copy()
    for bad, message in [(np.where(np.arange(len(S2)) == 9, -1e-4,
                                   seconds), "non-negative"),
                         (np.where(np.arange(len(S2)) == 9, np.nan,
                                   seconds), "NaN"),
                         (seconds + 1e-3, "more than max_delay")]:
        with pytest.raises(ValueError, match=message):
            S2.delay[:] = bad
        assert np.array_equal(S2._delays[0], before)   # untouched


def test_synapses_between_selections_as_numpy_selects_them():
    seed(9)
    P, Q, S = _synapses(60, 50)
    S[:, :] = 0.2
    S[3, 4] = 2                         # several synapses of one pair
    S[P[10:20], Q[5:9]] = True
    pre, post = S.presynaptic, S.postsynaptic
    for i, j in ((slice(None), slice(None)), (P[10:20], Q[5:9]),
                 ([3, 7, 59], slice(4, 30)), (3, 4), (59, [0, 49])):
        S.w = 0.0
        S.w[i, j] = 1.0
        ii = np.arange(60)[i] if not hasattr(i, "_origin") else \
            np.arange(i._origin, i._origin + len(i))
        jj = np.arange(50)[j] if not hasattr(j, "_origin") else \
            np.arange(j._origin, j._origin + len(j))
        want = np.isin(pre, ii) & np.isin(post, jj)
        assert np.array_equal(S.w[:], want.astype(float))
        assert np.array_equal(np.flatnonzero(want),
                              np.sort(np.flatnonzero(S.w[:])))
    assert len(S.w[3, 4]) >= 2
