"""brianc: Brian 1's scripting interface on Python 3, run by a C engine.

``from brianc import *`` gives what ``from brian import *`` gave: NumPy,
numpy.random and pylab names, Brian's units, and the simulator's classes,
with Brian's own names winning (``cm`` is the centimetre, ``exp`` is the
unit-aware exp).  matplotlib is only imported when a plotting name is used.
"""
# The star imports below build Brian 1's namespace on purpose.
# ruff: noqa: F401, F403, F405
import gc as _gc
import os as _os
import sys as _sys

# No cyclic collection while brianc and NumPy load: all they make lives as
# long as the process (frozen below), so each collection would only walk it
# again (about 10 ms of an import).  The few hundred objects of garbage the
# import leaves in cycles stay with it.
_gc_was_enabled = _gc.isenabled()
_gc.disable()

# OpenBLAS (NumPy's BLAS in its wheels) starts its threads as NumPy loads
# and lets them spin for about 0.1 s before they sleep: just when a script
# builds its network and starts run(), whose own threads then share a core
# with a spinner (40 ms lost on hh_network).  Idle BLAS threads that sleep
# at once cost a large product nothing; a user's own setting wins.
if "numpy" not in _sys.modules:
    _os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
import numpy as _np
from ._numpy_random import lazy_random_namespace as _lazy_random

# numpy.random's names (Brian 1 star-imported them), imported on first use.
globals().update(_lazy_random())

# NumPy's names, as `from numpy import *` gives them, but without the
# submodules NumPy loads lazily on access (f2py, testing, ...): star-
# importing NumPy would import them all and double brianc's import time.
globals().update({_name: _np.__dict__[_name] for _name in _np.__all__
                  if _name in _np.__dict__ and _name not in globals()})

try:
    from . import _core
except ImportError as exc:      # pragma: no cover - depends on the build
    if _gc_was_enabled:
        _gc.enable()
    raise ImportError(
        "brianc's C extension brianc._core is not built: run "
        "`pip install -e .` in the brianc source tree") from exc

from ._pylab import lazy_pylab_namespace as _lazy_pylab

globals().update(_lazy_pylab())

# Modules Brian 1's namespace held (all loaded already).
import datetime
import math
import sys
import time
import warnings
np = _np

# Aliases NumPy 2 removed that Brian 1 scripts still use.
Inf = inf = _np.inf
NaN = NAN = nan = _np.nan
Infinity = infty = PINF = _np.inf
NINF = -_np.inf
PZERO, NZERO = 0.0, -0.0
AxisError = _np.exceptions.AxisError
ComplexWarning = _np.exceptions.ComplexWarning
VisibleDeprecationWarning = _np.exceptions.VisibleDeprecationWarning
RankWarning = _np.exceptions.RankWarning
TooHardError = _np.exceptions.TooHardError
ModuleDeprecationWarning = _np.exceptions.ModuleDeprecationWarning
bool8 = _np.bool_
int0 = _np.intp
uint0 = _np.uintp
object0 = _np.object_
string_ = string0 = _np.bytes_
unicode_ = unicode0 = _np.str_
void0 = _np.void
cfloat = _np.complex128
singlecomplex = _np.complex64
longfloat = _np.longdouble
longcomplex = clongfloat = _np.clongdouble
trapz = _np.trapezoid
mat = _np.asmatrix
rank = _np.ndim         # NumPy 1's rank() was the number of dimensions
float_ = _np.float64
complex_ = _np.complex128
round_ = _np.round
product = _np.prod
cumproduct = _np.cumprod
alltrue = _np.all
sometrue = _np.any

from ._engine import get_num_threads, seed, set_num_threads
from .log import *
from .globalprefs import *
from .units import *
from .unitsafefunctions import *
from ._ranges import arange, linspace  # remember the unit of quantities
from ._reductions import all, any, sum  # generators: Python's own
from .stdunits import *
from .magic import *
from .clock import *
from .equations import *
from .neurongroup import *
from .threshold import *
from .reset import *
from .connections import *
from .monitor import *
from .network import *
from .synapses import *
from . import tools, utils
# STDP, the tools, metrics...: stand-ins that import their module when used
from ._deferred_names import deferred_namespace as _deferred

globals().update(_deferred(__name__, globals()))

__version__ = "0.1.0"

# Python's own builtins stay (NumPy's min/max/round/abs/bool/pow/divmod
# would shadow them: ``max(1*ms, 2*ms)`` must compare two numbers).
for _name in ("min", "max", "round", "abs", "bool", "bytes", "pow",
              "divmod"):
    globals().pop(_name, None)
del _name

# What is alive now (NumPy and brianc: modules, functions, units) lives as
# long as the process.  Taking it out of the cyclic collector's reach spares
# each full collection in the script, and the interpreter's collections at
# exit, from walking it: 13 ms off every script's end.
_gc.freeze()
if _gc_was_enabled:
    _gc.enable()
