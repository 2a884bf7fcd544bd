"""The parts of brianc's namespace whose modules load on first use.

Most scripts use a few of brianc's classes; importing every module that
``from brianc import *`` exports from would cost each script the
modules it never touches (STDP, metrics, the tools...).  The modules below
are imported when one of their names is first used: the namespace holds
stand-ins (``brianc._lazy``) for their names, and for the modules
themselves (``brianc.stdp``, ``brianc.statistics`` as Brian 1's namespace
had them).  The names are listed here, not read from the modules (that
would import them); a test keeps this table equal to each module's
``__all__``.
"""
from __future__ import annotations

import importlib

from ._lazy import LazyModule, LazyObject

__all__ = ["DEFERRED_MODULES", "DEFERRED_SUBMODULE_NAMES",
           "deferred_namespace"]

# module (relative to brianc) -> the names it exports (its __all__)
DEFERRED_MODULES = {
    "directcontrol": ("PoissonGroup", "SpikeGeneratorGroup", "PulsePacket",
                      "MultipleSpikeGeneratorGroup", "OfflinePoissonGroup"),
    "poissoninput": ("PoissonInput",),
    "timedarray": ("TimedArray", "TimedArraySetter",
                   "set_group_var_by_array"),
    "membrane_equations": ("Current", "IonicCurrent", "InjectedCurrent",
                           "MembraneEquation"),
    "compartments": ("Compartments",),
    "stdp": ("STDP", "ExponentialSTDP"),
    "stp": ("STP",),
    "linkedvar": ("linked_var", "LinkedVar"),
    "plotting": ("raster_plot", "raster_plot_spiketimes", "hist_plot"),
    "filespikemonitor": ("FileSpikeMonitor", "AERSpikeMonitor"),
    "metrics": ("VanRossumMetric", "CoincidenceCounter",
                "CoincidenceMatrixCounter"),
    "histogrammonitor": ("StateHistogramMonitor",),
    "tools.correlatedspikes": (
        "rectified_gaussian", "inv_rectified_gaussian",
        "HomogeneousCorrelatedSpikeTrains",
        "MixtureHomogeneousCorrelatedSpikeTrains", "CorrelatedSpikeTrains",
        "decompose_correlation_matrix", "mixture_process"),
    "tools.statistics": (
        "firing_rate", "CV", "correlogram", "autocorrelogram", "CCF", "ACF",
        "CCVF", "ACVF", "group_correlations", "sort_spikes",
        "total_correlation", "vector_strength", "gamma_factor",
        "get_gamma_factor_matrix", "get_gamma_factor",
        "spike_triggered_average"),
    "tools.io": ("read_neuron_dat", "read_atf", "load_aer", "save_aer"),
    "tools.tabulate": ("Tabulate", "TabulateInterp"),
    "tools.parameters": ("attribdict", "Parameters"),
    "tools.remotecontrol": ("RemoteControlServer", "RemoteControlClient"),
}

# brianc.tools' modules that Brian 1's namespace also held by their own
# name (``statistics``, ``io``...).
DEFERRED_SUBMODULE_NAMES = ("io", "parameters", "remotecontrol",
                            "statistics", "tabulate")


def _loader(module: str):
    def load():
        return importlib.import_module(module)
    return load


def deferred_namespace(package: str, home: dict) -> dict:
    """name -> stand-in for every name of DEFERRED_MODULES and for the
    modules (``home``, the package's namespace, gets each real object in
    place of its stand-in once loaded)."""
    names: dict = {}
    for module, exported in DEFERRED_MODULES.items():
        load = _loader(f"{package}.{module}")
        names.update((name, LazyObject(name, load, home))
                     for name in exported)
        if "." not in module:
            names[module] = LazyModule(module, f"{package}.{module}", home)
    for name in DEFERRED_SUBMODULE_NAMES:
        names[name] = LazyModule(name, f"{package}.tools.{name}", home)
    return names
