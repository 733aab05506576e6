"""Rendering: turning a run or an error into text, CSV, JSON or Block Kit."""
