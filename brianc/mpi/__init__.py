"""One network split over MPI processes.

``mpiexec -n K python -m brianc.mpi script.py [args]`` runs an unchanged
script on K processes (as ``python -m mpi4py script.py`` does): every
group's neurons are split into K contiguous blocks, each process updates
its block and builds only the synapses onto it, and the spikes are
exchanged with MPI collectives (mpi4py) once per shortest delay.  The spikes are the same, bit for
bit, for any K, including a run without MPI.  After ``run()`` the groups'
states and the monitors are whole on every process, and only rank 0
prints, plots and saves.  Objects that cannot run split yet raise
``brianc.mpi.Unsupported`` naming them.

Needs the ``mpi`` extra (``pip install 'brianc[mpi]'``: mpi4py and MPICH).
"""
from __future__ import annotations

import os

from ._split import (Split, SpikeExchange, Unsupported, block, check,
                     own_columns)

__all__ = ["Split", "SpikeExchange", "Unsupported", "block", "check",
           "install", "exchange_totals"]

# Every run's spike exchanges since install(): what exchange_totals sums.
_exchanges: list = []


def install(comm) -> None:
    """Split every later ``run()`` over ``comm``'s processes, and build
    each later connection's synapses onto this process's neurons only
    (unless BRIANC_MPI_WHOLE_CONNECTIONS=1: then every process builds
    every connection whole, so that scripts may read or change it before
    the first run)."""
    from .. import network
    from ..connections import connection

    rank, size = comm.Get_rank(), comm.Get_size()
    whole = os.environ.get("BRIANC_MPI_WHOLE_CONNECTIONS", "") not in \
        ("", "0")
    if size > 1 and not whole:
        connection._local_columns = \
            lambda c: own_columns(c, rank, size)

    def split(objects: list) -> Split:
        made = Split(comm, objects)
        _exchanges.extend(made.exchanges)
        return made

    network._split_over_processes = split


def exchange_totals() -> dict:
    """This rank's spike exchanges so far: calls, seconds spent in them
    (collectives included) and spikes sent."""
    return {"calls": sum(x.calls for x in _exchanges),
            "seconds": sum(x.seconds for x in _exchanges),
            "spikes_sent": sum(x.sent for x in _exchanges),
            "overflows": sum(x.overflows for x in _exchanges)}
