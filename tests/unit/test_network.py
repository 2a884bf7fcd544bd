"""Networks and the magic run(): object collection, the order of one step,
stop/reinit, several clocks, progress reports, profiling and Ctrl-C."""
import gc
import os
import textwrap

import numpy as np
import pytest

from brianc import (Clock, Network, NetworkOperation, NeuronGroup,
                    SpikeMonitor, StateMonitor, defaultclock, forget, mV,
                    ms, network_operation, recall, reinit,
                    reinit_default_clock, run, second, seed, stop)
from ctrl_c import interrupt


@pytest.fixture(autouse=True)
def fresh_clock():
    reinit_default_clock()
    yield


def ramp(n=1):
    """v grows 0.1 mV a step and spikes above 0.25 mV (every 3 steps)."""
    return NeuronGroup(n, "dv/dt = 1*mV/ms : volt", threshold=0.25 * mV,
                       reset=0 * mV)


def test_magic_run_collects_objects_of_the_calling_function():
    P = ramp()
    M = SpikeMonitor(P)
    run(1 * ms)
    assert M.nspikes == 3 and defaultclock.t == 1 * ms   # steps 2, 5, 8


def test_magic_run_finds_objects_made_in_comprehensions():
    groups = [ramp() for _ in range(3)]
    monitors = [SpikeMonitor(g) for g in groups]
    run(0.6 * ms)
    assert [m.nspikes for m in monitors] == [2, 2, 2]


def test_unreferenced_objects_are_never_simulated():
    P = ramp()
    SpikeMonitor(P)                         # dropped at once
    gc.collect()
    counted = SpikeMonitor(P)
    run(0.3 * ms)
    assert counted.nspikes == 1


def test_helper_function_objects_run_from_the_caller():
    def build():
        P = ramp()
        return P, SpikeMonitor(P)
    P, M = build()
    run(0.3 * ms)
    assert M.nspikes == 1


def test_forget_and_recall():
    P = ramp()
    forget(P)
    run(0.2 * ms)
    assert P.v[0] == 0
    recall(P)
    run(0.1 * ms)
    assert P.v[0] == pytest.approx(1e-4)


def test_network_add_remove_call_and_errors():
    P, Q = ramp(), ramp(2)
    net = Network(P)
    M = net(SpikeMonitor(Q))
    net.add([Q])
    assert len(net) == 3
    net.remove(P)
    net.run(0.3 * ms)
    assert P.v[0] == 0 and M.nspikes == 2
    with pytest.raises(TypeError):
        Network(42)


def test_network_operation_slots_run_in_brian1_order():
    log = []
    slots = ["end", "after_resets", "before_resets", "after_connections",
             "before_connections", "middle", "after_groups",
             "before_groups", "start"]
    def logger(name):
        return lambda: log.append(name)
    ops = [NetworkOperation(logger(w), when=w) for w in slots]
    second_end = NetworkOperation(lambda: log.append("end2"))
    Network(*ops, second_end).run(0.1 * ms)
    assert log == slots[::-1] + ["end2"]


def test_network_operation_decorator_forms_and_clock_argument():
    calls = []

    @network_operation
    def plain():
        calls.append("plain")

    @network_operation(when="start")
    def with_clock(clock):
        calls.append(float(clock.t))
    Network(plain, with_clock).run(0.2 * ms)
    assert calls == [0.0, "plain", pytest.approx(1e-4), "plain"]


def test_groups_see_operation_changes_in_the_same_step():
    P = NeuronGroup(1, "v : volt", threshold=1 * mV, reset=0 * mV)
    M = SpikeMonitor(P)

    @network_operation(when="before_groups")
    def kick():
        if defaultclock.t > 0.25 * ms:
            P.v = 2 * mV
    Network(P, M, kick).run(0.5 * ms)
    assert list(np.round(M[0] / 1e-4)) == [3, 4]


def test_stop_inside_an_operation_ends_after_the_step():
    P = ramp()

    @network_operation
    def halt():
        if defaultclock.t >= 0.5 * ms:
            stop()
    net = Network(P, halt)
    net.run(10 * ms)
    assert defaultclock._c.step == 6
    net.run(0.2 * ms)       # the flag cleared; halt() stops it again
    assert defaultclock._c.step == 7


def test_reinit_then_run_gives_the_same_spikes():
    seed(11)
    eqs = "dv/dt = (12*mV - v)/(5*ms) + 3*mV*xi/(5*ms)**0.5 : volt"
    P = NeuronGroup(20, eqs, threshold=10 * mV, reset=0 * mV,
                    refractory=1 * ms)
    M = SpikeMonitor(P)
    net = Network(P, M)
    net.run(20 * ms)
    first = M.it
    assert M.nspikes > 10
    net.reinit()
    assert defaultclock.t == 0 * ms and M.nspikes == 0 and P.v[0] == 0
    net.run(20 * ms)
    assert np.array_equal(M.it[0], first[0])
    assert np.array_equal(M.it[1], first[1])


def test_magic_reinit_resets_default_clock_and_monitors():
    P = ramp()
    M = SpikeMonitor(P)
    run(1 * ms)
    reinit()
    assert defaultclock.t == 0 * ms and M.nspikes == 0 and P.v[0] == 0


def test_two_clocks_with_different_dt():
    fast = Clock(dt=0.1 * ms)
    slow = Clock(dt=1 * ms)
    P = NeuronGroup(1, "dv/dt = 1*mV/ms : volt", clock=fast)
    Q = NeuronGroup(1, "dv/dt = 1*mV/ms : volt", clock=slow)
    log = []
    op_fast = NetworkOperation(lambda: log.append(("f", fast._c.step)),
                               clock=fast)
    op_slow = NetworkOperation(lambda: log.append(("s", slow._c.step)),
                               clock=slow)
    Network(P, Q, op_fast, op_slow).run(2 * ms)
    assert fast._c.step == 20 and slow._c.step == 2
    assert P.v[0] == pytest.approx(2e-3) and Q.v[0] == pytest.approx(2e-3)
    # the clock furthest behind runs next: slow step 1 (t = 1 ms) comes
    # after fast step 9 and before fast step 10 (ties: lower order, then
    # the first added)
    assert log.index(("s", 1)) == log.index(("f", 10)) - 1 or \
        log.index(("s", 1)) == log.index(("f", 10)) + 1
    assert len([e for e in log if e[0] == "s"]) == 2


def test_report_forms(capsys):
    P = ramp()
    seen = []
    Network(P).run(1 * ms, report=lambda elapsed, done: seen.append(done))
    assert seen[-1] == 1.0
    Network(P).run(1 * ms, report="text")
    out = capsys.readouterr().out
    assert "100% complete" in out and "elapsed" in out and \
        "remaining" in out
    Network(P).run(1 * ms, report="stderr")
    assert "100% complete" in capsys.readouterr().err
    with pytest.raises(ValueError):
        Network(P).run(1 * ms, report=3)


def test_profile_reports_phase_times():
    P = ramp(100)
    net = Network(P, StateMonitor(P, "v", record=True))
    net.run(5 * ms, profile=True)
    assert set(net.profile) >= {"update", "propagate", "reset", "monitors",
                                "total", "python"}
    assert all(v >= 0 for v in net.profile.values())
    assert net.profile["update"] > 0


def test_exception_in_operation_leaves_whole_steps():
    P = ramp()

    @network_operation(when="after_groups")
    def boom():
        if defaultclock._c.step == 3:
            raise RuntimeError("boom")
    net = Network(P, boom)
    with pytest.raises(RuntimeError):
        net.run(1 * ms)
    # step 3 was completed in C: the clock and the state agree
    assert defaultclock._c.step == 4
    assert P.v[0] == pytest.approx(1e-4)    # reset at step 2 then step 3


def test_run_rejects_bad_durations():
    P = ramp()
    with pytest.raises(ValueError):
        Network(P).run(-1 * ms)
    with pytest.raises(Exception):
        Network(P).run(1 * mV)


CHILD = textwrap.dedent("""
    import numpy as np
    from brianc import *
    P = NeuronGroup(2000, 'dv/dt = 1*mV/ms : volt')
    net = Network(P, announce_ready)
    try:
        net.run(1000 * second)
        print('not interrupted', flush=True)
    except KeyboardInterrupt:
        cpu = time.process_time()
        n = defaultclock._c.step
        ok = np.allclose(P.v, n * 1e-4, rtol=1e-9, atol=0)
        net.run(1 * ms)
        ok2 = defaultclock._c.step == n + 10 and np.allclose(
            P.v, (n + 10) * 1e-4, rtol=1e-9, atol=0)
        print(repr(cpu), n, ok, ok2, flush=True)
""")


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"),
                    reason="needs SIGINT and /proc")
def test_ctrl_c_interrupts_a_long_run_promptly():
    cpu_at_signal, line, code = interrupt(CHILD)
    cpu, n, ok, ok2 = float(line[0]), int(line[1]), line[2], line[3]
    # The run pauses every 50 ms of wall time to look for Ctrl-C: after
    # the signal the child works at most that long (in CPU time, which a
    # busy machine does not stretch as it does wall time), plus the
    # interrupted step, Python's handling and a clock tick of rounding.
    assert cpu - cpu_at_signal < 0.05 + 0.1
    assert n > 0 and ok == "True" and ok2 == "True"
    assert code == 0
