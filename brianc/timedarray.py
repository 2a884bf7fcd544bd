"""TimedArray: an array of values over time (Brian 1 API), callable as
``ta(t)`` (the nearest sample, clipped to the array), and
TimedArraySetter, which the C core runs every step to set a group
variable from one.
"""
from __future__ import annotations

import math

import numpy as np

from . import _core, magic
from .clock import guess_clock
from .group import unit_text
from .stateview import non_finite_text
from .base import SLOTS, slot_number
from .operation import NetworkOperation
from .units import (DimensionMismatchError, Quantity, array_unit_tag,
                    get_dimensions, second)

__all__ = ["TimedArray", "TimedArraySetter", "set_group_var_by_array"]


def _seconds(value, what: str) -> float:
    if isinstance(value, Quantity) or hasattr(value, "dim"):
        if get_dimensions(value) != second.dim:
            raise DimensionMismatchError(f"TimedArray {what} must be a time",
                                         get_dimensions(value), second.dim)
    return float(value)


def _clock_dt_t(clock) -> tuple[float, float]:
    return float(clock.dt), float(clock.t)


# What a TimedArray carries besides its values.
_ATTRIBUTES = ("times", "clock", "_t_init", "_dt", "_dim", "guessed_clock")


class TimedArray(np.ndarray):
    """Values sampled in time: ``arr[k]`` is the value from time
    ``start + k*dt`` (or ``times[k]``); further axes are per neuron.

    Parameters
    ----------
    arr : array
        Values, first axis time.
    times : array, optional
        Irregular sample times (seconds); then ``ta(t)`` is unavailable.
    clock : Clock, optional
        Its ``t`` is the time of sample 0, its ``dt`` the interval.
    start, dt : Quantity, optional
        Instead of a clock (start defaults to 0 s).

    With none of these the guessed clock is used.  ``ta(t)`` returns
    ``arr[rint((t - start)/dt)]`` clipped to the array (the nearest
    sample, as Brian 1 computes it).
    """

    def __new__(cls, arr, times=None, clock=None, start=None, dt=None):
        dim = get_dimensions(arr)
        obj = np.array(np.asarray(arr, dtype=np.float64)).view(cls)
        obj._dim = dim
        # An array made from a quantity (``ones(n)*second``) is checked
        # against the variable it is set on; ``ta(t)`` in equations stays
        # plain, as in Brian 1.  Views and pickles do not keep it.
        obj._unit_tag = array_unit_tag(arr)
        if obj.ndim == 0:
            raise ValueError("TimedArray needs at least one sample")
        if start is not None or dt is not None:
            if clock is not None:
                raise ValueError("TimedArray: specify start and dt or clock, "
                                 "but not both")
            if dt is None:
                raise ValueError("TimedArray: start needs dt")
            t0 = _seconds(start, "start") if start is not None else 0.0
            step = _seconds(dt, "dt")
            if not step > 0:
                raise ValueError(f"TimedArray: dt must be positive, got {dt}")
            obj._set_grid(t0, step, None)
            obj.guessed_clock = False
            return obj
        if times is not None and clock is not None:
            raise ValueError("TimedArray: specify times or clock but not "
                             "both")
        obj.guessed_clock = times is None and clock is None
        if times is not None:
            t = np.asarray(times, dtype=np.float64).reshape(-1)
            if t.shape[0] != obj.shape[0]:
                raise ValueError(f"TimedArray: {obj.shape[0]} samples but "
                                 f"{t.shape[0]} times")
            if np.any(np.diff(t) < 0):
                raise ValueError("TimedArray: times must be ascending")
            obj._t_init = None
            obj._dt = None
            obj.times = t
            obj.clock = None
            return obj
        if clock is None:
            clock = guess_clock(None, 0)
        step, t0 = _clock_dt_t(clock)
        obj._set_grid(t0, step, clock)
        return obj

    def _set_grid(self, t0: float, step: float, clock) -> None:
        if not (math.isfinite(step) and step > 0 and math.isfinite(t0)):
            raise ValueError(f"TimedArray: dt must be a positive, finite "
                             f"time and start finite, got dt = {step!r} s, "
                             f"start = {t0!r} s")
        # Brian 1 puts sample 0 on the dt grid below the start time.
        self._t_init = int(t0 / step) * step
        self._dt = step
        self.times = t0 + np.arange(self.shape[0]) * step
        self.clock = clock

    def __array_finalize__(self, orig) -> None:
        for name in _ATTRIBUTES:
            if hasattr(orig, name):
                setattr(self, name, getattr(orig, name))

    def __reduce__(self):
        # NumPy pickles the values; the time grid goes with them (not the
        # C setters cached for equations, made again on first use).
        rebuild, args, state = np.ndarray.__reduce__(self)
        extra = {k: getattr(self, k) for k in _ATTRIBUTES if hasattr(self, k)}
        return rebuild, args, (state, extra)

    def __setstate__(self, state) -> None:
        array_state, extra = state
        np.ndarray.__setstate__(self, array_state)
        for name, value in extra.items():
            setattr(self, name, value)

    def __getitem__(self, item):
        x = np.ndarray.__getitem__(self, item)
        if not isinstance(x, np.ndarray) or not isinstance(self,
                                                           TimedArray):
            return x
        first = item[0] if isinstance(item, tuple) and item else item
        if isinstance(first, (int, np.integer)) and x.ndim >= 1 and \
                isinstance(item, tuple):
            return np.asarray(x)            # one time: a plain row
        times = np.atleast_1d(np.asarray(self.times)[first]) \
            if first is not Ellipsis else np.asarray(self.times)
        result = x.view(TimedArray)
        result.times = times
        if isinstance(first, slice) and self._dt is not None and \
                len(times) > 1:
            result._t_init = float(times[0])
            result._dt = float(times[1] - times[0])
        else:
            result._t_init = None
            result._dt = None
            result.clock = None
        return result

    def sample_index(self, t) -> np.ndarray:
        """The sample used at time(s) t (seconds): the nearest, clipped."""
        if self._dt is None:
            raise ValueError("Can only call timed arrays if they are based "
                             "on a clock")
        k = np.rint((np.asarray(t, dtype=np.float64) - self._t_init) /
                    self._dt)
        return np.clip(np.nan_to_num(k, nan=0.0), 0,
                       self.shape[0] - 1).astype(np.int64)

    def __call__(self, t):
        """Value(s) at time t; with an array t on a 2-D array, neuron i
        gets its value at ``t[i]``."""
        values = np.asarray(self)
        if isinstance(t, (list, tuple)):
            t = np.array([float(x) for x in t])
        if isinstance(t, np.ndarray) and t.ndim == 1 and \
                not isinstance(t, Quantity):
            if self.ndim > 2:
                raise ValueError("Calling a TimedArray with an array of "
                                 "times needs a 1-D or 2-D TimedArray")
            k = self.sample_index(t)
            if self.ndim == 1:
                return values[k]
            if len(t) != self.shape[1]:
                raise ValueError(f"a 2-D TimedArray called with an array "
                                 f"needs {self.shape[1]} times")
            return values[k, np.arange(len(t))]
        return values[int(self.sample_index(float(t)))]

    # -- the hook for equations (see the module docs of _expr_compiler) ---
    def _call_dimensions(self):
        """Dimensions of ``ta(t)``."""
        return self._dim

    def _program_input(self, n: int, clock) -> tuple[np.ndarray, tuple]:
        """For ``ta(t)`` in the equations of a group of n neurons on
        ``clock``: a hidden float64 array of n values holding ta(t) during
        each step (an ARRAY register for the program), and the network
        entry ``("task", setter, clock)`` that refreshes it at the start
        of every step.  Cached per (n, clock)."""
        cache = self.__dict__.setdefault("_inputs", {})
        key = (int(n), id(clock))
        if key not in cache:
            hidden = np.zeros(int(n))
            setter = _core_setter(self, hidden, clock, SLOTS["start"])
            dt = float(clock.dt)
            setter.apply(int(round(float(clock.t) / dt)))
            cache[key] = (hidden, ("task", setter, clock), clock)
        hidden, entry, _ = cache[key]
        return hidden, entry

    def plot(self, *args, **kwds):
        import matplotlib.pyplot as plt
        values = np.asarray(self)
        if values.ndim == 2:
            for i in range(values.shape[1]):
                plt.plot(self.times, values[:, i], *args, label=str(i),
                         **kwds)
        else:
            plt.plot(self.times, values, *args, **kwds)


def _check_values_for(ta: TimedArray, owner, name: str) -> None:
    """A TimedArray about to set ``owner.name``: its units must be the
    variable's (one made from a plain array carries none, as in Brian 1)
    and its values finite."""
    want = get_dimensions(owner._model.units[name])
    dim = ta.__dict__.get("_unit_tag") or ta._dim
    if not dim.is_dimensionless() and dim != want:
        raise DimensionMismatchError(
            f"TimedArraySetter: {owner._name}.{name} is in "
            f"{unit_text(want)}, the TimedArray is in {unit_text(dim)}",
            dim, want)
    values = np.asarray(ta).view(np.ndarray)
    if not np.isfinite(values).all():
        bad = non_finite_text(values)
        raise ValueError(f"TimedArraySetter: the TimedArray for "
                         f"{owner._name}.{name} contains {bad} (values must "
                         f"be finite)")


def _core_setter(ta: TimedArray, dst: np.ndarray, clock, slot: int):
    """A _core.TimedSetter writing ta's sample of each step into dst."""
    values = np.ascontiguousarray(np.asarray(ta), dtype=np.float64)
    if values.ndim == 1:
        values = values.reshape(-1, 1)
    elif values.ndim == 2:
        if values.shape[1] not in (1, dst.shape[0]):
            raise ValueError(f"TimedArray of shape {values.shape} cannot set "
                             f"{dst.shape[0]} neurons (need 1 or "
                             f"{dst.shape[0]} columns)")
    else:
        raise ValueError("only 1-D and 2-D TimedArrays can set variables")
    times = None
    start = sample_dt = 0.0
    if ta._dt is None:
        times = np.ascontiguousarray(ta.times, dtype=np.float64)
    else:
        start, sample_dt = ta._t_init, ta._dt
    return _core.TimedSetter(dst, values, times, start, sample_dt,
                             float(clock.dt), slot)


class TimedArraySetter(NetworkOperation):
    """Sets a group variable from a TimedArray at ``when`` of every step
    (run by the C core).

    Parameters
    ----------
    group : NeuronGroup or subgroup
    var : str or int
    arr : TimedArray or array
        Arrays become ``TimedArray(arr, times, clock, start, dt)``.
    clock : Clock, optional
        The clock of the setter (default: the group's).
    when : str
        The schedule slot, 'start' by default.
    """

    def __init__(self, group, var, arr, times=None, clock=None, start=None,
                 dt=None, when="start"):
        slot = self._slot = slot_number(when, "TimedArraySetter")
        owner = group._owner
        if not isinstance(arr, TimedArray):
            arr = TimedArray(arr, times=times, clock=clock, start=start,
                             dt=dt)
        self.clock = clock if clock is not None else owner._clock
        self.when = when
        self.group = group
        self.var = var
        self.arr = arr
        self.function = None
        self._pass_clock = False
        if isinstance(var, str):
            name = owner._model.aliases.get(var, var)
            if name not in owner._rows:
                raise KeyError(f"TimedArraySetter: {owner._name} has no "
                               f"state variable {var!r}")
            row = owner._rows[name]
        else:
            row = int(var)
        _check_values_for(arr, owner, owner._model.state_names[row])
        dst = owner._state[row, group._origin:group._origin + group._n]
        self._c = _core_setter(arr, dst, self.clock, slot)
        magic.register(self, 0)
        # Brian 1 keeps setters among the group's contained_objects.
        owner.__dict__.setdefault("contained_objects", []).append(self)

    def __reduce__(self):
        return (_rebuild_setter, (self.group, self.var, self.arr, self.clock,
                                  self.when))

    def __call__(self):
        """Set the variable now (what the core does every step)."""
        clock = self.clock
        self._c.apply(int(round(float(clock.t) / float(clock.dt))))

    def _core_objects(self):
        return [("task", self._c, self.clock)]


def _rebuild_setter(group, var, arr, clock, when) -> TimedArraySetter:
    return TimedArraySetter(group, var, arr, clock=clock, when=when)


def set_group_var_by_array(group, var, arr, times=None, clock=None,
                           start=None, dt=None):
    """Set ``group.var`` from ``arr`` at the start of every step (creates a
    TimedArraySetter)."""
    setter = TimedArraySetter(group, var, arr, times=times, clock=clock,
                              start=start, dt=dt)
    magic.retag(setter, 0)
    return setter


def _install_setter(self, group, name: str) -> None:
    """``group.name = ta``: NeuronGroup's setter hook."""
    setter = TimedArraySetter(group, name, self)
    magic.retag(setter, 0)


TimedArray._install_setter = _install_setter
