# Sourced by the test scripts, from the repository root: .venv (made with
# $PYTHON, default python3, if missing) activated, with brianc installed
# in development mode and its test extras, and the mpi extra (mpi4py and
# MPICH wheels from PyPI), so the brianc.mpi tests run rather than skip.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
fi
. .venv/bin/activate
python -m pip install -q -e '.[test,mpi]'
