from slack_bolt import App

from bot.slack.listeners.commands.model_command import model_command


def register(app: App) -> None:
    app.command("/model")(model_command)
