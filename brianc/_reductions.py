"""``sum``, ``any`` and ``all`` for the ``from brianc import *`` namespace.

Brian 1's namespace took them from NumPy, whose functions of its day gave
``sum(x for x in ...)`` the value Python's own ``sum`` gives.  Today's NumPy
refuses a generator in ``numpy.sum`` (a TypeError, after years of
DeprecationWarning), and ``numpy.sum``, ``numpy.any`` and ``numpy.all``
read any other iterator, a set or a dict view as one opaque object: the
sum of ``map(f, xs)`` is the map object itself, ``any(x > 5 for x in
[1])`` is true.  These three hand such one-pass or unordered iterables to
Python's built-in function and everything else to NumPy's unchanged, so an
array, a list or a quantity gets exactly what ``numpy.sum`` gives it.
"""
from __future__ import annotations

import builtins
import collections.abc
import inspect

import numpy as np

__all__ = ["sum", "any", "all"]

# What NumPy would wrap as a single object instead of reading its items.
_LAZY_ITERABLES = (collections.abc.Iterator, collections.abc.Set,
                   collections.abc.MappingView)


def _is_lazy(a) -> bool:
    return type(a) is not np.ndarray and isinstance(a, _LAZY_ITERABLES)


def _reduction(python_function, numpy_function):
    name = numpy_function.__name__

    def reduce(a, *args, **kwargs):
        if not _is_lazy(a):
            return numpy_function(a, *args, **kwargs)
        if not args and not kwargs:
            return python_function(a)
        # NumPy's options (axis, dtype, out, keepdims, initial, where) on a
        # generator: NumPy's function of its items.
        return numpy_function(list(a), *args, **kwargs)

    reduce.__name__ = reduce.__qualname__ = name
    reduce.__module__ = __name__
    reduce.__signature__ = inspect.signature(numpy_function)
    reduce.__doc__ = (
        f"numpy.{name}, except that a generator, another iterator, a set or "
        f"a dict view goes to Python's built-in {name} (without options) or "
        f"to numpy.{name} of a list of its items (with NumPy's options).")
    return reduce


sum = _reduction(builtins.sum, np.sum)
any = _reduction(builtins.any, np.any)
all = _reduction(builtins.all, np.all)
