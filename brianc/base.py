"""What every simulated object shares: the schedule slots of a time step
and the kinds of object that Brian 1's magic ``run()`` collects.

This module sits below every class a network runs, so that groups,
connections, monitors and operations can declare themselves here and the
network can find them without importing each of them.
"""
from __future__ import annotations

__all__: list[str] = []

# Schedule slots of a time step, in the core's numbering (network.h).
SLOTS = {"start": 0, "before_groups": 1, "after_groups": 2, "middle": 3,
         "before_connections": 4, "after_connections": 5,
         "before_resets": 6, "after_resets": 7, "end": 8}

# The classes whose instances magic run() collects, in the order they were
# declared.  Brian 1 collected per kind: the objects of each kind come from
# the innermost frame that created any object of that kind.
_MAGIC_KINDS: list[type] = []


def slot_number(when: str, what: str) -> int:
    """The core's number for a ``when`` slot, or a clear error."""
    if when not in SLOTS:
        raise ValueError(f"{what}: when must be one of {', '.join(SLOTS)}, "
                         f"got {when!r}")
    return SLOTS[when]


def attributes_repr(obj: object) -> str:
    """``Name(attr=value, ...)`` from an object's public attributes: the
    repr of Brian 1's thresholds and resets, whatever their subclass."""
    public = ", ".join(f"{name}={value!r}" for name, value in vars(obj).items()
                       if not name.startswith("_"))
    return f"{type(obj).__name__}({public})"


def magic_kind(cls: type) -> type:
    """Class decorator: magic run() collects the instances of cls."""
    _MAGIC_KINDS.append(cls)
    return cls


# The order in which magic run() lists the kinds' objects: the order their
# modules defined them in when ``import brianc`` loaded every module.  A
# kind whose module now loads on first use (PoissonGroup's) keeps its
# place; kinds not listed follow, in the order they were defined.
_KIND_ORDER = ("NeuronGroup", "Connection", "NetworkOperation",
               "_InputGroup", "Monitor", "Synapses")


def magic_kinds() -> tuple[type, ...]:
    rank = {name: i for i, name in enumerate(_KIND_ORDER)}
    return tuple(sorted(_MAGIC_KINDS,
                        key=lambda cls: rank.get(cls.__name__, len(rank))))
