"""Cross-signer protocols: is a stranger's take found? The headline for every scorer choice.

Every take of the multi-signer sets is embedded once by the scorer under test (the library's own
``Embedder``, so what is scored here is what the app ranks), then ranked under each protocol:

- ``ufpb`` / ``gislr`` **signers**: leave one signer out, for every signer: the queries are
  that signer's takes, the gallery every take of the other signers. Figures are the mean over
  signers and the **worst signer** (lowest mAP).
- ``ufpb`` / ``gislr`` **one-shot**: the dictionary regime. For every query signer and every
  other signer as "the dictionary", the gallery is one take per sign (drawn with a fixed seed)
  by that one other signer; a signer's figures are the mean over dictionaries.
- ``bberaldo`` halves / one-shot: the single-signer Libras set (first half of each sign's takes
  the gallery, second half the queries; one-shot: one take per sign from the first half, mean of
  5 draws). Not cross-signer, but the unseen-signer set of the bundle (never trained on).

Metrics (``signlookup.encoder.metrics``): mAP, hit@1/5/10, MRR, DCG. ufpb has no hand landmarks
(pose only); gislr is 2 ASL signs by 21 phone signers. Frames past ``lengths`` are padding.

    python -m training.sign_encoder.signers --scorer features --scorer bundle \
        --json training/sign_encoder/results/signers.json
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np

from signlookup.encoder.jittered import embed_jittered
from signlookup.encoder.metrics import look_up_metrics, per_group_metrics, rank_queries
from signlookup.index.metric import GalleryMetric
from signlookup.pose.io import load_keypoint_set
from signlookup.pose.sequence import PoseSequence
from training.sign_encoder.data import SHARED_KEYPOINTS

KS = (1, 5, 10)
REPORTED = ("map", "hit@1", "hit@5", "hit@10", "mrr", "dcg")
MULTI_SIGNER_SETS = {"ufpb": "libras_ufpb_pose", "gislr": "gislr_asl_2signs"}
ONE_SHOT_DRAWS = 5


@dataclass
class Takes:
    """Every take of one set: sequences, labels, signers, take ids."""

    sequences: list[PoseSequence]
    labels: np.ndarray
    signers: np.ndarray
    takes: np.ndarray


def load_takes(file_stem: str, root: Path = SHARED_KEYPOINTS) -> Takes:
    ks = load_keypoint_set(root / f"{file_stem}.npz")
    keep = np.flatnonzero(ks.y != "-")
    signers = ks.signer if ks.signer is not None else np.full(len(ks.y), file_stem)
    takes = np.array([int(s) if s.isdigit() else i for i, s in enumerate(ks.seq)])
    return Takes([ks.sequence(i) for i in keep], ks.y[keep], signers[keep], takes[keep])


def _mean_metrics(items: list[dict]) -> dict:
    return {k: float(np.mean([m[k] for m in items])) for k in REPORTED}


def _summary(per_signer: dict[str, dict]) -> dict:
    """Mean over signers, the worst signer (lowest mAP) and every signer's figures."""
    worst = min(per_signer, key=lambda s: (per_signer[s]["map"], per_signer[s]["hit@1"], s))
    return {
        "mean": _mean_metrics(list(per_signer.values())),
        "worst_signer": worst,
        "worst": {k: per_signer[worst][k] for k in REPORTED},
        "per_signer": {s: {k: per_signer[s][k] for k in REPORTED} for s in per_signer},
    }


#: (query vectors, gallery vectors, gallery labels, the gallery's jittered takes or None)
#: -> scores (Q, G)
Scoring = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None], np.ndarray]


def cosine(q: np.ndarray, g: np.ndarray, g_labels: np.ndarray, g_jittered=None) -> np.ndarray:
    """The plain cosine (how the app ranked before the gallery metric)."""
    return q @ g.T


def in_gallery_metric(
    q: np.ndarray, g: np.ndarray, g_labels: np.ndarray, g_jittered: np.ndarray | None = None
) -> np.ndarray:
    """The app's score: the cosine in the metric fitted on this gallery (index/metric.py), with
    its takes' jittered copies when given (as the app's galleries make them)."""
    metric = GalleryMetric.fit(g, g_labels, jittered=g_jittered)
    return metric.apply(q) @ metric.apply(g).T


def _rows(jittered: np.ndarray | None, rows) -> np.ndarray | None:
    return None if jittered is None else jittered[rows]


def leave_signers_out(
    vectors, labels, signers, score: Scoring = in_gallery_metric, jittered=None
) -> dict:
    """Each signer's takes against every take of the others."""
    rankings, ranks, groups = [], [], []
    for s in np.unique(signers):
        q, g = signers == s, signers != s
        found, sign_rank = rank_queries(
            score(vectors[q], vectors[g], labels[g], _rows(jittered, g)), labels[q], labels[g]
        )
        rankings += found
        ranks.append(sign_rank)
        groups += [str(s)] * int(q.sum())
    return _summary(per_group_metrics(rankings, groups, KS, np.concatenate(ranks))["per_group"])


def one_shot_signers(
    vectors, labels, signers, score: Scoring = in_gallery_metric, seed: int = 0, jittered=None
) -> dict:
    """Each signer's takes against one take per sign by one other signer, for every other."""
    rng = np.random.default_rng(seed)
    per = {}
    people = np.unique(signers)
    for s in people:
        q = np.flatnonzero(signers == s)
        runs = []
        for d in people[people != s]:
            by_d = np.flatnonzero(signers == d)
            g = np.array([rng.choice(by_d[labels[by_d] == c]) for c in np.unique(labels[by_d])])
            found = score(vectors[q], vectors[g], labels[g], _rows(jittered, g))
            m = look_up_metrics(found, labels[q], labels[g], KS)
            if m["n_queries"]:
                runs.append(m)
        per[str(s)] = _mean_metrics(runs)
    return _summary(per)


def halves(labels: np.ndarray, takes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per class, first half of its takes (by take id) the gallery, second half the queries."""
    gallery, queries = [], []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        idx = idx[np.argsort(takes[idx], kind="stable")]
        gallery.append(idx[: len(idx) // 2])
        queries.append(idx[len(idx) // 2 :])
    return np.concatenate(gallery), np.concatenate(queries)


def single_signer(
    vectors, labels, takes, score: Scoring = in_gallery_metric, jittered=None
) -> dict:
    """Halves, and one-shot galleries (one first-half take per class, mean of 5 draws)."""
    g, q = halves(labels, takes)
    out = {
        "halves": look_up_metrics(
            score(vectors[q], vectors[g], labels[g], _rows(jittered, g)), labels[q], labels[g], KS
        )
    }
    rng = np.random.default_rng(0)
    runs = []
    for _ in range(ONE_SHOT_DRAWS):
        one = np.array([rng.choice(g[labels[g] == c]) for c in np.unique(labels[g])])
        runs.append(
            look_up_metrics(
                score(vectors[q], vectors[one], labels[one], _rows(jittered, one)),
                labels[q],
                labels[one],
                KS,
            )
        )
    out["one_shot"] = _mean_metrics(runs)
    out["halves"] = {k: out["halves"][k] for k in REPORTED}
    return out


def run_protocols(embed: Callable[[list[PoseSequence]], np.ndarray], data: dict[str, Takes],
                  score: Scoring = in_gallery_metric,
                  jitter: Callable[[list[PoseSequence]], np.ndarray | None] | None = None
                  ) -> dict:  # fmt: skip
    """Every protocol for one scorer; ``data`` from :func:`load_all`; ``jitter``: each take's
    jittered copies (``signlookup.encoder.jittered``), for the metric as the app fits it."""
    out = {}
    for short in MULTI_SIGNER_SETS:
        t = data[short]
        v, j = embed(t.sequences), jitter(t.sequences) if jitter else None
        out[f"{short}_signers"] = leave_signers_out(v, t.labels, t.signers, score, j)
        out[f"{short}_one_shot"] = one_shot_signers(v, t.labels, t.signers, score, jittered=j)
    t = data["bberaldo"]
    j = jitter(t.sequences) if jitter else None
    out["bberaldo"] = single_signer(embed(t.sequences), t.labels, t.takes, score, j)
    return out


def load_all(root: Path = SHARED_KEYPOINTS) -> dict[str, Takes]:
    data = {short: load_takes(stem, root) for short, stem in MULTI_SIGNER_SETS.items()}
    data["bberaldo"] = load_takes("libras_bberaldo", root)
    return data


def headline(result: dict) -> dict[str, float]:
    """The figures a table row shows."""
    return {
        "ufpb mAP": result["ufpb_signers"]["mean"]["map"],
        "ufpb worst mAP": result["ufpb_signers"]["worst"]["map"],
        "ufpb hit@1": result["ufpb_signers"]["mean"]["hit@1"],
        "ufpb 1-shot hit@1": result["ufpb_one_shot"]["mean"]["hit@1"],
        "ufpb 1-shot worst mAP": result["ufpb_one_shot"]["worst"]["map"],
        "gislr mAP": result["gislr_signers"]["mean"]["map"],
        "gislr worst mAP": result["gislr_signers"]["worst"]["map"],
        "gislr 1-shot hit@1": result["gislr_one_shot"]["mean"]["hit@1"],
        "gislr 1-shot worst hit@1": result["gislr_one_shot"]["worst"]["hit@1"],
        "bberaldo mAP": result["bberaldo"]["halves"]["map"],
        "bberaldo 1-shot mAP": result["bberaldo"]["one_shot"]["map"],
    }


def table(rows: dict[str, dict]) -> str:
    """Markdown table: one row per scorer / variant, the headline figures as columns."""
    heads = {name: headline(r) for name, r in rows.items()}
    cols = list(next(iter(heads.values())))
    lines = ["| scorer | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for name, h in heads.items():
        lines.append(f"| {name} | " + " | ".join(f"{h[c]:.3f}" for c in cols) + " |")
    return "\n".join(lines)


def open_set(embed: Callable[[list[PoseSequence]], np.ndarray],
             score: Scoring = in_gallery_metric) -> dict:  # fmt: skip
    """The issue-10/12 open-set protocol for a training-free scorer: the held-out classes of
    class splits 0-2 (asl_traduttore 30%, libras_bberaldo 35%), halves within each set, mean
    of the two sets' mAP; mean and sd over splits. A trained model must not be scored here
    unless the split's classes were held out of its training (the shipped bundle trained on
    all of ASL)."""
    from training.sign_encoder import data as D

    sets = ("asl_traduttore", "libras_bberaldo")
    takes = {name: load_takes(name) for name in sets}
    vectors = {n: embed(takes[n].sequences) for n in sets}
    labels = np.concatenate([[f"{n}/{y}" for y in takes[n].labels] for n in sets])
    names = np.concatenate([np.full(len(takes[n].labels), n) for n in sets])
    meta = D.PoseData(np.zeros((len(labels), 1)), np.zeros((len(labels), 1)), labels, names,
                      np.concatenate([takes[n].takes for n in sets]))  # fmt: skip
    offsets = dict(zip(sets, np.cumsum([0] + [len(takes[n].labels) for n in sets]), strict=False))
    maps = []
    for seed in range(3):
        held_out = D.open_set_split(meta, seed)[1]
        per_set = []
        for n in sets:
            rows = np.flatnonzero(held_out[offsets[n] : offsets[n] + len(takes[n].labels)])
            t = takes[n]
            found = single_signer(vectors[n][rows], t.labels[rows], t.takes[rows], score)
            per_set.append(found["halves"]["map"])
        maps.append(float(np.mean(per_set)))
    return {"map_mean": float(np.mean(maps)), "map_sd": float(np.std(maps)), "per_split": maps}


def scorer(name: str):
    """``features`` (FeatureEmbedder), ``bundle`` (the shipped fused scorer), ``bundle-model``."""
    from signlookup.encoder import FeatureEmbedder
    from signlookup.encoder.bundle import load_bundled_embedder
    from signlookup.encoder.default import default_model_path

    if name == "features":
        return FeatureEmbedder()
    if name in ("bundle", "bundle-model"):
        return load_bundled_embedder(default_model_path(), fusion=name == "bundle")
    raise SystemExit(f"unknown scorer {name!r}: features, bundle, bundle-model")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scorer", action="append", default=None,
                   help="features | bundle | bundle-model (repeatable; default features)")  # fmt: skip
    p.add_argument("--json", default=None, help="write every figure (per signer too) here")
    p.add_argument("--plain-cosine", action="store_true",
                   help="rank by the plain cosine, without the gallery metric (as before issue 22)")  # fmt: skip
    p.add_argument("--no-jitter", action="store_true",
                   help="fit the metric without jittered takes (as before the fourth session)")  # fmt: skip
    p.add_argument("--open-set", action="store_true",
                   help="also the open-set class splits (training-free scorers only)")  # fmt: skip
    a = p.parse_args()
    data = load_all()
    score = cosine if a.plain_cosine else in_gallery_metric
    rows = {}
    for name in a.scorer or ["features"]:
        emb = scorer(name)
        t0 = time.time()
        jitter = None if a.plain_cosine or a.no_jitter else partial(embed_jittered, emb)
        rows[f"{name} ({emb.name})"] = run_protocols(emb.embed, data, score, jitter)
        if a.open_set and name == "features":
            found = open_set(emb.embed, score)
            rows[f"{name} ({emb.name})"]["open_set"] = found
            print(f"{name}: open-set mAP {found['map_mean']:.3f} ± {found['map_sd']:.3f}")
        print(f"{name}: {time.time() - t0:.0f} s", flush=True)
    print(table(rows))
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
