# Sourced by the test scripts, from the repository root: .venv (made with
# $PYTHON, default python3, if missing) activated, with brianc installed
# in development mode and its test extras.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
fi
. .venv/bin/activate
python -m pip install -q -e '.[test]'
