"""Brian 1's experimental modules (``brianc.experimental.connectionmonitor``
...), imported by name as Brian 1 scripts do."""
