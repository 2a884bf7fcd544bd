"""Brian Hears: sounds, filterbanks and auditory models (Brian 1's
``brian.hears``); ``from brianc.hears import *`` gives its names."""
# ruff: noqa: F401, F403
from .prefs import *
from .bufferable import *
from .sounds import *
from .onlinesounds import *
from .erb import *
from .db import *
from .filtering import *
from .hrtf import *
from .plotting import *
