"""Runs the six Brian 1 demos headless, each in a fresh process, saving each
demo's figure as <out>/<demo>.png and printing one line per demo: spikes,
mean rate and wall time.

    python examples/run_all.py --out figures [demo ...]

With BRIANC_PLOTTING=off in the environment the demos run without their
plots (matplotlib is not needed) and no figure is written.

The demos run verbatim.  Spikes are those of the demo's SpikeMonitors; a demo
without one (adaptive_threshold, hh_network) gets a spike counter on each of
its NeuronGroups, added when it calls run() (marked "counted").  Figures are
laid out with matplotlib's tight layout so titles and labels do not overlap.
"""
from __future__ import annotations

import argparse
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

DEMOS = ["random_network", "synfire_chain", "sparse_inhibitory",
         "topographic_map", "adaptive_threshold", "hh_network"]
HERE = Path(__file__).resolve().parent


def _count_unmonitored_spikes(counters: list) -> None:
    """Wrap brianc.run: if the calling script has no SpikeMonitor, count
    the spikes of its NeuronGroups (an observer: the run is unchanged)."""
    import brianc
    from brianc import NeuronGroup, PopulationSpikeCounter, SpikeMonitor
    from brianc import magic
    original = brianc.run

    def run(*args, **kwds):
        script = sys._getframe(1).f_globals
        values = list(script.values())
        if not counters and not any(isinstance(v, SpikeMonitor)
                                    for v in values):
            for group in values:
                if isinstance(group, NeuronGroup):
                    counter = PopulationSpikeCounter(group)
                    magic.retag(counter, 1)    # the script's run() sees it
                    counters.append(counter)
        return original(*args, **kwds)

    brianc.run = run


def _plotting_off() -> bool:
    return os.environ.get("BRIANC_PLOTTING", "").lower() == "off"


def run_one(script: Path) -> None:
    """Child mode: run the demo verbatim, then summarise its spikes."""
    if not _plotting_off():
        import matplotlib
        matplotlib.rcParams["figure.autolayout"] = True
    counters: list = []
    _count_unmonitored_spikes(counters)
    namespace = runpy.run_path(str(script), run_name="__main__")
    from brianc import SpikeMonitor
    spikes = 0
    neurons = 0
    seen = []
    for value in namespace.values():
        monitors = value if isinstance(value, list) else [value]
        for m in monitors:
            if isinstance(m, SpikeMonitor) and all(m is not s for s in seen):
                seen.append(m)
                spikes += m.nspikes
                neurons += len(m.source)
    for c in counters:
        spikes += c.nspikes
        neurons += len(c.source)
    clock = namespace.get("defaultclock")
    duration = float(clock.t) if clock is not None else 0.0
    rate = spikes / (neurons * duration) if neurons and duration else 0.0
    print(f"SUMMARY {spikes} {rate:.3f} {'counted' if counters else ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="figures",
                        help="folder for the PNG figures (default: figures)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("demos", nargs="*", default=DEMOS)
    args = parser.parse_args()
    if args.one:
        run_one(Path(args.one))
        return 0
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for demo in args.demos:
        env = dict(os.environ)
        if not _plotting_off():
            env.update(MPLBACKEND="Agg",
                       BRIANC_SAVEFIG=str(out / f"{demo}.png"))
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--one",
             str(HERE / f"{demo}.py")], env=env, capture_output=True,
            text=True, cwd=str(out))
        wall = time.perf_counter() - start
        summary = [line for line in proc.stdout.splitlines()
                   if line.startswith("SUMMARY ")]
        if proc.returncode != 0 or not summary:
            failures += 1
            print(f"{demo:20s} FAILED ({wall:.2f} s)\n{proc.stderr[-2000:]}")
            continue
        spikes, rate, *note = summary[-1].split()[1:]
        figure = "(plotting off)" if _plotting_off() else \
            f"-> {out / (demo + '.png')}"
        print(f"{demo:20s} {int(spikes):7d} spikes  mean rate "
              f"{float(rate):7.2f} Hz  wall {wall:5.2f} s  {figure}"
              + ("  (spikes counted)" if note else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
