"""The bare `/model` help's "Open the editor" button: an empty editor that posts to the channel."""

from bot.render.views import ACTION_OPEN_EDITOR, MODAL_CALLBACK
from tests.slack.expect import block_texts, systems_table, table

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"


def _input(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]


def _open_editor(slack) -> dict:
    help_blocks = slack.command("").json()["blocks"]
    response = slack.click_ephemeral("C1", help_blocks, ACTION_OPEN_EDITOR)
    assert response.status_code == 200
    [view] = slack.standin.views
    return view


def test_open_the_editor_opens_an_empty_editor(slack):
    view = _open_editor(slack)

    [opened] = slack.standin.calls_to("views.open")
    assert opened["trigger_id"]
    assert view["type"] == "modal" and view["callback_id"] == MODAL_CALLBACK
    assert "initial_value" not in _input(view, "definition")
    assert _input(view, "rounds")["initial_value"] == "10"
    assert slack.standin.calls_to("conversations.replies") == []


def test_the_editors_run_is_posted_to_the_channel(slack):
    view = _open_editor(slack)

    response = slack.submit_view(view, FUNNEL, "20")

    assert response.status_code == 200
    [message] = slack.standin.messages("C1")
    assert "thread_ts" not in message
    assert table(message) == systems_table(FUNNEL, 20)
    assert "<@U1> ran a model from the editor" in block_texts(message["blocks"])
    assert "Compared with the run before" not in block_texts(message["blocks"])
    assert message["metadata"]["event_payload"]["rounds"] == 20
