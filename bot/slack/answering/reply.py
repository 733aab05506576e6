"""The plan for a reply (what it says, where it goes, which of the bot's messages it replaces) and
the one function that sends it, at the richest Block Kit level the workspace shows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.render.blocks import Fallback
from bot.slack.answering.answer import Answer, ResultAnswer

T = TypeVar("T")
INVALID_BLOCKS = "invalid_blocks"
NOT_A_MEMBER = {"not_in_channel", "channel_not_found"}
NOT_A_MEMBER_NOTE = (
    "_I'm not a member of this channel, so reruns in the thread won't work here: "
    "`/invite` me to use them._"
)


class SlackRefused(Exception):
    """Slack refused a reply where no SlackApiError says so: a response_url answers with a
    status and a bare error code. `code` is Slack's reason, as the Web API names it."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


class BlocksRefused(SlackRefused):
    """Slack refused a reply's blocks: the workspace can't show the table or the chart yet."""

    def __init__(self, status: int) -> None:
        super().__init__(INVALID_BLOCKS, status)


@dataclass(frozen=True)
class Reply:
    """A planned reply: what it says, where it goes, and which message of the bot's it replaces."""

    answer: Answer
    channel: str
    thread_ts: str | None = None  # None: in the channel itself
    replaces: str | None = None  # the bot's message to update in place; None posts a new one
    source_ts: str = ""  # the user message it answers, kept in metadata for the thread check


def send_reply(client: WebClient, reply: Reply, max_rounds: int) -> str:
    """Post the reply, or update the message it replaces; the ts of the bot's message."""
    fields = {"channel": reply.channel, "metadata": reply.answer.metadata(reply.source_ts)}
    if reply.replaces is None:
        send = _web_api(client.chat_postMessage, thread_ts=reply.thread_ts, **fields)
    else:
        send = _web_api(client.chat_update, ts=reply.replaces, **fields)
    return _richest_accepted(send, reply.answer, max_rounds)


def post_in_channel(
    client: WebClient, respond: Respond, channel: str, answer: ResultAnswer, max_rounds: int
) -> None:
    """Post as the bot (so the thread can be rerun); outside its channels, answer in place
    through the request's response_url, saying why reruns won't work there."""
    try:
        send_reply(client, Reply(answer, channel), max_rounds)
    except SlackApiError as error:
        if not is_not_a_member(error) or respond.response_url is None:
            raise
        noted = replace(answer, heading=f"{answer.heading}\n{NOT_A_MEMBER_NOTE}")
        respond_in_channel(respond, noted, max_rounds)


def respond_in_channel(respond: Respond, answer: Answer, max_rounds: int) -> None:
    """Reply through a command's response_url, which reaches channels the bot is not in."""
    send = _response_url(respond, response_type="in_channel", metadata=answer.metadata())
    _richest_accepted(send, answer, max_rounds)


def reply_privately(respond: Respond, text: str) -> None:
    """A note only the person who clicked or typed sees, below the message they used."""
    respond(text=text, response_type="ephemeral", replace_original=False)


def is_not_a_member(error: SlackApiError) -> bool:
    return error.response.get("error") in NOT_A_MEMBER


def _richest_accepted(send: Callable[[dict], T], answer: Answer, max_rounds: int) -> T:
    *richer, plainest = Fallback
    for fallback in richer:
        try:
            return send(answer.render(fallback, max_rounds))
        except BlocksRefused:
            continue
    return send(answer.render(plainest, max_rounds))


def _web_api(call: Callable[..., SlackResponse], **fields) -> Callable[[dict], str]:
    def send(message: dict) -> str:
        try:
            return call(**message, **fields)["ts"]
        except SlackApiError as error:
            if error.response.get("error") == INVALID_BLOCKS:
                raise BlocksRefused(error.response.status_code) from error
            raise

    return send


def _response_url(respond: Respond, **fields) -> Callable[[dict], None]:
    def send(message: dict) -> None:
        response = respond(**message, **fields)
        if response.status_code == 200:
            return
        if response.body == INVALID_BLOCKS:
            raise BlocksRefused(response.status_code)
        raise SlackRefused(response.body, response.status_code)

    return send
