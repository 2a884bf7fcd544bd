"""``seed(n)`` seeds numpy.random as it is first imported, not at once:
whichever way a script then reaches numpy.random, it draws what
``numpy.random.seed(n)`` would have given, and seeds NumPy refuses still
raise from ``seed()``.

Each case runs in a fresh interpreter (in this one numpy.random is loaded
already, and then ``seed`` seeds it at once, as the other tests check).
"""
import subprocess
import sys
import textwrap

import pytest

# What numpy.random.seed(n) gives, computed in the child itself after the
# draws under test, so the expected numbers come from NumPy.
REFERENCE = """
import numpy.random as _nr
def reference(n, k):
    state = _nr.RandomState(n)
    return list(state.random_sample(k))
"""


def run_child(*parts: str) -> str:
    script = "\n".join(textwrap.dedent(part) for part in parts)
    done = subprocess.run([sys.executable, "-c", script], text=True,
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_seed_does_not_import_numpy_random_until_it_is_used():
    out = run_child("""
        import sys
        from brianc import *
        seed(7)
        print('numpy.random' in sys.modules)
        x = [rand() for _ in range(3)]
        print('numpy.random' in sys.modules)
    """, REFERENCE, """
        print(x == reference(7, 3))
        import brianc._deferred_numpy_seed as d
        print(d._installed() is None)
    """)
    assert out.split() == ["False", "True", "True", "True"]


@pytest.mark.parametrize("reach", [
    "import numpy.random; x = list(numpy.random.rand(4))",
    "import numpy; x = list(numpy.random.rand(4))",
    "from numpy.random import random_sample; x = list(random_sample(4))",
])
def test_every_way_to_numpy_random_sees_the_seed(reach):
    out = run_child(f"""
        from brianc import *
        seed(3)
        seed(11)       # the last seed wins
        {reach}
    """, REFERENCE, """
        print(x == reference(11, 4))
        import numpy.random, importlib.machinery as m
        print(isinstance(numpy.random.__loader__, m.SourceFileLoader))
    """)
    assert out.split() == ["True", "True"]


def test_seed_none_cancels_a_pending_seed():
    # numpy.random then seeds itself from the system, as a plain import
    # does: two processes draw different numbers.
    body = """
        from brianc import *
        seed(5)
        seed(None)
        import brianc._deferred_numpy_seed as d
        print(d._installed() is None, rand())
    """
    first, second = run_child(body).split(), run_child(body).split()
    assert first[0] == second[0] == "True"
    assert first[1] != second[1]


def test_seeds_numpy_refuses_still_raise_from_seed():
    out = run_child("""
        from brianc import *
        for bad in (2**32, 1.0):
            try:
                seed(bad)
            except (TypeError, ValueError) as exc:
                print(type(exc).__name__)
    """)
    assert out.split() == ["ValueError", "TypeError"]


def test_seed_after_numpy_random_is_loaded_seeds_at_once():
    from brianc import rand, seed
    import numpy.random
    seed(9)
    assert [rand() for _ in range(2)] == \
        list(numpy.random.RandomState(9).random_sample(2))
