import numpy as np
import pytest
from conftest import MIT_CLIP, write_video

from signlookup.capture import (
    CameraDisconnectedError,
    CameraSource,
    CaptureError,
    ImageSequenceSource,
    SourceNotFoundError,
    UnreadableSourceError,
    VideoFileSource,
)


def test_video_file_gives_every_frame_with_timestamps():
    with VideoFileSource(MIT_CLIP) as source:
        frames = list(source)
        fps = source.fps
        assert source.frame_count == 58
    assert len(frames) == 58
    assert frames[0].image.dtype == np.uint8 and frames[0].image.shape[2] == 3
    assert [f.index for f in frames] == list(range(58))
    assert frames[10].timestamp_s == pytest.approx(10 / fps)
    assert 20 < fps < 40


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make,error",
    [
        (lambda d: d / "missing.mp4", SourceNotFoundError),
        (lambda d: _write(d / "empty.mp4", b""), UnreadableSourceError),
        (lambda d: _write(d / "notes.mp4", b"not a video"), UnreadableSourceError),
        (lambda d: d, UnreadableSourceError),
    ],
    ids=["missing", "empty", "not-a-video", "folder"],
)
def test_bad_video_files_raise_typed_errors(tmp_path, make, error):
    with pytest.raises(error), VideoFileSource(make(tmp_path)) as source:
        list(source)


def test_truncated_video_ends_early_or_fails_cleanly(tmp_path):
    data = MIT_CLIP.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    try:
        with VideoFileSource(cut) as source:
            frames = list(source)
        assert len(frames) < 58
    except CaptureError as exc:  # a cut moov atom makes the file undecodable: also fine
        assert "cut.mp4" in str(exc)


def test_image_sequence_plays_a_folder_in_name_order(tmp_path):
    import cv2

    for i in (2, 0, 1):
        cv2.imwrite(str(tmp_path / f"f{i:03d}.png"), np.full((8, 10, 3), i * 50, np.uint8))
    (tmp_path / "readme.txt").write_text("ignored")
    with ImageSequenceSource(tmp_path, fps=10) as source:
        frames = list(source)
    assert [int(f.image[0, 0, 0]) for f in frames] == [0, 50, 100]
    assert frames[2].timestamp_s == pytest.approx(0.2)
    assert frames[0].size == (10, 8)


def test_image_sequence_errors(tmp_path):
    with pytest.raises(SourceNotFoundError):
        ImageSequenceSource(tmp_path / "nope").open()
    with pytest.raises(UnreadableSourceError):
        ImageSequenceSource(tmp_path).open()
    (tmp_path / "bad.png").write_bytes(b"garbage")
    with pytest.raises(UnreadableSourceError), ImageSequenceSource(tmp_path) as source:
        source.read()


class FakeCapture:
    """Plays ``good`` frames and then behaves like an unplugged camera."""

    def __init__(self, good: int, opened: bool = True):
        self.good, self.opened, self.released, self.reads = good, opened, False, 0

    def isOpened(self):
        return self.opened

    def set(self, *_):
        return True

    def get(self, _):
        return 0.0  # cameras often report no fps

    def read(self):
        self.reads += 1
        if self.reads <= self.good:
            return True, np.zeros((4, 6, 3), np.uint8)
        return False, None

    def release(self):
        self.released = True


def test_camera_that_vanishes_mid_stream_raises_not_hangs():
    fake = FakeCapture(good=3)
    camera = CameraSource(0, capture_factory=lambda _: fake, max_failures=5)
    with pytest.raises(CameraDisconnectedError, match="camera 0"), camera:
        for _ in range(4):
            camera.read()
    assert fake.reads == 3 + 5 and fake.released
    assert camera.fps == 30.0


def test_camera_frames_carry_increasing_indices():
    camera = CameraSource(1, capture_factory=lambda _: FakeCapture(good=5))
    with camera:
        frames = [camera.read() for _ in range(3)]
    assert [f.index for f in frames] == [0, 1, 2]
    assert frames[2].timestamp_s >= frames[0].timestamp_s >= 0


def test_absent_camera_is_a_clear_error():
    fake = FakeCapture(good=0, opened=False)
    with pytest.raises(SourceNotFoundError, match="camera 3"):
        CameraSource(3, capture_factory=lambda _: fake).open()
    assert fake.released


def test_real_opencv_camera_index_that_does_not_exist():
    with pytest.raises(SourceNotFoundError):
        CameraSource(97).open()


def test_written_video_round_trips(tmp_path):
    frames = [np.full((32, 48, 3), v, np.uint8) for v in (0, 120, 240)]
    path = write_video(tmp_path / "three.mp4", frames, fps=12)
    with VideoFileSource(path) as source:
        got = list(source)
        assert source.fps == pytest.approx(12)
    assert len(got) == 3 and got[1].size == (48, 32)


def test_looping_video_source_restarts_with_growing_frame_times():
    from conftest import MIT_CLIP, need

    from signlookup.capture import LoopingVideoSource

    with LoopingVideoSource(need(MIT_CLIP)) as source:
        frames = [source.read() for _ in range(58 + 10)]  # the 58-frame clip and 10 more
    assert [f.index for f in frames] == list(range(68))
    assert frames[60].timestamp_s > frames[57].timestamp_s  # time keeps going, like a camera
    assert (frames[58].image == frames[0].image).all()  # the clip started again
    assert source.name == f"camera ({MIT_CLIP.name})"
