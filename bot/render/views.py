"""Block Kit for the help message, the model editor modal and App Home."""

from __future__ import annotations

import json

from bot.render.blocks import button, context, preformatted, section

MODAL_CALLBACK = "sysbot_model_modal"
ACTION_OPEN_EDITOR = "sysbot_open_editor"
DEFINITION_BLOCK, ROUNDS_BLOCK, INPUT_ACTION = "definition", "rounds", "value"
CONVERSATION_BLOCK = "conversation"
MODAL_TEXT_LIMIT = 3000

EXAMPLE_HIRING = """[Candidates] > PhoneScreens @ 25
PhoneScreens > Onsites @ 0.5
Onsites > Offers @ 0.5
Offers > Hires @ 0.7
Hires(5) > Departures @ Leak(0.1)"""

EXAMPLE_MIGRATION = """Legacy(120) > Migrating @ 10
Migrating > Migrated @ Conversion(0.9)
Migrating > Legacy @ Leak(0.05)"""

SYNTAX = (
    "*Syntax*: one stock or flow per line.\n"
    "• `Stock(10)` a stock starting at 10; `Stock(10, 50)` with a maximum of 50\n"
    "• `[Candidates]` an infinite stock (hidden from the table)\n"
    "• `A > B @ 5` moves 5 a round (a rate); `A > B @ 0.5` converts half of `A` a round "
    "(a conversion, whole units only); `A > B @ Leak(0.1)` leaks 10% of `A`\n"
    "• rates may use other stocks: `A > B @ Engineers * 2`\n"
    "• options: `rounds=30`, and `Name=value` to set a stock's starting value"
)


WHAT_IF = (
    "*What if*: give a stock several values to run one scenario per value, a *sweep*: "
    "`Recruiters=1..5`, `Rate=0.1..0.5 step 0.1` or `Recruiters=1,2,4,8` (at most 12, one "
    "stock). Or *find* the starting value that reaches a goal: "
    "`find Recruiters: Hires >= 50 at round 20` (also `<=`, `>`, `<`; without `at round`, "
    "the last round), searching `find Recruiters in 0..100: …` when you give a range. Both "
    "work in `/model`, mentions and thread replies, and a reply to either reruns it."
)


def help_message(with_editor_button: bool) -> dict:
    blocks = [
        section(
            "*Run a stock-and-flow model* with `/model`, written in the "
            "<https://github.com/lethain/systems|systems> language:"
        ),
        *preformatted(f"/model rounds=20\n{EXAMPLE_HIRING}"),
        section(SYNTAX),
        section(
            "Reply in the result's thread with `rounds=50`, `Hires=10`, a changed flow line "
            "such as `PhoneScreens > Onsites @ 0.6`, or `rerun`, and I'll run it again and "
            "show what changed. You can also @-mention me, post a ```systems code block, use "
            "*Run as model* on a message's menu, *New model* in the shortcuts menu, or the "
            "*Run a systems model* step in Workflow Builder."
        ),
        section(WHAT_IF),
    ]
    if with_editor_button:
        editor = button("Open the editor", ACTION_OPEN_EDITOR, "open", primary=True)
        blocks.append({"type": "actions", "elements": [editor]})
    return {"text": "How to use /model: /model rounds=20 followed by your model.", "blocks": blocks}


def model_modal(
    definition: str,
    rounds: int,
    private_metadata: dict,
    max_rounds: int,
    pick_conversation: bool = False,
) -> dict:
    """The editor. With `pick_conversation` it asks where to post (opened from no conversation,
    as by the "New model" shortcut); otherwise the run goes where `private_metadata` says."""
    definition_input = {
        "type": "plain_text_input",
        "action_id": INPUT_ACTION,
        "multiline": True,
        "max_length": MODAL_TEXT_LIMIT,
        "placeholder": {"type": "plain_text", "text": "[Candidates] > Screens @ 5"},
    }
    if definition:
        definition_input["initial_value"] = definition
    rounds_input = {
        "type": "number_input",
        "action_id": INPUT_ACTION,
        "is_decimal_allowed": False,
        "initial_value": str(rounds),
        "min_value": "0",
        "max_value": str(max_rounds),
    }
    return {
        "type": "modal",
        "callback_id": MODAL_CALLBACK,
        "title": {"type": "plain_text", "text": "Run a model"},
        "submit": {"type": "plain_text", "text": "Run"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(private_metadata),
        "blocks": [
            {
                "type": "input",
                "block_id": DEFINITION_BLOCK,
                "element": definition_input,
                "label": {"type": "plain_text", "text": "Model"},
            },
            {
                "type": "input",
                "block_id": ROUNDS_BLOCK,
                "element": rounds_input,
                "label": {"type": "plain_text", "text": "Rounds"},
            },
            *([_conversation_picker()] if pick_conversation else []),
            context([SYNTAX]),
        ],
    }


def _conversation_picker() -> dict:
    """Where to post: the conversation the person was in when Slack knows it. The submission
    then carries a response_url for it, which reaches a conversation the bot is not in."""
    picker = {
        "type": "conversations_select",
        "action_id": INPUT_ACTION,
        "default_to_current_conversation": True,
        "response_url_enabled": True,
        "filter": {"include": ["public", "private", "im", "mpim"], "exclude_bot_users": True},
    }
    return {
        "type": "input",
        "block_id": CONVERSATION_BLOCK,
        "element": picker,
        "label": {"type": "plain_text", "text": "Post in"},
    }


def no_model_in_message() -> dict:
    """The "Run as model" shortcut's answer, to its user only, for a message with no model."""
    text = (
        "I couldn't find a model in that message. A model is one stock or flow per line, "
        "like this; in a ```systems code block I run it even when a line has a mistake, "
        "and point at it:"
    )
    example = "[Candidates] > Screens @ 25\nScreens > Onsites @ 0.5"
    return {"text": f"{text}\n{example}", "blocks": [section(text), *preformatted(example)]}


def home_view() -> dict:
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "sysbot"}},
            section(
                "I run stock-and-flow models written in the "
                "<https://github.com/lethain/systems|systems> language and answer with the "
                "stocks round by round as a table, a chart and plain-language warnings. "
                "The numbers are exactly what `systems` computes."
            ),
            section(SYNTAX),
            section("*Example: a hiring funnel*"),
            *preformatted(EXAMPLE_HIRING),
            section("*Example: a migration*"),
            *preformatted(EXAMPLE_MIGRATION),
            section(
                "*Commands*\n• `/model <model>` runs it and posts the result in the channel "
                "(add `rounds=30`)\n• `/model` alone opens an editor; `/model help` shows "
                "this guide\n• @-mention me with a model, or post a ```systems code block "
                "in a channel I'm in, and I answer in a thread\n• in a direct message with "
                "me, any message holding a model is run\n• *Run as model* in a message's "
                "menu runs it in its thread; *New model* in the shortcuts menu opens the "
                "editor; *Run a systems model* is a Workflow Builder step"
            ),
            section(
                "*Reruns*\nReply in the result's thread with `rounds=50`, `Hires=10` (a "
                "stock's starting value), changed flow lines such as "
                "`PhoneScreens > Onsites @ 0.6`, a new code block, or `rerun`. I run the "
                "changed model and compare it with the run before. Edit your message and I "
                "update my answer. The buttons double the rounds, open the editor, or "
                "upload the full result as CSV.\n*Invite me to the channel* "
                "(`/invite @sysbot`) so I can see thread replies there."
            ),
            section(
                f"{WHAT_IF} A sweep answers with a row per value and a chart line per value "
                "(the stock that changes most); a reply to it compares each scenario with "
                "the sweep before. *CSV* holds every scenario's rounds."
            ),
        ],
    }
