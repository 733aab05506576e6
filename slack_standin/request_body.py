"""Web API arguments out of a request body, in the two encodings slack_sdk sends.

slack_sdk posts JSON for some methods (chat.postMessage, views.open) and form fields for the
others (chat.delete, files.*), always in the body.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl


def request_args(body: bytes, content_type: str) -> dict[str, Any]:
    if content_type.split(";", 1)[0].strip().lower() == "application/json":
        decoded = json_payload(body)
        return decoded if isinstance(decoded, dict) else {}
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def json_payload(body: bytes) -> Any:
    """The JSON document in ``body``, or None when it is not JSON."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
