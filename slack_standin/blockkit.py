"""Block Kit validation with Slack's published limits, reported the way Slack's API reports them.

Every problem is a string such as
``[ERROR] must be at most 3000 characters [json-pointer:/blocks/0/text/text]``, the format Slack
puts in ``response_metadata.messages``, so a failing test says which field broke which rule.
The limits are Slack's published ones (Block Kit reference pages for each block, and the
slack_sdk model classes); where Slack publishes no rule the stand-in accepts rather than guesses.

Only the blocks and elements the bot sends are known here; any other block type is refused as
unsupported, so a block the bot starts to send gets its rules added here before a test passes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

MESSAGE = "message"
VIEW = "view"

MAX_BLOCKS = {MESSAGE: 50, VIEW: 100}
MAX_BLOCK_ID = 255
MAX_ACTION_ID = 255
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_LABEL = 2000
MAX_TABLE_ROWS = 100
MAX_TABLE_CELLS = 20
MAX_CHART_TITLE = 50
MAX_CHART_SERIES = 6
MAX_CHART_POINTS = 20
MAX_CHART_NAME = 20
MAX_AXIS_LABEL = 50
TEXT_TYPES = ("plain_text", "mrkdwn")

MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_CALLBACK_ID = 255
VIEW_TYPES = ("modal", "home")
CONVERSATION_KINDS = {"im", "mpim", "private", "public"}

# Slack's newer blocks render only in messages; modals and App Home reject them.
MESSAGE_ONLY_TYPES = frozenset({"table", "data_visualization"})
VIEW_ONLY_TYPES = frozenset({"input"})


def problem(pointer: str, text: str) -> str:
    """One problem in Slack's ``response_metadata.messages`` format."""
    return f"[ERROR] {text} [json-pointer:{pointer}]"


class BlockChecker:
    """Collects every problem in the blocks of one message or one view.

    One checker per message, because some rules span the whole message: unique block ids and
    one table.
    """

    def __init__(self, surface: str, rejected_types: Collection[str] = ()) -> None:
        self.surface = surface
        self.rejected_types = frozenset(rejected_types)
        self.problems: list[str] = []
        self._block_ids: set[str] = set()
        self._tables = 0

    def check_blocks(self, blocks: Any, pointer: str = "/blocks") -> list[str]:
        """Validate a list of blocks; returns all problems found so far on this checker."""
        blocks = self.items(blocks, pointer, 0, MAX_BLOCKS[self.surface])
        for index, block in enumerate(blocks):
            self._check_block(block, f"{pointer}/{index}")
        return self.problems

    def fail(self, pointer: str, text: str) -> None:
        self.problems.append(problem(pointer, text))

    # -- shared field rules ------------------------------------------------------------------

    def string(self, value: Any, pointer: str, max_len: int, *, required: bool = True) -> None:
        if value is None:
            if required:
                self.fail(pointer, "is required")
        elif not isinstance(value, str):
            self.fail(pointer, "must be a string")
        elif required and not value:
            self.fail(pointer, "must be at least 1 character")
        elif len(value) > max_len:
            self.fail(pointer, f"must be at most {max_len} characters")

    def text_object(
        self, value: Any, pointer: str, max_len: int, *, plain_only: bool = False
    ) -> None:
        if not isinstance(value, dict):
            self.fail(pointer, "must be a text object")
            return
        allowed = ("plain_text",) if plain_only else TEXT_TYPES
        if value.get("type") not in allowed:
            self.fail(f"{pointer}/type", f"must be one of {', '.join(allowed)}")
        self.string(value.get("text"), f"{pointer}/text", max_len)

    def items(self, value: Any, pointer: str, low: int, high: int | None = None) -> list[Any]:
        """The list at ``pointer`` (checked against its size bounds), or [] if it is no list."""
        if not isinstance(value, list):
            self.fail(pointer, "must be an array")
            return []
        if len(value) < low:
            self.fail(pointer, f"must contain at least {low} items")
        elif high is not None and len(value) > high:
            self.fail(pointer, f"must contain no more than {high} items")
        return value

    def action_ids(self, elements: list[Any], pointer: str) -> None:
        """Slack needs each action_id unique within its block to route clicks."""
        seen: set[str] = set()
        for index, element in enumerate(elements):
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if action_id is None:
                continue
            element_pointer = f"{pointer}/{index}/action_id"
            self.string(action_id, element_pointer, MAX_ACTION_ID)
            if not isinstance(action_id, str):
                continue
            if action_id in seen:
                self.fail(element_pointer, f"duplicate action_id `{action_id}` in block")
            seen.add(action_id)

    def count_table(self, pointer: str) -> None:
        self._tables += 1
        if self._tables > 1:
            self.fail(pointer, "only_one_table_allowed: a message may contain one table block")

    # -- one block -----------------------------------------------------------------------------

    def _check_block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict):
            self.fail(pointer, "must be an object")
            return
        block_type = block.get("type")
        if not self._type_allowed(block_type, f"{pointer}/type"):
            return
        self._check_block_id(block.get("block_id"), f"{pointer}/block_id")
        BLOCK_RULES[block_type](self, block, pointer)

    def _type_allowed(self, block_type: Any, pointer: str) -> bool:
        known = isinstance(block_type, str) and block_type in BLOCK_RULES
        if not known or block_type in self.rejected_types:
            self.fail(pointer, f"unsupported block type `{block_type}`")
            return False
        wrong_surface = MESSAGE_ONLY_TYPES if self.surface == VIEW else VIEW_ONLY_TYPES
        if block_type in wrong_surface:
            self.fail(pointer, f"block type `{block_type}` is not allowed in a {self.surface}")
            return False
        return True

    def _check_block_id(self, block_id: Any, pointer: str) -> None:
        if block_id is None:
            return
        self.string(block_id, pointer, MAX_BLOCK_ID)
        if not isinstance(block_id, str):
            return
        if block_id in self._block_ids:
            self.fail(pointer, f"duplicate block_id `{block_id}`")
        self._block_ids.add(block_id)


# -- block rules ---------------------------------------------------------------------------------


def _section(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    ck.text_object(block.get("text"), f"{pointer}/text", MAX_SECTION_TEXT)


def _header(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    ck.text_object(block.get("text"), f"{pointer}/text", MAX_HEADER_TEXT, plain_only=True)


def _context(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    elements = ck.items(block.get("elements"), f"{pointer}/elements", 1, MAX_CONTEXT_ELEMENTS)
    for index, element in enumerate(elements):
        ck.text_object(element, f"{pointer}/elements/{index}", MAX_SECTION_TEXT)


def _actions(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    elements = ck.items(block.get("elements"), f"{pointer}/elements", 1, MAX_ACTIONS_ELEMENTS)
    for index, element in enumerate(elements):
        _button(ck, element, f"{pointer}/elements/{index}")
    ck.action_ids(elements, f"{pointer}/elements")


def _input(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    ck.text_object(block.get("label"), f"{pointer}/label", MAX_LABEL, plain_only=True)
    element = block.get("element")
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        ck.fail(f"{pointer}/element", "must be an element object with a type")
    ck.action_ids([element], f"{pointer}/element")
    if element.get("type") == "conversations_select":
        _conversations_select(ck, element, f"{pointer}/element")


def _conversations_select(ck: BlockChecker, element: dict[str, Any], pointer: str) -> None:
    """The conversation picker the bot's editor uses: its switches are booleans and its filter
    names kinds of conversation Slack knows."""
    for flag in ("default_to_current_conversation", "response_url_enabled"):
        if not isinstance(element.get(flag, False), bool):
            ck.fail(f"{pointer}/{flag}", "must be a boolean")
    conversation_filter = element.get("filter", {})
    if not isinstance(conversation_filter, dict):
        ck.fail(f"{pointer}/filter", "must be an object")
        return
    include = conversation_filter.get("include", [])
    if not isinstance(include, list) or not set(include) <= CONVERSATION_KINDS:
        ck.fail(f"{pointer}/filter/include", f"must list some of {sorted(CONVERSATION_KINDS)}")


def _rich_text(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    containers = ck.items(block.get("elements"), f"{pointer}/elements", 1)
    for index, container in enumerate(containers):
        _preformatted(ck, container, f"{pointer}/elements/{index}")


def _preformatted(ck: BlockChecker, container: Any, pointer: str) -> None:
    if not isinstance(container, dict) or container.get("type") != "rich_text_preformatted":
        ck.fail(pointer, "must be a rich_text_preformatted element")
        return
    for index, element in enumerate(ck.items(container.get("elements"), f"{pointer}/elements", 0)):
        element_pointer = f"{pointer}/elements/{index}"
        if not isinstance(element, dict) or element.get("type") != "text":
            ck.fail(element_pointer, "must be a text element")
        elif not isinstance(element.get("text"), str):
            ck.fail(f"{element_pointer}/text", "must be a string")


def _button(ck: BlockChecker, button: Any, pointer: str) -> None:
    if not isinstance(button, dict) or button.get("type") != "button":
        ck.fail(pointer, "must be a button element")
        return
    ck.text_object(button.get("text"), f"{pointer}/text", MAX_BUTTON_TEXT, plain_only=True)
    ck.string(button.get("value"), f"{pointer}/value", MAX_BUTTON_VALUE, required=False)
    if button.get("style") not in (None, "primary", "danger"):
        ck.fail(f"{pointer}/style", "must be one of primary, danger")


# -- table ---------------------------------------------------------------------------------------


def _table(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    ck.count_table(pointer)
    rows = ck.items(block.get("rows"), f"{pointer}/rows", 1, MAX_TABLE_ROWS)
    widths = {len(row) for row in rows if isinstance(row, list)}
    if len(widths) > 1:
        ck.fail(f"{pointer}/rows", "every row must have the same number of cells")
    for index, row in enumerate(rows):
        _table_row(ck, row, f"{pointer}/rows/{index}")
    if "column_settings" in block:
        _column_settings(ck, block["column_settings"], f"{pointer}/column_settings")


def _table_row(ck: BlockChecker, row: Any, pointer: str) -> None:
    for index, cell in enumerate(ck.items(row, pointer, 1, MAX_TABLE_CELLS)):
        cell_pointer = f"{pointer}/{index}"
        if not isinstance(cell, dict) or cell.get("type") != "raw_text":
            ck.fail(cell_pointer, "must be a raw_text cell")
        else:
            ck.string(cell.get("text"), f"{cell_pointer}/text", MAX_SECTION_TEXT)


def _column_settings(ck: BlockChecker, settings: Any, pointer: str) -> None:
    for index, setting in enumerate(ck.items(settings, pointer, 0, MAX_TABLE_CELLS)):
        if setting is None:
            continue  # null keeps the defaults for that column
        if not isinstance(setting, dict):
            ck.fail(f"{pointer}/{index}", "must be an object")
        elif setting.get("align") not in (None, "left", "center", "right"):
            ck.fail(f"{pointer}/{index}/align", "must be one of left, center, right")


# -- data_visualization --------------------------------------------------------------------------


def _data_visualization(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    ck.string(block.get("title"), f"{pointer}/title", MAX_CHART_TITLE)
    chart = block.get("chart")
    if not isinstance(chart, dict):
        ck.fail(f"{pointer}/chart", "is required and must be an object")
        return
    if chart.get("type") != "line":
        ck.fail(f"{pointer}/chart/type", "unsupported chart type: the stand-in knows line charts")
        return
    categories = _axis_config(ck, chart.get("axis_config"), f"{pointer}/chart/axis_config")
    _series(ck, chart.get("series"), categories, f"{pointer}/chart/series")


def _axis_config(ck: BlockChecker, axis: Any, pointer: str) -> set[str]:
    if not isinstance(axis, dict):
        ck.fail(pointer, "is required and must be an object")
        return set()
    categories = ck.items(axis.get("categories"), f"{pointer}/categories", 1)
    for index, category in enumerate(categories):
        ck.string(category, f"{pointer}/categories/{index}", MAX_CHART_NAME)
    for label in ("x_label", "y_label"):
        ck.string(axis.get(label), f"{pointer}/{label}", MAX_AXIS_LABEL, required=False)
    return {category for category in categories if isinstance(category, str)}


def _series(ck: BlockChecker, series: Any, categories: set[str], pointer: str) -> None:
    names: set[str] = set()
    for index, one in enumerate(ck.items(series, pointer, 1, MAX_CHART_SERIES)):
        one = one if isinstance(one, dict) else {}
        name = one.get("name")
        ck.string(name, f"{pointer}/{index}/name", MAX_CHART_NAME)
        if isinstance(name, str) and name in names:
            ck.fail(f"{pointer}/{index}/name", f"duplicate series name `{name}`")
        if isinstance(name, str):
            names.add(name)
        _points(ck, one.get("data"), categories, f"{pointer}/{index}/data")


def _points(ck: BlockChecker, points: Any, categories: set[str], pointer: str) -> None:
    for index, point in enumerate(ck.items(points, pointer, 1, MAX_CHART_POINTS)):
        point = point if isinstance(point, dict) else {}
        label = point.get("label")
        ck.string(label, f"{pointer}/{index}/label", MAX_CHART_NAME)
        if isinstance(label, str) and label not in categories:
            ck.fail(f"{pointer}/{index}/label", f"`{label}` is not one of axis_config.categories")
        value = point.get("value")
        if not isinstance(value, int | float) or isinstance(value, bool):
            ck.fail(f"{pointer}/{index}/value", "must be a number")


BlockRule = Callable[[BlockChecker, dict[str, Any], str], None]

BLOCK_RULES: dict[str, BlockRule] = {
    "section": _section,
    "header": _header,
    "context": _context,
    "actions": _actions,
    "input": _input,
    "rich_text": _rich_text,
    "table": _table,
    "data_visualization": _data_visualization,
}


# -- views ---------------------------------------------------------------------------------------


def check_view(view: Any, rejected_types: Collection[str] = ()) -> list[str]:
    """All problems in a modal or App Home view, blocks included."""
    if not isinstance(view, dict):
        return [problem("/view", "must be an object")]
    checker = BlockChecker(VIEW, rejected_types)
    if view.get("type") not in VIEW_TYPES:
        checker.fail("/view/type", f"must be one of {', '.join(VIEW_TYPES)}")
    _view_buttons(checker, view)
    checker.string(
        view.get("private_metadata"),
        "/view/private_metadata",
        MAX_PRIVATE_METADATA,
        required=False,
    )
    checker.string(view.get("callback_id"), "/view/callback_id", MAX_CALLBACK_ID, required=False)
    checker.check_blocks(view.get("blocks"), "/view/blocks")
    if _has_input(view) and view.get("type") == "modal" and "submit" not in view:
        checker.fail("/view/submit", "is required when the view contains input blocks")
    return checker.problems


def _view_buttons(checker: BlockChecker, view: dict[str, Any]) -> None:
    if view.get("type") == "modal" and "title" not in view:
        checker.fail("/view/title", "is required")
    for name in ("title", "submit", "close"):
        if name in view:
            checker.text_object(view[name], f"/view/{name}", MAX_VIEW_TITLE, plain_only=True)


def _has_input(view: dict[str, Any]) -> bool:
    blocks = view.get("blocks")
    return isinstance(blocks, list) and any(
        isinstance(block, dict) and block.get("type") == "input" for block in blocks
    )
