"""SciPy, which brianc needs only for the sparse matrices of Brian 1's
construction helpers: loaded on first use, with a clear message when it
is not installed."""
from __future__ import annotations

__all__: list[str] = []


def scipy_sparse():
    """scipy.sparse, or an ImportError that says how to get it."""
    try:
        import scipy.sparse
    except ImportError:
        raise ImportError("this Brian 1 helper builds SciPy sparse matrices: "
                          "pip install scipy") from None
    return scipy.sparse
