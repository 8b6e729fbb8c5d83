"""A look-up session that adapts to its signer (signlookup.index.session), on strangers.

Each held-out signer looks up their takes one after another in a random order (3 orders), as a
person at the app's camera would; each look-up is freed of the signer's offset learnt from
their earlier ones (``adapt_in_order``, what the app's camera session does) and scored as the
app scores: the gallery metric, signs by all their takes. Protocols:

- ufpb / gislr signers: leave one signer out (the gallery: every take of the others);
- bberaldo halves: the gallery's own signer (a session should change nothing);
- gislr -> dictionary: gislr's 21 phone signers against 16 asl_traduttore signs, 1 or 3 takes
  each, one of hello / thank-you among them (8 draws, as benchmarks/verdict_bench.py): another
  recording domain, and each signer looks up only two signs, half of them answered wrongly;
  hit@1 of the queries whose sign the dictionary holds;
- camera changed hands (ufpb, gislr): 10 look-ups by another signer of the set, then the
  held-out signer's first 5, against the same 5 without a session.

    python -m training.sign_encoder.signer_session --json training/sign_encoder/results/signer_session.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from signlookup.encoder.jittered import embed_jittered
from signlookup.encoder.metrics import average_precision, rank_queries
from signlookup.features.jitter import COPIES_PER_TAKE
from signlookup.index.metric import GalleryMetric
from signlookup.index.session import SESSION_PRIOR, adapt_in_order
from training.sign_encoder import signers as S

ORDERS = 3
PRIORS = (5.0, 10.0, SESSION_PRIOR, 40.0)
HANDOVER = 10  # look-ups by someone else before the newcomer's
NEWCOMER = 5  # the newcomer's first look-ups that are scored


def look_ups(metric, gallery, g_labels, queries, q_labels):
    """Per query: 1.0 when its sign is first, and its average precision."""
    rankings, ranks = rank_queries(
        metric.apply(queries) @ metric.apply(gallery).T, q_labels, g_labels
    )
    ap = np.array([average_precision(r) for r in rankings])
    return (ranks == 1).astype(float), ap


def variants(
    v, labels, query_rows, gallery_rows, rng, others=None, scored=None, jittered=None
) -> dict:
    """hit@1 and AP per query of one signer: no session, each prior; and the newcomer rows.
    ``scored``: which queries count (all look up, in the session; default every one);
    ``jittered``: every row's jittered takes, for the metric as the app fits it."""
    g, q = gallery_rows, query_rows
    metric = GalleryMetric.fit(v[g], labels[g], jittered=None if jittered is None else jittered[g])
    out = {"no session": look_ups(metric, v[g], labels[g], v[q], labels[q])}
    for prior in PRIORS:
        hit, ap = np.zeros(len(q)), np.zeros(len(q))
        for _ in range(ORDERS):
            order = rng.permutation(len(q))
            adapted = adapt_in_order(v[q[order]], None, metric, v[g], labels[g], prior)
            h, a = look_ups(metric, v[g], labels[g], adapted, labels[q[order]])
            hit[order] += h / ORDERS
            ap[order] += a / ORDERS
        out[f"session, prior {prior:g}"] = (hit, ap)
    if others is not None and len(others):
        first = q[rng.permutation(len(q))[:NEWCOMER]]
        warm = rng.choice(others, HANDOVER, replace=False)
        adapted = adapt_in_order(v[np.concatenate([warm, first])], None, metric, v[g], labels[g])
        out["newcomer"] = look_ups(metric, v[g], labels[g], adapted[HANDOVER:], labels[first])
        out["newcomer without a session"] = look_ups(
            metric, v[g], labels[g], v[first], labels[first]
        )
    if scored is not None:
        out = {name: (hit[scored], ap[scored]) for name, (hit, ap) in out.items()}
    return out


def summary(per_signer: dict[str, dict[str, tuple]]) -> dict[str, dict[str, float]]:
    names = next(iter(per_signer.values())).keys()
    out = {}
    for name in names:
        maps = [float(np.mean(p[name][1])) for p in per_signer.values()]
        hits = np.concatenate([p[name][0] for p in per_signer.values()])
        out[name] = {
            "map": float(np.mean(maps)),
            "worst map": min(maps),
            "hit@1": float(np.mean(hits)),
        }
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scorer", default="bundle", help="features | bundle | bundle-model")
    p.add_argument("--json", default=None)
    a = p.parse_args()
    data = S.load_all()
    embedder = S.scorer(a.scorer)
    embed = embedder.embed
    rng = np.random.default_rng(0)
    results = {}
    for short in S.MULTI_SIGNER_SETS:
        t = data[short]
        v = embed(t.sequences)
        per = {}
        for s in np.unique(t.signers):
            q, g = np.flatnonzero(t.signers == s), np.flatnonzero(t.signers != s)
            someone = rng.choice(np.unique(t.signers[g]))
            per[str(s)] = variants(v, t.labels, q, g, rng, np.flatnonzero(t.signers == someone))
        results[f"{short} signers"] = summary(per)
    t = data["bberaldo"]
    g, q = S.halves(t.labels, t.takes)
    results["bberaldo halves"] = summary(
        {"bberaldo": variants(embed(t.sequences), t.labels, q, g, rng)}
    )
    gislr, asl = data["gislr"], S.load_takes("asl_traduttore")
    qv, av = embed(gislr.sequences), embed(asl.sequences)
    q_labels = np.where(gislr.labels == "thankyou", "thank-you", gislr.labels)
    v = np.concatenate([av, qv])
    labels = np.concatenate([asl.labels, q_labels])
    signs = np.array([s for s in np.unique(asl.labels) if s not in ("hello", "thank-you")])
    # the dictionary's first 3 takes of each sign are its gallery rows: jitter them as the app
    firsts = np.concatenate([np.flatnonzero(asl.labels == s)[np.argsort(asl.takes[asl.labels == s])][:3]
                             for s in np.unique(asl.labels)])  # fmt: skip
    jittered = np.full((len(v), COPIES_PER_TAKE, v.shape[1]), np.nan, np.float16)
    jittered[firsts] = embed_jittered(embedder, [asl.sequences[i] for i in firsts])
    for per_sign in (1, 3):
        per: dict[str, dict] = {}
        for draw in range(8):
            keep = [
                *np.random.default_rng(draw).choice(signs, 15, replace=False),
                ("hello", "thank-you")[draw % 2],
            ]
            g = np.concatenate(
                [
                    np.flatnonzero(asl.labels == s)[np.argsort(asl.takes[asl.labels == s])][
                        :per_sign
                    ]
                    for s in keep
                ]
            )
            for s in np.unique(gislr.signers):
                q = len(av) + np.flatnonzero(gislr.signers == s)
                found = variants(
                    v, labels, q, g, rng, scored=np.isin(labels[q], keep), jittered=jittered
                )
                for name, (hit, ap) in found.items():
                    runs = per.setdefault(f"{draw}/{s}", {})
                    runs[name] = (hit, ap)
        results[f"gislr -> dictionary, {per_sign}/sign"] = summary(per)
    for name, rows in results.items():
        print(f"## {name}")
        for row, figures in rows.items():
            print(f"  {row}: " + ", ".join(f"{k} {x:.3f}" for k, x in figures.items()), flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps({"scorer": a.scorer, **results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
