"""A draft Libras gloss for any Portuguese sentence, word by word, each token linked.

The retrieval (``align``) can only return a dictionary example; a learner's own sentence needs
its own gloss. The draft: split the sentence into words (clitics ``deixa-se`` apart, known
multi-word signs ``Estados Unidos`` together), lemmatise (simplemma: offline, 0.75 of training
gloss words found among sentence lemmas against 0.66 for spaCy's lookup table, see docs/text.md),
then a table learned from the training pairs (``python -m training.text draft``) says which sign
each word becomes or that glosses leave it out (articles, most prepositions, the copula).
Numbers become digits, pronouns their sign (``minha`` -> ``ME@``), a word with no sign is
fingerspelled as INES writes it (``S-H-O-P-P-I-N-G``). ``NÃO`` stays before the verb, as the
canonical notation writes it. Tokens are written in INES notation (``AMIG@``); their
``words`` are the canonical form used for scoring.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signlookup.text.dictionary import Dictionary, DictionaryEntry
from signlookup.text.notation import canonical_gloss, gloss_tokens

FORMAT = 1
TABLES_FILE = "draft.json"
MAX_PHRASE = 4  # longest multi-word sign matched, in words

# Clitic pronouns after a hyphen (``liberá-los``, ``deixa-se``) are separate words.
CLITICS = frozenset((
    "me", "te", "se", "nos", "vos", "lhe", "lhes", "o", "a", "os", "as", "lo", "la", "los",
    "las", "no", "na", "nas", "mo", "ma",
))  # fmt: skip
NUMBER_WORDS = {
    "dois": "2", "duas": "2", "três": "3", "quatro": "4", "cinco": "5", "seis": "6",
    "sete": "7", "oito": "8", "nove": "9", "dez": "10", "onze": "11", "doze": "12",
    "treze": "13", "catorze": "14", "quatorze": "14", "quinze": "15", "dezesseis": "16",
    "dezessete": "17", "dezoito": "18", "dezenove": "19", "vinte": "20", "trinta": "30",
    "quarenta": "40", "cinquenta": "50", "sessenta": "60", "setenta": "70", "oitenta": "80",
    "noventa": "90", "cem": "100", "cento": "100", "mil": "1000",
}  # fmt: skip
# Possessives and pronouns whose lemma is not the sign's headword.
PRONOUNS = {
    "minha": "MEU", "minhas": "MEU", "meus": "MEU", "meu": "MEU", "tua": "TEU", "tuas": "TEU",
    "teus": "TEU", "sua": "SEU", "suas": "SEU", "seus": "SEU", "nossa": "NOSSO",
    "nossas": "NOSSO", "nossos": "NOSSO", "ela": "ELE", "elas": "ELES", "dela": "DELE",
    "delas": "DELES", "me": "EU", "mim": "EU", "comigo": "EU", "te": "VOCÊ", "ti": "VOCÊ",
    "contigo": "VOCÊ", "você": "VOCÊ", "vocês": "VOCÊS", "conosco": "NÓS", "nós": "NÓS",
}  # fmt: skip

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True)
class DraftToken:
    """One sign of the draft.

    ``gloss`` is written as INES writes it (``AMIG@``, ``S-H-O-P``, ``5``, ``NÃO``); ``words``
    its canonical form; ``kind`` ``sign``, ``fingerspelled``, ``number`` or ``punct``;
    ``source`` the Portuguese word(s) it stands for; ``entry`` the dictionary entry and
    ``sign`` the gallery entry (a ``signlookup.gallery.store.Entry``) when there is one.
    """

    gloss: str
    words: tuple[str, ...]
    kind: str
    source: str
    entry: DictionaryEntry | None = None
    sign: Any = None

    def to_dict(self) -> dict:
        sign = None
        if self.sign is not None:
            video = self.sign.video_path
            sign = {"id": self.sign.id, "gloss": self.sign.gloss,
                    "video": str(video) if video else None}  # fmt: skip
        return {
            "gloss": self.gloss, "words": list(self.words), "kind": self.kind,
            "source": self.source, "entry": self.entry.to_dict() if self.entry else None,
            "sign": sign,
        }  # fmt: skip


def split_words(sentence: str) -> list[str]:
    """Words and numbers of a sentence, clitics split off (``deixa-se`` -> ``deixa``, ``se``)."""
    out: list[str] = []
    for word in _WORD.findall(unicodedata.normalize("NFC", sentence)):
        parts = word.split("-")
        keep = len(parts)
        while keep > 1 and parts[keep - 1].lower() in CLITICS:
            keep -= 1
        out.append("-".join(parts[:keep]))
        out.extend(parts[keep:])
    return out


_lemma_lock = threading.Lock()


def lemma(word: str) -> str:
    """Lower-case lemma (simplemma, Portuguese; imported on first use, about 1 s)."""
    import simplemma

    with _lemma_lock:  # simplemma loads its Portuguese table lazily, once
        return simplemma.lemmatize(word.lower(), lang="pt").lower()


def lemma_keys(words: Sequence[str]) -> list[str]:
    """Lower-case lemma of each word (numbers as they are), hyphens as spaces: phrase keys."""
    return [(w if w[:1].isdigit() else lemma(w)).replace("-", " ") for w in words]


def base_sign(word: str) -> str:
    """The sign a word becomes by rule alone (before the learned table): a digit for a number,
    the pronoun's sign, otherwise the lemma in upper case."""
    lower = word.lower()
    if lower[:1].isdigit():
        return re.sub(r"[.,]", "", lower) if re.fullmatch(r"\d{1,3}(\.\d{3})+", lower) else lower
    if lower in NUMBER_WORDS:
        return NUMBER_WORDS[lower]
    if lower in PRONOUNS:
        return PRONOUNS[lower]
    return lemma(lower).upper()


# Endings simplemma leaves alone (participles, gerunds, gender, plural) -> the headword's.
_ENDINGS = (
    ("ados", "ar"), ("adas", "ar"), ("ado", "ar"), ("ada", "ar"), ("ando", "ar"),
    ("idos", "er"), ("idas", "er"), ("ido", "er"), ("ida", "er"), ("endo", "er"),
    ("idos", "ir"), ("idas", "ir"), ("ido", "ir"), ("ida", "ir"), ("indo", "ir"),
    ("ões", "ão"), ("ães", "ão"), ("as", "o"), ("os", "o"), ("a", "o"), ("s", ""),
)  # fmt: skip


def word_variants(word: str) -> list[str]:
    """Upper-case readings of an inflected form to try against the dictionary, in order."""
    out = []
    for w in (word.lower(), lemma(word)):
        for end, new in _ENDINGS:
            if w.endswith(end) and len(w) > len(end) + 2:
                out.append((w[: -len(end)] + new).upper())
    return list(dict.fromkeys(out))


def spelling(word: str, sign: str) -> str:
    """What to fingerspell for a word with no sign: a conjugated verb or a plural as its lemma
    (``falsificou`` -> ``FALSIFICAR``, ``castelos`` -> ``CASTELO``), anything else as written
    (simplemma reads some nouns as verbs: ``flauta`` -> ``flautar``)."""
    low, lem = word.lower(), sign.lower()
    if word[:1].isupper() and word[1:].islower() and lem != low:
        return word  # a capitalised word inside a sentence: a name (draft() lowers the first)
    participle = low.endswith(("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas"))
    verb = lem.endswith(("ar", "er", "ir")) and (
        participle or not low.endswith(("a", "o", "as", "os"))
    )
    plural = low.endswith("s") and lem in (low[:-1], low[:-2])
    return sign if verb or plural else word


PERSONAL = ("EU", "VOCÊ", "ELE", "NÓS", "VOCÊS", "ELES")
ENDING_LENGTHS = (4, 3, 2)


def conjugated_verb(word: str, sign: str) -> bool:
    """A Portuguese verb form other than the infinitive (its sign is the infinitive)."""
    return sign.endswith(("AR", "ER", "IR")) and " " not in sign and word.upper() != sign


def verb_subject(word: str, subjects: dict[str, str]) -> str:
    """The pronoun the verb's ending implies (longest known ending), or ``""``."""
    low = word.lower()
    return next((subjects[low[-n:]] for n in ENDING_LENGTHS if low[-n:] in subjects), "")


def fingerspell(word: str) -> str:
    """``shopping`` -> ``S-H-O-P-P-I-N-G``, as INES writes fingerspelling."""
    return "-".join(c for c in word.upper() if c.isalnum())


@dataclass(frozen=True)
class DraftTables:
    """What ``python -m training.text draft`` learned from the training pairs.

    ``words`` / ``lemmas``: the canonical sign of a Portuguese word (or of its lemma, for
    forms never seen), ``""`` when glosses leave it out; ``written``: canonical word -> the
    form INES glosses write (``AMIGO`` -> ``AMIG@``); ``phrases``: lower-case word sequences
    signed as one compound (``estados unidos`` -> ``ESTADOS-UNIDOS``); ``front``: signs moved
    to the start of the draft (time words), empty unless a measurement chose it;
    ``subjects``: verb ending -> the pronoun glosses sign when Portuguese leaves the subject
    out (``comprei`` -> ``EU COMPRAR``).
    """

    words: dict[str, str]
    lemmas: dict[str, str]
    written: dict[str, str]
    phrases: dict[str, str]
    front: frozenset[str] = frozenset()
    info: dict | None = None
    subjects: dict[str, str] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT, "info": self.info or {}, "front": sorted(self.front),
            "phrases": self.phrases, "words": self.words, "lemmas": self.lemmas,
            "written": self.written, "subjects": self.subjects,
        }  # fmt: skip
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")

    @classmethod
    def load(cls, path: Path) -> DraftTables:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: draft tables format {data.get('format')}, expected {FORMAT}")
        return cls(
            data["words"], data["lemmas"], data["written"], data["phrases"],
            frozenset(data.get("front", ())), data.get("info"), data.get("subjects", {}),
        )  # fmt: skip


class Drafter:
    """Sentence -> draft tokens, with the learned tables and the dictionary."""

    @classmethod
    def load(cls, bundle: Path) -> Drafter:
        """From a text bundle folder (``draft.json`` + ``dictionary.json``); no torch needed,
        about 1 s (simplemma's table): call it off the GUI thread."""
        from signlookup.text.errors import BundleMismatchError, ModelMissingError

        path = bundle / TABLES_FILE
        if not path.is_file():
            raise ModelMissingError(
                f"no gloss-draft tables at {path}: build them with `python -m training.text draft`"
            )
        try:
            tables = DraftTables.load(path)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BundleMismatchError(f"{path}: unreadable draft tables ({exc})") from exc
        dictionary_path = bundle / "dictionary.json"
        dictionary = Dictionary.load(dictionary_path) if dictionary_path.is_file() else None
        lemma("casas")  # simplemma reads its Portuguese table now, not on the first sentence
        return cls(tables, dictionary or Dictionary([]))

    def __init__(self, tables: DraftTables, dictionary: Dictionary) -> None:
        self.tables = tables
        self.dictionary = dictionary
        self._longest = max((len(p.split()) for p in tables.phrases), default=1)

    def _units(self, words: Sequence[str]) -> list[tuple[str, str | None]]:
        """(Portuguese text, compound sign or None), longest known phrase first, matched on
        the words as written or on their lemmas (``anos passados`` -> ``ANO-PASSADO``)."""
        out: list[tuple[str, str | None]] = []
        lower = [w.lower().replace("-", " ") for w in words]
        lemmas = lemma_keys(words) if self.tables.phrases else lower
        i = 0
        while i < len(words):
            for n in range(min(self._longest, MAX_PHRASE, len(words) - i), 0, -1):
                sign = self.tables.phrases.get(" ".join(lower[i : i + n])) or (
                    self.tables.phrases.get(" ".join(lemmas[i : i + n]))
                )
                if sign:
                    out.append((" ".join(words[i : i + n]), sign))
                    i += n
                    break
            else:
                out.append((words[i], None))
                i += 1
        return out

    def sign_of(self, word: str) -> str:
        """Canonical sign of one word, ``""`` when glosses leave it out."""
        lower = word.lower()
        if lower[:1].isdigit() or lower in NUMBER_WORDS:
            return base_sign(word)
        if lower in self.tables.words:
            return self.tables.words[lower]
        lem = lemma(lower)
        if lem in self.tables.lemmas:
            return self.tables.lemmas[lem]
        sign = base_sign(word)
        if not self.known(sign):
            sign = next((v for v in word_variants(word) if self.known(v)), sign)
        return sign

    def known(self, sign: str) -> bool:
        return sign in self.tables.written or self.dictionary.get(sign) is not None

    def _token(self, source: str, sign: str, first: bool = False) -> DraftToken:
        if sign[:1].isdigit():
            return DraftToken(sign, (sign,), "number", source)
        if self.known(sign):
            written = self.tables.written.get(sign)
            if written is None:
                entry = self.dictionary.get(sign)
                written = (entry.gloss if entry else sign).replace(" ", "-")
            parsed = gloss_tokens(written)
            entry = self.dictionary.get(sign)
            if entry is None and parsed:
                entry = self.dictionary.link(parsed[0])
            kind = parsed[0].kind if len(parsed) == 1 else "sign"  # INES spells D-I-A
            kind = kind if kind in ("fingerspelled", "number") else "sign"
            return DraftToken(written, tuple(canonical_gloss(written).split()), kind, source,
                              entry)  # fmt: skip
        word = source.lower() if first else source  # capitals at the start mark no name
        spelled = fingerspell(sign if " " in source else spelling(word, sign))
        return DraftToken(spelled, tuple(canonical_gloss(spelled).split()), "fingerspelled",
                          source)  # fmt: skip

    def _add_subject(self, tokens: list[DraftToken]) -> list[DraftToken]:
        """Sign the subject Portuguese leaves out, before the first conjugated verb."""
        if not self.tables.subjects or any(t.words[:1] == (w,) for t in tokens for w in PERSONAL):
            return tokens
        for i, t in enumerate(tokens):
            if conjugated_verb(t.source, " ".join(t.words)):
                subject = verb_subject(t.source, self.tables.subjects)
                if subject:
                    pronoun = self._token(subject.lower(), subject)
                    return [*tokens[:i], pronoun, *tokens[i:]]
                break
        return tokens

    def draft(self, sentence: str, gallery: Iterable[Any] | None = None) -> list[DraftToken]:
        """Draft tokens for a (cleaned) sentence; ``gallery``: entries to link signs to."""
        tokens: list[DraftToken] = []
        for i, (source, compound) in enumerate(self._units(split_words(sentence))):
            if compound:  # a multi-word sign, written as the glosses write it
                words = tuple(canonical_gloss(compound).split())
                parsed = gloss_tokens(compound)
                entry = self.dictionary.link(parsed[0]) if len(parsed) == 1 else None
                tokens.append(DraftToken(compound, words, "sign", source, entry))
                continue
            sign = self.sign_of(source)
            if sign and "-" in source and not self.known(sign):
                parts = [(p, self.sign_of(p)) for p in source.split("-")]  # Seguro-Desemprego
                tokens += [self._token(p, s, i == 0) for p, s in parts if s]
            elif sign:
                tokens.append(self._token(source, sign, i == 0))
        tokens = self._add_subject(tokens)
        if self.tables.front:
            first = [t for t in tokens if t.words and t.words[0] in self.tables.front]
            tokens = first + [t for t in tokens if t not in first]
        end = sentence.rstrip()[-1:]
        if end in "?!" and end:
            tokens.append(DraftToken(end, (end,), "punct", end))
        if gallery is not None:
            tokens = link_gallery(tokens, gallery)
        return tokens


def link_gallery(tokens: Sequence[DraftToken], gallery: Iterable[Any]) -> list[DraftToken]:
    """Attach the gallery entry whose gloss is the token's sign (``CAFÉ`` -> gallery ``café``).

    ``gallery``: entries with ``gloss`` (a ``Gallery.entries()`` list); the first wins."""
    from signlookup.search import gloss_key

    by_key: dict[str, Any] = {}
    for e in gallery:
        by_key.setdefault(gloss_key(e.gloss), e)
    out = []
    for t in tokens:
        sign = None
        if t.kind == "sign":
            sign = by_key.get(gloss_key(" ".join(t.words))) or by_key.get(gloss_key(t.gloss))
        out.append(DraftToken(t.gloss, t.words, t.kind, t.source, t.entry, sign))
    return out


def draft_words(tokens: Sequence[DraftToken]) -> list[str]:
    """The canonical words of a draft, punctuation left out: what draft F1 scores."""
    return [w for t in tokens if t.kind != "punct" for w in t.words]


def gloss_words(gloss: str) -> list[str]:
    """The canonical words of a reference gloss, punctuation left out (the other side of F1)."""
    return [w for t in gloss_tokens(gloss) if t.kind != "punct" for w in t.words]
