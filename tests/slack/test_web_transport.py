"""The kept-alive transport against a scripted HTTP/1.1 server on 127.0.0.1: reuse, threads, and
what happens when the server closes a connection, before or after taking a request."""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.error import URLError

import pytest

from bot.slack.web_transport import MAX_IDLE_SECONDS, Transport
from tests.servers import free_port

ANSWER = "answer"  # 200, the request's body echoed, connection kept
# Answer, then send FIN as a server closing an idle connection does; but go on reading, so a
# request sent on it anyway is seen.
ANSWER_THEN_FIN = "answer then FIN"
SAY_CLOSE = "say close"  # 200 with `Connection: close`
TAKE_AND_CLOSE = "take and close"  # read the request, close without a word
RATE_LIMITED = "429"
SLOW = "slow"  # answer after SLOW_SECONDS
WAIT_AND_CLOSE = "wait and close"  # read the request, wait SLOW_SECONDS / 4, close unanswered
SLOW_SECONDS = 2.0
TIMEOUT = 5.0


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ScriptedHandler)
        self.script: deque[str] = deque()
        self.received: list[bytes] = []
        self.connections = 0
        self.fins = 0
        self.lock = threading.Condition()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/method"

    def next_step(self, body: bytes) -> str:
        with self.lock:
            self.received.append(body)
            return self.script.popleft() if self.script else ANSWER

    def finish_request(self, request, client_address) -> None:
        with self.lock:
            self.connections += 1
        super().finish_request(request, client_address)

    def sent_fin(self) -> None:
        with self.lock:
            self.fins += 1
            self.lock.notify_all()

    def wait_fin(self) -> None:
        """Until the server has sent its FIN: the test, not a race, decides that the client's
        next request finds its connection closing."""
        with self.lock:
            assert self.lock.wait_for(lambda: self.fins > 0, timeout=TIMEOUT)


class ScriptedHandler(BaseHTTPRequestHandler):
    server: ScriptedServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        step = self.server.next_step(body)
        if step in (TAKE_AND_CLOSE, WAIT_AND_CLOSE):
            time.sleep(SLOW_SECONDS / 4 if step == WAIT_AND_CLOSE else 0)
            self.close_connection = True
            return
        if step == SLOW:
            time.sleep(SLOW_SECONDS)
        self.send_response(429 if step == RATE_LIMITED else 200)
        self.send_header("Content-Length", str(len(body)))
        if step == RATE_LIMITED:
            self.send_header("Retry-After", "3")
        if step == SAY_CLOSE:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        if step == ANSWER_THEN_FIN:
            self.connection.shutdown(socket.SHUT_WR)
            self.server.sent_fin()

    def log_message(self, *args) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    scripted = ScriptedServer()
    thread = threading.Thread(target=scripted.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    yield scripted
    scripted.shutdown()
    scripted.server_close()
    thread.join()


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def transport(clock: Clock) -> Iterator[Transport]:
    pooled = Transport(ssl.create_default_context(), clock=clock)
    yield pooled
    pooled.close()


def post(transport: Transport, url: str, body: bytes, replayable: bool = False) -> bytes:
    answer = transport.post(url, body, {"X-Test": "1"}, TIMEOUT, replayable=replayable)
    assert answer.status == 200
    return answer.body


def test_calls_share_one_connection(server: ScriptedServer, transport: Transport) -> None:
    assert [post(transport, server.url, b"%d" % n) for n in range(5)] == [
        b"0",
        b"1",
        b"2",
        b"3",
        b"4",
    ]
    assert server.connections == 1


def test_threads_share_the_pool_and_each_gets_its_own_answer(
    server: ScriptedServer, transport: Transport
) -> None:
    answers: dict[int, list[bytes]] = {}

    def calls(thread: int) -> None:
        answers[thread] = [post(transport, server.url, b"%d-%d" % (thread, n)) for n in range(20)]

    threads = [threading.Thread(target=calls, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {t: [b"%d-%d" % (t, n) for n in range(20)] for t in range(8)}
    assert 1 <= server.connections <= 8


def test_a_connection_the_server_closed_while_idle_is_replaced_before_sending(
    server: ScriptedServer, transport: Transport
) -> None:
    server.script.extend([ANSWER_THEN_FIN, ANSWER])
    post(transport, server.url, b"first")
    server.wait_fin()
    post(transport, server.url, b"second")  # chat.postMessage, say: never at risk here
    assert server.received == [b"first", b"second"]  # nothing sent into the closing one
    assert server.connections == 2


def test_a_request_the_server_took_and_left_unanswered_is_not_sent_again(
    server: ScriptedServer, transport: Transport
) -> None:
    server.script.extend([ANSWER, TAKE_AND_CLOSE])
    post(transport, server.url, b"first")
    with pytest.raises(http.client.RemoteDisconnected):
        post(transport, server.url, b"post a message")
    assert server.received == [b"first", b"post a message"]  # received once, as Slack may have


def test_a_replayable_request_left_unanswered_is_sent_once_more_on_a_new_connection(
    server: ScriptedServer, transport: Transport
) -> None:
    server.script.extend([ANSWER, TAKE_AND_CLOSE, ANSWER])
    post(transport, server.url, b"first")
    assert post(transport, server.url, b"read the thread", replayable=True) == b"read the thread"
    assert server.received == [b"first", b"read the thread", b"read the thread"]
    assert server.connections == 2


def test_on_a_new_connection_nothing_is_sent_again(
    server: ScriptedServer, transport: Transport
) -> None:
    server.script.extend([TAKE_AND_CLOSE, TAKE_AND_CLOSE])
    with pytest.raises(http.client.RemoteDisconnected):
        post(transport, server.url, b"read the thread", replayable=True)
    assert server.received == [b"read the thread"]


def test_a_connection_idle_too_long_is_not_reused(
    server: ScriptedServer, transport: Transport, clock: Clock
) -> None:
    post(transport, server.url, b"first")
    clock.now += MAX_IDLE_SECONDS + 1
    post(transport, server.url, b"later")
    assert server.connections == 2


def test_a_connection_the_server_says_it_closes_is_not_kept(
    server: ScriptedServer, transport: Transport
) -> None:
    server.script.extend([SAY_CLOSE, ANSWER])
    post(transport, server.url, b"first")
    post(transport, server.url, b"second")
    assert server.connections == 2


def test_every_status_comes_back_with_its_headers_and_the_connection_is_kept(
    server: ScriptedServer, transport: Transport
) -> None:
    server.script.append(RATE_LIMITED)
    answer = transport.post(server.url, b"busy?", {}, TIMEOUT, replayable=False)
    assert (answer.status, answer.headers["Retry-After"], answer.body) == (429, "3", b"busy?")
    post(transport, server.url, b"again")
    assert server.connections == 1


def test_an_unreachable_server_is_a_url_error_as_with_urlopen(transport: Transport) -> None:
    with pytest.raises(URLError) as caught:
        transport.post(f"http://127.0.0.1:{free_port()}/api/x", b"", {}, TIMEOUT, replayable=True)
    assert isinstance(caught.value.reason, ConnectionRefusedError)


def test_only_http_and_https(transport: Transport) -> None:
    with pytest.raises(ValueError):
        transport.post("file:///etc/passwd", None, {}, TIMEOUT, replayable=True)


def test_a_calls_timeout_bounds_it_whole_a_second_attempt_included(server: ScriptedServer) -> None:
    transport = Transport(ssl.create_default_context())  # real time
    post(transport, server.url, b"keep")
    server.script.extend([WAIT_AND_CLOSE, SLOW])
    timeout = SLOW_SECONDS / 2
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        transport.post(server.url, b"read", {}, timeout, replayable=True)
    # The new connection got what was left, not the whole timeout again.
    assert time.monotonic() - started < timeout + SLOW_SECONDS / 8
    assert server.received[-2:] == [b"read", b"read"]
    transport.close()
