"""Shared fixtures: paths to ../shared/data, and real clips extracted once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("SIGNLOOKUP_POSE_CACHE", "0")  # tests never write the user's cache folder

REPO = Path(__file__).resolve().parents[1]
#: Licence-clean fixtures carried in the repository (tests/data/README.md; rebuilt by
#: scripts/make_test_fixtures.py), so a fresh clone tests the app without ../shared.
FIXTURES = REPO / "tests" / "data"
MIT_CLIP = FIXTURES / "pose_test_video_mit.mp4"
FIXTURE_KEYPOINTS = FIXTURES / "keypoints"  # a few takes of the two MIT keypoint sets
POSE_SAMPLES = FIXTURES / "pose_format"
GLOSS_DICTIONARY_SAMPLE = FIXTURES / "text" / "dictionary_sample.csv"  # INES-like rows, made up
DEMO_GALLERY = REPO / "resources" / "demo_gallery"  # poses of the 30 Libras clips, shipped

# SIGNLOOKUP_SHARED_DATA=/nonexistent simulates a fresh clone that has no ../shared beside it.
SHARED_DATA = Path(os.environ.get("SIGNLOOKUP_SHARED_DATA") or REPO.parent / "shared" / "data")
VIDEOS = SHARED_DATA / "videos"
KEYPOINTS = SHARED_DATA / "keypoints"
LIBRAS_CLIPS = (VIDEOS / "pai_ne_1.mp4", VIDEOS / "café_uf_3.mp4")


def shared_data_required() -> bool:
    """In CI (``CI`` set) or with SIGNLOOKUP_REQUIRE_SHARED=1, missing shared data fails a test.

    CI has ../shared beside the repository, so a skip there would hide a test that never ran.
    SIGNLOOKUP_REQUIRE_SHARED=0 turns this off on a CI machine without ../shared.
    """
    flag = os.environ.get("SIGNLOOKUP_REQUIRE_SHARED")
    if flag is not None:
        return flag.strip() not in ("", "0")
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def need(path: Path) -> Path:
    """Skip the calling test when a file from ../shared/data is absent (fail it in CI)."""
    if not path.exists():
        message = f"needs {path} (the shared data folder beside the repo) which is absent"
        if shared_data_required():
            pytest.fail(message + " (SIGNLOOKUP_REQUIRE_SHARED / CI: shared data is required)")
        pytest.skip(message)
    return path


def libras_poses() -> dict:
    """Landmarks of the 30 Libras dictionary clips by file name: MediaPipe's output as cached in the
    shipped demo gallery, else extracted from ../shared/data/videos (skipped when both are absent)."""
    from signlookup.gallery import Gallery
    from signlookup.pose import load_npz

    if (DEMO_GALLERY / "gallery.sqlite").exists():
        with Gallery.open(DEMO_GALLERY, read_only=True) as demo:
            return {
                e.original_name: load_npz(e.pose_path)
                for e in demo.entries()
                if e.original_name != MIT_CLIP.name
            }
    from signlookup.capture import VideoFileSource
    from signlookup.pose import extract_pose

    clips = sorted(need(VIDEOS).glob("*_*_*.mp4"))
    return {clip.name: extract_pose(VideoFileSource(clip)) for clip in clips}


def libras_pose(clip_name: str):
    """One Libras clip's landmarks (see libras_poses)."""
    return libras_poses()[clip_name]


@pytest.fixture(scope="session")
def extracted():
    """Extract a clip with MediaPipe once per session: ``extracted(path) -> PoseSequence``."""
    from signlookup.capture import VideoFileSource
    from signlookup.pose import extract_pose

    cache: dict[Path, object] = {}

    def get(path: Path):
        need(path)
        pytest.importorskip("mediapipe")
        if path not in cache:
            cache[path] = extract_pose(VideoFileSource(path))
        return cache[path]

    return get


def write_video(path: Path, frames: list[np.ndarray], fps: float = 25.0) -> Path:
    """Write RGB frames as an mp4v video (OpenCV cannot write H.264 here)."""
    import cv2

    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path


def fake_sequence(
    frames: int = 40, *, hips_visible: bool = True, seed: int = 0, idle: tuple[int, int] = (0, 0)
):
    """A plausible synthetic signer: a fixed body, the right hand raised and circling.

    ``idle=(before, after)`` adds frames at each end with both hands resting below the hips and
    undetected, as in a dictionary clip before and after the sign.
    """
    from signlookup.pose import PoseSequence
    from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, point

    rng = np.random.default_rng(seed)
    before, after = idle
    total = before + frames + after
    pts = np.zeros((total, 75, 3), np.float32)
    body = {
        "NOSE": (0.5, 0.2), "LEFT_SHOULDER": (0.6, 0.35), "RIGHT_SHOULDER": (0.4, 0.35),
        "LEFT_ELBOW": (0.65, 0.5), "RIGHT_ELBOW": (0.35, 0.5), "LEFT_WRIST": (0.63, 0.62),
        "RIGHT_WRIST": (0.37, 0.62), "LEFT_HIP": (0.57, 0.65), "RIGHT_HIP": (0.43, 0.65),
        "LEFT_EYE": (0.52, 0.18), "RIGHT_EYE": (0.48, 0.18),
    }  # fmt: skip
    for name, (x, y) in body.items():
        pts[:, point(name), :2] = (x, y)
    if not hips_visible:
        pts[:, point("LEFT_HIP"), 1] = pts[:, point("RIGHT_HIP"), 1] = 1.2
    mask = np.zeros((total, 75), bool)
    mask[:, :33] = True
    hand_shape = rng.normal(0, 0.02, (21, 3)).astype(np.float32)
    hand_shape[0] = 0
    t = np.linspace(0, 2 * np.pi, frames)
    wrist = np.stack([0.4 + 0.05 * np.cos(t), 0.3 + 0.05 * np.sin(t), np.zeros_like(t)], axis=1)
    active = slice(before, before + frames)
    pts[active, point("RIGHT_WRIST")] = wrist
    pts[active, RIGHT_HAND] = wrist[:, None, :] + hand_shape
    mask[active, RIGHT_HAND] = True
    pts[:, LEFT_HAND] = 0
    for rest in (slice(0, before), slice(before + frames, total)):
        pts[rest, point("RIGHT_WRIST"), :2] = (0.38, 0.8)
        pts[rest, point("LEFT_WRIST"), :2] = (0.62, 0.8)
    pts[~mask] = 0
    return PoseSequence(pts, mask, fps=25.0)


# --- the desktop app's tests (tests/test_gui_*.py) ------------------------------------------
# The camera is played by a video file (``file_camera``): there is no camera on test machines.

QUERY_GLOSS = "PESSOA-MIT"


@pytest.fixture(autouse=True)
def no_gui_thread_left_running():
    """Fail any test that leaves a GUI worker thread (or pool job) running after it ends."""
    import sys

    yield
    workers = sys.modules.get("signlookup.gui.workers")
    if workers is None:
        return
    from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QThread

    deadline = QDeadlineTimer(5000)  # a finishing thread gets a moment, a stuck one fails
    while workers.running_workers() and not deadline.hasExpired():
        if QCoreApplication.instance() is not None:
            QCoreApplication.processEvents()
        QThread.msleep(20)
    left = workers.running_workers()
    assert not left, f"GUI worker threads still running after the test: {left}"


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
        data = np.load(FIXTURE_KEYPOINTS / "libras_dayane.npz", allow_pickle=True)
        for label in ("a", "b", "obrigado"):
            i = int(np.flatnonzero(data["y"] == label)[0])
            take = PoseSequence.from_zero_filled(data["X"][i].astype(np.float32), fps=30.0)
            gallery.add(gloss=label.upper(), pose=take, language="Libras", source="dayane")
    return folder


def file_camera(path: Path = MIT_CLIP, *, loop: bool = False):
    """A Services.open_camera stand-in that plays a video file as camera ``index``.

    ``loop``: like a real camera it never ends (the file restarts; frame times keep growing).
    """
    from signlookup.capture import LoopingVideoSource, VideoFileSource

    def open_camera(index: int):
        name = f"camera {index} ({path.name})"
        if loop:
            return LoopingVideoSource(need(path), name)
        source = VideoFileSource(need(path))
        source.name = name
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

    def open_aligner():
        import csv

        from signlookup.gui.services import TextLookup
        from signlookup.text import GlossIndex
        from signlookup.text.dictionary import Dictionary

        path = need(csv_path or SHARED_DATA / "text" / "ines_dictionary.csv")
        with open(path, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        pairs = {r["example_gloss"]: r["example_pt"] for r in rows if r.get("example_gloss")}
        glosses = sorted(pairs)
        index = GlossIndex.build(
            None,
            glosses,
            fusion_weight=0.0,
            sentences=[pairs[g] for g in glosses],
            sentence_gloss=list(range(len(glosses))),
            dictionary=Dictionary.from_rows(rows),
        )
        return TextLookup(index)

    return open_aligner
