"""Networks and the run loop's Python side: collecting objects, setting
the clocks' ends, and the callbacks the C loop pauses for (network
operations, progress reports, Ctrl-C)."""
from __future__ import annotations

import os
import sys
import time
import warnings

import numpy as np

from . import _core, _engine, magic
from ._checks import finite_seconds
from .clock import Clock, _DefaultClockProxy, get_default_clock
from .base import magic_kinds
from .connections import Connection
from .monitor import Monitor
from .operation import NetworkOperation, network_operation
from .units import second

__all__ = ["Network", "MagicNetwork", "NetworkOperation",
           "network_operation", "run", "reinit", "stop", "clear", "forget",
           "recall"]


def _clock_of(obj) -> Clock:
    clock = obj
    if isinstance(clock, _DefaultClockProxy):
        return get_default_clock()
    return clock


class _Reporter:
    """Brian 1's progress reports: at most one per ``period`` of wall
    time, and one at the end."""

    def __init__(self, report, period: float, total_steps: int):
        self.period = period
        self.total = max(total_steps, 1)
        self.start = time.perf_counter()
        self.last = self.start
        if report in ("text", "print", "stdout"):
            self.sink = self._writer(sys.stdout)
        elif report == "stderr":
            self.sink = self._writer(sys.stderr)
        elif hasattr(report, "write"):
            self.sink = self._writer(report)
        elif hasattr(report, "update") and hasattr(report, "finish"):
            self.sink = self._progress_reporter(report)
        elif callable(report):
            self.sink = report
        else:
            raise ValueError(f"report must be 'text', 'stdout', 'stderr', a "
                             f"stream or a function, got {report!r}")

    @staticmethod
    def _writer(stream):
        def write(elapsed: float, fraction: float) -> None:
            remaining = elapsed / fraction - elapsed if fraction > 0 else 0
            stream.write(f"{100 * fraction:.0f}% complete, {elapsed:.1f} s "
                         f"elapsed, approximately {remaining:.1f} s "
                         f"remaining.\n")
            stream.flush()
        return write

    @staticmethod
    def _progress_reporter(reporter):
        """A ProgressReporter (brianc.utils.progressreporting) times and
        prints itself: it is started now and told the fraction done."""
        reporter.start()

        def tell(elapsed: float, fraction: float) -> None:
            if fraction >= 1.0:
                reporter.finish()
            else:
                reporter.update(fraction)
        return tell

    def maybe(self, done_steps: int, final: bool = False) -> None:
        now = time.perf_counter()
        if final or now - self.last >= self.period:
            self.last = now
            self.sink(now - self.start, 1.0 if final else
                      min(done_steps / self.total, 1.0))


class Network:
    """A set of groups, connections, monitors and operations, run together.

    Objects are simulated in the order they were created; ``run`` keeps
    the clocks' times, so successive runs continue."""

    def __init__(self, *objs):
        self.objects: list = []
        self._stopped = False
        self._core = None
        self.add(*objs)

    def add(self, *objs) -> None:
        for obj in objs:
            if isinstance(obj, (list, tuple, set)):
                self.add(*obj)
            elif hasattr(obj, "_core_objects") or hasattr(obj, "monitors"):
                if all(obj is not o for o in self.objects):
                    self.objects.append(obj)
                    # Brian 1 adds what an object contains (a group's
                    # TimedArraySetters, ...) along with it.
                    self.add(*(obj.__dict__.get("contained_objects")
                               or ()))
            elif hasattr(obj, "_owner") and obj._owner is not obj:
                continue        # subgroups are never simulated themselves
            else:
                raise TypeError(f"cannot add {obj!r} to a Network")

    @property
    def groups(self) -> list:
        """The groups among the objects (Brian 1's ``net.groups``): what
        is neither a connection, a monitor nor an operation."""
        others = (Connection, Monitor, NetworkOperation)
        return [o for o in self.objects if not isinstance(o, others)]

    def same_clocks(self) -> bool:
        """True when every group and operation runs on one clock (Brian
        1); brianc runs networks of several clocks in any case."""
        clocks = [_clock_of(o.clock) for o in self.objects
                  if not isinstance(o, (Connection, Monitor))
                  and isinstance(getattr(o, "clock", None),
                                 (Clock, _DefaultClockProxy))]
        return all(c is clocks[0] for c in clocks)

    def remove(self, *objs) -> None:
        for obj in objs:
            self.objects = [o for o in self.objects if o is not obj]

    def __call__(self, obj):
        self.add(obj)
        return obj

    def __len__(self) -> int:
        return sum(len(o) for o in self.objects
                   if getattr(o, "_owner", None) is o)

    def _ordered(self) -> list:
        return sorted(self.objects,
                      key=lambda o: getattr(o, "_creation_number", 0))

    def _build(self, split=None):
        """A fresh core network over the objects; returns (core, ops,
        clocks).  Objects keep their creation order; the Python parts of
        thresholds and resets come first in their slots, after a split
        run's spike exchanges (which may record some entries instead)."""
        net = _core.Network()
        operations: list = []
        clocks: list = []
        entries = list(split.entries()) if split is not None else []
        stale: list = []
        objects = [obj for obj in self._ordered()
                   if hasattr(obj, "_core_objects")
                   or not hasattr(obj, "monitors")]
        for obj in objects:
            obj_entries = obj._core_objects()
            _note_stale_dt(obj, obj_entries, stale)
            entries += [e for e in obj_entries
                        if split is None or split.keeps(e)]
        if stale:
            raise RuntimeError(_stale_dt_message(stale))
        if any(e[0] == "operation" for e in entries):
            # Python code runs between steps: it may write any state
            for obj in objects:
                hook = getattr(obj, "_python_between_steps", None)
                if hook is not None:
                    hook()
        first = [e for e in entries if len(e) > 4 and e[4]]
        entries = first + [e for e in entries if not (len(e) > 4 and e[4])]
        for entry in entries:
            kind, target, clock = entry[0], entry[1], _clock_of(entry[2])
            if all(clock is not c for c in clocks):
                clocks.append(clock)
            if kind == "operation":
                operations.append(target)
                net.add("operation", None, clock._c, entry[3],
                        len(operations) - 1)
            elif kind == "state_monitor":
                net.add(kind, target, clock._c, entry[3])
            else:
                net.add(kind, target, clock._c)
        return net, operations, clocks

    def run(self, duration, report=None, report_period=10 * second,
            threads=1, profile=False):
        """Simulate ``duration`` (``ceil(duration/dt)`` steps per clock).

        ``report`` ('text', 'stdout', 'stderr', a stream or a function of
        (elapsed, fraction)) prints progress every ``report_period`` of
        wall time.  ``profile=True`` records the time spent per phase in
        ``self.profile`` (seconds); the environment variable
        BRIANC_PROFILE=1 turns it on for every run and prints the
        figures to stderr."""
        announce = os.environ.get("BRIANC_PROFILE", "") not in ("", "0") \
            or profile == "print"
        profile = profile or announce
        # Brian 1's `threads` argument did nothing; set_num_threads() and
        # BRIANC_THREADS choose brianc's threads.
        threads = _engine.run_threads()
        finite_seconds(duration, "duration")
        self._check_not_running()
        split = _split_over_processes(self._ordered()) \
            if _split_over_processes is not None else None
        net, operations, clocks = self._build(split)
        if not clocks:
            return
        _check_clocks_free(clocks)
        steps = [c.steps_for(duration) for c in clocks]
        for clock, n in zip(clocks, steps):
            clock._c.end = clock._c.step + n
        first = clocks[0]
        start_step = first._c.step
        reporter = _Reporter(report, float(report_period), steps[0]) \
            if report is not None else None
        net.profile = bool(profile)
        net.threads = threads
        net.always_split = _engine._state.always_split
        self._core = net
        self._stopped = False
        _running.append(self)
        _running_clocks.extend(clocks)

        def callback(op_id: int) -> None:
            if op_id >= 0:
                operations[op_id]()
            elif reporter is not None:
                reporter.maybe(first._c.step - start_step)

        started = time.perf_counter()
        try:
            self._stopped = net.run(callback)
        finally:
            _running.remove(self)
            del _running_clocks[len(_running_clocks) - len(clocks):]
            self._core = None
            wall = time.perf_counter() - started
        if split is not None:
            split.gather()
        _warn_non_finite(self.objects)
        if reporter is not None:
            reporter.maybe(steps[0], final=True)
        if profile:
            self.profile = dict(net.profile_times())
            self.profile["total"] = wall
            self.profile["python"] = max(
                wall - sum(v for k, v in self.profile.items()
                           if k != "total"), 0.0)
            if announce:
                parts = ", ".join(f"{k} {v:.4f}" for k, v in
                                  self.profile.items())
                print(f"brianc profile (s): {parts}", file=sys.stderr)

    def _check_not_running(self) -> None:
        """A run started from inside a running network (a
        network_operation calling run) would nest: refuse it, unless the
        network shares nothing with the running ones."""
        if any(net is self for net in _running):
            raise RuntimeError(f"{self!r} is already running: a "
                               f"network_operation cannot run the network "
                               f"that calls it (use stop() to end the run)")
        for net in _running:
            shared = [o for o in self.objects
                      if any(o is p for p in net.objects)]
            if shared:
                raise RuntimeError(f"{_describe(shared[0])} is being "
                                   f"simulated by a running network; run() "
                                   f"cannot start again inside that run")

    def stop(self) -> None:
        """End the run after the current step."""
        if self._core is not None:
            self._core.stop()

    def reinit(self, states: bool = True) -> None:
        """Clocks back to 0, initial states, empty monitors and spike
        histories."""
        # Clocks first: an object's reinit may schedule from the current
        # time (a SpikeGeneratorGroup reading its generator again).
        for obj in self.objects:
            clock = getattr(obj, "clock", None)
            if isinstance(clock, (Clock, _DefaultClockProxy)):
                _clock_of(clock).reinit()
        for obj in self.objects:
            obj_reinit = getattr(obj, "_reinit", None)
            if obj_reinit is not None:
                obj_reinit(states)

    def __repr__(self) -> str:
        return f"<Network of {len(self.objects)} objects>"


def _warn_non_finite(objects: list) -> None:
    """Warn, once per group and variable, about a state that became NaN or
    infinite during the run (``log(0)``, a diverging model): one pass over
    each group's state, cheap next to the run."""
    for obj in objects:
        state = obj.__dict__.get("_state")
        model = obj.__dict__.get("_model")
        if not isinstance(state, np.ndarray) or state.ndim != 2 or \
                model is None or np.isfinite(state).all():
            continue
        warned = obj.__dict__.setdefault("_non_finite_warned", set())
        names = getattr(model, "state_names", None) or []
        for row, name in enumerate(names[:state.shape[0]]):
            bad = ~np.isfinite(state[row])
            if name in warned or not bad.any():
                continue
            warned.add(name)
            warnings.warn(f"{_describe(obj)}: {name} became NaN or infinite "
                          f"during the run ({int(bad.sum())} of "
                          f"{state.shape[1]} neurons, first neuron "
                          f"{int(np.flatnonzero(bad)[0])}); the model "
                          f"diverges or evaluates a function outside its "
                          f"domain", RuntimeWarning,
                          stacklevel=magic.user_stacklevel())


def _note_stale_dt(obj, entries: list, stale: list) -> None:
    """Add (obj, clock, dt at creation) to ``stale`` if obj was built for
    a dt its clock no longer has.  Network operations hold nothing
    computed from dt."""
    number = getattr(obj, "_creation_number", None)
    if number is None or isinstance(obj, NetworkOperation):
        return
    for entry in entries:
        if entry[0] == "operation":
            continue
        clock = _clock_of(entry[2])
        built = clock._dt_at_creation(number)
        if built != clock._c.dt:
            stale.append((obj, clock, built))
            return


def _stale_dt_message(stale: list) -> str:
    """Which objects were built for which dt, and what to do."""
    names = ", ".join(f"{_describe(obj)} (built for dt = "
                      f"{built * 1e3:g} ms)" for obj, _, built in stale[:5])
    if len(stale) > 5:
        names += f" and {len(stale) - 5} more"
    now = stale[0][1]._c.dt
    return (f"the clock's dt changed to {now * 1e3:g} ms after these "
            f"objects were built for the old dt: {names}.  Their updates, "
            f"refractory periods, delays and bins are computed in steps "
            f"of dt when they are created, so brianc refuses to run them "
            f"with another dt; set defaultclock.dt (or the clock's dt) "
            f"before creating the objects that use it")


_running: list = []
_running_clocks: list = []
# brianc.mpi sets this to a function of the objects returning the run's
# split over processes (entries(), gather()); None runs in one process.
_split_over_processes = None


def _describe(obj) -> str:
    name = getattr(obj, "_name", None)
    return name if isinstance(name, str) else type(obj).__name__


def _check_clocks_free(clocks: list) -> None:
    """A clock advanced by a running network cannot be stepped by a
    nested one: the outer run would find its time moved."""
    for clock in clocks:
        if any(clock is c for c in _running_clocks):
            raise RuntimeError(f"{clock!r} is driven by a running network; "
                               f"a network run inside it needs a clock of "
                               f"its own")


def _magic_objects(level: int) -> list:
    objects = []
    for cls in magic_kinds():
        objects += magic.collect(cls, level)
    return objects


class MagicNetwork(Network):
    """The network of every object the calling script created."""

    def __init__(self, verbose=False, level=0):
        super().__init__()
        self.add(*_magic_objects(level))


def run(duration, threads=1, report=None, report_period=10 * second,
        profile=False):
    """Run every object the script created (Brian 1's magic ``run``).
    Returns None, as Brian 1 did; ``profile=True`` prints the time spent
    per phase to stderr (there is no network object to read it from)."""
    MagicNetwork().run(duration, report=report, report_period=report_period,
                       profile="print" if profile else False)


def reinit(states: bool = True) -> None:
    """Reinitialise the objects the script created and the default
    clock."""
    MagicNetwork().reinit(states)
    get_default_clock().reinit()


def stop() -> None:
    """Stop the running network(s) after the current step."""
    for net in _running:
        net.stop()


def forget(*objs) -> None:
    """Hide objects from ``run()``'s collection."""
    magic.forget(*objs)


def recall(*objs) -> None:
    """Undo ``forget``."""
    magic.recall(*objs)


def clear(erase: bool = True, all: bool = False) -> None:
    """Hide every object found by magic (every object with all=True)."""
    if _running:
        raise RuntimeError("clear() cannot be called while a network runs "
                           "(from a network_operation): it would erase the "
                           "objects being simulated; call it after run() "
                           "returns")
    objects = _magic_objects(0) if not all else [
        o for cls in (object,) for o in magic.live_instances(cls)]
    for obj in objects:
        magic.forget(obj)
        if erase and not isinstance(obj, Clock):
            for name in list(vars(obj)):
                if not name.startswith("_"):
                    try:
                        setattr(obj, name, None)
                    except (AttributeError, TypeError, ValueError):
                        pass
