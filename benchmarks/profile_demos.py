"""Where brianc's run() time goes, per phase, for each demo: runs every
demo verbatim with BRIANC_PROFILE=1 (brianc's built-in timing mode) and
plotting off, and prints a Markdown table (median of --repeats runs).

    python benchmarks/profile_demos.py [--repeats 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMOS = ["random_network", "synfire_chain", "sparse_inhibitory",
         "topographic_map", "adaptive_threshold", "hh_network"]
PHASES = ["update", "propagate", "reset", "monitors", "python", "total"]


def profile_once(demo: str) -> dict:
    env = dict(os.environ, BRIANC_PROFILE="1", BRIANC_PLOTTING="off",
               MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    out = subprocess.run([sys.executable, str(ROOT / "examples" /
                                              f"{demo}.py")],
                         env=env, capture_output=True, text=True, check=True)
    totals = dict.fromkeys(PHASES, 0.0)
    for line in out.stderr.splitlines():   # one line per run() call
        if line.startswith("brianc profile (s): "):
            for part in line.split(": ", 1)[1].split(", "):
                name, value = part.split()
                totals[name] += float(value)
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("| demo | " + " | ".join(PHASES) + " |")
    print("|---" * (len(PHASES) + 1) + "|")
    for demo in DEMOS:
        runs = [profile_once(demo) for _ in range(args.repeats)]
        med = {p: statistics.median(r[p] for r in runs) for p in PHASES}
        total = med["total"] or 1.0
        cells = [f"{med[p] * 1e3:.1f} ms ({100 * med[p] / total:.0f}%)"
                 if p != "total" else f"{med[p] * 1e3:.1f} ms"
                 for p in PHASES]
        print(f"| {demo} | " + " | ".join(cells) + " |")
    print(f"\nload average: {os.getloadavg()[0]:.2f} "
          f"({os.cpu_count()} cores); medians of {args.repeats} runs; "
          "'python' is the run loop's own time outside the phases plus "
          "any Python callbacks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
