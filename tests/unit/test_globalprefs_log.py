"""brianc.globalprefs and brianc.log: Brian 1's preference names and
defaults, compilation preferences accepted as "always native", and Brian 1's
logging functions and logger names."""
import importlib
import logging
import subprocess
import sys

import pytest

from brianc import globalprefs as gp

# ``brianc.log`` the attribute is the unit-aware log function, as in Brian 1.
log = importlib.import_module("brianc.log")


@pytest.fixture
def saved_preferences():
    values, told = dict(gp._values), set(gp._told)
    yield
    gp._values.clear()
    gp._values.update(values)
    gp._told.clear()
    gp._told.update(told)


def test_brian1_defaults():
    assert gp.get_global_preference("useweave") is False
    assert gp.get_global_preference("gcc_options") == ["-ffast-math"]
    assert gp.get_global_preference("weavecompiler") == "gcc"
    assert gp.get_global_preference("usecodegenthreshold") is True
    assert gp.get_global_preference("magic_useframes") is True
    prefs = gp.get_global_preferences()
    for name in ("useweave", "usecodegen", "usenewpropagate", "openmp",
                 "usecstdp", "useweave_linear_diffeq", "brianhears_usegpu"):
        assert name in prefs and gp.exists_global_preference(name)
    prefs["useweave"] = "changed"                 # a copy
    assert gp.get_global_preference("useweave") is False


def test_set_and_get_any_preference(saved_preferences):
    assert not gp.exists_global_preference("my_pref")
    with pytest.raises(KeyError, match="my_pref"):
        gp.get_global_preference("my_pref")
    gp.define_global_preference("my_pref", "3", "a preference of mine")
    assert not gp.exists_global_preference("my_pref")   # defining sets none
    gp.set_global_preferences(my_pref=4)
    assert gp.get_global_preference("my_pref") == 4


def test_compilation_preferences_are_logged_once(saved_preferences, caplog):
    with caplog.at_level(logging.INFO, logger="brian"):
        gp.set_global_preferences(useweave=True, gcc_options=["-O3"])
        gp.set_global_preferences(useweave=False)
        gp.set_global_preferences(usenewpropagate=True, my_other=1)
    messages = [r.getMessage() for r in caplog.records
                if r.name == "brian.globalprefs"]
    assert all(r.levelno == logging.INFO for r in caplog.records
               if r.name == "brian.globalprefs")
    assert len(messages) == 3
    assert sum("useweave" in m for m in messages) == 1
    assert any("usenewpropagate" in m for m in messages)
    assert gp.get_global_preference("useweave") is False
    assert gp.get_global_preference("gcc_options") == ["-O3"]


def test_names_in_the_star_namespace():
    ns = {}
    exec("from brianc import *", ns)
    for name in gp.__all__ + log.__all__:
        assert ns[name] is getattr(gp if name in gp.__all__ else log, name)


def _stderr_of(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True)
    return out.stderr


def test_log_levels_and_format():
    code = ("from brianc import *\n"
            "log_info('brian.test', 'hidden')\n"
            "log_warn('brian.test', 'shown')\n"
            "log_level_info()\n"
            "log_info('brian.test', 'now shown')\n"
            "log_debug('brian.test', 'debug hidden')\n"
            "log_level_debug()\n"
            "log_debug('brian.test', 'debug shown')\n"
            "log_level_error()\n"
            "log_warn('brian.test', 'warning hidden')\n")
    lines = _stderr_of(code).splitlines()
    assert lines == ["brian.test        : WARNING  shown",
                     "brian.test        : INFO     now shown",
                     "brian.test        : DEBUG    debug shown"]


def test_import_does_not_load_logging():
    code = ("import sys; import brianc; "
            "print('logging' in sys.modules, file=sys.stderr)")
    assert _stderr_of(code).strip() == "False"


def test_brianc_warnings_use_brian1_logger_names(caplog):
    from brianc import Equations, NeuronGroup, ms
    # w is both a model parameter and in the given namespace: the model
    # variable wins, with a warning (Brian 1's brian.equations logger).
    eqs = Equations("dv/dt = -v/(10*ms) + w/(10*ms) : 1\nw : 1",
                    w=2.0, ms=ms)
    with caplog.at_level(logging.WARNING, logger="brian"):
        NeuronGroup(1, eqs)
    names = {r.name for r in caplog.records}
    assert "brian.equations" in names


def test_defaultclock_preference_is_the_default_clock():
    from brianc import Clock, ms
    from brianc.clock import define_default_clock, get_default_clock
    old = get_default_clock()
    try:
        assert gp.get_global_preference("defaultclock") is old
        assert gp.get_global_preferences()["defaultclock"] is old
        c = Clock(dt=2 * ms)
        gp.set_global_preferences(defaultclock=c)
        assert get_default_clock() is c
        assert gp.get_global_preference("defaultclock").dt == 2 * ms
    finally:
        define_default_clock(clock=old)
