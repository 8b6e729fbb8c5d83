"""Camera and video-file sources over OpenCV's VideoCapture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

import signlookup.quiet  # noqa: F401  (FFmpeg's log level, before the first capture opens)
from signlookup.capture.base import (
    CameraDisconnectedError,
    CaptureError,
    Frame,
    FrameSource,
    SourceNotFoundError,
    UnreadableSourceError,
)

DEFAULT_FPS = 30.0


def _sane_fps(value: float) -> float:
    """OpenCV reports 0, NaN or absurd rates for some files and cameras."""
    return float(value) if np.isfinite(value) and 1.0 <= value <= 240.0 else DEFAULT_FPS


class VideoFileSource(FrameSource):
    """Frames of a video file, decoded in order; timestamps from the frame index and fps."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.name = self.path.name
        self._capture: cv2.VideoCapture | None = None
        self._fps = DEFAULT_FPS
        self._count: int | None = None
        self._index = 0

    def open(self) -> None:
        if not self.path.exists():
            raise SourceNotFoundError(f"video file not found: {self.path}")
        if self.path.is_dir():
            raise UnreadableSourceError(f"{self.path} is a folder, not a video file")
        if self.path.stat().st_size == 0:
            raise UnreadableSourceError(f"video file is empty: {self.path}")
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise UnreadableSourceError(f"not a video OpenCV can decode: {self.path}")
        self._capture = capture
        self._fps = _sane_fps(capture.get(cv2.CAP_PROP_FPS))
        count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        self._count = count if count > 0 else None
        self._index = 0

    def read(self) -> Frame | None:
        if self._capture is None:
            raise CaptureError("read() before open()")
        ok, bgr = self._capture.read()
        if not ok or bgr is None:
            if self._index == 0:
                raise UnreadableSourceError(f"no frame could be decoded from {self.path}")
            return None  # end of file (a truncated file simply ends early)
        frame = Frame(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), self._index, self._index / self._fps)
        self._index += 1
        return frame

    def skip(self, count: int) -> int:
        """Decode without colour conversion (``grab``): about half the cost of ``read`` at 1080p."""
        if self._capture is None:
            raise CaptureError("skip() before open()")
        skipped = 0
        while skipped < count and self._capture.grab():
            skipped += 1
        self._index += skipped
        return skipped

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    @property
    def fps(self) -> float:
        return self._fps

    @property
    def frame_count(self) -> int | None:
        return self._count


class CameraSource(FrameSource):
    """A live camera by OpenCV device index.

    ``capture_factory`` builds the VideoCapture-like object; tests pass a fake one to play a
    camera that opens, streams and then vanishes. A camera that returns no frame for
    ``max_failures`` reads in a row raises CameraDisconnectedError instead of spinning.
    """

    def __init__(
        self,
        index: int = 0,
        *,
        width: int | None = 640,
        height: int | None = 480,
        max_failures: int = 10,
        capture_factory: Callable[[int], Any] | None = None,
    ) -> None:
        self.index = index
        self.name = f"camera {index}"
        self._size = (width, height)
        self._max_failures = max_failures
        self._factory = capture_factory or cv2.VideoCapture
        self._capture: Any = None
        self._fps = DEFAULT_FPS
        self._frames = 0
        self._t0: float | None = None

    def open(self) -> None:
        capture = self._factory(self.index)
        if capture is None or not capture.isOpened():
            if capture is not None:
                capture.release()
            raise SourceNotFoundError(
                f"camera {self.index} could not be opened (none connected, or in use elsewhere)"
            )
        width, height = self._size
        if width and height:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        self._capture = capture
        self._fps = _sane_fps(capture.get(cv2.CAP_PROP_FPS))
        self._frames = 0
        self._t0 = None

    def read(self) -> Frame | None:
        if self._capture is None:
            raise CaptureError("read() before open()")
        for _ in range(self._max_failures):
            ok, bgr = self._capture.read()
            if ok and bgr is not None:
                now = cv2.getTickCount() / cv2.getTickFrequency()
                if self._t0 is None:
                    self._t0 = now
                frame = Frame(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), self._frames, now - self._t0)
                self._frames += 1
                return frame
        self.close()
        raise CameraDisconnectedError(f"camera {self.index} stopped sending frames")

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    @property
    def fps(self) -> float:
        return self._fps


def list_cameras(max_index: int = 4) -> list[int]:
    """Indices of cameras that open; probing is slow on some systems, so call it off the GUI thread."""
    found = []
    for index in range(max_index):
        capture = cv2.VideoCapture(index)
        if capture.isOpened():
            found.append(index)
        capture.release()
    return found
