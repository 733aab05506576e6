""" "New model" in the shortcuts menu: a signed `shortcut` payload opens the editor with a
conversation picker; its `view_submission` posts the run in the conversation picked, threadable
like a /model result; model errors stay under the field."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from bot.render.views import CONVERSATION_BLOCK, MODAL_CALLBACK
from bot.slack.answering.reply import NOT_A_MEMBER_NOTE
from bot.slack.listeners.shortcuts import NEW_MODEL
from tests.slack.expect import block_texts, bot_replies, systems_table, table

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
FORM = "application/x-www-form-urlencoded"
TYPO = "PhoneScreens(5)\nPhoneScreens > Onsites @ Leek(0.1)"


def _new_model(slack) -> dict:
    response = slack.global_shortcut(NEW_MODEL)
    assert response.status_code == 200 and response.text == ""
    [view] = slack.standin.views
    return view


def _block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_the_shortcut_opens_the_editor_with_a_conversation_picker(slack):
    view = _new_model(slack)

    assert view["callback_id"] == MODAL_CALLBACK
    picker = _block(view, CONVERSATION_BLOCK)["element"]
    assert picker["type"] == "conversations_select"
    assert picker["default_to_current_conversation"] is True
    assert picker["response_url_enabled"] is True
    assert "initial_value" not in _block(view, "definition")["element"]
    assert _block(view, "rounds")["element"]["initial_value"] == "10"


def test_the_run_is_posted_in_the_conversation_picked(slack):
    view = _new_model(slack)

    response = slack.submit_editor(view, FUNNEL, "12", "G1")

    assert response.status_code == 200
    [message] = slack.standin.messages("G1")
    assert table(message) == systems_table(FUNNEL, 12)
    assert "<@U1> ran a model from the editor" in block_texts(message["blocks"])
    assert slack.standin.messages("C1") == []


def test_the_posted_run_is_threadable_like_a_model_result(slack):
    view = _new_model(slack)
    slack.submit_editor(view, FUNNEL, "5", "C1")
    [post] = slack.standin.messages("C1")

    slack.event(slack.user_message("rounds=9", thread_ts=post["ts"]))

    [rerun] = bot_replies(slack.standin, "C1", post["ts"])
    assert table(rerun) == systems_table(FUNNEL, 9)


def test_a_model_error_shows_under_the_field_and_posts_nothing(slack):
    view = _new_model(slack)

    body = slack.submit_editor(view, TYPO, "10", "C1").json()

    assert body["response_action"] == "errors"
    assert "`Leek` is not a kind of flow" in body["errors"]["definition"]
    assert slack.standin.calls_to("chat.postMessage") == []


def test_a_conversation_without_the_bot_gets_the_run_through_the_response_url(slack):
    view = _new_model(slack)

    response = slack.submit_editor(view, FUNNEL, "4", "C2")

    assert response.status_code == 200
    [message] = slack.standin.messages("C2")
    assert table(message) == systems_table(FUNNEL, 4)
    assert NOT_A_MEMBER_NOTE in block_texts(message["blocks"])


def test_the_same_submission_sent_twice_posts_once(slack):
    # Slack never resends an interaction; the same signed request sent again is a replay.
    view = _new_model(slack)
    payload = slack.view_submission_payload(view, slack.editor_values(FUNNEL, "3", "C1"))
    body, signed_at = urlencode({"payload": json.dumps(payload)}), int(time.time())

    first = slack.post(body, FORM, signed_at=signed_at)
    again = slack.post(body, FORM, signed_at=signed_at)

    assert first.status_code == again.status_code == 200
    assert len(slack.standin.messages("C1")) == 1
