"""Random and identity sparse matrices for ``Connection.connect`` (Brian
1's ``brian.connections.construction``).  Values may be a number or a
function, called as ``value()`` per entry or ``value(i, js)`` per row,
vectorised over the row's targets."""
from __future__ import annotations

import numpy as np

from .base import _n_args
from .sparsematrix import SparseMatrix

__all__ = ["random_row_func", "random_matrix", "random_matrix_fixed_column",
           "eye_lil_matrix"]


def _row_values(value, i: int, js: np.ndarray) -> list:
    """The values of row i's entries at columns js."""
    if not callable(value):
        return [value] * len(js)
    n_args = _n_args(value)
    if n_args == 0:
        return [value() for _ in js]
    if n_args != 2:
        raise TypeError(f"a value function takes 0 or 2 arguments (i, j), "
                        f"not {n_args}")
    if len(js) == 0:
        return []
    values = np.asarray(value(i, js), dtype=float)
    if values.shape != js.shape:       # not vectorised over j
        values = np.array([value(i, j) for j in js], dtype=float)
    return values.tolist()


def _row_targets(p, i: int, m: int) -> np.ndarray:
    """The columns of row i, each kept with probability p (a number, or
    ``p()`` / ``p(i, j)``)."""
    if not callable(p):
        k = np.random.binomial(m, p)
        return np.sort(np.random.choice(m, k, replace=False))
    n_args = _n_args(p)
    if n_args == 0:
        return np.array([j for j in range(m) if np.random.rand() < p()],
                        dtype=np.intp)
    if n_args != 2:
        raise TypeError(f"a probability function takes 0 or 2 arguments "
                        f"(i, j), not {n_args}")
    js = np.arange(m)
    probabilities = np.asarray(p(i, js), dtype=float)
    if probabilities.shape != js.shape:
        probabilities = np.array([p(i, j) for j in js], dtype=float)
    return np.flatnonzero(np.random.rand(m) < probabilities)


def _fill(n: int, m: int, rows) -> SparseMatrix:
    W = SparseMatrix((n, m))
    for i, (js, values) in enumerate(rows):
        W.rows[i] = [int(j) for j in js]
        W.data[i] = list(values)
    return W


def random_matrix(n, m, p, value=1.0) -> SparseMatrix:
    """An (n, m) sparse matrix whose entries are present with probability
    p and hold ``value``."""
    def rows():
        for i in range(n):
            js = _row_targets(p, i, m)
            yield js, _row_values(value, i, js)
    return _fill(n, m, rows())


def random_matrix_fixed_column(n, m, p, value=1.0) -> SparseMatrix:
    """An (n, m) sparse matrix with exactly ``int(p*n)`` entries in every
    column, at rows drawn without replacement."""
    k = int(p * n)
    if not 0 <= k <= n:
        raise ValueError(f"random_matrix_fixed_column: p*n = {p * n} entries "
                         f"per column do not fit in {n} rows")
    columns_of_row: list = [[] for _ in range(n)]
    for j in range(m):
        for i in np.random.choice(n, k, replace=False):
            columns_of_row[i].append(j)

    def rows():
        for i in range(n):
            js = np.array(columns_of_row[i], dtype=np.intp)
            yield js, _row_values(value, i, js)
    return _fill(n, m, rows())


def eye_lil_matrix(n) -> SparseMatrix:
    """The n x n identity as a sparse matrix."""
    W = SparseMatrix((n, n))
    W.setdiag([1.0] * n)
    return W


def random_row_func(N, p, weight=1.0, initseed=None):
    """A function of i returning row i of a random connection (dense, N
    targets, each with probability p, holding ``weight``); the same i
    always gives the same row."""
    if initseed is None:
        initseed = int(np.random.randint(100000, 1000000))
    row = np.zeros(N)

    def row_func(i):
        rng = np.random.default_rng(initseed + int(i))
        row[:] = 0.0
        k = rng.binomial(N, p)
        row[rng.choice(N, k, replace=False)] = weight
        return row
    return row_func
