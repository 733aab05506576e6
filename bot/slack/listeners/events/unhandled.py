"""Events the bot subscribes to but does not act on still get a 2xx, so Slack won't retry."""

from slack_bolt import BoltContext

from bot.logs import Outcome
from bot.slack.context import log_outcome


def unhandled_event(context: BoltContext) -> None:
    log_outcome(context, Outcome.IGNORED)
