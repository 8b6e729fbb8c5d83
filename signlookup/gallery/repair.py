"""What opening a gallery checks and fixes on disk, and what it tells the user.

Two rules. Damage (a database that is missing, empty or unreadable beside sign folders, a
``media/`` that is gone) is refused with nothing changed. Repair runs only under the writer
lock, so no other writer is alive, and removes only that dead writer's own debris (staging
folders, temp files); everything else is moved aside or kept, never deleted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from signlookup.gallery.errors import GalleryDamagedError, GalleryError
from signlookup.gallery.folder import (
    DB_NAME,
    MEDIA,
    POSE_FILE,
    QUARANTINE,
    STAGING_PREFIX,
    TRASH,
    entry_folders,
)


@dataclass
class RepairReport:
    """What ``open`` found and did; empty on a clean open. Shown to the user when not empty."""

    removed_temp_files: list[str] = field(default_factory=list)
    removed_staging: list[str] = field(default_factory=list)  # a dead writer's copies
    quarantined: list[str] = field(default_factory=list)  # media folders no row lists
    missing: list[str] = field(default_factory=list)  # rows kept, their files not found
    unembedded: list[str] = field(default_factory=list)  # rows kept, pose unreadable
    finished_deletes: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # rows rebuilt by ``recover``
    reembedded: int = 0
    index_rebuilt: str = ""  # why, or "" when the saved index was used

    def __bool__(self) -> bool:
        return bool(self.lines() or self.reembedded or self.index_rebuilt)

    def lines(self) -> list[str]:
        """What a user should be told (housekeeping like temp files and re-indexing is left out)."""
        out = []
        if self.recovered:
            out.append(f"recovered {len(self.recovered)} sign(s) from {MEDIA}/")
        if self.quarantined:
            out.append(
                f"moved {len(self.quarantined)} unlisted media folder(s) to {QUARANTINE}/ "
                f"(nothing deleted): {', '.join(self.quarantined)}"
            )
        if self.missing:
            out.append(
                f"{len(self.missing)} sign(s) have missing files (kept; they come back when the "
                f"files do): {', '.join(self.missing)}"
            )
        if self.unembedded:
            out.append(
                f"{len(self.unembedded)} sign(s) could not be embedded and are not searchable "
                f"for now: {', '.join(self.unembedded)}"
            )
        if self.reembedded:
            out.append(
                f"re-embedded {self.reembedded} sign(s) from their stored landmarks for the "
                "current sign encoder"
            )
        return out


def refuse_if_database_lost(root: Path, create: bool) -> None:
    """A missing or 0-byte database beside sign folders is damage, never a new gallery."""
    db_path = root / DB_NAME
    if db_path.exists() and db_path.stat().st_size > 0:
        return
    signs = len(entry_folders(root / MEDIA)) + len(entry_folders(root / TRASH))
    if signs:
        state = "is missing" if not db_path.exists() else "is empty (0 bytes)"
        raise GalleryDamagedError(
            f"damaged gallery {root}: {DB_NAME} {state} but {MEDIA}/ holds {signs} "
            f"sign folder(s); nothing was changed. Put {DB_NAME} back from a backup, or run "
            f"'signlookup gallery recover {root}' to rebuild it from the sign folders"
        )
    if not db_path.exists() and not create:
        raise GalleryError(f"{root} is not a gallery (no {DB_NAME})")


def refuse_if_media_lost(root: Path, listed: int, *, recovering: bool) -> None:
    """Rows without a ``media/`` folder, or sign folders without rows: damage, not emptiness."""
    media = root / MEDIA
    if listed and not media.is_dir():
        raise GalleryDamagedError(
            f"damaged gallery {root}: its {MEDIA}/ folder is missing (moved, or on a drive "
            f"that is not mounted?) while {DB_NAME} lists {listed} sign(s); nothing was changed"
        )
    if not listed and not recovering and (folders := entry_folders(media)):
        raise GalleryDamagedError(
            f"damaged gallery {root}: {DB_NAME} lists no signs but {MEDIA}/ holds "
            f"{len(folders)} sign folder(s); nothing was changed. Put {DB_NAME} back from a "
            f"backup, or run 'signlookup gallery recover {root}'"
        )


def repair_files(
    root: Path,
    rows: Sequence[tuple[int, str, str, str | None]],
    report: RepairReport,
    *,
    adopt_unlisted: bool = False,
) -> list[Path]:
    """Tidy ``root`` against its rows (id, media, gloss, deleted_at); call under the writer lock.

    Temp files and staging folders are copies a dead writer made: removed. Media folders no
    row lists go to ``quarantine/`` (or are returned, for ``recover`` to adopt). Rows whose
    files are missing stay (reported). A delete or restore interrupted between its commit and
    its folder move is finished.
    """
    media, trash = root / MEDIA, root / TRASH
    for tmp in root.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)
        report.removed_temp_files.append(tmp.name)
    trashed = {m for _, m, _, deleted in rows if deleted}
    known = {m for _, m, _, _ in rows}
    unlisted = []
    for child in sorted(media.iterdir()) if media.is_dir() else []:
        if child.name.startswith(STAGING_PREFIX) and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
            report.removed_staging.append(child.name)
        elif not child.is_dir() or child.name.startswith("."):
            continue  # not ours: leave it
        elif child.name not in known and adopt_unlisted:
            unlisted.append(child)
        elif child.name not in known:
            quarantine(root, child, report)
        elif child.name in trashed and not (trash / child.name).exists():
            trash.mkdir(exist_ok=True)
            os.replace(child, trash / child.name)
            report.finished_deletes.append(child.name)
        else:
            for tmp in child.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)
                report.removed_temp_files.append(f"{child.name}/{tmp.name}")
    for id_, name, gloss, deleted in rows:
        if not deleted and not (media / name / POSE_FILE).is_file():
            report.missing.append(f"{gloss} (#{id_})")
    return unlisted


def quarantine(root: Path, folder: Path, report: RepairReport) -> None:
    """Move a folder aside to ``quarantine/`` under a free name; never delete it."""
    (root / QUARANTINE).mkdir(exist_ok=True)
    dest, n = root / QUARANTINE / folder.name, 1
    while dest.exists():
        dest, n = root / QUARANTINE / f"{folder.name}-{n}", n + 1
    os.replace(folder, dest)
    report.quarantined.append(folder.name)
