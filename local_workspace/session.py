"""The person at the local page, as Slack sees them: each of their actions becomes the signed
request Slack would send to the bot, and ``state()`` is the stand-in's workspace as Slack would
show it to them.

Every action goes through ``SlackSender`` to the bot's real HTTP endpoint, so signature checks,
Bolt's routing and the listeners run exactly as they do behind Slack. What Slack would show but
never stores (a slash command's HTTP answer, a modal being closed) is kept here.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bot.slack.listeners.shortcuts import NEW_MODEL, RUN_AS_MODEL
from slack_standin import BOT_ID, BOT_NAME, BOT_USER_ID, SlackError, SlackStandIn
from slack_standin.sender import USER, BotResponse, NoSuchButton, SlackSender

GENERAL, RANDOM, DIRECT = "C01GENERAL", "C02RANDOM", "D01SYSBOT"
USER_NAME = "you"
SLACKBOT = "USLACKBOT"
COMMAND = "/model"
# People type "@sysbot"; Slack stores and delivers mentions as "<@USERID>".
MENTION = re.compile(rf"(?<![\w<])@{BOT_NAME}\b")
# Where a select's choice is in view.state.values (a text input's is under "value").
SELECTED = {"conversations_select": "selected_conversation"}


class ActionError(ValueError):
    """A page request that cannot be carried out; the message is shown to the person."""


@dataclass
class Outcome:
    """What the page learns from one action: the bot's HTTP answers, and any form errors."""

    statuses: list[int] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, response: BotResponse) -> BotResponse:
        self.statuses.append(response.status_code)
        return response

    def as_json(self) -> dict[str, Any]:
        ok = all(200 <= status < 300 for status in self.statuses)
        return {"ok": ok and not self.errors, "statuses": self.statuses, "errors": self.errors}


def add_page_channels(standin: SlackStandIn) -> None:
    """#general with the bot, #random without it, and a direct message with the bot."""
    standin.add_channel(GENERAL, name="general", bot_is_member=True)
    standin.add_channel(RANDOM, name="random", bot_is_member=False)
    standin.add_channel(DIRECT, name=BOT_NAME, bot_is_member=True)


class PageSession:
    """One person's session in the local workspace."""

    def __init__(self, standin: SlackStandIn, signing_secret: str, bot_url: str = "") -> None:
        self.standin = standin
        self.sender = SlackSender(standin, bot_url, signing_secret)
        self._lock = threading.Lock()
        self._acks: list[dict[str, Any]] = []  # slash command answers, shown as ephemerals
        self._closed_views: set[str] = set()

    @property
    def bot_url(self) -> str:
        """Where the bot's Slack endpoint listens; known once the server has bound its port."""
        return self.sender.bot_url

    @bot_url.setter
    def bot_url(self, url: str) -> None:
        self.sender.bot_url = url

    # -- the page's actions --------------------------------------------------------------------

    def command(self, channel: str, text: str) -> Outcome:
        name, _, argument = text.strip().partition(" ")
        self._channel(channel)
        if name != COMMAND:
            self._note(channel, f"`{name}` is not a valid command here. Try `{COMMAND} help`.")
            return Outcome()
        outcome = Outcome()
        response = outcome.add(self.sender.command(argument.strip(), channel=channel))
        self._keep_ack(channel, response)
        return outcome

    def message(self, channel: str, text: str, thread_ts: str | None = None) -> Outcome:
        if not text.strip():
            raise ActionError("The message is empty.")
        summary = self._channel(channel)
        text = MENTION.sub(f"<@{BOT_USER_ID}>", text)
        try:
            event = self.sender.user_message(text, channel=channel, thread_ts=thread_ts)
        except SlackError as error:  # a thread deleted meanwhile
            raise ActionError(f"Slack would refuse that message ({error.error}).") from None
        outcome = Outcome()
        # Slack delivers nothing from a channel the bot has not been invited to.
        if summary["bot_is_member"]:
            if f"<@{BOT_USER_ID}>" in text:
                outcome.add(self.sender.event(SlackSender.as_mention(event)))
            outcome.add(self.sender.event(event))
        return outcome

    def edit(self, channel: str, ts: str, text: str) -> Outcome:
        message = self._message(channel, ts)
        if message.get("user") != USER or message.get("bot_id"):
            raise ActionError("You can only edit your own messages.")
        text = MENTION.sub(f"<@{BOT_USER_ID}>", text)
        outcome = Outcome()
        if self._channel(channel)["bot_is_member"]:
            outcome.add(self.sender.edit(channel, ts, text))
        else:
            self.standin.edit_user_message(channel, ts, text)
        return outcome

    def click(self, channel: str, ts: str, action_id: str, ephemeral: bool = False) -> Outcome:
        outcome = Outcome()
        try:
            if ephemeral:
                blocks = self._ephemeral(channel, ts).get("blocks") or []
                outcome.add(self.sender.click_ephemeral(channel, blocks, action_id))
            else:
                outcome.add(self.sender.click(channel, self._message(channel, ts), action_id))
        except NoSuchButton:
            raise ActionError("That button is gone.") from None
        return outcome

    def run_as_model(self, channel: str, ts: str) -> Outcome:
        """ "Run as model" on a message's menu: Slack sends the shortcut wherever the message
        is, the bot's channels or not."""
        message = self._message(channel, ts)
        outcome = Outcome()
        outcome.add(self.sender.message_shortcut(RUN_AS_MODEL, channel, message))
        return outcome

    def new_model(self) -> Outcome:
        """ "New model" in the shortcuts menu: a global shortcut, which names no conversation."""
        outcome = Outcome()
        outcome.add(self.sender.global_shortcut(NEW_MODEL))
        return outcome

    def submit(self, view_id: str, values: dict[str, dict[str, str | None]]) -> Outcome:
        view = self._view(view_id)
        outcome = Outcome()
        response = outcome.add(self.sender.submit_view_values(view, _form_state(view, values)))
        answer = _json_or_none(response)
        if answer and answer.get("response_action") == "errors":
            outcome.errors = {str(k): str(v) for k, v in (answer.get("errors") or {}).items()}
        elif 200 <= response.status_code < 300:
            self.close_view(view_id)
        return outcome

    def close_view(self, view_id: str) -> None:
        """Cancel or a successful submit: Slack closes the modal and tells the bot nothing
        (the bot's modals do not ask for view_closed)."""
        with self._lock:
            self._closed_views.add(view_id)

    def open_home(self) -> Outcome:
        outcome = Outcome()
        now = f"{time.time():.6f}"
        event = {"type": "app_home_opened", "user": USER, "channel": DIRECT, "tab": "home"}
        outcome.add(self.sender.event({**event, "event_ts": now}))
        return outcome

    def reset(self) -> None:
        """Forget every message, view and file; the channels stay."""
        self.standin.reset()
        with self._lock:
            self._acks.clear()
            self._closed_views.clear()

    # -- what the page shows -------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        state = self.standin.state()
        with self._lock:
            acks = list(self._acks)
            closed = set(self._closed_views)
        for channel in state["channels"]:
            mine = [e for e in channel["ephemerals"] if e.get("recipient") == USER]
            extra = [a for a in acks if a["channel"] == channel["id"]]
            channel["ephemerals"] = sorted(mine + extra, key=lambda e: float(e["ts"]))
        views = {view["id"]: view for view in state.pop("views")}
        modals = [v for v in views.values() if v["type"] == "modal" and v["id"] not in closed]
        state["modal"] = modals[-1] if modals else None
        home_id = state.pop("home_views").get(USER)
        state["home"] = views.get(home_id) if home_id else None
        state["me"] = {"id": USER, "name": USER_NAME}
        return state

    def file(self, file_id: str) -> tuple[bytes, str, str]:
        """(content, mimetype, filename) of an uploaded file; KeyError if there is none."""
        record = next((f for f in self.standin.files if f["id"] == file_id), None)
        if record is None:
            raise KeyError(file_id)
        return self.standin.file_content(file_id), record["mimetype"], record["name"]

    # -- helpers -------------------------------------------------------------------------------

    def _keep_ack(self, channel: str, response: BotResponse) -> None:
        """Slack shows a command's non-empty HTTP answer to the person who typed it only."""
        if not response.text.strip():
            return
        answer = _json_or_none(response) or {"text": response.text}
        if not (200 <= response.status_code < 300):
            answer = {"text": f"The bot answered HTTP {response.status_code}: {response.text}"}
        content = {k: answer[k] for k in ("text", "blocks") if k in answer}
        self._add_ack(channel, {**content, "user": BOT_USER_ID, "bot_id": BOT_ID})

    def _note(self, channel: str, text: str) -> None:
        """What Slack itself says, e.g. about an unknown command."""
        self._add_ack(channel, {"text": text, "user": SLACKBOT, "from_slack": True})

    def _add_ack(self, channel: str, message: dict[str, Any]) -> None:
        with self._lock:
            stamp = f"{time.time():.6f}"
            self._acks.append(
                {**message, "ts": stamp, "channel": channel, "recipient": USER, "ack": True}
            )

    def _channel(self, channel_id: str) -> dict[str, Any]:
        for channel in self.standin.state()["channels"]:
            if channel["id"] == channel_id:
                return channel
        raise ActionError(f"There is no channel {channel_id}.")

    def _message(self, channel: str, ts: str) -> dict[str, Any]:
        for top in self._channel(channel)["messages"]:
            for message in [top, *top.get("replies", [])]:
                if message["ts"] == ts:
                    return {k: v for k, v in message.items() if k != "replies"}
        raise ActionError("That message is gone.")

    def _ephemeral(self, channel: str, ts: str) -> dict[str, Any]:
        for channel_state in self.state()["channels"]:
            for message in channel_state["ephemerals"] if channel_state["id"] == channel else []:
                if message["ts"] == ts:
                    return message
        raise ActionError("That message is gone.")

    def _view(self, view_id: str) -> dict[str, Any]:
        view = next((v for v in self.standin.views if v["id"] == view_id), None)
        if view is None:
            raise ActionError("That form is gone.")
        return view


def _form_state(view: dict[str, Any], values: dict[str, dict[str, str | None]]) -> dict:
    """``view.state.values`` as Slack fills it: each input's type and what was typed."""
    state: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks") or []:
        element = block.get("element") or {}
        if block.get("type") != "input" or "action_id" not in element:
            continue
        typed = (values.get(block.get("block_id", "")) or {}).get(element["action_id"])
        # Slack sends null, not "", for an input left empty.
        value = typed if typed not in ("", None) else None
        key = SELECTED.get(element["type"], "value")
        state[block["block_id"]] = {element["action_id"]: {"type": element["type"], key: value}}
    return state


def _json_or_none(response: BotResponse) -> dict[str, Any] | None:
    try:
        answer = response.json()
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None
