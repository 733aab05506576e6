"""How the bot's requests reach Slack: kept-alive HTTP/1.1 connections, pooled per host and
shared by every thread of the process (gunicorn runs 8), over one TLS context.

A user waits mostly for round trips to Slack. A new HTTPS connection costs two of them (TCP's and
TLS's handshakes) before the request's own, so a warm instance reuses its connections: one
handshake per host, not one per call.

Errors follow `urllib.request.urlopen`, which slack_sdk's retry handlers were written for: a
failure before the request is sent (connecting, TLS, writing) raises `URLError`; one while
waiting for the answer propagates as it is (`RemoteDisconnected`, `ConnectionResetError`,
`TimeoutError`). Unlike urlopen, every status comes back as an `Answer`.
"""

from __future__ import annotations

import http.client
import os
import re
import select
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.error import URLError
from urllib.parse import urlsplit

# A connection idle longer is not reused: servers and NATs drop idle connections after a while,
# often without a word, and a request sent into one would wait for its whole timeout.
MAX_IDLE_SECONDS = 30.0
# Idle connections kept per host: one per gunicorn thread at the busiest.
MAX_IDLE_PER_ORIGIN = 8

# What a step is given when a call's timeout has run out: it times out at once.
MIN_TIMEOUT_SECONDS = 0.001

Origin = tuple[str, str, int]  # scheme, host, port
# How OpenSSL names a certificate in a hashed CA directory: its subject's hash, then a number.
_HASHED_NAME = re.compile(r"[0-9a-f]{8}\.\d+")


def tls_context() -> ssl.SSLContext:
    """The process's one TLS context, trusting what OpenSSL trusts by default.

    Loading the platform's CA bundle costs some 20 ms of CPU at every cold start with OpenSSL 3
    (about 140 certificates parsed). Where the platform keeps its CAs in a hashed directory too
    (Debian's and Ubuntu's /etc/ssl/certs, filled by update-ca-certificates from the same
    certificates as the bundle; or SSL_CERT_DIR), OpenSSL is given only the directory, and reads
    while verifying just the certificate that signed Slack's. SSL_CERT_FILE, when set, is
    loaded as ever, and so is the bundle where no hashed directory is found."""
    defaults = ssl.get_default_verify_paths()
    if os.environ.get(defaults.openssl_cafile_env):
        return ssl.create_default_context()
    directories = os.environ.get(defaults.openssl_capath_env) or defaults.openssl_capath
    if not any(_is_hashed(directory) for directory in directories.split(os.pathsep)):
        return ssl.create_default_context()
    return ssl.create_default_context(capath=directories)


def _is_hashed(directory: str) -> bool:
    try:
        with os.scandir(directory) as entries:
            return any(_HASHED_NAME.fullmatch(entry.name) for entry in entries)
    except OSError:  # no such directory, or unreadable
        return False


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes


class Transport:
    """POSTs over pooled connections; thread-safe."""

    def __init__(
        self, ssl_context: ssl.SSLContext, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ssl_context = ssl_context
        self._clock = clock
        self._idle: dict[Origin, list[tuple[http.client.HTTPConnection, float]]] = {}
        self._lock = threading.Lock()

    def post(
        self,
        url: str,
        body: bytes | None,
        headers: Mapping[str, str],
        timeout: float,
        *,
        replayable: bool,
    ) -> Answer:
        """Send `body` to `url` and read the whole answer.

        A kept connection the server has closed meanwhile is retried once on a new connection
        when that cannot repeat what Slack did: when the request could not be sent at all, or,
        for a `replayable` request (doing it twice does what doing it once does), when no answer
        came. Anything else might have been received, so it is raised, not sent again.

        `timeout` bounds the whole call, that retry included: each step (connecting, sending,
        waiting for the answer) gets only what is left of it."""
        origin, target = _origin(url), _target(url)
        ends = self._clock() + timeout
        connection, reused = self._checkout(origin, timeout)
        try:
            return self._exchange(origin, connection, target, body, headers, ends)
        except _Stale as stale:
            if not (reused and (not stale.sent or replayable)):
                raise stale.error from stale.__cause__
        try:
            connection = self._connect(origin, self._left(ends))
            return self._exchange(origin, connection, target, body, headers, ends)
        except _Stale as stale:
            raise stale.error from stale.__cause__

    def _left(self, ends: float) -> float:
        """What is left of a call's timeout; never 0, which would make the socket non-blocking
        (a timeout that has run out then times out at once)."""
        return max(ends - self._clock(), MIN_TIMEOUT_SECONDS)

    def close(self) -> None:
        """Close the idle connections (those in use close when their answer is read)."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection, _ in connections:
                connection.close()

    def _checkout(self, origin: Origin, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        """The most recently used idle connection still open, else a new one; and which."""
        while (connection := self._pop_idle(origin)) is not None:
            if _open_and_quiet(connection):
                connection.sock.settimeout(timeout)
                return connection, True
            connection.close()
        return self._connect(origin, timeout), False

    def _pop_idle(self, origin: Origin) -> http.client.HTTPConnection | None:
        with self._lock:
            idle = self._idle.get(origin)
            while idle:
                connection, since = idle.pop()
                if self._clock() - since <= MAX_IDLE_SECONDS:
                    return connection
                connection.close()
            return None

    def _checkin(self, origin: Origin, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(origin, [])
            now = self._clock()
            # The oldest, left below the ones in use since a burst, would never be reached.
            while idle and now - idle[0][1] > MAX_IDLE_SECONDS:
                idle.pop(0)[0].close()
            if len(idle) < MAX_IDLE_PER_ORIGIN:
                idle.append((connection, now))
                return
        connection.close()

    def _connect(self, origin: Origin, timeout: float) -> http.client.HTTPConnection:
        scheme, host, port = origin
        if scheme == "https":
            return http.client.HTTPSConnection(
                host, port, timeout=timeout, context=self.ssl_context
            )
        return http.client.HTTPConnection(host, port, timeout=timeout)

    def _exchange(
        self,
        origin: Origin,
        connection: http.client.HTTPConnection,
        target: str,
        body: bytes | None,
        headers: Mapping[str, str],
        ends: float,
    ) -> Answer:
        try:
            connection.request("POST", target, body=body, headers=dict(headers))
        except ConnectionError as error:  # refused, or a kept connection the server closed
            connection.close()
            raise _Stale(URLError(error), sent=False) from error
        except OSError as error:  # TLS, a timeout
            connection.close()
            raise URLError(error) from error
        try:
            connection.sock.settimeout(self._left(ends))  # to wait for the answer
            response = connection.getresponse()
        except ConnectionError as error:  # closed or reset before the answer began
            connection.close()
            raise _Stale(error, sent=True) from error
        except BaseException:
            connection.close()
            raise
        try:
            data = response.read()
        except BaseException:
            connection.close()
            raise
        if response.will_close:
            connection.close()
        else:
            self._checkin(origin, connection)
        return Answer(response.status, response.reason, response.headers, data)


class _Stale(Exception):
    """A connection failure that a kept connection closed by the server would also cause;
    `sent` says whether the whole request had been written before it."""

    def __init__(self, error: Exception, sent: bool) -> None:
        super().__init__(error)
        self.error = error
        self.sent = sent


def _open_and_quiet(connection: http.client.HTTPConnection) -> bool:
    """An idle connection with anything to read has been closed by the server (or says
    something unasked); either way it can't carry a request."""
    sock = connection.sock
    if sock is None:
        return False
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return False
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return not poller.poll(0)


def _origin(url: str) -> Origin:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url}")
    return parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
