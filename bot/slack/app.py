"""Building the Bolt app: one App for Cloud Functions (HTTP) and for `sysbot dev` (Socket Mode)."""

from __future__ import annotations

import logging
import time

from slack_bolt import App
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings
from bot.slack.context import DeadlineStarted, SettingsInContext
from bot.slack.deadline import Clock
from bot.slack.failures import error_handler
from bot.slack.identity import authorizer
from bot.slack.listeners import register_listeners
from bot.slack.sdk_hooks import PooledWebClient
from bot.slack.web_transport import Transport, tls_context


def build_client(settings: Settings) -> PooledWebClient:
    """A Web API client that honours 429 Retry-After and retries dropped connections, over kept
    connections and one TLS context for the process (see web_transport.tls_context)."""
    tls = tls_context()
    return PooledWebClient(
        transport=Transport(tls),
        ssl=tls,
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        logger=_sdk_logger(),
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def _sdk_logger() -> logging.Logger:
    """slack_sdk formats every request body for a debug line whenever its logger's own level is
    NOTSET (its check is `logger.level <= DEBUG`); an explicit level skips that work."""
    logger = logging.getLogger("sysbot.slack_sdk")
    logger.setLevel(logging.WARNING)
    return logger


def _bolt_logger() -> logging.Logger:
    """Bolt copies the root level to its loggers, and at DEBUG it logs whole response bodies,
    users' models included; its own logger keeps it at warnings whatever LOG_LEVEL says."""
    logger = logging.getLogger("sysbot.bolt")
    logger.setLevel(logging.WARNING)
    return logger


def build_app(settings: Settings, clock: Clock = time.monotonic) -> App:
    """The app, with all work done before the HTTP answer (Cloud Functions has no CPU after),
    within one deadline per request. Requests reach it already checked: bot/slack/gate.py
    verifies each signature on the raw bytes, before anything parses them."""
    client = build_client(settings)
    bolt_logger = _bolt_logger()
    # Bolt reads SLACK_BOT_TOKEN itself and warns that `client` and `authorize` leave it unused:
    # authorize() is what uses it. Its own warnings stay on after this.
    bolt_logger.setLevel(logging.ERROR)
    app = App(
        # Without a name Bolt calls inspect.stack() (30-150 ms at cold start). Bolt also names
        # a logger after it and sets its level, so it must not be "sysbot" (our log hierarchy).
        name="sysbot-app",
        client=client,
        signing_secret=settings.slack_signing_secret,
        request_verification_enabled=False,  # the gate did it, before Bolt parsed the body
        process_before_response=True,
        # Bolt makes each request's client anew from this one's settings; this swaps in ours,
        # held to the request's deadline and sending over this client's kept connections.
        before_authorize=DeadlineStarted(settings.slack_deadline_seconds, client.transport, clock),
        # auth.test once per instance, on first use: no Web API call at import. Bolt's own
        # authorization answers a failed auth.test 200, which would lose an event.
        authorize=authorizer(settings.slack_bot_token),
        raise_error_for_unhandled_request=False,
        logger=bolt_logger,
    )
    bolt_logger.setLevel(logging.WARNING)
    app.use(SettingsInContext(settings))
    register_listeners(app)
    app.error(error_handler())
    return app
