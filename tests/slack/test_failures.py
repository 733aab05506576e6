"""What a failure becomes, decided by Bolt's error handler from the exception and the request:
a retry for an event Slack could still deliver, an apology for anything a person sent (through
its response_url), and 400 for a signed request Bolt itself could not read."""

import json
import time
from urllib.error import URLError

import pytest
from slack_bolt import BoltRequest, BoltResponse

from bot.logs import Kind
from bot.slack.answering.dedupe import StillInFlight
from bot.slack.answering.reply import SlackRefused
from bot.slack.context import REQUEST_LOG, RequestLog
from bot.slack.deadline import DeadlinePassed
from bot.slack.failures import APOLOGY, LATE_APOLOGY, SLACK_APOLOGY, error_handler
from bot.slack.identity import SlackUnavailable
from tests.slack.slack_errors import slack_api_error

EVENT = {"type": "event_callback", "event_id": "Ev1", "event": {"type": "message"}}
COMMAND = {"command": "/model", "text": "x", "response_url": "http://127.0.0.1:9/r"}


def request(body: dict, listener: Kind | None = Kind.MESSAGE) -> BoltRequest:
    """A request as Bolt has it when a listener of this kind (None: no listener yet) failed."""
    if "command" in body:
        raw, content_type = "&".join(f"{k}={v}" for k, v in body.items()), "form"
    else:
        raw, content_type = json.dumps(body), "json"
    headers = {"content-type": [f"application/{content_type}"]}
    bolt = BoltRequest(body=raw, headers=headers)
    if listener is not None:
        bolt.context[REQUEST_LOG] = RequestLog(listener, time.perf_counter(), 0, None)
    return bolt


class Respond:
    """Bolt's respond, keeping what it would send to the response_url."""

    def __init__(self, response_url: str | None, told: list) -> None:
        self.response_url = response_url
        self.told = told

    def __call__(self, **message) -> None:
        self.told.append(message)


def handle(error: Exception, bolt: BoltRequest, told: list | None = None) -> BoltResponse | None:
    """The error handler's answer; what it sends to the request's response_url goes to `told`."""
    respond = Respond(bolt.body.get("response_url"), [] if told is None else told)
    on_error = error_handler()
    return on_error(
        error=error, request=bolt, context=bolt.context, ack=bolt.context.ack, respond=respond
    )


@pytest.mark.parametrize(
    "error",
    [
        slack_api_error("ratelimited", 429),
        slack_api_error("fatal_error", 200),
        slack_api_error("whatever", 503),
        SlackRefused("internal_error", 200),
        URLError("down"),
        ConnectionResetError(),
        TimeoutError(),
        DeadlinePassed(),
        StillInFlight("C1:1.0"),
        SlackUnavailable("URLError"),
    ],
)
def test_an_event_a_retry_could_finish_keeps_bolts_500(error):
    assert handle(error, request(EVENT)) is None


@pytest.mark.parametrize(
    "error", [slack_api_error("not_in_channel", 200), SlackRefused("used_url", 404), KeyError("x")]
)
def test_any_other_failed_event_is_answered_200_so_slack_does_not_retry(error):
    assert handle(error, request(EVENT)).status == 200


def test_a_failed_command_is_told_the_apology_through_its_response_url():
    told = []
    response = handle(KeyError("x"), request(COMMAND, Kind.COMMAND), told)
    assert (response.status, response.body) == (200, "")
    assert told == [{"text": APOLOGY, "response_type": "ephemeral", "replace_original": False}]


@pytest.mark.parametrize(
    "error, apology",
    [(SlackUnavailable("URLError"), SLACK_APOLOGY), (DeadlinePassed(), LATE_APOLOGY)],
)
def test_a_command_slack_failed_is_told_what_slack_did(error, apology):
    told = []
    assert handle(error, request(COMMAND, Kind.COMMAND), told).status == 200
    assert [message["text"] for message in told] == [apology]


def test_a_command_whose_response_url_fails_too_gets_the_apology_as_its_answer():
    def refusing(**message) -> None:
        raise URLError("hooks down")

    bolt = request(COMMAND, Kind.COMMAND)
    refusing.response_url = COMMAND["response_url"]
    on_error = error_handler()
    response = on_error(
        error=KeyError("x"),
        request=bolt,
        context=bolt.context,
        ack=bolt.context.ack,
        respond=refusing,
    )
    assert (response.status, response.body) == (200, APOLOGY)


def test_a_command_acknowledged_before_it_failed_keeps_its_answer():
    bolt = request(COMMAND, Kind.COMMAND)
    bolt.context.ack(text="answered")
    assert handle(KeyError("x"), bolt).body == "answered"


def test_a_failed_click_is_acknowledged_and_told_the_apology():
    click = {"type": "block_actions", "actions": [{"action_id": "x"}], "response_url": "u"}
    told = []
    response = handle(KeyError("x"), request(click, Kind.ACTION), told)
    assert response.status == 200
    assert told == [{"text": APOLOGY, "response_type": "ephemeral", "replace_original": False}]


def test_a_failed_form_is_closed():
    view = {"type": "view_submission", "view": {"type": "modal", "callback_id": "x"}}
    response = handle(KeyError("x"), request(view, Kind.VIEW))
    assert (response.status, response.body) == (200, "")


def test_a_request_bolt_could_not_read_is_refused_400():
    assert handle(TypeError("unreadable"), request(EVENT, listener=None)).status == 400


def test_an_event_that_failed_before_any_listener_because_slack_did_is_answered_500():
    assert handle(SlackUnavailable("URLError"), request(EVENT, listener=None)) is None


STEP = {
    "type": "event_callback",
    "event_id": "Ev2",
    "event": {"type": "function_executed", "function_execution_id": "Fx1"},
}


def _step_request(failed: list) -> BoltRequest:
    bolt = request(STEP, Kind.STEP)
    bolt.context["function_execution_id"] = "Fx1"
    bolt.context["fail"] = failed.append  # Bolt's fail(), recorded
    return bolt


def test_a_workflow_step_that_failed_for_good_is_failed_with_the_apology():
    failed: list = []
    assert handle(KeyError("x"), _step_request(failed)).status == 200
    assert failed == [APOLOGY]


def test_a_workflow_step_that_a_retry_could_finish_is_left_to_the_retry():
    failed: list = []
    assert handle(slack_api_error("ratelimited", 429), _step_request(failed)) is None
    assert failed == []
