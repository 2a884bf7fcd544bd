"""Environment switches: BRIANC_PLOTTING=off (plots become no-ops, as
benchmarks time scripts) and BRIANC_PROFILE=1 (per-phase run times)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from brianc import *
P = NeuronGroup(100, 'dv/dt = (1.1*mV - v)/(10*ms) : volt',
                threshold=1*mV, reset=0*mV)
M = SpikeMonitor(P)
run(60*ms)
raster_plot(M)
plot([0, 1])
show()
print('SPIKES', M.nspikes, 'MPL', 'matplotlib' in sys.modules)
"""


def run_script(**env_extra) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLBACKEND="Agg", **env_extra)
    env.pop("BRIANC_SAVEFIG", None)
    return subprocess.run([sys.executable, "-c", SCRIPT], env=env,
                          capture_output=True, text=True, check=True,
                          cwd=str(ROOT))


def test_plotting_off_never_imports_matplotlib():
    off = run_script(BRIANC_PLOTTING="off")
    on = run_script()
    assert "MPL False" in off.stdout and "MPL True" in on.stdout
    # the simulation itself is the same
    assert off.stdout.split()[1] == on.stdout.split()[1] != "0"


def test_profile_switch_prints_phase_times():
    out = run_script(BRIANC_PLOTTING="off", BRIANC_PROFILE="1")
    line = [s for s in out.stderr.splitlines()
            if s.startswith("brianc profile")]
    assert len(line) == 1
    for phase in ("update", "propagate", "reset", "monitors", "python"):
        assert phase in line[0]
