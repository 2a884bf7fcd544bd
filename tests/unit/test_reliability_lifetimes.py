"""Object lifetimes: a script that rebinds its names in a loop frees the
previous iteration's network (groups and string thresholds/resets keep
only the names their expressions use, never the caller's namespace)."""
import gc
import textwrap
import weakref

from brianc import Network, NeuronGroup, StringReset, StringThreshold, mV, ms


def run_script(source: str) -> dict:
    """Run source as a module's top level (locals are the globals)."""
    namespace = {"__name__": "reliability_script"}
    exec(textwrap.dedent(source), namespace)
    return namespace


LOOP = """
    import gc, weakref
    from brianc import *
    refs = []
    for k in range(5):
        G = NeuronGroup(10, {model!r}{extra})
        {after}
        gc.collect()
        refs.append(weakref.ref(G))
    alive = [r for r in refs[:-1] if r() is not None]
"""


def alive_after(extra: str = "", after: str = "") -> int:
    ns = run_script(LOOP.format(model="dv/dt = -v/(10*ms) : volt",
                                extra=extra, after=after or "pass"))
    return len(ns["alive"])


def test_rebinding_a_group_at_module_level_frees_the_previous_one():
    assert alive_after() == 0


def test_rebinding_with_clear_frees_the_previous_one():
    assert alive_after(after="clear(True)") == 0


def test_string_threshold_and_reset_keep_no_namespace():
    assert alive_after(", threshold='v > 1*mV', reset='v = 0*mV'") == 0


def test_a_group_keeps_only_the_names_its_strings_use():
    vt = 1 * mV
    other = NeuronGroup(1, "dv/dt = -v/ms : 1")
    G = NeuronGroup(1, "dv/dt = 1*mV/ms : volt", threshold="v > vt",
                    reset="v = 0*mV")
    assert G._namespace["vt"] is vt
    assert "other" not in G._namespace


def test_rebinding_inside_a_function_frees_the_previous_group():
    refs = []
    for _ in range(4):
        G = NeuronGroup(10, "dv/dt = -v/(10*ms) : volt",
                        threshold=StringThreshold("v > 1*mV"),
                        reset=StringReset("v = 0*mV"))
        gc.collect()
        refs.append(weakref.ref(G))
    # G names the last one, and the frame's locals snapshot (Python <=
    # 3.12 refreshes it only when a frame is inspected, at the next
    # construction) the one before; the earlier ones are gone.
    assert [r() is None for r in refs[:2]] == [True, True]
    assert refs[-1]() is G


def test_a_reset_object_made_before_the_group_still_resolves_names():
    vr = 0.5
    reset = StringReset("v = vr")
    G = NeuronGroup(2, "dv/dt = 2/ms : 1", threshold="v > 1", reset=reset)
    Network(G).run(1 * ms)
    assert (G.v < 1).all() and (G.v > vr).any()


def test_a_network_is_freed_without_the_cycle_collector():
    """Groups, subgroups, connections and monitors hold no reference
    cycle: the native memory goes back as soon as the last name does."""
    gc.collect()
    gc.disable()
    try:
        ns = run_script("""
            import weakref
            from brianc import *
            P = NeuronGroup(50, "dv/dt = -v/(10*ms) : volt",
                            threshold="v > 1*mV", reset="v = 0*mV")
            C = Connection(P.subgroup(25), P, "v", weight=0.5*mV,
                           sparseness=0.5)
            M = SpikeMonitor(P)
            S = StateMonitor(P, "v", record=[0])
            Network(P, C, M, S).run(1*ms)
            refs = [weakref.ref(x) for x in (P, C, M, S)]
            del P, C, M, S
            alive = [r() for r in refs if r() is not None]
        """)
        assert ns["alive"] == []
    finally:
        gc.enable()


def test_rebinding_synapses_frees_the_previous_ones():
    ns = run_script("""
        import gc, weakref
        from brianc import *
        refs = []
        for k in range(4):
            G = NeuronGroup(10, 'dv/dt = -v/(10*ms) : volt',
                            threshold='v > 1*mV', reset='v = 0*mV')
            S = Synapses(G, G, 'w : volt', pre='v += w')
            S[:, :] = True
            S.w = 1*mV
            run(1*ms)
            gc.collect()
            refs.append(weakref.ref(S))
        alive = [r for r in refs[:-1] if r() is not None]
    """)
    assert ns["alive"] == []
