"""``C.W`` and ``C.delay``: a connection's weights and delays seen as
matrices."""
from __future__ import annotations

import math

import numpy as np

from .base import _seconds, _as_index, _is_int, _is_colon
from .connectionvector import ConnectionVector

__all__ = ["ConnectionMatrix"]


def _check_key(key) -> None:
    """A clear error for indices that are not neuron numbers, slices or
    arrays of them (``W[1.5, 0]``, ``W['a', 0]``)."""
    parts = key if isinstance(key, tuple) else (key,)
    for part in parts:
        if isinstance(part, slice) or part is Ellipsis or _is_int(part):
            continue
        arr = np.asarray(part)
        if arr.dtype.kind in "iub" and arr.ndim > 0:
            continue
        raise IndexError(f"connection matrix indices must be neuron "
                         f"numbers, slices or arrays of them, got {part!r}")

class _AllData(np.ndarray):
    """``W.alldata``: a copy of the weights that writes itself back to its
    connection on item assignment."""

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        matrix = getattr(self, "_matrix", None)
        if matrix is not None:
            matrix.alldata = np.asarray(self)


class ConnectionMatrix:
    """``C.W``: the weights as an (n_source, n_target) matrix in SI units.

    ``W[i, j]``, ``W[i, :]`` (a ConnectionVector of the stored values, or a
    dense row for ``structure='dense'``), ``W[:, j]``, ``W[:]`` read and
    write without building a dense matrix; ``todense()`` builds one."""

    def __init__(self, connection):
        self._conn = connection
        self._c = connection._c

    @property
    def shape(self) -> tuple[int, int]:
        return (self._conn._n_pre, self._conn._n_post)

    def todense(self) -> np.ndarray:
        return self._c.todense()

    def getnnz(self) -> int:
        return self._c.nnz

    @property
    def alldata(self) -> "_AllData":
        """Every stored weight, in row order (Brian 1's ``W.alldata``):
        ``W.alldata[:] = ...`` and ``W.alldata += ...`` write them back."""
        weights = self._c.synapses()[2]
        view = np.array(weights, dtype=np.float64).view(_AllData)
        view._matrix = self
        return view

    @alldata.setter
    def alldata(self, values) -> None:
        values = np.asarray(values, dtype=np.float64)
        if values.shape != (self._c.nnz,):
            raise ValueError(f"W.alldata needs {self._c.nnz} values, got "
                             f"shape {values.shape}")
        if not np.all(np.isfinite(values)):
            raise ValueError("W.alldata: weights must be finite (no NaN or "
                             "inf)")
        self._c.set_weights(np.ascontiguousarray(values))

    nnz = property(getnnz)

    def __len__(self) -> int:
        return self.shape[0]

    def __array__(self, dtype=None, copy=None):
        dense = self.todense()
        return dense if dtype is None else dense.astype(dtype)

    # -- elements ------------------------------------------------------------

    def get_element(self, i, j) -> float:
        i = _as_index(i, self.shape[0], "row")
        j = _as_index(j, self.shape[1], "column")
        return self._c.get(i, j)[0]

    def set_element(self, i, j, value) -> None:
        i = _as_index(i, self.shape[0], "row")
        j = _as_index(j, self.shape[1], "column")
        if type(value) is float and math.isfinite(value):
            w = value       # the common case, without the general checks
        else:
            if np.ndim(value) != 0:
                raise TypeError(f"W[{i}, {j}] takes one value, got shape "
                                f"{np.shape(value)}")
            w = float(self._conn._checked_weights(value, f"W[{i}, {j}]"))
        if self._c.set(i, j, w) == 0:
            self._conn._insert_new(np.array([i]), np.array([j]),
                                   np.array([w]))

    def insert(self, i, j, value) -> None:
        """Set W[i, j], creating the synapse if needed ('dynamic' after a
        run; any structure before)."""
        self.set_element(i, j, value)

    def remove(self, i, j) -> None:
        """Delete the synapse (i, j) ('dynamic' after a run; a 'dense'
        element becomes 0)."""
        i = _as_index(i, self.shape[0], "row")
        j = _as_index(j, self.shape[1], "column")
        conn = self._conn
        if conn._compiled_once and conn.structure == "dense":
            self._c.set(i, j, 0.0)
            return
        if conn._compiled_once and conn.structure == "sparse":
            raise ValueError(f"{conn!r}: cannot remove synapses from a "
                             f"sparse connection after the first run; use "
                             f"structure='dynamic'")
        if self._c.remove(i, j) == 0:
            raise ValueError(f"no synapse to remove at ({i}, {j})")

    # -- rows and columns ----------------------------------------------------

    def get_row(self, i):
        i = _as_index(i, self.shape[0], "row")
        ind, values, _ = self._c.row(i)
        if self._conn.structure == "dense":
            return ConnectionVector(self.shape[1], ind, values).todense()
        return ConnectionVector(self.shape[1], ind, values)

    def get_col(self, j):
        j = _as_index(j, self.shape[1], "column")
        rows, values, _ = self._c.column(j)
        if self._conn.structure == "dense":
            return ConnectionVector(self.shape[0], rows, values).todense()
        return ConnectionVector(self.shape[0], rows, values)

    def get_rows(self, rows) -> list:
        return [self.get_row(i) for i in rows]

    def get_cols(self, cols) -> list:
        return [self.get_col(j) for j in cols]

    def _stored_values(self, ind: np.ndarray, n: int, value,
                       what: str) -> np.ndarray | None:
        """Values for the stored entries ``ind`` of a row or column from a
        ConnectionVector (same indices), a full-length array (read at
        ind), an array of the stored length, or a scalar.  None means a
        full-length array that needs new synapses (dense structure)."""
        if isinstance(value, ConnectionVector):
            if not np.array_equal(value.ind, ind):
                raise ValueError(f"sparse {what} setting must use the same "
                                 f"indices")
        arr = self._conn._checked_weights(value, f"the {what} values")
        if isinstance(value, ConnectionVector):
            return arr
        if arr.ndim == 0:
            return np.full(len(ind), float(arr))
        if arr.shape == (n,):
            return arr[ind]
        if arr.shape == (len(ind),):
            return arr
        raise ValueError(f"{what} values have shape {arr.shape}, expected "
                         f"({n},) or ({len(ind)},)")

    def _dense_fill(self, rows, cols, values: np.ndarray) -> None:
        """structure='dense' stores every element: create the missing ones
        with nonzero values."""
        for i, j, w in zip(rows, cols, values):
            if w != 0.0 and self._c.get(int(i), int(j))[1] == 0:
                self._conn._insert_new(np.array([i]), np.array([j]),
                                       np.array([w]))

    def set_row(self, i, value) -> None:
        i = _as_index(i, self.shape[0], "row")
        ind, _, first = self._c.row(i)
        values = self._stored_values(ind, self.shape[1], value, "row")
        self._c.set_at(first + np.arange(len(ind), dtype=np.int64), values)
        arr = np.asarray(value, dtype=np.float64)
        if self._conn.structure == "dense" and arr.shape == (self.shape[1],):
            self._dense_fill(np.full(self.shape[1], i),
                             np.arange(self.shape[1]), arr)

    def set_col(self, j, value) -> None:
        j = _as_index(j, self.shape[1], "column")
        rows, _, positions = self._c.column(j)
        values = self._stored_values(rows, self.shape[0], value, "column")
        self._c.set_at(positions, values)
        arr = np.asarray(value, dtype=np.float64)
        if self._conn.structure == "dense" and arr.shape == (self.shape[0],):
            self._dense_fill(np.arange(self.shape[0]),
                             np.full(self.shape[0], j), arr)

    # -- indexing ------------------------------------------------------------

    def __getitem__(self, key):
        if _is_colon(key):
            return self
        if _is_int(key):
            return self.get_row(key)
        if isinstance(key, tuple) and len(key) == 2:
            a, b = key
            if _is_int(a) and _is_int(b):
                return self.get_element(a, b)
            if _is_int(a) and _is_colon(b):
                return self.get_row(a)
            if _is_colon(a) and _is_int(b):
                return self.get_col(b)
        # Anything else (slices, index arrays) reads the dense matrix.
        _check_key(key)
        return self.todense()[key]

    def __setitem__(self, key, value) -> None:
        if _is_colon(key):
            arr = np.asarray(value, dtype=np.float64)
            if arr.ndim == 2:
                raise ValueError("W[:] = matrix is not supported; use "
                                 "connect(W=...) before the first run")
            self._c.set_weights(np.broadcast_to(arr, (self._c.nnz,)))
            return
        if _is_int(key):
            self.set_row(key, value)
            return
        if isinstance(key, tuple) and len(key) == 2:
            a, b = key
            if _is_int(a) and _is_int(b):
                self.set_element(a, b, value)
                return
            if _is_int(a) and _is_colon(b):
                self.set_row(a, value)
                return
            if _is_colon(a) and _is_int(b):
                self.set_col(b, value)
                return
        raise TypeError(f"only W[i, j], W[i, :], W[:, j] and W[:] can be "
                        f"set, got W[{key!r}]")

    def __repr__(self) -> str:
        return (f"<ConnectionMatrix {self.shape[0]}x{self.shape[1]}, "
                f"{self.nnz} synapses>")


class _DelayMatrix:
    """``C.delay`` of a DelayConnection: per-synapse delays in seconds
    (stored as whole steps of the target clock)."""

    def __init__(self, connection):
        self._conn = connection

    @property
    def shape(self) -> tuple[int, int]:
        return (self._conn._n_pre, self._conn._n_post)

    def _all(self):
        pre, post, w, steps = self._conn._c.synapses()
        return pre, post, w, (np.zeros(0, np.int32) if steps is None
                              else steps)

    def todense(self) -> np.ndarray:
        pre, post, _, steps = self._all()
        dense = np.zeros(self.shape)
        dense[pre, post] = steps * self._conn._delay_dt
        return dense

    def __getitem__(self, key):
        if isinstance(key, tuple) and len(key) == 2 and _is_int(key[0]) \
                and _is_int(key[1]):
            i = _as_index(key[0], self.shape[0], "row")
            j = _as_index(key[1], self.shape[1], "column")
            pre, post, _, steps = self._all()
            hit = np.flatnonzero((pre == i) & (post == j))
            return float(steps[hit[0]] * self._conn._delay_dt) if len(hit) \
                else 0.0
        return self.todense()[key]

    def __setitem__(self, key, value) -> None:
        pre, post, _, steps = self._all()
        if _is_colon(key):
            mask = np.ones(len(pre), dtype=bool)
        elif isinstance(key, tuple) and len(key) == 2:
            a, b = key
            rows = np.zeros(self.shape[0], dtype=bool)
            cols = np.zeros(self.shape[1], dtype=bool)
            rows[a] = True
            cols[b] = True
            mask = rows[pre] & cols[post]
        else:
            raise TypeError(f"cannot set delay[{key!r}]")
        seconds = np.broadcast_to(
            np.asarray([_seconds(v, "delay") for v in np.ravel(value)]
                       if np.ndim(value) else _seconds(value, "delay")),
            (int(mask.sum()),))
        steps[mask] = self._conn._delay_steps(seconds)
        if len(steps):
            self._conn._c.set_delays(steps)
