"""The "Edit & rerun" button: the editor, prefilled, whose run lands in the result's thread."""

import json

import pytest

from bot.render.blocks import ACTION_EDIT
from bot.render.views import MODAL_CALLBACK
from tests.slack.expect import block_texts, bot_replies, systems_table, table

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
CHANGED = "[Candidates] > Screens @ 8\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"


@pytest.fixture
def trigger_ids(slack, monkeypatch) -> list[str]:
    """Every trigger id the stand-in hands out, so a test can tell which one the bot used."""
    issued: list[str] = []
    original = slack.standin.new_trigger_id

    def recording(*args, **kwargs):
        issued.append(original(*args, **kwargs))
        return issued[-1]

    monkeypatch.setattr(slack.standin, "new_trigger_id", recording)
    return issued


def _posted_run(slack) -> dict:
    slack.command(f"rounds=6\n{FUNNEL}")
    [message] = slack.standin.messages("C1")
    return message


def _input(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]


def test_edit_opens_the_editor_with_the_trigger_id_prefilled_with_the_run(slack, trigger_ids):
    message = _posted_run(slack)

    response = slack.click("C1", message, ACTION_EDIT)

    assert response.status_code == 200
    [opened] = slack.standin.calls_to("views.open")
    assert opened["trigger_id"] == trigger_ids[-1]
    [view] = slack.standin.views
    assert view["callback_id"] == MODAL_CALLBACK
    assert _input(view, "definition")["initial_value"] == FUNNEL
    assert _input(view, "rounds")["initial_value"] == "6"
    assert json.loads(view["private_metadata"]) == {
        "channel": "C1",
        "thread_ts": message["ts"],
        "run_ts": message["ts"],
    }


def test_submitting_the_editor_posts_the_new_run_in_the_thread_with_a_comparison(slack):
    message = _posted_run(slack)
    slack.click("C1", message, ACTION_EDIT)
    [view] = slack.standin.views

    response = slack.submit_view(view, CHANGED, "20")

    assert response.status_code == 200
    assert [m["ts"] for m in slack.standin.messages("C1")] == [message["ts"]]
    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table(CHANGED, 20)
    shown = block_texts(reply["blocks"])
    assert "Compared with the run before" in shown
    assert "ran a model from the editor" in shown
    payload = reply["metadata"]["event_payload"]
    assert payload["definition"] == CHANGED and payload["rounds"] == 20


def test_edit_also_works_when_the_payload_carries_the_metadata(slack):
    message = _posted_run(slack)

    slack.click("C1", message, ACTION_EDIT, with_metadata=True)

    [view] = slack.standin.views
    assert _input(view, "definition")["initial_value"] == FUNNEL


def test_outside_the_bots_channels_the_button_asks_to_invite_the_bot(slack):
    slack.command("rounds=3\n[a] > b @ 5", channel="C2")
    [message] = slack.standin.messages("C2")

    response = slack.click("C2", message, ACTION_EDIT)

    assert response.status_code == 200
    [note] = slack.standin.ephemerals("C2")
    assert note["recipient"] == "U1" and "`/invite` me" in note["text"]
    assert len(slack.standin.messages("C2")) == 1 and slack.standin.files == []


def test_a_model_longer_than_the_editor_holds_gets_a_note_instead(slack):
    lines = [f"S{i} > S{i + 1} @ 1" for i in range(1, 260)]
    long_model = "\n".join(["[Source] > S1 @ 1", *lines])
    assert 3000 < len(long_model) < 8000
    slack.command(f"rounds=3\n{long_model}")
    [message] = slack.standin.messages("C1")

    slack.click("C1", message, ACTION_EDIT)

    assert slack.standin.calls_to("views.open") == []
    [note] = slack.standin.ephemerals("C1")
    assert "longer than the editor" in note["text"]
