"""Runs the six Brian 1 demos headless, each in a fresh process, saving each
demo's figure as <out>/<demo>.png and printing one line per demo: spikes,
mean rate and wall time.

    python examples/run_all.py --out figures
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


def run_one(script: Path) -> None:
    """Child mode: run the demo verbatim, then summarise its monitors."""
    namespace = runpy.run_path(str(script), run_name="__main__")
    from brianc import SpikeMonitor
    spikes = 0
    neurons = 0
    for value in namespace.values():
        monitors = value if isinstance(value, list) else [value]
        for m in monitors:
            if isinstance(m, SpikeMonitor):
                spikes += m.nspikes
                neurons += len(m.source)
    clock = namespace.get("defaultclock")
    duration = float(clock.t) if clock is not None else 0.0
    rate = spikes / (neurons * duration) if neurons and duration else 0.0
    print(f"SUMMARY {spikes} {rate:.3f}")


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
        env = dict(os.environ, MPLBACKEND="Agg",
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
        spikes, rate = summary[-1].split()[1:]
        print(f"{demo:20s} {int(spikes):7d} spikes  mean rate "
              f"{float(rate):7.2f} Hz  wall {wall:5.2f} s  -> "
              f"{out / (demo + '.png')}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
