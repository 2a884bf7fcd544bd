"""linked_var: one group's variable set from another group's variable
every step (Brian 1 API).

``G.I = linked_var(H, 'x', func=lambda x: clip(x, 0, inf))`` copies
``func(H.x)`` into ``G.I`` in the ``when`` slot of every step.  The copy
runs in C (a ``_core.LinkedVar`` task): the value is compiled as a program
over the source group, the source variable (a state variable or a static
equation) passed through ``func`` when ``func`` is a lambda or a one-line
``def`` the expression compiler can translate.  Any other function is
called from Python in the same slot, as Brian 1 did.
"""
from __future__ import annotations

import numpy as np

from . import _core, magic
from ._program import core_program
from .base import SLOTS, slot_number
from .operation import NetworkOperation

__all__ = ["linked_var", "LinkedVar"]


class LinkedVar:
    """What ``linked_var`` returns; assigning it to a group variable
    installs the link (see ``linked_var``)."""

    def __init__(self, source, var=0, func=None, when="start", clock=None):
        slot_number(when, "linked_var")
        if func is not None and not callable(func):
            raise TypeError(f"linked_var: func must be a function of one "
                            f"argument, got {func!r}")
        self.source = source
        self.var = var
        self.func = func
        self.when = when
        self.clock = clock

    def _install_setter(self, group, name: str) -> None:
        """``group.name = linked_var(...)``: NeuronGroup's setter hook."""
        link = Link(self, group, name)
        magic.retag(link, 0)


def linked_var(source, var=0, func=None, when="start", clock=None):
    """Link a group variable to ``var`` of ``source``.

    ``G.V = linked_var(H, 'W')`` sets ``G.V`` to ``H.W`` in the ``when``
    slot of every step of ``clock`` (by default G's clock).  ``H.W`` may be
    a state variable or a static equation; ``func`` (a function of one
    array) transforms the values first.  H must have as many neurons as G
    (use subgroups otherwise) or a single neuron, whose value every neuron
    of G then takes.
    """
    return LinkedVar(source, var, func, when, clock)


# -- the link ---------------------------------------------------------------

class Link(NetworkOperation):
    """A group variable set from another group's every step (what
    assigning ``linked_var(...)`` creates); kept among the target group's
    ``contained_objects`` as in Brian 1."""

    def __init__(self, spec: LinkedVar, group, name: str):
        owner = group._owner
        source = spec.source
        if not hasattr(source, "_owner") or not hasattr(source, "state"):
            raise TypeError(f"linked_var: the source must be a group, got "
                            f"{source!r}")
        n_source, n_target = len(source), len(group)
        if n_source not in (1, n_target):
            raise ValueError(f"linked_var: {n_source} source neurons cannot "
                             f"set {n_target} target neurons (use a "
                             f"subgroup of the same size, or a source of "
                             f"one neuron)")
        self.clock = spec.clock if spec.clock is not None else owner._clock
        self.when = spec.when
        self._slot = SLOTS[spec.when]
        self.spec = spec
        self.function = None
        self.group = group
        self.var = name
        self._pass_clock = False
        row = owner._rows[name]
        self._dst = owner._state[row, group._origin:group._origin + n_target]
        self._source_name = self._resolve(source, spec.var)
        self._c = self._core_link(source, spec)
        magic.register(self, 0)
        owner.__dict__.setdefault("contained_objects", []).append(self)

    @staticmethod
    def _resolve(source, var) -> str | int:
        """The source's variable as a model name (or a state number)."""
        model = source._owner.__dict__.get("_model")
        if isinstance(var, (int, np.integer)) and not isinstance(var, bool):
            source.state(int(var))          # checks the range
            return int(var)
        if not isinstance(var, str):
            raise TypeError(f"linked_var: the source variable is a name or "
                            f"a number, got {var!r}")
        name = model.aliases.get(var, var) if model is not None else var
        source.state(name)                  # checks the name
        return name

    def _core_link(self, source, spec: LinkedVar):
        """A _core.LinkedVar doing the copy in C, or None."""
        # The expression compiler loads on first use, as for NeuronGroup:
        # importing brianc stays light.
        from ._link_program import compile_link
        from ._model import Model
        owner = source._owner
        model = owner.__dict__.get("_model")
        if not isinstance(model, Model):
            return None
        name = self._source_name
        if isinstance(name, int):
            name = model.state_names[name]
        compiled = compile_link(model, name, spec.func)
        if compiled is None:
            return None
        try:
            return _core.LinkedVar(owner._c, core_program(compiled),
                                   source._origin, len(source), self._dst,
                                   float(self.clock.dt), self._slot)
        except ValueError:      # e.g. arrays of another length
            return None

    def __call__(self) -> None:
        """Copy now (what the network does every step)."""
        if self._c is not None:
            dt = float(self.clock.dt)
            self._c.apply(int(round(float(self.clock.t) / dt)))
            return
        values = self.spec.source.state(self._source_name)
        if self.spec.func is not None:
            values = self.spec.func(values)
        self._dst[:] = values

    def _core_objects(self):
        if self._c is not None:
            return [("task", self._c, self.clock)]
        return [("operation", self, self.clock, self._slot)]

    def __repr__(self) -> str:
        return (f"<linked_var {self.var} <- {self.spec.var!r} of "
                f"{self.spec.source!r}>")
