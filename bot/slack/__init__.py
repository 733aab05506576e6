"""The Slack layer: a Bolt app whose listeners call the model and rendering layers."""
