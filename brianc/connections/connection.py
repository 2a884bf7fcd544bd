"""Connection: spikes of one group add weights to a variable of another;
DelayConnection, the same with a delay per synapse (a Connection given
per-synapse delays turns into one, so the two live together).

Synapses are built in C (full and random blocks without any Python loop)
and compressed into rows when the network first runs.  Weight functions of
(i, j) are called once per row, vectorised over j, as Brian 1 calls them.
"""
from __future__ import annotations

import math
import pickle

import numpy as np

from .. import _core, _engine, magic
from .._pickling import rebuild
from ..base import magic_kind
from .._checks import finite_seconds, whole_steps
from ..group import unit_text
from ..stateview import non_finite_text
from ..units import (DimensionMismatchError, Quantity, get_dimensions,
                     known_dimensions, second)
from .base import _STREAMS, _n_args, _seconds, _window
from .connectionmatrix import ConnectionMatrix, _DelayMatrix

# Set by brianc.mpi for a network split over processes: a function giving
# the targets [first, last) of a new connection's window that this process
# builds, or None to build it whole.
_local_columns = None

__all__ = ["Connection", "DelayConnection"]

@magic_kind
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

    # Pickled as its constructor's arguments and its synapses; a subclass
    # that makes its own inputs (PoissonInput) cannot be.
    _pickled_as_synapses = True

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
        # What pickling needs to build the connection again (its synapses
        # are pickled as arrays).
        self._init_args = dict(source=source, target=target,
                               state=self._target_row, modulation=modulation,
                               structure=structure, max_delay=max_delay)
        if modulation is not None:
            self._c.modulation_var = src_owner._row(modulation,
                                                    "Connection modulation")
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
            steps = whole_steps(delay, float(src_owner.clock.dt),
                                "Connection delay")
            if steps < 0:
                raise ValueError(f"Connection delay must not be negative, "
                                 f"got {delay!r}")
            self._c.delay_steps = steps
            self.delay = steps      # Brian 1 keeps the step count
            construction_delay = None
        magic.register(self)
        # Split over processes (brianc.mpi): build only this process's
        # targets' synapses, unless the constructor draws delays over
        # every synapse (set_delays): then build whole and cut after.
        columns = _local_columns(self) if _local_columns is not None \
            else None
        if columns is not None and construction_delay is None:
            self._build_columns(columns)
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
            if columns is not None:
                self._c.compress()
                self._c.keep_columns(*columns)
                self._build_columns(columns)

    def _build_columns(self, columns: tuple[int, int]) -> None:
        """Build only the synapses onto targets [first, last) of the
        window from now on (brianc.mpi)."""
        self._c.build_columns(*columns)
        self.__dict__["_kept_columns"] = columns

    def __reduce__(self):
        self._check_whole("synapses (pickling)")
        if not self._pickled_as_synapses:
            raise pickle.PicklingError(
                f"cannot pickle {type(self).__name__} objects yet")
        delay = True if isinstance(self, DelayConnection) else \
            self._c.delay_steps * float(self._src_owner.clock.dt) * second
        args = dict(self._init_args, delay=delay)
        extras = {k: v for k, v in self.__dict__.items()
                  if not k.startswith("_") and k not in ("source", "target",
                                                         "structure",
                                                         "nstate", "delay")}
        state = {"synapses": self._c.synapses(), "extras": extras,
                 "rng": (self._seed, self._stream, self._draws),
                 "ring": self._c.ring()}
        return (rebuild, (type(self), Connection, args), state)

    def __setstate__(self, state: dict) -> None:
        pre, post, weights, delays = state["synapses"]
        self._c.add(np.asarray(pre, dtype=np.int32),
                    np.asarray(post, dtype=np.int32),
                    np.asarray(weights, dtype=np.float64),
                    None if delays is None else
                    np.asarray(delays, dtype=np.int32))
        self._seed, self._stream, self._draws = state["rng"]
        self.__dict__.update(state["extras"])
        ring = state.get("ring")
        if ring is not None:    # delayed input in flight: built, put back
            self._c.compress()
            self._c.restore_ring(ring)

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
        """Brian 1's check ``weight + target_unit``, also for an array
        made from a quantity (``ones(n)*second``: see SIArray)."""
        dim = known_dimensions(w)
        if dim is None:
            dim = get_dimensions(w)
        target_dim = get_dimensions(self._target_unit)
        if dim != target_dim:
            raise DimensionMismatchError(
                f"Incorrect unit for the synaptic weights onto "
                f"{self._tgt_owner._name}.{self._target_name()} (in "
                f"{unit_text(target_dim)}, the weights are in "
                f"{unit_text(dim)})", dim, target_dim)

    def _scalar_weight(self, weight) -> float:
        if isinstance(weight, np.ndarray) and np.ndim(weight) > 0:
            raise TypeError(f"weight must be a scalar or a function of "
                            f"(i, j), got an array of shape "
                            f"{np.shape(weight)} (use connect(W=...))")
        self._check_weight_units(weight)
        return float(self._finite_weights(np.float64(weight), "weight"))

    def _target_name(self) -> str:
        return self._tgt_owner._model.state_names[self._target_row]

    def _checked_weights(self, value, what: str) -> np.ndarray:
        """Weights written as an array: unit-checked when they carry units
        (a plain array carries none, as in Brian 1), and finite."""
        if type(value) is float or type(value) is int:     # W[i, j] = x
            if not math.isfinite(value):
                self._finite_weights(np.array([value], dtype=float), what)
            return np.float64(value)
        if known_dimensions(value) is not None:
            self._check_weight_units(value)
        return self._finite_weights(np.asarray(value, dtype=np.float64),
                                    what)

    def _finite_weights(self, values: np.ndarray, what: str) -> np.ndarray:
        if not np.isfinite(values).all():
            bad = non_finite_text(values)
            raise ValueError(f"{type(self).__name__} onto "
                             f"{self._tgt_owner._name}.{self._target_name()}"
                             f": {what} contains {bad} (weights must be "
                             f"finite)")
        return values

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
        weight = self._finite_weights(np.asarray(weight, dtype=np.float64),
                                      "the weights")
        self._c.add(np.asarray(pre, dtype=np.int64).astype(np.int32) + r0,
                    np.asarray(post, dtype=np.int64).astype(np.int32) + c0,
                    weight, delays)

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
            import random as _pyrandom     # (1 ms to import: only here)
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
            if isinstance(p, str) or np.ndim(p) != 0:
                raise TypeError(f"connection probability p must be a number "
                                f"or a function, got {p!r}")
            if (isinstance(p, Quantity) or hasattr(p, "dim")) and \
                    not get_dimensions(p).is_dimensionless():
                raise DimensionMismatchError(
                    "connection probability p must be dimensionless",
                    get_dimensions(p))
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
        ``tocoo()``, e.g. scipy) its stored entries.  A Quantity must have
        the target's units (a plain array carries none); every weight
        must be finite."""
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
            w = self._finite_weights(
                np.asarray(coo.data, dtype=np.float64), "W")[order]
        else:
            dense = self._checked_weights(W, "W")
            if dense.shape != (n_p, n_q):
                raise ValueError(f"W has shape {dense.shape}, expected "
                                 f"{(n_p, n_q)}")
            pre = np.repeat(np.arange(n_p), n_q)
            post = np.tile(np.arange(n_q), n_p)
            w = dense.ravel()
        self._add(pre, post, w, delay, block)

    # -- element access, compression -------------------------------------------

    @property
    def W(self) -> ConnectionMatrix:
        """The weight matrix, a live view (made on access, so that a
        connection and its matrix never form a reference cycle)."""
        self._check_whole("weights")
        return ConnectionMatrix(self)

    def _check_whole(self, what: str) -> None:
        """Refuse reads of a connection cut to one process's targets."""
        kept = self.__dict__.get("_kept_columns")
        if kept is not None:
            raise RuntimeError(
                f"{type(self).__name__}: under brianc.mpi each process "
                f"holds only the synapses onto its own neurons (here "
                f"targets {kept[0]} to {kept[1] - 1}), so the {what} "
                f"cannot be read or changed; with "
                f"BRIANC_MPI_WHOLE_CONNECTIONS=1 every process builds "
                f"every connection whole, which allows it before the "
                f"first run()")

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
        self.max_delay = finite_seconds(max_delay, "max_delay")
        if self.max_delay < 0:
            raise ValueError(f"max_delay must not be negative, got "
                             f"{max_delay!r}")
        steps = self.max_delay / self._delay_dt    # inf for a huge ratio
        if not steps < 65535:
            raise ValueError(f"max_delay {max_delay!r} is more than 65534 "
                             f"steps of dt = {self._delay_dt!r} s")
        self._max_delay_steps = int(steps)
        self._c.ring_slots = self._max_delay_steps + 1

    @property
    def delay(self):
        self._check_whole("delays")
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
        self._check_whole("delays")
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

