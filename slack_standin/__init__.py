"""A local stand-in for Slack's Web API, for tests and the local try-it page.

See ``SlackStandIn`` for the API; ``identity`` holds the ids of the simulated team and bot.
"""

from .errors import SlackError
from .identity import APP_ID, BOT_ID, BOT_NAME, BOT_USER_ID, TEAM_ID
from .server import Latency, Traffic
from .slack_standin import SlackStandIn
from .tls import Certificate

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_NAME",
    "BOT_USER_ID",
    "TEAM_ID",
    "Certificate",
    "Latency",
    "SlackError",
    "SlackStandIn",
    "Traffic",
]
