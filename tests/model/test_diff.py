"""Comparing two runs: final values, the change, and where the runs part."""

from bot.model import run_definition
from bot.model.diff import compare_runs

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Hires @ 0.5"


def _by_name(before, after):
    return {change.name: change for change in compare_runs(before, after)}


def test_identical_runs_never_diverge():
    run = run_definition(FUNNEL, 5)

    changes = _by_name(run, run_definition(FUNNEL, 5))

    assert all(c.first_divergence is None and c.change == 0 for c in changes.values())


def test_a_changed_rate_diverges_where_its_values_first_differ():
    before = run_definition(FUNNEL, 5)
    after = run_definition(FUNNEL.replace("@ 5", "@ 7"), 5)

    screens = _by_name(before, after)["Screens"]

    # Screens is 0 at round 0 in both runs and 5 vs 7 after round 1.
    assert screens.first_divergence == 1
    assert (screens.before, screens.after) == (before.rows[-1][1], after.rows[-1][1])
    assert screens.change == after.rows[-1][1] - before.rows[-1][1]
    assert not screens.only_extended


def test_more_rounds_only_extend_the_run():
    screens = _by_name(run_definition(FUNNEL, 3), run_definition(FUNNEL, 6))["Screens"]

    assert screens.first_divergence == 4 and screens.rounds_in_common == 4
    assert screens.only_extended


def test_a_stock_in_only_one_run_has_no_change():
    changes = _by_name(run_definition(FUNNEL, 3), run_definition(FUNNEL + "\nHires > Gone @ 1", 3))

    assert changes["Gone"].before is None and changes["Gone"].change is None
    assert changes["Gone"].first_divergence == 0
