"""Character n-gram TF-IDF scorer: the fallback when no model is bundled, and half of the fusion.

Character 3-5-grams inside word boundaries (like scikit-learn's ``char_wb``) on lower-cased text
match inflected Portuguese (``detesta``) to gloss citation forms (``DETESTAR``) without any
model. Fitted on the candidates when the index loads (a fraction of a second for 5,000 glosses),
so nothing extra ships.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse


def char_ngrams(text: str, n_min: int = 3, n_max: int = 5) -> list[str]:
    """n-grams of each space-padded, lower-cased word (``" casa "`` -> ``" ca"``, ``"cas"``...)."""
    text = unicodedata.normalize("NFC", text).lower()
    grams: list[str] = []
    for word in text.split():
        w = f" {word} "
        for n in range(n_min, n_max + 1):
            grams.extend(w[i : i + n] for i in range(len(w) - n + 1))
    return grams


class CharTfidf:
    """Sublinear-tf, smoothed-idf, L2-normalised character n-gram vectors."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float32)

    @classmethod
    def fit(cls, documents: Iterable[str]) -> CharTfidf:
        df: Counter[str] = Counter()
        n_docs = 0
        for doc in documents:
            df.update(set(char_ngrams(doc)))
            n_docs += 1
        vocab = {g: i for i, g in enumerate(sorted(df))}
        idf = np.array([math.log((1 + n_docs) / (1 + df[g])) + 1.0 for g in vocab], np.float32)
        return cls(vocab, idf)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """(n_texts, n_grams) L2-normalised rows; unknown n-grams are ignored."""
        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            counts = Counter(g for g in char_ngrams(text) if g in self.vocabulary)
            if not counts:
                continue
            idx = np.fromiter((self.vocabulary[g] for g in counts), np.int64, len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), np.float32, len(counts)))
            w = tf * self.idf[idx]
            w /= np.linalg.norm(w) or 1.0
            rows.extend([r] * len(idx))
            cols.extend(idx.tolist())
            vals.extend(w.tolist())
        shape = (len(texts), len(self.vocabulary))
        return sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float32)
