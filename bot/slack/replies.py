"""Sending answers to Slack: new replies, in-place updates, and the Block Kit fallbacks."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.render.blocks import Fallback
from bot.slack.answers import Answer

NOT_A_MEMBER = {"not_in_channel", "channel_not_found"}


def send_with_fallbacks(send: Callable[..., object], answer: Answer, max_rounds: int, **fields):
    """Send, retrying with simpler blocks when Slack refuses the new table or chart blocks."""
    for level in Fallback:
        try:
            return send(**answer.render(level, max_rounds), **fields)
        except SlackApiError as error:
            if error.response.get("error") != "invalid_blocks" or level is Fallback.PLAIN_TABLE:
                raise
    raise AssertionError("unreachable: the last fallback re-raises")


def post_answer(
    client: WebClient,
    channel: str,
    answer: Answer,
    max_rounds: int,
    *,
    thread_ts: str | None = None,
    source_ts: str = "",
):
    return send_with_fallbacks(
        client.chat_postMessage,
        answer,
        max_rounds,
        channel=channel,
        thread_ts=thread_ts,
        metadata=answer.metadata(source_ts),
    )


def update_answer(
    client: WebClient, channel: str, ts: str, answer: Answer, max_rounds: int, source_ts: str
):
    return send_with_fallbacks(
        client.chat_update,
        answer,
        max_rounds,
        channel=channel,
        ts=ts,
        metadata=answer.metadata(source_ts),
    )


def delete_replies(client: WebClient, channel: str, timestamps: list[str]) -> None:
    """Delete the bot's own messages; one already gone (another instance's work) is fine."""
    for ts in timestamps:
        try:
            client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as error:
            if error.response.get("error") != "message_not_found":
                raise


def is_not_a_member(error: SlackApiError) -> bool:
    return error.response.get("error") in NOT_A_MEMBER
