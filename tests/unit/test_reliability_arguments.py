"""Bad arguments end in an error naming the argument (never Python's own
"cannot convert float infinity to integer"), and a state that becomes NaN
during a run is reported once per group and variable."""
import warnings

import numpy as np
import pytest

from brianc import (Connection, DimensionMismatchError, Network,
                    NeuronGroup, PopulationRateMonitor, SpikeGeneratorGroup,
                    SpikeMonitor, StateMonitor, TimedArray, defaultclock,
                    mV, ms, network_operation, reinit_default_clock, run,
                    second, seed, volt)
from brianc.equations import EquationSyntaxError

INF = np.inf


@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()
    yield
    reinit_default_clock()


def group(n=2):
    return NeuronGroup(n, "dv/dt = -v/(10*ms) : volt")


@pytest.mark.parametrize("make, words", [
    (lambda: NeuronGroup(INF, "dv/dt = -v/ms : 1"), "N must be"),
    (lambda: group().subgroup(INF), "N must be"),
    (lambda: Connection(group(), group(), "v", delay=INF * ms),
     "delay must be finite"),
    (lambda: Connection(group(), group(), "v", delay=True,
                        max_delay=INF * ms), "max_delay must be finite"),
    (lambda: NeuronGroup(2, "dv/dt = -v/ms : volt", max_delay=INF * ms),
     "max_delay must be finite"),
    (lambda: PopulationRateMonitor(group(), bin=INF * ms),
     "bin must be finite"),
    (lambda: PopulationRateMonitor(group(), bin=np.nan * ms), "bin is NaN"),
    (lambda: PopulationRateMonitor(group(), bin=0 * ms),
     "bin must be positive"),
    (lambda: PopulationRateMonitor(group(), bin=-1 * ms),
     "bin must be positive"),
    (lambda: StateMonitor(group(), "v", record=True, timestep=INF),
     "timestep must be"),
    (lambda: NeuronGroup(2, "dv/dt = -v/ms : volt", threshold=1 * mV,
                         reset=0 * mV, refractory=INF * ms),
     "refractory must be a finite"),
    (lambda: TimedArray(np.ones(3), dt=INF * ms), "dt must be a positive"),
    (lambda: seed(INF), "seed must be"),
    (lambda: volt ** 1e308, "exponent"),
    (lambda: volt ** 1e13, "out of range"),
    (lambda: NeuronGroup(2, "dv/dt = -v/ms + 10**400/ms : 1"),
     "infinite or NaN"),
    (lambda: SpikeGeneratorGroup(2, [(0, INF * ms)]), "finite"),
])
def test_infinite_and_nan_arguments_are_named(make, words):
    with pytest.raises(ValueError, match=words):
        make()


def test_infinite_runs_and_times_are_refused():
    group()
    with pytest.raises(ValueError, match="duration must be finite"):
        run(INF * second)
    with pytest.raises(ValueError, match="Clock t must be finite"):
        defaultclock.t = INF * ms
    assert float(defaultclock.t) == 0.0


@pytest.mark.parametrize("make, error, words", [
    (lambda: StateMonitor(group(), "v", record=[1.5]), TypeError,
     "record must be"),
    (lambda: StateMonitor(group(), "v", record=["a"]), TypeError,
     "record must be"),
    (lambda: Connection(group(), group(), "v").W[1.5, 0], IndexError,
     "indices must be neuron numbers"),
    (lambda: Connection(group(), group(), "v").W["a", 0], IndexError,
     "indices must be neuron numbers"),
    (lambda: SpikeGeneratorGroup(2, "abc"), TypeError,
     "spiketimes must be"),
    (lambda: SpikeMonitor(group())[5], IndexError, "has 2 neurons"),
    (lambda: NeuronGroup(2, "dv/dt = -v/ms : volt, second"),
     EquationSyntaxError, "not a unit"),
    (lambda: NeuronGroup(2, "dv/dt = -v/ms : volt", order=7), TypeError,
     "order 7"),
    (lambda: Connection(group(), group(), "v").connect_random(
        p=0.5 * mV, weight=1 * mV), DimensionMismatchError,
     "dimensionless"),
])
def test_bad_arguments_get_clear_errors(make, error, words):
    with pytest.raises(error, match=words):
        make()


@pytest.mark.parametrize("name", ["dt", "True", "None", "lambda"])
def test_reserved_names_cannot_be_variables(name):
    with pytest.raises(EquationSyntaxError, match="reserved name"):
        NeuronGroup(1, f"dv/dt = -v/ms : 1\n{name} : 1")


def test_network_operation_signature_is_checked_when_made():
    with pytest.raises(TypeError, match="no argument or one"):
        @network_operation
        def needs_three(a, b, c):
            pass


def test_clear_inside_a_running_network_is_refused():
    from brianc import clear
    G = group()

    @network_operation
    def clears():
        clear()
    with pytest.raises(RuntimeError, match="clear\\(\\) cannot be called"):
        run(1 * ms)


def test_nan_made_by_the_model_warns_once_per_group_and_variable():
    G = NeuronGroup(5, "dv/dt = log(v)/ms : 1\ndw/dt = 0/ms : 1")
    G.v = [1, 0.5, 2, 1, 1]         # log of v < 1 drives v to 0, then NaN
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Network(G).run(2 * ms)
        Network(G).run(1 * ms)
    messages = [str(w.message) for w in caught
                if issubclass(w.category, RuntimeWarning)]
    assert len(messages) == 1
    assert "NeuronGroup: v became NaN or infinite" in messages[0]
    assert "first neuron 1" in messages[0]
    assert caught[0].filename == __file__


def test_a_finite_run_does_not_warn():
    G = group()
    G.v = 1 * mV
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Network(G).run(1 * ms)


def test_durations_too_many_steps_long_are_named():
    # the ratio to dt overflows to inf: a clear error, not an OverflowError
    G = group()
    with pytest.raises(ValueError, match="max_delay .* more than 65534"):
        Connection(G, G, "v", delay=True, max_delay=1e300 * second)
    with pytest.raises(ValueError, match="refractory period .* too long"):
        NeuronGroup(2, "dv/dt = -v/(10*ms) : volt", threshold="v > 1*mV",
                    reset=0 * mV, refractory=1e300 * second)


def test_an_infinite_exponent_compiles():
    G = NeuronGroup(2, "dv/dt = -v**(1e308*10)/(10*ms) : 1")
    G.v = 0.5
    Network(G).run(1 * ms)
    assert np.all(G.v == 0.5)       # 0.5**inf is 0: v stays put
