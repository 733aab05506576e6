"""A rerun in a long thread reads it in a few bounded windows, never whole: at most three
`conversations.replies` calls in a thread of 500 messages, with Slack's pages of 200 and with
the 15-message pages of apps distributed outside the Marketplace.

Where the bot answers as a thread goes (a run every other message), the rerun finds the newest
run; so it does when the thread holds a single run. When runs are hundreds of messages apart
and pages short, three reads can't see everything in between: the rerun is then of a run of the
thread, the newest the reads saw."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient

from bot.slack.stored import run_metadata
from tests.slack.conftest import BOT_TOKEN

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Hires @ Leak(0.5)"
MESSAGES = 500


def long_thread(slack, runs_every: int) -> str:
    """A thread of MESSAGES messages: a person's first one, then chatter with one of the bot's
    runs every `runs_every` messages (rounds 1, 2, 3, ...); the last message is left for the
    rerun. Returns the thread's ts."""
    bot = WebClient(token=BOT_TOKEN, base_url=slack.standin.api_url)
    root = slack.user_message("Which funnel fits?")["ts"]
    for number in range(1, MESSAGES - 1):
        if number % runs_every == 1:
            rounds = number // runs_every + 1
            metadata = run_metadata(FUNNEL, rounds, source_ts=root)
            bot.chat_postMessage(channel="C1", thread_ts=root, text="run", metadata=metadata)
        else:
            slack.standin.add_user_message("C1", f"musing {number}", thread_ts=root)
    return root


@pytest.mark.parametrize("page_limit", [200, 15])
@pytest.mark.parametrize(
    "runs_every, reran",
    [(2, {249}), (MESSAGES, {1}), (250, {1, 2})],
    ids=["often", "once", "twice"],
)
def test_a_rerun_in_a_thread_of_500_messages_reads_at_most_three_pages(
    slack, page_limit, runs_every, reran
):
    slack.standin.pace_messages(30)  # a message every half minute: the thread spans 4 hours
    root = long_thread(slack, runs_every)
    slack.standin.set_replies_page_limit(page_limit)
    calls_before = len(slack.standin.calls)

    slack.event(slack.user_message("rerun", thread_ts=root))

    calls = [method for method, _ in slack.standin.calls[calls_before:]]
    assert calls.count("conversations.replies") <= 3
    assert calls[-1] == "chat.postMessage"
    [reply] = [m for m in slack.standin.thread("C1", root) if m.get("text", "").startswith(":")]
    assert reply["metadata"]["event_payload"]["rounds"] in reran
