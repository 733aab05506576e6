"""The models people are shown (README, help text, App Home, the editor's placeholder), read
from where they are shown, and chatter the bot must leave alone; as Slack sends them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from bot.render.views import help_message, home_view, model_modal
from tests.slack.expect import block_texts

README = Path(__file__).resolve().parents[2] / "README.md"
BOT_MENTION = "<@UBOT>"  # how Slack writes "@sysbot" (the stand-in's bot user)
COMMAND = "/model "
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FENCED = re.compile(r"^ *```[a-z]*\n(.*?)^ *```", re.S | re.M)


class Example(NamedTuple):
    """A model as shown: where, and the text a person would type (with `/model ` or
    `@sysbot` when shown so)."""

    where: str
    typed: str

    @property
    def model(self) -> str:
        """The text without the command or the mention: what a direct message would hold."""
        return self.typed.removeprefix(COMMAND).replace("@sysbot", "").strip()


def documented_examples() -> list[Example]:
    """Every model people are shown: the README's code spans and code block lines with a flow
    in them, the code spans and code blocks of the help and App Home, and the editor's
    placeholder."""
    readme = README.read_text(encoding="utf-8")
    help_blocks = help_message(with_editor_button=True)["blocks"]
    home_blocks = home_view()["blocks"]
    placeholder = model_modal("", 10, {}, 1000)["blocks"][0]["element"]["placeholder"]["text"]
    shown = [
        *(("README", span) for span in _CODE_SPAN.findall(readme)),
        *(
            ("README", line.strip())
            for block in _FENCED.findall(readme)
            for line in block.split("\n")
        ),
        *(("help", span) for span in _CODE_SPAN.findall(block_texts(help_blocks))),
        *(("help", block) for block in _preformatted(help_blocks)),
        *(("App Home", span) for span in _CODE_SPAN.findall(block_texts(home_blocks))),
        *(("App Home", block) for block in _preformatted(home_blocks)),
        ("editor", placeholder),
    ]
    found: dict[str, Example] = {}
    for where, text in shown:
        if " > " in text and " @ " in text:
            found.setdefault(text, Example(where, text))
    return list(found.values())


def _preformatted(blocks: list[dict]) -> list[str]:
    return [
        element["elements"][0]["text"]
        for block in blocks
        if block["type"] == "rich_text"
        for element in block["elements"]
    ]


def as_slack_sends(typed: str) -> str:
    """Text as a `message` event carries it: &, < and > escaped, `@sysbot` a mention."""
    escaped = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.replace("@sysbot", BOT_MENTION)


# Ordinary chat, as typed: none of it holds a model, though most of it has `>` and `@` in it.
_TYPED_CHATTER = [
    "I think a > b at the moment",
    "costs > revenue @ Q3?",
    "costs > revenue @ Q3 2024?",
    "prod > staging @ 5pm",
    "latency > 200ms @ p99",
    "x > y @ 50%",
    "nps > 40 @ q2 :tada:",
    "if x > 5 @ runtime",
    "tests > 0 @ CI, please check",
    "a -> b @ noon",
    "a => b @ noon",
    "a >= b @ noon",
    "> quoted reply @ you",
    "> a > b @ c",
    "A/B test > control @ 95% confidence",
    "Q: is revenue > costs @ year end?",
    "Deploy @ 3pm > yesterday",
    "email bob@example.com > ignore the rest",
    "git log --oneline > out.txt @ HEAD",
    "pagerduty: db-1 > db-2 @ 02:00 failover",
    ":rocket: launch > landing @ :clock3:",
    "we're at 90% > target @ $5",
    "lunch @ noon?",
    "hello > world",
    "2 > 1",
    "a > b @",
    "a > b @ ???",
    "a > b @ lunch(12)",
    "a > b @ 5, 6",
    "# a > b @ 5 was the old plan",
    "see ```code```",
    "```\nprint('hello')\n```",
    "```python\nif a > b: x @ y\n```",
    "```\nSELECT * FROM t WHERE a > b @ 5\n```",
    ":thumbsup: :tada:",
    "let's try x=5 later",
    "rounds=5 sounds good",
]
# Chat with Slack's own markup in it: links, channel and group mentions.
_MARKUP_CHATTER = [
    "<https://example.com/a>b@c|the dashboard> is down",
    "<https://example.com>",
    "see <#C123|general> &gt; <#C456|random> @ noon",
    "ship it &gt;&gt;&gt; <!here>",
    "<!subteam^S1|@oncall> db &gt; cache @ peak?",
]
CHATTER = [as_slack_sends(text) for text in _TYPED_CHATTER] + _MARKUP_CHATTER
