"""The query API: a video, a landmark file or a PoseSequence in, ranked gallery signs out.

Used by the CLI and the GUI alike. A :class:`Searcher` holds the embedder and the opened gallery
(with its index) so the GUI loads them once and queries many times; :func:`search` is the one-shot
form for scripts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signlookup.gallery.folder import gloss_key
from signlookup.gallery.store import Entry, Gallery, GalleryError, ProgressCallback
from signlookup.index.session import SignerSession, sign_means
from signlookup.index.sign_score import SIGN_WINDOW, sign_scores
from signlookup.pose.sequence import PoseSequence
from signlookup.verdict import DEFAULT_QUANTILE, Calibration, Verdict, calibrate, judge

if TYPE_CHECKING:
    from signlookup.capture.base import Frame
    from signlookup.encoder.base import Embedder
    from signlookup.facets import GalleryFacets

Query = PoseSequence | str | Path
POSE_SUFFIXES = (".npz", ".pose")


class QueryError(ValueError):
    """The query could not be turned into landmarks; the message is meant for the user."""


class QueryTooLongError(QueryError):
    """A query over :data:`MAX_QUERY_S`; ``name`` and ``seconds`` let a GUI say it in its
    own language."""

    def __init__(self, message: str, name: str, seconds: float) -> None:
        super().__init__(message)
        self.name = name
        self.seconds = seconds


@dataclass(frozen=True)
class SearchResult:
    """One ranked gallery sign, shown by its best take (``entry_id``). ``take_score`` is that
    take's cosine in the gallery's metric (signlookup.index.metric), in [-1, 1], higher is
    closer; ``score``, by which signs are ranked, is the sign's score over all its takes
    (signlookup.index.sign_score): the take's own when the gallery holds the sign once, or when
    the search lists takes rather than signs."""

    rank: int
    entry_id: int
    gloss: str
    score: float
    language: str
    source: str
    attribution: str
    video_path: Path | None
    pose_path: Path
    thumbnail_path: Path
    take_score: float

    @classmethod
    def from_entry(
        cls, rank: int, entry: Entry, score: float, take_score: float | None = None
    ) -> SearchResult:
        return cls(
            rank=rank,
            entry_id=entry.id,
            gloss=entry.gloss,
            score=float(score),
            take_score=float(score if take_score is None else take_score),
            language=entry.language,
            source=entry.source,
            attribution=entry.attribution,
            video_path=entry.video_path,
            pose_path=entry.pose_path,
            thumbnail_path=entry.thumbnail_path,
        )

    def to_json(self) -> dict[str, object]:
        """Plain types for ``json.dumps`` (the CLI's ``--json``)."""
        return {
            "rank": self.rank,
            "gloss": self.gloss,
            "score": round(self.score, 6),
            "take_score": round(self.take_score, 6),
            "entry_id": self.entry_id,
            "language": self.language,
            "source": self.source,
            "path": str(self.video_path or self.pose_path),
            "thumbnail": str(self.thumbnail_path),
        }


@dataclass
class StageTimings:
    """Seconds spent per stage of the last query (decode+pose together when from a video)."""

    pose_s: float = 0.0
    embed_s: float = 0.0
    search_s: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def total_s(self) -> float:
        return self.pose_s + self.embed_s + self.search_s


def default_embedder(resources_dir: Path | None = None) -> Embedder:
    """The product's embedder (``signlookup.encoder.load_default_embedder``)."""
    from signlookup.encoder import load_default_embedder

    return load_default_embedder(resources_dir)


#: A query is one sign: dictionary clips last 2-8 s, data-set takes up to 9 s. Past this the
#: ranking would describe a whole conversation, and extraction would take minutes.
MAX_QUERY_S = 30.0


def _too_long(name: str, seconds: float) -> QueryTooLongError:
    return QueryTooLongError(
        f"{name} is {seconds:.0f} s long; a query is one sign (most last 1-8 s): trim it to "
        f"the sign, at most {MAX_QUERY_S:.0f} s, and search again",
        name,
        seconds,
    )


def load_query(
    query: Query,
    progress: ProgressCallback | None = None,
    *,
    stop: threading.Event | None = None,
    on_pose: Callable[[Frame, np.ndarray, np.ndarray], None] | None = None,
) -> PoseSequence:
    """Landmarks of a query: a PoseSequence as is, ``.npz``/``.pose`` read, a video extracted.

    Files longer than :data:`MAX_QUERY_S` are refused (a video before it is decoded). A video
    goes through the pose cache (the same bytes are extracted once);
    ``progress(frames done, frames, name)`` follows the extraction, ``on_pose`` and ``stop``
    are passed to :func:`signlookup.pose.video.extract_video` (a preview, cancelling).
    """
    if isinstance(query, PoseSequence):
        return query
    path = Path(query)
    if not path.exists():
        raise QueryError(f"query file not found: {path}")
    if path.is_dir():
        raise QueryError(f"{path} is a folder: give one video or landmark file")
    if path.suffix.lower() in POSE_SUFFIXES:
        from signlookup.pose.io import PoseFileError, load_npz, load_pose_file

        try:
            seq = load_npz(path) if path.suffix.lower() == ".npz" else load_pose_file(path)
        except PoseFileError as exc:
            raise QueryError(str(exc)) from None
        if seq.duration_s > MAX_QUERY_S:
            raise _too_long(path.name, seq.duration_s)
        return seq
    from signlookup.capture import CaptureError, VideoFileSource
    from signlookup.pose import PoseExtractionError
    from signlookup.pose.video import extract_video

    source = VideoFileSource(path)
    try:
        with source:  # the length is known before a frame is decoded
            total, fps = source.frame_count, source.fps
        if total is not None and total / fps > MAX_QUERY_S:
            raise _too_long(path.name, total / fps)
        return extract_video(path, progress=progress, stop=stop, on_pose=on_pose)
    except (CaptureError, PoseExtractionError) as exc:
        raise QueryError(str(exc)) from exc  # the cause's type tells the GUI what to say


def embed_query(embedder: Embedder, seq: PoseSequence, name: str = "the query") -> np.ndarray:
    """float32 (dim,) unit vector, or a QueryError naming the clip when it cannot be described
    (no shoulders in any frame, a body of no extent...)."""
    try:
        vector = embedder.embed([seq])[0]
    except ValueError as exc:
        raise QueryError(f"cannot describe {name}: {exc}") from None
    if not np.all(np.isfinite(vector)):
        raise QueryError(f"cannot describe {name}: its landmarks give no usable vector")
    return vector


def _query_name(query: Query) -> str:
    return "the query" if isinstance(query, PoseSequence) else str(query)


class Searcher:
    """An opened gallery plus its embedder: load once, query many times (thread-safe)."""

    def __init__(self, gallery: Gallery) -> None:
        if gallery.embedder is None:
            raise GalleryError("the gallery was opened without an embedder: it cannot search")
        self.gallery = gallery
        self.last_timings = StageTimings()
        self.verdict_quantile = DEFAULT_QUANTILE
        self._calibration: tuple[tuple[int, str, float], Calibration] | None = None
        self._calibration_lock = threading.Lock()
        self._facets: tuple[int, GalleryFacets] | None = None
        self._facets_lock = threading.Lock()
        self._signs: _SignTable | None = None
        self._signs_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        gallery_dir: str | Path,
        embedder: Embedder | None = None,
        *,
        progress: ProgressCallback | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> Searcher:
        """Open a gallery folder (re-embedding it if the embedder changed) for searching."""
        embedder = embedder if embedder is not None else default_embedder()
        return cls(Gallery.open(gallery_dir, embedder, progress=progress, on_wait=on_wait))

    @property
    def embedder(self) -> Embedder:
        assert self.gallery.embedder is not None
        return self.gallery.embedder

    def close(self) -> None:
        self.gallery.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def embed(self, query: Query) -> np.ndarray:
        """float32 (dim,) unit vector of a query."""
        return embed_query(self.embedder, load_query(query), _query_name(query))

    def search(
        self,
        query: Query,
        k: int = 10,
        collapse_glosses: bool = True,
        progress: ProgressCallback | None = None,
        name: str | None = None,
    ) -> list[SearchResult]:
        """The ``k`` gallery signs most similar to ``query``, best first.

        With ``collapse_glosses`` each sign appears once, shown by its best take and ranked by
        its score over all its takes (signlookup.index.sign_score): a dictionary shows each
        sign once even when it holds several takes of it; without, the takes themselves.
        ``progress`` follows the pose extraction of a video query (see :func:`load_query`);
        ``name`` is how messages call a query passed already loaded.
        """
        timings = StageTimings()
        t0 = time.perf_counter()
        seq = load_query(query, progress)
        t1 = time.perf_counter()
        vector = embed_query(self.embedder, seq, name or _query_name(query))
        t2 = time.perf_counter()
        results = self.search_vector(vector, k, collapse_glosses)
        t3 = time.perf_counter()
        timings.pose_s, timings.embed_s, timings.search_s = t1 - t0, t2 - t1, t3 - t2
        self.last_timings = timings
        return results

    def calibration(self) -> Calibration:
        """The gallery's "no close match" threshold (signlookup.verdict), cached until the
        gallery, the embedder or the quantile changes."""
        key = (self.gallery.revision, self.embedder.content_hash, self.verdict_quantile)
        with self._calibration_lock:
            if self._calibration is None or self._calibration[0] != key:
                self._calibration = (key, self._calibrate())
            return self._calibration[1]

    def _calibrate(self) -> Calibration:
        gallery = self.gallery
        table = self._sign_table()
        ids, vectors = gallery.vectors()
        signs = table.signs_of(ids)
        keep = signs >= 0  # live entries the index holds
        ids, vectors = ids[keep], vectors[keep]
        glosses = table.keys[signs[keep]].tolist()
        order = np.argsort(ids)

        def search_rows(queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
            """The gallery's own index, its entry ids turned into row numbers of ``vectors``."""
            scores, hits = gallery.search_vectors(queries, k)
            pos = np.clip(np.searchsorted(ids, hits, sorter=order), 0, len(ids) - 1)
            rows = order[pos]
            return scores, np.where(ids[rows] == hits, rows, -1)

        return calibrate(vectors, glosses, self.verdict_quantile, search_rows)

    def facets(self) -> GalleryFacets:
        """Handshape inventory and regions of the gallery (signlookup.facets), cached until it
        changes."""
        from signlookup.facets import load_gallery_facets

        with self._facets_lock:
            revision = self.gallery.revision
            if self._facets is None or self._facets[0] != revision:
                self._facets = (revision, load_gallery_facets(self.gallery))
            return self._facets[1]

    def verdict(self, results: list[SearchResult]) -> Verdict:
        """Close match or not, for the results of a search (best first): judged on the best
        take's score, what the calibration's leave-one-gloss-out scores are."""
        top = max((r.take_score for r in results), default=float("-inf"))
        return judge(top, self.calibration())

    def _sign_table(self) -> _SignTable:
        """Every searchable entry's sign number and each sign's takes, cached until the
        gallery changes."""
        with self._signs_lock:
            revision = self.gallery.revision
            if self._signs is None or self._signs.revision != revision:
                searchable = self.gallery.index.ids()
                entries = {e.id: gloss_key(e.gloss) for e in self.gallery.entries()}
                ids = np.sort(np.array([i for i in searchable.tolist() if i in entries], np.int64))
                keys, signs = np.unique([entries[int(i)] for i in ids], return_inverse=True)
                counts = np.bincount(signs, minlength=len(keys))
                self._signs = _SignTable(
                    revision, ids, signs.astype(np.int64), np.asarray(keys), counts, self.gallery
                )
            return self._signs

    def search_vector(
        self,
        vector: np.ndarray,
        k: int = 10,
        collapse_glosses: bool = True,
        session: SignerSession | None = None,
        session_key: Hashable = None,
    ) -> list[SearchResult]:
        """Like :meth:`search` for an already embedded query (float32 (dim,)).

        With a ``session`` (one signer's recent look-ups, signlookup.index.session) the query
        is first freed of that signer's offset; its residual to the sign it finds is then
        recorded under ``session_key`` (the same recording searched again replaces itself)."""
        if k <= 0:
            return []
        if session is not None:
            space = f"{self.embedder.content_hash}/{self.gallery.root}"
            adapted = session.adapt(vector, space, session_key)
            results = self.search_vector(adapted, k, collapse_glosses)
            table = self._sign_table()
            found = int(table.signs_of([results[0].entry_id])[0]) if results else -1
            if found >= 0:
                session.record(session_key, vector - table.means[found])
            return results
        total = len(self.gallery.index)
        if not collapse_glosses:
            scores, ids = self.gallery.search_vectors(vector[None], min(total, k))
            hits = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
            entries = self.gallery.get_many(i for i, _ in hits)
            found = [(entries[i], s) for i, s in hits if i in entries]
            return [SearchResult.from_entry(r, e, s) for r, (e, s) in enumerate(found, 1)]
        table = self._sign_table()
        if not len(table.ids):
            return []
        window = min(total, max(SIGN_WINDOW, 4 * k + 16))
        while True:
            scores, ids = (a[0] for a in self.gallery.search_vectors(vector[None], window))
            signs = table.signs_of(ids)
            per_sign = sign_scores(scores, signs, table.counts)[0]
            best_take: dict[int, int] = {}  # sign -> its best take's row in the window
            for row in np.flatnonzero(signs >= 0):
                best_take.setdefault(int(signs[row]), int(row))
            ranked = sorted(best_take, key=lambda c: (-per_sign[c], best_take[c]))[:k]
            entries = self.gallery.get_many(int(ids[best_take[c]]) for c in ranked)
            results: list[SearchResult] = []
            for c in ranked:
                row = best_take[c]
                entry = entries.get(int(ids[row]))
                if entry is None:  # deleted by another thread since the index answered
                    continue
                results.append(
                    SearchResult.from_entry(len(results) + 1, entry, per_sign[c], scores[row])
                )
            if len(results) == k or window >= total:
                return results
            window = min(total, window * 4)


@dataclass
class _SignTable:
    """Sorted ids of the searchable entries, each one's sign number, each sign's gloss key and
    number of takes."""

    revision: int
    ids: np.ndarray
    signs: np.ndarray
    keys: np.ndarray
    counts: np.ndarray
    gallery: Gallery | None = None
    _means: np.ndarray | None = None

    def signs_of(self, ids) -> np.ndarray:
        """The sign number of each entry id; -1 for an id that is not a searchable entry."""
        ids = np.asarray(ids, np.int64)
        if not len(self.ids):
            return np.full(len(ids), -1, np.int64)
        pos = np.clip(np.searchsorted(self.ids, ids), 0, len(self.ids) - 1)
        return np.where(self.ids[pos] == ids, self.signs[pos], -1)

    @property
    def means(self) -> np.ndarray:
        """Each sign's mean vector (as embedded), read once per revision: what a camera
        session's residuals are measured from."""
        if self._means is None:
            assert self.gallery is not None
            ids, vectors = self.gallery.vectors()
            signs = self.signs_of(ids)
            known = signs >= 0
            self._means = sign_means(vectors[known], signs[known], len(self.counts))
        return self._means


def search(
    query: Query,
    k: int = 10,
    collapse_glosses: bool = True,
    *,
    gallery: str | Path | None = None,
    embedder: Embedder | None = None,
) -> list[SearchResult]:
    """One-shot search (opens the gallery each call; keep a :class:`Searcher` to repeat).

    ``gallery`` defaults to the bundled demo gallery.
    """
    if gallery is None:
        from signlookup.resources import resource

        gallery = resource("demo_gallery")
    with Searcher.open(gallery, embedder) as searcher:
        return searcher.search(query, k, collapse_glosses)
