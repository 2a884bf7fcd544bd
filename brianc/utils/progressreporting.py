"""Progress reports for long computations (Brian 1's ProgressReporter):
text lines to a stream, a user function, or a progress bar (tqdm's, which
draws a widget in a Jupyter notebook) when tqdm is installed."""
from __future__ import annotations

import sys
import time

__all__ = ['ProgressReporter', 'make_text_report', 'time_rep',
           'build_text_reporter', 'get_reporter']


def time_rep(t) -> str:
    """``t`` seconds as '1d 2h 3m 4s', leaving out leading zero units."""
    t = int(t)
    days, rest = divmod(t, 86400)
    hours, rest = divmod(rest, 3600)
    mins, secs = divmod(rest, 60)
    parts = [(days, 'd'), (hours, 'h'), (mins, 'm')]
    while parts and parts[0][0] == 0:
        parts.pop(0)
    return ' '.join(f"{v}{u}" for v, u in parts + [(secs, 's')])


def make_text_report(elapsed, complete) -> str:
    """'40% complete, 2s elapsed, approximately 3s remaining.'"""
    s = f"{int(100 * complete)}% complete, {time_rep(elapsed)} elapsed"
    if complete > .001:
        remaining = elapsed / complete - elapsed
        return s + f", approximately {time_rep(remaining)} remaining."
    return s + "."


def build_text_reporter(output_stream):
    """A report function writing one text line per report."""
    def text_report(elapsed, complete):
        output_stream.write(make_text_report(elapsed, complete) + '\n')
        output_stream.flush()
    return text_report


def _bar_reporter():
    """A tqdm progress bar (a widget in notebooks), or a text report to
    stderr when tqdm is not installed."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return build_text_reporter(sys.stderr)
    bar = tqdm(total=100, unit='%', bar_format='{l_bar}{bar}| '
               '{elapsed}<{remaining}')

    def report(elapsed, complete):
        bar.update(int(100 * complete) - bar.n)
        if complete >= 1:
            bar.close()
    return report


_KINDS = ('print', 'text', 'stdout', 'stderr', 'graphical', 'tkinter', 'bar',
          'notebook')


def get_reporter(report):
    """The report function for a ``report`` option (see ProgressReporter)."""
    if isinstance(report, str) and report not in _KINDS:
        raise ValueError(f"unknown report kind {report!r}")
    if report in ('print', 'text', 'stdout'):
        return build_text_reporter(sys.stdout)
    if report == 'stderr':
        return build_text_reporter(sys.stderr)
    if report in ('graphical', 'tkinter', 'bar', 'notebook'):
        return _bar_reporter()
    if hasattr(report, 'write') and hasattr(report, 'flush'):
        return build_text_reporter(report)
    if callable(report):
        return report
    raise ValueError(f"report must be 'text', 'stdout', 'stderr', "
                     f"'graphical', a stream or a function (elapsed, "
                     f"complete), got {report!r}")


class ProgressReporter:
    """Reports the progress of a task at most every ``period`` seconds.

    Parameters
    ----------
    report : str, stream or function
        'print', 'text' or 'stdout' (text lines to stdout), 'stderr',
        'graphical' or 'tkinter' (a progress bar: tqdm's when installed,
        which draws a widget in Jupyter; text to stderr otherwise), a
        stream, or a function ``report(elapsed, complete)``.
    period : float
        Seconds between reports.
    first_report : float
        No report before this many seconds (the final one excepted).

    ``update(complete)`` gives the fraction done (of the current subtask
    after ``subtask(complete, tasksize)`` or ``equal_subtask(n, N)``);
    ``start()`` and ``finish()`` begin and end the timing; the object is
    also a context manager doing both.
    """

    def __init__(self, report='stderr', period=10.0, first_report=-1.0):
        if not isinstance(report, str) or report not in _KINDS:
            get_reporter(report)    # raises ValueError for a bad option
        self.period = float(period)
        self.report_option = report
        self.report = None          # made at the first report
        self.first_report = float(first_report)
        self.start()

    def start(self) -> None:
        self.start_time = time.time()
        self.next_report_time = self.start_time + self.period
        self.first_time = self.start_time + self.first_report
        self.subtask_complete = 0.0
        self.subtask_size = 1.0

    def finish(self) -> None:
        self.subtask(0.0, 1.0)
        self.update(1.0)

    def subtask(self, complete, tasksize) -> None:
        self.subtask_complete = float(complete)
        self.subtask_size = float(tasksize)

    def equal_subtask(self, tasknum, numtasks) -> None:
        self.subtask(float(tasknum) / numtasks, 1.0 / numtasks)

    def update(self, complete) -> None:
        now = time.time()
        total = self.subtask_complete + complete * self.subtask_size
        if now <= self.first_time and total < 1:
            return
        if now > self.next_report_time or total >= 1:
            if self.report is None:
                self.report = get_reporter(self.report_option)
            self.next_report_time = now + self.period
            self.report(now - self.start_time, total)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.finish()
