"""Sweeps (`Name=1..5`, `Name=0.1..0.5 step 0.1`, `Name=1,2,4,8`) and goals to seek
(`find Name: Target >= 50 at round 20`) read out of chat text, by the model layer's grammar."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.chat.reader import read_request
from bot.chat.rerun import read_rerun
from bot.model import ModelError, Seek, Sweep, ValueRange
from bot.model.scenario_syntax import Goal

MODEL = "Recruiters(2)\n[Candidates] > Screens @ Recruiters * 5"


@pytest.mark.parametrize(
    ("option", "values"),
    [
        ("Recruiters=1..5", (1, 2, 3, 4, 5)),
        ("Recruiters = 0.1..0.3 step 0.1", (0.1, 0.2, 0.3)),
        ("Recruiters=0.5..1.5 STEP 0.5", (0.5, 1.0, 1.5)),
        ("Recruiters=1,2,4,8", (1, 2, 4, 8)),
        ("Recruiters=1, 2, 4", (1, 2, 4)),
        ("Recruiters=-2..0", (-2, -1, 0)),
    ],
)
def test_a_set_of_values_is_a_sweep(option, values):
    request = read_request(f"{MODEL}\n{option} rounds=20")

    assert request.many == Sweep("Recruiters", values)
    assert (request.definition, request.rounds, request.overrides) == (MODEL, 20, {})


def test_a_sweep_outside_a_fence_with_other_overrides():
    request = read_request(f"Recruiters=1..3 Screens=4\n```\n{MODEL}\n```")

    assert request.many == Sweep("Recruiters", (1, 2, 3))
    assert request.overrides == {"Screens": "4"}
    assert request.definition == MODEL


def test_two_swept_stocks_are_refused_naming_both():
    with pytest.raises(ModelError, match="`Recruiters` and `Screens` are each given several"):
        read_request(f"{MODEL}\nRecruiters=1..3 Screens=1,2")


def test_more_than_twelve_values_are_refused():
    with pytest.raises(ModelError, match="gives 20 values; a sweep takes at most 12"):
        read_request(f"{MODEL}\nRecruiters=1..20")


def test_a_range_with_decimal_ends_needs_a_step():
    with pytest.raises(ModelError, match="needs a step"):
        read_request(f"{MODEL}\nRecruiters=0.5..2")


def test_one_value_is_still_an_override():
    request = read_request(f"{MODEL}\nRecruiters=3")
    assert (request.many, request.overrides) == (None, {"Recruiters": "3"})


@pytest.mark.parametrize(
    ("line", "seek"),
    [
        (
            "find Recruiters: Screens >= 50 at round 20",
            Seek("Recruiters", Goal("Screens", ">=", 50, 20)),
        ),
        ("FIND Recruiters: Screens < 7.5", Seek("Recruiters", Goal("Screens", "<", 7.5))),
        (
            "find Recruiters in 0..100: Screens > 50",
            Seek("Recruiters", Goal("Screens", ">", 50), ValueRange(Decimal(0), Decimal(100))),
        ),
    ],
)
def test_a_find_line_is_a_seek(line, seek):
    for text in (f"{MODEL}\n{line}", f"{line}\n```\n{MODEL}\n```"):
        request = read_request(text)
        assert request.many == seek
        assert request.definition == MODEL


def test_a_find_between_semicolons_on_one_line():
    request = read_request("Recruiters(2); [C] > S @ Recruiters; find Recruiters: S >= 9")

    assert request.many == Seek("Recruiters", Goal("S", ">=", 9))
    assert request.definition == "Recruiters(2)\n [C] > S @ Recruiters"


def test_slack_escapes_in_a_goal_are_undone():
    request = read_request(f"{MODEL}\nfind Recruiters: Screens &gt;= 50")
    assert request.many == Seek("Recruiters", Goal("Screens", ">=", 50))


def test_a_goal_that_cant_be_read_says_what_is_wrong():
    with pytest.raises(ModelError, match="is not a number"):
        read_request(f"{MODEL}\nfind Recruiters: Screens >= lots")


def test_two_goals_are_refused():
    with pytest.raises(ModelError, match="asks for 2 goals"):
        read_request(f"{MODEL}\nfind Recruiters: Screens >= 5\nfind Recruiters: Screens >= 6")


def test_a_sweep_and_a_seek_together_are_refused():
    with pytest.raises(ModelError, match="can't run together"):
        read_request(f"{MODEL}\nRecruiters=1..3\nfind Recruiters: Screens >= 5")


@pytest.mark.parametrize(
    "talk",
    [
        "find out why: costs > revenue",
        "I can't find it: a > b",
        "find: nothing > here",
        "we should find Recruiters soon",
    ],
)
def test_talk_about_finding_is_not_a_goal(talk):
    assert read_request(talk).many is None
    assert read_rerun(talk) is None


@pytest.mark.parametrize(
    ("reply", "many"),
    [
        ("Recruiters=1..3", Sweep("Recruiters", (1, 2, 3))),
        ("find Recruiters: Screens >= 5", Seek("Recruiters", Goal("Screens", ">=", 5))),
    ],
)
def test_a_thread_reply_may_ask_for_a_sweep_or_a_seek(reply, many):
    assert read_rerun(reply).many == many
