"""Sweeps and goal seeks on the local page (issue 14), in headless Chromium: in #general as in
Slack, and in the API tab; a screenshot of each in tests/artifacts/browser/."""

from __future__ import annotations

import json

import pytest

from tests.local.test_browser import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    browser,
    expect,
    page,
    send_model,
)
from tests.model.scenario_oracle import FUNNEL as WHAT_IF_FUNNEL

pytestmark = pytest.mark.browser

FUNNEL = WHAT_IF_FUNNEL.splitlines()  # typed a line at a time


def shot(page, name: str) -> None:  # noqa: F811 (the `page` fixture)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"what-if-{name}.png"))


def test_a_sweep_in_a_channel(page):  # noqa: F811
    message = send_model(page, "/model rounds=20 Recruiters=1..5", FUNNEL)

    expect(message).to_contain_text("5 scenarios of Recruiters")
    expect(message).to_contain_text("goes from 18 with Recruiters=1 to 108 with Recruiters=5")
    expect(message.locator("tbody tr")).to_have_count(5)
    expect(message.locator("tbody tr").last.locator("td")).to_have_text(
        ["Recruiters=5", "5", "25", "12", "108"]
    )
    expect(message.locator("svg[role=img] polyline.series")).to_have_count(5)
    expect(message.locator(".legend li").first).to_have_text("Recruiters=1")
    expect(message.get_by_role("button", name="CSV")).to_be_visible()
    shot(page, "01-sweep")

    message.get_by_role("button", name="Reply in thread").click()
    page.fill("#thread-input", "rounds=30")
    page.press("#thread-input", "Enter")
    rerun = page.locator("#thread .message.from-bot").nth(1)  # after the thread's parent
    expect(rerun).to_contain_text("Compared with the sweep before:")
    expect(rerun).to_contain_text("Recruiters=1: Hires 18 → 28.")
    expect(rerun.locator("tbody tr").first.locator("td")).to_have_text(
        ["Recruiters=1", "1", "5", "2", "28"]
    )
    shot(page, "01b-sweep-rerun")


def test_a_seek_in_a_channel(page):  # noqa: F811
    message = send_model(page, "/model find Recruiters: Hires >= 50 at round 20", FUNNEL)

    expect(message).to_contain_text("Recruiters=3 is the smallest value for which Hires >= 50")
    expect(message).to_contain_text("with Recruiters=2 it fails")
    expect(message.locator("tbody tr").last.locator("td")).to_have_text(
        ["20", "3", "15", "7", "54"]
    )
    shot(page, "02-seek")


def _api(page, extra: dict):  # noqa: F811
    page.get_by_role("tab", name="API").click()
    page.get_by_label("Model definition").fill("\n".join(FUNNEL))
    page.locator("#api-rounds").fill("20")
    page.get_by_label("Sweep or goal seek (optional JSON)").fill(json.dumps(extra))
    page.get_by_role("button", name="Run").click()
    return page.locator("#api-result")


def test_a_sweep_in_the_api_tab(page):  # noqa: F811
    result = _api(page, {"sweep": {"Recruiters": [1, 2, 4, 8]}})

    expect(result).to_contain_text("4 scenarios of Recruiters · 20 rounds")
    expect(result.locator("tbody tr")).to_have_count(4)
    expect(result.locator("tbody tr").first.locator("td")).to_have_text(
        ["Recruiters=1", "1", "5", "2", "18"]
    )
    expect(result.locator("svg[role=img] polyline.series")).to_have_count(4)
    shot(page, "03-api-sweep")


def test_a_seek_in_the_api_tab_and_one_without_an_answer(page):  # noqa: F811
    goal = {"vary": "Recruiters", "target": "Hires", "op": ">=", "value": 50, "round": 20}
    result = _api(page, {"seek": goal})

    expect(result.locator("#api-seek")).to_contain_text(
        "Found Recruiters=3; with Recruiters=2 the goal fails."
    )
    expect(result.locator("tbody tr")).to_have_count(21)
    shot(page, "04-api-seek")

    result = _api(page, {"seek": {**goal, "value": 5000, "range": [0, 3]}})

    expect(result.get_by_role("alert")).to_contain_text("holds for no value of Recruiters")
    expect(result.locator("#api-samples")).to_contain_text("4 runs, searching 0 to 3")
    expect(result.locator("tbody tr").last.locator("td")).to_have_text(["3", "54", "fails"])
    shot(page, "05-api-seek-no-answer")
