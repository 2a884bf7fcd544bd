"""The pylab part of Brian 1's namespace, loaded on first use: plotting
functions, matplotlib's classes and constants (``Circle``, ``rcParams``...),
the modules ``mpl``, ``plt``..., and the NumPy fft and linalg functions pylab
re-exported.  ``import brianc`` thus stays fast and works without matplotlib
(a pylab name then raises ImportError when used).
"""
from __future__ import annotations

import functools
import importlib
import os
import sys

import numpy as np

from ._lazy import LazyModule as _LazyModule
from ._lazy import LazyObject as _LazyObject

__all__ = ["PYLAB_NAMES", "pyplot", "lazy_pylab_namespace", "show",
           "plotting_off"]

# The pyplot functions Brian 1 scripts call through ``from brian import *``;
# with BRIANC_PLOTTING=off they do nothing.
PYLAB_NAMES = (
    "plot figure subplot subplots imshow title xlabel ylabel legend hist bar "
    "barh axis xlim ylim axhline axvline colorbar savefig ion ioff draw clf "
    "cla gca gcf close text scatter errorbar grid xticks yticks semilogx "
    "semilogy loglog fill_between fill annotate suptitle tight_layout pause "
    "twinx twiny contour contourf pcolor pcolormesh matshow specgram psd "
    "stem step pie boxplot hlines vlines axes figtext figlegend "
    "subplots_adjust xscale yscale setp getp isinteractive interactive "
    "clim jet hot bone hsv cool copper autumn spring summer winter "
    "rc quiver streamplot violinplot acorr xcorr cohere csd "
    "magnitude_spectrum angle_spectrum phase_spectrum polar spy table "
    "triplot tricontour tricontourf arrow sca sci ginput "
    "waitforbuttonpress connect disconnect figimage"
).split()

# Brian 1's other pylab names that matplotlib still has: classes, date
# constants, helpers; each resolved from matplotlib.pylab when first used.
PYLAB_OBJECTS = (
    "Annotation Arrow Artist AutoLocator Axes Button Circle DAILY "
    "DateFormatter DateLocator DayLocator FR Figure FigureCanvasBase "
    "FixedFormatter FixedLocator FormatStrFormatter Formatter "
    "FuncFormatter GridSpec HOURLY HourLocator IndexLocator Line2D "
    "LinearLocator Locator LogFormatter LogFormatterExponent "
    "LogFormatterMathtext LogLocator MINUTELY MO MONTHLY MaxNLocator "
    "MinuteLocator MonthLocator MultipleLocator Normalize NullFormatter "
    "NullLocator PolarAxes Polygon RRuleLocator Rectangle SA SECONDLY SU "
    "ScalarFormatter SecondLocator Slider Subplot TH TU Text TickHelper WE "
    "WEEKLY WeekdayLocator Widget YEARLY YearLocator autoscale axhspan "
    "axvspan barbs box broken_barh clabel colormaps cycler date2num "
    "datestr2num delaxes detrend detrend_linear detrend_mean detrend_none "
    "drange draw_all draw_if_interactive eventplot figaspect fignum_exists "
    "fill_betweenx findobj flag flatten gci get get_backend get_cmap "
    "get_current_fig_manager get_figlabels get_fignums get_plot_commands "
    "get_scale_names hexbin hist2d imread imsave inferno "
    "install_repl_displayhook locator_params magma margins minorticks_off "
    "minorticks_on new_figure_manager nipy_spectral num2date pink plasma "
    "prism quiverkey rcParams rcParamsDefault rc_context rcdefaults "
    "relativedelta rgrids rrule set_cmap silent_list stackplot subplot2grid "
    "subplot_tool switch_backend thetagrids tick_params ticklabel_format "
    "tripcolor uninstall_repl_displayhook viridis window_hanning "
    "window_none xkcd"
).split()

# pylab re-exported numpy.fft (15 ms to import: loaded on first use) and
# numpy.linalg (already loaded with NumPy).
NUMPY_FFT_NAMES = (
    "fft fft2 fftfreq fftn fftshift hfft ifft ifft2 ifftn ifftshift ihfft "
    "irfft irfft2 irfftn rfft rfft2 rfftfreq rfftn").split()
NUMPY_LINALG_NAMES = (
    "LinAlgError cholesky cond det eig eigh eigvals eigvalsh inv lstsq "
    "matrix_power matrix_rank multi_dot norm pinv qr slogdet solve svd "
    "tensorinv tensorsolve").split()

# Modules Brian 1's namespace held: name -> module, imported on first use.
LAZY_MODULES = {
    "matplotlib": "matplotlib", "mpl": "matplotlib",
    "plt": "matplotlib.pyplot", "mlab": "matplotlib.mlab",
    "cbook": "matplotlib.cbook", "colors": "matplotlib.colors",
    "style": "matplotlib.style", "ma": "numpy.ma", "char": "numpy.char",
    "rec": "numpy.rec", "ctypeslib": "numpy.ctypeslib",
}


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


def _pylab_module():
    import matplotlib.pylab as pylab
    return pylab


def plotting_off() -> bool:
    """BRIANC_PLOTTING=off makes every plotting call a no-op that never
    imports matplotlib: how benchmarks time a script without its plots."""
    return os.environ.get("BRIANC_PLOTTING", "").lower() == "off"


# Keyword values of matplotlib 2 (Brian 1's) that matplotlib 3 renamed.
_ORIGINS = {"lower left": "lower", "upper left": "upper"}


def _matplotlib3_keywords(name: str, kwds: dict) -> dict:
    """Brian 1 scripts' keywords in matplotlib 3's spelling."""
    if name in ("imshow", "matshow") and kwds.get("origin") in _ORIGINS:
        kwds = dict(kwds, origin=_ORIGINS[kwds["origin"]])
    if name == "hist" and "normed" in kwds:
        kwds = dict(kwds)
        kwds["density"] = bool(kwds.pop("normed"))
    return kwds


def _lazy(name: str):
    def call(*args, **kwds):
        if plotting_off():
            return None
        return getattr(pyplot(), name)(*args,
                                       **_matplotlib3_keywords(name, kwds))
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
        # stdout: a message, not a warning (stderr stays empty)
        print(f"brianc: figure saved to {os.path.abspath(path)} "
              f"(BRIANC_SAVEFIG)")
        return None
    if not _can_display(plt):
        if plt.get_fignums():
            print(f"brianc: no display available (matplotlib backend "
                  f"{plt.get_backend()!r}), so the figure is not shown; "
                  f"set BRIANC_SAVEFIG=figure.png to save it to a file",
                  file=sys.stderr)
        return None
    return plt.show(*args, **kwds)


# Names matplotlib 3 removed that Brian 1 scripts call.
def hold(*args, **kwds):
    """matplotlib 3 always holds: axes keep their plots, so this does
    nothing (Brian 1's pylab toggled it)."""
    return None


def ishold() -> bool:
    """Always True: matplotlib 3 always holds (see ``hold``)."""
    return True


def over(func, *args, **kwds):
    """Call ``func(*args, **kwds)`` over the current plot (pylab's ``over``;
    holding is always on now)."""
    return func(*args, **kwds)


def find(condition):
    """Indices where ``condition`` is true, flattened (pylab's ``find``)."""
    return np.flatnonzero(condition)


def _numpy_fft():
    return importlib.import_module("numpy.fft")


@functools.lru_cache(maxsize=1)
def lazy_pylab_namespace() -> dict:
    names = {name: _LazyObject(name, _pylab_module) for name in PYLAB_OBJECTS}
    names.update((name, _lazy(name)) for name in PYLAB_NAMES)
    names.update((name, _LazyObject(name, _numpy_fft))
                 for name in NUMPY_FFT_NAMES)
    names.update((name, getattr(np.linalg, name))
                 for name in NUMPY_LINALG_NAMES)
    names.update((name, _LazyModule(name, target))
                 for name, target in LAZY_MODULES.items())
    names.update(show=show, hold=hold, ishold=ishold, over=over, find=find)
    return names
