"""Fixtures of the demo acceptance tests: each demo is run once per seed in
fresh processes (the seeds of one demo in parallel), and the results are
shared by every test of the session and summarised at the end."""
from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import demo_runner  # noqa: E402

# Three seeds per demo, and every run must match the reference on its own.
# The README's rule (4 sd, or the relative floor) is meant for one run, so a
# correct model fails it with probability ~1e-4 per statistic; three runs
# keep that negligible while a model that is off by a few sd (a wrong
# integrator, a lost refractory step) is caught more often than with one.
# Runs are seeded, so the outcome is deterministic.  Three seeds keep the
# whole demo suite near 30 s on two cores.
SEEDS = (1, 2, 3)

_results: dict[str, list] = {}


@pytest.fixture(scope="session")
def figure_dir(tmp_path_factory) -> Path:
    """Where the demos' PNGs go (BRIANC_DEMO_FIGS keeps them somewhere)."""
    keep = os.environ.get("BRIANC_DEMO_FIGS")
    if keep:
        path = Path(keep)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("demo_figures")


@pytest.fixture(scope="session")
def demo_runs(figure_dir):
    """demo_runs(demo) -> one stats dict per seed of SEEDS, each with the
    seed and its PNG path; computed on first use, then cached."""
    def get(demo: str) -> list:
        if demo not in _results:
            def one(seed: int) -> dict:
                png = figure_dir / f"{demo}_seed{seed}.png"
                stats = demo_runner.run_demo(demo, seed, png)
                stats.update(_seed=seed, _png=str(png))
                return stats
            workers = min(len(SEEDS), os.cpu_count() or 1)
            with ThreadPoolExecutor(max_workers=workers) as pool:
                _results[demo] = list(pool.map(one, SEEDS))
        return _results[demo]
    return get


def pytest_terminal_summary(terminalreporter):
    """Each demo's statistics per seed next to the reference mean."""
    if not _results:
        return
    reference = demo_runner.load_reference()
    tr = terminalreporter
    tr.write_sep("-", "demo statistics (seeds " +
                 ", ".join(map(str, SEEDS)) + ") vs Brian 2 reference")
    for demo, runs in _results.items():
        walls = ", ".join(f"{r['_wall_s']:.2f}" for r in runs)
        tr.write_line(f"{demo}: wall {walls} s")
        for name, entry in reference[demo].items():
            if name.startswith("_") or name not in runs[0]:
                continue
            values = ", ".join(f"{r[name]:.4g}" for r in runs)
            _, allowed = demo_runner.matches(entry["mean"], entry)
            tr.write_line(f"    {name:24s} {values:32s} ref "
                          f"{entry['mean']:.4g} +- {allowed:.3g}")
