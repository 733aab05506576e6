"""The Workflow Builder step "Run a systems model": a signed `function_executed` event, in
Slack's format, completes the execution with the run's outputs (checked by the stand-in against
the manifest's output_parameters), posts the result when a channel is given, and fails the step
with the model's error; under retries, one post and one completion."""

from __future__ import annotations

import pytest

from bot.slack.answering.workflow_step import HEADING, NOT_A_MEMBER
from bot.slack.listeners.functions import RUN_SYSTEMS_MODEL
from bot.slack.stored import stored_run
from slack_standin import BOT_ID
from slack_standin.identity import TEAM_DOMAIN
from tests.servers import FunctionServer
from tests.slack.conftest import bot_env
from tests.slack.expect import block_texts, systems_table, table

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
TYPO = "PhoneScreens(5)\nPhoneScreens > Onsites @ Leek(0.1)"


def _run(slack, inputs: dict, **kwargs) -> tuple[dict, object]:
    event = slack.function_executed(RUN_SYSTEMS_MODEL, inputs)
    return event, slack.event(event, **kwargs)


def _execution(slack, event: dict) -> dict:
    return next(
        e
        for e in slack.standin.executions
        if e["function_execution_id"] == event["function_execution_id"]
    )


def _final_values(definition: str, rounds: int) -> str:
    header, *_, last = systems_table(definition, rounds)
    return "\n".join(f"{name} = {value}" for name, value in zip(header[1:], last[1:], strict=True))


def test_the_step_completes_with_a_summary_and_each_stocks_final_value(slack):
    event, response = _run(slack, {"model": FUNNEL, "rounds": 6})

    assert response.status_code == 200
    execution = _execution(slack, event)
    assert execution["state"] == "completed"
    outputs = execution["outputs"]
    assert set(outputs) == {"summary", "final_values"}  # no channel: nothing posted, no link
    assert outputs["final_values"] == _final_values(FUNNEL, 6)
    assert outputs["summary"].startswith("After 6 rounds: Screens ")
    assert slack.standin.calls_to("chat.postMessage") == []


def test_completion_uses_the_executions_own_token(slack):
    event, _ = _run(slack, {"model": FUNNEL})

    [completed] = slack.standin.calls_to("functions.completeSuccess")
    assert completed["function_execution_id"] == event["function_execution_id"]
    assert slack.standin.refusals == []


def test_options_in_the_model_work_and_the_rounds_input_wins(slack):
    event, _ = _run(slack, {"model": f"rounds=3 Screens=2\n{FUNNEL}", "rounds": 4})

    outputs = _execution(slack, event)["outputs"]
    assert outputs["summary"].startswith("After 4 rounds:")


def test_with_a_channel_the_result_is_posted_there_and_linked(slack):
    event, response = _run(slack, {"model": FUNNEL, "rounds": 5, "channel": "C1"})

    assert response.status_code == 200
    [message] = slack.standin.messages("C1")
    assert table(message) == systems_table(FUNNEL, 5)
    assert HEADING in block_texts(message["blocks"])
    outputs = _execution(slack, event)["outputs"]
    digits = message["ts"].replace(".", "")
    assert outputs["message_link"] == f"https://{TEAM_DOMAIN}.slack.com/archives/C1/p{digits}"
    # Threadable like a /model result: the post remembers the run.
    run = stored_run(message, BOT_ID)
    assert run is not None and run.rerunnable and run.rounds == 5


def test_a_thread_reply_under_the_steps_post_reruns_it(slack):
    _run(slack, {"model": FUNNEL, "rounds": 5, "channel": "C1"})
    [post] = slack.standin.messages("C1")

    reply = slack.user_message("rounds=8", thread_ts=post["ts"])
    slack.event(reply)

    rerun = slack.standin.thread("C1", post["ts"])[-1]
    assert table(rerun) == systems_table(FUNNEL, 8)


def test_a_model_error_fails_the_step_with_line_column_and_hint(slack):
    event, response = _run(slack, {"model": TYPO, "channel": "C1"})

    assert response.status_code == 200
    execution = _execution(slack, event)
    assert execution["state"] == "failed"
    error = execution["error"]
    assert "Line 2, column 26" in error
    assert "`Leek` is not a kind of flow" in error
    assert "Did you mean `Leak`?" in error
    assert "Traceback" not in error
    assert slack.standin.messages("C1") == []


@pytest.mark.parametrize(
    ("rounds", "said"),
    [(2.5, "whole number"), (5000, "outside the limit"), (-1, "outside the limit")],
)
def test_bad_rounds_fail_the_step(slack, rounds, said):
    event, _ = _run(slack, {"model": FUNNEL, "rounds": rounds})

    execution = _execution(slack, event)
    assert execution["state"] == "failed" and said in execution["error"]


def test_an_empty_model_fails_the_step(slack):
    event, _ = _run(slack, {"model": ""})

    execution = _execution(slack, event)
    assert execution["state"] == "failed" and "empty" in execution["error"]


def test_a_channel_the_bot_is_not_in_fails_the_step_saying_how_to_invite_it(slack):
    event, response = _run(slack, {"model": FUNNEL, "channel": "C2"})

    assert response.status_code == 200
    execution = _execution(slack, event)
    assert (execution["state"], execution["error"]) == ("failed", NOT_A_MEMBER)


# -- retries -----------------------------------------------------------------------------------


def test_a_retry_after_the_step_completed_posts_nothing_more(slack):
    event, first = _run(slack, {"model": FUNNEL, "channel": "C1"}, event_id="EvSTEP1")
    retried = slack.event(event, event_id="EvSTEP1", retry=1)

    assert first.status_code == retried.status_code == 200
    assert len(slack.standin.messages("C1")) == 1
    assert len(slack.standin.calls_to("chat.postMessage")) == 1
    assert len(slack.standin.calls_to("functions.completeSuccess")) == 1


def test_a_retry_on_another_instance_posts_nothing_more_and_completes_once(slack, standin):
    event = slack.function_executed(RUN_SYSTEMS_MODEL, {"model": FUNNEL, "channel": "C1"})
    with FunctionServer("slack_events", bot_env(standin)) as other:
        slack.event(event, event_id="EvSTEP2")
        retried = slack.event(event, event_id="EvSTEP2", retry=1, url=other.url)

    assert retried.status_code == 200
    assert len(slack.standin.messages("C1")) == 1
    assert len(slack.standin.calls_to("chat.postMessage")) == 1
    # The retry found the post, and Slack refused its second completion: one completion.
    assert _execution(slack, event)["state"] == "completed"
    refused = [r for r in slack.standin.refusals if r[0] == "functions.completeSuccess"]
    assert refused == [("functions.completeSuccess", "function_execution_not_found")]


def test_a_first_delivery_that_failed_after_posting_is_completed_by_its_retry(slack):
    event = slack.function_executed(RUN_SYSTEMS_MODEL, {"model": FUNNEL, "channel": "C1"})
    slack.standin.fail_next("functions.completeSuccess", status=500, times=3)

    first = slack.event(event, event_id="EvSTEP3")
    retried = slack.event(event, event_id="EvSTEP3", retry=1)

    assert first.status_code == 500 and "Traceback" not in first.text
    assert retried.status_code == 200
    [message] = slack.standin.messages("C1")  # the retry found the first delivery's post
    outputs = _execution(slack, event)["outputs"]
    assert outputs["message_link"].endswith(message["ts"].replace(".", ""))


def test_a_retry_of_a_failed_step_fails_it_once(slack):
    event, _ = _run(slack, {"model": TYPO}, event_id="EvSTEP4")
    slack.event(event, event_id="EvSTEP4", retry=1)

    assert len(slack.standin.calls_to("functions.completeError")) == 1


def test_a_sweep_fails_the_step_saying_it_runs_one_model(slack):
    event, _ = _run(slack, {"model": f"Screens=1..3\n{FUNNEL}", "channel": "C1"})

    execution = _execution(slack, event)
    assert execution["state"] == "failed"
    assert "one model at a time" in execution["error"] and "/model" in execution["error"]
    assert slack.standin.messages("C1") == []
