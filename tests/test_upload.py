"""The Cloud Functions upload holds what the functions run and none of the local tools: the Slack
stand-in and the local workspace page live beside bot/, are never imported by what main.py
loads, and .gcloudignore leaves them out."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tests.test_cloudbuild import _gcloudignore, _ignored

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("slack_standin", "local_workspace")

# A fresh interpreter, as a cold start is: main.py, then every module of bot/, including those
# main.py loads only on a first request (the Slack app and its listeners).
LOAD_EVERYTHING_MAIN_CAN_REACH = """
import importlib, json, pkgutil, sys
import main, bot
for module in pkgutil.walk_packages(bot.__path__, "bot."):
    importlib.import_module(module.name)
print(json.dumps(sorted(sys.modules)))
"""


def test_main_and_all_of_bot_load_no_module_of_the_tools():
    done = subprocess.run(
        [sys.executable, "-c", LOAD_EVERYTHING_MAIN_CAN_REACH],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert "bot.slack.app" in loaded  # the walk reached the lazily loaded Slack app
    assert [name for name in loaded if name.split(".")[0] in TOOLS] == []


def test_only_the_cli_imports_the_tools_and_only_inside_a_function():
    imports = {
        path.relative_to(ROOT).as_posix(): _tool_imports(path)
        for path in [ROOT / "main.py", *sorted((ROOT / "bot").rglob("*.py"))]
    }
    assert {path: found for path, found in imports.items() if found} == {
        "bot/cli.py": [("_serve", "local_workspace.server")]
    }


def test_gcloudignore_leaves_every_file_of_the_tools_out_of_the_upload():
    files = [path for tool in TOOLS for path in (ROOT / tool).rglob("*") if path.is_file()]
    assert {path.relative_to(ROOT).parts[0] for path in files} == set(TOOLS)
    uploaded = [
        path.relative_to(ROOT).as_posix()
        for path in files
        if not _ignored(_gcloudignore(), path.relative_to(ROOT).as_posix())
    ]
    assert uploaded == []


def _tool_imports(path: Path) -> list[tuple[str, str]]:
    """(the top-level function it sits in, or "" at module level; the module) for each import
    of a tool in the file."""
    found = []
    for statement in ast.parse(path.read_text(encoding="utf-8")).body:
        scope = statement.name if isinstance(statement, ast.FunctionDef) else ""
        for node in ast.walk(statement):
            found += [(scope, name) for name in _imported(node) if name.split(".")[0] in TOOLS]
    return found


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    return []
