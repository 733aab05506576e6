"""Modals and App Home views, and the single-use trigger ids that let the bot open modals."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass
from typing import Any

from . import blockkit
from .errors import SlackError
from .identity import APP_ID, BOT_ID, TEAM_ID


@dataclass
class Trigger:
    expires_at: float | None
    used: bool = False


class ViewStore:
    def __init__(self) -> None:
        self._views: dict[str, dict[str, Any]] = {}  # by view id, in creation order
        self._home_views: dict[str, str] = {}  # user id -> view id
        self._triggers: dict[str, Trigger] = {}
        self._ids = itertools.count(1)

    # -- trigger ids ---------------------------------------------------------------------------

    def new_trigger_id(self, expires_in: float | None = None) -> str:
        """A trigger id as an interaction payload would carry; ``expires_in`` in seconds."""
        trigger_id = f"{next(self._ids)}.{int(time.time())}.{secrets.token_hex(8)}"
        expires_at = None if expires_in is None else time.monotonic() + expires_in
        self._triggers[trigger_id] = Trigger(expires_at)
        return trigger_id

    def use_trigger(self, trigger_id: str) -> None:
        trigger = self._triggers.get(trigger_id)
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if trigger.expires_at is not None and time.monotonic() > trigger.expires_at:
            raise SlackError("expired_trigger_id")
        trigger.used = True

    # -- views ---------------------------------------------------------------------------------

    def open(self, trigger_id: str, view: Any, rejected_types: set[str]) -> dict[str, Any]:
        _validate(view, "modal", rejected_types)
        # Checked after the view so a bot can retry a rejected view with the same trigger.
        self.use_trigger(trigger_id)
        return self._store(self._new_view_id(), view)

    def publish(self, user_id: str, view: Any, rejected_types: set[str]) -> dict[str, Any]:
        _validate(view, "home", rejected_types)
        view_id = self._home_views.get(user_id) or self._new_view_id()
        self._home_views[user_id] = view_id
        return self._store(view_id, view)

    def update(
        self, view_id: str, view: Any, view_hash: str | None, rejected_types: set[str]
    ) -> dict[str, Any]:
        current = self._views.get(view_id)
        if current is None:
            raise SlackError("not_found")
        if view_hash and view_hash != current["hash"]:
            raise SlackError("hash_conflict")
        _validate(view, current["type"], rejected_types)
        return self._store(view_id, view)

    def view_id_for_external_id(self, external_id: str) -> str:
        for view_id, view in self._views.items():
            if view.get("external_id") == external_id:
                return view_id
        raise SlackError("not_found")

    def all(self) -> list[dict[str, Any]]:
        return list(self._views.values())

    def home_views(self) -> dict[str, str]:
        return dict(self._home_views)

    def clear(self) -> None:
        self._views.clear()
        self._home_views.clear()
        self._triggers.clear()

    def _new_view_id(self) -> str:
        return f"V{next(self._ids):08d}"

    def _store(self, view_id: str, view: dict[str, Any]) -> dict[str, Any]:
        record = {
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "blocks": [],
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "root_view_id": view_id,
            "previous_view_id": None,
        }
        self._views[view_id] = record
        return record


def _validate(view: Any, expected_type: str, rejected_types: set[str]) -> None:
    problems = blockkit.check_view(view, rejected_types)
    if not problems and view.get("type") != expected_type:
        problems = [blockkit.problem("/view/type", f"must be `{expected_type}` for this method")]
    if problems:
        raise SlackError("invalid_arguments", problems)
