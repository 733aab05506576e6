from slack_bolt import App

from bot.logs import Kind
from bot.slack.context import LoggedAs
from bot.slack.listeners.shortcuts.new_model import new_model
from bot.slack.listeners.shortcuts.run_as_model import run_as_model

# The shortcuts' callback_ids, as manifest.yaml's `features.shortcuts` declares them.
RUN_AS_MODEL = "sysbot_run_as_model"
NEW_MODEL = "sysbot_new_model"


def register(app: App) -> None:
    logged = [LoggedAs(Kind.SHORTCUT)]
    app.message_shortcut(RUN_AS_MODEL, middleware=logged)(run_as_model)
    app.global_shortcut(NEW_MODEL, middleware=logged)(new_model)
