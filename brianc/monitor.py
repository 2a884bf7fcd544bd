"""Monitors: spikes, state traces, rates and counts, recorded in C.

Recordings live in C buffers (12 bytes per spike); every read copies them
into fresh NumPy arrays with the units and shapes Brian 1 returned.
"""
from __future__ import annotations

import numpy as np

from . import _core, _magic
from .clock import guess_clock
from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["SpikeMonitor", "SpikeCounter", "PopulationSpikeCounter",
           "StateMonitor", "MultiStateMonitor", "PopulationRateMonitor",
           "Monitor"]

# Schedule slots, in the core's numbering (network.h).
SLOTS = {"start": 0, "before_groups": 1, "after_groups": 2, "middle": 3,
         "before_connections": 4, "after_connections": 5,
         "before_resets": 6, "after_resets": 7, "end": 8}


def _window(group):
    owner = getattr(group, "_owner", None)
    if owner is None or not hasattr(owner, "_c"):
        raise TypeError(f"expected a neuron group, got {group!r}")
    return owner, group._origin, len(group)


def _delay_steps(delay, dt: float) -> int:
    if isinstance(delay, Quantity) and get_dimensions(delay) != second.dim:
        raise DimensionMismatchError("monitor delay must be a time",
                                     get_dimensions(delay))
    steps = int(float(delay) / dt)
    if steps < 0:
        raise ValueError(f"delay must not be negative, got {delay!r}")
    return steps


class Monitor:
    """Base class of brianc's monitors."""


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
        _magic.register(self, 0)

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
            from .network import NetworkOperation
            self._op = NetworkOperation(self._call_function,
                                        clock=self._owner.clock,
                                        when="before_connections",
                                        _register=False)

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
        idx, t = self.it
        return t[idx == int(i)]

    def __repr__(self) -> str:
        return f"<SpikeMonitor of {len(self.source)} neurons, " \
               f"{self.nspikes} spikes>"


class SpikeCounter(_SpikeRecorder):
    """Counts the spikes of each neuron; ``count`` and ``M[i]``."""

    def __init__(self, source):
        super().__init__(source, record=False, count=True)

    @property
    def count(self) -> np.ndarray:
        return self._c.counts()

    def __getitem__(self, i) -> int:
        return int(self.count[i])


class PopulationSpikeCounter(_SpikeRecorder):
    """Counts the spikes of a whole group; ``nspikes``."""

    def __init__(self, source, delay=0):
        super().__init__(source, record=False, delay=delay)


class PopulationRateMonitor(_SpikeRecorder):
    """Population rate in bins of ``bin`` (default one step): ``rate`` in
    Hz per neuron, ``times`` the bin starts in seconds."""

    def __init__(self, source, bin=None):
        owner = _window(source)[0]
        dt = float(owner.clock.dt)
        steps = 1 if bin is None else max(int(float(bin) / dt), 1)
        self._bin_steps = steps
        super().__init__(source, record=False, bin_steps=steps)

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

    def smooth_rate(self, width=1e-3, filter="gaussian") -> np.ndarray:
        """The rate convolved with a normalised gaussian or flat window."""
        bin_s = self._bin_steps * self._dt
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


class StateMonitor(Monitor):
    """Records a variable of a group (Brian 1's StateMonitor).

    ``times`` in seconds, ``values`` (recorded neurons x samples) in SI,
    ``M[i]`` one trace; ``mean``, ``var`` and ``std`` over time per neuron.
    """

    def __init__(self, P, varname, clock=None, record=False, timestep=1,
                 when="end"):
        owner, origin, n = _window(P)
        self.P = P
        self.varname = varname
        self._owner = owner
        self.clock = guess_clock(clock, 0) if clock is not None else \
            guess_clock(None, 0)
        if when not in SLOTS:
            raise ValueError(f"when must be one of {', '.join(SLOTS)}, got "
                             f"{when!r}")
        self._slot = SLOTS[when]
        if int(timestep) != timestep or timestep < 1:
            raise ValueError(f"timestep must be a positive integer, got "
                             f"{timestep!r}")
        if record is True:
            rec = np.arange(n)
        elif record is False or record is None:
            rec = np.zeros(0, dtype=int)
        else:
            rec = np.atleast_1d(np.asarray(record, dtype=np.int64))
            if rec.size and (rec.min() < 0 or rec.max() >= n):
                raise IndexError(f"StateMonitor: record indices must be in "
                                 f"[0, {n}), got {record!r}")
        self.record = record
        self._rec = rec.astype(np.int32)
        self._rec_pos = {int(i): k for k, i in enumerate(rec.tolist())}
        model = owner._model
        name = model.aliases.get(varname, varname) if isinstance(
            varname, str) else varname
        program = None
        if isinstance(name, str) and name in model.static_names:
            from .neurongroup import core_program
            program = core_program(model.compile_static(name))
            row = 0
            self.unit = model.units[name]
        else:
            row = owner._row(name, "StateMonitor")
            self.unit = owner._unit_of_row(row)
        self._c = _core.StateMonitor(owner._c, origin, n, row, self._rec,
                                     int(timestep), True, program)
        _magic.register(self, 0)

    def _core_objects(self):
        clock = self.clock
        return [("state_monitor", self._c, clock, self._slot)]

    def _reinit(self, states: bool = True) -> None:
        self._c.clear()

    def reinit(self) -> None:
        self._c.clear()

    @property
    def times(self) -> np.ndarray:
        return self._c.steps() * float(self.clock.dt)

    @property
    def times_(self) -> np.ndarray:
        return self.times

    @property
    def values(self) -> np.ndarray:
        return self._c.values().T.copy()

    def __getitem__(self, i) -> np.ndarray:
        k = self._rec_pos.get(int(i))
        if k is None:
            raise IndexError(f"neuron {i} was not recorded")
        return self._c.values()[:, k].copy()

    def _stats(self):
        stats = self._c.stats()
        s, sq, n = stats
        return s, sq, n

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

    @property
    def std(self) -> np.ndarray:
        return np.sqrt(np.maximum(self.var, 0.0))

    def plot(self, indices=None, cmap=None, refresh=None, showlast=None,
             redraw=True):
        """Plot the recorded traces (SI values) against time in seconds."""
        from . import plotting
        plotting.plot_traces(self, indices, cmap)

    def __repr__(self) -> str:
        return (f"<StateMonitor of {self.varname!r}, "
                f"{len(self._rec)} neurons recorded>")


class MultiStateMonitor(Monitor):
    """One StateMonitor per variable: ``M['v']``, ``M['v', i]``."""

    def __init__(self, G, vars=None, clock=None, **kwds):
        owner = _window(G)[0]
        if vars is None:
            vars = list(owner._model.state_names)
        self.monitors = {v: StateMonitor(G, v, clock=clock, **kwds)
                         for v in vars}
        self.vars = list(vars)

    def __getitem__(self, key):
        if isinstance(key, tuple):
            return self.monitors[key[0]][key[1]]
        return self.monitors[key]

    @property
    def times(self) -> np.ndarray:
        return next(iter(self.monitors.values())).times

    def items(self):
        return self.monitors.items()

    iteritems = items

    def _core_objects(self):
        return []

    def plot(self, indices=None, cmap=None):
        for m in self.monitors.values():
            m.plot(indices, cmap)

    def reinit(self) -> None:
        for m in self.monitors.values():
            m.reinit()

    _reinit = lambda self, states=True: self.reinit()  # noqa: E731

