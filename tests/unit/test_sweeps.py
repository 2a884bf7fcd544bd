"""Parameter sweeps (brianc.tools.taskfarm.map_tasks): results in order,
the same result per item whatever the number of processes or MPI ranks,
progress reports; and the C thread pool across fork."""
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import numpy as np
import pytest

from brianc import (Network, NeuronGroup, SpikeMonitor, defaultclock,
                    define_default_clock, mV, ms, network_operation, rand,
                    reinit_default_clock, run, seed, set_num_threads)
from brianc import _engine
from brianc.tools.taskfarm import map_tasks, task_seed

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


@pytest.fixture(autouse=True)
def default_settings():
    """Every test starts from the default clock and threads, and leaves
    them so."""
    define_default_clock()
    set_num_threads(None)
    yield
    define_default_clock()
    set_num_threads(None)
    _engine._state.always_split = False


def noisy_spikes(drive):
    """A small noisy network (NumPy draws for the start, the engine's for
    the noise); its spikes as (index, step) pairs, with the start time
    and dt the task saw."""
    start, dt = float(defaultclock.t), float(defaultclock.dt)
    G = NeuronGroup(40, "dv/dt = (-v + drive + 4*mV*sqrt(10*ms)*xi)"
                        "/(10*ms) : volt", threshold=10 * mV, reset=0 * mV)
    G.v = rand(40) * 10 * mV
    M = SpikeMonitor(G)
    run(30 * ms)
    steps = [(int(i), round(float(t) / dt)) for i, t in M.spikes]
    return float(drive), start, dt, steps


def failing_task(item):
    if item == 2:
        raise ValueError("no good")
    return item


DRIVES = [d * mV for d in (8, 9, 10, 11, 8, 9)]


def test_results_in_order_and_each_task_seeded_by_its_index():
    results = map_tasks(noisy_spikes, DRIVES, processes=0, seed=7)
    assert [r[0] for r in results] == [float(d) for d in DRIVES]
    assert all(len(r[3]) > 0 for r in results)
    # Items 0 and 4 are equal but are different tasks: other draws.
    assert results[0][3] != results[4][3]
    # Task i alone, seeded with task_seed(7, i), gives task i's result.
    seed(task_seed(7, 4))
    define_default_clock()
    assert noisy_spikes(DRIVES[4]) == results[4]
    assert map_tasks(noisy_spikes, DRIVES[:2], processes=0, seed=8) != \
        results[:2]


def test_the_seed_defaults_to_seed_and_each_task_gets_a_fresh_clock():
    define_default_clock(dt=0.05 * ms)
    reinit_default_clock(2 * ms)        # the caller's clock has moved on
    seed(7)
    np_state = np.random.get_state()[1].copy()
    results = map_tasks(noisy_spikes, DRIVES[:2], processes=0)
    assert [r[1:3] for r in results] == [(0.0, 0.05e-3)] * 2
    # The caller's clock and random state are left as they were.
    assert float(defaultclock.t) == pytest.approx(2e-3)
    assert np.array_equal(np.random.get_state()[1], np_state)
    define_default_clock(dt=0.05 * ms)
    assert results == map_tasks(noisy_spikes, DRIVES[:2], processes=0,
                                seed=7)


def test_two_fork_workers_give_the_serial_results():
    serial = map_tasks(noisy_spikes, DRIVES, processes=0, seed=3)
    assert map_tasks(noisy_spikes, DRIVES, processes=1, seed=3,
                     start_method="fork") == serial
    assert map_tasks(noisy_spikes, DRIVES, processes=2, seed=3,
                     start_method="fork") == serial


@pytest.mark.slow
def test_two_spawn_workers_give_the_serial_results():
    serial = map_tasks(noisy_spikes, DRIVES, processes=0, seed=3)
    assert map_tasks(noisy_spikes, DRIVES, processes=2, seed=3,
                     start_method="spawn") == serial


def test_progress_report_text():
    out = io.StringIO()
    map_tasks(noisy_spikes, DRIVES[:3], processes=0, seed=1, report=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    for k, line in enumerate(lines, 1):
        assert line.startswith(f"map_tasks: {k} of 3 tasks done, "
                               f"{int(100 * k / 3)}% complete, ")
    assert lines[-1].endswith("approximately 0s remaining.")
    calls = []
    map_tasks(noisy_spikes, DRIVES[:2], processes=2, seed=1,
              start_method="fork",
              report=lambda elapsed, done: calls.append(done))
    assert calls == [0.5, 1.0]
    with pytest.raises(ValueError, match="report must be"):
        map_tasks(noisy_spikes, DRIVES, processes=0, report=3)


@pytest.mark.parametrize("processes", [0, 2])
def test_a_failing_task_raises_its_error_naming_the_task(processes):
    with pytest.raises(ValueError, match="no good") as info:
        map_tasks(failing_task, [0, 1, 2, 3], processes=processes,
                  start_method="fork")
    if sys.version_info >= (3, 11):
        assert "task 2, failing_task(2)" in "".join(info.value.__notes__)


@pytest.mark.parametrize("bad", [dict(processes=-1), dict(processes=1.5),
                                 dict(processes="2"),
                                 dict(seed=-3), dict(seed=2.5),
                                 dict(threads=0), dict(threads=1.5)])
def test_bad_arguments_are_named(bad):
    with pytest.raises(ValueError, match="map_tasks: " + list(bad)[0]):
        map_tasks(noisy_spikes, DRIVES, **bad)


# -- the C thread pool across fork -----------------------------------------

def threaded_run(steps=100):
    """A noisy group big enough for its update to be split over two
    threads; its spikes as (index, step) pairs."""
    set_num_threads(2)
    _engine._state.always_split = True      # split even on a busy machine
    define_default_clock()
    seed(11)
    P = NeuronGroup(9999, "dV/dt = (-V + 25*mV + 3*mV*sqrt(20*ms)*xi)"
                          "/(20*ms) : volt", threshold=20 * mV,
                    reset=10 * mV)
    P.V = 10 * mV + 10 * mV * np.random.RandomState(6).rand(9999)
    M = SpikeMonitor(P)
    Network(P, M).run(steps * 0.1 * ms)
    assert P._c.update_is_parallel
    return [(int(i), round(float(t) / 1e-4)) for i, t in M.spikes]


def fork():
    """os.fork, and a pipe for the child's answer: (pid, read, write)."""
    read, write = os.pipe()
    with warnings.catch_warnings():
        # Python >= 3.12 warns about fork in a threaded process.
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork(), read, write


def answer_and_exit(write, work):
    """In the child: work()'s result as JSON down the pipe, then exit
    (never back into pytest)."""
    try:
        os.write(write, json.dumps(work()).encode())
    finally:
        os._exit(0)


def child_answer(pid, read, write, timeout=60):
    """The child's JSON answer; a failure if it hangs, crashes or
    raises."""
    os.close(write)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung")
        time.sleep(0.05)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert data, "the child raised"
    return json.loads(data)


def test_child_forked_after_a_threaded_run_runs_threaded_again():
    first = threaded_run()
    assert len(first) > 0
    pid, read, write = fork()
    if pid == 0:
        answer_and_exit(write, threaded_run)
    assert [tuple(s) for s in child_answer(pid, read, write)] == first


def test_child_forked_during_a_threaded_run_finishes_it():
    """Forked from a network_operation while the pool's workers live:
    the child must neither wait for them nor hand them work."""
    set_num_threads(2)
    _engine._state.always_split = True
    seed(11)
    P = NeuronGroup(9999, "dV/dt = (-V + 25*mV + 3*mV*sqrt(20*ms)*xi)"
                          "/(20*ms) : volt", threshold=20 * mV,
                    reset=10 * mV)
    P.V = 10 * mV + 10 * mV * np.random.RandomState(6).rand(9999)
    M = SpikeMonitor(P)
    forked = []

    @network_operation
    def fork_midway():
        if not forked and float(defaultclock.t) > 5e-3:
            forked.append(fork())
    net = Network(P, M, fork_midway)
    net.run(10 * ms)
    pid, read, write = forked[0]
    if pid == 0:        # the child: the rest of the run, then a new one
        answer_and_exit(write, lambda: [M.nspikes, threaded_run(20)])
    assert P._c.update_is_parallel
    assert M.nspikes > 0
    nspikes, fresh = child_answer(pid, read, write)
    assert nspikes == M.nspikes
    assert [tuple(s) for s in fresh] == threaded_run(20)


def test_fork_workers_after_a_threaded_run():
    """Brian 1's multiprocessing pattern: the script ran a threaded
    network, then a pool forks workers that build their own."""
    threaded_run(20)
    serial = map_tasks(noisy_spikes, DRIVES[:2], processes=0, seed=3)
    assert map_tasks(noisy_spikes, DRIVES[:2], processes=2, threads=2,
                     seed=3, start_method="fork") == serial


# -- over MPI ranks ---------------------------------------------------------

MPI_SCRIPT = """
import json, sys
sys.path.insert(0, {here!r})
from test_sweeps import DRIVES, failing_task, noisy_spikes
from brianc.tools.taskfarm import map_tasks
from mpi4py import MPI
rank = MPI.COMM_WORLD.Get_rank()
results = map_tasks(noisy_spikes, DRIVES, seed=3)
try:
    map_tasks(failing_task, [5, 2])     # task 1, on rank 1, fails
except RuntimeError as error:           # rank 0 hears of it
    failure = str(error)
except ValueError as error:             # rank 1 raises its own error
    failure = None
if rank == 0:
    print(json.dumps([results, failure]))
"""


@pytest.mark.slow
def test_mpi_ranks_give_the_serial_results(tmp_path):
    pytest.importorskip("mpi4py")
    mpiexec = shutil.which("mpiexec") or os.path.join(
        os.path.dirname(sys.executable), "mpiexec")
    if not os.path.exists(mpiexec):
        pytest.skip("mpi4py is installed without mpiexec")
    script = tmp_path / "sweep.py"
    script.write_text(MPI_SCRIPT.format(here=os.path.dirname(__file__)))
    done = subprocess.run([mpiexec, "-n", "2", sys.executable, str(script)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    over_mpi, failure = json.loads(done.stdout.strip().splitlines()[-1])
    serial = map_tasks(noisy_spikes, DRIVES, processes=0, seed=3)
    assert over_mpi == json.loads(json.dumps(serial))
    assert failure == ("map_tasks: a task failed on MPI rank 1: "
                       "ValueError: no good")
