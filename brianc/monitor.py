"""Monitors: spikes, state traces, rates and counts, recorded in C.

Recordings live in C buffers (12 bytes per spike); every read copies them
into fresh NumPy arrays with the units and shapes Brian 1 returned.
"""
from __future__ import annotations

import math
import pickle

import numpy as np

from . import _core, magic
from ._checks import finite_seconds, whole_steps
from ._pickling import checked, rebuild
from ._live_plot import plot_traces
from ._program import core_program
from .base import magic_kind, slot_number
from .clock import guess_clock
from .operation import NetworkOperation
from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["SpikeMonitor", "SpikeCounter", "PopulationSpikeCounter",
           "StateMonitor", "MultiStateMonitor", "PopulationRateMonitor",
           "StateSpikeMonitor", "ISIHistogramMonitor", "RecentStateMonitor",
           "Monitor"]

def _window(group):
    view = getattr(group, "_monitor_view", None)
    if view is not None:        # Synapses: its state seen as a group's
        return view()
    owner = getattr(group, "_owner", None)
    if owner is None or not hasattr(owner, "_c"):
        raise TypeError(f"expected a neuron group, got {group!r}")
    return owner, group._origin, len(group)


def _record_indices(record) -> np.ndarray:
    """StateMonitor's ``record``: whole neuron numbers, or a clear error."""
    values = np.atleast_1d(np.asarray(record, dtype=object))
    if values.ndim != 1:
        raise TypeError(f"StateMonitor: record must be a list of neuron "
                        f"numbers, got shape {values.shape}")
    out = np.empty(len(values), dtype=np.int64)
    for k, x in enumerate(values):
        if isinstance(x, (bool, np.bool_)) or not isinstance(
                x, (int, float, np.integer, np.floating)) or \
                not math.isfinite(x) or int(x) != x:
            raise TypeError(f"StateMonitor: record must be True, False or "
                            f"neuron numbers, got {x!r} in {record!r}")
        out[k] = int(x)
    return out


def _delay_steps(delay, dt: float) -> int:
    if isinstance(delay, Quantity) and get_dimensions(delay) != second.dim:
        raise DimensionMismatchError("monitor delay must be a time",
                                     get_dimensions(delay))
    return whole_steps(delay, dt, "monitor delay")


# Attributes a monitor's constructor sets: on unpickling they come from
# the new construction, the others (a script's own) go along.
_CONSTRUCTED = frozenset(("source", "P", "function", "varname", "clock",
                          "record", "timestep", "unit", "vars", "monitors",
                          "bins", "duration", "num_duration"))


def _brianc_class(cls: type) -> type:
    """The first class of cls's hierarchy defined by brianc (cls itself,
    or the brianc monitor a script's subclass derives from)."""
    for klass in cls.__mro__:
        if klass.__module__.split(".")[0] == "brianc":
            return klass
    return Monitor


@magic_kind
class Monitor:
    """Base class of brianc's monitors.

    A monitor pickles as the arguments it was built with plus what it has
    recorded: unpickled (alone, or in a Network with its source), it goes
    on recording where it stopped."""

    def __repr__(self) -> str:
        source = getattr(self, "source", None)
        return f"<{type(self).__name__} of {source!r}>"

    def _remember_arguments(self, cls: type, **kwargs) -> None:
        """Called last by each constructor: the most derived one wins."""
        self.__dict__["_init_args"] = (cls, kwargs)

    def __reduce__(self):
        cls, kwargs = self.__dict__.get("_init_args", (None, None))
        if cls is None or cls is not _brianc_class(type(self)):
            raise pickle.PicklingError(
                f"cannot pickle {type(self).__name__} objects yet: pickle "
                f"the data they recorded (spikes, times, values) instead")
        checked(kwargs, f"the arguments of {type(self).__name__}")
        extras = {k: v for k, v in self.__dict__.items()
                  if not k.startswith("_") and k not in _CONSTRUCTED}
        checked(extras, f"the attributes of {type(self).__name__}")
        state = {"records": self._snapshot(), "extras": extras}
        return (rebuild, (type(self), cls, kwargs), state)

    def __setstate__(self, state: dict) -> None:
        self._restore(state["records"])
        self.__dict__.update(state["extras"])

    def _snapshot(self):
        return self._c.snapshot()

    def _restore(self, records) -> None:
        self._c.restore(records)


class _SpikeRecorder(Monitor):
    """Common part of the monitors recording a source's spikes in C."""

    def __init__(self, source, record=True, delay=0, count=False,
                 bin_steps=0):
        self.source = source
        owner, origin, n = _window(source)
        self._owner = owner
        self._dt = float(owner.clock.dt)
        self._delay_steps = _delay_steps(delay, self._dt)
        self._c = _core.SpikeMonitor(owner._c, origin, n, self._delay_steps,
                                     bool(record), bool(count), bin_steps)
        magic.register(self, 0)

    def _core_objects(self):
        return [("spike_monitor", self._c, self._owner.clock)]

    def _reinit(self, states: bool = True) -> None:
        self._c.clear()

    def reinit(self) -> None:
        self._c.clear()

    @property
    def nspikes(self) -> int:
        return self._c.total


class SpikeMonitor(_SpikeRecorder):
    """Records the spikes of a group (Brian 1's SpikeMonitor).

    ``spikes`` is the list of (i, t) with t a Quantity; ``spiketimes`` a
    dict {i: array of seconds}; ``it`` the pair of arrays (i, t)."""

    def __init__(self, source, record=True, delay=0, function=None):
        super().__init__(source, record=record and function is None,
                         delay=delay)
        self.function = function
        if function is not None:
            self._op = NetworkOperation(self._call_function,
                                        clock=self._owner.clock,
                                        when="before_connections",
                                        _register=False)
        self._remember_arguments(SpikeMonitor, source=source, record=record,
                                 delay=delay, function=function)

    def _call_function(self) -> None:
        _, origin, n = _window(self.source)
        spikes = self._owner._c.spikes(self._delay_steps)
        local = spikes[(spikes >= origin) & (spikes < origin + n)] - origin
        self.function(local)

    def _core_objects(self):
        objects = super()._core_objects()
        if self.function is not None:
            objects += self._op._core_objects()
        return objects

    @property
    def it(self) -> tuple[np.ndarray, np.ndarray]:
        return (self._c.indices().astype(int),
                self._c.steps() * self._dt)

    @property
    def spikes(self) -> list:
        i, t = self.it
        return [(int(a), Quantity(b, second.dim)) for a, b in
                zip(i.tolist(), t.tolist())]

    @property
    def spiketimes(self) -> dict:
        i, t = self.it
        order = np.argsort(i, kind="stable")
        i, t = i[order], t[order]
        bounds = np.searchsorted(i, np.arange(len(self.source) + 1))
        return {k: t[bounds[k]:bounds[k + 1]]
                for k in range(len(self.source))}

    def __getitem__(self, i) -> np.ndarray:
        """The spike times of neuron ``i`` of the source."""
        n = len(self.source)
        if isinstance(i, bool) or not isinstance(i, (int, np.integer)):
            raise TypeError(f"SpikeMonitor[i]: i must be a neuron number, "
                            f"got {i!r}")
        if not -n <= i < n:
            raise IndexError(f"SpikeMonitor[{i}]: the source has {n} "
                             f"neurons")
        idx, t = self.it
        return t[idx == int(i) % n]

    def __repr__(self) -> str:
        return f"<SpikeMonitor of {len(self.source)} neurons, " \
               f"{self.nspikes} spikes>"


class SpikeCounter(_SpikeRecorder):
    """Counts the spikes of each neuron; ``count`` and ``M[i]``."""

    def __init__(self, source):
        super().__init__(source, record=False, count=True)
        self._remember_arguments(SpikeCounter, source=source)

    @property
    def count(self) -> np.ndarray:
        return self._c.counts()

    def __getitem__(self, i) -> int:
        return int(self.count[i])


class PopulationSpikeCounter(_SpikeRecorder):
    """Counts the spikes of a whole group; ``nspikes``."""

    def __init__(self, source, delay=0):
        super().__init__(source, record=False, delay=delay)
        self._remember_arguments(PopulationSpikeCounter, source=source,
                                 delay=delay)


class PopulationRateMonitor(_SpikeRecorder):
    """Population rate in bins of ``bin`` (default one step): ``rate`` in
    Hz per neuron, ``times`` the bin starts in seconds."""

    def __init__(self, source, bin=None):
        owner = _window(source)[0]
        dt = float(owner.clock.dt)
        steps = 1
        if bin is not None:
            if finite_seconds(bin, "PopulationRateMonitor bin") <= 0:
                raise ValueError(f"PopulationRateMonitor bin must be "
                                 f"positive, got {bin!r}")
            steps = max(whole_steps(bin, dt, "PopulationRateMonitor bin"),
                        1)
        self._bin_steps = steps
        super().__init__(source, record=False, bin_steps=steps)
        self._remember_arguments(PopulationRateMonitor, source=source,
                                 bin=bin)

    def _bins(self):
        counts, starts, open_count, open_fill = self._c.bins()
        if open_fill > 0:
            # Brian 1 reports the partial last bin as if it were full.
            counts = np.append(counts, open_count)
            starts = np.append(starts, -1)
        return counts, starts

    @property
    def rate(self) -> np.ndarray:
        counts, _ = self._bins()
        return counts / (self._bin_steps * self._dt * len(self.source))

    @property
    def times(self) -> np.ndarray:
        counts, _ = self._bins()
        return np.arange(len(counts)) * self._bin_steps * self._dt

    # Brian 1's unitless accessors; brianc's arrays are in SI already.
    rate_ = rate
    times_ = times

    def smooth_rate(self, width=1e-3, filter="gaussian") -> np.ndarray:
        """The rate (Hz) convolved ('same' mode) with a normalised window:
        gaussian ``exp(-k**2/(2 w**2))`` for k in [-2w, 2w], or flat (w
        ones), with ``w = int(width/bin)``; ``width=None`` with 'flat'
        picks the width by the Shimazaki-Shinomoto rule."""
        bin_s = self._bin_steps * self._dt
        if width is None:
            if filter != "flat":
                raise ValueError("smooth_rate: width=None needs "
                                 "filter='flat'")
            w = self._optimal_width()
        else:
            w = int(float(width) / bin_s)
        if filter == "gaussian":
            k = np.arange(-2 * w, 2 * w + 1)
            window = np.exp(-k ** 2 / (2.0 * max(w, 1) ** 2))
        elif filter == "flat":
            window = np.ones(max(w, 1))
        else:
            raise ValueError(f"filter must be 'gaussian' or 'flat', got "
                             f"{filter!r}")
        return np.convolve(self.rate, window / window.sum(), mode="same")

    def _optimal_width(self) -> int:
        """Shimazaki and Shinomoto's bin-width rule on the spike counts:
        the width (in bins) minimising ``(2 mean - var) / width**2`` of the
        counts in windows of that width."""
        counts, _ = self._bins()
        best, best_cost = 1, np.inf
        for w in range(1, max(len(counts) // 2, 1) + 1):
            m = len(counts) // w
            if m < 2:
                break
            k = counts[:m * w].reshape(m, w).sum(axis=1).astype(float)
            cost = (2 * k.mean() - k.var()) / float(w) ** 2
            if cost < best_cost:
                best, best_cost = w, cost
        return best


class StateMonitor(Monitor):
    """Records a variable of a group (Brian 1's StateMonitor).

    ``times`` in seconds, ``values`` (recorded neurons x samples) in SI,
    ``M[i]`` one trace; ``mean``, ``var`` and ``std`` over time per neuron.
    """

    def __init__(self, P, varname, clock=None, record=False, timestep=1,
                 when="end", _register=True):
        owner, origin, n = _window(P)
        self.P = P
        self.varname = varname
        self._owner = owner
        self.clock = guess_clock(clock, 0) if clock is not None else \
            guess_clock(None, 0)
        self._slot = slot_number(when, "StateMonitor")
        if isinstance(timestep, bool) or not isinstance(
                timestep, (int, float, np.integer, np.floating)) or \
                not math.isfinite(timestep) or int(timestep) != timestep \
                or timestep < 1:
            raise ValueError(f"timestep must be a positive integer, got "
                             f"{timestep!r}")
        if record is True:
            rec = np.arange(n)
        elif record is False or record is None:
            rec = np.zeros(0, dtype=int)
        else:
            rec = _record_indices(record)
            if rec.size and (rec.min() < 0 or rec.max() >= n):
                raise IndexError(f"StateMonitor: record indices must be in "
                                 f"[0, {n}), got {record!r}")
        if isinstance(record, (int, np.integer)) and \
                not isinstance(record, bool) and not 0 <= record < n:
            raise IndexError(f"StateMonitor: record index {record} outside "
                             f"[0, {n})")
        self.record = record
        self.timestep = int(timestep)
        self._rec = rec.astype(np.int32)
        self._rec_pos = {int(i): k for k, i in enumerate(rec.tolist())}
        model = owner._model
        name = model.aliases.get(varname, varname) if isinstance(
            varname, str) else varname
        program = None
        if isinstance(name, str) and name in model.static_names:
            compiled = model.compile_static(name)
            if compiled.python_inputs:
                raise ValueError(
                    f"StateMonitor: {name} calls a Python function; record "
                    f"the variables it depends on instead (a static "
                    f"equation that calls Python cannot be recorded yet)")
            program = core_program(compiled)
            row = 0
            self.unit = model.units[name]
        else:
            row = owner._row(name, "StateMonitor")
            self.unit = owner._unit_of_row(row)
        self._c = _core.StateMonitor(owner._c, origin, n, row, self._rec,
                                     int(timestep), len(rec) == 0, program)
        self._overrides: list = []
        if _register:
            magic.register(self, 0)
        self._remember_arguments(StateMonitor, P=P, varname=varname,
                                 clock=self.clock, record=record,
                                 timestep=timestep, when=when,
                                 _register=_register)

    def _core_objects(self):
        clock = self.clock
        return [("state_monitor", self._c, clock, self._slot)]

    def _snapshot(self):
        return self._c.snapshot(), list(self._overrides)

    def _restore(self, records) -> None:
        samples, overrides = records
        self._c.restore(samples)
        self._overrides = list(overrides)

    def _reinit(self, states: bool = True) -> None:
        self.reinit()

    def reinit(self) -> None:
        self._c.clear()
        self._overrides = []
        self.__dict__.pop("_gathered", None)
        self.__dict__.pop("_gathered_stats", None)

    @property
    def times(self) -> np.ndarray:
        """Sample times in seconds (``t_n``, spec 7.1)."""
        return self._c.steps() * float(self.clock.dt)

    @property
    def times_(self) -> np.ndarray:
        return self.times

    @property
    def values(self) -> np.ndarray:
        """(recorded neurons, samples) in SI units."""
        return self._samples().T.copy()

    values_ = values

    @property
    def _values(self) -> np.ndarray:
        """(samples, recorded neurons): the layout of Brian 1's private
        ``_values``, which some scripts read directly."""
        return self._samples().copy()

    def __getitem__(self, i) -> np.ndarray:
        k = self._rec_pos.get(int(i))
        if k is None:
            raise IndexError(f"StateMonitor of {self.varname!r}: neuron {i} "
                             f"was not recorded")
        return self._samples()[:, k].copy()

    def _stats(self):
        """(sum, sum of squares, samples) per neuron: kept in C for every
        neuron when nothing is recorded (Brian 1's record=False), else
        computed from the recorded traces (one entry per recorded
        neuron)."""
        stats = self.__dict__.get("_gathered_stats") or self._c.stats()
        if stats is not None:
            return stats
        values = self._samples()
        return values.sum(axis=0), (values * values).sum(axis=0), \
            values.shape[0]

    @property
    def mean(self) -> np.ndarray:
        s, _, n = self._stats()
        return s / n if n else np.full(len(s), np.nan)

    @property
    def var(self) -> np.ndarray:
        s, sq, n = self._stats()
        if n < 2:
            return np.full(len(s), np.nan)
        return (sq - s * s / n) / (n - 1)

    mean_ = mean
    var_ = var

    @property
    def std(self) -> np.ndarray:
        return np.sqrt(np.maximum(self.var, 0.0))

    def get_record_indices(self) -> list:
        """The recorded neurons (local indices), in recording order."""
        return [int(i) for i in self._rec]

    def insert_spikes(self, spikemonitor, value=0) -> None:
        """Brian 1's insert_spikes: the recorded samples at the spike times
        of ``spikemonitor`` (same neurons) read ``value`` from now on."""
        steps = self._c.steps()
        pos = {int(s): k for k, s in enumerate(steps.tolist())}
        ratio = float(spikemonitor._dt) / float(self.clock.dt)
        for i, step in zip(spikemonitor._c.indices().tolist(),
                           spikemonitor._c.steps().tolist()):
            k = pos.get(int(round(step * ratio)))
            col = self._rec_pos.get(int(i))
            if k is not None and col is not None:
                self._overrides.append((k, col, float(value)))

    def _samples(self) -> np.ndarray:
        """(samples, recorded) values with insert_spikes applied."""
        # A run split over processes (brianc.mpi) leaves the samples
        # gathered from every process.
        gathered = self.__dict__.get("_gathered")
        values = self._c.values() if gathered is None else gathered.copy()
        for k, col, value in self._overrides:
            values[k, col] = value
        return values

    def plot(self, indices=None, cmap=None, refresh=None, showlast=None,
             redraw=True):
        """Plot the recorded traces (SI values) against time in seconds,
        labelled ``varname[i]``."""
        return plot_traces(self, indices, cmap, refresh, showlast,
                                    redraw)

    def __repr__(self) -> str:
        return (f"<StateMonitor of {self.varname!r}, "
                f"{len(self._rec)} neurons recorded>")


class MultiStateMonitor(Monitor):
    """One StateMonitor per variable (by default every differential
    variable, parameter and alias): ``M['v']``, ``M['v', i]``, ``times``,
    ``items()``, ``plot()``."""

    def __init__(self, G, vars=None, clock=None, **kwds):
        owner = _window(G)[0]
        if vars is None:
            vars = list(owner._model.state_names) + [
                a for a in getattr(owner._model, "aliases", {})
                if a not in owner._model.state_names]
        self.vars = list(vars)
        self.monitors = {v: StateMonitor(G, v, clock=clock, _register=False,
                                         **kwds) for v in self.vars}
        magic.register(self, 0)
        first = next(iter(self.monitors.values()), None)
        self._remember_arguments(
            MultiStateMonitor, G=G, vars=self.vars,
            clock=first.clock if first is not None else clock, **kwds)

    def _snapshot(self):
        return {v: m._snapshot() for v, m in self.monitors.items()}

    def _restore(self, records) -> None:
        for v, m in self.monitors.items():
            m._restore(records[v])

    def __getitem__(self, key):
        if isinstance(key, tuple):
            return self.monitors[key[0]][key[1]]
        return self.monitors[key]

    @property
    def times(self) -> np.ndarray:
        if not self.monitors:
            return np.zeros(0)
        return next(iter(self.monitors.values())).times

    times_ = times

    def items(self):
        return self.monitors.items()

    iteritems = items

    def _core_objects(self):
        entries = []
        for m in self.monitors.values():
            entries += m._core_objects()
        return entries

    def plot(self, indices=None, cmap=None, refresh=None, showlast=None,
             redraw=True):
        lines = []
        for m in self.monitors.values():
            lines += m.plot(indices, cmap, refresh, showlast, redraw) or []
        return lines

    def reinit(self) -> None:
        for m in self.monitors.values():
            m.reinit()

    def _reinit(self, states: bool = True) -> None:
        self.reinit()

    def __repr__(self) -> str:
        return f"<MultiStateMonitor of {', '.join(self.vars)}>"


class StateSpikeMonitor(SpikeMonitor):
    """Spikes with the values of one or more variables at the spike step
    (after the update, before the reset): ``spikes`` holds ``(i, t, v1,
    ...)`` with Quantities; ``times(i=None)`` and ``values(var, i=None)``
    give SI arrays."""

    def __init__(self, source, var):
        super().__init__(source)
        if isinstance(var, (str, int, np.integer)):
            var = (var,)
        owner = self._owner
        self._varnames = tuple(var)
        rows = [owner._row(v, "StateSpikeMonitor") for v in self._varnames]
        self._units = [owner._unit_of_row(r) for r in rows]
        self._varindex = {v: k for k, v in enumerate(self._varnames)}
        self._c.set_vars(np.asarray(rows, dtype=np.int32))
        self._remember_arguments(StateSpikeMonitor, source=source, var=var)

    @property
    def spikes(self) -> list:
        i, t = self.it
        values = self._c.values()
        dims = [get_dimensions(u) for u in self._units]
        return [(int(a), Quantity(b, second.dim),
                 *[Quantity(x, d) for x, d in zip(row, dims)])
                for a, b, row in zip(i.tolist(), t.tolist(),
                                     values.tolist())]

    def times(self, i=None) -> np.ndarray:
        idx, t = self.it
        return t if i is None else t[idx == int(i)]

    def values(self, var, i=None) -> np.ndarray:
        if var not in self._varindex:
            raise KeyError(f"StateSpikeMonitor does not record {var!r}")
        column = self._c.values()[:, self._varindex[var]]
        if i is None:
            return column
        return column[self._c.indices() == int(i)]

    def __getitem__(self, i):
        return NotImplemented

    def __repr__(self) -> str:
        return (f"StateSpikeMonitor({self.source!r}, "
                f"var={self._varnames!r})")


class ISIHistogramMonitor(SpikeMonitor):
    """Interspike-interval histogram: ``count`` has ``len(bins)`` entries,
    one per interval between the edges ``bins`` and a last one for
    intervals outside them (each neuron's first spike lands there, as in
    Brian 1)."""

    def __init__(self, source, bins, delay=0):
        super().__init__(source, delay=delay)
        self.bins = np.asarray(bins, dtype=np.float64)
        if self.bins.ndim != 1 or len(self.bins) < 2 or \
                np.any(np.diff(self.bins) < 0):
            raise ValueError(f"ISIHistogramMonitor needs increasing bin "
                             f"edges, got {bins!r}")
        self._remember_arguments(ISIHistogramMonitor, source=source,
                                 bins=bins, delay=delay)

    @property
    def count(self) -> np.ndarray:
        i, t = self.it
        order = np.argsort(i, kind="stable")
        i, t = i[order], t[order]
        previous = np.empty_like(t)
        previous[1:] = t[:-1]
        first = np.ones(len(i), dtype=bool)
        first[1:] = i[1:] != i[:-1]
        previous[first] = -1000.0       # Brian 1's starting "last spike"
        isi = t - previous
        h, _ = np.histogram(isi, self.bins)
        count = np.zeros(len(self.bins))
        count[:-1] = h
        count[-1] = len(isi) - h.sum()
        return count


class RecentStateMonitor(StateMonitor):
    """A StateMonitor keeping only the last ``duration`` of samples (a ring
    of ``int(duration/(timestep*dt)) + 1`` samples in C); ``times``,
    ``values`` (samples x recorded neurons, as Brian 1) and ``M[i]`` come
    back sorted by time."""

    def __init__(self, P, varname, duration=5e-3, clock=None, record=True,
                 timestep=1, when="end"):
        super().__init__(P, varname, clock=clock, record=record,
                         timestep=timestep, when=when)
        if (isinstance(duration, Quantity) or hasattr(duration, "dim")) and \
                get_dimensions(duration) != second.dim:
            raise DimensionMismatchError("RecentStateMonitor duration must "
                                         "be a time", get_dimensions(duration))
        self.duration = duration
        self.num_duration = int(float(duration) / (
            self.timestep * float(self.clock.dt))) + 1
        self._c.set_capacity(self.num_duration)
        self._remember_arguments(RecentStateMonitor, P=P, varname=varname,
                                 duration=duration, clock=self.clock,
                                 record=record, timestep=timestep, when=when)

    @property
    def values(self) -> np.ndarray:
        return self._samples()

    values_ = values
    unsorted_values = values
    unsorted_times = StateMonitor.times
