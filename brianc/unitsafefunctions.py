"""Unit-aware math functions, as Brian 1's ``unitsafefunctions``: on a
Quantity, ``sqrt`` keeps units (``sqrt(ms)`` is ``ms**0.5``) and exp, log and
the trigonometric family need a dimensionless value; anything else (numbers,
arrays, which carry no units) goes straight to NumPy.  They are plain Python
functions, not ufuncs: the equation front end relies on that distinction.
"""
from __future__ import annotations

import numpy as np

from .fundamentalunits import DimensionMismatchError, Quantity

# Names of the functions below, also read by the equation front end.
UNITSAFE_FUNCTIONS = ["sqrt", "log", "exp", "sin", "cos", "tan", "arcsin",
                      "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh",
                      "arccosh", "arctanh"]

__all__ = list(UNITSAFE_FUNCTIONS)


def sqrt(x, *args, **kwargs):
    """Square root; on a Quantity it halves the exponents."""
    if isinstance(x, Quantity) and not args and not kwargs:
        return x ** 0.5
    return np.sqrt(x, *args, **kwargs)


def _dimensionless_version(ufunc):
    """Wrap ``ufunc`` so that a Quantity must be dimensionless (the result
    is then a dimensionless Quantity); anything else goes to NumPy."""
    name = ufunc.__name__

    def f(x, *args, **kwargs):
        if isinstance(x, Quantity):
            if not x.dim.is_dimensionless():
                raise DimensionMismatchError(name, x.dim)
            return Quantity(ufunc(np.float64(float(x))))
        return ufunc(x, *args, **kwargs)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Unit-aware {name}: a Quantity argument must be "
                 f"dimensionless; others go to numpy.{name}.")
    return f


log = _dimensionless_version(np.log)
exp = _dimensionless_version(np.exp)
sin = _dimensionless_version(np.sin)
cos = _dimensionless_version(np.cos)
tan = _dimensionless_version(np.tan)
arcsin = _dimensionless_version(np.arcsin)
arccos = _dimensionless_version(np.arccos)
arctan = _dimensionless_version(np.arctan)
sinh = _dimensionless_version(np.sinh)
cosh = _dimensionless_version(np.cosh)
tanh = _dimensionless_version(np.tanh)
arcsinh = _dimensionless_version(np.arcsinh)
arccosh = _dimensionless_version(np.arccosh)
arctanh = _dimensionless_version(np.arctanh)
