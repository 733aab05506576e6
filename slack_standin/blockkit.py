"""Block Kit validation with Slack's published limits, reported the way Slack's API reports them.

Every problem is a string such as
``[ERROR] must be at most 3000 characters [json-pointer:/blocks/0/text/text]``, the format Slack
puts in ``response_metadata.messages``, so a failing test says which field broke which rule.
The limits are Slack's published ones (Block Kit reference pages for each block, and the
slack_sdk model classes); where Slack publishes no rule the stand-in accepts rather than guesses.
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
MAX_SECTION_FIELDS = 10
MAX_SECTION_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_URL = 3000
MAX_ALT_TEXT = 2000
MAX_LABEL = 2000
MAX_MARKDOWN_TEXT = 12000
MAX_TABLE_ROWS = 100
MAX_TABLE_CELLS = 20
MAX_CHART_TITLE = 50
MAX_CHART_SERIES = 6
MAX_CHART_POINTS = 20
MAX_CHART_NAME = 20
MAX_AXIS_LABEL = 50
CHART_TYPES = ("line", "bar", "area", "pie")
TEXT_TYPES = ("plain_text", "mrkdwn")
RICH_TEXT_CONTAINERS = (
    "rich_text_section",
    "rich_text_preformatted",
    "rich_text_quote",
    "rich_text_list",
)

MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000
MAX_CALLBACK_ID = 255
VIEW_TYPES = ("modal", "home")

# Slack's newer blocks render only in messages; modals and App Home reject them.
MESSAGE_ONLY_TYPES = frozenset({"table", "data_visualization", "markdown"})
VIEW_ONLY_TYPES = frozenset({"input"})


def problem(pointer: str, text: str) -> str:
    """One problem in Slack's ``response_metadata.messages`` format."""
    return f"[ERROR] {text} [json-pointer:{pointer}]"


class BlockChecker:
    """Collects every problem in the blocks of one message or one view.

    One checker per message, because some rules span the whole message: unique block ids,
    one table, and the cumulative size of markdown blocks.
    """

    def __init__(self, surface: str, rejected_types: Collection[str] = ()) -> None:
        self.surface = surface
        self.rejected_types = frozenset(rejected_types)
        self.problems: list[str] = []
        self._block_ids: set[str] = set()
        self._tables = 0
        self._markdown_chars = 0

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

    def count_markdown(self, text: Any, pointer: str) -> None:
        if isinstance(text, str):
            self._markdown_chars += len(text)
            if self._markdown_chars > MAX_MARKDOWN_TEXT:
                self.fail(
                    pointer, f"markdown blocks exceed {MAX_MARKDOWN_TEXT} characters in total"
                )

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
    if "text" not in block and "fields" not in block:
        ck.fail(pointer, "must provide either text or fields")
    if "text" in block:
        ck.text_object(block["text"], f"{pointer}/text", MAX_SECTION_TEXT)
    if "fields" in block:
        fields = ck.items(block["fields"], f"{pointer}/fields", 1, MAX_SECTION_FIELDS)
        for index, field in enumerate(fields):
            ck.text_object(field, f"{pointer}/fields/{index}", MAX_SECTION_FIELD_TEXT)
    if "accessory" in block:
        _element(ck, block["accessory"], f"{pointer}/accessory")
        ck.action_ids([block["accessory"]], f"{pointer}/accessory")


def _header(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    ck.text_object(block.get("text"), f"{pointer}/text", MAX_HEADER_TEXT, plain_only=True)


def _divider(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    """A divider has nothing to check beyond its type and block_id."""


def _image(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    _image_source(ck, block, pointer)
    if "title" in block:
        ck.text_object(block["title"], f"{pointer}/title", MAX_ALT_TEXT, plain_only=True)


def _image_source(ck: BlockChecker, image: dict[str, Any], pointer: str) -> None:
    if "slack_file" not in image:
        ck.string(image.get("image_url"), f"{pointer}/image_url", MAX_URL)
    ck.string(image.get("alt_text"), f"{pointer}/alt_text", MAX_ALT_TEXT)


def _context(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    elements = ck.items(block.get("elements"), f"{pointer}/elements", 1, MAX_CONTEXT_ELEMENTS)
    for index, element in enumerate(elements):
        element_pointer = f"{pointer}/elements/{index}"
        if isinstance(element, dict) and element.get("type") == "image":
            _image_source(ck, element, element_pointer)
        else:
            ck.text_object(element, element_pointer, MAX_SECTION_TEXT)


def _actions(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    elements = ck.items(block.get("elements"), f"{pointer}/elements", 1, MAX_ACTIONS_ELEMENTS)
    for index, element in enumerate(elements):
        _element(ck, element, f"{pointer}/elements/{index}")
    ck.action_ids(elements, f"{pointer}/elements")


def _input(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    ck.text_object(block.get("label"), f"{pointer}/label", MAX_LABEL, plain_only=True)
    if "hint" in block:
        ck.text_object(block["hint"], f"{pointer}/hint", MAX_LABEL, plain_only=True)
    element = block.get("element")
    _element(ck, element, f"{pointer}/element")
    ck.action_ids([element], f"{pointer}/element")


def _rich_text(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    containers = ck.items(block.get("elements"), f"{pointer}/elements", 1)
    for index, container in enumerate(containers):
        _rich_text_container(ck, container, f"{pointer}/elements/{index}")


def _rich_text_container(ck: BlockChecker, container: Any, pointer: str) -> None:
    if not isinstance(container, dict) or container.get("type") not in RICH_TEXT_CONTAINERS:
        ck.fail(pointer, f"must be one of {', '.join(RICH_TEXT_CONTAINERS)}")
        return
    inner = ck.items(container.get("elements"), f"{pointer}/elements", 0)
    for index, element in enumerate(inner):
        element_pointer = f"{pointer}/elements/{index}"
        if container["type"] == "rich_text_list":
            _rich_text_container(ck, element, element_pointer)
        elif not isinstance(element, dict) or not isinstance(element.get("type"), str):
            ck.fail(element_pointer, "must be a rich text element with a type")
        elif element["type"] == "text" and not isinstance(element.get("text"), str):
            ck.fail(f"{element_pointer}/text", "must be a string")


def _markdown(ck: BlockChecker, block: dict[str, Any], pointer: str) -> None:
    ck.string(block.get("text"), f"{pointer}/text", MAX_MARKDOWN_TEXT)
    ck.count_markdown(block.get("text"), f"{pointer}/text")


# -- interactive elements ------------------------------------------------------------------------


def _element(ck: BlockChecker, element: Any, pointer: str) -> None:
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        ck.fail(pointer, "must be an element object with a type")
    elif element["type"] == "button":
        _button(ck, element, pointer)
    elif element["type"] == "image":
        _image_source(ck, element, pointer)


def _button(ck: BlockChecker, button: dict[str, Any], pointer: str) -> None:
    ck.text_object(button.get("text"), f"{pointer}/text", MAX_BUTTON_TEXT, plain_only=True)
    ck.string(button.get("value"), f"{pointer}/value", MAX_BUTTON_VALUE, required=False)
    ck.string(button.get("url"), f"{pointer}/url", MAX_URL, required=False)
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
        cell_type = cell.get("type") if isinstance(cell, dict) else None
        if cell_type == "raw_text":
            ck.string(cell.get("text"), f"{cell_pointer}/text", MAX_SECTION_TEXT)
        elif cell_type == "rich_text":
            _rich_text(ck, cell, cell_pointer)
        else:
            ck.fail(cell_pointer, "must be a raw_text or rich_text cell")


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
    if chart.get("type") not in CHART_TYPES:
        ck.fail(f"{pointer}/chart/type", f"must be one of {', '.join(CHART_TYPES)}")
    elif chart["type"] == "pie":
        _pie_segments(ck, chart.get("segments"), f"{pointer}/chart/segments")
    else:
        categories = _axis_config(ck, chart.get("axis_config"), f"{pointer}/chart/axis_config")
        _series(ck, chart.get("series"), categories, f"{pointer}/chart/series")


def _pie_segments(ck: BlockChecker, segments: Any, pointer: str) -> None:
    for index, segment in enumerate(ck.items(segments, pointer, 1, MAX_CHART_SERIES)):
        segment = segment if isinstance(segment, dict) else {}
        ck.string(segment.get("label"), f"{pointer}/{index}/label", MAX_CHART_NAME)
        value = segment.get("value")
        if not _is_number(value) or value <= 0:
            ck.fail(f"{pointer}/{index}/value", "must be a number greater than 0")


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
        if not _is_number(point.get("value")):
            ck.fail(f"{pointer}/{index}/value", "must be a number")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


BlockRule = Callable[[BlockChecker, dict[str, Any], str], None]

BLOCK_RULES: dict[str, BlockRule] = {
    "section": _section,
    "header": _header,
    "divider": _divider,
    "image": _image,
    "context": _context,
    "actions": _actions,
    "input": _input,
    "rich_text": _rich_text,
    "markdown": _markdown,
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
    checker.string(view.get("external_id"), "/view/external_id", MAX_CALLBACK_ID, required=False)
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
