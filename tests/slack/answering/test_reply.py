"""Sending a reply: the richest Block Kit a workspace accepts, through the Web API or a
response_url, and Slack's refusals as named errors."""

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookResponse

from bot.model import run_definition
from bot.slack.answering.answer import RunAnswer
from bot.slack.answering.reply import (
    BlocksRefused,
    Reply,
    SlackRefused,
    respond_in_channel,
    send_reply,
)
from tests.slack.slack_errors import slack_api_error

ANSWER = RunAnswer(run_definition("[a] > b @ 5", 3))


class Client:
    """chat.postMessage and chat.update, refusing the first `refusals` messages."""

    def __init__(self, *refusals: SlackApiError) -> None:
        self.refusals = list(refusals)
        self.sent: list[dict] = []

    def chat_postMessage(self, **message) -> dict:
        self.sent.append(message)
        if self.refusals:
            raise self.refusals.pop(0)
        return {"ts": "9.0"}

    chat_update = chat_postMessage


def block_types(message: dict) -> set[str]:
    return {block["type"] for block in message["blocks"]}


def test_a_reply_falls_back_until_the_workspace_accepts_it():
    client = Client(slack_api_error("invalid_blocks"), slack_api_error("invalid_blocks"))

    assert send_reply(client, Reply(ANSWER, "C1", thread_ts="1.0"), 1000) == "9.0"

    full, without_chart, plain = client.sent
    assert {"table", "data_visualization"} <= block_types(full)
    assert "table" in block_types(without_chart) - {"data_visualization"}
    assert not {"table", "data_visualization"} & block_types(plain)
    assert all(m["thread_ts"] == "1.0" and m["metadata"] for m in client.sent)


def test_blocks_refused_at_every_level_say_so():
    client = Client(*(slack_api_error("invalid_blocks") for _ in range(3)))

    with pytest.raises(BlocksRefused) as refused:
        send_reply(client, Reply(ANSWER, "C1"), 1000)

    assert (refused.value.code, len(client.sent)) == ("invalid_blocks", 3)


def test_any_other_refusal_is_slacks_own_error():
    client = Client(slack_api_error("not_in_channel"))

    with pytest.raises(SlackApiError):
        send_reply(client, Reply(ANSWER, "C1"), 1000)

    assert len(client.sent) == 1


def test_a_reply_that_replaces_a_message_updates_it():
    client = Client()

    send_reply(client, Reply(ANSWER, "C1", replaces="5.0", source_ts="4.0"), 1000)

    [update] = client.sent
    assert update["ts"] == "5.0" and "thread_ts" not in update
    assert update["metadata"]["event_payload"]["source_ts"] == "4.0"


def respond_answering(*statuses: tuple[int, str]):
    sent = []

    def respond(**message) -> WebhookResponse:
        status, body = statuses[len(sent)]
        sent.append(message)
        return WebhookResponse(url="", status_code=status, body=body, headers={})

    return respond, sent


def test_a_response_url_falls_back_too():
    respond, sent = respond_answering((400, "invalid_blocks"), (200, "ok"))

    respond_in_channel(respond, ANSWER, 1000)

    assert len(sent) == 2 and "data_visualization" not in block_types(sent[1])
    assert sent[1]["response_type"] == "in_channel" and sent[1]["metadata"]


def test_a_response_url_refusal_is_a_named_error():
    respond, _ = respond_answering((404, "used_url"))

    with pytest.raises(SlackRefused) as refused:
        respond_in_channel(respond, ANSWER, 1000)

    assert (refused.value.code, refused.value.status) == ("used_url", 404)
