"""Synapses (Brian 1's brian.synapses): synapses with their own state and
code, their indexing, construction and variables."""
from .synaptic_equations import SynapticEquations
from .synapses import Synapses
from .synapticvariable import SynapticDelayVariable, SynapticVariable

__all__ = ["Synapses", "SynapticEquations", "SynapticVariable",
           "SynapticDelayVariable"]
