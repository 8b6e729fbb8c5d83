"""The frame-source interface: camera, video file and image sequence all look alike.

A source yields RGB frames with timestamps; it raises a typed CaptureError (never hangs, never
returns garbage) when it cannot open or when it dies mid-stream.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


class CaptureError(RuntimeError):
    """Base of every error a frame source raises; its message is meant for the user."""


class SourceNotFoundError(CaptureError):
    """The file, folder or camera does not exist."""


class UnreadableSourceError(CaptureError):
    """It exists, but holds no decodable frames (empty, truncated, not a video)."""


class CameraDisconnectedError(CaptureError):
    """A camera stopped delivering frames mid-stream (unplugged, taken by another program)."""


@dataclass(frozen=True)
class Frame:
    """One frame: image uint8 (H, W, 3) RGB, its index and its time in seconds from the start."""

    image: np.ndarray
    index: int
    timestamp_s: float

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return self.image.shape[1], self.image.shape[0]


class FrameSource(ABC):
    """A stream of frames. Use as a context manager or call open()/close(); iterate for frames."""

    #: Human-readable description shown in the status bar ("camera 0", "pai_ne_1.mp4").
    name: str = "source"

    def __enter__(self) -> FrameSource:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def open(self) -> None:
        """Acquire the device or file; raises SourceNotFoundError / UnreadableSourceError."""

    @abstractmethod
    def read(self) -> Frame | None:
        """The next frame, or None at the end of a finite source."""

    @abstractmethod
    def close(self) -> None:
        """Release the device or file; safe to call twice."""

    def skip(self, count: int) -> int:
        """Discard up to ``count`` frames; returns how many there were (fewer at the end).

        Sources that can skip cheaply (a video file decodes without converting) override this.
        """
        skipped = 0
        while skipped < count and self.read() is not None:
            skipped += 1
        return skipped

    @property
    @abstractmethod
    def fps(self) -> float:
        """Nominal frames per second (30 when the source does not say)."""

    @property
    def frame_count(self) -> int | None:
        """Number of frames for finite sources, None for live ones."""
        return None

    def __iter__(self) -> Iterator[Frame]:
        while (frame := self.read()) is not None:
            yield frame
