"""Clocks: simulation time as an integer step count (Brian 1's Clock)."""
from __future__ import annotations

import math

from . import _core, magic
from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["Clock", "RegularClock", "FloatClock", "NaiveClock", "EventClock",
           "defaultclock", "guess_clock", "define_default_clock",
           "reinit_default_clock", "get_default_clock"]

_MS = 1e-3


def _seconds(value, what: str) -> float:
    """A time in seconds from a Quantity (or a bare number in seconds)."""
    dim = get_dimensions(value)
    if not (dim.is_dimensionless() and not isinstance(value, Quantity)) \
            and dim != second.dim:
        raise DimensionMismatchError(f"{what} must be a time", dim)
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a time, got {value!r}") from None
    if math.isnan(x):
        raise ValueError(f"{what} is NaN")
    if math.isinf(x):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return x


class Clock:
    """Time as a step count: ``t = step * dt``, never accumulated.

    Parameters
    ----------
    dt : Quantity
        Time step (default 0.1 ms).
    t : Quantity
        Starting time, rounded to the nearest step.
    order : int
        Clocks due at the same time run in increasing order.
    makedefaultclock : bool
        Make this clock brianc's ``defaultclock``.
    """

    def __init__(self, dt=0.1 * _MS * second, t=0 * second, order=0,
                 makedefaultclock=False, _register=True):
        dt_s = _seconds(dt, "Clock dt")
        if not dt_s > 0:
            raise ValueError(f"Clock dt must be positive, got {dt!r}")
        self._c = _core.Clock(dt_s, int(order))
        # (creation mark, old dt, new dt) of every change of dt: objects
        # created before a change were built for the old dt.
        self._dt_changes: list[tuple[int, float, float]] = []
        self._c.step = int(round(_seconds(t, "Clock t") / dt_s))
        if _register:
            magic.register(self)
        if makedefaultclock:
            define_default_clock(clock=self)

    @property
    def dt(self) -> Quantity:
        return Quantity(self._c.dt, second.dim)

    # Brian 1's float attributes (seconds), which scripts read directly.
    @property
    def _dt(self) -> float:
        return self._c.dt

    @property
    def _t(self) -> float:
        return self._c.step * self._c.dt

    def __eq__(self, other) -> bool:
        # defaultclock (a proxy) equals the clock it stands for.
        if isinstance(other, _DefaultClockProxy):
            other = _default.clock
        return self is other

    __hash__ = object.__hash__

    @dt.setter
    def dt(self, value) -> None:
        # Keep the time: the step count is rescaled to the new dt.
        t = self._c.step * self._c.dt
        dt_s = _seconds(value, "Clock dt")
        if not dt_s > 0:
            raise ValueError(f"Clock dt must be positive, got {value!r}")
        if dt_s != self._c.dt:
            self._dt_changes.append((magic.creation_mark(), self._c.dt,
                                     dt_s))
        self._c.dt = dt_s
        self._c.step = int(round(t / dt_s))

    def _dt_at_creation(self, creation_number: int) -> float:
        """The dt this clock had when object number ``creation_number``
        was created."""
        for mark, old, _ in self._dt_changes:
            if mark > creation_number:
                return old
        return self._c.dt

    @property
    def t(self) -> Quantity:
        return Quantity(self._c.step * self._c.dt, second.dim)

    @t.setter
    def t(self, value) -> None:
        self._c.step = int(round(_seconds(value, "Clock t") / self._c.dt))

    @property
    def end(self) -> Quantity:
        return Quantity(self._c.end * self._c.dt, second.dim)

    @property
    def order(self) -> int:
        return self._c.order

    def __reduce__(self):
        return (_rebuild_clock, (type(self), self._c.dt, self._c.step,
                                 self._c.order))

    def reinit(self, t=0 * second) -> None:
        self.t = t

    def tick(self) -> None:
        self._c.step = self._c.step + 1

    def steps_for(self, duration) -> int:
        """Brian 1's ``ceil(duration/dt)`` steps, with a relative tolerance
        so that 100 ms at 0.1 ms is 1000 steps and not 1001."""
        ratio = _seconds(duration, "duration") / self._c.dt
        if math.isinf(ratio):
            raise ValueError(f"duration must be finite, got {duration!r}")
        if ratio < 0:
            raise ValueError(f"duration must not be negative, got "
                             f"{duration!r}")
        steps = math.ceil(ratio - 1e-9 * max(1.0, ratio))
        return max(steps, 0)

    def set_duration(self, duration) -> None:
        self._c.end = self._c.step + self.steps_for(duration)

    def still_running(self) -> bool:
        return self._c.step < self._c.end

    def __repr__(self) -> str:
        return f"Clock(dt={self.dt!r}, t={self.t!r})"


RegularClock = Clock
FloatClock = Clock
NaiveClock = Clock


class EventClock(Clock):
    """A clock that the magic clock guess never picks (Brian 1)."""

    @staticmethod
    def _track_instances() -> bool:
        return False


def _new_default() -> Clock:
    return Clock(_register=False)


class _DefaultClockHolder:
    """Holds the current default clock; ``defaultclock`` forwards to it so
    that ``define_default_clock`` reaches names imported earlier."""

    def __init__(self) -> None:
        self.clock = _new_default()


_default = _DefaultClockHolder()


class _DefaultClockProxy:
    """``defaultclock``: forwards attribute access to the default clock."""

    def __getattr__(self, name):
        return getattr(_default.clock, name)

    def __setattr__(self, name, value):
        setattr(_default.clock, name, value)

    def __repr__(self) -> str:
        return f"defaultclock: {_default.clock!r}"

    def __eq__(self, other) -> bool:
        return _default.clock == other

    def __hash__(self) -> int:
        return hash(_default.clock)


defaultclock = _DefaultClockProxy()


def get_default_clock() -> Clock:
    return _default.clock


def define_default_clock(dt=None, clock=None, **kwds) -> Clock:
    if clock is None:
        clock = Clock(dt=dt if dt is not None else 0.1 * _MS * second,
                      _register=False, **kwds)
    _default.clock = clock
    return clock


def _rebuild_clock(cls: type, dt: float, step: int, order: int) -> Clock:
    clock = cls(dt=dt * second, order=order)
    clock._c.step = step
    return clock


def reinit_default_clock(t=0 * second) -> None:
    _default.clock.reinit(t)


def guess_clock(clock=None, level: int = 0) -> Clock:
    """The clock given, else Brian 1's guess: the clocks created in the
    innermost frame of the calling stack that created any (an EventClock
    is never guessed).  One such clock is the answer, several are
    ambiguous (TypeError), none gives the default clock."""
    if clock is not None:
        if isinstance(clock, _DefaultClockProxy):
            return _default.clock
        if not isinstance(clock, Clock):
            raise TypeError(f"clock must be a Clock, got {clock!r}")
        return clock
    found = magic.innermost_instances(Clock, level)
    others = [c for c in found if c is not _default.clock]
    if len(others) > 1:
        raise TypeError("Clock is ambiguous: several clocks were created; "
                        "pass clock= explicitly")
    return others[0] if others else _default.clock
