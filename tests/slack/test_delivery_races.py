"""What the soak run found about deliveries that overlap: a retry served by another instance
while the first delivery is still working, a retry that arrives on the same instance just before
the first delivery fails, and a click whose work fails after it was acknowledged."""

from __future__ import annotations

import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.logs import Outcome
from bot.model import Limits
from bot.render.blocks import ACTION_MORE_ROUNDS
from bot.slack.answering import exactly_once
from bot.slack.answering.dedupe import RecentKeys
from bot.slack.answering.exactly_once import Answered, answer_message
from bot.slack.answering.user_message import UserMessage
from bot.slack.context import SlackRequest
from bot.slack.deadline import Deadline
from bot.slack.failures import SLACK_APOLOGY
from bot.slack.stored import run_metadata
from slack_standin import BOT_ID, SlackStandIn
from slack_standin.sender import SlackSender
from tests.servers import FunctionServer
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, bot_env
from tests.slack.expect import bot_replies, systems_table, table
from tests.standin_delays import HANG_GUARD_SECONDS, stand_in_delays

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
FENCED = f"```systems\n{FUNNEL}\n```"


def test_one_event_served_by_two_instances_at_once_gets_one_reply(slack, standin):
    message = slack.user_message(FENCED)

    answers = _delivered_to_two_instances_at_once(slack, standin, message, "conversations.replies")

    assert [answer.status_code for answer in answers] == [200, 200]
    [reply] = bot_replies(standin, "C1", message["ts"])
    assert table(reply) == systems_table(FUNNEL, 10)
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert len(standin.calls_to("chat.delete")) == 1


def test_a_retry_removes_a_second_reply_left_by_a_race(slack, standin):
    message = slack.user_message(FENCED)
    bot = WebClient(token=BOT_TOKEN, base_url=standin.api_url)
    for _ in range(2):  # two instances answered, and the later one could not delete its reply
        bot.chat_postMessage(
            channel="C1",
            thread_ts=message["ts"],
            text="earlier run",
            metadata=run_metadata(FUNNEL, 10, message["ts"]),
        )
    first, second = bot_replies(standin, "C1", message["ts"])

    response = slack.event(message, event_id="EvLEFTOVER", retry=1)

    assert response.status_code == 200
    assert [m["ts"] for m in bot_replies(standin, "C1", message["ts"])] == [first["ts"]]
    assert standin.calls_to("chat.postMessage")[-1]["text"] == "earlier run"  # nothing new


class _WatchedCondition(threading.Condition):
    """Says when a thread starts waiting on it: a repeat delivery waiting for the first."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        self.waiting.set()  # still holding the lock, so nothing can change before the wait
        return super().wait(timeout)


def test_a_retry_waits_for_a_first_delivery_that_then_fails_and_answers_itself(monkeypatch):
    recent = RecentKeys()
    recent._changed = watched = _WatchedCondition()
    monkeypatch.setattr(exactly_once, "_recent", recent)
    # How long a repeat waits is not what this proves; 2 s could run out on a loaded machine.
    monkeypatch.setattr(exactly_once, "IN_FLIGHT_WAIT_SECONDS", HANG_GUARD_SECONDS)
    with SlackStandIn(bot_token=BOT_TOKEN) as standin, stand_in_delays() as held:
        standin.add_channel("C1")
        client = WebClient(token=BOT_TOKEN, base_url=standin.api_url, retry_handlers=[])
        event = SlackSender(standin, "", SIGNING_SECRET).user_message(FENCED)
        message = UserMessage.from_event("C1", event)
        standin.fail_next("conversations.replies", delay=0.5)  # the first delivery is slow,
        standin.fail_next("chat.postMessage", status=500)  # then Slack refuses its reply
        failed, answered = [], []

        def delivery() -> SlackRequest:  # a retry and a late first: both read the thread first
            return SlackRequest(client, BOT_ID, Limits(), Deadline(60), first_delivery=False)

        def first_delivery() -> None:
            try:
                answer_message(delivery(), message, addressed=True)
            except SlackApiError as error:
                failed.append(error)

        def retry() -> None:
            answered.append(answer_message(delivery(), message, addressed=True))

        first = threading.Thread(target=first_delivery)
        first.start()
        held.wait_until_held(1)  # the first delivery claimed the message and is looking
        second = threading.Thread(target=retry)
        second.start()
        assert watched.waiting.wait(HANG_GUARD_SECONDS)  # the retry waits for it
        held.release()
        first.join()
        second.join()

        assert failed and answered == [Answered(Outcome.OK)]
        [reply] = bot_replies(standin, "C1", message.ts)
        assert table(reply) == systems_table(FUNNEL, 10)


def test_a_click_whose_work_fails_gets_an_ephemeral_apology(slack):
    slack.command(f"rounds=4\n{FUNNEL}")
    [result] = slack.standin.messages("C1")
    slack.standin.fail_next("chat.postMessage", status=500, times=3)  # a try and two retries

    response = slack.click("C1", result, ACTION_MORE_ROUNDS, user="U7")

    assert response.status_code == 200
    assert bot_replies(slack.standin, "C1", result["ts"]) == []
    [apology] = slack.standin.ephemerals("C1")
    assert (apology["recipient"], apology["text"]) == ("U7", SLACK_APOLOGY)


def test_one_step_execution_served_by_two_instances_at_once_posts_and_completes_once(
    slack, standin
):
    step = slack.function_executed(
        "run_systems_model", {"model": FUNNEL, "rounds": 4, "channel": "C1"}
    )

    answers = _delivered_to_two_instances_at_once(slack, standin, step, "conversations.history")

    assert [answer.status_code for answer in answers] == [200, 200]
    [post] = standin.messages("C1")
    assert table(post) == systems_table(FUNNEL, 4)
    assert len(standin.calls_to("chat.postMessage")) == 2
    assert len(standin.calls_to("chat.delete")) == 1
    [execution] = standin.executions
    assert execution["state"] == "completed"
    assert execution["outputs"]["message_link"].endswith(post["ts"].replace(".", ""))
    assert len(standin.calls_to("functions.completeSuccess")) == 1


def _delivered_to_two_instances_at_once(slack, standin, event: dict, check: str) -> list:
    """`event` delivered to this instance and, as Slack's retry, to a second one at the same
    moment. Slack retries a delivery it has waited 3 s for, so the first is already late and
    looks for an earlier answer (with the Web API method `check`) before it posts, as the retry
    does; both looks find nothing, because each is held until both have looked."""
    answers = []
    late = int(time.time()) - 3
    with FunctionServer("slack_events", bot_env(standin)) as other, stand_in_delays() as held:
        SlackSender(standin, other.url, SIGNING_SECRET).command("help")  # its auth.test
        standin.fail_next(check, delay=0.5, times=2)
        deliveries = [
            lambda: answers.append(slack.event(event, "EvTWICE", signed_at=late)),
            lambda: answers.append(slack.event(event, event_id="EvTWICE", retry=1, url=other.url)),
        ]
        threads = [threading.Thread(target=deliver) for deliver in deliveries]
        for thread in threads:
            thread.start()
        held.wait_until_held(2)
        held.release()
        for thread in threads:
            thread.join()
    return answers
