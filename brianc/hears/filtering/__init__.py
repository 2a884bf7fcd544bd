"""Brian Hears' filterbanks."""
# ruff: noqa: F401, F403
from .filterbank import *
from .linearfilterbank import *
from .firfilterbank import *
from .filterbanklibrary import *
from .filterbankgroup import *
from .drnl import DRNL
from .dcgc import DCGC
from .tan_carney import *
from .zhang import *
from .fractionaldelay import *
