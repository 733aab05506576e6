"""Workflow steps in the stand-in: executions with their own token, completed once, outputs
checked against the declared output_parameters; and chat.getPermalink, conversations.history."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.manifest import load_manifest
from slack_standin import SlackStandIn
from tests.standin.test_chat import error_of

STEP = "run_systems_model"
OUTPUTS = {"summary": "After 10 rounds: a 5.", "final_values": "a = 5"}


@pytest.fixture
def execution(standin: SlackStandIn) -> dict:
    standin.declare_functions(load_manifest()["functions"])
    return standin.start_function(STEP, {"model": "[a] > b @ 5"})


def _as_step(standin: SlackStandIn, execution: dict) -> WebClient:
    return WebClient(
        token=execution["bot_access_token"], base_url=standin.api_url, retry_handlers=[]
    )


def test_the_event_describes_the_function_as_declared(execution: dict) -> None:
    assert execution["type"] == "function_executed"
    assert execution["bot_access_token"].startswith("xwfp-")
    function = execution["function"]
    assert function["callback_id"] == STEP and function["type"] == "app"
    names = [parameter["name"] for parameter in function["output_parameters"]]
    assert names == ["summary", "final_values", "message_link"]


def test_completing_with_the_executions_token_completes_it_once(standin, execution) -> None:
    step = _as_step(standin, execution)
    execution_id = execution["function_execution_id"]

    assert step.functions_completeSuccess(function_execution_id=execution_id, outputs=OUTPUTS)
    again = error_of(
        lambda: step.functions_completeSuccess(function_execution_id=execution_id, outputs=OUTPUTS)
    )

    assert again == "function_execution_not_found"
    [done] = standin.executions
    assert (done["state"], done["outputs"]) == ("completed", OUTPUTS)


def test_the_bots_own_token_may_not_complete_an_execution(standin, execution, client) -> None:
    execution_id = execution["function_execution_id"]
    refused = error_of(
        lambda: client.functions_completeSuccess(
            function_execution_id=execution_id, outputs=OUTPUTS
        )
    )
    assert refused == "access_denied"


@pytest.mark.parametrize(
    "outputs",
    [
        {"summary": "x"},  # a required output missing
        {**OUTPUTS, "extra": "x"},  # one not declared
        {**OUTPUTS, "final_values": 5},  # not a string
    ],
)
def test_outputs_are_checked_against_the_declared_ones(standin, execution, outputs) -> None:
    step = _as_step(standin, execution)
    execution_id = execution["function_execution_id"]

    refused = error_of(
        lambda: step.functions_completeSuccess(function_execution_id=execution_id, outputs=outputs)
    )

    assert refused == "parameter_validation_failed"
    assert standin.executions[0]["state"] == "running"


def test_failing_records_the_error(standin, execution) -> None:
    step = _as_step(standin, execution)
    execution_id = execution["function_execution_id"]

    step.functions_completeError(function_execution_id=execution_id, error="Line 1: no")

    [failed] = standin.executions
    assert (failed["state"], failed["error"]) == ("failed", "Line 1: no")


def test_the_execution_token_acts_as_the_bot(standin, execution) -> None:
    posted = _as_step(standin, execution).chat_postMessage(channel="C1", text="hi")
    assert posted["message"]["bot_id"] == "BBOT"


def test_an_unknown_step_cannot_start(standin) -> None:
    standin.declare_functions(load_manifest()["functions"])
    with pytest.raises(KeyError):
        standin.start_function("nope", {})


def test_get_permalink_names_the_message_and_its_thread(standin, client) -> None:
    parent = client.chat_postMessage(channel="C1", text="parent")["ts"]
    reply = client.chat_postMessage(channel="C1", text="reply", thread_ts=parent)["ts"]

    top = client.chat_getPermalink(channel="C1", message_ts=parent)["permalink"]
    inner = client.chat_getPermalink(channel="C1", message_ts=reply)["permalink"]

    assert top.endswith(f"/archives/C1/p{parent.replace('.', '')}")
    assert inner.endswith(f"?thread_ts={parent}&cid=C1")
    assert error_of(lambda: client.chat_getPermalink(channel="C1", message_ts="1.2")) == (
        "message_not_found"
    )


def test_history_lists_top_level_messages_newest_first_within_the_range(standin, client) -> None:
    first = client.chat_postMessage(channel="C1", text="one")["ts"]
    client.chat_postMessage(channel="C1", text="in a thread", thread_ts=first)
    second = client.chat_postMessage(channel="C1", text="two")["ts"]
    third = client.chat_postMessage(channel="C1", text="three")["ts"]

    history = client.conversations_history(channel="C1", oldest=first, limit=1)

    assert [m["ts"] for m in history["messages"]] == [third]
    assert history["has_more"] is True
    everything = client.conversations_history(channel="C1")["messages"]
    assert [m["ts"] for m in everything] == [third, second, first]
    assert error_of(lambda: client.conversations_history(channel="C2")) == "not_in_channel"


# slack_sdk wrappers, and the Web API methods each calls.
WRAPPERS = {"files_upload_v2": ["files.getUploadURLExternal", "files.completeUploadExternal"]}


def test_the_stand_in_answers_every_method_the_bot_calls(client: WebClient) -> None:
    from tests.test_manifest import web_api_methods_used

    for name in web_api_methods_used():
        for method in WRAPPERS.get(name, [name.replace("_", ".", 1)]):
            # Called with no arguments: answered, or refused for them, never as unknown.
            try:
                client.api_call(method, json={})
            except SlackApiError as error:
                assert error.response["error"] != "unknown_method", method
