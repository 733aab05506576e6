"""/model end to end: signed command -> real server -> stand-in."""

from bot.render.blocks import ACTION_CSV, ACTION_EDIT, ACTION_MORE_ROUNDS
from tests.slack.expect import block_texts, systems_table, table

HIRING = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ 0.5"


def test_result_is_posted_in_the_channel_with_the_numbers_systems_computes(slack):
    response = slack.command(f"rounds=6\n```\n{HIRING}\n```")

    assert response.status_code == 200
    [message] = slack.standin.messages("C1")
    assert table(message) == systems_table(HIRING, 6)
    assert "<@U1> ran `/model`" in message["blocks"][0]["text"]["text"]
    types = [b["type"] for b in message["blocks"]]
    assert "data_visualization" in types
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    assert [e["action_id"] for e in actions["elements"]] == [
        ACTION_MORE_ROUNDS,
        ACTION_EDIT,
        ACTION_CSV,
    ]
    payload = message["metadata"]["event_payload"]
    assert payload["definition"] == HIRING and payload["rounds"] == 6
    assert "Hires" in message["text"]


def test_one_line_command_with_options(slack):
    slack.command("[a] > b @ 5; b > c @ 0.5 rounds=3")

    [message] = slack.standin.messages("C1")
    assert table(message) == systems_table("[a] > b @ 5\nb > c @ 0.5", 3)


def test_error_answers_only_the_user_with_caret_hint_and_definition(slack):
    text = "PhoneScreens(5)\nPhoneScreens > Onsites @ PhoneScren"
    response = slack.command(text)

    assert slack.standin.messages("C1") == []
    body = response.json()
    assert body.get("response_type", "ephemeral") == "ephemeral"
    rendered = block_texts(body["blocks"])
    assert "There is no stock called `PhoneScren`" in rendered
    assert "2 | PhoneScreens > Onsites @ PhoneScren\n  |                          ^" in rendered
    assert "Did you mean `PhoneScreens`?" in rendered
    assert text in rendered


def test_help_and_bare_command(slack):
    help_body = slack.command("help").json()
    bare_body = slack.command("").json()

    assert "/model" in help_body["text"]
    assert not any(b["type"] == "actions" for b in help_body["blocks"])
    assert any(b["type"] == "actions" for b in bare_body["blocks"])
    assert slack.standin.messages("C1") == []


def test_outside_the_bots_channels_the_answer_comes_through_the_response_url(slack):
    slack.command("[a] > b @ 5 rounds=2", channel="C2")

    [message] = slack.standin.messages("C2")
    assert "reruns in the thread won't work here" in message["blocks"][0]["text"]["text"]
    assert table(message) == systems_table("[a] > b @ 5", 2)
