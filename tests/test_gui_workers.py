"""The GUI's threading contract: work runs off the GUI thread, results arrive on it, a newer
search cancels an older one, and switching sources never waits on the GUI thread."""

from __future__ import annotations

import threading

import pytest
from conftest import MIT_CLIP, need

from signlookup.gui.workers import Cancelled, RequestWorker, TaskPool, running_workers


@pytest.fixture
def requests(qapp):
    worker = RequestWorker()
    yield worker
    assert worker.join(5000)


@pytest.fixture
def pool(qapp):
    tasks = TaskPool(max_threads=2)
    yield tasks
    assert tasks.shutdown(5000)


def test_pool_runs_off_the_gui_thread_and_delivers_on_it(qtbot, pool):
    main = threading.get_ident()
    ran_on: list[int] = []
    delivered_on: list[int] = []
    progress_on: list[int] = []

    def work(_cancel, progress):
        ran_on.append(threading.get_ident())
        progress(1, 2)
        return 42

    task = pool.submit(
        work,
        lambda result: delivered_on.append((threading.get_ident(), result)),
        on_progress=lambda _d, _t: progress_on.append(threading.get_ident()),
    )
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert ran_on and ran_on[0] != main
    assert delivered_on == [(main, 42)]
    assert progress_on == [main]


def test_failures_arrive_on_the_gui_thread(qtbot, requests):
    main = threading.get_ident()
    failures: list[tuple[int, str]] = []

    def work(_cancel, _progress):
        raise ValueError("bad input")

    task = requests.submit(
        work, None, lambda exc: failures.append((threading.get_ident(), str(exc)))
    )
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert failures == [(main, "bad input")]


def test_newest_request_wins_and_the_old_one_sees_its_cancel_flag(qtbot, requests):
    started = threading.Event()
    saw_cancel = threading.Event()
    delivered: list[str] = []

    def slow(cancel, _progress):
        started.set()
        for _ in range(200):  # a stage loop: checks the flag between steps
            if cancel.is_set():
                saw_cancel.set()
                cancel.check()  # raises Cancelled
            threading.Event().wait(0.01)
        return "old"

    requests.submit(slow, delivered.append, key="search")
    assert started.wait(5)
    queued = requests.submit(lambda _c, _p: "stale", delivered.append, key="search")
    newest = requests.submit(lambda _c, _p: "new", delivered.append, key="search")
    with qtbot.waitSignal(newest.finished, timeout=5000):
        pass
    assert saw_cancel.is_set()
    assert queued.discarded
    assert delivered == ["new"]


def test_cancel_check_raises():
    from signlookup.gui.workers import CancelToken

    token = CancelToken()
    token.check()
    token.set()
    with pytest.raises(Cancelled):
        token.check()


def test_retiring_a_capture_worker_does_not_wait_for_it(qtbot, qapp):
    """A source stuck in a read (a camera) is retired at once; it ends later on its own."""
    from signlookup.capture import FrameSource
    from signlookup.gui.workers import CaptureWorker, join_retired

    release = threading.Event()

    class StuckCamera(FrameSource):
        name = "stuck"

        def open(self) -> None:
            pass

        def read(self):
            release.wait(10)
            return None

        def close(self) -> None:
            pass

        @property
        def fps(self) -> float:
            return 30.0

    worker = CaptureWorker(StuckCamera)
    opened = []
    worker.opened.connect(lambda *a: opened.append(a))
    worker.start()
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    worker.retire()
    assert worker.isRunning()  # retire returned while the read still blocks: no wait
    release.set()
    assert join_retired(5000)


def test_window_slots_run_on_the_gui_thread(qtbot, make_window, gallery_dir, monkeypatch):
    """Frames, poses and results reach the controller and the view on the main thread."""
    from signlookup.gui.search_controller import SearchController
    from signlookup.gui.search_view import SearchView

    main = threading.get_ident()
    seen: dict[str, set[int]] = {}

    def spy(cls, name):
        original = getattr(cls, name)

        def wrapper(self, *args):
            seen.setdefault(name, set()).add(threading.get_ident())
            return original(self, *args)

        monkeypatch.setattr(cls, name, wrapper)

    spy(SearchController, "_on_frame")
    spy(SearchController, "_on_pose")
    spy(SearchController, "_on_query")
    spy(SearchView, "_on_results")
    spy(SearchView, "_on_live_frame")
    spy(SearchController, "_on_file_pose")
    window = make_window(gallery_dir)
    qtbot.waitUntil(lambda: window.gallery.searcher is not None, timeout=60_000)
    qtbot.waitUntil(lambda: window.search_view.camera_combo.count() > 0, timeout=10_000)
    window.search_view.start_camera()  # the test camera: the clip played live
    qtbot.waitUntil(lambda: "_on_pose" in seen, timeout=60_000)
    with qtbot.waitSignal(window.search_controller.results_ready, timeout=60_000):
        window.search_view.open_file(need(MIT_CLIP))
    assert set(seen) == {
        "_on_frame", "_on_pose", "_on_query", "_on_results", "_on_live_frame", "_on_file_pose"
    }  # fmt: skip
    assert all(threads == {main} for threads in seen.values()), seen
    window.close()
    assert running_workers() == []


def test_pose_worker_keeps_mediapipe_lines_off_stderr(qtbot, qapp, capfd):
    """The live HolisticExtractor goes through signlookup.quiet, as the CLI's extraction does."""
    from signlookup.capture import VideoFileSource
    from signlookup.gui.workers import FrameSlot, PoseWorker

    slot = FrameSlot()
    worker = PoseWorker(slot)
    poses = []
    worker.pose_ready.connect(lambda *args: poses.append(args))
    with qtbot.waitSignal(worker.ready, timeout=60_000):
        worker.start()
    with VideoFileSource(need(MIT_CLIP)) as source:
        for frame in list(source)[:5]:
            slot.put(frame, 0, lossless=True, stop=lambda: False)
    qtbot.waitUntil(lambda: len(poses) >= 4, timeout=60_000)
    assert worker.join(10_000)
    err = capfd.readouterr().err
    assert "Feedback manager" not in err and "XNNPACK" not in err, err
