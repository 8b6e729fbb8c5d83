"""Fine-tune the siamese encoder: MultipleNegativesRankingLoss with NO_DUPLICATES batches, then a
round with hard negatives (the model's own nearest wrong glosses and minimal-edit twins).

One shared encoder reads both sides; the Portuguese side gets the ``query:`` prompt and the
canonical gloss the ``passage:`` prompt, as e5 was pretrained. With in-batch negatives a
repeated gloss in a batch would be a false negative, hence ``BatchSamplers.NO_DUPLICATES``.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from signlookup.text.encoder import gloss_text
from signlookup.text.notation import canonical_gloss, canonical_sentence
from training.text.corpus import Pair
from training.text.minimal_edits import one_twin

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


@dataclass
class TrainConfig:
    epochs: float = 1.0
    batch_size: int = 32
    lr: float = 3e-5
    warmup_ratio: float = 0.1
    seed: int = 13
    threads: int = 1
    max_seq_length: int = 64
    meaning_pairs: int = 3000  # how many definition/headword pairs to mix in (0 = none)
    hard_negatives: bool = False


def pair_texts(pairs: list[Pair]) -> tuple[list[str], list[str]]:
    """(queries, passages) as the encoder reads them."""
    return (
        [canonical_sentence(p.sentence) for p in pairs],
        [gloss_text(canonical_gloss(p.gloss)) for p in pairs],
    )


def mine_hard_negatives(model, pairs: list[Pair], seed: int = 13) -> list[str]:
    """For each pair, a negative: its minimal-edit twin when one exists (half the time), else
    the model's highest-scoring gloss that is not the pair's own."""
    queries, passages = pair_texts(pairs)
    uniq = sorted(set(passages))
    index = {p: i for i, p in enumerate(uniq)}
    q = model.encode(queries, prompt_name="query", batch_size=64, normalize_embeddings=True)
    g = model.encode(uniq, prompt_name="passage", batch_size=64, normalize_embeddings=True)
    scores = q @ g.T
    truth = np.array([index[p] for p in passages])
    scores[np.arange(len(truth)), truth] = -np.inf
    nearest = scores.argmax(axis=1)
    rng = random.Random(seed)
    out = []
    for i, p in enumerate(passages):
        twin = one_twin(p.upper(), rng) if rng.random() < 0.5 else None
        out.append(twin.lower() if twin else uniq[nearest[i]])
    return out


def finetune(base: str | Path, out: str | Path, pairs: list[Pair], cfg: TrainConfig):
    """Train from ``base`` on ``pairs``; saves to ``out`` (fp32, scratch) and returns the model."""
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
        losses,
    )
    from sentence_transformers.training_args import BatchSamplers

    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    model = SentenceTransformer(str(base), device="cpu", local_files_only=True)
    model.float()
    model.max_seq_length = cfg.max_seq_length
    anchors, positives = pair_texts(pairs)
    columns = {"anchor": anchors, "positive": positives}
    if cfg.hard_negatives:
        columns["negative"] = mine_hard_negatives(model, pairs, cfg.seed)
    data = Dataset.from_dict(columns).shuffle(seed=cfg.seed)
    prompts = {"anchor": "query: ", "positive": "passage: ", "negative": "passage: "}
    args = SentenceTransformerTrainingArguments(
        output_dir=str(Path(out) / "trainer"),
        num_train_epochs=cfg.epochs,
        per_device_train_batch_size=cfg.batch_size,
        learning_rate=cfg.lr,
        warmup_ratio=cfg.warmup_ratio,
        batch_sampler=BatchSamplers.NO_DUPLICATES,
        prompts={k: v for k, v in prompts.items() if k in columns},
        seed=cfg.seed,
        use_cpu=True,
        save_strategy="no",
        logging_steps=20,
        report_to=[],
        dataloader_num_workers=0,
    )
    trainer = SentenceTransformerTrainer(
        model=model, args=args, train_dataset=data,
        loss=losses.MultipleNegativesRankingLoss(model),
    )  # fmt: skip
    trainer.train()
    out = Path(out)
    model.save(str(out), create_model_card=False)
    (out / "train_config.json").write_text(json.dumps(asdict(cfg), indent=2))
    return model
