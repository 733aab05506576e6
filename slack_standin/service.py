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
from .faults import Fault, FaultPlan
from .files import FileStore, StoredFile
from .functions import Functions
from .identity import BOT_NAME, BOT_USER_ID
from .links import Links
from .response_urls import ResponseUrls
from .views import ViewStore
from .web_api import MAX_PAGE, WebApi

# How the call log names requests that are not Web API methods.
UPLOAD_ROUTE = "file_upload"
RESPONSE_URL_ROUTE = "response_url"


class SlackService:
    def __init__(self, bot_token: str) -> None:
        self.bot_token = bot_token
        self.lock = threading.RLock()
        self.links = Links()
        # Block types answered with invalid_blocks, as where Slack has not rolled them out yet.
        self.rejected_block_types: set[str] = set()
        self.conversations = Conversations()
        self.views = ViewStore()
        self.files = FileStore(self.links)
        self.response_urls = ResponseUrls(self.links, self.conversations, self.rejected_block_types)
        self.faults = FaultPlan()
        self.functions = Functions()
        self.web_api = WebApi(
            self.conversations, self.views, self.files, self.rejected_block_types, self.functions
        )
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.refusals: list[tuple[str, str]] = []  # (route, error) of every call refused

    # -- used by the HTTP layer ----------------------------------------------------------------

    def begin_api_call(self, method: str, args: dict[str, Any]) -> Fault | None:
        """Record a Web API call and say whether it should fail; faulted calls count too."""
        with self.lock:
            self.calls.append((method, args))
            return self.faults.take(method)

    def api_call(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        """Slack's JSON answer to one Web API call, errors included."""
        with self.lock:
            try:
                self._check_token(token)
                # A deep copy: the answer is serialised after the lock is released.
                return copy.deepcopy(self.web_api.call(method, Args(args), token or ""))
            except SlackError as exc:
                self.refusals.append((method, exc.error))
                return exc.to_body()

    def receive_upload(self, file_id: str, content: bytes) -> bool:
        with self.lock:
            self.calls.append((UPLOAD_ROUTE, {"file_id": file_id, "size": len(content)}))
            return self.files.receive(file_id, content)

    def stored_file(self, file_id: str) -> StoredFile | None:
        with self.lock:
            stored = self.files.get(file_id)
            return copy.copy(stored) if stored and stored.content is not None else None

    def respond(self, token: str, payload: Any, logged: dict[str, Any]) -> tuple[int, str]:
        with self.lock:
            self.calls.append((RESPONSE_URL_ROUTE, logged))
            status, text = self.response_urls.deliver(token, payload)
            if status != 200:
                self.refusals.append((RESPONSE_URL_ROUTE, text))
            return status, text

    def snapshot(self) -> dict[str, Any]:
        """The whole workspace as JSON-ready data, for a page that displays it."""
        with self.lock:
            return copy.deepcopy(
                {
                    "bot": {"user_id": BOT_USER_ID, "name": BOT_NAME},
                    "channels": self.conversations.snapshot(),
                    "views": self.views.all(),
                    "home_views": self.views.home_views(),
                    "files": self.files.completed(),
                    "executions": [e.summary() for e in self.functions.executions.values()],
                }
            )

    def reset(self) -> None:
        """Forget conversations, views, files, hooks, faults and calls; keep the channels."""
        with self.lock:
            self.conversations.clear()
            self.views.clear()
            self.files.clear()
            self.functions.clear()
            self.response_urls.clear()
            self.faults.clear()
            self.rejected_block_types.clear()
            self.web_api.replies_page_limit = MAX_PAGE
            self.conversations.clock.pace_micros = 1
            self.calls.clear()
            self.refusals.clear()

    def _check_token(self, token: str | None) -> None:
        if not token:
            raise SlackError("not_authed")
        # A workflow step's execution token acts as the bot for that execution's calls.
        if token != self.bot_token and not self.functions.is_execution_token(token):
            raise SlackError("invalid_auth")
