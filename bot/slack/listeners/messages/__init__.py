from slack_bolt import App

from bot.slack.listeners.messages.model_message import model_message


def register(app: App) -> None:
    app.message()(model_message)
