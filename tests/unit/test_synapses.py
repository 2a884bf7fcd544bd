"""Synapses: construction, variables, pathways with delays, event-driven
equations, equivalence with Connection."""
import math

import numpy as np
import pytest

from brianc import (Connection, Network, NeuronGroup, SpikeGeneratorGroup,
                    StateMonitor, Synapses, defaultclock, ms, mV, nS,
                    network_operation, second, seed, reinit_default_clock,
                    volt)


@pytest.fixture(autouse=True)
def _clock():
    reinit_default_clock()
    yield


def _groups(n_pre=4, n_post=5):
    P = NeuronGroup(n_pre, "dv/dt = -v/(10*ms) : volt")
    Q = NeuronGroup(n_post, "dv/dt = -v/(10*ms) : volt")
    return P, Q


# -- construction -----------------------------------------------------------
def test_set_true_number_and_strings():
    P, Q = _groups()
    S = Synapses(P, Q, model="w : 1")
    S[1, 2] = True
    assert len(S) == 1
    assert list(S.presynaptic) == [1] and list(S.postsynaptic) == [2]
    S[0, :] = 2                     # two synapses to each target
    assert len(S) == 1 + 2 * 5
    S[:, :] = "i == j"
    assert len(S) == 11 + 4
    assert list(S.presynaptic[-4:]) == list(S.postsynaptic[-4:])
    S[[0, 3], [1, 4]] = True        # every pair of the two lists
    assert len(S) == 19
    assert sorted(zip(S.presynaptic[-4:], S.postsynaptic[-4:])) == \
        [(0, 1), (0, 4), (3, 1), (3, 4)]
    assert len(S.w[1, 2]) == 1 and len(S.w[0, 1]) == 3
    with pytest.raises(ValueError):
        S[0, 0] = False
    with pytest.raises(IndexError):
        S[4, 0] = True
    with pytest.raises(IndexError):
        S[0, 5] = True


def test_string_condition_of_i_and_j_with_subgroups():
    G = NeuronGroup(10, "v : 1")
    S = Synapses(G[2:6], G[5:10], model="w : 1")
    # i and j count from the subgroups' starts, as in Brian 1
    S[G[2:6], G[5:10]] = "j == i + 1"
    pairs = list(zip(S.presynaptic, S.postsynaptic))
    assert pairs == [(0, 1), (1, 2), (2, 3), (3, 4)]


def test_probability_counts_follow_the_binomial():
    P, Q = _groups(200, 300)
    S = Synapses(P, Q, model="w : 1")
    p = 0.1
    seed(3)
    S[:, :] = p
    n, mean = len(S), 200 * 300 * p
    sd = math.sqrt(200 * 300 * p * (1 - p))
    assert abs(n - mean) < 5 * sd
    # rows are Binomial(300, p): their variance too
    rows = np.bincount(S.presynaptic, minlength=200)
    assert abs(rows.var() - 300 * p * (1 - p)) < 0.35 * 300 * p * (1 - p)
    # distinct targets within a row
    pairs = set(zip(S.presynaptic.tolist(), S.postsynaptic.tolist()))
    assert len(pairs) == n
    # a probability string is kept with that probability
    S2 = Synapses(P, Q, model="w : 1")
    S2[:, :] = "0.2 * (i < 100)"
    rows2 = np.bincount(S2.presynaptic, minlength=200)
    assert rows2[100:].sum() == 0
    assert abs(rows2[:100].sum() - 6000) < 5 * math.sqrt(6000 * 0.8)


def test_construction_is_deterministic_under_seed():
    P, Q = _groups(50, 50)
    out = []
    for _ in range(2):
        seed(42)
        S = Synapses(P, Q, model="w : 1")
        S.connect_random(sparseness=0.3)
        S[:, :] = "rand() < 0.2"
        S.w = "rand()"
        out.append((S.presynaptic.copy(), S.postsynaptic.copy(),
                    S.w[:].copy()))
    for a, b in zip(*out):
        assert np.array_equal(a, b)


def test_connect_one_to_one_and_full():
    P, Q = _groups(3, 3)
    S = Synapses(P, Q, model="w : 1")
    S.connect_one_to_one()
    assert list(S.presynaptic) == [0, 1, 2] == list(S.postsynaptic)
    S.connect_full(P[0:2], Q[1:3])
    assert len(S) == 7
    with pytest.raises(TypeError):
        S.connect_one_to_one(P[0:2], Q)


# -- variables --------------------------------------------------------------
def test_variables_units_and_string_assignment():
    P, Q = _groups(3, 3)
    S = Synapses(P, Q, model="w : siemens")
    S[:, :] = True
    S.w = 2 * nS
    assert np.allclose(S.w[:], 2e-9)
    S.w[0, :] = "rand() * nS"
    assert np.all((S.w[0, :] > 0) & (S.w[0, :] < 1e-9))
    S.w[1, 1] = 5 * nS
    assert S.w[1, 1][0] == 5e-9
    S.w["i > 0"] = "i * nS + j * 0.5 * nS"
    assert np.isclose(S.w[2, 1][0], 2.5e-9)
    assert np.all((S.w[0, :] > 0) & (S.w[0, :] < 1e-9))
    S.w[0, 0] = 3 * mV      # stored in SI whatever the units, as Brian 1
    assert S.w[0, 0][0] == 3e-3
    with pytest.raises(ValueError):
        S.w = float("nan")


def test_no_synapses_after_a_run_and_empty_warning():
    P, Q = _groups(2, 2)
    S = Synapses(P, Q, model="w : 1")
    with pytest.warns(UserWarning):
        S.compress()
    S2 = Synapses(P, Q, model="w : 1")
    S2[0, 0] = True
    Network(P, Q, S2).run(1 * ms)
    with pytest.raises(AttributeError):
        S2[1, 1] = True


def test_save_and_load_connectivity(tmp_path):
    P, Q = _groups(10, 20)
    S = Synapses(P, Q, model="w : 1", pre="v += w")
    S.connect_random(sparseness=0.2)
    S.delay = "rand() * 2 * ms"
    fn = str(tmp_path / "syn.npz")
    S.save_connectivity(fn)
    S2 = Synapses(P, Q, model="z : 1", pre="v += z")
    S2.load_connectivity(fn)
    assert len(S2) == len(S) > 0
    assert np.array_equal(S2.presynaptic, S.presynaptic)
    assert np.array_equal(S2.postsynaptic, S.postsynaptic)
    assert np.array_equal(S2.delay[:], S.delay[:])


def test_to_matrix():
    P, Q = _groups(2, 3)
    S = Synapses(P, Q, model="w : 1")
    S[0, 1] = 2
    S[1, 2] = True
    S.w = [1.0, 3.0, 5.0]
    m = S.w.to_matrix()
    assert m[0, 1] == 3.0 and m[1, 2] == 5.0 and np.isnan(m[0, 0])
    assert S.w.to_matrix("first")[0, 1] == 1.0
    assert S.w.to_matrix("sum")[0, 1] == 4.0
    assert S.w.to_matrix("min")[0, 1] == 1.0


def test_unknown_names_and_pre_writes_are_errors():
    P, Q = _groups()
    # as in Brian 1, names may be defined after the Synapses: an unknown
    # name is an error when the network runs
    S = Synapses(P, Q, model="w : 1", pre="u += w")
    S[0, 0] = True
    with pytest.raises(NameError, match="'u'"):
        Network(P, Q, S).run(1 * ms)
    S = Synapses(P, Q, model="w : 1", pre="v += late_k * w")
    S[0, 0] = True
    globals()["late_k"] = 2.0   # a global defined after the Synapses
    Network(P, Q, S).run(1 * ms)
    assert S._codes[0].program is not None
    with pytest.raises(ValueError):
        Synapses(P, Q, model="w : 1", pre="v_pre += w")


# -- running ----------------------------------------------------------------
def _one_to_one_vs_connection(kind):
    N = 10
    flat = np.array([i for i in range(N)]) * 1e-3
    source = SpikeGeneratorGroup(N, [(i, i * ms) for i in range(N)])
    targets = NeuronGroup(2 * N, "dv/dt = -v/(1*ms) : 1", threshold=10,
                          reset=0)
    ts, tc = targets[:N], targets[N:]
    if kind == "none":
        conn = Connection(source, tc)
        conn.connect_one_to_one(source, tc, weight=1.1)
        syn = Synapses(source, ts, model="w : 1", pre="v += w")
        extra = 0
    elif kind == "constant":
        conn = Connection(source, tc, delay=5 * ms)
        conn.connect_one_to_one(source, tc, weight=1.1)
        syn = Synapses(source, ts, model="w : 1", pre="v += w",
                       max_delay=5 * ms)
        extra = 5
    else:
        conn = Connection(source, tc, delay=True, max_delay=9 * ms)
        conn.connect_one_to_one(source, tc, weight=1.1,
                                delay=np.eye(N) * flat)
        syn = Synapses(source, ts, model="w : 1", pre="v += w",
                       max_delay=9 * ms)
        extra = 9
    syn.connect_one_to_one(source, ts)
    syn.w = 1.1
    if kind == "constant":
        syn.delay = 5 * ms
    elif kind == "variable":
        syn.delay = flat * second
    mon = StateMonitor(targets, "v", record=True)
    Network(source, targets, conn, syn, mon).run((N + 1 + extra) * ms)
    for i in range(N):
        assert np.array_equal(mon[i], mon[N + i]), i
        assert mon[i].max() > 1.0


@pytest.mark.parametrize("kind", ["none", "constant", "variable"])
def test_same_as_connection(kind):
    _one_to_one_vs_connection(kind)


def test_delays_to_the_step():
    src = SpikeGeneratorGroup(1, [(0, 2 * ms)])
    tgt = NeuronGroup(3, "v : 1")
    S = Synapses(src, tgt, model="w : 1", pre="v += w")
    S[0, :] = True
    S.w = 1.0
    S.delay[0, 0] = 0 * ms
    S.delay[0, 1] = 1.25 * ms      # int(12.5) = 12 steps
    S.delay[0, 2] = 3 * ms
    mon = StateMonitor(tgt, "v", record=True)
    Network(src, tgt, S, mon).run(10 * ms)
    first = [int(np.flatnonzero(mon[k] > 0)[0]) for k in range(3)]
    assert first == [20, 32, 50]
    assert np.allclose(S.delay[0, 1], 1.2e-3)


def test_event_driven_stdp_pair():
    taupre = taupost = 20 * ms
    dApre, dApost, gmax = 0.01, -0.0105, 1.0
    P = SpikeGeneratorGroup(1, [(0, 10 * ms)])
    Q = SpikeGeneratorGroup(1, [(0, 17 * ms)])
    S = Synapses(P, Q, model="""w : 1
        dApre/dt = -Apre/taupre : 1 (event-driven)
        dApost/dt = -Apost/taupost : 1 (event-driven)""",
                 pre="""Apre += dApre
                 w = clip(w + Apost, 0, gmax)""",
                 post="""Apost += dApost
                 w = clip(w + Apre, 0, gmax)""")
    S[:, :] = True
    S.w = 0.5
    Network(P, Q, S).run(30 * ms)
    # pre at 10 ms, post at 17 ms: w gains dApre exp(-7/20), exactly
    assert math.isclose(S.w[0], 0.5 + dApre * math.exp(-7 / 20),
                        rel_tol=1e-12)
    assert math.isclose(S.Apre[0], dApre * math.exp(-7 / 20),
                        rel_tol=1e-12)
    assert S.Apost[0] == dApost
    assert math.isclose(S.lastupdate[0], 17e-3, rel_tol=1e-12)



def _stdp_run(order: str, drive: bool, n_pre=40, n_post=30, delays=False,
              monitor=None, layouts=None):
    """Final weights, as an (n_pre, n_post) matrix, and the target's
    spike count, of all-to-all STDP synapses from Poisson inputs, the
    synapses made row by row (presynaptic order: pre events run on rows of
    consecutive synapses) or column by column (postsynaptic order: post
    events do).  drive: the pre code also adds w to the target's ge, which
    drives its spikes (a code that writes the target).  delays: per-synapse
    presynaptic delays.  monitor: a StateMonitor of w made before the run
    ("start") or half way ("midway"), run in two halves; layouts, a list,
    gets whether the state was interleaved during each half."""
    from brianc import Hz, PoissonGroup, SpikeCounter
    reinit_default_clock()
    seed(5)
    P = PoissonGroup(n_pre, rates=80 * Hz)
    if drive:
        Q = NeuronGroup(n_post, """dv/dt = (ge - v)/(5*ms) : 1
                                   dge/dt = -ge/(5*ms) : 1""",
                        threshold=0.2, reset=0)
    else:
        Q = PoissonGroup(n_post, rates=60 * Hz)
    taupre, taupost = 20 * ms, 25 * ms
    S = Synapses(P, Q, model="""w : 1
        dApre/dt = -Apre/taupre : 1 (event-driven)
        dApost/dt = -Apost/taupost : 1 (event-driven)""",
                 pre=("ge += w\n" if drive else "") + """Apre += 0.01
                 w = clip(w + Apost, 0, 1)""",
                 post="""Apost += -0.0105
                 w = clip(w + Apre, 0, 1)""")
    if order == "pre":
        S[:, :] = True
    else:
        for j in range(n_post):
            S[:, j] = True
    S.w = "0.3 + 0.01 * i - 0.005 * j"
    if delays:
        S.delay = "((i + 2 * j) % 5) * ms"
    counter = SpikeCounter(Q)
    net = Network(P, Q, S, counter)
    if monitor is None:
        net.run(100 * ms)
    else:
        if monitor == "start":
            net.add(StateMonitor(S, "w", record=[0]))
        net.run(50 * ms)
        layouts.append(S._state.flags.f_contiguous)
        if monitor == "midway":
            net.add(StateMonitor(S, "w", record=[0]))
        net.run(50 * ms)
        layouts.append(S._state.flags.f_contiguous)
    W = np.full((n_pre, n_post), np.nan)
    W[S.presynaptic, S.postsynaptic] = S.w[:]
    return W, counter.count.copy()


@pytest.mark.parametrize("drive", [False, True])
def test_stdp_weights_do_not_depend_on_synapse_order(drive):
    """Events on rows of consecutive synapses run in place (a code that
    writes the target too: each row reaches distinct neurons); events on
    scattered synapses are gathered, in batches of distinct targets: the
    same weights and spikes, bit for bit."""
    (by_pre, n1), (by_post, n2) = (_stdp_run("pre", drive),
                                   _stdp_run("post", drive))
    assert not np.isnan(by_pre).any()
    assert np.array_equal(by_pre, by_post)
    assert np.array_equal(n1, n2) and n1.sum() > 2 * len(n1)
    assert (by_pre != np.fromfunction(
        lambda i, j: 0.3 + 0.01 * i - 0.005 * j, by_pre.shape)).mean() > 0.9

@pytest.fixture
def _interleave_all(monkeypatch):
    """Interleave the state of every Synapses with a post pathway (not
    only of those too big for the caches)."""
    from brianc.synapses import synapses as module
    monkeypatch.setattr(module, "_INTERLEAVE_FROM_BYTES", 0)


@pytest.mark.parametrize("drive", [False, True])
def test_interleaved_state_gives_the_same_bits(drive, _interleave_all):
    """A Synapses with a post pathway keeps the variables of each synapse
    side by side (a post spike's synapses then cost one cache line each);
    a StateMonitor wants them as rows one after the other.  Whichever the
    layout, and when it changes between two runs with delayed events in
    flight, the weights and spikes are the same bits."""
    runs = {}
    for monitor in (None, "start", "midway"):
        layouts = []
        runs[monitor] = (_stdp_run("pre", drive, delays=True,
                                   monitor=monitor or "none",
                                   layouts=layouts), layouts)
    (w, n), layouts = runs[None]
    assert layouts == [True, True]
    assert runs["start"][1] == [False, False]
    assert runs["midway"][1] == [True, False]
    for monitor in ("start", "midway"):
        (w2, n2), _ = runs[monitor]
        assert np.array_equal(w, w2) and np.array_equal(n, n2)
    assert n.sum() > 2 * len(n) and not np.isnan(w).any()


def test_state_interleaved_only_when_bigger_than_the_caches():
    """Rows one after the other for a small state (pre events run in place)
    and without a post pathway; interleaved for a big state with one."""
    P, Q = _groups(1000, 1000)
    model = "w : 1\nu : 1"
    small = Synapses(P, Q, model=model, pre="w += 1", post="u += 1")
    small[:, :10] = True
    big = Synapses(P, Q, model=model, pre="w += 1", post="u += 1")
    big[:, :] = True
    no_post = Synapses(P, Q, model=model, pre="w += 1")
    no_post[:, :] = True
    for S in (small, big, no_post):
        S.compress()
    assert [S._state.flags.c_contiguous for S in (small, big, no_post)] \
        == [True, False, True]


def test_interleaved_state_on_a_cache_line_reads_and_writes_as_rows(
        _interleave_all):
    """The interleaved state starts on a cache line (a 4-variable record,
    32 bytes, never straddles two) and reads, writes, converts to a
    matrix and pickles as the row layout does."""
    import pickle
    P, Q = _groups(3, 4)
    S = Synapses(P, Q, model="w : 1\nu : 1\nx : 1\ny : 1",
                 pre="w += 1", post="u += 1")
    S[:, :] = "i != j"
    S.compress()
    assert S._state.flags.f_contiguous and not S._state.flags.c_contiguous
    assert S._state.ctypes.data % 64 == 0 and S._state.strides == (8, 32)
    S.w = "i + 10 * j"
    S.u[1, :] = 7
    S.x[S.w[:] > 20] = -1
    w = S.presynaptic + 10.0 * S.postsynaptic
    assert np.array_equal(S.w[:], w)
    assert np.array_equal(S.u[:], np.where(S.presynaptic == 1, 7.0, 0.0))
    assert np.array_equal(S.x[:], np.where(w > 20, -1.0, 0.0))
    M = S.w.to_matrix()
    assert M[2, 3] == 32 and M[1, 0] == 1
    S2 = pickle.loads(pickle.dumps(S))
    assert np.array_equal(S2.w[:], w) and np.array_equal(S2.u[:], S.u[:])


@pytest.mark.parametrize("model, post, interleaved", [
    pytest.param("w : 1\nu : 1\nx : 1", "u += 1", True, id="interleaved"),
    pytest.param("w : 1", None, False, id="one-variable"),
])
def test_a_grown_state_is_cut_in_place_when_its_layout_allows(
        model, post, interleaved, _interleave_all):
    """Synapses added column by column grow their buffers (doubling); a
    run then needs arrays cut to the synapses.  An interleaved state, a
    single variable and the index arrays are the buffers' first entries:
    the run uses them where they are (no copy of the whole state), with
    the values set before."""
    P, Q = _groups(50, 30)
    S = Synapses(P, Q, model=model, pre="w += 1", post=post)
    for j in range(30):
        S[:, j] = "i % 3 != j % 3"
    S.w = "i + 100 * j"
    grown = S._state
    assert grown.shape[1] > len(S)              # room left by the growth
    S.compress()
    assert np.shares_memory(S._state, grown)
    assert S._state.shape[1] == len(S) == 30 * 50 * 2 // 3
    assert S._state.flags.f_contiguous
    assert S._state.flags.c_contiguous != interleaved
    assert np.array_equal(S.w[:], S.presynaptic + 100.0 * S.postsynaptic)
    assert np.array_equal(S.presynaptic % 3 != S.postsynaptic % 3,
                          np.ones(len(S), bool))


def test_event_driven_decay_with_constant_drive():
    P = SpikeGeneratorGroup(1, [(0, 1 * ms), (0, 6 * ms)])
    Q = NeuronGroup(1, "v : 1")
    S = Synapses(P, Q, model="""dx/dt = (2 - x)/(5*ms) : 1 (event-driven)
                               y : 1""", pre="y = x")
    S[:, :] = True
    Network(P, Q, S).run(10 * ms)
    # lastupdate starts at 0: x(1 ms) = 2 - 2 exp(-1/5), then 5 ms more
    x1 = 2 - 2 * math.exp(-1 / 5)
    x2 = 2 + (x1 - 2) * math.exp(-5 / 5)
    assert math.isclose(S.y[0], x2, rel_tol=1e-12)


def test_clock_driven_synaptic_equation():
    P = NeuronGroup(2, "v : volt")
    P.v = [1 * mV, 3 * mV]
    S = Synapses(P, P, model="dx/dt = v_pre/(1*second) : volt")
    S[:, 0] = True
    Network(P, S).run(1 * ms)
    # Euler: x = steps * dt * v_pre / 1 s
    assert np.allclose(S.x[:], np.array([1e-3, 3e-3]) * 1e-3)


def test_static_and_many_synapses_onto_one_neuron():
    P = SpikeGeneratorGroup(3, [(0, 1 * ms), (1, 1 * ms), (2, 1 * ms)])
    Q = NeuronGroup(1, "v : 1\nu : 1")
    S = Synapses(P, Q, model="w : 1", pre="v += w; u = u + 2*w")
    S[:, 0] = True
    S[0, 0] = True
    S.w = [1.0, 2.0, 4.0, 8.0]
    Network(P, Q, S).run(2 * ms)
    assert Q.v[0] == 15.0 and Q.u[0] == 30.0


def test_gap_junction_lumped_variable():
    N = 4
    G = NeuronGroup(N, "dv/dt = (1 - v + Igap)/(10*ms) : 1\nIgap : 1")
    G.v = np.linspace(0, 1, N)
    S = Synapses(G, model="""w : 1
                           Igap = w*(v_pre - v_post) : 1""")
    S[:, :] = True
    G.Igap = S.Igap
    S.w = 0.02
    Network(G, S).run(0.1 * ms)
    v = G.v[:]
    expected = 0.02 * (v.sum() - N * v)
    assert np.allclose(G.Igap[:], expected, rtol=1e-12, atol=1e-15)



def test_gap_junction_sum_exact_over_many_synapses():
    """The lumped sum runs over every synapse by blocks (own rows read in
    place, the neurons' v gathered): each target gets exactly the sum of
    its synapses' w*(v_pre - v_post), added in synapse order."""
    N = 300
    seed(3)
    G = NeuronGroup(N, "v : 1\nIgap : 1")
    G.v = np.random.rand(N)
    S = Synapses(G, model="""w : 1
                           Igap = w*(v_pre - v_post) : 1""")
    S[:, :] = 0.05                      # some 4500 synapses, unordered posts
    G.Igap = S.Igap
    S.w = "rand()"
    Network(G, S).run(0.1 * ms)
    v, w = G.v[:], S.w[:]
    pre, post = S.presynaptic, S.postsynaptic
    expected = [0.0] * N
    for e in range(len(S)):
        expected[post[e]] += (float(v[pre[e]]) - float(v[post[e]])) * float(w[e])
    assert len(S) > 1000
    assert np.array_equal(G.Igap[:], np.array(expected))

def test_gap_junction_mirrored_difference_exact():
    """w*(v_post - v_pre) (the other operand order of the fused gap-junction
    sum) and a sum whose operand is the summed row itself (read before it
    is cleared) both equal a hand sum in synapse order."""
    N = 200
    seed(5)
    G = NeuronGroup(N, "v : 1\nIgap : 1\nJ : 1")
    G.v = np.random.rand(N)
    G.J = np.random.rand(N)
    S = Synapses(G, model="""w : 1
                           Igap = w*(v_post - v_pre) : 1
                           K = w*(v_pre - J_post) : 1""")
    S[:, :] = 0.05
    G.Igap = S.Igap
    G.J = S.K
    S.w = "rand()"
    v, J, w = G.v[:].copy(), G.J[:].copy(), S.w[:]
    Network(G, S).run(0.1 * ms)
    pre, post = S.presynaptic, S.postsynaptic
    igap, k = [0.0] * N, [0.0] * N
    for e in range(len(S)):
        i, j = pre[e], post[e]
        igap[j] += (float(v[j]) - float(v[i])) * float(w[e])
        k[j] += (float(v[i]) - float(J[j])) * float(w[e])
    assert len(S) > 1000
    assert np.array_equal(G.Igap[:], np.array(igap))
    assert np.array_equal(G.J[:], np.array(k))


def _gap_network(python_between_steps: bool, duration=3 * ms):
    """A gap-junction network over subgroups, with two lumped sums, several
    synapses for some pairs and spikes; run with or without a (no-op)
    network operation, which sends the sums through the synapse-order
    path instead of the by-target one.  Returns the final state."""
    seed(11)
    G = NeuronGroup(70, """dv/dt = (1.2 - v + Igap)/(10*ms) : 1
                     Igap : 1
                     J : 1""", threshold=1, reset=0)
    G.v = np.random.rand(70)
    A, B = G.subgroup(30), G.subgroup(40)
    S = Synapses(A, B, model="""w : 1
                 Igap = w*(v_pre - v_post) : 1
                 K = w*(v_post - v_pre) : 1""")
    S[:, :] = 0.3
    S[2, 3] = 2                         # two more synapses on one pair
    S.w = "rand()*0.05"
    B.Igap = S.Igap
    B.J = S.K
    objects = [G, S]
    if python_between_steps:
        objects.append(network_operation(lambda: None))
    Network(*objects).run(duration)
    return G.v[:].copy(), G.Igap[:].copy(), G.J[:].copy()


def test_gap_junction_sums_by_target_equal_synapse_order():
    """The by-target sums (four targets side by side) give the bits of the
    sums in synapse order, over a run with spikes and subgroups."""
    fast = _gap_network(False)
    plain = _gap_network(True)
    for a, b in zip(fast, plain):
        assert np.array_equal(a, b)
    assert np.any(fast[1] != 0) and np.any(fast[2] != 0)


@pytest.mark.parametrize("when", ["between_runs", "network_operation"])
def test_lumped_sum_follows_changed_weights(when):
    """w changed between two runs, or by a network operation during one,
    is what the next sums use (the by-target path keeps a copy of w)."""
    N = 40
    G = NeuronGroup(N, "v : 1\nIgap : 1")
    G.v = np.linspace(0, 1, N)
    S = Synapses(G, model="""w : 1
                           Igap = w*(v_pre - v_post) : 1""")
    S[:, :] = "(i + 2*j) % 3 == 0"
    G.Igap = S.Igap
    S.w = 0.02
    net = Network(G, S)
    net.run(0.2 * ms)

    def change():
        S.w = "0.5 + 0.01*i"
    if when == "between_runs":
        change()
    else:
        net.add(network_operation(change))
    net.run(0.2 * ms)
    v, w = G.v[:], S.w[:]
    pre, post = S.presynaptic, S.postsynaptic
    expected = [0.0] * N
    for e in range(len(S)):
        expected[post[e]] += (float(v[pre[e]]) - float(v[post[e]])) * \
            float(w[e])
    assert np.array_equal(G.Igap[:], np.array(expected))


def test_uniform_weight_changed_by_network_operation():
    """`v += w` with one w for every synapse adds that value; a network
    operation changing w during the run is followed."""
    P = SpikeGeneratorGroup(1, [(0, t * ms) for t in (1, 2, 6, 7)])
    G = NeuronGroup(2, "v : 1")
    S = Synapses(P, G, model="w : 1", pre="v += w")
    S[:, :] = True
    S.w = 1.0

    @network_operation
    def later():
        if defaultclock.t > 4.5 * ms:
            S.w = 100.0
    Network(P, G, S, later).run(10 * ms)
    assert np.array_equal(G.v[:], [202.0, 202.0])


def test_state_monitor_on_synapses():
    P = SpikeGeneratorGroup(2, [(0, 1 * ms), (1, 3 * ms)])
    Q = NeuronGroup(1, "v : 1")
    S = Synapses(P, Q, model="w : 1", pre="w += 1")
    S[:, 0] = True
    M = StateMonitor(S, "w", record=[0, 1])
    Network(P, Q, S, M).run(5 * ms)
    assert M[0][9] == 0.0 and M[0][10] == 1.0 and M[0][-1] == 1.0
    assert M[1][29] == 0.0 and M[1][30] == 1.0
    with pytest.raises(KeyError):
        StateMonitor(S, "u")


def test_memory_per_synapse_and_presynaptic_after_compress():
    P = NeuronGroup(300, "v : 1")
    S = Synapses(P, P, model="w : 1", pre="v += w")
    S.connect_random(sparseness=0.2)
    S.delay = "rand() * 2 * ms"
    pre = S.presynaptic.copy()
    S.compress()
    # w 8 bytes, target 4, delay 2 (the presynaptic array is dropped),
    # and per neuron: row starts and the delay queue
    assert S.memory_bytes / len(S) < 14.5
    assert np.array_equal(S.presynaptic, pre)
    assert len(S.w[3, :]) == np.count_nonzero(pre == 3)
    # a model that reads presynaptic variables keeps the array
    S2 = Synapses(P, P, model="w : 1", pre="w += v_pre")
    S2.connect_random(sparseness=0.2)
    S2.compress()
    assert S2.memory_bytes / len(S2) > 16


def test_multiple_pre_pathways_with_their_own_delays():
    src = SpikeGeneratorGroup(1, [(0, 1 * ms)])
    tgt = NeuronGroup(1, "v : 1\nu : 1")
    S = Synapses(src, tgt, model="w : 1", pre=("v += w", "u += 2*w"),
                 max_delay=5 * ms)
    S[0, 0] = True
    S.w = 1.0
    d0, d1 = S.delay
    d0[:] = 1 * ms
    d1[:] = 3 * ms
    mv = StateMonitor(tgt, "v", record=True)
    mu = StateMonitor(tgt, "u", record=True)
    Network(src, tgt, S, mv, mu).run(6 * ms)
    assert int(np.flatnonzero(mv[0])[0]) == 20
    assert int(np.flatnonzero(mu[0])[0]) == 40
    assert mu[0][-1] == 2.0


def test_reinit_drops_events_in_flight():
    src = SpikeGeneratorGroup(1, [(0, 1 * ms)])
    tgt = NeuronGroup(1, "v : 1")
    S = Synapses(src, tgt, model="w : 1", pre="v += w", max_delay=5 * ms)
    S[0, 0] = True
    S.w = 1.0
    S.delay = 4 * ms
    net = Network(src, tgt, S)
    net.run(2 * ms)                 # the spike is queued, due at 5 ms
    S.reinit()
    net.run(4 * ms)
    assert tgt.v[0] == 0.0


def test_post_pathway_with_delay_and_clip():
    pre = SpikeGeneratorGroup(1, [(0, 1 * ms)])
    post = SpikeGeneratorGroup(1, [(0, 2 * ms)])
    S = Synapses(pre, post, model="w : 1\nc : 1", pre="c += 1",
                 post="w = clip(w + 0.7, 0, 1)")
    S[0, 0] = True
    S.delay_post = 0.5 * ms
    M = StateMonitor(S, "w", record=[0])
    Network(pre, post, S, M).run(4 * ms)
    assert S.c[0] == 1.0 and S.w[0] == 0.7
    assert int(np.flatnonzero(M[0])[0]) == 25


def test_condition_reading_group_arrays_by_i_and_j():
    G = NeuronGroup(6, "x : 1")
    G.x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    S = Synapses(G, G, model="w : 1")
    S[:, :] = "abs(G.x[i] - G.x[j]) == 1"
    pairs = sorted(zip(S.presynaptic.tolist(), S.postsynaptic.tolist()))
    assert pairs == [(a, b) for a in range(6) for b in range(6)
                     if abs(a - b) == 1]


def test_static_equation_read_and_recorded():
    P = SpikeGeneratorGroup(1, [(0, 1 * ms), (0, 3 * ms)])
    Q = NeuronGroup(2, "v : 1")
    S = Synapses(P, Q, model="w : 1\ng = 3 * w + 1 : 1\nh = w + v_post : 1",
                 pre="w += 1")
    S[0, :] = True
    S.w = [0.0, 2.0]
    Q.v = [10.0, 20.0]
    assert np.array_equal(S.g[:], [1.0, 7.0])
    assert np.array_equal(S.h[:], [10.0, 22.0])
    program = S._static_programs["g"]
    M = StateMonitor(S, "g", record=True)
    H = StateMonitor(S, "h", record=True)      # reads the target's v
    Network(P, Q, S, M, H).run(5 * ms)
    assert S._static_programs["g"] is program       # compiled once
    assert np.array_equal(S.g[:], [7.0, 13.0])
    assert M[0][9] == 1.0 and M[0][10] == 4.0 and M[0][30] == 7.0
    assert M[1][-1] == 13.0
    assert np.allclose(H[0], 10.0 + (M[0] - 1) / 3, rtol=0, atol=1e-12)
    assert np.array_equal(H[1][[0, -1]], [22.0, 24.0])
