"""Refusing oversized request bodies before anything parses them."""

from __future__ import annotations

from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge


def read_body(request: Request, limit: int) -> bytes | None:
    """The body, or None when it is over `limit` bytes (declared or streamed, e.g. chunked).

    The body stays cached on the request, so a later `get_data()` (Bolt's) reads it from memory.
    """
    if (request.content_length or 0) > limit:
        return None
    # Werkzeug stops reading a stream without a length (chunked) at the maximum and returns
    # what it read, silently cut: one byte more shows the body is too long.
    request.max_content_length = limit + 1
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        return None
    return None if len(body) > limit else body
