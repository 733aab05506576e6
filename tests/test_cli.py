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
from tests.model.scenario_oracle import FUNNEL as WHAT_IF_FUNNEL
from tests.model.scenario_oracle import edited

ROOT = Path(__file__).resolve().parents[1]
MODEL = "[a] > b @ 5\nb > c @ 4\n"
CLEAN_ENV = {key: value for key, value in os.environ.items() if not key.startswith("SYSBOT_")}


def sysbot(*args: str, stdin: str | None = None, script: bool = False, cwd: Path = ROOT):
    command = [shutil.which("sysbot")] if script else [sys.executable, "-m", "bot.cli"]
    return subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**CLEAN_ENV, "PYTHONPATH": str(ROOT)},  # the repo's bot from any directory
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
    described = {
        "--rounds": "rounds to run",
        "--format": "for spreadsheets",
        "--set": "one scenario for each",
        "--find": "a goal starts to hold",
    }
    text = " ".join(done.stdout.split())  # as argparse wraps it to the terminal
    for option, words in described.items():
        assert option in text and words in text, option
    assert "examples:" in done.stdout
    assert "sysbot run funnel.txt" in done.stdout
    assert "--set Recruiters=1..5" in done.stdout and '--find "Recruiters: ' in done.stdout


# --- sweeps and seeks (tests/test_readme_examples.py runs the README's tables) -----------------

FUNNEL = WHAT_IF_FUNNEL + "\n"  # as a file holds it


def test_a_sweep_as_csv_has_a_scenario_column():
    done = sysbot("run", "-", "-r", "1", "--set", "Recruiters=1,4", "--format", "csv", stdin=FUNNEL)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "scenario,round,Recruiters,Screens,Onsites,Hires\n"
        "Recruiters=1,0,1,0,0,0\nRecruiters=1,1,1,5,0,0\n"
        "Recruiters=4,0,4,0,0,0\nRecruiters=4,1,4,20,0,0\n"
    )


def test_a_sweep_as_json_equals_systems_for_every_scenario():
    done = sysbot("run", "-", "-r", "9", "--set", "Recruiters=0.5..1.5 step 0.5", "--format",
                  "json", "--set", "Screens=3", stdin=FUNNEL)  # fmt: skip
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert [scenario["value"] for scenario in payload["scenarios"]] == [0.5, 1.0, 1.5]
    for scenario in payload["scenarios"]:
        text = edited(FUNNEL + "Screens(3)", "Recruiters", scenario["value"])
        stocks, rows = systems_run(text, 9)
        assert exact_rows(scenario["rows"]) == exact_rows(rows)


def test_a_failing_scenario_is_named_on_stderr():
    done = sysbot("run", "-", "-r", "1", "--set", "R=0,2", stdin="[C] > S @ 10 / R\nR(1)\n")
    assert done.returncode == 0
    assert "R=2\n" in done.stdout and "R=0\n" not in done.stdout
    assert done.stderr.startswith("R=0 failed: Line 1, column 11: Division by zero in round 1.")


def test_a_sweep_where_every_scenario_fails_exits_1():
    text = "[C] > S @ R / Z\nZ(0)\nR(1)\n"
    done = sysbot("run", "-", "-r", "1", "--set", "R=1,2", stdin=text)
    assert done.returncode == 1
    assert done.stderr.count(" failed: ") == 2


def test_warnings_every_scenario_has_are_printed_once():
    done = sysbot("run", "-", "-r", "1", "--set", "a=1,2", stdin="a(5) > b @ 1 # note\n")
    assert done.returncode == 0
    assert done.stderr.count("the comment after the flow was ignored") == 1


def test_a_seek_as_csv_is_the_run_at_the_value_found():
    done = sysbot("run", "-", "--find", "Recruiters: Hires >= 10 at round 4", "--format", "csv",
                  stdin=FUNNEL)  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.split("\n")[:2] == ["round,Recruiters,Screens,Onsites,Hires", "0,4,0,0,0"]


def test_a_seek_as_json():
    done = sysbot("run", "-", "-r", "6", "--find", "Recruiters in 0..10: Hires >= 10",
                  "--format", "json", stdin=FUNNEL)  # fmt: skip
    payload = json.loads(done.stdout)
    assert (payload["seek"]["value"], payload["seek"]["failing_value"]) == (3, 2)
    assert len(payload["rows"]) == 7


def test_a_goal_that_cant_be_met_exits_1_with_the_values_tried():
    done = sysbot("run", "-", "--find", "Recruiters in 0..3: Hires >= 500 at round 20",
                  stdin=FUNNEL)  # fmt: skip
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "`Hires >= 500` at round 20 holds for no value of `Recruiters` tried from 0 to 3.\n"
        "Hint: Search a wider range, or check that `Hires` depends on it.\n"
        "Values tried:\n"
        "Recruiters  Hires at round 20  goal\n"
        "0           0                  fails\n"
        "1           18                 fails\n"
        "2           36                 fails\n"
        "3           54                 fails\n"
    )


def test_a_goal_that_cant_be_met_as_json_is_on_stdout():
    done = sysbot("run", "-", "--find", "Recruiters in 0..3: Hires >= 500", "--format", "json",
                  stdin=FUNNEL)  # fmt: skip
    assert done.returncode == 1
    payload = json.loads(done.stdout)
    assert set(payload) == {"error", "seek"}
    assert payload["seek"]["runs"] == 4


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--set", "Recruiters=1..3", "--set", "Screens=1,2"], "`Recruiters` and `Screens`"),
        (["--set", "Recruiters=1..3", "--find", "Recruiters: Hires > 1"], "can't run together"),
        (["--set", "Recruiters=1..x"], "`x` is not a number"),
        (["--set", "Recruiters=1..20"], "a sweep takes at most 12"),
        (["--find", "Recruiters Hires > 1"], "is not a goal to seek"),
        (["--find", "Recruiters: Hirse > 1"], "no stock called `Hirse`"),
    ],
)
def test_a_sweep_or_seek_that_cant_run_exits_1(args, words):
    done = sysbot("run", "-", *args, stdin=FUNNEL)
    assert (done.returncode, done.stdout) == (1, "")
    assert words in done.stderr
    assert "Hint: " in done.stderr
