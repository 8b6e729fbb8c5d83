"""Test-time ideas scored offline on saved protocol embeddings (``protocol --save-embeddings``).

For each saved split: the fusion weight, mirror-averaged embeddings (the clip and its mirror,
not re-canonicalised), average query expansion (alpha-QE), database-side augmentation (DBA)
and k-reciprocal re-ranking (Zhong et al., CVPR 2017). Two gallery regimes, because re-ranking
lives on gallery neighbours: ``halves`` (first half of each class's takes, 25-70 per class, as
the protocols score) and ``one-shot`` (the first take only: a dictionary has one or two clips
per sign). Queries are the second half of the takes in both.

    python -m training.sign_encoder.query_time runs/t12/emb --config transformer_attn_arcface \
        --json experiments/sign_encoder/results/test_time.json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from signlookup.encoder.metrics import relevance_from_scores, retrieval_metrics
from signlookup.index.base import normalise_rows
from training.sign_encoder.data import PoseData, gallery_query_halves
from training.sign_encoder.train import fuse


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(scores, part, 1).argsort(1)[:, ::-1]
    return np.take_along_axis(part, order, 1)


def plain(q: np.ndarray, g: np.ndarray) -> np.ndarray:
    return q @ g.T


def alpha_qe(q: np.ndarray, g: np.ndarray, k: int = 3, alpha: float = 3.0) -> np.ndarray:
    """The query plus its top-k gallery neighbours weighted by similarity^alpha, searched again."""
    s = q @ g.T
    nn = top_k(s, k)
    w = np.clip(np.take_along_axis(s, nn, 1), 0, None) ** alpha
    return normalise_rows(q + (w[..., None] * g[nn]).sum(1)) @ g.T


def dba(q: np.ndarray, g: np.ndarray, k: int = 3) -> np.ndarray:
    """Each gallery vector averaged with its top-k gallery neighbours (offline, free per query)."""
    s = g @ g.T
    nn = top_k(s, k + 1)  # itself first
    w = np.clip(np.take_along_axis(s, nn, 1), 0, None)
    return q @ normalise_rows((w[..., None] * g[nn]).sum(1)).T


def k_reciprocal(
    q: np.ndarray, g: np.ndarray, k1: int = 20, k2: int = 6, lam: float = 0.3
) -> np.ndarray:
    """Zhong et al.'s re-ranking: Jaccard distance of k-reciprocal neighbour sets, mixed with
    the original distance; returned as a similarity (higher is better)."""
    x = np.concatenate([q, g])
    n, nq = len(x), len(q)
    dist = np.clip(2 - 2 * x @ x.T, 0, None)
    dist = dist / np.maximum(dist.max(0, keepdims=True), 1e-12)
    rank = np.argsort(dist, axis=1)[:, : k1 + 1]
    v = np.zeros((n, n), np.float32)
    for i in range(n):
        fwd = rank[i]
        recip = fwd[np.any(rank[fwd] == i, axis=1)]
        expansion = recip
        for c in recip:
            c_fwd = rank[c, : int(np.around(k1 / 2)) + 1]
            c_recip = c_fwd[np.any(rank[c_fwd, : int(np.around(k1 / 2)) + 1] == c, axis=1)]
            if len(np.intersect1d(c_recip, recip)) > 2 / 3 * len(c_recip):
                expansion = np.append(expansion, c_recip)
        expansion = np.unique(expansion)
        w = np.exp(-dist[i, expansion])
        v[i, expansion] = w / w.sum()
    if k2 > 1:
        v = np.stack([v[rank[i, :k2]].mean(0) for i in range(n)])
    jaccard = np.zeros((nq, n - nq), np.float32)
    for i in range(nq):
        mins = np.minimum(v[i][None, :], v[nq:]).sum(1)
        jaccard[i] = 1 - mins / (2 - mins)
    final = jaccard * (1 - lam) + dist[:nq, nq:] * lam
    return -final


RERANKERS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "plain": plain,
    "alpha-QE k3": alpha_qe,
    "DBA k3": dba,
    "k-reciprocal": k_reciprocal,
}


#: One-shot galleries scored per split: the i-th take of each class's gallery half, i < this;
#: one take is a noisy draw, so the regime is the mean over these draws.
ONE_SHOT_DRAWS = 5


def regimes(data: PoseData) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(regime, gallery, queries): the halves, then ONE_SHOT_DRAWS single-take galleries."""
    gallery, queries = gallery_query_halves(data)
    out = [("halves", gallery, queries)]
    per_class = [np.sort(gallery[data.labels[gallery] == c]) for c in np.unique(data.labels)]
    for i in range(ONE_SHOT_DRAWS):
        out.append(("one-shot", np.array([idx[i % len(idx)] for idx in per_class]), queries))
    return out


def score_split(
    path: Path, weights=(0.5, 0.75), rerank: bool = True, mirror: bool = True, tta: bool = False
) -> dict[str, dict[str, tuple[float, float]]]:
    """mAP and R@1 per test set, per scorer x re-ranker x regime (one-shot: mean of draws).

    ``rerank=False, mirror=False``: only the plain scorers (what compare.py needs); ``tta``:
    the vectors averaged over time crops stand in for the plain ones.
    """
    z = np.load(path)
    suffix = "_tta" if tta else ""
    vectors = {"features": z["features" + suffix], "model": z["model" + suffix]}
    mirrored = {"features": z["features_mirror"], "model": z["model_mirror"]}
    for w in weights:
        vectors[f"fused@{w}"] = fuse(vectors["model"], vectors["features"], w)
        mirrored[f"fused@{w}"] = fuse(z["model_mirror"], z["features_mirror"], w)
    for name in list(vectors) if mirror else []:
        vectors[f"{name} mirror-avg"] = normalise_rows(vectors[name] + mirrored[name])
    out: dict[str, dict[str, float]] = {}
    for set_name in np.unique(z["sets"]):
        idx = np.flatnonzero(z["sets"] == set_name)
        data = PoseData(np.zeros(len(idx)), np.zeros(len(idx)), z["labels"][idx],
                        z["sets"][idx], z["takes"][idx])  # fmt: skip
        for regime, g, q in regimes(data):
            for scorer, v in vectors.items():
                vs = v[idx]
                fused = scorer.startswith("fused@") and "mirror" not in scorer
                rerankers = RERANKERS if rerank and fused else {"plain": plain}
                for rr, fn in rerankers.items():
                    if rr == "k-reciprocal" and len(q) + len(g) > 2500:
                        continue  # O(n^2) memory and minutes of CPU: scored on the Libras sets
                    s = fn(vs[q], vs[g])
                    m = retrieval_metrics(relevance_from_scores(s, data.labels[q], data.labels[g]))
                    key = f"{regime}|{scorer}|{rr}"
                    out.setdefault(key, {}).setdefault(set_name, []).append((m["map"], m["hit@1"]))
    return {key: {name: tuple(np.mean(v, axis=0)) for name, v in sets.items()}
            for key, sets in out.items()}  # fmt: skip


def seed_ensembles(files: list[Path]) -> list[Path]:
    """Per split saved with several seeds: one file whose model vector concatenates the seeds'
    (unit rows / sqrt(n), so its cosine is the seeds' mean cosine). Written beside the inputs."""
    groups: dict[str, list[Path]] = {}
    for f in files:
        if "__ens" not in f.stem:
            groups.setdefault(f.stem.rsplit("__s", 1)[0], []).append(f)
    out = []
    for stem, members in groups.items():
        if len(members) < 2:
            continue
        zs = [np.load(f) for f in members]
        arrays = {k: zs[0][k] for k in zs[0].files}
        for key in ("model", "model_mirror", "model_tta"):
            if key in arrays:
                arrays[key] = normalise_rows(np.concatenate([z[key] for z in zs], axis=1))
        target = members[0].with_name(f"{stem}__ens{len(members)}.npz")
        np.savez_compressed(target, **arrays)
        out.append(target)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m training.sign_encoder.query_time")
    p.add_argument("folder")
    p.add_argument("--config", required=True, help="config name prefix of the .npz files")
    p.add_argument("--json")
    p.add_argument("--ensemble", action="store_true", help="also score seed ensembles per split")
    args = p.parse_args(argv)
    files = sorted(
        f for f in Path(args.folder).glob(f"{args.config}*.npz") if "__ens" not in f.stem
    )
    if args.ensemble:
        files += seed_ensembles(files)
    per_split = {f.stem.split("__", 1)[1]: score_split(f) for f in files}
    rows: dict[str, dict[str, float]] = {}
    for split, res in per_split.items():
        for key, sets in res.items():
            for set_name, (ap, r1) in sets.items():
                rows.setdefault(key, {})[f"{split}/{set_name}|map"] = ap
                rows.setdefault(key, {})[f"{split}/{set_name}|r1"] = r1
    print(f"{len(per_split)} splits: {', '.join(per_split)}")
    sets = sorted({k.split("|")[0].split("/")[-1] for r in rows.values() for k in r})
    print(f"{'regime|scorer|re-ranker':52s}" + "".join(f"{s[-10:]:>22s}" for s in sets))
    for key in sorted(rows):
        cells = []
        for set_name in sets:
            maps = [v for k, v in rows[key].items() if k.endswith(f"{set_name}|map")]
            r1 = [v for k, v in rows[key].items() if k.endswith(f"{set_name}|r1")]
            cells.append(f"{np.mean(maps):.3f}/{np.mean(r1):.3f} n{len(maps)}" if maps else "-")
        print(f"{key:52s}" + "".join(f"{c:>22s}" for c in cells))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
