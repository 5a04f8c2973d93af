"""Logging to a rotating file in the user's log folder.

Logs never contain names, ID numbers, phones or case text: log case ids and counts, not content;
exceptions are logged by type and stack, without their message (which may quote user input).
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from types import TracebackType

from .paths import user_log_dir


def setup(log_dir: Path | None = None, level: int = logging.INFO) -> Path | None:
    import logging.handlers  # (socket, pickle, queue with it: only for the window, which logs to the file)

    folder = log_dir or user_log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "fulian.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return folder / "fulian.log"


def describe_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The stack and the exception's type, without its message."""
    stack = "".join(traceback.format_tb(tb))
    return f"{stack}{exc_type.__module__}.{exc_type.__qualname__} (message withheld)"
