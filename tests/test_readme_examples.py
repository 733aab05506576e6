"""The examples in the README and docs/what-if.md run as shown: each `console` block's commands
print the output under them, and each `json request` body sent to the API answers the
`json answer` after it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.in_process import function_client
from tests.test_cli import sysbot

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", ROOT / "docs" / "what-if.md"]
FENCED = re.compile(r"^```(?P<tag>[a-z]+(?: [a-z]+)?)\n(?P<body>.*?)^```$", re.M | re.S)


def _blocks(tag: str) -> list[str]:
    return [
        match["body"]
        for document in DOCUMENTS
        for match in FENCED.finditer(document.read_text(encoding="utf-8"))
        if match["tag"] == tag
    ]


def _steps(console: str) -> list[tuple[list[str], str]]:
    """Each `$ command` and the output printed under it."""
    steps: list[tuple[list[str], str]] = []
    for line in console.splitlines(keepends=True):
        if line.startswith("$ "):
            steps.append((shlex.split(line[2:]), ""))
        else:
            command, output = steps[-1]
            steps[-1] = (command, output + line)
    return steps


@pytest.mark.parametrize("console", _blocks("console"))
def test_the_terminal_examples_print_what_the_readme_shows(console, tmp_path):
    for command, output in _steps(console):
        if command[0] == "cat":  # the file the commands read
            (tmp_path / command[1]).write_text(output, encoding="utf-8")
            continue
        assert command[0] == "sysbot"
        done = sysbot(*command[1:], cwd=tmp_path)
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout == output


def test_every_json_request_has_its_answer():
    assert len(_blocks("json request")) == len(_blocks("json answer")) >= 2
    assert len(_blocks("console")) >= 1


@pytest.mark.parametrize(
    ("request_body", "answer"),
    list(zip(_blocks("json request"), _blocks("json answer"), strict=True)),
)
def test_the_api_examples_answer_what_the_readme_shows(request_body, answer):
    with function_client("run_model") as client:
        response = client.post("/", json=json.loads(request_body))
    assert response.status_code == 200
    assert response.json == json.loads(answer)


def test_the_readme_stays_short():
    """The README is the front door; the deploy guide, what-if details and benchmark reports
    live in docs/ and bench/README.md."""
    assert len((ROOT / "README.md").read_bytes()) <= 15_000
