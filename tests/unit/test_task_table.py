"""Network.add("task", obj, clock): the binding finds obj's core task from
one table of task types (csrc/py/task_types.def)."""
import numpy as np
import pytest

from brianc import _core
import brianc as b

TASK_TYPES = ("PoissonInput", "TimedSetter", "Synapses", "SynapticSums",
              "STDP", "STP", "IIRFeed", "LinkedVar", "ZhangRate",
              "ZhangHold")


def _network():
    clock = _core.Clock(1e-4)
    return _core.Network(), clock


@pytest.mark.parametrize("obj", [3, "task", _core.Clock(1e-4),
                                 _core.Group(np.zeros((1, 4)), 1e-4)],
                         ids=["int", "str", "core Clock", "core Group"])
def test_an_object_without_a_task_is_a_type_error_naming_the_task_types(
        obj):
    net, clock = _network()
    with pytest.raises(TypeError) as err:
        net.add("task", obj, clock)
    message = str(err.value)
    for name in TASK_TYPES:
        assert "_core." + name in message
    assert type(obj).__name__ in message


def test_every_task_type_of_a_script_reaches_the_core():
    """PoissonInput, TimedSetter (a TimedArray on a variable), a linked
    variable, Synapses and its lumped sum in one run: each one's task acts,
    so each was found in the table (STDP, STP and IIRFeed: their own
    tests)."""
    b.reinit_default_clock()
    src = b.NeuronGroup(2, "dv/dt = -v/(10*ms) : 1")
    dst = b.NeuronGroup(2, "dv/dt = -v/(10*ms) : 1\ntot : 1")
    c = b.NeuronGroup(2, "v : 1\nw : 1")
    pi = b.PoissonInput(src, N=100, rate=1000 * b.Hz, weight=0.1,
                        state="v")
    c.w = b.TimedArray(np.full(100, 7.0))
    c.v = b.linked_var(src, "v")
    syn = b.Synapses(src, dst, model="x : 1\ntot = x : 1")
    syn[:, :] = "i == j"
    syn.x = [0.5, 0.25]
    dst.tot = syn.tot
    net = b.Network(src, dst, c, syn, pi)
    net.run(2 * b.ms)
    assert src.v[0] > 0
    assert np.all(c.w == 7.0)
    assert 0 < c.v[1] <= src.v[1]     # copied at the start of each step
    assert list(dst.tot) == [0.5, 0.25]
