"""What the gallery metric costs (signlookup/index/metric.py): fitting it, and one query.

    python -m benchmarks.gallery_metric_bench [--sizes 500 2000 10000] [--dim 1088]

Clustered synthetic galleries (signs with a few takes each, the bundle's 1088-d vectors). Per
size: the refit (fit + apply to every vector + exact index build: what the gallery does after a
change below ``REFIT_ALWAYS_BELOW`` entries) and one query's metric transform beside the exact
search it precedes, and beside the search the app runs (its ``SIGN_WINDOW`` best entries, then
each sign scored over its takes: signlookup/index/sign_score.py), in the same run (a ratio,
since the machine is shared). The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from signlookup.index import FaissIndex, normalise_rows
from signlookup.index.metric import GalleryMetric
from signlookup.index.sign_score import SIGN_WINDOW, sign_scores


def clustered(n: int, dim: int, takes: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    signs = rng.normal(size=(n // takes + 1, dim))
    labels = np.arange(n) // takes
    return normalise_rows(signs[labels] + 0.5 * rng.normal(size=(n, dim))), labels.astype(str)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    p.add_argument("--dim", type=int, default=1088)
    a = p.parse_args()
    rows = []
    for n in a.sizes:
        vectors, labels = clustered(n, a.dim)
        ids = np.arange(n, dtype=np.int64)

        def refit(vectors=vectors, labels=labels, ids=ids) -> None:
            metric = GalleryMetric.fit(vectors, labels)
            FaissIndex.build(ids, metric.apply(vectors), "flat")

        refit_s = best_of(refit, 3)
        metric = GalleryMetric.fit(vectors, labels)
        index = FaissIndex.build(ids, metric.apply(vectors), "flat")
        query = vectors[:1] + 0.01
        apply_s = best_of(lambda m=metric, q=query: m.apply(q), 50)
        search_s = best_of(lambda i=index, m=metric, q=query: i.search(m.apply(q), 10), 50)
        signs = labels.astype(np.int64)
        counts = np.bincount(signs)

        def by_signs(index=index, metric=metric, query=query, signs=signs, counts=counts) -> None:
            scores, hits = index.search(metric.apply(query), min(SIGN_WINDOW, len(signs)))
            sign_scores(scores, signs[hits[0]], counts)

        signs_s = best_of(by_signs, 50)
        rows.append({"size": n, "dim": a.dim, "refit_s": round(refit_s, 4),
                     "query_transform_ms": round(apply_s * 1e3, 3),
                     "query_search_ms": round(search_s * 1e3, 3),
                     "query_sign_search_ms": round(signs_s * 1e3, 3)})  # fmt: skip
        r = rows[-1]
        print(f"{n:>6} entries: refit {r['refit_s']:.3f} s; per query: transform "
              f"{r['query_transform_ms']:.3f} ms of {r['query_search_ms']:.3f} ms (search with it), "
              f"{r['query_sign_search_ms']:.3f} ms (signs by all their takes)", flush=True)  # fmt: skip
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
