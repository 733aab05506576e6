"""The example models people are shown run cleanly: no warning, so none teaches a mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.chat.reader import read_request
from bot.model import run_definition
from bot.render.views import EXAMPLE_HIRING, EXAMPLE_MIGRATION

README = Path(__file__).resolve().parents[2] / "README.md"
# `/model ...` and `@sysbot ...` as the README writes them, inline or on a line of their own
_README_COMMAND = re.compile(r"(?:/model|@sysbot)\b([^`\n]*)")


def _readme_models() -> list[str]:
    requests = [read_request(m.group(1)) for m in _README_COMMAND.finditer(README.read_text())]
    return [request.definition for request in requests if ">" in request.definition]


def test_the_readme_has_examples_to_check():
    assert len(_readme_models()) >= 2


@pytest.mark.parametrize(
    "definition",
    [EXAMPLE_HIRING, EXAMPLE_MIGRATION, *_readme_models()],
    ids=lambda definition: definition.split("\n")[0][:40],
)
def test_an_example_model_runs_without_warnings(definition):
    for rounds in (0, 10, 100):
        assert run_definition(definition, rounds).warnings == []
