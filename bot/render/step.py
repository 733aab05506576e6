"""A run as the Workflow Builder step's outputs (declared in manifest.yaml's `functions`): text a
later step can put in a message as it is."""

from __future__ import annotations

from bot.model import RunResult
from bot.render.blocks import summary_text
from bot.render.numbers import display_number


def step_outputs(result: RunResult, message_link: str | None = None) -> dict[str, str]:
    """`summary` (one line), `final_values` (a `Name = value` line per visible stock, since the
    stocks are only known once a model runs) and, for a posted result, its `message_link`."""
    last = result.rows[-1][1:] if result.rows else [None] * len(result.stocks)
    finals = [
        f"{name} = {display_number(value) if value is not None else 'no value'}"
        for name, value in zip(result.stocks, last, strict=True)
    ]
    outputs = {"summary": summary_text(result), "final_values": "\n".join(finals)}
    if message_link is not None:
        outputs["message_link"] = message_link
    return outputs
