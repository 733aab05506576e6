from slack_bolt import App

from bot.logs import Kind
from bot.slack.context import LoggedAs
from bot.slack.listeners.commands.model_command import model_command


def register(app: App) -> None:
    app.command("/model", middleware=[LoggedAs(Kind.COMMAND)])(model_command)
