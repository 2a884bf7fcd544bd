"""Tests for brianc._model: the programs compiled for a fixed set of models
(the six demos and models of the other unit tests, every integration
method, thresholds and resets) are exactly those recorded in EXPECTED.

The digests were recorded from commit 852b4be, before the front end was
made faster, and changed since only by new fused opcodes (MUL3OM and
DIVEXPM1AS: the HH models), by stores delayed past the last read of
their row (no final MOV: HH, nonlinear, conductances, functions) and by
a negated factor of an FMA as FNMA (the Euler and RK programs with -x/tau
terms, same bits) and by a sum with a multiply-add by constants as FMAADD
(Euler and RK steps x + (f*k0 + k1), same bits): a changed digest means a
changed program.
Instruction streams, register kinds and indices are hashed exactly;
constants, sigma and the linear system (M, b) to 12 significant digits,
so that constants folded through exp() or log() by a different libm
still compare equal.  To see the new digests after an
intended change: ``python tests/unit/test_model.py``.
"""
import hashlib
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hh_model import hh_equations  # noqa: E402
from demo_models import (adaptive, random_network,  # noqa: E402
                         sparse_inhibitory, synfire, topographic)

from brianc._model import Model  # noqa: E402
from brianc.equations import Equations  # noqa: E402
from brianc.stdunits import mV, ms, nS  # noqa: E402
from brianc.timedarray import TimedArray  # noqa: E402
# The model strings below read these names from this module.
from brianc.units import exp, farad, sqrt  # noqa: E402,F401
from numpy import (absolute, arctan, clip, floor, log,  # noqa: E402,F401
                   maximum, minimum, tanh)
from numpy.random import rand, randn  # noqa: E402,F401

DT = 0.1e-3


def _floats(values) -> str:
    return ",".join(f"{v:.12e}" for v in np.asarray(values,
                                                    float).reshape(-1))


def digest(program, info=None) -> str:
    """A short hash of everything a program (and its UpdateInfo) holds."""
    h = hashlib.sha256()
    for arr in (program.code, program.reg_kind, program.reg_index):
        h.update(np.ascontiguousarray(arr, np.int32).tobytes())
        h.update(b"|")
    h.update(_floats(program.reg_const).encode())
    h.update(f"|{program.out_reg}|".encode())
    h.update(repr([a.shape for a in program.arrays]).encode())
    h.update(repr(program.linear is not None).encode())
    if info is not None:
        h.update(f"|{info.method}|{info.state_names}|".encode())
        h.update(repr(sorted(info.sigma)).encode())
        h.update(_floats([info.sigma[k] for k in sorted(info.sigma)])
                 .encode())
        if info.M is not None:
            h.update(_floats(info.M).encode() + _floats(info.b).encode())
    return h.hexdigest()[:16]


# -- models -----------------------------------------------------------------

def hh():
    return Model(hh_equations(freeze=True), n=4000)


def cuba_static_alias():
    """Static equations, an alias, a parameter and Vm's swap."""
    El = -60 * mV                                       # noqa: F841
    tau = 20 * ms                                       # noqa: F841
    return Model('''
w : volt
dge/dt = -ge/(5*ms) : volt
dVm/dt = (El - Vm + drive)/tau : volt
drive = ge + half : volt
half = w/2 : volt
u = Vm
''')


def nonlinear():
    tau = 10 * ms                                       # noqa: F841
    return Model("dv/dt = (-v + sin(v/mV)*mV + t*mV/ms)/tau : volt\n"
                 "dw/dt = v*w/mV/tau : 1")


def conductances():
    """Conductance synapses with exp and a power: exponential Euler."""
    Ee, Ei, El = 0 * mV, -80 * mV, -60 * mV             # noqa: F841
    g = 10 * nS                                         # noqa: F841
    C = 200e-12 * farad                                 # noqa: F841
    return Model('''
dv/dt = (g*(El-v) + ge*(Ee-v) + gi*(Ei-v)
         + g*2*mV*exp(-a))/C : volt
dge/dt = -ge/(5*ms) : siemens
dgi/dt = -gi/(10*ms) : siemens
da/dt = (0.5*(v/mV + 60)**2 - a)/(100*ms) : 1
''')


def functions():
    """Functions, comparisons and conditionals, rand() and randn()."""
    return Model('''
dx/dt = (clip(x, -1, 1) - absolute(x)**1.5 + sqrt(y*y + 1) - tanh(y)
         + (x > 0.5) * 0.1 + (y if x < 0 else -y)) / (5*ms) : 1
dy/dt = (log(1 + x*x) - arctan(y) + floor(x) % 2 + 0.01*randn()
         + maximum(x, y) - minimum(x, 0.2)) / (10*ms) : 1
dz/dt = (rand() - z) / (3*ms) + 0.1*xi/sqrt(ms) : 1
''')


def with_parameters():
    """Parameters in the RHS: a singular M, Brian 1's Euler fallback."""
    return Model("dv/dt = -w*v/(10*ms) + c/(10*ms) : 1\nw : 1\nc : 1")


def with_array():
    drive = np.array([0.1, 0.2, 0.3])                   # noqa: F841
    return Model("dv/dt = (drive - v)/(10*ms) : 1", n=3)


def with_timed_array():
    from brianc.clock import Clock
    # A TimedArray carries no units (Brian 1): I(t) is dimensionless.
    I = TimedArray(np.arange(5.0) * mV, dt=1 * ms)      # noqa: F841
    m = Model("dv/dt = (I(t) - v)/(10*ms) : 1", n=2)
    m.clock = Clock(dt=0.1 * ms)
    return m


UPDATES = [
    ("hh", hh, {"implicit": True}),
    ("hh_rk", hh, {"method": "RK"}),
    ("hh_euler", hh, {"method": "Euler"}),
    ("random_network", random_network, {}),
    ("random_network_expeuler", random_network,
     {"method": "exponential_Euler"}),
    ("synfire", synfire, {}),
    ("synfire_rk", synfire, {"method": "RK"}),
    ("sparse_inhibitory", sparse_inhibitory, {}),
    ("sparse_inhibitory_implicit", sparse_inhibitory, {"implicit": True}),
    ("topographic", topographic, {}),
    ("topographic_rk", topographic, {"method": "RK"}),
    ("adaptive", adaptive, {}),
    ("cuba_static_alias", cuba_static_alias, {}),
    ("cuba_static_alias_euler", cuba_static_alias, {"method": "Euler"}),
    ("nonlinear", nonlinear, {}),
    ("nonlinear_rk", nonlinear, {"order": 2}),
    ("conductances", conductances, {"implicit": True}),
    ("conductances_rk", conductances, {"method": "RK"}),
    ("functions", functions, {}),
    ("with_parameters", with_parameters, {}),
    ("with_parameters_expeuler", with_parameters,
     {"method": "exponential_Euler"}),
    ("with_array", with_array, {}),
    ("with_timed_array", with_timed_array, {}),
]

OTHERS = [
    ("adaptive_reset", lambda: adaptive().compile_statements(
        "v=0*mV\nvt+=3*mV")),
    ("adaptive_threshold", lambda: adaptive().compile_condition("v>vt")),
    ("hh_threshold", lambda: hh().compile_condition(
        "v > -20*mV and m > 0.5 or rand() < 0.01")),
    ("hh_reset", lambda: hh().compile_statements(
        "v = El; m *= 0.5\nh -= 0.1*betah/kHz", {"El": -60 * mV})),
    ("cuba_static", lambda: cuba_static_alias().compile_static("drive")),
    ("cuba_threshold", lambda: cuba_static_alias().compile_condition(
        "u > half + 5*mV")),
]

EXPECTED = {
    'hh': 'da3bd27e7ceadbe5',
    'hh_rk': '6f94af40c41df476',
    'hh_euler': '9fc8b1748085fe93',
    'random_network': 'c23be5f57dda5192',
    'random_network_expeuler': '5a2a45358854b6ae',
    'synfire': 'b3a79bead13b3bab',
    'synfire_rk': 'f6a7767f06ecd078',
    'sparse_inhibitory': 'f29e29cac84e2272',
    'sparse_inhibitory_implicit': 'fee71c27d3bb0f9c',
    'topographic': '69a8fa6f346e6015',
    'topographic_rk': 'd93a58c92793f3b8',
    'adaptive': '2dadeea11ce1c02c',
    'cuba_static_alias': 'a2130f9e148934a6',
    'cuba_static_alias_euler': '13863e14b6436f1e',
    'nonlinear': 'b6a98cdc34dce824',
    'nonlinear_rk': 'ea1ca1aa0c3cf3d9',
    'conductances': '90cab74aa969bde8',
    'conductances_rk': 'cbe5c0df92f17129',
    'functions': '2bda4355111fd79c',
    'with_parameters': 'bab83972128c6dba',
    'with_parameters_expeuler': 'aa57e2b4a302c104',
    'with_array': '309e5c9f685e4bb4',
    'with_timed_array': '038b62bc2ec97e30',
    'adaptive_reset': 'db46ca5399d2d910',
    'adaptive_threshold': 'a217cf66192e7826',
    'hh_threshold': 'db8de5f41ca098e1',
    'hh_reset': 'c784d217e1a3c1de',
    'cuba_static': '0e9c156ec425de2d',
    'cuba_threshold': '4fd66ad3886e8ebe',
}


def all_digests() -> dict:
    result = {}
    for name, make, kwargs in UPDATES:
        result[name] = digest(*make().compile_update(DT, **kwargs))
    for name, make in OTHERS:
        result[name] = digest(make())
    return result


@pytest.mark.parametrize("name, make, kwargs", UPDATES,
                         ids=[u[0] for u in UPDATES])
def test_update_programs_unchanged(name, make, kwargs):
    program, info = make().compile_update(DT, **kwargs)
    assert digest(program, info) == EXPECTED[name]


@pytest.mark.parametrize("name, make", OTHERS, ids=[o[0] for o in OTHERS])
def test_other_programs_unchanged(name, make):
    assert digest(make()) == EXPECTED[name]


def test_analysis_does_not_change_the_update():
    """Asking for the analysis first (noise, linearity, derivatives) or
    compiling twice gives the same program as compiling straight away."""
    fresh = digest(*hh().compile_update(DT, implicit=True))
    m = hh()
    assert m.noise == {} and not m.is_linear()
    assert m.is_conditionally_linear()
    m.derivatives({"v": -0.06})
    assert digest(*m.compile_update(DT, implicit=True)) == fresh
    assert digest(*m.compile_update(DT, implicit=True)) == fresh
    assert digest(*m.compile_update(DT, method="RK")) == EXPECTED["hh_rk"]


if __name__ == "__main__":
    for key, value in all_digests().items():
        print(f"    {key!r}: {value!r},")
