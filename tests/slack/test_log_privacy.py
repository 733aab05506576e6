"""Logs of a full journey hold no token, no signing secret and no model text."""

import json

from bot.render.blocks import ACTION_CSV, ACTION_MORE_ROUNDS
from bot.standin import SlackStandIn
from bot.standin.sender import SlackSender
from tests.servers import FunctionServer

TOKEN = "xoxb-1111-2222-PRIVATETOKEN"
SECRET = "f00dfacecafe1234secret"
DEFINITION = "[Zanzibar] > Quetzalcoatl @ 7\nQuetzalcoatl > Xylophone @ 0.5"


def test_a_full_journey_logs_no_secret_and_no_definition(tmp_path):
    log = tmp_path / "server.log"
    with SlackStandIn(bot_token=TOKEN) as standin:
        standin.add_channel("C1", name="general")
        env = {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": standin.api_url,
            "LOG_LEVEL": "DEBUG",
        }
        with FunctionServer("slack_events", env, log_path=log) as server:
            _journey(SlackSender(standin, server.url, SECRET), standin)

    lines = [line for line in log.read_text().splitlines() if line.strip()]
    handled = [json.loads(line) for line in lines if '"sysbot.handled"' in line]
    assert {entry["kind"] for entry in handled} >= {"command", "message", "rerun", "action"}
    assert all("latency_ms" in entry and "outcome" in entry for entry in handled)
    text = log.read_text()
    for secret in (TOKEN, SECRET, "Zanzibar", "Quetzalcoatl", "Xylophone"):
        assert secret not in text


def _journey(slack: SlackSender, standin: SlackStandIn) -> None:
    slack.command(DEFINITION)
    [result] = standin.messages("C1")
    slack.click("C1", result, ACTION_MORE_ROUNDS)
    slack.click("C1", result, ACTION_CSV)
    message = slack.user_message(f"```systems\n{DEFINITION}\n```")
    slack.event(message)
    slack.event(slack.user_message("rounds=3", thread_ts=message["ts"]))
    slack.command("Quetzalcoatl > @ broken")
