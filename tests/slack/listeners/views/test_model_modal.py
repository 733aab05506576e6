"""The editor's submission: a bad model stays in the form with the line, column and hint."""

from bot.render.views import ACTION_OPEN_EDITOR
from tests.slack.expect import systems_table, table

TYPO = "PhoneScreens(5)\nPhoneScreens > Onsites @ Leek(0.1)"


def _editor(slack) -> dict:
    help_blocks = slack.command("").json()["blocks"]
    slack.click_ephemeral("C1", help_blocks, ACTION_OPEN_EDITOR)
    [view] = slack.standin.views
    return view


def test_a_bad_model_answers_errors_on_the_definition_block_and_posts_nothing(slack):
    view = _editor(slack)

    response = slack.submit_view(view, TYPO, "10")

    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == ["definition"]
    error = body["errors"]["definition"]
    assert "Line 2, column 26" in error
    assert "`Leek` is not a kind of flow" in error
    assert "Did you mean `Leak`?" in error
    assert slack.standin.calls_to("chat.postMessage") == []
    assert slack.standin.messages("C1") == []


def test_an_empty_model_is_an_error_in_the_form(slack):
    view = _editor(slack)

    body = slack.submit_view(view, "   ", "10").json()

    assert body["response_action"] == "errors" and body["errors"]["definition"]
    assert slack.standin.calls_to("chat.postMessage") == []


def test_empty_rounds_run_the_default_ten(slack):
    view = _editor(slack)

    slack.submit_view(view, "[a] > b @ 5", None)

    [message] = slack.standin.messages("C1")
    assert table(message) == systems_table("[a] > b @ 5", 10)
