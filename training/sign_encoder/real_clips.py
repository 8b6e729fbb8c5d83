"""Cross-source check on the real Libras dictionary clips (../shared/data/videos).

Five words have two clips from different dictionaries (different signers, cameras, framing):
each of those 10 clips queries all other clips (30 Libras clips + the MIT test clip); the rank
of its twin from the other source is reported. Tiny (10 queries), but the only unseen-signer,
unseen-sign, real-video test the shared data allows.

``python -m training.sign_encoder.real_clips [--cache DIR] [--model PATH]``; landmarks are
extracted once with the app's MediaPipe pipeline and cached as .npz.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from signlookup.encoder import FeatureEmbedder
from signlookup.encoder.bundle import FusedEmbedder, TorchScriptEmbedder, read_sidecar
from signlookup.encoder.default import default_model_path
from signlookup.encoder.jittered import embed_jittered
from signlookup.index.metric import GalleryMetric
from signlookup.pose import load_npz, save_npz

VIDEOS = Path(__file__).resolve().parents[3] / "shared" / "data" / "videos"


def extract_all(cache: Path) -> list[Path]:
    from signlookup.capture import VideoFileSource
    from signlookup.pose import extract_pose

    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for video in sorted(VIDEOS.glob("*_*_*.mp4")):
        target = cache / f"{video.stem}.npz"
        if not target.exists():
            save_npz(extract_pose(VideoFileSource(video)), target)
        out.append(target)
    return out


def twin_ranks(
    vectors: np.ndarray,
    labels: np.ndarray,
    queries: np.ndarray,
    gallery_metric: bool = True,
    jittered: np.ndarray | None = None,
) -> list[int]:
    """Rank (1 = first) of the query's other clip among all clips but itself, scored as the app
    scores: the cosine in the metric fitted on those other clips and their ``jittered`` takes
    (``gallery_metric=False``: the plain cosine)."""
    ranks = []
    everything = np.arange(len(labels))
    for q in queries:
        others = everything[everything != q]
        metric = (
            GalleryMetric.fit(
                vectors[others],
                labels[others],
                jittered=None if jittered is None else jittered[others],
            )
            if gallery_metric
            else GalleryMetric.identity(vectors.shape[1])
        )
        sims = metric.apply(vectors[others]) @ metric.apply(vectors[q])[0]
        twin = labels[others] == labels[q]
        ranks.append(int((sims >= sims[twin].max()).sum()))  # ties count against (metrics.py)
    return ranks


def load_clips(cache: Path) -> tuple[list[Path], list, np.ndarray, np.ndarray]:
    """Landmark files, their sequences, their words, and the rows of clips with a twin."""
    files = extract_all(cache)
    seqs = [load_npz(f) for f in files]
    labels = np.array([f.stem.split("_")[0] for f in files])
    words, counts = np.unique(labels, return_counts=True)
    return files, seqs, labels, np.flatnonzero(np.isin(labels, words[counts > 1]))


def rank_figures(ranks: np.ndarray) -> dict:
    """What a row of twin ranks reports: the ranks, MRR, hit@1, hit@5."""
    return {"ranks": ranks.tolist(), "mrr": round(float((1 / ranks).mean()), 3),
            "hit@1": float((ranks == 1).mean()), "hit@5": float((ranks <= 5).mean())}  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cache", type=Path, default=Path("/tmp/signlookup_real_clips"))
    p.add_argument("--model", type=Path, default=default_model_path())
    p.add_argument("--json", type=Path, help="also write the figures here")
    p.add_argument("--plain-cosine", action="store_true", help="without the gallery metric")
    p.add_argument("--no-jitter", action="store_true", help="the metric without jittered takes")
    a = p.parse_args()
    _, seqs, labels, queries = load_clips(a.cache)
    scorers = {"features": FeatureEmbedder()}
    if a.model.exists():
        model = TorchScriptEmbedder(a.model, read_sidecar(a.model))
        scorers["model"] = model
        for w in (0.25, 0.35, 0.5, 0.75):
            scorers[f"fused@{w}"] = FusedEmbedder(model, w)
    results = {}
    for name, emb in scorers.items():
        jittered = None if a.plain_cosine or a.no_jitter else embed_jittered(emb, seqs)
        ranks = np.array(twin_ranks(emb.embed(seqs), labels, queries, not a.plain_cosine, jittered))
        results[name] = rank_figures(ranks)
        print(name, json.dumps(results[name]))
    if a.json:
        a.json.write_text(json.dumps({"model": str(a.model), **results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
