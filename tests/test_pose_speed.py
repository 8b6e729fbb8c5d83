"""The fast pose path: sampling, skipped-frame filling, the face-free graph, the pose cache and
extraction of many files. Speed itself is measured in benchmarks/pose_speed.py, not here."""

import numpy as np
import pytest
from conftest import MIT_CLIP, need, write_video

from signlookup.capture import VideoFileSource
from signlookup.pose import EVERY_FRAME, NoPersonError, PoseSequence, Sampling, extract_pose
from signlookup.pose.cache import PoseCache
from signlookup.pose.holistic import HolisticExtractor, fill_skipped, points_and_mask
from signlookup.pose.layout import POSE
from signlookup.pose.video import PosePrefetch, extract_many, extract_video


@pytest.mark.parametrize(
    "fps,count,step",
    [(29.97, 300, 3), (59.94, 300, 6), (30.0, 300, 3), (25.0, 300, 2), (12.0, 300, 1),
     (15.0, 300, 1), (29.97, 70, 2), (29.97, 40, 1), (59.94, None, 6)],
)  # fmt: skip
def test_sampling_step_caps_the_rate_but_keeps_short_clips_dense(fps, count, step):
    assert Sampling(max_fps=10, min_frames=32).step(fps, count) == step
    assert EVERY_FRAME.step(fps, count) == 1


def test_fill_skipped_interpolates_between_processed_frames_and_holds_the_tail():
    indices = np.array([0, 3, 6])
    points = np.zeros((3, 75, 3), np.float32)
    points[:, 0, 0] = [0.0, 0.3, 0.6]
    points[:, 1, 0] = [0.5, 0.0, 0.5]
    mask = np.ones((3, 75), bool)
    mask[1, 1] = False  # landmark 1 unseen on processed frame 3
    out, out_mask = fill_skipped(indices, points, mask, frames=8)
    assert out.shape == (8, 75, 3) and out_mask.shape == (8, 75)
    np.testing.assert_allclose(out[:, 0, 0], [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6], atol=1e-6)
    # seen on one side only: the nearest processed frame decides, and unseen points are zero
    assert out_mask[:, 1].tolist() == [True, True, False, False, False, True, True, True]
    assert out[1, 1, 0] == pytest.approx(0.5) and (out[~out_mask] == 0).all()


def test_video_source_skip_keeps_indices_and_counts_the_end():
    with VideoFileSource(need(MIT_CLIP)) as source:
        first = source.read()
        assert source.skip(4) == 4
        assert source.read().index == first.index + 5
        assert source.skip(1000) == 58 - 6
        assert source.read() is None


def test_face_free_graph_gives_the_stock_holistic_landmarks():
    from mediapipe.python.solutions import holistic

    with VideoFileSource(need(MIT_CLIP)) as source:
        images = [frame.image for frame, _ in zip(source, range(8), strict=False)]
    stock = holistic.Holistic(static_image_mode=False, model_complexity=1, smooth_landmarks=True)
    try:
        with HolisticExtractor() as ours:
            for image in images:
                want_points, want_mask = points_and_mask(stock.process(image))
                points, mask = ours.process(image)
                assert mask[POSE].all()
                np.testing.assert_array_equal(mask, want_mask)
                np.testing.assert_array_equal(points, want_points)
    finally:
        stock.close()


def test_sampled_extraction_has_a_row_per_frame_and_sees_every_third():
    seen = []
    seq = extract_pose(
        VideoFileSource(need(MIT_CLIP)),
        on_frame=lambda frame, points, mask: seen.append(frame.index),
        sampling=Sampling(max_fps=10, min_frames=2),
    )
    assert seen == list(range(0, 58, 3))
    assert len(seq) == 58 and seq.fps == pytest.approx(29.92, abs=0.05)
    assert seq.mask[:, POSE].all() and (seq.points[~seq.mask] == 0).all()


def _sequence(frames: int = 5) -> PoseSequence:
    rng = np.random.default_rng(frames)
    return PoseSequence(rng.random((frames, 75, 3), np.float32), np.ones((frames, 75), bool))


def test_pose_cache_round_trip_keys_and_damage(tmp_path):
    cache = PoseCache(tmp_path)
    fast, every = Sampling(), EVERY_FRAME
    cache.put("ab" * 32, fast, _sequence())
    np.testing.assert_array_equal(cache.get("ab" * 32, fast).points, _sequence().points)
    assert cache.get("ab" * 32, every) is None  # sampled differently: a different entry
    assert cache.get("cd" * 32, fast) is None
    cache.path_for("ab" * 32, fast).write_bytes(b"damaged")
    assert cache.get("ab" * 32, fast) is None


def test_pose_cache_evicts_the_least_recently_used_past_its_size(tmp_path, monkeypatch):
    import os

    seq = PoseSequence.from_zero_filled(np.random.default_rng(0).random((30, 75, 3)))
    probe = PoseCache(tmp_path / "probe")
    probe.put("0" * 64, EVERY_FRAME, seq)
    one = probe.path_for("0" * 64, EVERY_FRAME).stat().st_size
    cache = PoseCache(tmp_path / "c", max_bytes=int(2.5 * one))
    keys = [f"{i:064d}" for i in range(3)]
    for age, key in enumerate(keys[:2]):
        cache.put(key, EVERY_FRAME, seq)
        os.utime(cache.path_for(key, EVERY_FRAME), (1000 + age, 1000 + age))
    assert cache.get(keys[0], EVERY_FRAME) is not None  # a hit: now the most recent
    cache.put(keys[2], EVERY_FRAME, seq)  # 3 entries > 2.5: the least recently used goes
    kept = [cache.get(k, EVERY_FRAME) is not None for k in keys]
    assert kept == [True, False, True]
    monkeypatch.setenv("SIGNLOOKUP_POSE_CACHE_MB", "oops")
    assert PoseCache(tmp_path).max_bytes > 0  # a bad setting falls back to the default


def test_extract_video_uses_the_cache_for_the_same_bytes(tmp_path, monkeypatch):
    import shutil

    import signlookup.pose.video as video

    cache = PoseCache(tmp_path / "cache")
    calls = []

    def fake_extract(source, **kwargs):
        calls.append(source.name)
        return _sequence(7)

    monkeypatch.setattr(video, "extract_pose", fake_extract)
    clip = need(MIT_CLIP)
    copy = shutil.copy(clip, tmp_path / "renamed.mp4")
    first = extract_video(clip, cache=cache)
    again = extract_video(copy, cache=cache)  # other name, same bytes
    assert calls == [clip.name] and len(again) == len(first) == 7
    extract_video(clip, cache=None)
    assert len(calls) == 2


def test_extract_many_keeps_order_and_returns_errors_as_values(tmp_path):
    wall = [np.full((64, 80, 3), (40, 90, 150), np.uint8)] * 4
    paths = [
        write_video(tmp_path / "wall_a.mp4", wall),
        tmp_path / "missing.mp4",
        write_video(tmp_path / "wall_b.mp4", wall),
    ]
    done = []
    results = list(
        extract_many(paths, workers=2, cache=None, progress=lambda d, t, n: done.append((d, t)))
    )
    assert [p for p, _ in results] == paths
    assert isinstance(results[0][1], NoPersonError) and "wall_a.mp4" in str(results[0][1])
    assert "not found" in str(results[1][1])
    assert done == [(1, 3), (2, 3), (3, 3)]


def test_prefetch_takes_in_order_and_gives_none_for_failures(tmp_path):
    wall = write_video(tmp_path / "wall.mp4", [np.zeros((48, 64, 3), np.uint8)] * 3)
    with PosePrefetch([wall, need(MIT_CLIP)], workers=1, cache=None) as prefetch:
        assert prefetch.take(wall) is None
        seq = prefetch.take(need(MIT_CLIP))
        assert isinstance(seq, PoseSequence) and len(seq) == 58


def test_import_extracts_in_workers_and_reports_failures_by_name(tmp_path):
    import shutil

    from signlookup.gallery import Gallery, import_folder
    from signlookup.gallery.baseline import PoseBaselineEmbedder

    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copy(need(MIT_CLIP), folder / "pessoa_xx_1.mp4")
    write_video(folder / "parede_xx_1.mp4", [np.full((48, 64, 3), 90, np.uint8)] * 4)
    (folder / "quebrado_xx_1.mp4").write_bytes(b"not a video")
    with Gallery.create(tmp_path / "g", PoseBaselineEmbedder()) as gallery:
        report = import_folder(gallery, folder)
        assert [e.gloss for e in report.added] == ["pessoa"]
        assert gallery.entries()[0].frames == 58
    failed = dict(report.failed)
    assert set(failed) == {"parede_xx_1.mp4", "quebrado_xx_1.mp4"}
    assert "no person" in failed["parede_xx_1.mp4"]


def test_terminal_progress_shows_count_and_time_left(monkeypatch, capsys):
    import sys

    from signlookup.cli import TerminalProgress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    progress = TerminalProgress(" frames")
    progress.start -= 10  # ten seconds in
    progress(50, 150, "café_uf_3.mp4")
    err = capsys.readouterr().err
    assert "[50/150 frames] café_uf_3.mp4" in err and "about 20 s left" in err
