"""Tests of brianc.connections: construction (full, one-to-one, random,
matrices, functions), the W API, delays and their exact delivery steps,
structures, modulation, errors, memory and the demos' connectivity."""

import numpy as np
import pytest

from brianc import (Connection, DelayConnection, DimensionMismatchError,
                    IdentityConnection, Network, NeuronGroup,
                    SpikeGeneratorGroup, SpikeMonitor, StateMonitor,
                    PoissonGroup, ms, mV, nS, reinit_default_clock, seed)
from brianc.connections import ConnectionVector, MultiConnection


@pytest.fixture(autouse=True)
def fresh_clock():
    """Every test starts at t = 0 on the default clock, and leaves it
    there for the next file's tests."""
    reinit_default_clock()
    yield
    reinit_default_clock()


def target(n=5, model="v : volt\nw : volt"):
    return NeuronGroup(n, model=model)


def run_net(*objs, duration=3 * ms):
    net = Network(*objs)
    net.run(duration)
    return net


# -- construction -------------------------------------------------------------

def test_connect_full_exact_and_subgroup_offsets():
    G, H = target(6), target(7)
    C = Connection(G, H, "w")
    C.connect_full(G.subgroup(2), H[3:6], weight=2 * mV)
    expected = np.zeros((6, 7))
    expected[0:2, 3:6] = 2e-3
    assert np.array_equal(C.W.todense(), expected)
    assert C.W.nnz == 6
    # zero weights are stored too
    C2 = Connection(G, H, "w", weight=0 * mV)
    assert C2.W.getnnz() == 42
    assert not C2.W.todense().any()


def test_connect_one_to_one_exact_and_size_mismatch():
    G, H = target(6), target(6)
    C = Connection(G, H)
    C.connect_one_to_one(G[1:4], H[2:5], weight=1.5 * mV)
    expected = np.zeros((6, 6))
    expected[[1, 2, 3], [2, 3, 4]] = 1.5e-3
    assert np.array_equal(C.W.todense(), expected)
    with pytest.raises(AttributeError):
        C.connect_one_to_one(G[0:2], H[0:3])


def test_connection_on_subgroups_uses_local_indices():
    G, H = target(10), target(10)
    C = Connection(G[4:8], H[2:5], "v", weight=1 * mV)
    assert C.W.shape == (4, 3)
    assert np.array_equal(C.W.todense(), np.full((4, 3), 1e-3))
    with pytest.raises(IndexError):
        C.connect_full(G[0:2], H[2:5])      # rows outside the source window


def test_connect_matrix_dense_zeros_kept_and_sparse_duck_type():
    G, H = target(3), target(4)
    W = np.array([[0, 1, 0, 2], [3, 0, 0, 0], [0, 0, 0, 4]]) * 1e-3
    C = Connection(G, H)
    C.connect(W=W)
    assert C.W.nnz == 12
    assert np.array_equal(C.W.todense(), W)

    class Coo:          # anything with tocoo() is a sparse matrix
        shape = (3, 4)

        def tocoo(self):
            return self
        row = np.array([2, 0, 0])
        col = np.array([1, 3, 1])
        data = np.array([5.0, 6.0, 7.0])

    D = Connection(G, H, weight=Coo())
    assert D.W.nnz == 3
    expected = np.zeros((3, 4))
    expected[[2, 0, 0], [1, 3, 1]] = [5, 6, 7]
    assert np.array_equal(D.W.todense(), expected)
    with pytest.raises(ValueError):
        C.connect(W=np.zeros((2, 2)))


def test_connect_scipy_sparse_if_available():
    sparse = pytest.importorskip("scipy.sparse")
    G, H = target(3), target(4)
    M = sparse.lil_matrix((3, 4))
    M[0, 2] = 1.0
    M[2, 1] = -2.0
    C = Connection(G, H, weight=M)
    assert np.array_equal(C.W.todense(), M.toarray())


def test_repeated_connect_adds_duplicates():
    G, H = target(2), target(2)
    C = Connection(G, H)
    C.connect_full(weight=1 * mV)
    C.connect_one_to_one(weight=2 * mV)
    assert C.W.nnz == 6
    assert np.allclose(C.W.todense(), [[3e-3, 1e-3], [1e-3, 3e-3]])
    assert C[0, 0] == pytest.approx(3e-3)
    G2 = SpikeGeneratorGroup(2, [(0, 0 * ms)])
    C2 = Connection(G2, H, "v")
    C2.connect_full(weight=1 * mV)
    C2.connect_full(weight=1 * mV)
    run_net(G2, H, C2, duration=1 * ms)
    assert np.allclose(H.v, [2e-3, 2e-3])


def test_weight_function_called_as_brian1():
    G, H = target(3), target(4)
    calls = []

    def w(i, j):
        calls.append((i, np.asarray(j).dtype.kind, np.ndim(j)))
        return (i * 10 + j) * mV

    C = Connection(G, H, "v")
    C.connect_full(weight=w)
    i, j = np.mgrid[0:3, 0:4]
    assert np.allclose(C.W.todense(), (i * 10 + j) * 1e-3, rtol=0, atol=0)
    # a unit check with (0, 0), then one call per row with a float j
    assert calls[0] == (0, "i", 0)
    assert calls[1:] == [(0, "f", 1), (1, "f", 1), (2, "f", 1)]

    calls.clear()
    D = Connection(G, H, "v")
    D.connect_random(weight=w, p=1.0)
    assert all(kind == "i" for _, kind, _ in calls)
    assert np.array_equal(D.W.todense(), C.W.todense())


def test_weight_function_falls_back_per_pair():
    G, H = target(3), target(3)

    def w(i, j):
        if j > i:           # not vectorisable: raises for arrays
            return 1 * mV
        return 2 * mV

    C = Connection(G, H, "v")
    C.connect_full(weight=w)
    assert np.array_equal(C.W.todense(),
                          np.where(np.triu(np.ones((3, 3)), 1), 1e-3, 2e-3))
    counter = iter(range(100))
    D = Connection(G, H, "v")
    D.connect_random(weight=lambda: next(counter) * mV, p=1.0)
    # weight() is called once for the unit check, then once per synapse
    assert np.allclose(D.W.todense().ravel(), np.arange(1, 10) * 1e-3)


def test_weight_units_checked():
    G, H = target(3), target(3)
    with pytest.raises(DimensionMismatchError) as err:
        Connection(G, H, "v", weight=2 * nS)
    assert "m^2 kg s^-3 A^-1" in str(err.value)    # volt, the target
    assert "s^3 A^2" in str(err.value)             # siemens, the weight
    with pytest.raises(DimensionMismatchError):
        Connection(G, H, "v", weight=1.0)
    C = Connection(G, H, "v")
    with pytest.raises(DimensionMismatchError):
        C.connect_random(weight=lambda i, j: 1 * nS, p=0.5)
    with pytest.raises(DimensionMismatchError):
        C.connect_full(weight=lambda i, j: j * 1.0)


# -- random connectivity --------------------------------------------------------

@pytest.mark.parametrize("n_pre, n_post, p", [
    (2000, 500, 0.1),       # bitmap rows, every word read back
    (1000, 900, 0.75),      # above 1/2: the columns left out are drawn
    (1500, 3000, 0.005),    # sparse bitmap rows, through the summary
    (400, 20000, 0.0005),   # geometric skips
])
def test_sparseness_out_degree_is_binomial(n_pre, n_post, p):
    seed(3)
    G, H = target(n_pre), target(n_post)
    C = Connection(G, H, "v", weight=1 * mV, sparseness=p)
    pre, post, w, _ = C._c.synapses()
    out_deg = np.bincount(pre, minlength=n_pre)
    mean, var = n_post * p, n_post * p * (1 - p)
    # 5 standard errors of the sample mean and the sample variance
    assert abs(out_deg.mean() - mean) < 5 * np.sqrt(var / n_pre)
    assert abs(out_deg.var(ddof=1) - var) < 5 * var * np.sqrt(2 / n_pre)
    in_deg = np.bincount(post, minlength=n_post)
    assert abs(in_deg.mean() - n_pre * p) < 1e-9 + 5 * np.sqrt(
        n_pre * p * (1 - p) / n_post)
    assert abs(in_deg.var(ddof=1) - n_pre * p * (1 - p)) < \
        5 * n_pre * p * (1 - p) * np.sqrt(2 / n_post)
    # targets distinct and ascending within each row
    same_row = pre[1:] == pre[:-1]
    assert np.all(post[1:][same_row] > post[:-1][same_row])
    assert np.all(w == 1e-3)


def test_random_self_connections_allowed():
    seed(5)
    G = target(400)
    C = Connection(G, G, "v", weight=1 * mV, sparseness=0.5)
    diag = np.count_nonzero(np.diag(C.W.todense()))
    assert abs(diag - 200) < 5 * 10        # Binomial(400, .5): sd 10


def test_random_reproducible_with_seed_and_scalar_vs_function():
    G, H = target(50), target(60)
    A = Connection(G, H, "v")
    A.connect_random(p=0.2, weight=1 * mV, seed=42)
    B = Connection(G, H, "v")
    B.connect_random(p=0.2, weight=lambda i, j: 1 * mV, seed=42)
    assert np.array_equal(A.W.todense(), B.W.todense())
    C = Connection(G, H, "v")
    C.connect_random(p=0.2, weight=1 * mV, seed=43)
    assert not np.array_equal(A.W.todense(), C.W.todense())


def test_connect_random_fixed_in_degree():
    G, H = target(100), target(30)
    C = Connection(G, H, "v")
    C.connect_random(p=0.25, weight=1 * mV, fixed=True, seed=1)
    dense = C.W.todense()
    assert np.all(np.count_nonzero(dense, axis=0) == 25)
    assert C.W.nnz == 25 * 30          # no duplicates
    D = Connection(G, H, "v")
    D.connect_random(p=0.25, weight=lambda i, j: 1 * mV, fixed=True, seed=1)
    assert np.array_equal(D.W.todense(), dense)


def test_probability_function():
    G, H = target(20), target(20)
    C = Connection(G, H, "v")
    C.connect_random(p=lambda i, j: (j == i) * 1.0, weight=1 * mV)
    assert np.array_equal(C.W.todense(), np.eye(20) * 1e-3)
    C2 = Connection(G, H, "v")
    C2.connect_random(p=lambda i, j: 0.0 if j != 3 else 1.0, weight=1 * mV)
    assert np.array_equal(np.flatnonzero(C2.W.todense().any(axis=0)), [3])


# -- the W API -------------------------------------------------------------

def test_rows_columns_and_elements():
    G, H = target(3), target(5)
    C = Connection(G, H, "v")
    C.W[0, 1] = 1e-3
    C.W[0, 3] = 2e-3
    C[2, 0] = 3e-3
    C[2, 4] = 5e-3
    row = C.W[0, :]
    assert isinstance(row, ConnectionVector)
    assert np.array_equal(row.ind, [1, 3]) and np.allclose(row, [1e-3, 2e-3])
    assert np.allclose(row.todense(), [0, 1e-3, 0, 2e-3, 0])
    col = C.W[:, 4]
    assert np.array_equal(col.ind, [2]) and np.allclose(col, [5e-3])
    assert C.W[1, 2] == 0.0 and C[2, 4] == 5e-3 and C.W[-1, -1] == 5e-3
    C.W[0, :] = np.array([9, 8, 7, 6, 5]) * 1e-3    # dense row: read at ind
    assert np.allclose(C.W.get_row(0), [8e-3, 6e-3])
    C.W[:, 4] = 1e-3
    C.W[:] = C.W.todense()[C._c.synapses()[0], C._c.synapses()[1]] * 2
    assert np.allclose(C.W.todense()[2], [6e-3, 0, 0, 0, 2e-3])
    with pytest.raises(IndexError):
        C.W[3, 0]
    with pytest.raises(IndexError):
        C.W[0, 5] = 1.0
    assert C.W.get_rows([0, 1])[1].size == 0


def test_structure_rules_after_run():
    G = SpikeGeneratorGroup(2, [])
    results = {}
    for structure in ("sparse", "dense", "dynamic"):
        H = target(3)
        C = Connection(G, H, "v", structure=structure)
        C.connect_one_to_one(G, H[0:2], weight=1 * mV)
        C.W[0, 2] = 1 * mV                  # before a run anything goes
        run_net(G, H, C, duration=0.2 * ms)
        C.W[0, 0] = 4 * mV                  # existing: always allowed
        assert C.W[0, 0] == pytest.approx(4e-3)
        try:
            C.W[1, 2] = 2 * mV
            results[structure] = C.W.nnz
        except ValueError as e:
            assert "dynamic" in str(e)
            results[structure] = "refused"
    assert results == {"sparse": "refused", "dense": 4, "dynamic": 4}
    # dynamic: insert and remove after the run
    H = target(3)
    D = Connection(G, H, "v", structure="dynamic", weight=1 * mV)
    run_net(G, H, D, duration=0.2 * ms)
    D.W.remove(0, 1)
    assert D.W.nnz == 5 and D.W[0, 1] == 0.0
    D.W.insert(0, 1, 7e-3)
    assert D.W[0, 1] == 7e-3
    with pytest.raises(ValueError):
        D.W.remove(1, 2) or D.W.remove(1, 2)
    S = Connection(G, H, "v", weight=1 * mV)
    run_net(G, H, S, duration=0.2 * ms)
    with pytest.raises(ValueError):
        S.W.remove(0, 0)


def test_dense_structure_rows_are_dense():
    G, H = target(2), target(4)
    C = Connection(G, H, "v", structure="dense")
    C.W[1, 2] = 3e-3
    assert np.array_equal(C.W[1, :], [0, 0, 3e-3, 0])
    assert np.array_equal(C.W[:, 2], [0, 3e-3])


def test_element_access_reads_and_writes_single_synapses():
    # (Its speed, no dense matrix built, is a benchmark matter.)
    seed(1)
    G = target(4000)
    C = Connection(G, G, "v", weight=1 * mV, sparseness=0.02)
    C.compress()
    pre, post, _, _ = C._c.synapses()
    for k in range(0, 2000):
        assert C.W[int(pre[k]), int(post[k])] == 1e-3
        C.W[int(pre[k]), int(post[k])] = 2e-3
    assert C.W.nnz == len(pre)
    _, _, weights, _ = C._c.synapses()
    assert (weights[:2000] == 2e-3).all() and (weights[2000:] == 1e-3).all()


def test_compress_memory_per_synapse():
    seed(2)
    G = target(1000)
    overhead = 9 * (1000 + 1)              # row offsets and dense-row flags
    # random rows into an empty connection are written as CSR directly
    C = Connection(G, G, "v", weight=1 * mV, sparseness=0.1)
    assert C.iscompressed
    assert C._c.memory_bytes <= 12 * C.W.nnz + overhead
    # further blocks go through a list of 16 bytes a synapse, reserved
    # once for the expected count plus 5 standard deviations
    L = Connection(G, G, "v")
    L.connect_full(G[0:1], G, weight=1 * mV)
    L.connect_random(G[1:], G, p=0.1, weight=1 * mV)
    nnz = L.W.nnz
    assert not L.iscompressed
    assert L._c.memory_bytes <= 16 * (nnz + 10 * np.sqrt(1e5) + 64)
    L.compress()
    assert L._c.memory_bytes <= 12 * nnz + overhead
    D = DelayConnection(G, G, "v", weight=1 * mV, sparseness=0.1,
                        delay=(0 * ms, 2 * ms))
    D.compress()
    assert D._c.memory_bytes <= 14 * D.W.nnz + overhead



# -- uniform weights ------------------------------------------------------------
# A scalar weight is stored once (4 bytes a synapse in CSR); the first
# per-synapse write materialises the weights.  Nothing else may differ.

def _uniform_twins(structure="sparse", n=60):
    """A uniform connection and its materialised copy (same pairs and
    weight) from one spiking source onto two targets."""
    G = SpikeGeneratorGroup(n, [(k % n, (k % 7) * 0.1 * ms)
                                for k in range(0, 5 * n, 3)])
    H1, H2 = target(n), target(n)
    C1 = Connection(G, H1, "v", structure=structure)
    C2 = Connection(G, H2, "v", structure=structure)
    for C, H in ((C1, H1), (C2, H2)):
        C.connect_random(G, H, p=0.2, weight=0.3 * mV, seed=11)
    assert C1._c.uniform and C2._c.uniform
    i, j = np.argwhere(C2.W.todense() != 0)[0]
    C2.W[int(i), int(j)] = C2.W[int(i), int(j)]     # same value, written
    assert C1._c.uniform and not C2._c.uniform
    return G, H1, H2, C1, C2


def test_uniform_propagation_matches_materialised():
    G, H1, H2, C1, C2 = _uniform_twins()
    assert np.array_equal(C1.W.todense(), C2.W.todense())
    run_net(G, H1, H2, C1, C2, duration=1 * ms)
    assert np.any(H1.v != 0) and np.array_equal(H1.v, H2.v)
    assert C1._c.uniform


def test_uniform_set_one_entry_others_keep_the_weight():
    G, H1, H2, C1, C2 = _uniform_twins()
    dense = C1.W.todense()
    i, j = np.argwhere(dense != 0)[3]
    C1.W[int(i), int(j)] = 2 * mV
    dense[i, j] = 2e-3
    assert not C1._c.uniform
    assert np.array_equal(C1.W.todense(), dense)
    assert C1.W[int(i), int(j)] == 2e-3
    w = float(0.3 * mV)
    k, m = np.argwhere(dense == w)[-1]
    assert C1.W[int(k), int(m)] == w
    assert np.array_equal(C1.W[int(i), :].todense(), dense[i])
    assert np.array_equal(C1.W[:, int(j)].todense(), dense[:, j])
    # row and column views of the uniform connection read the same
    dense2 = C2.W.todense()
    for r in (k, i):
        assert np.array_equal(C2.W[int(r), :].todense(), dense2[r])
        assert np.array_equal(C2.W[:, int(r)].todense(), dense2[:, r])


def test_uniform_rows_columns_and_whole_matrix_writes():
    for write in ("row", "col", "all"):
        G, H1, H2, C1, C2 = _uniform_twins()
        want = C1.W.todense()
        if write == "row":
            C1.W[5, :] = 1 * mV
            want[5][want[5] != 0] = 1e-3
        elif write == "col":
            C1.W[:, 5] = 1 * mV
            want[:, 5][want[:, 5] != 0] = 1e-3
        else:
            C1.W[:] = 1 * mV
            want[want != 0] = 1e-3
        assert not C1._c.uniform
        assert np.array_equal(C1.W.todense(), want)


def test_uniform_second_batch_with_another_weight():
    G, H = target(6), target(5)
    C = Connection(G, H, "v")
    C.connect_full(G[0:3], H, weight=1 * mV)
    C.connect_one_to_one(G[3:6], H[0:3], weight=1 * mV)
    assert C._c.uniform and C.W.nnz == 18
    C.connect_full(G[2:4], H[1:3], weight=3 * mV)
    assert not C._c.uniform
    want = np.zeros((6, 5))
    want[0:3, :] += 1e-3
    want[3:6, 0:3] += np.eye(3) * 1e-3
    want[2:4, 1:3] += 3e-3
    assert np.array_equal(C.W.todense(), want)
    C.compress()
    assert np.array_equal(C.W.todense(), want)


def test_uniform_todense_compress_decompress():
    seed(4)
    G = target(50)
    C = Connection(G, G, "v", weight=2 * mV, sparseness=0.3)
    assert C._c.uniform and C.iscompressed
    dense = C.W.todense()
    assert set(np.unique(dense)) <= {0.0, 2e-3}
    assert np.count_nonzero(dense) == C.W.nnz
    # adding synapses of the same weight decompresses, stays uniform
    C.connect_full(G[0:1], G[0:2], weight=2 * mV)
    assert not C.iscompressed and C._c.uniform
    dense[0, 0:2] += 2e-3
    assert np.array_equal(C.W.todense(), dense)
    C.compress()
    assert C._c.uniform and np.array_equal(C.W.todense(), dense)
    pre, post, w, _ = C._c.synapses()
    assert np.all(w == 2e-3) and len(w) == C.W.nnz


def test_uniform_dynamic_structure():
    G, H1, H2, C1, C2 = _uniform_twins(structure="dynamic")
    net = run_net(G, H1, H2, C1, C2, duration=0.3 * ms)
    zero = np.argwhere(C1.W.todense() == 0)
    one = np.argwhere(C1.W.todense() != 0)[0]
    for C in (C1, C2):
        C.W.remove(int(one[0]), int(one[1]))
        C.W[int(zero[0][0]), int(zero[0][1])] = 0.3 * mV
    assert C1._c.uniform        # removal and an equal new weight keep it
    for C in (C1, C2):
        C.W.insert(int(zero[1][0]), int(zero[1][1]), 0.5e-3)
    assert not C1._c.uniform
    assert np.array_equal(C1.W.todense(), C2.W.todense())
    net.run(1 * ms)
    assert np.array_equal(H1.v, H2.v)


def test_uniform_memory_per_synapse():
    seed(2)
    G = target(1000)
    overhead = 9 * (1000 + 1)              # row offsets and dense-row flags
    C = Connection(G, G, "v", weight=1 * mV, sparseness=0.1)
    assert C._c.uniform
    assert 4 * C.W.nnz < C._c.memory_bytes <= 4 * C.W.nnz + overhead
    C.W[0, int(C.W[0, :].ind[0])] = 2 * mV
    assert 12 * C.W.nnz < C._c.memory_bytes <= 12 * C.W.nnz + overhead


# -- propagation and delays -----------------------------------------------------

def v_trace(delay_kind, **conn_args):
    reinit_default_clock()
    G = SpikeGeneratorGroup(3, [(0, 1 * ms), (2, 2 * ms)])
    H = target(4)
    C = delay_kind(G, H, "v", **conn_args)
    C.connect_full(weight=1 * mV)
    M = StateMonitor(H, "v", record=True)
    run_net(G, H, C, M)
    return C, M


def test_homogeneous_delay_exact_step():
    # spikes at steps 10 and 20; int(0.3 ms / 0.1 ms) = 2 steps; the
    # sample labelled step n holds the state after step n.
    _, M = v_trace(Connection, delay=0.3 * ms)
    v = M[0] / 1e-3
    assert np.array_equal(np.flatnonzero(np.diff(v)) + 1, [12, 22])
    assert v[12] == 1 and v[22] == 2
    _, M0 = v_trace(Connection)
    assert np.array_equal(np.flatnonzero(np.diff(M0[3])) + 1, [10, 20])


def test_heterogeneous_delays_exact_step():
    G = SpikeGeneratorGroup(2, [(0, 1 * ms), (1, 1 * ms)])
    H = target(3)
    C = DelayConnection(G, H, "v", max_delay=2 * ms)
    delays = np.array([[0.0, 0.35, 1.55], [1.0, 0.0, 0.0]]) * 1e-3
    C.connect_full(weight=1 * mV, delay=delays)
    M = StateMonitor(H, "v", record=True)
    run_net(G, H, C, M)
    arrivals = [np.flatnonzero(np.diff(np.concatenate(([0], M[j])))) for j
                in range(3)]
    # delay 0 arrives in the spike's own step (after connections)
    assert [list(a) for a in arrivals] == [[10, 20], [10, 13], [10, 25]]
    assert C.delay[0, 1] == pytest.approx(0.3e-3)
    assert np.allclose(C.delay.todense(), [[0, 3e-4, 1.5e-3], [1e-3, 0, 0]])


def test_delay_forms():
    seed(7)
    G, H = target(30), target(40)
    C = Connection(G, H, "v", weight=1 * mV, sparseness=0.5,
                   delay=(1 * ms, 2 * ms), max_delay=3 * ms)
    assert isinstance(C, DelayConnection)
    steps = C._c.synapses()[3]
    assert steps.min() >= 10 and steps.max() <= 20 and len(set(steps)) > 5
    C.set_delays(delay=lambda i, j: ((i + j) * 0.01 + 0.005) * ms)
    pre, post, _, steps = C._c.synapses()
    assert np.array_equal(steps, (pre + post) // 10)
    C.delay = 0.25 * ms
    assert np.all(C._c.synapses()[3] == 2)
    D = Connection(G, H, "v", delay=0)         # Brian 1: a plain int too
    assert isinstance(D, DelayConnection)


def test_delay_errors():
    G, H = target(3), target(3)
    C = DelayConnection(G, H, "v", max_delay=1 * ms)
    with pytest.raises(ValueError, match="max_delay"):
        C.connect_full(weight=1 * mV, delay=1.5 * ms)
    with pytest.raises(ValueError, match="non-negative"):
        C.connect_full(weight=1 * mV, delay=(-1 * ms, 0.5 * ms))
    C.connect_full(weight=1 * mV, delay=1 * ms)        # max_delay itself fits
    with pytest.raises(ValueError):
        Connection(G, H, "v", delay=-1 * ms)
    with pytest.raises(DimensionMismatchError):
        Connection(G, H, "v", delay=1 * mV)
    with pytest.raises(ValueError):
        Connection(G, H, "v").connect_full(weight=1 * mV, delay=1 * ms)


def run_structure(structure):
    reinit_default_clock()
    seed(11)
    eqs = "dv/dt = (ge - (v + 49*mV))/(20*ms) : volt\n" \
          "dge/dt = -ge/(5*ms) : volt"
    P = NeuronGroup(300, eqs, threshold=-50 * mV, reset=-60 * mV)
    P.v = -60 * mV + 10 * mV * np.random.rand(300)
    C = Connection(P, P, "ge", structure=structure, weight=1.5 * mV,
                   sparseness=0.1)
    I = Connection(P[:100], P, "v", structure=structure, delay=1 * ms)
    I.connect_random(weight=-0.5 * mV, p=0.1)
    M = SpikeMonitor(P)
    Network(P, C, I, M).run(100 * ms)
    return M.spikes


def test_structures_give_identical_spikes():
    sparse = run_structure("sparse")
    assert len(sparse) > 100
    assert run_structure("dense") == sparse
    assert run_structure("dynamic") == sparse


def test_dense_rows_and_sparse_rows_propagate_alike():
    G = SpikeGeneratorGroup(2, [(0, 0 * ms), (1, 0 * ms)])
    H = target(4)
    C = Connection(G, H, "v")
    C.connect_full(G[0:1], H, weight=1 * mV)                  # full row
    C.connect(G[1:2], H, W=np.array([[0, 2, 0, 3]]) * 1e-3)   # full, zeros
    C.connect(G[1:2], H[2:4], W=np.array([[5, 0]]) * 1e-3)    # duplicates
    run_net(G, H, C, duration=0.1 * ms)
    assert np.allclose(H.v, [1e-3, 3e-3, 6e-3, 4e-3])


def test_modulation_scales_rows():
    # u > 0.5 makes both source neurons spike every step; m modulates
    src = NeuronGroup(2, model="u : 1\nm : 1", threshold=0.5)
    src.u = 1.0
    src.m = np.array([2.0, -1.0])
    H = target(2)
    C = Connection(src, H, "v", modulation="m")
    C.connect_one_to_one(weight=1 * mV)
    D = Connection(src, H, "w", modulation="m", structure="dense")
    D.connect_full(weight=1 * mV)
    run_net(src, H, C, D, duration=0.3 * ms)
    assert np.allclose(H.v, [6e-3, -3e-3], rtol=1e-12)
    assert np.allclose(H.w, [3e-3, 3e-3], rtol=1e-12)


def test_identity_connection():
    G = SpikeGeneratorGroup(3, [(1, 0 * ms)])
    H = target(3)
    C = IdentityConnection(G, H, "v", weight=2 * mV)
    run_net(G, H, C, duration=0.1 * ms)
    assert np.array_equal(H.v, [0, 2e-3, 0])
    with pytest.raises(AttributeError):
        IdentityConnection(G, target(4))


def test_multiconnection_holds_members():
    G = SpikeGeneratorGroup(1, [(0, 0 * ms)])
    H = target(2)
    C1 = Connection(G, H, "v", weight=1 * mV)
    C2 = Connection(G, H, "w", weight=2 * mV)
    MC = MultiConnection(G, [C1, C2])
    run_net(G, H, MC, duration=0.1 * ms)
    assert np.allclose(H.v, 1e-3) and np.allclose(H.w, 2e-3)


def test_bad_arguments():
    G, H = target(3), target(3)
    with pytest.raises(ValueError):
        Connection(G, H, "v", structure="lil")
    with pytest.raises(KeyError):
        Connection(G, H, "nope")
    with pytest.raises(TypeError):
        Connection(G, "H")
    with pytest.raises(ValueError):
        Connection(G, H, "v").connect_random(p=1.5, weight=1 * mV)
    with pytest.raises(IndexError):
        Connection(G, H, "v").connect_full(target(3), H, weight=1 * mV)


# -- the demos' connectivity --------------------------------------------------

def test_topographic_map_connections():
    seed(4)
    layer1 = PoissonGroup(100, rates=np.zeros(100))
    eqs = "dv/dt=(I-v)/(10*ms) : volt\ndI/dt=-I/(2*ms) : volt"
    layer2 = NeuronGroup(100, model=eqs, threshold=10 * mV, reset=0 * mV)
    topomap = lambda i, j: np.exp(-abs(i - j) * .1) * 3 * mV   # noqa: E731
    ff = Connection(layer1, layer2, sparseness=.5, weight=topomap)
    W = ff.W.todense()
    assert W.shape == (100, 100) and ff.nstate == 0        # state 0 is v
    assert abs(np.count_nonzero(W) / 1e4 - 0.5) < 5 * 0.005
    i, j = np.nonzero(W)
    assert np.allclose(W[i, j], np.exp(-abs(i - j) * .1) * 3e-3, rtol=1e-15)


def test_synfire_chain_connections():
    P = NeuronGroup(1000, model="V : volt\ny : volt")
    Pgp = [P.subgroup(100) for i in range(10)]
    C = Connection(P, P, "y")
    for i in range(9):
        C.connect_full(Pgp[i], Pgp[i + 1], 4.86 * mV)
    W = C.W.todense()
    expected = np.zeros((1000, 1000))
    for k in range(9):
        expected[100 * k:100 * k + 100, 100 * k + 100:100 * k + 200] = \
            float(4.86 * mV)
    assert np.array_equal(W, expected)
    assert C.W.nnz == 9 * 100 * 100
