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
from signlookup.pose.sequence import LandmarkDataError, PoseSequence, checked_landmarks

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
    """Read a sequence written by save_npz (or any npz with ``X`` (T, 75, 3); zeros = missing).

    The landmarks pass :func:`checked_sequence`: a damaged file is refused with its name.
    """
    path = Path(path)
    if not path.exists():
        raise PoseFileError(f"pose file not found: {path}")
    if path.is_dir():
        raise PoseFileError(f"{path} is a folder, not a pose file")
    try:
        with np.load(path, allow_pickle=False) as data:
            if not hasattr(data, "files"):
                raise ValueError("not an .npz archive (a single array)")
            if "X" not in data.files:
                raise ValueError(
                    f"no landmark array X (it holds {', '.join(data.files) or 'nothing'})"
                )
            with np.errstate(invalid="ignore", over="ignore"):
                points = np.asarray(data["X"], dtype=np.float32)
            mask = data["mask"] if "mask" in data.files else np.any(points != 0, axis=-1)
            fps = float(data["fps"]) if "fps" in data.files else 30.0
            aspect = float(data["aspect"]) if "aspect" in data.files else float("nan")
    except (OSError, ValueError, TypeError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise PoseFileError(f"cannot read {path}: {exc}") from None
    aspect_ok = np.isfinite(aspect) and aspect > 0
    return checked_sequence(path, points, mask, fps, aspect if aspect_ok else None)


def checked_sequence(
    path: Path, points: np.ndarray, mask: np.ndarray, fps: float, aspect: float | None
) -> PoseSequence:
    """The one gate of landmark files (search, eval, gallery, app): see ``checked_landmarks``."""
    try:
        points, mask, fps = checked_landmarks(points, mask, fps)
    except LandmarkDataError as exc:
        raise PoseFileError(f"{path}: {exc}") from None
    return PoseSequence(points, mask, fps, aspect)


@dataclass
class KeypointSet:
    """A labelled data set of clips: X (N, T, 75, 3) with zeros where missing, labels y, take ids.

    ``lengths`` (sets padded in time): frames past lengths[i] are padding, not missing landmarks.
    ``signer``: who signed each take, where the set says.
    """

    X: np.ndarray
    y: np.ndarray
    seq: np.ndarray
    name: str
    lengths: np.ndarray | None = None
    signer: np.ndarray | None = None

    def frames(self, i: int) -> np.ndarray:
        """Take i's frames (T_i, 75, 3), without the padding."""
        return self.X[i] if self.lengths is None else self.X[i, : int(self.lengths[i])]

    def sequence(self, i: int, fps: float = 30.0) -> PoseSequence:
        return PoseSequence.from_zero_filled(self.frames(i), fps=fps)


def load_keypoint_set(path: str | Path) -> KeypointSet:
    """Read a set like ``shared/data/keypoints/*.npz`` (X float16 (N, T, 75, 3), y, seq;
    optional lengths and signer)."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            X = data["X"].astype(np.float32)
            y = data["y"].astype(str)
            seq = data["seq"].astype(str) if "seq" in data.files else np.arange(len(X)).astype(str)
            lengths = data["lengths"].astype(int) if "lengths" in data.files else None
            signer = data["signer"].astype(str) if "signer" in data.files else None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise PoseFileError(f"cannot read keypoint set {path}: {exc}") from None
    if X.ndim != 4 or X.shape[2:] != (N_POINTS, 3) or len(y) != len(X):
        raise PoseFileError(f"{path}: expected X (N, T, {N_POINTS}, 3) and N labels")
    for name, extra in (("lengths", lengths), ("signer", signer)):
        if extra is not None and extra.shape != (len(X),):
            raise PoseFileError(f"{path}: {name} must hold one value per take")
    if lengths is not None:
        lengths = np.clip(lengths, 0, X.shape[1])
    return KeypointSet(X, y, seq, path.stem, lengths, signer)


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
    if path.is_dir():
        raise PoseFileError(f"{path} is a folder, not a pose file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PoseFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        _check_complete(raw)
    except _CutShortError as exc:
        raise PoseFileError(f"{path}: {exc}") from None
    except Exception:  # an unreadable header: Pose.read below says what is wrong
        pass
    try:
        pose = Pose.read(raw)
    except Exception as exc:  # pose-format raises assorted errors on bad bytes
        raise PoseFileError(f"cannot read {path}: not a complete .pose file ({exc})") from None
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
    fps = float(body.fps) if body.fps != 0 else 30.0  # pose-format writes 0 when unknown
    return checked_sequence(path, points, mask, fps, width / height)


class _CutShortError(ValueError):
    pass


def _check_complete(raw: bytes) -> None:
    """Refuse a v0.1 ``.pose`` cut short. pose-format infers the frame count of v0.1 from the
    bytes left and reads confidences out of coordinates, silently; the count in the file says
    how many bytes there must be (v0.2 readers already fail on a short file)."""
    from pose_format.pose_header import PoseHeader
    from pose_format.utils.reader import BufferReader, ConstStructs

    reader = BufferReader(raw)
    header = PoseHeader.read(reader)
    if round(header.version, 3) != 0.1:
        return
    _fps, frames = reader.unpack(ConstStructs.double_ushort)
    people = reader.unpack(ConstStructs.ushort)
    points = sum(len(c.points) for c in header.components)
    frame_bytes = people * points * (header.num_dims() + 1) * 4
    left = reader.bytes_left()
    # the count is a 16-bit field: a clip over 65535 frames stores it modulo 2**16
    if frame_bytes == 0 or left % frame_bytes or (left // frame_bytes) % 65536 != frames:
        raise _CutShortError(
            f"the file is incomplete ({left:,} bytes of landmarks where {frames} frames need "
            f"{frames * frame_bytes:,}): it was cut short while copying or saving"
        )


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
