"""`sysbot run` end to end, in a subprocess as a person would run it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.model.oracle import exact_rows, systems_run

ROOT = Path(__file__).resolve().parents[1]
MODEL = "[a] > b @ 5\nb > c @ 4\n"
CLEAN_ENV = {key: value for key, value in os.environ.items() if not key.startswith("SYSBOT_")}


def sysbot(*args: str, stdin: str | None = None, script: bool = False):
    command = [shutil.which("sysbot")] if script else [sys.executable, "-m", "bot.cli"]
    return subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=CLEAN_ENV,
        timeout=60,
    )


@pytest.fixture
def model_file(tmp_path: Path) -> Path:
    path = tmp_path / "model.txt"
    path.write_text(MODEL)
    return path


def test_table_is_aligned(model_file):
    done = sysbot("run", str(model_file), "--rounds", "3")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "   b  c\n0  0  0\n1  5  0\n2  6  4\n3  7  8\n"
    assert done.stderr == ""


def test_csv(model_file):
    done = sysbot("run", str(model_file), "-r", "2", "--format", "csv")
    assert (done.returncode, done.stdout) == (0, "round,b,c\n0,0,0\n1,5,0\n2,6,4\n")


def test_json_rows_equal_systems(model_file):
    done = sysbot("run", str(model_file), "-r", "12", "--format", "json")
    assert done.returncode == 0
    payload = json.loads(done.stdout)
    stocks, rows = systems_run(MODEL, 12)
    assert payload["columns"] == ["round", *stocks]
    assert exact_rows(payload["rows"]) == exact_rows(rows)
    assert (payload["warnings"], payload["truncated"]) == ([], False)


def test_stdin_with_a_dash_and_by_default():
    for args in (["run", "-", "-r", "1"], ["run", "-r", "1"]):
        done = sysbot(*args, stdin="[a] > b @ 5\n")
        assert (done.returncode, done.stdout) == (0, "   b\n0  0\n1  5\n")


def test_default_rounds_are_ten():
    done = sysbot("run", "-", "--format", "csv", stdin=MODEL)
    assert done.stdout.strip().split("\n")[-1].startswith("10,")


def test_model_error_exits_1_with_line_caret_and_hint_on_stderr():
    text = "[Hiring] > PhoneScreens @ 2\nPhoneScreens > Onsites @ PhoneScren / 2\n"
    done = sysbot("run", "-", stdin=text)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.split("\n")
    column = text.split("\n")[1].index("PhoneScren /") + 1
    assert lines[0] == f"Line 2, column {column}: There is no stock called `PhoneScren`."
    assert lines[1] == "   2 | PhoneScreens > Onsites @ PhoneScren / 2"
    assert lines[2] == "     | " + " " * (column - 1) + "^"
    assert lines[3] == "Hint: Did you mean `PhoneScreens`?"


def test_model_error_as_json_on_stdout():
    done = sysbot("run", "-", "--format", "json", stdin="Phone-Screens > b @ 1\n")
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert (error["line"], error["column"]) == (1, 6)
    assert "`-`" in error["message"] and error["hint"]


def test_warnings_go_to_stderr():
    done = sysbot("run", "-", "-r", "1", stdin="a(5) > b @ 1 # note\n")
    assert done.returncode == 0
    assert done.stdout == "   a  b\n0  5  0\n1  4  1\n"
    assert done.stderr.startswith("warning: Line 1: the comment after the flow was ignored")


def test_set_overrides_an_initial_value():
    done = sysbot("run", "-", "-r", "1", "--set", "a=2", stdin="a(5) > b @ 1\n")
    assert (done.returncode, done.stdout) == (0, "   a  b\n0  2  0\n1  1  1\n")


@pytest.mark.parametrize(
    "args",
    [
        ["run", "no-such-file.txt"],
        ["run", "-", "-r", "x"],
        ["run", "-", "-r", "5000"],
        ["run", "-", "-r", "-1"],
        ["run", "-", "--format", "xml"],
        ["run", "-", "--set", "a"],
        [],
    ],
    ids=[
        "missing file",
        "rounds not a number",
        "too many rounds",
        "negative",
        "format",
        "set",
        "no command",
    ],
)
def test_usage_errors_exit_2(args):
    done = sysbot(*args, stdin=MODEL)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr


def test_the_installed_console_script(model_file):
    assert shutil.which("sysbot"), "pip install -e . puts `sysbot` on PATH"
    done = sysbot("run", str(model_file), "-r", "3", script=True)
    assert (done.returncode, done.stdout) == (0, "   b  c\n0  0  0\n1  5  0\n2  6  4\n3  7  8\n")


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`sysbot run model.txt | head -3`: the reader leaves early, as readers of pipes do."""
    wide = "\n".join(f"[Source{i}] > Stock{i} @ {i}" for i in range(40))  # ~300 KB of table
    path = tmp_path / "wide.txt"
    path.write_text(wide)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", str(path), "-r", "1000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=CLEAN_ENV,
    )  # fmt: skip
    process.stdout.readline()
    process.stdout.close()  # far more than a pipe's buffer is still unwritten
    assert process.stderr.read() == b""
    assert process.wait(timeout=60) == 0


def test_a_missing_file_is_named_plainly():
    done = sysbot("run", "nosuch.txt")
    assert done.returncode == 2
    assert done.stderr == "sysbot: cannot read nosuch.txt: No such file or directory\n"


@pytest.mark.parametrize("output", ["csv", "json"])
def test_warnings_go_to_stderr_in_every_format(output):
    done = sysbot("run", "-", "-r", "1", "--format", output, stdin="a(5) > b @ 1 # note\n")
    assert done.returncode == 0
    assert "warning" not in done.stdout or output == "json"  # JSON also carries them as data
    assert done.stderr.startswith("warning: Line 1: the comment after the flow was ignored")


def test_every_run_option_has_help_and_there_is_an_example():
    done = sysbot("run", "--help")
    assert done.returncode == 0
    described = {"--rounds": "rounds to run", "--format": "for spreadsheets", "--set": "value"}
    for option, words in described.items():
        assert option in done.stdout and words in done.stdout, option
    assert "examples:" in done.stdout
    assert "sysbot run funnel.txt" in done.stdout
