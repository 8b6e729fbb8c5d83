"""Metric losses from pytorch-metric-learning: SupCon, ArcFace, ArcFace+SupCon, ProxyNCA.

ArcFace and ProxyNCA own a class-weight matrix: ``parameters()`` must go to the optimizer
(PML issue #534); ArcFace's margin is in degrees.
"""

from __future__ import annotations

import torch
from pytorch_metric_learning import losses

from training.sign_encoder.config import TrainConfig

LOSSES = ("supcon", "arcface", "arcface+supcon", "proxynca")


class MetricLoss(torch.nn.Module):
    def __init__(self, cfg: TrainConfig, num_classes: int) -> None:
        super().__init__()
        if cfg.loss not in LOSSES:
            raise ValueError(f"unknown loss {cfg.loss!r}; choose from {LOSSES}")
        self.parts = torch.nn.ModuleList()
        if "supcon" in cfg.loss:
            self.parts.append(losses.SupConLoss(temperature=cfg.temperature))
        if "arcface" in cfg.loss:
            self.parts.append(losses.ArcFaceLoss(num_classes, cfg.embedding_size,
                                                 margin=cfg.arcface_margin_deg,
                                                 scale=cfg.arcface_scale))  # fmt: skip
        if cfg.loss == "proxynca":
            self.parts.append(losses.ProxyNCALoss(num_classes, cfg.embedding_size,
                                                  softmax_scale=10))  # fmt: skip

    def forward(self, embeddings: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return sum(part(embeddings, labels) for part in self.parts)
