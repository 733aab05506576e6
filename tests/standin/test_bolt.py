"""Bolt itself runs against the stand-in: auth.test at start-up, say(), self-message filtering."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from slack_standin import APP_ID, TEAM_ID, SlackStandIn


def message_event(channel: str, message: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "event_callback",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event_id": "Ev1",
        "event_time": 1,
        "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT", "is_bot": True}],
        "event": {"type": "message", "channel": channel, "channel_type": "channel", **message},
    }


def bolt_app(standin: SlackStandIn) -> App:
    # process_before_response=True, as on Cloud Functions: listeners finish inside dispatch().
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    return App(client=client, signing_secret="secret", process_before_response=True)


def test_bolt_app_replies_in_the_thread(standin: SlackStandIn) -> None:
    app = bolt_app(standin)

    @app.message("run")
    def run(message: dict[str, Any], say) -> None:
        say(text="ran it", thread_ts=message["ts"])

    question = standin.add_user_message("C1", "run please", user="U1")
    response = app.dispatch(BoltRequest(body=message_event("C1", question), mode="socket_mode"))
    assert response.status == 200
    assert [m["text"] for m in standin.thread("C1", question["ts"])] == ["run please", "ran it"]
    assert standin.calls[0][0] == "auth.test"  # Bolt checked the token at start-up


def test_bolt_ignores_the_bots_own_messages(standin: SlackStandIn, client: WebClient) -> None:
    app = bolt_app(standin)
    seen: list[str] = []
    app.message("")(lambda message: seen.append(message["text"]))

    own = client.chat_postMessage(channel="C1", text="result")["message"]
    human = standin.add_user_message("C1", "hello", user="U1")
    for message in (own, human):
        app.dispatch(BoltRequest(body=message_event("C1", message), mode="socket_mode"))
    # Only the human's: the stand-in's user/bot_id match what auth.test told Bolt.
    assert seen == ["hello"]
