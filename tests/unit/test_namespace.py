"""The `from brianc import *` namespace (spec section 1) and import cost."""
import os
import subprocess
import sys

import numpy as np
import pytest


def star_namespace() -> dict:
    ns: dict = {}
    exec("from brianc import *", ns)
    return ns


def test_numpy_random_and_pylab_names_are_there():
    ns = star_namespace()
    for name in ("rand", "randn", "seed", "zeros", "ones", "arange",
                 "linspace", "exp", "sqrt", "array", "where",
                 "plot", "show", "subplot", "figure", "imshow", "title",
                 "xlabel", "ylabel", "legend", "hist", "savefig",
                 "NeuronGroup", "Connection", "SpikeMonitor", "run",
                 "StateMonitor", "PoissonGroup", "raster_plot", "mV", "ms"):
        assert name in ns, name


def test_brian_overrides_win():
    ns = star_namespace()
    from brianc import units
    assert ns["cm"] is units.cmetre            # not matplotlib's colormaps
    assert ns["gray"] is units.gray            # the unit, not pylab.gray()
    assert float(ns["cm"] ** -2) == pytest.approx(1e4)
    assert ns["exp"] is not np.exp             # unit-aware
    with pytest.raises(units.DimensionMismatchError):
        ns["exp"](3 * ns["mV"])
    assert float(ns["sqrt"](4 * ns["ms"])) == pytest.approx(np.sqrt(4e-3))


def test_numpy2_removed_aliases_restored():
    ns = star_namespace()
    assert ns["Inf"] == np.inf and np.isnan(ns["NaN"])
    assert ns["float_"] is np.float64
    assert ns["product"]([2, 3]) == 6
    assert ns["alltrue"]([True, True]) and ns["sometrue"]([False, True])
    assert list(ns["cumproduct"]([1, 2, 3])) == [1, 2, 6]
    assert ns["round_"](2.6) == 3


def test_python_builtins_stay_pythons():
    import builtins
    ns = star_namespace()
    for name in ("min", "max", "round", "abs", "bool", "bytes", "pow",
                 "divmod"):
        assert name not in ns, name
    code = ("from brianc import *\n"
            "assert max(1*ms, 2*ms) == 2*ms and min(3, 4) == 3\n"
            "assert abs(-3*mV) == 3*mV and round(2.4) == 2\n"
            "assert pow(2, 3) == 8 and divmod(7, 2) == (3, 1)\n"
            "import builtins\n"
            "assert bool is builtins.bool and bytes is builtins.bytes\n"
            "print(type(max(1*ms, 2*ms)).__name__)")
    assert _child(code) == "Quantity"
    # Brian 1 (NumPy 1's star import) gave NumPy's sum, any and all: ours
    # are NumPy's but for generators (test_reductions.py).
    a = np.arange(6.0).reshape(2, 3)
    for name in ("sum", "any", "all"):
        assert ns[name] is not getattr(builtins, name)
        np.testing.assert_array_equal(ns[name](a, axis=0),
                                      getattr(np, name)(a, axis=0))
    assert builtins.max is max


def test_brian1_modules_and_numpy_names():
    ns = star_namespace()
    import datetime
    import math
    import time
    import warnings
    assert ns["np"] is np and ns["sys"] is sys and ns["math"] is math
    assert ns["time"] is time and ns["warnings"] is warnings
    assert ns["datetime"] is datetime
    assert ns["AxisError"] is np.exceptions.AxisError
    assert ns["trapz"]([1, 1, 1]) == 2.0 and ns["rank"](np.ones((2, 2))) == 2
    assert ns["solve"] is np.linalg.solve and ns["norm"] is np.linalg.norm
    assert np.allclose(ns["fft"](np.ones(4)), [4, 0, 0, 0])
    assert list(ns["find"](np.array([0, 3, 0, 1]) > 0)) == [1, 3]


def test_pylab_objects_load_matplotlib_on_first_use():
    code = ("import os, sys; os.environ['MPLBACKEND'] = 'Agg'\n"
            "from brianc import *\n"
            "assert 'matplotlib' not in sys.modules\n"
            "c = Circle((0, 0), 1)\n"
            "assert isinstance(c, Circle) and 'matplotlib' in sys.modules\n"
            "import matplotlib\n"
            "rcParams['lines.linewidth'] = 3\n"
            "assert matplotlib.rcParams['lines.linewidth'] == 3\n"
            "assert mpl.rcParams is matplotlib.rcParams\n"
            "assert rcParamsDefault['lines.linewidth'] == 1.5\n"
            "class F(Formatter): pass\n"
            "assert issubclass(F, matplotlib.ticker.Formatter)\n"
            "assert callable(imread) and plt.gcf() is gcf()\n"
            "hold(True); assert ishold() and over(len, [1]) == 1\n"
            "print('ok')")
    assert _child(code) == "ok"


def test_works_without_matplotlib():
    # A finder that refuses matplotlib, as if it were not installed.
    code = ("import sys\n"
            "class NoMpl:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] == 'matplotlib':\n"
            "            raise ModuleNotFoundError(name)\n"
            "sys.meta_path.insert(0, NoMpl())\n"
            "from brianc import *\n"
            "G = NeuronGroup(2, 'dv/dt = -v/(10*ms) : volt')\n"
            "run(1*ms)\n"
            "for use in (lambda: plot([1]), lambda: Circle((0, 0), 1),\n"
            "            lambda: mpl.rcParams):\n"
            "    try:\n"
            "        use()\n"
            "    except ImportError:\n"
            "        pass\n"
            "    else:\n"
            "        raise AssertionError('no ImportError')\n"
            "print('ok')")
    assert _child(code) == "ok"


def _child(code: str, env=None) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True, env=env)
    return out.stdout.strip()


def test_import_does_not_load_matplotlib():
    assert _child("import sys, brianc; "
                  "print('matplotlib' in sys.modules)") == "False"
    assert _child("import sys; from brianc import *; "
                  "print('matplotlib' in sys.modules)") == "False"


def test_blas_threads_told_not_to_spin_unless_the_user_says():
    env = {k: v for k, v in os.environ.items()
           if k != "OPENBLAS_THREAD_TIMEOUT"}
    code = ("import os; from brianc import *; "
            "print(os.environ.get('OPENBLAS_THREAD_TIMEOUT'))")
    assert _child(code, env) == "4"
    assert _child(code, dict(env, OPENBLAS_THREAD_TIMEOUT="20")) == "20"
    # NumPy already loaded: too late to matter, so left alone
    assert _child("import numpy; " + code, env) == "None"


def test_plotting_names_load_matplotlib_on_first_use():
    code = ("import os, sys; os.environ['MPLBACKEND'] = 'Agg'\n"
            "from brianc import *\n"
            "figure(); plot([0, 1], [1, 2]); xlabel('Time (ms)')\n"
            "import matplotlib.pyplot as plt\n"
            "print(plt.gca().get_xlabel())")
    assert _child(code) == "Time (ms)"


def test_import_loads_nothing_a_script_may_not_need():
    # Import time is measured in benchmarks/bench_import.py (timing
    # assertions do not belong in tests); what keeps it low is checked
    # here: matplotlib, numpy.random, the equation compiler and SciPy
    # load on first use.
    code = ("import sys; from brianc import *; "
            "print(' '.join(m for m in ('matplotlib', 'scipy', "
            "'numpy.random', 'brianc._model', 'brianc._expr_compiler') "
            "if m in sys.modules))")
    assert _child(code) == ""


def test_numpy_random_names_load_it_on_first_use():
    code = ("import sys; from brianc import *; import numpy as np\n"
            "assert 'numpy.random' not in sys.modules\n"
            "r = RandomState(7)\n"
            "assert isinstance(r, RandomState) and "
            "type(r) is np.random.RandomState\n"
            "assert issubclass(np.random.Generator, Generator)\n"
            "assert not isinstance(3, RandomState)\n"
            "np.random.seed(2); a = rand(3); np.random.seed(2)\n"
            "assert (a == np.random.rand(3)).all()\n"
            "assert randint(5, 6) == 5 and binomial(10, 1.0) == 10\n"
            "assert rand.__name__ == 'rand' and 'numpy.random' in rand.__doc__\n"
            "print('ok')")
    assert _child(code) == "ok"

def test_import_leaves_the_collector_as_it_found_it():
    # (the collector is paused while brianc loads, everything it made is
    # frozen, and a user's gc.disable() stays)
    assert _child("import gc; from brianc import *; "
                  "print(gc.isenabled(), gc.get_freeze_count() > 1000)") \
        == "True True"
    assert _child("import gc; gc.disable(); from brianc import *; "
                  "print(gc.isenabled())") == "False"
