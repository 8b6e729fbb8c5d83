"""Video files to landmarks: the content cache, progress, and worker processes for many files.

``extract_video`` is what a query or a single import runs; ``extract_many`` runs one Holistic
per worker process (MediaPipe's graph runs on one core at a time, so a dictionary import can use
them all) and hands results back in input order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from pathlib import Path

import numpy as np

from signlookup.capture.base import Frame
from signlookup.files import file_sha256
from signlookup.pose.cache import PoseCache
from signlookup.pose.holistic import DEFAULT_SAMPLING, Sampling, extract_pose
from signlookup.pose.sequence import PoseSequence

#: (done, total, name): frames of one clip, or clips of a batch.
Progress = Callable[[int, int, str], None]
#: Marks "use the user's default cache" apart from None (no cache).
DEFAULT_CACHE = "default"


def _resolve(cache: PoseCache | str | None) -> PoseCache | None:
    return PoseCache.default() if cache == DEFAULT_CACHE else cache  # type: ignore[return-value]


def extract_video(
    path: str | Path,
    *,
    sampling: Sampling = DEFAULT_SAMPLING,
    cache: PoseCache | str | None = DEFAULT_CACHE,
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    on_pose: Callable[[Frame, np.ndarray, np.ndarray], None] | None = None,
) -> PoseSequence:
    """Landmarks of a video file, from the cache when the same bytes were extracted before.

    ``progress(frames done, frames in the clip, file name)`` is called per processed frame;
    ``on_pose(frame, points, mask)`` too (a live preview; never called on a cache hit).
    Setting ``stop`` ends early with what was seen, which is not cached.
    Raises what :func:`extract_pose` raises (CaptureError, PoseExtractionError).
    """
    from signlookup.capture import SourceNotFoundError, VideoFileSource

    path = Path(path)
    store = _resolve(cache)
    sha = None
    if store is not None and path.is_file():
        try:
            sha = file_sha256(path)
        except OSError as exc:
            raise SourceNotFoundError(f"cannot read {path}: {exc.strerror or exc}") from None
        if (hit := store.get(sha, sampling)) is not None:
            return hit
    source = VideoFileSource(path)

    def on_frame(frame: Frame, points: np.ndarray, mask: np.ndarray) -> None:
        if progress is not None:
            progress(frame.index + 1, source.frame_count or frame.index + 1, path.name)
        if on_pose is not None:
            on_pose(frame, points, mask)

    seq = extract_pose(source, on_frame=on_frame, stop=stop, sampling=sampling)
    if store is not None and sha is not None and not (stop is not None and stop.is_set()):
        store.put(sha, sampling, seq)
    return seq


#: Each worker holds mediapipe and a graph (about 300 MB): more than this buys little.
MAX_WORKERS = 8


def default_workers() -> int:
    """One worker per core this process may use (a worker runs one MediaPipe graph)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def _extract_in_worker(
    path: Path, sampling: Sampling, cache_root: Path | None
) -> PoseSequence | Exception:
    os.environ.setdefault("GLOG_minloglevel", "2")
    try:
        cache = PoseCache(cache_root) if cache_root is not None else None
        return extract_video(path, sampling=sampling, cache=cache)
    except Exception as exc:  # sent back as a value: one bad file must not stop the batch
        return exc


def extract_many(
    paths: Iterable[str | Path],
    *,
    workers: int | None = None,
    sampling: Sampling = DEFAULT_SAMPLING,
    cache: PoseCache | str | None = DEFAULT_CACHE,
    progress: Progress | None = None,
) -> Iterator[tuple[Path, PoseSequence | Exception]]:
    """``(path, landmarks or the exception that stopped them)`` for each path, in input order.

    ``paths`` is consumed lazily, a few ahead of the results (so it may be a generator that
    filters as it goes). With one worker everything runs in this process; otherwise in
    ``spawn``-ed processes (safe beside Qt and threads). ``progress(done, total, name)`` counts
    finished files; ``total`` is known only for a sized ``paths`` (else it is ``done``).
    Closing the iterator early cancels what has not started.
    """
    workers = default_workers() if workers is None else max(1, workers)
    total = len(paths) if hasattr(paths, "__len__") else 0  # type: ignore[arg-type]
    store = _resolve(cache)
    todo = (Path(p) for p in paths)
    first = list(islice(todo, 2 * workers))  # a pool only pays off for two files or more
    done = 0

    def report(path: Path) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, max(total, done), path.name)

    if workers == 1 or len(first) < 2:
        for path in chain(first, todo):
            try:
                result: PoseSequence | Exception = extract_video(
                    path, sampling=sampling, cache=store
                )
            except Exception as exc:
                result = exc
            report(path)
            yield path, result
        return

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    root = store.root if store is not None else None
    pending: deque[tuple[Path, Future]] = deque()

    def submit(path: Path | None) -> None:
        if path is not None:
            pending.append((path, pool.submit(_extract_in_worker, path, sampling, root)))

    try:
        for path in first:
            submit(path)
        while pending:
            path, future = pending.popleft()
            try:
                result = future.result()
            except Exception as exc:  # a worker that died (memory): report it for this file
                result = exc
            submit(next(todo, None))
            report(path)
            yield path, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class PosePrefetch:
    """Landmarks of ``paths`` extracted ahead by :func:`extract_many`, taken in the same order.

    ``take(path)`` returns None when the file failed (or was never queued): the caller then
    extracts it itself, which raises the error in its usual words.
    """

    def __init__(self, paths: Iterable[str | Path], **options: object) -> None:
        self._results = extract_many(paths, **options)  # type: ignore[arg-type]
        self._ready: dict[Path, PoseSequence | Exception] = {}

    def take(self, path: str | Path) -> PoseSequence | None:
        path = Path(path)
        while path not in self._ready:
            item = next(self._results, None)
            if item is None:
                return None
            self._ready[item[0]] = item[1]
        result = self._ready.pop(path)
        return result if isinstance(result, PoseSequence) else None

    def close(self) -> None:
        self._results.close()

    def __enter__(self) -> PosePrefetch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
