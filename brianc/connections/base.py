"""Helpers shared by the connection classes: windows onto groups, checked
indices and times."""
from __future__ import annotations

import math

import numpy as np

from ..units import DimensionMismatchError, Quantity, get_dimensions, second

__all__: list[str] = []

_STREAMS = 256      # random streams per connection (see _engine)


def _window(group, what: str):
    """(owner group, origin, size) of a group or subgroup."""
    owner = getattr(group, "_owner", None)
    if owner is None or not hasattr(owner, "_c"):
        raise TypeError(f"{what} must be a neuron group or subgroup, got "
                        f"{group!r}")
    return owner, group._origin, len(group)


def _seconds(value, what: str) -> float:
    """A time in seconds: a Quantity of time or a plain number."""
    if isinstance(value, Quantity) or hasattr(value, "dim"):
        if get_dimensions(value) != second.dim:
            raise DimensionMismatchError(f"{what} must be a time",
                                         get_dimensions(value), second.dim)
    x = float(value)
    if math.isnan(x):
        raise ValueError(f"{what} is NaN")
    return x


def _n_args(function) -> int:
    try:
        code = function.__code__
    except AttributeError:
        return 2
    return code.co_argcount - (1 if hasattr(function, "__self__") else 0)


def _as_index(i, n: int, what: str) -> int:
    """A Python-style int index (negative counts from the end), checked."""
    k = int(i)
    if k < 0:
        k += n
    if not 0 <= k < n:
        raise IndexError(f"{what} {i} out of range for size {n}")
    return k


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def _is_colon(x) -> bool:
    return isinstance(x, slice) and x == slice(None)
