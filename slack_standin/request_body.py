"""Decoding request bodies in the encodings Slack clients use.

slack_sdk sends JSON for some methods and form fields for others, and uploads either raw bytes
or multipart forms; the stand-in has to read all of them without ``cgi`` (gone in 3.13).
"""

from __future__ import annotations

import json
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl


def request_args(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """All arguments of a Web API call: query string first, then the body's fields."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    media_type, params = _media_type(content_type)
    if media_type == "application/json":
        decoded = _json_or_none(body)
        if isinstance(decoded, dict):
            args.update(decoded)
    elif media_type == "multipart/form-data":
        for name, _filename, data in multipart_parts(body, params.get("boundary", "")):
            args[name] = data.decode("utf-8", errors="replace")
    elif body:
        args.update(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    return args


def upload_bytes(body: bytes, content_type: str) -> bytes:
    """The file inside an upload request: the first file part of a multipart form, else the body.

    slack_sdk's files_upload_v2 posts raw bytes (labelled as a form by urllib's default),
    while browsers and curl ``-F`` send multipart forms.
    """
    media_type, params = _media_type(content_type)
    if media_type != "multipart/form-data":
        return body
    parts = multipart_parts(body, params.get("boundary", ""))
    for name, filename, data in parts:
        if filename is not None or name == "file":
            return data
    return parts[0][2] if parts else b""


def json_payload(body: bytes) -> Any:
    """The JSON document in ``body``, or None when it is not JSON."""
    return _json_or_none(body)


def multipart_parts(body: bytes, boundary: str) -> list[tuple[str, str | None, bytes]]:
    """(field name, filename, bytes) for each part; binary-safe, unlike the email parser."""
    if not boundary:
        return []
    parts = []
    for chunk in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if chunk.startswith(b"--"):
            break  # the closing delimiter
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = BytesHeaderParser(policy=HTTP).parsebytes(head + b"\r\n\r\n")
        name = headers.get_param("name", header="content-disposition") or ""
        parts.append((str(name), headers.get_filename(), data.removesuffix(b"\r\n")))
    return parts


def _media_type(content_type: str) -> tuple[str, dict[str, str]]:
    header = Message()
    header["content-type"] = content_type or "application/octet-stream"
    params = {key.lower(): str(value) for key, value in header.get_params()[1:]}
    return header.get_content_type(), params


def _json_or_none(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
