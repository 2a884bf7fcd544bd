"""Brian 1's model library: integrate-and-fire models (``IF``), synapse
kernels (``synapses``), Hodgkin-Huxley currents (``ionic_currents``) and
the Ornstein-Uhlenbeck process (``random_processes``).  As in Brian 1, a
script imports the module it needs: ``from brianc.library.IF import *``."""
