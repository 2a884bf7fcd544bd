"""NumPy's linspace and arange for the ``from brianc import *`` namespace:
between quantities of one unit their result, a plain array in SI as in
Brian 1, remembers that unit for the write paths (see SIArray)."""
from __future__ import annotations

import numpy as np

from .fundamentalunits import Quantity, SIArray, get_dimensions

__all__ = ["linspace", "arange"]


def _common_dimension(bounds):
    """The dimension shared by the quantities among ``bounds`` (plain
    zeros fit any), or None when there is none or they disagree."""
    dims = {get_dimensions(b) for b in bounds if isinstance(b, Quantity)}
    if len(dims) != 1 or any(not isinstance(b, Quantity) and b != 0
                             for b in bounds):
        return None
    dim = dims.pop()
    return None if dim.is_dimensionless() else dim


def _tag_with(result, bounds):
    dim = _common_dimension(bounds)
    if dim is not None and type(result) is np.ndarray:
        result = result.view(SIArray)
        result._unit_tag = dim
    return result


def linspace(start, stop, num=50, *args, **kwargs):
    """numpy.linspace; between two quantities of one unit the result (a
    plain array in SI) remembers that unit for the write paths."""
    result = np.linspace(start, stop, num, *args, **kwargs)
    if isinstance(result, tuple):           # retstep=True
        return result
    return _tag_with(result, (start, stop))


def arange(*args, **kwargs):
    """numpy.arange; of quantities of one unit the result (a plain array in
    SI) remembers that unit for the write paths."""
    result = np.arange(*args, **kwargs)
    if any(isinstance(a, Quantity) for a in args):
        return _tag_with(result, [a for a in args if a is not None])
    return result
