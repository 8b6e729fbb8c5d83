"""Landmarks cached by the clip's content, so a repeat query or a re-import skips MediaPipe.

The key is the file's SHA-256 plus what shaped the landmarks (the sampling and the extractor
revision), so a renamed or copied clip hits and an edited one misses. The cache lives in the
user's cache folder (``$SIGNLOOKUP_CACHE_DIR``, else ``$XDG_CACHE_HOME/signlookup``, else the
platform's usual place); ``SIGNLOOKUP_POSE_CACHE=0`` turns it off. It is a cache: a file that
cannot be read or written is skipped, never an error. It holds at most :data:`DEFAULT_MAX_MB`
(``$SIGNLOOKUP_POSE_CACHE_MB``); past that the least recently used entries go (a hit refreshes
an entry), so years of look-ups never fill a disk.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path

from signlookup.pose.holistic import Sampling
from signlookup.pose.io import PoseFileError, load_npz, save_npz
from signlookup.pose.sequence import PoseSequence

#: Bump when extraction changes what it returns for the same clip and sampling.
EXTRACTOR_REVISION = "holistic-c1-mp0.10.21-r1"
#: ~140 KB per 5-s clip: some 3,500 clips.
DEFAULT_MAX_MB = 500.0


def user_cache_dir() -> Path:
    """Where signlookup keeps caches on this machine (no platformdirs dependency)."""
    if override := os.environ.get("SIGNLOOKUP_CACHE_DIR"):
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "signlookup" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "signlookup"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "signlookup"


class PoseCache:
    """One ``.npz`` per (content hash, sampling) under ``root/poses``."""

    def __init__(self, root: str | Path, max_bytes: int | None = None) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes if max_bytes is not None else _max_bytes_from_env()

    @classmethod
    def default(cls) -> PoseCache | None:
        """The user's pose cache, or None when ``SIGNLOOKUP_POSE_CACHE=0`` turns it off."""
        if os.environ.get("SIGNLOOKUP_POSE_CACHE", "1").strip().lower() in ("0", "off", "no"):
            return None
        return cls(user_cache_dir() / "poses")

    def path_for(self, sha256: str, sampling: Sampling) -> Path:
        return self.root / sha256[:2] / f"{sha256}-{sampling.key}-{EXTRACTOR_REVISION}.npz"

    def get(self, sha256: str, sampling: Sampling) -> PoseSequence | None:
        path = self.path_for(sha256, sampling)
        if not path.is_file():
            return None
        try:
            seq = load_npz(path)
        except (PoseFileError, OSError, ValueError):
            return None  # a damaged entry is rewritten by the next put
        with suppress(OSError):
            os.utime(path)  # recently used: the last to be evicted
        return seq

    def put(self, sha256: str, sampling: Sampling, seq: PoseSequence) -> None:
        path = self.path_for(sha256, sampling)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_npz(seq, path)
            self.trim()
        except OSError:
            pass  # read-only or full disk: the cache is an optimisation only

    def trim(self) -> int:
        """Remove the least recently used entries until the cache fits ``max_bytes`` (to 90%
        of it, so not every put trims); returns how many went. Only this cache's own files."""
        entries = []
        for path in self.root.glob("*/*.npz"):
            with suppress(OSError):
                st = path.stat()
                entries.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return 0
        removed = 0
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= 0.9 * self.max_bytes:
                break
            with suppress(OSError):
                path.unlink()
                total -= size
                removed += 1
        return removed


def _max_bytes_from_env() -> int:
    raw = os.environ.get("SIGNLOOKUP_POSE_CACHE_MB", "")
    try:
        mb = float(raw) if raw.strip() else DEFAULT_MAX_MB
    except ValueError:
        mb = DEFAULT_MAX_MB  # a cache setting is never worth an error
    return int(max(mb, 0.0) * 1024 * 1024)
