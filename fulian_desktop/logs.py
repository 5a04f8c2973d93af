"""Logging to a rotating file in the user's log folder.

Logs never contain names, ID numbers, phones or case text: log case ids and counts, not content;
exceptions are logged by type and stack, without their message (which may quote user input).
"""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path
from types import TracebackType

from .paths import user_log_dir


def setup(log_dir: Path | None = None, level: int = logging.INFO) -> Path | None:
    folder = log_dir or user_log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingLog(folder / "fulian.log", max_bytes=1_000_000, backups=5)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return folder / "fulian.log"


class RotatingLog(logging.FileHandler):
    """The window's log file, started afresh when the next line would take it past `max_bytes`: the full file
    becomes fulian.log.1, the one before fulian.log.2 …, `backups` of them kept (the oldest dropped) — the rule of
    logging.handlers.RotatingFileHandler, without importing that module, which brings socket, pickle and queue
    with it (≈ 5 ms in front of the sign-in window at every start, issue 22)."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + self.terminator
            if self.stream is None:
                self.stream = self._open()
            size = self.stream.seek(0, os.SEEK_END)  # (another window of the program may have written meanwhile)
            if size > 0 and size + len(line.encode("utf-8")) > self.max_bytes:
                self._start_afresh()
            assert self.stream is not None
            self.stream.write(line)  # (the line formatted once, where StreamHandler.emit would format it again)
            self.flush()
        except Exception:  # noqa: BLE001 - as logging does: the program goes on, the log says what it can
            self.handleError(record)

    def _start_afresh(self) -> None:
        assert self.stream is not None
        self.stream.close()
        self.stream = None
        base = self.baseFilename
        for n in range(self.backups - 1, 0, -1):  # fulian.log.4 → .5 (the old .5 gone), … .1 → .2
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        if self.backups > 0:
            os.replace(base, f"{base}.1")
        else:
            os.remove(base)
        self.stream = self._open()


def describe_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> str:
    """The stack and the exception's type, without its message."""
    stack = "".join(traceback.format_tb(tb))
    return f"{stack}{exc_type.__module__}.{exc_type.__qualname__} (message withheld)"
