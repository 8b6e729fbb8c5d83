"""Handshape and location facets: narrow or re-rank the results by what a user saw in the sign.

- **Handshape**: the dominant hand's handshape features (``signlookup.features``, canonicalised:
  the active hand is the right one), averaged over the frames where the hand was detected and made
  unit length. A gallery's *inventory* is a spherical k-means of those vectors over its entries;
  clusters are numbered by size (0 = most common) and drawn from their most central member.
- **Location**: one region per sign from where the dominant hand spends the sign (median over
  frames, body units: shoulder midpoint 0, torso length 1, y down): the other hand, the face, the
  head, the chest, or neutral space. 2-D only: a hand in front of the chest projects onto it, so
  "chest" means "over the torso" (MediaPipe's depth is too noisy to tell touching from in front).

Per-entry facets are cached in ``<gallery>/facets.npz`` (by entry id, with the feature settings
and the gallery revision), so only new entries are computed; a read-only gallery keeps them in
memory. The inventory is recomputed from the cached vectors (cheap).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

import numpy as np

from signlookup.features import GROUP_DIMS, FeatureSpec, canonical_pose, frame_features
from signlookup.features.canonical import hand_centres
from signlookup.pose.io import PoseFileError, atomic_write_bytes, load_npz
from signlookup.pose.layout import HAND_BONES, RIGHT_HAND, point
from signlookup.pose.sequence import PoseSequence

if TYPE_CHECKING:
    from signlookup.gallery.store import Gallery


class _Ranked(Protocol):
    """What narrowing needs of a search result (a dataclass: ranks are renumbered with replace)."""

    entry_id: int
    rank: int


SearchResult = TypeVar("SearchResult", bound=_Ranked)  # signlookup.search.SearchResult, no import

REGIONS: tuple[str, ...] = ("head", "face", "chest", "neutral", "other_hand")
NO_HANDSHAPE = -1
HANDSHAPE_DIM = GROUP_DIMS["handshape_dominant"]
CACHE_FILE = "facets.npz"
#: Bump when the meaning of a cached facet changes.
FACETS_VERSION = 1
#: Entries used to fit the k-means in big galleries (all entries are then assigned).
FIT_SAMPLE = 5000

_NOSE = point("NOSE")
_SHOULDERS = (point("LEFT_SHOULDER"), point("RIGHT_SHOULDER"))
#: Region geometry in torso lengths, measured from the nose / between the hands.
FACE_RADIUS = 0.25
CHIN_BELOW_NOSE = 0.2
HEAD_ABOVE_NOSE = 0.15
HEAD_RADIUS = 0.6
OTHER_HAND_DISTANCE = 0.3
OTHER_HAND_RAISED = 0.5  # the other hand lower than this is resting, not a place of articulation
CHEST_BOTTOM = 0.7
ARTICULATION_SHARE = 0.3


@dataclass(frozen=True)
class SignFacets:
    """The facets of one sign: a unit handshape vector (None: the hand was never seen) and a region."""

    handshape: np.ndarray | None
    region: str


def handshape_vector(points: np.ndarray, mask: np.ndarray) -> np.ndarray | None:
    """Unit mean handshape of the dominant (right, after canonicalisation) hand, or None."""
    seen = mask[:, RIGHT_HAND].any(axis=-1)
    if not seen.any():
        return None
    shape = frame_features(points, mask)["handshape_dominant"][seen].mean(axis=0)
    norm = float(np.linalg.norm(shape))
    return (shape / norm).astype(np.float32) if norm > 1e-6 else None


def location_region(points: np.ndarray, mask: np.ndarray) -> str:
    """The region (one of REGIONS) where the dominant hand articulates the sign.

    Measured over the frames where the dominant hand is highest (its upper ARTICULATION_SHARE
    of frames): dictionary clips start and end with the hands resting, often clasped at the
    waist, and a median over the whole clip lands there.
    """
    centres = hand_centres(points, mask)[..., :2]  # (T, 2 [left, right], 2)
    height = centres[:, 1, 1]
    active = height <= np.quantile(height, ARTICULATION_SHARE)
    dominant = np.median(centres[active, 1], axis=0)
    other = np.median(centres[active, 0], axis=0)
    apart = float(np.median(np.linalg.norm(centres[active, 1] - centres[active, 0], axis=-1)))
    nose = np.median(points[:, _NOSE, :2], axis=0)
    shoulders = np.abs(points[:, _SHOULDERS[0], 0] - points[:, _SHOULDERS[1], 0])
    half_width = max(float(np.median(shoulders)) / 2, 0.2)
    if mask[:, 33:54].any() and other[1] < OTHER_HAND_RAISED and apart < OTHER_HAND_DISTANCE:
        return "other_hand"
    to_nose = float(np.linalg.norm(dominant - nose))
    if to_nose < FACE_RADIUS:
        return "face"
    if dominant[1] < nose[1] - HEAD_ABOVE_NOSE or (
        to_nose < HEAD_RADIUS and dominant[1] < nose[1] + CHIN_BELOW_NOSE
    ):
        return "head"
    if dominant[1] < CHEST_BOTTOM and abs(dominant[0]) < half_width:
        return "chest"
    return "neutral"


def sign_facets(seq: PoseSequence, spec: FeatureSpec | None = None) -> SignFacets:
    """Handshape vector and region of a sign (a query or a gallery entry)."""
    points, mask = canonical_pose(seq, spec)
    return SignFacets(handshape_vector(points, mask), location_region(points, mask))


def spherical_kmeans(
    vectors: np.ndarray, k: int, seed: int = 0, iterations: int = 30
) -> tuple[np.ndarray, np.ndarray]:
    """Unit centroids (k, d) and labels (N,) of unit rows, k-means++ seeded, cosine assignment.

    Clusters are renumbered by size, largest first; k is capped at the number of vectors.
    """
    vectors = np.asarray(vectors, np.float32)
    k = max(1, min(k, len(vectors)))
    rng = np.random.default_rng(seed)
    centroids = [vectors[rng.integers(len(vectors))]]
    for _ in range(1, k):
        dist = np.clip(1 - np.max(vectors @ np.stack(centroids).T, axis=1), 0, None)
        if dist.sum() <= 0:
            break
        centroids.append(vectors[rng.choice(len(vectors), p=dist / dist.sum())])
    c = np.stack(centroids)
    labels = np.argmax(vectors @ c.T, axis=1)
    for _ in range(iterations):
        sums = np.zeros_like(c)
        np.add.at(sums, labels, vectors)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        c = np.where(norms > 1e-8, sums / np.maximum(norms, 1e-8), c)
        new = np.argmax(vectors @ c.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    order = np.argsort(-np.bincount(labels, minlength=len(c)), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return c[order].astype(np.float32), rank[labels]


def default_k(n: int) -> int:
    """Clusters for n signs with a seen hand: about sqrt(n / 2), between 2 and 24."""
    return int(np.clip(round(np.sqrt(n / 2)), 2, 24)) if n >= 2 else 1


def hand_points(handshape: np.ndarray) -> np.ndarray:
    """(21, 2) drawable points of a handshape vector (wrist at the origin, y down, unit box).

    Its first 60 values are the 20 non-wrist landmarks (x, y, z) relative to the wrist.
    """
    rel = np.asarray(handshape, np.float32)[:60].reshape(20, 3)[:, :2]
    pts = np.concatenate([np.zeros((1, 2), np.float32), rel])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = max(float((hi - lo).max()), 1e-6)
    return ((pts - (lo + hi) / 2) / span + 0.5).astype(np.float32)


def handshape_png(points: np.ndarray, size: int = 64) -> bytes:
    """PNG of a hand skeleton drawn from :func:`hand_points` (dark lines on a light square)."""
    import cv2

    image = np.full((size, size, 3), 245, np.uint8)
    xy = (np.asarray(points) * 0.85 * size + 0.075 * size).astype(int)
    for a, b in HAND_BONES:
        cv2.line(
            image, tuple(map(int, xy[a])), tuple(map(int, xy[b])), (200, 120, 30), 2, cv2.LINE_AA
        )
    ok, data = cv2.imencode(".png", image)
    if not ok:
        raise ValueError("OpenCV could not encode the handshape image")
    return data.tobytes()


@dataclass(frozen=True)
class HandshapeCluster:
    """One handshape of a gallery's inventory."""

    id: int
    size: int
    representative: int  # entry id of the member closest to the centroid
    points: np.ndarray  # (21, 2) hand_points of the representative: what the GUI draws

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "size": self.size,
            "representative_entry": self.representative,
            "points": np.round(self.points, 4).tolist(),
        }


class GalleryFacets:
    """Per-entry handshape cluster and region of one gallery, and its handshape inventory."""

    def __init__(
        self,
        ids: np.ndarray,
        vectors: np.ndarray,
        has_hand: np.ndarray,
        regions: np.ndarray,
        k: int | None = None,
    ) -> None:
        self.ids = np.asarray(ids, np.int64)
        self.vectors = np.asarray(vectors, np.float32)
        self.has_hand = np.asarray(has_hand, bool)
        self.regions = np.asarray(regions, np.int8)
        self.labels = np.full(len(self.ids), NO_HANDSHAPE, np.int64)
        self.centroids = np.zeros(
            (0, self.vectors.shape[1] if self.vectors.ndim == 2 else HANDSHAPE_DIM), np.float32
        )
        self.clusters: list[HandshapeCluster] = []
        self._row = {int(i): r for r, i in enumerate(self.ids)}
        with_hand = np.flatnonzero(self.has_hand)
        if len(with_hand) == 0:
            return
        fit = with_hand
        if len(fit) > FIT_SAMPLE:
            fit = np.sort(np.random.default_rng(0).choice(fit, FIT_SAMPLE, replace=False))
        self.centroids, _ = spherical_kmeans(self.vectors[fit], k or default_k(len(with_hand)))
        sims = self.vectors[with_hand] @ self.centroids.T
        self.labels[with_hand] = np.argmax(sims, axis=1)
        for c in range(len(self.centroids)):
            members = with_hand[self.labels[with_hand] == c]
            if len(members) == 0:
                continue
            best = members[np.argmax(self.vectors[members] @ self.centroids[c])]
            self.clusters.append(
                HandshapeCluster(
                    c, len(members), int(self.ids[best]), hand_points(self.vectors[best])
                )
            )

    def handshape_of(self, entry_id: int) -> int:
        row = self._row.get(int(entry_id))
        return NO_HANDSHAPE if row is None else int(self.labels[row])

    def region_of(self, entry_id: int) -> str | None:
        row = self._row.get(int(entry_id))
        return None if row is None else REGIONS[self.regions[row]]

    def matches(
        self, entry_id: int, handshape: int | None = None, location: str | None = None
    ) -> bool:
        """Whether an entry has the chosen handshape id and region (None: any)."""
        if handshape is not None and self.handshape_of(entry_id) != handshape:
            return False
        return location is None or self.region_of(entry_id) == location

    def classify(self, facets: SignFacets) -> int:
        """The inventory's handshape nearest to a sign's (a query's own), NO_HANDSHAPE if none."""
        if facets.handshape is None or len(self.centroids) == 0:
            return NO_HANDSHAPE
        return int(np.argmax(self.centroids @ facets.handshape))

    def region_counts(self) -> dict[str, int]:
        return {name: int((self.regions == i).sum()) for i, name in enumerate(REGIONS)}


def _entry_facets(
    gallery: Gallery, entry_ids: Sequence[int], spec: FeatureSpec
) -> dict[int, SignFacets]:
    entries = gallery.get_many(entry_ids)
    out = {}
    for entry_id, entry in entries.items():
        try:
            out[entry_id] = sign_facets(load_npz(entry.pose_path), spec)
        except (PoseFileError, ValueError):  # unreadable pose or no shoulders: no facets
            continue
    return out


def _cache_key(spec: FeatureSpec) -> str:
    return f"{FACETS_VERSION}-{spec.hash()}"


def load_gallery_facets(
    gallery: Gallery, spec: FeatureSpec | None = None, k: int | None = None
) -> GalleryFacets:
    """Facets of every entry, from ``<gallery>/facets.npz`` where cached; new entries computed
    and the cache rewritten (unless the gallery is read-only)."""
    spec = spec or FeatureSpec()
    key = _cache_key(spec)
    path = gallery.root / CACHE_FILE
    cached: dict[int, tuple[np.ndarray, bool, int]] = {}
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as d:
                if str(d["key"]) == key:
                    for i, v, h, r in zip(
                        d["ids"], d["vectors"], d["has_hand"], d["regions"], strict=True
                    ):
                        cached[int(i)] = (v, bool(h), int(r))
        except (OSError, ValueError, KeyError):  # damaged cache: recompute everything
            cached = {}
    ids = [e.id for e in gallery.entries()]
    missing = [i for i in ids if i not in cached]
    if missing:
        for entry_id, f in _entry_facets(gallery, missing, spec).items():
            vector = f.handshape if f.handshape is not None else np.zeros(HANDSHAPE_DIM, np.float32)
            cached[entry_id] = (vector, f.handshape is not None, REGIONS.index(f.region))
    known = [i for i in ids if i in cached]
    dim = len(next(iter(cached.values()))[0]) if cached else HANDSHAPE_DIM
    vectors = np.array([cached[i][0] for i in known], np.float32).reshape(len(known), dim)
    has_hand = np.array([cached[i][1] for i in known], bool)
    regions = np.array([cached[i][2] for i in known], np.int8)
    if (missing or len(known) != len(cached)) and not gallery.read_only:
        buffer = io.BytesIO()
        np.savez(
            buffer,
            key=np.array(key),
            ids=np.array(known, np.int64),
            vectors=vectors,
            has_hand=has_hand,
            regions=regions,
        )
        with contextlib.suppress(OSError):  # a cache: failing to write it costs time next open
            atomic_write_bytes(path, buffer.getvalue())
    return GalleryFacets(np.array(known, np.int64), vectors, has_hand, regions, k)


def apply_facets(
    results: Sequence[SearchResult],
    facets: GalleryFacets,
    handshape: int | None = None,
    location: str | None = None,
    mode: str = "narrow",
) -> list[SearchResult]:
    """Results matching the chosen handshape id and/or region; ``narrow`` drops the others,
    ``rerank`` moves the matching ones first (each group keeps its order). Ranks are renumbered."""
    from dataclasses import replace

    if location is not None and location not in REGIONS:
        raise ValueError(f"unknown location {location!r}; one of {', '.join(REGIONS)}")
    if mode not in ("narrow", "rerank"):
        raise ValueError(f"unknown facet mode {mode!r}: narrow or rerank")

    hits = [r for r in results if facets.matches(r.entry_id, handshape, location)]
    if mode == "rerank":
        hits += [r for r in results if not facets.matches(r.entry_id, handshape, location)]
    return [replace(r, rank=n) for n, r in enumerate(hits, start=1)]
