"""Connections: spikes of one group add weights to a variable of another
(Brian 1's Connection, DelayConnection, IdentityConnection).

Synapses are built in C (random ones without any Python loop) and
compressed into rows when the network first runs.  Weight functions of
(i, j) are called once per row, vectorised over j, as Brian 1 calls them.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import _core, _engine, _magic
from .units import DimensionMismatchError, Quantity, get_dimensions, second

__all__ = ["Connection", "DelayConnection", "IdentityConnection",
           "MultiConnection", "ConnectionMatrix"]


def _window(group):
    """(owner group, origin, size) of a group or subgroup."""
    owner = getattr(group, "_owner", None)
    if owner is None or not hasattr(owner, "_c"):
        raise TypeError(f"expected a neuron group, got {group!r}")
    return owner, group._origin, len(group)


def _seconds(value, what: str) -> float:
    if isinstance(value, Quantity) and get_dimensions(value) != second.dim:
        raise DimensionMismatchError(f"{what} must be a time",
                                     get_dimensions(value))
    x = float(value)
    if math.isnan(x):
        raise ValueError(f"{what} is NaN")
    return x


class ConnectionMatrix:
    """``C.W``: the weights as an (n_source, n_target) matrix in SI."""

    def __init__(self, connection: "Connection"):
        self._conn = connection

    @property
    def shape(self) -> tuple[int, int]:
        return (self._conn._n_pre, self._conn._n_post)

    def _synapses(self):
        pre, post, weight, _ = self._conn._c.synapses()
        return pre, post, weight

    def todense(self) -> np.ndarray:
        pre, post, weight = self._synapses()
        dense = np.zeros(self.shape)
        np.add.at(dense, (pre, post), weight)
        return dense

    def getnnz(self) -> int:
        return self._conn._c.nnz

    nnz = property(getnnz)

    def _index(self, i, n: int, what: str) -> np.ndarray:
        idx = np.arange(n)[i]
        return np.atleast_1d(idx)

    def __getitem__(self, key):
        if not isinstance(key, tuple) or len(key) != 2:
            raise IndexError("use W[i, j], W[i, :] or W[:, j]")
        dense_rows = self._index(key[0], self.shape[0], "row")
        dense_cols = self._index(key[1], self.shape[1], "column")
        result = self.todense()[np.ix_(dense_rows, dense_cols)]
        if np.ndim(np.arange(self.shape[0])[key[0]]) == 0 and \
                np.ndim(np.arange(self.shape[1])[key[1]]) == 0:
            return float(result[0, 0])
        return result.squeeze()

    def __setitem__(self, key, value) -> None:
        if not isinstance(key, tuple) or len(key) != 2:
            raise IndexError("use W[i, j] = w")
        rows = self._index(key[0], self.shape[0], "row")
        cols = self._index(key[1], self.shape[1], "column")
        pre, post, weight, delays = self._conn._c.synapses()
        values = np.broadcast_to(np.asarray(value, dtype=np.float64),
                                 (len(rows), len(cols)))
        existing = {}
        for k, (a, b) in enumerate(zip(pre.tolist(), post.tolist())):
            existing.setdefault((a, b), k)
        new_pre, new_post, new_w = [], [], []
        for r_pos, r in enumerate(rows.tolist()):
            for c_pos, c in enumerate(cols.tolist()):
                k = existing.get((r, c))
                if k is not None:
                    weight[k] = values[r_pos, c_pos]
                elif self._conn._compiled_once and \
                        self._conn.structure != "dynamic":
                    raise ValueError(f"cannot add synapse ({r}, {c}) to a "
                                     f"sparse connection after the network "
                                     f"has run; use structure='dynamic'")
                else:
                    new_pre.append(r)
                    new_post.append(c)
                    new_w.append(values[r_pos, c_pos])
        self._conn._c.set_weights(weight)
        if new_pre:
            self._conn._add(np.array(new_pre), np.array(new_post),
                            np.array(new_w))


class Connection:
    """Spikes of ``source`` add weights to ``state`` of ``target`` (Brian 1).

    Parameters
    ----------
    source, target : NeuronGroup or subgroup
    state : str or int
        Target variable (default: its state 0).
    delay : Quantity
        Homogeneous delay, ``int(delay/dt)`` steps as in Brian 1.
    weight, sparseness
        Shortcut for ``connect_full`` / ``connect_random`` / ``connect``.
    """

    def __init__(self, source, target, state=0, delay=0 * second,
                 modulation=None, structure="sparse", weight=None,
                 sparseness=None, max_delay=5e-3 * second, **kwds):
        if structure not in ("sparse", "dense", "dynamic"):
            raise ValueError(f"structure must be 'sparse', 'dense' or "
                             f"'dynamic', got {structure!r}")
        self.source, self.target = source, target
        src_owner, src_origin, n_pre = _window(source)
        tgt_owner, tgt_origin, n_post = _window(target)
        self._src_owner, self._tgt_owner = src_owner, tgt_owner
        self._n_pre, self._n_post = n_pre, n_post
        self.structure = structure
        self._target_row = tgt_owner._row(state, "Connection state")
        self._target_unit = tgt_owner._unit_of_row(self._target_row)
        self._c = _core.Connection(src_owner._c, src_origin, n_pre,
                                   tgt_owner._c, tgt_origin, n_post,
                                   self._target_row)
        self._seed = _engine.current_seed()
        self._stream = _engine.new_stream()
        self._draws = 0
        self._compiled_once = False
        self._dt = float(src_owner.clock.dt)
        if modulation is not None:
            self._c.modulation_var = src_owner._row(modulation,
                                                    "Connection modulation")
        self._delays_per_synapse = self._is_heterogeneous(delay)
        if self._delays_per_synapse:
            self._max_delay_steps = int(_seconds(max_delay, "max_delay") /
                                        self._dt)
            self._c.ring_slots = self._max_delay_steps + 1
            self._default_delay = delay
        else:
            steps = int(_seconds(delay, "delay") / self._dt)
            if steps < 0:
                raise ValueError(f"delay must not be negative, got {delay!r}")
            self._c.delay_steps = steps
        self.W = ConnectionMatrix(self)
        _magic.register(self)
        if weight is not None or sparseness is not None:
            weight = 1.0 if weight is None else weight
            sparseness = 1 if sparseness is None else sparseness
            if isinstance(weight, np.ndarray) and not isinstance(
                    weight, Quantity) and np.ndim(weight) == 2:
                self.connect(W=weight)
            elif sparseness == 1:
                self.connect_full(weight=weight)
            else:
                self.connect_random(weight=weight, p=sparseness)

    @staticmethod
    def _is_heterogeneous(delay) -> bool:
        return delay is True or callable(delay) or isinstance(
            delay, (tuple, list)) or (isinstance(delay, np.ndarray) and
                                      np.ndim(delay) > 0)

    # -- building ------------------------------------------------------------

    def _block(self, P, Q):
        """Row and column offsets and sizes of the block P x Q."""
        P = self.source if P is None else P
        Q = self.target if Q is None else Q
        p_owner, p_origin, n_p = _window(P)
        q_owner, q_origin, n_q = _window(Q)
        if p_owner is not self._src_owner or not (
                0 <= p_origin - self.source._origin and
                p_origin - self.source._origin + n_p <= self._n_pre):
            raise IndexError("P must be the connection's source or a "
                             "subgroup of it")
        if q_owner is not self._tgt_owner or not (
                0 <= q_origin - self.target._origin and
                q_origin - self.target._origin + n_q <= self._n_post):
            raise IndexError("Q must be the connection's target or a "
                             "subgroup of it")
        return (p_origin - self.source._origin, n_p,
                q_origin - self.target._origin, n_q)

    def _check_weight_units(self, w) -> None:
        dim = get_dimensions(w)
        target_dim = get_dimensions(self._target_unit)
        if (isinstance(w, Quantity) or hasattr(w, "dim")) and \
                dim != target_dim:
            name = self._tgt_owner._model.state_names[self._target_row]
            raise DimensionMismatchError(
                f"Incorrect unit for the synaptic weights: weights onto "
                f"{name}", dim, target_dim)

    def _weights(self, weight, pre: np.ndarray, post: np.ndarray,
                 vectorised_j_float: bool) -> np.ndarray:
        """Weights of the synapses (pre, post) local to the block."""
        if not callable(weight):
            self._check_weight_units(weight)
            w = np.asarray(weight, dtype=np.float64)
            if w.ndim == 0:
                return np.full(len(pre), float(w))
            raise TypeError("weight must be a scalar or a function of "
                            "(i, j)")
        out = np.empty(len(pre))
        if len(pre) == 0:
            return out
        try:
            n_args = weight.__code__.co_argcount
        except AttributeError:
            n_args = 2
        if n_args == 0:
            for k in range(len(pre)):
                out[k] = float(weight())
            return out
        self._check_weight_units(weight(0, 0))
        bounds = np.flatnonzero(np.diff(pre)) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [len(pre)]))
        for a, b in zip(starts.tolist(), ends.tolist()):
            i = int(pre[a])
            j = post[a:b].astype(np.float64 if vectorised_j_float else int)
            try:
                row = np.asarray(weight(i, j), dtype=np.float64)
                if row.shape != (b - a,):
                    raise ValueError
            except Exception:
                row = np.array([float(weight(i, int(jj))) for jj in j])
            out[a:b] = row
        return out

    def _delays(self, delay, n: int) -> np.ndarray | None:
        if not self._delays_per_synapse:
            if delay is not None:
                raise ValueError("per-synapse delays need a DelayConnection "
                                 "(delay=True or a range in Connection)")
            return None
        delay = self._default_delay if delay is None else delay
        if delay is True:
            seconds = np.zeros(n)
        elif isinstance(delay, (tuple, list)):
            lo, hi = (_seconds(d, "delay") for d in delay)
            seconds = lo + (hi - lo) * np.random.rand(n)
        elif callable(delay):
            seconds = np.array([_seconds(delay(), "delay") for _ in range(n)])
        else:
            seconds = np.broadcast_to(np.asarray(delay, dtype=np.float64),
                                      (n,)).copy()
        steps = (seconds * (1.0 / self._dt)).astype(np.int64)
        if np.any(seconds < 0) or np.any(np.isnan(seconds)):
            raise ValueError("delays must be non-negative times")
        if np.any(steps > self._max_delay_steps):
            raise ValueError(f"a delay exceeds max_delay "
                             f"({self._max_delay_steps * self._dt} s)")
        return steps.astype(np.int32)

    def _add(self, pre, post, weight, delay=None) -> None:
        delays = self._delays(delay, len(pre))
        if self._compiled_once and self.structure == "sparse":
            raise ValueError("cannot add synapses to a sparse connection "
                             "after the network has run; use "
                             "structure='dynamic'")
        self._c.add(np.asarray(pre, dtype=np.int32),
                    np.asarray(post, dtype=np.int32),
                    np.asarray(weight, dtype=np.float64), delays)

    def connect_random(self, P=None, Q=None, p=1.0, weight=1.0, fixed=False,
                       seed=None, sparseness=None, delay=None) -> None:
        """Each pair of P x Q is connected with probability p (Brian 1)."""
        if sparseness is not None:
            p = sparseness
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"connection probability must be in [0, 1], "
                             f"got {p}")
        r0, n_p, c0, n_q = self._block(P, Q)
        if fixed:
            k = int(p * n_p)
            rng = np.random.default_rng(seed)
            cols = []
            rows = []
            for j in range(n_q):
                chosen = np.sort(rng.choice(n_p, size=k, replace=False))
                rows.append(chosen)
                cols.append(np.full(k, j))
            pre = np.concatenate(rows) if rows else np.zeros(0, int)
            post = np.concatenate(cols) if cols else np.zeros(0, int)
            order = np.lexsort((post, pre))
            pre, post = pre[order], post[order]
        else:
            engine_seed = self._seed if seed is None else int(seed)
            stream = self._stream + self._draws
            self._draws += 1
            pre, post = _core.random_pairs(engine_seed, stream, 0, n_p, 0,
                                           n_q, p)
        w = self._weights(weight, pre, post, vectorised_j_float=False)
        self._add(pre + r0, post + c0, w, delay)

    def connect_full(self, P=None, Q=None, weight=1.0, delay=None) -> None:
        """Every pair of P x Q (zeros included)."""
        r0, n_p, c0, n_q = self._block(P, Q)
        pre = np.repeat(np.arange(n_p, dtype=np.int32), n_q)
        post = np.tile(np.arange(n_q, dtype=np.int32), n_p)
        w = self._weights(weight, pre, post, vectorised_j_float=True)
        self._add(pre + r0, post + c0, w, delay)

    def connect_one_to_one(self, P=None, Q=None, weight=1.0,
                           delay=None) -> None:
        r0, n_p, c0, n_q = self._block(P, Q)
        if n_p != n_q:
            raise AttributeError(f"connect_one_to_one needs equal sizes, got "
                                 f"{n_p} and {n_q}")
        idx = np.arange(n_p, dtype=np.int32)
        w = self._weights(weight, idx, idx, vectorised_j_float=False)
        self._add(idx + r0, idx + c0, w, delay)

    def connect(self, P=None, Q=None, W=None, delay=None) -> None:
        """Insert a dense or sparse matrix of weights (zeros stored for dense
        matrices, as Brian 1)."""
        r0, n_p, c0, n_q = self._block(P, Q)
        if W is None:
            raise TypeError("connect() needs W")
        if hasattr(W, "tocoo"):
            coo = W.tocoo()
            pre, post, w = coo.row, coo.col, coo.data
        else:
            self._check_weight_units(W)
            dense = np.asarray(W, dtype=np.float64)
            if dense.shape != (n_p, n_q):
                raise ValueError(f"W has shape {dense.shape}, expected "
                                 f"{(n_p, n_q)}")
            pre = np.repeat(np.arange(n_p), n_q)
            post = np.tile(np.arange(n_q), n_p)
            w = dense.ravel()
        self._add(np.asarray(pre) + r0, np.asarray(post) + c0, w, delay)

    # -- element access --------------------------------------------------------

    def __getitem__(self, key):
        return self.W[key]

    def __setitem__(self, key, value) -> None:
        self.W[key] = value

    def compress(self) -> None:
        self._c.compress()

    def _core_objects(self):
        self._compiled_once = True
        return [("connection", self._c, self._src_owner.clock)]

    def _reinit(self, states: bool = True) -> None:
        self._c.clear_ring()

    def __repr__(self) -> str:
        name = self._tgt_owner._model.state_names[self._target_row]
        return (f"<Connection {self._n_pre} -> {self._n_post} onto "
                f"{name}, {self._c.nnz} synapses>")


class DelayConnection(Connection):
    """A Connection with a delay per synapse (``max_delay`` bounds them)."""

    def __init__(self, source, target, state=0, modulation=None,
                 structure="sparse", weight=None, sparseness=None,
                 delay=None, max_delay=5e-3 * second, **kwds):
        super().__init__(source, target, state=state,
                         delay=True if delay is None else delay,
                         modulation=modulation, structure=structure,
                         weight=weight, sparseness=sparseness,
                         max_delay=max_delay, **kwds)


class IdentityConnection(Connection):
    """Neuron i of the source adds ``weight`` to neuron i of the target."""

    def __init__(self, source, target, state=0, weight=1.0,
                 delay=0 * second):
        if len(source) != len(target):
            raise AttributeError("IdentityConnection needs groups of equal "
                                 "size")
        super().__init__(source, target, state=state, delay=delay)
        self.connect_one_to_one(weight=weight)


class MultiConnection(Connection):
    """Brian 1 grouped connections sharing a source; each one of ours
    already propagates on its own, so this is a plain Connection."""
