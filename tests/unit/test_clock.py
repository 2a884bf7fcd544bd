"""Clocks: time as an integer step count, Brian 1's ceil(duration/dt),
the default clock and the clock guess (spec 7.5)."""
import pytest

from brianc import (Clock, EventClock, NeuronGroup, defaultclock,
                    define_default_clock, get_default_clock, mV, ms,
                    reinit_default_clock, second)
from brianc.clock import guess_clock
from brianc.units import DimensionMismatchError


@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()
    yield
    defaultclock.dt = 0.1 * ms


def test_time_is_a_step_count():
    c = Clock(dt=0.1 * ms)
    for _ in range(3):
        c.tick()
    assert c._c.step == 3
    assert float(c.t) == 3 * 1e-4         # n*dt, never accumulated
    c.reinit(t=1 * ms)
    assert c._c.step == 10
    c.reinit()
    assert c.t == 0 * ms and c.dt == 0.1 * ms
    assert Clock(dt=1 * ms, t=5 * ms)._c.step == 5


def test_duration_steps_are_ceil_of_the_float_quotient():
    c = Clock(dt=0.1 * ms)
    assert c.steps_for(100 * ms) == 1000
    assert c.steps_for(0.25 * ms) == 3
    assert c.steps_for(0 * ms) == 0
    c.set_duration(1 * ms)
    assert c.end == 1 * ms and c.still_running()
    for _ in range(10):
        c.tick()
    assert not c.still_running()


def test_bad_clocks():
    with pytest.raises(ValueError):
        Clock(dt=0 * ms)
    with pytest.raises(ValueError):
        Clock(dt=-1 * ms)
    with pytest.raises(DimensionMismatchError):
        Clock(dt=1 * mV)
    with pytest.raises(ValueError):
        Clock(dt=float("nan") * ms)
    with pytest.raises(ValueError):
        Clock().steps_for(-1 * ms)


def test_default_clock_dt_and_redefinition():
    defaultclock.dt = 1 * ms
    P = NeuronGroup(1, "v : volt")
    assert P.clock.dt == 1 * ms
    old = get_default_clock()
    new = define_default_clock(dt=0.5 * ms)
    assert get_default_clock() is new and defaultclock.dt == 0.5 * ms
    define_default_clock(clock=old)
    assert get_default_clock() is old


def test_guess_clock_uses_the_one_clock_of_the_frame():
    def make():
        myclock = Clock(dt=0.5 * ms)
        P = NeuronGroup(1, "v : volt")
        return myclock, P
    myclock, P = make()
    assert P.clock is myclock

    def ambiguous():
        a = Clock(dt=1 * ms)
        b = Clock(dt=2 * ms)
        return NeuronGroup(1, "v : volt"), a, b
    with pytest.raises(TypeError, match="ambiguous"):
        ambiguous()

    def event_only():
        e = EventClock(dt=1 * ms)
        return NeuronGroup(1, "v : volt"), e
    assert event_only()[0].clock is get_default_clock()
    with pytest.raises(TypeError):
        guess_clock("not a clock")


def test_guess_clock_at_a_script_top_level():
    """There the locals are the globals: one namespace, scanned once."""
    script = ("from brianc import *\n"
              "myclock = Clock(dt=0.5*ms)\n"
              "P = NeuronGroup(1, 'v : volt')\n")
    ns = {}
    exec(compile(script, "script.py", "exec"), ns)
    assert ns["P"].clock is ns["myclock"]
    with pytest.raises(TypeError, match="ambiguous"):
        exec(compile(script + "other = Clock(dt=1*ms)\n"
                     "Q = NeuronGroup(1, 'v : volt')\n", "script.py",
                     "exec"), {})


def test_clock_order_breaks_ties():
    a = Clock(dt=1 * ms, order=1)
    b = Clock(dt=1 * ms, order=0)
    assert a.order == 1 and b.order == 0
    assert repr(a).startswith("Clock(")
    assert a.t == 0 * second


def _raises_ambiguous(function) -> bool:
    """Whether function raises the ambiguity TypeError; the traceback is
    dropped here (pytest.raises would keep the clocks alive through it)."""
    try:
        function()
    except TypeError as error:
        return "ambiguous" in str(error)
    return False


def test_guess_clock_walks_out_to_the_first_frame_that_made_clocks():
    """As in Brian 1: the innermost frame with clocks decides, even when
    guess_clock is called through a frame that made none."""
    def call(function):
        return function()

    outer = Clock(dt=2 * ms)
    assert call(guess_clock) is outer

    def inner():
        mine = Clock(dt=3 * ms)
        return call(guess_clock), mine
    found, mine = inner()
    assert found is mine

    second_one = Clock(dt=4 * ms)
    assert _raises_ambiguous(lambda: call(guess_clock))
    del second_one
    assert call(guess_clock) is outer


def test_guess_clock_counts_clocks_by_where_they_were_made():
    """A clock made here but held only by a group still counts; a clock
    made elsewhere and merely named here does not (Brian 1's rule)."""
    def made_elsewhere():
        return Clock(dt=5 * ms)

    def script():
        named = made_elsewhere()
        G = NeuronGroup(1, "v : volt", clock=Clock(dt=0.5 * ms))
        return guess_clock(), G, named
    found, G, named = script()
    assert found is G.clock
    assert found is not named
