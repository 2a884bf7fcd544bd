"""linked_var: a group variable equal to (a function of) another group's
variable at every step, copied in C when the function is an expression."""
import numpy as np
import pytest

from brianc import (Network, NeuronGroup, StateMonitor, clear, clip,
                    linked_var, ms, reinit_default_clock, run)


@pytest.fixture(autouse=True)
def fresh_network():
    clear(True)
    reinit_default_clock()
    yield
    clear(True)


def decaying_pair(**link):
    G1 = NeuronGroup(3, model="dv/dt = -v/(10*ms) : 1")
    G2 = NeuronGroup(3, model="v : 1")
    G2.v = linked_var(G1, "v", **link)
    G1.v = [1.0, 2.0, 3.0]
    return G1, G2


def test_start_copies_before_the_update():
    G1, G2 = decaying_pair()
    m1 = StateMonitor(G1, "v", record=True)
    m2 = StateMonitor(G2, "v", record=True)
    run(5 * ms)
    # copied at the start of each step, before G1's update: one step behind
    for i in range(3):
        np.testing.assert_array_equal(m2[i][1:], m1[i][:-1])
    assert G2.contained_objects[0]._c is not None      # the C task


def test_middle_copies_after_the_update_with_a_function():
    G1, G2 = decaying_pair(when="middle", func=lambda x: x * 2)
    m1 = StateMonitor(G1, "v", record=True)
    m2 = StateMonitor(G2, "v", record=True)
    run(5 * ms)
    for i in range(3):
        np.testing.assert_array_equal(m2[i], 2 * m1[i])
    assert G2.contained_objects[0]._c is not None


def test_one_source_neuron_drives_every_target():
    source = NeuronGroup(1, "dx/dt = (1 - x)/(5*ms) : 1")
    target = NeuronGroup(4, "I : 1")
    target.I = linked_var(source, "x", when="middle")
    mon = StateMonitor(source, "x", record=True)
    every = StateMonitor(target, "I", record=True)
    run(3 * ms)
    for i in range(4):
        np.testing.assert_array_equal(every[i], mon[0])


def test_static_equation_source_and_def_function():
    source = NeuronGroup(1, """
        dx/dt = -1/ms : 1
        B = 2./(1 + exp(-2*x)) - 1 : 1
        """)
    source.x = 2.5        # B changes sign half-way through the run

    def rectified(b):
        """Half-wave rectification."""
        return clip(b, 0, np.inf)

    target = NeuronGroup(2, "B : 1\nC : 1")
    target.B = linked_var(source, "B", when="middle")
    target.C = linked_var(source, "B", func=rectified, when="middle")
    assert all(link._c is not None for link in target.contained_objects)
    xs = StateMonitor(source, "x", record=True)
    bs = StateMonitor(target, "B", record=True)
    cs = StateMonitor(target, "C", record=True)
    run(10 * ms)
    want = 2.0 / (1 + np.exp(-2 * xs[0])) - 1
    np.testing.assert_allclose(bs[1], want, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(cs[0], np.maximum(want, 0), rtol=1e-14,
                               atol=1e-15)
    assert (want < 0).any() and (want > 0).any()


def test_python_function_runs_in_python():
    calls = []

    def reversed_values(x):
        calls.append(1)
        values = list(x)
        values.reverse()
        return np.array(values)

    G1, G2 = decaying_pair(when="middle", func=reversed_values)
    link = G2.contained_objects[0]
    assert link._c is None
    m1 = StateMonitor(G1, "v", record=True)
    m2 = StateMonitor(G2, "v", record=True)
    run(2 * ms)
    assert len(calls) == 20
    np.testing.assert_array_equal(m2[0], m1[2])
    np.testing.assert_array_equal(m2[2], m1[0])


def test_subgroups_and_an_explicit_network():
    G1 = NeuronGroup(6, "dv/dt = -v/(10*ms) : 1")
    G2 = NeuronGroup(4, "w : 1")
    G1.v = np.arange(6.0)
    G2[1:3].w = linked_var(G1[3:5], "v", when="end")
    net = Network(G1, G2)
    net.run(1 * ms)
    np.testing.assert_array_equal(G2.w, [0.0, G1.v[3], G1.v[4], 0.0])


def test_clear_errors():
    G1 = NeuronGroup(3, "dv/dt = -v/(10*ms) : 1\nu = 2*v : 1")
    G2 = NeuronGroup(2, "v : 1")
    with pytest.raises(ValueError, match="3 source neurons"):
        G2.v = linked_var(G1, "v")
    with pytest.raises(ValueError, match="static"):
        G1.u = linked_var(G2, "v")
    with pytest.raises(KeyError):
        G1.v = linked_var(G1, "nothing")
    with pytest.raises(ValueError, match="when"):
        linked_var(G1, "v", when="never")
    with pytest.raises(TypeError, match="func"):
        linked_var(G1, "v", func=3)


def test_lambdas_sharing_a_line_are_told_apart():
    H = NeuronGroup(2, "dx/dt = 1/ms : 1")
    G = NeuronGroup(2, "a : 1\nb : 1\nc : 1")
    G.a = linked_var(H, "x", func=lambda x: x * 2); G.b = linked_var(H, "x", func=lambda x: x * 3)  # noqa: E501, E702
    G.c = linked_var(H, "x", func=lambda y: 3)
    assert all(link._c is not None for link in G.contained_objects)
    run(1 * ms)
    np.testing.assert_allclose(G.a, 2 * 0.9, rtol=1e-12)
    np.testing.assert_allclose(G.b, 3 * 0.9, rtol=1e-12)
    np.testing.assert_array_equal(G.c, [3.0, 3.0])
