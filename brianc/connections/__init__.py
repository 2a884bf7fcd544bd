"""Connections between groups (Brian 1's ``brian.connections``): the
Connection classes and the views of their weight and delay matrices."""
from .connection import Connection
from .connectionmatrix import ConnectionMatrix
from .connectionvector import ConnectionVector
from .connection import DelayConnection
from .otherconnections import IdentityConnection, MultiConnection

__all__ = ["Connection", "DelayConnection", "IdentityConnection",
           "MultiConnection", "ConnectionMatrix", "ConnectionVector"]


def __getattr__(name: str):
    # SparseMatrix needs SciPy, which only this helper of Brian 1 uses:
    # imported when first asked for, not with brianc.
    if name == "SparseMatrix":
        from .sparsematrix import SparseMatrix
        return SparseMatrix
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
