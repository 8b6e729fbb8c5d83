import numpy as np
import pytest
from conftest import LIBRAS_CLIPS, MIT_CLIP, write_video

from signlookup.capture import VideoFileSource
from signlookup.pose import ClipTooShortError, NoPersonError, extract_pose
from signlookup.pose.layout import LEFT_HAND, POSE, RIGHT_HAND, point


def test_mit_clip_landmarks_and_presence(extracted):
    seq = extracted(MIT_CLIP)
    assert seq.points.shape == (58, 75, 3) and seq.mask.shape == (58, 75)
    assert seq.mask[:, POSE].all()  # the person is in every frame
    right = seq.mask[:, RIGHT_HAND].all(axis=1)
    assert 10 <= right.sum() <= 30  # the right hand is up in part of the clip
    assert (seq.mask[:, RIGHT_HAND].any(axis=1) == right).all()  # a hand is whole or absent
    assert (seq.points[~seq.mask] == 0).all()
    assert np.isfinite(seq.points).all()
    head_and_shoulders = seq.points[:, : point("RIGHT_SHOULDER") + 1, :2]
    assert (head_and_shoulders > 0).all() and (head_and_shoulders < 1).all()
    hands = seq.points[:, 33:, :2][seq.mask[:, 33:]]
    assert (hands > -0.1).all() and (hands < 1.1).all()  # hips and legs may lie off-image
    assert seq.aspect == pytest.approx(540 / 720, rel=0.01)


@pytest.mark.parametrize("path", LIBRAS_CLIPS, ids=lambda p: p.name)
def test_libras_clips_show_a_person_and_hands(extracted, path):
    seq = extracted(path)
    assert len(seq) > 30
    assert seq.mask[:, POSE].all(axis=1).mean() > 0.95
    hands = seq.mask[:, LEFT_HAND].any(axis=1) | seq.mask[:, RIGHT_HAND].any(axis=1)
    assert hands.mean() > 0.4


def test_on_frame_reports_progress_and_stop_ends_early():
    import threading

    stop = threading.Event()
    seen = []

    def on_frame(frame, points, mask):
        seen.append(frame.index)
        if frame.index == 4:
            stop.set()

    seq = extract_pose(VideoFileSource(MIT_CLIP), on_frame=on_frame, stop=stop)
    assert seen == [0, 1, 2, 3, 4] and len(seq) == 5


def test_video_without_a_person(tmp_path):
    frames = [np.full((120, 160, 3), (30 + i, 90, 160), np.uint8) for i in range(6)]
    with pytest.raises(NoPersonError, match="no person"):
        extract_pose(VideoFileSource(write_video(tmp_path / "wall.mp4", frames)))


def test_one_frame_video(tmp_path):
    path = write_video(tmp_path / "one.mp4", [np.zeros((64, 64, 3), np.uint8)])
    with pytest.raises(ClipTooShortError, match="1 frame"):
        extract_pose(VideoFileSource(path))
