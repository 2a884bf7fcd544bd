"""SparseMatrix (Brian 1's ``brian.connections.sparsematrix``): SciPy's
row-based ``lil_matrix``, which already takes every assignment form Brian 1
added to it (``W[i, :] = x``, ``W[i, [j, k]] = [a, b]``, slices)."""
from __future__ import annotations

from ._scipy import scipy_sparse

__all__ = ["SparseMatrix"]


class SparseMatrix(scipy_sparse().lil_matrix):
    """A sparse matrix built row by row."""
