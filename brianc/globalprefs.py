"""Global preferences, as in Brian 1: ``set_global_preferences(useweave=True)``
and ``get_global_preference('useweave')``, with Brian 1's defaults.

Every preference Brian 1 defined is accepted.  Those that chose compiled
code (weave, code generation, C propagation, compiler options) have nothing
to choose in brianc, whose engine is always native C: setting one is
honoured as that and said once at info level, never an error.
"""
from __future__ import annotations

from .clock import Clock, define_default_clock, get_default_clock
from .log import log_info

__all__ = ["set_global_preferences", "get_global_preference",
           "get_global_preferences", "exists_global_preference",
           "define_global_preference"]

# name -> (default value, one-line description); Brian 1's defaults.
_BRIAN1_PREFERENCES = {
    "useweave": (False, "use compiled C code where defined"),
    "weavecompiler": ("gcc", "compiler for weave"),
    "gcc_options": (["-ffast-math"], "switches passed to gcc"),
    "openmp": (False, "OpenMP pragmas in generated C code"),
    "usecodegen": (False, "experimental code generation"),
    "usecodegenweave": (False, "C with experimental code generation"),
    "usecodegenstateupdate": (True, "code generation for state updaters"),
    "usecodegenreset": (False, "code generation for resets"),
    "usecodegenthreshold": (True, "code generation for thresholds"),
    "usenewpropagate": (False, "experimental C propagation"),
    "usecstdp": (False, "experimental C STDP"),
    "useweave_linear_diffeq": (False, "weave for linear equations"),
    "brianhears_usegpu": (False, "GPU in Brian Hears"),
    "magic_useframes": (True, "magic functions look in the calling frame "
                              "only"),
}

# Preferences about how code is compiled: brianc always runs native C.
COMPILATION_PREFERENCES = frozenset((
    "useweave", "weavecompiler", "gcc_options", "openmp", "usecodegen",
    "usecodegenweave", "usecodegenstateupdate", "usecodegenreset",
    "usecodegenthreshold", "usenewpropagate", "usecstdp",
    "useweave_linear_diffeq", "brianhears_usegpu"))

_values: dict = {name: default
                 for name, (default, _) in _BRIAN1_PREFERENCES.items()}
_docs: dict = {name: desc for name, (_, desc) in _BRIAN1_PREFERENCES.items()}
_told: set = set()      # compilation preferences already logged


def _set_default_clock(clock) -> None:
    # ``defaultclock`` itself (brianc's name forwards to the current
    # default clock) leaves the default as it is.
    if isinstance(clock, Clock):
        define_default_clock(clock=clock)


# Preferences that live elsewhere: name -> (getter, setter).
_LIVE = {"defaultclock": (get_default_clock, _set_default_clock)}


def set_global_preferences(**preferences) -> None:
    """Set global preferences by keyword, e.g.
    ``set_global_preferences(useweave=True, gcc_options=['-O3'])``."""
    for name, value in preferences.items():
        if name in _LIVE:
            _LIVE[name][1](value)
            continue
        _values[name] = value
        if name in COMPILATION_PREFERENCES and name not in _told:
            _told.add(name)
            log_info("brian.globalprefs",
                     f"{name}={value!r} accepted: brianc always runs its "
                     f"compiled C engine, so it changes nothing")


def get_global_preference(name: str):
    """The value of a global preference; KeyError if it was never set."""
    if name in _LIVE:
        return _LIVE[name][0]()
    try:
        return _values[name]
    except KeyError:
        raise KeyError(f"no global preference {name!r} (known: "
                       f"{', '.join(sorted(_values))})") from None


def get_global_preferences() -> dict:
    """A copy of every preference set, by name."""
    return dict(_values, **{name: get() for name, (get, _) in _LIVE.items()})


def exists_global_preference(name: str) -> bool:
    return name in _values or name in _LIVE


def define_global_preference(name: str, defaultvaluedesc: str,
                             desc: str = "") -> None:
    """Document a new preference (as Brian 1, this sets no value: follow it
    with ``set_global_preferences``)."""
    _docs[name] = f"{name} = {defaultvaluedesc}: {' '.join(desc.split())}"
