"""Record classes: a few named fields, compared and shown field by field.

What ``dataclasses.dataclass`` gave the compiler's records, without its
cost at import (the module itself, and generating each class's methods
with ``exec``).  A record class writes its ``__init__`` and lists the
fields its repr and equality use in ``_FIELDS``.
"""
from __future__ import annotations

__all__ = ["Record"]


class Record:
    """Base of a record class: repr, equality (same class, equal fields)
    and ``replaced``; unhashable, as a mutable dataclass."""

    _FIELDS: tuple = ()

    __hash__ = None

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}"
                           for name in self._FIELDS)
        return f"{type(self).__qualname__}({fields})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        for name in self._FIELDS:       # (as a tuple compares them)
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is not theirs and not mine == theirs:
                return False
        return True

    def replaced(self, **changes):
        """A shallow copy with some fields changed."""
        unknown = set(changes) - set(vars(self))
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field "
                            f"{sorted(unknown)[0]!r}")
        new = object.__new__(type(self))
        new.__dict__.update(vars(self))
        new.__dict__.update(changes)
        return new
