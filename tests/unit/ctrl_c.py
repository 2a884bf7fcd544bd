"""Ctrl-C in the middle of a long run, for the tests of a serial and of a
threaded run: a child process runs a script and the test sends it SIGINT
once the script's run is inside the C loop.

The child says it is ready from an operation of a clock of its own, called
once, at the run's first step: a signal sent any earlier could land in the
Python code that prepares the run, and the test would then check another
path (and see no step done)."""
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# Prepended to every child script.  A suite started in the background
# (SIGINT ignored, as a shell does for `cmd &`) passes the ignored handler
# on: restore Python's own.
PRELUDE = """
import signal, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from brianc import Clock, network_operation, second

def _announcer():
    # made in a function: a clock made at the script's top level would
    # become the clock of the groups made there (as in Brian 1)
    @network_operation(clock=Clock(dt=1e6 * second))
    def announce_ready():
        print('ready', flush=True)
    return announce_ready

announce_ready = _announcer()
"""


def child_cpu_seconds(pid: int) -> float:
    """CPU time of a running process so far (all its threads, user and
    system), from /proc; rounded down to a clock tick."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime and stime, the 14th and 15th fields (from the state, the 3rd)
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def interrupt(script: str, settle: float = 0.15, timeout: float = 20):
    """Run PRELUDE + script in a child (its network must include
    announce_ready), send SIGINT settle seconds after it is ready, and
    return (its CPU time when the signal was sent, its last line of output
    split into words, its exit code).  The script prints that line after
    catching KeyboardInterrupt."""
    child = subprocess.Popen([sys.executable, "-c", PRELUDE + script],
                             stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(settle)
        child.send_signal(signal.SIGINT)
        # Read after the signal: the time can only be late, never early.
        cpu_at_signal = child_cpu_seconds(child.pid)
        line = child.stdout.readline().split()
        code = child.wait(timeout=timeout)
    finally:
        child.kill()
        child.stdout.close()
    return cpu_at_signal, line, code
