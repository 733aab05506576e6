"""The stand-in's own surface: lifecycle, state and reset, the call log."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from slack_standin import SlackStandIn


def test_context_manager_serves_then_stops() -> None:
    with SlackStandIn() as slack:
        assert slack.api_url.startswith("http://127.0.0.1:") and slack.api_url.endswith("/api/")
        url = slack.api_url
        assert WebClient(token=slack.bot_token, base_url=url).auth_test()["ok"]
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "auth.test", timeout=1)
    with pytest.raises(RuntimeError):
        slack.api_url  # noqa: B018 - the property itself raises once stopped


def test_start_and_stop_by_hand() -> None:
    slack = SlackStandIn(bot_token="xoxb-by-hand", port=0)
    with pytest.raises(RuntimeError):
        slack.new_response_url("C1", "U1")
    slack.start()
    try:
        assert WebClient(token=slack.bot_token, base_url=slack.api_url).auth_test()["ok"]
    finally:
        slack.stop()


def test_state_shows_the_whole_workspace(client: WebClient, standin: SlackStandIn):
    parent = standin.add_user_message("C1", "model", user="U1")
    client.chat_postMessage(channel="C1", text="result", thread_ts=parent["ts"])
    WebhookClient(standin.new_response_url("C1", "U1")).send(text="psst")
    client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    client.files_upload_v2(channel="C1", content="a,b\n", filename="run.csv")

    state = standin.state()
    assert state["bot"] == {"user_id": "UBOT", "name": "sysbot"}
    general = next(c for c in state["channels"] if c["id"] == "C1")
    assert [m["text"] for m in general["messages"]] == ["model", ""]
    assert [r["text"] for r in general["messages"][0]["replies"]] == ["result"]
    assert general["ephemerals"][0]["recipient"] == "U1"
    assert state["views"][0]["type"] == "home" and state["home_views"] == {
        "U1": state["views"][0]["id"]
    }
    assert state["files"][0]["name"] == "run.csv"
    assert {c["id"] for c in state["channels"]} == {"C1", "C2", "G1", "G2", "D1"}


def test_reset_clears_conversations_but_keeps_channels(
    client: WebClient, standin: SlackStandIn
) -> None:
    client.chat_postMessage(channel="C1", text="x")
    standin.reject_block_type("table")
    standin.fail_next("auth.test")
    standin.reset()
    assert standin.messages("C1") == [] and standin.calls == []
    assert client.auth_test()["ok"]  # the queued fault is gone too
    table = {"type": "table", "rows": [[{"type": "raw_text", "text": "1"}]]}
    assert client.chat_postMessage(channel="C1", text="t", blocks=[table])["ok"]


def test_unknown_paths_are_404(standin: SlackStandIn) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(standin.base_url + "/nowhere", data=b"")
    assert caught.value.code == 404


def test_calls_are_recorded_in_order(client: WebClient, standin: SlackStandIn) -> None:
    client.auth_test()
    client.chat_postMessage(channel="C1", text="a", thread_ts=None)
    client.api_call("chat.postMessage", data={"channel": "C1", "text": "b"})
    assert [name for name, _ in standin.calls] == [
        "auth.test",
        "chat.postMessage",
        "chat.postMessage",
    ]
    assert standin.calls_to("chat.postMessage") == [
        {"channel": "C1", "text": "a"},
        {"channel": "C1", "text": "b"},
    ]


def test_channel_ids_must_look_like_slacks(standin: SlackStandIn) -> None:
    with pytest.raises(ValueError):
        standin.add_channel("X1")
    assert standin.add_channel("C2", bot_is_member=True)["bot_is_member"] is True


def test_a_stand_in_bug_is_a_loud_500(
    client: WebClient, standin: SlackStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(method: str, args: object) -> dict:
        raise KeyError("oops")

    monkeypatch.setattr(standin._service.web_api, "call", broken)
    with pytest.raises(SlackApiError) as caught:
        client.auth_test()
    assert caught.value.response.status_code == 500
    assert caught.value.response["error"] == "standin_bug"
