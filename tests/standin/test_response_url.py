"""response_url hooks, through slack_sdk's WebhookClient and Bolt's respond()."""

from __future__ import annotations

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
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


def test_in_thread(standin: SlackStandIn) -> None:
    parent = standin.add_user_message("C1", "model")
    url = standin.new_response_url("C1", "U1")
    WebhookClient(url).send_dict(
        {"text": "rerun", "response_type": "in_channel", "thread_ts": parent["ts"]}
    )
    assert [m["text"] for m in standin.thread("C1", parent["ts"])] == ["model", "rerun"]


def test_replace_original_replaces_the_clicked_message(
    client: WebClient, standin: SlackStandIn
) -> None:
    posted = client.chat_postMessage(channel="C1", text="result v1", metadata=RUN)
    url = standin.new_response_url("C1", "U1", message_ts=posted["ts"])
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "result v2"}}]
    WebhookClient(url).send(text="result v2", blocks=blocks, replace_original=True)
    [message] = standin.messages("C1")
    assert message["ts"] == posted["ts"]
    assert (message["text"], message["blocks"]) == ("result v2", blocks)
    assert "metadata" not in message  # a replacement is a whole new message body


def test_replace_original_of_an_ephemeral_source(client: WebClient, standin: SlackStandIn):
    source = client.chat_postEphemeral(channel="C1", user="U1", text="pick one")
    url = standin.new_response_url("C1", "U1", message_ts=source["message_ts"])
    WebhookClient(url).send(text="picked", replace_original=True)
    assert [e["text"] for e in standin.ephemerals("C1")] == ["picked"]


def test_slash_command_replace_acts_on_the_urls_last_reply(standin: SlackStandIn) -> None:
    respond = Respond(response_url=standin.new_response_url("C1", "U1"))
    respond(text="running...")
    respond(text="done", replace_original=True)
    assert [e["text"] for e in standin.ephemerals("C1")] == ["done"]


def test_delete_original(client: WebClient, standin: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel="C1", text="stale")
    url = standin.new_response_url("C1", "U1", message_ts=posted["ts"])
    assert WebhookClient(url).send(delete_original=True).status_code == 200
    assert standin.messages("C1") == []


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
    assert hook.send(text="t", replace_original=True).status_code == 200  # nothing to replace
    unknown = WebhookClient(standin.base_url + "/_standin/response/nope").send(text="t")
    assert unknown.status_code == 404


def test_rejected_block_types_apply_to_hooks(standin: SlackStandIn) -> None:
    standin.reject_block_type("table")
    table = {"type": "table", "rows": [[{"type": "raw_text", "text": "1"}]]}
    response = WebhookClient(standin.new_response_url("C1", "U1")).send(text="t", blocks=[table])
    assert (response.status_code, response.body) == (400, "invalid_blocks")
