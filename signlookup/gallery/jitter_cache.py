"""The gallery's jittered takes, kept beside it (``jitter.npz``) so a refit embeds only new ones.

The gallery metric (``signlookup.index.metric``) fits on each entry's jittered copies for signs
held at most ``JITTER_PER_SIGN`` times. Embedding them costs ``COPIES_PER_TAKE`` embeddings per
entry, so they are cached per entry, keyed by the entry's own vector (a re-embedded or replaced
entry gets new copies) and by the encoder. The file is derived data: unreadable or for another
encoder, it is ignored and rebuilt, never reported as damage.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from signlookup.encoder.jittered import embed_jittered
from signlookup.index.metric import jitter_allowed
from signlookup.pose.io import PoseFileError, atomic_write_bytes
from signlookup.pose.sequence import PoseSequence

if TYPE_CHECKING:
    from signlookup.encoder.base import Embedder

JITTER_NAME = "jitter.npz"
#: Entries embedded per batch.
BATCH = 16


def _key(vector: np.ndarray) -> str:
    return hashlib.sha256(np.asarray(vector, np.float32).tobytes()).hexdigest()[:16]


class JitterCache:
    """Entry id -> its jittered takes (copies, dim), for one embedder."""

    def __init__(self, path: Path, embedder: Embedder) -> None:
        self.path = path
        self.embedder = embedder
        self._copies: dict[int, tuple[str, np.ndarray]] = {}  # id -> (vector key, float16 copies)
        self.dirty = False
        self.can_jitter = embed_jittered(embedder, []) is not None  # it embeds canonical poses
        self._load()

    def _load(self) -> None:
        try:
            with np.load(self.path, allow_pickle=False) as z:
                if str(z["encoder_hash"]) != self.embedder.content_hash:
                    return
                ids, keys, copies = z["ids"], z["keys"], z["copies"]
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            return  # missing or unreadable: rebuilt from the poses
        if copies.ndim != 3 or copies.shape[2] != self.embedder.dim or len(ids) != len(copies):
            return
        self._copies = {int(i): (str(k), c) for i, k, c in zip(ids, keys, copies, strict=True)}

    def save(self) -> None:
        """Write atomically when something changed (the caller skips read-only galleries)."""
        if not self.dirty:
            return
        ids = np.array(sorted(self._copies), np.int64)
        copies = (
            np.stack([self._copies[int(i)][1] for i in ids])
            if len(ids)
            else np.zeros((0, 0, self.embedder.dim), np.float16)
        )
        keys = np.array([self._copies[int(i)][0] for i in ids], dtype="U16")
        buf = io.BytesIO()
        np.savez(buf, encoder_hash=np.str_(self.embedder.content_hash), ids=ids, keys=keys,
                 copies=copies)  # fmt: skip
        atomic_write_bytes(self.path, buf.getvalue())
        self.dirty = False

    def _embed(self, seqs: list[PoseSequence]) -> list[np.ndarray | None]:
        """Each take's copies; a take the pipeline refuses (ValueError) gets None and its sign
        is fitted without them, as the gallery keeps an entry it cannot embed."""
        try:
            return list(embed_jittered(self.embedder, seqs))
        except ValueError:
            out: list[np.ndarray | None] = []
            for seq in seqs:
                try:
                    out.append(embed_jittered(self.embedder, [seq])[0])
                except ValueError:
                    out.append(None)
            return out

    def jittered(
        self,
        ids: np.ndarray,
        vectors: np.ndarray,
        glosses: Sequence[str],
        load_pose: Callable[[int], PoseSequence],
        progress: Callable[[int, int, str], None] | None = None,
    ) -> np.ndarray | None:
        """(N, copies, dim) float32 for the entries (NaN where none is needed or the pose is
        unreadable), embedding the missing ones (reported to ``progress`` as done, total,
        "jittering"); None when the embedder cannot jitter."""
        if not self.can_jitter:
            return None
        needed = jitter_allowed(glosses) > 0
        keys = [_key(v) for v in vectors]
        todo = [row for row in np.flatnonzero(needed)
                if self._copies.get(int(ids[row]), ("", None))[0] != keys[row]]  # fmt: skip
        for start in range(0, len(todo), BATCH):
            rows, seqs = [], []
            for row in todo[start : start + BATCH]:
                try:
                    seqs.append(load_pose(int(ids[row])))
                    rows.append(row)
                except PoseFileError:
                    continue  # the entry keeps its place; its sign is fitted without copies
            for row, copies in zip(rows, self._embed(seqs), strict=True):
                if copies is not None:
                    self._copies[int(ids[row])] = (keys[row], copies.astype(np.float16))
            self.dirty = True
            if progress is not None:
                progress(min(start + BATCH, len(todo)), len(todo), "jittering")
        live = {int(i) for i in ids}
        if set(self._copies) - live:  # deleted entries' copies go (undo re-embeds them)
            self._copies = {i: c for i, c in self._copies.items() if i in live}
            self.dirty = True
        if not self._copies:
            return None  # nothing to add: the metric is fitted from the takes alone
        width = next(iter(self._copies.values()))[1].shape[0]
        out = np.full((len(ids), width, self.embedder.dim), np.nan, np.float32)
        for row in np.flatnonzero(needed):
            key, copies = self._copies.get(int(ids[row]), ("", None))
            if copies is not None and key == keys[row]:
                out[row] = copies
        return out
