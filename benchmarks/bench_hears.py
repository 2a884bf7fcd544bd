"""bench_hears.py -- Brian Hears on brianc against its peers, single
threaded, measured side by side in one run, in CPU seconds of the
process (the machine is shared, so wall time says little):

  gammatone  3000-channel Gammatone cochlea (20 Hz - 20 kHz, ERB spaced)
             on 1 s of white noise at 44.1 kHz
  drnl       the DRNL model (human), --drnl-channels channels from 100 Hz
             to 8 kHz, same sound
  tancarney  Tan & Carney's model (cochlea retuned every sample, hair
             cell; without the middle ear, whose brian2hears version
             fails with current SciPy), --tc-channels channels from 200 Hz
             to 8 kHz, on --tc-duration of white noise at 50 kHz
  zhang      ZhangSynapse fibres (--zhang-fibres per channel) on a
             --zhang-channels TanCarney cochlea, run for --zhang-duration
             at 50 kHz: the fibres' per-step work as core tasks
             (_core.ZhangRate, _core.ZhangHold) against the NumPy network
             operation and Python CustomRefractoriness brianc ran before
             (still its path for a source that only offers s_),
             alternated, brianc only

Contenders: brianc (Filterbank.process with a running sum of squares, so
no 1 GB output array is kept), brian2hears (NumPy, run in
benchmarks/.venv-brian2 if it exists, see --brian2-python), SciPy
(sosfilt channel by channel, the loop a SciPy user writes) and, for the
gammatone, a hand-written C cascade (benchmarks/hears/cascade.c, one
channel at a time with the state in registers, compiled with the
extension's flags).  Prints medians of --repeat runs and the ratios.

  python benchmarks/bench_hears.py [--repeat 3] [--drnl-channels 500]

brian2hears compiles its LinearFilterbank loop with Cython when it can
(the same loop as Brian 1's weave code); its pure NumPy path (what it
runs without a compiler) is measured too.  brian2hears' TanCarney
retunes its filters in Python every sample whichever path: it is
measured once, on a short sound.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FS = 44100.0
N_GAMMATONE = 3000

# The same script runs under brianc and under brian2hears: only the
# import line differs (brian2hears' API is Brian 1's).
WORKLOAD = r'''
import sys, time, json
import numpy as np
which, case, n, buffersize = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
    int(sys.argv[4])
if which == "brianc":
    from brianc import Hz, kHz, second
    from brianc.hears import Sound, Gammatone, DRNL, erbspace, TanCarney
else:
    from brian2 import Hz, kHz, second
    from brian2hears import Sound, Gammatone, DRNL, erbspace, TanCarney
    if which == "brian2hears-numpy":
        # brian2hears' own fallback when Cython cannot compile
        from brian2.codegen.runtime.cython_rt.cython_rt import \
            CythonCodeObject
        CythonCodeObject.is_available = staticmethod(lambda: False)
np.random.seed(1)
if case == "tancarney":
    duration = float(sys.argv[5])
    # a pressure of about 0.02 Pa rms: some 60 dB SPL
    sound = Sound(0.02 * np.random.randn(int(duration * 50000)),
                  samplerate=50 * kHz)
else:
    sound = Sound(np.random.randn(44100), samplerate=44.1 * kHz)
# DRNL's first-order low-pass filters are unstable near Nyquist (as in
# Brian 1 and brian2hears), so the DRNL cochlea stops at 8 kHz
cf = erbspace(20 * Hz, 20 * kHz, n) if case == "gammatone" else \
    erbspace(100 * Hz, 8 * kHz, n) if case == "drnl" else \
    erbspace(200 * Hz, 8 * kHz, n)
t0 = time.process_time()
fb = Gammatone(sound, cf) if case == "gammatone" else \
    DRNL(sound, cf) if case == "drnl" else \
    TanCarney(sound, cf, update_interval=1)
built = time.process_time()
def sum_of_squares(x, running):
    return running + np.sum(x * x, axis=0)
total = fb.process(sum_of_squares, buffersize=buffersize)
done = time.process_time()
import resource
print(json.dumps({"seconds": done - t0, "build": built - t0,
                  "checksum": float(np.sum(total)),
                  "maxrss_kb": resource.getrusage(
                      resource.RUSAGE_SELF).ru_maxrss}))
'''


# ZhangSynapse in a network: argv = path ("core" or "python"), channels,
# fibres per channel, duration (s).
ZHANG_WORKLOAD = r'''
import sys, time, json
import numpy as np
from brianc import Hz, kHz, second, Network, SpikeMonitor, seed
from brianc.hears import (Sound, TanCarney, MiddleEar, ZhangSynapseRate,
                          ZhangSynapseSpikes, erbspace)
path, n, fibres, duration = sys.argv[1], int(sys.argv[2]), \
    int(sys.argv[3]), float(sys.argv[4])


class PythonRate:
    """The rate group seen through s_ only (the previous, Python path)."""
    def __init__(self, rate):
        self.rate, self.clock = rate, rate.clock
    def __len__(self):
        return len(self.rate)
    @property
    def s_(self):
        return self.rate._rate_now()


seed(1)
np.random.seed(1)
sound = Sound(0.02 * np.random.randn(int(duration * 50000)),
              samplerate=50 * kHz)
ihc = TanCarney(MiddleEar(sound), erbspace(200 * Hz, 8 * kHz, n),
                update_interval=1)
t0 = time.process_time()
rate = ZhangSynapseRate(ihc, erbspace(200 * Hz, 8 * kHz, n))
spikes = ZhangSynapseSpikes(rate if path == "core" else PythonRate(rate),
                            n_per_channel=fibres)
mon = SpikeMonitor(spikes)
net = Network(rate, spikes, mon)
built = time.process_time()
net.run(duration * second)
done = time.process_time()
print(json.dumps({"seconds": done - t0, "run": done - built,
                  "spikes": mon.nspikes}))
'''


def run_zhang(path: str, n: int, fibres: int, duration: float) -> dict:
    out = subprocess.run([sys.executable, "-c", ZHANG_WORKLOAD, path,
                          str(n), str(fibres), str(duration)],
                         capture_output=True, text=True, check=True,
                         env=dict(os.environ, OMP_NUM_THREADS="1",
                                  OPENBLAS_NUM_THREADS="1",
                                  BRIANC_THREADS="1"))
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_workload(python: str, which: str, case: str, n: int,
                 buffersize: int, duration: float = 1.0) -> dict:
    out = subprocess.run([python, "-c", WORKLOAD, which, case, str(n),
                          str(buffersize), str(duration)],
                         capture_output=True, text=True,
                         check=True,
                         env=dict(os.environ, OMP_NUM_THREADS="1",
                                  OPENBLAS_NUM_THREADS="1",
                                  BRIANC_THREADS="1"))
    return json.loads(out.stdout.strip().splitlines()[-1])


def gammatone_sections(n: int) -> np.ndarray:
    """(n, 4, 6) SOS of brianc's Gammatone (identical coefficients for
    SciPy and the hand C)."""
    from brianc import Hz, kHz
    from brianc.hears import Gammatone, Sound, erbspace
    g = Gammatone(Sound(np.zeros(4), samplerate=44.1 * kHz),
                  erbspace(20 * Hz, 20 * kHz, n))
    return np.ascontiguousarray(
        np.concatenate((g.filt_b, g.filt_a), axis=1).transpose(0, 2, 1))


def scipy_loop(sos: np.ndarray, x: np.ndarray) -> float:
    from scipy import signal
    t0 = time.process_time()
    total = 0.0
    for j in range(sos.shape[0]):
        y = signal.sosfilt(sos[j], x)
        total += float(np.dot(y, y))
    return time.process_time() - t0


def hand_c(sos: np.ndarray, x: np.ndarray, tmp: str) -> float:
    exe = os.path.join(tmp, "cascade")
    subprocess.run(["gcc", "-O3", "-std=c11", "-fno-math-errno",
                    "-fno-trapping-math", "-ffp-contract=off", "-o", exe,
                    os.path.join(HERE, "hears", "cascade.c")], check=True)
    coef = np.concatenate((sos[:, :, :3], sos[:, :, 4:]), axis=2)
    coef_path = os.path.join(tmp, "coef.bin")
    x_path = os.path.join(tmp, "x.bin")
    np.ascontiguousarray(coef, dtype=np.float64).tofile(coef_path)
    np.ascontiguousarray(x, dtype=np.float64).tofile(x_path)
    out = subprocess.run([exe, coef_path, x_path, str(sos.shape[1])],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.split()[0])


def median(runs) -> float:
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--drnl-channels", type=int, default=500)
    ap.add_argument("--tc-channels", type=int, default=50)
    ap.add_argument("--tc-duration", type=float, default=0.2,
                    help="seconds of sound for TanCarney (brian2hears "
                         "retunes in Python every sample: slow)")
    ap.add_argument("--zhang-channels", type=int, default=20)
    ap.add_argument("--zhang-fibres", type=int, default=10)
    ap.add_argument("--zhang-duration", type=float, default=0.1)
    ap.add_argument("--cases", default="gammatone,drnl,tancarney,zhang")
    ap.add_argument("--buffersize", type=int, default=32,
                    help="samples per buffered segment (default 32, Brian "
                         "Hears' own default and the fastest here: a "
                         "segment of 3000 channels stays in L2)")
    ap.add_argument("--brian2-python",
                    default=os.path.join(HERE, ".venv-brian2", "bin",
                                         "python"))
    args = ap.parse_args()
    have_b2 = os.path.exists(args.brian2_python) and subprocess.run(
        [args.brian2_python, "-c", "import brian2hears"],
        capture_output=True).returncode == 0
    rows = []

    def measure(label, fn, repeat=None):
        times = [fn() for _ in range(repeat or args.repeat)]
        rows.append((label, median(times)))
        print(f"{label:48s} {median(times):9.3f} s  "
              f"(runs {', '.join(f'{t:.3f}' for t in times)})", flush=True)
        return median(times)

    cases = args.cases.split(",")
    if "gammatone" in cases:
        gammatone_case(args, have_b2, measure)
    if "drnl" in cases:
        drnl_case(args, have_b2, measure)
    if "tancarney" in cases:
        tan_carney_case(args, have_b2, measure)
    if "zhang" in cases:
        zhang_case(args)
    if not have_b2:
        print("\n(brian2hears not found: make benchmarks/.venv-brian2 with "
              "numpy<2.4, brian2 and brian2hears to compare)")


def peer_ratios(label, t_brianc, t_cython, t_numpy) -> None:
    print(f"  brianc vs brian2hears ({label}): {t_cython / t_brianc:.1f}x "
          f"faster than its Cython path, {t_numpy / t_brianc:.1f}x than "
          f"its NumPy path (target >= 10)")


def gammatone_case(args, have_b2, measure) -> None:
    print(f"gammatone: {N_GAMMATONE} channels, 1 s at 44.1 kHz, "
          f"buffersize {args.buffersize}")
    memory = {}

    def brianc_gt():
        r = run_workload(sys.executable, "brianc", "gammatone", N_GAMMATONE,
                         args.buffersize)
        memory["brianc"] = r["maxrss_kb"]
        return r["seconds"]

    t_brianc = measure("brianc Gammatone.process", brianc_gt)
    if have_b2:
        def b2_gt():
            r = run_workload(args.brian2_python, "brian2hears", "gammatone",
                             N_GAMMATONE, args.buffersize)
            memory["brian2hears"] = r["maxrss_kb"]
            return r["seconds"]
        t_b2 = measure("brian2hears Gammatone.process (Cython)", b2_gt)
        t_b2n = measure("brian2hears Gammatone.process (NumPy path)",
                        lambda: run_workload(args.brian2_python,
                                             "brian2hears-numpy",
                                             "gammatone", N_GAMMATONE,
                                             args.buffersize)["seconds"])
    sos = gammatone_sections(N_GAMMATONE)
    x = np.random.default_rng(1).normal(size=int(FS))
    t_scipy = measure("scipy sosfilt, loop over channels",
                      lambda: scipy_loop(sos, x), repeat=1)
    with tempfile.TemporaryDirectory() as tmp:
        t_c = measure("hand-written C cascade (filtering only)",
                      lambda: hand_c(sos, x, tmp))
    print(f"  brianc vs SciPy loop: {t_scipy / t_brianc:.1f}x faster")
    print(f"  brianc / hand C: {t_brianc / t_c:.2f} (target <= 1.5)")
    if have_b2:
        peer_ratios("gammatone", t_brianc, t_b2, t_b2n)
    n_m_p = 3 * 4
    print(f"  memory per channel (brianc): coefficients and state "
          f"{3 * n_m_p * 8} bytes, plus {2 * 8 * args.buffersize} bytes of "
          f"buffers (input and output segment); peak RSS "
          f"{memory.get('brianc', 0) / 1024:.0f} MB brianc"
          + (f", {memory.get('brian2hears', 0) / 1024:.0f} MB brian2hears"
             if have_b2 else ""))


def drnl_case(args, have_b2, measure) -> None:
    n = args.drnl_channels
    print(f"\ndrnl: {n} channels, 1 s at 44.1 kHz")
    t_dr = measure("brianc DRNL.process", lambda: run_workload(
        sys.executable, "brianc", "drnl", n, args.buffersize)["seconds"])
    if have_b2:
        t_dr2 = measure("brian2hears DRNL.process (Cython)",
                        lambda: run_workload(
                            args.brian2_python, "brian2hears", "drnl", n,
                            args.buffersize)["seconds"])
        t_dr2n = measure("brian2hears DRNL.process (NumPy path)",
                         lambda: run_workload(
                             args.brian2_python, "brian2hears-numpy", "drnl",
                             n, args.buffersize)["seconds"])
        peer_ratios("DRNL", t_dr, t_dr2, t_dr2n)


def tan_carney_case(args, have_b2, measure) -> None:
    n, duration = args.tc_channels, args.tc_duration
    print(f"\ntancarney: {n} channels, {duration * 1000:g} ms at 50 kHz, "
          f"update_interval 1")

    def run(python, which):
        return lambda: run_workload(python, which, "tancarney", n,
                                    args.buffersize, duration)["seconds"]

    t_tc = measure("brianc TanCarney.process", run(sys.executable, "brianc"))
    if have_b2:
        t_tc2 = measure("brian2hears TanCarney.process (Cython)",
                        run(args.brian2_python, "brian2hears"), repeat=1)
        t_tc2n = measure("brian2hears TanCarney.process (NumPy path)",
                         run(args.brian2_python, "brian2hears-numpy"),
                         repeat=1)
        peer_ratios("TanCarney", t_tc, t_tc2, t_tc2n)


def zhang_case(args) -> None:
    n, fibres, duration = (args.zhang_channels, args.zhang_fibres,
                           args.zhang_duration)
    print(f"\nzhang: {n} channels x {fibres} fibres on TanCarney, "
          f"{duration * 1000:g} ms at 50 kHz ({int(duration * 50000)} "
          f"steps), CPU s of the run, alternated")
    runs = {"core": [], "python": []}
    for _ in range(args.repeat):
        for path in runs:
            runs[path].append(run_zhang(path, n, fibres, duration)["run"])
    for path, label in (("core", "ZhangSynapse, fibres' steps in C"),
                        ("python", "ZhangSynapse, NumPy op + Python reset")):
        t = runs[path]
        print(f"{label:48s} {median(t):9.3f} s  "
              f"(runs {', '.join(f'{x:.3f}' for x in t)})")
    per_step = (median(runs["python"]) - median(runs["core"])) / \
        (duration * 50000) * 1e6
    print(f"  core tasks / Python path: "
          f"{median(runs['core']) / median(runs['python']):.2f} "
          f"({per_step:.1f} us less per step)")


if __name__ == "__main__":
    main()
