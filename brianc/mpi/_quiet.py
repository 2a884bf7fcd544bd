"""Silence a script's output on every rank but 0, so that a run split over
processes prints, plots and saves once, as one process would."""
from __future__ import annotations

import atexit
import builtins
import io
import os
import shutil
import sys
import tempfile


def _nothing(*args, **kwds) -> None:
    return None


def silence_outputs() -> None:
    """stdout and stderr (messages, warnings) to /dev/null; matplotlib
    draws off screen and never shows or saves; files opened for writing
    go to this rank's shadow copies (``shadow_file_writes``).  brianc.mpi's
    own report of an error still reaches the real stderr
    (sys.__stderr__)."""
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
    shadow_file_writes()


class _Shadows:
    """Where this rank's writes to regular files go instead: a private
    copy of each file, in a directory of its own, that the rank's later
    opens of the same path (to read, append or write again) use too.  So
    the rank reads back what it wrote (the same contents rank 0 writes to
    the real file), and the real file is written once, by rank 0."""

    def __init__(self, real_open):
        self.real_open = real_open
        self.directory = tempfile.mkdtemp(prefix="brianc-mpi-shadow-")
        self.paths: dict = {}
        atexit.register(shutil.rmtree, self.directory, True)

    def _shadow(self, path: str, mode: str) -> str:
        shadow = self.paths.get(path)
        if shadow is None:
            shadow = os.path.join(self.directory, str(len(self.paths)))
            # appending to or updating a file that exists: from its
            # contents, as the real file would be (copied with the real
            # open: shutil's would come back here)
            if "w" not in mode and "x" not in mode and os.path.isfile(path):
                with self.real_open(path, "rb") as src, \
                        self.real_open(shadow, "wb") as dst:
                    shutil.copyfileobj(src, dst)
            self.paths[path] = shadow
        return shadow

    def open(self, file, mode="r", *args, **kwds):
        if isinstance(file, int) or not isinstance(
                file, (str, bytes, os.PathLike)):
            return self.real_open(file, mode, *args, **kwds)
        path = os.path.abspath(os.fsdecode(os.fspath(file)))
        writes = any(c in mode for c in "wax+")
        if path in self.paths or (writes and (
                not os.path.exists(path) or os.path.isfile(path))):
            # (devices, pipes and the like are opened as they are)
            return self.real_open(self._shadow(path, mode), mode, *args,
                                  **kwds)
        return self.real_open(file, mode, *args, **kwds)


def shadow_file_writes() -> None:
    """Every open() of a regular file for writing (builtins.open and
    io.open: pickle, NumPy's save functions, pathlib and library code go
    through them) writes this rank's shadow copy instead (_Shadows).  A
    script that tests whether a file exists after writing it may see it
    missing until rank 0 has written it."""
    shadows = _Shadows(builtins.open)
    builtins.open = shadows.open
    io.open = shadows.open
