"""Input groups: PoissonGroup, SpikeGeneratorGroup and PulsePacket.

They are groups without equations: the C core draws their spikes (a
uniform draw against ``rate*dt``) or reads them from a sorted schedule.
"""
from __future__ import annotations

import numpy as np

from . import _core, _engine, _magic
from .clock import guess_clock
from .neurongroup import _StateAccess, check_size
from .units import (DimensionMismatchError, Quantity, get_dimensions, hertz,
                    second)

__all__ = ["PoissonGroup", "SpikeGeneratorGroup", "PulsePacket",
           "MultipleSpikeGeneratorGroup"]


class _InputModel:
    """The little a Connection or monitor asks of a group's model."""

    def __init__(self, names: list, units: dict):
        self.state_names = names
        self.units = units
        self.static_names: list = []
        self.aliases: dict = {}


class _InputGroup(_StateAccess):
    """A group whose spikes come from the C core's input kinds."""

    def _setup(self, n: int, names: list, units: dict, clock, level: int,
               name: str) -> None:
        d = self.__dict__
        d.update(_owner=self, _origin=0, _n=n, _allocated=0, _name=name)
        d["_clock"] = guess_clock(clock, level)
        d["_model"] = _InputModel(names, units)
        d["_rows"] = {v: k for k, v in enumerate(names)}
        d["_state"] = np.zeros((len(names), n))
        d["_initial_state"] = d["_state"].copy()
        d["_c"] = _core.Group(d["_state"], float(d["_clock"].dt),
                              _engine.current_seed(), _engine.new_stream())
        _magic.register(self, level)

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


def _rates_hz(rates, n: int) -> np.ndarray:
    dim = get_dimensions(rates)
    if (isinstance(rates, Quantity) or hasattr(rates, "dim")) and \
            dim != hertz.dim:
        raise DimensionMismatchError("PoissonGroup rates must be in Hz",
                                     dim, hertz.dim)
    values = np.asarray(rates, dtype=np.float64)
    if values.ndim > 1 or (values.ndim == 1 and values.shape[0] != n):
        raise ValueError(f"PoissonGroup: rates must be a scalar or {n} "
                         f"values, got shape {values.shape}")
    if np.any(np.isnan(values)) or np.any(values < 0):
        raise ValueError("PoissonGroup: rates must be non-negative (no NaN)")
    return np.broadcast_to(values, (n,))


class PoissonGroup(_InputGroup):
    """N independent Poisson spike sources (Brian 1 API).

    Parameters
    ----------
    N : int
        Number of sources, at least 1.
    rates : Quantity or function
        Rate in Hz: a scalar, an array of length ``N``, or a function of
        the time ``rates(t)`` called once per step.
    """

    def __init__(self, N, rates=0 * hertz, clock=None):
        n = check_size(N, "PoissonGroup")
        self._setup(n, ["rate"], {"rate": hertz}, clock, 0, "PoissonGroup")
        self._c.set_threshold("poisson", var=0)
        d = self.__dict__
        d["_rate_function"] = rates if callable(rates) else None
        if callable(rates):
            from .network import NetworkOperation
            d["_op"] = NetworkOperation(self._update_rates, clock=self._clock,
                                        when="before_groups",
                                        _register=False)
            self._update_rates()
        else:
            self._state[0] = _rates_hz(rates, n)
        d["_initial_state"] = self._state.copy()

    def _update_rates(self) -> None:
        t = Quantity(self._clock._c.step * self._clock._c.dt, second.dim)
        self._state[0] = _rates_hz(self._rate_function(t), self._n)

    def _core_objects(self):
        objects = super()._core_objects()
        if self._rate_function is not None:
            objects = self._op._core_objects() + objects
        return objects

    def __repr__(self) -> str:
        return f"<PoissonGroup of {self._n} sources>"


def _spike_pairs(spiketimes) -> tuple[np.ndarray, np.ndarray]:
    """(indices, times in seconds) from any of Brian 1's formats."""
    if callable(spiketimes):
        spiketimes = spiketimes()
    if isinstance(spiketimes, tuple) and len(spiketimes) == 2 and \
            np.ndim(spiketimes[0]) == 1:
        return (np.asarray(spiketimes[0], dtype=np.int64),
                np.asarray(spiketimes[1], dtype=np.float64))
    if isinstance(spiketimes, np.ndarray) and spiketimes.ndim == 2:
        return (spiketimes[:, 0].astype(np.int64),
                spiketimes[:, 1].astype(np.float64))
    indices, times = [], []
    for item in spiketimes:
        i, t = item
        for j in np.atleast_1d(i):
            indices.append(int(j))
            times.append(float(t))
    return np.array(indices, dtype=np.int64), np.array(times)


class SpikeGeneratorGroup(_InputGroup):
    """Neurons firing at given times (Brian 1 API): a spike at t fires in
    step ``ceil(t/dt)``; ``period`` repeats the pattern."""

    def __init__(self, N, spiketimes, clock=None, period=None, sort=True):
        n = check_size(N, "SpikeGeneratorGroup")
        self._setup(n, [], {}, clock, 0, "SpikeGeneratorGroup")
        self.__dict__["_period"] = period
        self._set_spiketimes(spiketimes, sort)

    def _set_spiketimes(self, spiketimes, sort: bool = True) -> None:
        indices, times = _spike_pairs(spiketimes)
        if np.any(np.isnan(times)) or np.any(times < 0):
            raise ValueError("SpikeGeneratorGroup: spike times must be "
                             "non-negative")
        if indices.size and (indices.min() < 0 or indices.max() >= self._n):
            raise IndexError(f"SpikeGeneratorGroup: neuron indices must be "
                             f"in [0, {self._n})")
        dt = float(self._clock.dt)
        steps = np.ceil(times / dt).astype(np.int64)
        order = np.lexsort((indices, steps))
        if not sort and not np.array_equal(order, np.arange(len(order))):
            raise ValueError("SpikeGeneratorGroup: spike times are not "
                             "sorted (use sort=True)")
        steps, indices = steps[order], indices[order]
        period_steps = 0
        if self._period is not None:
            period_steps = int(round(float(self._period) / dt))
        self._c.set_schedule(steps, indices.astype(np.int32), period_steps)
        self.__dict__["_steps"] = steps
        self.__dict__["_indices"] = indices

    @property
    def spiketimes(self) -> list:
        dt = float(self._clock.dt)
        return [(int(i), s * dt) for i, s in
                zip(self._indices.tolist(), self._steps.tolist())]

    @spiketimes.setter
    def spiketimes(self, value) -> None:
        self._set_spiketimes(value)

    def __repr__(self) -> str:
        return (f"<SpikeGeneratorGroup of {self._n} neurons, "
                f"{len(self._steps)} spikes>")


class PulsePacket(SpikeGeneratorGroup):
    """n neurons firing once each, at times drawn from a gaussian of mean
    ``t`` and standard deviation ``sigma`` (Brian 1 API)."""

    def __init__(self, t, n, sigma, clock=None):
        n = check_size(n, "PulsePacket")
        self.__dict__["_clock_arg"] = clock
        times = self._draw(t, n, sigma)
        super().__init__(n, times, clock=clock)
        self.__dict__.update(t=t, n=n, sigma=sigma)

    @staticmethod
    def _draw(t, n: int, sigma):
        for value, what in ((t, "t"), (sigma, "sigma")):
            if isinstance(value, Quantity) and \
                    get_dimensions(value) != second.dim:
                raise DimensionMismatchError(f"PulsePacket {what} must be a "
                                             f"time", get_dimensions(value))
        # Sorted gaussian times handed to a random permutation of neurons,
        # drawn from NumPy's global generator (seeded by seed()).
        times = np.sort(np.random.normal(float(t), float(sigma), n))
        neurons = np.random.permutation(n)
        return list(zip(neurons.tolist(), np.maximum(times, 0.0).tolist()))

    def generate(self, t, n, sigma) -> None:
        if int(n) != self._n:
            raise ValueError("generate() cannot change the packet size")
        self._set_spiketimes(self._draw(t, self._n, sigma))
        self.__dict__.update(t=t, sigma=sigma)


def MultipleSpikeGeneratorGroup(spiketimes, clock=None, period=None):
    """Deprecated Brian 1 form: one list of times per neuron."""
    pairs = [(i, t) for i, times in enumerate(spiketimes) for t in times]
    return SpikeGeneratorGroup(len(spiketimes), pairs, clock=clock,
                               period=period)

