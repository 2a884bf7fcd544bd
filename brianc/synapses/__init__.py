"""Synapses (Brian 1's brian.synapses): synapses with their own state and
code, their indexing, construction and variables."""
from .synapses import Synapses
from .variable import SynapticDelayVariable, SynapticVariable

__all__ = ["Synapses", "SynapticVariable", "SynapticDelayVariable"]
