"""Sign-search view driven like a user: open a clip, record from a file-backed camera, trim,
see ranked results and play one; error paths; workers stopped on close."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import MIT_CLIP, QUERY_GLOSS, file_camera, need
from PySide6.QtCore import Qt

from signlookup.gui.workers import running_workers

RESULTS_TIMEOUT = 60_000


def _wait_results(qtbot, window):
    with qtbot.waitSignal(
        window.search_controller.results_ready, timeout=RESULTS_TIMEOUT
    ) as blocker:
        pass
    return blocker.args[0]


def test_open_video_shows_skeleton_and_ranks_the_same_sign_first(qtbot, make_window, gallery_dir):
    window = make_window(gallery_dir)
    view = window.search_view
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=RESULTS_TIMEOUT) as got:
        view.open_file(need(MIT_CLIP))
    cards = got.args[0]
    assert cards and cards[0].gloss == QUERY_GLOSS
    assert view.results_model.rowCount() == len(cards)
    assert view.results_model.index(0).data() == QUERY_GLOSS
    assert view.query_view.has_frame  # the query replays with its skeleton
    clip = window.search_controller.query
    assert clip is not None and len(clip.sequence) == 58  # lossless: every frame of the file
    assert 0 <= clip.span[0] < clip.span[1] <= 58
    assert window.source_label.text() == MIT_CLIP.name
    # a file comes from anyone: it is not recorded in the camera's signer session
    assert not clip.from_camera and len(window.search_controller.session) == 0
    assert view.session_button.isHidden()
    # the top result plays large next to the query
    qtbot.waitUntil(lambda: view.match_view.has_frame, timeout=10_000)
    assert QUERY_GLOSS in view.match_title.text()


def test_record_from_file_camera_with_countdown_then_trim(qtbot, make_window, gallery_dir):
    from signlookup.gui.services import Services

    camera = Services(open_camera=file_camera(loop=True), list_cameras=lambda: [0])
    window = make_window(gallery_dir, services=camera, countdown_s=1)
    view, controller = window.search_view, window.search_controller
    qtbot.waitUntil(lambda: view.camera_combo.count() > 0, timeout=10_000)
    qtbot.mouseClick(view.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.record_button.isEnabled(), timeout=10_000)
    with qtbot.waitSignal(controller.countdown, timeout=2_000) as countdown:
        qtbot.keyClick(view, Qt.Key.Key_R)  # the shortcut
    assert countdown.args == [1]
    qtbot.waitUntil(lambda: controller.recording, timeout=5_000)
    assert view.record_button.text() == "■ Stop (R)"
    qtbot.waitUntil(lambda: len(controller._buffer) >= 12, timeout=30_000)  # frames with poses
    with qtbot.waitSignal(controller.results_ready, timeout=RESULTS_TIMEOUT) as got:
        qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    assert got.args[0]
    assert not controller.recording
    assert view.record_button.text() == "● Record (R)"
    # keyboard trim: a different span searches again
    clip = controller.query
    start, stop = clip.span
    new_stop = stop - 1 if stop - 1 >= start + 2 else stop + 1
    assert new_stop <= len(clip.sequence)
    with qtbot.waitSignal(controller.results_ready, timeout=RESULTS_TIMEOUT):
        view.trim_stop.setValue(new_stop)
    assert controller.query.span == (start, new_stop)
    # the camera's look-up is in its signer session once, however often it is trimmed
    assert clip.from_camera and len(controller.session) == 1
    assert not view.session_button.isHidden() and "1" in view.session_button.text()
    qtbot.mouseClick(view.session_button, Qt.MouseButton.LeftButton)  # someone else signs now
    assert len(controller.session) == 0 and view.session_button.isHidden()


def test_r_stops_a_recording_and_starts_the_next(qtbot, make_window, gallery_dir):
    """The R shortcut keeps working after the button's text changes to Stop and back."""
    from signlookup.gui.services import Services

    looping = Services(open_camera=file_camera(loop=True), list_cameras=lambda: [0])
    window = make_window(gallery_dir, services=looping, countdown_s=0)
    view = window.search_view
    controller = window.search_controller
    qtbot.waitUntil(lambda: view.camera_combo.count() > 0, timeout=10_000)
    qtbot.mouseClick(view.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.record_button.isEnabled(), timeout=10_000)
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert controller.recording and view.record_button.text() == "■ Stop (R)"
    qtbot.waitUntil(lambda: len(controller._buffer) >= 5, timeout=10_000)
    with qtbot.waitSignal(controller.results_ready, timeout=RESULTS_TIMEOUT):
        qtbot.keyClick(view, Qt.Key.Key_R)  # stops: the shortcut survived setText
        assert not controller.recording
    qtbot.keyClick(view, Qt.Key.Key_R)  # and starts the next one
    assert controller.recording
    qtbot.keyClick(view, Qt.Key.Key_R)
    assert not controller.recording


def test_unreadable_file_is_reported_in_plain_words(qtbot, make_window, tmp_path):
    window = make_window()
    bad = tmp_path / "notes.mp4"
    bad.write_bytes(b"not a video")
    window.search_view.open_file(bad)
    qtbot.waitUntil(
        lambda: any("could not be read" in m for m in window.banner.messages), timeout=10_000
    )
    assert window.isVisible()


def test_missing_camera_is_reported(qtbot, make_window):
    from signlookup.gui.services import Services

    def no_camera(index: int):
        from signlookup.capture import CameraSource

        return CameraSource(index, capture_factory=lambda _i: None)

    window = make_window(services=Services(open_camera=no_camera, list_cameras=lambda: []))
    view = window.search_view
    qtbot.waitUntil(lambda: view.camera_combo.count() > 0, timeout=10_000)
    assert view.camera_combo.itemData(0) == -1  # "No camera found"
    qtbot.mouseClick(view.camera_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any("No camera" in m for m in window.banner.messages), timeout=10_000)


def test_missing_gallery_is_reported_and_app_keeps_running(qtbot, make_window):
    window = make_window()  # points at a folder that does not exist
    qtbot.waitUntil(lambda: window.banner.text() != "", timeout=10_000)
    assert "gallery" in window.banner.text().lower()
    assert window.gallery_label.text() == "No gallery"


def test_close_stops_every_worker(qtbot, make_window, gallery_dir):
    window = make_window(gallery_dir)
    view = window.search_view
    view.open_file(need(MIT_CLIP))
    qtbot.waitUntil(lambda: view.query_view.has_frame, timeout=20_000)
    controller = window.search_controller
    capture, pose = controller._capture, controller._pose
    window.close()
    assert not pose.isRunning()
    assert capture is None or not capture.isRunning()
    assert running_workers() == []


def test_dropping_a_video_file_opens_it(qtbot, make_window, gallery_dir):
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    window = make_window(gallery_dir)
    view = window.search_view
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(need(MIT_CLIP)))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(window.search_controller.source_opened, timeout=10_000) as opened:
        view.dropEvent(event)
    assert opened.args[0] == MIT_CLIP.name


def test_mirror_swaps_hands_in_image_coordinates():
    import numpy as np

    from signlookup.gui.services import mirror_raw
    from signlookup.pose import PoseSequence
    from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND

    points = np.zeros((3, 75, 3), np.float32)
    mask = np.zeros((3, 75), bool)
    points[:, RIGHT_HAND, 0] = 0.2
    mask[:, RIGHT_HAND] = True
    out = mirror_raw(PoseSequence(points, mask, fps=25.0))
    assert out.mask[:, LEFT_HAND].all() and not out.mask[:, RIGHT_HAND].any()
    assert np.allclose(out.points[:, LEFT_HAND, 0], 0.8)


@pytest.mark.slow
def test_libras_clip_from_another_dictionary_finds_its_word(qtbot, make_window, tmp_path):
    """café from UFV against a gallery holding café from V-Librasil among other words."""
    from conftest import VIDEOS

    from signlookup.gallery import Gallery, import_folder
    from signlookup.search import default_embedder

    folder = tmp_path / "clips"
    folder.mkdir()
    for name in ("café_vl_5", "pai_vl_4", "homem_vl_5", "carne_vl_4", "família_uf_3"):
        (folder / f"{name}.mp4").symlink_to(need(VIDEOS / f"{name}.mp4"))
    with Gallery.create(tmp_path / "gallery", default_embedder()) as gallery:
        import_folder(gallery, folder, language="Libras")
    window = make_window(tmp_path / "gallery")
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=120_000) as got:
        window.search_view.open_file(need(VIDEOS / "café_uf_3.mp4"))
    assert got.args[0][0].gloss == "café"


def test_missing_pose_model_is_reported(qtbot, make_window):
    from signlookup.gui.services import Services

    def no_mediapipe():
        raise ModuleNotFoundError("No module named 'mediapipe'", name="mediapipe")

    services = Services(list_cameras=lambda: [], make_extractor=no_mediapipe)
    window = make_window(services=services)
    qtbot.waitUntil(lambda: any("MediaPipe" in m for m in window.banner.messages), timeout=10_000)
    assert window.model_label.text() == "No pose model"


def test_playback_controls_pause_step_slow_motion_and_mirror(qtbot, make_window, gallery_dir):
    window = make_window(gallery_dir)
    view = window.search_view
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=RESULTS_TIMEOUT):
        view.open_file(need(MIT_CLIP))
    player, bar = view.match_player, view.match_controls
    qtbot.waitUntil(
        lambda: player._worker is not None and view.match_view.has_frame, timeout=10_000
    )
    worker = player._worker
    bar.speed.setCurrentIndex(bar.speed.findData(0.25))
    assert worker.speed == pytest.approx(player._speed * 0.25)
    qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    assert worker.paused and bar.pause_button.text() == "▶ Play"
    qtbot.wait(300)
    shown = []
    worker.frame_ready.connect(lambda frame, _image: shown.append(frame.index))
    qtbot.wait(300)
    assert shown == []  # paused: no new frame
    qtbot.mouseClick(bar.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=5_000)
    # the scrub slider spans the clip and, while paused, shows the frame it is dragged to
    assert bar.scrub.isEnabled() and bar.scrub.maximum() > 20
    target = bar.scrub.maximum() - 5
    bar.scrub.setValue(target)
    qtbot.waitUntil(lambda: shown[-1] == target, timeout=5_000)
    qtbot.wait(200)
    assert shown[-1] == target and worker.paused  # held there
    bar.mirror.setChecked(True)
    assert view.match_view.mirrored
    qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    assert not worker.paused


def test_history_brings_back_an_earlier_look_up(qtbot, make_window, gallery_dir):
    window = make_window(gallery_dir)
    view, controller = window.search_view, window.search_controller
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    with qtbot.waitSignal(controller.results_ready, timeout=RESULTS_TIMEOUT):
        view.open_file(need(MIT_CLIP))
    first = controller.query
    with qtbot.waitSignal(controller.results_ready, timeout=RESULTS_TIMEOUT):
        view.open_file(need(MIT_CLIP))
    assert controller.query is not first
    assert view.history_combo.count() == 2 and QUERY_GLOSS in view.history_combo.itemText(1)
    assert first.images == []  # only the newest look-up keeps its replay images
    with qtbot.waitSignal(controller.results_ready, timeout=5_000):
        view.history_combo.activated.emit(1)
    assert controller.query is first
    assert view.results_model.rowCount() == len(controller.history[1].cards)


def test_a_file_over_30_s_is_refused_with_one_line_naming_it(qtbot, make_window, tmp_path):
    """The library's limit, before any frame is decoded: one banner line that names the file."""
    import numpy as np
    from conftest import write_video

    long_clip = write_video(
        tmp_path / "lecture.mp4", [np.zeros((48, 64, 3), np.uint8)] * 62, fps=2.0
    )  # 31 s
    window = make_window()
    controller = window.search_controller
    window.search_view.open_file(long_clip)
    qtbot.waitUntil(lambda: bool(window.banner.messages), timeout=10_000)
    assert len(window.banner.messages) == 1
    message = window.banner.messages[0]
    assert "lecture.mp4" in message and "31 s" in message and "30 s" in message
    assert "Traceback" not in message
    qtbot.waitUntil(lambda: not controller.analysing_file, timeout=5_000)
    assert controller.query is None and window.search_view.cancel_file_button.isHidden()


def test_opening_the_same_file_again_comes_from_the_pose_cache(
    qtbot, make_window, gallery_dir, tmp_path, monkeypatch
):
    """An opened file goes through the library's extraction and its pose cache: the second
    open of the same bytes runs no pose model."""
    import signlookup.pose.video as video

    monkeypatch.setenv("SIGNLOOKUP_POSE_CACHE", "1")
    monkeypatch.setenv("SIGNLOOKUP_CACHE_DIR", str(tmp_path / "cache"))
    extracted = []
    real = video.extract_pose

    def counting(source, **options):
        extracted.append(source.name)
        return real(source, **options)

    monkeypatch.setattr(video, "extract_pose", counting)
    window = make_window(gallery_dir)
    view, controller = window.search_view, window.search_controller
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    progress = []
    controller.file_progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(controller.results_ready, timeout=RESULTS_TIMEOUT) as first:
        view.open_file(need(MIT_CLIP))
    assert len(extracted) == 1 and progress and progress[-1][1] == 58
    assert len(controller.query.images) == 58  # the replay shows the file's own frames
    with qtbot.waitSignal(controller.results_ready, timeout=RESULTS_TIMEOUT) as second:
        view.open_file(need(MIT_CLIP))
    assert len(extracted) == 1  # a cache hit: no pose model ran
    assert [c.gloss for c in second.args[0]] == [c.gloss for c in first.args[0]]
    assert len(controller.query.sequence) == 58
    # its pictures are decoded after the search started, and the replay shows them
    qtbot.waitUntil(lambda: len(controller.query.images) == 58, timeout=20_000)


def test_cancelling_an_opened_file_stops_its_extraction(qtbot, make_window, gallery_dir):
    window = make_window(gallery_dir)
    view, controller = window.search_view, window.search_controller
    with qtbot.waitSignal(controller.file_progress, timeout=RESULTS_TIMEOUT):
        view.open_file(need(MIT_CLIP))
    assert view.cancel_file_button.isVisible()
    results = []
    controller.results_ready.connect(results.append)
    qtbot.mouseClick(view.cancel_file_button, Qt.MouseButton.LeftButton)
    assert not controller.analysing_file and view.cancel_file_button.isHidden()
    qtbot.waitUntil(lambda: not window.pool.busy, timeout=20_000)  # the worker saw the flag
    assert results == [] and controller.query is None
    assert "cancelled" in view.status_label.text()


def test_the_query_replay_has_its_own_playback_bar(qtbot, make_window, gallery_dir):
    window = make_window(gallery_dir)
    view, controller = window.search_view, window.search_controller
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    with qtbot.waitSignal(controller.results_ready, timeout=RESULTS_TIMEOUT):
        view.open_file(need(MIT_CLIP))
    bar, player = view.query_controls, view.query_player
    assert bar.scrub.isEnabled() and bar.scrub.maximum() == 57
    qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    assert not player.playing
    start, stop = controller.query.span
    target = (start + stop) // 2
    with qtbot.waitSignal(player.frame_shown, timeout=2_000) as shown:
        bar.scrub.setValue(target)
    assert shown.args == [target] and not player.playing
    bar.speed.setCurrentIndex(bar.speed.findData(0.25))
    qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    fps = controller.query.sequence.fps
    assert player.playing and player._timer.interval() == round(1000 / (fps * 0.25))


def test_opening_another_gallery_starts_the_signer_session_over(
    qtbot, make_window, gallery_dir, tmp_path
):
    import shutil

    window = make_window(gallery_dir)
    controller, view = window.search_controller, window.search_view
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    controller.session.record("a look-up", np.zeros(4, np.float32))  # as after a camera look-up
    controller.session_changed.emit(len(controller.session))
    assert not view.session_button.isHidden()
    with qtbot.waitSignal(window.gallery.loaded, timeout=60_000):
        window.gallery.open(gallery_dir)  # the same gallery again: the session stays
    assert len(controller.session) == 1
    other = tmp_path / "other"
    shutil.copytree(gallery_dir, other)
    with qtbot.waitSignal(window.gallery.loaded, timeout=60_000):
        window.gallery.open(other)
    assert len(controller.session) == 0 and view.session_button.isHidden()
