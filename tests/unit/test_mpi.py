"""brianc.mpi: one network split over MPI processes gives the spikes and
states of one process, bit for bit, for any number of processes.

The network scripts (tests/unit/mpi_networks/) run plainly, then under
``mpiexec -n 1`` and ``-n 2`` with ``-m brianc.mpi``; their JSON output
(spike trains, final states, monitors) must be equal.  The tests that need
MPI are skipped only when mpi4py (the ``mpi`` extra) is not installed.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import brianc
from brianc import mpi as brianc_mpi

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORKS = os.path.join(HERE, "mpi_networks")


def _mpiexec() -> str:
    pytest.importorskip("mpi4py")
    path = shutil.which("mpiexec") or os.path.join(
        os.path.dirname(sys.executable), "mpiexec")
    if not os.path.exists(path):
        pytest.skip("mpi4py is installed without mpiexec")
    return path


def _env() -> dict:
    env = dict(os.environ, BRIANC_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(os.path.dirname(HERE)),
         env.get("PYTHONPATH", "")])
    return env


def _output(command: list) -> tuple[str, str]:
    done = subprocess.run(command, capture_output=True, text=True,
                          timeout=600, env=_env())
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, done.stderr


def _result(command: list) -> dict:
    stdout, _ = _output(command)
    lines = stdout.strip().splitlines()
    assert len(lines) == 1, stdout[-2000:]      # only rank 0 prints
    return json.loads(lines[0])


def _split_run(script: str, ranks: int, *args, capacity=None) -> dict:
    command = [_mpiexec(), "-n", str(ranks)]
    if capacity is not None:
        command += ["-env", "BRIANC_MPI_CAPACITY", str(capacity)]
    return _result(command + [sys.executable, "-m", "brianc.mpi",
                              os.path.join(NETWORKS, script),
                              *map(str, args)])


def _plain_run(script: str, *args) -> dict:
    return _result([sys.executable, os.path.join(NETWORKS, script),
                    *map(str, args)])


@pytest.mark.slow
@pytest.mark.parametrize("script", ["cuba.py", "sparse.py"])
def test_split_runs_equal_one_process(script):
    plain = _plain_run(script)
    assert len(plain["spikes"][0]) > 100        # the network is active
    one = _split_run(script, 1)
    two = _split_run(script, 2)
    # json round trips floats exactly: equal means bit for bit.
    assert one == plain
    assert two == plain


def _without_exchange_count(result: dict) -> tuple[dict, int]:
    calls = result.pop("exchanges")
    return result, calls


@pytest.mark.slow
@pytest.mark.parametrize("shortest, windows, grow", [
    (1.0, (11, 11), ""), (0.1, (2, 2), ""), (1.0, (11, 6), "grow")])
def test_exchange_once_per_shortest_delay(shortest, windows, grow):
    """Connections whose shortest delay is 10 steps (a window of 11) or
    one step (a window of 2), a per-synapse-delay connection among them,
    spike monitors with and without a delay, rate bins and two runs of
    234 and 162 steps: the same bits as one process for 1, 2 and 3 ranks,
    with one exchange per window (the last of each run shorter).  A
    connection with a delay of 5 steps added before the second run makes
    its window 6 steps, while the per-synapse delays keep reading their
    spikes 10 steps late (a new lag would read some twice or never)."""
    args = ("delayed.py", 1000, shortest) + ((grow,) if grow else ())
    plain, none = _without_exchange_count(_plain_run(*args))
    assert none == 0 and len(plain["spikes"][0]) > 1000
    expected = -(-234 // windows[0]) + -(-162 // windows[1])
    for ranks in (1, 2, 3) if not grow else (2,):
        split, calls = _without_exchange_count(_split_run(
            args[0], ranks, *args[1:]))
        assert split == plain
        assert calls == (0 if ranks == 1 else expected)


@pytest.mark.slow
def test_three_ranks_and_a_block_smaller_than_a_rank():
    """Uneven blocks (1000 neurons over 3 ranks, a 3-neuron generator,
    a 50-neuron Poisson group) change nothing."""
    plain = _plain_run("cuba.py", 301)
    assert _split_run("cuba.py", 3, 301) == plain


@pytest.mark.slow
def test_rows_over_several_column_blocks_split_unevenly():
    """9001 neurons: the random rows span three column blocks of 4096
    targets (the input's block starts at neuron 100), and the split
    between two ranks falls inside the middle block, which both ranks
    draw; the spikes and states are still those of one process."""
    plain = _plain_run("cuba.py", 9001)
    assert _split_run("cuba.py", 2, 9001) == plain


@pytest.mark.slow
def test_spike_lists_beyond_the_exchange_capacity():
    """A capacity of one spike per rank: most exchanges (every step, or
    every window of 11 steps) send the lists a second time (Allgatherv)
    and the capacity grows; nothing changes."""
    assert _split_run("sparse.py", 2, capacity=1) == _plain_run("sparse.py")
    plain, _ = _without_exchange_count(_plain_run("delayed.py", 600, 1.0))
    split, _ = _without_exchange_count(
        _split_run("delayed.py", 2, 600, 1.0, capacity=1))
    assert split == plain


UNSUPPORTED = """
from brianc import *
G = NeuronGroup(10, 'dv/dt = -v/(10*ms) : 1', threshold=1, reset=0)
@network_operation
def nudge():
    G.v += 0.1
run(1*ms)
"""


@pytest.mark.slow
def test_unsupported_objects_raise_naming_them(tmp_path):
    script = tmp_path / "op.py"
    script.write_text(UNSUPPORTED)
    done = subprocess.run([_mpiexec(), "-n", "2", sys.executable, "-m",
                           "brianc.mpi", str(script)], capture_output=True,
                          text=True, timeout=300, env=_env())
    assert done.returncode != 0
    assert "brianc.mpi: NetworkOperation" in done.stderr
    assert "cannot run split over MPI processes" in done.stderr


OUTPUTS = """
import sys
import matplotlib.pyplot as plt
import numpy
from brianc import *
print("printed once")
print("and an error message once", file=sys.stderr)
plt.plot([0, 1])
plt.savefig(sys.argv[1] + "/figure.png")
numpy.save(sys.argv[1] + "/array.npy", numpy.arange(3))
# every rank reads back what it wrote; the real files are written once
assert numpy.load(sys.argv[1] + "/array.npy").tolist() == [0, 1, 2]
with open(sys.argv[1] + "/log.txt", "a") as f:
    f.write("appended\\n")
with open(sys.argv[1] + "/log.txt") as f:
    # a rank > 0 appends to the real file as it finds it: rank 0's line
    # is in it too when rank 0 got there first (docs/MPI.md)
    from mpi4py import MPI
    assert f.read() in ("before\\nappended\\n",) + \
        (("before\\nappended\\nappended\\n",)
         if MPI.COMM_WORLD.Get_rank() else ())
import pickle
from pathlib import Path
pickle.dump({"spikes": [1, 2]}, open(sys.argv[1] + "/data.pkl", "wb"))
assert pickle.load(open(sys.argv[1] + "/data.pkl", "rb")) == {"spikes": [1, 2]}
Path(sys.argv[1], "note.txt").write_text("once")
assert Path(sys.argv[1], "note.txt").read_text() == "once"
"""


@pytest.mark.slow
def test_only_rank_0_prints_and_saves(tmp_path, monkeypatch):
    """Rank 0 alone prints and writes files (figures, NumPy's saves,
    open(), pickle, pathlib); the other ranks write to their own shadow
    copies, so what they read back is what they wrote: a file appended to
    once has one more line, not one per rank."""
    script = tmp_path / "out.py"
    script.write_text(OUTPUTS)
    (tmp_path / "log.txt").write_text("before\n")
    stdout, stderr = _output([_mpiexec(), "-n", "2", sys.executable, "-m",
                              "brianc.mpi", str(script), str(tmp_path)])
    assert stdout.splitlines() == ["printed once"]
    assert stderr.count("and an error message once") == 1
    assert (tmp_path / "figure.png").exists()
    assert np.load(tmp_path / "array.npy").tolist() == [0, 1, 2]
    assert (tmp_path / "log.txt").read_text() == "before\nappended\n"
    assert (tmp_path / "note.txt").read_text() == "once"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "array.npy", "data.pkl", "figure.png", "log.txt", "note.txt",
        "out.py"]


# -- in one process: the checks and the pieces of a split ------------------

class _OneRank:
    """A communicator of one process (what mpi4py's COMM_SELF does)."""

    def Get_rank(self):
        return 0

    def Get_size(self):
        return 1


def test_blocks_cover_the_group_in_rank_order():
    for n, size in [(10, 3), (2, 5), (1000, 7)]:
        blocks = [brianc_mpi.block(n, r, size) for r in range(size)]
        assert blocks[0][0] == 0 and blocks[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))
        assert max(e - b for b, e in blocks) - \
            min(e - b for b, e in blocks) <= 1


def test_check_refuses_what_cannot_run_split():
    brianc.clear(True, True)
    G = brianc.NeuronGroup(5, "dv/dt = -v/(10*ms) : 1",
                           threshold=lambda v: v > 1, reset=0)
    with pytest.raises(brianc_mpi.Unsupported, match="threshold"):
        brianc_mpi.check(G)
    H = brianc.NeuronGroup(5, "dv/dt = -v/(10*ms) : 1", threshold=1,
                           reset=0)
    brianc_mpi.check(H)
    C = brianc.Connection(H, H, "v", modulation="v")
    with pytest.raises(brianc_mpi.Unsupported, match="modulation"):
        brianc_mpi.check(C)
    S = brianc.STDP(brianc.Connection(H, H, "v"), eqs="""
        dA/dt = -A/(10*ms) : 1
        dB/dt = -B/(10*ms) : 1""", pre="A += 1; w += B", post="B += 1",
        wmax=1)
    with pytest.raises(brianc_mpi.Unsupported, match="STDP"):
        brianc_mpi.check(S)
    with pytest.raises(brianc_mpi.Unsupported, match="StateSpikeMonitor"):
        brianc_mpi.check(brianc.StateSpikeMonitor(H, "v"))
    # A TimedArray in the equations writes every neuron alike: allowed;
    # a group of a subclass running an operation of its own is not.
    ta = brianc.TimedArray(np.linspace(0, 1, 10), dt=brianc.ms)
    brianc_mpi.check(brianc.NeuronGroup(5, "dv/dt = ta(t)/ms : 1"))

    class Stirred(brianc.NeuronGroup):
        def _core_objects(self):
            return super()._core_objects() + [
                ("operation", lambda: None, self.clock, 0)]
    with pytest.raises(brianc_mpi.Unsupported, match="Stirred.*operation"):
        brianc_mpi.check(Stirred(5, "dv/dt = -v/ms : 1"))
    brianc.clear(True, True)


def test_one_rank_split_changes_nothing():
    """Split over a single process: no exchange, no cut, nothing
    gathered; the checks still run."""
    brianc.clear(True, True)
    G = brianc.NeuronGroup(5, "dv/dt = -v/(10*ms) : 1", threshold=1,
                           reset=0)
    split = brianc_mpi.Split(_OneRank(), [G])
    assert split.entries() == [] and G._c.local_range == (0, 5)
    split.gather()
    brianc.clear(True, True)


def test_local_range_and_import_check_their_input():
    G = brianc.NeuronGroup(6, "dv/dt = 1/ms : 1", threshold=0.5, reset=0)
    with pytest.raises(ValueError, match="local range"):
        G._c.set_local_range(4, 2)
    with pytest.raises(ValueError, match="local range"):
        G._c.set_local_range(0, 7)
    with pytest.raises(ValueError, match="ascending"):
        G._c.import_spikes(np.array([3, 1], dtype=np.int32))
    with pytest.raises(ValueError, match="ascending"):
        G._c.import_spikes(np.arange(7, dtype=np.int32))
    C = brianc.Connection(G, G, "v", weight=1.0, sparseness=1.0)
    with pytest.raises(ValueError, match="compressed"):
        C._c.keep_columns(0, 3)
    C.compress()
    with pytest.raises(ValueError, match="columns"):
        C._c.keep_columns(2, 9)
    C._c.keep_columns(2, 4)
    assert C._c.nnz == 6 * 2
    C.__dict__["_kept_columns"] = (2, 4)        # what a split run leaves
    with pytest.raises(RuntimeError, match="targets 2 to 3"):
        C.W
    with pytest.raises(RuntimeError, match="brianc.mpi"):
        C[0, 2]


def test_local_range_with_threads_updates_the_same_bits():
    """A group run over neurons [300, 9300) with its update split over two
    threads (chunks counted from 300) gives those neurons the values and
    spikes of the whole group run serially; the rest is left alone."""
    from brianc import _engine

    def noisy(local=None, threads=1):
        brianc.clear(True, True)
        brianc.set_num_threads(threads)
        _engine._state.always_split = threads > 1
        brianc.define_default_clock()
        brianc.seed(4)
        P = brianc.NeuronGroup(
            9999, "dV/dt = (-V + 25*mV + 3*mV*sqrt(20*ms)*xi)/(20*ms) : volt",
            threshold="V > 20*mV", reset=10 * brianc.mV)
        P.V = 10 * brianc.mV
        if local is not None:
            P._c.set_local_range(*local)
        M = brianc.SpikeMonitor(P)
        brianc.Network(P, M).run(20 * brianc.ms)
        parallel = P._c.update_is_parallel
        return P.V_.copy(), M.it[0], M.it[1], parallel

    try:
        v, i, t, _ = noisy()
        v_part, i_part, t_part, parallel = noisy((300, 9300), threads=2)
    finally:
        brianc.set_num_threads(None)
        _engine._state.always_split = False
        brianc.clear(True, True)
    assert parallel
    inside = (i >= 300) & (i < 9300)
    assert inside.sum() > 100
    assert np.array_equal(i_part, i[inside])
    assert np.array_equal(t_part, t[inside])
    assert np.array_equal(v_part[300:9300], v[300:9300])
    assert np.all(v_part[:300] == 0.01) and np.all(v_part[9300:] == 0.01)


def test_per_synapse_delays_read_late_spikes_unchanged():
    """A DelayConnection reading its source's spikes up to its shortest
    delay late (what a split run's windowed exchange needs) delivers the
    same input at the same steps, added in the same order; a lag beyond
    the shortest delay is refused."""
    def run(lag):
        brianc.clear(True, True)
        brianc.define_default_clock()
        brianc.seed(3)
        G = brianc.NeuronGroup(
            400, "dv/dt = (1.1 - v)/(10*ms) + 0.3*xi/sqrt(10*ms) : 1",
            threshold=1, reset=0)
        C = brianc.DelayConnection(G, G, "v", max_delay=3 * brianc.ms)
        C.connect_random(G, G, 0.1, weight=0.02,
                         delay=(0.6 * brianc.ms, 3 * brianc.ms))
        C.compress()
        if lag:
            assert C._c.min_delay() == 6
            with pytest.raises(ValueError, match="shortest delay"):
                C._c.set_spike_lag(7)
            G._c.reserve_history(lag + 1)
            C._c.set_spike_lag(lag)
        M = brianc.SpikeMonitor(G)
        brianc.run(30 * brianc.ms)
        return M.it[0], M.it[1], G.v_.copy()

    try:
        i, t, v = run(0)
        i_late, t_late, v_late = run(6)
    finally:
        brianc.clear(True, True)
    assert len(i) > 200
    assert np.array_equal(i, i_late) and np.array_equal(t, t_late)
    assert np.array_equal(v, v_late)


def test_late_imports_and_late_records_check_their_input():
    G = brianc.NeuronGroup(6, "dv/dt = 1/ms : 1", threshold=0.5, reset=0)
    G._c.reserve_history(3)
    with pytest.raises(IndexError, match="history"):
        G._c.import_spikes(np.array([1], dtype=np.int32), 3)
    G._c.import_spikes(np.array([1, 4], dtype=np.int32), 2)
    assert G._c.spikes(2).tolist() == [1, 4]
    M = brianc.SpikeMonitor(G)
    with pytest.raises(IndexError, match="late"):
        M._c.record_late(5, 3)
    M._c.record_late(5, 2)
    assert M._c.indices().tolist() == [1, 4]
    assert M._c.steps().tolist() == [5, 5]


def _synapses_of(C) -> tuple:
    C._c.compress()
    pre, post, w, d = C._c.synapses()
    return pre.tolist(), post.tolist(), w.tolist(), \
        None if d is None else d.tolist()


@pytest.mark.parametrize("build", [
    lambda C, G, H: C.connect_random(G, H, 0.1, weight=2.0),
    lambda C, G, H: C.connect_random(G, H, 0.002, weight=2.0),
    lambda C, G, H: C.connect_random(G[10:], H[30:250], 0.7, weight=1.0),
    lambda C, G, H: C.connect_random(G, H, 0.05, weight=1.0, fixed=True),
    lambda C, G, H: C.connect_random(G, H, 0.05,
                                     weight=lambda i, j: 0.1 * i + j),
    lambda C, G, H: C.connect_full(G[:20], H[100:200], weight=3.0),
    lambda C, G, H: C.connect_full(G[:20], H, weight=lambda i, j: i - j),
    lambda C, G, H: C.connect_one_to_one(G[:150], H[50:200], weight=0.5),
    lambda C, G, H: C.connect(G[:30], H, W=np.random.rand(30, 300)),
    lambda C, G, H: C.connect_random(G, H, 0.05, weight=1.0,
                                     delay=(0 * brianc.ms, 2 * brianc.ms)),
])
def test_building_a_part_keeps_a_whole_build_s_synapses(build):
    """A connection built with only targets [120, 210) of its window
    (what a process of a split network builds) holds exactly the synapses
    of a whole build cut to them, in the same order, with the same
    weights and delays, and NumPy's generator ends in the same state."""
    def made(part):
        brianc.clear(True, True)
        brianc.seed(11)
        np.random.seed(2)
        G = brianc.NeuronGroup(200, "v : 1")
        H = brianc.NeuronGroup(300, "v : 1")
        C = brianc.DelayConnection(G, H, "v", max_delay=2 * brianc.ms)
        if part:
            C._c.build_columns(120, 210)
        build(C, G, H)
        if not part:
            C._c.compress()
            C._c.keep_columns(120, 210)
        return _synapses_of(C), np.random.rand()

    try:
        (whole, after_whole), (part, after_part) = made(False), made(True)
    finally:
        brianc.clear(True, True)
    assert len(whole[0]) > 0 and part == whole
    assert after_part == after_whole


@pytest.mark.parametrize("ranks", [2, 3, 5])
@pytest.mark.parametrize("p, targets", [(0.05, slice(None)),
                                        (0.02, slice(700, 9950)),
                                        (0.7, slice(None))])
def test_rank_builds_of_random_rows_join_into_one_process_s(ranks, p,
                                                            targets):
    """Random rows over several column blocks (4096 targets each, the
    last narrower; counted from the block's first target): the parts
    ranks build (targets [r n / K, (r + 1) n / K), split inside blocks)
    hold the synapses of one process's build cut to them, and together
    all of them, in order."""
    def made(begin=None, end=None):
        brianc.clear(True, True)
        brianc.seed(3)
        G = brianc.NeuronGroup(40, "v : 1")
        H = brianc.NeuronGroup(10000, "v : 1")
        C = brianc.Connection(G, H, "v")
        if begin is not None:
            C._c.build_columns(begin, end)
        C.connect_random(G, H[targets], p, weight=1.0)
        return _synapses_of(C)[:2]

    try:
        whole = made()
        assert max(whole[1]) - min(whole[1]) > 2 * 4096
        joined = []
        for r in range(ranks):
            begin, end = r * 10000 // ranks, (r + 1) * 10000 // ranks
            pre, post = made(begin, end)
            cut = [(i, j) for i, j in zip(*whole) if begin <= j < end]
            assert list(zip(pre, post)) == cut
            joined += cut
    finally:
        brianc.clear(True, True)
    assert sorted(joined) == sorted(zip(*whole))


def test_exchange_bookkeeping_round_trips_and_checks_its_input():
    """What a rank packs (oldest step first, counts then spikes) is what
    the others import; a rank over the capacity sends counts only and the
    import says so, changing nothing; bad arrays raise by name."""
    brianc.clear(True, True)
    G = brianc.NeuronGroup(10, "v : 1")
    H = brianc.NeuronGroup(7, "v : 1")
    cores = (G._c, H._c)
    for c in cores:
        c.reserve_history(3)
    G._c.import_spikes(np.array([2, 5], np.int32), 1)
    H._c.import_spikes(np.array([6], np.int32), 1)
    G._c.import_spikes(np.array([1, 3, 9], np.int32), 0)
    record = np.full(4 + 6, -1, np.int32)
    assert brianc._core.exchange_pack(cores, 2, 6, record) == 6
    assert record.tolist() == [2, 1, 3, 0, 2, 5, 6, 1, 3, 9]
    # a stand-in for the Allgather: rank 1 sent nothing
    records = np.zeros((2, 10), np.int32)
    records[0] = record
    for c in cores:
        c.import_spikes(np.zeros(0, np.int32), 0)
    assert brianc._core.exchange_import(cores, 2, records, 6)
    assert G._c.spikes(1).tolist() == [2, 5] and H._c.spikes(1).tolist() == [6]
    assert G._c.spikes(0).tolist() == [1, 3, 9] and H._c.spikes(0).size == 0
    # over a capacity of 5: counts only, and nothing imported
    assert brianc._core.exchange_pack(cores, 2, 5, record[:9]) == 6
    records[0, :4] = record[:4]
    assert not brianc._core.exchange_import(cores, 2, records[:, :9].copy(),
                                            5)
    # the exact lists
    whole = np.array([2, 5, 6, 1, 3, 9], np.int32)
    assert brianc._core.exchange_import(
        cores, 2, records, 6, whole, np.array([6, 0], np.int32))
    assert G._c.spikes(0).tolist() == [1, 3, 9]
    with pytest.raises(TypeError, match="record"):
        brianc._core.exchange_pack(cores, 2, 6, record.astype(np.int64))
    with pytest.raises(ValueError, match="record"):
        brianc._core.exchange_pack(cores, 2, 7, record)
    with pytest.raises(TypeError, match="_core.Group"):
        brianc._core.exchange_pack((G._c, 3), 2, 6, record)
    with pytest.raises(IndexError):
        brianc._core.exchange_pack(cores, 5, 0, record)
    records[1, :4] = [0, 0, 1, 0]
    records[1, 4] = 0           # below rank 0's spikes of that list
    with pytest.raises(ValueError, match="exchange_import"):
        brianc._core.exchange_import(cores, 2, records, 6)
    assert G._c.spikes(0).tolist() == [1, 3, 9]
    brianc.clear(True, True)


def test_build_columns_checks_its_range():
    G = brianc.NeuronGroup(6, "v : 1")
    C = brianc.Connection(G, G[2:5], "v")
    with pytest.raises(ValueError, match="columns"):
        C._c.build_columns(1, 4)
    C._c.build_columns(1, 2)
    C.connect_full(weight=1.0)
    assert _synapses_of(C)[:2] == ([0, 1, 2, 3, 4, 5], [1] * 6)
    # per-synapse delays: the ring holds the part's targets only
    D = brianc.DelayConnection(G, G, "v", max_delay=1 * brianc.ms)
    D._c.build_columns(2, 5)
    D.connect_full(weight=1.0, delay=0.5 * brianc.ms)
    D.compress()
    assert D._c.ring()[1].shape == (11, 3)
