"""pylab names that load matplotlib on first use, so ``import brianc``
stays fast and works without a display or without matplotlib."""
from __future__ import annotations

import functools
import os

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
    import matplotlib.pyplot as plt
    return plt


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
    figure there instead (how the demos are run headless)."""
    if plotting_off():
        return None
    path = os.environ.get("BRIANC_SAVEFIG")
    plt = pyplot()
    if path:
        plt.gcf().savefig(path, dpi=100)
        return None
    return plt.show(*args, **kwds)


@functools.lru_cache(maxsize=1)
def lazy_pylab_namespace() -> dict:
    names = {name: _lazy(name) for name in PYLAB_NAMES if name != "rcParams"}
    names["show"] = show
    return names
