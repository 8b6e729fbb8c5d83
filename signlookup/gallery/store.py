"""The gallery: a folder the user owns, holding sign entries and the index that searches them.

Layout::

    DIR/gallery.sqlite          metadata + one embedding per entry (so the index can be rebuilt
                                without MediaPipe), a schema version and a change counter
    DIR/media/<uid>/pose.npz    cached landmarks (the entry's source of truth for embedding)
    DIR/media/<uid>/video.mp4   the clip (optional: keypoint-only entries have none)
    DIR/media/<uid>/thumb.png   thumbnail from the middle of the signing
    DIR/index.faiss             derived; rebuilt when missing, corrupt or out of step

Crash safety comes from ordering. An entry's files are written into ``media/.staging-<uid>`` and
renamed to ``media/<uid>`` *before* its row is inserted in one SQLite transaction, so a row always
points at complete files; a crash leaves at worst a staging or orphan folder, which ``open``
deletes. Deletion commits the row removal first and the files after. The index file is written to
a temporary name and renamed, and carries the encoder hash and change counter it was built from;
any mismatch on open means "rebuild from the stored embeddings", which is cheap.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signlookup.files import file_sha256
from signlookup.gallery.media import thumbnail_png
from signlookup.index import FaissIndex, IndexFileError, IndexHeader, choose_kind
from signlookup.pose.io import PoseFileError, atomic_write_bytes, load_npz, save_npz
from signlookup.pose.sequence import PoseSequence

if TYPE_CHECKING:
    from signlookup.encoder.base import Embedder

SCHEMA_VERSION = 1
DB_NAME = "gallery.sqlite"
INDEX_NAME = "index.faiss"
MEDIA = "media"
STAGING_PREFIX = ".staging-"
POSE_FILE, THUMB_FILE = "pose.npz", "thumb.png"
VIDEO_EXTENSIONS = (".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v")
#: Sequences embedded per batch when (re-)embedding; each batch is one transaction, so an
#: interrupted re-embed resumes where it stopped.
EMBED_BATCH = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: faiss ids stay unique
    media         TEXT NOT NULL UNIQUE,               -- folder name under media/
    gloss         TEXT NOT NULL,
    language      TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT '',
    attribution   TEXT NOT NULL DEFAULT '',
    signer        TEXT NOT NULL DEFAULT '',
    added_at      TEXT NOT NULL,
    original_name TEXT NOT NULL DEFAULT '',
    video_file    TEXT,                               -- NULL for keypoint-only entries
    content_sha256 TEXT NOT NULL DEFAULT '',          -- of the imported file, to skip duplicates
    frames        INTEGER NOT NULL,
    fps           REAL NOT NULL,
    encoder_hash  TEXT,                               -- NULL until embedded
    embedding     BLOB                                -- float32 (dim,), unit length
);
CREATE INDEX IF NOT EXISTS entries_gloss ON entries (gloss);
CREATE INDEX IF NOT EXISTS entries_sha ON entries (content_sha256);
"""
_ENTRY_COLUMNS = (
    "id, media, gloss, language, source, attribution, signer, added_at, original_name, "
    "video_file, content_sha256, frames, fps, encoder_hash"
)
_EDITABLE = ("gloss", "language", "source", "attribution", "signer")


class GalleryError(Exception):
    """A user-facing gallery problem (not a gallery, newer schema, unknown entry, bad input)."""


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

    @property
    def pose_path(self) -> Path:
        return self.folder / POSE_FILE

    @property
    def thumbnail_path(self) -> Path:
        return self.folder / THUMB_FILE

    @property
    def video_path(self) -> Path | None:
        return self.folder / self.video_file if self.video_file else None


@dataclass
class RepairReport:
    """What ``open`` fixed; empty on a clean open. Shown to the user by the GUI if not empty."""

    removed_temp_files: list[str] = field(default_factory=list)
    removed_orphan_folders: list[str] = field(default_factory=list)
    dropped_entries: list[str] = field(default_factory=list)
    reembedded: int = 0
    index_rebuilt: str = ""  # why, or "" when the saved index was used

    def __bool__(self) -> bool:
        return bool(
            self.removed_temp_files
            or self.removed_orphan_folders
            or self.dropped_entries
            or self.reembedded
            or self.index_rebuilt
        )


@dataclass
class ImportReport:
    """Outcome of importing a folder: what was added, skipped as already present, or failed."""

    added: list[Entry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    stopped: bool = False


ProgressCallback = Callable[[int, int, str], None]


def normalise_gloss(gloss: str) -> str:
    """NFC and trimmed: 'café' typed on macOS (NFD) and on Windows (NFC) is the same gloss."""
    return unicodedata.normalize("NFC", gloss).strip()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Gallery:
    """A gallery folder; thread-safe (one lock around the database and the index).

    Open with an ``embedder`` to search or embed new entries; without one the gallery still
    lists, renames, deletes and imports (entries are embedded the next time it is opened with
    one). Opening with an embedder whose ``content_hash`` differs from the stored embeddings
    re-embeds from the cached poses (no MediaPipe) and rebuilds the index.
    """

    def __init__(
        self,
        root: str | Path,
        embedder: Embedder | None = None,
        *,
        create: bool = False,
        read_only: bool | None = None,
        progress: ProgressCallback | None = None,
    ) -> None:
        self.root = Path(root).expanduser().resolve()
        self._lock = threading.RLock()
        self._embedder = embedder
        self._index: FaissIndex | None = None
        self._index_dirty = False
        self._memory_vectors: dict[int, np.ndarray] = {}  # re-embedded but not storable (read-only)
        self.repair = RepairReport()
        db_path = self.root / DB_NAME
        if not db_path.exists():
            if not create:
                raise GalleryError(f"{self.root} is not a gallery (no {DB_NAME})")
            if read_only:
                raise GalleryError(f"cannot create a read-only gallery at {self.root}")
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise GalleryError(
                    f"cannot create a gallery at {self.root}: {exc.strerror or exc}"
                ) from None
        if read_only is None:
            read_only = not os.access(self.root, os.W_OK) or (
                db_path.exists() and not os.access(db_path, os.W_OK)
            )
        self.read_only = bool(read_only)
        try:
            if self.read_only:
                uri = f"{db_path.as_uri()}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self._db = sqlite3.connect(db_path, check_same_thread=False)
                self._db.execute("PRAGMA synchronous=FULL")
                self._db.executescript(_SCHEMA)
                self._db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?), ('revision', '0')",
                    (str(SCHEMA_VERSION),),
                )
                self._db.commit()
            version = int(self._meta("schema_version", "0"))
        except sqlite3.DatabaseError as exc:
            raise GalleryError(f"{db_path} is not a readable gallery database ({exc})") from None
        if version > SCHEMA_VERSION:
            self._db.close()
            raise GalleryError(
                f"{self.root} was written by a newer signlookup (schema {version}); update the app"
            )
        if not self.read_only:
            self._repair_files()
        if embedder is not None:
            self._sync_embeddings(progress)
            self._load_or_rebuild_index()

    # --- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def open(cls, root: str | Path, embedder: Embedder | None = None, **kwargs) -> Gallery:
        """Open an existing gallery (GalleryError when ``root`` is not one)."""
        return cls(root, embedder, **kwargs)

    @classmethod
    def create(cls, root: str | Path, embedder: Embedder | None = None, **kwargs) -> Gallery:
        """Open ``root``, making an empty gallery there if there is none."""
        return cls(root, embedder, create=True, **kwargs)

    def close(self) -> None:
        """Save the index if it changed and close the database."""
        with self._lock:
            if getattr(self, "_db", None) is None:
                return
            self.flush()
            self._db.close()
            self._db = None  # type: ignore[assignment]

    def __enter__(self) -> Gallery:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def embedder(self) -> Embedder | None:
        return self._embedder

    def set_embedder(self, embedder: Embedder, progress: ProgressCallback | None = None) -> None:
        """Switch embedding space (e.g. the trained model arrived): re-embed and rebuild."""
        with self._lock:
            self._embedder = embedder
            self._index = None
            self._memory_vectors.clear()
            self._sync_embeddings(progress)
            self._load_or_rebuild_index()

    # --- metadata ----------------------------------------------------------------------------

    def _meta(self, key: str, default: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @property
    def revision(self) -> int:
        """Change counter of the stored vectors; the index file records the one it matches."""
        with self._lock:
            return int(self._meta("revision", "0"))

    def _bump_revision(self) -> None:
        """Call inside an open transaction that changes vectors or entries."""
        self._db.execute(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key='revision'"
        )

    def _entry(self, row: Sequence) -> Entry:
        (id_, media, gloss, language, source, attribution, signer, added_at, original_name,
         video_file, sha, frames, fps, encoder_hash) = row  # fmt: skip
        return Entry(
            id=int(id_),
            gloss=gloss,
            language=language,
            source=source,
            attribution=attribution,
            signer=signer,
            added_at=added_at,
            original_name=original_name,
            frames=int(frames),
            fps=float(fps),
            encoder_hash=encoder_hash,
            folder=self.root / MEDIA / media,
            video_file=video_file,
            content_sha256=sha,
        )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def entries(self) -> list[Entry]:
        """All entries, sorted by gloss then id."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM entries ORDER BY gloss COLLATE NOCASE, id"
            ).fetchall()
        return [self._entry(r) for r in rows]

    def get(self, entry_id: int) -> Entry:
        found = self.get_many([entry_id])
        if entry_id not in found:
            raise GalleryError(f"no entry {entry_id} in {self.root}")
        return found[entry_id]

    def get_many(self, ids: Iterable[int]) -> dict[int, Entry]:
        """Entries by id (unknown ids are left out); one query, for search results."""
        ids = [int(i) for i in ids]
        if not ids:
            return {}
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            ).fetchall()
        return {int(r[0]): self._entry(r) for r in rows}

    def glosses(self) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT gloss FROM entries ORDER BY gloss COLLATE NOCASE"
            ).fetchall()
        return [r[0] for r in rows]

    def _require_writable(self) -> None:
        if self.read_only:
            raise GalleryError(f"{self.root} is read-only; copy it to a folder you can write")

    # --- repair on open ----------------------------------------------------------------------

    def _repair_files(self) -> None:
        """Drop what a crash can leave: temp files, staging/orphan folders, rows without files."""
        media = self.root / MEDIA
        for tmp in self.root.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            self.repair.removed_temp_files.append(tmp.name)
        rows = self._db.execute("SELECT id, media, gloss FROM entries").fetchall()
        known = {m for _, m, _ in rows}
        present: set[str] = set()
        if media.is_dir():
            for child in media.iterdir():
                if child.name.startswith(STAGING_PREFIX) or (
                    child.is_dir() and child.name not in known
                ):
                    shutil.rmtree(child, ignore_errors=True)
                    self.repair.removed_orphan_folders.append(child.name)
                elif child.is_dir():
                    present.add(child.name)
                    for tmp in child.glob(".*.tmp"):
                        tmp.unlink(missing_ok=True)
                        self.repair.removed_temp_files.append(f"{child.name}/{tmp.name}")
        broken = [(i, m, g) for i, m, g in rows if m not in present]
        if broken:
            with self._db:
                self._db.executemany(
                    "DELETE FROM entries WHERE id = ?", [(i,) for i, _, _ in broken]
                )
                self._bump_revision()
            self.repair.dropped_entries.extend(f"{g} (#{i}: files missing)" for i, _, g in broken)

    # --- embeddings and index ----------------------------------------------------------------

    def _sync_embeddings(self, progress: ProgressCallback | None) -> None:
        """Embed entries whose vectors are missing or from another encoder, from cached poses."""
        assert self._embedder is not None
        wanted = self._embedder.content_hash
        stale = self._db.execute(
            "SELECT id, media, gloss FROM entries WHERE encoder_hash IS NOT ? "
            "OR embedding IS NULL ORDER BY id",
            (wanted,),
        ).fetchall()
        total = len(stale)
        for start in range(0, total, EMBED_BATCH):
            batch = stale[start : start + EMBED_BATCH]
            seqs, ok, dropped = [], [], []
            for id_, media, gloss in batch:
                try:
                    seqs.append(load_npz(self.root / MEDIA / media / POSE_FILE))
                    ok.append(id_)
                except PoseFileError:
                    dropped.append((id_, gloss))
            vectors = self._embedder.embed(seqs) if seqs else np.zeros((0, 0), np.float32)
            if self.read_only:
                self._memory_vectors.update(zip(ok, vectors, strict=True))
            else:
                with self._db:
                    self._db.executemany(
                        "UPDATE entries SET embedding = ?, encoder_hash = ? WHERE id = ?",
                        [
                            (v.astype(np.float32).tobytes(), wanted, i)
                            for i, v in zip(ok, vectors, strict=True)
                        ],
                    )
                    self._db.executemany(
                        "DELETE FROM entries WHERE id = ?", [(i,) for i, _ in dropped]
                    )
                    self._bump_revision()
                self.repair.dropped_entries.extend(
                    f"{g} (#{i}: pose unreadable)" for i, g in dropped
                )
            self.repair.reembedded += len(ok)
            if progress is not None:
                progress(min(start + EMBED_BATCH, total), total, "embedding")

    def _vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """ids int64 (N,) and float32 (N, dim) of every entry embedded by the current encoder."""
        assert self._embedder is not None
        rows = self._db.execute(
            "SELECT id, embedding FROM entries WHERE encoder_hash = ? AND embedding IS NOT NULL",
            (self._embedder.content_hash,),
        ).fetchall()
        dim = self._embedder.dim
        ids = [int(i) for i, _ in rows] + list(self._memory_vectors)
        vectors = np.zeros((len(ids), dim), np.float32)
        for row, (_, blob) in enumerate(rows):
            vectors[row] = np.frombuffer(blob, dtype=np.float32)
        for row, vec in enumerate(self._memory_vectors.values(), start=len(rows)):
            vectors[row] = vec
        return np.asarray(ids, dtype=np.int64), vectors

    def _header(self) -> IndexHeader:
        assert self._embedder is not None and self._index is not None
        return IndexHeader(
            self._embedder.content_hash,
            self.revision,
            len(self._index),
            self._index.kind,
            self._index.dim,
        )

    def _load_or_rebuild_index(self) -> None:
        assert self._embedder is not None
        path = self.root / INDEX_NAME
        reason = ""
        count = len(self)
        if self._memory_vectors:
            reason = "re-embedded in memory (read-only gallery)"
        elif not path.exists():
            reason = "index file missing"
        else:
            try:
                index, header = FaissIndex.load(path)
                if header.encoder_hash != self._embedder.content_hash:
                    reason = "encoder changed"
                elif header.revision != self.revision or header.count != count:
                    reason = "index out of step with the gallery"
                elif header.dim != self._embedder.dim:
                    reason = "embedding size changed"
                elif header.kind != choose_kind(count):
                    reason = f"gallery size calls for a {choose_kind(count)} index"
                else:
                    self._index = index
                    return
            except IndexFileError as exc:
                reason = f"index file unreadable ({exc})"
        self.rebuild_index()
        self.repair.index_rebuilt = reason

    def rebuild_index(self) -> None:
        """Build the index afresh from the stored embeddings (no pose extraction) and save it."""
        with self._lock:
            if self._embedder is None:
                raise GalleryError("opening the gallery without an embedder: cannot index it")
            ids, vectors = self._vectors()
            if len(ids):
                self._index = FaissIndex.build(ids, vectors)
            else:
                self._index = FaissIndex(self._embedder.dim, "flat")
            self._index_dirty = True
            self.flush()

    def flush(self) -> None:
        """Write the index file if it changed (skipped when read-only)."""
        with self._lock:
            if self._index is None or not self._index_dirty or self.read_only:
                return
            try:
                self._index.save(self.root / INDEX_NAME, self._header())
            except (
                OSError
            ):  # disk full etc.: the database is intact, the index is rebuilt next open
                (self.root / INDEX_NAME).unlink(missing_ok=True)
                raise
            self._index_dirty = False

    @property
    def index(self) -> FaissIndex:
        with self._lock:
            if self._index is None:
                raise GalleryError("the gallery was opened without an embedder: it cannot search")
            return self._index

    def search_vectors(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores (Q, k) and entry ids (Q, k, -1 padded) of the nearest entries by cosine."""
        with self._lock:
            return self.index.search(queries, k)

    # --- changes -----------------------------------------------------------------------------

    def add(
        self,
        *,
        gloss: str,
        video: str | Path | None = None,
        pose: PoseSequence | None = None,
        language: str = "",
        source: str = "",
        attribution: str = "",
        signer: str = "",
        keep_video: bool = True,
        extract: Callable[[Path], PoseSequence] | None = None,
        content_sha256: str | None = None,
        original_name: str | None = None,
        save_index: bool = True,
    ) -> Entry:
        """Add one sign from a video and/or its landmarks; returns the stored entry.

        Without ``pose`` the video's landmarks are extracted (``extract``, default MediaPipe);
        the slow part runs before any lock is taken. ``keep_video=False`` stores keypoints only.
        """
        self._require_writable()
        gloss = normalise_gloss(gloss)
        if not gloss:
            raise GalleryError("a gloss is required")
        video_path = Path(video) if video is not None else None
        if video_path is not None and not video_path.is_file():
            raise GalleryError(f"video file not found: {video_path}")
        if pose is None:
            if video_path is None:
                raise GalleryError("add needs a video or a pose sequence")
            pose = (extract or _extract_with_mediapipe)(video_path)
        if len(pose) == 0:
            raise GalleryError("the pose sequence is empty")
        vector = self._embedder.embed([pose])[0] if self._embedder is not None else None
        if content_sha256 is None and video_path is not None:
            content_sha256 = file_sha256(video_path)

        uid = uuid.uuid4().hex
        media = self.root / MEDIA
        staging = media / f"{STAGING_PREFIX}{uid}"
        final = media / uid
        video_file = None
        try:
            staging.mkdir(parents=True)
            save_npz(pose, staging / POSE_FILE)
            if video_path is not None and keep_video:
                video_file = "video" + video_path.suffix.lower()
                shutil.copyfile(video_path, staging / video_file)
                with open(staging / video_file, "rb+") as fh:
                    os.fsync(fh.fileno())
            kept = staging / video_file if video_file else None
            atomic_write_bytes(staging / THUMB_FILE, thumbnail_png(pose, kept or video_path))
            os.replace(staging, final)  # the folder appears complete or not at all
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        with self._lock:
            try:
                with self._db:
                    cur = self._db.execute(
                        "INSERT INTO entries (media, gloss, language, source, attribution, signer,"
                        " added_at, original_name, video_file, content_sha256, frames, fps,"
                        " encoder_hash, embedding) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            uid,
                            gloss,
                            language.strip(),
                            source.strip(),
                            attribution.strip(),
                            signer.strip(),
                            _now(),
                            original_name or (video_path.name if video_path else ""),
                            video_file,
                            content_sha256 or "",
                            len(pose),
                            float(pose.fps),
                            self._embedder.content_hash if vector is not None else None,
                            vector.astype(np.float32).tobytes() if vector is not None else None,
                        ),
                    )
                    self._bump_revision()
                entry_id = int(cur.lastrowid)
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)
                raise
            if vector is not None and self._index is not None:
                self._index.add(np.array([entry_id]), vector[None])
                self._index_dirty = True
                if save_index:
                    self.flush()
            return self.get(entry_id)

    def rename(self, entry_id: int, gloss: str) -> Entry:
        """Change an entry's gloss (the vector stays; results read glosses from the database)."""
        return self.update(entry_id, gloss=gloss)

    def update(self, entry_id: int, **fields: str) -> Entry:
        """Edit metadata: gloss, language, source, attribution, signer."""
        self._require_writable()
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise GalleryError(f"cannot edit {', '.join(sorted(unknown))}")
        if "gloss" in fields:
            fields["gloss"] = normalise_gloss(fields["gloss"])
            if not fields["gloss"]:
                raise GalleryError("a gloss is required")
        with self._lock, self._db:
            cur = self._db.execute(
                f"UPDATE entries SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                (*[v.strip() for v in fields.values()], entry_id),
            )
            if cur.rowcount == 0:
                raise GalleryError(f"no entry {entry_id} in {self.root}")
        return self.get(entry_id)

    def delete(self, entry_id: int) -> None:
        """Remove an entry: its row first (committed), then its files and index vector."""
        self._require_writable()
        entry = self.get(entry_id)
        with self._lock:
            with self._db:
                self._db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
                self._bump_revision()
            shutil.rmtree(
                entry.folder, ignore_errors=True
            )  # a crash here leaves an orphan: cleaned on open
            if self._index is not None:
                self._index.remove(np.array([entry_id]))
                self._index_dirty = True
                self.flush()

    def find_by_sha256(self, sha: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_ENTRY_COLUMNS} FROM entries WHERE content_sha256 = ? LIMIT 1", (sha,)
            ).fetchone()
        return self._entry(row) if row else None

    def export(self, dest: str | Path, include_videos: bool = True) -> Path:
        """Copy every entry to ``dest`` as ``<gloss>_<id>.mp4`` + ``.npz`` with a ``gallery.csv``.

        The folder imports back with ``import_folder(dest, csv=dest/'gallery.csv')``, reusing the
        landmarks instead of running MediaPipe again.
        """
        from signlookup.gallery.importer import write_export

        return write_export(self, Path(dest), include_videos)

    def import_folder(self, folder: str | Path, **kwargs) -> ImportReport:
        """Add every video (and keypoint-only ``.npz``) in ``folder``; see ``importer.import_folder``."""
        from signlookup.gallery.importer import import_folder

        return import_folder(self, Path(folder), **kwargs)


def _extract_with_mediapipe(video: Path) -> PoseSequence:
    from signlookup.capture import CaptureError, VideoFileSource
    from signlookup.pose import PoseExtractionError, extract_pose

    try:
        return extract_pose(VideoFileSource(video))
    except (CaptureError, PoseExtractionError) as exc:
        raise GalleryError(f"{video.name}: {exc}") from None
