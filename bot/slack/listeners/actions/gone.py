"""What a button says when the run behind it can no longer be found."""

from slack_bolt import Respond

RUN_GONE = (
    "I can't find the model behind this result any more (it may be too long to keep in the "
    "message), so post it again with `/model`."
)


def say_run_is_gone(respond: Respond) -> str:
    respond(text=RUN_GONE, response_type="ephemeral", replace_original=False)
    return "run_not_found"
