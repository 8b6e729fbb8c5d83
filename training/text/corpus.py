"""Pairs, splits and extra training pairs from ``../shared/data/text``.

Splits are by pair, but near-duplicates travel together: two pairs are joined when their
sentences or their canonical glosses are equal after normalisation, or their character-trigram
TF-IDF cosine is >= ``NEAR_DUP`` (the INES dictionary repeats a sentence under several
headwords, sometimes with one word changed). Whole groups go to test, validation or training.
VLibras pairs never enter training: they are the cross-notation test.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from signlookup.text.notation import canonical_gloss, canonical_sentence

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "text"
NEAR_DUP = 0.8
TEST_SIZE = 500
VAL_SIZE = 300
SEED = 13


@dataclass(frozen=True)
class Pair:
    sentence: str  # Portuguese, as written
    gloss: str  # gloss sequence, as written
    headword: str = ""  # INES entry the example belongs to


def read_ines(path: Path | None = None) -> list[dict[str, str]]:
    with open(path or DATA / "ines_dictionary.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def ines_pairs(rows: list[dict[str, str]]) -> list[Pair]:
    """Unique (sentence, gloss) pairs, first headword kept."""
    seen: set[tuple[str, str]] = set()
    out = []
    for r in rows:
        key = (r["example_pt"].strip(), r["example_gloss"].strip())
        if key[0] and key[1] and key not in seen:
            seen.add(key)
            out.append(Pair(key[0], key[1], r["gloss"]))
    return out


def vlibras_pairs(path: Path | None = None) -> list[Pair]:
    """VLibras pairs; rows have 2-4 fields (some carry an English translation), header says 3."""
    out, seen = [], set()
    with open(path or DATA / "vlibras_ptbr2gloss_sample500.csv", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            if len(row) >= 2 and row[0].strip() and row[1].strip():
                key = (canonical_sentence(row[0]), row[1].strip())
                if key not in seen and canonical_gloss(key[1]):
                    seen.add(key)
                    out.append(Pair(*key))
    return out


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\wÀ-ÿ]+", " ", text.lower()).split())


def near_duplicate_groups(pairs: list[Pair], threshold: float = NEAR_DUP) -> list[int]:
    """Group id per pair (union-find over equal or near-equal sentences or glosses)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    parent = list(range(len(pairs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    for texts in (
        [_norm(p.sentence) for p in pairs],
        [_norm(canonical_gloss(p.gloss)) for p in pairs],
    ):
        first: dict[str, int] = {}
        for i, t in enumerate(texts):
            union(i, first.setdefault(t, i))
        x = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3)).fit_transform(texts)
        sims = (x @ x.T).tocoo()
        for i, j, v in zip(sims.row, sims.col, sims.data, strict=True):
            if i < j and v >= threshold:
                union(int(i), int(j))
    return [find(i) for i in range(len(pairs))]


@dataclass
class Splits:
    train: list[Pair]
    val: list[Pair]
    test: list[Pair]
    vlibras: list[Pair]


def make_splits(seed: int = SEED) -> Splits:
    """Deterministic INES train/val/test (no near-duplicate across them) + the VLibras test."""
    pairs = ines_pairs(read_ines())
    groups = near_duplicate_groups(pairs)
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)
    order = sorted(members)
    random.Random(seed).shuffle(order)
    test: list[int] = []
    val: list[int] = []
    train: list[int] = []
    for g in order:
        idx = members[g]
        if len(test) + len(idx) <= TEST_SIZE and len(idx) <= 2:
            test.extend(idx)
        elif len(val) + len(idx) <= VAL_SIZE and len(idx) <= 2:
            val.extend(idx)
        else:
            train.extend(idx)
    return Splits(
        [pairs[i] for i in train], [pairs[i] for i in val], [pairs[i] for i in test],
        vlibras_pairs(),
    )  # fmt: skip


def meaning_pairs(rows: list[dict[str, str]]) -> list[Pair]:
    """Extra pairs that teach what a gloss means: definition <-> gloss and headword <-> gloss.

    The headword side is the Portuguese word in lower case (``abacate`` <-> ``ABACATE``).
    Every row gives its definition, held-out examples included: a definition is about one
    sign, not the example pair, and never appears as a test query.
    """
    out, seen = [], set()
    for r in rows:
        gloss = r["gloss"].strip()
        if not gloss:
            continue
        definition = r["definition"].strip()
        if definition and (definition, gloss) not in seen:
            seen.add((definition, gloss))
            out.append(Pair(definition, gloss, gloss))
        word = gloss.lower().replace("@", "o")
        if (word, gloss) not in seen:
            seen.add((word, gloss))
            out.append(Pair(word, gloss, gloss))
    return out


def write_pairs(pairs: list[Pair], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["example_pt", "example_gloss", "headword"])
        w.writerows([p.sentence, p.gloss, p.headword] for p in pairs)
    return path


def read_pairs(path: Path) -> list[Pair]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            Pair(r["example_pt"], r["example_gloss"], r.get("headword", ""))
            for r in csv.DictReader(fh)
        ]


def leakage_report(splits: Splits) -> dict[str, float]:
    """Highest train<->test sentence and gloss trigram cosine (should stay < NEAR_DUP)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = {}
    for name, key in (("sentence", lambda p: _norm(p.sentence)),
                      ("gloss", lambda p: _norm(canonical_gloss(p.gloss)))):  # fmt: skip
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3))
        vec.fit([key(p) for p in splits.train + splits.test])
        a = vec.transform([key(p) for p in splits.test])
        b = vec.transform([key(p) for p in splits.train])
        out[f"max_{name}_cosine"] = float(np.max((a @ b.T).toarray()))
    return out
