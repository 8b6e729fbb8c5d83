"""A video file played over and over as if it were a camera.

A stand-in camera for demos, tests and the GUI benchmark: it never ends and its frame times keep
growing across restarts, as a camera's do, so the live path (countdown, recording, frame rate
from timestamps) runs on a known clip without hardware.
"""

from __future__ import annotations

from pathlib import Path

from signlookup.capture.base import Frame, FrameSource
from signlookup.capture.opencv_sources import VideoFileSource


class LoopingVideoSource(FrameSource):
    """Frames of ``path`` in order, restarting at its end; ``name`` defaults to the file's."""

    def __init__(self, path: str | Path, name: str | None = None) -> None:
        self._file = VideoFileSource(path)
        self.name = name or f"camera ({self._file.name})"
        self._count = 0

    def open(self) -> None:
        self._file.open()
        self._count = 0

    def read(self) -> Frame | None:
        frame = self._file.read()
        if frame is None:  # the end: start again (a file with no frame raises on its first read)
            self._file.close()
            self._file.open()
            frame = self._file.read()
        if frame is None:
            return None
        index = self._count
        self._count += 1
        return Frame(frame.image, index, index / self.fps)

    def close(self) -> None:
        self._file.close()

    @property
    def fps(self) -> float:
        return self._file.fps
