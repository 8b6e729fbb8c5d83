"""A look-up session that adapts to its signer (signlookup.index.session), on strangers.

Each held-out signer looks up their takes one after another, in a random order (3 orders), as a
person at the app's camera would; every query is centred on the mean of that signer's earlier
queries in the session (shrunk towards the gallery's mean) instead of the gallery's alone, then
scored as the app scores: the gallery metric, signs by all their takes. Protocols: ufpb and
gislr leave one signer out, bberaldo halves (the gallery's own signer: a session should change
nothing there). Rows: no session; sessions of several priors; and a session started by someone
else (10 look-ups of another signer of the set, then the held-out signer's: the camera changed
hands), scored on the newcomer's first 5 queries against the same queries without a session.

    python -m training.sign_encoder.signer_session --json training/sign_encoder/results/signer_session.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from signlookup.encoder.metrics import rank_queries, retrieval_metrics
from signlookup.index.metric import GalleryMetric
from signlookup.index.session import SESSION_PRIOR, SESSION_SIZE, SignerSession
from training.sign_encoder import signers as S

ORDERS = 3
PRIORS = (0.0, SESSION_PRIOR, 10.0)
HANDOVER = 10  # look-ups by someone else before the newcomer's
NEWCOMER = 5  # the newcomer's first queries that are scored


def ranks(metric, queries, gallery_applied, q_labels, g_labels):
    scores = metric.apply(queries) @ gallery_applied.T
    rankings, sign_rank = rank_queries(scores, q_labels, g_labels)
    ap = np.array([retrieval_metrics([r], (1,))["map"] for r in rankings])
    return sign_rank, ap


def session_run(v, metric, order, prior, warm_up=None):
    """Adapted query vectors in ``order``; ``warm_up`` vectors are looked up first."""
    session = SignerSession(SESSION_SIZE, prior)
    for i, w in enumerate(warm_up if warm_up is not None else []):
        session.adapt(w, metric.mean, "x", ("warm", i))
    return np.stack([session.adapt(v[i], metric.mean, "x", int(i)) for i in order])


def protocol(v, labels, groups, gallery_of, rng, query_groups=None):
    """Per query group (signer): figures without and with sessions."""
    rows = {"no session": {}, **{f"session, prior {p:g}": {} for p in PRIORS}}
    rows["camera changed hands"] = {}
    after = {name: [] for name in rows}  # hit@1 of queries with >= 10 earlier look-ups
    query_groups = np.unique(groups) if query_groups is None else query_groups
    for s in query_groups:
        q, g = np.flatnonzero(groups == s), gallery_of(s)
        metric = GalleryMetric.fit(v[g], labels[g])
        gal = metric.apply(v[g])
        base_rank, base_ap = ranks(metric, v[q], gal, labels[q], labels[g])
        rows["no session"][s] = ((base_rank == 1).astype(float), base_ap)
        for p in PRIORS:
            name = f"session, prior {p:g}"
            got_rank, got_ap = np.zeros(len(q), int), np.zeros(len(q))
            for _ in range(ORDERS):
                order = rng.permutation(len(q))
                r, ap = ranks(metric, session_run(v[q], metric, order, p), gal, labels[q[order]],
                              labels[g])  # fmt: skip
                got_rank[order] += r == 1
                got_ap[order] += ap
                if p == SESSION_PRIOR:
                    after["no session"] += list(base_rank[order][10:] == 1)
                    after[name] += list(r[10:] == 1)
            rows[name][s] = (got_rank / ORDERS, got_ap / ORDERS)
        others = np.flatnonzero(np.isin(groups, [o for o in query_groups if o != s]))
        if len(others):
            order = rng.permutation(len(q))[:NEWCOMER]
            warm = v[rng.choice(others[groups[others] == groups[others][0]], HANDOVER)]
            r, ap = ranks(metric, session_run(v[q], metric, order, SESSION_PRIOR, warm), gal,
                          labels[q[order]], labels[g])  # fmt: skip
            rows["camera changed hands"][s] = (r, base_rank[order])
    out = {}
    for name, per in rows.items():
        if name == "camera changed hands":
            if per:
                new = np.concatenate([r for r, _ in per.values()])
                old = np.concatenate([b for _, b in per.values()])
                out[name] = {"newcomer hit@1": float(np.mean(new == 1)),
                             "same queries without a session": float(np.mean(old == 1))}  # fmt: skip
            continue
        maps = {s: float(np.mean(ap)) for s, (_, ap) in per.items()}
        hits = np.concatenate([hit for hit, _ in per.values()])
        out[name] = {"map": float(np.mean(list(maps.values()))), "worst map": min(maps.values()),
                     "hit@1": float(np.mean(hits))}  # fmt: skip
        if after[name]:
            out[name]["hit@1 after 10 look-ups"] = float(np.mean(after[name]))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scorer", default="bundle", help="features | bundle | bundle-model")
    p.add_argument("--json", default=None)
    a = p.parse_args()
    data = S.load_all()
    embed = S.scorer(a.scorer).embed
    rng = np.random.default_rng(0)
    results = {}
    for short in S.MULTI_SIGNER_SETS:
        t = data[short]
        v = embed(t.sequences)
        results[f"{short} signers"] = protocol(
            v, t.labels, t.signers, lambda s, t=t: np.flatnonzero(t.signers != s), rng
        )
    t = data["bberaldo"]
    g, q = S.halves(t.labels, t.takes)
    groups = np.full(len(t.labels), "gallery", dtype="<U16")
    groups[q] = "bberaldo"
    v = embed(t.sequences)
    results["bberaldo halves"] = protocol(
        v, t.labels, groups, lambda s, g=g: g, rng, query_groups=["bberaldo"]
    )
    for name, rows in results.items():
        print(f"## {name}")
        for row, figures in rows.items():
            print(f"  {row}: " + ", ".join(f"{k} {x:.3f}" for k, x in figures.items()))
    if a.json:
        Path(a.json).write_text(json.dumps({"scorer": a.scorer, **results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
