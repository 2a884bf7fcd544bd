"""Arrays that grow in place (Brian 1's ``DynamicArray`` and
``DynamicArray1D``): capacity grows by a factor, so appending n elements
one by one costs O(n) copies in all.  ``data`` is a view of the used part;
for more than one dimension it is not contiguous."""
from __future__ import annotations

import numpy as np

__all__ = ["DynamicArray", "DynamicArray1D"]


def _as_shape(shape) -> tuple:
    if np.isscalar(shape):
        return (int(shape),)
    return tuple(int(n) for n in shape)


class DynamicArray:
    """An n-dimensional array whose shape can change in every dimension.

    ``resize(shape)`` keeps the values in the part both shapes share; new
    cells are zeros (cells given up by a smaller resize and taken back
    keep their old values, as in Brian 1); capacity grows to at least ``factor`` times the old
    capacity in each dimension that outgrows it.  ``shrink(shape)``
    reallocates to exactly the smaller shape.  Indexing, ``len`` and
    comparisons act on ``data``."""

    def __init__(self, shape, dtype=float, factor=2,
                 use_numpy_resize=False, refcheck=True):
        shape = _as_shape(shape)
        if any(n < 0 for n in shape):
            raise ValueError(f"DynamicArray: negative shape {shape}")
        if factor < 1:
            raise ValueError(f"DynamicArray: factor must be >= 1, got "
                             f"{factor!r}")
        self.dtype = dtype
        self.factor = factor
        # Accepted for Brian 1 compatibility: growing always copies into a
        # fresh block, which never invalidates a view a caller holds.
        self.use_numpy_resize = use_numpy_resize
        self.refcheck = refcheck
        self._data = np.zeros(shape, dtype=dtype)
        self.data = self._data
        self.shape = shape

    def _view(self, shape: tuple) -> None:
        self.data = self._data[tuple(slice(0, n) for n in shape)]
        self.shape = shape

    def resize(self, newshape) -> None:
        newshape = _as_shape(newshape)
        if len(newshape) != self._data.ndim:
            raise ValueError(f"DynamicArray: cannot resize a "
                             f"{self._data.ndim}-d array to {newshape}")
        capacity = self._data.shape
        if any(n > c for n, c in zip(newshape, capacity)):
            grown = tuple(max(n, int(c * self.factor), c + 1) if n > c else c
                          for n, c in zip(newshape, capacity))
            block = np.zeros(grown, dtype=self.dtype)
            block[tuple(slice(0, n) for n in self.shape)] = self.data
            self._data = block
        self._view(newshape)

    def shrink(self, newshape) -> None:
        newshape = _as_shape(newshape)
        if any(n > s for n, s in zip(newshape, self.shape)):
            return          # Brian 1: shrinking to a larger shape does nothing
        self._data = np.array(self._data[tuple(slice(0, n)
                                               for n in newshape)])
        self._view(newshape)

    def __getitem__(self, item):
        return self.data[item]

    def __setitem__(self, item, value) -> None:
        self.data[item] = value

    def __len__(self) -> int:
        return len(self.data)

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.data, dtype=dtype)

    def __eq__(self, other):
        return self.data == other

    def __ne__(self, other):
        return self.data != other

    __hash__ = None

    def __str__(self) -> str:
        return str(self.data)

    def __repr__(self) -> str:
        return repr(self.data)


class DynamicArray1D(DynamicArray):
    """A one-dimensional DynamicArray; ``resize(n)`` only ever grows it (a
    smaller n is ignored, as in Brian 1)."""

    def resize(self, newshape) -> None:
        (n,) = _as_shape(newshape)
        if n <= self.shape[0]:
            return
        super().resize((n,))
