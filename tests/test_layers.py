"""Dependencies point one way: the model layer knows no chat, Slack, rendering, API or CLI, and
only its adapter knows how `systems` works inside."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
ADAPTER = BOT / "model" / "systems_adapter.py"
# The entities Slack escapes `<`, `>` and `&` into; its markup (<@U1>, <!here>, <#C1|general>)
# written out; and the character class a pattern matching that markup needs.
SLACK_MARKUP = re.compile(r"&(?:gt|lt|amp);|<[@#!][A-Za-z]|\[@#!\]")


def _modules(package: str) -> list[Path]:
    return sorted((BOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, absolute."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            found.add(node.module)
    return found


def _outside(imports: set[str], allowed: tuple[str, ...]) -> set[str]:
    return {
        name
        for name in imports
        if name.split(".")[0] not in sys.stdlib_module_names
        and not any(name == prefix or name.startswith(prefix + ".") for prefix in allowed)
    }


@pytest.mark.parametrize("path", _modules("model"), ids=lambda path: path.name)
def test_the_model_layer_imports_only_itself_and_the_standard_library(path):
    allowed = ("bot.model", "systems") if path == ADAPTER else ("bot.model",)
    assert _outside(_imports(path), allowed) == set()


@pytest.mark.parametrize("path", _modules("model"), ids=lambda path: path.name)
def test_the_model_layer_handles_no_slack_markup(path):
    assert SLACK_MARKUP.findall(path.read_text(encoding="utf-8")) == []
    assert "html" not in _imports(path)


@pytest.mark.parametrize("path", _modules("chat"), ids=lambda path: path.name)
def test_chat_reading_imports_only_the_model_layer(path):
    assert _outside(_imports(path), ("bot.chat", "bot.model")) == set()


def test_only_the_adapter_imports_systems():
    importers = [
        path.relative_to(BOT.parent).as_posix()
        for path in sorted(BOT.rglob("*.py"))
        if any(name.split(".")[0] == "systems" for name in _imports(path))
    ]
    assert importers == ["bot/model/systems_adapter.py"]


def test_the_checks_see_what_they_look_for():
    assert "systems" in _imports(ADAPTER)
    assert _outside({"bot.slack.app", "bot.render", "re"}, ("bot.model",)) == {
        "bot.slack.app",
        "bot.render",
    }
    normalize = BOT / "chat" / "normalize.py"
    assert "html" in _imports(normalize)
    assert {"&lt;", "&gt;", "[@#!]"} <= set(SLACK_MARKUP.findall(normalize.read_text()))
    assert SLACK_MARKUP.findall("<@U1> <!here> <#C1|general>") == ["<@U", "<!h", "<#C"]
