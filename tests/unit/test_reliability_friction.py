"""A new user's first minutes: plotting without matplotlib or without a
display says what to do, examples/run_all.py honours BRIANC_PLOTTING=off,
and only development builds turn compiler warnings into errors."""
import os
import runpy
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("BRIANC_SAVEFIG", "BRIANC_PLOTTING",
                             "MPLBACKEND", "DISPLAY", "WAYLAND_DISPLAY")}
    full_env.update(env)
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                          capture_output=True, text=True, env=full_env,
                          cwd=REPO, timeout=120)


def test_plotting_without_matplotlib_says_how_to_install_it():
    out = run_python("""
        import sys
        sys.modules["matplotlib"] = None      # as if it were not installed
        from brianc import *
        try:
            plot([1, 2])
        except ModuleNotFoundError as exc:
            print("ERROR", exc)
    """)
    assert "ERROR plotting needs matplotlib: pip install 'brianc[plot]'" \
        in out.stdout, out.stderr


def test_show_without_a_display_says_how_to_save_the_figure():
    out = run_python("""
        from brianc import *
        plot([1, 2])
        show()
    """, MPLBACKEND="Agg")
    assert out.returncode == 0, out.stderr
    assert "no display available" in out.stderr
    assert "BRIANC_SAVEFIG=figure.png" in out.stderr


def test_show_with_savefig_says_where_the_figure_went(tmp_path):
    target = tmp_path / "fig.png"
    out = run_python("""
        from brianc import *
        plot([1, 2])
        show()
    """, MPLBACKEND="Agg", BRIANC_SAVEFIG=str(target))
    assert out.returncode == 0, out.stderr
    assert target.stat().st_size > 0
    assert f"figure saved to {target}" in out.stdout
    assert out.stderr == ""


@pytest.mark.slow
def test_run_all_honours_plotting_off(tmp_path):
    env = dict(os.environ, BRIANC_PLOTTING="off")
    env.pop("BRIANC_SAVEFIG", None)
    out = subprocess.run([sys.executable, "examples/run_all.py", "--out",
                          str(tmp_path), "synfire_chain"], cwd=REPO,
                         env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "(plotting off)" in out.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value, werror", [(None, False), ("1", True)])
def test_werror_only_in_development_builds(monkeypatch, value, werror):
    import setuptools
    captured = {}
    monkeypatch.setattr(setuptools, "setup",
                        lambda **kwds: captured.update(kwds))
    if value is None:
        monkeypatch.delenv("BRIANC_WERROR", raising=False)
    else:
        monkeypatch.setenv("BRIANC_WERROR", value)
    monkeypatch.chdir(REPO)
    runpy.run_path(os.path.join(REPO, "setup.py"))
    flags = captured["ext_modules"][0].extra_compile_args
    assert ("-Werror" in flags) == werror
    assert "-Wall" in flags
