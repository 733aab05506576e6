"""Expected values computed by `systems` itself, and readers for what the bot posted."""

from __future__ import annotations

from systems.parse import parse

from bot.render.numbers import display_number


def systems_table(definition: str, rounds: int) -> list[list[str]]:
    """The table a run should show, straight from `systems`' own Model.run."""
    model = parse(definition, tracebacks=False)
    visible = [s.name for s in model.stocks if s.show]
    rows = [
        [str(i), *(display_number(snap[n]) for n in visible)]
        for i, snap in enumerate(model.run(rounds=rounds))
    ]
    return [["round", *visible], *rows]


def table(message: dict) -> list[list[str]]:
    block = next(b for b in message["blocks"] if b["type"] == "table")
    return [[cell["text"] for cell in row] for row in block["rows"]]


def block_texts(blocks: list[dict]) -> str:
    """Every piece of text in the blocks, one per line, for asserting on what a person sees."""
    found: list[str] = []
    for block in blocks:
        _collect(block, found)
    return "\n".join(found)


def _collect(node, found: list[str]) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            if isinstance(value, dict | list):
                _collect(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect(item, found)


def replies(standin, channel: str, parent_ts: str) -> list[dict]:
    return [m for m in standin.thread(channel, parent_ts) if m["ts"] != parent_ts]


def bot_replies(standin, channel: str, parent_ts: str) -> list[dict]:
    return [m for m in replies(standin, channel, parent_ts) if m.get("bot_id")]
