"""Compartmental models (Brian 1's ``Compartments``): membrane equations
joined by axial resistances, integrated as one set of equations."""
from __future__ import annotations

from .equations import Equations
from .membrane_equations import MEMBRANE_CURRENT
from .units import check_units, ohm

__all__ = ["Compartments"]


class Compartments(Equations):
    """Equations of several compartments, initially unconnected.

    Parameters
    ----------
    comps : dict
        Compartment name -> MembraneEquation.  Every variable ``x`` of
        compartment ``name`` becomes ``x_name`` (``vm_soma``, ``I_0``); as
        in Brian 1, the MembraneEquation objects given are renamed in
        place.
    """

    def __init__(self, comps: dict):
        super().__init__("")
        for name, eqs in comps.items():
            name = str(name)
            for var in list(eqs._eqs):
                eqs.substitute(var, f"{var}_{name}")
            self += eqs

    @check_units(Ra=ohm)
    def connect(self, a, b, Ra) -> None:
        """Join compartment ``a`` to compartment ``b`` through the axial
        resistance ``Ra``: the current ``(vm_a - vm_b)/Ra`` leaves a and
        enters b."""
        a, b = str(a), str(b)
        for end in (a, b):
            if f"{MEMBRANE_CURRENT}_{end}" not in self._eqs:
                raise KeyError(f"Compartments.connect: no compartment "
                               f"{end!r} with a membrane equation")
        axial = f"Ia_{a}_{b}"
        self += Equations("Ia = (va - vb)*invRa : amp", Ia=axial,
                          va=f"vm_{a}", vb=f"vm_{b}", invRa=1.0 / Ra)
        for end, sign in ((a, "-"), (b, "+")):
            name = f"{MEMBRANE_CURRENT}_{end}"
            self.set_expression(name, self._eqs[name].expr + sign + axial)
