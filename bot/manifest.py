"""The Slack app manifest: `manifest.yaml`, filled in for one deployment.

The file stays YAML so people can read and comment it. It lives at the repository root, where
Slack users look for it, and `bot/manifest.yaml` links to it so that it ships inside the package:
`sysbot manifest` then works from a plain `pip install .`, not only from a checkout. The deployed
functions never read it. The output defaults to JSON, which Slack's "Create app from manifest"
accepts as well as YAML.

The manifest declares a Workflow Builder step (`functions`), which Slack accepts only from an
org-ready app whose functions run on its own server: `org_deploy_enabled: true` and
`function_runtime: remote`, kept in the Socket Mode dev app too (steps run over Socket Mode).
"""

from __future__ import annotations

import copy
import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any
from urllib.parse import urlsplit

import yaml

MANIFEST_PATH = files("bot") / "manifest.yaml"
DEV_APP_NAME = "sysbot (dev)"
DEV_BOT_NAME = "sysbot-dev"
# What the manifest's Workflow Builder step asks of whoever installs the app.
CUSTOM_STEP_NOTE = (
    "the app has a Workflow Builder step, so it is org-ready (org_deploy_enabled): on an "
    "Enterprise Grid org an Org Admin installs it for the organisation; workflows using the "
    "step need a paid plan. See docs/entry-points.md."
)


class ManifestError(Exception):
    """The manifest cannot be read here (missing or not a manifest)."""


def load_manifest(path: Traversable = MANIFEST_PATH) -> dict[str, Any]:
    """The manifest as shipped, with its placeholder request URLs."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ManifestError(f"no manifest at {path}: reinstall sysbot") from exc
    manifest = yaml.safe_load(text)
    if not isinstance(manifest, dict):
        raise ManifestError(f"{path} does not hold a manifest (a YAML mapping)")
    return manifest


def manifest_for(url: str | None = None, socket_mode: bool = False) -> dict[str, Any]:
    """The manifest for an HTTP app served at `url`, or for the Socket Mode dev app."""
    if socket_mode:
        if url is not None:
            raise ValueError("a Socket Mode app has no request URL: give --url or --socket-mode")
        return _for_socket_mode(load_manifest())
    if url is None:
        raise ValueError("give the function's https:// URL, or ask for the Socket Mode manifest")
    _check_url(url)
    return _with_url(load_manifest(), url)


def dump_manifest(manifest: dict[str, Any], as_yaml: bool = False) -> str:
    """Text ready to paste into Slack: JSON unless YAML is asked for."""
    if not as_yaml:
        return json.dumps(manifest, indent=2, ensure_ascii=False)
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100).rstrip("\n")


def _check_url(url: str) -> None:
    # Slack only delivers to https, and a typo here is only noticed when nothing arrives.
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in url):
        raise ValueError(
            f"the request URL must be an https:// URL such as "
            f"https://REGION-PROJECT.cloudfunctions.net/slack_events, not `{url}`"
        )


def _with_url(manifest: dict[str, Any], url: str) -> dict[str, Any]:
    filled = copy.deepcopy(manifest)
    for command in _slash_commands(filled):
        command["url"] = url
    settings = filled.setdefault("settings", {})
    settings.setdefault("event_subscriptions", {})["request_url"] = url
    settings.setdefault("interactivity", {"is_enabled": True})["request_url"] = url
    settings["socket_mode_enabled"] = False
    return filled


def _for_socket_mode(manifest: dict[str, Any]) -> dict[str, Any]:
    # A separate app: Socket Mode is a per-app switch and the production app must stay HTTP.
    dev = copy.deepcopy(manifest)
    dev.setdefault("display_information", {})["name"] = DEV_APP_NAME
    dev.setdefault("features", {}).setdefault("bot_user", {})["display_name"] = DEV_BOT_NAME
    for command in _slash_commands(dev):
        command.pop("url", None)
    settings = dev.setdefault("settings", {})
    settings.get("event_subscriptions", {}).pop("request_url", None)
    settings.get("interactivity", {}).pop("request_url", None)
    settings["socket_mode_enabled"] = True
    return dev


def _slash_commands(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    return manifest.get("features", {}).get("slash_commands", [])
