"""The local server without a browser: the page's actions reach the real Slack handler as
signed requests, the bot's answers land in the stand-in, and the page loads nothing from
outside this machine."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from local_workspace.server import start_local_server
from tests.local.conftest import DIRECT, GENERAL, RANDOM, LocalServer
from tests.servers import REPO
from tests.slack.expect import block_texts, systems_table, table

HIRING = "[Candidates] > Screens @ 5\nScreens > Onsites @ 0.5\nOnsites > Hires @ 0.5"


def run_in_general(local: LocalServer, rounds: int = 6) -> dict:
    answer = local.post(
        "/local/command", {"channel": GENERAL, "text": f"/model rounds={rounds}\n{HIRING}"}
    )
    assert answer == {"ok": True, "statuses": [200], "errors": {}}
    [message] = local.channel(GENERAL)["messages"]
    return message


def test_it_prints_its_address(local_server):
    assert f"sysbot is running at {local_server.url}" in local_server.log.read_text()


def test_a_command_posts_the_bots_run_with_a_table(local):
    message = run_in_general(local)

    assert message["bot_id"]
    assert table(message) == systems_table(HIRING, 6)
    assert "data_visualization" in [b["type"] for b in message["blocks"]]


def test_a_command_error_is_an_ephemeral_for_the_user_only(local):
    local.post("/local/command", {"channel": GENERAL, "text": "/model [a] > b @ zz"})

    channel = local.channel(GENERAL)
    assert channel["messages"] == []
    [ack] = channel["ephemerals"]
    assert ack["recipient"] == local.state()["me"]["id"]
    assert "  |           ^" in block_texts(ack["blocks"])


def test_a_thread_reply_reruns_and_an_edit_updates_the_answer(local):
    parent = run_in_general(local)
    local.post(
        "/local/message", {"channel": GENERAL, "text": "rounds=20", "thread_ts": parent["ts"]}
    )
    [thread] = local.channel(GENERAL)["messages"]
    reply, rerun = thread["replies"]
    assert "Compared with the run before" in block_texts(rerun["blocks"])
    assert table(rerun)[-1][0] == "20"

    local.post("/local/edit", {"channel": GENERAL, "ts": reply["ts"], "text": "rounds=12"})

    [thread] = local.channel(GENERAL)["messages"]
    reply, rerun = thread["replies"]
    assert reply["text"] == "rounds=12" and reply["edited"]
    assert rerun["edited"] and table(rerun)[-1][0] == "12"


def test_mentions_dms_and_channels_without_the_bot(local):
    local.post("/local/message", {"channel": GENERAL, "text": "@sysbot [a] > b @ 2 rounds=3"})
    local.post("/local/message", {"channel": DIRECT, "text": "[a] > b @ 3 rounds=2"})
    local.post("/local/message", {"channel": RANDOM, "text": "@sysbot [a] > b @ 4"})

    [mention] = local.channel(GENERAL)["messages"]
    assert mention["text"].startswith("<@UBOT>")
    [answer] = mention["replies"]  # one answer, though Slack delivered the mention twice
    assert table(answer)[-1] == ["3", "6"]
    [dm] = local.channel(DIRECT)["messages"]
    assert table(dm["replies"][0])[-1] == ["2", "6"]
    [ignored] = local.channel(RANDOM)["messages"]
    assert "replies" not in ignored or ignored["replies"] == []


def test_the_readme_mention_example_gets_the_rows_systems_computes(local):
    local.post(
        "/local/message",
        {"channel": GENERAL, "text": "@sysbot [Legacy(120)] > Migrated @ 10 rounds=15"},
    )

    [mention] = local.channel(GENERAL)["messages"]
    [answer] = mention["replies"]
    assert table(answer) == systems_table("[Legacy(120)] > Migrated @ 10", 15)


def test_buttons_csv_modal_and_home(local):
    message = run_in_general(local, rounds=4)
    click = {"channel": GENERAL, "ts": message["ts"]}
    local.post("/local/click", {**click, "action_id": "sysbot_csv"})
    [file] = local.state()["files"]
    csv = local.get(f"/local/files/{file['id']}/{file['name']}?download=1").decode()
    assert csv.splitlines()[0] == "round,Screens,Onsites,Hires"

    local.post("/local/click", {**click, "action_id": "sysbot_edit_rerun"})
    modal = local.state()["modal"]
    bad = {"definition": {"value": "[a] > b @ zz"}, "rounds": {"value": "3"}}
    answer = local.post("/local/submit", {"view_id": modal["id"], "values": bad})
    assert "There is no stock called `zz`" in answer["errors"]["definition"]
    assert local.state()["modal"]["id"] == modal["id"]  # still open, as in Slack
    good = {"definition": {"value": "[a] > b @ 3"}, "rounds": {"value": "5"}}
    assert local.post("/local/submit", {"view_id": modal["id"], "values": good})["ok"]
    assert local.state()["modal"] is None
    [thread] = local.channel(GENERAL)["messages"]
    assert table(thread["replies"][-1])[-1] == ["5", "15"]

    local.post("/local/home", {})
    assert local.state()["home"]["blocks"][0]["type"] == "header"


def test_a_click_on_a_button_the_message_lacks_is_refused(local):
    message = run_in_general(local)
    click = {"channel": GENERAL, "ts": message["ts"], "action_id": "no_such_button"}
    with pytest.raises(HTTPError) as refused:
        local.post("/local/click", click)
    assert refused.value.code == 409
    assert json.loads(refused.value.read())["error"] == "That button is gone."


def test_the_slack_endpoint_checks_signatures(local):
    body = json.dumps({"type": "url_verification", "challenge": "x"}).encode()
    request = Request(
        local.url + "slack/events", data=body, headers={"Content-Type": "application/json"}
    )
    with pytest.raises(HTTPError) as refused:
        urlopen(request, timeout=10)
    assert refused.value.code == 401


def test_the_json_api(local):
    body = json.dumps({"definition": "[a] > b @ 5", "rounds": 2}).encode()
    request = Request(
        local.url + "api/run", data=body, headers={"Content-Type": "application/json"}
    )
    with urlopen(request, timeout=10) as response:
        assert json.loads(response.read())["rows"] == [[0, 0], [1, 5], [2, 10]]


def test_the_page_loads_nothing_from_outside(local):
    html = local.get("/").decode()
    assert "<title>" in html
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    links = re.findall(r'<link[^>]*\shref="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources)
    assert all(href.startswith(("/static/", "data:")) for href in links)
    files = {"/", *sources, *(h for h in links if h.startswith("/"))}
    for script in list(sources):
        text = local.get(script).decode()
        files |= {f"/static/{name}" for name in re.findall(r'from "\./([\w.-]+)"', text)}
    for path in files:
        text = local.get(path).decode()
        outside = [
            url
            for url in re.findall(r"https?://[^\s\"'`)<>]+", text)
            if not re.match(r"https?://(127\.0\.0\.1|localhost)[:/]", url)
        ]
        assert outside == [], path
    assert len(files) >= 5  # page, css and the three scripts


def test_requests_for_another_host_name_are_refused(local):
    request = Request(local.url + "local/state", headers={"Host": "attacker.example"})
    with pytest.raises(HTTPError) as refused:
        urlopen(request, timeout=10)
    assert refused.value.code == 421


def test_it_listens_only_on_this_machine():
    with pytest.raises(ValueError, match="only listens on this machine"):
        start_local_server("0.0.0.0", 0)


def test_each_request_is_logged_once(local):
    run_in_general(local)
    body = json.dumps({"definition": "[a] > b @ 5"}).encode()
    urlopen(Request(local.url + "api/run", data=body, method="POST"), timeout=10).close()

    lines = local.log.read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]  # after the address
    server_lines = [r["message"] for r in records if r["logger"] == "werkzeug"]
    assert any("POST /local/command" in line for line in server_lines)
    # the bot writes its own line for its requests; the server does not write a second one
    assert [line for line in server_lines if "/slack/events" in line or "/api/run" in line] == []
    assert {"command ok", "api ok"} <= {r["message"] for r in records}


def test_a_token_in_the_developers_shell_draws_no_warning(local):
    run_in_general(local)  # Bolt builds the app, and reads the environment, on first use

    assert "will be unused" not in local.log.read_text()


def test_a_busy_port_suggests_port_0():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        serve = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)]
        ended = subprocess.run(serve, cwd=REPO, capture_output=True, text=True, timeout=60)

    assert ended.returncode == 2
    assert ended.stderr == (
        f"sysbot serve: port {port} is in use by another program; "
        "`sysbot serve --port 0` picks a free one\n"
    )
