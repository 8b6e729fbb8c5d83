"""How well the "no close match" verdict tells absent signs from present ones (issue 19).

Run: ``python -m benchmarks.verdict_bench [--scorer bundle|features] [--cache DIR] [--write]``.
Open-set protocols on ../shared/data keypoints, half of the signs removed from each gallery:

- **bberaldo, one signer**: libras_bberaldo (never trained on by the bundle); gallery = the first
  1 or 3 takes of 5 random signs of 11, queries = the second half of every sign's takes; 8 draws.
- **ufpb, same signer** / **ufpb, cross-signer**: libras_ufpb_pose (6 signers, no hand landmarks);
  gallery = one signer's first 1 or 3 takes of 12 random signs of 24; queries = that signer's
  other takes (same signer) or every take of the 5 other signers; 6 signers x 2 draws.
- **ufpb, 5 other signers**: the multi-signer gallery (what the gallery metric learns from):
  every take by the 5 other signers of 12 random signs; queries = every take of the held-out
  signer; 6 signers x 2 draws.
- **gislr -> asl gallery, cross-signer**: gallery = asl_traduttore's first 1 or 3 takes of 16 of
  its 32 signs, always exactly one of hello / thank-you; queries = all 747 gislr_asl_2signs takes
  (21 phone signers); 8 draws. The bundle trained on asl_traduttore (not on gislr).

For each gallery the library's calibration (``signlookup.verdict.calibrate``) is swept over its
quantile; flagged_absent / flagged_present are the shares of absent- / present-sign queries flagged,
"flagged correct" the share of present queries with a correct top-1 that are flagged. AUROC is
threshold-free (how well the rule's score ranks present above absent queries). The three other
rules are scored the same way with the same leave-one-gloss-out calibration, for comparison.
The last table sets the top-1 threshold from both sides of the gallery's own simulation
(``calibration_thresholds``: absent-like and present-like scores), with the gallery's metric as is
and refitted without what each simulated query leaves out.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import numpy as np

from signlookup.index.metric import GalleryMetric
from signlookup.pose.sequence import PoseSequence
from signlookup.verdict import absent_like_scores, calibrate, flag_rates

REPO = Path(__file__).resolve().parents[1]
KEYPOINTS = REPO.parent / "shared" / "data" / "keypoints"
DOC = REPO / "docs" / "verdict.md"
QUANTILES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
#: Entries simulated per gallery when the metric is refitted for each (one fit each).
REFIT_SAMPLE = 60

Trial = tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]  # gallery vecs, labels, queries, labels, the gallery's jittered takes (NaN: none)
#: Takes per (signer, sign) that any protocol may put in a gallery of few takes per sign: their
#: jittered copies are embedded (the app's metric fits on them; index/metric.py).
JITTERED_TAKES = 3


def _embedder(scorer: str):
    from signlookup.encoder.default import load_default_embedder
    from signlookup.encoder.feature_embedder import FeatureEmbedder

    return load_default_embedder() if scorer == "bundle" else FeatureEmbedder()


def embed_set(name: str, scorer: str, cache: Path | None) -> dict[str, np.ndarray]:
    """Embeddings E, jittered takes J (the first JITTERED_TAKES of each signer's sign; NaN for
    the rest and for gislr, never a gallery) and y / signer / seq of one keypoint set (padded
    frames cut by ``lengths``)."""
    path = cache / f"{scorer}_{name}.npz" if cache else None
    if path is not None and path.exists():
        with np.load(path) as d:
            out = {k: d[k] for k in d.files}
        if "J" in out:
            return out
        embedder, seqs = _embedder(scorer), _set_sequences(name)
    else:
        embedder = _embedder(scorer)
        out, seqs = _embed_new(name, embedder)
    out["J"] = _jitter_set(name, embedder, seqs, out)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, **out)
    return out


def _set_sequences(name: str) -> list[PoseSequence]:
    with np.load(KEYPOINTS / f"{name}.npz") as d:
        X = d["X"].astype(np.float32)
        lengths = d["lengths"] if "lengths" in d.files else np.full(len(X), X.shape[1])
    return [
        PoseSequence.from_zero_filled(x[: max(int(n), 1)]) for x, n in zip(X, lengths, strict=True)
    ]


def _jitter_set(name: str, embedder, seqs: list[PoseSequence], d: dict) -> np.ndarray:
    from signlookup.encoder.jittered import embed_jittered
    from signlookup.features.jitter import COPIES_PER_TAKE

    out = np.full((len(seqs), COPIES_PER_TAKE, d["E"].shape[1]), np.nan, np.float16)
    if name == "gislr_asl_2signs":
        return out
    rows = np.concatenate([
        first_takes((d["signer"] == p) & (d["y"] == s), d["seq"], JITTERED_TAKES)
        for p in np.unique(d["signer"]) for s in np.unique(d["y"])
    ])  # fmt: skip
    rows = rows[~np.isnan(d["E"][rows]).any(axis=1)]
    refused = np.full(out.shape[1:], np.nan, np.float32)  # a take the pipeline refuses
    for start in range(0, len(rows), 64):
        part = rows[start : start + 64]
        out[part] = _embed_or_nan(partial(embed_jittered, embedder), [seqs[i] for i in part],
                                  refused)  # fmt: skip
    return out


def _embed_new(name: str, embedder) -> tuple[dict[str, np.ndarray], list[PoseSequence]]:
    seqs = _set_sequences(name)
    with np.load(KEYPOINTS / f"{name}.npz") as d:
        out = {
            "y": d["y"].astype(str),
            "seq": d["seq"].astype(str),
            "signer": d["signer"].astype(str) if "signer" in d.files else np.full(len(seqs), ""),
        }
    refused = np.full(embedder.dim, np.nan, np.float32)
    out["E"] = np.concatenate(
        [_embed_or_nan(embedder.embed, seqs[i : i + 128], refused)
         for i in range(0, len(seqs), 128)]
    )  # fmt: skip
    return out, seqs


def _embed_or_nan(
    embed: Callable[[list[PoseSequence]], np.ndarray], seqs: list[PoseSequence], refused: np.ndarray
) -> np.ndarray:
    """A batch's rows; a clip the pipeline refuses (e.g. no shoulders) gets ``refused`` (NaN)."""
    try:
        return embed(seqs)
    except ValueError:
        rows = []
        for seq in seqs:
            try:
                rows.append(embed([seq])[0])
            except ValueError:
                rows.append(refused)
        return np.stack(rows)


def usable(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The clips that could be embedded."""
    ok = ~np.isnan(d["E"]).any(axis=1)
    return {k: v[ok] for k, v in d.items()}


def first_takes(mask: np.ndarray, seq: np.ndarray, n: int) -> np.ndarray:
    idx = np.flatnonzero(mask)
    return idx[np.argsort(seq[idx], kind="stable")][:n]


def bberaldo(d: dict, per_sign: int) -> Iterator[Trial]:
    E, y, seq = d["E"], d["y"], d["seq"]
    signs = np.unique(y)
    queries = np.concatenate([first_takes(y == s, seq, 10**6)[50:] for s in signs])
    for draw in range(8):
        keep = np.random.default_rng(draw).choice(signs, len(signs) // 2, replace=False)
        gi = np.concatenate([first_takes(y == s, seq, per_sign) for s in keep])
        yield E[gi], y[gi], E[queries], y[queries], d["J"][gi]


def ufpb(d: dict, per_sign: int, cross_signer: bool) -> Iterator[Trial]:
    E, y, seq, signer = d["E"], d["y"], d["seq"], d["signer"]
    signs = np.unique(y)
    for draw in range(2):
        rng = np.random.default_rng(draw)
        for person in np.unique(signer):
            keep = rng.choice(signs, len(signs) // 2, replace=False)
            gi = np.concatenate(
                [first_takes((signer == person) & (y == s), seq, per_sign) for s in keep]
            )
            qi = np.flatnonzero(signer != person if cross_signer else signer == person)
            qi = np.setdiff1d(qi, gi)
            yield E[gi], y[gi], E[qi], y[qi], d["J"][gi]


def ufpb_other_signers(d: dict) -> Iterator[Trial]:
    """A gallery of several signers (where the gallery metric learns what to ignore): every
    take by the 5 other signers of 12 random signs; queries: every take of the held-out one."""
    E, y, signer = d["E"], d["y"], d["signer"]
    signs = np.unique(y)
    for draw in range(2):
        rng = np.random.default_rng(draw)
        for person in np.unique(signer):
            keep = rng.choice(signs, len(signs) // 2, replace=False)
            gi = np.flatnonzero((signer != person) & np.isin(y, keep))
            qi = np.flatnonzero(signer == person)
            yield E[gi], y[gi], E[qi], y[qi], d["J"][gi]


def gislr_to_asl(asl: dict, gislr: dict, per_sign: int) -> Iterator[Trial]:
    ok = asl["y"] != "-"
    E, y, seq, J = asl["E"][ok], asl["y"][ok], asl["seq"][ok], asl["J"][ok]
    qy = np.where(gislr["y"] == "thankyou", "thank-you", gislr["y"])
    others = np.array([s for s in np.unique(y) if s not in ("hello", "thank-you")])
    for draw in range(8):
        keep = [*np.random.default_rng(draw).choice(others, 15, replace=False)]
        keep.append(("hello", "thank-you")[draw % 2])
        gi = np.concatenate([first_takes(y == s, seq, per_sign) for s in keep])
        yield E[gi], y[gi], gislr["E"], qy, J[gi]


# --- the rules compared (only "top1" is in the library) --------------------------------------


def _gloss_max(scores: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per query the best score of each gloss, sorted descending, and the glosses in that order."""
    glosses = np.unique(labels)
    best = np.stack([scores[:, labels == g].max(axis=1) for g in glosses], axis=1)
    order = np.argsort(-best, axis=1)
    return np.take_along_axis(best, order, axis=1), glosses[order]


#: Pairs of rules combined by a logistic rule fitted on the gallery's own simulation.
COMBINED = (("top1 (library)", "top1 - top2"), ("top1 (library)", "z of top1 over all entries"),
            ("top1 (library)", "top1 - query mean"))  # fmt: skip


def rule_scores(
    scores: np.ndarray, g_vecs: np.ndarray, g_labels: np.ndarray
) -> dict[str, np.ndarray]:
    """Confidence of each rule (higher = closer match) for queries' scores (Q, G)."""
    best, _ = _gloss_max(scores, g_labels)
    rest = best[:, 1:11]
    # the top entry's own nearest other-gloss score in the gallery (per-entry calibration)
    top_entry = scores.argmax(axis=1)
    gg = g_vecs @ g_vecs.T
    own = np.array([gg[e, g_labels != g_labels[e]].max() for e in top_entry])
    mean, sd = scores.mean(axis=1), np.maximum(scores.std(axis=1), 1e-6)
    return {
        "top1 (library)": best[:, 0],
        "top1 - top2": best[:, 0] - best[:, 1],
        "z of top1 over the next 10 glosses": (best[:, 0] - rest.mean(1))
        / np.maximum(rest.std(1), 1e-3),
        "top1 - top entry's nearest other gloss": best[:, 0] - own,
        # standardised against the query's own scores over the gallery (a signer offset cancels)
        "top1 - query mean": best[:, 0] - mean,
        "z of top1 over all entries": (best[:, 0] - mean) / sd,
    }


def loo_rule_scores(
    g_vecs: np.ndarray,
    g_labels: np.ndarray,
    leave: str = "gloss",
    refit_from: np.ndarray | None = None,
    sample: int | None = None,
    jittered: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """The same rules for each gallery entry searched against the gallery without its gloss
    (``leave="gloss"``: absent-like) or without only itself (``"entry"``: present-like, for
    entries whose gloss has another take; empty for a gallery of one take per sign).

    ``g_vecs`` are in the whole gallery's metric, which has learnt the left-out entry's own
    within-sign differences: a present-like score there is far higher than a real new take's.
    ``refit_from`` (the raw vectors) refits the metric on what is kept, as a real query meets
    it (with the kept entries' ``jittered`` takes, as the app fits); then only ``sample``
    entries (seeded) are simulated, each refit costing a fit."""
    out: dict[str, list[float]] = {}
    rows = np.arange(len(g_labels))
    if sample is not None and len(rows) > sample:
        rows = np.sort(np.random.default_rng(0).choice(rows, sample, replace=False))
    metrics: dict[str, GalleryMetric] = {}  # leave="gloss": one refit per gloss
    for i in rows:
        label = g_labels[i]
        keep = g_labels != label if leave == "gloss" else np.arange(len(g_labels)) != i
        if leave == "entry" and not (g_labels[keep] == label).any():
            continue
        if len(np.unique(g_labels[keep])) < 2:
            continue
        vecs = g_vecs
        if refit_from is not None:
            if leave != "gloss" or label not in metrics:
                metrics[label] = GalleryMetric.fit(
                    refit_from[keep],
                    g_labels[keep],
                    jittered=None if jittered is None else jittered[keep],
                )
            vecs = metrics[label].apply(refit_from)
        scores = vecs[[i]] @ vecs[keep].T
        for name, value in rule_scores(scores, vecs[keep], g_labels[keep]).items():
            out.setdefault(name, []).append(float(value[0]))
    return {k: np.asarray(v) for k, v in out.items()}


#: Present-like scores needed before the present side may set a threshold (else rule (a)).
MIN_PRESENT_LIKE = 5


def calibration_thresholds(absent_like: np.ndarray, present_like: np.ndarray) -> dict:
    """Thresholds of the calibration rules from the gallery's own simulation: (a) a quantile
    of the absent-like top-1 (the library's), (b) a low quantile of the present-like top-1
    (aims at flagged_present directly), their min / max, and the equal-error point (as many
    absent-like scores above it as present-like below). (b) and after fall back to (a) with
    fewer than MIN_PRESENT_LIKE present-like scores (one take per sign)."""
    a = float(np.quantile(absent_like, 0.7))
    out = {"(a) absent q 0.7": a}
    enough = len(present_like) >= MIN_PRESENT_LIKE
    for p in (0.10, 0.05):
        out[f"(b) present p {p:.2f}"] = float(np.quantile(present_like, p)) if enough else a
    b = out["(b) present p 0.10"]
    out["min(a, b 0.10)"], out["max(a, b 0.10)"] = min(a, b), max(a, b)
    if enough:
        cand = np.unique(np.concatenate([absent_like, present_like]))
        gap = [abs((absent_like >= t).mean() - (present_like < t).mean()) for t in cand]
        out["equal error"] = float(cand[int(np.argmin(gap))])
    else:
        out["equal error"] = a
    return out


def combined_rules(
    conf: dict[str, np.ndarray], absent_like: dict[str, np.ndarray], present_like: dict
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Logistic rules on two features, fitted on the gallery's own simulation only (absent:
    leave-one-gloss-out, present: leave-one-entry-out); their confidences for the queries and
    for the absent-like simulation (the calibration). Nothing when there is no present-like
    simulation (one take per sign)."""
    from sklearn.linear_model import LogisticRegression

    queries, calibration = {}, {}
    if not present_like:
        return queries, calibration
    for pair in COMBINED:
        a = np.column_stack([absent_like[f] for f in pair])
        p = np.column_stack([present_like[f] for f in pair])
        x = np.concatenate([a, p])
        mean, sd = x.mean(0), np.maximum(x.std(0), 1e-6)
        model = LogisticRegression().fit((x - mean) / sd, np.r_[np.zeros(len(a)), np.ones(len(p))])
        name = "logistic (" + " + ".join(f.replace(" (library)", "") for f in pair) + ")"
        queries[name] = model.decision_function(
            (np.column_stack([conf[f] for f in pair]) - mean) / sd
        )
        calibration[name] = model.decision_function((a - mean) / sd)
    return queries, calibration


def auroc(present: np.ndarray, absent: np.ndarray) -> float:
    """P(a present query scores above an absent one), ties counted half."""
    both = np.concatenate([present, absent])
    ranks = np.argsort(np.argsort(both, kind="stable"), kind="stable") + 1.0
    for value in np.unique(both):  # average ranks of ties
        tied = both == value
        ranks[tied] = ranks[tied].mean()
    n_p, n_a = len(present), len(absent)
    return float((ranks[:n_p].sum() - n_p * (n_p + 1) / 2) / (n_p * n_a))


def score_protocol(trials: Callable[[], Iterator[Trial]]) -> dict:
    """Mean over trials: R@1 of present queries, per-quantile rates of the library rule, AUROCs."""
    rows: dict[str, list] = {"recall@1": [], "auroc": {}, "rates": {q: [] for q in QUANTILES},
                             "other_rules": {}, "calibrations": {}}  # fmt: skip
    for g_raw, g_labels, q_raw, q_labels, g_jit in trials():
        # the app's scorer: the gallery's metric, fitted with its takes' jittered copies
        metric = GalleryMetric.fit(g_raw, g_labels, jittered=g_jit)
        g_vecs, q_vecs = metric.apply(g_raw), metric.apply(q_raw)
        scores = q_vecs @ g_vecs.T
        present = np.isin(q_labels, g_labels)
        correct = g_labels[scores.argmax(axis=1)] == q_labels
        rows["recall@1"].append(correct[present].mean())
        rules = rule_scores(scores, g_vecs, g_labels)
        loo = loo_rule_scores(g_vecs, g_labels)
        np.testing.assert_allclose(  # the library's calibration scores are the LOO top-1
            np.sort(absent_like_scores(g_vecs, g_labels)), np.sort(loo["top1 (library)"]), atol=1e-5
        )
        present_loo = loo_rule_scores(g_vecs, g_labels, "entry")
        fitted, fitted_loo = combined_rules(rules, loo, present_loo)
        top1 = "top1 (library)"
        simulations = {  # the gallery's metric as is, and refitted without what is left out
            "gallery metric": (loo[top1], present_loo.get(top1, np.zeros(0))),
            "metric refitted": tuple(
                loo_rule_scores(g_vecs, g_labels, leave, g_raw, REFIT_SAMPLE, g_jit).get(
                    top1, np.zeros(0)
                )
                for leave in ("gloss", "entry")
            ),
        }
        for sim, (absent_like, present_like) in simulations.items():
            for name, t in calibration_thresholds(absent_like, present_like).items():
                flagged = scores.max(axis=1) < t
                rows["calibrations"].setdefault((sim, name), []).append(
                    (flagged[~present].mean(), flagged[present].mean(), len(present_like))
                )
        rules, loo = {**rules, **fitted}, {**loo, **fitted_loo}
        for name, conf in rules.items():
            rows["auroc"].setdefault(name, []).append(auroc(conf[present], conf[~present]))
            flagged = conf < np.quantile(loo[name], 0.7)
            # the best any threshold of this rule could do: flag 10% of present queries
            best = conf[~present] < np.quantile(conf[present], 0.10)
            rows["other_rules"].setdefault(name, []).append(
                (flagged[~present].mean(), flagged[present].mean(), best.mean())
            )
        for q in QUANTILES:
            r = flag_rates(scores.max(axis=1), present, calibrate(g_vecs, g_labels, q))
            on_correct = flag_rates(scores.max(axis=1)[correct], np.ones(correct.sum(), bool),
                                    calibrate(g_vecs, g_labels, q))["flagged_present"]  # fmt: skip
            rows["rates"][q].append((r["flagged_absent"], r["flagged_present"], on_correct))
    return {
        "n_trials": len(rows["recall@1"]),
        "recall@1": float(np.mean(rows["recall@1"])),
        "auroc": {k: float(np.mean(v)) for k, v in rows["auroc"].items()},
        "rates": {q: tuple(float(x) for x in np.mean(v, axis=0)) for q, v in rows["rates"].items()},
        "other_rules": {
            k: tuple(float(x) for x in np.mean(v, axis=0)) for k, v in rows["other_rules"].items()
        },
        "calibrations": {
            k: tuple(float(x) for x in np.mean(v, axis=0)) for k, v in rows["calibrations"].items()
        },
    }


def protocols(scorer: str, cache: Path | None) -> dict[str, Callable[[], Iterator[Trial]]]:
    bb, uf, asl, gl = (
        usable(embed_set(name, scorer, cache))
        for name in ("libras_bberaldo", "libras_ufpb_pose", "asl_traduttore", "gislr_asl_2signs")
    )
    out: dict[str, Callable[[], Iterator[Trial]]] = {}
    out["ufpb, 5 other signers, all takes"] = lambda: ufpb_other_signers(uf)
    for per in (1, 3):
        out[f"bberaldo, one signer, {per}/sign"] = lambda per=per: bberaldo(bb, per)
        out[f"ufpb, same signer, {per}/sign"] = lambda per=per: ufpb(uf, per, False)
        out[f"ufpb, cross-signer, {per}/sign"] = lambda per=per: ufpb(uf, per, True)
        out[f"gislr -> asl gallery, cross-signer, {per}/sign"] = lambda per=per: gislr_to_asl(
            asl, gl, per
        )
    return out


def report(results: dict[str, dict], scorer: str) -> str:
    lines = [f"Scorer: **{scorer}**. Each cell of the curve: flagged_absent / flagged_present / "
             "flagged among present queries whose top-1 is right, at the calibration quantile q.", "",
             "| protocol | trials | R@1 (present) | AUROC top1 | " + " | ".join(f"q {q}" for q in QUANTILES) + " |",
             "|---|---|---|---|" + "---|" * len(QUANTILES)]  # fmt: skip
    for name, r in results.items():
        cells = " | ".join("{:.2f} / {:.2f} / {:.2f}".format(*r["rates"][q]) for q in QUANTILES)
        lines.append(
            f"| {name} | {r['n_trials']} | {r['recall@1']:.3f} | {r['auroc']['top1 (library)']:.3f} | {cells} |"
        )
    rules = list(dict.fromkeys(k for r in results.values() for k in r["auroc"]))
    lines += ["", "Rules compared. Each cell: AUROC (flagged_absent / flagged_present at q 0.7 of "
              "the rule's own leave-one-gloss-out distribution; **flagged_absent at the threshold "
              "that flags 10% of present queries**, chosen on the queries themselves: the best "
              "any threshold of that rule could do). Logistic rules need two takes of a sign in "
              "the gallery to simulate present queries (- for one take per sign).", "",
              "| protocol | " + " | ".join(rules) + " |", "|---|" + "---|" * len(rules)]  # fmt: skip
    for name, r in results.items():
        cells = " | ".join(
            "{:.3f} ({:.2f} / {:.2f}; **{:.2f}**)".format(r["auroc"][k], *r["other_rules"][k])
            if k in r["auroc"]
            else "-"
            for k in rules
        )
        lines.append(f"| {name} | {cells} |")
    calibrations = list(dict.fromkeys(k for r in results.values() for k in r["calibrations"]))
    names = list(dict.fromkeys(name for _, name in calibrations))
    lines += ["", "Calibration rules (the top-1 score; the threshold set on the gallery alone). "
              "Each cell: flagged_absent / flagged_present. The simulation: absent-like = each "
              "entry against the gallery without its gloss, present-like = without only itself "
              "(entries whose sign has another take; mean count per gallery in the third "
              f"column), both in the gallery's metric as is or refitted without what is left out "
              f"({REFIT_SAMPLE} entries sampled). Rules other than (a) fall back to (a) under "
              f"{MIN_PRESENT_LIKE} present-like scores.", "",
              "| protocol | simulation | present-like | " + " | ".join(names) + " |",
              "|---|---|---|" + "---|" * len(names)]  # fmt: skip
    for name, r in results.items():
        for sim in dict.fromkeys(k for k, _ in calibrations):
            got = [r["calibrations"][(sim, rule)] for rule in names]
            cells = " | ".join(f"{fa:.2f} / {fp:.2f}" for fa, fp, _ in got)
            lines.append(f"| {name} | {sim} | {got[0][2]:.0f} | {cells} |")
    return "\n".join(lines)


def write_split(folder: Path, per_sign: int = 3, draw: int = 0) -> None:
    """G.npz / Q.npz of one bberaldo draw (half of the signs absent) for ``signlookup eval``."""
    with np.load(KEYPOINTS / "libras_bberaldo.npz") as d:
        data = {k: d[k] for k in ("X", "y", "seq")}
    y, seq = data["y"].astype(str), data["seq"].astype(str)
    signs = np.unique(y)
    keep = np.random.default_rng(draw).choice(signs, len(signs) // 2, replace=False)
    gi = np.concatenate([first_takes(y == s, seq, per_sign) for s in keep])
    qi = np.concatenate([first_takes(y == s, seq, 10**6)[50:] for s in signs])
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("G", gi), ("Q", qi)):
        np.savez_compressed(folder / f"{name}.npz", **{k: v[rows] for k, v in data.items()})
    print(f"{folder}/G.npz: {len(gi)} takes of {', '.join(sorted(keep))}; Q.npz: {len(qi)} takes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorer", choices=("bundle", "features"), default="bundle")
    parser.add_argument("--cache", type=Path, help="keep the embeddings here between runs")
    parser.add_argument("--write", action="store_true", help=f"write the section of {DOC.name}")
    parser.add_argument("--write-split", type=Path, metavar="DIR",
                        help="only write G.npz / Q.npz of bberaldo draw 0 for signlookup eval")  # fmt: skip
    args = parser.parse_args()
    if args.write_split:
        write_split(args.write_split)
        return
    results = {
        name: score_protocol(trials) for name, trials in protocols(args.scorer, args.cache).items()
    }
    text = report(results, args.scorer)
    print(text)
    if args.write:
        from benchmarks.report import write_section

        write_section(f"verdict-{args.scorer}", text, DOC)


if __name__ == "__main__":
    main()
