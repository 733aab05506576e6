from slack_bolt import App

from bot.logs import Kind
from bot.render.views import MODAL_CALLBACK
from bot.slack.context import LoggedAs
from bot.slack.listeners.views.model_modal import model_modal_submitted


def register(app: App) -> None:
    app.view(MODAL_CALLBACK, middleware=[LoggedAs(Kind.VIEW)])(model_modal_submitted)
