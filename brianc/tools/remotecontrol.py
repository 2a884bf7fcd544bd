"""Remote control of a running simulation over a local or network socket
(Brian 1's RemoteControlServer and RemoteControlClient), on
``multiprocessing.connection`` with an authentication key."""
from __future__ import annotations

import threading

from ..magic import user_frame
from ..operation import NetworkOperation

__all__ = ['RemoteControlServer', 'RemoteControlClient']

_DEFAULT_SERVER = ('localhost', 2719)


def _key(authkey) -> bytes:
    if isinstance(authkey, str):
        return authkey.encode('utf-8')
    if isinstance(authkey, bytes):
        return authkey
    raise TypeError(f"authkey must be str or bytes, got "
                    f"{type(authkey).__name__}")


class RemoteControlServer(NetworkOperation):
    """Lets a RemoteControlClient execute and evaluate code in this script
    while it runs.

    Parameters
    ----------
    server : (host, port)
        Where to listen; default ('localhost', 2719), this machine only.
        ('', port) accepts other machines: then change ``authkey``, since
        a client can run any code.
    authkey : str or bytes
        The key a client must know (default 'brian', as in Brian 1).
    clock : Clock
        How often incoming commands are looked at (default: the default
        clock, every step).
    global_ns, local_ns, level : namespaces the commands run in (default:
        those of the frame ``level`` steps above the caller).

    One client is served at a time; a client's ``pause()`` holds the
    simulation until its ``go()``.
    """

    def __init__(self, server=None, authkey='brian', clock=None,
                 global_ns=None, local_ns=None, level=0):
        from multiprocessing.connection import Listener
        super().__init__(lambda: None, clock=clock)
        frame = user_frame(level)
        self.global_ns = frame.f_globals if global_ns is None else global_ns
        self.local_ns = frame.f_locals if local_ns is None else local_ns
        self.listener = Listener(server or _DEFAULT_SERVER,
                                 authkey=_key(authkey))
        self.address = self.listener.address
        self.conn = None
        self._accepted = None
        self._accept_in_background()

    def _accept_in_background(self) -> None:
        """Waits for a client in a thread, so that steps never block on
        accept(); the step loop only picks up the connection."""
        from multiprocessing import AuthenticationError

        def accept():
            while True:
                try:
                    conn = self.listener.accept()
                except AuthenticationError:
                    continue            # a client with a wrong key
                except (OSError, EOFError):
                    return              # the listener was closed
                self._accepted = conn
                return
        self._thread = threading.Thread(target=accept, daemon=True)
        self._thread.start()

    def __call__(self):
        if self.conn is None:
            if self._accepted is None:
                return
            self.conn, self._accepted = self._accepted, None
        paused = False
        while self.conn is not None:
            if not paused and not self.conn.poll():
                return
            try:
                jobtype, jobargs = self.conn.recv()
            except (EOFError, OSError):
                self.conn = None        # the client went away: wait anew
                self._accept_in_background()
                return
            result = None
            try:
                if jobtype == 'exec':
                    exec(jobargs, self.global_ns, self.local_ns)
                elif jobtype == 'eval':
                    result = eval(jobargs, self.global_ns, self.local_ns)
                elif jobtype == 'setvar':
                    name, value = jobargs
                    self.local_ns[name] = value
                elif jobtype == 'pause':
                    paused = True
                elif jobtype == 'go':
                    paused = False
                else:
                    raise ValueError(f"unknown remote command {jobtype!r}")
            except Exception as exc:    # the client re-raises it
                result = exc
            self._send(result)

    def _send(self, result) -> None:
        try:
            self.conn.send(result)
        except Exception as exc:        # e.g. a result that cannot pickle
            self.conn.send(RuntimeError(f"remote result could not be sent: "
                                        f"{exc!r}"))

    def close(self) -> None:
        """Stops listening and drops the client."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        self.listener.close()


class RemoteControlClient:
    """Controls a script running a RemoteControlServer.

    ``execute(code)`` runs statements there, ``evaluate(code)`` returns
    the value of an expression, ``set(name, value)`` binds a local there,
    ``pause()``/``go()`` hold and resume the simulation, ``stop()`` ends
    its run.  Exceptions raised there are raised here.
    """

    def __init__(self, server=None, authkey='brian'):
        from multiprocessing.connection import Client
        self.client = Client(server or _DEFAULT_SERVER,
                             authkey=_key(authkey))

    def _ask(self, jobtype, args):
        self.client.send((jobtype, args))
        result = self.client.recv()
        if isinstance(result, Exception):
            raise result
        return result

    def execute(self, code) -> None:
        self._ask('exec', code)

    def evaluate(self, code):
        return self._ask('eval', code)

    def set(self, name, value) -> None:
        self._ask('setvar', (name, value))

    def pause(self) -> None:
        self._ask('pause', '')

    def go(self) -> None:
        self._ask('go', '')

    def stop(self) -> None:
        self.execute('stop()')

    def close(self) -> None:
        self.client.close()
