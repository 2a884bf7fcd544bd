"""DelayConnection (Brian 1's module path); the class lives with
Connection, which turns into it when given per-synapse delays."""
from .connection import DelayConnection

__all__ = ["DelayConnection"]
