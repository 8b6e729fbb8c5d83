"""What the GUI needs from the library, in one injectable bundle, plus the shared gallery handle.

Tests swap the camera for a file-backed source and the searcher for one over a small gallery;
the views never import the library's heavy parts at module level.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from PySide6.QtCore import QObject, Signal

from signlookup.capture import FrameSource
from signlookup.gallery import Entry, Gallery, GalleryError
from signlookup.gui.workers import (
    Cancelled,
    CancelToken,
    PoseExtractor,
    Progress,
    RequestWorker,
    collection_paused,
)
from signlookup.pose.layout import MIRROR_PERMUTATION
from signlookup.pose.sequence import PoseSequence

if TYPE_CHECKING:
    from signlookup.encoder.base import Embedder
    from signlookup.index.session import SignerSession
    from signlookup.search import Searcher, SearchResult
    from signlookup.text.draft import Drafter
    from signlookup.text.index import GlossIndex, GlossMatch

T = TypeVar("T")


class TextLookup:
    """The text layer's look-up over one loaded index, plus each example's Portuguese sentence.

    ``align`` ranks the dictionary's examples (gloss sequences) for a sentence; the sentence an
    example was written for is shown beside it, so the user sees these are examples, not a
    translation of their sentence.
    """

    def __init__(self, index: GlossIndex) -> None:
        self._index = index
        self._sentences: dict[str, str] = {}
        for sentence, gloss_row in zip(index.sentences, index.sentence_gloss, strict=True):
            self._sentences.setdefault(index.glosses[int(gloss_row)], sentence)

    def align(self, sentence: str, k: int) -> list[GlossMatch]:
        from signlookup.text import align

        return align(sentence, k, index=self._index)

    def example_sentence(self, gloss: str) -> str:
        return self._sentences.get(gloss, "")


def _open_camera(index: int) -> FrameSource:
    from signlookup.capture import CameraSource

    return CameraSource(index)


def _list_cameras() -> list[int]:
    from signlookup.capture import list_cameras

    return list_cameras()


#: The sign encoder loaded before the event loop, by its model file (``preload_sign_encoder``).
_preloaded_encoders: dict[Path, Embedder] = {}


def preload_sign_encoder() -> None:
    """Load the bundled sign encoder now, on the GUI thread before the event loop runs.

    ``torch.jit.load`` holds the GIL about 0.1 s (more under load), which froze the window when
    the gallery's worker loaded it; galleries opened later reuse this one. A broken model is
    not raised here: the gallery's worker loads it again and reports the error in the window.
    """
    from signlookup.encoder.default import default_model_path
    from signlookup.search import default_embedder

    try:
        _preloaded_encoders[default_model_path()] = default_embedder()
    except Exception as exc:  # reported by the gallery's worker
        logging.getLogger("signlookup.gui").info("sign encoder not preloaded: %s", exc)


def _open_searcher(folder: Path, progress: Callable[[int, int, str], None]) -> Searcher:
    from signlookup.encoder.default import default_model_path
    from signlookup.search import Searcher

    embedder = _preloaded_encoders.get(default_model_path())
    return Searcher.open(folder, embedder=embedder, progress=progress)


def _open_aligner() -> TextLookup:
    """The text layer's bundle, loaded here (a worker thread: torch imports take seconds)."""
    from signlookup.text import load

    return TextLookup(load())


def _open_drafter() -> Drafter:
    """The gloss-draft tables of the bundled text model (no torch; about 1 s, in a worker)."""
    from signlookup.text import load_drafter

    return load_drafter()


@dataclass
class Services:
    """Factories for everything slow or hardware-bound; defaults are the real ones."""

    open_camera: Callable[[int], FrameSource] = _open_camera
    list_cameras: Callable[[], list[int]] = _list_cameras
    open_searcher: Callable[[Path, Callable[[int, int, str], None]], Searcher] = _open_searcher
    open_aligner: Callable[[], TextLookup] = _open_aligner
    open_drafter: Callable[[], Drafter] = _open_drafter
    #: None means MediaPipe Holistic; tests may pass a cheaper stand-in.
    make_extractor: Callable[[], PoseExtractor] | None = None


def mirror_raw(seq: PoseSequence) -> PoseSequence:
    """Left-right mirror in raw image coordinates (x -> 1 - x, left and right swapped).

    For left-handed signers: their signs then look like the right-handed gallery entries.
    """
    perm = list(MIRROR_PERMUTATION)
    points = np.array(seq.points[:, perm], copy=True)
    mask = np.array(seq.mask[:, perm], copy=True)
    points[..., 0] = np.where(mask, 1.0 - points[..., 0], 0.0)
    return PoseSequence(points, mask, seq.fps, seq.aspect)


def warm_up(searcher: Searcher, entries: list[Entry]) -> None:
    """Embed one stored sign once, so the user's first search does not pay the encoder's
    first-call set-up (about a second, several under load) after they stop recording."""
    from signlookup.pose.io import PoseFileError, load_npz

    for entry in entries[:1]:
        try:
            searcher.embed(load_npz(entry.pose_path))
        except (OSError, PoseFileError):
            return  # an unreadable file: the first search pays the set-up instead


class GalleryHandle(QObject):
    """The opened gallery and its searcher, shared by the search, gallery and gloss views.

    Everything that touches the gallery (open, close, search, listing, edits) runs in order on
    one ``RequestWorker``, so the searcher is never closed under a running search and SQLite is
    never read on the GUI thread: views read ``entries``, a snapshot refreshed after each
    change. ``searcher`` is None while loading or when the folder is not a gallery.
    """

    loading = Signal(str)  # folder
    progress = Signal(int, int)
    loaded = Signal(object)  # Searcher
    failed = Signal(object)  # exception
    #: ``entries`` changed (after opening and after each edit)
    changed = Signal()

    def __init__(self, services: Services, requests: RequestWorker) -> None:
        super().__init__()
        self._services = services
        self._requests = requests
        self.searcher: Searcher | None = None
        self.folder: Path | None = None
        self.error: BaseException | None = None
        self.entries: list[Entry] = []
        self.read_only = False
        self._generation = 0

    @property
    def gallery(self) -> Gallery | None:
        """For workers only (``run``/``search`` hand it to them); views use ``entries``."""
        return None if self.searcher is None else self.searcher.gallery

    @property
    def size(self) -> int | None:
        return None if self.searcher is None else len(self.entries)

    def open(self, folder: Path, seed: Path | None = None) -> None:
        """Open ``folder`` in the worker; when it does not exist yet, copy ``seed`` there first."""
        old, self.searcher = self.searcher, None
        self.folder, self.error, self.entries = folder, None, []
        self.loading.emit(str(folder))

        def work(cancel: CancelToken, report: Progress) -> tuple[Searcher, list[Entry]]:
            if old is not None:
                old.close()  # in the worker, after every search queued before it
            if seed is not None and not folder.exists() and seed.is_dir():
                import shutil

                shutil.copytree(seed, folder)  # first start: the user's copy of the demo gallery
            if not folder.exists():
                raise GalleryError(f"{folder} is not a gallery (no gallery.sqlite)")
            cancel.check()
            with collection_paused():  # the encoder's imports and warm-up
                searcher = self._services.open_searcher(folder, lambda d, t, _name="": report(d, t))
                if cancel.is_set():
                    searcher.close()
                    raise Cancelled
                entries = searcher.gallery.entries()
                warm_up(searcher, entries)
            return searcher, entries

        self._generation += 1
        generation = self._generation

        def done(opened: tuple[Searcher, list[Entry]]) -> None:
            if generation != self._generation:  # another folder was chosen meanwhile
                stale = opened[0]
                self._requests.submit(lambda _c, _p: stale.close())
                return
            self.searcher, self.entries = opened
            self.read_only = bool(self.searcher.gallery.read_only)
            self.loaded.emit(self.searcher)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.error = exc
                self.failed.emit(exc)

        # opens run in order, each closing the searcher before it: none is skipped
        self._requests.submit(work, done, failed, self.progress.emit)

    def run(
        self,
        edit: Callable[[Gallery], T],
        on_done: Callable[[T], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Apply ``edit`` to the gallery in the worker, then refresh ``entries`` and tell views."""
        searcher = self.searcher
        if searcher is None:
            return
        gallery = searcher.gallery

        def work(_cancel: CancelToken, _progress: Progress) -> tuple[T, list[Entry]]:
            result = edit(gallery)
            return result, gallery.entries()

        def done(outcome: tuple[T, list[Entry]]) -> None:
            result, entries = outcome
            if self.searcher is searcher:
                self.entries = entries
                self.changed.emit()
            if on_done is not None:
                on_done(result)

        self._requests.submit(work, done, on_failed)

    def read(
        self,
        fn: Callable[[Searcher, CancelToken], T],
        on_done: Callable[[T], None],
        on_failed: Callable[[BaseException], None] | None = None,
        *,
        key: str | None = None,
    ) -> None:
        """Run ``fn(searcher, cancel)`` in the worker: a read (verdict, facets), so ``entries``
        is not refreshed. With ``key`` a newer read of that key replaces this one."""
        searcher = self.searcher
        if searcher is None:
            return

        def work(cancel: CancelToken, _progress: Progress) -> T:
            cancel.check()
            return fn(searcher, cancel)

        self._requests.submit(work, on_done, on_failed, key=key)

    def search(
        self,
        query: PoseSequence,
        k: int,
        on_done: Callable[[list[SearchResult]], None],
        on_failed: Callable[[BaseException], None],
        then: Callable[[list[SearchResult], CancelToken], T] | None = None,
        session: SignerSession | None = None,
        session_key: Hashable = None,
    ) -> None:
        """Rank the gallery for ``query`` in the worker; a newer search cancels this one.

        Between stages (embedding, ranking, ``then``: e.g. decoding thumbnails) the worker
        checks the cancel flag, so a superseded search stops early instead of queueing up.
        ``session``: the camera's signer session the query adapts to and is recorded in
        (signlookup.index.session), under ``session_key``.
        """
        searcher = self.searcher
        if searcher is None:
            return

        def work(cancel: CancelToken, _progress: Progress) -> object:
            cancel.check()
            vector = searcher.embed(query)
            cancel.check()
            results = searcher.search_vector(vector, k, session=session, session_key=session_key)
            cancel.check()
            return results if then is None else then(results, cancel)

        self._requests.submit(work, on_done, on_failed, key="search")

    def close(self) -> None:
        """Close the searcher (the window is closing and the worker has been joined)."""
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None
