"""Levels in decibels: ``dB`` is a float type that only mixes with other
dB values in sums and comparisons (Brian 1's dB_type)."""
from __future__ import annotations

import numpy as np

__all__ = ["dB", "dB_type", "dB_error", "gain"]


class dB_error(ValueError):
    """A dB value used inconsistently with other units."""


def _need_db(other, what: str) -> float:
    if not isinstance(other, dB_type):
        raise dB_error(f"Cannot {what} a dB value and the non-dB value "
                       f"{other!r}")
    return float(other)


class dB_type(np.float64):
    """A level in dB (RMS dB SPL when the sound is in pascals)."""

    def __str__(self):
        return f"{float(self)!s}*dB"

    def __repr__(self):
        return f"{float(self)!r}*dB"

    def __mul__(self, other):
        if isinstance(other, dB_type):
            raise dB_error("Cannot multiply dB by dB")
        return dB_type(float(self) * other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, dB_type):
            raise dB_error("Cannot divide dB by dB")
        return dB_type(float(self) / other)

    def __rtruediv__(self, other):
        raise dB_error("Cannot divide by a dB value")

    def __add__(self, other):
        return dB_type(float(self) + _need_db(other, "add"))

    __radd__ = __add__

    def __sub__(self, other):
        return dB_type(float(self) - _need_db(other, "subtract"))

    def __rsub__(self, other):
        return dB_type(_need_db(other, "subtract") - float(self))

    def __neg__(self):
        return dB_type(-float(self))

    def __pos__(self):
        return self

    def __abs__(self):
        return dB_type(abs(float(self)))

    def __pow__(self, other):
        raise dB_error("Cannot take powers with dB")

    __rpow__ = __pow__

    def __lt__(self, other):
        return float(self) < _need_db(other, "compare")

    def __le__(self, other):
        return float(self) <= _need_db(other, "compare")

    def __gt__(self, other):
        return float(self) > _need_db(other, "compare")

    def __ge__(self, other):
        return float(self) >= _need_db(other, "compare")

    def __eq__(self, other):
        return float(self) == _need_db(other, "compare")

    def __ne__(self, other):
        return float(self) != _need_db(other, "compare")

    __hash__ = np.float64.__hash__

    def __reduce__(self):
        return (dB_type, (float(self),))

    def gain(self) -> float:
        """The amplitude factor of this level: 10**(level/20)."""
        return 10 ** (float(self) / 20.0)


dB = dB_type(1.0)


def gain(level) -> float:
    """The amplitude factor 10**(level/20) of a level in dB."""
    if not isinstance(level, dB_type):
        raise dB_error(f"gain() needs a level in dB, got {level!r}")
    return level.gain()
