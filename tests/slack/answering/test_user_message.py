"""What a message asks of the bot, read before its thread is: the decisions behind every answer
to a message, without Slack."""

import pytest

from bot.chat.rerun import Rerun
from bot.model import Limits
from bot.slack.answering.answer import ErrorAnswer, RunAnswer
from bot.slack.answering.user_message import RERUN_HEADING, UserMessage, read_intent
from bot.slack.stored import StoredRun

MODEL = "```systems\n[a] > b @ 5\n```"
EARLIER = StoredRun(ts="1.5", definition="[a] > b @ 5", rounds=3, source_ts="1.0", outcome="run")


def message(text: str, thread_ts: str | None = None) -> UserMessage:
    return UserMessage("C1", "2.0", text, thread_ts)


@pytest.mark.parametrize(
    "channel, event",
    [
        (5, {"ts": "1.0", "text": "hi"}),
        ("C1", {"ts": 1.0, "text": "hi"}),
        ("C1", {"ts": "1.0", "text": ["hi"]}),
        ("C1", {"ts": "1.0", "text": "hi", "thread_ts": {}}),
        ("C1", {"ts": "1.0", "text": "hi", "bot_id": "B1"}),
        ("C1", {"ts": "1.0", "text": "hi", "subtype": "bot_message"}),
        ("C1", []),
    ],
    ids=["channel", "ts", "text", "thread_ts", "bot", "bot_message", "not_an_object"],
)
def test_events_the_bot_does_not_answer_are_no_user_message(channel, event):
    assert UserMessage.from_event(channel, event) is None


def test_a_user_message_knows_its_thread():
    reply = UserMessage.from_event("C1", {"ts": "2.0", "text": None, "thread_ts": "1.0"})
    assert (reply.text, reply.root, reply.in_thread) == ("", "1.0", True)
    assert not message("hi").in_thread and message("hi").root == "2.0"


@pytest.mark.parametrize("text", ["hello", "rounds=5", "rounds=2.5 maybe"])
def test_chatter_in_a_channel_asks_nothing_and_leaves_the_thread_unread(text):
    assert read_intent(message(text), addressed=False) is None


def test_a_model_asks_for_a_run():
    intent = read_intent(message(MODEL), addressed=False)
    answer = intent.answer(None, lambda: Limits())
    assert isinstance(answer, RunAnswer) and not answer.rerun and answer.heading is None


def test_a_change_in_a_thread_reruns_the_run_before_it():
    intent = read_intent(message("rounds=4", thread_ts="1.0"), addressed=False)
    assert intent.rerun == Rerun(rounds=4)
    answer = intent.answer(EARLIER, lambda: Limits())
    assert answer.rerun and answer.result.rounds == 4 and answer.heading == RERUN_HEADING


def test_a_change_with_no_run_before_it_has_nothing_to_run():
    intent = read_intent(message("rounds=4", thread_ts="1.0"), addressed=False)
    assert intent.answer(None, lambda: Limits()) is None


def test_a_message_for_the_bot_without_a_model_has_nothing_to_run():
    intent = read_intent(message("hello"), addressed=True)
    assert intent is not None and intent.answer(None, lambda: Limits()) is None


@pytest.mark.parametrize("thread_ts, addressed", [("1.0", False), (None, True)])
def test_options_it_cannot_read_are_explained_with_the_text_echoed(thread_ts, addressed):
    text = f"rounds=2.5 {MODEL}"
    intent = read_intent(message(text, thread_ts), addressed=addressed, heading="edited")
    answer = intent.answer(EARLIER, lambda: Limits())
    assert isinstance(answer, ErrorAnswer)
    assert (answer.definition, answer.heading) == (text, "edited")


def test_a_heading_applies_to_reruns_too():
    intent = read_intent(message("rerun", thread_ts="1.0"), addressed=True, heading="edited")
    assert intent.answer(EARLIER, lambda: Limits()).heading == "edited"
