"""Read and write pose sequences: our .npz, the field's .pose (pose-format), and keypoint sets."""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from signlookup.pose.layout import (
    HAND_BONES,
    HAND_NAMES,
    N_POINTS,
    POINT_NAMES,
    POSE_BONES,
    POSE_NAMES,
)
from signlookup.pose.sequence import PoseSequence

NPZ_FORMAT_VERSION = 1


class PoseFileError(ValueError):
    """A pose file is missing, truncated or not in a layout we can read."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_npz(seq: PoseSequence, path: str | Path) -> None:
    """``X`` float32 (T, 75, 3) raw coordinates, ``mask`` bool (T, 75), ``fps``, ``aspect``."""
    import io

    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        X=seq.points.astype(np.float32),
        mask=seq.mask,
        fps=np.float32(seq.fps),
        aspect=np.float32(np.nan if seq.aspect is None else seq.aspect),
        version=np.int32(NPZ_FORMAT_VERSION),
    )
    atomic_write_bytes(Path(path), buffer.getvalue())


def load_npz(path: str | Path) -> PoseSequence:
    """Read a sequence written by save_npz (or any npz with ``X`` (T, 75, 3); zeros = missing)."""
    path = Path(path)
    if not path.exists():
        raise PoseFileError(f"pose file not found: {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            points = data["X"].astype(np.float32)
            mask = data["mask"] if "mask" in data.files else np.any(points != 0, axis=-1)
            fps = float(data["fps"]) if "fps" in data.files else 30.0
            aspect = float(data["aspect"]) if "aspect" in data.files else float("nan")
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise PoseFileError(f"cannot read {path}: {exc}") from None
    if points.ndim != 3 or points.shape[1:] != (N_POINTS, 3):
        raise PoseFileError(f"{path}: X must be (T, {N_POINTS}, 3), got {points.shape}")
    return PoseSequence(points, mask, fps, None if np.isnan(aspect) else aspect)


@dataclass
class KeypointSet:
    """A labelled data set of clips: X (N, T, 75, 3) with zeros where missing, labels y, take ids."""

    X: np.ndarray
    y: np.ndarray
    seq: np.ndarray
    name: str

    def sequence(self, i: int, fps: float = 30.0) -> PoseSequence:
        return PoseSequence.from_zero_filled(self.X[i], fps=fps)


def load_keypoint_set(path: str | Path) -> KeypointSet:
    """Read a set like ``shared/data/keypoints/*.npz`` (X float16 (N, T, 75, 3), y, seq)."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            X = data["X"].astype(np.float32)
            y = data["y"].astype(str)
            seq = data["seq"].astype(str) if "seq" in data.files else np.arange(len(X)).astype(str)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise PoseFileError(f"cannot read keypoint set {path}: {exc}") from None
    if X.ndim != 4 or X.shape[2:] != (N_POINTS, 3) or len(y) != len(X):
        raise PoseFileError(f"{path}: expected X (N, T, {N_POINTS}, 3) and N labels")
    return KeypointSet(X, y, seq, path.stem)


# --- .pose (pose-format) ---------------------------------------------------------------------

_COMPONENTS = (
    ("POSE_LANDMARKS", POSE_NAMES, POSE_BONES),
    ("LEFT_HAND_LANDMARKS", HAND_NAMES, HAND_BONES),
    ("RIGHT_HAND_LANDMARKS", HAND_NAMES, HAND_BONES),
)


def _our_index(component: str, name: str) -> int | None:
    full = {"POSE_LANDMARKS": name, "LEFT_HAND_LANDMARKS": f"LEFT_HAND.{name}",
            "RIGHT_HAND_LANDMARKS": f"RIGHT_HAND.{name}"}.get(component)  # fmt: skip
    return POINT_NAMES.index(full) if full in POINT_NAMES else None


def load_pose_file(path: str | Path) -> PoseSequence:
    """Read a MediaPipe-holistic ``.pose`` file; points are matched by component and name.

    Landmarks the file lacks (a reduced body, no hands) are marked missing. Files from other
    estimators (OpenPose...) are refused: their points do not mean the same thing.
    """
    from pose_format import Pose

    path = Path(path)
    if not path.exists():
        raise PoseFileError(f"pose file not found: {path}")
    try:
        pose = Pose.read(path.read_bytes())
    except Exception as exc:  # pose-format raises assorted errors on bad bytes
        raise PoseFileError(f"cannot read {path}: {exc}") from None
    header, body = pose.header, pose.body
    names = [c.name for c in header.components]
    if "POSE_LANDMARKS" not in names:
        raise PoseFileError(f"{path}: not a MediaPipe pose (components: {', '.join(names)})")
    data = np.ma.getdata(body.data)[:, 0].astype(np.float32)  # first person
    conf = np.asarray(body.confidence)[:, 0]
    hidden = np.ma.getmaskarray(body.data)[:, 0].any(axis=-1)
    width, height = header.dimensions.width or 1, header.dimensions.height or 1
    points = np.zeros((len(data), N_POINTS, 3), np.float32)
    mask = np.zeros((len(data), N_POINTS), bool)
    offset = 0
    for component in header.components:
        for k, name in enumerate(component.points):
            ours = _our_index(component.name, name)
            if ours is not None:
                points[:, ours] = data[:, offset + k, :3]
                mask[:, ours] = (conf[:, offset + k] > 0) & ~hidden[:, offset + k]
        offset += len(component.points)
    points[..., 0] /= width
    points[..., 1] /= height
    points[~mask] = 0
    return PoseSequence(points, mask, float(body.fps) or 30.0, width / height)


def save_pose_file(
    seq: PoseSequence, path: str | Path, width: int = 1000, height: int | None = None
) -> None:
    """Write a ``.pose`` file with our three components, in pixels of a ``width`` x ``height`` frame."""
    from pose_format import Pose
    from pose_format.numpy import NumPyPoseBody
    from pose_format.pose_header import PoseHeader, PoseHeaderComponent, PoseHeaderDimensions

    if height is None:
        height = round(width / seq.aspect) if seq.aspect else width
    components = [
        PoseHeaderComponent(name, list(points), [(a, b) for a, b in bones], [(255, 0, 0)], "XYZC")
        for name, points, bones in _COMPONENTS
    ]
    header = PoseHeader(0.1, PoseHeaderDimensions(width, height, depth=0), components)
    data = seq.points.copy()
    data[..., 0] *= width
    data[..., 1] *= height
    masked = np.ma.masked_array(
        data[:, None], mask=np.repeat(~seq.mask[:, None, :, None], 3, axis=-1)
    )
    body = NumPyPoseBody(fps=seq.fps, data=masked, confidence=seq.mask[:, None].astype(np.float32))
    import io

    buffer = io.BytesIO()
    Pose(header, body).write(buffer)
    atomic_write_bytes(Path(path), buffer.getvalue())
