"""Brian 1's tools: analysis, input generation and running helpers.

Each tool module is imported on first use: ``brianc.tools.statistics``
works without importing it first (PEP 562), as it did when ``import
brianc`` loaded them all.
"""
import importlib as _importlib

# (those ``import brianc`` used to load; the others are imported by name)
_MODULES = ("correlatedspikes", "io", "parameters", "remotecontrol",
            "statistics", "tabulate")


def __getattr__(name):
    if name in _MODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
