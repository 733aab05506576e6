"""The app's start-up costs: no Web API call at import, at most one auth.test per instance."""

import time

from slack_standin import SlackStandIn
from slack_standin.sender import SlackSender
from tests.servers import FunctionServer
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, bot_env


def test_no_call_at_start_and_one_auth_test_for_many_requests():
    with SlackStandIn(bot_token=BOT_TOKEN) as standin:
        standin.add_channel("C1", name="general")
        with FunctionServer("slack_events", bot_env(standin)) as server:
            time.sleep(0.5)  # give an eager import the chance to call Slack
            assert standin.calls == []
            slack = SlackSender(standin, server.url, SIGNING_SECRET)
            for rounds in (1, 2, 3):
                assert slack.command(f"[a] > b @ 5 rounds={rounds}").status_code == 200
            assert len(standin.calls_to("auth.test")) == 1
            assert len(standin.messages("C1")) == 3
