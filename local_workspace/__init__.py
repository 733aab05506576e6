"""Running the bot locally, with no Slack workspace and no cloud project."""
