"""Block Kit and message limits: for each rule, one payload Slack accepts and one it rejects."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

Blocks = list[dict[str, Any]]


# -- builders --------------------------------------------------------------------------------


def section(text: str = "hi", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def mrkdwn(text: str = "f") -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def button(action_id: str = "rerun", text: str = "Rerun", **extra: Any) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        **extra,
    }


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def buttons(count: int) -> dict[str, Any]:
    return actions(*(button(f"a{n}") for n in range(count)))


def context(count: int) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(f"c{n}") for n in range(count)]}


def cell(text: str = "1.00") -> dict[str, Any]:
    return {"type": "raw_text", "text": text}


def table(rows: int = 2, cells: int = 2, **extra: Any) -> dict[str, Any]:
    return {"type": "table", "rows": [[cell() for _ in range(cells)] for _ in range(rows)], **extra}


def ragged_table() -> dict[str, Any]:
    return {"type": "table", "rows": [[cell(), cell()], [cell()]]}


def column_settings(count: int) -> dict[str, Any]:
    return table(column_settings=[{"align": "right"}] * count)


def chart(
    series: int = 1,
    points: int = 3,
    name_length: int = 5,
    category_length: int = 2,
    **chart_extra: Any,
) -> dict[str, Any]:
    categories = [f"{n:0{category_length}d}" for n in range(points)]
    data = [{"label": label, "value": float(n)} for n, label in enumerate(categories)]
    chart_body = {
        "type": "line",
        "axis_config": {"categories": categories, "x_label": "round", "y_label": "units"},
        "series": [{"name": f"{n}".rjust(name_length, "s"), "data": data} for n in range(series)],
        **chart_extra,
    }
    return {"type": "data_visualization", "title": "Stocks over time", "chart": chart_body}


def titled_chart(title: str | None) -> dict[str, Any]:
    block = chart()
    if title is None:
        del block["title"]
    else:
        block["title"] = title
    return block


def chart_with(mutate) -> dict[str, Any]:
    block = chart(series=2)
    mutate(block["chart"])
    return block


PREFORMATTED = {
    "type": "rich_text",
    "elements": [
        {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "t  A\n0  10"}]}
    ],
}

# (rule, accepted blocks, rejected blocks, a fragment of the rejection's pointer/message)
CASES: list[tuple[str, Blocks, Blocks, str]] = [
    ("50 blocks", [section()] * 50, [section()] * 51, "/blocks]"),
    ("section text", [section("x" * 3000)], [section("x" * 3001)], "/blocks/0/text/text"),
    ("section needs text", [section()], [{"type": "section"}], "/blocks/0/text"),
    ("header", [header("h" * 150)], [header("h" * 151)], "/blocks/0/text/text"),
    (
        "block_id length",
        [section(block_id="b" * 255)],
        [section(block_id="b" * 256)],
        "/blocks/0/block_id",
    ),
    (
        "block_id unique",
        [section(block_id="a"), section(block_id="b")],
        [section(block_id="a"), section(block_id="a")],
        "duplicate block_id",
    ),
    ("actions elements", [buttons(25)], [buttons(26)], "/blocks/0/elements]"),
    ("context elements", [context(10)], [context(11)], "/blocks/0/elements]"),
    (
        "button text",
        [actions(button(text="b" * 75))],
        [actions(button(text="b" * 76))],
        "/elements/0/text/text",
    ),
    (
        "button value",
        [actions(button(value="v" * 2000))],
        [actions(button(value="v" * 2001))],
        "/elements/0/value",
    ),
    (
        "button action_id length",
        [actions(button("a" * 255))],
        [actions(button("a" * 256))],
        "/elements/0/action_id",
    ),
    (
        "action_id unique within a block",
        [actions(button("rerun")), actions(button("rerun"))],
        [actions(button("rerun"), button("rerun"))],
        "duplicate action_id",
    ),
    ("one table", [table()], [table(), table()], "only_one_table_allowed"),
    ("table rows", [table(rows=100)], [table(rows=101)], "/blocks/0/rows]"),
    ("table cells", [table(cells=20)], [table(cells=21)], "/blocks/0/rows/0]"),
    ("table rows same length", [table()], [ragged_table()], "same number of cells"),
    ("column_settings", [column_settings(20)], [column_settings(21)], "/column_settings]"),
    ("raw_text not empty", [table()], [{"type": "table", "rows": [[cell("")]]}], "/0/0/text"),
    ("chart title required", [chart()], [titled_chart(None)], "/blocks/0/title"),
    ("chart title length", [titled_chart("t" * 50)], [titled_chart("t" * 51)], "/title"),
    ("chart type", [chart()], [chart_with(lambda c: c.update(type="scatter"))], "/chart/type"),
    ("chart series count", [chart(series=6)], [chart(series=7)], "/chart/series]"),
    (
        "chart series names unique",
        [chart(series=2)],
        [chart_with(lambda c: c["series"][1].update(name=c["series"][0]["name"]))],
        "duplicate series name",
    ),
    ("chart series name", [chart(name_length=20)], [chart(name_length=21)], "/series/0/name"),
    ("chart points", [chart(points=20)], [chart(points=21)], "/series/0/data]"),
    (
        "chart labels are categories",
        [chart()],
        [chart_with(lambda c: c["series"][0]["data"][0].update(label="99"))],
        "not one of axis_config.categories",
    ),
    (
        "chart category length",
        [chart(category_length=20)],
        [chart(category_length=21)],
        "/axis_config/categories/0",
    ),
    (
        "chart axis label",
        [chart_with(lambda c: c["axis_config"].update(x_label="x" * 50))],
        [chart_with(lambda c: c["axis_config"].update(x_label="x" * 51))],
        "/axis_config/x_label",
    ),
    ("unknown block type", [PREFORMATTED], [{"type": "data_table"}], "unsupported block type"),
    (
        "input only in views",
        [section()],
        [
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "Model"},
                "element": {"type": "plain_text_input", "action_id": "model"},
            }
        ],
        "not allowed in a message",
    ),
]


def rejection(client: WebClient, blocks: Blocks) -> tuple[str, list[str]]:
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="fallback", blocks=blocks)
    response = caught.value.response
    return response["error"], response.get("response_metadata", {}).get("messages", [])


@pytest.mark.parametrize(
    ("rule", "accepted", "rejected", "fragment"), CASES, ids=[c[0] for c in CASES]
)
def test_block_limit(
    client: WebClient, rule: str, accepted: Blocks, rejected: Blocks, fragment: str
) -> None:
    assert client.chat_postMessage(channel="C1", text="fallback", blocks=accepted)["ok"]
    error, messages = rejection(client, rejected)
    assert error == "invalid_blocks"
    assert any(fragment in message for message in messages), messages


@pytest.mark.parametrize("block_type", ["divider", "image", "markdown"])
def test_blocks_the_bot_never_sends_are_refused_not_guessed_at(
    client: WebClient, block_type: str
) -> None:
    error, messages = rejection(client, [{"type": block_type}])
    assert error == "invalid_blocks"
    assert messages == [
        f"[ERROR] unsupported block type `{block_type}` [json-pointer:/blocks/0/type]"
    ]


def test_rejection_messages_use_slacks_format(client: WebClient) -> None:
    _, messages = rejection(client, [section("x" * 3001)])
    assert messages == [
        "[ERROR] must be at most 3000 characters [json-pointer:/blocks/0/text/text]"
    ]


def test_text_length(client: WebClient) -> None:
    assert client.chat_postMessage(channel="C1", text="x" * 40_000)["ok"]
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x" * 40_001)
    assert caught.value.response["error"] == "msg_too_long"


def test_blocks_that_are_not_json(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.api_call("chat.postMessage", data={"channel": "C1", "text": "t", "blocks": "[{"})
    assert caught.value.response["error"] == "invalid_blocks_format"


def test_update_validates_blocks(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="t")
    with pytest.raises(SlackApiError) as caught:
        client.chat_update(channel="C1", ts=posted["ts"], text="t", blocks=[header("h" * 151)])
    assert caught.value.response["error"] == "invalid_blocks"


# -- metadata --------------------------------------------------------------------------------


def post_metadata(client: WebClient, metadata: Any) -> str | None:
    try:
        client.chat_postMessage(channel="C1", text="t", metadata=metadata)
    except SlackApiError as error:
        return error.response["error"]
    return None


def test_metadata_needs_event_type_and_payload(client: WebClient) -> None:
    assert post_metadata(client, {"event_type": "systems_run", "event_payload": {"a": 1}}) is None
    assert post_metadata(client, {"event_type": "systems_run"}) == "invalid_metadata_schema"
    assert post_metadata(client, {"event_payload": {"a": 1}}) == "invalid_metadata_schema"
    assert post_metadata(client, {"event_type": "x", "event_payload": "s"}) == (
        "invalid_metadata_schema"
    )


def test_metadata_as_form_field_must_be_json(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.api_call("chat.postMessage", data={"channel": "C1", "text": "t", "metadata": "{"})
    assert caught.value.response["error"] == "invalid_metadata_format"
    metadata = json.dumps({"event_type": "x", "event_payload": {"a": 1}})
    assert client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "t", "metadata": metadata}
    )["ok"]


def test_metadata_size_limit_default(client: WebClient) -> None:
    overhead = len(json.dumps({"model": ""}, separators=(",", ":")))
    fits = {"event_type": "run", "event_payload": {"model": "m" * (16_000 - overhead)}}
    too_big = {"event_type": "run", "event_payload": {"model": "m" * (16_001 - overhead)}}
    assert post_metadata(client, fits) is None
    assert post_metadata(client, too_big) == "metadata_too_large"


MALFORMED: list[object] = [
    {"type": "section"},
    [{"type": ["section"]}],
    [{"type": "section", "text": {"type": "mrkdwn", "text": "t"}, "block_id": {"id": 1}}],
    [actions({"type": "button", "text": "plain string", "action_id": ["a"]})],
    [{"type": "table", "rows": [[None], "row"]}],
    [{"type": "rich_text", "elements": [{"type": "rich_text_preformatted", "elements": [None]}]}],
    [chart_with(lambda c: c["series"][0].update(name=["n"], data="points"))],
    [{"type": "data_visualization", "title": 5, "chart": {"type": "line", "series": [1]}}],
    ["not a block"],
]


@pytest.mark.parametrize("blocks", MALFORMED)
def test_malformed_blocks_are_rejected_not_crashed_on(client: WebClient, blocks: object) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert caught.value.response.status_code == 200
    assert caught.value.response["error"] == "invalid_blocks"
