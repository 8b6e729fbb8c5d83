"""Pose stage speed (issue 18) against a full-rate reference timed in the same run, and the guard.

Run: ``python -m benchmarks.pose_speed [--rounds N] [--no-import]``; prints tables and writes the
"Pose stage" section of docs/benchmarks.md.

- Query: ``timings_ms.pose`` of ``python -m signlookup search CLIP --gallery
  resources/demo_gallery --json`` (a fresh process, an empty pose cache; then once more with the
  cache filled), against the reference beside it: decode every frame and run stock MediaPipe
  Holistic (complexity 1, tracking mode, native size) on each, graph built before the clock
  starts. Rounds alternate reference and search so a shared machine's load hits both.
- Import: the 30 shared Libras clips into a new gallery, today's way (every frame, stock
  Holistic, one clip after another) against the default import (worker processes, sampled).
- Guard: landmark agreement (hand detection rate, distance in shoulder widths) and the twin
  protocol of training/sign_encoder/real_clips.py (each clip of the five two-source words
  queries the other 29; one relevant clip, so mAP equals MRR) on both sets of landmarks.
- Ideas measured apart: the face-free graph, decode-time downscale, and the idle frames a
  first pass could skip.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import cv2
import numpy as np

from benchmarks.report import machine, write_section
from signlookup.capture import VideoFileSource
from signlookup.encoder import FeatureEmbedder
from signlookup.encoder.metrics import score_embeddings
from signlookup.gallery import Gallery, import_folder
from signlookup.pose import (
    DEFAULT_SAMPLING,
    HolisticExtractor,
    PoseSequence,
    find_active_span,
    interpolate_missing,
    normalise,
)
from signlookup.pose.holistic import points_and_mask
from signlookup.pose.layout import LEFT_HAND, RIGHT_HAND, point
from signlookup.search import default_embedder

REPO = Path(__file__).resolve().parents[1]
VIDEOS = REPO.parent / "shared" / "data" / "videos"
DEMO = REPO / "resources" / "demo_gallery"
QUERY_CLIPS = ("café_uf_3.mp4", "carne_vl_4.mp4")


def stock_holistic():
    from mediapipe.python.solutions import holistic

    return holistic.Holistic(static_image_mode=False, model_complexity=1, smooth_landmarks=True)


def reference_pose(path: Path) -> tuple[PoseSequence, float]:
    """Every frame, native size, stock Holistic; seconds from the first decode to the last pose."""
    graph = stock_holistic()
    points, masks = [], []
    try:
        with VideoFileSource(path) as source:
            start = time.perf_counter()
            for frame in source:
                p, m = points_and_mask(graph.process(frame.image))
                points.append(p)
                masks.append(m)
            seconds = time.perf_counter() - start
            aspect = frame.size[0] / frame.size[1]
            fps = source.fps
    finally:
        graph.close()
    return PoseSequence(np.stack(points), np.stack(masks), fps, aspect), seconds


def search_pose_ms(clip: Path, cache_dir: Path) -> tuple[float, str]:
    """``timings_ms.pose`` and the top gloss of one ``signlookup search --json`` process."""
    env = {**os.environ, "SIGNLOOKUP_CACHE_DIR": str(cache_dir), "SIGNLOOKUP_POSE_CACHE": "1"}
    command = [sys.executable, "-m", "signlookup", "search", str(clip), "--gallery", str(DEMO)]
    out = subprocess.run(
        [*command, "--json", "--top", "3"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    payload = json.loads(out.stdout)
    return payload["timings_ms"]["pose"], payload["results"][0]["gloss"]


def query_speed(rounds: int) -> tuple[str, list[float]]:
    rows, ratios = [], []
    for clip_name in QUERY_CLIPS:
        clip = VIDEOS / clip_name
        refs, colds, warms, tops = [], [], [], set()
        for _ in range(rounds):
            refs.append(reference_pose(clip)[1] * 1e3)
            with tempfile.TemporaryDirectory() as cache:
                cold, top_cold = search_pose_ms(clip, Path(cache))
                warm, top_warm = search_pose_ms(clip, Path(cache))
            colds.append(cold)
            warms.append(warm)
            tops |= {top_cold, top_warm}
            ratios.append(cold / refs[-1])
            print(f"{clip_name}: reference {refs[-1]:.0f} ms, search pose {cold:.0f} ms "
                  f"(ratio {cold / refs[-1]:.2f}), repeat {warm:.0f} ms, top {top_cold}")  # fmt: skip
        per_round = ", ".join(f"{c / r:.2f}" for c, r in zip(colds, refs, strict=True))
        rows.append(
            f"| {clip_name} | {statistics.median(refs):.0f} | {statistics.median(colds):.0f} | "
            f"{per_round} | {statistics.median(warms):.0f} | {', '.join(sorted(tops))} |"
        )
    table = "\n".join(
        [
            "| clip | reference ms (median) | `timings_ms.pose` ms, empty cache (median) | "
            "ratio per round | repeat query ms | top result |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )
    return table, ratios


def import_speed(clips: list[Path], work: Path) -> tuple[str, dict, dict]:
    """Seconds for both imports; the landmarks each produced, by clip name."""
    folder = work / "clips"
    folder.mkdir()
    for clip in clips:
        (folder / clip.name).symlink_to(clip)
    embedder = default_embedder()
    reference: dict[str, PoseSequence] = {}

    def today(path: Path) -> PoseSequence:
        reference[path.name] = reference_pose(path)[0]
        return reference[path.name]

    seconds = {}
    for name, extract in (("today", today), ("fast", None)):
        start = time.perf_counter()
        with Gallery.create(work / name, embedder) as gallery:
            report = import_folder(gallery, folder, language="Libras", extract=extract)
            assert len(report.added) == len(clips), report.failed
            poses = {e.original_name: e.pose_path for e in gallery.entries()}
        seconds[name] = time.perf_counter() - start
        print(f"import {name}: {seconds[name]:.1f} s for {len(clips)} clips")
    from signlookup.pose import load_npz

    fast = {name: load_npz(path) for name, path in poses.items()}
    rate = {k: len(clips) / v * 60 for k, v in seconds.items()}
    table = (
        "| import of the 30 clips | seconds | clips per minute |\n|---|---|---|\n"
        f"| today (every frame, stock Holistic, one at a time) | {seconds['today']:.0f} | "
        f"{rate['today']:.1f} |\n"
        f"| default (sampled, face-free graph, {os.cpu_count()} worker processes) | "
        f"{seconds['fast']:.0f} | {rate['fast']:.1f} |\n\n"
        f"Throughput ratio: **{seconds['today'] / seconds['fast']:.2f}x**."
    )
    return table, reference, fast


def hand_rate(seq: PoseSequence) -> float:
    return float(
        np.mean([seq.mask[:, LEFT_HAND].any(1).mean(), seq.mask[:, RIGHT_HAND].any(1).mean()])
    )


def agreement(reference: dict, fast: dict) -> str:
    """Per-set means: hand detection rate both ways, landmark distance in shoulder widths."""
    shoulders = point("LEFT_SHOULDER"), point("RIGHT_SHOULDER")
    rates_ref, rates_fast, dist_all, dist_hands, mask_agree = [], [], [], [], []
    for name, ref in reference.items():
        got = fast[name]
        assert len(got) == len(ref), name
        scale = np.array([ref.aspect or 1.0, 1.0], np.float32)
        width = np.linalg.norm((ref.points[:, shoulders[0], :2] - ref.points[:, shoulders[1], :2]) * scale, axis=-1)  # fmt: skip
        dist = np.linalg.norm((ref.points[..., :2] - got.points[..., :2]) * scale, axis=-1)
        dist /= np.maximum(width, 1e-6)[:, None]
        both = ref.mask & got.mask
        rates_ref.append(hand_rate(ref))
        rates_fast.append(hand_rate(got))
        dist_all.append(dist[both].mean())
        dist_hands.append(dist[:, 33:][both[:, 33:]].mean() if both[:, 33:].any() else np.nan)
        mask_agree.append((ref.mask[:, 33:] == got.mask[:, 33:]).mean())
    return (
        "| landmarks, mean over clips | reference | default |\n|---|---|---|\n"
        f"| hand detection rate (share of frames, per hand) | {np.mean(rates_ref):.3f} | "
        f"{np.mean(rates_fast):.3f} |\n"
        f"| frames where each hand's presence agrees | | {np.mean(mask_agree):.3f} |\n"
        f"| mean distance, all landmarks seen in both (shoulder widths) | | "
        f"{np.mean(dist_all):.4f} |\n"
        f"| mean distance, hand landmarks (shoulder widths) | | {np.nanmean(dist_hands):.4f} |"
    )


def retrieval(reference: dict, fast: dict) -> str:
    names = sorted(reference)
    labels = [n.split("_")[0] for n in names]
    rows = []
    for label, embedder in (("features", FeatureEmbedder()), ("model", default_embedder())):
        ref = embedder.embed([reference[n] for n in names])
        got = embedder.embed([fast[n] for n in names])
        own_first = int(sum(labels[int(np.argmax(ref @ v))] == labels[i] for i, v in enumerate(got)))  # fmt: skip
        for queries, gallery, what in ((ref, ref, "reference / reference"), (got, got, "default / default"), (got, ref, "default / reference")):  # fmt: skip
            m = score_embeddings(queries, gallery, labels, labels, ks=(1, 5), exclude_self=True)
            rows.append(f"| {label} | {what} | {m['map']:.3f} | {m['recall@1']:.2f} | {m['recall@5']:.2f} | {m['n_queries']} |")  # fmt: skip
        rows.append(f"| {label} | default query's top result among reference poses (self included) is its word | {own_first}/{len(names)} | | | |")  # fmt: skip
    return "\n".join(
        [
            "| embedder | queries / gallery landmarks | mAP (= MRR) | R@1 | R@5 | queries |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )


def ideas(reference: dict) -> str:
    """The face-free graph and decode-time downscale (CPU ms per frame), and idle frames."""
    clip = VIDEOS / "carne_vl_4.mp4"
    with VideoFileSource(clip) as source:
        frames = [f.image for f, _ in zip(source, range(90), strict=False)]
    h, w = frames[0].shape[:2]
    variants = {"stock Holistic, native": (stock_holistic, None)}
    variants |= {f"face-free, longest side {s or max(w, h)}": (HolisticExtractor, s) for s in (None, 960, 640)}  # fmt: skip
    cost: dict[str, list[float]] = {k: [] for k in variants}
    for _ in range(2):  # interleaved rounds
        for label, (make, side) in variants.items():
            scale = 1.0 if side is None else side / max(w, h)
            images = [cv2.resize(f, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if side else f for f in frames]  # fmt: skip
            graph = make()
            start = time.process_time()
            for image in images:
                graph.process(image)
            cost[label].append((time.process_time() - start) * 1e3 / len(images))
            graph.close()
    rows = [f"| {k} | {min(v):.1f} |" for k, v in cost.items()]
    idle = {}
    for name, seq in reference.items():
        points = normalise(interpolate_missing(seq.points, seq.mask), seq.mask, seq.aspect)
        start, stop = find_active_span(points, seq.mask, seq.fps)
        idle[name] = (len(seq) - (stop - start), len(seq))
    total_idle = sum(i for i, _ in idle.values()) / sum(t for _, t in idle.values())
    per_clip = ", ".join(f"{n} {idle[n][0] / idle[n][1]:.0%}" for n in QUERY_CLIPS if n in idle)
    return (
        f"Holistic CPU time per frame, {clip.name} (first 90 frames, best of 2 interleaved "
        "rounds):\n\n| variant | CPU ms per frame |\n|---|---|\n" + "\n".join(rows) + "\n\n"
        f"Frames outside the active span (`find_active_span` on the reference landmarks): "
        f"{total_idle:.0%} of all frames of the 30 clips; {per_clip}."
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--part", choices=("all", "query", "import"), default="all")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    where = f"on {machine()}, load average {load:.1f} at the start (a shared machine)"
    if args.part in ("all", "query"):
        query_table, ratios = query_speed(args.rounds)
        print(query_table)
        write_section(
            "pose-speed-query",
            "## Pose stage\n\n"
            f"`python -m benchmarks.pose_speed --part query --rounds {args.rounds}` {where}. "
            f"Default sampling: Holistic on about {DEFAULT_SAMPLING.max_fps:g} frames per second "
            f"(at least {DEFAULT_SAMPLING.min_frames} frames), the face-free graph, decoding on "
            "a second thread; mediapipe is imported while the gallery and model load and is not "
            "part of `timings_ms.pose`, the reference's import and graph are not timed either. "
            "Reference: every frame decoded and run through stock Holistic at native size.\n\n"
            + query_table
            + f"\n\nWorst ratio over all rounds: **{max(ratios):.2f}** (target at most 0.40); "
            f"median {statistics.median(ratios):.2f}.",
        )
    if args.part in ("all", "import"):
        clips = sorted(p for p in VIDEOS.glob("*_*_*.mp4") if "mit" not in p.stem)  # the 30
        with tempfile.TemporaryDirectory() as work:
            os.environ["SIGNLOOKUP_CACHE_DIR"] = str(Path(work) / "cache")  # an empty cache
            os.environ["SIGNLOOKUP_POSE_CACHE"] = "1"
            import_table, reference, fast = import_speed(clips, Path(work))
        print(import_table)
        guard = agreement(reference, fast)
        ranks = retrieval(reference, fast)
        idea_table = ideas(reference)
        print(guard, ranks, idea_table, sep="\n\n")
        write_section(
            "pose-speed-import",
            f"### Gallery import and the guard\n\n`python -m benchmarks.pose_speed --part "
            f"import` {where}.\n\n{import_table}\n\n#### Same results\n\n{guard}\n\n{ranks}"
            f"\n\n#### Ideas measured apart\n\n{idea_table}",
        )


if __name__ == "__main__":
    main()
