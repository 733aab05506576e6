"""Only the bot's own messages are believed. Any app may attach any metadata to a message, and
one posting with a user token leaves no bot_id: such a message carrying the bot's run metadata
is neither a run to rerun nor a sign that a message was answered."""

from __future__ import annotations

import json

import pytest

from bot.render.blocks import ACTION_CSV
from bot.slack.stored import run_metadata
from tests.slack.expect import bot_replies

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Hires @ Leak(0.5)"
FORGED_MODEL = "[Forged] > Elsewhere @ 99"


@pytest.mark.parametrize("bot_id", [None, "BOTHER"], ids=["no_bot_id", "another_bot"])
def test_a_rerun_never_runs_a_model_from_someone_elses_message(slack, bot_id):
    root = slack.user_message("Let's try the forged one")
    slack.standin.add_app_message(
        "C1", "a run", run_metadata(FORGED_MODEL, 5), thread_ts=root["ts"], bot_id=bot_id
    )

    response = slack.event(slack.user_message("rerun", thread_ts=root["ts"]))

    assert response.status_code == 200
    assert slack.standin.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("bot_id", [None, "BOTHER"], ids=["no_bot_id", "another_bot"])
def test_a_forged_reply_does_not_stop_the_bot_answering(slack, bot_id):
    message = slack.user_message(f"```systems\n{FUNNEL}\n```")
    forged = run_metadata(FUNNEL, 10, source_ts=message["ts"])
    slack.standin.add_app_message("C1", "answered", forged, message["ts"], bot_id=bot_id)

    response = slack.event(message, event_id="EvFORGED", retry=1)  # a retry reads the thread

    assert response.status_code == 200
    [reply] = [m for m in bot_replies(slack.standin, "C1", message["ts"]) if m["bot_id"] == "BBOT"]
    assert reply["metadata"]["event_payload"]["source_ts"] == message["ts"]
    assert slack.standin.calls_to("chat.delete") == []


def test_a_click_on_a_message_that_is_not_the_bots_finds_no_run(slack):
    message = slack.standin.add_app_message("C1", "a run", run_metadata(FORGED_MODEL, 5))
    button = {"action_id": "sysbot_more_rounds", "value": "{}", "text": {"type": "plain_text"}}
    forged = {**message, "blocks": [{"type": "actions", "elements": [button]}]}

    response = slack.click("C1", forged, "sysbot_more_rounds", with_metadata=True)

    assert response.status_code == 200
    assert slack.standin.calls_to("chat.postMessage") == []


@pytest.mark.parametrize("bot_id", [None, "BOTHER"], ids=["no_bot_id", "another_bot"])
def test_a_csv_button_carrying_a_model_on_a_message_that_is_not_the_bots_runs_nothing(
    slack, bot_id
):
    message = slack.standin.add_app_message("C1", "a run", {}, bot_id=bot_id)
    value = json.dumps({"rounds": 5, "definition": FORGED_MODEL})
    button = {"action_id": ACTION_CSV, "value": value, "text": {"type": "plain_text"}}
    forged = {**message, "blocks": [{"type": "actions", "elements": [button]}]}

    response = slack.click("C1", forged, ACTION_CSV)

    assert response.status_code == 200
    assert slack.standin.calls_to("files.getUploadURLExternal") == []
