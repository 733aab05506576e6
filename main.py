"""Cloud Functions entry points. Only wiring lives here; see bot/ for the work."""

import functions_framework

from bot.entrypoints import handle_api_request, handle_slack_request


@functions_framework.http
def slack_events(request):
    """Slack Events API, slash commands and interactivity (one public URL)."""
    return handle_slack_request(request)


@functions_framework.http
def run_model(request):
    """JSON HTTP API: POST {"definition": ..., "rounds": ...}."""
    return handle_api_request(request)
