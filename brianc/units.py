"""Brian 1's unit names: every SI base and derived unit (volt, siemens,
hertz...) with each of the 20 prefixes and the powers 2 and 3
(32 names x 21 prefixes x 3 powers = 2016 names: ``mvolt``, ``cmetre2``).

Values are held in SI base units: ``float(mvolt) == 0.001``.  The classes
(Quantity, Unit, Dimension) live in ``brianc.fundamentalunits`` and are
re-exported here, as Brian 1's ``brian.units`` did.
"""
from __future__ import annotations

from . import fundamentalunits as _fu
from .fundamentalunits import *  # noqa: F401,F403
from .fundamentalunits import (DIMENSIONLESS, _NO_DISPLAY_PREFIXES,  # noqa: F401
                               _PREFIX_VALUE,
                               _PREFIXES, _UNITS_BY_NAME, Unit,
                               _additional_units, _f64new, _make_dim,
                               _standard_units, array_unit_tag,
                               known_dimensions)
# The equation checker finds the unit-aware functions here (as attributes,
# not exported: Brian 1's units module exported only units).
from .unitsafefunctions import *  # noqa: F401,F403
from .unitsafefunctions import UNITSAFE_FUNCTIONS  # noqa: F401

# name, display name, value in SI, exponents (m, kg, s, A, K, mol, cd);
# Brian 1's order, which decides which unit wins in display (gram first).
_BASE_UNITS = (
    ("metre", "m", 1.0, (1, 0, 0, 0, 0, 0, 0)),
    ("meter", "m", 1.0, (1, 0, 0, 0, 0, 0, 0)),
    ("gram", "g", 1e-3, (0, 1, 0, 0, 0, 0, 0)),
    ("second", "s", 1.0, (0, 0, 1, 0, 0, 0, 0)),
    ("amp", "A", 1.0, (0, 0, 0, 1, 0, 0, 0)),
    ("kelvin", "K", 1.0, (0, 0, 0, 0, 1, 0, 0)),
    ("mole", "mol", 1.0, (0, 0, 0, 0, 0, 1, 0)),
    ("candle", "cd", 1.0, (0, 0, 0, 0, 0, 0, 1)),
    ("gramme", "g", 1e-3, (0, 1, 0, 0, 0, 0, 0)),
    ("kilogram", "kg", 1.0, (0, 1, 0, 0, 0, 0, 0)),
    ("radian", "rad", 1.0, (0, 0, 0, 0, 0, 0, 0)),
    ("steradian", "sr", 1.0, (0, 0, 0, 0, 0, 0, 0)),
    ("hertz", "Hz", 1.0, (0, 0, -1, 0, 0, 0, 0)),
    ("newton", "N", 1.0, (1, 1, -2, 0, 0, 0, 0)),
    ("pascal", "Pa", 1.0, (-1, 1, -2, 0, 0, 0, 0)),
    ("joule", "J", 1.0, (2, 1, -2, 0, 0, 0, 0)),
    ("watt", "W", 1.0, (2, 1, -3, 0, 0, 0, 0)),
    ("coulomb", "C", 1.0, (0, 0, 1, 1, 0, 0, 0)),
    ("volt", "V", 1.0, (2, 1, -3, -1, 0, 0, 0)),
    ("farad", "F", 1.0, (-2, -1, 4, 2, 0, 0, 0)),
    ("ohm", "ohm", 1.0, (2, 1, -3, -2, 0, 0, 0)),
    ("siemens", "S", 1.0, (-2, -1, 3, 2, 0, 0, 0)),
    ("weber", "Wb", 1.0, (2, 1, -2, -1, 0, 0, 0)),
    ("tesla", "T", 1.0, (0, 1, -2, -1, 0, 0, 0)),
    ("henry", "H", 1.0, (2, 1, -2, -2, 0, 0, 0)),
    ("celsius", "degC", 1.0, (0, 0, 0, 0, 1, 0, 0)),
    ("lumen", "lm", 1.0, (0, 0, 0, 0, 0, 0, 1)),
    ("lux", "lx", 1.0, (-2, 0, 0, 0, 0, 0, 1)),
    ("becquerel", "Bq", 1.0, (0, 0, -1, 0, 0, 0, 0)),
    ("gray", "Gy", 1.0, (2, 0, -2, 0, 0, 0, 0)),
    ("sievert", "Sv", 1.0, (2, 0, -2, 0, 0, 0, 0)),
    ("katal", "kat", 1.0, (0, 0, -1, 0, 0, 1, 0)),
)


def _new_unit(value, dim, name, dispname):
    """Unregistered standard Unit (import-time fast path)."""
    u = _f64new(Unit, value)
    u.dim = dim
    u.name = name
    u.dispname = dispname
    u.iscompound = False
    return u


def _build_unit_names():
    """Create the 2016 standard units; return (names in order, registry)."""
    units = _UNITS_BY_NAME
    base, scaled, powered, powered_scaled = [], [], [], []
    for name, disp, value, exps in _BASE_UNITS:
        dim = _make_dim(tuple(float(e) for e in exps))
        dim2, dim3 = dim ** 2, dim ** 3
        for prefix in ("",) + _PREFIXES:
            v = value * _PREFIX_VALUE[prefix]
            pname, pdisp = prefix + name, prefix + disp
            u1 = _new_unit(v, dim, pname, pdisp)
            u2 = _new_unit(v ** 2, dim2, pname + "2", pdisp + "^2")
            u3 = _new_unit(v ** 3, dim3, pname + "3", pdisp + "^3")
            units[pname] = u1
            units[pname + "2"] = u2
            units[pname + "3"] = u3
            if not prefix:
                base.append(u1)
                powered += (u2, u3)
            elif prefix not in _NO_DISPLAY_PREFIXES:
                scaled.append(u1)
                powered_scaled += (u2, u3)
    _standard_units.extend(base + scaled + powered + powered_scaled)
    return units


globals().update(_build_unit_names())
UNIT_NAMES = tuple(_UNITS_BY_NAME)       # the 2016 names, for tests and docs
__all__ = _fu.__all__ + list(UNIT_NAMES)

# Compound units Brian 1 tries last when choosing a display unit.
_u = _UNITS_BY_NAME
_additional_units.extend((
    _u["pascal"] * _u["second"], _u["newton"] * _u["metre"],
    _u["watt"] / _u["metre"] ** 2, _u["joule"] / _u["kelvin"],
    _u["joule"] / (_u["kilogram"] * _u["kelvin"]),
    _u["joule"] / _u["kilogram"], _u["watt"] / (_u["metre"] * _u["kelvin"]),
    _u["joule"] / _u["metre"] ** 3, _u["volt"] / _u["metre"] ** 3,
    _u["coulomb"] / _u["metre"] ** 3, _u["coulomb"] / _u["metre"] ** 2,
    _u["farad"] / _u["metre"], _u["henry"] / _u["metre"],
    _u["joule"] / _u["mole"], _u["joule"] / (_u["mole"] * _u["kelvin"]),
    _u["coulomb"] / _u["kilogram"], _u["gray"] / _u["second"],
    _u["katal"] / _u["metre"] ** 3))
del _u

_fu._auto_register = True
