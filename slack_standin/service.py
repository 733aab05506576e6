"""The simulated Slack service: all workspace state behind one lock, without any HTTP.

The HTTP layer (``server.py``) and the test-facing facade (``SlackStandIn``) both go through
this object, so requests served on many threads and a test inspecting state never interleave.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

from .args import Args
from .conversations import Conversations
from .errors import SlackError
from .faults import RESPONSE_URL_ROUTE, Fault, FaultPlan
from .files import FileStore, StoredFile
from .identity import APP_ID, BOT_ID, BOT_NAME, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID
from .links import Links
from .messages import ContentRules
from .response_urls import ResponseUrls
from .views import ViewStore
from .web_api import WebApi


class SlackService:
    def __init__(self, bot_token: str, metadata_limit: int) -> None:
        self.bot_token = bot_token
        self.lock = threading.RLock()
        self.links = Links()
        self.rules = ContentRules(metadata_limit=metadata_limit)
        self.conversations = Conversations()
        self.views = ViewStore()
        self.files = FileStore(self.links)
        self.response_urls = ResponseUrls(self.links, self.conversations, self.rules)
        self.faults = FaultPlan()
        self.web_api = WebApi(self.conversations, self.views, self.files, self.rules)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.refusals: list[tuple[str, str]] = []  # (route, error) of every call refused

    # -- used by the HTTP layer ----------------------------------------------------------------

    def begin_request(self, route: str, args: dict[str, Any], *, is_web_api: bool) -> Fault | None:
        """Record a request and say whether it should fail; faulted requests count as calls."""
        logged = {key: value for key, value in args.items() if key != "token"}
        with self.lock:
            self.calls.append((route, logged))
            return self.faults.take(route, is_web_api=is_web_api)

    def api_call(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        """Slack's JSON answer to one Web API call, errors included."""
        with self.lock:
            try:
                self._check_token(token)
                # A deep copy: the answer is serialised after the lock is released.
                return copy.deepcopy(self.web_api.call(method, Args(args)))
            except SlackError as exc:
                self.refusals.append((method, exc.error))
                return exc.to_body()

    def receive_upload(self, file_id: str, content: bytes) -> bool:
        with self.lock:
            return self.files.receive(file_id, content)

    def stored_file(self, file_id: str) -> StoredFile | None:
        with self.lock:
            stored = self.files.get(file_id)
            return copy.copy(stored) if stored and stored.content is not None else None

    def respond(self, token: str, payload: Any) -> tuple[int, str]:
        with self.lock:
            status, text = self.response_urls.deliver(token, payload)
            if status != 200:
                self.refusals.append((RESPONSE_URL_ROUTE, text))
            return status, text

    def snapshot(self) -> dict[str, Any]:
        """The whole workspace as JSON-ready data, for a page that displays it."""
        with self.lock:
            return copy.deepcopy(
                {
                    "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
                    "bot": {
                        "user_id": BOT_USER_ID,
                        "bot_id": BOT_ID,
                        "app_id": APP_ID,
                        "name": BOT_NAME,
                    },
                    "channels": self.conversations.snapshot(),
                    "views": self.views.all(),
                    "home_views": self.views.home_views(),
                    "files": self.files.completed(),
                    "rejected_block_types": sorted(self.rules.rejected_block_types),
                    "call_count": len(self.calls),
                }
            )

    def reset(self) -> None:
        """Forget conversations, views, files, hooks, faults and calls; keep the channels."""
        with self.lock:
            self.conversations.clear()
            self.views.clear()
            self.files.clear()
            self.response_urls.clear()
            self.faults.clear()
            self.rules.rejected_block_types.clear()
            self.calls.clear()
            self.refusals.clear()

    def _check_token(self, token: str | None) -> None:
        if not token:
            raise SlackError("not_authed")
        if token != self.bot_token:
            raise SlackError("invalid_auth")
