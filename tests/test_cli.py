import subprocess
import sys

import numpy as np
import pytest
from conftest import MIT_CLIP, write_video

from signlookup.cli import main


def test_extract_writes_raw_landmarks(tmp_path, capsys):
    out = tmp_path / "mit.npz"
    assert main(["extract", str(MIT_CLIP), "-o", str(out)]) == 0
    with np.load(out) as data:
        assert data["X"].shape == (58, 75, 3) and data["X"].dtype == np.float32
        assert data["mask"].shape == (58, 75) and data["mask"].dtype == bool
        assert 20 < float(data["fps"]) < 40
    assert "58 frames" in capsys.readouterr().out


def _bad_inputs(tmp_path):
    (tmp_path / "empty.mp4").write_bytes(b"")
    (tmp_path / "text.mp4").write_text("hello")
    write_video(tmp_path / "one.mp4", [np.zeros((48, 48, 3), np.uint8)])
    write_video(tmp_path / "nobody.mp4", [np.full((48, 64, 3), 200, np.uint8)] * 5)
    data = MIT_CLIP.read_bytes()
    (tmp_path / "cut.mp4").write_bytes(data[:2000])
    return {
        "missing.mp4": "not found",
        "empty.mp4": "empty",
        "text.mp4": "decode",
        "one.mp4": "at least 2",
        "nobody.mp4": "no person",
        "cut.mp4": "decode",
    }


def test_bad_inputs_exit_non_zero_with_a_message(tmp_path, capsys):
    for name, message in _bad_inputs(tmp_path).items():
        code = main(["extract", str(tmp_path / name), "-o", str(tmp_path / "o.npz")])
        err = capsys.readouterr().err
        assert code != 0, name
        assert message in err and "Traceback" not in err, (name, err)
    assert not (tmp_path / "o.npz").exists()


def test_console_entry_point_prints_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "signlookup", "extract", str(tmp_path / "x.mp4"), "-o", "o.npz"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert "signlookup: error: video file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_extract(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "extract" in capsys.readouterr().out
