"""Connections: spikes of one group add weights to a variable of another
(Brian 1's Connection, DelayConnection, IdentityConnection,
MultiConnection) and the weight matrix ``C.W``.

Synapses are built in C (full and random blocks without any Python loop)
and compressed into rows when the network first runs.  Weight functions of
(i, j) are called once per row, vectorised over j, as Brian 1 calls them.
"""
from __future__ import annotations

import math
import random as _pyrandom

import numpy as np

from . import _core, _engine, _magic
from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["Connection", "DelayConnection", "IdentityConnection",
           "MultiConnection", "ConnectionMatrix", "ConnectionVector"]

_STREAMS = 256      # streams per connection (see _engine)


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


class ConnectionMatrix:
    """``C.W``: the weights as an (n_source, n_target) matrix in SI units.

    ``W[i, j]``, ``W[i, :]`` (a ConnectionVector of the stored values, or a
    dense row for ``structure='dense'``), ``W[:, j]``, ``W[:]`` read and
    write without building a dense matrix; ``todense()`` builds one."""

    def __init__(self, connection: "Connection"):
        self._conn = connection
        self._c = connection._c

    @property
    def shape(self) -> tuple[int, int]:
        return (self._conn._n_pre, self._conn._n_post)

    def todense(self) -> np.ndarray:
        return self._c.todense()

    def getnnz(self) -> int:
        return self._c.nnz

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
        w = float(value)
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
            return np.asarray(value, dtype=np.float64)
        arr = np.asarray(value, dtype=np.float64)
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

    def __init__(self, connection: "DelayConnection"):
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


class Connection:
    """Spikes of ``source`` add weights to ``state`` of ``target`` (Brian 1).

    Parameters
    ----------
    source, target : NeuronGroup or subgroup
    state : str or int
        Target variable (default: its state 0).
    delay : Quantity
        Homogeneous delay, ``int(delay/dt)`` steps of the source clock.
        ``True``, a ``(min, max)`` pair, a function, a matrix (or, as in
        Brian 1, a plain int) makes a DelayConnection.
    modulation : str or int
        Source variable multiplying each spiking neuron's row.
    structure : 'sparse', 'dense' or 'dynamic'
        Identical results; only editing after the first run differs.
    weight, sparseness
        Shortcut for ``connect`` (matrix weight), ``connect_full``
        (sparseness 1) or ``connect_random``.
    max_delay : Quantity
        Bound on the delays of a DelayConnection (default 5 ms).
    """

    def __init__(self, source, target, state=0, delay=0 * second,
                 modulation=None, structure="sparse", weight=None,
                 sparseness=None, max_delay=5e-3 * second, **kwds):
        if structure not in ("sparse", "dense", "dynamic"):
            raise ValueError(f"structure must be 'sparse', 'dense' or "
                             f"'dynamic', got {structure!r}")
        self.source, self.target = source, target
        src_owner, src_origin, n_pre = _window(source, "Connection source")
        tgt_owner, tgt_origin, n_post = _window(target, "Connection target")
        self._src_owner, self._tgt_owner = src_owner, tgt_owner
        self._n_pre, self._n_post = n_pre, n_post
        self.structure = structure
        self._target_row = tgt_owner._row(state, "Connection state")
        self.nstate = self._target_row
        self._target_unit = tgt_owner._unit_of_row(self._target_row)
        self._c = _core.Connection(src_owner._c, src_origin, n_pre,
                                   tgt_owner._c, tgt_origin, n_post,
                                   self._target_row)
        self._seed = _engine.current_seed()
        self._stream = _engine.new_stream()
        self._draws = 0
        self._compiled_once = False
        if modulation is not None:
            self._c.modulation_var = src_owner._row(modulation,
                                                    "Connection modulation")
        self.W = ConnectionMatrix(self)
        heterogeneous = self._is_heterogeneous(delay)
        if heterogeneous and not isinstance(self, DelayConnection):
            if type(self) is not Connection:
                raise ValueError(f"{type(self).__name__} takes a "
                                 f"homogeneous delay (a time)")
            # Brian 1 turns the object into a DelayConnection.
            self.__class__ = DelayConnection
        if isinstance(self, DelayConnection):
            self._setup_delays(max_delay)
            construction_delay = None if delay is True else delay
        else:
            steps = int(_seconds(delay, "delay") /
                        float(src_owner.clock.dt))
            if steps < 0:
                raise ValueError(f"Connection delay must not be negative, "
                                 f"got {delay!r}")
            self._c.delay_steps = steps
            self.delay = steps      # Brian 1 keeps the step count
            construction_delay = None
        _magic.register(self)
        if weight is not None or sparseness is not None:
            weight = 1.0 if weight is None else weight
            sparseness = 1 if sparseness is None else sparseness
            if (isinstance(weight, np.ndarray) and np.ndim(weight) == 2) or \
                    hasattr(weight, "tocoo"):
                self.connect(W=weight)
            elif sparseness == 1:
                self.connect_full(weight=weight)
            else:
                self.connect_random(weight=weight, p=sparseness)
        if construction_delay is not None:
            self.set_delays(delay=construction_delay)

    @staticmethod
    def _is_heterogeneous(delay) -> bool:
        if isinstance(delay, (bool, int, np.integer)):
            return True     # Brian 1 tests isinstance(delay, float)
        return callable(delay) or isinstance(delay, (tuple, list)) or \
            hasattr(delay, "tocoo") or \
            (isinstance(delay, np.ndarray) and np.ndim(delay) > 0)

    # -- blocks, units, weights ----------------------------------------------

    def origin(self, P, Q) -> tuple[int, int]:
        """Row and column offsets of P and Q within the matrix."""
        r0, _, c0, _ = self._block(P, Q)
        return r0, c0

    def _block(self, P, Q):
        """Row offset, rows, column offset and columns of the block P x Q."""
        P = self.source if P is None else P
        Q = self.target if Q is None else Q
        p_owner, p_origin, n_p = _window(P, "P")
        q_owner, q_origin, n_q = _window(Q, "Q")
        r0 = p_origin - self.source._origin
        c0 = q_origin - self.target._origin
        if p_owner is not self._src_owner or not (
                0 <= r0 and r0 + n_p <= self._n_pre):
            raise IndexError(f"P ({P!r}) must be the connection's source or "
                             f"a subgroup of it")
        if q_owner is not self._tgt_owner or not (
                0 <= c0 and c0 + n_q <= self._n_post):
            raise IndexError(f"Q ({Q!r}) must be the connection's target or "
                             f"a subgroup of it")
        return r0, n_p, c0, n_q

    def _check_weight_units(self, w) -> None:
        """Brian 1's check ``weight + target_unit``."""
        dim = get_dimensions(w)
        target_dim = get_dimensions(self._target_unit)
        if dim != target_dim:
            name = self._tgt_owner._model.state_names[self._target_row]
            raise DimensionMismatchError(
                f"Incorrect unit for the synaptic weights onto {name!r}",
                dim, target_dim)

    def _scalar_weight(self, weight) -> float:
        if isinstance(weight, np.ndarray) and np.ndim(weight) > 0:
            raise TypeError(f"weight must be a scalar or a function of "
                            f"(i, j), got an array of shape "
                            f"{np.shape(weight)} (use connect(W=...))")
        self._check_weight_units(weight)
        return float(weight)

    def _row_weights(self, weight, pre: np.ndarray, post: np.ndarray,
                     float_j: bool) -> np.ndarray:
        """Weights of the block-local synapses (pre, post), in row order:
        ``weight(i, j)`` once per row (j float for connect_full, int
        otherwise), falling back to one call per pair; ``weight()`` once
        per synapse."""
        out = np.empty(len(pre))
        if _n_args(weight) == 0:
            for k in range(len(pre)):
                out[k] = float(weight())
            return out
        if len(pre) == 0:
            return out
        bounds = np.flatnonzero(np.diff(pre)) + 1
        starts = np.concatenate(([0], bounds)).tolist()
        ends = np.concatenate((bounds, [len(pre)])).tolist()
        for a, b in zip(starts, ends):
            i = int(pre[a])
            j = post[a:b].astype(np.float64 if float_j else np.intp)
            try:
                row = np.asarray(weight(i, j), dtype=np.float64)
                if row.shape != (b - a,):
                    raise ValueError("wrong length")
            except Exception:
                row = np.array([float(weight(i, int(jj))) for jj in
                                post[a:b]])
            out[a:b] = row
        return out

    def _check_callable_units(self, weight) -> None:
        sample = weight() if _n_args(weight) == 0 else weight(0, 0)
        self._check_weight_units(sample)

    # -- adding synapses -------------------------------------------------------

    def _can_insert(self) -> None:
        if self._compiled_once and self.structure == "sparse":
            raise ValueError(f"{self!r}: cannot insert new synapses into a "
                             f"sparse connection after the first run; use "
                             f"structure='dynamic'")

    def _insert_new(self, pre, post, w) -> None:
        """New synapses from element or row assignment (delay 0)."""
        self._can_insert()
        delays = np.zeros(len(pre), dtype=np.int32) \
            if isinstance(self, DelayConnection) else None
        self._c.add(np.asarray(pre, dtype=np.int32),
                    np.asarray(post, dtype=np.int32),
                    np.asarray(w, dtype=np.float64), delays)

    def _add(self, pre, post, weight, delay=None, block=None) -> None:
        """Append block-local synapses moved to the block's offsets."""
        self._can_insert()
        r0, _, c0, _ = block
        delays = self._new_delays(delay, pre, post, block)
        self._c.add(np.asarray(pre, dtype=np.int64).astype(np.int32) + r0,
                    np.asarray(post, dtype=np.int64).astype(np.int32) + c0,
                    np.asarray(weight, dtype=np.float64), delays)

    def _new_delays(self, delay, pre, post, block):
        """Steps for new synapses: the given delay, else 0 (Brian 1)."""
        if not isinstance(self, DelayConnection):
            if delay is not None:
                raise ValueError("per-synapse delays need a DelayConnection "
                                 "(give delay=True or a (min, max) range)")
            return None
        if delay is None:
            return np.zeros(len(pre), dtype=np.int32)
        return self._delay_steps(self._delay_seconds(delay, pre, post,
                                                     block))

    def _constant_delay(self, delay) -> int:
        """C-side constant delay for the fast builders (-1: none)."""
        if not isinstance(self, DelayConnection):
            if delay is not None:
                raise ValueError("per-synapse delays need a DelayConnection "
                                 "(give delay=True or a (min, max) range)")
            return -1
        seconds = 0.0 if delay is None else _seconds(delay, "delay")
        return int(self._delay_steps(np.array([seconds]))[0])

    def _next_stream(self, seed) -> tuple[int, int]:
        if seed is not None:
            # An explicit seed alone decides the draw, as in Brian 1.
            return int(seed) % 2**64, 0
        engine_seed = self._seed
        k = self._draws
        self._draws += 1
        # Past 256 calls the streams would reach the next object's block:
        # change the key instead.
        engine_seed = (engine_seed + 0x9E3779B97F4A7C15 * (k // _STREAMS)) \
            % 2**64
        return engine_seed, self._stream + k % _STREAMS

    def connect_random(self, P=None, Q=None, p=1.0, weight=1.0, fixed=False,
                       seed=None, sparseness=None, delay=None) -> None:
        """Connect each pair of P x Q with probability ``p`` (Brian 1).

        Each row gets a Binomial(len(Q), p) number of distinct targets,
        self-connections included.  ``fixed=True`` gives every target
        exactly ``int(p*len(P))`` sources.  ``p`` may be a function
        ``p(i, j)`` or ``p()``; ``weight`` a scalar, ``weight(i, j)``
        (vectorised over the row's int targets) or ``weight()``."""
        if sparseness is not None:
            p = sparseness
        block = self._block(P, Q)
        r0, n_p, c0, n_q = block
        if seed is not None:
            np_state = np.random.get_state()
            py_state = _pyrandom.getstate()
            np.random.seed(seed)
            _pyrandom.seed(seed)
        try:
            self._connect_random(block, p, weight, fixed, seed, delay)
        finally:
            if seed is not None:
                np.random.set_state(np_state)
                _pyrandom.setstate(py_state)

    def _connect_random(self, block, p, weight, fixed, seed, delay) -> None:
        r0, n_p, c0, n_q = block
        if callable(weight):
            self._check_callable_units(weight)
        else:
            weight = self._scalar_weight(weight)
        if callable(p):
            pre, post = self._probability_pairs(p, n_p, n_q)
        else:
            p = float(p)
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"connection probability must be in "
                                 f"[0, 1], got {p}")
            engine_seed, stream = self._next_stream(seed)
            simple_delay = delay is None or not (
                callable(delay) or isinstance(delay, (tuple, list)) or
                np.ndim(delay) > 0 or hasattr(delay, "tocoo"))
            if not callable(weight) and simple_delay:
                self._can_insert()
                d = self._constant_delay(delay)
                if fixed:
                    self._c.add_fixed(engine_seed, stream, r0, n_p, c0, n_q,
                                      int(p * n_p), weight, d)
                else:
                    # Rows are drawn on the run threads' count; the
                    # synapses do not depend on it.
                    self._c.add_random(engine_seed, stream, r0, n_p, c0,
                                       n_q, p, weight, d,
                                       _engine.run_threads())
                return
            if fixed:
                pre, post = self._fixed_pairs(engine_seed, stream, n_p, n_q,
                                              int(p * n_p))
            else:
                pre, post = _core.random_pairs(engine_seed, stream, 0, n_p,
                                               0, n_q, p)
        if callable(weight):
            w = self._row_weights(weight, pre, post, float_j=False)
        else:
            w = np.full(len(pre), weight)
        self._add(pre, post, w, delay, block)

    def _probability_pairs(self, p, n_p: int, n_q: int):
        """Rows of a probability function: target j kept where
        ``rand() < p(i, j)`` (vectorised over j, else per pair)."""
        pres, posts = [], []
        j_all = np.arange(n_q)
        for i in range(n_p):
            if _n_args(p) == 0:
                probs = np.array([float(p()) for _ in range(n_q)])
            else:
                try:
                    probs = np.asarray(p(i, j_all), dtype=np.float64)
                    if probs.shape != (n_q,):
                        raise ValueError("wrong length")
                except Exception:
                    probs = np.array([float(p(i, j)) for j in range(n_q)])
            kept = np.flatnonzero(np.random.rand(n_q) < probs)
            pres.append(np.full(len(kept), i))
            posts.append(kept)
        return np.concatenate(pres), np.concatenate(posts)

    def _fixed_pairs(self, engine_seed, stream, n_p, n_q, k):
        """The pairs of add_fixed, in row order, for Python-side weights."""
        probe = _core.Connection(self._src_owner._c, 0, n_p,
                                 self._tgt_owner._c, 0, n_q, self._target_row)
        probe.add_fixed(engine_seed, stream, 0, n_p, 0, n_q, k, 0.0)
        pre, post, _, _ = probe.synapses()
        return pre, post

    def connect_full(self, P=None, Q=None, weight=1.0, delay=None) -> None:
        """Every pair of P x Q, zero weights included.  A function weight
        is called per row as ``weight(i, 1.*arange(len(Q)))``."""
        block = self._block(P, Q)
        r0, n_p, c0, n_q = block
        simple_delay = delay is None or not (
            callable(delay) or isinstance(delay, (tuple, list)) or
            np.ndim(delay) > 0 or hasattr(delay, "tocoo"))
        if not callable(weight) and simple_delay:
            w = self._scalar_weight(weight)
            self._can_insert()
            self._c.add_full(r0, n_p, c0, n_q, w, self._constant_delay(delay))
            return
        pre = np.repeat(np.arange(n_p, dtype=np.int32), n_q)
        post = np.tile(np.arange(n_q, dtype=np.int32), n_p)
        if callable(weight):
            self._check_callable_units(weight)
            w = self._row_weights(weight, pre, post, float_j=True)
        else:
            w = np.full(len(pre), self._scalar_weight(weight))
        self._add(pre, post, w, delay, block)

    def connect_one_to_one(self, P=None, Q=None, weight=1.0,
                           delay=None) -> None:
        """Neuron k of P onto neuron k of Q."""
        block = self._block(P, Q)
        r0, n_p, c0, n_q = block
        if n_p != n_q:
            raise AttributeError(f"connect_one_to_one needs P and Q of equal "
                                 f"sizes, got {n_p} and {n_q}")
        idx = np.arange(n_p, dtype=np.int32)
        if callable(weight):
            self._check_callable_units(weight)
            w = self._row_weights(weight, idx, idx, float_j=False)
        else:
            w = np.full(n_p, self._scalar_weight(weight))
        self._add(idx, idx, w, delay, block)

    def connect(self, P=None, Q=None, W=None, delay=None) -> None:
        """Insert a matrix of weights: a dense array stores every entry
        (zeros too, as Brian 1); a sparse matrix (anything with
        ``tocoo()``, e.g. scipy) its stored entries.  Not unit-checked."""
        if W is None:
            raise TypeError("connect() needs a weight matrix W")
        block = self._block(P, Q)
        r0, n_p, c0, n_q = block
        if hasattr(W, "tocoo"):
            coo = W.tocoo()
            if tuple(coo.shape) != (n_p, n_q):
                raise ValueError(f"W has shape {tuple(coo.shape)}, expected "
                                 f"{(n_p, n_q)}")
            order = np.lexsort((coo.col, coo.row))
            pre, post = coo.row[order], coo.col[order]
            w = np.asarray(coo.data, dtype=np.float64)[order]
        else:
            dense = np.asarray(W, dtype=np.float64)
            if dense.shape != (n_p, n_q):
                raise ValueError(f"W has shape {dense.shape}, expected "
                                 f"{(n_p, n_q)}")
            pre = np.repeat(np.arange(n_p), n_q)
            post = np.tile(np.arange(n_q), n_p)
            w = dense.ravel()
        self._add(pre, post, w, delay, block)

    # -- element access, compression -------------------------------------------

    def __getitem__(self, key):
        return self.W[key]

    def __setitem__(self, key, value) -> None:
        self.W[key] = value

    def compress(self) -> None:
        """Sort the synapses into rows now (``run`` does it anyway)."""
        self._c.compress()

    @property
    def iscompressed(self) -> bool:
        return self._c.compressed

    def _core_objects(self):
        self._compiled_once = True
        return [("connection", self._c, self._src_owner.clock)]

    def _reinit(self, states: bool = True) -> None:
        self._c.clear_ring()

    def reinit(self) -> None:
        self._c.clear_ring()

    def __repr__(self) -> str:
        name = self._tgt_owner._model.state_names[self._target_row]
        return (f"<{type(self).__name__} {self._n_pre} -> {self._n_post} "
                f"onto {name}, {self._c.nnz} synapses>")


class DelayConnection(Connection):
    """A Connection with a delay per synapse, at most ``max_delay``.

    A spike of i at step n reaches j in the after-connections phase of
    step ``n + int(delay_ij / dt)`` (a delay of 0: the same step).  Delays
    are given by ``delay=`` here or in ``connect_*``, by ``set_delays`` or
    ``C.delay[i, j] = ...``: a time, a ``(min, max)`` range drawn with
    NumPy's ``rand``, ``f()`` per synapse, ``f(i, j)`` per row, or a
    matrix.  Negative delays and delays beyond ``max_delay`` raise
    ValueError (Brian 1 wrapped them silently)."""

    def __init__(self, source, target, state=0, modulation=None,
                 structure="sparse", weight=None, sparseness=None,
                 delay=None, max_delay=5e-3 * second, **kwds):
        super().__init__(source, target, state=state,
                         delay=True if delay is None else delay,
                         modulation=modulation, structure=structure,
                         weight=weight, sparseness=sparseness,
                         max_delay=max_delay, **kwds)

    def _setup_delays(self, max_delay) -> None:
        # Brian 1 counts delays in steps of the target clock.
        self._delay_dt = float(self._tgt_owner.clock.dt)
        self.max_delay = _seconds(max_delay, "max_delay")
        if self.max_delay < 0:
            raise ValueError(f"max_delay must not be negative, got "
                             f"{max_delay!r}")
        self._max_delay_steps = int(self.max_delay / self._delay_dt)
        if self._max_delay_steps >= 65535:
            raise ValueError(f"max_delay {max_delay!r} is more than 65534 "
                             f"steps")
        self._c.ring_slots = self._max_delay_steps + 1

    @property
    def delay(self):
        return _DelayMatrix(self)

    @delay.setter
    def delay(self, value) -> None:
        if isinstance(value, _DelayMatrix):
            return
        self.set_delays(delay=value)

    def _delay_steps(self, seconds) -> np.ndarray:
        """``int(delay * (1/dt))`` as Brian 1, checked against max_delay."""
        seconds = np.asarray(seconds, dtype=np.float64)
        if np.any(np.isnan(seconds)) or np.any(seconds < 0):
            bad = seconds[np.isnan(seconds) | (seconds < 0)][0]
            raise ValueError(f"{self!r}: delays must be non-negative, got "
                             f"{bad} s")
        steps = (seconds * (1.0 / self._delay_dt)).astype(np.int64)
        if np.any(steps > self._max_delay_steps):
            raise ValueError(f"{self!r}: a delay of {seconds.max()} s "
                             f"exceeds max_delay = {self.max_delay} s; "
                             f"give a larger max_delay")
        return steps.astype(np.int32)

    def _delay_seconds(self, delay, pre, post, block) -> np.ndarray:
        """Delays in seconds of the block-local synapses (pre, post)."""
        n = len(pre)
        r0, n_p, c0, n_q = block
        if isinstance(delay, (tuple, list)) and len(delay) == 2:
            lo = _seconds(delay[0], "minimum delay")
            hi = _seconds(delay[1], "maximum delay")
            return np.random.rand(n) * (hi - lo) + lo
        if callable(delay):
            if _n_args(delay) == 0:
                return np.array([_seconds(delay(), "delay")
                                 for _ in range(n)])
            out = np.empty(n)
            if n == 0:
                return out
            bounds = np.flatnonzero(np.diff(pre)) + 1
            starts = np.concatenate(([0], bounds)).tolist()
            ends = np.concatenate((bounds, [n])).tolist()
            for a, b in zip(starts, ends):
                row = delay(int(pre[a]), np.asarray(post[a:b], dtype=np.intp))
                if hasattr(row, "dim") and get_dimensions(row) != second.dim:
                    raise DimensionMismatchError("delays must be times",
                                                 get_dimensions(row),
                                                 second.dim)
                out[a:b] = np.broadcast_to(np.asarray(row, dtype=np.float64),
                                           (b - a,))
            return out
        if hasattr(delay, "tocoo") or (isinstance(delay, np.ndarray) and
                                       np.ndim(delay) == 2):
            dense = np.asarray(delay.toarray() if hasattr(delay, "toarray")
                               else delay, dtype=np.float64)
            if dense.shape != (n_p, n_q):
                raise ValueError(f"delay matrix has shape {dense.shape}, "
                                 f"expected {(n_p, n_q)}")
            return dense[np.asarray(pre), np.asarray(post)]
        return np.full(n, _seconds(delay, "delay"))

    def set_delays(self, source=None, target=None, delay=None) -> None:
        """Set the delays of every synapse of the block source x target."""
        if delay is None or delay is True:
            return
        block = self._block(source, target)
        r0, n_p, c0, n_q = block
        pre, post, _, steps = self._c.synapses()
        if steps is None:       # no synapses yet
            self._delay_seconds(delay, pre, post, block)    # validates
            return
        mask = (pre >= r0) & (pre < r0 + n_p) & (post >= c0) & \
            (post < c0 + n_q)
        seconds = self._delay_seconds(delay, pre[mask] - r0, post[mask] - c0,
                                      block)
        steps[mask] = self._delay_steps(seconds)
        self._c.set_delays(steps)


class IdentityConnection(Connection):
    """Neuron i of the source adds ``weight`` to neuron i of the target
    (the groups must have the same size)."""

    def __init__(self, source, target, state=0, weight=1.0,
                 delay=0 * second):
        if len(source) != len(target):
            raise AttributeError(f"IdentityConnection needs groups of equal "
                                 f"size, got {len(source)} and "
                                 f"{len(target)}")
        super().__init__(source, target, state=state, delay=delay)
        self.connect_one_to_one(weight=weight)


class MultiConnection:
    """Brian 1's grouping of connections sharing a source.  Each of ours
    already propagates on its own, so this only holds the list; give the
    network either the MultiConnection or its members, not both."""

    def __init__(self, source, connections=()):
        self.source = source
        self.connections = list(connections)

    def _core_objects(self):
        entries = []
        for c in self.connections:
            entries += c._core_objects()
        return entries

    def _reinit(self, states: bool = True) -> None:
        for c in self.connections:
            c._reinit(states)
