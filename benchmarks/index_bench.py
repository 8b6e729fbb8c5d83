"""Index and search benchmark: faiss exact vs HNSW at gallery sizes, and one video query end to end.

Usage::

    python -m benchmarks.index_bench [--sizes 10000 100000] [--hnsw-max 100000] [--dim 320]
                                     [--queries 300] [--no-e2e] [--no-write]

For each size and each kind of data (``clustered``: many signs with a few noisy takes each, like
a real gallery; ``random``: uniform on the sphere, the worst case for graph indexes) it reports
build time, index memory (its serialised size), single-query latency p50/p95 and, for HNSW,
recall@10 against exact search. HNSW is built only up to ``--hnsw-max`` vectors (its build time
grows to many minutes at 1M on a 2-core machine). The end-to-end part times decode, MediaPipe,
embedding and search for a video query against the demo gallery. Results go into the
"Index and search" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from signlookup.index import HNSW_THRESHOLD, FaissIndex, normalise_rows
from signlookup.index.faiss_index import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M

REPO = Path(__file__).resolve().parents[1]
SECTION = "index-search"
THREADS = faiss.omp_get_max_threads()
IVF_NPROBE = 48


@dataclass
class Row:
    n: int
    data: str
    kind: str
    build_s: float
    memory_mb: float
    p50_ms: float
    p95_ms: float
    recall10: float | None


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


def latency_ms(index: FaissIndex, queries: np.ndarray, k: int = 10) -> tuple[float, float]:
    """p50 and p95 of one query at a time (how the app searches)."""
    times = []
    for q in queries:
        t = time.perf_counter()
        index.search(q[None], k)
        times.append((time.perf_counter() - t) * 1e3)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def bench_size(
    n: int,
    dim: int,
    data: str,
    n_queries: int,
    hnsw_max: int,
    ivf_min: int,
    ef_sweep: tuple[int, ...] = (),
) -> list[Row]:
    vectors, queries = make_data(n, dim, data, n_queries)
    ids = np.arange(n, dtype=np.int64)
    rows = []
    t = time.perf_counter()
    exact = FaissIndex.build(ids, vectors, "flat")
    build = time.perf_counter() - t
    p50, p95 = latency_ms(exact, queries)
    mem = faiss.serialize_index(exact._index).nbytes / 1e6
    rows.append(Row(n, data, "flat", build, mem, p50, p95, None))
    print(rows[-1], flush=True)
    if n <= hnsw_max:
        truth = exact.search(queries, 10)[1]
        t = time.perf_counter()
        hnsw = FaissIndex.build(ids, vectors, "hnsw")
        build = time.perf_counter() - t
        p50, p95 = latency_ms(hnsw, queries)
        found = hnsw.search(queries, 10)[1]
        recall = float(
            np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)])
        )
        mem = faiss.serialize_index(hnsw._index).nbytes / 1e6
        rows.append(Row(n, data, f"hnsw ef{HNSW_EF_SEARCH}", build, mem, p50, p95, recall))
        print(rows[-1], flush=True)
        for ef in ef_sweep:  # same graph, wider beam: what recall costs in latency
            hnsw.ef_search = ef
            p50, p95 = latency_ms(hnsw, queries)
            found = hnsw.search(queries, 10)[1]
            recall = float(
                np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)])
            )
            rows.append(Row(n, data, f"hnsw ef{ef}", 0.0, mem, p50, p95, recall))
            print(rows[-1], flush=True)
        del hnsw
    elif n >= ivf_min:
        truth = exact.search(queries, 10)[1]
        rows.append(bench_ivf(vectors, queries, truth, data))
        print(rows[-1], flush=True)
    return rows


class _Ivf:
    """Raw faiss IVF-Flat (not a gallery backend): what 1M vectors look like without HNSW's build."""

    def __init__(self, index: faiss.Index):
        self.index = index

    def search(self, queries: np.ndarray, k: int):
        faiss.omp_set_num_threads(1)  # one query at a time, as FaissIndex does
        try:
            return self.index.search(queries, k)
        finally:
            faiss.omp_set_num_threads(THREADS)


def bench_ivf(vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray, data: str) -> Row:
    n, dim = vectors.shape
    nlist = int(4 * np.sqrt(n))
    t = time.perf_counter()
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = vectors[np.random.default_rng(1).choice(n, min(n, 40 * nlist), replace=False)]
    index.train(sample)
    index.add(vectors)
    build = time.perf_counter() - t
    index.nprobe = IVF_NPROBE
    ivf = _Ivf(index)
    p50, p95 = latency_ms(ivf, queries)  # type: ignore[arg-type]
    found = index.search(queries, 10)[1]
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(found, truth, strict=True)]))
    mem = faiss.serialize_index(index).nbytes / 1e6
    return Row(n, data, f"ivf{nlist} nprobe{IVF_NPROBE}", build, mem, p50, p95, recall)


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


def render(rows: list[Row], e2e: list[dict], args: argparse.Namespace, wall_s: float) -> str:
    lines = [
        "## Index and search",
        "",
        f"`python -m benchmarks.index_bench --sizes {' '.join(map(str, args.sizes))} "
        f"--hnsw-max {args.hnsw_max} --dim {args.dim} --queries {args.queries}` on "
        f"{platform.machine()}, {faiss.omp_get_max_threads()} faiss threads (2 cores shared with "
        f"other jobs), faiss {faiss.__version__}; {wall_s / 60:.1f} min in all. One query at a time, k=10. "
        f"HNSW: M={HNSW_M}, efConstruction={HNSW_EF_CONSTRUCTION}, efSearch={HNSW_EF_SEARCH}. "
        "Memory is the serialised index size. Clustered = N/4 signs x 4 takes (within-sign "
        "cosine ~0.75); random = uniform on the sphere.",
        "",
        "| N | data | index | build s | memory MB | p50 ms | p95 ms | recall@10 vs exact |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        recall = "exact" if r.recall10 is None else f"{r.recall10:.3f}"
        build = "(same graph)" if r.build_s == 0 else f"{r.build_s:.2f}"
        lines.append(
            f"| {r.n:,} | {r.data} | {r.kind} | {build} | {r.memory_mb:.0f} | "
            f"{r.p50_ms:.2f} | {r.p95_ms:.2f} | {recall} |"
        )
    skipped = [n for n in args.sizes if n > args.hnsw_max]
    if skipped:
        lines += [
            "",
            f"HNSW not built for {', '.join(f'{n:,}' for n in skipped)} (over --hnsw-max: its "
            "build takes tens of minutes there on this box). The ivf rows are raw faiss "
            "IndexIVFFlat (nlist = 4 sqrt(N), trained on 40 x nlist vectors), benchmarked as the "
            "large-gallery option; it is not a gallery backend yet.",
        ]
    lines += [
        "",
        f"The gallery uses exact search below {HNSW_THRESHOLD:,} entries and HNSW from there "
        "(`signlookup/index/faiss_index.py`, HNSW_THRESHOLD).",
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--hnsw-max", type=int, default=100_000)
    parser.add_argument(
        "--dim", type=int, default=320, help="embedding size (FeatureEmbedder: 320)"
    )
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--ef-sweep", type=int, nargs="*", default=[128, 256])
    parser.add_argument(
        "--ivf-min", type=int, default=1_000_000, help="raw IVF rows where HNSW is skipped"
    )
    parser.add_argument("--data", nargs="+", default=["clustered", "random"])
    parser.add_argument("--no-e2e", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    rows = [
        row
        for n in args.sizes
        for data in args.data
        for row in bench_size(
            n, args.dim, data, args.queries, args.hnsw_max, args.ivf_min, tuple(args.ef_sweep)
        )
    ]
    e2e = []
    videos = REPO.parent / "shared" / "data" / "videos"
    gallery = REPO / "resources" / "demo_gallery"
    if not args.no_e2e and videos.is_dir() and gallery.is_dir():
        e2e = end_to_end([videos / "pai_ne_1.mp4", videos / "café_uf_3.mp4"], gallery)
    text = render(rows, e2e, args, time.perf_counter() - start)
    print(text)
    if not args.no_write:
        from benchmarks.report import write_section

        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
