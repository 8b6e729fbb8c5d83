"""What the handshape / location facets are worth (issue 19).

Run: ``python -m benchmarks.facets_bench [--cache DIR] [--write]`` (the embeddings come from
``benchmarks.verdict_bench``'s cache when given the same DIR, else are computed with the bundle).
Dictionary-like galleries, one take per sign, every sign present:

- **bberaldo, one signer**: gallery = each of the 11 signs' first take; queries = the second half.
- **ufpb, same signer / cross-signer**: gallery = one signer's first take of each of 24 signs;
  queries = that signer's other takes / the 5 other signers' takes; 6 gallery signers.
  (No hand landmarks: every handshape is "none", only the location facet exists.)
- **gislr -> asl gallery, cross-signer**: gallery = asl_traduttore's first take of each of its 32
  signs; queries = the 747 gislr_asl_2signs takes (hello, thank-you) of 21 phone signers.

Per query: R@1 / R@5 over the whole gallery, then after narrowing to the gallery entries that share
the handshape cluster / the region / both with the true sign's gallery entry (the facet a user
who knows the sign would click; when that entry has no handshape, the handshape filter is not
applied). "Same handshape" / "same region": how often the query's own detected facet equals its
true sign's entry's (for cross-signer rows: two takes of a sign by different signers), against
the rate for the gallery entries of other signs (chance).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from benchmarks.verdict_bench import embed_set, first_takes, usable
from signlookup.facets import HANDSHAPE_DIM, NO_HANDSHAPE, REGIONS, GalleryFacets, sign_facets
from signlookup.index.metric import GalleryMetric
from signlookup.pose.sequence import PoseSequence

REPO = Path(__file__).resolve().parents[1]
KEYPOINTS = REPO.parent / "shared" / "data" / "keypoints"
DOC = REPO / "docs" / "verdict.md"


def facets_of_set(name: str, cache: Path | None) -> dict[str, np.ndarray]:
    """Handshape vectors (N, d), has_hand and region index of every clip of a keypoint set."""
    path = cache / f"facets_{name}.npz" if cache else None
    if path is not None and path.exists():
        with np.load(path) as d:
            return {k: d[k] for k in d.files}
    with np.load(KEYPOINTS / f"{name}.npz") as d:
        X = d["X"].astype(np.float32)
        lengths = d["lengths"] if "lengths" in d.files else np.full(len(X), X.shape[1])
    vectors = np.zeros((len(X), HANDSHAPE_DIM), np.float32)
    has_hand = np.zeros(len(X), bool)
    regions = np.full(len(X), -1, np.int8)
    for i, (x, n) in enumerate(zip(X, lengths, strict=True)):
        try:
            f = sign_facets(PoseSequence.from_zero_filled(x[: max(int(n), 1)]))
        except ValueError:  # no shoulders
            continue
        regions[i] = REGIONS.index(f.region)
        if f.handshape is not None:
            vectors[i], has_hand[i] = f.handshape, True
    out = {"vectors": vectors, "has_hand": has_hand, "regions": regions}
    if path is not None:
        np.savez(path, **out)
    return out


def measure(gi: np.ndarray, qi: np.ndarray, emb: dict, fac: dict, y_q=None) -> dict[str, list]:
    """Per-query hits and facet agreements for one gallery / query split of one set."""
    y = emb["y"]
    y_q = y[qi] if y_q is None else y_q
    q_vecs = emb["E"][qi] if "Eq" not in emb else emb["Eq"]
    facets = GalleryFacets(gi, fac["vectors"][gi], fac["has_hand"][gi], fac["regions"][gi])
    shapes, regions = facets.labels, fac["regions"][gi]
    jittered = emb["J"][gi] if "J" in emb else None  # the app fits on its jittered takes too
    metric = GalleryMetric.fit(emb["E"][gi], y[gi], jittered=jittered)  # the gallery's metric
    scores = metric.apply(q_vecs) @ metric.apply(emb["E"][gi]).T
    out: dict[str, list] = {}
    qf = fac.get("q", fac)
    q_rows = qi if "q" not in fac else np.arange(len(qi))
    for row, label, s in zip(q_rows, y_q, scores, strict=True):
        true = np.flatnonzero(y[gi] == label)
        if len(true) == 0:
            continue
        t = true[0]
        keep = {
            "all": np.ones(len(gi), bool),
            "handshape": shapes == shapes[t]
            if shapes[t] != NO_HANDSHAPE
            else np.ones(len(gi), bool),
            "location": regions == regions[t],
        }
        keep["both"] = keep["handshape"] & keep["location"]
        for name, m in keep.items():
            order = np.flatnonzero(m)[np.argsort(-s[m], kind="stable")]
            ranked = y[gi][order]
            out.setdefault(f"r1 {name}", []).append(label in ranked[:1])
            out.setdefault(f"r5 {name}", []).append(label in ranked[:5])
            out.setdefault(f"kept {name}", []).append(m.mean())
        own_shape = (
            int(np.argmax(facets.centroids @ qf["vectors"][row]))
            if qf["has_hand"][row] and len(facets.centroids)
            else NO_HANDSHAPE
        )
        others = y[gi] != label
        if shapes[t] != NO_HANDSHAPE and own_shape != NO_HANDSHAPE:
            out.setdefault("same handshape", []).append(own_shape == shapes[t])
            valid = others & (shapes != NO_HANDSHAPE)
            out.setdefault("chance handshape", []).append(np.mean(shapes[valid] == own_shape))
        out.setdefault("same region", []).append(qf["regions"][row] == regions[t])
        out.setdefault("chance region", []).append(np.mean(regions[others] == qf["regions"][row]))
    return out


def merge(parts: list[dict[str, list]]) -> dict[str, float]:
    keys = {k for p in parts for k in p}
    return {
        k: float(np.mean([v for p in parts for v in p.get(k, [])] or [np.nan]))
        for k in sorted(keys)
    }


def run(cache: Path | None) -> dict[str, dict[str, float]]:
    sets = {}
    for name in ("libras_bberaldo", "libras_ufpb_pose", "asl_traduttore", "gislr_asl_2signs"):
        emb = embed_set(name, "bundle", cache)
        emb.update(facets_of_set(name, cache))
        sets[name] = usable(emb)
    results = {}
    bb = sets["libras_bberaldo"]
    gi = np.concatenate([first_takes(bb["y"] == s, bb["seq"], 1) for s in np.unique(bb["y"])])
    qi = np.concatenate(
        [first_takes(bb["y"] == s, bb["seq"], 10**6)[50:] for s in np.unique(bb["y"])]
    )
    results["bberaldo, one signer"] = merge([measure(gi, qi, bb, bb)])
    uf = sets["libras_ufpb_pose"]
    for cross in (False, True):
        parts = []
        for person in np.unique(uf["signer"]):
            mine = uf["signer"] == person
            gi = np.concatenate(
                [first_takes(mine & (uf["y"] == s), uf["seq"], 1) for s in np.unique(uf["y"])]
            )
            qi = np.setdiff1d(np.flatnonzero(~mine if cross else mine), gi)
            parts.append(measure(gi, qi, uf, uf))
        results[f"ufpb, {'cross-signer' if cross else 'same signer'}"] = merge(parts)
    asl, gl = sets["asl_traduttore"], sets["gislr_asl_2signs"]
    keep = asl["y"] != "-"
    gi = np.concatenate(
        [first_takes(keep & (asl["y"] == s), asl["seq"], 1) for s in np.unique(asl["y"][keep])]
    )
    emb = {**asl, "Eq": gl["E"]}
    fac = {**asl, "q": gl}
    results["gislr -> asl gallery, cross-signer"] = merge(
        [
            measure(
                gi,
                np.arange(len(gl["E"])),
                emb,
                fac,
                np.where(gl["y"] == "thankyou", "thank-you", gl["y"]),
            )
        ]
    )
    return results


def report(results: dict[str, dict[str, float]]) -> str:
    cols = ("all", "handshape", "location", "both")
    lines = [
        "| protocol | " + " | ".join(f"R@1 / R@5 {c}" for c in cols)
        + " | share kept (hs / loc / both) | same handshape (chance) | same region (chance) |",
        "|---|" + "---|" * (len(cols) + 3),
    ]  # fmt: skip
    for name, r in results.items():
        cells = " | ".join(f"{r[f'r1 {c}']:.3f} / {r[f'r5 {c}']:.3f}" for c in cols)
        kept = " / ".join(f"{r[f'kept {c}']:.2f}" for c in cols[1:])
        hs = f"{r.get('same handshape', np.nan):.2f} ({r.get('chance handshape', np.nan):.2f})"
        rg = f"{r['same region']:.2f} ({r['chance region']:.2f})"
        lines.append(f"| {name} | {cells} | {kept} | {hs} | {rg} |")
    return "\n".join(lines)


def demo_pairs() -> str:
    """Facet agreement of the demo gallery's words filmed by two dictionaries."""
    from signlookup.facets import load_gallery_facets
    from signlookup.gallery import Gallery

    with Gallery.open(REPO / "resources" / "demo_gallery", read_only=True) as gallery:
        facets = load_gallery_facets(gallery)
        by_gloss: dict[str, list[int]] = {}
        for e in gallery.entries():
            by_gloss.setdefault(e.gloss, []).append(e.id)
    pairs = {g: ids for g, ids in by_gloss.items() if len(ids) == 2}
    region = [g for g, (a, b) in pairs.items() if facets.region_of(a) == facets.region_of(b)]
    shape = [g for g, (a, b) in pairs.items() if facets.handshape_of(a) == facets.handshape_of(b)]
    return (
        f"Demo gallery, {len(pairs)} words filmed by two dictionaries "
        f"({len(facets.clusters)} handshape clusters): same region {len(region)} "
        f"({', '.join(region)}), same handshape cluster {len(shape)} ({', '.join(shape)})."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="keep embeddings and facets here between runs")
    parser.add_argument("--write", action="store_true", help=f"write the section of {DOC.name}")
    args = parser.parse_args()
    text = report(run(args.cache)) + "\n\n" + demo_pairs()
    print(text)
    if args.write:
        from benchmarks.report import write_section

        write_section("facets", text, DOC)


if __name__ == "__main__":
    main()
