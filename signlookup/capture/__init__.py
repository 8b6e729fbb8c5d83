"""Frame sources: one interface (FrameSource) over a camera, a video file and an image sequence."""

from signlookup.capture.base import (
    CameraDisconnectedError,
    CaptureError,
    Frame,
    FrameSource,
    SourceNotFoundError,
    UnreadableSourceError,
)
from signlookup.capture.image_sequence import ImageSequenceSource
from signlookup.capture.looping import LoopingVideoSource
from signlookup.capture.opencv_sources import CameraSource, VideoFileSource, list_cameras

__all__ = [
    "CameraDisconnectedError",
    "CameraSource",
    "CaptureError",
    "Frame",
    "FrameSource",
    "ImageSequenceSource",
    "LoopingVideoSource",
    "SourceNotFoundError",
    "UnreadableSourceError",
    "VideoFileSource",
    "list_cameras",
]
