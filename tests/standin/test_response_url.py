"""response_url hooks, through slack_sdk's WebhookClient (what Bolt's respond() uses)."""

from __future__ import annotations

import pytest
from slack_sdk.webhook import WebhookClient

from slack_standin import BOT_ID, SlackStandIn

RUN = {"event_type": "systems_run", "event_payload": {"rounds": 3}}


def test_ephemeral_by_default(standin: SlackStandIn) -> None:
    url = standin.new_response_url("C1", "U1")
    response = WebhookClient(url).send(text="working on it")
    assert (response.status_code, response.body) == (200, "ok")
    [ephemeral] = standin.ephemerals("C1")
    assert (ephemeral["recipient"], ephemeral["text"]) == ("U1", "working on it")
    assert standin.messages("C1") == []


def test_in_channel_needs_no_membership(standin: SlackStandIn) -> None:
    url = standin.new_response_url("C2", "U1")
    response = WebhookClient(url).send(text="result", response_type="in_channel", metadata=RUN)
    assert response.status_code == 200
    [message] = standin.messages("C2")
    assert message["bot_id"] == BOT_ID and message["metadata"] == RUN


@pytest.mark.parametrize("option", ["replace_original", "delete_original"])
def test_replacing_or_deleting_the_original_is_refused_not_imitated(
    standin: SlackStandIn, option: str
) -> None:
    response = WebhookClient(standin.new_response_url("C1", "U1")).send(text="t", **{option: True})
    assert (response.status_code, response.body) == (400, "not_imitated_by_the_standin")
    assert standin.ephemerals("C1") == []


def test_at_most_five_uses(standin: SlackStandIn) -> None:
    hook = WebhookClient(standin.new_response_url("C1", "U1"))
    statuses = [hook.send(text=f"n{n}").status_code for n in range(5)]
    sixth = hook.send(text="one too many")
    assert statuses == [200] * 5
    assert (sixth.status_code, sixth.body) == (404, "used_url")
    assert len(standin.ephemerals("C1")) == 5


def test_bad_requests(standin: SlackStandIn) -> None:
    hook = WebhookClient(standin.new_response_url("C1", "U1"))
    assert (hook.send(text="").status_code, hook.send(text="").body) == (400, "no_text")
    bad_blocks = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
    assert hook.send(text="t", blocks=bad_blocks).body == "invalid_blocks"
    unknown = WebhookClient(standin.base_url + "/_standin/response/nope").send(text="t")
    assert unknown.status_code == 404


def test_rejected_block_types_apply_to_hooks(standin: SlackStandIn) -> None:
    standin.reject_block_type("table")
    table = {"type": "table", "rows": [[{"type": "raw_text", "text": "1"}]]}
    response = WebhookClient(standin.new_response_url("C1", "U1")).send(text="t", blocks=[table])
    assert (response.status_code, response.body) == (400, "invalid_blocks")
