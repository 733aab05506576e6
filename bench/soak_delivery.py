"""The delivery figures of issue 11 and 12, each measured against a real functions-framework
server and the Slack stand-in on loopback:

    python bench/soak_delivery.py            # prints one line per figure
    python bench/soak_delivery.py costly_reruns thread_reads   # only these figures

Slack rate-limiting or hanging (first answer's time and status), a costly rerun alone and four
at once, an unsigned 262,000-field form (time to its 401), a replayed /model (posts), eight slow
clients (a normal request's wait), 100 reruns in one thread (conversations.replies calls, with
pages of 200 and of 15), Slack unreachable (statuses), forged run metadata (whether a rerun runs
it) and the Web API calls of each first answer. Bounded: every wait has a timeout.
"""

from __future__ import annotations

import socket
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

if __name__ == "__main__":  # run as a script, Python puts bench/ first on the path
    sys.path[0] = str(Path(__file__).resolve().parents[1])


from slack_standin import SlackStandIn  # noqa: E402
from slack_standin.sender import SlackSender  # noqa: E402
from tests.servers import FunctionServer, free_port  # noqa: E402

SECRET, TOKEN = "delivery-figures-secret", "xoxb-delivery-figures"
FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
FENCED = f"```systems\n{FUNNEL}\n```"
# Over a second for 1,000 rounds, yet short enough (7,200 characters) to be kept for reruns.
COSTLY = "\n".join(["[Source] > S1 @ 1", *(f"S{i} > S{i + 1} @ Leak(0.5)" for i in range(1, 300))])
WAIT = 90.0  # no figure waits longer for one answer


class Sender(SlackSender):
    def post(self, body, content_type, extra_headers=None, url=None, signed_at=None):
        from urllib.error import HTTPError
        from urllib.request import Request, urlopen

        from slack_standin.sender import BotResponse

        headers = self.signed_headers(body, content_type, extra_headers, signed_at)
        request = Request(url or self.bot_url, data=body.encode(), headers=headers, method="POST")
        try:
            with urlopen(request, timeout=WAIT) as response:
                return BotResponse(response.status, response.read().decode())
        except HTTPError as error:
            return BotResponse(error.code, error.read().decode())
        except OSError as error:
            return BotResponse(0, type(error).__name__)


def timed(act: Callable[[], object]) -> tuple[float, object]:
    started = time.monotonic()
    result = act()
    return time.monotonic() - started, result


def world(env: dict | None = None):
    standin = SlackStandIn(bot_token=TOKEN).start()
    for channel in ("C1", "D1"):
        standin.add_channel(channel)
    settings = {**standin.bot_settings(SECRET), "LOG_LEVEL": "WARNING", **(env or {})}
    server = FunctionServer("slack_events", settings).start()
    slack = Sender(standin, server.url, SECRET)
    slack.command("help")  # the instance's auth.test
    return standin, server, slack


def rate_limited_and_hanging(report) -> None:
    standin, server, slack = world()
    try:
        for name, trouble in (
            ("429 Retry-After 30", {"status": 429}),
            ("10 s hang", {"delay": 10}),
        ):
            standin.start_outage(**trouble)
            mention = slack.as_mention(slack.user_message(f"<@UBOT> {FENCED}"))
            seconds, answer = timed(lambda m=mention: slack.event(m))
            report(f"{name}: first delivery of a mention answered", seconds, answer.status_code)
            seconds, answer = timed(lambda: slack.command(FUNNEL))
            report(f"{name}: /model answered", seconds, answer.status_code)
            standin.end_outage()
            time.sleep(10 if "hang" in name else 0)  # the stand-in's hanging calls end
    finally:
        server.stop(), standin.stop()


def costly_reruns(report) -> None:
    standin, server, slack = world()
    try:
        mention = slack.user_message(f"<@UBOT> rounds=1000\n```systems\n{COSTLY}\n```")
        slack.event(slack.as_mention(mention))
        rerun = slack.user_message("rounds=999", thread_ts=mention["ts"])
        seconds, answer = timed(lambda: slack.event(rerun))
        report("a costly rerun answered", seconds, answer.status_code)
        answers: list[float] = []
        reruns = [
            slack.user_message(f"rounds={990 + n}", thread_ts=mention["ts"]) for n in range(4)
        ]
        threads = [
            threading.Thread(target=lambda r=r: answers.append(timed(lambda: slack.event(r))[0]))
            for r in reruns
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        report("four costly reruns at once, the slowest answered", max(answers), "")
    finally:
        server.stop(), standin.stop()


def unsigned_form(report) -> None:
    standin, server, slack = world()
    try:
        body = "&".join(["a="] * 262_000)
        times, status = [], 0
        for _ in range(5):
            seconds, status = timed(lambda: raw_post(server.port, body.encode(), {}))
            times.append(seconds)
        report(
            "unsigned 262,000-field form refused (median of 5)", statistics.median(times), status
        )
    finally:
        server.stop(), standin.stop()


def replayed_command(report) -> None:
    standin, server, slack = world()
    try:
        fields = {
            "command": "/model",
            "text": FUNNEL,
            "channel_id": "C1",
            "user_id": "U1",
            "response_url": standin.new_response_url("C1", "U1"),
            "trigger_id": standin.new_trigger_id(),
        }
        from urllib.parse import urlencode

        body = urlencode(fields)
        headers = slack.signed_headers(body, "application/x-www-form-urlencoded")
        for _ in range(3):
            raw_post(server.port, body.encode(), headers)
        report("the same signed /model sent 3 times: posts", None, len(standin.messages("C1")))
    finally:
        server.stop(), standin.stop()


def slow_clients(report) -> None:
    standin, server, slack = world({"THREADS": "8"})
    stop = threading.Event()
    try:
        drips = [threading.Thread(target=drip, args=(server.port, stop)) for _ in range(8)]
        for thread in drips:
            thread.start()
        time.sleep(0.5)
        seconds, status = timed(lambda: raw_post(server.port, b'{"type": "x"}', {}))
        report("a normal request behind 8 slow clients answered", seconds, status)
    finally:
        stop.set()
        server.stop(), standin.stop()


def thread_reads(report) -> None:
    for page in (200, 15):
        standin, server, slack = world()
        try:
            standin.set_replies_page_limit(page)
            mention = slack.user_message(f"<@UBOT> {FENCED}")
            slack.event(slack.as_mention(mention))
            before = len(standin.calls_to("conversations.replies"))
            for number in range(100):
                slack.event(
                    slack.user_message(f"rounds={number % 30 + 1}", thread_ts=mention["ts"])
                )
            reads = len(standin.calls_to("conversations.replies")) - before
            report(f"100 reruns in one thread, pages of {page}: replies calls", None, reads)
        finally:
            server.stop(), standin.stop()


def unreachable(report) -> None:
    standin = SlackStandIn(bot_token=TOKEN).start()
    standin.add_channel("C1")
    env = {**standin.bot_settings(SECRET), "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/"}
    server = FunctionServer("slack_events", env).start()
    try:
        slack = Sender(standin, server.url, SECRET)
        event = slack.event(slack.user_message(FENCED))
        command = slack.command(FUNNEL)
        told = len(standin.ephemerals("C1"))
        report(
            "Slack unreachable: event, command statuses; apologies",
            None,
            f"{event.status_code}, {command.status_code}; {told}",
        )
    finally:
        server.stop(), standin.stop()


def forged_metadata(report) -> None:
    standin, server, slack = world()
    try:
        from bot.slack.stored import run_metadata
    except ImportError:
        from bot.slack.thread import run_metadata
    try:
        root = slack.user_message("a thread")
        standin.add_app_message("C1", "run", run_metadata("[F] > G @ 9", 5), thread_ts=root["ts"])
        slack.event(slack.user_message("rerun", thread_ts=root["ts"]))
        report(
            "a rerun under forged run metadata posts",
            None,
            len(standin.calls_to("chat.postMessage")),
        )
    finally:
        server.stop(), standin.stop()


def first_answers(report) -> None:
    standin, server, slack = world()
    try:

        def calls(act) -> str:
            before = len(standin.calls)
            act()
            return "+".join(method for method, _ in standin.calls[before:])

        mention = slack.user_message(f"<@UBOT> {FENCED}")
        report("calls: /model", None, calls(lambda: slack.command(FUNNEL)))
        report("calls: mention", None, calls(lambda: slack.event(slack.as_mention(mention))))
        code = slack.user_message(FENCED)
        report("calls: code block", None, calls(lambda: slack.event(code)))
        direct = slack.user_message(FUNNEL, channel="D1")
        report("calls: direct message", None, calls(lambda: slack.event(direct)))
        rerun = slack.user_message("rounds=4", thread_ts=mention["ts"])
        report("calls: thread rerun", None, calls(lambda: slack.event(rerun)))
        edit = lambda: slack.edit("C1", mention["ts"], f"<@UBOT> rounds=3 {FENCED}")  # noqa: E731
        report("calls: edit", None, calls(edit))
    finally:
        server.stop(), standin.stop()


def drip(port: int, stop: threading.Event) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: bot\r\nX-Slow: ")
        ends = time.monotonic() + 60
        while time.monotonic() < ends and not stop.is_set():
            try:
                sock.sendall(b"a")
            except OSError:
                return
            time.sleep(0.5)


def raw_post(port: int, body: bytes, headers: dict) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        connection.request(
            "POST",
            "/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
        )
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def main(argv: list[str]) -> int:
    def report(what: str, seconds: float | None, value: object) -> None:
        took = "" if seconds is None else f"{seconds:.3f} s  "
        print(f"{what}: {took}{value}", flush=True)

    for figure in (
        rate_limited_and_hanging,
        costly_reruns,
        unsigned_form,
        replayed_command,
        slow_clients,
        thread_reads,
        unreachable,
        forged_metadata,
        first_answers,
    ):
        if not argv or figure.__name__ in argv:
            figure(report)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
