from slack_bolt import App

from bot.logs import Kind
from bot.slack.context import LoggedAs
from bot.slack.listeners.functions.run_systems_model import run_systems_model

# The step's callback_id: manifest.yaml's `functions` key for it.
RUN_SYSTEMS_MODEL = "run_systems_model"


def register(app: App) -> None:
    # Bolt acknowledges the event itself; with process_before_response it answers only once the
    # listener has finished, so a failure still reaches Slack as a 5xx and is retried.
    app.function(RUN_SYSTEMS_MODEL, middleware=[LoggedAs(Kind.STEP)])(run_systems_model)
