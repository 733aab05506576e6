"""``SlackStandIn``: a local Slack for tests and the try-it-in-the-browser page.

It serves the Web API methods the bot calls on 127.0.0.1, keeps what the bot posted in memory,
and lets a test set the scene (channels, human messages, trigger ids, response URLs), inject
Slack's failures, and inspect the result.

    with SlackStandIn() as slack:
        slack.add_channel("C1", name="general")
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        client.chat_postMessage(channel="C1", text="hi")
        assert slack.messages("C1")[0]["text"] == "hi"

Given a ``Certificate`` (``slack_standin.tls``) it serves HTTPS, and a ``Latency`` makes each
request and each new connection as slow as a far-away Slack's; ``traffic()`` counts both.
"""

from __future__ import annotations

import copy
from types import TracebackType
from typing import Any

from .faults import DEFAULT_SLOW_DELAY, Fault
from .links import API_PREFIX
from .messages import user_message
from .server import Latency, StandInServer, Traffic
from .service import SlackService
from .tls import Certificate


class SlackStandIn:
    """One simulated workspace with one installed bot (see ``identity``), served on 127.0.0.1.

    ``port=0`` picks a free port; with a ``certificate`` it serves HTTPS.
    """

    def __init__(
        self,
        bot_token: str = "xoxb-test-token",
        port: int = 0,
        certificate: Certificate | None = None,
    ) -> None:
        self.bot_token = bot_token
        self._service = SlackService(bot_token)
        tls = certificate.server_context() if certificate is not None else None
        self._server = StandInServer(self._service, port, tls)

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        self._server.start()
        self._service.links.base_url = self._server.base_url
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """e.g. ``http://127.0.0.1:PORT``; raises RuntimeError before start()."""
        return self._server.base_url

    @property
    def api_url(self) -> str:
        """The ``base_url`` to give slack_sdk's WebClient (it appends the method name)."""
        return self.base_url + API_PREFIX

    def bot_settings(self, signing_secret: str) -> dict[str, str]:
        """The environment that points the bot at this stand-in, as Slack's own settings would
        point it at Slack."""
        return {
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_SIGNING_SECRET": signing_secret,
            "SLACK_API_URL": self.api_url,
        }

    # -- setting the scene ---------------------------------------------------------------------

    def add_channel(
        self, channel_id: str, name: str | None = None, bot_is_member: bool = True
    ) -> dict[str, Any]:
        """Add (or reconfigure) a conversation: ids starting C public, G private, D direct."""
        with self._service.lock:
            channel = self._service.conversations.add_channel(channel_id, name, bot_is_member)
            return channel.summary()

    def add_user_message(
        self, channel: str, text: str, user: str = "U1", thread_ts: str | None = None
    ) -> dict[str, Any]:
        """Record a human's message (what a message event would refer to); returns it with ts."""
        with self._service.lock:
            conversations = self._service.conversations
            posted = conversations.post(
                conversations.channel(channel), user_message(text, user), thread_ts
            )
            return copy.deepcopy(posted)

    def add_app_message(
        self,
        channel: str,
        text: str,
        metadata: dict[str, Any],
        thread_ts: str | None = None,
        bot_id: str | None = None,
    ) -> dict[str, Any]:
        """Record a message another app posted with ``metadata`` (any app may attach any
        metadata; one posting with a user token leaves no ``bot_id``); returns it with its ts."""
        message = {**user_message(text, "U0THERAPP"), "app_id": "A0THER", "metadata": metadata}
        if bot_id is not None:
            message["bot_id"] = bot_id
        with self._service.lock:
            conversations = self._service.conversations
            posted = conversations.post(conversations.channel(channel), message, thread_ts)
            return copy.deepcopy(posted)

    def edit_user_message(self, channel: str, ts: str, text: str) -> dict[str, Any]:
        """Edit a message as its author would; returns the edited message."""
        with self._service.lock:
            conversations = self._service.conversations
            message = conversations.message(conversations.channel(channel), ts)
            conversations.edit(message, {"text": text}, message.get("user", ""))
            return copy.deepcopy(message)

    def new_trigger_id(self) -> str:
        """A single-use trigger id for views.open; unlike Slack's, it does not expire."""
        with self._service.lock:
            return self._service.views.new_trigger_id()

    def declare_functions(self, functions: dict[str, dict[str, Any]]) -> None:
        """The app's workflow steps, as its manifest's ``functions`` section declares them:
        completions are checked against their ``output_parameters``."""
        with self._service.lock:
            self._service.functions.declare(functions)

    def start_function(self, callback_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
        """Start an execution of a declared step, as a workflow reaching it would: the
        ``function_executed`` event's fields (execution id, its token, the function as
        declared, the inputs and the event's ts)."""
        with self._service.lock:
            service = self._service
            execution = service.functions.start(
                callback_id, inputs, service.conversations.clock.next()
            )
            return {
                "type": "function_executed",
                "function": service.functions.function_definition(callback_id),
                "inputs": copy.deepcopy(inputs),
                "function_execution_id": execution.id,
                "workflow_execution_id": f"Wx{execution.id[2:]}",
                "event_ts": execution.event_ts,
                "bot_access_token": execution.token,
            }

    def new_response_url(self, channel: str, user: str) -> str:
        """A response_url for an interaction by ``user`` in ``channel``."""
        if not self._server.is_running:
            raise RuntimeError("start the stand-in first: its URLs include the port it binds")
        with self._service.lock:
            return self._service.response_urls.new(channel, user)

    # -- distance --------------------------------------------------------------------------------

    def set_latency(self, latency: Latency) -> None:
        """From now on, sleep ``latency.request`` before answering each request and
        ``latency.connection`` before serving each new connection."""
        self._server.set_latency(latency)

    def close_connections(self) -> None:
        """Close every open connection, as Slack's servers close idle keep-alive connections."""
        self._server.close_connections()

    # -- faults --------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        *,
        delay: float | None = None,
        drop: bool = False,
    ) -> None:
        """Make the next ``times`` calls to the Web API ``method`` fail.

        Default: HTTP 429 ``ratelimited`` with ``Retry-After``. ``status=500``: HTTP 500.
        ``delay=s``: perform the call but answer ``s`` seconds late. ``drop=True``: close the
        connection without answering, the call not performed.
        """
        if drop:
            fault = Fault(drop=True)
        elif delay is not None:
            fault = Fault(delay=delay)
        else:
            fault = _status_fault(status, retry_after)
        with self._service.lock:
            self._service.faults.queue(method, fault, times)

    def start_outage(self, status: int = 429, retry_after: int = 30, *, delay: float | None = None):
        """Fail every Web API call from now until ``end_outage()``, as when Slack rate-limits
        the app (429 with ``Retry-After``), is down (``status=500``) or hangs (``delay=s``: each
        call is performed and answered ``s`` seconds late)."""
        fault = Fault(delay=delay) if delay is not None else _status_fault(status, retry_after)
        with self._service.lock:
            self._service.faults.outage = fault

    def end_outage(self) -> None:
        with self._service.lock:
            self._service.faults.outage = None

    def set_random_faults(
        self, rate: float, seed: int | None = None, slow_delay: float = DEFAULT_SLOW_DELAY
    ) -> None:
        """Fail each Web API call with probability ``rate`` (0 turns it off).

        The failure is drawn from: 429 (Retry-After 1), 500, a dropped connection, and an answer
        ``slow_delay`` seconds late. A fixed ``seed`` makes the sequence repeatable.
        """
        with self._service.lock:
            self._service.faults.set_random(rate, seed, slow_delay)

    def pace_messages(self, seconds: float) -> None:
        """Space the timestamps of new messages at least ``seconds`` apart, as people's are: a
        thread built in a test's few milliseconds then spans hours, as one in Slack would."""
        with self._service.lock:
            self._service.conversations.clock.pace_micros = max(1, int(seconds * 1_000_000))

    def set_replies_page_limit(self, limit: int) -> None:
        """Answer ``conversations.replies`` with at most ``limit`` messages a page, as Slack does
        (15) for apps distributed outside the Marketplace."""
        with self._service.lock:
            self._service.web_api.replies_page_limit = limit

    def reject_block_type(self, block_type: str) -> None:
        """Answer ``invalid_blocks`` for any content containing this block type.

        Slack rolls new blocks out gradually; this is how a test proves the bot falls back.
        """
        with self._service.lock:
            self._service.rejected_block_types.add(block_type)

    # -- inspection ----------------------------------------------------------------------------

    def traffic(self) -> Traffic:
        """HTTP requests served and connections accepted since start (resets keep them)."""
        return self._server.traffic()

    @property
    def calls(self) -> list[tuple[str, dict[str, Any]]]:
        """Every request so far as (method, args), refused and faulted ones included; uploads
        and response_url posts appear as "file_upload" and "response_url"."""
        with self._service.lock:
            return copy.deepcopy(self._service.calls)

    @property
    def refusals(self) -> list[tuple[str, str]]:
        """(method, Slack's error) for every Web API call and response_url post refused."""
        with self._service.lock:
            return list(self._service.refusals)

    def methods(self) -> list[str]:
        """The method of every request so far, as `calls` names them (no copy of their args)."""
        with self._service.lock:
            return [method for method, _ in self._service.calls]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == method]

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """The channel's top-level messages in order."""
        with self._service.lock:
            conversations = self._service.conversations
            return copy.deepcopy(conversations.top_level(conversations.channel(channel)))

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        """The thread's parent followed by its replies in order."""
        with self._service.lock:
            conversations = self._service.conversations
            return copy.deepcopy(conversations.thread(conversations.channel(channel), ts))

    def ephemerals(self, channel: str) -> list[dict[str, Any]]:
        """Ephemeral messages in the channel; ``recipient`` is the user who sees each."""
        with self._service.lock:
            return copy.deepcopy(self._service.conversations.channel(channel).ephemerals)

    @property
    def views(self) -> list[dict[str, Any]]:
        """Every opened or published view in its latest state."""
        with self._service.lock:
            return copy.deepcopy(self._service.views.all())

    @property
    def executions(self) -> list[dict[str, Any]]:
        """Every step execution started: its state ("running", "completed" or "failed"),
        the outputs it completed with or the error it failed with."""
        with self._service.lock:
            return [e.summary() for e in self._service.functions.executions.values()]

    @property
    def files(self) -> list[dict[str, Any]]:
        """Slack file objects of every completed upload."""
        with self._service.lock:
            return copy.deepcopy(self._service.files.completed())

    def file_content(self, file_id: str) -> bytes:
        stored = self._service.stored_file(file_id)
        if stored is None or stored.content is None:
            raise KeyError(f"no uploaded bytes for file {file_id}")
        return stored.content

    def state(self) -> dict[str, Any]:
        """The whole workspace as JSON-ready data: channels with their messages, threads and
        ephemerals, views, and files."""
        return self._service.snapshot()

    def reset(self) -> None:
        """Forget messages, views, files, step executions, hooks, faults, rejected block types and
        calls; channels and declared steps stay."""
        self._service.reset()


def _status_fault(status: int, retry_after: int) -> Fault:
    return Fault(status=status, retry_after=retry_after if status == 429 else None)
