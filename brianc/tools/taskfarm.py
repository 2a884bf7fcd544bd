"""Running a task over many items on all CPUs of one machine, results
saved to a DataManager (Brian 1's run_tasks), with text progress
reports instead of Brian 1's Tk window."""
from __future__ import annotations

import inspect
import multiprocessing
import numbers
import os
import random
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from queue import Empty

import numpy as np

from .. import _engine
from ..clock import define_default_clock, get_default_clock
from ..units import second
from ..utils.progressreporting import make_text_report

__all__ = ['run_tasks', 'map_tasks', 'task_seed']


def _accepts(function, name: str) -> bool:
    """Whether ``function`` takes a parameter ``name`` (or **kwds)."""
    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == name or p.kind is p.VAR_KEYWORD for p in params)


class FunctionTask:
    """The task class used when the task is a plain function."""

    def __init__(self, func):
        self.func = func

    def __call__(self, *args, **kwds):
        if _accepts(self.func, 'report'):
            return self.func(*args, **kwds)
        return self.func(*args)


# Per worker process: set by _pool_initializer.
_worker: dict = {}


def _pool_initializer(numbers, messages, dataman, session, task, initargs,
                      initkwds):
    number = numbers.get()
    kwds = dict(initkwds)
    if _accepts(task.__init__, 'process_number'):
        kwds['process_number'] = number
    _worker.update(task=task(*initargs, **kwds), dataman=dataman,
                   session=session, messages=messages)


def _task_reporter(elapsed, complete):
    task = _worker['task']
    name = getattr(task, 'taskname', 'No task information')
    _worker['messages'].put((os.getpid(), name, elapsed, complete))


def _task_compute(args):
    if not isinstance(args, tuple):
        args = (args,)
    task = _worker['task']
    kwds = {'report': _task_reporter} if _accepts(task.__call__,
                                                  'report') else {}
    result = task(*args, **kwds)
    _worker['session'][_worker['dataman'].make_unique_key()] = result


class TextTaskController:
    """Prints the progress of the processes and of the whole run."""

    def __init__(self, processes, verbose=True):
        self.verbose = verbose
        self.completion = np.zeros(processes)
        self.numitems, self.numdone = None, 0
        self.start_time = time.time()

    def update_process(self, i, elapsed, complete, msg):
        self.completion[i] = complete % 1.0
        if self.verbose:
            print(f"Process {i}: {make_text_report(elapsed, complete)}: "
                  f"{msg}")
            print(self.get_overall_completion()[1])

    def get_overall_completion(self):
        elapsed = time.time() - self.start_time
        text = f"Overall, {self.numdone} done"
        complete = 0.0
        if self.numitems:
            complete = (self.numdone + self.completion.sum()) / self.numitems
            complete = min(complete, 1.0)
            text += (f" of {self.numitems}: "
                     f"{make_text_report(elapsed, complete)}")
        return complete, text

    def update_overall(self, numdone, numitems):
        self.numdone, self.numitems = numdone, numitems
        print(self.get_overall_completion()[1])


def run_tasks(dataman, task, items, gui=True, poolsize=0, initargs=None,
              initkwds=None, verbose=None, numitems=None):
    """Runs ``task`` on each of ``items`` in a pool of processes and stores
    each result in ``dataman`` under a fresh key (read them back with
    ``dataman.values()``).

    ``task`` is a function, called with each item (unpacked if it is a
    tuple), or a class instantiated once per process with ``initargs`` and
    ``initkwds`` (plus ``process_number`` if ``__init__`` takes it) and
    then called like the function.  A task taking a ``report`` argument
    gets a function to pass as ``run(..., report=report)``; its progress
    is printed.  ``poolsize`` is the number of processes (0: one per CPU,
    -1: all but one, ...).  ``gui`` is accepted for Brian 1 scripts: brianc
    always reports as text (every message when ``verbose``, which defaults
    to ``not gui``).  ``numitems`` gives progress estimates for iterators.
    """
    if not inspect.isclass(task):
        initargs = (task,)
        task = FunctionTask
        function = initargs[0]
    else:
        function = task.__call__
    will_report = _accepts(function, 'report')
    if numitems is None and isinstance(items, (list, tuple, np.ndarray)):
        numitems = len(items)
    numprocesses = poolsize if poolsize > 0 else \
        poolsize + multiprocessing.cpu_count()
    if numprocesses < 1:
        raise ValueError(f"run_tasks: poolsize={poolsize} leaves no process "
                         f"on {multiprocessing.cpu_count()} CPUs")
    if verbose is None:
        verbose = not gui
    session = dataman.locking_computer_session()
    manager = multiprocessing.Manager()
    numbers = manager.Queue()
    for n in range(numprocesses):
        numbers.put(n)
    messages = manager.Queue()
    pool = multiprocessing.Pool(
        processes=numprocesses, initializer=_pool_initializer,
        initargs=(numbers, messages, dataman, session, task,
                  tuple(initargs or ()), dict(initkwds or {})))
    controller = TextTaskController(numprocesses, verbose=verbose)
    pid_to_id = {p.pid: i for i, p in enumerate(pool._pool)}

    def drain_messages():
        while True:
            try:
                pid, name, elapsed, complete = messages.get_nowait()
            except Empty:
                return
            if will_report and pid in pid_to_id:
                controller.update_process(pid_to_id[pid], elapsed, complete,
                                          name)

    results = pool.imap_unordered(_task_compute, items)
    done = 0
    controller.update_overall(0, numitems)
    try:
        while True:
            try:
                results.next(0.1)
            except multiprocessing.TimeoutError:
                drain_messages()
                continue
            except StopIteration:
                break
            drain_messages()
            done += 1
            controller.update_overall(done, numitems)
        print('Finished.')
    except (KeyboardInterrupt, SystemExit):
        print('Terminated task processes')
        raise
    finally:
        session.acquire()       # no process is half-way through a write
        pool.terminate()
        session.release()
        pool.join()
        manager.shutdown()


# -- map_tasks: a parameter sweep with results in order ---------------------

# Environment variables by which MPI launchers (MPICH's and Intel's hydra,
# Open MPI, MVAPICH) tell a process how many ranks were started.
_MPI_SIZE_VARIABLES = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE",
                       "MV2_COMM_WORLD_SIZE")


def task_seed(base_seed: int, index: int) -> int:
    """The seed ``map_tasks`` gives task ``index`` of a sweep seeded with
    ``base_seed``: call ``seed(task_seed(base, i))`` to rerun one task
    alone.  Distinct tasks get independent seeds, below 2**32 as
    ``seed()`` needs."""
    _check_seed(base_seed, "task_seed")
    words = np.random.SeedSequence([int(base_seed), int(index)])
    return int(words.generate_state(1, np.uint32)[0])


def _check_seed(seed, what: str) -> None:
    if not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"{what}: seed must be a non-negative integer, "
                         f"got {seed!r}")


def _run_one(function, index, item, base_seed, dt):
    """Task ``index`` as every task starts, wherever it runs: a fresh
    default clock (the caller's dt, t = 0) and its own seed for brianc,
    NumPy and Python's ``random``."""
    define_default_clock(dt=dt * second)
    task = task_seed(base_seed, index)
    _engine.seed(task)
    random.seed(task)
    return function(item)


def _worker_setup(threads):
    _engine.set_num_threads(threads)


def _run_here(function, items, indices, base_seed, dt, progress):
    """Runs the tasks in this process, one after another; the caller's
    default clock and random states are as before afterwards."""
    saved = (get_default_clock(), _engine._state.seed,
             _engine._state.next_stream, np.random.get_state(),
             random.getstate())
    results = []
    try:
        for index in indices:
            try:
                results.append(_run_one(function, index, items[index],
                                        base_seed, dt))
            except Exception as error:
                _name_failed_task(error, function, index, items[index])
                raise
            progress.task_done()
    finally:
        clock, _engine._state.seed, _engine._state.next_stream, numpy_state, \
            python_state = saved
        define_default_clock(clock=clock)
        np.random.set_state(numpy_state)
        random.setstate(python_state)
    return results


def _run_in_pool(function, items, indices, base_seed, dt, processes,
                 threads, start_method, progress):
    """Runs the tasks on ``processes`` worker processes; the results come
    back in the order of ``indices``."""
    context = multiprocessing.get_context(start_method)
    results = [None] * len(indices)
    with ProcessPoolExecutor(max_workers=processes, mp_context=context,
                             initializer=_worker_setup,
                             initargs=(threads,)) as pool:
        futures = {pool.submit(_run_one, function, index, items[index],
                               base_seed, dt): k
                   for k, index in enumerate(indices)}
        try:
            for future in as_completed(futures):
                k = futures[future]
                try:
                    results[k] = future.result()
                except Exception as error:
                    _name_failed_task(error, function, indices[k],
                                      items[indices[k]])
                    raise
                progress.task_done()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return results


def _name_failed_task(error, function, index, item):
    note = getattr(error, "add_note", None)
    if note is not None:
        name = getattr(function, "__name__", repr(function))
        note(f"map_tasks: raised by task {index}, {name}({item!r})")


class _SweepProgress:
    """One report per finished task: how many of how many are done."""

    def __init__(self, report, total: int, where: str = ""):
        self.total, self.done = total, 0
        self.where = where
        self.start = time.perf_counter()
        self.sink = None
        if report is None:
            return
        if report in ("text", "print", "stdout"):
            self.sink = self._writer(lambda: sys.stdout)
        elif report == "stderr":
            self.sink = self._writer(lambda: sys.stderr)
        elif hasattr(report, "write"):
            self.sink = self._writer(lambda: report)
        elif callable(report):
            self.sink = report
        else:
            raise ValueError(f"map_tasks: report must be None, 'text', "
                             f"'stdout', 'stderr', a stream or a function "
                             f"of (elapsed, complete), got {report!r}")

    def _writer(self, stream):
        def write(elapsed, complete):
            out = stream()
            out.write(f"map_tasks{self.where}: {self.done} of {self.total} "
                      f"tasks done, {make_text_report(elapsed, complete)}\n")
            out.flush()
        return write

    def task_done(self):
        self.done += 1
        if self.sink is not None:
            self.sink(time.perf_counter() - self.start,
                      self.done / max(self.total, 1))


def _mpi_world(mpi):
    """The MPI world communicator when the tasks go over MPI ranks: asked
    (mpi=True), or by default when an MPI launcher started several ranks
    and mpi4py is installed; else None."""
    if mpi is False:
        return None
    sizes = [os.environ.get(v, "") for v in _MPI_SIZE_VARIABLES]
    launched = max([int(n) for n in sizes if n.isdigit()] or [1])
    if mpi is None and launched < 2:
        return None
    try:
        from mpi4py import MPI
    except ImportError:
        if mpi:
            raise ImportError("map_tasks(mpi=True) needs mpi4py: pip install "
                              "'brianc[mpi]'") from None
        warnings.warn(f"map_tasks: {launched} MPI ranks were started but "
                      f"mpi4py is not installed, so every rank runs every "
                      f"task (pip install 'brianc[mpi]')", RuntimeWarning,
                      stacklevel=3)
        return None
    return MPI.COMM_WORLD


def map_tasks(function, items, processes=None, seed=None, report=None,
              start_method=None, threads=None, mpi=None) -> list:
    """``[function(item) for item in items]``, computed in parallel: a
    parameter sweep.  The results come back in the order of ``items``.

    Each task starts as if it were the only one: with a fresh default
    clock (at t = 0, with the caller's default dt) and seeded with
    ``task_seed(seed, i)`` for its index ``i`` (brianc's engine, NumPy's
    and Python's generators), so a seeded sweep gives each item the same
    result whatever the number of processes or ranks.  ``seed`` defaults
    to the seed given to ``seed()`` (random if it was never called).
    The function builds and runs its own network; it and the items must
    be picklable (a module-level function) unless ``processes=0``.

    ``processes``: worker processes (default: one per CPU, no more than
    the tasks); 0 runs the tasks here, one after another.
    ``start_method``: 'fork', 'spawn' or 'forkserver' (default: the
    platform's; 'spawn' needs the script's top-level code under
    ``if __name__ == '__main__':``).  ``threads``: brianc threads in each
    worker (default: the CPUs shared out over the workers and the MPI
    ranks on this machine; with ``processes=0`` outside MPI, the caller's
    setting); the results are the same on any number.  ``report``: None, 'text' (or 'stdout'),
    'stderr', a stream, or a function of (elapsed seconds, fraction done)
    called as each task finishes.

    Under an MPI launcher (``mpiexec -n K python script.py``) with mpi4py
    installed, every rank runs the script and this call shares the tasks
    out over the ranks (task i on rank i mod K; ``processes`` defaults to
    0 there, i.e. each rank runs its own tasks); every rank gets all the
    results, in order, so the same script runs with or without MPI (let
    rank 0 alone print or save).  Progress is then reported by rank 0, for
    its own tasks.  ``mpi``: None (automatic), True (require mpi4py) or
    False (ignore MPI).
    """
    items = list(items)
    if seed is None:
        seed = _engine.current_seed()
    _check_seed(seed, "map_tasks")
    dt = float(get_default_clock().dt)
    comm = _mpi_world(mpi)
    rank, size = (comm.Get_rank(), comm.Get_size()) if comm else (0, 1)
    mine = list(range(rank, len(items), size))
    if processes is None:
        processes = 0 if comm is not None else \
            min(_usable_cpus(), max(len(mine), 1))
    if not isinstance(processes, numbers.Integral) or \
            isinstance(processes, bool) or processes < 0:
        raise ValueError(f"map_tasks: processes must be a whole number >= "
                         f"0, got {processes!r}")
    given_threads = threads
    if threads is not None:
        whole = isinstance(threads, numbers.Integral) and \
            not isinstance(threads, bool)
        threads = _engine._checked_threads(int(threads) if whole else None,
                                           threads, "map_tasks: threads")
    if threads is None:
        sharing = max(int(processes), 1) * _ranks_on_this_node(comm)
        threads = max(1, _usable_cpus() // sharing)
    where = f" (rank 0 of {size})" if comm is not None else ""
    progress = _SweepProgress(report if rank == 0 else None, len(mine),
                              where)
    if comm is None:
        return _run_share(function, items, mine, seed, dt, processes,
                          given_threads, threads, start_method, progress)
    try:
        results = _run_share(function, items, mine, seed, dt, processes,
                             threads, threads, start_method, progress)
    except Exception as error:
        comm.allgather(("failed", f"{type(error).__name__}: {error}"))
        raise
    everyone = comm.allgather(("done", results))
    failed = [(r, share[1]) for r, share in enumerate(everyone)
              if share[0] == "failed"]
    if failed:
        raise RuntimeError(f"map_tasks: a task failed on MPI rank "
                           f"{failed[0][0]}: {failed[0][1]}")
    return [everyone[i % size][1][i // size] for i in range(len(items))]


def _run_share(function, items, indices, seed, dt, processes, here_threads,
               threads, start_method, progress):
    """This process's tasks: here (with ``here_threads`` threads if not
    None) or on a pool of ``processes`` workers of ``threads`` threads."""
    if processes != 0 and indices:
        return _run_in_pool(function, items, indices, seed, dt,
                            int(processes), threads, start_method, progress)
    saved = _engine._state.threads
    if here_threads is not None:
        _engine.set_num_threads(here_threads)
    try:
        return _run_here(function, items, indices, seed, dt, progress)
    finally:
        _engine._state.threads = saved


def _ranks_on_this_node(comm) -> int:
    """How many ranks of ``comm`` share this machine (1 without MPI)."""
    if comm is None:
        return 1
    from mpi4py import MPI
    local = comm.Split_type(MPI.COMM_TYPE_SHARED)
    try:
        return local.Get_size()
    finally:
        local.Free()


def _usable_cpus() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:
        return max(os.cpu_count() or 1, 1)
