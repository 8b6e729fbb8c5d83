"""How a sign's takes make its score: the temperature of the soft maximum, on strangers.

Signs are ranked by the log-mean-exp of their takes' cosines (``signlookup.index.sign_score``);
a temperature near 0 is the best take alone (how signs were ranked before). Every take is
embedded by the app's scorer (the shipped fused bundle) and scored in the gallery metric fitted
on each gallery, as the app does, under the protocols of ``signers.py`` where a gallery holds a
sign more than once: ufpb and gislr leave one signer out, bberaldo halves (one-shot galleries
hold each sign once, so every temperature ranks them alike), and a dictionary of one signer's
every take queried by each other signer of ufpb / gislr (worst = the worst query signer,
over all dictionaries).

    python -m training.sign_encoder.sign_temperature --json training/sign_encoder/results/sign_temperature.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from signlookup.encoder.metrics import sign_ranks
from training.sign_encoder import signers as S

#: 1e-6 is the best take alone (the log(1/count) term is a tie-break of a millionth).
TEMPERATURES = (1e-6, 0.05, 0.07, 0.1, 0.15, 0.2)


def figures(ranks_by_group: dict[str, np.ndarray]) -> dict[str, float]:
    """hit@1 and MRR over all queries, and the worst group's MRR."""
    every = np.concatenate(list(ranks_by_group.values()))
    every = every[every > 0]
    per = {g: float(np.mean(1 / r[r > 0])) for g, r in ranks_by_group.items()}
    return {"hit@1": float(np.mean(every == 1)), "mrr": float(np.mean(1 / every)),
            "worst mrr": min(per.values())}  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scorer", default="bundle", help="features | bundle | bundle-model")
    p.add_argument("--json", default=None)
    a = p.parse_args()
    data = S.load_all()
    embed = S.scorer(a.scorer).embed
    scores: dict[str, list] = {}  # protocol -> [(group, scores, query labels, gallery labels)]
    for short in S.MULTI_SIGNER_SETS:
        t = data[short]
        v = embed(t.sequences)
        scores[f"{short} signers"] = [
            (str(s), S.in_gallery_metric(v[t.signers == s], v[t.signers != s],
             t.labels[t.signers != s]), t.labels[t.signers == s], t.labels[t.signers != s])
            for s in np.unique(t.signers)
        ]  # fmt: skip
        # a dictionary of one signer's every take, queried by each other signer
        people = np.unique(t.signers)
        scores[f"{short} one signer's takes"] = [
            (str(s), S.in_gallery_metric(v[t.signers == s], v[t.signers == d],
             t.labels[t.signers == d]), t.labels[t.signers == s], t.labels[t.signers == d])
            for d in people for s in people if s != d
        ]  # fmt: skip
    t = data["bberaldo"]
    v = embed(t.sequences)
    g, q = S.halves(t.labels, t.takes)
    scores["bberaldo halves"] = [
        ("bberaldo", S.in_gallery_metric(v[q], v[g], t.labels[g]), t.labels[q], t.labels[g])
    ]
    rows = {}
    for temperature in TEMPERATURES:
        name = "best take" if temperature < 1e-3 else f"temperature {temperature}"
        rows[name] = {}
        for protocol, runs in scores.items():
            ranks: dict[str, list] = {}
            for group, s, ql, gl in runs:
                ranks.setdefault(group, []).append(sign_ranks(s, ql, gl, temperature=temperature))
            rows[name][protocol] = figures({g: np.concatenate(r) for g, r in ranks.items()})
    cols = [(p, f) for p in scores for f in ("hit@1", "mrr", "worst mrr")]
    print("| rule | " + " | ".join(f"{p} {f}" for p, f in cols) + " |")
    print("|---|" + "---|" * len(cols))
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(f"{row[p][f]:.3f}" for p, f in cols) + " |")
    if a.json:
        Path(a.json).write_text(json.dumps({"scorer": a.scorer, "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
