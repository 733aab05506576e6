"""The HTTP face of the stand-in: Slack's Web API under ``/api/``, plus its own endpoints.

Routes
    GET|POST /api/<method>              Web API methods (form, JSON or query arguments)
    POST     /_standin/upload/<id>      upload_url from files.getUploadURLExternal
    GET      /_standin/files/<id>/<name>   url_private of an uploaded file
    POST     /_standin/response/<token> response_url hooks
    GET      /_standin/state            the whole workspace as JSON
    POST     /_standin/reset            forget everything but the channels
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .faults import RESPONSE_URL_ROUTE, UPLOAD_ROUTE, Fault
from .links import API_PREFIX, FILES_PREFIX, RESET_PATH, RESPONSE_PREFIX, STATE_PATH, UPLOAD_PREFIX
from .request_body import json_payload, request_args, upload_bytes
from .service import SlackService

logger = logging.getLogger(__name__)

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
SHUTDOWN_POLL_SECONDS = 0.01
FAULT_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}


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

    def __init__(self, service: SlackService, port: int = 0) -> None:
        self._service = service
        # Loopback only: the stand-in accepts any request with the test token, so it must
        # never be reachable from another machine.
        self._address = ("127.0.0.1", port)
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
        return f"http://{host}:{port}"

    def start(self) -> None:
        if self._httpd is not None:
            return
        self._httpd = _HttpServer(self._address, _Handler, self._service)
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
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], service: SlackService
    ) -> None:
        super().__init__(address, handler)
        self.service = service


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    server_version = "SlackStandIn/1.0"

    # do_<VERB> names are fixed by BaseHTTPRequestHandler.
    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_OPTIONS(self) -> None:
        # CORS preflight, so a page served from another local port can drive the stand-in.
        self._send(Reply(204, b"", TEXT_TYPE))

    def log_message(self, message_format: str, *args: Any) -> None:
        """Silent: test output should show the bot's logs, not one line per request."""

    # -- routing -------------------------------------------------------------------------------

    def _dispatch(self, verb: str) -> None:
        url = urlsplit(self.path)
        body = self._read_body()  # read even when dropping, so the client sees a clean close
        route = _find_route(verb, url.path)
        if route is None:
            self._send(Reply.text(404, "not_found"))
            return
        handler, rest = route
        try:
            reply = handler(self, rest, url.query, body)
        except Exception as exc:  # a stand-in bug must fail the test loudly, not hang it
            logger.exception("slack stand-in failed on %s %s", verb, self.path)
            reply = Reply.json(500, {"ok": False, "error": "standin_bug", "detail": repr(exc)})
        if reply is None:
            self.close_connection = True  # an injected drop: no status line at all
        else:
            self._send(reply)

    def _web_api(self, method: str, query: str, body: bytes) -> Reply | None:
        args = request_args(query, body, self.headers.get("Content-Type", ""))
        token = _bearer_token(self.headers.get("Authorization")) or args.pop("token", None)
        service = self.server.service
        fault = service.begin_request(method, args, is_web_api=True)
        return _with_fault(
            fault, lambda: Reply.json(200, service.api_call(method, args, token)), as_json=True
        )

    def _upload(self, file_id: str, query: str, body: bytes) -> Reply | None:
        content = upload_bytes(body, self.headers.get("Content-Type", ""))
        service = self.server.service
        fault = service.begin_request(
            UPLOAD_ROUTE, {"file_id": file_id, "size": len(content)}, is_web_api=False
        )

        def receive() -> Reply:
            if not service.receive_upload(file_id, content):
                return Reply.text(404, "file_not_found")
            return Reply.text(200, f"OK - {len(content)}")

        return _with_fault(fault, receive, as_json=False)

    def _download(self, rest: str, query: str, body: bytes) -> Reply | None:
        # No token needed, unlike Slack's url_private, so a browser page can link to files.
        stored = self.server.service.stored_file(rest.split("/", 1)[0])
        if stored is None:
            return Reply.text(404, "file_not_found")
        reply = Reply(200, stored.content or b"", stored.mimetype)
        if "download" in parse_qs(query):
            reply.headers["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
        return reply

    def _response_url(self, token: str, query: str, body: bytes) -> Reply | None:
        payload = json_payload(body)
        service = self.server.service
        logged = payload if isinstance(payload, dict) else {"raw": body.decode(errors="replace")}
        fault = service.begin_request(RESPONSE_URL_ROUTE, logged, is_web_api=False)

        def deliver() -> Reply:
            return Reply.text(*service.respond(token, payload))

        return _with_fault(fault, deliver, as_json=False)

    def _state(self, rest: str, query: str, body: bytes) -> Reply | None:
        return Reply.json(200, self.server.service.snapshot())

    def _reset(self, rest: str, query: str, body: bytes) -> Reply | None:
        self.server.service.reset()
        return Reply.json(200, {"ok": True})

    # -- I/O -----------------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. timed out during an injected delay)


RouteHandler = Callable[[_Handler, str, str, bytes], "Reply | None"]

# (verb, path, prefix match?, handler); the handler gets the path after the prefix.
ROUTES: list[tuple[str, str, bool, RouteHandler]] = [
    ("GET", API_PREFIX, True, _Handler._web_api),
    ("POST", API_PREFIX, True, _Handler._web_api),
    ("POST", UPLOAD_PREFIX, True, _Handler._upload),
    ("GET", FILES_PREFIX, True, _Handler._download),
    ("POST", RESPONSE_PREFIX, True, _Handler._response_url),
    ("GET", STATE_PATH, False, _Handler._state),
    ("POST", RESET_PATH, False, _Handler._reset),
]


def _find_route(verb: str, path: str) -> tuple[RouteHandler, str] | None:
    for route_verb, route_path, is_prefix, handler in ROUTES:
        if verb != route_verb:
            continue
        if is_prefix and path.startswith(route_path) and len(path) > len(route_path):
            return handler, unquote(path[len(route_path) :])
        if not is_prefix and path == route_path:
            return handler, ""
    return None


def _with_fault(
    fault: Fault | None, perform: Callable[[], Reply], *, as_json: bool
) -> Reply | None:
    """The reply to send given an injected fault; None means drop the connection."""
    if fault is None:
        return perform()
    if fault.drop:
        return None
    if fault.status is not None:
        return _fault_reply(fault, as_json)
    reply = perform()
    time.sleep(fault.delay)
    return reply


def _fault_reply(fault: Fault, as_json: bool) -> Reply:
    error = FAULT_ERRORS.get(fault.status or 500, "request_failed")
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    if as_json:
        return Reply.json(fault.status or 500, {"ok": False, "error": error}, headers)
    reply = Reply.text(fault.status or 500, error)
    reply.headers.update(headers)
    return reply


def _bearer_token(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[len("bearer ") :].strip() or None
    return None
