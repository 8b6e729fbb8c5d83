"""Time to embed one query sequence: training-free features, the eager model, TorchScript, fused.

Run: ``python -m benchmarks.encoder_speed [--model resources/models/sign_encoder.pt] [--frames 90]``.
The query is a real 30-frame take from libras_bberaldo stretched to ``--frames`` (a live clip of
a few seconds) when ../shared is present, else a synthetic signer. Prints a table and writes the
"Encoder speed" section of docs/encoder.md. The median of repeated single-query calls is
reported (what the app pays per search), after warm-up; torch threads as given (default 2).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from benchmarks.report import machine, write_section
from signlookup.encoder.bundle import TorchScriptEmbedder, load_bundled_embedder
from signlookup.encoder.default import default_model_path
from signlookup.encoder.feature_embedder import FeatureEmbedder
from signlookup.features import FeatureSpec, canonical_poses, model_input
from signlookup.pose import PoseSequence, load_keypoint_set
from signlookup.pose.preprocess import resample

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "keypoints"
DOC = Path(__file__).resolve().parents[1] / "docs" / "encoder.md"


def query(frames: int) -> PoseSequence:
    path = SHARED / "libras_bberaldo.npz"
    if path.exists():
        seq = load_keypoint_set(path).sequence(0)
    else:  # synthetic stand-in: shoulders, hips and a right hand
        rng = np.random.default_rng(0)
        pts = rng.uniform(0.3, 0.7, (30, 75, 3)).astype(np.float32)
        seq = PoseSequence(pts, np.ones((30, 75), bool))
    pts, mask = resample(seq.points, seq.mask, frames)
    return PoseSequence(pts, mask, seq.fps)


def time_ms(fn, repeats: int) -> float:
    for _ in range(5):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", type=Path, default=default_model_path())
    p.add_argument("--frames", type=int, default=90)
    p.add_argument("--repeats", type=int, default=50)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-doc", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    seq = query(a.frames)
    rows = []
    feats = FeatureEmbedder()
    rows.append(("features (training-free, numpy)", time_ms(lambda: feats.embed([seq]), a.repeats)))
    if a.model.exists():
        scripted: TorchScriptEmbedder = load_bundled_embedder(a.model, fusion=False)
        fused = load_bundled_embedder(a.model)
        meta = json.loads(a.model.with_suffix(".json").read_text())
        from training.sign_encoder.config import TrainConfig
        from training.sign_encoder.model import TransformerEncoder, bundle_model

        cfg = TrainConfig(**meta["train_config"])
        spec = FeatureSpec.from_dict(meta["feature_spec"])
        x = model_input(*canonical_poses([seq], spec))
        zeros, ones = np.zeros(x.shape[-1]), np.ones(x.shape[-1])
        eager = bundle_model([TransformerEncoder(x.shape[-1], cfg, zeros, ones)
                              for _ in range(cfg.ensemble)])  # fmt: skip
        eager.load_state_dict(scripted.model.state_dict())
        eager.eval()
        xt = torch.from_numpy(x)

        def run_eager():
            with torch.inference_mode():
                eager(xt)

        def run_script():
            with torch.inference_mode():
                scripted.model(xt)

        rows.append(("model forward, eager", time_ms(run_eager, a.repeats)))
        rows.append(("model forward, TorchScript", time_ms(run_script, a.repeats)))
        rows.append(("TorchScript embed (features + forward)",
                     time_ms(lambda: scripted.embed([seq]), a.repeats)))  # fmt: skip
        rows.append(
            ("fused embed (the app's scorer)", time_ms(lambda: fused.embed([seq]), a.repeats))
        )
    table = ["| step | ms per query |", "|---|---|"] + [f"| {n} | {ms:.2f} |" for n, ms in rows]
    body = (
        "## Encoder speed\n\n"
        f"One query of {a.frames} frames, median of {a.repeats} calls after warm-up, "
        f"{machine()}; written by `python -m benchmarks.encoder_speed`.\n\n" + "\n".join(table)
    )
    print(body)
    if not a.no_doc:
        write_section("encoder_speed", body, DOC)


if __name__ == "__main__":
    main()
