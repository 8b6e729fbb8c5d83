"""Build ``resources/models/text``: the model in fp16 and the precomputed index.

Candidates are the INES example gloss sequences (unique by canonical form); the reverse
direction indexes their Portuguese sentences. Embeddings are computed with the fp16 weights as
the app will load them (cast to float32), so the stored vectors match the runtime encoder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from signlookup.text.dictionary import Dictionary
from signlookup.text.encoder import TextEncoder
from signlookup.text.index import MODEL_DIR, GlossIndex
from signlookup.text.notation import canonical_gloss
from training.text.convert import prune_model, save_fp16
from training.text.corpus import ines_pairs, read_ines


def build_bundle(
    model_dir: Path,
    out: Path,
    fusion_weight: float,
    pruning_texts: list[str] | None = None,
    extra_top: int = 0,
) -> dict:
    """Write the bundle; with ``pruning_texts`` the vocabulary is pruned first (smaller file,
    identical embeddings for those texts, checked on a sample)."""
    from sentence_transformers import SentenceTransformer

    rows = read_ines()
    pairs = ines_pairs(rows)
    glosses: list[str] = []
    position: dict[str, int] = {}
    sentence_gloss = []
    for p in pairs:
        c = canonical_gloss(p.gloss)
        if c not in position:
            position[c] = len(glosses)
            glosses.append(p.gloss)
        sentence_gloss.append(position[c])
    if (out / MODEL_DIR).exists():
        shutil.rmtree(out / MODEL_DIR)
    out.mkdir(parents=True, exist_ok=True)
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    prune_check = None
    if pruning_texts is not None:
        pruned = prune_model(model, pruning_texts, extra_top)
        sample = [p.sentence for p in pairs[::50]]
        a = model.encode(sample, prompt_name="query", normalize_embeddings=True)
        b = pruned.encode(sample, prompt_name="query", normalize_embeddings=True)
        prune_check = float((a * b).sum(1).min())
        if prune_check < 0.9999:
            raise ValueError(f"pruning changed corpus embeddings (min cosine {prune_check:.5f})")
        model = pruned
    save_fp16(model, out / MODEL_DIR)
    for stale in ("train_config.json", "conversion.json"):
        if (model_dir / stale).is_file():
            shutil.copy(model_dir / stale, out / MODEL_DIR / stale)
    encoder = TextEncoder.load(out / MODEL_DIR)
    index = GlossIndex.build(
        encoder, glosses, fusion_weight=fusion_weight, sentences=[p.sentence for p in pairs],
        sentence_gloss=sentence_gloss, dictionary=Dictionary.from_rows(rows),
    )  # fmt: skip
    index.save(out)
    for f in out.rglob("*"):
        if f.is_file():
            f.chmod(0o644)  # safetensors writes 0600; the app and packagers need to read it
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    info = {"glosses": len(glosses), "sentences": len(pairs), "bytes": size,
            "vocab": model[0].auto_model.config.vocab_size, "prune_min_cosine": prune_check,
            "model_bytes": sum(f.stat().st_size for f in (out / MODEL_DIR).rglob("*") if f.is_file())}  # fmt: skip
    (out / "bundle_info.json").write_text(json.dumps(info, indent=2))
    return info
