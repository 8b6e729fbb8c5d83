"""The on-disk layout of a gallery folder: names, the Entry record and its ``entry.json``.

Shared by the store (rows), repair (what open finds on disk) and the importer.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from signlookup.pose.io import atomic_write_bytes

DB_NAME = "gallery.sqlite"
INDEX_NAME = "index.faiss"
METRIC_NAME = "metric.npz"
MEDIA = "media"
TRASH = "trash"
QUARANTINE = "quarantine"
STAGING_PREFIX = ".staging-"
POSE_FILE, THUMB_FILE, META_FILE = "pose.npz", "thumb.png", "entry.json"
VIDEO_EXTENSIONS = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v")
#: What ``entry.json`` keeps of a row: enough for ``recover`` to rebuild it.
METADATA_FIELDS = (
    "gloss",
    "language",
    "source",
    "attribution",
    "signer",
    "added_at",
    "original_name",
)


@dataclass(frozen=True)
class Entry:
    """One sign in the gallery. Paths are absolute; ``video_path`` is None without a video."""

    id: int
    gloss: str
    language: str
    source: str
    attribution: str
    signer: str
    added_at: str
    original_name: str
    frames: int
    fps: float
    encoder_hash: str | None
    folder: Path
    video_file: str | None = None
    content_sha256: str = ""
    deleted_at: str | None = None

    @property
    def pose_path(self) -> Path:
        return self.folder / POSE_FILE

    @property
    def thumbnail_path(self) -> Path:
        return self.folder / THUMB_FILE

    @property
    def video_path(self) -> Path | None:
        return self.folder / self.video_file if self.video_file else None

    @property
    def missing(self) -> bool:
        """The entry's files are not where the row says (a folder moved away, a drive gone)."""
        return not self.pose_path.is_file()

    def metadata(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in METADATA_FIELDS}


def normalise_gloss(gloss: str) -> str:
    """NFC and trimmed: 'café' typed on macOS (NFD) and on Windows (NFC) is the same gloss."""
    return unicodedata.normalize("NFC", gloss).strip()


def gloss_key(gloss: str) -> str:
    """Glosses equal up to case and Unicode form are one sign ('Café' == 'café')."""
    return unicodedata.normalize("NFC", gloss).casefold().strip()


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def entry_folders(folder: Path) -> list[Path]:
    """Sign folders under ``media/`` (or ``trash/``), leaving out staging and hidden names."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")]


def write_metadata(folder: Path, metadata: dict[str, str]) -> None:
    """``entry.json`` beside the files: lets ``recover`` rebuild a lost database losslessly."""
    data = json.dumps(metadata, ensure_ascii=False, indent=1).encode()
    atomic_write_bytes(folder / META_FILE, data)


def read_metadata(folder: Path) -> dict[str, str]:
    """A folder's ``entry.json`` ({} when absent or unreadable: older galleries have none)."""
    try:
        data = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(data.get(k, "")) for k in METADATA_FIELDS} if isinstance(data, dict) else {}
