"""What a button says when it can't do its work: the run behind it can no longer be found, or
the bot is not a member of the channel (so it can neither read the thread nor post there)."""

import functools
from collections.abc import Callable

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.actions_support import ClickedRun, clicked_run
from bot.slack.replies import is_not_a_member

RUN_GONE = (
    "I can't find the model behind this result any more (it may be too long to keep in the "
    "message), so post it again with `/model`."
)
NOT_A_MEMBER = (
    "I'm not a member of this channel, so I can't read this result's thread or answer in it. "
    "`/invite` me and press the button again."
)


def run_behind_click(
    ack: Ack, body: dict, client: WebClient, respond: Respond
) -> ClickedRun | None:
    """Acknowledge a button and find its run; None once the user is told it can't be found."""
    ack()
    clicked = clicked_run(client, body)
    if clicked.run is None or not clicked.run.rerunnable:
        respond(text=RUN_GONE, response_type="ephemeral", replace_original=False)
        return None
    return clicked


def unless_not_a_member(func: Callable) -> Callable:
    """Tell the user to invite the bot when Slack refuses a call because it isn't a member."""

    @functools.wraps(func)
    def explained(**kwargs):
        try:
            return func(**kwargs)
        except SlackApiError as error:
            if not is_not_a_member(error):
                raise
            kwargs["respond"](text=NOT_A_MEMBER, response_type="ephemeral", replace_original=False)
            return "not_in_channel"

    return explained
