"""@-mentions: answered in a thread, exactly once however Slack delivers them."""

from tests.slack.expect import bot_replies, systems_table, table

MODEL = "[a] > b @ 5\nb > c @ 0.5"


def test_mention_is_answered_in_a_thread_under_it(slack):
    message = slack.user_message(f"<@UBOT> run this rounds=4\n```systems\n{MODEL}\n```")

    response = slack.event(slack.as_mention(message))

    assert response.status_code == 200
    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert table(reply) == systems_table(MODEL, 4)
    assert reply["metadata"]["event_payload"]["source_ts"] == message["ts"]


def test_mention_inside_a_thread_answers_in_that_thread(slack):
    parent = slack.user_message("we should model the funnel")
    message = slack.user_message("<@UBOT> [a] > b @ 5", thread_ts=parent["ts"])

    slack.event(slack.as_mention(message))

    [reply] = bot_replies(slack.standin, "C1", parent["ts"])
    assert reply["thread_ts"] == parent["ts"]
    assert table(reply) == systems_table("[a] > b @ 5", 10)


def test_mention_delivered_as_app_mention_and_as_message_gets_one_reply(slack):
    message = slack.user_message("<@UBOT> [a] > b @ 5")

    slack.event(message)
    slack.event(slack.as_mention(message))
    slack.event(message)

    assert len(bot_replies(slack.standin, "C1", message["ts"])) == 1


def test_retried_mention_gets_one_reply(slack):
    message = slack.user_message("<@UBOT> [a] > b @ 5")
    event = slack.as_mention(message)

    slack.event(event, event_id="EvRETRY1")
    retried = slack.event(event, event_id="EvRETRY1", retry=1)

    assert retried.status_code == 200
    assert len(bot_replies(slack.standin, "C1", message["ts"])) == 1


def test_mention_without_a_model_gets_a_short_guide(slack):
    message = slack.user_message("<@UBOT> what can you do?")

    slack.event(slack.as_mention(message))

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert "/model" in reply["text"]


def test_mention_with_a_broken_model_gets_the_error_in_the_thread(slack):
    message = slack.user_message("<@UBOT> a > b @ c")

    slack.event(slack.as_mention(message))

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert "There is no stock called `c`" in reply["text"]
    assert "a > b @ c" in str(reply["blocks"])
