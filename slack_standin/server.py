"""The HTTP face of the stand-in: Slack's Web API under ``/api/``, plus the URLs it hands out.

Routes
    POST /api/<method>              Web API methods (form or JSON arguments)
    POST /_standin/upload/<id>      upload_url from files.getUploadURLExternal
    POST /_standin/response/<token> response_url hooks

Connections are kept alive (HTTP/1.1), over TLS when given a certificate, and a ``Latency``
makes every request and every new connection cost what distance to Slack costs.
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from .faults import Fault
from .links import API_PREFIX, RESPONSE_PREFIX, UPLOAD_PREFIX
from .request_body import json_payload, request_args
from .service import SlackService

logger = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
SHUTDOWN_POLL_SECONDS = 0.01
FAULT_ERRORS = {429: "ratelimited", 500: "internal_error"}
# An idle keep-alive connection is closed after this, as web servers do, so it holds no thread.
KEEP_ALIVE_SECONDS = 60.0
HANDSHAKE_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Latency:
    """What the distance to Slack costs, in seconds: a round trip for every request, and the
    handshakes (TCP, then TLS) for every new connection. Zero by default."""

    request: float = 0.0
    connection: float = 0.0

    @classmethod
    def round_trips(cls, seconds: float, handshake_round_trips: int = 2) -> Latency:
        """One round trip per request and `handshake_round_trips` per new connection (TCP's
        and TLS 1.3's: a new HTTPS connection costs two round trips before the request)."""
        return cls(request=seconds, connection=seconds * handshake_round_trips)


@dataclass(frozen=True)
class Traffic:
    """Counts since the server started (a reset of the workspace keeps them)."""

    requests: int = 0
    connections: int = 0


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, data: Any, headers: dict[str, str] | None = None) -> Reply:
        return cls(status, json.dumps(data).encode("utf-8"), JSON_TYPE, headers or {})

    @classmethod
    def text(cls, status: int, text: str) -> Reply:
        return cls(status, text.encode("utf-8"), TEXT_TYPE)


class StandInServer:
    """A ThreadingHTTPServer on a daemon thread, bound to 127.0.0.1 only."""

    def __init__(
        self, service: SlackService, port: int = 0, tls: ssl.SSLContext | None = None
    ) -> None:
        self._service = service
        # Loopback only: the stand-in accepts any request with the test token, so it must
        # never be reachable from another machine.
        self._address = ("127.0.0.1", port)
        self._tls = tls
        self.latency = Latency()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def is_running(self) -> bool:
        return self._httpd is not None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the stand-in is not running; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"{'https' if self._tls else 'http'}://{host}:{port}"

    def traffic(self) -> Traffic:
        return self._httpd.traffic() if self._httpd is not None else Traffic()

    def set_latency(self, latency: Latency) -> None:
        self.latency = latency
        if self._httpd is not None:
            self._httpd.latency = latency

    def close_connections(self) -> None:
        """Close every open connection, as a server does with idle keep-alive connections."""
        if self._httpd is not None:
            self._httpd.close_connections()

    def start(self) -> None:
        if self._httpd is not None:
            return
        self._httpd = _HttpServer(self._address, _Handler, self._service, self._tls, self.latency)
        # stop() waits up to one poll interval; tests start and stop a stand-in per test.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="slack-standin",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        # A kept-alive connection would otherwise go on being served by a stopped stand-in.
        self._httpd.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None


class _HttpServer(ThreadingHTTPServer):
    # Requests sleeping in an injected delay must not hold up stop().
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections from busy clients, which the
    # kernel then retries a second later: a delay Slack never adds.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        service: SlackService,
        tls: ssl.SSLContext | None,
        latency: Latency,
    ) -> None:
        super().__init__(address, handler)
        self.service = service
        self.tls = tls
        self.latency = latency
        self._open: set[socket.socket] = set()
        self._counts = Traffic()
        self._counts_lock = threading.Lock()

    def finish_request(self, request: socket.socket, client_address: Any) -> None:
        """On the connection's own thread: the handshakes' delay and TLS happen here, not in
        the accepting loop, so a new connection holds up no other."""
        self._count(connections=1)
        _wait(self.latency.connection)
        connection = self._secured(request) if self.tls is not None else request
        with self._counts_lock:
            self._open.add(connection)
        try:
            super().finish_request(connection, client_address)
        finally:
            with self._counts_lock:
                self._open.discard(connection)
            if connection is not request:
                self.shutdown_request(connection)

    def _secured(self, request: socket.socket) -> ssl.SSLSocket:
        request.settimeout(HANDSHAKE_TIMEOUT_SECONDS)
        return self.tls.wrap_socket(request, server_side=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up or refuses the certificate is not the stand-in's bug."""
        logger.debug("connection from %s ended badly", client_address, exc_info=True)

    def request_received(self) -> None:
        self._count(requests=1)
        _wait(self.latency.request)

    def traffic(self) -> Traffic:
        with self._counts_lock:
            return self._counts

    def close_connections(self) -> None:
        with self._counts_lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already gone

    def _count(self, requests: int = 0, connections: int = 0) -> None:
        with self._counts_lock:
            counts = self._counts
            self._counts = Traffic(counts.requests + requests, counts.connections + connections)


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    server_version = "SlackStandIn/1.0"
    protocol_version = "HTTP/1.1"  # keep-alive, as Slack's servers do
    timeout = KEEP_ALIVE_SECONDS
    # The status line and headers go out in one write, the body in another; with Nagle's
    # algorithm the body would wait for the client's delayed ACK (40 ms on Linux).
    disable_nagle_algorithm = True

    # do_POST is named by BaseHTTPRequestHandler; Slack's clients only ever POST.
    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._read_body()  # read even when dropping, so the client sees a clean close
        self.server.request_received()
        route = _find_route(url.path)
        if route is None:
            self._send(Reply.text(404, "not_found"))
            return
        handler, rest = route
        try:
            reply = handler(self, rest, body)
        except Exception as exc:  # a stand-in bug must fail the test loudly, not hang it
            logger.exception("slack stand-in failed on POST %s", self.path)
            reply = Reply.json(500, {"ok": False, "error": "standin_bug", "detail": repr(exc)})
        if reply is None:
            self.close_connection = True  # an injected drop: no status line at all
        else:
            self._send(reply)

    def log_message(self, message_format: str, *args: Any) -> None:
        """Silent: test output should show the bot's logs, not one line per request."""

    # -- routes ----------------------------------------------------------------------------------

    def _web_api(self, method: str, body: bytes) -> Reply | None:
        args = request_args(body, self.headers.get("Content-Type", ""))
        token = _bearer_token(self.headers.get("Authorization"))
        service = self.server.service
        fault = service.begin_api_call(method, args)
        return _with_fault(fault, lambda: Reply.json(200, service.api_call(method, args, token)))

    def _upload(self, file_id: str, body: bytes) -> Reply:
        # slack_sdk posts the file's bytes as the whole body.
        if not self.server.service.receive_upload(file_id, body):
            return Reply.text(404, "file_not_found")
        return Reply.text(200, f"OK - {len(body)}")

    def _response_url(self, token: str, body: bytes) -> Reply:
        payload = json_payload(body)
        logged = payload if isinstance(payload, dict) else {"raw": body.decode(errors="replace")}
        return Reply.text(*self.server.service.respond(token, payload, logged))

    # -- I/O -----------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. timed out during an injected delay)


RouteHandler = Callable[[_Handler, str, bytes], "Reply | None"]

# (path prefix, handler); the handler gets the path after the prefix.
ROUTES: list[tuple[str, RouteHandler]] = [
    (API_PREFIX, _Handler._web_api),
    (UPLOAD_PREFIX, _Handler._upload),
    (RESPONSE_PREFIX, _Handler._response_url),
]


def _find_route(path: str) -> tuple[RouteHandler, str] | None:
    for prefix, handler in ROUTES:
        if path.startswith(prefix) and len(path) > len(prefix):
            return handler, unquote(path[len(prefix) :])
    return None


def _with_fault(fault: Fault | None, perform: Callable[[], Reply]) -> Reply | None:
    """The reply to send given an injected fault; None means drop the connection."""
    if fault is None:
        return perform()
    if fault.drop:
        return None
    if fault.status is not None:
        return _fault_reply(fault)
    reply = perform()
    time.sleep(fault.delay)
    return reply


def _fault_reply(fault: Fault) -> Reply:
    status = fault.status or 500
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    return Reply.json(status, {"ok": False, "error": FAULT_ERRORS.get(status, "failed")}, headers)


def _wait(seconds: float) -> None:
    """Sleep only for a distance set: tests that stand in for `time` here count every sleep
    as an injected fault's delay (tests/standin_delays.py)."""
    if seconds > 0:
        time.sleep(seconds)


def _bearer_token(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[len("bearer ") :].strip() or None
    return None
