"""The update models of five of the six demos (equations and parameters as
in shared/demos), shared by the tests that compile them; hh_model.py has
the sixth.  Names in the equations resolve in this module, as they would
in the demo script."""
from brianc._model import Model
from brianc.equations import Equations
from brianc.stdunits import mV, ms  # noqa: F401 (read by the equations)


def random_network():
    return Model('''
dv/dt = (ge+gi-(v+49*mV))/(20*ms) : volt
dge/dt = -ge/(5*ms) : volt
dgi/dt = -gi/(10*ms) : volt
''')


def synfire():
    Vr = -70 * mV                                       # noqa: F841
    taum = 10 * ms                                      # noqa: F841
    taupsp = 0.325 * ms                                 # noqa: F841
    return Model(Equations('''
dV/dt=(-(V-Vr)+x)*(1./taum) : volt
dx/dt=(-x+y)*(1./taupsp) : volt
dy/dt=-y*(1./taupsp)+25.27*mV/ms+
(39.24*mV/ms**0.5)*xi : volt
'''))


def sparse_inhibitory():
    tau = 20 * ms                                       # noqa: F841
    muext = 25 * mV                                     # noqa: F841
    sigmaext = 1 * mV                                   # noqa: F841
    return Model("dV/dt=(-V+muext+sigmaext*sqrt(tau)*xi)/tau : volt")


def topographic():
    tau = 10 * ms                                       # noqa: F841
    tau_e = 2 * ms                                      # noqa: F841
    return Model('''
dv/dt=(I-v)/tau : volt
dI/dt=-I/tau_e : volt
''')


def adaptive():
    return Model('''
dv/dt = -v/(10*ms) : volt
dvt/dt = (10*mV-vt)/(15*ms) : volt
''')
