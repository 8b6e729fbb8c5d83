"""Learn the draft tables (``signlookup.text.draft``) from the training pairs only.

For every Portuguese word of a training sentence we count, over the pairs that contain it, how
often its rule sign (lemma, pronoun, digit) appears in the pair's canonical gloss, and which
other gloss word follows it most reliably. A word whose rule sign is in the gloss at least
``keep`` of the time keeps it; otherwise a strongly associated other sign (``minha`` -> ``MEU``
is a rule; ``fui`` -> ``IR`` is learned) replaces it; otherwise glosses leave the word out
(articles, most prepositions, the copula). The same is counted per lemma, for forms the
training sentences never show. ``keep`` and ``min_count`` are chosen on the validation split.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from signlookup.text.dictionary import Dictionary
from signlookup.text.draft import (
    ENDING_LENGTHS,
    MAX_PHRASE,
    NUMBER_WORDS,
    PERSONAL,
    Drafter,
    DraftTables,
    base_sign,
    conjugated_verb,
    draft_words,
    gloss_words,
    lemma,
    lemma_keys,
    split_words,
)
from signlookup.text.metrics import mean_token_prf
from signlookup.text.notation import canonical_gloss, gloss_tokens, lookup_key
from training.text.corpus import Pair

LIFT = 5.0  # a replacement sign must be this many times likelier after the word than overall
PHRASE_SHARE = 0.5  # a compound is kept when the gloss has it in half the sentences with it


@dataclass
class _Counts:
    n: Counter  # pairs containing the key
    base: Counter  # ... whose gloss has the key's rule sign
    other: dict[str, Counter]  # ... whose gloss has each other sign


def _new_counts() -> _Counts:
    return _Counts(Counter(), Counter(), defaultdict(Counter))


def _written_forms(pairs: Sequence[Pair]) -> dict[str, str]:
    """Canonical word -> the form training glosses write most (``AMIGO`` -> ``AMIG@``)."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for p in pairs:
        for t in gloss_tokens(p.gloss):
            if t.kind not in ("sign", "fingerspelled", "number"):
                continue
            raw = t.raw.strip(".,;:!?\"'")
            if canonical_gloss(raw) == " ".join(t.words):
                forms[" ".join(t.words)][raw] += 1
    return {w: c.most_common(1)[0][0] for w, c in sorted(forms.items())}


def _phrases(pairs: Sequence[Pair], dictionary: Dictionary, written: dict[str, str]) -> dict:
    """Lower-case word sequences signed as one compound, kept when training glosses agree."""
    candidates: dict[str, str] = {}
    for e in dictionary.entries:
        key = lookup_key(e.gloss).lower()
        if 1 < len(key.split()) <= MAX_PHRASE:
            candidates[key] = e.gloss.replace(" ", "-")
    for canon, form in written.items():
        if 1 < len(canon.split()) <= MAX_PHRASE and not canon.startswith("NÃO "):
            candidates[canon.lower()] = form
    seen, agreed = Counter(), Counter()
    for p in pairs:
        words = split_words(p.sentence)
        text = " " + " ".join(w.lower().replace("-", " ") for w in words) + " "
        lemmas = " " + " ".join(lemma_keys(words)) + " "
        glossed = " " + " ".join(gloss_words(p.gloss)).lower() + " "
        for key in candidates:
            if f" {key} " in text or f" {key} " in lemmas:
                seen[key] += 1
                agreed[key] += f" {key} " in glossed
    return {
        k: v for k, v in sorted(candidates.items())
        if seen[k] == 0 or agreed[k] / seen[k] >= PHRASE_SHARE
    }  # fmt: skip


def count_words(pairs: Sequence[Pair], phrases: dict[str, str]) -> tuple[_Counts, _Counts, Counter]:
    """Per surface word and per lemma: how often their rule sign / other signs are glossed."""
    words, lemmas, df = _new_counts(), _new_counts(), Counter()
    drafter = Drafter(DraftTables({}, {}, {}, phrases), Dictionary([]))
    for p in pairs:
        glossed = set(gloss_words(p.gloss))
        df.update(glossed)
        units = [u for u, compound in drafter._units(split_words(p.sentence)) if not compound]
        signs = {u: base_sign(u) for u in {u.lower() for u in units}}
        explained = set(signs.values())  # a sign another word gives is not this word's
        for u, sign in signs.items():
            if u[:1].isdigit() or u in NUMBER_WORDS:
                continue
            for counts, key in ((words, u), (lemmas, lemma(u))):
                counts.n[key] += 1
                counts.base[key] += sign in glossed
                counts.other[key].update(g for g in glossed - explained)
    return words, lemmas, df


def decide(
    counts: _Counts, df: Counter, n_pairs: int, keep: float, min_count: int, sign_of
) -> dict[str, str]:
    """Key -> its sign, a learned replacement, or "" (left out), for keys seen often enough."""
    out = {}
    for key, n in counts.n.items():
        if n < min_count:
            continue
        if counts.base[key] / n >= keep:
            out[key] = sign_of(key)
            continue
        best = counts.other[key].most_common(1)
        if best:
            g, k = best[0]
            share = k / n
            lift = share / (df[g] / n_pairs)
            if k >= 2 and share >= keep and share > counts.base[key] / n and lift >= LIFT:
                out[key] = g
                continue
        out[key] = ""
    return dict(sorted(out.items()))


SUBJECT_SHARE = 0.5  # an ending implies a pronoun when the gloss has it this often
SUBJECT_MIN = 10


def learn_subjects(pairs: Sequence[Pair]) -> dict[str, str]:
    """Verb ending -> the pronoun glosses add when the sentence names no subject pronoun:
    counted on the first conjugated verb of each training sentence without one."""
    seen, with_pronoun = Counter(), defaultdict(Counter)
    for p in pairs:
        words = split_words(p.sentence)
        signs = [base_sign(w) for w in words]
        if any(s in PERSONAL for s in signs):
            continue
        verb = next((w for w, s in zip(words, signs, strict=True) if conjugated_verb(w, s)), None)
        if verb is None:
            continue
        glossed = set(gloss_words(p.gloss))
        for n in ENDING_LENGTHS:
            ending = verb.lower()[-n:]
            seen[ending] += 1
            with_pronoun[ending].update(g for g in PERSONAL if g in glossed)
    out = {}
    for ending, n in seen.items():
        best = with_pronoun[ending].most_common(1)
        if n >= SUBJECT_MIN and best and best[0][1] / n >= SUBJECT_SHARE:
            out[ending] = best[0][0]
    return dict(sorted(out.items()))


def learn_tables(
    train: Sequence[Pair], dictionary: Dictionary, keep: float, min_count: int, counted=None
) -> DraftTables:
    written = _written_forms(train)
    phrases = _phrases(train, dictionary, written) if counted is None else counted[3]
    words, lemmas, df = counted[:3] if counted is not None else count_words(train, phrases)
    n = len(train)
    return DraftTables(
        decide(words, df, n, keep, min_count, base_sign),
        decide(lemmas, df, n, keep, min_count, lambda k: k.upper()),
        {w: f for w, f in written.items() if " " not in w},
        phrases,
        subjects=learn_subjects(train),
        info={
            "trained_on": f"INES training split, {n} pairs",
            "keep": keep,
            "min_count": min_count,
        },
    )


def draft_scores(drafter: Drafter, pairs: Sequence[Pair]) -> dict[str, float]:
    predicted = [draft_words(drafter.draft(p.sentence)) for p in pairs]
    return mean_token_prf(predicted, [gloss_words(p.gloss) for p in pairs])


def tune(
    train: Sequence[Pair], val: Sequence[Pair], dictionary: Dictionary,
    keeps: Sequence[float] = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5), min_counts: Sequence[int] = (2, 3, 5),
) -> tuple[DraftTables, list[dict]]:  # fmt: skip
    """Grid over ``keep`` x ``min_count``, scored by draft F1 on validation; best tables."""
    written = _written_forms(train)
    phrases = _phrases(train, dictionary, written)
    counted = (*count_words(train, phrases), phrases)
    rows, best = [], None
    for keep in keeps:
        for m in min_counts:
            tables = learn_tables(train, dictionary, keep, m, counted)
            s = draft_scores(Drafter(tables, dictionary), val)
            rows.append({"keep": keep, "min_count": m, **s})
            if best is None or s["draft_f1"] > best[0]:
                best = (s["draft_f1"], tables)
    assert best is not None
    return best[1], rows


def baseline_headwords(dictionary: Dictionary, pairs: Sequence[Pair]) -> dict[str, float]:
    """The issue's anchor: each sentence word that is exactly a headword, as that headword."""
    predicted = []
    for p in pairs:
        words = []
        for w in split_words(p.sentence):
            e = dictionary.get(w)
            if e is not None:
                words += canonical_gloss(e.gloss.replace(" ", "-")).split()
        predicted.append(words)
    return mean_token_prf(predicted, [gloss_words(p.gloss) for p in pairs])


def draft_latency_ms(drafter: Drafter, sentences: Sequence[str]) -> dict[str, float]:
    times = []
    for s in sentences:
        t0 = time.perf_counter()
        drafter.draft(s)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"median_ms": round(times[len(times) // 2], 3), "max_ms": round(times[-1], 3)}


def bigrams(words: Sequence[str]) -> list[str]:
    return [f"{a} {b}" for a, b in itertools.pairwise(words)]


def order_scores(drafter: Drafter, pairs: Sequence[Pair]) -> dict[str, float]:
    """Word order, measured: multiset F1 of adjacent word pairs (draft F1 ignores order)."""
    predicted = [bigrams(draft_words(drafter.draft(p.sentence))) for p in pairs]
    return mean_token_prf(predicted, [bigrams(gloss_words(p.gloss)) for p in pairs], "bigram_")


def front_signs(pairs: Sequence[Pair], share: float = 0.5, min_count: int = 5) -> frozenset[str]:
    """Signs that training glosses put first at least ``share`` of the time (time words, ...)
    while the Portuguese sentence does not start with them."""
    first, seen = Counter(), Counter()
    for p in pairs:
        words = gloss_words(p.gloss)
        if not words:
            continue
        sentence_first = base_sign(split_words(p.sentence)[0]) if split_words(p.sentence) else ""
        for w in set(words):
            if w != sentence_first:
                seen[w] += 1
                first[w] += words[0] == w
    return frozenset(w for w, n in seen.items() if n >= min_count and first[w] / n >= share)


def training_example_index(bundle: Path, train: Sequence[Pair]):
    """The app's retrieval over *training* glosses only, with the bundled model and fusion
    weight (the bundle's own index holds every INES pair, held-out ones included)."""
    from signlookup.text.index import GlossIndex

    bundled = GlossIndex.load(bundle)
    glosses = sorted({p.gloss for p in train})
    return GlossIndex.build(bundled.encoder, glosses, fusion_weight=bundled.fusion_weight)


def baseline_top_example(index, pairs: Sequence[Pair]) -> dict[str, float]:
    """The app before the draft: the gloss of the nearest training example, as the draft."""
    best = index.score([p.sentence for p in pairs]).argmax(axis=1)
    predicted = [gloss_words(index.glosses[i]) for i in best]
    return mean_token_prf(predicted, [gloss_words(p.gloss) for p in pairs])


CONTRACTIONS = ("da", "do", "na", "no", "pela", "pelo", "dele", "dela", "nesta", "num", "ao",
                "à", "àquela", "daquele", "comigo")  # fmt: skip


def lemmatiser_coverage(pairs: Sequence[Pair], dictionary: Dictionary, lemmatise) -> dict:
    """How often a gloss word is among the sentence's lemmas (all words; verbs, i.e. words whose
    dictionary entry is a VERBO), and what the lemmatiser makes of common contractions."""
    found = total = verb_found = verbs = 0
    for p in pairs:
        lemmas = {lemmatise(w.lower()).upper() for w in split_words(p.sentence)}
        for g in gloss_words(p.gloss):
            entry = dictionary.get(g)
            is_verb = entry is not None and any(s.word_class == "VERBO" for s in entry.senses)
            total += 1
            found += g in lemmas
            verbs += is_verb
            verb_found += is_verb and g in lemmas
    return {"gloss_words_found": round(found / total, 3), "verbs_found": round(verb_found / verbs, 3),
            "verbs": verbs, "contractions": {c: lemmatise(c) for c in CONTRACTIONS}}  # fmt: skip


def lemmatisers(pairs: Sequence[Pair], dictionary: Dictionary) -> dict[str, dict]:
    """simplemma, spaCy's Portuguese lookup table (spacy-lookups-data, if importable; it is not
    a dependency: ``pip install --target DIR spacy-lookups-data==1.0.5`` and PYTHONPATH=DIR),
    and no lemmatiser, on the same pairs."""
    import gzip
    import importlib.util
    import json

    out = {"none": lemmatiser_coverage(pairs, dictionary, str.lower),
           "simplemma": lemmatiser_coverage(pairs, dictionary, lemma)}  # fmt: skip
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is not None and spec.origin:
        table_path = Path(spec.origin).parent / "data" / "pt_lemma_lookup.json.gz"
        with gzip.open(table_path, "rt", encoding="utf-8") as fh:
            table = json.load(fh)
        out["spacy-lookups-data"] = lemmatiser_coverage(
            pairs, dictionary, lambda w: table.get(w, w)
        )
    return out
