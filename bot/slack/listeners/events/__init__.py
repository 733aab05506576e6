from slack_bolt import App

from bot.slack.listeners.events.app_home_opened import app_home_opened
from bot.slack.listeners.events.app_mention import app_mention
from bot.slack.listeners.events.message_changed import message_changed
from bot.slack.listeners.events.unhandled import unhandled_event


def register(app: App) -> None:
    app.event("app_mention")(app_mention)
    app.event("app_home_opened")(app_home_opened)
    app.event({"type": "message", "subtype": "message_changed"})(message_changed)
    # Bolt answers 404 to events no listener takes, and Slack retries those three times.
    app.event("message")(unhandled_event)
