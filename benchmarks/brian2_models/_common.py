"""Shared driver for the Brian 2 translations of the six demos.

Each model script defines ``build(scale, seed, duration_ms)`` which creates
its Brian 2 objects and returns ``(n_neurons, spike_monitors, objects)``;
``main`` picks the code-generation target, times construction, code
generation and the run apart, and prints one JSON line for benchmarks/run.py.
With --rss-launcher, cpp_standalone also reports the simulation binary's own
peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

__all__ = ["main"]


def _parse(argv, default_duration_ms: float) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--target", default="cython",
                   choices=["cython", "cpp_standalone", "numpy"])
    p.add_argument("--scale", type=float, default=1.0,
                   help="multiplies N (scalable models only)")
    p.add_argument("--duration-ms", type=float, default=default_duration_ms)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cache-dir", default=None,
                   help="Cython cache directory (fresh: a cold run)")
    p.add_argument("--build-dir", default=None,
                   help="cpp_standalone project directory (default: a "
                        "temporary directory, removed afterwards)")
    p.add_argument("--rss-launcher", default=None,
                   help="benchmarks/maxrss.c compiled: run the standalone "
                        "binary under it and report its peak RSS")
    return p.parse_args(argv)


def main(build, default_duration_ms: float, scalable: bool,
         argv=None) -> None:
    """Run one model under one Brian 2 target and print the JSON line."""
    args = _parse(argv, default_duration_ms)
    if not scalable and args.scale != 1.0:
        sys.exit("this model is not scalable (only --scale 1)")
    t_import = time.perf_counter()
    import brian2 as b2
    import numpy as np
    import_s = time.perf_counter() - t_import

    b2.prefs.logging.console_log_level = "WARNING"
    b2.prefs.logging.file_log = False  # don't litter /tmp with log files
    standalone = args.target == "cpp_standalone"
    build_dir = None
    if standalone:
        b2.set_device("cpp_standalone", build_on_run=False)
        # one thread, as brianc and the hand-written C use one core
        b2.prefs.devices.cpp_standalone.openmp_threads = 0
        build_dir = os.path.abspath(args.build_dir or
                                    tempfile.mkdtemp(prefix="b2sa_"))
        rss_file = os.path.join(build_dir, "main_maxrss_kib")
        if args.rss_launcher:
            # Brian 2 runs `run_cmd_unix + ["--results_dir", ...]` in the
            # project directory with its environment and stdout; the
            # launcher only adds a fork and a wait4, so the binary still
            # runs once and Brian 2 loads its results as usual.  Measured
            # from this Python process instead, the binary's ru_maxrss
            # could not drop below this process's RSS (see maxrss.c).
            b2.prefs.devices.cpp_standalone.run_cmd_unix = [
                os.path.abspath(args.rss_launcher), rss_file, "./main"]
    else:
        b2.prefs.codegen.target = args.target
        if args.cache_dir is not None:
            b2.prefs.codegen.runtime.cython.cache_dir = args.cache_dir
    b2.seed(args.seed)
    np.random.seed(args.seed)
    b2.defaultclock.dt = 0.1 * b2.ms

    t0, c0 = time.perf_counter(), time.process_time()
    n_neurons, monitors, objects = build(args.scale, args.seed,
                                         args.duration_ms)
    net = b2.Network(*objects)
    setup_s = time.perf_counter() - t0
    setup_cpu_s = time.process_time() - c0
    duration = args.duration_ms * b2.ms
    out = {"simulator": "brian2", "target": args.target,
           "brian2_version": b2.__version__, "import_s": import_s,
           "setup_s": setup_s, "setup_cpu_s": setup_cpu_s,
           "n": int(n_neurons), "scale": args.scale,
           "duration_ms": args.duration_ms, "seed": args.seed}
    try:
        if standalone:
            net.run(duration)
            t1 = time.perf_counter()
            b2.device.build(directory=build_dir, compile=True, run=False,
                            with_output=False)
            out["build_s"] = time.perf_counter() - t1
            t2 = time.perf_counter()
            b2.device.run(directory=build_dir, with_output=False)
            out["run_process_s"] = time.perf_counter() - t2
            # time spent inside the simulation loop, measured by the binary
            out["run_s"] = float(b2.device._last_run_time)
            if args.rss_launcher:
                with open(rss_file) as f:
                    out["binary_rss_mb"] = int(f.read()) / 1024.0  # KiB
        else:
            # A zero-length run generates and compiles (or loads from the
            # cache) every code object, so run_s below is the simulation.
            t1 = time.perf_counter()
            net.run(0 * b2.ms)
            out["build_s"] = time.perf_counter() - t1
            t2 = time.perf_counter()
            net.run(duration)
            out["run_s"] = time.perf_counter() - t2
        out["spikes"] = int(sum(int(m.num_spikes) for m in monitors))
    finally:
        if standalone and args.build_dir is None:
            shutil.rmtree(build_dir, ignore_errors=True)
    print(json.dumps(out), flush=True)
    os._exit(0)  # skip Brian 2's slow interpreter teardown; output is flushed
