"""App Home: what the bot does, the syntax, examples, commands and reruns."""

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.logs import Outcome
from bot.render.views import home_view
from bot.slack.context import log_outcome


def app_home_opened(event: dict, client: WebClient, context: BoltContext) -> None:
    if event.get("tab") != "home" or not isinstance(event.get("user"), str):
        log_outcome(context, Outcome.IGNORED)
    else:
        client.views_publish(user_id=event["user"], view=home_view())
        log_outcome(context, Outcome.OK)
