"""The editor's submission: errors stay in the form; a good model is run and posted."""

from __future__ import annotations

import json

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.model import ModelError, run_definition
from bot.render.text import error_text
from bot.render.views import DEFINITION_BLOCK, INPUT_ACTION, ROUNDS_BLOCK
from bot.slack.answers import Answer, changes_since
from bot.slack.observe import listener
from bot.slack.replies import is_not_a_member, post_answer
from bot.slack.thread import bot_runs, previous_run, read_thread


@listener("view")
def model_modal_submitted(ack: Ack, body: dict, view: dict, client: WebClient, context) -> str:
    definition, rounds = _form_values(view)
    limits = context["settings"].limits
    try:
        result = run_definition(definition, rounds, None, limits)
    except ModelError as error:
        ack(response_action="errors", errors={DEFINITION_BLOCK: error_text(error)[:1900]})
        return "model_error"
    ack()
    place = _place(view)
    heading = f"<@{body['user']['id']}> ran a model from the editor"
    answer = _with_comparison(client, context.bot_id, place, result, limits, heading)
    _post(client, body["user"]["id"], place, answer, limits.max_rounds)
    return "rerun" if answer.kind == "rerun" else "ok"


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


def _with_comparison(client, bot_id, place, result, limits, heading) -> Answer:
    """In a thread, compare with the latest run there; in a channel, just show the run."""
    fresh = Answer("run", result.definition, result.rounds, result=result, heading=heading)
    if not place.get("thread_ts"):
        return fresh
    runs = bot_runs(read_thread(client, place["channel"], place["thread_ts"]), bot_id)
    clicked = [run for run in runs if run.ts == place.get("run_ts") and run.rerunnable]
    previous = clicked[-1] if clicked else previous_run(runs)
    if previous is None:
        return fresh
    # The new model already ran to validate the form; only the earlier run is worked out again.
    changes = changes_since(previous, result, limits)
    return Answer(
        "rerun", result.definition, result.rounds, result=result, heading=heading, changes=changes
    )


def _post(client: WebClient, user: str, place: dict, answer: Answer, max_rounds: int) -> None:
    """Post where the editor was opened; if the bot can't post there, send it to the user."""
    try:
        channel = place.get("channel") or user  # no place: the person who submitted it
        post_answer(client, channel, answer, max_rounds, thread_ts=place.get("thread_ts"))
    except SlackApiError as error:
        if not is_not_a_member(error):
            raise
        post_answer(client, user, answer, max_rounds)
