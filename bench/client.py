"""The benchmark's HTTP client: one persistent loopback connection per thread and server, timing
only the round trip, and a Slack sender that uses it."""

from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from dataclasses import dataclass

from slack_standin import SlackStandIn
from slack_standin.sender import BotResponse, SlackSender

HOST = "127.0.0.1"
TIMEOUT_SECONDS = 30.0
REFUSED_POLL_SECONDS = 0.005


@dataclass
class Reply:
    status: int
    body: bytes
    elapsed: float  # seconds, request sent to last byte read


class Pool:
    """Thread-local keep-alive connections; counts requests per port.

    `patience` > 0 retries refused connections for that long (a server still starting).
    """

    def __init__(self, patience: float = 0.0):
        self.patience = patience
        self.sent: Counter[int] = Counter()
        self._local = threading.local()
        self._lock = threading.Lock()

    def request(self, port: int, method: str, body: bytes | None, headers: dict[str, str]) -> Reply:
        deadline = time.monotonic() + self.patience
        while True:
            try:
                reply = self._request_once(port, method, body, headers)
                break
            except ConnectionRefusedError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(REFUSED_POLL_SECONDS)
        with self._lock:
            self.sent[port] += 1
        return reply

    def close(self) -> None:
        for connection in self._connections().values():
            connection.close()
        self._connections().clear()

    def _connections(self) -> dict[int, http.client.HTTPConnection]:
        if not hasattr(self._local, "connections"):
            self._local.connections = {}
        return self._local.connections

    def _request_once(
        self, port: int, method: str, body: bytes | None, headers: dict[str, str]
    ) -> Reply:
        """Reuse the connection; if the server had closed it (keep-alive timeout), redo once."""
        reused = port in self._connections()
        try:
            return self._exchange(port, method, body, headers)
        except (ConnectionError, http.client.HTTPException):
            self._drop(port)
            if not reused:
                raise
        try:
            return self._exchange(port, method, body, headers)
        except (ConnectionError, http.client.HTTPException):
            self._drop(port)
            raise

    def _drop(self, port: int) -> None:
        connection = self._connections().pop(port, None)
        if connection is not None:
            connection.close()

    def _exchange(
        self, port: int, method: str, body: bytes | None, headers: dict[str, str]
    ) -> Reply:
        connections = self._connections()
        connection = connections.get(port)
        if connection is None:
            connection = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_SECONDS)
            connections[port] = connection
        started = time.perf_counter()
        connection.request(method, "/", body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        if response.will_close:
            self._drop(port)
        return Reply(response.status, data, elapsed)


@dataclass
class TimedResponse(BotResponse):
    elapsed: float = 0.0


class BenchSender(SlackSender):
    """SlackSender (it creates in the stand-in what Slack would hold) over the pool."""

    def __init__(self, standin: SlackStandIn, port: int, signing_secret: str, pool: Pool):
        super().__init__(standin, f"http://{HOST}:{port}/", signing_secret)
        self.port = port
        self.pool = pool

    def post(
        self,
        body: str,
        content_type: str,
        extra_headers: dict | None = None,
        url: str | None = None,
        signed_at: int | None = None,
    ) -> TimedResponse:
        if url not in (None, self.bot_url):
            raise ValueError(f"the bench sender only posts to {self.bot_url}")
        headers = self.signed_headers(body, content_type, extra_headers, signed_at)
        reply = self.pool.request(self.port, "POST", body.encode(), headers)
        return TimedResponse(reply.status, reply.body.decode(), reply.elapsed)
