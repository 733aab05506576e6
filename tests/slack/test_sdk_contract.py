"""What bot/slack/sdk_hooks.py relies on inside slack_sdk and slack_bolt, pinned against them.

Each test states one fact that the hooks read beyond the libraries' public API: a private
method's name and parameters, what one attempt returns and raises, what Bolt builds for every
request and where listeners find it. An upgrade that changes any of them fails here, naming the
fact, before the bot's own tests fail in ways that are harder to read.
"""

from __future__ import annotations

import http.client
import inspect
import ssl
from collections.abc import Iterator
from importlib.metadata import version
from typing import Any
from unittest.mock import Mock
from urllib.error import URLError

import pytest
from slack_bolt import App, BoltRequest
from slack_bolt.context.respond import Respond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web.base_client import BaseClient
from slack_sdk.webhook import WebhookClient

from bot.slack.context import DeadlineStarted
from bot.slack.sdk_hooks import PooledRespond, PooledWebClient
from bot.slack.web_transport import Answer, Transport
from slack_standin import APP_ID, TEAM_ID, SlackStandIn

SOON = FixedValueRetryIntervalCalculator(0.01)


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as slack:
        slack.add_channel("C1", name="general")
        yield slack


@pytest.fixture
def transport() -> Iterator[Transport]:
    pooled = Transport(ssl.create_default_context())
    yield pooled
    pooled.close()


def pooled_client(standin: SlackStandIn, transport: Transport, **settings: Any) -> WebClient:
    return PooledWebClient(
        transport=transport, token=standin.bot_token, base_url=standin.api_url, **settings
    )


def parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_hooks_are_written_against_slack_sdk_3_48_0_and_slack_bolt_1_30_0():
    assert (version("slack_sdk"), version("slack_bolt")) == ("3.48.0", "1.30.0")


# --- slack_sdk -------------------------------------------------------------------------------


def test_one_attempt_of_a_web_api_call_is_a_method_taking_the_url_and_urllib_request():
    assert parameters(BaseClient._perform_urllib_http_request_internal) == ["self", "url", "req"]


def test_one_response_url_post_is_a_method_taking_the_url_and_urllib_request():
    assert parameters(WebhookClient._perform_http_request_internal) == ["self", "url", "req"]


def test_a_file_upload_is_a_method_taking_these_keywords():
    expected = ["self", "url", "data", "logger", "timeout", "proxy", "ssl"]
    assert parameters(BaseClient._upload_file) == expected


def test_answers_outside_2xx_reach_the_caller_as_slack_api_errors(
    standin: SlackStandIn, transport: Transport
) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=7)
    client = pooled_client(standin, transport, retry_handlers=[])
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x")
    response = caught.value.response
    assert (response.status_code, response.headers["Retry-After"]) == (429, "7")
    assert response.data == {"ok": False, "error": "ratelimited"}


def test_retry_handlers_run_around_each_attempt(
    standin: SlackStandIn, transport: Transport
) -> None:
    standin.fail_next("chat.postMessage", status=429, retry_after=0)
    standin.fail_next("conversations.replies", status=500)
    handlers = [
        RateLimitErrorRetryHandler(interval_calculator=SOON),
        ServerErrorRetryHandler(interval_calculator=SOON),
    ]
    client = pooled_client(standin, transport, retry_handlers=handlers)
    posted = client.chat_postMessage(channel="C1", text="x")
    assert client.conversations_replies(channel="C1", ts=posted["ts"])["ok"]
    assert [m for m, _ in standin.calls] == ["chat.postMessage"] * 2 + ["conversations.replies"] * 2


def test_a_connection_dropped_unanswered_reaches_the_connection_error_handler(
    standin: SlackStandIn, transport: Transport
) -> None:
    standin.fail_next("chat.postMessage", drop=True)
    client = pooled_client(
        standin, transport, retry_handlers=[ConnectionErrorRetryHandler(interval_calculator=SOON)]
    )
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert len(standin.calls_to("chat.postMessage")) == 2


def test_a_response_url_post_runs_its_retry_handlers_around_each_attempt_and_its_timeout(
    standin: SlackStandIn,
) -> None:
    """`respond` is held to the deadline by setting the WebhookClient's timeout as each attempt
    starts (bot/slack/deadline.py's `respond_within`), and its retries by its handlers."""
    timeouts = iter([1.5, 0.5])
    transport = Mock(spec=Transport)
    transport.post.side_effect = [URLError(ConnectionResetError("dropped")), _ok_answer()]
    respond = PooledRespond(
        response_url=standin.new_response_url("C1", "U1"),
        transport=transport,
        attempt_timeout=lambda: next(timeouts),
        retry_handlers=[ConnectionErrorRetryHandler(interval_calculator=SOON)],
    )
    assert respond(text="x").status_code == 200
    assert [sent.args[3] for sent in transport.post.call_args_list] == [1.5, 0.5]


def _ok_answer() -> Answer:
    headers = http.client.HTTPMessage()
    headers["Content-Type"] = "text/plain; charset=utf-8"
    return Answer(200, "OK", headers, b"ok")


def test_files_upload_v2_posts_the_bytes_through_the_upload_hook(
    standin: SlackStandIn, transport: Transport
) -> None:
    client = pooled_client(standin, transport)
    client.files_upload_v2(channel="C1", content="a,b\n1,2\n", filename="run.csv")
    [uploaded] = standin.files
    assert standin.file_content(uploaded["id"]) == b"a,b\n1,2\n"
    assert standin.traffic().connections == 1  # the upload URL is on the same host here


# --- slack_bolt ------------------------------------------------------------------------------


def test_respond_takes_the_keywords_of_build_message():
    assert parameters(Respond.__call__)[1:] == parameters(_build_message)


def test_bolt_builds_every_requests_client_anew_from_the_app_clients_settings(
    standin: SlackStandIn,
) -> None:
    seen = _dispatch_command(standin, _app(standin, before_authorize=None))
    assert type(seen["client"]) is WebClient and seen["client"] is not seen["app_client"]
    assert type(seen["respond"]) is Respond


def test_listeners_and_auth_test_use_what_before_authorize_put_in_the_context(
    standin: SlackStandIn, transport: Transport
) -> None:
    started = DeadlineStarted(budget_seconds=2.5, transport=transport)
    seen = _dispatch_command(standin, _app(standin, before_authorize=started))
    assert isinstance(seen["client"], PooledWebClient) and seen["client"].transport is transport
    assert isinstance(seen["respond"], PooledRespond)
    assert [m for m, _ in standin.calls] == ["auth.test", "response_url"]
    assert standin.traffic().connections == 1  # both over the one kept connection
    assert [m["text"] for m in standin.messages("C1")] == ["responded"]


def _app(standin: SlackStandIn, before_authorize: Any) -> App:
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    return App(
        name="contract",
        client=client,
        signing_secret="secret",
        token_verification_enabled=False,
        process_before_response=True,
        before_authorize=before_authorize,
    )


def _dispatch_command(standin: SlackStandIn, app: App) -> dict[str, Any]:
    seen: dict[str, Any] = {"app_client": app.client}

    @app.command("/model")
    def model(ack, client, respond) -> None:
        ack()
        seen.update(client=client, respond=respond)
        respond(text="responded", response_type="in_channel")

    body = {
        "command": "/model",
        "text": "",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "channel_id": "C1",
        "user_id": "U1",
        "response_url": standin.new_response_url("C1", "U1"),
        "trigger_id": standin.new_trigger_id(),
    }
    # Socket Mode skips the signature check, which is not what this is about.
    assert app.dispatch(BoltRequest(body=body, mode="socket_mode")).status == 200
    return seen
