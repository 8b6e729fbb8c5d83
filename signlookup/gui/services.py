"""What the GUI needs from the library, in one injectable bundle, plus the shared gallery handle.

Tests swap the camera for a file-backed source and the searcher for one over a small gallery;
the views never import the library's heavy parts at module level.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal

from signlookup.capture import FrameSource
from signlookup.gui.errors import FeatureUnavailable
from signlookup.gui.workers import JobRunner
from signlookup.pose.layout import MIRROR_PERMUTATION
from signlookup.pose.sequence import PoseSequence


def _open_camera(index: int) -> FrameSource:
    from signlookup.capture import CameraSource

    return CameraSource(index)


def _list_cameras() -> list[int]:
    from signlookup.capture import list_cameras

    return list_cameras()


def _open_searcher(folder: Path, progress: Callable[[int, int, str], None]) -> Any:
    from signlookup.search import Searcher

    return Searcher.open(folder, progress=progress)


def _open_aligner() -> Callable[[str, int], Any]:
    """``align(sentence, k)`` of the text layer, its bundle loaded here (off the GUI thread)."""
    try:
        import signlookup.text as text
    except ImportError:
        raise FeatureUnavailable(
            QCoreApplication.translate(
                "services", "Gloss look-up is not available in this version yet."
            )
        ) from None
    index = text.load()
    return lambda sentence, k: text.align(sentence, k, index=index)


@dataclass
class Services:
    """Factories for everything slow or hardware-bound; defaults are the real ones."""

    open_camera: Callable[[int], FrameSource] = _open_camera
    list_cameras: Callable[[], list[int]] = _list_cameras
    open_searcher: Callable[[Path, Callable[[int, int, str], None]], Any] = _open_searcher
    open_aligner: Callable[[], Callable[[str, int], Any]] = _open_aligner
    #: None means MediaPipe Holistic; tests may pass a cheaper stand-in.
    make_extractor: Callable[[], Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def mirror_raw(seq: PoseSequence) -> PoseSequence:
    """Left-right mirror in raw image coordinates (x -> 1 - x, left and right swapped).

    For left-handed signers: their signs then look like the right-handed gallery entries.
    """
    perm = list(MIRROR_PERMUTATION)
    points = np.array(seq.points[:, perm], copy=True)
    mask = np.array(seq.mask[:, perm], copy=True)
    points[..., 0] = np.where(mask, 1.0 - points[..., 0], 0.0)
    return PoseSequence(points, mask, seq.fps, seq.aspect)


class GalleryHandle(QObject):
    """The opened gallery and its searcher, shared by the search and gallery views.

    Opening runs in a worker (it may re-embed the gallery); ``changed`` fires after edits so
    views refresh. ``searcher`` is None while loading or when the folder is not a gallery.
    """

    loading = Signal(str)  # folder
    progress = Signal(int, int, str)
    loaded = Signal(object)  # searcher
    failed = Signal(object)  # exception
    changed = Signal()

    def __init__(self, services: Services, jobs: JobRunner) -> None:
        super().__init__()
        self._services = services
        self._jobs = jobs
        self.searcher: Any = None
        self.folder: Path | None = None
        self.error: BaseException | None = None
        self._generation = 0

    @property
    def gallery(self) -> Any:
        return None if self.searcher is None else self.searcher.gallery

    @property
    def size(self) -> int | None:
        return None if self.gallery is None else len(self.gallery)

    @property
    def model_name(self) -> str:
        return "" if self.searcher is None else str(getattr(self.searcher.embedder, "name", ""))

    def open(self, folder: Path, seed: Path | None = None) -> None:
        """Open ``folder`` in a worker; when it does not exist yet, copy ``seed`` there first."""
        self._generation += 1
        generation = self._generation
        old, self.searcher = self.searcher, None
        self.folder, self.error = folder, None
        self.loading.emit(str(folder))

        def work(cancel: threading.Event, report: Callable[[int, int], None]) -> Any:
            if old is not None:
                old.close()
            if seed is not None and not folder.exists() and seed.is_dir():
                import shutil

                shutil.copytree(seed, folder)  # first start: the user's copy of the demo gallery
            if not folder.exists():
                from signlookup.gallery import GalleryError

                raise GalleryError(f"{folder} is not a gallery (no gallery.sqlite)")
            return self._services.open_searcher(folder, lambda d, t, name="": report(d, t))

        def done(searcher: Any) -> None:
            if generation != self._generation:
                searcher.close()
                return
            self.searcher = searcher
            self.loaded.emit(searcher)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.error = exc
                self.failed.emit(exc)

        self._jobs.start(work, done, failed, lambda d, t: self.progress.emit(d, t, ""))

    def close(self) -> None:
        self._generation += 1
        if self.searcher is not None:
            self.searcher.close()
            self.searcher = None
