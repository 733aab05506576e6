"""Logs of a full journey hold no token, no signing secret and no model text, also when Slack
fails calls; a failure Slack's retry may fix is logged with the event's id, to act on."""

import json

from bot.render.blocks import ACTION_CSV, ACTION_MORE_ROUNDS
from slack_standin import SlackStandIn
from slack_standin.sender import SlackSender
from tests.servers import FunctionServer

TOKEN = "xoxb-1111-2222-PRIVATETOKEN"
SECRET = "f00dfacecafe1234secret"
DEFINITION = "[Zanzibar] > Quetzalcoatl @ 7\nQuetzalcoatl > Xylophone @ 0.5"


def test_a_full_journey_logs_no_secret_and_no_definition(tmp_path):
    log = tmp_path / "server.log"
    with SlackStandIn(bot_token=TOKEN) as standin:
        standin.add_channel("C1", name="general")
        with FunctionServer("slack_events", _env(standin), log_path=log) as server:
            _journey(SlackSender(standin, server.url, SECRET), standin)

    handled = _handled(log)
    assert {entry["kind"] for entry in handled} >= {"command", "message", "rerun", "action"}
    assert all("latency_ms" in entry and "outcome" in entry for entry in handled)
    _assert_private(log.read_text())


def test_under_slack_failures_the_logs_stay_private_and_failures_name_their_event(tmp_path):
    log = tmp_path / "server.log"
    with SlackStandIn(bot_token=TOKEN) as standin:
        standin.add_channel("C1", name="general")
        with FunctionServer("slack_events", _env(standin), log_path=log) as server:
            slack = SlackSender(standin, server.url, SECRET)
            slack.command("help")  # the instance's auth.test, before the failures
            standin.set_random_faults(0.3, seed=3, slow_delay=0.1)
            _journey(slack, standin)
            standin.start_outage(status=500)  # at least one
            slack.event(slack.user_message(f"```systems\n{DEFINITION}\n```"), event_id="EvLAST")
            standin.end_outage()

    handled = _handled(log)
    slack_failed = ("slack_error", "slack_unreachable", "deadline_passed")
    failed = [e for e in handled if e["outcome"] in slack_failed]
    assert failed
    events = [e for e in failed if e["kind"] in ("message", "mention", "edit")]
    assert events and all(e["event_id"].startswith("Ev") for e in events)
    _assert_private(log.read_text())


def _env(standin: SlackStandIn) -> dict[str, str]:
    return {**standin.bot_settings(SECRET), "LOG_LEVEL": "DEBUG"}


def _handled(log) -> list[dict]:
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines if '"sysbot.handled"' in line]


def _assert_private(text: str) -> None:
    for secret in (TOKEN, SECRET, "Zanzibar", "Quetzalcoatl", "Xylophone"):
        assert secret not in text


def _journey(slack: SlackSender, standin: SlackStandIn) -> None:
    slack.command(DEFINITION)
    for result in [m for m in standin.messages("C1") if m.get("bot_id")][-1:]:  # unless it failed
        slack.click("C1", result, ACTION_MORE_ROUNDS)
        slack.click("C1", result, ACTION_CSV)
    message = slack.user_message(f"```systems\n{DEFINITION}\n```")
    slack.event(message)
    slack.event(slack.user_message("rounds=3", thread_ts=message["ts"]))
    slack.command("Quetzalcoatl > @ broken")
