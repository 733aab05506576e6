"""Profile the warm request path in one process: `python bench/profile_request.py KIND [-n N]`.

KIND is `command`, `mention`, `rerun`, `csv`, `more_rounds` or `api`. A stand-in serves Slack
on loopback (over TLS, at no distance); the bot is main.py, served by functions-framework's Flask
app through its test client, so the profile holds everything gunicorn's worker thread would run
for the request but the socket. N signed requests are sent after a warm-up; cProfile sees only
the requests (the stand-in's threads are not profiled), and the scenes (an answered message to
rerun, a result to click) are set up outside it. Prints the top functions by own and by
cumulative time, and the thread CPU per request without the profiler."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[0] = str(REPO)

from bench.servers import adopt_server_environment  # noqa: E402
from bench.workload import (  # noqa: E402
    CHANNEL,
    COMMAND_ROUNDS,
    MODEL_7,
    RERUN_TEXT,
    SIGNING_SECRET,
    api_body,
    command_text,
    fenced,
    mention_text,
    new_standin,
    slack_settings,
)
from slack_standin import SlackStandIn  # noqa: E402
from slack_standin.sender import BotResponse, SlackSender  # noqa: E402

Request = tuple[str, str, dict[str, str]]  # target, body, headers
KINDS = ("command", "mention", "rerun", "csv", "more_rounds", "edit_button", "api")


class TestClientSender(SlackSender):
    """Signs Slack's requests and serves them through the Flask test client, in this thread."""

    def __init__(self, standin: SlackStandIn, client) -> None:
        super().__init__(standin, "http://unused/", SIGNING_SECRET)
        self.client = client

    def post(self, body, content_type, extra_headers=None, url=None, signed_at=None):
        headers = self.signed_headers(body, content_type, extra_headers, signed_at)
        response = self.client.post("/", data=body, headers=headers)
        return BotResponse(response.status_code, response.get_data(as_text=True))


def scenes(kind: str, sender: TestClientSender, api_client) -> Callable[[], Callable[[], int]]:
    """A function that sets up one scene (unprofiled) and answers the request to time."""
    from bot.render.blocks import ACTION_CSV, ACTION_EDIT, ACTION_MORE_ROUNDS

    buttons = {"csv": ACTION_CSV, "more_rounds": ACTION_MORE_ROUNDS, "edit_button": ACTION_EDIT}

    def setup() -> Callable[[], int]:
        standin = sender.standin
        if kind == "command":
            return lambda: sender.command(command_text(), channel=CHANNEL).status_code
        if kind == "mention":
            message = sender.as_mention(sender.user_message(mention_text(), channel=CHANNEL))
            return lambda: sender.event(message).status_code
        if kind == "rerun":
            parent = sender.user_message(fenced(MODEL_7), channel=CHANNEL)
            sender.event(parent)
            reply = sender.user_message(RERUN_TEXT, channel=CHANNEL, thread_ts=parent["ts"])
            return lambda: sender.event(reply).status_code
        if kind in buttons:
            sender.command(f"rounds={COMMAND_ROUNDS} {MODEL_7}", channel=CHANNEL)
            result = standin.messages(CHANNEL)[-1]
            return lambda: sender.click(CHANNEL, result, buttons[kind]).status_code
        body = api_body()
        return lambda: (
            api_client.post(
                "/", data=body, headers={"Content-Type": "application/json"}
            ).status_code
        )

    return setup


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--no-profile", action="store_true", help="only the CPU per request")
    parser.add_argument("--save", metavar="PATH", help="also write the profile there (pstats)")
    args = parser.parse_args()

    with new_standin() as standin:  # over TLS, as the benchmark's servers meet it
        adopt_server_environment({**slack_settings(standin), "SYSBOT_SLACK_DEADLINE_SECONDS": "30"})
        import functions_framework

        slack = functions_framework.create_app("slack_events", str(REPO / "main.py"))
        api = functions_framework.create_app("run_model", str(REPO / "main.py"))
        sender = TestClientSender(standin, slack.test_client())
        setup = scenes(args.kind, sender, api.test_client())
        for _ in range(30):  # warm-up: lazy imports, the Bolt app, auth.test
            setup()()
            standin.reset()
        acts = [setup() for _ in range(args.n)]
        started = time.thread_time()
        for act in acts[: args.n // 2]:
            assert act() == 200
        per_request = (time.thread_time() - started) * 1000 / (args.n // 2)
        print(f"{args.kind}: thread CPU {per_request:.3f} ms per request (unprofiled)")
        if args.no_profile:
            return 0
        profiler = cProfile.Profile(time.thread_time)  # CPU, not waits on Slack
        profiler.enable()
        for act in acts[args.n // 2 :]:
            act()
        profiler.disable()
    if args.save:
        profiler.dump_stats(args.save)
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
