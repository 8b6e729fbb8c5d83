"""The test data rules: carried fixtures exist, and missing shared data skips (fails in CI)."""

from __future__ import annotations

import pytest
from conftest import FIXTURE_KEYPOINTS, FIXTURES, MIT_CLIP, POSE_SAMPLES, need


def test_carried_fixtures_are_present_and_documented():
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    carried = (MIT_CLIP, *FIXTURE_KEYPOINTS.glob("*.npz"), *POSE_SAMPLES.glob("*.pose"))
    for path in (*carried, *(FIXTURES / "text").glob("*.csv")):
        assert path.name in readme, f"{path.name} has no licence line in tests/data/README.md"
    assert MIT_CLIP.is_file() and len(list(FIXTURE_KEYPOINTS.glob("*.npz"))) == 2


@pytest.mark.parametrize(
    ("env", "outcome"),
    [
        ({}, pytest.skip.Exception),
        ({"SIGNLOOKUP_REQUIRE_SHARED": "1"}, pytest.fail.Exception),
        ({"CI": "true"}, pytest.fail.Exception),
        ({"CI": "true", "SIGNLOOKUP_REQUIRE_SHARED": "0"}, pytest.skip.Exception),
    ],
)
def test_missing_shared_data_skips_except_where_it_is_required(tmp_path, monkeypatch, env, outcome):
    for name in ("CI", "SIGNLOOKUP_REQUIRE_SHARED"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(outcome, match="shared data"):
        need(tmp_path / "absent.npz")
    assert need(MIT_CLIP) == MIT_CLIP
