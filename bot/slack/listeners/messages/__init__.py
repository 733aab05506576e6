from slack_bolt import App

from bot.logs import Kind
from bot.slack.context import LoggedAs
from bot.slack.listeners.messages.model_message import model_message


def register(app: App) -> None:
    app.message(middleware=[LoggedAs(Kind.MESSAGE)])(model_message)
