"""A sparse row or column of a connection matrix."""
from __future__ import annotations

import numpy as np


__all__ = ["ConnectionVector"]

class ConnectionVector(np.ndarray):
    """A sparse row or column: the stored values, with ``ind`` the indices
    they sit at and ``n`` the full length (Brian 1's
    SparseConnectionVector)."""

    def __new__(cls, n: int, ind, values):
        obj = np.asarray(values, dtype=np.float64).view(cls)
        obj.ind = np.asarray(ind, dtype=np.intp)
        obj.n = int(n)
        return obj

    def __array_finalize__(self, obj) -> None:
        if obj is None:
            return
        ind = getattr(obj, "ind", None)
        # Element-wise results keep the indices; reductions and slices of
        # other lengths are plain values.
        if ind is not None and np.shape(self) == np.shape(ind):
            self.ind = ind
            self.n = getattr(obj, "n", 0)

    def todense(self) -> np.ndarray:
        dense = np.zeros(self.n)
        np.add.at(dense, self.ind, np.asarray(self))
        return dense
