"""Running a task over many items on all CPUs of one machine, results
saved to a DataManager (Brian 1's run_tasks), with text progress
reports instead of Brian 1's Tk window."""
from __future__ import annotations

import inspect
import multiprocessing
import os
import time
from queue import Empty

import numpy as np

from ..utils.progressreporting import make_text_report

__all__ = ['run_tasks']


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
