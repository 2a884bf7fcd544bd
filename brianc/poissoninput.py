"""PoissonInput: many independent Poisson inputs to one variable of a group,
drawn as one binomial count per target neuron and step (Brian 1's
sourceless connection), run by the C core in the connection phase.
"""
from __future__ import annotations

import numbers

import numpy as np

from . import _core, _engine, magic
from .connections import Connection
from .units import (DimensionMismatchError, Quantity, get_dimensions, hertz,
                    second)

__all__ = ["PoissonInput"]

_MODES = {"plain": 0, "frozen": 1, "jitter": 2, "reliability": 3}


def _in_unit(value, unit_dim, what: str) -> float:
    if isinstance(value, Quantity) or hasattr(value, "dim"):
        dim = get_dimensions(value)
        if dim != unit_dim:
            raise DimensionMismatchError(what, dim, unit_dim)
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    return value


class _EmptySource:
    """Brian 1's EmptyGroup: the source of a sourceless connection."""

    def __init__(self, clock):
        self.clock = clock

    def get_spikes(self, delay=0):
        return None


class PoissonInput(Connection):
    """Adds N independent Poisson inputs to a variable of every neuron.

    In each connection phase every target neuron receives
    ``weight * Binomial(N, rate*dt)`` (its own draw).  With
    ``freeze=True`` all neurons share one draw; ``jitter=tau`` makes each
    event arrive as ``copies`` copies delayed by Exp(tau) (a new event of
    a neuron replaces its pending copies, as in Brian 1); with
    ``reliability=alpha`` each step's events count ``Binomial(copies,
    alpha)`` times (one factor per step shared by all neurons, as in
    Brian 1).  ``record=True`` stores ``(i, t)`` for every neuron that
    received an event in ``recorded_events``; frozen input stores the
    event times in ``events``.

    Parameters
    ----------
    target : NeuronGroup or subgroup
    N : int
        Number of independent inputs per neuron.
    rate : Quantity
        Rate of each input, in Hz (``rate*dt <= 1``).
    weight : Quantity
        Added per event, in the unit of ``state``.
    state : str or int
        The target variable.
    """

    _pickled_as_synapses = False     # it draws its own inputs

    def __init__(self, target, N=None, rate=None, weight=None, state=None,
                 jitter=None, reliability=None, copies=1, record=False,
                 freeze=False):
        owner = getattr(target, "_owner", None)
        if owner is None or not hasattr(owner, "_c"):
            raise TypeError(f"PoissonInput: target must be a group, got "
                            f"{target!r}")
        if N is None or rate is None or weight is None or state is None:
            raise TypeError("PoissonInput needs N, rate, weight and state")
        if isinstance(N, bool) or not isinstance(N, (numbers.Integral,
                                                     np.integer)) or N < 0:
            raise ValueError(f"PoissonInput: N must be an integer >= 0, got "
                             f"{N!r}")
        if jitter is not None and reliability is not None:
            raise ValueError("PoissonInput: specifying both jitter and "
                             "reliability is not supported (as in Brian 1)")
        if isinstance(copies, bool) or int(copies) != copies or copies < 0:
            raise ValueError(f"PoissonInput: copies must be an integer >= 0,"
                             f" got {copies!r}")
        d = self.__dict__
        d["target"] = target
        d["clock"] = owner._clock
        d["source"] = _EmptySource(d["clock"])
        d["N"] = len(target)            # Brian 1: the number of targets
        d["n"] = int(N)                 # the number of inputs
        d["delay"] = None
        d["iscompressed"] = True
        if isinstance(state, str):
            name = owner._model.aliases.get(state, state)
            if name not in owner._rows:
                raise KeyError(f"PoissonInput: {owner._name} has no state "
                               f"variable {state!r}")
            row = owner._rows[name]
        else:
            row = int(state)
            if not 0 <= row < len(owner._model.state_names):
                raise IndexError(f"PoissonInput: state number {state} out "
                                 f"of range")
            name = owner._model.state_names[row]
        d["var"] = state
        d["index"] = row
        d["_unit_dim"] = get_dimensions(owner._model.units[name])
        d["_name"] = name
        dt = float(d["clock"].dt)
        rate_hz = self._check_rate(rate, dt)
        w = _in_unit(weight, d["_unit_dim"],
                     f"PoissonInput weight (units of {name})")
        jitter_steps = 0.0
        mode = "frozen" if freeze else "plain"
        if jitter is not None:
            tau = _in_unit(jitter, second.dim, "PoissonInput jitter")
            if tau < 0:
                raise ValueError(f"PoissonInput: jitter must be >= 0, got "
                                 f"{jitter!r}")
            jitter_steps = tau / dt
            mode = "jitter"
        alpha = 0.0
        if reliability is not None:
            alpha = float(reliability)
            if not 0.0 <= alpha <= 1.0:
                raise ValueError(f"PoissonInput: reliability must be in "
                                 f"[0, 1], got {reliability!r}")
            mode = "reliability"
        d.update(_rate=rate, _jitter=jitter, reliability=reliability,
                 copies=int(copies), record=bool(record),
                 frozen=bool(freeze), _w=weight, _mode=mode)
        d["_c"] = _core.PoissonInput(
            owner._c, target._origin, target._n, row, int(N), rate_hz * dt,
            w, _MODES[mode], int(copies), jitter_steps, alpha,
            _engine.current_seed(), _engine.new_stream(), bool(record))
        magic.register(self, 0)

    @staticmethod
    def _check_rate(rate, dt: float) -> float:
        hz = _in_unit(rate, hertz.dim, "PoissonInput rate")
        if hz < 0 or hz * dt > 1:
            raise ValueError(f"PoissonInput: rate must be in [0, 1/dt] = "
                             f"[0, {1 / dt:g}] Hz, got {rate!r}")
        return hz

    # Brian 1 reads rate and weight at every step: changes apply at once.
    @property
    def rate(self):
        return self._rate

    @rate.setter
    def rate(self, value) -> None:
        dt = float(self.clock.dt)
        self._c.p = self._check_rate(value, dt) * dt
        self.__dict__["_rate"] = value

    @property
    def w(self):
        return self._w

    @w.setter
    def w(self, value) -> None:
        self._c.weight = _in_unit(value, self._unit_dim,
                                  f"PoissonInput weight (units of "
                                  f"{self._name})")
        self.__dict__["_w"] = value

    @property
    def jitter(self):
        return self._jitter

    def __setattr__(self, name, value) -> None:
        cls_attr = getattr(type(self), name, None)
        if isinstance(cls_attr, property) and cls_attr.fset is not None:
            cls_attr.fset(self, value)
        elif name in ("jitter", "reliability", "copies", "frozen", "record",
                      "n", "var", "index", "target"):
            raise AttributeError(f"PoissonInput.{name} is fixed at "
                                 f"construction in brianc")
        else:
            object.__setattr__(self, name, value)

    def _events(self) -> tuple[np.ndarray, np.ndarray]:
        index, steps = self._c.records()
        return index, steps * float(self.clock.dt)

    @property
    def recorded_events(self) -> list:
        """(i, t) for every neuron and step with at least one event
        (record=True)."""
        index, times = self._events()
        keep = index >= 0
        return [(int(i), Quantity(t, second.dim)) for i, t in
                zip(index[keep].tolist(), times[keep].tolist())]

    @property
    def events(self) -> list:
        """Frozen input: the times of the steps with an event."""
        index, times = self._events()
        return [Quantity(t, second.dim) for t in times[index < 0].tolist()]

    def _core_objects(self):
        return [("task", self._c, self.clock)]

    def _reinit(self, states: bool = True) -> None:
        self._c.reinit()

    def __getitem__(self, key):
        raise TypeError("PoissonInput has no weight matrix")

    def __setitem__(self, key, value) -> None:
        raise TypeError("PoissonInput has no weight matrix")

    def __repr__(self) -> str:
        return (f"<PoissonInput: {self.n} inputs at {self._rate} into "
                f"{self._name} of {len(self.target)} neurons>")
