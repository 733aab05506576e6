from slack_bolt import App

from bot.logs import Kind
from bot.render.blocks import ACTION_CSV, ACTION_EDIT, ACTION_MORE_ROUNDS
from bot.render.views import ACTION_OPEN_EDITOR
from bot.slack.context import LoggedAs
from bot.slack.listeners.actions.download_csv import download_csv
from bot.slack.listeners.actions.edit_and_rerun import edit_and_rerun
from bot.slack.listeners.actions.more_rounds import more_rounds
from bot.slack.listeners.actions.open_editor import open_editor


def register(app: App) -> None:
    logged = [LoggedAs(Kind.ACTION)]
    app.action(ACTION_MORE_ROUNDS, middleware=logged)(more_rounds)
    app.action(ACTION_EDIT, middleware=logged)(edit_and_rerun)
    app.action(ACTION_CSV, middleware=logged)(download_csv)
    app.action(ACTION_OPEN_EDITOR, middleware=logged)(open_editor)
