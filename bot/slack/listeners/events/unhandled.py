"""Events the bot subscribes to but does not act on still get a 2xx, so Slack won't retry."""

from bot.slack.observe import listener


@listener("event")
def unhandled_event() -> str:
    return "ignored"
