"""Membrane equations built from currents (Brian 1's MembraneEquation,
Current, IonicCurrent, InjectedCurrent).

A MembraneEquation is ``C dvm/dt = Im`` where ``Im`` is a hidden static
equation.  A Current marks one of its variables as a membrane current by
adding the static equation ``__current_<name> = <name>`` (``-<name>`` for an
IonicCurrent, whose positive direction is outward).  Whenever currents are
added to a MembraneEquation, its ``Im`` becomes the sum of every marked
current, so ``MembraneEquation(C) + Current(...) + ...`` is an ordinary
Equations object that any NeuronGroup integrates.
"""
from __future__ import annotations

import warnings
from typing import Any

from .equations import Equations, unique_id
from .magic import user_stacklevel
from .units import amp, get_unit, have_same_dimensions, second, volt

__all__ = ["Current", "IonicCurrent", "InjectedCurrent", "MembraneEquation"]

CURRENT_PREFIX = "__current_"
SURFACIC_PREFIX = "__scurrent_"
MEMBRANE_CURRENT = "__membrane_Im"


def _as_equations(other: Any) -> Equations:
    """A string operand of + as Equations (names from the user's frame)."""
    return Equations(other) if isinstance(other, str) else other


class Current(Equations):
    """Equations defining a current that a MembraneEquation adds to its
    membrane current.

    Parameters
    ----------
    expr : str or Equations
        The equations of the current (and of its gating variables).
    current_name : str, optional
        The variable that is the current.  Without it, the only variable
        of ``expr`` is the current, else the only one in amperes (a warning
        says when there is no such single variable).
    surfacic : bool
        A current per unit area (Brian 1 accepted the flag but could not
        simulate it; brianc refuses it when it reaches a membrane).
    level, **kwds : as for Equations (renamings and values).
    """

    _sign = ""

    def __init__(self, expr: Any = "", current_name: str | None = None,
                 level: int = 0, surfacic: bool = False, **kwds: Any):
        super().__init__(expr, level=level, **kwds)
        self._prefix = SURFACIC_PREFIX if surfacic else CURRENT_PREFIX
        if current_name:
            self.set_current_name(current_name)
        elif expr != "":
            self._guess_current_name()

    def _guess_current_name(self) -> None:
        units = {name: unit for name, unit in self._units.items()
                 if name != "t"}
        if len(units) == 1:
            self.set_current_name(next(iter(units)))
            return
        currents = [name for name, unit in units.items()
                    if unit is not None and have_same_dimensions(unit, amp)]
        if len(currents) == 1:
            self.set_current_name(currents[0])
        else:
            warnings.warn("The current variable could not be found: give "
                          "current_name", stacklevel=user_stacklevel())

    def set_current_name(self, name: str | None) -> None:
        """Mark ``name`` (a fresh name if None) as the membrane current."""
        if name == "t":
            return
        if name is None:
            name = unique_id()
        if name not in self._eqs:
            raise KeyError(f"the current {name!r} is not a variable of the "
                           f"equations ({', '.join(self._eqs)})")
        self.add_eq(self._prefix + name, self._sign + name,
                    self._units[name])

    def __add__(self, other: Any) -> Equations:
        other = _as_equations(other)
        if not isinstance(other, Equations):
            return NotImplemented
        result = type(self)()
        result += self
        result += other
        return result

    def __iadd__(self, other: Any) -> Equations:
        other = _as_equations(other)
        if isinstance(other, MembraneEquation):
            # The membrane equation takes the currents (Brian 1 returned
            # the membrane equation itself, changed in place).
            return other + self
        return super().__iadd__(other)


class IonicCurrent(Current):
    """A current whose positive direction is from the inside of the cell
    to the outside: it enters the membrane equation with a minus sign."""

    _sign = "-"


InjectedCurrent = Current


class MembraneEquation(Equations):
    """``C dvm/dt = sum of the currents added to it``.

    Parameters
    ----------
    C : Quantity, optional
        The capacitance (or any factor: ``MembraneEquation(1.)`` makes the
        currents rates of change of vm).  None gives empty equations.
    **kwds : renamings and values, as for Equations
        ``MembraneEquation(200*pF, vm='V')`` names the potential V.
    """

    def __init__(self, C: Any = None, **kwds: Any):
        if C is None:
            super().__init__()
            return
        super().__init__(f"""
            dvm/dt = {MEMBRANE_CURRENT}/C : volt
            {MEMBRANE_CURRENT} = 0*unit : unit
            """, C=C, unit=get_unit(C * volt / second), **kwds)

    def __add__(self, other: Any) -> Equations:
        other = _as_equations(other)
        if not isinstance(other, Equations):
            return NotImplemented
        result = MembraneEquation()
        result += self
        result += other
        return result

    def __iadd__(self, other: Any) -> "MembraneEquation":
        result = super().__iadd__(_as_equations(other))
        if result is NotImplemented:
            return result
        self.set_membrane_current()
        return self

    def set_membrane_current(self) -> None:
        """Make the membrane current the sum of the marked currents."""
        statics = self._eq_names
        if any(name.startswith(SURFACIC_PREFIX) for name in statics):
            raise NotImplementedError(
                "surfacic currents need the membrane area, which "
                "MembraneEquation does not have (Brian 1 failed here too)")
        currents = [name for name in statics
                    if name.startswith(CURRENT_PREFIX)]
        if currents and MEMBRANE_CURRENT in self._eqs:
            self.set_expression(MEMBRANE_CURRENT, "+".join(currents))
