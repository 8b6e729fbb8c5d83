"""A folder (or explicit list) of still images played as a clip."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2

from signlookup.capture.base import (
    CaptureError,
    Frame,
    FrameSource,
    SourceNotFoundError,
    UnreadableSourceError,
)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"}


class ImageSequenceSource(FrameSource):
    """Images sorted by file name, at a given frame rate. Unreadable images are an error, not a gap."""

    def __init__(self, images: str | Path | Sequence[str | Path], fps: float = 30.0) -> None:
        if isinstance(images, (str, Path)):
            self._folder: Path | None = Path(images)
            self._paths: list[Path] = []
            self.name = self._folder.name
        else:
            self._folder = None
            self._paths = [Path(p) for p in images]
            self.name = f"{len(self._paths)} images"
        if fps <= 0:
            raise ValueError("fps must be positive")
        self._fps = float(fps)
        self._index = -1

    def open(self) -> None:
        if self._folder is not None:
            if not self._folder.is_dir():
                raise SourceNotFoundError(f"image folder not found: {self._folder}")
            self._paths = sorted(
                p for p in self._folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES
            )
        if not self._paths:
            raise UnreadableSourceError(f"no images in {self._folder or 'the list'}")
        missing = [p for p in self._paths if not p.exists()]
        if missing:
            raise SourceNotFoundError(f"image not found: {missing[0]}")
        self._index = 0

    def read(self) -> Frame | None:
        if self._index < 0:
            raise CaptureError("read() before open()")
        if self._index >= len(self._paths):
            return None
        path = self._paths[self._index]
        bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if bgr is None:
            raise UnreadableSourceError(f"not an image OpenCV can decode: {path}")
        frame = Frame(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), self._index, self._index / self._fps)
        self._index += 1
        return frame

    def close(self) -> None:
        self._index = -1

    @property
    def fps(self) -> float:
        return self._fps

    @property
    def frame_count(self) -> int | None:
        return len(self._paths) or None
