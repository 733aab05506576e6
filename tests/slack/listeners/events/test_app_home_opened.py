"""App Home: opening the Home tab publishes the guide; the Messages tab publishes nothing."""

import time

from systems.parse import parse

from tests.slack.expect import block_texts


def _home_opened(tab: str) -> dict:
    return {
        "type": "app_home_opened",
        "user": "U1",
        "channel": "D1",
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }


def _examples(view: dict) -> list[str]:
    return [
        element["elements"][0]["text"]
        for block in view["blocks"]
        if block["type"] == "rich_text"
        for element in block["elements"]
        if element["type"] == "rich_text_preformatted"
    ]


def test_home_tab_publishes_the_guide(slack):
    response = slack.event(_home_opened("home"))

    assert response.status_code == 200
    [published] = slack.standin.calls_to("views.publish")
    assert published["user_id"] == "U1"
    [view] = slack.standin.views
    assert view["type"] == "home"
    shown = block_texts(view["blocks"])
    assert "Syntax" in shown and "Leak(" in shown
    assert "/model" in shown and "rounds=" in shown
    assert "Reruns" in shown and "thread" in shown
    assert "/invite" in shown


def test_the_home_tabs_two_examples_run_in_systems(slack):
    slack.event(_home_opened("home"))

    [view] = slack.standin.views
    examples = _examples(view)
    assert len(examples) == 2
    for example in examples:
        assert parse(example, tracebacks=False).run(rounds=5)


def test_messages_tab_publishes_nothing(slack):
    response = slack.event(_home_opened("messages"))

    assert response.status_code == 200
    assert slack.standin.calls_to("views.publish") == []
    assert slack.standin.views == []
