"""Log-log plot of run() time against network size from results.json.

    python benchmarks/plot_scaling.py results.json scaling.png

Separate from run.py so it can use any interpreter that has matplotlib.
"""
from __future__ import annotations

import json
import sys

__all__ = ["plot"]

LABELS = {"brianc": "brianc", "brian2_cython": "Brian 2 cython",
          "brian2_standalone": "Brian 2 standalone", "c": "hand C"}
MARKERS = {"brianc": "o", "brian2_cython": "s", "brian2_standalone": "^",
           "c": "D"}


def plot(results: dict, png: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    models = list(results["scaled"])
    fig, axes = plt.subplots(1, len(models), figsize=(4.5 * len(models), 4),
                             squeeze=False)
    for ax, model in zip(axes[0], models):
        rows = results["scaled"][model]
        for sim, label in LABELS.items():
            pts = [(row["n"], row["sims"][sim]["run_s"] * 1000.0 /
                    row.get("duration_ms", 1000.0)) for row in rows
                   if row.get("n") and sim in row["sims"]
                   and row["sims"][sim].get("status") == "ok"
                   and row["sims"][sim].get("run_s")]
            if pts:
                xs, ys = zip(*pts)
                ax.loglog(xs, ys, marker=MARKERS[sim], label=label)
        ax.set_title(model)
        ax.set_xlabel("neurons N")
        # Minor-tick labels (4x10^3, 6x10^3, ...) collide on a log axis.
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylabel("run() time per simulated second (s)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(png, dpi=120)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        plot(json.load(f), sys.argv[2])
