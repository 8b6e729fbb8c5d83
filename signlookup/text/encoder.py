"""The bundled sentence encoder, loaded from a local path only (never from the network).

The model is a sentence-transformers folder (BERT encoder, mean pooling, L2 normalisation) with
``query``/``passage`` prompts: Portuguese sentences are queries, canonical glosses passages, as
multilingual-e5 was trained. Weights ship in fp16 and are cast to float32 on load (CPU matmuls
in fp16 are slow and lose precision).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from signlookup.text.errors import ModelMissingError


def gloss_text(canonical: str) -> str:
    """What the encoder reads for a canonical gloss: lower case, as Portuguese words."""
    return canonical.lower()


class TextEncoder:
    """Thin wrapper over a SentenceTransformer: (n,) texts -> (n, dim) float32 unit vectors."""

    def __init__(self, model) -> None:
        self.model = model
        self.dim = int(model.get_embedding_dimension())

    @classmethod
    def load(cls, path: str | Path, threads: int | None = None) -> TextEncoder:
        path = Path(path)
        if not (path / "modules.json").is_file():
            raise ModelMissingError(
                f"no text model at {path}: build it with `python -m training.text bundle`"
            )
        os.environ["HF_HUB_OFFLINE"] = "1"  # before the hub client reads it
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()  # no "Loading weights" bar on stderr

        if threads:
            torch.set_num_threads(threads)
        model = SentenceTransformer(
            str(path), device="cpu", local_files_only=True, model_kwargs={"dtype": torch.float32}
        )
        model.float()  # pooling/normalise modules too
        model.eval()
        return cls(model)

    def encode(self, texts: Sequence[str], prompt: str, batch_size: int = 64) -> np.ndarray:
        """``prompt`` is ``"query"`` (Portuguese) or ``"passage"`` (glosses)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        emb = self.model.encode(
            list(texts), prompt_name=prompt, batch_size=batch_size,
            convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False,
        )  # fmt: skip
        return np.asarray(emb, np.float32)
