"""The hh_network demo's equations, shared by the tests that need a costly
nonlinear model (exponential Euler, thread splits)."""
from brianc.equations import Equations
from brianc.stdunits import cm, mV, ms
from brianc.units import msiemens, siemens, ufarad, umetre

__all__ = ["hh_equations"]


def hh_equations(**kwargs) -> Equations:
    """The demo's Equations with its parameters (kwargs go to
    Equations, e.g. freeze=True)."""
    area = 20000 * umetre ** 2
    Cm = (1 * ufarad * cm ** -2) * area                 # noqa: F841
    gl = (5e-5 * siemens * cm ** -2) * area             # noqa: F841
    El, EK, ENa = -60 * mV, -90 * mV, 50 * mV           # noqa: F841
    g_na = (100 * msiemens * cm ** -2) * area           # noqa: F841
    g_kd = (30 * msiemens * cm ** -2) * area            # noqa: F841
    VT = -63 * mV                                       # noqa: F841
    taue, taui = 5 * ms, 10 * ms                        # noqa: F841
    Ee, Ei = 0 * mV, -80 * mV                           # noqa: F841
    return Equations('''
dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-g_na*(m*m*m)*h*(v-ENa)-g_kd*(n*n*n*n)*(v-EK))/Cm : volt
dm/dt = alpham*(1-m)-betam*m : 1
dn/dt = alphan*(1-n)-betan*n : 1
dh/dt = alphah*(1-h)-betah*h : 1
dge/dt = -ge*(1./taue) : siemens
dgi/dt = -gi*(1./taui) : siemens
alpham = 0.32*(mV**-1)*(13*mV-v+VT)/(exp((13*mV-v+VT)/(4*mV))-1.)/ms : Hz
betam = 0.28*(mV**-1)*(v-VT-40*mV)/(exp((v-VT-40*mV)/(5*mV))-1)/ms : Hz
alphah = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
betah = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
alphan = 0.032*(mV**-1)*(15*mV-v+VT)/(exp((15*mV-v+VT)/(5*mV))-1.)/ms : Hz
betan = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
''', **kwargs)
