"""conversations.replies: thread order, metadata visibility, pagination, access."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from slack_standin import SlackStandIn

RUN = {"event_type": "systems_run", "event_payload": {"model": "[A] > B @ 5", "rounds": 10}}


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as caught:
        call()
    return caught.value.response["error"]


@pytest.fixture
def thread(client: WebClient, standin: SlackStandIn) -> str:
    """A user's message with the bot's run (carrying metadata) and a user reply under it."""
    parent = standin.add_user_message("C1", "```[A] > B @ 5```", user="U1")
    client.chat_postMessage(channel="C1", text="result", thread_ts=parent["ts"], metadata=RUN)
    standin.add_user_message("C1", "rounds=20", user="U2", thread_ts=parent["ts"])
    return parent["ts"]


def test_parent_first_then_replies(client: WebClient, thread: str) -> None:
    answer = client.conversations_replies(channel="C1", ts=thread)
    assert [m["text"] for m in answer["messages"]] == ["```[A] > B @ 5```", "result", "rounds=20"]
    assert answer["has_more"] is False
    assert answer["response_metadata"]["next_cursor"] == ""


def test_a_reply_ts_finds_the_whole_thread(client: WebClient, standin: SlackStandIn, thread: str):
    reply_ts = standin.thread("C1", thread)[2]["ts"]
    answer = client.conversations_replies(channel="C1", ts=reply_ts)
    assert len(answer["messages"]) == 3


def test_metadata_shows_only_event_type_by_default(client: WebClient, thread: str) -> None:
    run = client.conversations_replies(channel="C1", ts=thread)["messages"][1]
    assert run["metadata"] == {"event_type": "systems_run"}


def test_include_all_metadata_adds_the_payload(client: WebClient, thread: str) -> None:
    answer = client.conversations_replies(channel="C1", ts=thread, include_all_metadata=True)
    assert answer["messages"][1]["metadata"] == RUN
    assert "metadata" not in answer["messages"][0]


def test_include_all_metadata_as_form_field(client: WebClient, thread: str) -> None:
    answer = client.api_call(
        "conversations.replies",
        params={"channel": "C1", "ts": thread, "include_all_metadata": "true"},
    )
    assert answer["messages"][1]["metadata"] == RUN


def test_pagination_with_limit_and_cursor(client: WebClient, standin: SlackStandIn) -> None:
    parent = standin.add_user_message("C1", "p")
    for n in range(4):
        standin.add_user_message("C1", f"r{n}", thread_ts=parent["ts"])

    pages, cursor = [], None
    while True:
        answer = client.conversations_replies(channel="C1", ts=parent["ts"], limit=2, cursor=cursor)
        pages.append([m["text"] for m in answer["messages"]])
        cursor = answer["response_metadata"]["next_cursor"]
        assert answer["has_more"] is bool(cursor)
        if not cursor:
            break
    assert pages == [["p", "r0"], ["r1", "r2"], ["r3"]]


def test_slack_sdk_iterates_the_pages(client: WebClient, standin: SlackStandIn) -> None:
    parent = standin.add_user_message("C1", "p")
    for n in range(4):
        standin.add_user_message("C1", f"r{n}", thread_ts=parent["ts"])
    # slack_sdk reuses one response object for every page, so read each page as it comes.
    pages = client.conversations_replies(channel="C1", ts=parent["ts"], limit=3)
    assert [[m["text"] for m in page["messages"]] for page in pages] == [
        ["p", "r0", "r1"],
        ["r2", "r3"],
    ]


def test_bad_cursor_and_limit(client: WebClient, thread: str) -> None:
    replies = client.conversations_replies
    assert error_of(lambda: replies(channel="C1", ts=thread, cursor="nonsense!")) == (
        "invalid_cursor"
    )
    assert error_of(lambda: replies(channel="C1", ts=thread, limit=0)) == "invalid_limit"


def test_access_and_lookup_errors(client: WebClient, standin: SlackStandIn) -> None:
    replies = client.conversations_replies
    assert error_of(lambda: replies(channel="C2", ts="1.0")) == "not_in_channel"
    assert error_of(lambda: replies(channel="G2", ts="1.0")) == "not_in_channel"
    assert error_of(lambda: replies(channel="C404", ts="1.0")) == "channel_not_found"
    assert error_of(lambda: replies(channel="C1", ts="1.0")) == "thread_not_found"


def test_ephemeral_messages_are_not_in_history(
    client: WebClient, standin: SlackStandIn, thread: str
) -> None:
    WebhookClient(standin.new_response_url("C1", "U1")).send(text="secret")
    assert standin.ephemerals("C1")
    texts = [m["text"] for m in client.conversations_replies(channel="C1", ts=thread)["messages"]]
    assert "secret" not in texts
