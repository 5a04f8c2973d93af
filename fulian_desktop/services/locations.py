"""Where the live database may lie: on this computer's own disk, never on a USB stick, a network share or in a
folder a sync program (OneDrive, 坚果云, 百度网盘) copies to the internet (unless the technician says so). Every start of the window and every command checks it before anything else,
so this loads the drives module alone — not the backup engine and the database layer behind it."""

from __future__ import annotations

from pathlib import Path

from ..backup import drives
from ..domain.errors import StorageError


def check_live_location(db_path: Path, allow: bool = False) -> None:
    """Refuse a live database on a removable drive or a network share unless explicitly allowed."""
    kind = drives.storage_kind(db_path.parent if not db_path.exists() else db_path)
    if kind != drives.LOCAL and not allow:
        raise StorageError(drives.danger_text(kind))
    service = drives.sync_service(db_path.absolute())
    if service is not None and not allow:
        raise StorageError(drives.sync_text(service))


def location_kind(path: Path) -> str:
    return drives.storage_kind(path)
