"""Shared fixtures of the GUI tests: a small gallery, an isolated settings store, the window.

The camera is played by a video file (``file_camera``): there is no camera on test machines.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import KEYPOINTS, MIT_CLIP, REPO, need

QUERY_GLOSS = "PESSOA-MIT"
__all__ = [
    "QUERY_GLOSS",
    "REPO",
    "file_camera",
    "gallery_dir",
    "lexical_aligner",
    "make_store",
    "make_window",
]


@pytest.fixture(scope="session")
def gallery_dir(tmp_path_factory, extracted) -> Path:
    """A gallery with the MIT clip (video + landmarks) and keypoint-only Libras signs."""
    from signlookup.gallery import Gallery
    from signlookup.pose import PoseSequence
    from signlookup.search import default_embedder

    seq = extracted(MIT_CLIP)
    folder = tmp_path_factory.mktemp("gallery")
    with Gallery.create(folder, default_embedder()) as gallery:
        gallery.add(gloss=QUERY_GLOSS, video=MIT_CLIP, pose=seq, language="ASL", source="mit")
        data = np.load(need(KEYPOINTS / "libras_dayane.npz"), allow_pickle=True)
        for label in ("a", "b", "obrigado"):
            i = int(np.flatnonzero(data["y"] == label)[0])
            take = PoseSequence.from_zero_filled(data["X"][i].astype(np.float32), fps=30.0)
            gallery.add(gloss=label.upper(), pose=take, language="Libras", source="dayane")
    return folder


def file_camera(path: Path = MIT_CLIP):
    """A Services.open_camera stand-in that plays a video file as camera ``index``."""
    from signlookup.capture import VideoFileSource

    def open_camera(index: int):
        source = VideoFileSource(need(path))
        source.name = f"camera {index} ({path.name})"
        return source

    return open_camera


def make_store(tmp_path: Path, **preferences):
    """A QSettings in tmp_path, pre-filled with AppSettings fields."""
    from PySide6.QtCore import QSettings

    from signlookup.gui.settings import AppSettings

    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    AppSettings(**preferences).save(store)
    return store


@pytest.fixture
def make_window(qtbot, tmp_path):
    """Build the real main window (as run_app does) with test services; closed at teardown."""
    from signlookup.gui.app import create_main_window
    from signlookup.gui.services import Services

    windows = []

    def build(gallery: Path | str | None = None, services: Services | None = None, **preferences):
        """``gallery=None``: a folder that is not a gallery; ``""``: the user's default."""
        services = services or Services(open_camera=file_camera(), list_cameras=lambda: [0])
        preferences.setdefault("countdown_s", 1)
        preferences.setdefault("language", "en")  # assertions read English text
        store = make_store(
            tmp_path,
            gallery_folder=str(tmp_path / "no-gallery" if gallery is None else gallery),
            **preferences,
        )
        window = create_main_window(store, services)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.close()


def lexical_aligner(csv_path: Path | None = None):
    """A Services.open_aligner stand-in: the text layer's lexical index over the INES CSV.

    The bundled text model may be absent in a checkout; this keeps the look-up flow testable.
    """
    from conftest import SHARED_DATA

    def open_aligner():
        import csv

        from signlookup.text import GlossIndex, align
        from signlookup.text.dictionary import Dictionary

        path = need(csv_path or SHARED_DATA / "text" / "ines_dictionary.csv")
        with open(path, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        glosses = sorted({r["example_gloss"] for r in rows if r.get("example_gloss")})
        index = GlossIndex.build(
            None, glosses, fusion_weight=0.0, dictionary=Dictionary.from_rows(rows)
        )
        return lambda sentence, k: align(sentence, k, index=index)

    return open_aligner
