"""Command line and JSON output shared by the brianc benchmark scripts.

The scripts themselves are Brian 1 code (``from brianc import *``); this
module keeps the argument parsing and timing report out of them.
"""
from __future__ import annotations

import argparse
import json

__all__ = ["parse", "count_spikes", "report"]


def parse(default_duration_ms: float) -> argparse.Namespace:
    """--scale K (multiplies N), --duration-ms T, --seed S."""
    p = argparse.ArgumentParser()
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--duration-ms", type=float, default=default_duration_ms)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def count_spikes(monitor) -> int:
    """Spike count of a Brian 1 SpikeMonitor (nspikes, else its list)."""
    n = getattr(monitor, "nspikes", None)
    if n is None:
        n = len(monitor.spikes)
    return int(n)


def report(args, n: int, import_s: float, setup_s: float, run_s: float,
           monitor) -> None:
    """Print the one JSON line benchmarks/run.py reads."""
    print(json.dumps({"simulator": "brianc", "import_s": import_s,
                      "setup_s": setup_s, "run_s": run_s,
                      "spikes": count_spikes(monitor), "n": int(n),
                      "scale": args.scale,
                      "duration_ms": args.duration_ms, "seed": args.seed}),
          flush=True)
