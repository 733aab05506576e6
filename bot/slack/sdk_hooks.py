"""The one place that reaches into slack_sdk and slack_bolt beyond their public API: it sends
every Web API call, response_url post and file upload through the kept-alive `Transport`.

Written for slack_sdk 3.48.0 and slack_bolt 1.30.0 (pinned in pyproject.toml);
tests/slack/test_sdk_contract.py fails, naming the fact, when what is relied on here changes:

- slack_sdk's `BaseClient._perform_urllib_http_request_internal(url, req)` performs one attempt
  (its retry handlers run around it, so each attempt gets its own timeout here: see
  `PooledWebClient.attempt_timeout`) and answers `{"status", "headers", "body"}`, raising
  urllib's `HTTPError` for a status outside 2xx; `WebhookClient._perform_http_request_internal`
  likewise for response_url posts, answering a `WebhookResponse`; `BaseClient._upload_file`
  posts a file's bytes to its upload URL.
- Bolt builds a new `WebClient` for every request from the app client's settings (so a subclass
  given to `App` is not the client listeners get), and a `Respond` that makes its own
  `WebhookClient`; `before_authorize` middleware (bot/slack/context.py's `DeadlineStarted`)
  runs before anything calls Slack, and what it puts in `context["client"]` and
  `context["respond"]` is what listeners and auth.test use.
- Bolt's `Respond.__call__` takes the keywords of `_build_message`, which builds the message.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from ssl import SSLContext
from typing import Any
from urllib.error import HTTPError
from urllib.request import Request

from slack_bolt.context.respond import Respond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk import WebClient
from slack_sdk.http_retry import RetryHandler
from slack_sdk.web.file_upload_v2_result import FileUploadV2Result
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.slack.web_transport import Answer, Transport

# Web API methods that, sent twice, do what sending them once does: reads, and writes that set a
# state rather than add one. Only these are sent again when a kept connection dies unanswered.
REPLAYABLE_METHODS = frozenset(
    {
        "auth.test",
        "conversations.history",
        "conversations.info",
        "conversations.replies",
        "users.info",
        "chat.update",
        "views.publish",
    }
)


class PooledWebClient(WebClient):
    """slack_sdk's WebClient, its HTTP sent through `transport`; retry handlers run as ever."""

    def __init__(self, *, transport: Transport, **settings: Any) -> None:
        super().__init__(**settings)
        self.transport = transport

    def attempt_timeout(self) -> float:
        """The timeout of the next attempt, each retry's included: the client's own here; a
        subclass may give less (bot/slack/deadline.py's `DeadlineClient`: the time left)."""
        return self.timeout

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        self.timeout = self.attempt_timeout()  # urllib's path, through a proxy, reads it here
        if self.proxy:  # the transport talks to Slack directly; through a proxy urllib does
            return super()._perform_urllib_http_request_internal(url, req)
        replayable = url.rsplit("/", 1)[-1] in REPLAYABLE_METHODS
        answer = self.transport.post(url, *_sent(req), self.timeout, replayable=replayable)
        _raise_outside_2xx(url, answer)
        return {"status": answer.status, "headers": answer.headers, "body": _text(answer)}

    def _upload_file(
        self,
        *,
        url: str,
        data: bytes,
        logger: logging.Logger,
        timeout: int,
        proxy: str | None,
        ssl: SSLContext | None,
    ) -> FileUploadV2Result:
        timeout = self.attempt_timeout()  # slack_sdk passes self.timeout as it was before
        if proxy:
            return super()._upload_file(
                url=url, data=data, logger=logger, timeout=timeout, proxy=proxy, ssl=ssl
            )
        answer = self.transport.post(url, data, {}, timeout, replayable=False)
        _raise_outside_2xx(url, answer)
        return FileUploadV2Result(status=answer.status, body=_text(answer))


AttemptTimeout = Callable[[], float]


class PooledWebhookClient(WebhookClient):
    """slack_sdk's WebhookClient (response_url posts), its HTTP sent through `transport`;
    each attempt's timeout from `attempt_timeout` when given (as `PooledWebClient`'s)."""

    def __init__(
        self,
        *,
        transport: Transport,
        attempt_timeout: AttemptTimeout | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(**settings)
        self.transport = transport
        self._attempt_timeout = attempt_timeout

    def _perform_http_request_internal(self, url: str, req: Request) -> WebhookResponse:
        if self._attempt_timeout is not None:  # urllib's path, through a proxy, reads it too
            self.timeout = self._attempt_timeout()
        if self.proxy:
            return super()._perform_http_request_internal(url, req)
        answer = self.transport.post(url, *_sent(req), self.timeout, replayable=False)
        _raise_outside_2xx(url, answer)
        return WebhookResponse(
            url=url, status_code=answer.status, body=_text(answer), headers=answer.headers
        )


class PooledRespond(Respond):
    """Bolt's `respond`, posting to the response_url through `transport`; with
    `attempt_timeout` and `retry_handlers` when given (else slack_sdk's own)."""

    def __init__(
        self,
        *,
        transport: Transport,
        attempt_timeout: AttemptTimeout | None = None,
        retry_handlers: list[RetryHandler] | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(**settings)
        self.transport = transport
        self.attempt_timeout = attempt_timeout
        self.retry_handlers = retry_handlers

    def __call__(self, text: str | dict = "", **fields: Any) -> WebhookResponse:
        # As Bolt's: a dict is the whole message, and then nothing else counts.
        message = _build_message(**(text if isinstance(text, dict) else {"text": text, **fields}))
        client = PooledWebhookClient(
            url=self.response_url,
            proxy=self.proxy,
            ssl=self.ssl,
            transport=self.transport,
            attempt_timeout=self.attempt_timeout,
            retry_handlers=self.retry_handlers,
        )
        return client.send_dict(message)


def _sent(req: Request) -> tuple[bytes | None, dict[str, str]]:
    """What urllib would send: the body and the headers (its `Connection: close` is added
    only as it sends, so it is not among them)."""
    return req.data, dict(req.header_items())


def _raise_outside_2xx(url: str, answer: Answer) -> None:
    """urlopen's contract, which slack_sdk's callers and retry handlers read: outside 2xx,
    an HTTPError whose read() gives the body."""
    if not 200 <= answer.status < 300:
        raise HTTPError(url, answer.status, answer.reason, answer.headers, io.BytesIO(answer.body))


def _text(answer: Answer) -> str:
    return answer.body.decode(answer.headers.get_content_charset() or "utf-8")
