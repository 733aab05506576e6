"""Modals and App Home views, and the single-use trigger ids that let the bot open modals."""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Collection
from typing import Any

from . import blockkit
from .errors import SlackError
from .identity import APP_ID, BOT_ID, TEAM_ID


class ViewStore:
    def __init__(self) -> None:
        self._views: dict[str, dict[str, Any]] = {}  # by view id, in creation order
        self._home_views: dict[str, str] = {}  # user id -> view id
        self._triggers: dict[str, bool] = {}  # trigger id -> used
        self._ids = itertools.count(1)

    # -- trigger ids ---------------------------------------------------------------------------

    def new_trigger_id(self) -> str:
        """A trigger id as an interaction payload would carry."""
        trigger_id = f"{next(self._ids)}.{int(time.time())}.{secrets.token_hex(8)}"
        self._triggers[trigger_id] = False
        return trigger_id

    def use_trigger(self, trigger_id: str) -> None:
        if trigger_id not in self._triggers:
            raise SlackError("invalid_trigger_id")
        if self._triggers[trigger_id]:
            raise SlackError("exchanged_trigger_id")
        self._triggers[trigger_id] = True

    # -- views ---------------------------------------------------------------------------------

    def open(self, trigger_id: str, view: Any, rejected_types: Collection[str]) -> dict[str, Any]:
        _validate(view, "modal", rejected_types)
        # Checked after the view so a bot can retry a rejected view with the same trigger.
        self.use_trigger(trigger_id)
        return self._store(self._new_view_id(), view)

    def publish(self, user_id: str, view: Any, rejected_types: Collection[str]) -> dict[str, Any]:
        _validate(view, "home", rejected_types)
        view_id = self._home_views.get(user_id) or self._new_view_id()
        self._home_views[user_id] = view_id
        return self._store(view_id, view)

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
            "blocks": [],
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "state": {"values": {}},
        }
        self._views[view_id] = record
        return record


def _validate(view: Any, expected_type: str, rejected_types: Collection[str]) -> None:
    problems = blockkit.check_view(view, rejected_types)
    if not problems and view.get("type") != expected_type:
        problems = [blockkit.problem("/view/type", f"must be `{expected_type}` for this method")]
    if problems:
        raise SlackError("invalid_arguments", problems)
