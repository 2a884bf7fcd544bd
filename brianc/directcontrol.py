"""Input groups: PoissonGroup, SpikeGeneratorGroup, PulsePacket and
OfflinePoissonGroup.

They are groups without equations: the C core draws their spikes (a
uniform draw against ``rate*dt``) or reads them from a sorted schedule.
"""
from __future__ import annotations

import math

import numpy as np

from . import _core, _engine, magic
from ._checks import finite_seconds
from ._pickling import checked, rebuild
from .base import magic_kind
from .clock import guess_clock
from .group import Group, Subgroup, check_size
from .operation import NetworkOperation
from .units import (DimensionMismatchError, Quantity, get_dimensions, hertz,
                    second)

__all__ = ["PoissonGroup", "SpikeGeneratorGroup", "PulsePacket",
           "MultipleSpikeGeneratorGroup", "OfflinePoissonGroup"]


class _InputModel:
    """The little a Connection or monitor asks of a group's model."""

    def __init__(self, names: list, units: dict):
        self.state_names = names
        self.units = units
        self.static_names: list = []
        self.aliases: dict = {}


@magic_kind
class _InputGroup(Group):
    """A group whose spikes come from the C core's input kinds."""

    def _setup(self, n: int, names: list, units: dict, clock, level: int,
               name: str) -> None:
        d = self.__dict__
        d.update(_origin=0, _n=n, _allocated=0, _name=name,
                 contained_objects=[])
        d["_clock"] = guess_clock(clock, level)
        d["_model"] = _InputModel(names, units)
        d["_rows"] = {v: k for k, v in enumerate(names)}
        d["_state"] = np.zeros((len(names), n))
        d["_initial_state"] = d["_state"].copy()
        # An unpickled group gets its stream back (_pickling.rebuild).
        d["_seed"], d["_stream"] = d.pop("_rng", None) or (
            _engine.current_seed(), _engine.new_stream())
        d["_c"] = _core.Group(d["_state"], float(d["_clock"].dt),
                              d["_seed"], d["_stream"])
        magic.register(self, level)

    def __reduce__(self):
        base, args = self._init_args
        checked(args, f"{self._name} (its rates or spike times)")
        extras = {k: v for k, v in self.__dict__.items()
                  if not k.startswith("_")}
        state = {"state": self._state.copy(), "extras": extras,
                 "allocated": self._allocated,
                 "spiking": self._c.spiking_state()}
        return (rebuild, (type(self), base, args,
                          {"_rng": (self._seed, self._stream)}), state)

    def __setstate__(self, state: dict) -> None:
        self._state[...] = state["state"]
        self.__dict__.update(state["extras"], _allocated=state["allocated"])
        # Spikes of the last steps (delayed readers), as for NeuronGroup.
        self._c.restore_spiking_state(state["spiking"])

    def _row(self, name, what: str) -> int:
        if isinstance(name, (int, np.integer)):
            if not 0 <= name < len(self._model.state_names):
                raise IndexError(f"{what}: state number {name} out of range")
            return int(name)
        if name not in self._rows:
            raise KeyError(f"{what}: {self._name} has no variable {name!r}")
        return self._rows[name]

    def _unit_of_row(self, row: int):
        return self._model.units[self._model.state_names[row]]

    def _core_objects(self):
        return [("group", self._c, self._clock)]

    def _reinit(self, states: bool = True) -> None:
        if states:
            self._state[...] = self._initial_state
        self._c.reinit()


# -- PoissonGroup -------------------------------------------------------------

def _rates_hz(rates, n: int, what: str = "PoissonGroup",
              clip_negative: bool = False) -> np.ndarray:
    """Rates in Hz as n float64 values; units, shape and sign checked
    (negative rates read as 0 with ``clip_negative``)."""
    dim = get_dimensions(rates)
    if (isinstance(rates, Quantity) or hasattr(rates, "dim")) and \
            dim != hertz.dim:
        raise DimensionMismatchError(f"{what}: rates must be in Hz", dim,
                                     hertz.dim)
    try:
        values = np.asarray(rates, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{what}: rates must be numbers in Hz or a "
                        f"function of t, got {rates!r}") from None
    if values.ndim > 1 or (values.ndim == 1 and values.shape[0] not in
                           (1, n)):
        raise ValueError(f"{what}: rates must be a scalar or {n} values, "
                         f"got shape {values.shape}")
    if clip_negative:
        values = np.maximum(values, 0.0)    # NaN stays NaN, and raises
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"{what}: rates must be finite and non-negative, "
                         f"got {rates!r}")
    return np.broadcast_to(values.reshape(-1) if values.ndim else values,
                           (n,))


def _scalar_hz(rates):
    """A rate given as one number in Hz (a float or a scalar Quantity in
    Hz) as a float; None for anything else (left to _rates_hz)."""
    if isinstance(rates, (float, int)) and \
            not isinstance(rates, (bool, Quantity)):
        return float(rates)
    if isinstance(rates, Quantity) and rates.ndim == 0 and \
            rates.dim == hertz.dim:
        return float(rates)
    return None


class _CheckedRates:
    """Rate assignment on a PoissonGroup or its subgroups: Hz, >= 0."""

    def _assign(self, name: str, value, check_units: bool = True) -> None:
        if name == "rate":
            value = _rates_hz(value if check_units else
                              np.asarray(value, dtype=np.float64), self._n,
                              f"{self._owner._name}.rate")
            check_units = False
        super()._assign(name, value, check_units)

    def __getitem__(self, index):
        sub = super().__getitem__(index)
        return _PoissonSubgroup(sub._owner, sub._origin, sub._n)


class _PoissonSubgroup(_CheckedRates, Subgroup):
    """A subgroup of a PoissonGroup (rates checked on assignment)."""


class PoissonGroup(_CheckedRates, _InputGroup):
    """N independent Poisson spike sources (Brian 1 API).

    Each source spikes in a step with probability ``rate*dt``.

    Parameters
    ----------
    N : int
        Number of sources, at least 1.
    rates : Quantity or function
        Rate in Hz: a scalar, an array of length ``N``, or a function of
        the time ``rates(t)`` (t a Quantity) returning either, called once
        per step before the group's update.
    clock : Clock, optional
    """

    def __init__(self, N, rates=0 * hertz, clock=None):
        n = check_size(N, "PoissonGroup")
        self._setup(n, ["rate"], {"rate": hertz}, clock, 0, "PoissonGroup")
        self.__dict__["_init_args"] = (PoissonGroup, dict(
            N=n, rates=rates, clock=self._clock))
        self._c.set_threshold("poisson", var=0)
        d = self.__dict__
        d["_rate_function"] = rates if callable(rates) else None
        if callable(rates):
            # Brian 1 sets rate = rates(t) at the start of the group's
            # update; the before_groups slot is the same point in the step.
            d["_op"] = NetworkOperation(self._update_rates, clock=self._clock,
                                        when="before_groups",
                                        _register=False)
            self._update_rates()
        else:
            self._state[0] = _rates_hz(rates, n)
        d["_initial_state"] = self._state.copy()

    @property
    def rates(self):
        """The rate function, or the current rates (Hz)."""
        if self._rate_function is not None:
            return self._rate_function
        return self._state[0]

    def _update_rates(self) -> None:
        t = Quantity(self._clock._c.step * self._clock._c.dt, second.dim)
        # A rate process (Ornstein-Uhlenbeck, a sine) may dip below 0:
        # no spikes then, as in Brian 1, which compared rand() < rate*dt.
        rates = self._rate_function(t)
        rate = _scalar_hz(rates)
        if rate is not None and rate >= 0.0 and math.isfinite(rate):
            # one rate for all, the common case: no array to check
            self._state[0].fill(rate)
            return
        self._state[0] = _rates_hz(rates, self._n, "PoissonGroup rates(t)",
                                   clip_negative=True)

    def _core_objects(self):
        objects = super()._core_objects()
        if self._rate_function is not None:
            objects = self._op._core_objects() + objects
        return objects

    def _reinit(self, states: bool = True) -> None:
        super()._reinit(states)
        if states and self._rate_function is not None:
            self._update_rates()

    def __repr__(self) -> str:
        return f"<PoissonGroup of {self._n} sources>"


# -- SpikeGeneratorGroup ------------------------------------------------------

def _seconds_array(times) -> np.ndarray:
    dim = get_dimensions(times)
    if (isinstance(times, Quantity) or hasattr(times, "dim")) and \
            dim != second.dim:
        raise DimensionMismatchError("SpikeGeneratorGroup: spike times must "
                                     "be in seconds", dim, second.dim)
    return np.asarray(times, dtype=np.float64).reshape(-1)


def _pairs_from_items(items) -> tuple[np.ndarray, np.ndarray]:
    """(indices, times) from an iterable of (i, t), i an int or a list."""
    indices: list = []
    times: list = []
    for item in items:
        try:
            i, t = item
        except (TypeError, ValueError):
            raise TypeError(f"SpikeGeneratorGroup: expected (i, t) pairs, "
                            f"got {item!r}") from None
        t = float(_seconds_array(t)[0])
        for j in np.atleast_1d(np.asarray(i)).reshape(-1):
            indices.append(j)
            times.append(t)
    return _as_indices(indices), np.array(times, dtype=np.float64)


def _as_indices(values) -> np.ndarray:
    arr = np.asarray(values)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError("SpikeGeneratorGroup: neuron indices must be "
                             "integers")
    elif arr.dtype.kind not in "iub":
        raise TypeError(f"SpikeGeneratorGroup: neuron indices must be "
                        f"integers, got {arr.dtype}")
    return arr.astype(np.int64).reshape(-1)


def _spike_pairs(spiketimes) -> tuple[np.ndarray, np.ndarray]:
    """(indices, times in seconds) from Brian 1's static formats: a list of
    (i, t), a tuple (indices, times) or an (n, 2) array."""
    if isinstance(spiketimes, tuple):
        if len(spiketimes) != 2:
            raise ValueError("SpikeGeneratorGroup: a tuple must be "
                             "(indices, times)")
        indices = _as_indices(spiketimes[0])
        times = _seconds_array(spiketimes[1])
        if indices.shape != times.shape:
            raise ValueError(f"SpikeGeneratorGroup: {indices.size} indices "
                             f"but {times.size} times")
        return indices, times
    if isinstance(spiketimes, np.ndarray) and not isinstance(spiketimes,
                                                             Quantity):
        if spiketimes.size == 0:
            return np.zeros(0, np.int64), np.zeros(0)
        if spiketimes.ndim != 2 or spiketimes.shape[1] != 2:
            raise ValueError(f"SpikeGeneratorGroup: an array of spikes must "
                             f"have shape (n, 2), got {spiketimes.shape}")
        return (_as_indices(spiketimes[:, 0]),
                np.asarray(spiketimes[:, 1], dtype=np.float64))
    return _pairs_from_items(spiketimes)


def _is_static(spiketimes) -> bool:
    return isinstance(spiketimes, (list, tuple, np.ndarray))


class _GeneratorFeed:
    """Brian 1's slow path: spikes pulled lazily from an iterator (it may
    be endless), a horizon of steps ahead, by an operation that runs
    before the group's update."""

    HORIZON = 1000      # steps of spikes handed to the core at a time

    def __init__(self, group: "SpikeGeneratorGroup", iterator):
        self.group = group
        self.iterator = iterator
        self.pending: list = []         # pulled, (i, t) not yet scheduled
        self.loaded_until = -1          # steps <= this are scheduled
        self.exhausted = False

    def __call__(self) -> None:
        step = self.group._clock._c.step
        if step <= self.loaded_until - self.HORIZON // 2:
            return
        self.load(step)

    def load(self, step: int) -> None:
        """Schedule every pulled spike from step on, having pulled at least
        those of steps [step, step + HORIZON]."""
        g = self.group
        dt = float(g._clock.dt)

        def step_of(item) -> int:
            return math.ceil(float(_seconds_array(item[1])[0]) / dt)

        limit = step + self.HORIZON
        while not self.exhausted and (not self.pending or
                                      step_of(self.pending[-1]) <= limit):
            try:
                self.pending.append(next(self.iterator))
            except StopIteration:
                self.exhausted = True
        # Earlier spikes can never fire: drop them for good.
        self.pending = [p for p in self.pending if step_of(p) >= step]
        indices, times = _pairs_from_items(self.pending)
        g._schedule(indices, times, sort=True)
        self.loaded_until = limit


class SpikeGeneratorGroup(_InputGroup):
    """Neurons firing at given times (Brian 1 API).

    A spike at time t fires in the step ``ceil(t/dt)`` (float, no
    tolerance); spikes due before the current step never fire; a neuron
    listed twice in a step fires twice.

    Parameters
    ----------
    N : int
        Number of neurons.
    spiketimes : list, tuple, array, iterator or callable
        A list of ``(i, t)`` pairs (``i`` an index or a list of indices
        sharing ``t``), a tuple ``(indices, times)`` (times in seconds), an
        ``(n, 2)`` array of index and time in seconds, an iterator of
        time-sorted pairs, or a callable returning any of these (called
        again by ``reinit``).
    clock : Clock, optional
    period : Quantity, optional
        Repeat the pattern with this period; a spike listed at or after
        ``period`` is refused (it could never fire).
    sort : bool
        With ``sort=False`` the spikes must already be in time order.
    """

    def __init__(self, N, spiketimes, clock=None, period=None, sort=True,
                 gather=None):
        # gather was deprecated in Brian 1 and did nothing: spikes falling
        # in the same step are delivered together in any case.
        n = check_size(N, "SpikeGeneratorGroup")
        self._setup(n, [], {}, clock, 0, "SpikeGeneratorGroup")
        self.__dict__["_init_args"] = (SpikeGeneratorGroup, dict(
            N=n, spiketimes=spiketimes, clock=self._clock, period=period,
            sort=sort))
        d = self.__dict__
        if period is not None:
            finite_seconds(period, "SpikeGeneratorGroup period")
        d["_period"] = period
        d["_sort"] = sort
        d["_feed"] = None
        d["_feed_op"] = None
        self._set_spiketimes(spiketimes, sort)

    @property
    def N(self) -> int:
        return self._n

    @property
    def period(self):
        return self._period

    def _period_steps(self) -> int:
        if self._period is None:
            return 0
        dt = float(self._clock.dt)
        steps = int(round(float(self._period) / dt))
        if steps < 1:
            raise ValueError(f"SpikeGeneratorGroup: period {self._period!r} "
                             f"is shorter than dt")
        return steps

    def _set_spiketimes(self, spiketimes, sort: bool = True) -> None:
        if isinstance(spiketimes, (str, bytes)):
            raise TypeError(f"SpikeGeneratorGroup: spiketimes must be a "
                            f"list of (neuron, time) pairs, an array, an "
                            f"iterator or a function, got {spiketimes!r}")
        d = self.__dict__
        d["_source"] = spiketimes
        d["_feed"] = None
        if callable(spiketimes) and not _is_static(spiketimes):
            spiketimes = spiketimes()
        if _is_static(spiketimes):
            indices, times = _spike_pairs(spiketimes)
            self._schedule(indices, times, sort)
            return
        iterator = iter(spiketimes)
        if self._period is not None:
            # One period is all that can ever fire: read that much.
            period = float(self._period)
            items = []
            for item in iterator:
                if float(_seconds_array(item[1])[0]) >= period:
                    break
                items.append(item)
            indices, times = _pairs_from_items(items)
            self._schedule(indices, times, sort)
            return
        feed = _GeneratorFeed(self, iterator)
        d["_feed"] = feed
        if d["_feed_op"] is None:
            d["_feed_op"] = NetworkOperation(self._feed_step,
                                             clock=self._clock,
                                             when="before_groups",
                                             _register=False)
        feed.load(self._clock._c.step)

    def _feed_step(self) -> None:
        if self._feed is not None:
            self._feed()

    def _schedule(self, indices: np.ndarray, times: np.ndarray,
                  sort: bool) -> None:
        """Validate, convert to steps and hand the schedule to the core."""
        if not np.all(np.isfinite(times)) or np.any(times < 0):
            raise ValueError("SpikeGeneratorGroup: spike times must be "
                             "finite, non-negative numbers")
        if indices.size and (indices.min() < 0 or indices.max() >= self._n):
            bad = indices[(indices < 0) | (indices >= self._n)][0]
            raise IndexError(f"SpikeGeneratorGroup: neuron index {bad} is "
                             f"out of range for {self._n} neurons")
        dt = float(self._clock.dt)
        steps = np.ceil(times / dt).astype(np.int64)
        if not sort and np.any(np.diff(times) < 0):
            raise ValueError("SpikeGeneratorGroup: spike times are not "
                             "sorted (pass sort=True)")
        order = np.lexsort((indices, steps))
        steps, indices = steps[order], indices[order]
        period_steps = self._period_steps()
        if period_steps and steps.size and steps[-1] >= period_steps:
            # Brian 1 dropped them silently: they would never fire.
            late = times[order][steps >= period_steps][0]
            raise ValueError(f"SpikeGeneratorGroup: a spike at {late} s "
                             f"falls at or after the period "
                             f"{self._period!r} (counted in steps of dt) and would "
                             f"never fire")
        if steps.size:
            # The core's spike list of a step has room for N entries.
            _, counts = np.unique(steps, return_counts=True)
            if counts.max() > self._n:
                raise ValueError(
                    f"SpikeGeneratorGroup: {counts.max()} spikes in one "
                    f"time step for {self._n} neurons (a neuron listed "
                    f"several times in a step); at most N per step are "
                    f"supported")
        self._c.set_schedule(steps, indices.astype(np.int32), period_steps)
        self.__dict__["_steps"] = steps
        self.__dict__["_indices"] = indices

    @property
    def spiketimes(self) -> list:
        """The schedule as ``(i, step*dt)`` pairs (times in seconds)."""
        dt = float(self._clock.dt)
        return [(int(i), s * dt) for i, s in
                zip(self._indices.tolist(), self._steps.tolist())]

    @spiketimes.setter
    def spiketimes(self, value) -> None:
        self._set_spiketimes(value, self._sort)

    def _core_objects(self):
        objects = super()._core_objects()
        if self._feed is not None:
            objects = self._feed_op._core_objects() + objects
        return objects

    def _reinit(self, states: bool = True) -> None:
        super()._reinit(states)
        source = self._source
        if self._feed is not None or (callable(source) and
                                      not _is_static(source)):
            # Iterators restart from their source (Brian 1 calls a
            # callable again; a bare generator cannot restart).
            self._set_spiketimes(source, self._sort)

    def __repr__(self) -> str:
        return (f"<SpikeGeneratorGroup of {self._n} neurons, "
                f"{len(self._steps)} spikes>")


def _check_time(value, what: str) -> float:
    if isinstance(value, Quantity) or hasattr(value, "dim"):
        if get_dimensions(value) != second.dim:
            raise DimensionMismatchError(f"PulsePacket {what} must be a "
                                         f"time", get_dimensions(value),
                                         second.dim)
    return float(value)


class PulsePacket(SpikeGeneratorGroup):
    """n neurons firing once each, at gaussian times (Brian 1 API).

    n times are drawn from a gaussian of mean ``t`` and standard deviation
    ``sigma`` and sorted; the k-th smallest goes to the k-th neuron of a
    random permutation.  Draws use NumPy's global generator (``seed()``).

    Parameters
    ----------
    t : Quantity
        Mean spike time.
    n : int
        Number of neurons (one spike each).
    sigma : Quantity
        Standard deviation of the spike times.
    """

    def __init__(self, t, n, sigma, clock=None):
        n = check_size(n, "PulsePacket")
        self.__dict__["_period"] = None
        SpikeGeneratorGroup.__init__(self, n, self._draw(t, n, sigma),
                                     clock=clock)
        self.__dict__.update(t=t, n=n, sigma=sigma)

    @staticmethod
    def _draw(t, n: int, sigma) -> tuple:
        mean = _check_time(t, "t")
        spread = _check_time(sigma, "sigma")
        if not spread >= 0:
            raise ValueError(f"PulsePacket: sigma must be >= 0, got {sigma}")
        times = np.sort(np.random.normal(mean, spread, n))
        neurons = np.random.permutation(n)
        # A time before 0 fires at once (step 0), like ceil() of a
        # negative time in Brian 1's schedule.
        return neurons, np.maximum(times, 0.0)

    def generate(self, t, n, sigma) -> None:
        """Draw a new packet (n must stay the group's size)."""
        n = check_size(n, "PulsePacket.generate")
        if n != self._n:
            raise ValueError(f"PulsePacket.generate: n must stay {self._n}, "
                             f"got {n}")
        self._set_spiketimes(self._draw(t, n, sigma), True)
        self.__dict__.update(t=t, n=n, sigma=sigma)

    def __repr__(self) -> str:
        return f"<PulsePacket of {self._n} neurons>"


def MultipleSpikeGeneratorGroup(spiketimes, clock=None, period=None):
    """Deprecated Brian 1 form: one list of times per neuron."""
    pairs = [(i, t) for i, times in enumerate(spiketimes) for t in times]
    return SpikeGeneratorGroup(len(spiketimes), pairs, clock=clock,
                               period=period)


class OfflinePoissonGroup:
    """Poisson spike trains drawn in advance over [0, T] (Brian 1 API).

    Only builds ``spiketimes``, a list of ``(i, t)`` pairs sorted by time,
    to give to a SpikeGeneratorGroup.  The merged train of all neurons is a
    Poisson process of the total rate; each spike goes to neuron i with
    probability ``rate_i / total``.
    """

    def __init__(self, N, rates, T):
        n = check_size(N, "OfflinePoissonGroup")
        hz = np.array(_rates_hz(rates, n, "OfflinePoissonGroup"))
        duration = float(T)
        total = float(hz.sum())
        self.N = n
        if total == 0 or duration <= 0:
            self.spiketimes = []
            return
        count = np.random.poisson(total * duration)
        times = np.sort(np.random.uniform(0.0, duration, count))
        neurons = np.random.choice(n, size=count, p=hz / total)
        self.spiketimes = list(zip(neurons.tolist(), times.tolist()))
