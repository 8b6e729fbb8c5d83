"""The gallery: a folder the user owns, holding sign entries and the index that searches them.

Layout::

    DIR/gallery.sqlite          metadata + one embedding per entry (so the index can be rebuilt
                                without MediaPipe), a schema version and a change counter
    DIR/media/<uid>/pose.npz    cached landmarks (the entry's source of truth for embedding)
    DIR/media/<uid>/video.mp4   the clip (optional: keypoint-only entries have none)
    DIR/media/<uid>/thumb.png   thumbnail from the middle of the signing
    DIR/media/<uid>/entry.json  the row's metadata, so ``recover`` can rebuild a lost database
    DIR/trash/<uid>/            deleted entries (``restore`` undoes a delete)
    DIR/quarantine/             media folders no row listed, moved aside on open
    DIR/index.faiss             derived; rebuilt when missing, corrupt or out of step
    DIR/metric.npz              derived: the gallery's own metric (index/metric.py), refitted
                                as the gallery changes; the index holds vectors in its space

Names live in ``folder.py``, what open checks and repairs in ``repair.py``, the writer lock in
``lock.py``.

Nothing a user made is deleted except by their own delete, and that goes to ``DIR/trash/``
first (``restore`` brings it back; only ``empty_trash`` removes files). An entry's files are
written into ``media/.staging-<uid>`` and renamed to ``media/<uid>`` *before* its row is inserted,
both under the writer lock (``lock.py``), so a row always points at complete files. Open checks
for damage before touching anything: a database that is missing, empty or unreadable while
``media/`` holds signs, or a ``media/`` that is missing, raises GalleryDamagedError and changes
nothing. Then, holding the writer lock, repair removes only what provably is its own debris
(staging folders and temp files of a writer that is gone), moves media folders no row lists to
``DIR/quarantine/`` and keeps rows whose files are missing (reported, back when the files are).
The index file carries the encoder hash and change counter it was built from; any mismatch on
open means "rebuild from the stored embeddings", which is cheap.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signlookup.files import file_sha256
from signlookup.gallery.errors import GalleryBusyError, GalleryDamagedError, GalleryError
from signlookup.gallery.folder import (
    DB_NAME,
    INDEX_NAME,
    MEDIA,
    METADATA_FIELDS,
    METRIC_NAME,
    POSE_FILE,
    STAGING_PREFIX,
    THUMB_FILE,
    TRASH,
    VIDEO_EXTENSIONS,
    Entry,
    gloss_key,
    normalise_gloss,
    now,
    read_metadata,
    write_metadata,
)
from signlookup.gallery.jitter_cache import JITTER_NAME, JitterCache
from signlookup.gallery.lock import DEFAULT_WAIT_S, GalleryBusy, WriterLock
from signlookup.gallery.media import thumbnail_png
from signlookup.gallery.repair import (
    RepairReport,
    quarantine,
    refuse_if_database_lost,
    refuse_if_media_lost,
    repair_files,
)
from signlookup.index import FaissIndex, IndexFileError, IndexHeader, choose_kind
from signlookup.index.metric import GalleryMetric
from signlookup.pose.io import PoseFileError, atomic_write_bytes, load_npz, save_npz
from signlookup.pose.sequence import PoseSequence

if TYPE_CHECKING:
    from signlookup.encoder.base import Embedder

__all__ = [
    "VIDEO_EXTENSIONS",
    "Entry",
    "Gallery",
    "GalleryBusyError",
    "GalleryDamagedError",
    "GalleryError",
    "RepairReport",
    "normalise_gloss",
]

SCHEMA_VERSION = 2  # 2: entries.deleted_at (the trash)
#: Sequences embedded per batch when (re-)embedding; each batch is one transaction, so an
#: interrupted re-embed resumes where it stopped.
EMBED_BATCH = 64
#: The gallery metric is refitted after every change below this many entries (a refit with
#: the index rebuild: 14 ms at 100 entries, 0.25 s at 500, 1.2 s at 2,000 on the loaded 2-core
#: machine, benchmarks/gallery_metric_bench.py); above it once this share of the entries changed.
REFIT_ALWAYS_BELOW = 1000
REFIT_SHARE = 0.05
#: How long a write waits for SQLite's own lock (another process inside a transaction).
SQLITE_WAIT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: faiss ids stay unique
    media         TEXT NOT NULL UNIQUE,               -- folder name under media/ (or trash/)
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
    embedding     BLOB,                               -- float32 (dim,), unit length
    -- NULL, or when the entry went to the trash (its folder then lives under trash/)
    deleted_at    TEXT
);
CREATE INDEX IF NOT EXISTS entries_gloss ON entries (gloss);
CREATE INDEX IF NOT EXISTS entries_sha ON entries (content_sha256);
"""
_EDITABLE = ("gloss", "language", "source", "attribution", "signer")


ProgressCallback = Callable[[int, int, str], None]


class Gallery:
    """A gallery folder; thread-safe (one lock around the database and the index) and safe
    across processes (one writer at a time; see ``lock.py``).

    Open with an ``embedder`` to search or embed new entries; without one the gallery still
    lists, renames, deletes and imports (entries are embedded the next time it is opened with
    one). Opening with an embedder whose ``content_hash`` differs from the stored embeddings
    re-embeds from the cached poses (no MediaPipe) and rebuilds the index. ``on_wait`` is told
    once when another process is writing and this one waits for it.
    """

    def __init__(
        self,
        root: str | Path,
        embedder: Embedder | None = None,
        *,
        create: bool = False,
        read_only: bool | None = None,
        progress: ProgressCallback | None = None,
        on_wait: Callable[[str], None] | None = None,
        wait_s: float = DEFAULT_WAIT_S,
        _adopt_unlisted: bool = False,
    ) -> None:
        self.root = Path(root).expanduser().resolve()
        self._lock = threading.RLock()
        self._writer = WriterLock(self.root, wait_s=wait_s, on_wait=on_wait)
        self._embedder = embedder
        self._index: FaissIndex | None = None
        self._index_dirty = False
        self._metric: GalleryMetric | None = None
        self._metric_revision = -1  # the revision the metric was fitted at
        self._memory_vectors: dict[int, np.ndarray] = {}  # re-embedded but not storable (read-only)
        self._jitter: JitterCache | None = None  # jittered takes for the metric, made on refit
        self.repair = RepairReport()
        self._db: sqlite3.Connection | None = None
        self._adopt_unlisted = _adopt_unlisted
        db_path = self.root / DB_NAME
        if not _adopt_unlisted:
            refuse_if_database_lost(self.root, create)
        if not db_path.exists():
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
                self._db = sqlite3.connect(
                    f"{db_path.as_uri()}?mode=ro", uri=True, check_same_thread=False
                )
                self._open_checks(db_path, writable=False)
            else:
                self._db = sqlite3.connect(db_path, timeout=SQLITE_WAIT_S, check_same_thread=False)
                with self._writing():
                    self._open_checks(db_path, writable=True)
                    rows = self._db.execute(
                        "SELECT id, media, gloss, deleted_at FROM entries"
                    ).fetchall()
                    for folder in repair_files(
                        self.root, rows, self.repair, adopt_unlisted=self._adopt_unlisted
                    ):
                        self._adopt(folder)
            if embedder is not None:
                self._sync_embeddings(progress)
                self._load_or_rebuild_index(progress)
        except BaseException:
            if self._db is not None:
                self._db.close()
                self._db = None
            raise

    def _open_checks(self, db_path: Path, *, writable: bool) -> None:
        """Read the schema version, migrate, and refuse a database or media folder that is gone."""
        assert self._db is not None
        try:
            tables = {
                r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            fresh = not tables
            if not fresh and not {"meta", "entries"} <= tables:
                raise sqlite3.DatabaseError("no signlookup tables")
            if fresh and writable:
                self._db.executescript(_SCHEMA)
                self._db.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?), ('revision', '0')",
                    (str(SCHEMA_VERSION),),
                )
                self._db.commit()
            version = int(self._meta("schema_version", "0")) if not fresh else SCHEMA_VERSION
            columns = {r[1] for r in self._db.execute("PRAGMA table_info(entries)")}
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise GalleryBusyError(
                    f"{db_path} is locked by another program; try again when it has finished"
                ) from None
            raise self._damaged(db_path, exc) from None
        except (sqlite3.DatabaseError, ValueError) as exc:
            raise self._damaged(db_path, exc) from None
        if version > SCHEMA_VERSION:
            raise GalleryError(
                f"{self.root} was written by a newer signlookup (schema {version}); update the app"
            )
        if "deleted_at" not in columns and writable:
            with self._db:  # schema 1 -> 2: the trash
                self._db.execute("ALTER TABLE entries ADD COLUMN deleted_at TEXT")
                self._db.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
                )
            columns.add("deleted_at")
            self._has_trash = True
            for entry in self.entries():  # make every older entry recoverable too
                if entry.folder.is_dir():
                    with suppress(OSError):
                        write_metadata(entry.folder, entry.metadata())
        self._has_trash = "deleted_at" in columns
        listed = self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        refuse_if_media_lost(self.root, listed, recovering=self._adopt_unlisted)

    def _damaged(self, db_path: Path, exc: Exception) -> GalleryDamagedError:
        return GalleryDamagedError(
            f"damaged gallery {self.root}: {db_path.name} is not a readable gallery database "
            f"({exc}); nothing was changed"
        )

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
            if self._db is None:
                return
            try:
                self.flush()
            finally:
                self._db.close()
                self._db = None

    def __enter__(self) -> Gallery:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the thread lock and the cross-process writer lock; busy means one clear error."""
        if self.read_only:
            raise GalleryError(f"{self.root} is read-only; copy it to a folder you can write")
        try:
            with self._lock, self._writer.held():
                yield
        except GalleryBusy as exc:
            raise GalleryBusyError(str(exc)) from None
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise GalleryBusyError(
                f"{self.root / DB_NAME} stayed locked by another program for over "
                f"{SQLITE_WAIT_S:.0f} s; try again when it has finished (nothing was changed)"
            ) from None

    @property
    def embedder(self) -> Embedder | None:
        return self._embedder

    def set_embedder(self, embedder: Embedder, progress: ProgressCallback | None = None) -> None:
        """Switch embedding space (e.g. the trained model arrived): re-embed and rebuild."""
        with self._lock:
            self._embedder = embedder
            self._index = None
            self._metric = None
            self._memory_vectors.clear()
            self._sync_embeddings(progress)
            self._load_or_rebuild_index(progress)

    # --- metadata ----------------------------------------------------------------------------

    def _meta(self, key: str, default: str) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @property
    def revision(self) -> int:
        """Change counter of the stored vectors and glosses; the index file records the one it
        matches, and caches derived from the gallery (verdict calibration, facets) key on it."""
        with self._lock:
            return int(self._meta("revision", "0"))

    def _bump_revision(self) -> None:
        """Call inside an open transaction that changes vectors or entries."""
        self._db.execute(
            "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key='revision'"
        )

    @property
    def _columns(self) -> str:
        deleted = "deleted_at" if self._has_trash else "NULL"
        return (
            "id, media, gloss, language, source, attribution, signer, added_at, original_name, "
            f"video_file, content_sha256, frames, fps, encoder_hash, {deleted}"
        )

    @property
    def _live(self) -> str:
        return "deleted_at IS NULL" if self._has_trash else "1"

    def _entry(self, row: Sequence) -> Entry:
        (id_, media, gloss, language, source, attribution, signer, added_at, original_name,
         video_file, sha, frames, fps, encoder_hash, deleted_at) = row  # fmt: skip
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
            folder=self.root / (TRASH if deleted_at else MEDIA) / media,
            video_file=video_file,
            content_sha256=sha,
            deleted_at=deleted_at,
        )

    def _select(self, where: str, params: Sequence = (), order: str = "") -> list[Entry]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {self._columns} FROM entries WHERE {where} {order}", params
            ).fetchall()
        return [self._entry(r) for r in rows]

    def __len__(self) -> int:
        with self._lock:
            return int(
                self._db.execute(f"SELECT COUNT(*) FROM entries WHERE {self._live}").fetchone()[0]
            )

    def entries(self) -> list[Entry]:
        """All entries (not the trash), sorted by gloss then id; see ``Entry.missing``."""
        return self._select(self._live, order="ORDER BY gloss COLLATE NOCASE, id")

    def trashed(self) -> list[Entry]:
        """Deleted entries that ``restore`` can bring back, newest deletion first."""
        if not self._has_trash:
            return []
        return self._select("deleted_at IS NOT NULL", order="ORDER BY deleted_at DESC, id DESC")

    def get(self, entry_id: int) -> Entry:
        found = self.get_many([entry_id])
        if entry_id not in found:
            raise GalleryError(f"no entry {entry_id} in {self.root}")
        return found[entry_id]

    def get_many(self, ids: Iterable[int]) -> dict[int, Entry]:
        """Entries by id (unknown and trashed ids are left out); one query, for search results."""
        ids = [int(i) for i in ids]
        if not ids:
            return {}
        found = self._select(f"{self._live} AND id IN ({','.join('?' * len(ids))})", ids)
        return {e.id: e for e in found}

    def glosses(self) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT DISTINCT gloss FROM entries WHERE {self._live} "
                "ORDER BY gloss COLLATE NOCASE"
            ).fetchall()
        return [r[0] for r in rows]

    # --- repair on open ----------------------------------------------------------------------

    @classmethod
    def recover(cls, root: str | Path, **kwargs) -> Gallery:
        """Rebuild a lost or damaged database from the sign folders under ``media/``.

        The damaged database is kept beside it (``gallery.sqlite.damaged-<time>``), never
        deleted. Each folder's ``entry.json`` gives back its gloss and metadata; a folder
        written before entry.json existed is named after its original file, or ``sign-<id>``.
        """
        root = Path(root).expanduser().resolve()
        db_path = root / DB_NAME
        if not (root / MEDIA).is_dir():
            raise GalleryError(f"nothing to recover: {root / MEDIA} is not a folder")
        if db_path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            os.replace(db_path, root / f"{DB_NAME}.damaged-{stamp}")
            (root / INDEX_NAME).unlink(missing_ok=True)
        return cls(root, create=True, _adopt_unlisted=True, **kwargs)

    def _adopt(self, folder: Path) -> None:
        """Insert a row for an unlisted, complete sign folder (``recover``)."""
        try:
            pose = load_npz(folder / POSE_FILE)
        except PoseFileError:
            quarantine(self.root, folder, self.repair)
            return
        values = read_metadata(folder) or dict.fromkeys(METADATA_FIELDS, "")
        videos = sorted(p.name for p in folder.glob("video.*"))
        fallback = Path(values["original_name"]).stem or f"sign-{folder.name[:8]}"
        values["gloss"] = normalise_gloss(values["gloss"]) or normalise_gloss(fallback)
        values["added_at"] = values["added_at"] or now()
        with self._db:
            self._db.execute(
                "INSERT INTO entries (media, gloss, language, source, attribution, signer,"
                " added_at, original_name, video_file, frames, fps)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    folder.name,
                    *(values[k] for k in METADATA_FIELDS),
                    videos[0] if videos else None,
                    len(pose),
                    float(pose.fps),
                ),
            )
            self._bump_revision()
        self.repair.recovered.append(values["gloss"])

    # --- embeddings and index ----------------------------------------------------------------

    def _sync_embeddings(self, progress: ProgressCallback | None) -> None:
        """Embed entries whose vectors are missing or from another encoder, from cached poses.

        An entry whose pose cannot be read keeps its row and its old vector (not searchable
        under this encoder until its files are back); it is reported, never dropped.
        """
        assert self._embedder is not None
        wanted = self._embedder.content_hash
        stale = self._db.execute(
            f"SELECT id, media, gloss FROM entries WHERE {self._live} AND "
            "(encoder_hash IS NOT ? OR embedding IS NULL) ORDER BY id",
            (wanted,),
        ).fetchall()
        total = len(stale)
        for start in range(0, total, EMBED_BATCH):
            batch = stale[start : start + EMBED_BATCH]
            seqs, ok = [], []
            for id_, media, gloss in batch:
                try:
                    seqs.append(load_npz(self.root / MEDIA / media / POSE_FILE))
                    ok.append(id_)
                except PoseFileError:
                    self.repair.unembedded.append(f"{gloss} (#{id_})")
            vectors = self._embedder.embed(seqs) if seqs else np.zeros((0, 0), np.float32)
            if self.read_only:
                self._memory_vectors.update(zip(ok, vectors, strict=True))
            elif ok:
                with self._writing(), self._db:
                    self._db.executemany(
                        "UPDATE entries SET embedding = ?, encoder_hash = ? WHERE id = ?",
                        [
                            (v.astype(np.float32).tobytes(), wanted, i)
                            for i, v in zip(ok, vectors, strict=True)
                        ],
                    )
                    self._bump_revision()
            self.repair.reembedded += len(ok)
            if progress is not None:
                progress(min(start + EMBED_BATCH, total), total, "embedding")

    @property
    def _embedded(self) -> str:
        """WHERE clause of the live entries with a vector from the current encoder."""
        return f"{self._live} AND encoder_hash = ? AND embedding IS NOT NULL"

    def _vectors(self, only: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """ids int64 (N,) and float32 (N, dim) of every entry embedded by the current encoder
        (or of entry ``only``, without reading the others)."""
        assert self._embedder is not None
        where, params = self._embedded, [self._embedder.content_hash]
        if only is not None:
            where, params = f"{where} AND id = ?", [*params, only]
        rows = self._db.execute(f"SELECT id, embedding FROM entries WHERE {where}", params)
        rows = rows.fetchall()
        memory = {} if only is not None else self._memory_vectors
        dim = self._embedder.dim
        ids = [int(i) for i, _ in rows] + list(memory)
        vectors = np.zeros((len(ids), dim), np.float32)
        for row, (_, blob) in enumerate(rows):
            vectors[row] = np.frombuffer(blob, dtype=np.float32)
        for row, vec in enumerate(memory.values(), start=len(rows)):
            vectors[row] = vec
        return np.asarray(ids, dtype=np.int64), vectors

    def _labelled_vectors(self) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """:meth:`_vectors` plus each entry's :func:`gloss_key` (the metric's labels)."""
        ids, vectors = self._vectors()
        glosses = dict(self._db.execute(f"SELECT id, gloss FROM entries WHERE {self._live}"))
        return ids, vectors, [gloss_key(glosses.get(int(i), "")) for i in ids]

    def _space(self) -> str:
        """What the index's vectors are: the encoder's hash and the gallery metric's."""
        assert self._embedder is not None and self._metric is not None
        return f"{self._embedder.content_hash}/{self._metric.fingerprint}"

    def _refit_due(self) -> bool:
        """The gallery changed since its metric was fitted: refit at once while it is small
        (milliseconds), past :data:`REFIT_ALWAYS_BELOW` entries when a share of
        :data:`REFIT_SHARE` changed (the refit rebuilds the whole index)."""
        changes = self.revision - self._metric_revision
        if changes <= 0:
            return False
        count = len(self._index) if self._index is not None else 0
        return count < REFIT_ALWAYS_BELOW or changes >= REFIT_SHARE * count

    def _header(self) -> IndexHeader:
        assert self._embedder is not None and self._index is not None
        return IndexHeader(
            self._space(),
            self.revision,
            len(self._index),
            self._index.kind,
            self._index.dim,
        )

    def _load_or_rebuild_index(self, progress: ProgressCallback | None = None) -> None:
        assert self._embedder is not None
        path = self.root / INDEX_NAME
        reason = ""
        count = int(
            self._db.execute(
                f"SELECT COUNT(*) FROM entries WHERE {self._embedded}",
                (self._embedder.content_hash,),
            ).fetchone()[0]
        )
        if self._memory_vectors:
            reason = "re-embedded in memory (read-only gallery)"
        elif not path.exists():
            reason = "index file missing"
        else:
            try:
                index, header = FaissIndex.load(path)
                encoder_hash, _, fingerprint = header.encoder_hash.partition("/")
                if encoder_hash != self._embedder.content_hash:
                    reason = "encoder changed"
                elif (metric_problem := self._load_metric(fingerprint)) is not None:
                    reason = metric_problem
                elif header.revision != self.revision or header.count != count:
                    reason = "index out of step with the gallery"
                elif header.dim != self._embedder.dim:
                    reason = "embedding size changed"
                elif header.kind != choose_kind(count):
                    reason = f"gallery size calls for a {choose_kind(count)} index"
                else:
                    self._index = index
                    if self._refit_due():  # routine upkeep, not a repair
                        self.rebuild_index(progress)
                    return
            except IndexFileError as exc:
                reason = f"index file unreadable ({exc})"
        self.rebuild_index(progress)
        self.repair.index_rebuilt = reason

    def _load_metric(self, fingerprint: str) -> str | None:
        """Load the saved metric; why the index must be rebuilt, or None when it fits."""
        assert self._embedder is not None
        try:
            self._metric, self._metric_revision = GalleryMetric.load(
                self.root / METRIC_NAME, self._embedder.content_hash, self._embedder.dim
            )
        except IndexFileError as exc:
            return f"gallery metric: {exc}"
        if self._metric.fingerprint != fingerprint:
            return "index and gallery metric out of step"
        return None

    def rebuild_index(self, progress: ProgressCallback | None = None) -> None:
        """Refit the gallery metric and build the index afresh from the stored embeddings (no
        pose extraction; new entries' jittered takes are embedded, reported to ``progress``);
        save both."""
        with self._lock:
            if self._embedder is None:
                raise GalleryError("opening the gallery without an embedder: cannot index it")
            revision = self.revision
            ids, vectors, glosses = self._labelled_vectors()
            jittered = self._jittered(ids, vectors, glosses, progress)
            self._metric = GalleryMetric.fit(vectors, glosses, jittered=jittered)
            self._metric_revision = revision
            if len(ids):
                self._index = FaissIndex.build(ids, self._metric.apply(vectors))
            else:
                self._index = FaissIndex(self._embedder.dim, "flat")
            self._index_dirty = True
            self.flush()

    def _jittered(
        self,
        ids: np.ndarray,
        vectors: np.ndarray,
        glosses: list[str],
        progress: ProgressCallback | None = None,
    ) -> np.ndarray | None:
        """The entries' jittered takes (``jitter_cache``), embedding those not cached yet."""
        assert self._embedder is not None
        if self._jitter is None or self._jitter.embedder is not self._embedder:
            self._jitter = JitterCache(self.root / JITTER_NAME, self._embedder)
        media = dict(self._db.execute(f"SELECT id, media FROM entries WHERE {self._live}"))

        def load_pose(entry_id: int) -> PoseSequence:
            if entry_id not in media:
                raise PoseFileError(f"entry {entry_id} has no sign folder")
            return load_npz(self.root / MEDIA / media[entry_id] / POSE_FILE)

        return self._jitter.jittered(ids, vectors, glosses, load_pose, progress)

    def flush(self) -> None:
        """Write the index file if it changed (skipped when read-only)."""
        with self._lock:
            if self._index is None or not self._index_dirty or self.read_only:
                return
            assert self._embedder is not None and self._metric is not None
            with self._writing():
                try:
                    self._metric.save(
                        self.root / METRIC_NAME, self._embedder.content_hash, self._metric_revision
                    )
                    self._index.save(self.root / INDEX_NAME, self._header())
                    if self._jitter is not None:
                        self._jitter.save()
                except OSError:  # disk full etc.: the database is intact, rebuilt next open
                    (self.root / INDEX_NAME).unlink(missing_ok=True)
                    raise
            self._index_dirty = False

    @property
    def index(self) -> FaissIndex:
        with self._lock:
            if self._index is None:
                raise GalleryError("the gallery was opened without an embedder: it cannot search")
            return self._index

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """ids int64 (N,) and unit vectors float32 (N, dim) of every searchable entry (live and
        embedded by the current encoder), read under the gallery's lock: what calibrations of
        the whole gallery (``signlookup.verdict``) read."""
        with self._lock:
            if self._embedder is None:
                raise GalleryError("the gallery was opened without an embedder: no vectors")
            return self._vectors()

    def search_vectors(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Scores (Q, k) and entry ids (Q, k, -1 padded) of the nearest entries: the cosine in
        the gallery's metric (``queries`` are the embedder's vectors, as stored)."""
        with self._lock:
            index = self.index
            if self._refit_due():
                self.rebuild_index()
                index = self.index
            assert self._metric is not None
            return index.search(self._metric.apply(queries), k)

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
        progress: ProgressCallback | None = None,
    ) -> Entry:
        """Add one sign from a video and/or its landmarks; returns the stored entry.

        Without ``pose`` the video's landmarks are extracted (``extract``, default MediaPipe);
        the slow part runs before any lock is taken, reporting to ``progress``.
        ``keep_video=False`` stores keypoints only.
        """
        if self.read_only:
            raise GalleryError(f"{self.root} is read-only; copy it to a folder you can write")
        gloss = normalise_gloss(gloss)
        if not gloss:
            raise GalleryError("a gloss is required")
        video_path = check_video_file(video) if video is not None else None
        if pose is None:
            if video_path is None:
                raise GalleryError("add needs a video or a pose sequence")
            pose = (
                extract(video_path)
                if extract is not None
                else _extract_with_mediapipe(video_path, progress)
            )
        if len(pose) == 0:
            raise GalleryError("the pose sequence is empty")
        vector = self._embedder.embed([pose])[0] if self._embedder is not None else None
        if content_sha256 is None and video_path is not None:
            content_sha256 = file_sha256(video_path)
        metadata = {
            "gloss": gloss,
            "language": language.strip(),
            "source": source.strip(),
            "attribution": attribution.strip(),
            "signer": signer.strip(),
            "added_at": now(),
            "original_name": original_name or (video_path.name if video_path else ""),
        }
        uid = uuid.uuid4().hex
        media = self.root / MEDIA
        staging = media / f"{STAGING_PREFIX}{uid}"
        final = media / uid
        video_file = None
        with self._writing():
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
                write_metadata(staging, metadata)
                os.replace(staging, final)  # the folder appears complete or not at all
            except OSError as exc:
                shutil.rmtree(staging, ignore_errors=True)
                raise self._write_error(exc) from None
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            try:
                with self._db:
                    cur = self._db.execute(
                        "INSERT INTO entries (media, gloss, language, source, attribution, signer,"
                        " added_at, original_name, video_file, content_sha256, frames, fps,"
                        " encoder_hash, embedding) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (
                            uid,
                            *(metadata[k] for k in METADATA_FIELDS),
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
                shutil.rmtree(final, ignore_errors=True)  # our own copy; the row never existed
                raise
            if vector is not None and self._index is not None and self._metric is not None:
                self._index.add(np.array([entry_id]), self._metric.apply(vector))
                self._index_dirty = True
                if save_index:
                    self.flush()
            return self.get(entry_id)

    def _write_error(self, exc: OSError) -> GalleryError:
        if exc.errno == errno.ENOSPC:
            why = "the disk holding the gallery is full"
        else:
            why = exc.strerror or str(exc)
        return GalleryError(f"cannot write to the gallery {self.root}: {why}; nothing was added")

    def rename(self, entry_id: int, gloss: str) -> Entry:
        """Change an entry's gloss (the vector stays; results read glosses from the database)."""
        return self.update(entry_id, gloss=gloss)

    def update(self, entry_id: int, **fields: str) -> Entry:
        """Edit metadata: gloss, language, source, attribution, signer."""
        unknown = set(fields) - set(_EDITABLE)
        if unknown:
            raise GalleryError(f"cannot edit {', '.join(sorted(unknown))}")
        for key, value in fields.items():
            if not isinstance(value, str):
                raise GalleryError(f"{key} must be text, not {type(value).__name__}")
        if "gloss" in fields:
            fields["gloss"] = normalise_gloss(fields["gloss"])
            if not fields["gloss"]:
                raise GalleryError("a gloss is required")
        with self._writing():
            with self._db:
                cur = self._db.execute(
                    f"UPDATE entries SET {', '.join(f'{k} = ?' for k in fields)} "
                    f"WHERE id = ? AND {self._live}",
                    (*[v.strip() for v in fields.values()], entry_id),
                )
                if cur.rowcount == 0:
                    raise GalleryError(f"no entry {entry_id} in {self.root}")
                if "gloss" in fields:  # glosses feed the verdict calibration and facet labels
                    self._bump_revision()
            if "gloss" in fields and self._index is not None:
                self._index_dirty = True  # the index file records the revision it matches
                self.flush()
            entry = self.get(entry_id)
            if entry.folder.is_dir():  # entry.json is only a recovery aid: the row is the truth
                with suppress(OSError):
                    write_metadata(entry.folder, entry.metadata())
        return entry

    def delete(self, entry_id: int) -> Entry:
        """Move an entry to the trash (``restore`` undoes it); returns the trashed entry."""
        with self._writing():
            entry = self.get(entry_id)
            with self._db:
                self._db.execute(
                    "UPDATE entries SET deleted_at = ? WHERE id = ?", (now(), entry_id)
                )
                self._bump_revision()
            if entry.folder.is_dir():  # a crash before this move is finished by the next open
                (self.root / TRASH).mkdir(exist_ok=True)
                os.replace(entry.folder, self.root / TRASH / entry.folder.name)
            if self._index is not None:
                self._index.remove(np.array([entry_id]))
                self._index_dirty = True
                self.flush()
            return self._trashed_entry(entry_id)

    def _trashed_entry(self, entry_id: int) -> Entry:
        found = self._select("deleted_at IS NOT NULL AND id = ?", (entry_id,))
        if not found:
            raise GalleryError(f"entry {entry_id} is not in the trash of {self.root}")
        return found[0]

    def restore(self, entry_id: int) -> Entry:
        """Bring a deleted entry back from the trash, searchable again."""
        with self._writing():
            entry = self._trashed_entry(entry_id)
            target = self.root / MEDIA / entry.folder.name
            if entry.folder.is_dir():
                target.parent.mkdir(exist_ok=True)
                os.replace(entry.folder, target)
            with self._db:
                self._db.execute("UPDATE entries SET deleted_at = NULL WHERE id = ?", (entry_id,))
                self._bump_revision()
            if self._embedder is not None:
                if entry.encoder_hash != self._embedder.content_hash:
                    self._sync_embeddings(None)
                ids, vectors = self._vectors(only=entry_id)
                if self._index is not None and self._metric is not None and len(ids):
                    self._index.add(ids, self._metric.apply(vectors))
                    self._index_dirty = True
                    self.flush()
            return self.get(entry_id)

    def empty_trash(self, ids: Iterable[int] | None = None) -> int:
        """Delete trashed entries for good (all, or ``ids``); the only call that removes files."""
        with self._writing():
            doomed = self.trashed()
            if ids is not None:
                wanted = {int(i) for i in ids}
                doomed = [e for e in doomed if e.id in wanted]
            with self._db:
                self._db.executemany("DELETE FROM entries WHERE id = ?", [(e.id,) for e in doomed])
            for entry in doomed:
                shutil.rmtree(entry.folder, ignore_errors=True)
            return len(doomed)

    def find_by_sha256(self, sha: str) -> Entry | None:
        found = self._select(f"{self._live} AND content_sha256 = ? LIMIT 1", (sha,))
        return found[0] if found else None


def check_video_file(video: str | Path) -> Path:
    """The path of one existing file to add, or a GalleryError saying what it is instead."""
    path = Path(video)
    if path.is_dir():
        raise GalleryError(
            f"{path} is a folder; add takes one video file "
            "(use 'signlookup gallery build DIR --from FOLDER' for a folder)"
        )
    if not path.is_file():
        raise GalleryError(f"video file not found: {path}")
    return path


def _extract_with_mediapipe(video: Path, progress: ProgressCallback | None = None) -> PoseSequence:
    """The same extraction as queries and imports (sampled, cached by content)."""
    from signlookup.capture import CaptureError
    from signlookup.pose import PoseExtractionError
    from signlookup.pose.video import extract_video

    try:
        return extract_video(video, progress=progress)
    except (CaptureError, PoseExtractionError) as exc:
        raise GalleryError(f"{video.name}: {exc}") from None
