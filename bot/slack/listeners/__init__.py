"""Registers every listener, grouped by kind as in Slack's Bolt templates."""

from slack_bolt import App

from bot.slack.listeners import (
    actions,
    commands,
    events,
    functions,
    messages,
    shortcuts,
    views,
)


def register_listeners(app: App) -> None:
    commands.register(app)
    actions.register(app)
    views.register(app)
    shortcuts.register(app)
    functions.register(app)
    messages.register(app)
    events.register(app)  # last: it ends with a catch-all for message subtypes nobody handles
