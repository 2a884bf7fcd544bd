#!/bin/sh
# setup_brian2_env.sh -- make benchmarks/.venv-brian2, a private environment
# for Brian 2 (Cython target), brian2hears and matplotlib, used by
# benchmarks/run.py and the bench_*.py comparisons.
# Brian 2 2.9.0 calls ndarray.ptp, which NumPy 2.4 removed, so this
# environment pins numpy < 2.4 and leaves the project's own NumPy alone.
set -e
here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
"$python" -m venv "$here/.venv-brian2"
"$here/.venv-brian2/bin/pip" install --quiet "numpy<2.4" "brian2>=2.5" brian2hears \
    cython setuptools matplotlib
"$here/.venv-brian2/bin/python" -c "import brian2; print('brian2', brian2.__version__)"
