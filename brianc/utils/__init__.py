"""Small utilities Brian 1 scripts import by path (``brian.utils``)."""
