"""The stand-in's own URL paths, and the absolute URLs it hands out that point back at it.

Slack answers with URLs (upload targets, response_url hooks); the stand-in's versions must lead
to itself, so they are built from the address the server actually bound.
"""

from __future__ import annotations

API_PREFIX = "/api/"
UPLOAD_PREFIX = "/_standin/upload/"
RESPONSE_PREFIX = "/_standin/response/"


class Links:
    def __init__(self, base_url: str = "http://127.0.0.1") -> None:
        self.base_url = base_url  # replaced with the real host:port once the server listens

    def upload(self, file_id: str) -> str:
        return f"{self.base_url}{UPLOAD_PREFIX}{file_id}"

    def response(self, token: str) -> str:
        return f"{self.base_url}{RESPONSE_PREFIX}{token}"
