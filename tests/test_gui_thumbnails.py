"""Looping result thumbnails: video loops decoded off the GUI thread, skeleton loops for
keypoint-only entries, and nothing left running when the window closes."""

from __future__ import annotations

import threading

from conftest import MIT_CLIP, need
from PySide6.QtGui import QColor, QImage

from signlookup.gui.results_model import ThumbnailRole
from signlookup.gui.workers import running_workers

RESULTS_TIMEOUT = 60_000


def _search(qtbot, window):
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=RESULTS_TIMEOUT) as got:
        window.search_view.open_file(need(MIT_CLIP))
    return got.args[0]


def _frames_seen(qtbot, model, row: int, count: int = 3) -> set[int]:
    """Distinct images the thumbnail role of ``row`` shows while the loop plays."""
    seen: set[int] = set()

    def animated() -> bool:
        image = model.index(row).data(ThumbnailRole)
        if isinstance(image, QImage):
            seen.add(image.cacheKey())
        return len(seen) >= count

    qtbot.waitUntil(animated, timeout=20_000)
    return seen


def test_video_thumbnail_loops_and_decodes_off_the_gui_thread(
    qtbot, make_window, gallery_dir, monkeypatch
):
    from signlookup.gui import thumbnails

    threads: list[int] = []
    original = thumbnails.decode_clip

    def spy(path, cancel):
        threads.append(threading.get_ident())
        return original(path, cancel)

    monkeypatch.setattr(thumbnails, "decode_clip", spy)
    window = make_window(gallery_dir)
    cards = _search(qtbot, window)
    assert cards[0].video_path is not None
    model = window.search_view.results_model
    _frames_seen(qtbot, model, 0)  # three different frames: the clip loops
    assert threads and threading.get_ident() not in threads
    frame = model.index(0).data(ThumbnailRole)
    assert frame.width() <= 160


def test_keypoint_only_entry_loops_a_skeleton(qtbot, make_window, gallery_dir):
    window = make_window(gallery_dir)
    cards = _search(qtbot, window)
    row = next(i for i, c in enumerate(cards) if c.video_path is None)
    view = window.search_view
    view.results_view.scrollTo(view.results_model.index(row))
    _frames_seen(qtbot, view.results_model, row)
    image = view.results_model.index(row).data(ThumbnailRole)
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 4) for y in
               range(0, image.height(), 4)}  # fmt: skip
    assert QColor("#1d232a").name() in colours  # the dark skeleton background
    assert len(colours) > 2  # and bones drawn on it


def test_close_leaves_no_thumbnail_thread_running(qtbot, make_window, gallery_dir):
    window = make_window(gallery_dir)
    _search(qtbot, window)
    animator = window.search_view.thumbnails
    assert animator.running  # decoding or looping
    window.close()
    assert not animator.running
    assert running_workers() == []
