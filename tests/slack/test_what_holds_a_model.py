"""One recogniser of "this text holds a model", end to end: every model people are shown runs
through every way of sending one, with the rows `systems` computes, and ordinary chat in a
channel or a result's thread gets no answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.chat.reader import read_request
from bot.render.views import ACTION_OPEN_EDITOR
from slack_standin.sender import SlackSender
from tests.chat.examples import BOT_MENTION, CHATTER, Example, as_slack_sends, documented_examples
from tests.slack.expect import block_texts, bot_replies, systems_table, table

README_MENTION = "@sysbot [Legacy(120)] > Migrated @ 10 rounds=15"


def test_the_readme_mention_example_gets_a_result_with_the_rows_systems_computes(slack):
    message = slack.user_message(as_slack_sends(README_MENTION))
    slack.event(message)  # Slack delivers a mention as a message too
    slack.event(slack.as_mention(message))

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table("[Legacy(120)] > Migrated @ 10", 15)


# -- every example, every way in ------------------------------------------------------------------


def _run_of(example: Example) -> tuple[str, int]:
    """The definition and rounds the example asks for, options taken out as the bot does."""
    request = read_request(as_slack_sends(example.model))
    return request.definition, request.rounds or 10


def _mention(slack: SlackSender, example: Example) -> dict:
    message = slack.user_message(f"{BOT_MENTION} {as_slack_sends(example.model)}")
    slack.event(slack.as_mention(message))
    return _only_reply(slack, "C1", message)


def _direct_message(slack: SlackSender, example: Example) -> dict:
    message = slack.user_message(as_slack_sends(example.model), channel="D1")
    slack.event(message)
    return _only_reply(slack, "D1", message)


def _channel_message(slack: SlackSender, example: Example) -> dict:
    message = slack.user_message(as_slack_sends(example.model))
    slack.event(message)
    return _only_reply(slack, "C1", message)


def _code_block(slack: SlackSender, example: Example) -> dict:
    definition, rounds = _run_of(example)
    message = slack.user_message(as_slack_sends(f"rounds={rounds}\n```\n{definition}\n```"))
    slack.event(message)
    return _only_reply(slack, "C1", message)


def _edit(slack: SlackSender, example: Example) -> dict:
    message = slack.user_message(as_slack_sends("[a] > b @ 1"))
    slack.event(message)
    slack.edit("C1", message["ts"], as_slack_sends(example.model))
    return _only_reply(slack, "C1", message)


def _command(slack: SlackSender, example: Example) -> dict:
    acknowledgement = slack.command(as_slack_sends(example.model))
    posted = slack.standin.messages("C1")
    return posted[0] if posted else acknowledgement.json()  # an error only the user sees


def _editor(slack: SlackSender, example: Example) -> dict:
    definition, rounds = _run_of(example)
    slack.click_ephemeral("C1", slack.command("").json()["blocks"], ACTION_OPEN_EDITOR)
    [view] = slack.standin.views
    answer = slack.submit_view(view, definition, str(rounds))
    posted = slack.standin.messages("C1")
    if posted:
        return posted[0]
    return {"text": answer.json()["errors"]["definition"], "blocks": []}  # kept in the form


def _only_reply(slack: SlackSender, channel: str, message: dict) -> dict:
    [reply] = bot_replies(slack.standin, channel, message["ts"])
    return reply


WAYS_IN: dict[str, Callable[[SlackSender, Example], dict]] = {
    "mention": _mention,
    "direct message": _direct_message,
    "channel message": _channel_message,
    "code block": _code_block,
    "edit": _edit,
    "/model": _command,
    "editor": _editor,
}


@pytest.mark.parametrize("way_in", WAYS_IN)
@pytest.mark.parametrize(
    "example", documented_examples(), ids=lambda e: f"{e.where}: {e.typed[:40]!r}"
)
def test_every_model_people_are_shown_runs_every_way_in(slack, example, way_in):
    definition, rounds = _run_of(example)

    answer = WAYS_IN[way_in](slack, example)

    if "Engineers" in definition:  # the help's formula example names a stock it leaves out
        seen = answer["text"] + block_texts(answer["blocks"])
        assert "There is no stock called `Engineers`" in seen
    else:
        assert table(answer) == systems_table(definition, rounds)


# -- chatter ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", CHATTER)
def test_chatter_in_a_channel_gets_no_answer(slack, text):
    response = slack.event(slack.user_message(text))

    assert response.status_code == 200
    assert slack.standin.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("text", CHATTER)
def test_chatter_in_a_results_thread_gets_no_answer(slack, text):
    parent = slack.user_message(as_slack_sends("[a] > b @ 5"))
    slack.event(parent)

    slack.event(slack.user_message(text, thread_ts=parent["ts"]))

    assert len(bot_replies(slack.standin, "C1", parent["ts"])) == 1
