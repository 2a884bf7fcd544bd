"""State updaters: brianc integrates every model in the C engine (see
_integration.py for the choice of method); this module keeps Brian 1's
model without dynamics, LazyStateUpdater."""
from __future__ import annotations

from .units import DIMENSIONLESS, Quantity

__all__ = ["LazyStateUpdater"]


class LazyStateUpdater:
    """A model of ``numstatevariables`` dimensionless variables with no
    dynamics (Brian 1): ``NeuronGroup(N, model=LazyStateUpdater(2))``;
    the variables are reached by number, ``P.state(0)``."""

    def __init__(self, numstatevariables: int = 1, clock=None):
        if int(numstatevariables) != numstatevariables or \
                numstatevariables < 0:
            raise ValueError(f"LazyStateUpdater needs a number of "
                             f"variables >= 0, got {numstatevariables!r}")
        self.numstatevariables = int(numstatevariables)
        self.clock = clock

    def __len__(self) -> int:
        return self.numstatevariables

    def __repr__(self) -> str:
        return f"LazyStateUpdater({self.numstatevariables})"


class _LazyModel:
    """What a group asks of its model, for a LazyStateUpdater."""

    def __init__(self, n_vars: int):
        self.state_names = [str(k) for k in range(n_vars)]
        self.units = {name: Quantity(1.0, DIMENSIONLESS)
                      for name in self.state_names}
        self.static_names: list = []
        self.aliases: dict = {}
        self.diff_names: list = []
