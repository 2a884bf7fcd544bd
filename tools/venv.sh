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
# 'compat' mode: the source tree on sys.path through a .pth line, as an
# installed brianc is found.  The default mode imports a finder (pathlib,
# urllib...) at every interpreter start: about 10 ms that an installed
# brianc does not cost, charged to brianc in every whole-process benchmark.
python -m pip install -q -e '.[test,mpi]' \
    --config-settings editable_mode=compat 2>/dev/null ||
    python -m pip install -q -e '.[test,mpi]'
