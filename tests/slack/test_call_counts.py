"""What each journey costs in Slack calls, counted in the stand-in's call log: a first answer
given in time needs no look at the thread.

auth.test is made once per instance, on its first request: each test warms its instance with
`/model help` (answered by the command's own HTTP answer, no Web API call) and counts the calls
after it. Requests are signed as if Slack's clock ran 20 s ahead and the instance's deadline is
30 s, so no answer can look late, however slow this machine is."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from bot.render.blocks import ACTION_CSV, ACTION_EDIT, ACTION_MORE_ROUNDS
from slack_standin import SlackStandIn
from slack_standin.sender import SlackSender
from tests.servers import FunctionServer
from tests.slack.conftest import SIGNING_SECRET, bot_env

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Hires @ Leak(0.5)"
FENCED = f"```systems\n{FUNNEL}\n```"
AHEAD_SECONDS = 20


class EarlySender(SlackSender):
    """Signs every request with a timestamp AHEAD_SECONDS from now: never late."""

    def signed_headers(
        self, body: str, content_type: str, extra_headers=None, signed_at=None
    ) -> dict[str, str]:
        ahead = int(time.time()) + AHEAD_SECONDS
        return super().signed_headers(body, content_type, extra_headers, ahead)


@pytest.fixture(scope="module")
def counted_server(standin: SlackStandIn) -> Iterator[FunctionServer]:
    env = {**bot_env(standin), "SYSBOT_SLACK_DEADLINE_SECONDS": "30"}
    with FunctionServer("slack_events", env) as server:
        yield server


@pytest.fixture
def sender(standin: SlackStandIn, counted_server: FunctionServer) -> Iterator[EarlySender]:
    early = EarlySender(standin, counted_server.url, SIGNING_SECRET)
    early.command("help")  # the instance's auth.test, not counted
    standin.reset()
    yield early
    standin.reset()


def calls_during(standin: SlackStandIn, act) -> list[str]:
    before = len(standin.calls)
    act()
    return [method for method, _ in standin.calls[before:]]


def test_a_command_is_one_call(sender):
    assert calls_during(sender.standin, lambda: sender.command(FUNNEL)) == ["chat.postMessage"]


@pytest.mark.parametrize(
    "text, channel, as_mention",
    [(f"<@UBOT> {FENCED}", "C1", True), (FENCED, "C1", False), (FUNNEL, "D1", False)],
    ids=["mention", "code_block", "direct_message"],
)
def test_a_first_answer_in_time_is_one_call(sender, text, channel, as_mention):
    event = sender.user_message(text, channel=channel)
    event = sender.as_mention(event) if as_mention else event

    assert calls_during(sender.standin, lambda: sender.event(event)) == ["chat.postMessage"]


def test_a_thread_rerun_is_a_read_and_a_post_and_an_edit_a_read_and_an_update(sender):
    mention = sender.user_message(f"<@UBOT> {FENCED}")
    sender.event(sender.as_mention(mention))
    rerun = sender.user_message("rounds=4", thread_ts=mention["ts"])

    reran = calls_during(sender.standin, lambda: sender.event(rerun))
    edited = calls_during(
        sender.standin, lambda: sender.edit("C1", mention["ts"], f"<@UBOT> rounds=3 {FENCED}")
    )

    assert reran == ["conversations.replies", "chat.postMessage"]
    assert edited == ["conversations.replies", "chat.update"]


UPLOAD = ["files.getUploadURLExternal", "file_upload", "files.completeUploadExternal"]


def clicking(sender: EarlySender, result: dict, with_metadata: bool = False):
    def click(action: str) -> list[str]:
        return calls_during(
            sender.standin, lambda: sender.click("C1", result, action, with_metadata=with_metadata)
        )

    return click


@pytest.mark.parametrize("with_metadata", [True, False], ids=["metadata", "no_metadata"])
def test_a_button_is_at_most_a_read_and_its_own_work(sender, with_metadata):
    """CSV carries the definition in its value; the others read the thread unless the click
    brought the metadata."""
    sender.command(f"rounds=4\n{FUNNEL}")
    [result] = sender.standin.messages("C1")
    click = clicking(sender, result, with_metadata)
    read = [] if with_metadata else ["conversations.replies"]

    assert click(ACTION_MORE_ROUNDS) == [*read, "chat.postMessage"]
    assert click(ACTION_EDIT) == [*read, "views.open"]
    # Slack retired files.upload: an upload is two Web API calls around the bytes' own POST.
    assert click(ACTION_CSV) == UPLOAD


def test_a_definition_too_long_for_the_csv_button_is_read_from_the_thread(sender):
    long_funnel = FUNNEL + "".join(f"\n# note {n:04d} {'x' * 40}" for n in range(45))
    sender.command(f"rounds=4\n{long_funnel}")
    [result] = sender.standin.messages("C1")
    click = clicking(sender, result)

    assert click(ACTION_CSV) == ["conversations.replies", *UPLOAD]


def test_a_sweeps_csv_button_reads_the_thread_for_the_sweep(sender):
    """A sweep's CSV is every scenario's: what it needs is in the message's metadata only."""
    sender.command(f"Screens=1,2 rounds=4\n```\n{FUNNEL}\n```")
    [result] = sender.standin.messages("C1")
    click = clicking(sender, result)

    assert click(ACTION_CSV) == ["conversations.replies", *UPLOAD]
