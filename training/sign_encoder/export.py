"""Export a trained Transformer as the app's bundle: TorchScript ``.pt`` + JSON sidecar."""

from __future__ import annotations

import json
import platform
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

import signlookup
from signlookup.encoder.bundle import (
    SIDECAR_FORMAT,
    SIDECAR_VERSION,
    bundle_content_hash,
    file_sha256,
)
from signlookup.features import FRAME_DIM, FeatureSpec
from signlookup.pose.io import atomic_write_bytes
from training.sign_encoder.config import TrainConfig
from training.sign_encoder.train import feature_spec


def export_bundle(
    model: torch.nn.Module, cfg: TrainConfig, out: Path, training_data: list[str], metrics: dict
) -> Path:
    """Write ``out`` (.pt) and its sidecar; checks that TorchScript equals eager first.

    ``model`` is a TransformerEncoder or an EnsembleEncoder of them (``cfg.ensemble`` members).
    """
    if cfg.arch != "transformer":
        raise ValueError("only the Transformer reads the per-frame features the app computes")
    model = model.eval()
    scripted = torch.jit.script(model)
    x = torch.randn(3, cfg.length, FRAME_DIM)
    with torch.inference_mode():
        want = model(x)
        diff = (scripted(x) - want).abs().max().item()
    if diff > 1e-4:
        raise RuntimeError(f"TorchScript differs from eager by {diff}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".pt.tmp")
    torch.jit.save(scripted, str(tmp))
    atomic_write_bytes(out, tmp.read_bytes())
    tmp.unlink()
    out.chmod(0o644)  # atomic_write_bytes's temp file is private; a bundle is not
    spec = feature_spec(cfg)
    digest = file_sha256(out)
    meta = {
        "format": SIDECAR_FORMAT,
        "format_version": SIDECAR_VERSION,
        "name": cfg.name,
        "model_file": out.name,
        "model_sha256": digest,
        "input": "signlookup.features.model_input(canonical_poses(seqs, feature_spec)): "
        "float32 (N, sequence_length, frame_dim)",
        "output": "float32 (N, embedding_size), unit rows",
        "feature_spec": spec.to_dict(),
        "sequence_length": cfg.length,
        "frame_dim": FRAME_DIM,
        "embedding_size": int(want.shape[1]),
        "ensemble": {
            "members": cfg.ensemble,
            "seeds": list(range(cfg.seed, cfg.seed + cfg.ensemble)),
            "rule": "concat(member unit vectors) / sqrt(members)",
        },
        "test_time": {
            "time_crops": [[float(a), float(b)] for a, b in cfg.tta_crops],
            "rule": "mean of the unit embeddings of each time crop (resampled), re-normalised; "
            "the model part and the feature part each",
        },
        "fusion": {
            "model_weight": cfg.fusion_weight,
            "rule": "concat(sqrt(w) * model, sqrt(1 - w) * features), unit length",
        },
        "architecture": {
            k: v
            for k, v in asdict(cfg).items()
            if k in ("arch", "pooling", "d_model", "layers", "heads", "ff")
        },
        "loss": cfg.loss,
        "training_data": training_data,
        "metrics": metrics,
        "train_config": asdict(cfg),
        "versions": {
            "signlookup": signlookup.__version__,
            "torch": torch.__version__,
            "numpy": np.__version__,
            "python": platform.python_version(),
        },
        "content_hash": bundle_content_hash(digest, spec),
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    return out


def refresh_feature_spec(model_path: Path, out_dir: Path | None = None) -> Path:
    """Give an exported bundle today's feature spec (``FeatureSpec`` defaults: the groups the
    fused features pool and their weights) without retraining: the model reads the per-frame
    groups, which are unchanged; only the fused feature part and ``content_hash`` change.
    Writes the model and its new sidecar into ``out_dir`` (default: in place)."""
    model_path = Path(model_path)
    meta = json.loads(model_path.with_suffix(".json").read_text())
    spec = FeatureSpec(length=int(meta["sequence_length"]))
    if spec.to_dict()["groups"] != meta["feature_spec"]["groups"]:
        raise ValueError("the per-frame groups changed: the model must be retrained")
    target = Path(out_dir or model_path.parent) / model_path.name
    if target != model_path:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(model_path.read_bytes())
    meta["feature_spec"] = spec.to_dict()
    meta["content_hash"] = bundle_content_hash(meta["model_sha256"], spec)
    target.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    return target
