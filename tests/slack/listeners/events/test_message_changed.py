"""Edits: the bot reruns an edited message and updates its own reply in place."""

from tests.slack.expect import block_texts, bot_replies, systems_table, table


def test_editing_an_answered_message_updates_the_reply_in_place(slack):
    message = slack.user_message("```systems\n[a] > b @ 5\n```")
    slack.event(message)

    slack.edit("C1", message["ts"], "```systems\n[a] > b @ 7\n```")

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table("[a] > b @ 7", 10)
    assert "Updated after your edit" in block_texts(reply["blocks"])
    assert reply["metadata"]["event_payload"]["definition"] == "[a] > b @ 7"
    assert len(slack.standin.calls_to("chat.postMessage")) == 1


def test_editing_away_the_model_says_so(slack):
    message = slack.user_message("```systems\n[a] > b @ 5\n```")
    slack.event(message)

    slack.edit("C1", message["ts"], "never mind")

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert "no longer holds a model" in reply["text"]


def test_editing_a_rerun_reply_reruns_against_the_run_before_it(slack):
    parent = slack.user_message("```systems\n[a] > b @ 5\n```")
    slack.event(parent)
    reply = slack.user_message("rounds=3", thread_ts=parent["ts"])
    slack.event(reply)

    slack.edit("C1", reply["ts"], "rounds=4")

    first, rerun = bot_replies(slack.standin, "C1", parent["ts"])
    assert table(rerun) == systems_table("[a] > b @ 5", 4)
    assert "Compared with the run before" in block_texts(rerun["blocks"])


def test_editing_a_message_the_bot_never_answered_does_nothing(slack):
    message = slack.user_message("hello")
    slack.event(message)

    slack.edit("C1", message["ts"], "hello again")

    assert slack.standin.calls_to("chat.update") == []
