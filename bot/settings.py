"""Every setting the bot takes from its environment, read once when an entry point is built and
passed down from there: nothing on the request path reads the environment."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.model.limits import Limits

DEFAULT_SLACK_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_api_url: str = DEFAULT_SLACK_API_URL
    limits: Limits = field(default_factory=Limits)
    max_api_body_bytes: int = 65_536
    # A button click carries the whole clicked message, table and all, so Slack needs more room.
    max_slack_body_bytes: int = 1_048_576
    # One budget for all of a Slack request's work, model runs and Slack calls together: an
    # answer within Slack's 3 s.
    slack_deadline_seconds: float = 2.5
    # The longest one connection may hold a worker thread for a request, from its first byte to
    # its answer: clients that send slowly are cut off rather than starve the instance.
    max_request_seconds: float = 10.0
    log_level: str = "INFO"
    # Names the trace in log lines; Cloud Run does not set it, so cloudbuild.yaml does.
    cloud_project: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the variables in ENVIRONMENT; a malformed or negative number keeps its default."""
        env = os.environ if env is None else env
        settings = cls()
        for variable in ENVIRONMENT:
            raw = env.get(variable.name, "").strip()
            if raw:
                settings = variable.apply(settings, raw)
        return settings


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name and the setting it fills."""

    name: str
    path: tuple[str, ...]  # ("limits", "max_rounds") for a field of Settings.limits
    parse: Callable[[str], Any] = str

    def apply(self, settings: Settings, raw: str) -> Settings:
        try:
            value = self.parse(raw)
        except ValueError:
            return settings
        if isinstance(value, int | float) and not value >= 0:  # NaN too
            return settings
        return _replaced(settings, self.path, value)

    def default(self) -> Any:
        value: Any = Settings()
        for name in self.path:
            value = getattr(value, name)
        return value


def _replaced(obj: Any, path: tuple[str, ...], value: Any) -> Any:
    head, *rest = path
    return replace(
        obj, **{head: _replaced(getattr(obj, head), tuple(rest), value) if rest else value}
    )


def _positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(raw: str) -> Any:
        value = kind(raw)
        if value <= 0:
            raise ValueError(raw)
        return value

    return parse


ENVIRONMENT: tuple[Variable, ...] = (
    Variable("SLACK_BOT_TOKEN", ("slack_bot_token",)),
    Variable("SLACK_SIGNING_SECRET", ("slack_signing_secret",)),
    Variable("SLACK_API_URL", ("slack_api_url",)),
    Variable("SYSBOT_MAX_ROUNDS", ("limits", "max_rounds"), int),
    Variable("SYSBOT_DEFAULT_ROUNDS", ("limits", "default_rounds"), int),
    Variable("SYSBOT_MAX_DEFINITION_CHARS", ("limits", "max_definition_chars"), int),
    Variable("SYSBOT_TIME_BUDGET_SECONDS", ("limits", "time_budget_seconds"), float),
    Variable("SYSBOT_MAX_STOCKS", ("limits", "max_stocks"), int),
    Variable("SYSBOT_MAX_NESTING", ("limits", "max_nesting"), int),
    Variable("SYSBOT_MAX_BODY_BYTES", ("max_api_body_bytes",), _positive(int)),
    Variable("SYSBOT_MAX_SLACK_BODY_BYTES", ("max_slack_body_bytes",), _positive(int)),
    Variable("SYSBOT_SLACK_DEADLINE_SECONDS", ("slack_deadline_seconds",), _positive(float)),
    Variable("SYSBOT_MAX_REQUEST_SECONDS", ("max_request_seconds",), _positive(float)),
    Variable("LOG_LEVEL", ("log_level",), lambda raw: raw.upper()),
    Variable("GOOGLE_CLOUD_PROJECT", ("cloud_project",)),
)
