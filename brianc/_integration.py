"""Integration: Brian 1's choice of state updater and the update formulas.

Method selection follows spec 5.1; the formulas (exact linear propagator,
its 100-substep Euler fallback, forward Euler, RK2 midpoint, exponential
Euler) follow spec 5.2-5.3.  Right-hand sides are expression-DAG nodes of a
`ProgramBuilder`, analysed and rewritten here symbolically.
"""
from __future__ import annotations

import numpy as np

from ._expr_compiler import ProgramBuilder

__all__ = ["expm", "select_method", "linear_propagator", "linear_step",
           "LinearStep", "dense_matrix", "euler_propagator",
           "DagTools", "UpdateInfo"]

_LEAVES = ("const", "var", "array", "time", "symbol", "RAND", "RANDN")


class UpdateInfo:
    """How a state-update program was made.

    method: 'linear', 'linear_euler100', 'euler', 'rk2' or
    'exponential_euler'.  For the linear methods ``M`` and ``b`` (SI) define
    dX/dt = M X + b over all state variables and the step is
    X <- A X + C.  ``sigma`` maps each noisy variable to its coefficient of
    xi (SI); noise draws use sub-stream = the variable's state row.

    A plain class, not a dataclass: making a dataclass costs half a
    millisecond at import, on the first NeuronGroup of every script.
    """

    def __init__(self, method: str, dt: float, state_names: list,
                 M: np.ndarray | None = None, b: np.ndarray | None = None,
                 A: np.ndarray | None = None, C: np.ndarray | None = None,
                 sigma: dict | None = None) -> None:
        self.method = method
        self.dt = dt
        self.state_names = state_names
        self.M, self.b, self.A, self.C = M, b, A, C
        self.sigma = {} if sigma is None else sigma

    def set_dense_later(self, **makers) -> None:
        """M and A made on first use by these functions: n x n arrays that
        a model of thousands of equations should not build unasked."""
        for name, make in makers.items():
            self.__dict__.pop(name, None)
            self._makers = {**getattr(self, "_makers", {}), name: make}

    def __getattr__(self, name: str):
        makers = self.__dict__.get("_makers", {})
        if name in makers:
            value = makers[name]()
            setattr(self, name, value)
            return value
        raise AttributeError(name)

    @property
    def B(self):
        """Brian 1's ``B`` of a linear updater: the fixed point of
        dX/dt = M X + b, NotImplemented when M is singular (the 100-substep
        fallback), None for a nonlinear method."""
        if self.method == "linear_euler100":
            return NotImplemented
        if self.M is None:
            return None
        return np.linalg.solve(self.M, -self.b)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"UpdateInfo({fields})"


# ---------------------------------------------------------------------------
# Method choice (spec 5.1)

def select_method(method, implicit: bool, order: int, is_linear,
                  is_conditionally_linear) -> str:
    """'linear', 'exponential_euler', 'euler' or 'rk2'.  ``is_linear`` and
    ``is_conditionally_linear`` are callables, evaluated only if needed."""
    if isinstance(order, bool) or order not in (1, 2):
        # TypeError, as Brian 1 raises for an order it does not implement
        raise TypeError(f"Integration of order {order!r} is not "
                        f"implemented (orders 1 and 2 are)")
    if method is None or method == "linear":
        linear_allowed = True
    elif method == "Euler":
        linear_allowed, implicit, order = False, False, 1
    elif method == "RK":
        linear_allowed, implicit, order = False, False, 2
    elif method == "exponential_Euler":
        linear_allowed, implicit, order = False, True, 1
    else:
        raise AttributeError("Unknown integration method!")
    if linear_allowed and is_linear():
        return "linear"
    if implicit:
        if is_conditionally_linear():
            return "exponential_euler"
        raise TypeError("General implicit methods are not implemented yet.")
    if order == 1:
        return "euler"
    if order == 2:
        return "rk2"
    raise TypeError(f"Integration of order {order} is not implemented "
                    "(orders 1 and 2 are)")


# ---------------------------------------------------------------------------
# Linear propagators (spec 5.2)

# Coefficients of the [13/13] Pade approximant of exp (Higham 2005).
_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
           1187353796428800.0, 129060195264000.0, 10559470521600.0,
           670442572800.0, 33522128640.0, 1323241920.0, 40840800.0,
           960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152


def expm(a: np.ndarray) -> np.ndarray:
    """Matrix exponential by scaling and squaring with a [13/13] Pade
    approximant (SciPy's method; SciPy is not a dependency)."""
    a = np.asarray(a, dtype=np.float64)
    n = a.shape[0]
    if n == 0:
        return a.copy()
    norm = np.linalg.norm(a, 1)
    squarings = 0
    if norm > _THETA13:
        squarings = int(np.ceil(np.log2(norm / _THETA13)))
        a = a / 2.0 ** squarings
    c = _PADE13
    ident = np.eye(n)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (c[13] * a6 + c[11] * a4 + c[9] * a2)
             + c[7] * a6 + c[5] * a4 + c[3] * a2 + c[1] * ident)
    v = (a6 @ (c[12] * a6 + c[10] * a4 + c[8] * a2)
         + c[6] * a6 + c[4] * a4 + c[2] * a2 + c[0] * ident)
    x = np.linalg.solve(v - u, v + u)
    for _ in range(squarings):
        x = x @ x
    return x


def euler_propagator(m: np.ndarray, b: np.ndarray, dt: float,
                     substeps: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Brian 1's fallback for a singular M: 100 forward-Euler substeps,
    A = (I + dt/100 M)^100 and C from 0 by C <- E C + b dt/100."""
    delta = dt / substeps
    e = np.eye(m.shape[0]) + delta * m
    a = np.eye(m.shape[0])
    c = np.zeros(m.shape[0])
    for _ in range(substeps):
        a = e @ a
        c = e @ c + b * delta
    return a, c


def coupled_blocks(m: np.ndarray) -> list[np.ndarray]:
    """The index sets of the independent subsystems of dX/dt = M X + b
    (connected components of M's coupling graph), in order."""
    rows, cols = np.nonzero(m)
    return coupled_blocks_of(m.shape[0], rows, cols)


def coupled_blocks_of(n: int, rows: np.ndarray, cols: np.ndarray
                      ) -> list[np.ndarray]:
    """coupled_blocks for the n x n matrix whose entries that are not 0
    sit at (rows, cols): linear in n and the number of entries."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for i, j in zip(np.asarray(rows).tolist(), np.asarray(cols).tolist()):
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    blocks: dict[int, list[int]] = {}
    for i in range(n):
        blocks.setdefault(root(i), []).append(i)
    return [np.array(v) for v in blocks.values()]


def dense_matrix(n: int, rows, cols, values) -> np.ndarray:
    """The n x n matrix with ``values`` at (rows, cols), 0 elsewhere."""
    m = np.zeros((n, n))
    m[rows, cols] = values
    return m


class LinearStep:
    """X <- A X + C, the step of dX/dt = M X + b, kept as the blocks of
    its independent subsystems: ``blocks`` holds (indices, A of the
    block); the uncoupled variables are ``diagonal`` (indices, their A).
    Memory and time grow with the blocks' sizes, not with n**2."""

    def __init__(self, method: str, n: int, blocks: list, diagonal: tuple,
                 c: np.ndarray) -> None:
        self.method, self.n, self.c = method, n, c
        self.blocks, self.diagonal = blocks, diagonal

    def dense(self) -> np.ndarray:
        """A as an n x n array."""
        a = np.zeros((self.n, self.n))
        idx, values = self.diagonal
        a[idx, idx] = values
        for idx, a_k in self.blocks:
            a[np.ix_(idx, idx)] = a_k
        return a

    def entries(self) -> tuple[np.ndarray, np.ndarray]:
        """A in compressed rows: (index, values), index holding n + 1 row
        starts then each entry's column (ascending within a row), as the
        C prologue reads it.  Zeros are left out (the dense prologue skips
        them too, so both sum the same terms in the same order)."""
        per_row: list = [None] * self.n
        idx, values = self.diagonal
        for i, v in zip(idx.tolist(), values.tolist()):
            per_row[i] = ([i], [v])
        for idx, a_k in self.blocks:
            cols = idx.tolist()
            for r, i in enumerate(cols):
                row = a_k[r]
                nz = np.flatnonzero(row)
                per_row[i] = ([cols[c] for c in nz.tolist()],
                              row[nz].tolist())
        starts = [0]
        all_cols: list = []
        all_values: list = []
        for cols, vals in per_row:
            keep = [k for k, v in enumerate(vals) if v != 0.0]
            all_cols.extend(cols[k] for k in keep)
            all_values.extend(vals[k] for k in keep)
            starts.append(len(all_cols))
        index = np.array(starts + all_cols, dtype=np.int32)
        return index, np.array(all_values, dtype=np.float64)

    def prologue(self) -> tuple:
        """The program's ``linear`` argument: (A, C) dense for up to 3
        variables (the prologue's fixed-size loops), else (values, C,
        index) in compressed rows."""
        c = np.ascontiguousarray(self.c, dtype=np.float64)
        if self.n <= 3:
            return (np.ascontiguousarray(self.dense()), c)
        index, values = self.entries()
        return (values, c, index)


def linear_propagator(m: np.ndarray, b: np.ndarray, dt: float
                      ) -> tuple[str, np.ndarray, np.ndarray]:
    """(method, A, C) with X <- A X + C the exact step of dX/dt = M X + b,
    or Brian 1's Euler fallback when M is singular (dense form of
    linear_step)."""
    rows, cols = np.nonzero(m)
    step = linear_step(m.shape[0], rows, cols, m[rows, cols], b, dt)
    return step.method, step.dense(), step.c


def linear_step(n: int, rows: np.ndarray, cols: np.ndarray,
                values: np.ndarray, b: np.ndarray, dt: float) -> LinearStep:
    """The step of dX/dt = M X + b, M given by its entries that are not 0.

    Independent subsystems are solved one by one (A is block-diagonal),
    so a model of many uncoupled equations costs time linear in their
    number rather than a dense n**3 exponential."""
    blocks = coupled_blocks_of(n, rows, cols)
    where = np.empty(n, dtype=np.intp)          # position in its block
    for idx in blocks:
        where[idx] = np.arange(len(idx))

    def block_matrix(idx: np.ndarray, entries: np.ndarray) -> np.ndarray:
        m_k = np.zeros((len(idx), len(idx)))
        m_k[where[rows[entries]], where[cols[entries]]] = values[entries]
        return m_k
    block_of = np.empty(n, dtype=np.intp)
    for k, idx in enumerate(blocks):
        block_of[idx] = k
    # The entries of each block (all of a block's entries link its own
    # variables), in one sort rather than a scan per block.
    order = np.argsort(block_of[rows], kind="stable")
    bounds = np.searchsorted(block_of[rows][order], np.arange(len(blocks) + 1))
    entries_of = [order[bounds[k]:bounds[k + 1]] for k in range(len(blocks))]
    single = np.array([idx[0] for idx in blocks if len(idx) == 1],
                      dtype=np.intp)
    coupled = [(idx, entries_of[k]) for k, idx in enumerate(blocks)
               if len(idx) > 1]
    rate = np.zeros(n)
    diag = rows == cols
    rate[rows[diag]] = values[diag]
    rate = rate[single]
    if len(blocks) == 1:
        results = [_block_propagator(block_matrix(blocks[0], entries_of[0]),
                                     b, dt)]
        coupled = [(blocks[0], entries_of[0])]
        single = np.array([], dtype=np.intp)
        rate = np.zeros(0)
    else:
        results = [_block_propagator(block_matrix(idx, e), b[idx], dt)
                   for idx, e in coupled]
    c = np.zeros(n)
    if np.any(rate == 0) or any(r[0] != "linear" for r in results):
        # Brian 1 decides for the whole system: one singular block sends
        # every variable to the Euler fallback.
        euler_blocks = []
        for k, idx in enumerate(blocks):
            a_k, c_k = euler_propagator(block_matrix(idx, entries_of[k]),
                                        b[idx], dt)
            euler_blocks.append((idx, a_k))
            c[idx] = c_k
        return LinearStep("linear_euler100", n, euler_blocks,
                          (np.zeros(0, dtype=np.intp), np.zeros(0)), c)
    fixed = -b[single] / rate
    step = np.exp(rate * dt)
    c[single] = fixed - step * fixed
    out_blocks = []
    for (idx, _), (_, a_k, c_k) in zip(coupled, results):
        out_blocks.append((idx, a_k))
        c[idx] = c_k
    return LinearStep("linear", n, out_blocks, (single, step), c)


def _block_propagator(m: np.ndarray, b: np.ndarray, dt: float
                      ) -> tuple[str, np.ndarray, np.ndarray]:
    try:
        fixed = np.linalg.solve(m, -b)
    except np.linalg.LinAlgError:
        a, c = euler_propagator(m, b, dt)
        return "linear_euler100", a, c
    a = expm(m * dt)
    return "linear", a, fixed - a @ fixed


# ---------------------------------------------------------------------------
# Symbolic work on expression DAGs

class DagTools:
    """Dependency, affinity and substitution on a builder's DAG."""

    def __init__(self, b: ProgramBuilder) -> None:
        self.b = b
        self._leaves: dict[int, frozenset] = {}

    def copy(self, b: ProgramBuilder) -> "DagTools":
        """Tools for ``b``, a copy of this builder, sharing what is known
        about the nodes they have in common."""
        other = DagTools(b)
        other._leaves = self._leaves.copy()
        return other

    def leaves(self, node: int) -> frozenset:
        """Leaf nodes (vars, time, arrays, symbols, draws) below ``node``."""
        stack = [node]
        while stack:
            n = stack[-1]
            if n in self._leaves:
                stack.pop()
                continue
            kind = self.b.kind(n)
            if kind == "const":
                self._leaves[n] = frozenset()
                stack.pop()
            elif kind in _LEAVES:
                self._leaves[n] = frozenset([n])
                stack.pop()
            else:
                todo = [a for a in self.b.args(n) if a not in self._leaves]
                if todo:
                    stack.extend(todo)
                else:
                    result = frozenset()
                    for a in self.b.args(n):
                        result |= self._leaves[a]
                    self._leaves[n] = result
                    stack.pop()
        return self._leaves[node]

    def degree(self, node: int, wrt: frozenset, memo: dict) -> int:
        """0 if ``node`` does not depend on the leaves ``wrt``, 1 if it is
        affine in them, 2 otherwise."""
        if node in memo:
            return memo[node]
        if not (self.leaves(node) & wrt):
            memo[node] = 0
            return 0
        kind = self.b.kind(node)
        if kind in _LEAVES:
            result = 1
        else:
            d = [self.degree(a, wrt, memo) for a in self.b.args(node)]
            if kind in ("ADD", "SUB", "NEG", "MOV"):
                result = max(d)
            elif kind == "MUL":
                result = 2 if (d[0] and d[1]) else max(d)
            elif kind == "DIV":
                result = 2 if d[1] else d[0]
            elif kind == "FMA":     # a*b + c
                result = max(2 if (d[0] and d[1]) else max(d[0], d[1]), d[2])
            else:
                result = 2
        memo[node] = result
        return result

    def decompose(self, node: int, x: int, memo: dict):
        """(a, b) nodes with node == a*x + b and neither depending on the
        leaf ``x``, or None if ``node`` is not affine in ``x``."""
        if node in memo:
            return memo[node]
        b = self.b
        zero = b.const(0.0)
        if x not in self.leaves(node):
            result = (zero, node)
        elif node == x:
            result = (b.const(1.0), zero)
        else:
            kind = b.kind(node)
            parts = [self.decompose(a, x, memo) for a in b.args(node)]
            if any(p is None for p in parts):
                result = None
            elif kind == "ADD":
                result = (b.add(parts[0][0], parts[1][0]),
                          b.add(parts[0][1], parts[1][1]))
            elif kind == "SUB":
                result = (b.sub(parts[0][0], parts[1][0]),
                          b.sub(parts[0][1], parts[1][1]))
            elif kind == "NEG":
                result = (b.neg(parts[0][0]), b.neg(parts[0][1]))
            elif kind == "MUL":
                (a1, b1), (a2, b2) = parts
                if self._is_zero(a1):
                    result = (b.mul(b1, a2), b.mul(b1, b2))
                elif self._is_zero(a2):
                    result = (b.mul(a1, b2), b.mul(b1, b2))
                else:
                    result = None
            elif kind == "DIV":
                (a1, b1), (a2, b2) = parts
                result = ((b.div(a1, b2), b.div(b1, b2))
                          if self._is_zero(a2) else None)
            elif kind == "FMA":     # (a1 x + b1)(a2 x + b2) + (a3 x + b3)
                (a1, b1), (a2, b2), (a3, b3) = parts
                if self._is_zero(a1):
                    result = (b.add(b.mul(b1, a2), a3),
                              b.add(b.mul(b1, b2), b3))
                elif self._is_zero(a2):
                    result = (b.add(b.mul(a1, b2), a3),
                              b.add(b.mul(b1, b2), b3))
                else:
                    result = None
            else:
                result = None
        memo[node] = result
        return result

    def _is_zero(self, node: int) -> bool:
        return self.b.is_const(node) and self.b.value(node) == 0.0

    def substitute(self, node: int, mapping: dict, memo: dict) -> int:
        """``node`` with leaves replaced per ``mapping`` (leaf -> node),
        refolding constants on the way."""
        if node in memo:
            return memo[node]
        if node in mapping:
            result = mapping[node]
        elif not (self.leaves(node) & mapping.keys()):
            result = node
        else:
            args = [self.substitute(a, mapping, memo)
                    for a in self.b.args(node)]
            result = self.b.op(self.b.kind(node), *args)
        memo[node] = result
        return result
