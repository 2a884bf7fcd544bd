"""Every name ``from brianc import *`` gave before some modules became
lazy is still given, and each lazy name becomes its real object on use.

``data/star_names.txt`` lists the star namespace's names other than
NumPy's (``numpy.__all__`` depends on the NumPy version) and the unit
names (``brianc.units.UNIT_NAMES``), as the eagerly importing package gave
them; ``python tests/unit/test_star_names.py`` rewrites it from the
current code (only when names are added on purpose).
"""
import importlib
import subprocess
import sys
import types
from pathlib import Path

import numpy as np

import brianc
from brianc._deferred_names import (DEFERRED_MODULES,
                                    DEFERRED_SUBMODULE_NAMES)
from brianc.units import UNIT_NAMES

LISTED = Path(__file__).parent / "data" / "star_names.txt"
# NumPy's names that brianc drops: Python's builtins stay Python's.
BUILTINS_KEPT = {"min", "max", "round", "abs", "bool", "bytes", "pow",
                 "divmod"}


def star_namespace() -> dict:
    namespace: dict = {}
    exec("from brianc import *", namespace)
    del namespace["__builtins__"]
    return namespace


def own_names(namespace: dict) -> list:
    return sorted(set(namespace) - set(np.__all__) - set(UNIT_NAMES))


def test_every_listed_name_is_exported():
    namespace = star_namespace()
    listed = LISTED.read_text().split()
    assert len(listed) > 500
    assert [n for n in listed if n not in namespace] == []
    assert [n for n in UNIT_NAMES if n not in namespace] == []
    # (NumPy's submodules count only if loaded when brianc was imported)
    numpy_names = [n for n in np.__all__ if n in np.__dict__
                   and n not in BUILTINS_KEPT and not n.startswith("_")
                   and not isinstance(np.__dict__[n], types.ModuleType)]
    assert [n for n in numpy_names if n not in namespace] == []


def test_deferred_table_is_each_modules_all():
    for module, names in DEFERRED_MODULES.items():
        real = importlib.import_module(f"brianc.{module}")
        assert tuple(real.__all__) == names, module
    for name in DEFERRED_SUBMODULE_NAMES:
        assert importlib.import_module(f"brianc.tools.{name}")


def test_stand_ins_resolve_to_the_real_objects():
    namespace = star_namespace()
    for module, names in DEFERRED_MODULES.items():
        real = importlib.import_module(f"brianc.{module}")
        for name in names:
            assert namespace[name] == getattr(real, name), name
            assert getattr(brianc, name) == getattr(real, name), name
    for name in DEFERRED_SUBMODULE_NAMES:
        real = importlib.import_module(f"brianc.tools.{name}")
        assert namespace[name].__name__ == real.__name__
        assert namespace[name].__all__ == real.__all__


def _child(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_deferred_modules_load_on_first_use():
    modules = [f"brianc.{m}" for m in DEFERRED_MODULES]
    code = f"""
import sys, types
from brianc import *
import brianc
modules = {modules!r}
print(sorted(m for m in modules if m in sys.modules))
# a class stand-in: built, checked, subclassed, compared as the class
g = PoissonGroup(3, rates=10*Hz)
import brianc.directcontrol as d
assert type(g) is d.PoissonGroup and isinstance(g, PoissonGroup)
assert type(g) == PoissonGroup and hash(PoissonGroup) == hash(d.PoissonGroup)
class Mine(PoissonGroup):
    def __init__(self):
        super().__init__(2, rates=5*Hz)
assert Mine.__mro__[1] is d.PoissonGroup and len(Mine()) == 2
class Old(PoissonGroup):                    # Python 2 style base call
    def __init__(self, n):
        PoissonGroup.__init__(self, n, 5*Hz)
assert len(Old(4)) == 4 and repr(Old(3)) == "<PoissonGroup of 3 sources>"
assert PoissonGroup.__init__ is d.PoissonGroup.__init__
assert "PoissonGroup" in dir(stdp) or "STDP" in dir(stdp)
assert "rates" in str(__import__("inspect").signature(PoissonGroup))
assert issubclass(PoissonGroup, brianc.group.Group)
assert brianc.PoissonGroup is d.PoissonGroup   # the package's own name
assert PoissonGroup.__doc__ == d.PoissonGroup.__doc__
# modules by their names, and brianc.tools' modules by attribute
assert isinstance(stdp, types.ModuleType) and stdp.STDP is brianc.stdp.STDP
assert statistics.CV is brianc.tools.statistics.CV
assert brianc.tools.tabulate.Tabulate is Tabulate._resolve()
import pickle
assert pickle.loads(pickle.dumps(STDP)) is brianc.stdp.STDP
print(sorted(m for m in modules if m in sys.modules))
"""
    before, after = _child(code).splitlines()
    assert before == "[]"
    assert "'brianc.directcontrol'" in after and "'brianc.stdp'" in after


def test_magic_run_lists_kinds_in_the_same_order_whenever_they_load():
    # PoissonGroup's module now loads after the others: its objects still
    # come between the operations and the monitors, as they did
    code = """
from brianc import *
from brianc.base import magic_kinds
print(",".join(k.__name__ for k in magic_kinds()))
P = PoissonGroup(2, rates=10*Hz)
print(",".join(k.__name__ for k in magic_kinds()))
"""
    before, after = _child(code).splitlines()
    assert "_InputGroup" not in before.split(",")
    assert after.split(",") == ["NeuronGroup", "Connection",
                                "NetworkOperation", "_InputGroup", "Monitor",
                                "Synapses"]


def test_warnings_from_a_stand_in_point_at_the_caller():
    code = """
import warnings
from brianc import *
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    firing_rate([1.0])
print(caught[0].filename, caught[0].lineno)
"""
    assert _child(code) == "<string> 6"


if __name__ == "__main__":
    LISTED.write_text("\n".join(own_names(star_namespace())) + "\n")
