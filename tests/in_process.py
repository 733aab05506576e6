"""main.py's functions served in this process by functions-framework's Flask app and its test
client: much faster than a server process, for tests that send thousands of requests."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import functions_framework
import pytest
from flask.testing import FlaskClient

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def function_client(target: str, env: dict[str, str] | None = None) -> Iterator[FlaskClient]:
    """A client for `target`, with `env` set while main.py is loaded: it reads its settings
    then, as it does at a cold start, and configures logging, undone on the way out."""
    with pytest.MonkeyPatch.context() as patch, logging_left_as_found():
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        yield functions_framework.create_app(target, str(REPO / "main.py")).test_client()


@contextlib.contextmanager
def logging_left_as_found() -> Iterator[None]:
    """The bot configures logging as a server process would (and Bolt sets its loggers' levels);
    other tests in this process expect it as they found it."""
    manager = logging.Logger.manager
    levels = {name: lg.level for name, lg in manager.loggerDict.items() if hasattr(lg, "level")}
    root_level, root_handlers = logging.root.level, logging.root.handlers[:]
    try:
        yield
    finally:
        for name, lg in list(manager.loggerDict.items()):
            if hasattr(lg, "setLevel"):
                lg.setLevel(levels.get(name, logging.NOTSET))
        logging.root.setLevel(root_level)
        logging.root.handlers[:] = root_handlers
