"""What a button says when it can't do its work: the run behind it can no longer be found, or
the bot is not a member of the channel (so it can neither read the thread nor post there)."""

import functools
from collections.abc import Callable

from slack_bolt import Respond
from slack_sdk.errors import SlackApiError

from bot.slack.replies import is_not_a_member

RUN_GONE = (
    "I can't find the model behind this result any more (it may be too long to keep in the "
    "message), so post it again with `/model`."
)
NOT_A_MEMBER = (
    "I'm not a member of this channel, so I can't read this result's thread or answer in it. "
    "`/invite` me and press the button again."
)


def say_run_is_gone(respond: Respond) -> str:
    respond(text=RUN_GONE, response_type="ephemeral", replace_original=False)
    return "run_not_found"


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
