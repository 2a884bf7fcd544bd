"""Connections between groups (Brian 1's ``brian.connections``): the
Connection classes and the views of their weight and delay matrices."""
from .connection import Connection
from .connectionmatrix import ConnectionMatrix
from .connectionvector import ConnectionVector
from .connection import DelayConnection
from .otherconnections import IdentityConnection, MultiConnection

__all__ = ["Connection", "DelayConnection", "IdentityConnection",
           "MultiConnection", "ConnectionMatrix", "ConnectionVector"]
