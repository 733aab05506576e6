"""Who the stand-in pretends to be: one workspace with one installed bot."""

TEAM_ID = "T0SYSBOT"
TEAM_DOMAIN = "sysbot-standin"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "ASYSBOT"
BOT_NAME = "sysbot"
