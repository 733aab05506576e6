"""What the benchmark sends: the models, the settings, and one function per kind of request."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from bench.client import BenchSender, Pool
from bench.servers import REPO, child_env
from slack_standin import BOT_USER_ID, SlackStandIn
from slack_standin.tls import cert_dir_setting, self_signed, trust_directory

BOT_TOKEN = "xoxb-bench-token"
SIGNING_SECRET = "bench-signing-secret"
CHANNEL = "C1"
COMMAND_ROUNDS = 10
RERUN_TEXT = "rounds=12"
COMPARISON_MARK = "Compared with the run before"
TLS_DIR = REPO / "bench" / "results" / "tls"
# What the bot trusts (SSL_CERT_DIR): the stand-in's certificate in a hashed CA directory, and
# the system's (made by new_standin()).
TRUST_DIR = TLS_DIR / "trusted"

# A hiring funnel: 7 stocks, fixed rates, conversions and leaks, floats and integers.
MODEL_7 = "\n".join(
    [
        "Candidates(100000) > Screens @ 25",
        "Screens > Onsites @ 0.5",
        "Onsites > Offers @ 0.5",
        "Offers > Hires @ 0.7",
        "Hires > Engineers @ 1",
        "Engineers > Seniors @ Leak(0.1)",
    ]
)


def chain(stocks: int) -> str:
    """`s0(100) > s1 @ Leak(0.5)`, then every third flow a conversion, the rest leaks."""
    lines = ["s0(100) > s1 @ Leak(0.5)"]
    for index in range(1, stocks - 1):
        rate = "0.5" if index % 3 == 0 else "Leak(0.5)"
        lines.append(f"s{index} > s{index + 1} @ {rate}")
    return "\n".join(lines)


CHAIN_200 = chain(200)


def one_line(definition: str) -> str:
    return "; ".join(definition.splitlines())


def fenced(definition: str) -> str:
    return f"```systems\n{definition}\n```"


def slack_settings(standin: SlackStandIn) -> dict[str, str]:
    return {**standin.bot_settings(SIGNING_SECRET), "SSL_CERT_DIR": cert_dir_setting(TRUST_DIR)}


def bot_env(standin: SlackStandIn) -> dict[str, str]:
    return child_env(slack_settings(standin))


def new_standin() -> SlackStandIn:
    """The stand-in over HTTPS, with a new self-signed certificate that the bot trusts."""
    certificate = self_signed(TLS_DIR)
    trust_directory(certificate, TRUST_DIR)
    standin = SlackStandIn(bot_token=BOT_TOKEN, certificate=certificate)
    standin.add_channel(CHANNEL, name="general", bot_is_member=True)
    return standin


def command_text() -> str:
    return f"rounds={COMMAND_ROUNDS} {one_line(MODEL_7)}"


def mention_text() -> str:
    return f"<@{BOT_USER_ID}> rounds={COMMAND_ROUNDS}\n{fenced(MODEL_7)}"


def api_body() -> bytes:
    return json.dumps({"definition": MODEL_7, "rounds": COMMAND_ROUNDS}).encode()


JSON_HEADERS = {"Content-Type": "application/json"}


@dataclass
class Sample:
    status: int
    elapsed: float  # seconds
    body: str = ""
    thread: str | None = None  # where the bot should have answered


@dataclass
class Target:
    """The running servers and what talks to them."""

    standin: SlackStandIn
    pool: Pool
    slack: BenchSender
    api_port: int
    hello_port: int
    hello_waiting_port: int | None = None


Kind = Callable[[Target], Sample]


def command(target: Target) -> Sample:
    response = target.slack.command(command_text(), channel=CHANNEL)
    return Sample(response.status_code, response.elapsed, response.text)


def mention(target: Target) -> Sample:
    """A fresh user message each time, so the bot's dedupe has nothing to skip."""
    message = target.slack.user_message(mention_text(), channel=CHANNEL)
    response = target.slack.event(target.slack.as_mention(message))
    return Sample(response.status_code, response.elapsed, response.text, message["ts"])


def rerun(target: Target) -> Sample:
    """A fresh answered message (untimed), then the timed `rounds=12` reply in its thread."""
    parent = target.slack.user_message(fenced(MODEL_7), channel=CHANNEL)
    first = target.slack.event(parent)
    if first.status_code != 200:
        return Sample(first.status_code, first.elapsed, first.text, parent["ts"])
    reply = target.slack.user_message(RERUN_TEXT, channel=CHANNEL, thread_ts=parent["ts"])
    response = target.slack.event(reply)
    return Sample(response.status_code, response.elapsed, response.text, parent["ts"])


def api(target: Target) -> Sample:
    reply = target.pool.request(target.api_port, "POST", api_body(), JSON_HEADERS)
    return Sample(reply.status, reply.elapsed, reply.body.decode())


def hello(target: Target) -> Sample:
    """The same JSON body as the API call, to a function that ignores it."""
    reply = target.pool.request(target.hello_port, "POST", api_body(), JSON_HEADERS)
    return Sample(reply.status, reply.elapsed, reply.body.decode())


def hello_waiting(target: Target) -> Sample:
    """As `hello`, to the hello-world that waits a round trip before answering."""
    assert target.hello_waiting_port is not None
    reply = target.pool.request(target.hello_waiting_port, "POST", api_body(), JSON_HEADERS)
    return Sample(reply.status, reply.elapsed, reply.body.decode())


KINDS: dict[str, Kind] = {
    "command": command,
    "mention": mention,
    "rerun": rerun,
    "api": api,
    "hello": hello,
}
SLACK_REQUESTS = {"command": 1, "mention": 1, "rerun": 2, "api": 0, "hello": 0}
