"""STDP and ExponentialSTDP on Connection: weight changes on hand-made
spike trains against the closed forms of each interaction mode and update
rule, delays to the step, clipping, Brian 1's restriction rules and the
errors for bad input."""
import math

import numpy as np
import pytest

from brianc import (Connection, DelayConnection, ExponentialSTDP, Hz,
                    IdentityConnection, Network,
                    NeuronGroup, PoissonGroup, SpikeGeneratorGroup,
                    SpikeMonitor, STDP, ms, mV, reinit_default_clock, seed,
                    set_num_threads)
from brianc import _engine



@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()
    yield
    set_num_threads(None)
    _engine._state.always_split = False


def pair_network(pre_times, post_times, w0=0.5, delay=0 * ms, n_pre=1):
    """A plastic connection from a spike generator to a group whose spikes
    fall exactly at post_times (a driver pushes v over threshold one step
    before); the plastic weights act on a variable nothing reads."""
    # A generator fires at the first step at or after its time: times
    # half a step early are safe from rounding.
    pre = SpikeGeneratorGroup(n_pre, [(i, (t - 0.05) * ms)
                                      for i, t in pre_times])
    driver = SpikeGeneratorGroup(1, [(0, (t - 0.15) * ms)
                                     for t in post_times])
    post = NeuronGroup(1, "v : 1\nx : 1", threshold=0.5, reset=0.0)
    drive = Connection(driver, post, "v", weight=1.0)
    C = Connection(pre, post, "x", weight=w0, delay=delay)
    return [pre, driver, post, drive, C], post, C


def run_net(objects, duration_ms):
    Network(*objects).run(duration_ms * ms)


def decay(s_ms, tau_ms):
    return math.exp(-s_ms / tau_ms)


def test_post_spikes_fall_where_asked():
    objs, post, _ = pair_network([(0, 1.0)], [3.0, 7.5])
    M = SpikeMonitor(post)
    run_net(objs + [M], 10)
    assert np.allclose(M[0], [3.0e-3, 7.5e-3])


@pytest.mark.parametrize("s", [2.0, 7.3])
def test_all_additive_potentiation_and_depression(s):
    taup, taum, Ap, Am, wmax = 10.0, 20.0, 0.1, -0.12, 2.0
    # pre before post: Ap*wmax*exp(-s/taup)
    objs, _, C = pair_network([(0, 1.0)], [1.0 + s])
    stdp = ExponentialSTDP(C, taup * ms, taum * ms, Ap, Am, wmax=wmax)
    run_net(objs + [stdp], 1.0 + s + 1)
    assert C.W[0, 0] == pytest.approx(0.5 + Ap * wmax * decay(s, taup),
                                      rel=1e-12)
    # post before pre: Am*wmax*exp(-s/taum)
    reinit_default_clock()
    objs, _, C2 = pair_network([(0, 1.0 + s)], [1.0])
    stdp = ExponentialSTDP(C2, taup * ms, taum * ms, Ap, Am, wmax=wmax)
    run_net(objs + [stdp], 1.0 + s + 1)
    assert C2.W[0, 0] == pytest.approx(0.5 + Am * wmax * decay(s, taum),
                                       rel=1e-12)


def _final_weight(pre_times, post_times, duration, **kwds):
    reinit_default_clock()
    objs, _, C = pair_network([(0, t) for t in pre_times], post_times,
                              w0=kwds.pop("w0", 0.5))
    stdp = ExponentialSTDP(C, 10 * ms, 20 * ms, kwds.pop("Ap", 0.1),
                           kwds.pop("Am", -0.12), wmax=kwds.pop("wmax", 2.0),
                           **kwds)
    run_net(objs + [stdp], duration)
    return C.W[0, 0]


def pairs_sum(pre, post, interactions, Ap=0.1 * 2.0, Am=-0.12 * 2.0,
              taup=10.0, taum=20.0):
    """Additive weight change by the trace rules, event by event (pre
    events act before post events of the same time)."""
    events = sorted([(t, 0) for t in pre] + [(t, 1) for t in post])
    a_pre = a_post = 0.0
    last = 0.0
    dw = 0.0
    for t, kind in events:
        a_pre *= decay(t - last, taup)
        a_post *= decay(t - last, taum)
        last = t
        if kind == 0:
            a_pre = Ap if interactions in ("nearest", "nearest_pre") \
                else a_pre + Ap
            dw += a_post
        else:
            a_post = Am if interactions in ("nearest", "nearest_post") \
                else a_post + Am
            dw += a_pre
    return dw


@pytest.mark.parametrize("interactions",
                         ["all", "nearest", "nearest_pre", "nearest_post"])
def test_interaction_modes_on_a_spike_train(interactions):
    pre = [1.0, 3.0, 12.0, 14.5]
    post = [5.0, 6.0, 13.0]
    w = _final_weight(pre, post, 20, interactions=interactions)
    assert w == pytest.approx(0.5 + pairs_sum(pre, post, interactions),
                              rel=1e-12)


def test_interaction_modes_differ():
    pre = [1.0, 3.0, 12.0, 14.5]
    post = [5.0, 6.0, 13.0]
    sums = {m: pairs_sum(pre, post, m)
            for m in ("all", "nearest", "nearest_pre", "nearest_post")}
    assert len({round(v, 12) for v in sums.values()}) == 4


def test_multiplicative_update():
    taup, taum, Ap, Am, wmax, w0 = 10.0, 20.0, 0.1, -0.12, 2.0, 0.5
    # potentiation w += (wmax - w) Ap e^{-s/taup}, then depression
    # w *= 1 + Am e^{-s/taum}
    w = _final_weight([1.0, 9.0], [4.0], 12, update="multiplicative")
    w1 = w0 + (wmax - w0) * Ap * decay(3.0, taup)
    w2 = w1 * (1 + Am * decay(5.0, taum))
    assert w == pytest.approx(w2, rel=1e-12)


def test_mixed_update():
    taup, taum, Ap, Am, wmax, w0 = 10.0, 20.0, 0.1, -0.12, 2.0, 0.5
    w = _final_weight([1.0, 9.0], [4.0], 12, update="mixed")
    w1 = w0 + Ap * wmax * decay(3.0, taup)
    w2 = w1 * (1 + Am * decay(5.0, taum))
    assert w == pytest.approx(w2, rel=1e-12)


def test_mixed_needs_opposite_signs():
    _, _, C = pair_network([(0, 1.0)], [2.0])
    with pytest.raises(AttributeError, match="no depression"):
        ExponentialSTDP(C, 10 * ms, 10 * ms, 0.1, 0.1, wmax=1.0,
                        update="mixed")


def test_weights_are_clipped():
    # a big potentiation is clipped to wmax; a big depression to wmin
    w = _final_weight([1.0], [2.0], 4, Ap=10.0, wmax=1.0)
    assert w == 1.0
    w = _final_weight([2.0], [1.0], 4, Am=-10.0, wmax=1.0, wmin=0.2)
    assert w == 0.2


def test_connection_delay_delays_the_presynaptic_spikes():
    # pre at 1 ms through a 2 ms delay acts at 3 ms; post at 5 ms: s = 2 ms
    objs, _, C = pair_network([(0, 1.0)], [5.0], delay=2 * ms)
    stdp = ExponentialSTDP(C, 10 * ms, 20 * ms, 0.1, -0.12, wmax=2.0)
    run_net(objs + [stdp], 7)
    assert C.W[0, 0] == pytest.approx(0.5 + 0.2 * decay(2.0, 10.0),
                                      rel=1e-12)


def test_explicit_pre_and_post_delays():
    # delay_pre 1.5 ms, delay_post 0.7 ms: pre acts at 2.5, post at 5.7
    objs, _, C = pair_network([(0, 1.0)], [5.0])
    stdp = ExponentialSTDP(C, 10 * ms, 20 * ms, 0.1, -0.12, wmax=2.0,
                           delay_pre=1.5 * ms, delay_post=0.7 * ms)
    run_net(objs + [stdp], 8)
    assert C.W[0, 0] == pytest.approx(0.5 + 0.2 * decay(3.2, 10.0),
                                      rel=1e-12)


def test_delay_post_alone_takes_the_rest_of_the_connection_delay():
    objs, _, C = pair_network([(0, 1.0)], [5.0], delay=2 * ms)
    # delay_pre = 2 - 0.5 = 1.5 ms: pre at 2.5, post at 5.5
    stdp = ExponentialSTDP(C, 10 * ms, 20 * ms, 0.1, -0.12, wmax=2.0,
                           delay_post=0.5 * ms)
    run_net(objs + [stdp], 8)
    assert C.W[0, 0] == pytest.approx(0.5 + 0.2 * decay(3.0, 10.0),
                                      rel=1e-12)
    with pytest.raises(AttributeError, match="too large"):
        ExponentialSTDP(C, 10 * ms, 20 * ms, 0.1, -0.12, wmax=2.0,
                        delay_post=3 * ms)


def test_general_stdp_with_traces_and_rows():
    # Two presynaptic neurons, two postsynaptic: each synapse sees its own
    # pair; the pre code reads the post traces of the row's targets.
    pre = SpikeGeneratorGroup(2, [(0, 0.95 * ms), (1, 1.95 * ms)])
    driver = SpikeGeneratorGroup(2, [(0, 3.85 * ms), (1, 0.85 * ms)])
    post = NeuronGroup(2, "v : 1\nx : 1", threshold=0.5, reset=0.0)
    drive = Connection(driver, post, "v", structure="dense")
    drive.connect_one_to_one(weight=1.0)
    C = Connection(pre, post, "x", weight=1.0, structure="dense")
    eqs = """
    dA_pre/dt = -A_pre/(10*ms) : 1
    dA_post/dt = -A_post/(10*ms) : 1
    """
    stdp = STDP(C, eqs, pre="A_pre += 0.1; w += A_post",
                post="A_post += -0.2; w += A_pre", wmax=5.0)
    run_net([pre, driver, post, drive, C, stdp], 6)
    # post 1 fires at 1 ms, post 0 at 4 ms; pre 0 and post 1 fire in the
    # same step, where the pre code runs first (as in Brian 1): the pair
    # counts as causal.
    expected = np.array([
        [1 + 0.1 * decay(3, 10), 1 + 0.1 * decay(0, 10)],
        [1 + 0.1 * decay(2, 10), 1 - 0.2 * decay(1, 10)]])
    assert np.allclose(C.W.todense(), expected, rtol=1e-12)
    assert stdp.A_pre.shape == (2,) and stdp.A_post.shape == (2,)
    assert stdp.A_pre[1] == pytest.approx(0.1 * decay(3.9, 10), rel=1e-9)


def test_sparse_post_code_touches_only_existing_synapses():
    pre = SpikeGeneratorGroup(3, [])
    driver = SpikeGeneratorGroup(1, [(0, 0.85 * ms)])
    post = NeuronGroup(2, "v : 1\nx : 1", threshold=0.5, reset=0.0)
    drive = Connection(driver, post, "v")
    drive[0, 0] = 1.0           # only post 0 fires
    C = Connection(pre, post, "x")
    C[0, 0] = 1.0
    C[2, 0] = 2.0
    C[1, 1] = 3.0
    stdp = STDP(C, "dA/dt = -A/(10*ms) : 1\ndB/dt = -B/(10*ms) : 1",
                pre="A += 1", post="B += 1; w += 0.5", wmax=10)
    run_net([pre, driver, post, drive, C, stdp], 2)
    dense = C.W.todense()
    assert dense.tolist() == [[1.5, 0.0], [0.0, 3.0], [2.5, 0.0]]
    assert C.W.getnnz() == 3


def test_stdp_variables_are_attributes():
    _, _, C = pair_network([(0, 1.0)], [2.0])
    stdp = ExponentialSTDP(C, 10 * ms, 20 * ms, 0.1, -0.12, wmax=2.0)
    stdp.A_pre = 0.25
    assert stdp.pre_group.A_pre[0] == 0.25
    assert list(stdp.post_group._model.state_names) == ["A_post"]


def test_static_equations_in_codes():
    objs, _, C = pair_network([(0, 1.0)], [3.0])
    eqs = """
    dA_pre/dt = -A_pre/(10*ms) : 1
    dA_post/dt = -A_post/(10*ms) : 1
    Apot = 2*A_pre : 1
    """
    stdp = STDP(C, eqs, pre="A_pre += 0.1",
                post="A_post += 0.1; w += Apot", wmax=5)
    run_net(objs + [stdp], 4)
    assert C.W[0, 0] == pytest.approx(0.5 + 0.2 * decay(2, 10), rel=1e-12)


def test_errors():
    _, _, C = pair_network([(0, 1.0)], [2.0])
    eqs = "dA_pre/dt = -A_pre/(10*ms) : 1\ndA_post/dt = -A_post/(10*ms) : 1"
    with pytest.raises(NameError, match="unknown variable 'B'"):
        STDP(C, eqs, pre="A_pre += 1; B += 1", post="A_post += 1")
    with pytest.raises(NameError, match="undefined_name"):
        STDP(C, eqs, pre="A_pre += 1; w += undefined_name",
             post="A_post += 1")
    with pytest.raises(ValueError, match="wmax"):
        STDP(C, eqs, pre="A_pre += 1", post="A_post += 1", wmin=1, wmax=0)
    with pytest.raises(ValueError, match="both presynaptic and"):
        STDP(C, eqs, pre="A_pre += 1", post="A_pre += 1; A_post += 1")
    with pytest.raises(ValueError, match="separate"):
        STDP(C, "dA_pre/dt = -A_post/(10*ms) : 1\n"
                "dA_post/dt = -A_post/(10*ms) : 1",
             pre="A_pre += 1", post="A_post += 1")
    with pytest.raises(ValueError, match="own side"):
        STDP(C, eqs, pre="A_pre += w", post="A_post += 1")
    with pytest.raises(AttributeError, match="maximum synaptic weight"):
        ExponentialSTDP(C, 10 * ms, 10 * ms, 0.1, -0.1)
    with pytest.raises(AttributeError, match="interaction"):
        ExponentialSTDP(C, 10 * ms, 10 * ms, 0.1, -0.1, wmax=1,
                        interactions="every")
    with pytest.raises(AttributeError, match="update"):
        ExponentialSTDP(C, 10 * ms, 10 * ms, 0.1, -0.1, wmax=1,
                        update="hebbian")
    G = NeuronGroup(2, "v : 1")
    D = DelayConnection(G, G, "v", weight=1.0, delay=(0 * ms, 2 * ms))
    with pytest.raises(ValueError, match="neither delay_pre nor"):
        ExponentialSTDP(D, 10 * ms, 10 * ms, 0.1, -0.1, wmax=1,
                        delay_post=1 * ms)
    with pytest.raises(TypeError, match="Connection"):
        ExponentialSTDP(G, 10 * ms, 10 * ms, 0.1, -0.1, wmax=1)


def song_network(n_inputs=200, n_neurons=2000):
    """Poisson inputs onto a group big enough for its update to be split
    between threads, with additive STDP."""
    inputs = PoissonGroup(n_inputs, rates=40.0)
    neurons = NeuronGroup(n_neurons, """
    dv/dt = (ge*(0*mV - (-60*mV)) + (-74*mV) - v)/(10*ms) : volt
    dge/dt = -ge/(5*ms) : 1
    """, threshold=-54 * mV, reset=-60 * mV)
    neurons.v = -60 * mV
    C = Connection(inputs, neurons, "ge", weight=0.05, sparseness=0.2)
    stdp = ExponentialSTDP(C, 20 * ms, 20 * ms, 0.01, -0.0105, wmax=0.1)
    return Network(inputs, neurons, C, stdp), C


@pytest.mark.slow
def test_same_seed_same_weights_at_any_thread_count():
    results = []
    for threads in (1, 2, 1):
        reinit_default_clock()
        seed(7)
        set_num_threads(threads)
        _engine._state.always_split = threads > 1
        net, C = song_network()
        net.run(200 * ms)
        results.append(C.W.todense())
    assert np.array_equal(results[0], results[1])
    assert np.array_equal(results[0], results[2])
    changed = results[0][(results[0] != 0.05) & (results[0] != 0)]
    assert changed.size > 1000      # plasticity did act


def test_traces_may_be_called_pre_and_post():
    # as in Brian 1's twister example PeterDiehl.py
    objs, _, C = pair_network([(0, 1.0)], [3.0])
    eqs = "dpre/dt = -pre/(20*ms) : 1\ndpost/dt = -post/(20*ms) : 1"
    nu, alpha = 0.1, 0.12
    stdp = STDP(C, eqs, pre="pre += 1.; w += nu*(post - alpha)",
                post="post += 1.; w += nu*pre", wmin=0.0, wmax=10.0)
    run_net(objs + [stdp], 4)
    # pre at 1 ms: w += nu*(0 - alpha); post at 3 ms: w += nu*e^{-2/20}
    want = 0.5 + nu * (0 - alpha) + nu * decay(2.0, 20.0)
    assert C.W[0, 0] == pytest.approx(want, rel=1e-12)
    assert stdp.pre[0] == pytest.approx(decay(2.9, 20.0), rel=1e-9)


def test_synapses_added_between_runs_are_plastic():
    pre = SpikeGeneratorGroup(2, [(0, 0.95 * ms), (1, 5.95 * ms)])
    driver = SpikeGeneratorGroup(1, [(0, 2.85 * ms), (0, 7.85 * ms)])
    post = NeuronGroup(1, "v : 1\nx : 1", threshold=0.5, reset=0.0)
    drive = Connection(driver, post, "v", weight=1.0)
    C = Connection(pre, post, "x", structure="dynamic")
    C[0, 0] = 1.0
    stdp = ExponentialSTDP(C, 10 * ms, 20 * ms, 0.1, -0.12, wmax=5.0)
    net = Network(pre, driver, post, drive, C, stdp)
    net.run(4 * ms)
    assert C.W[0, 0] == pytest.approx(1 + 0.5 * decay(2, 10), rel=1e-12)
    C[1, 0] = 2.0               # a new synapse: the column index grows
    net.run(5 * ms)
    # pre 1 at 6 ms: depressed by the post spike of 3 ms, then potentiated
    # by the one of 8 ms
    want = 2 - 0.6 * decay(3, 20) + 0.5 * decay(2, 10)
    assert C.W[1, 0] == pytest.approx(want, rel=1e-12)


def test_stdp_made_after_a_first_run_joins_the_next():
    objs, _, C = pair_network([(0, 6.0)], [8.0])
    net = Network(*objs)
    net.run(5 * ms)
    stdp = ExponentialSTDP(C, 10 * ms, 20 * ms, 0.1, -0.12, wmax=2.0)
    net.add(stdp)
    net.run(5 * ms)
    assert C.W[0, 0] == pytest.approx(0.5 + 0.2 * decay(2, 10), rel=1e-12)


def test_a_failed_stdp_leaves_no_groups_to_run():
    from brianc import MagicNetwork
    G = NeuronGroup(2, "v : 1")
    C = Connection(G, G, "v", weight=1.0)
    with pytest.raises(NameError):
        STDP(C, "dA/dt = -A/(10*ms) : 1\ndB/dt = -B/(10*ms) : 1",
             pre="A += 1; C += 1", post="B += 1")
    groups = [o for o in MagicNetwork().objects
              if isinstance(o, NeuronGroup)]
    assert groups == [G]


def test_a_parameter_can_be_a_trace():
    # as in Brian 1's olfaction example: a post 'trace' without dynamics
    objs, _, C = pair_network([(0, 1.0)], [3.0])
    stdp = STDP(C, "dApre/dt = -Apre/(10*ms) : 1\nApost : 1",
                pre="Apre += 0.1", post="Apost += 0\nw += Apre - 0.5*w",
                wmax=np.inf)
    run_net(objs + [stdp], 4)
    assert C.W[0, 0] == pytest.approx(0.25 + 0.1 * decay(2, 10), rel=1e-12)
    assert list(stdp.post_group._model.state_names) == ["Apost"]


# STDP on a DelayConnection, Brian 1's rules (dt = 0.1 ms; D = max_delay
# / dt + 1 steps): a synapse of delay d steps, presynaptic spike at step
# s, postsynaptic at step u.  The post code (at u) adds the presynaptic
# trace at the end of step u - 1 - d, the pre code (at s + D) the
# postsynaptic trace at the end of step s + d - 1.
TAUP, TAUM, AP, AM, WMAX = 10.0, 20.0, 0.1, -0.12, 2.0


def delayed_pairs_change(pre_steps, post_steps, d, D, n_steps):
    """Closed form of the weight change of one synapse: all pairs,
    additive, each applied at its step if that step is run."""
    change = 0.0
    for s in pre_steps:
        for u in post_steps:
            if s + d <= u - 1 and u < n_steps:
                change += AP * WMAX * decay((u - 1 - d - s) * 0.1, TAUP)
            elif u <= s + d - 1 and s + D < n_steps:
                change += AM * WMAX * decay((s + d - 1 - u) * 0.1, TAUM)
    return change


def delay_network(pre_times, post_times, delays_ms, max_delay_ms, n_pre=1,
                  n_post=1, w0=0.5, rule=None):
    pre = SpikeGeneratorGroup(n_pre, [(i, (t - 0.05) * ms)
                                      for i, t in pre_times])
    driver = SpikeGeneratorGroup(n_post, [(j, (t - 0.15) * ms)
                                          for j, t in post_times])
    post = NeuronGroup(n_post, "v : 1\nx : 1", threshold=0.5, reset=0.0)
    drive = Connection(driver, post, "v")
    drive.connect_one_to_one(driver, post, weight=1.0)
    C = DelayConnection(pre, post, "x", max_delay=max_delay_ms * ms)
    for (i, j), d in delays_ms.items():
        C[i, j] = w0
        C.delay[i, j] = d * ms
    if rule is None:
        stdp = ExponentialSTDP(C, TAUP * ms, TAUM * ms, AP, AM, wmax=WMAX)
    else:
        stdp = rule(C)
    return Network(pre, driver, post, drive, C, stdp), C


@pytest.mark.parametrize("d_ms", [0.0, 0.2, 0.5, 1.0])
@pytest.mark.parametrize("post_ms", [1.8, 2.5, 3.0, 3.1, 3.6, 4.5])
def test_delay_connection_pairs_to_the_step(d_ms, post_ms):
    # pre at step 20, max_delay 1 ms: D = 11 steps; the arrival step
    # 20 + d lies among the post steps chosen (no change exactly there)
    net, C = delay_network([(0, 2.0)], [(0, post_ms)], {(0, 0): d_ms}, 1.0)
    n_steps = 40
    net.run(n_steps * 0.1 * ms)
    d = int(round(d_ms * 10))
    expected = 0.5 + delayed_pairs_change([20], [round(post_ms * 10)], d,
                                          11, n_steps)
    assert C.W[0, 0] == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_delay_connection_presynaptic_weight_change_waits_max_delay():
    # post at step 15, pre at 20 with d = 2: depression Am*wmax*e^(-6
    # steps/taum), applied at step 20 + D = 31, not before
    net, C = delay_network([(0, 2.0)], [(0, 1.5)], {(0, 0): 0.2}, 1.0)
    net.run(3.1 * ms)                       # steps 0 .. 30
    assert C.W[0, 0] == 0.5
    net.run(0.1 * ms)                       # step 31
    assert C.W[0, 0] == pytest.approx(
        0.5 + AM * WMAX * decay(0.6, TAUM), rel=1e-9)


def test_delay_connection_spike_trains_sparse():
    # two inputs, three targets, one synapse missing, different delays;
    # spike trains with several pairs per synapse, run in two pieces
    delays = {(0, 0): 0.0, (0, 2): 0.7, (1, 0): 1.5, (1, 1): 0.2,
              (1, 2): 2.0}
    pre = [(0, 1.0), (1, 1.3), (0, 4.2), (1, 6.0), (0, 6.1)]
    post = [(0, 2.2), (1, 2.2), (2, 3.0), (0, 5.5), (2, 7.9), (1, 8.3)]
    net, C = delay_network(pre, post, delays, 2.0, n_pre=2, n_post=3,
                           w0=1.0)
    net.run(5 * ms)
    net.run(5 * ms)
    for (i, j), d_ms in delays.items():
        # the connection's own rounding, int(delay * (1 / dt))
        d = int(float(d_ms * ms) * (1.0 / float(0.1 * ms)))
        change = delayed_pairs_change(
            [round(t * 10) for k, t in pre if k == i],
            [round(t * 10) for k, t in post if k == j], d, 21, 100)
        assert 0 < 1.0 + change < WMAX      # inside the bounds
        assert C.W[i, j] == pytest.approx(1.0 + change, rel=1e-9), (i, j)
    assert C.W[0, 1] == 0


def test_delay_connection_general_code_reads_own_trace_at_run_time():
    # In Brian 1 the pre code's weight statements, run D steps after the
    # spike, see the presynaptic trace as it is then.
    eqs = "dA_pre/dt = -A_pre/(10*ms) : 1\ndA_post/dt = -A_post/(10*ms) : 1"
    net, C = delay_network(
        [(0, 2.0)], [], {(0, 0): 0.5}, 1.0,
        rule=lambda C: STDP(C, eqs, pre="A_pre += 1; w += A_pre",
                            post="A_post += 1", wmax=100))
    net.run(4 * ms)
    # spike at step 20, weight statement at step 31: A_pre decayed 11 steps
    assert C.W[0, 0] == pytest.approx(0.5 + decay(1.1, 10.0), rel=1e-9)


def test_delay_connection_reordered_code_runs_traces_first(caplog):
    # 'w += A_post' before 'A_post += 1' in the post code: on a
    # DelayConnection the trace statement runs first (Brian 1 warned)
    eqs = "dA_pre/dt = -A_pre/(10*ms) : 1\ndA_post/dt = -A_post/(10*ms) : 1"
    with caplog.at_level("WARNING"):
        net, C = delay_network(
            [], [(0, 2.0)], {(0, 0): 0.5}, 1.0,
            rule=lambda C: STDP(C, eqs, pre="A_pre += 1",
                                post="w += A_post; A_post += 1", wmax=100))
    assert "re-ordered" in caplog.text
    net.run(3 * ms)
    assert C.W[0, 0] == pytest.approx(0.5 + 1.0, rel=1e-12)


def replay(W, pre_spikes, post_spikes, a_pre, a_post, pre_code, post_code,
           n_steps, wmax):
    """The rule replayed in NumPy, step by step in brianc's order: the
    traces decay (one multiply), then the presynaptic spikes (trace, then
    their rows), then the postsynaptic ones (trace, then their columns).
    W holds NaN where a sparse matrix has no synapse."""
    W = W.copy()
    A_pre = np.zeros(W.shape[0])
    A_post = np.zeros(W.shape[1])
    by_step = lambda spikes: {s: [i for t, i in spikes if t == s]
                              for s in set(t for t, _ in spikes)}
    pre, post = by_step(pre_spikes), by_step(post_spikes)
    for step in range(n_steps):
        A_pre *= a_pre
        A_post *= a_post
        for i in pre.get(step, []):
            pre_code(A_pre, A_post, W, i)
            W[i, :] = np.clip(W[i, :], 0, wmax)
        for j in post.get(step, []):
            post_code(A_pre, A_post, W, j)
            W[:, j] = np.clip(W[:, j], 0, wmax)
    return W


def spikes_of(M, dt):
    return [(int(round(float(t) / dt)), int(i)) for i, t in M.spikes]


@pytest.mark.slow
@pytest.mark.parametrize("sparse", [False, True])
def test_big_plastic_matrix_gives_the_rule_replayed(sparse):
    # Big enough (over 1 MB of weights) that the weights move onto huge
    # pages when the STDP is prepared: rows and columns still hit the
    # same synapses, in the same order.  Dense: additive ExponentialSTDP;
    # sparse: a general code (Vogels' inhibitory rule) on 15 % of pairs
    # of one uniform weight (written straight onto the huge pages),
    # with a power-of-two rate, so that its products are exact whichever
    # way the code compiler arranges them (only the synapses hit matter).
    seed(5)
    n, wmax, steps = (400, 0.01, 1000) if not sparse else (1000, 1.0, 600)
    pre = PoissonGroup(n, rates=40 * Hz)
    driver = PoissonGroup(n, rates=40 * Hz)
    post = NeuronGroup(n, "v : 1\nx : 1", threshold=0.5, reset=0.0)
    drive = IdentityConnection(driver, post, "v", weight=1.0)
    rng = np.random.RandomState(3)
    if sparse:
        C = Connection(pre, post, "x", structure="sparse")
        C.connect_random(pre, post, 0.15, weight=0.5 * wmax)
        mask = C.W.todense() != 0
        W0 = np.where(mask, 0.5 * wmax, np.nan)
        stdp = STDP(C, eqs="dA_pre/dt=-A_pre/(20*ms) : 1\n"
                    "dA_post/dt=-A_post/(20*ms) : 1",
                    pre="A_pre += 1.; w += (A_post - 0.125) * 0.0078125",
                    post="A_post += 1.; w += A_pre * 0.0078125", wmax=wmax)
        assert 0.14 < mask.mean() < 0.16

        def pre_code(A_pre, A_post, W, i):
            A_pre[i] += 1.0
            W[i, :] = W[i, :] + (A_post - 0.125) * 0.0078125

        def post_code(A_pre, A_post, W, j):
            A_post[j] += 1.0
            W[:, j] = W[:, j] + A_pre * 0.0078125
    else:
        W0 = rng.rand(n, n) * wmax
        C = Connection(pre, post, "x", weight=W0, structure="dense")
        stdp = ExponentialSTDP(C, 20 * ms, 20 * ms, 0.01, -0.0105,
                               wmax=wmax)
        Ap, Am = stdp.Ap, stdp.Am

        def pre_code(A_pre, A_post, W, i):
            A_pre[i] += Ap
            W[i, :] = W[i, :] + A_post

        def post_code(A_pre, A_post, W, j):
            A_post[j] += Am
            W[:, j] = W[:, j] + A_pre
    Mpre, Mpost = SpikeMonitor(pre), SpikeMonitor(post)
    Network(pre, driver, post, drive, C, stdp, Mpre, Mpost).run(
        steps * 0.1 * ms)
    dt = float(0.1 * ms)
    a_pre = float(stdp.pre_group._update_info.A[0, 0])
    a_post = float(stdp.post_group._update_info.A[0, 0])
    expected = replay(W0, spikes_of(Mpre, dt), spikes_of(Mpost, dt), a_pre,
                      a_post, pre_code, post_code, steps, wmax)
    got = C.W.todense()
    if sparse:
        got = np.where(mask, got, np.nan)
    assert Mpost.nspikes > 100
    assert np.array_equal(got, expected, equal_nan=sparse)
