"""Head-related transfer functions and their databases."""
# ruff: noqa: F401, F403
from .hrtf import *
from .ircam import *
from .itd import *
