"""Electrophysiology: electrode and amplifier models, electrode
compensation (AEC, Lp) and the analysis of recorded traces."""
from .electrophysiology_models import *
from .trace_analysis import *
from .electrode_compensation import *
from .lp_electrodecompensation import *
