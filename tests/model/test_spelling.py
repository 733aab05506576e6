"""One rule for "did you mean", shared by errors, warnings and overrides."""

from __future__ import annotations

import pytest

from bot.model import ModelError, run_definition
from bot.model.spelling import closest

HIRING = "[Candidates] > Screens @ 25\nScreens > Onsites @ 0.5\nOnsites > Hires @ 0.5"


@pytest.mark.parametrize(
    ("word", "names", "meant"),
    [
        ("Hirez", ["Screens", "Onsites", "Hires"], "Hires"),  # one letter wrong
        ("Onsits", ["Screens", "Onsites", "Hires"], "Onsites"),  # one letter missing
        ("PhoneScren", ["PhoneScreens", "Onsites"], "PhoneScreens"),
        ("Cnadidates", ["Candidates"], "Candidates"),  # two letters swapped
        ("hires", ["Hire", "Hires"], "Hires"),  # only the case differs: always the closest
        ("A", ["s", "a", "b"], "a"),
        ("lek", ["Rate", "Conversion", "Leak"], "Leak"),
    ],
)
def test_a_close_name_is_found(word, names, meant):
    assert closest(word, names) == meant


@pytest.mark.parametrize(
    ("word", "names"),
    [
        ("c", ["s", "a", "b"]),
        ("Candidates", ["Screens", "Onsites", "Hires"]),
        ("Departures", ["Migrating", "Legacy"]),
        ("x", []),
    ],
)
def test_a_name_far_from_all_is_not_guessed(word, names):
    assert closest(word, names) is None


def test_setting_a_mistyped_stock_suggests_the_stock():
    # the path `sysbot run --set Hirez=10`, a thread reply `Hirez=10` and the API's
    # "overrides" all take
    with pytest.raises(ModelError) as caught:
        run_definition(HIRING, 5, {"Hirez": "10"})
    assert caught.value.message == "There is no stock called `Hirez` to set to 10."
    assert caught.value.hint == "Did you mean `Hires`?"


def test_setting_a_stock_far_from_all_lists_the_stocks():
    with pytest.raises(ModelError) as caught:
        run_definition(HIRING, 5, {"Departures": "10"})
    assert caught.value.hint == "Stocks: Candidates, Screens, Onsites, Hires."


def test_an_unknown_reference_and_an_override_suggest_alike():
    with pytest.raises(ModelError) as by_reference:
        run_definition(HIRING + "\nHires > Departed @ Hirez", 5)
    with pytest.raises(ModelError) as by_override:
        run_definition(HIRING, 5, {"Hirez": "10"})
    assert by_reference.value.hint == by_override.value.hint == "Did you mean `Hires`?"
