from slack_bolt import App

from bot.logs import Kind
from bot.slack.context import LoggedAs
from bot.slack.listeners.events.app_home_opened import app_home_opened
from bot.slack.listeners.events.app_mention import app_mention
from bot.slack.listeners.events.message_changed import message_changed
from bot.slack.listeners.events.unhandled import unhandled_event


def register(app: App) -> None:
    app.event("app_mention", middleware=[LoggedAs(Kind.MENTION)])(app_mention)
    app.event("app_home_opened", middleware=[LoggedAs(Kind.HOME)])(app_home_opened)
    edited = {"type": "message", "subtype": "message_changed"}
    app.event(edited, middleware=[LoggedAs(Kind.EDIT)])(message_changed)
    # Bolt answers 404 to events no listener takes, and Slack retries those three times.
    app.event("message", middleware=[LoggedAs(Kind.EVENT)])(unhandled_event)
