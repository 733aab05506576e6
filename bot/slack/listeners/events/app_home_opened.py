"""App Home: what the bot does, the syntax, examples, commands and reruns."""

from slack_sdk import WebClient

from bot.render.views import home_view
from bot.slack.observe import listener


@listener("home")
def app_home_opened(event: dict, client: WebClient) -> str:
    if event.get("tab") != "home" or not isinstance(event.get("user"), str):
        return "ignored"
    client.views_publish(user_id=event["user"], view=home_view())
    return "ok"
