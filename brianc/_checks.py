"""Checks of numeric arguments shared by the user-facing classes: each
turns a bad value into an error naming the argument, before an int() or
a round() deep inside would fail with Python's own message ("cannot
convert float infinity to integer")."""
from __future__ import annotations

import math

from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["finite_seconds", "whole_steps", "finite_number"]

# More steps than any run could take (and than int64 arithmetic in the
# core should see).
MAX_STEPS = 2**62


def finite_number(value, what: str) -> float:
    """``value`` as a finite float, or a ValueError naming ``what``."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number, got {value!r}") from None
    if math.isnan(x):
        raise ValueError(f"{what} is NaN")
    if math.isinf(x):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return x


def finite_seconds(value, what: str) -> float:
    """A finite time in seconds, from a Quantity of time or a plain
    number (seconds)."""
    if isinstance(value, Quantity) or hasattr(value, "dim"):
        if get_dimensions(value) != second.dim:
            raise DimensionMismatchError(f"{what} must be a time",
                                         get_dimensions(value), second.dim)
    return finite_number(value, what)


def whole_steps(value, dt: float, what: str) -> int:
    """``int(value/dt)`` (Brian 1's truncation) for a finite, non-negative
    time, or a clear error naming ``what``."""
    seconds = finite_seconds(value, what)
    if seconds < 0:
        raise ValueError(f"{what} must not be negative, got {value!r}")
    steps = seconds / dt
    if steps >= MAX_STEPS:
        raise ValueError(f"{what} = {value!r} is more than {MAX_STEPS} "
                         f"time steps")
    return int(steps)
