"""Brian 2 version of Brian 1's examples/synapses/gapjunctions.py scaled
to 1000 neurons: random gap junctions (p = 0.01) whose currents
w*(v_pre - v_post) are summed into each target (Brian 2's ``(summed)``,
Brian 1's lumped variable).  Timings as in _common.py."""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import main  # noqa: E402


def build(scale, seed, duration_ms):
    from brian2 import NeuronGroup, SpikeMonitor, Synapses
    G = NeuronGroup(1000, """dv/dt = (1.05-v+Igap)/(10*ms) : 1
                    Igap : 1""", threshold="v>1", reset="v=0",
                    method="euler")
    G.v = "rand()"
    S = Synapses(G, G, model="""w : 1
                 Igap_post = w*(v_pre-v_post) : 1 (summed)""")
    S.connect(p=0.01)
    S.w = .02
    M = SpikeMonitor(G)
    return 1000, [M], [G, S, M]


if __name__ == "__main__":
    main(build, default_duration_ms=1000.0, scalable=False)
