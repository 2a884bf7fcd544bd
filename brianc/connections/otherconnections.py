"""IdentityConnection (one to one) and MultiConnection (several
connections sharing one source)."""
from __future__ import annotations

from ..units import second
from .connection import Connection

__all__ = ["IdentityConnection", "MultiConnection"]

class IdentityConnection(Connection):
    """Neuron i of the source adds ``weight`` to neuron i of the target
    (the groups must have the same size)."""

    def __init__(self, source, target, state=0, weight=1.0,
                 delay=0 * second):
        if len(source) != len(target):
            raise AttributeError(f"IdentityConnection needs groups of equal "
                                 f"size, got {len(source)} and "
                                 f"{len(target)}")
        super().__init__(source, target, state=state, delay=delay)
        self.connect_one_to_one(weight=weight)


class MultiConnection:
    """Brian 1's grouping of connections sharing a source.  Each of ours
    already propagates on its own, so this only holds the list; give the
    network either the MultiConnection or its members, not both."""

    def __init__(self, source, connections=()):
        self.source = source
        self.connections = list(connections)

    def _core_objects(self):
        entries = []
        for c in self.connections:
            entries += c._core_objects()
        return entries

    def _reinit(self, states: bool = True) -> None:
        for c in self.connections:
            c._reinit(states)
