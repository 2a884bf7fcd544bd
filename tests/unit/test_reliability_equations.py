"""Long expressions and many equations: the compiler takes 10,000-term
sums (and refuses longer ones with the limit), and solves uncoupled
linear subsystems one by one."""
import sys

import numpy as np
import pytest

from brianc import Network, NeuronGroup, mV, ms
from brianc._deep import MAX_OPERATORS
from brianc._integration import (coupled_blocks, euler_propagator, expm,
                                 linear_propagator, linear_step)


@pytest.mark.slow
def test_a_10000_term_sum_builds_and_integrates_exactly():
    n = 10_000
    G = NeuronGroup(2, "dv/dt = (" + "+".join(["v"] * n) +
                    f")/(10*ms)/{n} : volt")
    G.v = 1 * mV
    Network(G).run(1 * ms)
    assert G.v[0] == pytest.approx(1e-3 * np.exp(0.1), rel=1e-9)
    assert sys.getrecursionlimit() < 10_000     # restored afterwards


def test_long_thresholds_and_resets_compile():
    n = 2_000
    G = NeuronGroup(3, "dv/dt = 1*mV/ms : volt",
                    threshold=" + ".join(["v"] * n) + f" > {n}*0.35*mV",
                    reset="v = " + " + ".join(["0*v"] * n))
    Network(G).run(1 * ms)
    # v reaches 0.4 mV (> 0.35 mV) at steps 3 and 7 and is reset: 0.2 mV
    # after the 10 steps
    assert G.v[0] == pytest.approx(2e-4)


def test_expressions_past_the_limit_get_a_clear_error():
    eq = "dv/dt = (" + "+".join(["v"] * (MAX_OPERATORS + 5)) + ")/ms : 1"
    with pytest.raises(ValueError, match=f"at most {MAX_OPERATORS}"):
        NeuronGroup(1, eq)


def test_uncoupled_blocks_are_found():
    m = np.zeros((5, 5))
    m[0, 0], m[1, 3], m[3, 1], m[2, 2], m[4, 0] = -1, 2, -3, -4, 1
    blocks = [list(b) for b in coupled_blocks(m)]
    assert blocks == [[0, 4], [1, 3], [2]]


def test_block_propagator_equals_the_whole_exponential():
    rng = np.random.default_rng(3)
    m = np.zeros((6, 6))
    m[:3, :3] = rng.normal(size=(3, 3)) - 4 * np.eye(3)
    m[3, 3], m[4, 4], m[5, 5] = -1.0, -2.0, -50.0
    b = rng.normal(size=6)
    method, a, c = linear_propagator(m, b, 1e-3)
    assert method == "linear"
    full = expm(m * 1e-3)
    np.testing.assert_allclose(a, full, rtol=1e-13, atol=1e-16)
    fixed = np.linalg.solve(m, -b)
    np.testing.assert_allclose(c, fixed - full @ fixed, rtol=1e-11,
                               atol=1e-16)


def test_one_singular_block_sends_every_variable_to_euler():
    m = np.diag([-1.0, 0.0, -3.0])      # variable 1 is a parameter
    b = np.array([1.0, 0.0, 2.0])
    method, a, c = linear_propagator(m, b, 1e-3)
    a_ref, c_ref = euler_propagator(m, b, 1e-3)
    assert method == "linear_euler100"
    np.testing.assert_allclose(a, a_ref, rtol=1e-15)
    np.testing.assert_allclose(c, c_ref, rtol=1e-15)


def test_many_uncoupled_equations_integrate_exactly():
    n = 300
    eqs = "\n".join(f"dv{k}/dt = -v{k}/({k + 1}*ms) : volt"
                    for k in range(n))
    G = NeuronGroup(1, eqs)
    for k in range(n):
        setattr(G, f"v{k}", 1 * mV)
    Network(G).run(1 * ms)
    got = np.array([getattr(G, f"v{k}")[0] for k in range(n)])
    want = 1e-3 * np.exp(-1.0 / np.arange(1, n + 1))
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_linear_step_keeps_blocks_not_a_dense_matrix():
    # 6 variables: a coupled pair, a coupled triple, one alone.
    m = np.zeros((6, 6))
    m[0, 0], m[0, 4], m[4, 0], m[4, 4] = -2.0, 1.0, 0.5, -3.0
    m[1, 1], m[1, 2], m[2, 3], m[3, 1] = -1.0, 0.2, 0.7, -0.4
    m[2, 2], m[3, 3], m[5, 5] = -5.0, -6.0, -9.0
    b = np.arange(1.0, 7.0)
    rows, cols = np.nonzero(m)
    step = linear_step(6, rows, cols, m[rows, cols], b, 1e-3)
    assert sorted(len(idx) for idx, _ in step.blocks) == [2, 3]
    method, a, c = linear_propagator(m, b, 1e-3)
    assert step.method == method == "linear"
    np.testing.assert_array_equal(step.dense(), a)
    np.testing.assert_array_equal(step.c, c)
    # compressed rows: each row lists its own block's columns, ascending
    index, values = step.entries()
    starts, columns = index[:7], index[7:]
    for j in range(6):
        cols_j = columns[starts[j]:starts[j + 1]]
        assert list(cols_j) == list(np.flatnonzero(a[j]))
        np.testing.assert_array_equal(values[starts[j]:starts[j + 1]],
                                      a[j, cols_j])


def test_big_models_build_sparse_propagators_and_dense_ones_on_request():
    n = 400
    eqs = "\n".join(f"dv{k}/dt = -v{k}/({k % 7 + 1}*ms) : volt"
                    for k in range(n))
    eqs += "\ndx/dt = (y - x)/(5*ms) : volt\ndy/dt = -x/(8*ms) : volt"
    G = NeuronGroup(2, eqs)
    info = G._state_updater
    assert "A" not in vars(info) and "M" not in vars(info)   # not built
    G.x = 1 * mV
    G.v3 = 2 * mV
    Network(G).run(1 * ms)
    a = info.A                           # built on request, n x n
    assert a.shape == (n + 2, n + 2)
    rx, ry = G._rows["x"], G._rows["y"]
    x0 = np.zeros(n + 2)
    x0[rx], x0[G._rows["v3"]] = 1e-3, 2e-3
    want = np.linalg.matrix_power(a, 10) @ x0
    np.testing.assert_allclose([G.x[0], G.y[0], G.v3[0]],
                               [want[rx], want[ry], want[G._rows["v3"]]],
                               rtol=1e-12)
    np.testing.assert_allclose(G.v3[0], 2e-3 * np.exp(-1.0 / 4),
                               rtol=1e-9)


def test_evaluate_gives_what_substituting_constants_folds_to():
    from brianc._model import Model
    eqs = ("dx/dt = (-x + 0.3*y - z/7 + 2*mV)/(10*ms) : volt\n"
           "dy/dt = (x*(1/3) - y)/(7*ms) + (z - 1*mV)/(3*ms) : volt\n"
           "dz/dt = -(x + y)/(3*ms) : volt")
    model = Model(eqs)
    b, det, _, tools = model._analyse()
    var = [b.var(i) for i in range(3)]
    for point in (None, 0, 1, 2):
        mapping = {v: b.const(1.0 if k == point else 0.0)
                   for k, v in enumerate(var)}
        values = {} if point is None else {var[point]: 1.0}
        for f in det.values():
            want = b.value(tools.substitute(f, mapping, {}))
            got = b.evaluate(f, values, {}, other_vars=0.0)
            assert got == want and np.copysign(1, got) == np.copysign(1, want)
