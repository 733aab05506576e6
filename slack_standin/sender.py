"""What Slack sends the bot: signed slash commands, events and interaction payloads, built
like Slack builds them and sent to the bot's real HTTP endpoint. The tests and the local
workspace page both drive the bot through this one sender."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from .identity import APP_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID
from .slack_standin import SlackStandIn

USER = "U1"
# Slack does not store ephemeral messages, so a click on one names a ts nothing else has.
EPHEMERAL_TS = "1.000001"
_event_ids = itertools.count(1)


class NoSuchButton(LookupError):
    """The message has no button with that action_id, so there is nothing to click."""


@dataclass
class BotResponse:
    """The bot's HTTP answer, as much of it as Slack reads."""

    status_code: int
    text: str

    def json(self):
        return json.loads(self.text)


def signature_headers(
    body: str,
    secret: str,
    timestamp: int | None = None,
    content_type: str = "application/json",
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": f"v0={digest.hexdigest()}",
    }


class SlackSender:
    """Sends Slack's requests to `bot_url`, creating in the stand-in what Slack would hold."""

    def __init__(self, standin: SlackStandIn, bot_url: str, signing_secret: str):
        self.standin = standin
        self.bot_url = bot_url
        self.signing_secret = signing_secret

    # -- transport ---------------------------------------------------------------------------
    def signed_headers(
        self,
        body: str,
        content_type: str,
        extra_headers: dict | None = None,
        signed_at: int | None = None,
    ) -> dict[str, str]:
        signed = signature_headers(body, self.signing_secret, signed_at, content_type)
        return {**signed, **(extra_headers or {})}

    def post(
        self,
        body: str,
        content_type: str,
        extra_headers: dict | None = None,
        url: str | None = None,
        signed_at: int | None = None,
    ) -> BotResponse:
        headers = self.signed_headers(body, content_type, extra_headers, signed_at)
        request = Request(url or self.bot_url, data=body.encode(), headers=headers, method="POST")
        try:
            with urlopen(request, timeout=15) as response:
                return BotResponse(response.status, response.read().decode())
        except HTTPError as error:
            return BotResponse(error.code, error.read().decode())

    def form(self, fields: dict, url: str | None = None) -> BotResponse:
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", url=url)

    # -- slash commands ------------------------------------------------------------------------
    def command(self, text: str, channel: str = "C1", user: str = USER) -> BotResponse:
        return self.form(
            {
                "token": "legacy",
                "team_id": TEAM_ID,
                "team_domain": TEAM_DOMAIN,
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": "planner",
                "command": "/model",
                "text": text,
                "api_app_id": APP_ID,
                "is_enterprise_install": "false",
                "response_url": self.standin.new_response_url(channel, user),
                "trigger_id": self.standin.new_trigger_id(),
            }
        )

    # -- events --------------------------------------------------------------------------------
    def envelope(self, event: dict, event_id: str | None = None) -> dict:
        return {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_event_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }

    def event(
        self,
        event: dict,
        event_id: str | None = None,
        retry: int | None = None,
        url: str | None = None,
        signed_at: int | None = None,
    ) -> BotResponse:
        headers = {}
        if retry:
            headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        body = json.dumps(self.envelope(event, event_id))
        return self.post(body, "application/json", headers, url=url, signed_at=signed_at)

    def user_message(
        self, text: str, channel: str = "C1", thread_ts: str | None = None, user: str = USER
    ) -> dict:
        """A message as Slack stores it and as the `message` event describes it."""
        stored = self.standin.add_user_message(channel, text, user=user, thread_ts=thread_ts)
        event = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": stored["ts"],
            "event_ts": stored["ts"],
            "channel_type": "im" if channel.startswith("D") else "channel",
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return event

    @staticmethod
    def as_mention(message_event: dict) -> dict:
        mention = {k: v for k, v in message_event.items() if k != "channel_type"}
        return {**mention, "type": "app_mention"}

    def edit(self, channel: str, ts: str, text: str, user: str = USER) -> BotResponse:
        previous = next(m for m in self._all_messages(channel) if m["ts"] == ts)
        edited = self.standin.edit_user_message(channel, ts, text)
        message = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "edited": edited.get("edited", {"user": user, "ts": ts}),
        }
        if previous.get("thread_ts") and previous["thread_ts"] != ts:
            message["thread_ts"] = previous["thread_ts"]
        now = f"{time.time():.6f}"
        return self.event(
            {
                "type": "message",
                "subtype": "message_changed",
                "hidden": True,
                "channel": channel,
                "message": message,
                "previous_message": {
                    "type": "message",
                    "user": user,
                    "text": previous.get("text", ""),
                    "ts": ts,
                },
                "ts": now,
                "event_ts": now,
                "channel_type": "channel",
            }
        )

    def _all_messages(self, channel: str) -> list[dict]:
        messages = []
        for top in self.standin.messages(channel):
            messages += self.standin.thread(channel, top["ts"])
        return messages

    # -- interactivity -------------------------------------------------------------------------
    def click(
        self,
        channel: str,
        message: dict,
        action_id: str,
        user: str = USER,
        with_metadata: bool = False,
    ) -> BotResponse:
        """Press a button on a bot message; Slack's payload may not carry the metadata."""
        shown = {k: v for k, v in message.items() if with_metadata or k != "metadata"}
        button = _find_button(message, action_id)
        return self._block_action(channel, message["ts"], button, user, shown)

    def click_ephemeral(
        self, channel: str, blocks: list, action_id: str, user: str = USER
    ) -> BotResponse:
        """Press a button on an ephemeral message: Slack sends no message with the click."""
        button = _find_button({"blocks": blocks}, action_id)
        return self._block_action(channel, EPHEMERAL_TS, button, user, None)

    def _block_action(
        self, channel: str, message_ts: str, button: dict, user: str, message: dict | None
    ) -> BotResponse:
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": "planner", "team_id": TEAM_ID},
            "api_app_id": APP_ID,
            "token": "legacy",
            "container": {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": message is None,
            },
            "trigger_id": self.standin.new_trigger_id(),
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "channel": {"id": channel, "name": "general"},
            "state": {"values": {}},
            "response_url": self.standin.new_response_url(channel, user),
            "actions": [
                {
                    "action_id": button["action_id"],
                    "block_id": "b",
                    "type": "button",
                    "value": button.get("value", ""),
                    "action_ts": f"{time.time():.6f}",
                    "text": button["text"],
                }
            ],
        }
        if message is not None:
            payload["message"] = message
        return self.form({"payload": json.dumps(payload)})

    def submit_view(
        self, view: dict, definition: str, rounds: str | None, user: str = USER
    ) -> BotResponse:
        values = {
            "definition": {"value": {"type": "plain_text_input", "value": definition}},
            "rounds": {"value": {"type": "number_input", "value": rounds}},
        }
        return self.submit_view_values(view, values, user)

    def submit_view_values(self, view: dict, values: dict, user: str = USER) -> BotResponse:
        """Submit a modal with ``view.state.values`` given as Slack fills it:
        ``{block_id: {action_id: {"type": ..., "value": ...}}}`` (the local page's forms)."""
        payload = self.view_submission_payload(view, values, user)
        return self.form({"payload": json.dumps(payload)})

    def view_submission_payload(self, view: dict, values: dict, user: str = USER) -> dict:
        """The ``view_submission`` payload. A conversations_select with
        ``response_url_enabled`` brings a response_url for the conversation picked, as Slack's
        ``response_urls``."""
        payload = {
            "type": "view_submission",
            "team": {"id": TEAM_ID},
            "user": {"id": user, "team_id": TEAM_ID},
            "api_app_id": APP_ID,
            "token": "legacy",
            "trigger_id": self.standin.new_trigger_id(),
            "view": {**view, "id": view.get("id", "V1"), "state": {"values": values}},
        }
        response_urls = self._response_urls(view, values, user)
        if response_urls:
            payload["response_urls"] = response_urls
        return payload

    @staticmethod
    def editor_values(definition: str, rounds: str | None, conversation: str | None) -> dict:
        """The editor's ``state.values`` with its conversation picker set to ``conversation``."""
        return {
            "definition": {"value": {"type": "plain_text_input", "value": definition}},
            "rounds": {"value": {"type": "number_input", "value": rounds}},
            "conversation": {
                "value": {"type": "conversations_select", "selected_conversation": conversation}
            },
        }

    def submit_editor(
        self,
        view: dict,
        definition: str,
        rounds: str | None,
        conversation: str | None,
        user: str = USER,
    ) -> BotResponse:
        """Submit the editor with its conversation picker set to ``conversation``."""
        values = self.editor_values(definition, rounds, conversation)
        return self.submit_view_values(view, values, user)

    def _response_urls(self, view: dict, values: dict, user: str) -> list[dict]:
        urls = []
        for block in view.get("blocks") or []:
            element = block.get("element") or {}
            if block.get("type") != "input" or not element.get("response_url_enabled"):
                continue
            state = values.get(block.get("block_id"), {}).get(element.get("action_id"), {})
            picked = state.get("selected_conversation") or state.get("selected_channel")
            if picked:
                urls.append(
                    {
                        "block_id": block["block_id"],
                        "action_id": element["action_id"],
                        "channel_id": picked,
                        "response_url": self.standin.new_response_url(picked, user),
                    }
                )
        return urls

    # -- shortcuts -----------------------------------------------------------------------------
    def message_shortcut(
        self, callback_id: str, channel: str, message: dict, user: str = USER
    ) -> BotResponse:
        """Choose a shortcut on a message's "More actions" menu."""
        payload = self.message_shortcut_payload(callback_id, channel, message, user)
        return self.form({"payload": json.dumps(payload)})

    def message_shortcut_payload(
        self, callback_id: str, channel: str, message: dict, user: str = USER
    ) -> dict:
        """The ``message_action`` payload of a message shortcut chosen on ``message``."""
        return {
            "type": "message_action",
            "token": "legacy",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "user": {"id": user, "name": "planner", "team_id": TEAM_ID},
            "channel": {"id": channel, "name": channel.lower()},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": self.standin.new_trigger_id(),
            "response_url": self.standin.new_response_url(channel, user),
            "message_ts": message["ts"],
            "message": {k: v for k, v in message.items() if k != "metadata"},
        }

    def global_shortcut(self, callback_id: str, user: str = USER) -> BotResponse:
        """Choose a shortcut in the shortcuts menu: a ``shortcut`` payload, with no channel."""
        payload = {
            "type": "shortcut",
            "token": "legacy",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "user": {"id": user, "username": "planner", "team_id": TEAM_ID},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": self.standin.new_trigger_id(),
        }
        return self.form({"payload": json.dumps(payload)})

    # -- workflow steps ------------------------------------------------------------------------
    def function_executed(self, callback_id: str, inputs: dict) -> dict:
        """A workflow reaching the app's step: the execution starts in the stand-in, and this is
        its ``function_executed`` event (send it with ``event``, retries included)."""
        return self.standin.start_function(callback_id, inputs)


def _find_button(message: dict, action_id: str) -> dict:
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return element
    raise NoSuchButton(f"no button {action_id} in the message")
