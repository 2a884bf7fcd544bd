"""Room for long expressions.

A sum of n terms parses to a tree n levels deep, and brianc's translators
walk such trees recursively; Python's default limit of 1000 frames would
stop at a few hundred terms.  Model construction and compilation run with
a higher limit, and expressions longer than ``MAX_OPERATORS`` are refused
up front with a clear error (deeper trees would risk the C stack of
Python's own parser)."""
from __future__ import annotations

import functools
import sys

__all__ = ["MAX_OPERATORS", "allow_deep_expressions", "check_length"]

MAX_OPERATORS = 20_000
_RECURSION_LIMIT = 4 * MAX_OPERATORS + 2_000


def check_length(text: str, what: str) -> None:
    """A clear error for an expression past brianc's limit."""
    if len(text) < MAX_OPERATORS:       # fewer characters than the limit
        return
    count = sum(text.count(c) for c in "+-*/")
    if count > MAX_OPERATORS:
        raise ValueError(f"{what} has {count} operators; brianc compiles "
                         f"expressions of at most {MAX_OPERATORS} (split it "
                         f"with static equations)")


def allow_deep_expressions(function):
    """Run ``function`` with a recursion limit deep enough for expressions
    of ``MAX_OPERATORS`` operators."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        old = sys.getrecursionlimit()
        if old >= _RECURSION_LIMIT:
            return function(*args, **kwargs)
        sys.setrecursionlimit(_RECURSION_LIMIT)
        try:
            return function(*args, **kwargs)
        finally:
            sys.setrecursionlimit(old)
    return wrapper
