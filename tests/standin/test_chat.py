"""auth.test, the token check, and the chat.* methods."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slack_standin import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, SlackStandIn


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value.response["error"]


# -- auth ------------------------------------------------------------------------------------


def test_auth_test_names_the_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["ok"] is True
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == (TEAM_ID, "UBOT", "BBOT")
    assert answer["user"] == "sysbot"
    assert answer["url"].startswith("https://")


def test_wrong_token_is_invalid_auth(standin: SlackStandIn) -> None:
    wrong = WebClient(token="xoxb-wrong", base_url=standin.api_url)
    assert error_of(wrong.auth_test) == "invalid_auth"
    assert error_of(lambda: wrong.chat_postMessage(channel="C1", text="x")) == "invalid_auth"
    assert standin.messages("C1") == []


def test_missing_token_is_not_authed_like_slack(standin: SlackStandIn) -> None:
    anonymous = WebClient(token=None, base_url=standin.api_url)
    assert error_of(anonymous.auth_test) == "not_authed"


def test_unknown_method(client: WebClient) -> None:
    assert error_of(lambda: client.api_call("chat.scheduleMessage")) == "unknown_method"


# -- chat.postMessage ------------------------------------------------------------------------


def test_post_message_is_stored_as_the_bots(client: WebClient, standin: SlackStandIn) -> None:
    answer = client.chat_postMessage(channel="C1", text="hello", unfurl_links=False)
    stored = standin.messages("C1")
    assert answer["channel"] == "C1" and answer["ts"] == stored[0]["ts"]
    assert answer["message"]["text"] == "hello"
    assert (stored[0]["user"], stored[0]["bot_id"], stored[0]["app_id"]) == (
        BOT_USER_ID,
        BOT_ID,
        APP_ID,
    )


def test_post_message_keeps_messages_in_order(client: WebClient, standin: SlackStandIn) -> None:
    for text in ("one", "two", "three"):
        client.chat_postMessage(channel="C1", text=text)
    texts = [m["text"] for m in standin.messages("C1")]
    timestamps = [m["ts"] for m in standin.messages("C1")]
    assert texts == ["one", "two", "three"]
    assert timestamps == sorted(timestamps) and len(set(timestamps)) == 3


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_needs_text_or_blocks(client: WebClient) -> None:
    assert error_of(lambda: client.chat_postMessage(channel="C1", text="")) == "no_text"
    header = [{"type": "header", "text": {"type": "plain_text", "text": "Run"}}]
    assert client.chat_postMessage(channel="C1", blocks=header)["ok"] is True


def test_form_encoded_blocks_arrive_as_json_strings(
    client: WebClient, standin: SlackStandIn
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
    client.api_call(
        "chat.postMessage",
        data={"channel": "C1", "text": "hi", "blocks": json.dumps(blocks)},
    )
    assert standin.messages("C1")[0]["blocks"] == blocks


def test_unknown_channel(client: WebClient) -> None:
    assert error_of(lambda: client.chat_postMessage(channel="C404", text="x")) == (
        "channel_not_found"
    )


@pytest.mark.parametrize("channel", ["C2", "G2"])
def test_not_in_channel_when_bot_was_not_invited(client: WebClient, channel: str) -> None:
    assert error_of(lambda: client.chat_postMessage(channel=channel, text="x")) == (
        "not_in_channel"
    )


def test_direct_messages_need_no_membership(client: WebClient, standin: SlackStandIn) -> None:
    client.chat_postMessage(channel="D1", text="psst")
    assert standin.messages("D1")[0]["text"] == "psst"


def test_thread_reply_updates_the_parent(client: WebClient, standin: SlackStandIn) -> None:
    parent = standin.add_user_message("C1", "run my model", user="U7")
    first = client.chat_postMessage(channel="C1", text="result", thread_ts=parent["ts"])
    second = client.chat_postMessage(channel="C1", text="again", thread_ts=parent["ts"])

    thread = standin.thread("C1", parent["ts"])
    assert [m["text"] for m in thread] == ["run my model", "result", "again"]
    head = thread[0]
    assert head["reply_count"] == 2
    assert head["latest_reply"] == second["ts"]
    assert head["reply_users"] == [BOT_USER_ID]
    assert thread[1]["thread_ts"] == parent["ts"] and thread[1]["ts"] == first["ts"]
    assert [m["text"] for m in standin.messages("C1")] == ["run my model"]


def test_reply_to_a_missing_thread(client: WebClient) -> None:
    post = lambda: client.chat_postMessage(channel="C1", text="x", thread_ts="123.456")  # noqa: E731
    assert error_of(post) == "thread_not_found"


def test_user_messages_and_edits(standin: SlackStandIn) -> None:
    parent = standin.add_user_message("C1", "v1", user="U5")
    reply = standin.add_user_message("C1", "rounds=5", user="U6", thread_ts=parent["ts"])
    edited = standin.edit_user_message("C1", parent["ts"], "v2")
    assert edited["text"] == "v2" and edited["edited"]["user"] == "U5"
    assert reply["thread_ts"] == parent["ts"]
    assert standin.thread("C1", parent["ts"])[0]["reply_users"] == ["U6"]


# -- chat.update -----------------------------------------------------------------------------


def test_update_own_message(client: WebClient, standin: SlackStandIn) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "running"}}]
    posted = client.chat_postMessage(channel="C1", text="running", blocks=blocks)
    answer = client.chat_update(channel="C1", ts=posted["ts"], text="done")
    [message] = standin.messages("C1")
    assert answer["ts"] == posted["ts"] and answer["text"] == "done"
    assert message["text"] == "done"
    assert message["blocks"] == blocks  # kept, as Slack keeps blocks left out of an update
    assert message["edited"]["user"] == BOT_USER_ID


def test_update_replaces_metadata(client: WebClient, standin: SlackStandIn) -> None:
    first = {"event_type": "systems_run", "event_payload": {"rounds": 1}}
    posted = client.chat_postMessage(channel="C1", text="r", metadata=first)
    second = {"event_type": "systems_run", "event_payload": {"rounds": 2}}
    client.chat_update(channel="C1", ts=posted["ts"], text="r", metadata=second)
    assert standin.messages("C1")[0]["metadata"] == second


def test_update_errors(client: WebClient, standin: SlackStandIn) -> None:
    human = standin.add_user_message("C1", "mine")
    assert error_of(lambda: client.chat_update(channel="C1", ts=human["ts"], text="x")) == (
        "cant_update_message"
    )
    assert error_of(lambda: client.chat_update(channel="C1", ts="1.2", text="x")) == (
        "message_not_found"
    )
    assert error_of(lambda: client.chat_update(channel="C9", ts="1.2", text="x")) == (
        "channel_not_found"
    )


# -- chat.delete -----------------------------------------------------------------------------


def test_delete_own_reply(client: WebClient, standin: SlackStandIn) -> None:
    parent = standin.add_user_message("C1", "question")
    reply = client.chat_postMessage(channel="C1", thread_ts=parent["ts"], text="answer")
    answer = client.chat_delete(channel="C1", ts=reply["ts"])
    assert (answer["channel"], answer["ts"]) == ("C1", reply["ts"])
    assert standin.thread("C1", parent["ts"]) == [standin.messages("C1")[0]]
    assert "reply_count" not in standin.messages("C1")[0]


def test_delete_errors(client: WebClient, standin: SlackStandIn) -> None:
    human = standin.add_user_message("C1", "mine")
    assert error_of(lambda: client.chat_delete(channel="C1", ts=human["ts"])) == (
        "cant_delete_message"
    )
    assert error_of(lambda: client.chat_delete(channel="C1", ts="1.2")) == "message_not_found"
    assert error_of(lambda: client.chat_delete(channel="C9", ts="1.2")) == "channel_not_found"
