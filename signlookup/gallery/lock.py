"""The writer lock of a gallery folder: one process writes (or repairs) at a time.

Repair on open may remove a staging folder only when it can prove its writer is gone. An
operating-system lock on ``DIR/.writer.lock`` gives that proof: every writer holds it from the
moment it creates a staging folder until its row is committed, the kernel releases it when the
process dies, so whoever holds the lock knows that any staging folder left is debris.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:  # POSIX
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


LOCK_NAME = ".writer.lock"
#: How long a second process waits for the writer before giving up.
DEFAULT_WAIT_S = 60.0


class GalleryBusy(Exception):
    """Another process held the writer lock for longer than we were willing to wait."""


class WriterLock:
    """Re-entrant within one object (threads serialise on an RLock), exclusive across processes."""

    def __init__(
        self,
        root: Path,
        *,
        wait_s: float = DEFAULT_WAIT_S,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.path = root / LOCK_NAME
        self.wait_s = wait_s
        self.on_wait = on_wait
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._thread_lock:
            if self._depth == 0:
                self._acquire()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    def _acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait_s
        told = False
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                os.close(fd)
                raise GalleryBusy(
                    f"another program has been writing to {self.path.parent} for over "
                    f"{self.wait_s:.0f} s; try again when it has finished (nothing was changed)"
                )
            if not told and self.on_wait is not None:
                self.on_wait(
                    f"waiting for another signlookup that is writing to {self.path.parent} ..."
                )
                told = True
            time.sleep(0.05)
        self._fd = fd

    def _release(self) -> None:
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
