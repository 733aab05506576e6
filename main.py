"""Cloud Functions entry points. Only wiring lives here; see bot/ for the work."""

import functions_framework

from bot.long_lived import kept_for_good

with kept_for_good():
    from bot.entrypoints import Entrypoints
    from bot.settings import Settings

    ENTRYPOINTS = Entrypoints(Settings.from_env())


@functions_framework.http
def slack_events(request):
    """Slack Events API, slash commands and interactivity (one public URL)."""
    return ENTRYPOINTS.slack(request)


@functions_framework.http
def run_model(request):
    """JSON HTTP API: POST {"definition": ..., "rounds": ...}."""
    return ENTRYPOINTS.api(request)
