"""Messages: direct messages, code blocks in channels, and reruns in a result's thread."""

import pytest

from tests.slack.expect import block_texts, bot_replies, systems_table, table

MODEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ 0.5"


def test_any_model_in_a_direct_message_is_run(slack):
    message = slack.user_message("[a] > b @ 2 rounds=3", channel="D1")

    slack.event(message)

    [reply] = bot_replies(slack.standin, "D1", message["ts"])
    assert table(reply) == systems_table("[a] > b @ 2", 3)


@pytest.mark.parametrize(
    "text",
    [
        f"here is our funnel\n```systems\n{MODEL}\n```",
        f"```\n{MODEL}\n```",
    ],
)
def test_a_model_code_block_in_a_channel_is_answered_in_a_thread(slack, text):
    message = slack.user_message(text)

    slack.event(message)

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table(MODEL, 10)


@pytest.mark.parametrize(
    "text",
    [
        "lunch at noon?",
        "```\nprint('hello')\n```",
        "let's try x=5 later",
    ],
)
def test_other_channel_messages_are_ignored(slack, text):
    message = slack.user_message(text)

    response = slack.event(message)

    assert response.status_code == 200
    assert slack.standin.calls_to("chat.postMessage") == []


def _first_run(slack, text=f"```systems\n{MODEL}\n```"):
    message = slack.user_message(text)
    slack.event(message)
    return message["ts"]


def _rerun(slack, parent_ts, text):
    reply = slack.user_message(text, thread_ts=parent_ts)
    slack.event(reply)
    return bot_replies(slack.standin, "C1", parent_ts)


def test_rounds_in_the_thread_rerun_with_a_comparison(slack):
    parent = _first_run(slack)

    first, rerun = _rerun(slack, parent, "rounds=20")

    assert table(rerun) == systems_table(MODEL, 20)
    texts = block_texts(rerun["blocks"])
    assert "Compared with the run before" in texts
    assert rerun["metadata"]["event_payload"]["rounds"] == 20


def test_stock_value_in_the_thread_sets_its_initial_value(slack):
    parent = _first_run(slack, f"```systems\nScreens(3)\n{MODEL}\n```")

    *_, rerun = _rerun(slack, parent, "Screens=40")

    expected = f"Screens(40)\n{MODEL}"
    assert table(rerun) == systems_table(expected, 10)
    assert rerun["metadata"]["event_payload"]["definition"] == expected


def test_flow_line_in_the_thread_replaces_the_flow_with_the_same_ends(slack):
    parent = _first_run(slack)

    *_, rerun = _rerun(slack, parent, "Screens > Onsites @ 0.8")

    changed = MODEL.replace("Screens > Onsites @ 0.5", "Screens > Onsites @ 0.8")
    assert table(rerun) == systems_table(changed, 10)
    comparison = block_texts(rerun["blocks"])
    assert "Onsites" in comparison and "round 2" in comparison


def test_new_flow_line_in_the_thread_is_added(slack):
    parent = _first_run(slack)

    *_, rerun = _rerun(slack, parent, "Hires > Departures @ Leak(0.1)")

    assert table(rerun) == systems_table(MODEL + "\nHires > Departures @ Leak(0.1)", 10)


def test_new_fenced_definition_in_the_thread_replaces_the_model(slack):
    parent = _first_run(slack)

    *_, rerun = _rerun(slack, parent, "```\n[x] > y @ 3\n```")

    assert table(rerun) == systems_table("[x] > y @ 3", 10)


def test_rerun_word_runs_the_same_model_again(slack):
    parent = _first_run(slack)

    first, rerun = _rerun(slack, parent, "rerun")

    assert table(rerun) == table(first)
    assert "same" in block_texts(rerun["blocks"])


def test_ordinary_thread_chatter_is_ignored(slack):
    parent = _first_run(slack)

    replies = _rerun(slack, parent, "nice, but I think rounds=20 would look odd")

    assert len(replies) == 1


def test_rerun_reads_the_latest_run_in_the_thread(slack):
    parent = _first_run(slack)
    _rerun(slack, parent, "rounds=3")

    *_, latest = _rerun(slack, parent, "Screens > Onsites @ 0.8")

    changed = MODEL.replace("Screens > Onsites @ 0.5", "Screens > Onsites @ 0.8")
    assert table(latest) == systems_table(changed, 3)


def test_broken_rerun_explains_the_error_in_the_thread(slack):
    parent = _first_run(slack)

    *_, error = _rerun(slack, parent, "Screens > Onsites @ Onsite")

    assert "There is no stock called `Onsite`" in error["text"]
    assert "Did you mean `Onsites`?" in block_texts(error["blocks"])
