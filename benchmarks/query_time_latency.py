"""Per-query cost of the test-time ideas of docs/encoder.md at 1k and 100k gallery entries.

Run: ``python -m benchmarks.query_time_latency [--queries 100]``. Gallery and queries are the
clustered synthetic vectors of ``benchmarks/index_bench.py`` at the fused scorer's width for a
single encoder (256 + 320) and for the 3-member ensemble (768 + 320), searched through the
gallery's own FaissIndex (exact below its PQ threshold, pq above), one query at a time, k=10.
alpha-QE is a second search; DBA changes the gallery offline (one k-NN search per entry, its
build time is given, scaled from 2,000 entries) and costs nothing per query; k-reciprocal re-ranking is the published
batch algorithm over the (queries + gallery) distance matrix, timed at 1k only (at 100k that
matrix alone is 40 GB). Writes the "test-time-latency" section of docs/encoder.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

from benchmarks.index_bench import make_data
from benchmarks.report import machine, write_section
from signlookup.index import FaissIndex, choose_kind
from signlookup.index.base import normalise_rows
from training.sign_encoder.query_time import k_reciprocal

DOC = Path(__file__).resolve().parents[1] / "docs" / "encoder.md"
DBA_SAMPLE = 2_000
WIDTHS = {"one encoder (576-d)": 576, "3-seed ensemble (1088-d)": 1088}


def median_ms(fn, queries: np.ndarray) -> float:
    fn(queries[:1])  # warm-up
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q[None])
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def measure(n: int, dim: int, n_queries: int) -> dict[str, float | str]:
    gallery, queries = make_data(n, dim, "clustered", n_queries)
    index = FaissIndex(dim, choose_kind(n))
    index.add(np.arange(n), gallery)

    def plain(q: np.ndarray):
        return index.search(q, 10)

    def alpha_qe(q: np.ndarray, k: int = 3, alpha: float = 3.0):
        scores, ids = index.search(q, k)
        w = np.clip(scores, 0, None) ** alpha
        return index.search(normalise_rows(q + (w[..., None] * gallery[ids]).sum(1)), 10)

    # DBA's offline pass searches every entry's 3 nearest neighbours: timed on up to
    # DBA_SAMPLE entries (one batch through the index) and scaled to n.
    sample = gallery[: min(n, DBA_SAMPLE)]
    t = time.perf_counter()
    index.search(sample, 4)
    dba_build_s = (time.perf_counter() - t) * n / len(sample)
    row: dict[str, float | str] = {
        "plain": median_ms(plain, queries),
        "alpha_qe": median_ms(alpha_qe, queries),
        "dba_build_s": dba_build_s,
        "kind": index.kind,
    }
    if n <= 2_000:
        row["k_reciprocal"] = median_ms(lambda q: k_reciprocal(q, gallery), queries[:10])
    return row


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--queries", type=int, default=100)
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    p.add_argument("--no-write", action="store_true")
    args = p.parse_args(argv)
    lines = [
        "## Test-time cost per query",
        "",
        f"Median ms per query, one at a time, k=10, clustered synthetic vectors; {machine()}; "
        f"written by `python -m benchmarks.query_time_latency --queries {args.queries}`. "
        "Mirror averaging is not in the table: it embeds the query twice, i.e. one more "
        "'fused embed' of the Encoder speed table.",
        "",
        "| gallery | scorer width | index | search | + alpha-QE | + DBA per query "
        "| DBA offline build | + k-reciprocal |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n in args.sizes:
        for label, dim in WIDTHS.items():
            r = measure(n, dim, args.queries)
            kr = f"{r['k_reciprocal']:.1f}" if "k_reciprocal" in r else "infeasible (n^2 matrix)"
            line = (f"| {n:,} | {label} | {r['kind']} | {r['plain']:.2f} | {r['alpha_qe']:.2f} "
                    f"| {r['plain']:.2f} | {r['dba_build_s']:.1f} s | {kr} |")  # fmt: skip
            print(line, flush=True)
            lines.append(line)
    if not args.no_write:
        write_section("test-time-latency", "\n".join(lines), DOC)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
