"""TrainConfig: every setting of a run, loaded from configs/*.json and saved beside the weights."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

ALL_SETS = ("asl_traduttore", "libras_bberaldo", "libras_dayane")


@dataclass
class TrainConfig:
    name: str = "transformer_attn_supcon"
    arch: str = "transformer"  # transformer | stgcn
    pooling: str = "attention"  # attention | mean
    loss: str = "supcon"  # supcon | arcface | arcface+supcon | proxynca
    d_model: int = 128
    layers: int = 2
    heads: int = 4
    ff: int = 256
    dropout: float = 0.1
    gcn_channels: int = 64
    embedding_size: int = 256
    p_classes: int = 16
    k_per_class: int = 3
    steps: int = 300
    lr: float = 1e-3
    weight_decay: float = 1e-4
    warmup: int = 50
    temperature: float = 0.1
    arcface_margin_deg: float = 28.6
    arcface_scale: float = 64.0
    loss_lr: float = 1e-2  # ArcFace / ProxyNCA class weights
    aug_mirror_p: float = 0.2
    aug_rotate_deg: float = 10.0
    aug_scale: float = 0.1
    aug_shear: float = 0.1
    aug_speed: float = 0.2
    aug_hand_drop_p: float = 0.1
    aug_frame_drop_p: float = 0.05
    aug_pose_only_p: float = 0.0  # share of clips with both hands removed (pose-only input)
    # signer invariance (0 = off): other bodies and cameras (augment.py, docs/encoder.md)
    aug_bone_scale: float = 0.0  # upper arm / forearm length x (1 ± this), each side
    aug_shoulder_width: float = 0.0  # shoulder width x (1 ± this), the arms follow
    aug_hand_size: float = 0.0  # hand size about its wrist x (1 ± this)
    aug_yaw_deg: float = 0.0  # camera rotation about the body's vertical axis
    aug_pause_p: float = 0.0  # share of clips given a random hold (pause) somewhere
    # self-supervised pre-training before the metric loss (pretrain.py; 0 steps = none)
    pretrain_steps: int = 0
    pretrain_batch: int = 64
    pretrain_lr: float = 1e-3
    pretrain_temperature: float = 0.2
    pretrain_extra: bool = True  # add unlabelled MIT sequences (ASL idle takes, .pose samples)
    pretrain_only: bool = False  # skip fine-tuning (the "pre-training only" row)
    length: int = 32
    sets: list[str] = field(default_factory=lambda: list(ALL_SETS))
    # per-set frame aspect applied to x ({} = as stored; data.WIDE_FRAME_ASPECT is the experiment)
    set_aspect: dict[str, float] = field(default_factory=dict)
    # sets whose training-side clips train (None = all of ``sets``); splits are drawn over
    # ``sets``, so a run without ASL tests on exactly the Libras classes the full run tests on
    train_sets: list[str] | None = None
    drop_labels: list[str] = field(default_factory=lambda: ["-"])  # ASL "idle" is no sign
    fusion_weight: float = 0.5
    # test time: embeddings averaged over these time crops (start, end shares of the clip);
    # the bundle's sidecar carries them, so the app and `signlookup eval` average alike
    tta_crops: list[list[float]] = field(
        default_factory=lambda: [[0.0, 1.0], [0.0, 0.85], [0.15, 1.0]]
    )
    seed: int = 0
    ensemble: int = 1  # `train` fits this many members (seeds seed, seed+1, ...) for the bundle
    threads: int = 1
    eval_every: int = 100

    @classmethod
    def load(cls, path: str | Path, **overrides) -> TrainConfig:
        data = json.loads(Path(path).read_text()) if path else {}
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{path}: unknown config keys {sorted(unknown)}")
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**data)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n")
