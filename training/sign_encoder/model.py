"""Encoders: a frame Transformer with attention (or mean) pooling, and a two-stream ST-GCN.

Shapes: the Transformer reads (N, L, F) per-frame features (``signlookup.features.model_input``)
and is what the app loads as TorchScript; the ST-GCN reads joint graphs built from the same
canonical poses (pose stream (N, C, L, 13), hands stream (N, C, L, 42)) and is trained for the
comparison. Both return (N, E) L2-normalised embeddings.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from signlookup.features.frame import palm_size
from signlookup.pose.layout import HAND_BONES, LEFT_HAND, RIGHT_HAND, point
from training.sign_encoder.config import TrainConfig


def sinusoidal_positions(length: int, d: int) -> torch.Tensor:
    pos = torch.arange(length, dtype=torch.float32)[:, None]
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    pe = torch.zeros(length, d)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe


class TransformerEncoder(nn.Module):
    """(N, L, F) features -> standardise -> linear -> + positions -> Transformer -> pool -> (N, E)."""

    def __init__(self, frame_dim: int, cfg: TrainConfig, mean: np.ndarray, std: np.ndarray):
        super().__init__()
        self.register_buffer("feat_mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("feat_std", torch.as_tensor(std, dtype=torch.float32))
        self.inp = nn.Linear(frame_dim, cfg.d_model)
        self.register_buffer("pos", sinusoidal_positions(max(cfg.length, 256), cfg.d_model))
        layer = nn.TransformerEncoderLayer(
            cfg.d_model, cfg.heads, cfg.ff, cfg.dropout, batch_first=True, norm_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, cfg.layers, enable_nested_tensor=False)
        self.attention_pooling: bool = cfg.pooling == "attention"
        self.attn = nn.Sequential(nn.Linear(cfg.d_model, cfg.d_model // 2), nn.Tanh(),
                                  nn.Linear(cfg.d_model // 2, 1))  # fmt: skip
        self.head = nn.Sequential(
            nn.LayerNorm(cfg.d_model), nn.Linear(cfg.d_model, cfg.embedding_size)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = (x - self.feat_mean) / self.feat_std
        h = self.inp(x) + self.pos[: x.shape[1]]
        h = self.encoder(h)
        if self.attention_pooling:
            w = torch.softmax(self.attn(h).squeeze(-1), dim=1)
            pooled = (w.unsqueeze(-1) * h).sum(dim=1)
        else:
            pooled = h.mean(dim=1)
        return F.normalize(self.head(pooled), dim=-1)


class EnsembleEncoder(nn.Module):
    """Encoders trained alike from different seeds, as one model for the bundle.

    Output: the members' unit embeddings concatenated and divided by sqrt(n), a unit vector
    whose cosine with another is the mean of the members' cosines (seed variance averages out).
    """

    def __init__(self, members: list[nn.Module]) -> None:
        super().__init__()
        self.members = nn.ModuleList(members)
        self.scale = 1.0 / math.sqrt(len(members))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = [member(x) for member in self.members]
        return torch.cat(parts, dim=1) * self.scale


def bundle_model(models: list[nn.Module]) -> nn.Module:
    """What the bundle exports: the one model, or the ensemble of several."""
    return models[0] if len(models) == 1 else EnsembleEncoder(models)


# --- two-stream ST-GCN ------------------------------------------------------------------------

POSE_NODES = ("NOSE", "LEFT_EYE", "RIGHT_EYE", "MOUTH_LEFT", "MOUTH_RIGHT", "LEFT_SHOULDER",
              "RIGHT_SHOULDER", "LEFT_ELBOW", "RIGHT_ELBOW", "LEFT_WRIST", "RIGHT_WRIST",
              "LEFT_HIP", "RIGHT_HIP")  # fmt: skip
POSE_EDGES = (("NOSE", "LEFT_EYE"), ("NOSE", "RIGHT_EYE"), ("NOSE", "MOUTH_LEFT"),
              ("NOSE", "MOUTH_RIGHT"), ("MOUTH_LEFT", "MOUTH_RIGHT"), ("NOSE", "LEFT_SHOULDER"),
              ("NOSE", "RIGHT_SHOULDER"), ("LEFT_SHOULDER", "RIGHT_SHOULDER"),
              ("LEFT_SHOULDER", "LEFT_ELBOW"), ("LEFT_ELBOW", "LEFT_WRIST"),
              ("RIGHT_SHOULDER", "RIGHT_ELBOW"), ("RIGHT_ELBOW", "RIGHT_WRIST"),
              ("LEFT_SHOULDER", "LEFT_HIP"), ("RIGHT_SHOULDER", "RIGHT_HIP"),
              ("LEFT_HIP", "RIGHT_HIP"))  # fmt: skip
#: parent of each pose node for bone vectors (NOSE is its own root)
_POSE_PARENT = {"NOSE": "NOSE", "LEFT_EYE": "NOSE", "RIGHT_EYE": "NOSE", "MOUTH_LEFT": "NOSE",
                "MOUTH_RIGHT": "NOSE", "LEFT_SHOULDER": "NOSE", "RIGHT_SHOULDER": "NOSE",
                "LEFT_ELBOW": "LEFT_SHOULDER", "RIGHT_ELBOW": "RIGHT_SHOULDER",
                "LEFT_WRIST": "LEFT_ELBOW", "RIGHT_WRIST": "RIGHT_ELBOW",
                "LEFT_HIP": "LEFT_SHOULDER", "RIGHT_HIP": "RIGHT_SHOULDER"}  # fmt: skip
GCN_CHANNELS = 12


def _adjacency(n: int, edges) -> torch.Tensor:
    a = np.eye(n, dtype=np.float32)
    for i, j in edges:
        a[i, j] = a[j, i] = 1
    d = a.sum(1)
    return torch.from_numpy(a / np.sqrt(np.outer(d, d)))


def _hand_parents() -> list[int]:
    parent = list(range(21))
    for p, c in HAND_BONES:
        if parent[c] == c:
            parent[c] = p
    return parent


def gcn_inputs(points: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Joint features of canonical poses (N, L, 75, 3): pose (N, 12, L, 13), hands (N, 12, L, 42).

    Per node: position, bone (node minus parent), bone velocity, position velocity; hand
    positions are relative to their wrist over palm size (handshape), plus the wrist's place.
    """
    idx = [point(n) for n in POSE_NODES]
    par = [point(_POSE_PARENT[n]) for n in POSE_NODES]
    pose = points[:, :, idx]
    bone = pose - points[:, :, par]
    hands, hbone = [], []
    hp = _hand_parents()
    for hand in (LEFT_HAND, RIGHT_HAND):
        h = points[:, :, hand]
        size = np.maximum(palm_size(h), 1e-3)[..., None, None]
        rel = (h - h[:, :, :1]) / size
        hands.append(rel + h[:, :, :1])  # shape around the wrist's place
        hbone.append(rel - rel[:, :, hp])
    hands, hbone = np.concatenate(hands, 2), np.concatenate(hbone, 2)

    def stack(pos, b):
        vb = np.gradient(b, axis=1)
        vp = np.gradient(pos, axis=1)
        return np.concatenate([pos, b, vb * 4, vp * 4], -1).transpose(0, 3, 1, 2)

    return stack(pose, bone).astype(np.float32), stack(hands, hbone).astype(np.float32)


class STGCNBlock(nn.Module):
    def __init__(self, cin: int, cout: int, a: torch.Tensor, dropout: float) -> None:
        super().__init__()
        self.register_buffer("a", a)
        self.spatial = nn.Conv2d(cin, cout, 1)
        self.bn1 = nn.BatchNorm2d(cout)
        self.temporal = nn.Conv2d(cout, cout, (9, 1), padding=(4, 0))
        self.bn2 = nn.BatchNorm2d(cout)
        self.drop = nn.Dropout(dropout)
        self.res = nn.Identity() if cin == cout else nn.Conv2d(cin, cout, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.einsum("nctv,vw->nctw", self.spatial(x), self.a)
        h = F.relu(self.bn1(h))
        h = self.drop(self.bn2(self.temporal(h)))
        return F.relu(h + self.res(x))


class STGCNStream(nn.Module):
    def __init__(self, n_nodes: int, edges, channels: int, dropout: float) -> None:
        super().__init__()
        a = _adjacency(n_nodes, edges)
        self.data_bn = nn.BatchNorm1d(GCN_CHANNELS * n_nodes)
        self.blocks = nn.Sequential(
            STGCNBlock(GCN_CHANNELS, channels, a, dropout),
            STGCNBlock(channels, channels, a, dropout),
            STGCNBlock(channels, 2 * channels, a, dropout),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, c, t, v = x.shape
        x = self.data_bn(x.permute(0, 1, 3, 2).reshape(n, c * v, t))
        x = x.reshape(n, c, v, t).permute(0, 1, 3, 2)
        return self.blocks(x).mean(dim=(2, 3))


class TwoStreamSTGCN(nn.Module):
    """Pose stream and hands stream, joints as nodes; pooled streams concatenated -> (N, E)."""

    def __init__(self, cfg: TrainConfig) -> None:
        super().__init__()
        name = {n: i for i, n in enumerate(POSE_NODES)}
        pose_edges = [(name[a], name[b]) for a, b in POSE_EDGES]
        hand_edges = list(HAND_BONES) + [(21 + a, 21 + b) for a, b in HAND_BONES]
        self.pose = STGCNStream(len(POSE_NODES), pose_edges, cfg.gcn_channels, cfg.dropout)
        self.hands = STGCNStream(42, hand_edges, cfg.gcn_channels, cfg.dropout)
        self.head = nn.Linear(4 * cfg.gcn_channels, cfg.embedding_size)

    def forward(self, pose: torch.Tensor, hands: torch.Tensor) -> torch.Tensor:
        h = torch.cat([self.pose(pose), self.hands(hands)], dim=1)
        return F.normalize(self.head(h), dim=-1)
