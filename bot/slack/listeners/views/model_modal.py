"""The editor's submission: errors stay in the form; a good model is run and posted (opened from
a sweep's or a seek's result, the sweep or seek is run again with the edited model)."""

from __future__ import annotations

import json

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.chat.rerun import Rerun
from bot.logs import Outcome
from bot.model import ModelError, RunResult, run_definition
from bot.render.text import error_text
from bot.render.views import CONVERSATION_BLOCK, DEFINITION_BLOCK, INPUT_ACTION, ROUNDS_BLOCK
from bot.slack.answering.answer import (
    ErrorAnswer,
    ModelRun,
    ResultAnswer,
    RunAnswer,
    changes_since,
)
from bot.slack.answering.reply import Reply, is_not_a_member, post_in_channel, send_reply
from bot.slack.context import SlackRequest, log_outcome, slack_request
from bot.slack.thread import Thread


def model_modal_submitted(
    ack: Ack, body: dict, view: dict, respond: Respond, context: BoltContext
) -> None:
    log_outcome(context, _run(ack, body, view, respond, slack_request(context)))


def _run(ack: Ack, body: dict, view: dict, respond: Respond, request: SlackRequest) -> Outcome:
    definition, rounds = _form_values(view)
    try:
        result = run_definition(definition, rounds, None, request.run_limits)
    except ModelError as error:
        ack(response_action="errors", errors={DEFINITION_BLOCK: error_text(error)[:1900]})
        return Outcome.MODEL_ERROR
    ack()
    picked = _picked_conversation(view)  # the "New model" editor asks where to post
    place = {"channel": picked} if picked else _place(view)
    heading = f"<@{body['user']['id']}> ran a model from the editor"
    answer = _with_comparison(request, place, result, heading, (definition, rounds))
    user, max_rounds = body["user"]["id"], request.limits.max_rounds
    if picked:  # posted as /model posts, through the picker's response_url where need be
        post_in_channel(request.client, respond, picked, answer, max_rounds)
    else:
        _post(request.client, user, place, answer, max_rounds)
    return Outcome.RERUN if answer.rerun else Outcome.OK


def _form_values(view: dict) -> tuple[str, int | None]:
    values = view.get("state", {}).get("values", {})
    definition = values.get(DEFINITION_BLOCK, {}).get(INPUT_ACTION, {}).get("value") or ""
    rounds = values.get(ROUNDS_BLOCK, {}).get(INPUT_ACTION, {}).get("value")
    return definition, int(rounds) if rounds and rounds.lstrip("-").isdigit() else None


def _place(view: dict) -> dict:
    try:
        place = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        place = {}
    if not isinstance(place, dict):
        return {}
    place = {key: value for key, value in place.items() if isinstance(value, str)}
    return place if place.get("channel") else {}  # a thread or a run means nothing without it


def _picked_conversation(view: dict) -> str | None:
    picker = view.get("state", {}).get("values", {}).get(CONVERSATION_BLOCK, {})
    picked = picker.get(INPUT_ACTION, {}).get("selected_conversation")
    return picked if isinstance(picked, str) and picked else None


def _with_comparison(
    request: SlackRequest,
    place: dict,
    result: RunResult,
    heading: str,
    form: tuple[str, int | None],
) -> ResultAnswer:
    """In a thread, compare with the run whose button opened the editor, else the latest one
    there (a sweep or a seek is run again with the edited model); in a channel, just show the
    run."""
    if not place.get("thread_ts"):
        return RunAnswer(result, heading)
    thread = Thread(request.client, place["channel"], place["thread_ts"], request.bot_id)
    clicked = thread.own_message(place["run_ts"]) if place.get("run_ts") else None
    earlier = clicked if clicked is not None and clicked.rerunnable else thread.run_before()
    if earlier is None:
        return RunAnswer(result, heading)
    if earlier.many is not None:
        rerun = Rerun(form[0], rounds=form[1])
        sweep_or_seek = ModelRun.rerunning(earlier, rerun, heading).answer(
            lambda: request.run_limits
        )
        if not isinstance(sweep_or_seek, RunAnswer | ErrorAnswer):
            return sweep_or_seek
    # The new model already ran to validate the form; the earlier one is remembered.
    return RunAnswer(result, heading, changes_since(earlier, result, lambda: request.run_limits))


def _post(client: WebClient, user: str, place: dict, answer: ResultAnswer, max_rounds: int) -> None:
    """Post where the editor was opened; if the bot can't post there, send it to the user."""
    try:
        channel = place.get("channel") or user  # no place: the person who submitted it
        send_reply(client, Reply(answer, channel, thread_ts=place.get("thread_ts")), max_rounds)
    except SlackApiError as error:
        if not is_not_a_member(error):
            raise
        send_reply(client, Reply(answer, user), max_rounds)
