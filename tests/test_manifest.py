"""manifest.yaml: valid for Slack, and declaring exactly what the code uses, in both directions.

How the listeners are read: the test wraps Bolt's public listener decorators (`App.command`,
`App.event`, `App.message`, `App.action`, `App.view`, ...) for the duration of one `build_app()`
call and records what each was given. That depends only on Bolt's public API and on the values
the code passes ("/model", "app_mention", {"type": "message", ...}), not on how Bolt stores
matchers inside closures. The number of recordings is then checked against the app's listener
list, so a listener registered some other way fails the test instead of going unseen.

How the Web API calls are found: every attribute named like a WebClient method
(`client.chat_postMessage`, also when passed on as a function rather than called) in the bot's
source, read with `ast`.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from slack_bolt import App
from slack_sdk import WebClient

from bot.manifest import DEV_APP_NAME, load_manifest, manifest_for
from bot.settings import Settings
from bot.slack.app import build_app

REPO = Path(__file__).resolve().parents[1]
SCHEMA = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "reference"
    / "slack-manifest.schema.1.0.0.json"
)
PLACEHOLDER_HOST = "REGION-PROJECT"
URL = "https://example.com/slack_events"
APP_SETTINGS = Settings(
    slack_bot_token="xoxb-test",
    slack_signing_secret="test",
    slack_api_url="http://127.0.0.1:9/api/",  # nothing listens there; building calls nothing
)

# Kinds of listener this test (and the manifest) knows how to declare. A new kind, such as an
# options listener, needs its own manifest entry: teach this test about it.
EVENT_KINDS = {"event", "message", "function"}
SHORTCUT_KINDS = {"message_shortcut": "message", "global_shortcut": "global"}
INTERACTIVE_KINDS = {"action", "view", *SHORTCUT_KINDS}
KNOWN_KINDS = EVENT_KINDS | INTERACTIVE_KINDS | {"command"}
LISTENER_DECORATORS = (
    "command",
    "event",
    "message",
    "action",
    "block_action",
    "attachment_action",
    "dialog_submission",
    "dialog_cancellation",
    "dialog_suggestion",
    "view",
    "view_submission",
    "view_closed",
    "shortcut",
    "global_shortcut",
    "message_shortcut",
    "options",
    "block_suggestion",
    "function",
    "step",
)

HISTORY = {"channels:history", "groups:history", "im:history", "mpim:history"}
MESSAGE_EVENTS = {"message.channels", "message.groups", "message.im", "message.mpim"}
# Scope each Web API method needs (https://docs.slack.dev/reference/methods/...). Bolt's own
# auth.test and posting to response_url (`respond`) need none.
METHOD_SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_delete": {"chat:write"},
    # The conversation can be a public or private channel, a DM or a group DM.
    "conversations_replies": HISTORY,
    "conversations_history": HISTORY,
    "chat_getPermalink": set(),
    # Called with the step's per-execution token, which needs no scope.
    "functions_completeSuccess": set(),
    "functions_completeError": set(),
    "files_upload_v2": {"files:write"},
    "files_getUploadURLExternal": {"files:write"},
    "files_completeUploadExternal": {"files:write"},
    "views_open": set(),
    "views_publish": set(),
    "views_update": set(),
    "views_push": set(),
    "auth_test": set(),
}
EVENT_SCOPES = {
    "app_mention": {"app_mentions:read"},
    "app_home_opened": set(),
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
    "message.mpim": {"mpim:history"},
    "function_executed": set(),
}
# Bolt's listener arguments that call the Web API (https://docs.slack.dev/tools/bolt-python/).
BOLT_ARGUMENT_METHODS = {
    "say": "chat_postMessage",
    "complete": "functions_completeSuccess",
    "fail": "functions_completeError",
}
WEB_API_METHODS = {name for name in vars(WebClient) if not name.startswith("_")}


# --- schema ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validate():
    if not SCHEMA.exists():
        pytest.skip(
            f"Slack's manifest schema is not here ({SCHEMA}): ../shared/reference is absent"
        )
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    # The schema spells background_color's pattern `regex`, which Draft 7 ignores: enforce it.
    validator_class = jsonschema.validators.extend(
        jsonschema.Draft7Validator, {"regex": jsonschema.Draft7Validator.VALIDATORS["pattern"]}
    )
    validator = validator_class(schema)

    def check(manifest: dict) -> None:
        errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)

    return check


def test_manifest_file_validates(validate):
    validate(load_manifest())


def test_validator_catches_a_bad_colour(validate):
    manifest = load_manifest()
    manifest["display_information"]["background_color"] = "navy"
    with pytest.raises(AssertionError, match="background_color"):
        validate(manifest)


def test_manifest_file_is_the_loaded_one():
    assert load_manifest() == yaml.safe_load((REPO / "manifest.yaml").read_text(encoding="utf-8"))


def test_manifest_settings_for_this_bot():
    manifest = load_manifest()
    assert manifest["display_information"]["name"] == "sysbot"
    assert manifest["features"]["bot_user"] == {"display_name": "sysbot", "always_online": True}
    assert manifest["features"]["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": False,  # people DM definitions to the bot
    }
    (command,) = manifest["features"]["slash_commands"]
    assert command["should_escape"] is False and command["usage_hint"] and command["description"]
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is False
    # What Slack requires of an app with custom workflow steps, on its own server.
    assert settings["org_deploy_enabled"] is True
    assert settings["function_runtime"] == "remote"
    assert settings["token_rotation_enabled"] is False
    assert all(PLACEHOLDER_HOST in url for url in _request_urls(manifest))


# --- sysbot manifest --------------------------------------------------------------------------


def sysbot(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_cli_fills_every_request_url(validate):
    done = sysbot("manifest", "--url", URL)
    assert done.returncode == 0, done.stderr
    manifest = json.loads(done.stdout)
    validate(manifest)
    assert _request_urls(manifest) == [URL, URL, URL]
    assert PLACEHOLDER_HOST not in done.stdout
    assert "JSON" in done.stderr
    assert "org-ready" in done.stderr and "paid plan" in done.stderr


def test_cli_yaml_is_the_same_manifest():
    as_json = sysbot("manifest", "--url", URL)
    as_yaml = sysbot("manifest", "--url", URL, "--yaml")
    assert as_yaml.returncode == 0, as_yaml.stderr
    assert yaml.safe_load(as_yaml.stdout) == json.loads(as_json.stdout)


@pytest.mark.parametrize(
    "url", ["http://example.com/slack_events", "example.com/slack_events", "https://", "ftp://x"]
)
def test_cli_refuses_a_url_that_is_not_https(url):
    done = sysbot("manifest", "--url", url)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "https://" in done.stderr and url in done.stderr


def test_cli_socket_mode_manifest_has_no_urls(validate):
    done = sysbot("manifest", "--socket-mode")
    assert done.returncode == 0, done.stderr
    manifest = json.loads(done.stdout)
    validate(manifest)
    settings = manifest["settings"]
    assert settings["socket_mode_enabled"] is True
    assert manifest["display_information"]["name"] == DEV_APP_NAME
    assert [key for key in _keys(manifest) if key.endswith("url")] == []
    assert "http" not in done.stdout


def test_manifest_for_leaves_the_loaded_manifest_alone():
    manifest_for(URL)
    manifest_for(socket_mode=True)
    assert all(PLACEHOLDER_HOST in url for url in _request_urls(load_manifest()))


def _request_urls(manifest: dict) -> list[str]:
    commands = manifest["features"]["slash_commands"]
    settings = manifest["settings"]
    return [
        *(command.get("url") for command in commands),
        settings["event_subscriptions"].get("request_url"),
        settings["interactivity"].get("request_url"),
    ]


def _keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(key for item in value.values() for key in _keys(item))]
    if isinstance(value, list):
        return [key for item in value for key in _keys(item)]
    return []


# --- the manifest against the code -------------------------------------------------------------


@pytest.fixture(scope="module")
def registered() -> list[tuple[str, Any]]:
    """(decorator name, its first argument) for every listener build_app() registers."""
    calls: list[tuple[str, Any]] = []
    with pytest.MonkeyPatch.context() as patch:
        for name in LISTENER_DECORATORS:
            if hasattr(App, name):
                patch.setattr(App, name, _recording(name, getattr(App, name), calls))
        app = build_app(APP_SETTINGS)
    # Everything Bolt registered went through a recorded decorator, exactly once.
    assert len(calls) == len(app._listeners), calls
    unknown = {kind for kind, _ in calls} - KNOWN_KINDS
    assert not unknown, f"app.{unknown} listeners need a manifest entry: teach this test"
    return calls


def _recording(name: str, original, calls: list):
    def record(self, *args, **kwargs):
        calls.append((name, args[0] if args else next(iter(kwargs.values()), None)))
        return original(self, *args, **kwargs)

    return record


def listened_event_types(registered) -> set[str]:
    types = set()
    for kind, constraint in registered:
        if kind == "message":
            types.add("message")
        elif kind == "function":  # app.function(callback_id) listens to function_executed
            types.add("function_executed")
        elif kind == "event":
            event_type = constraint.get("type") if isinstance(constraint, dict) else constraint
            assert isinstance(event_type, str), f"cannot tell the event type of {constraint!r}"
            types.add(event_type)
    return types


def events_the_listeners_need(registered) -> set[str]:
    """The bot events to subscribe to so that every event listener gets its events."""
    needed: set[str] = set()
    for event_type in listened_event_types(registered):
        # Bolt matches message listeners on type and subtype, never on the conversation type,
        # so they serve every kind of conversation: all four message.* subscriptions.
        needed |= MESSAGE_EVENTS if event_type == "message" else {event_type}
    return needed


def bot_events(manifest: dict) -> list[str]:
    return manifest["settings"]["event_subscriptions"]["bot_events"]


def test_every_subscribed_event_has_a_listener(registered):
    needed = events_the_listeners_need(registered)
    missing = [event for event in bot_events(load_manifest()) if event not in needed]
    assert not missing, f"subscribed without a listener (Bolt would answer 404): {missing}"


def test_every_event_listener_is_subscribed(registered):
    unsubscribed = events_the_listeners_need(registered) - set(bot_events(load_manifest()))
    assert not unsubscribed, (
        f"listeners whose events the manifest does not subscribe: {unsubscribed}"
    )


def test_slash_commands_match(registered):
    declared = {c["command"] for c in load_manifest()["features"]["slash_commands"]}
    assert declared == {constraint for kind, constraint in registered if kind == "command"}


def test_shortcuts_match(registered):
    declared = {(s["type"], s["callback_id"]) for s in load_manifest()["features"]["shortcuts"]}
    listened = {(SHORTCUT_KINDS[kind], c) for kind, c in registered if kind in SHORTCUT_KINDS}
    assert declared == listened


def test_workflow_steps_match(registered):
    declared = set(load_manifest()["functions"])
    assert declared == {constraint for kind, constraint in registered if kind == "function"}


def test_the_step_declares_what_slack_requires():
    manifest = load_manifest()
    assert "function_executed" in bot_events(manifest)
    for name, step in manifest["functions"].items():
        for parameters in (step["input_parameters"], step["output_parameters"]):
            assert parameters and all(p["type"] and p["title"] for p in parameters.values()), name


def test_interactivity_is_enabled_exactly_when_there_are_interactive_listeners(registered):
    interactive = any(kind in INTERACTIVE_KINDS for kind, _ in registered)
    assert interactive
    assert load_manifest()["settings"]["interactivity"]["is_enabled"] is interactive


def web_api_methods_used() -> dict[str, list[str]]:
    """Web API method -> where in bot/ it is used (the Slack stand-in is not the bot)."""
    used: dict[str, list[str]] = defaultdict(list)
    for path in sorted((REPO / "bot").rglob("*.py")):
        where = path.relative_to(REPO)
        if where.parts[1] == "standin":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Attribute) and node.attr == "api_call":
                pytest.fail(f"{where}:{node.lineno} uses api_call: use the named method instead")
            if isinstance(node, ast.Attribute) and node.attr in WEB_API_METHODS:
                used[node.attr].append(f"{where}:{node.lineno}")
            if isinstance(node, ast.arg) and node.arg in BOLT_ARGUMENT_METHODS:
                used[BOLT_ARGUMENT_METHODS[node.arg]].append(f"{where}:{node.lineno}")
    return dict(used)


def test_the_scan_sees_the_calls():
    used = web_api_methods_used()
    assert "chat_postMessage" in used, used


def test_bot_scopes_are_exactly_what_the_code_needs(registered):
    manifest = load_manifest()
    needed: dict[str, str] = {}
    for method, places in web_api_methods_used().items():
        assert method in METHOD_SCOPES, f"{method} ({places[0]}): add its scope to METHOD_SCOPES"
        needed.update(dict.fromkeys(METHOD_SCOPES[method], f"{method} at {places[0]}"))
    for event in bot_events(manifest):
        assert event in EVENT_SCOPES, f"{event}: add its scope to EVENT_SCOPES"
        needed.update(dict.fromkeys(EVENT_SCOPES[event], f"the {event} event"))
    if any(kind == "command" or kind in SHORTCUT_KINDS for kind, _ in registered):
        needed["commands"] = "the slash command and the shortcuts"
    declared = manifest["oauth_config"]["scopes"]["bot"]
    assert len(declared) == len(set(declared)), declared
    missing = {scope: why for scope, why in needed.items() if scope not in declared}
    unneeded = set(declared) - set(needed)
    assert not missing, f"scopes the code needs but the manifest lacks: {missing}"
    assert not unneeded, f"scopes the manifest asks for but nothing uses: {unneeded}"
