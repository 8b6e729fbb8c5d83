import numpy as np
import pytest

from signlookup.pose import layout


def test_75_points_in_pose_left_right_order():
    assert layout.N_POINTS == 75 == len(layout.POINT_NAMES)
    assert layout.point("NOSE") == 0
    assert layout.point("RIGHT_HIP") == 24
    assert layout.point("LEFT_HAND.WRIST") == 33 == layout.LEFT_HAND.start
    assert layout.hand_point("right", "PINKY_TIP") == 74 == layout.RIGHT_HAND.stop - 1


def test_unknown_landmark_names_the_catalogue():
    with pytest.raises(KeyError, match="POINT_NAMES"):
        layout.point("LEFT_ELBOWW")


def test_mirror_permutation_swaps_sides_and_is_an_involution():
    perm = np.array(layout.MIRROR_PERMUTATION)
    assert sorted(perm) == list(range(75))
    assert (perm[perm] == np.arange(75)).all()
    assert perm[layout.point("LEFT_SHOULDER")] == layout.point("RIGHT_SHOULDER")
    assert perm[layout.point("NOSE")] == layout.point("NOSE")
    assert perm[layout.point("MOUTH_LEFT")] == layout.point("MOUTH_RIGHT")
    assert perm[layout.hand_point("left", "THUMB_TIP")] == layout.hand_point("right", "THUMB_TIP")


def test_bones_join_points_of_the_same_part():
    for a, b in layout.BONES:
        assert 0 <= a < 75 and 0 <= b < 75
        assert (a < 33) == (b < 33)
