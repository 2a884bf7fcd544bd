"""The vector kernels give the same bits on every instruction-set path:
the same models run in child processes under each BRIANC_ISA this CPU
offers, and their spikes and final states must agree bit for bit."""
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from brianc import _core

HERE = Path(__file__).resolve().parent

# HH (exp family, fused exp-division opcodes), noisy LIF (normal draws,
# block and indexed under refractoriness), rand() with log/sin/cos, and
# random connections (uniform pairs, raw words); sizes off the block.
SCRIPT = textwrap.dedent("""
    import hashlib, sys
    import numpy as np
    sys.path.insert(0, %r)
    from brianc import *
    from brianc import _core
    from hh_model import hh_equations
    seed(3)
    n = 1037
    P = NeuronGroup(n, model=hh_equations(),
                    threshold=EmpiricalThreshold(threshold=-20 * mV,
                                                 refractory=3 * ms),
                    implicit=True, freeze=True)
    Ce = Connection(P[:800], P, "ge", weight=6 * nS, sparseness=0.02)
    Ci = Connection(P[800:], P, "gi", weight=67 * nS, sparseness=0.02)
    rs = np.random.RandomState(5)
    P.v = -60 * mV + (rs.randn(n) * 5 - 5) * mV
    P.ge = (rs.randn(n) * 1.5 + 4) * 10. * nS
    P.gi = (rs.randn(n) * 12 + 20) * 10. * nS
    Q = NeuronGroup(2999, "dV/dt = (-V + 25*mV + 3*mV*sqrt(20*ms)*xi)"
                          "/(20*ms) : volt", threshold=20 * mV,
                    reset=10 * mV, refractory=2 * ms)
    Q.V = 10 * mV + 10 * mV * rs.rand(2999)
    R = NeuronGroup(517, "dv/dt = (sin(v/mV)*mV + cos(3*v/mV)*mV"
                         " - v + 30*mV*rand()*log(2 + rand()))/(5*ms)"
                         " : volt", threshold=12 * mV, reset=0 * mV)
    C = Connection(R, Q, "V", weight=0.5 * mV, sparseness=0.1)
    mons = [SpikeMonitor(G) for G in (P, Q, R)]
    run(60 * ms)
    h = hashlib.sha256()
    for G, M in zip((P, Q, R), mons):
        h.update(np.array([(i, round(float(t) / 1e-4)) for i, t in M.spikes],
                          dtype=np.int64).tobytes())
        h.update(np.ascontiguousarray(G._state).tobytes())
    print(_core.ISA, int(np.sum([M.nspikes for M in mons])), h.hexdigest())
""" % str(HERE))


def run_under(isa):
    env = dict(os.environ, BRIANC_ISA=isa, BRIANC_THREADS="1")
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_every_isa_path_gives_the_same_spikes_and_states():
    paths = _core.ISA_AVAILABLE.split()
    results = {}
    for isa in paths:
        out = run_under(isa)
        assert out.returncode == 0, out.stderr
        name, n_spikes, digest = out.stdout.split()
        assert name == isa or (isa == "baseline" and name == "neon")
        assert int(n_spikes) > 100          # the models do spike
        results[isa] = digest
    assert len(set(results.values())) == 1, results


def test_isa_names_the_kernels_in_use():
    assert _core.ISA in _core.ISA_AVAILABLE.split()
    assert "baseline" in _core.ISA_AVAILABLE.split()


def test_an_unknown_isa_is_an_error_naming_the_variable():
    out = subprocess.run([sys.executable, "-c", "import brianc"],
                         env=dict(os.environ, BRIANC_ISA="sse9"),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    assert "BRIANC_ISA=sse9" in out.stderr
    assert "unknown instruction set" in out.stderr


def test_an_isa_the_cpu_lacks_is_an_error():
    missing = [isa for isa in ("avx2", "avx512")
               if isa not in _core.ISA_AVAILABLE.split()]
    if not missing or _core.ISA == "neon":
        pytest.skip("this CPU runs every x86-64 path")
    out = subprocess.run([sys.executable, "-c", "import brianc"],
                         env=dict(os.environ, BRIANC_ISA=missing[-1]),
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0
    assert "cannot run that instruction set" in out.stderr
