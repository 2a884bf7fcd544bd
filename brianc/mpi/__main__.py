"""``mpiexec -n K python -m brianc.mpi script.py [args]``: run a script
with its network split over the K MPI processes (see brianc.mpi)."""
from __future__ import annotations

import os
import runpy
import sys
import traceback

USAGE = "usage: mpiexec -n K python -m brianc.mpi script.py [args]"


def main(argv: list) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 0 if argv else 2
    try:
        from mpi4py import MPI
    except ImportError:
        print("brianc.mpi needs mpi4py: pip install 'brianc[mpi]'",
              file=sys.stderr)
        return 2
    import brianc
    from brianc import _engine
    from . import install
    from ._quiet import silence_outputs

    comm = MPI.COMM_WORLD
    # One engine seed for every rank, so an unseeded script still draws
    # the same network everywhere; NumPy's generator too (weights drawn
    # by rand() in the script).
    brianc.seed(comm.bcast(_engine.current_seed() % 2**32, root=0))
    # Each rank is one process on a core: threads would compete with
    # the other ranks unless the user asks for them.
    if "BRIANC_THREADS" not in os.environ:
        brianc.set_num_threads(1)
    install(comm)
    if comm.Get_rank() != 0:
        silence_outputs()
    sys.argv = list(argv)
    try:
        runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as e:
        if e.code not in (None, 0):
            raise
    except BaseException:
        # A rank that stops alone would leave the others waiting in the
        # next exchange.
        print(f"brianc.mpi: rank {comm.Get_rank()} failed:",
              file=sys.__stderr__)
        traceback.print_exc(file=sys.__stderr__)
        sys.__stderr__.flush()
        comm.Abort(1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
