"""sysbot: run `systems` stock-and-flow models from Slack, a terminal or a JSON API."""
