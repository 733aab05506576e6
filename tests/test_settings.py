"""Settings: every variable the bot reads, read once, and the README's table agreeing with them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.model import Limits, ModelError, run_definition
from bot.settings import ENVIRONMENT, Settings

README = Path(__file__).resolve().parents[1] / "README.md"
MODEL = "[a] > b @ 5\nb > c @ Leak(0.5)"

LIMITS = {
    "SYSBOT_MAX_ROUNDS": ("max_rounds", "50", 50),
    "SYSBOT_DEFAULT_ROUNDS": ("default_rounds", "3", 3),
    "SYSBOT_MAX_DEFINITION_CHARS": ("max_definition_chars", "100", 100),
    "SYSBOT_TIME_BUDGET_SECONDS": ("time_budget_seconds", "0.25", 0.25),
    "SYSBOT_MAX_STOCKS": ("max_stocks", "7", 7),
    "SYSBOT_MAX_NESTING": ("max_nesting", "4", 4),
}
NUMBERS = [v.name for v in ENVIRONMENT if isinstance(v.default(), int | float)]


@pytest.mark.parametrize("variable", LIMITS)
def test_each_variable_sets_its_limit(variable):
    field, text, value = LIMITS[variable]
    assert getattr(Settings.from_env({variable: text}).limits, field) == value
    assert getattr(Settings.from_env({}).limits, field) == getattr(Limits(), field)


@pytest.mark.parametrize("variable", NUMBERS)
@pytest.mark.parametrize("bad", ["", "lots", "-1", "1e", "nan"])
def test_a_malformed_number_keeps_the_default(variable, bad):
    assert Settings.from_env({variable: bad}) == Settings()


@pytest.mark.parametrize("variable", ["SYSBOT_MAX_BODY_BYTES", "SYSBOT_MAX_SLACK_BODY_BYTES"])
def test_a_body_limit_of_zero_keeps_the_default(variable):
    assert Settings.from_env({variable: "0"}) == Settings()


def test_from_env_reads_the_process_environment(monkeypatch):
    for variable, (_, text, _) in LIMITS.items():
        monkeypatch.setenv(variable, text)
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    settings = Settings.from_env()
    assert settings.limits == Limits(50, 3, 100, 0.25, 7, 4)
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


def test_limits_from_the_environment_reach_a_run():
    limits = Settings.from_env(
        {
            "SYSBOT_DEFAULT_ROUNDS": "3",
            "SYSBOT_MAX_ROUNDS": "5",
            "SYSBOT_MAX_DEFINITION_CHARS": "30",
        }
    ).limits
    assert len(run_definition(MODEL, limits=limits).rows) == 4
    with pytest.raises(ModelError, match="0 to 5"):
        run_definition(MODEL, 6, limits=limits)
    with pytest.raises(ModelError, match="limit is 30"):
        run_definition(MODEL + "\n" + "#" * 30, 1, limits=limits)


def _readme_table() -> dict[str, str]:
    """Variable name -> its Default cell, from the README's configuration table."""
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1]
    rows = re.findall(r"^\| `([A-Z_]+)` \| ([^|]*) \|", section, re.MULTILINE)
    return {name: default.strip() for name, default in rows}


def test_the_readme_documents_every_variable_the_settings_read():
    documented = _readme_table()
    assert [v.name for v in ENVIRONMENT if v.name not in documented] == []


@pytest.mark.parametrize("variable", ENVIRONMENT, ids=lambda v: v.name)
def test_the_readme_gives_each_default(variable):
    default = variable.default()
    if default in ("", None):
        return  # tokens, secrets and the project have no default
    shown = _readme_table()[variable.name]
    assert f"[{default}]" in shown.replace(",", "")
