"""Brian 1's sparse construction helpers (brianc.connections.construction)
and SparseMatrix."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("scipy")

from brianc.connections import SparseMatrix  # noqa: E402
from brianc.connections.construction import (  # noqa: E402
    eye_lil_matrix, random_matrix, random_matrix_fixed_column,
    random_row_func)


def test_sparse_matrix_takes_brian1_assignments():
    W = SparseMatrix((4, 5))
    W[0, 1] = 3
    W[1, :] = 2
    W[2, [0, 4]] = [7, 8]
    W[3, 1:3] = 1
    dense = np.zeros((4, 5))
    dense[0, 1], dense[1, :], dense[2, [0, 4]], dense[3, 1:3] = 3, 2, [7, 8], 1
    assert (W.todense() == dense).all()


def test_random_matrix_density_and_values():
    np.random.seed(1)
    W = random_matrix(200, 300, 0.1, value=lambda i, j: i + j / 1000)
    n = W.nnz
    # Binomial(60000, 0.1): mean 6000, sd 73.5; 5 sd either side.
    assert abs(n - 6000) < 5 * 73.5
    rows, cols = W.nonzero()
    assert np.allclose(W.toarray()[rows, cols], rows + cols / 1000)


def test_random_matrix_probability_function():
    np.random.seed(2)
    W = random_matrix(50, 40, lambda i, j: (j < 20) * 1.0)
    _, cols = W.nonzero()
    assert W.nnz == 50 * 20 and cols.max() == 19


def test_fixed_column_has_exactly_p_n_entries_per_column():
    np.random.seed(3)
    W = random_matrix_fixed_column(100, 7, 0.25, value=2.0)
    per_column = np.asarray((W.toarray() != 0).sum(axis=0)).ravel()
    assert (per_column == 25).all() and set(W.data[0] + W.data[1]) <= {2.0}
    with pytest.raises(ValueError, match="do not fit"):
        random_matrix_fixed_column(10, 2, 1.5)


def test_eye_and_row_function():
    assert (eye_lil_matrix(3).toarray() == np.eye(3)).all()
    row = random_row_func(1000, 0.2, weight=0.5, initseed=7)
    first = row(4).copy()
    assert set(np.unique(first)) <= {0.0, 0.5}
    assert abs((first > 0).sum() - 200) < 5 * 12.7
    assert (row(4) == first).all()          # the same row every time
    with pytest.raises(TypeError, match="0 or 2 arguments"):
        random_matrix(2, 2, 1.0, value=lambda i: 1.0)
