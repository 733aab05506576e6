"""A time limit on how long one request may hold a worker thread.

functions-framework serves the functions with gunicorn's threaded worker, configured by
functions-framework itself (no gunicorn.conf.py, no hooks). gunicorn waits for a connection's
first byte off the thread pool, but from then on a thread reads the headers and the body with no
time limit: eight clients sending a byte now and then hold all eight threads of an instance, and
every other request waits. So each connection a worker thread takes on gets a deadline; past it
its socket is shut, the blocked read returns, and the thread is free. The limit covers the whole
exchange, reading, work and answer, which for this bot ends within seconds.

Whether Cloud Run's front end already buffers requests (so that no slow client reaches the
container) is not documented; this holds either way.
"""

from __future__ import annotations

import functools
import itertools
import os
import socket
import threading
import time
from typing import Any


class ConnectionWatch:
    """Sockets being served, each with a deadline; a watcher thread shuts those past it."""

    def __init__(self, limit_seconds: float) -> None:
        self.limit_seconds = limit_seconds
        self._served: dict[int, tuple[float, socket.socket]] = {}
        self._tokens = itertools.count()
        self._changed = threading.Condition()
        self._watcher_pid: int | None = None  # the worker process its thread runs in

    def set_limit(self, limit_seconds: float) -> None:
        with self._changed:
            self.limit_seconds = limit_seconds
            self._changed.notify()  # a watcher waiting out the old limit waits the new one

    def arm(self, sock: socket.socket) -> int:
        """Watch `sock`. The watcher is not woken for it: it wakes at the soonest deadline, or
        after `limit_seconds` when it has none, both before this socket's own deadline (a
        thread switch per request saved)."""
        with self._changed:
            self._start_watcher()
            token = next(self._tokens)
            self._served[token] = (time.monotonic() + self.limit_seconds, sock)
            return token

    def disarm(self, token: int) -> None:
        with self._changed:
            self._served.pop(token, None)

    def _start_watcher(self) -> None:
        """Once per process: gunicorn forks its worker after main.py was imported."""
        if self._watcher_pid != os.getpid():
            self._watcher_pid = os.getpid()
            threading.Thread(target=self._watch, name="connection-watch", daemon=True).start()

    def _watch(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for token, (deadline, sock) in list(self._served.items()):
                    if deadline <= now:
                        del self._served[token]
                        _shut(sock)
                soonest = min((deadline for deadline, _ in self._served.values()), default=None)
                self._changed.wait(self.limit_seconds if soonest is None else soonest - now)


WATCH = ConnectionWatch(limit_seconds=10.0)


def bound_request_time(limit_seconds: float) -> None:
    """Give every connection a worker thread serves `limit_seconds`, where gunicorn's threaded
    worker serves this process (functions-framework's server, here and on Cloud Run)."""
    WATCH.set_limit(limit_seconds)
    try:
        from gunicorn.workers.gthread import ThreadWorker
    except ImportError:  # no gunicorn: Flask's development server, or Windows
        return
    if not getattr(ThreadWorker.handle, "watched", False):
        ThreadWorker.handle = _watched(ThreadWorker.handle)


def _watched(handle: Any) -> Any:
    @functools.wraps(handle)
    def watched_handle(worker: Any, conn: Any) -> Any:
        token = WATCH.arm(conn.sock)
        try:
            return handle(worker, conn)
        finally:
            WATCH.disarm(token)

    watched_handle.watched = True  # type: ignore[attr-defined]
    return watched_handle


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # closed meanwhile
        pass
