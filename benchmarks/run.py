"""Benchmark harness: brianc against Brian 2 and hand-written C on the demos.

    python benchmarks/run.py [--quick] [--out DIR] [--only NAME[,NAME]]

Every measurement is a fresh process; simulators alternate within each
repetition and medians are reported.  Writes results.md, results.json and,
when scaled sizes are run, scaling.png into --out (benchmarks/results/).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["main"]

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEMOS = ["random_network", "synfire_chain", "sparse_inhibitory",
         "topographic_map", "adaptive_threshold", "hh_network"]
SCALABLE = ["random_network", "sparse_inhibitory", "hh_network"]
C_FLAGS = ["-O3", "-march=native", "-ffast-math", "-std=c11",
           "-D_GNU_SOURCE"]
# Expected hand-C figures on the reference machine (ns per unit of work).
MICRO_EXPECTED = {"hh_update_4000": 10.0, "cuba_update_4000": 0.3,
                  "noisy_lif_update_5000": 2.0}
# Column keys, in table order, and their headings.
# brianc runs on one thread like its rivals (OMP_NUM_THREADS=1); its
# threaded figure is a column of its own, never in the ratios.
SIMS = {
    "brianc": "brianc (1 thread)",
    "brian2_cython": "Brian 2 cython (warm)",
    "brian2_cython_cold": "Brian 2 cython (cold)",
    "brian2_standalone": "Brian 2 cpp_standalone",
    "c": "hand C",
    "brianc_threads": "brianc (all cores)",
}
# Simulators whose spike counts are compared with brianc's (same model,
# different random numbers: a statistical comparison).
SPIKE_RIVALS = ("brian2_cython", "brian2_standalone", "c")
# benchmarks/maxrss.c compiled, set once by main(): children run under it so
# that their peak RSS is theirs, not floored at this process's.
MAXRSS: str | None = None
# Whether brianc runs from the repository (its in-place build on
# PYTHONPATH) rather than from a regular install; set once by main().
IN_TREE = True
# brianc's vector-kernel paths (BRIANC_ISA) to run, fastest last; the
# fastest is the "brianc" column, the others get cases "brianc@<path>" and
# "brianc_model@<path>".  Set once by main().
ISA_PATHS: list[str] = []


# ---------------------------------------------------------------- processes

@dataclass
class Proc:
    """One finished child process: wall time, peak RSS and its JSON line;
    its CPU time (user + system, children it waited for included), which
    a loaded machine stretches far less than the wall time."""
    ok: bool
    wall_s: float
    maxrss_mb: float
    data: dict = field(default_factory=dict)
    error: str = ""
    cpu_s: float = 0.0


def run_proc(cmd: list[str], env: dict | None = None,
             timeout: float = 1800.0) -> Proc:
    """Run cmd from a neutral directory (so that `python -c` does not pick
    up the repository's unbuilt sources); parse the last JSON line it
    prints."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile() as rss_file:
        if MAXRSS:
            cmd = [MAXRSS, rss_file.name, *cmd]
        t0 = time.perf_counter()
        try:
            p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env,
                                 cwd=tempfile.gettempdir())
        except OSError as e:
            return Proc(False, 0.0, 0.0, error=str(e))
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        # wait4 reaps this very child and returns its own rusage: its peak
        # RSS (including children it waited for), unaffected by siblings,
        # but never below this process's RSS; the launcher's figure, read
        # below, has no such floor (see maxrss.c).
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
        maxrss_kib = usage.ru_maxrss            # Linux reports KiB
        cpu_s = usage.ru_utime + usage.ru_stime
        launcher_kib = rss_file.read().strip()
        if launcher_kib:
            maxrss_kib = int(launcher_kib)
    rss_mb = maxrss_kib / 1024.0
    if p.returncode != 0:
        lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
        why = lines[-1] if lines else f"exit status {p.returncode}"
        if p.returncode < 0:
            why = f"killed by signal {-p.returncode} ({why})"
        return Proc(False, wall, rss_mb, error=why[:300], cpu_s=cpu_s)
    data = {}
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except ValueError:
                pass
            break
    return Proc(True, wall, rss_mb, data=data, cpu_s=cpu_s)


def base_env() -> dict:
    """Environment for every child: one thread, no plot windows."""
    env = dict(os.environ)
    # Plotting off: brianc's plotting calls become no-ops that never import
    # matplotlib (the Brian 2 translations do not plot).  Bytecode caching
    # on, as after any install, for every simulator alike.
    env.update(MPLBACKEND="Agg", BRIANC_PLOTTING="off", OMP_NUM_THREADS="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _built_in_tree() -> bool:
    """True if the repository's brianc has its extension built in place
    (pip install -e or build_ext --inplace)."""
    return any((REPO / "brianc").glob("_core*.so")) or any(
        (REPO / "brianc").glob("_core*.pyd"))


def brianc_env(threads: str = "1", isa: str = "") -> dict:
    """For the in-tree brianc, the repository's in-place build (even
    without pip install -e); otherwise the installed one, which the
    repository's unbuilt sources must not shadow.  One thread unless
    ``threads`` is "" (brianc's default: one per core); the vector-kernel
    path ``isa`` (BRIANC_ISA) if given, else the fastest the CPU has."""
    env = base_env()
    env.pop("BRIANC_ISA", None)
    if isa:
        env["BRIANC_ISA"] = isa
    if threads:
        env["BRIANC_THREADS"] = threads
    else:
        env.pop("BRIANC_THREADS", None)
    if IN_TREE and _built_in_tree():
        env["PYTHONPATH"] = os.pathsep.join(
            [str(REPO)] + [x for x in env.get("PYTHONPATH", "").split(
                os.pathsep) if x])
    return env


def source_digest() -> str:
    """A digest of everything `pip install .` builds brianc from."""
    h = hashlib.sha256()
    files = sorted([*REPO.glob("brianc/*.py"), *REPO.glob("csrc/**/*.[ch]"),
                    REPO / "setup.py", REPO / "pyproject.toml"])
    for f in files:
        h.update(str(f.relative_to(REPO)).encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


def install_brianc(build_dir: Path) -> tuple[str | None, str]:
    """An interpreter with brianc installed as its users install it
    (`pip install .`), in a private environment under build_dir that is
    reinstalled whenever the sources change.  A development install
    (pip install -e) puts a finder into every interpreter's start-up,
    about 5 ms that no user pays; Brian 2 runs from a regular install."""
    venv = build_dir / "venv-brianc"
    py = venv / "bin" / "python"
    stamp = venv / "brianc-sources.sha256"
    digest = source_digest()
    note = f"brianc: installed with `pip install .` into {venv}"
    if py.exists() and stamp.exists() and stamp.read_text() == digest:
        return str(py), note
    log("installing brianc (pip install .) for the benchmark ...")
    for cmd in ([sys.executable, "-m", "venv", "--clear", str(venv)],
                [str(py), "-m", "pip", "install", "--quiet", str(REPO)]):
        r = run_proc(cmd, base_env(), 1800)
        if not r.ok:
            return None, f"brianc could not be installed ({r.error})"
    stamp.write_text(digest)
    return str(py), note


# ------------------------------------------------------------------ probing

def probe_brianc(python: str) -> str:
    """'' when `from brianc import *` works, else why not."""
    r = run_proc([python, "-c", "from brianc import *"], brianc_env(), 120)
    return "" if r.ok else f"brianc unavailable: {r.error}"


def probe_isa_paths(python: str, wanted: str) -> tuple[list[str], str]:
    """The vector-kernel paths this CPU runs (fastest last), limited to
    the comma-separated ``wanted`` unless it is "all"."""
    r = run_proc([python, "-c", "import json; from brianc import _core; "
                  "print(json.dumps({'paths': _core.ISA_AVAILABLE}))"],
                 brianc_env(), 120)
    if not r.ok:
        return [], f"brianc vector-kernel paths unknown: {r.error}"
    paths = r.data["paths"].split()
    if wanted != "all":
        keep = [p.strip() for p in wanted.split(",") if p.strip()]
        paths = [p for p in paths if p in keep]
    return paths, ("brianc vector-kernel paths run (BRIANC_ISA): "
                   + (", ".join(paths) or "none")
                   + f" of this CPU's {r.data['paths']}; the brianc columns "
                   "are the fastest")


def find_brian2(requested: str | None) -> tuple[str | None, str]:
    """An interpreter that imports brian2, and a note for the report."""
    candidates = [requested] if requested else [
        os.environ.get("BRIANC_BENCH_BRIAN2_PYTHON"), sys.executable,
        str(BENCH / ".venv-brian2" / "bin" / "python")]
    tried = []
    for py in candidates:
        if not py or not Path(py).exists() and shutil.which(py) is None:
            continue
        r = run_proc([py, "-c", "import brian2, json; "
                      "print(json.dumps({'v': brian2.__version__}))"],
                     base_env(), 300)
        if r.ok:
            return py, f"Brian 2 {r.data.get('v')} ({py})"
        tried.append(f"{py}: {r.error}")
    return None, ("Brian 2 unavailable, its columns are skipped (make an "
                  "environment with benchmarks/setup_brian2_env.sh or set "
                  "BRIANC_BENCH_BRIAN2_PYTHON). Tried: " + "; ".join(tried))


def build_maxrss(build_dir: Path) -> tuple[str | None, str]:
    """Compile the peak-RSS launcher; returns its path and a note."""
    gcc = shutil.which(os.environ.get("CC", "gcc"))
    why = "no C compiler"
    if gcc is not None:
        build_dir.mkdir(parents=True, exist_ok=True)
        exe = build_dir / "maxrss"
        r = run_proc([gcc, "-O2", "-std=c11", "-o", str(exe),
                      str(BENCH / "maxrss.c")], base_env(), 300)
        if r.ok:
            return str(exe), ("peak RSS: each child's own ru_maxrss, "
                              "reaped by benchmarks/maxrss.c")
        why = r.error
    return None, (f"peak RSS launcher not built ({why}): every peak RSS is "
                  "at least the harness's own, which inflates small ones")


def build_c(build_dir: Path) -> tuple[dict, str]:
    """Compile the C baselines; returns {name: binary} and a note."""
    gcc = shutil.which(os.environ.get("CC", "gcc"))
    if gcc is None:
        return {}, "hand C skipped: no C compiler"
    build_dir.mkdir(parents=True, exist_ok=True)
    bins, errors = {}, []
    for name in SCALABLE + ["micro"]:
        exe = build_dir / name
        r = run_proc([gcc, *C_FLAGS, "-o", str(exe),
                      str(BENCH / "baseline_c" / f"{name}.c"), "-lm"],
                     base_env(), 300)
        if r.ok:
            bins[name] = str(exe)
        else:
            errors.append(f"{name}: {r.error}")
    note = "gcc " + " ".join(C_FLAGS)
    if errors:
        note += "; failed: " + "; ".join(errors)
    return bins, note


# ------------------------------------------------------------- measurement

@dataclass
class Case:
    """One simulator on one model: how to run it, and what it gave."""
    sim: str
    cmd: list[str]
    env: dict
    repeats: int
    cold_cache: bool = False        # a fresh Cython cache dir every run
    warmup: bool = False
    runs: list = field(default_factory=list)

    def run_once(self) -> None:
        cmd, tmp = list(self.cmd), None
        if self.cold_cache:
            tmp = tempfile.mkdtemp(prefix="b2cache_")
            cmd += ["--cache-dir", tmp]
        try:
            self.runs.append(run_proc(cmd, self.env))
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)


def measure(cases: list[Case], label: str) -> None:
    """Warm up, then alternate the simulators repetition by repetition."""
    for c in cases:
        if c.warmup:
            log(f"  {label}: warming {c.sim}")
            r = run_proc(c.cmd, c.env)
            if not r.ok:
                c.runs.append(r)            # record the failure, skip it
                c.repeats = 0
    for rep in range(max((c.repeats for c in cases), default=0)):
        for c in cases:
            if rep < c.repeats and (not c.runs or c.runs[-1].ok):
                c.run_once()
                r = c.runs[-1]
                msg = (f"wall {r.wall_s:.3f} s, cpu {r.cpu_s:.3f} s" if r.ok
                       else f"FAILED: {r.error}")
                log(f"  {label} [{rep + 1}/{c.repeats}] {c.sim}: {msg}")


def summarise(case: Case) -> dict:
    """Medians over the successful runs, all spike counts, peak RSS."""
    ok = [r for r in case.runs if r.ok]
    if not ok:
        errors = [r.error for r in case.runs if r.error]
        return {"status": "failed" if errors else "skipped",
                "error": errors[-1] if errors else ""}
    out = {"status": "ok", "repeats": len(ok),
           "wall_s": statistics.median(r.wall_s for r in ok),
           "wall_s_all": [round(r.wall_s, 4) for r in ok],
           "cpu_s": statistics.median(r.cpu_s for r in ok),
           "peak_rss_mb": max(r.maxrss_mb for r in ok)}
    for key in ("import_s", "setup_s", "build_s", "run_s", "run_process_s"):
        vals = [r.data[key] for r in ok if key in r.data]
        if vals:
            out[key] = statistics.median(vals)
    binary = [r.data["binary_rss_mb"] for r in ok
              if "binary_rss_mb" in r.data]
    if binary:
        # Brian 2 standalone: the simulation binary alone (peak_rss_mb is
        # the Python driver, which waited for the binary and the compiler)
        out["binary_rss_mb"] = max(binary)
    spikes = [r.data["spikes"] for r in ok if "spikes" in r.data]
    if spikes:
        out["spikes"] = int(statistics.median(spikes))
        out["spikes_all"] = spikes
    if "n" in ok[0].data:
        out["n"] = ok[0].data["n"]
    return out


def isa_ratios(per: dict) -> dict:
    """Per vector-kernel path: whole process against Brian 2 cython warm
    (the 10x target is a ratio of 0.1 or less) and the model script's
    run() against the hand C."""
    out = {}
    fastest = ISA_PATHS[-1] if ISA_PATHS else ""
    for isa in ISA_PATHS:
        at = "" if isa == fastest else f"@{isa}"
        out[isa] = {
            "wall_s": (per.get("brianc" + at) or {}).get("wall_s"),
            "cpu_s": (per.get("brianc" + at) or {}).get("cpu_s"),
            "run_s": (per.get("brianc_model" + at) or {}).get("run_s"),
            "brianc/brian2_cython": ratio(per.get("brianc" + at),
                                          per.get("brian2_cython"),
                                          "wall_s"),
            "brianc/brian2_cython (cpu)": ratio(per.get("brianc" + at),
                                                per.get("brian2_cython"),
                                                "cpu_s"),
            "brianc/c": ratio(per.get("brianc_model" + at), per.get("c"),
                              "run_s")}
    return out


def spike_check(mine: list, theirs: list) -> tuple[bool, str]:
    """Whether two simulators' spike counts of one model agree: their
    random numbers differ, so the medians may differ by the run-to-run
    spread (the larger of the two, at least Poisson's sqrt(n)) times 5,
    plus 10% for dynamics that amplify small differences."""
    a, b = statistics.median(mine), statistics.median(theirs)
    spread = max(statistics.pstdev(mine) if len(mine) > 1 else 0.0,
                 statistics.pstdev(theirs) if len(theirs) > 1 else 0.0,
                 math.sqrt(max(a, b, 1.0)))
    allowed = 5 * spread + 0.1 * max(a, b)
    return abs(a - b) <= allowed, (f"difference {abs(a - b):.0f}, allowed "
                                   f"{allowed:.0f}")


def spike_checks(per: dict) -> list[dict]:
    """brianc's spike counts (of its model script, which reports them, or
    else of the demo) against each rival that reported some."""
    mine = per.get("brianc_model", {}).get("spikes_all") or \
        per.get("brianc", {}).get("spikes_all")
    checks = []
    for rival in SPIKE_RIVALS:
        theirs = per.get(rival, {}).get("spikes_all")
        if not mine or not theirs:
            continue
        agree, why = spike_check(mine, theirs)
        checks.append({"rival": rival, "agree": agree, "why": why,
                       "brianc": statistics.median(mine),
                       "other": statistics.median(theirs)})
    return checks


def memory_row(model: str, scale: float | None, per: dict,
               baseline_mb: float | None) -> dict | None:
    """brianc's peak RSS against the target: Brian 2 standalone's binary
    plus a bare interpreter (what any Python front end costs); None
    without a standalone result."""
    sa = per.get("brian2_standalone") or {}
    if "binary_rss_mb" not in sa:
        return None
    bc = per.get("brianc") or {}
    brianc_mb = bc.get("peak_rss_mb")
    target = (sa["binary_rss_mb"] + baseline_mb
              if baseline_mb is not None else None)
    return {"model": model, "scale": scale, "brianc_rss_mb": brianc_mb,
            "b2_binary_rss_mb": sa["binary_rss_mb"],
            "b2_driver_rss_mb": sa.get("peak_rss_mb"),
            "interpreter_rss_mb": baseline_mb, "target_mb": target,
            "brianc/target": (brianc_mb / target
                              if brianc_mb and target else None)}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ratio(a: dict | None, b: dict | None, key: str) -> float | None:
    if not a or not b or key not in a or key not in b or not b[key]:
        return None
    return a[key] / b[key]


# ------------------------------------------------------------------ report

def fmt(x, digits: int = 3) -> str:
    if x is None:
        return "n/a"
    if isinstance(x, float):
        if x == 0:
            return "0"
        if abs(x) >= 100:
            return f"{x:.0f}"
        return f"{x:.{digits}g}"
    return str(x)


def cell(summary: dict | None, key: str) -> str:
    if not summary:
        return "n/a"
    if summary.get("status") != "ok":
        return summary.get("status", "n/a")
    return fmt(summary.get(key))


def rss_cell(summary: dict) -> str:
    text = fmt(summary["peak_rss_mb"], 4)
    if "binary_rss_mb" in summary:
        text += f" (binary {fmt(summary['binary_rss_mb'], 4)})"
    return text


def markdown(res: dict) -> str:
    lines = ["# brianc benchmarks", "",
             f"{res['machine']['cpu']}, {res['machine']['cores']} cores, "
             f"Python {res['machine']['python']}; mode "
             f"{'quick' if res['options']['quick'] else 'full'}, "
             f"{res['options']['repeats']} repetitions (median).", ""]
    for note in res["notes"]:
        lines.append(f"- {note}")
    lines += ["", "## Whole-process wall time (s, median)", "",
              "| demo | " + " | ".join(SIMS.values())
              + " | brianc / B2 warm | brianc / B2 cold"
              " | brianc / B2 standalone | brianc / C |",
              "|---" * (len(SIMS) + 5) + "|"]
    for demo, per in res["demos"].items():
        row = [demo] + [cell(per.get(s), "wall_s") for s in SIMS]
        rat = res["ratios"][demo]["wall"]
        row += [fmt(rat.get(f"brianc/{s}"), 3) for s in
                ("brian2_cython", "brian2_cython_cold", "brian2_standalone",
                 "c")]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "brianc's ratios are its single-threaded figure (BRIANC_THREADS"
              "=1), like its rivals (OMP_NUM_THREADS=1); the last column "
              "is brianc on all cores, for reference only."]
    isa_rows = [(demo, isa, r) for demo in res["demos"]
                for isa, r in res["ratios"][demo].get("isa", {}).items()]
    if isa_rows:
        lines += ["", "## brianc per vector-kernel path (BRIANC_ISA, 1 "
                  "thread)", "",
                  "Whole process against Brian 2 cython warm (target: "
                  "10x faster, B2 / brianc >= 10), and the model script's "
                  "run() against the hand C (target: brianc / C <= 1.3).",
                  "", "| demo | path | brianc wall (s) | B2 warm / brianc "
                  "| brianc CPU (s) | B2 warm / brianc (CPU) "
                  "| brianc run() (s) | brianc / C (run) |",
                  "|---|---|---|---|---|---|---|---|"]
        for demo, isa, r in isa_rows:
            b2 = r["brianc/brian2_cython"]
            b2c = r.get("brianc/brian2_cython (cpu)")
            lines.append(f"| {demo} | {isa} | {fmt(r['wall_s'])} | "
                         f"{fmt(1 / b2) if b2 else '-'} | "
                         f"{fmt(r.get('cpu_s'))} | "
                         f"{fmt(1 / b2c) if b2c else '-'} | "
                         f"{fmt(r['run_s'])} | {fmt(r['brianc/c'])} |")
    checks = res.get("spike_checks", {})
    if any(checks.values()):
        lines += ["", "## Spike counts: brianc against its rivals (median)",
                  "", "| demo | rival | brianc | rival's | agree |",
                  "|---|---|---|---|---|"]
        for demo, rows in checks.items():
            for c in rows:
                lines.append(f"| {demo} | {SIMS.get(c['rival'], c['rival'])}"
                             f" | {c['brianc']:.0f} | {c['other']:.0f} | "
                             f"{'yes' if c['agree'] else 'NO'}: "
                             f"{c['why']} |")
    lines += ["", "## Phases inside the process (s, median)", "",
              "| demo | simulator | import | setup | build | run | spikes "
              "| peak RSS (MB) | runs |",
              "|---|---|---|---|---|---|---|---|---|"]
    for demo, per in res["demos"].items():
        for sim, s in per.items():
            if s.get("status") != "ok":
                lines.append(f"| {demo} | {sim} | {s.get('status')}: "
                             f"{s.get('error', '')[:120]} | | | | | | |")
                continue
            lines.append("| " + " | ".join([
                demo, sim, cell(s, "import_s"), cell(s, "setup_s"),
                cell(s, "build_s"), cell(s, "run_s"),
                fmt(s.get("spikes")), rss_cell(s),
                str(s["repeats"])]) + " |")
    if res["import"]:
        imp = res["import"]
        lines += ["", "## brianc import", "",
                  f"`from brianc import *`: {fmt(imp.get('import_s'))} s "
                  f"(perf_counter inside the process, median); bare "
                  f"interpreter start: {fmt(imp.get('python_startup_s'))} s "
                  f"(wall), peak RSS {fmt(imp.get('python_rss_mb'), 4)} MB."]
    if res["memory"]:
        lines += ["", "## Peak RSS against Brian 2 standalone (MB)", "",
                  "Target: brianc at most the standalone simulation "
                  "binary's own peak RSS plus a bare interpreter's "
                  "(`python -c pass`, "
                  f"{fmt(res['import'].get('python_rss_mb'), 4)} MB). "
                  "At scale `demo` brianc is the verbatim example, at "
                  "numbered scales the brianc_models script. B2 driver is "
                  "Brian 2's Python process (it waits for the compiler and "
                  "the binary), for reference.", "",
                  "| model | scale | brianc | B2 binary | interpreter "
                  "| target | brianc / target | B2 driver |",
                  "|---" * 8 + "|"]
        for m in res["memory"]:
            lines.append("| " + " | ".join([
                m["model"], "demo" if m["scale"] is None else fmt(m["scale"]),
                fmt(m["brianc_rss_mb"], 4), fmt(m["b2_binary_rss_mb"], 4),
                fmt(m["interpreter_rss_mb"], 4), fmt(m["target_mb"], 4),
                fmt(m["brianc/target"]), fmt(m["b2_driver_rss_mb"], 4)])
                + " |")
    if res["scaled"]:
        lines += ["", "## Scaling: run() time per simulated second (s, "
                  "median) vs network size", "",
                  f"Scales of {SHORT_ABOVE_SCALE:g} and more simulate "
                  "100 ms instead of the demo's duration; every time is "
                  "divided by the simulated time.", "",
                  "| model | scale | N | simulated ms | brianc | B2 cython | "
                  "B2 standalone | hand C | brianc / B2 cython | "
                  "brianc / C |", "|---" * 10 + "|"]
        for model, rows in res["scaled"].items():
            for row in rows:
                per = row["sims"]
                sim_s = row.get("duration_ms", 1000.0) / 1000.0

                def per_sim_s(sim):
                    value = (per.get(sim) or {}).get("run_s")
                    return fmt(value / sim_s) if value else cell(
                        per.get(sim), "run_s")
                lines.append("| " + " | ".join([
                    model, fmt(row["scale"]), fmt(row.get("n")),
                    fmt(row.get("duration_ms")),
                    per_sim_s("brianc"), per_sim_s("brian2_cython"),
                    per_sim_s("brian2_standalone"), per_sim_s("c"),
                    fmt(ratio(per.get("brianc"), per.get("brian2_cython"),
                              "run_s")),
                    fmt(ratio(per.get("brianc"), per.get("c"), "run_s"))])
                    + " |")
    if res["scaled"]:
        lines += ["", "## Network construction vs network size (setup, s, "
                  "median)", "",
                  "Groups, connections and monitors, timed inside the "
                  "process. Brian 2 standalone's figure is its Python side "
                  "only: it builds the synapses inside the compiled binary, "
                  "so its construction is part of that binary's run.", "",
                  "| model | scale | N | brianc | B2 cython | B2 standalone "
                  "(Python side) | hand C | brianc / B2 cython | "
                  "brianc / C |", "|---" * 9 + "|"]
        for model, rows in res["scaled"].items():
            for row in rows:
                per = row["sims"]
                lines.append("| " + " | ".join([
                    model, fmt(row["scale"]), fmt(row.get("n")),
                    *[cell(per.get(sim), "setup_s") for sim in (
                        "brianc", "brian2_cython", "brian2_standalone",
                        "c")],
                    fmt(ratio(per.get("brianc"), per.get("brian2_cython"),
                              "setup_s")),
                    fmt(ratio(per.get("brianc"), per.get("c"),
                              "setup_s"))]) + " |")
    if res["micro"]:
        lines += ["", "## Hand-written C micro-benchmarks", "",
                  "| benchmark | ns per unit | unit | expected |",
                  "|---|---|---|---|"]
        for m in res["micro"]:
            exp = MICRO_EXPECTED.get(m["benchmark"])
            lines.append(f"| {m['benchmark']} | {m['ns_per_unit']:.3g} | "
                         f"{m['unit']} | {fmt(exp) if exp else ''} |")
    return "\n".join(lines) + "\n"


def plot_scaling(res: dict, json_path: Path, png: Path,
                 brian2_python: str | None) -> str:
    """Draw scaling.png with whichever interpreter has matplotlib."""
    script = str(BENCH / "plot_scaling.py")
    for py in [sys.executable, brian2_python]:
        if py is None:
            continue
        r = run_proc([py, script, str(json_path), str(png)], base_env(), 300)
        if r.ok:
            return f"scaling plot: {png}"
    return "scaling plot skipped: matplotlib not importable"


# -------------------------------------------------------------------- main

def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="3 repetitions; no cold cache, standalone or scaling")
    p.add_argument("--out", default=str(BENCH / "results"))
    p.add_argument("--only", default="",
                   help="comma-separated demo names (default: all six)")
    p.add_argument("--repeats", type=int, default=None,
                   help="repetitions per case (default 5, quick 3)")
    p.add_argument("--cold-repeats", type=int, default=1,
                   help="cold-cache Brian 2 runs per demo (each compiles)")
    p.add_argument("--scales", default=None,
                   help="comma-separated N multipliers for the scalable "
                        "models (default 1,4,16, 16x for 100 ms; none in quick mode)")
    p.add_argument("--scaled-repeats", type=int, default=3)
    p.add_argument("--scaled-standalone", action="store_true",
                   help="also time Brian 2 standalone at every scale")
    p.add_argument("--no-standalone", action="store_true")
    p.add_argument("--isa-paths", default="all",
                   help="brianc vector-kernel paths (BRIANC_ISA) to run, "
                   "comma-separated,\nor 'all' the CPU has (default); the "
                   "fastest fills the brianc columns")
    p.add_argument("--render", metavar="JSON", default=None,
                   help="only rewrite results.md (next to JSON) from a\n"
                        "results.json of an earlier run")
    p.add_argument("--in-tree", action="store_true",
                   help="run brianc from the repository (its in-place\n"
                        "build) with this interpreter, instead of a regular\n"
                        "install in a private environment")
    p.add_argument("--brian2-python", default=None,
                   help="interpreter with brian2 (default: autodetect)")
    return p.parse_args(argv)


def standalone_rss_args() -> list[str]:
    """The driver runs the standalone binary under the launcher too."""
    return ["--rss-launcher", MAXRSS] if MAXRSS else []


def demo_cases(demo: str, opt, py: str, b2py: str | None,
               bins: dict, brianc_ok: bool) -> list[Case]:
    reps = opt.repeats
    cases = []
    if brianc_ok:
        fastest = ISA_PATHS[-1] if ISA_PATHS else ""
        for isa in ISA_PATHS[:-1] + [fastest]:
            at = "" if isa == fastest else f"@{isa}"
            cases.append(Case("brianc" + at, [py, str(REPO / "examples" /
                                                      f"{demo}.py")],
                              brianc_env(isa=isa), reps))
            if demo in SCALABLE:
                cases.append(Case("brianc_model" + at, [
                    py, str(BENCH / "brianc_models" / f"{demo}.py")],
                    brianc_env(isa=isa), reps))
        cases.append(Case("brianc_threads", [py, str(REPO / "examples" /
                                                     f"{demo}.py")],
                          brianc_env(threads=""), reps))
    if b2py:
        script = str(BENCH / "brian2_models" / f"{demo}.py")
        cases.append(Case("brian2_cython", [b2py, script, "--target",
                                            "cython"], base_env(), reps,
                          warmup=True))
        if not opt.quick and opt.cold_repeats > 0:
            cases.append(Case("brian2_cython_cold", [
                b2py, script, "--target", "cython"], base_env(),
                opt.cold_repeats, cold_cache=True))
        if not opt.quick and not opt.no_standalone:
            cases.append(Case("brian2_standalone", [
                b2py, script, "--target", "cpp_standalone",
                *standalone_rss_args()], base_env(), reps))
    if demo in bins:
        cases.append(Case("c", [bins[demo]], base_env(), reps))
    return cases


SHORT_ABOVE_SCALE = 16.0
SHORT_DURATION_MS = {"random_network": 100.0, "sparse_inhibitory": 100.0,
                     "hh_network": 100.0}
FULL_DURATION_MS = {"random_network": 1000.0, "sparse_inhibitory": 100.0,
                    "hh_network": 1000.0}


def simulated_ms(model: str, scale: float) -> float:
    return (SHORT_DURATION_MS if scale >= SHORT_ABOVE_SCALE
            else FULL_DURATION_MS)[model]


def scaled_cases(model: str, scale: float, opt, py: str, b2py: str | None,
                 bins: dict, brianc_ok: bool) -> list[Case]:
    reps = opt.scaled_repeats
    arg = ["--scale", repr(scale)]
    if scale >= SHORT_ABOVE_SCALE:
        # The largest networks run a tenth of the simulated time (said in
        # the output), so that a full benchmark fits in minutes.
        arg += ["--duration-ms", repr(SHORT_DURATION_MS[model])]
    cases = []
    if brianc_ok:
        cases.append(Case("brianc", [py, str(BENCH / "brianc_models" /
                                             f"{model}.py"), *arg],
                          brianc_env(), reps))
    if b2py:
        script = str(BENCH / "brian2_models" / f"{model}.py")
        cases.append(Case("brian2_cython", [b2py, script, "--target",
                                            "cython", *arg], base_env(),
                          reps, warmup=True))
        if opt.scaled_standalone:
            cases.append(Case("brian2_standalone", [
                b2py, script, "--target", "cpp_standalone", *arg,
                *standalone_rss_args()], base_env(), reps))
    if model in bins:
        cases.append(Case("c", [bins[model], *arg], base_env(), reps))
    return cases


def main(argv=None) -> int:
    opt = parse_args(argv)
    if opt.render:
        json_path = Path(opt.render)
        md = json_path.with_name("results.md")
        md.write_text(markdown(json.loads(json_path.read_text())))
        log(f"wrote {md}")
        return 0
    if opt.repeats is None:
        opt.repeats = 3 if opt.quick else 5
    demos = [d.strip() for d in opt.only.split(",") if d.strip()] or DEMOS
    unknown = [d for d in demos if d not in DEMOS]
    if unknown:
        sys.exit(f"unknown demo(s) {unknown}; choose from {DEMOS}")
    if opt.scales is not None:
        scales = [float(s) for s in opt.scales.split(",") if s.strip()]
    else:
        scales = [] if opt.quick else [1.0, 4.0, 16.0]
    out = Path(opt.out).resolve()      # children run from a neutral directory
    out.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()

    global MAXRSS, IN_TREE
    py, install_note = sys.executable, ("brianc: the repository's, run by "
                                        f"{sys.executable}")
    IN_TREE = opt.in_tree
    if not IN_TREE:
        installed, install_note = install_brianc(out / "build")
        if installed is None:
            IN_TREE = True
            install_note += f"; the repository's, run by {py}, instead"
        else:
            py = installed
    MAXRSS, rss_note = build_maxrss(out / "build")
    notes = [install_note, rss_note]
    why = probe_brianc(py)
    brianc_ok = not why
    global ISA_PATHS
    if brianc_ok:
        ISA_PATHS, isa_note = probe_isa_paths(py, opt.isa_paths)
        notes.append(isa_note)
    notes.append(why or "brianc: demos run verbatim as `python "
                 "examples/<demo>.py` with BRIANC_PLOTTING=off (plotting off)")
    b2py, b2note = find_brian2(opt.brian2_python)
    notes.append(b2note)
    bins, cnote = build_c(out / "build")
    notes.append(cnote)
    for n in notes:
        log(n)

    res = {"machine": {"cpu": cpu_name(), "cores": os.cpu_count(),
                       "python": platform.python_version(),
                       "platform": platform.platform(),
                       "load_start": os.getloadavg()[0]},
           "options": {"quick": opt.quick, "repeats": opt.repeats,
                       "cold_repeats": opt.cold_repeats, "scales": scales,
                       "only": demos},
           "notes": notes, "demos": {}, "ratios": {}, "scaled": {},
           "spike_checks": {},
           "micro": [], "import": {}, "memory": []}

    # A bare interpreter: start-up time, and the RSS baseline of the memory
    # target (brianc's interpreter, as brianc pays it).
    bare = Case("startup", [py, "-c", "pass"], base_env(), opt.repeats)
    startup = [bare]
    if brianc_ok:
        # `from brianc import *` is what every Brian 1 script starts with
        code = ("import json, time; t = time.perf_counter(); "
                "from brianc import *; "
                "print(json.dumps({'import_s': time.perf_counter() - t}))")
        imp = Case("import", [py, "-c", code], brianc_env(), opt.repeats)
        startup.insert(0, imp)
    measure(startup, "import")
    bare_s = summarise(bare)
    res["import"] = {"python_startup_s": bare_s.get("wall_s"),
                     "python_rss_mb": bare_s.get("peak_rss_mb")}
    if brianc_ok:
        res["import"]["import_s"] = summarise(imp).get("import_s")
    baseline_mb = res["import"]["python_rss_mb"]

    for demo in demos:
        log(f"{demo}:")
        cases = demo_cases(demo, opt, py, b2py, bins, brianc_ok)
        measure(cases, demo)
        per = {c.sim: summarise(c) for c in cases}
        if not brianc_ok:
            per["brianc"] = {"status": "unavailable", "error": why}
        res["demos"][demo] = per
        res["ratios"][demo] = {
            "wall": {f"brianc/{s}": ratio(per.get("brianc"), per.get(s),
                                          "wall_s")
                     for s in SIMS if s not in ("brianc", "brianc_threads")},
            "run": {f"brianc/{s}": ratio(per.get("brianc_model"),
                                         per.get(s), "run_s")
                    for s in SIMS if s not in ("brianc", "brianc_threads")},
        }
        res["ratios"][demo]["isa"] = isa_ratios(per)
        res["spike_checks"][demo] = spike_checks(per)
        mem = memory_row(demo, None, per, baseline_mb)
        if mem:
            res["memory"].append(mem)
            res["ratios"][demo]["rss"] = {
                "brianc/(b2_binary+python)": mem["brianc/target"]}

    for model in [m for m in SCALABLE if m in demos] if scales else []:
        rows = []
        for scale in scales:
            label = f"{model} x{scale:g}"
            log(f"{label}:")
            cases = scaled_cases(model, scale, opt, py, b2py, bins,
                                 brianc_ok)
            measure(cases, label)
            per = {c.sim: summarise(c) for c in cases}
            n = next((s["n"] for s in per.values() if "n" in s), None)
            rows.append({"scale": scale, "n": n, "sims": per,
                         "duration_ms": simulated_ms(model, scale),
                         "ratios": {f"brianc/{s}": ratio(
                             per.get("brianc"), per.get(s), "run_s")
                             for s in ("brian2_cython", "brian2_standalone",
                                       "c")}})
            mem = memory_row(model, scale, per, baseline_mb)
            if mem:
                res["memory"].append(mem)
        res["scaled"][model] = rows

    if "micro" in bins:
        log("C micro-benchmarks")
        for key in ("hh", "cuba", "noisy", "propagation", "poisson"):
            r = run_proc([bins["micro"], key], base_env(), 600)
            if r.ok and r.data:
                res["micro"].append(r.data)

    res["elapsed_s"] = time.perf_counter() - t_start
    res["machine"]["load_end"] = os.getloadavg()[0]
    if max(res["machine"]["load_start"], res["machine"]["load_end"]) > \
            (os.cpu_count() or 1):
        res["notes"].append(
            f"machine busy: load average {res['machine']['load_start']:.1f}"
            f" at start, {res['machine']['load_end']:.1f} at end on "
            f"{os.cpu_count()} cores; timings are inflated and noisy")
    json_path = out / "results.json"
    json_path.write_text(json.dumps(res, indent=1) + "\n")
    if res["scaled"]:
        res["notes"].append(plot_scaling(res, json_path, out / "scaling.png",
                                         b2py))
        json_path.write_text(json.dumps(res, indent=1) + "\n")
    md = markdown(res)
    (out / "results.md").write_text(md)
    print(md)
    log(f"wrote {out / 'results.md'} and {json_path} "
        f"({res['elapsed_s']:.0f} s)")
    bad = [(demo, c) for demo, checks in res["spike_checks"].items()
           for c in checks if not c["agree"]]
    for demo, c in bad:
        log(f"SPIKE COUNTS DISAGREE in {demo}: brianc {c['brianc']} against "
            f"{c['rival']} {c['other']} ({c['why']})")
    return 1 if bad else 0


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
