"""pylab names that load matplotlib on first use, so ``import brianc``
stays fast and works without a display or without matplotlib."""
from __future__ import annotations

import functools
import os
import sys

__all__ = ["PYLAB_NAMES", "pyplot", "lazy_pylab_namespace", "show",
           "plotting_off"]

# The pyplot functions Brian 1 scripts call through ``from brian import *``.
PYLAB_NAMES = (
    "plot figure subplot subplots imshow title xlabel ylabel legend hist bar "
    "barh axis xlim ylim axhline axvline colorbar savefig ion ioff draw clf "
    "cla gca gcf close text scatter errorbar grid xticks yticks semilogx "
    "semilogy loglog fill_between fill annotate suptitle tight_layout pause "
    "twinx twiny contour contourf pcolor pcolormesh matshow specgram psd "
    "stem step pie boxplot hlines vlines axes figtext figlegend hold "
    "subplots_adjust xscale yscale setp getp isinteractive interactive "
    "clim jet hot bone hsv spectral cool copper autumn spring summer winter "
    "rc rcParams quiver streamplot violinplot acorr xcorr cohere csd "
    "magnitude_spectrum angle_spectrum phase_spectrum polar spy table "
    "triplot tricontour tricontourf arrow axes sca sci ginput "
    "waitforbuttonpress connect disconnect title figimage"
).split()


def pyplot():
    """matplotlib.pyplot, imported on first use."""
    try:
        import matplotlib.pyplot as plt
    except ModuleNotFoundError as exc:
        if exc.name is None or not exc.name.startswith("matplotlib"):
            raise
        raise ModuleNotFoundError("plotting needs matplotlib: pip install "
                                  "'brianc[plot]'",
                                  name="matplotlib") from None
    return plt


def _can_display(plt) -> bool:
    """False for matplotlib's file backends (Agg, chosen when there is no
    display), where show() would silently do nothing."""
    backend = str(plt.get_backend()).lower()
    if backend.startswith("module://"):     # notebooks, custom backends
        return True
    try:
        from matplotlib.backends import BackendFilter, backend_registry
        interactive = backend_registry.list_builtin(
            BackendFilter.INTERACTIVE)
    except ImportError:                     # matplotlib < 3.9
        from matplotlib import rcsetup
        interactive = rcsetup.interactive_bk
    return backend in {b.lower() for b in interactive}


def plotting_off() -> bool:
    """BRIANC_PLOTTING=off makes every plotting call a no-op that never
    imports matplotlib: how benchmarks time a script without its plots."""
    return os.environ.get("BRIANC_PLOTTING", "").lower() == "off"


def _lazy(name: str):
    def call(*args, **kwds):
        if plotting_off():
            return None
        return getattr(pyplot(), name)(*args, **kwds)
    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = f"matplotlib.pyplot.{name}, loaded on first use."
    return call


def show(*args, **kwds):
    """Show the figures; with BRIANC_SAVEFIG=path.png set, save the current
    figure there instead (how the demos are run headless) and say where.
    Without a display, say so and how to save the figure."""
    if plotting_off():
        return None
    path = os.environ.get("BRIANC_SAVEFIG")
    plt = pyplot()
    if path:
        plt.gcf().savefig(path, dpi=100)
        print(f"brianc: figure saved to {os.path.abspath(path)} "
              f"(BRIANC_SAVEFIG)", file=sys.stderr)
        return None
    if not _can_display(plt):
        if plt.get_fignums():
            print(f"brianc: no display available (matplotlib backend "
                  f"{plt.get_backend()!r}), so the figure is not shown; "
                  f"set BRIANC_SAVEFIG=figure.png to save it to a file",
                  file=sys.stderr)
        return None
    return plt.show(*args, **kwds)


@functools.lru_cache(maxsize=1)
def lazy_pylab_namespace() -> dict:
    names = {name: _lazy(name) for name in PYLAB_NAMES if name != "rcParams"}
    names["show"] = show
    return names
