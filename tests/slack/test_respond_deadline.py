"""`respond` (posts to a response_url) is held to the request's one deadline, as the Web API
client is: each attempt gets what is left of it. After the deadline, only the time Slack still
waits for the answer is left (the budget keeps it for answering: an apology for a call abandoned
at the deadline goes then), and after that nothing is sent. The clock is the test's; a post
Slack never answers is held by a server that never answers, so only the deadline can end it."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator
from unittest.mock import Mock

import pytest
from slack_sdk import WebClient

from bot.slack.deadline import (
    SLACK_PATIENCE_SECONDS,
    Deadline,
    DeadlinePassed,
    respond_within,
)
from bot.slack.web_transport import Answer, Transport

BUDGET = 2.5  # the default, half a second short of Slack's patience
LONGEST_CALL = 10.0


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _ok() -> Answer:
    headers = http.client.HTTPMessage()
    headers["Content-Type"] = "text/plain; charset=utf-8"
    return Answer(200, "OK", headers, b"ok")


def _client() -> WebClient:
    return WebClient(token="xoxb-test", timeout=LONGEST_CALL)


def test_a_post_gets_what_is_left_of_the_deadline() -> None:
    clock = Clock()
    deadline = Deadline(BUDGET, clock, clock)
    transport = Mock(spec=Transport)
    transport.post.return_value = _ok()
    respond = respond_within(deadline, "https://hooks.example/1", _client(), transport)

    clock.now += 1.75
    respond(text="noted")

    [sent] = transport.post.call_args_list
    assert sent.args[3] == pytest.approx(BUDGET - 1.75)


def test_after_the_deadline_a_post_gets_only_what_is_left_of_slacks_patience() -> None:
    clock = Clock()
    deadline = Deadline(BUDGET, clock, clock)
    transport = Mock(spec=Transport)
    transport.post.return_value = _ok()
    respond = respond_within(deadline, "https://hooks.example/1", _client(), transport)

    clock.now += BUDGET + 0.1
    respond(text="sorry")

    [sent] = transport.post.call_args_list
    assert sent.args[3] == pytest.approx(SLACK_PATIENCE_SECONDS - BUDGET - 0.1)


def test_a_post_once_slack_stopped_waiting_is_not_sent() -> None:
    clock = Clock()
    deadline = Deadline(BUDGET, clock, clock)
    transport = Mock(spec=Transport)
    respond = respond_within(deadline, "https://hooks.example/1", _client(), transport)

    clock.now += SLACK_PATIENCE_SECONDS

    with pytest.raises(DeadlinePassed):
        respond(text="too late")
    transport.post.assert_not_called()


@pytest.fixture
def unanswering() -> Iterator[str]:
    """A response_url whose server reads the request and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    taken: list[socket.socket] = []
    closed = threading.Event()

    def accept() -> None:
        while not closed.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            taken.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/respond"
    closed.set()
    listener.close()
    for connection in taken:
        connection.close()


def test_a_post_slack_never_answers_ends_with_the_deadline_not_the_clients_timeout(
    unanswering: str,
) -> None:
    """The deadline's clock is the test's: it says 0.2 s are left, so the post waits 0.2 s, not
    the client's 10 s; the server never answers, so nothing but that timeout can end it."""
    clock = Clock()
    deadline = Deadline(BUDGET, clock, clock)
    transport = Transport(ssl_context=None)  # type: ignore[arg-type]  # plain HTTP only
    posted = Mock(wraps=transport.post)
    transport.post = posted  # type: ignore[method-assign]
    respond = respond_within(deadline, unanswering, _client(), transport)

    clock.now += BUDGET - 0.2
    with pytest.raises(TimeoutError):
        respond(text="into the void")
    [sent] = posted.call_args_list  # and not sent again
    assert sent.args[3] == pytest.approx(0.2)
    transport.close()
