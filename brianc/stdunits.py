"""Brian 1's short unit names (``mV``, ``ms``, ``nS``, ``Hz``, ``cm``...):
aliases of the same Unit objects as ``mvolt``, ``msecond``, ``nsiemens``...
"""
from __future__ import annotations

from . import units as _units

# short name -> long name in brianc.units
_SHORT_NAMES = {
    "mV": "mvolt", "mA": "mamp", "uA": "uamp", "nA": "namp", "pA": "pamp",
    "pF": "pfarad", "uF": "ufarad", "nF": "nfarad",
    "nS": "nsiemens", "uS": "usiemens",
    "ms": "msecond", "Hz": "hertz", "kHz": "khertz", "MHz": "Mhertz",
    "cm": "cmetre", "cm2": "cmetre2", "cm3": "cmetre3",
    "mm": "mmetre", "mm2": "mmetre2", "mm3": "mmetre3",
    "um": "umetre", "um2": "umetre2", "um3": "umetre3",
}

globals().update((short, getattr(_units, long_name))
                 for short, long_name in _SHORT_NAMES.items())

__all__ = list(_SHORT_NAMES)
