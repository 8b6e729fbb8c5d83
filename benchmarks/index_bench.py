"""Index and search benchmark: faiss exact vs pq vs HNSW (and raw IVF) at gallery sizes, plus one
video query end to end.

Usage::

    python -m benchmarks.index_bench [--sizes 10000 100000 1000000] [--hnsw-max 100000]
                                     [--dim 320] [--queries 200] [--ef-sweep 256]
                                     [--kf-sweep 10 30] [--ivf-nprobe 16 64 256 1024]
                                     [--ivf-min 100000] [--no-e2e] [--no-write]

For each size and each kind of data (``clustered``: many signs with a few noisy takes each, like
a real gallery; ``random``: uniform on the sphere, the worst case for every approximate index) it
reports build time, index memory (its serialised size), single-query latency p50/p95 and recall@10
against exact search, for the gallery backends (``FaissIndex`` kinds flat, pq, hnsw; pq and HNSW
also with other re-rank factors / beam widths on the same index) and for a raw faiss IVF-Flat
index with an nprobe sweep (not a gallery backend; measured to show why pq was chosen instead).
HNSW is built only up to ``--hnsw-max`` vectors (7-8 minutes per build at 1M on a 2-core machine).
The end-to-end part times decode, MediaPipe, embedding and search for a video query against the
demo gallery. Results go into the "Index and search" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np

from signlookup.index import PQ_THRESHOLD, FaissIndex, normalise_rows
from signlookup.index.faiss_index import (
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    PQ_DIMS_PER_SUBQUANTIZER,
    PQ_K_FACTOR,
)

REPO = Path(__file__).resolve().parents[1]
SECTION = "index-search"
THREADS = faiss.omp_get_max_threads()


@dataclass
class Row:
    n: int
    data: str
    kind: str
    build_s: float  # 0: same index as the row above, another search setting
    memory_mb: float
    p50_ms: float
    p95_ms: float
    recall10: float | None  # None: exact search (the reference)


#: HNSW at 1M from the previous run of this script (``--hnsw-max 1000000 --queries 200``, same
#: data generator, faiss 1.15.1, 18.3 min in all): its builds take 7-8 minutes each, so later
#: runs skip them and show these rows, marked as such, to keep the comparison in one table.
EARLIER_HNSW = [
    Row(1_000_000, "clustered", "hnsw ef512 (earlier run)", 419.18, 1560, 4.19, 4.85, 0.631),
    Row(1_000_000, "clustered", "hnsw ef256 (earlier run)", 0.0, 1560, 2.30, 3.60, 0.554),
    Row(1_000_000, "random", "hnsw ef512 (earlier run)", 460.94, 1560, 4.70, 5.86, 0.171),
    Row(1_000_000, "random", "hnsw ef256 (earlier run)", 0.0, 1560, 3.38, 4.10, 0.088),
]


class Searchable(Protocol):
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...


def make_data(n: int, dim: int, kind: str, n_queries: int, seed: int = 0):
    """Gallery vectors (n, dim) and queries (n_queries, dim), both unit rows, float32.

    Clustered: n/4 signs with 4 takes each; a take is its sign's centre plus noise giving a
    within-sign cosine of ~0.75, as the feature embedder gives for two takes of one sign.
    Queries are fresh takes of random signs (a user signing a word the gallery holds).
    """
    rng = np.random.default_rng(seed)
    if kind == "random":
        return (
            normalise_rows(rng.standard_normal((n, dim), dtype=np.float32)),
            normalise_rows(rng.standard_normal((n_queries, dim), dtype=np.float32)),
        )
    n_signs = max(1, n // 4)
    centres = normalise_rows(rng.standard_normal((n_signs, dim), dtype=np.float32))
    noise = 0.6 / np.sqrt(dim)
    out = np.empty((n, dim), np.float32)
    for start in range(0, n, 100_000):  # chunks keep the 1M case within memory
        stop = min(n, start + 100_000)
        out[start:stop] = centres[np.arange(start, stop) // 4] + noise * rng.standard_normal(
            (stop - start, dim), dtype=np.float32
        )
    which = rng.integers(0, n_signs, n_queries)
    queries = centres[which] + noise * rng.standard_normal((n_queries, dim), dtype=np.float32)
    return normalise_rows(out), normalise_rows(queries)


def latency_ms(index: Searchable, queries: np.ndarray, k: int = 10) -> tuple[float, float]:
    """p50 and p95 of one query at a time (how the app searches)."""
    times = []
    for q in queries:
        t = time.perf_counter()
        index.search(q[None], k)
        times.append((time.perf_counter() - t) * 1e3)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def measure(
    index: Searchable, queries: np.ndarray, truth: np.ndarray, label: tuple[int, str, str]
) -> tuple[float, float, float]:
    """p50 ms, p95 ms and recall@10 against ``truth`` (exact top-10 ids); prints progress."""
    p50, p95 = latency_ms(index, queries)
    found = index.search(queries, 10)[1]
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)]))
    print(*label, f"p50 {p50:.2f} p95 {p95:.2f} recall@10 {recall:.3f}", flush=True)
    return p50, p95, recall


def bench_size(n: int, dim: int, data: str, args: argparse.Namespace) -> list[Row]:
    """Every index kind over one synthetic gallery of ``n`` vectors."""
    vectors, queries = make_data(n, dim, data, args.queries)
    ids = np.arange(n, dtype=np.int64)
    t = time.perf_counter()
    exact = FaissIndex.build(ids, vectors, "flat")
    build = time.perf_counter() - t
    p50, p95 = latency_ms(exact, queries)
    mem = faiss.serialize_index(exact._index).nbytes / 1e6
    rows = [Row(n, data, "flat", build, mem, p50, p95, None)]
    print(rows[-1], flush=True)
    truth = exact.search(queries, 10)[1]
    del exact
    # (kind, knob on FaissIndex, label prefix, default, other values measured on the same index)
    tuned: list[tuple[str, str, str, float, Sequence[float]]] = [
        ("pq", "k_factor", "kf", PQ_K_FACTOR, args.kf_sweep)
    ]
    if n <= args.hnsw_max:
        tuned.append(("hnsw", "ef_search", "ef", HNSW_EF_SEARCH, args.ef_sweep))
    earlier = [r for r in EARLIER_HNSW if (r.n, r.data) == (n, data) and n > args.hnsw_max]
    for kind, knob, prefix, default, sweep in tuned:
        t = time.perf_counter()
        index = FaissIndex.build(ids, vectors, kind)
        build = time.perf_counter() - t
        mem = faiss.serialize_index(index._index).nbytes / 1e6
        for value in [default, *(v for v in sweep if v != default)]:
            setattr(index, knob, value)
            name = f"{kind} {prefix}{value:g}"
            p50, p95, recall = measure(index, queries, truth, (n, data, name))
            rows.append(
                Row(n, data, name, build if value == default else 0.0, mem, p50, p95, recall)
            )
        del index
    rows += earlier
    if args.ivf_nprobe and n >= args.ivf_min:
        rows += bench_ivf(vectors, queries, truth, data, args.ivf_nprobe)
    return rows


class _Ivf:
    """Raw faiss IVF-Flat (not a gallery backend), searched on one thread as FaissIndex does."""

    def __init__(self, index: faiss.IndexIVFFlat):
        self.index = index

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        faiss.omp_set_num_threads(1)
        try:
            return self.index.search(queries, k)
        finally:
            faiss.omp_set_num_threads(THREADS)


def ivf_nlist(n: int) -> int:
    """~4 sqrt(N) inverted lists, rounded to a power of two (1,024 at 100k, 4,096 at 1M)."""
    return 2 ** round(np.log2(4 * np.sqrt(n)))


def bench_ivf(
    vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray, data: str, nprobes: Sequence[int]
) -> list[Row]:
    """IndexIVFFlat (inner product, trained on 40 x nlist vectors) for each nprobe < nlist."""
    n, dim = vectors.shape
    nlist = ivf_nlist(n)
    t = time.perf_counter()
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.train(vectors[np.random.default_rng(1).choice(n, min(n, 40 * nlist), replace=False)])
    index.add(vectors)
    build = time.perf_counter() - t
    mem = faiss.serialize_index(index).nbytes / 1e6
    rows = []
    for nprobe in (p for p in nprobes if p < nlist):
        index.nprobe = nprobe
        name = f"ivf{nlist} nprobe{nprobe}"
        p50, p95, recall = measure(_Ivf(index), queries, truth, (n, data, name))
        rows.append(Row(n, data, name, build if not rows else 0.0, mem, p50, p95, recall))
    return rows


def end_to_end(
    clips: list[Path], gallery_dir: Path, repeats: int = 3
) -> list[dict[str, float | str]]:
    """Stage times of a video query on the demo gallery: decode, pose (MediaPipe), embed, search."""
    from signlookup.capture import VideoFileSource
    from signlookup.pose import extract_pose
    from signlookup.search import Searcher

    out = []
    with Searcher.open(gallery_dir) as searcher:
        for clip in clips:
            best: dict[str, float] = {}
            for _ in range(repeats):
                t0 = time.perf_counter()
                with VideoFileSource(clip) as source:
                    frames = sum(1 for _ in source)
                t1 = time.perf_counter()
                seq = extract_pose(VideoFileSource(clip))
                t2 = time.perf_counter()
                vec = searcher.embedder.embed([seq])[0]
                t3 = time.perf_counter()
                results = searcher.search_vector(vec, 10)
                t4 = time.perf_counter()
                stages = {
                    "decode": t1 - t0,
                    "pose": (t2 - t1) - (t1 - t0),
                    "embed": t3 - t2,
                    "search": t4 - t3,
                }
                stages["total"] = t4 - t1  # decode happens inside extract_pose; count it once
                best = stages if not best or stages["total"] < best["total"] else best
            out.append({"clip": clip.name, "frames": frames, "top1": results[0].gloss, **best,
                        "embedder": searcher.embedder.name})  # fmt: skip
            print(out[-1], flush=True)
    return out


def render(
    rows: list[Row], e2e: list[dict], args: argparse.Namespace, command: str, wall_s: float
) -> str:
    m = args.dim // PQ_DIMS_PER_SUBQUANTIZER
    lines = [
        "## Index and search",
        "",
        f"`{command}` on {platform.machine()}, {THREADS} faiss threads (2 cores shared with "
        f"other jobs' training runs, so latencies carry their noise), faiss {faiss.__version__}; "
        f"{wall_s / 60:.1f} min in all. One query at a time on one thread, k=10; recall@10 is "
        "the share of exact search's top 10 found. Memory is the serialised index size. "
        "Clustered = N/4 signs x 4 takes (within-sign cosine ~0.75); random = uniform on the "
        "sphere.",
        "",
        f"- **pq**: every vector's code ({m} 4-bit sub-quantisers, {m // 2} bytes) is scanned with "
        "faiss fast scan, then the best k x kf candidates are re-ranked by exact inner product "
        "(`IndexRefineFlat`), so scores are exact; kf rows after the first reuse the same index.",
        f"- **hnsw**: M={HNSW_M}, efConstruction={HNSW_EF_CONSTRUCTION}, ef = efSearch.",
        "- **ivf**: raw faiss `IndexIVFFlat` (not a gallery backend), nlist ~ 4 sqrt(N) rounded "
        "to a power of two, trained on 40 x nlist vectors, nprobe lists scanned per query.",
        "",
        "| N | data | index | build s | memory MB | p50 ms | p95 ms | recall@10 vs exact |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        recall = "exact" if r.recall10 is None else f"{r.recall10:.3f}"
        build = "(same index)" if r.build_s == 0 else f"{r.build_s:.2f}"
        lines.append(
            f"| {r.n:,} | {r.data} | {r.kind} | {build} | {r.memory_mb:.0f} | "
            f"{r.p50_ms:.2f} | {r.p95_ms:.2f} | {recall} |"
        )
    skipped = [n for n in args.sizes if n > args.hnsw_max]
    if skipped:
        lines += [
            "",
            f"HNSW not built for {', '.join(f'{n:,}' for n in skipped)} in this run (over "
            "--hnsw-max: 7-8 minutes per build there on this box). Rows marked (earlier run) are "
            "the previous run's measurements of that size (same script and data, faiss 1.15.1), "
            "kept so the comparison stays in one table; they were not re-measured now.",
        ]
    lines += [
        "",
        "Random vectors in 320 dimensions are the degenerate case: every point's neighbours are "
        "near-ties at cosine ~0.25, so any index that does not look at (almost) every vector "
        "misses most of the exact top 10; that is what sinks HNSW and IVF there. In the clustered "
        "set the 4 takes of the query's sign are easy and the rest of the top 10 is such a "
        "tie. Real embeddings are more structured than either, so these recalls are likely a "
        "floor.",
        "",
        f"The gallery uses exact search below {PQ_THRESHOLD:,} entries and pq (kf{PQ_K_FACTOR}) "
        "from there (`signlookup/index/faiss_index.py`, PQ_THRESHOLD and PQ_K_FACTOR): it "
        "scans all codes, so its recall does not fall with N the way HNSW's and IVF's do, it "
        "builds in under half a minute at 1M (HNSW: 7-8 minutes), and it deletes in place. HNSW "
        "and IVF stay in this table as the measured alternatives.",
    ]
    if e2e:
        lines += [
            "",
            f"End to end, one video query against the demo gallery ({e2e[0]['embedder']} embedder; "
            "best of 3; decode is measured alone and subtracted from MediaPipe's pass):",
            "",
            "| clip | frames | decode ms | pose ms | embed ms | search ms | total ms | top-1 |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for e in e2e:
            lines.append(
                f"| {e['clip']} | {e['frames']} | {e['decode'] * 1e3:.0f} | {e['pose'] * 1e3:.0f} | "
                f"{e['embed'] * 1e3:.1f} | {e['search'] * 1e3:.2f} | {e['total'] * 1e3:.0f} | {e['top1']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--hnsw-max", type=int, default=100_000)
    parser.add_argument(
        "--dim", type=int, default=320, help="embedding size (FeatureEmbedder: 320)"
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ef-sweep", type=int, nargs="*", default=[256])
    parser.add_argument("--kf-sweep", type=float, nargs="*", default=[10, 30])
    parser.add_argument("--ivf-nprobe", type=int, nargs="*", default=[16, 64, 256, 1024])
    parser.add_argument("--ivf-min", type=int, default=100_000, help="raw IVF rows from this N")
    parser.add_argument("--data", nargs="+", default=["clustered", "random"])
    parser.add_argument("--no-e2e", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = [
        row for n in args.sizes for data in args.data for row in bench_size(n, args.dim, data, args)
    ]
    e2e = []
    videos = REPO.parent / "shared" / "data" / "videos"
    gallery = REPO / "resources" / "demo_gallery"
    if not args.no_e2e and videos.is_dir() and gallery.is_dir():
        e2e = end_to_end([videos / "pai_ne_1.mp4", videos / "café_uf_3.mp4"], gallery)
    command = " ".join(["python -m benchmarks.index_bench", *argv])
    text = render(rows, e2e, args, command, time.perf_counter() - start)
    print(text)
    if not args.no_write:
        from benchmarks.report import write_section

        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
