"""A rerun runs one model: the earlier run is compared as its reply remembers it, in metadata
of a size Slack accepts, and the comparison is the one running both models would give."""

from __future__ import annotations

import json

import pytest

import bot.slack.answering.answer as answer_module
from bot.chat.rerun import Rerun
from bot.model import Limits, run_definition
from bot.model.diff import compare_runs
from bot.slack.answering.answer import ModelRun
from bot.slack.stored import PAYLOAD_BYTES, run_metadata, stored_run

FUNNEL = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ Leak(0.3)"
CHAIN = "\n".join(["[Source] > S1 @ 1", *(f"S{i} > S{i + 1} @ Leak(0.5)" for i in range(1, 30))])


def remembered(definition: str, rounds: int):
    """The run as the bot's reply to it stores it, read back from that reply."""
    result = run_definition(definition, rounds)
    metadata = run_metadata(result.definition, rounds, "1.0", "run", result)
    assert len(json.dumps(metadata["event_payload"])) <= PAYLOAD_BYTES
    return stored_run({"bot_id": "B1", "ts": "2.0", "metadata": metadata}, "B1")


@pytest.mark.parametrize(
    "definition, rounds, change",
    [
        (FUNNEL, 10, Rerun(rounds=25)),  # the same model, further
        (FUNNEL, 40, Rerun(rounds=12)),  # the same model, shorter
        (FUNNEL, 1000, Rerun(rounds=1000, overrides={"Screens": "3"})),
        (FUNNEL, 30, Rerun(flow_lines=["Screens > Onsites @ 0.6"])),
        (CHAIN, 1000, Rerun(flow_lines=["S20 > S21 @ Leak(0.4)"])),  # parts at round 20
        (FUNNEL, 8, Rerun(definition="[Candidates] > Screens @ 7\nScreens > Offers @ 2")),
    ],
    ids=["longer", "shorter", "override_1000_rounds", "flow", "late_parting", "new_model"],
)
def test_a_rerun_compares_as_running_both_models_would(definition, rounds, change):
    earlier = remembered(definition, rounds)
    rerun = ModelRun.rerunning(earlier, change, "rerun").run(Limits)

    before = run_definition(earlier.definition, earlier.rounds)
    assert rerun.changes == compare_runs(before, rerun.result)


def test_a_rerun_runs_only_the_new_model(monkeypatch):
    ran = []
    real = answer_module.run_definition
    monkeypatch.setattr(
        answer_module, "run_definition", lambda *args: ran.append(args) or real(*args)
    )
    earlier = remembered(FUNNEL, 1000)

    ModelRun.rerunning(earlier, Rerun(overrides={"Screens": "3"}), "rerun").run(Limits)

    assert len(ran) == 1
