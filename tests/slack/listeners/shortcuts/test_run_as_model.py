""" "Run as model" on a message: a signed `message_action` payload runs the message's model as a
mention would and replies in its thread naming who ran it; no model or an error is said to that
person only; outside the bot's channels, how to invite it."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from bot.slack.listeners.shortcuts import RUN_AS_MODEL
from bot.slack.listeners.shortcuts.run_as_model import NOT_A_MEMBER
from tests.slack.expect import block_texts, bot_replies, systems_table, table

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
FORM = "application/x-www-form-urlencoded"
TYPO = "PhoneScreens(5)\nPhoneScreens > Onsites @ Leek(0.1)"


def _run_as_model(slack, text: str, channel: str = "C1", thread_ts: str | None = None):
    message = slack.user_message(text, channel=channel, thread_ts=thread_ts, user="U2")
    return message, slack.message_shortcut(RUN_AS_MODEL, channel, message, user="U1")


def test_the_message_is_run_and_answered_in_its_thread_naming_who_ran_it(slack):
    message, response = _run_as_model(slack, f"what about this?\n```\n{FUNNEL}\n```\nrounds=6")

    assert response.status_code == 200 and response.text == ""
    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table(FUNNEL, 6)
    assert "<@U1> ran this message as a model" in block_texts(reply["blocks"])
    assert reply["metadata"]["event_payload"]["source_ts"] == message["ts"]


def test_a_flow_line_without_a_code_block_runs_as_a_mention_would(slack):
    message, _ = _run_as_model(slack, "[Legacy(120)] > Migrated @ 10 rounds=15")

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table("[Legacy(120)] > Migrated @ 10", 15)


def test_thread_replies_rerun_the_shortcuts_run(slack):
    message, _ = _run_as_model(slack, FUNNEL)

    rerun = slack.user_message("rounds=20", thread_ts=message["ts"])
    slack.event(rerun)

    replies = bot_replies(slack.standin, "C1", message["ts"])
    assert len(replies) == 2
    assert table(replies[-1]) == systems_table(FUNNEL, 20)


def test_run_as_model_on_a_thread_reply_reruns_the_run_before_it(slack):
    parent, _ = _run_as_model(slack, FUNNEL)
    _, response = _run_as_model(slack, "rounds=12", thread_ts=parent["ts"])

    assert response.status_code == 200
    replies = bot_replies(slack.standin, "C1", parent["ts"])
    assert table(replies[-1]) == systems_table(FUNNEL, 12)
    assert "<@U1> ran this message as a model" in block_texts(replies[-1]["blocks"])


def test_a_message_with_no_model_gets_an_explanation_only_its_runner_sees(slack):
    message, response = _run_as_model(slack, "lunch at noon?")

    assert response.status_code == 200
    assert bot_replies(slack.standin, "C1", message["ts"]) == []
    [note] = slack.standin.ephemerals("C1")
    assert note["recipient"] == "U1"
    assert "couldn't find a model" in note["text"]
    assert "[Candidates] > Screens @ 25" in block_texts(note["blocks"])


def test_a_model_error_is_shown_only_to_its_runner_with_the_model_echoed(slack):
    message, _ = _run_as_model(slack, f"```\n{TYPO}\n```")

    assert bot_replies(slack.standin, "C1", message["ts"]) == []
    [error] = slack.standin.ephemerals("C1")
    shown = block_texts(error["blocks"])
    assert error["recipient"] == "U1"
    assert "`Leek` is not a kind of flow" in shown and "Leak" in shown
    assert "PhoneScreens > Onsites @ Leek(0.1)" in shown


def test_in_a_channel_without_the_bot_the_runner_is_told_how_to_invite_it(slack):
    message, response = _run_as_model(slack, FUNNEL, channel="C2")

    assert response.status_code == 200
    assert slack.standin.thread("C2", message["ts"]) == [slack.standin.messages("C2")[0]]
    [note] = slack.standin.ephemerals("C2")
    assert (note["recipient"], note["text"]) == ("U1", NOT_A_MEMBER)


def test_a_bots_message_holding_a_model_can_be_run(slack):
    posted = slack.standin.add_app_message("C1", FUNNEL, {"event_type": "x", "event_payload": {}})
    posted = {**posted, "bot_id": "B0THER", "subtype": "bot_message"}

    slack.message_shortcut(RUN_AS_MODEL, "C1", posted)

    [reply] = bot_replies(slack.standin, "C1", posted["ts"])
    assert table(reply) == systems_table(FUNNEL, 10)


def test_the_same_shortcut_request_sent_twice_replies_once(slack):
    # Slack never resends an interaction; the same signed request sent again is a replay.
    message = slack.user_message(FUNNEL)
    payload = slack.message_shortcut_payload(RUN_AS_MODEL, "C1", message)
    body, signed_at = urlencode({"payload": json.dumps(payload)}), int(time.time())

    first = slack.post(body, FORM, signed_at=signed_at)
    again = slack.post(body, FORM, signed_at=signed_at)

    assert first.status_code == again.status_code == 200
    assert len(bot_replies(slack.standin, "C1", message["ts"])) == 1


def test_a_sweep_in_the_message_runs_as_a_sweep(slack):
    message, _ = _run_as_model(slack, f"```\n{FUNNEL}\n```\nScreens=1..3")

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    shown = block_texts(reply["blocks"])
    assert "<@U1> ran this message as a model" in shown
    assert "Screens=1" in shown and "Screens=3" in shown
