"""Keep native libraries' chatter off the user's terminal, so the one line that matters shows.

MediaPipe's C++ (absl) logs 9-11 "W0000 ... Feedback manager" and "XNNPACK delegate" lines per
graph from its own threads; GLOG_minloglevel does not reach them (absl logs to fd 2 before
InitializeLog). They are silenced by pointing fd 2 at /dev/null while a graph lives
(:func:`native_stderr_silenced`). FFmpeg's "moov atom not found" and h264 errors from OpenCV
obey OPENCV_FFMPEG_LOGLEVEL, read when OpenCV opens its first capture: importing this module
(opencv_sources does) sets it to quiet unless the user set it.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET

_lock = threading.Lock()
_depth = 0
_saved_fd: int | None = None
_saved_stderr: object = None


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Point fd 2 at /dev/null for the block; Python's own ``sys.stderr`` (progress lines,
    warnings, errors) keeps writing to the real stderr. Re-entrant and safe across threads:
    the first to enter redirects, the last to leave restores."""
    global _depth, _saved_fd, _saved_stderr
    with _lock:
        if _depth == 0:
            try:
                if sys.stderr is not None:  # None in a windowed (pythonw, frozen) app
                    sys.stderr.flush()
                saved = os.dup(2)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.close(devnull)
            except (OSError, ValueError):  # no fd 2 (pythonw, some IDEs): nothing to silence
                saved = None
            _saved_fd = saved
            if saved is not None and sys.stderr is sys.__stderr__:
                _saved_stderr = sys.stderr
                sys.stderr = io.TextIOWrapper(
                    os.fdopen(os.dup(saved), "wb", buffering=0),
                    encoding=getattr(_saved_stderr, "encoding", None) or "utf-8",
                    errors="backslashreplace",
                    line_buffering=True,
                    write_through=True,
                )
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved_fd is not None:
                if _saved_stderr is not None:
                    sys.stderr.flush()  # not closed: a handler may still hold it; GC closes it
                    sys.stderr = _saved_stderr
                    _saved_stderr = None
                os.dup2(_saved_fd, 2)
                os.close(_saved_fd)
                _saved_fd = None
