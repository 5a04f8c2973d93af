"""The window's log file (logs.RotatingLog): started afresh past its size, five earlier files kept, the oldest
dropped — the rule of logging.handlers.RotatingFileHandler, without loading that module at start-up."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from fulian_desktop import logs


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    log = logging.getLogger("fulian_desktop.test_log_file")
    log.propagate = False
    log.setLevel(logging.INFO)
    yield log
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_the_log_starts_afresh_before_a_line_would_take_it_past_its_size(tmp_path: Path,
                                                                          logger: logging.Logger) -> None:
    handler = logs.RotatingLog(tmp_path / "fulian.log", max_bytes=100, backups=5)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    for n in range(1, 4):  # three lines of 31 bytes (30 and the line's end): 93 bytes, still within 100
        logger.info("第%d行 %s", n, "x" * 22)
    assert not (tmp_path / "fulian.log.1").exists()
    logger.info("第4行 %s", "x" * 22)  # 124 bytes: the full file becomes fulian.log.1
    assert _lines(tmp_path / "fulian.log") == ["第4行 " + "x" * 22]
    assert _lines(tmp_path / "fulian.log.1") == [f"第{n}行 " + "x" * 22 for n in (1, 2, 3)]
    assert all(len(line.encode("utf-8")) + 1 == 31 for line in _lines(tmp_path / "fulian.log.1"))


def test_five_earlier_files_are_kept_and_the_oldest_is_dropped(tmp_path: Path, logger: logging.Logger) -> None:
    handler = logs.RotatingLog(tmp_path / "fulian.log", max_bytes=10, backups=5)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    for n in range(1, 9):  # each line fills a file of its own
        logger.info("line %d", n)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fulian.log", *(f"fulian.log.{n}" for n in range(1, 6))]
    assert _lines(tmp_path / "fulian.log") == ["line 8"]
    assert [_lines(tmp_path / f"fulian.log.{n}") for n in range(1, 6)] == [[f"line {8 - n}"] for n in range(1, 6)]


def test_a_line_longer_than_the_size_still_goes_into_the_file(tmp_path: Path, logger: logging.Logger) -> None:
    handler = logs.RotatingLog(tmp_path / "fulian.log", max_bytes=10, backups=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.info("a line of more than ten bytes")  # into the empty file: nothing to start afresh from
    assert _lines(tmp_path / "fulian.log") == ["a line of more than ten bytes"]
    assert not (tmp_path / "fulian.log.1").exists()


def test_the_log_goes_on_after_an_earlier_start_left_it_nearly_full(tmp_path: Path,
                                                                    logger: logging.Logger) -> None:
    (tmp_path / "fulian.log").write_text("earlier start\n" * 7, encoding="utf-8")  # 98 bytes
    handler = logs.RotatingLog(tmp_path / "fulian.log", max_bytes=100, backups=5)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.info("this start")
    assert _lines(tmp_path / "fulian.log") == ["this start"]
    assert _lines(tmp_path / "fulian.log.1") == ["earlier start"] * 7


def test_setup_logs_the_window_to_fulian_log(tmp_path: Path) -> None:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    try:
        path = logs.setup(tmp_path / "logs")
        assert path == tmp_path / "logs" / "fulian.log"
        logging.getLogger("fulian_desktop.test").info("database opened")
        added = [h for h in root.handlers if h not in before]
        assert [type(h) for h in added] == [logs.RotatingLog]
        assert added[0].max_bytes == 1_000_000 and added[0].backups == 5  # type: ignore[attr-defined]
        for handler in added:
            handler.flush()
        assert _lines(path)[-1].endswith("INFO fulian_desktop.test: database opened")
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
