"""views.open and views.publish, view limits and single-use trigger ids."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.views import View

from slack_standin import SlackStandIn

SECTION = {"type": "section", "text": {"type": "mrkdwn", "text": "Syntax"}}


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


PICKER = {
    "type": "input",
    "block_id": "conversation",
    "label": plain("Post in"),
    "element": {
        "type": "conversations_select",
        "action_id": "value",
        "default_to_current_conversation": True,
        "response_url_enabled": True,
        "filter": {"include": ["public", "im"], "exclude_bot_users": True},
    },
}


def modal(**overrides: Any) -> dict[str, Any]:
    view = {
        "type": "modal",
        "callback_id": "rerun_modal",
        "title": plain("Edit model"),
        "submit": plain("Run"),
        "close": plain("Cancel"),
        "private_metadata": '{"channel": "C1", "thread_ts": "1.2"}',
        "blocks": [
            {
                "type": "input",
                "block_id": "model",
                "label": plain("Model"),
                "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
            }
        ],
    }
    view.update(overrides)
    return view


def home(text: str = "Welcome") -> dict[str, Any]:
    return {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def failure(call) -> tuple[str, list[str]]:
    with pytest.raises(SlackApiError) as caught:
        call()
    response = caught.value.response
    return response["error"], response.get("response_metadata", {}).get("messages", [])


def test_open_modal(client: WebClient, standin: SlackStandIn) -> None:
    answer = client.views_open(trigger_id=standin.new_trigger_id(), view=modal())
    view = answer["view"]
    assert view["id"].startswith("V") and view["type"] == "modal"
    assert view["callback_id"] == "rerun_modal"
    assert view["private_metadata"].startswith("{")
    assert standin.views == [view]


def test_open_accepts_slack_sdk_view_objects(client: WebClient, standin: SlackStandIn) -> None:
    view = View(type="modal", title="Edit model", blocks=[SECTION])
    assert client.views_open(trigger_id=standin.new_trigger_id(), view=view)["ok"]


def test_trigger_ids_are_single_use(client: WebClient, standin: SlackStandIn) -> None:
    trigger_id = standin.new_trigger_id()
    client.views_open(trigger_id=trigger_id, view=modal())
    error, _ = failure(lambda: client.views_open(trigger_id=trigger_id, view=modal()))
    assert error == "exchanged_trigger_id"


def test_unknown_trigger_ids(client: WebClient) -> None:
    error, _ = failure(lambda: client.views_open(trigger_id="1.2.made-up", view=modal()))
    assert error == "invalid_trigger_id"


def test_rejected_view_leaves_the_trigger_usable(client: WebClient, standin: SlackStandIn):
    trigger_id = standin.new_trigger_id()
    failure(lambda: client.views_open(trigger_id=trigger_id, view=modal(title=plain("t" * 25))))
    assert client.views_open(trigger_id=trigger_id, view=modal())["ok"]


VIEW_CASES = [
    ("title", modal(title=plain("t" * 24)), modal(title=plain("t" * 25)), "/view/title/text"),
    ("submit", modal(submit=plain("s" * 24)), modal(submit=plain("s" * 25)), "/view/submit/text"),
    ("close", modal(close=plain("c" * 24)), modal(close=plain("c" * 25)), "/view/close/text"),
    (
        "blocks",
        modal(blocks=[SECTION] * 100),
        modal(blocks=[SECTION] * 101),
        "/view/blocks]",
    ),
    (
        "private_metadata",
        modal(private_metadata="p" * 3000),
        modal(private_metadata="p" * 3001),
        "/view/private_metadata",
    ),
    ("callback_id", modal(callback_id="c" * 255), modal(callback_id="c" * 256), "/callback_id"),
    (
        "table not in views",
        modal(blocks=[SECTION]),
        modal(blocks=[{"type": "table", "rows": [[{"type": "raw_text", "text": "1"}]]}]),
        "not allowed in a view",
    ),
    (
        "chart not in views",
        modal(blocks=[SECTION]),
        modal(blocks=[{"type": "data_visualization", "title": "t", "chart": {"type": "line"}}]),
        "not allowed in a view",
    ),
    (
        "conversation picker",
        modal(blocks=[PICKER]),
        modal(blocks=[{**PICKER, "element": {**PICKER["element"], "filter": {"include": "all"}}}]),
        "/filter/include",
    ),
    ("input needs submit", modal(), {k: v for k, v in modal().items() if k != "submit"}, "/submit"),
    ("type", modal(), modal(type="sheet"), "/view/type"),
]


@pytest.mark.parametrize(
    ("rule", "accepted", "rejected", "fragment"), VIEW_CASES, ids=[c[0] for c in VIEW_CASES]
)
def test_view_limits(
    client: WebClient, standin: SlackStandIn, rule: str, accepted: Any, rejected: Any, fragment: str
) -> None:
    assert client.views_open(trigger_id=standin.new_trigger_id(), view=accepted)["ok"]
    error, messages = failure(
        lambda: client.views_open(trigger_id=standin.new_trigger_id(), view=rejected)
    )
    assert error == "invalid_arguments"
    assert any(fragment in message for message in messages), messages


def test_view_blocks_follow_message_block_rules(client: WebClient, standin: SlackStandIn):
    long_header = {"type": "header", "text": plain("h" * 151)}
    _, messages = failure(
        lambda: client.views_open(
            trigger_id=standin.new_trigger_id(), view=modal(blocks=[long_header])
        )
    )
    assert any("/view/blocks/0/text/text" in message for message in messages)


def test_publish_home_keeps_one_view_per_user(client: WebClient, standin: SlackStandIn) -> None:
    first = client.views_publish(user_id="U1", view=home("one"))["view"]
    second = client.views_publish(user_id="U1", view=home("two"))["view"]
    other = client.views_publish(user_id="U2", view=home())["view"]
    assert first["id"] == second["id"] != other["id"]
    assert [v["blocks"][0]["text"]["text"] for v in standin.views] == ["two", "Welcome"]
    error, _ = failure(lambda: client.views_publish(user_id="U1", view=modal()))
    assert error == "invalid_arguments"
