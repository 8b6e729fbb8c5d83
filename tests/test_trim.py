from conftest import LIBRAS_CLIPS, fake_sequence, libras_pose

from signlookup.pose import find_active_span, interpolate_missing, motion_energy, normalise


def _span(seq):
    pts = normalise(interpolate_missing(seq.points, seq.mask), seq.mask)
    return find_active_span(pts, seq.mask, seq.fps)


def test_idle_frames_before_and_after_are_cut():
    seq = fake_sequence(frames=30, idle=(20, 25))
    start, stop = _span(seq)
    pad = round(0.12 * seq.fps)
    assert 20 - pad - 1 <= start <= 20
    assert 50 <= stop <= 50 + pad + 1


def test_a_clip_that_is_all_sign_is_kept_whole():
    seq = fake_sequence(frames=30)
    assert _span(seq) == (0, 30)


def test_no_activity_keeps_the_clip_rather_than_guessing():
    seq = fake_sequence(frames=30, idle=(10, 10))
    seq.mask[:, 33:] = False
    seq.points[:, 33:] = 0
    rest = seq.points[:, [15, 16]].copy()
    seq.points[:, 15:17, :2] = rest[0, :, :2]  # wrists never raised
    assert _span(seq) == (0, 50)


def test_energy_is_high_while_signing_and_low_at_rest():
    seq = fake_sequence(frames=30, idle=(20, 20))
    pts = normalise(interpolate_missing(seq.points, seq.mask), seq.mask)
    energy = motion_energy(pts, seq.mask, seq.fps)
    assert energy.shape == (70,)
    assert energy[25:45].mean() > 5 * energy[:10].mean() + 1e-6


def test_real_dictionary_clips_lose_their_idle_ends():
    for path in LIBRAS_CLIPS:
        seq = libras_pose(path.name)  # MediaPipe's landmarks, as cached in the demo gallery
        start, stop = _span(seq)
        assert start > 0 and stop < len(seq), path.name
        assert stop - start >= 0.4 * len(seq), path.name
        hands = seq.mask[start:stop, 33:].any(axis=1).mean()
        assert hands > seq.mask[:, 33:].any(axis=1).mean() - 1e-9, path.name
