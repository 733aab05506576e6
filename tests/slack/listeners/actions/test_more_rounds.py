"""The "More rounds" button: twice the rounds, in the result's thread, compared with before."""

from bot.render.blocks import ACTION_MORE_ROUNDS
from tests.slack.expect import block_texts, bot_replies, systems_table, table

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"


def _posted_run(slack, rounds: int) -> dict:
    slack.command(f"rounds={rounds}\n{FUNNEL}")
    [message] = slack.standin.messages("C1")
    return message


def _button_ids(message: dict) -> list[str]:
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    return [element["action_id"] for element in actions["elements"]]


def test_more_rounds_reruns_with_twice_the_rounds_in_the_thread(slack):
    message = _posted_run(slack, 6)

    response = slack.click("C1", message, ACTION_MORE_ROUNDS)

    assert response.status_code == 200
    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert reply["thread_ts"] == message["ts"]
    assert table(reply) == systems_table(FUNNEL, 12)
    assert "Compared with the run before" in block_texts(reply["blocks"])
    payload = reply["metadata"]["event_payload"]
    assert payload["rounds"] == 12 and payload["definition"] == FUNNEL


def test_more_rounds_reads_the_run_from_the_metadata_when_the_payload_has_it(slack):
    message = _posted_run(slack, 6)

    slack.click("C1", message, ACTION_MORE_ROUNDS, with_metadata=True)

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table(FUNNEL, 12)
    assert slack.standin.calls_to("conversations.replies") == []


def test_more_rounds_on_a_reply_in_the_thread_stays_in_that_thread(slack):
    message = _posted_run(slack, 6)
    slack.click("C1", message, ACTION_MORE_ROUNDS)
    [first] = bot_replies(slack.standin, "C1", message["ts"])

    slack.click("C1", first, ACTION_MORE_ROUNDS)

    replies = bot_replies(slack.standin, "C1", message["ts"])
    assert len(replies) == 2
    assert table(replies[1]) == systems_table(FUNNEL, 24)
    assert replies[1]["metadata"]["event_payload"]["rounds"] == 24


def test_more_rounds_stops_at_the_limit(slack):
    message = _posted_run(slack, 600)

    slack.click("C1", message, ACTION_MORE_ROUNDS)

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert reply["metadata"]["event_payload"]["rounds"] == 1000
    assert ACTION_MORE_ROUNDS not in _button_ids(reply)


def test_a_run_at_the_limit_has_no_more_rounds_button(slack):
    message = _posted_run(slack, 1000)

    assert ACTION_MORE_ROUNDS not in _button_ids(message)
    assert len(_button_ids(message)) == 2


def test_outside_the_bots_channels_the_button_asks_to_invite_the_bot(slack):
    slack.command("rounds=3\n[a] > b @ 5", channel="C2")
    [message] = slack.standin.messages("C2")

    response = slack.click("C2", message, ACTION_MORE_ROUNDS)

    assert response.status_code == 200
    [note] = slack.standin.ephemerals("C2")
    assert note["recipient"] == "U1" and "`/invite` me" in note["text"]
    assert len(slack.standin.messages("C2")) == 1 and slack.standin.files == []
