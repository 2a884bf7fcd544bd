"""Tabulated numerical functions (Brian 1's Tabulate and
TabulateInterp): a function sampled once on a grid, then read by index."""
from __future__ import annotations

import numpy as np

from ..units import get_unit, is_dimensionless

__all__ = ['Tabulate', 'TabulateInterp']


def _sample(f, x):
    """f on the array x, or point by point if f refuses arrays."""
    try:
        values = f(x)
        if np.shape(values) == np.shape(x):
            return np.asarray(values, dtype=float)
    except Exception:
        pass
    return np.array([float(f(v)) for v in x])


class Tabulate:
    """f tabulated at the midpoints of ``n`` bins over [xmin, xmax):
    ``g(x)`` is f at the midpoint of x's bin.  Arguments outside the
    range give NaN (with f's unit)."""

    def __init__(self, f, xmin, xmax, n):
        if int(n) != n or n < 1:
            raise ValueError(f"Tabulate needs n >= 1 points, got {n!r}")
        if not float(xmax) > float(xmin):
            raise ValueError(f"Tabulate needs xmin < xmax, got {xmin!r}, "
                             f"{xmax!r}")
        self.xmin, self.xmax = xmin, xmax
        self.dx = (float(xmax) - float(xmin)) / float(n)
        self.invdx = 1 / self.dx
        self.unit = get_unit(f(xmin))
        x = float(xmin) + (.5 + np.arange(n)) * self.dx
        self.f = _sample(f, x)

    def _index(self, x):
        pos = (np.asarray(x, dtype=float) - float(self.xmin)) * self.invdx
        return np.floor(pos).astype(np.int64), pos

    def _out(self, x):
        return np.full(np.shape(x), np.nan) if np.ndim(x) else np.nan

    def __call__(self, x):
        ind, _ = self._index(x)
        inside = (ind >= 0) & (ind < len(self.f))
        if not np.all(inside):
            return self._out(x) * self.unit
        return self._with_unit(self.f[ind], x)

    def _with_unit(self, values, x):
        if is_dimensionless(self.unit):
            return values
        return values * self.unit

    def __repr__(self) -> str:
        return f"Tabulated function with {len(self.f)} points"


class TabulateInterp(Tabulate):
    """f sampled at ``n`` points spanning [xmin, xmax], linearly
    interpolated between them."""

    def __init__(self, f, xmin, xmax, n):
        if int(n) != n or n < 2:
            raise ValueError(f"TabulateInterp needs n >= 2 points, got {n!r}")
        if not float(xmax) > float(xmin):
            raise ValueError(f"TabulateInterp needs xmin < xmax, got "
                             f"{xmin!r}, {xmax!r}")
        self.xmin, self.xmax = xmin, xmax
        self.dx = (float(xmax) - float(xmin)) / float(n - 1)
        self.invdx = 1 / self.dx
        self.unit = get_unit(f(xmin))
        self.f = _sample(f, float(xmin) + np.arange(n) * self.dx)
        self.df = np.diff(self.f) * self.invdx

    def __call__(self, x):
        ind, pos = self._index(x)
        inside = (ind >= 0) & (ind < len(self.df))
        if not np.all(inside):
            return self._out(x) * self.unit
        offset = (pos - ind) * self.dx
        return self._with_unit(self.f[ind] + self.df[ind] * offset, x)

    def __repr__(self) -> str:
        return f"Tabulated function with {len(self.f)} points (interpolated)"
