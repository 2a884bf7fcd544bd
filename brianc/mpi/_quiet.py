"""Silence a script's output on every rank but 0, so that a run split over
processes prints, plots and saves once, as one process would."""
from __future__ import annotations

import os
import sys


def _nothing(*args, **kwds) -> None:
    return None


def silence_outputs() -> None:
    """stdout and stderr (messages, warnings) to /dev/null; matplotlib
    draws off screen and never shows or saves; NumPy's save functions do
    nothing.  brianc.mpi's own report of an error still reaches the real
    stderr (sys.__stderr__).  Other file writes (open(), pickle) happen on
    every rank."""
    sys.stdout = open(os.devnull, "w")
    sys.stderr = sys.stdout
    try:
        import matplotlib
    except ImportError:
        matplotlib = None
    if matplotlib is not None:
        matplotlib.use("Agg")
        import matplotlib.figure
        import matplotlib.pyplot as pyplot
        pyplot.show = _nothing
        pyplot.savefig = _nothing
        matplotlib.figure.Figure.savefig = _nothing
    import numpy
    for name in ("save", "savez", "savez_compressed", "savetxt"):
        setattr(numpy, name, _nothing)
