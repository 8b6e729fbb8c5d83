"""One canonical gloss notation for INES and VLibras glosses (documented in docs/text.md).

Dictionaries write Libras glosses differently: INES writes ``AMIG@ ME@``, ``S-U-C-O``,
``TER-NÃO``, ``3sINSTRUIR3s``, ``SAUDADEmuito``, ``pessoaANDAR``; VLibras writes
``LIGAR&TELEFONAR``, ``NÃO_QUERER``, ``1S_PEDIR_2S``, ``FELIZ(+)``, ``[PONTO]``. The encoder sees
one canonical form, upper-case Portuguese words separated by spaces, so that the two notations
meet and the pretrained model reads real words (``AMIGO MEU``, ``SUCO``, ``NÃO TER``,
``ELE INSTRUIR ELE``, ``SAUDADE MUITO``, ``PESSOA ANDAR``, ``LIGAR``, ``NÃO QUERER``,
``EU PEDIR VOCÊ``, ``FELIZ MUITO``). Each original token is kept beside its words so the
runtime can link it to its dictionary entry.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ``@`` marks "either gender"; the masculine form is the default reading, with these exceptions
# where adding "O" does not give a Portuguese word.
GENDER_EXCEPTIONS = {
    "EL@": "ELE", "DEL@": "DELE", "NEL@": "NELE", "AQUEL@": "AQUELE", "ME@": "MEU",
    "TE@": "TEU", "SE@": "SEU", "BO@": "BOM", "ESS@": "ESSE", "EST@": "ESTE", "IRM@": "IRMÃO",
    "UM@": "UM", "NENHUM@": "NENHUM", "ALEM@": "ALEMÃO", "CAMPE@": "CAMPEÃO", "CRISTÃ@": "CRISTÃO",
    "EL@S": "ELES", "DEL@S": "DELES", "ME@S": "MEUS", "SE@S": "SEUS", "BO@S": "BONS",
    "AQUEL@S": "AQUELES", "ESS@S": "ESSES", "EST@S": "ESTES",
}  # fmt: skip
# Agreement-verb person markers (3sINSTRUIR3s, 1S_PEDIR_2S, a lone 3s) -> the pronoun.
PERSONS = {"1S": "EU", "2S": "VOCÊ", "3S": "ELE", "1P": "NÓS", "2P": "VOCÊS", "3P": "ELES"}
BRACKETS = {"[PONTO]": "", "[INTERROGAÇÃO]": "?", "[EXCLAMAÇÃO]": "!"}
INTENSIFIER = "MUITO"

_LETTER = r"[A-ZÀ-ÖØ-Þ@]"
_FINGERSPELLED = re.compile(rf"^{_LETTER}(-{_LETTER})+$")
_AGREEMENT = re.compile(r"^(\d[spSP])?_?([A-ZÀ-Þa-zß-ÿ@&_+\-]+?)_?(\d[spSP])?$")
_PUNCT_EDGE = re.compile(r"^[\"'´`“”‘’.,;:]+|[\"'´`“”‘’.,;:]+$")
_ANNOTATION = re.compile(r"\((?!\+\))[^)]*\)|<[^>]*>")
_CASE_RUNS = re.compile(r"[a-zß-ÿ][a-zß-ÿ@\-]*|[^a-zß-ÿ]+")


@dataclass(frozen=True)
class GlossToken:
    """One token of a gloss as written, and the canonical words it stands for.

    ``kind`` is ``sign`` (a dictionary sign), ``fingerspelled``, ``agreement`` (a verb with
    person markers; ``head`` is the verb), ``classifier`` (lower-case descriptions), ``number``
    or ``punct``. ``head`` is the word to look up in the dictionary.
    """

    raw: str
    words: tuple[str, ...]
    kind: str
    head: str


def _strip_accents_old(word: str) -> str:
    """Pre-2009 orthography (AGÜENTAR) to today's (AGUENTAR)."""
    return word.replace("Ü", "U").replace("ü", "u")


def _ungender(word: str) -> str:
    if "@" not in word:
        return word
    if word in GENDER_EXCEPTIONS:
        return GENDER_EXCEPTIONS[word]
    if word.endswith("@S"):
        return word[:-2] + "OS"
    return word.replace("@", "O")


def _split_words(part: str) -> list[str]:
    """Split compounds (hyphen, underscore) into words, keeping fingerspelling whole."""
    part = part.strip("-_")
    if not part:
        return []
    if _FINGERSPELLED.match(part):
        return [_ungender(part.replace("-", ""))]
    pieces = [p for p in re.split(r"[-_]+", part) if p]
    if len(pieces) >= 2 and pieces[-1] == "NÃO":  # X-NÃO -> NÃO X, as VLibras writes it
        pieces = ["NÃO", *pieces[:-1]]
    return [_ungender(p) for p in pieces]


def _piece_tokens(raw: str, piece: str) -> list[GlossToken]:
    """Tokens of one ``^``-free piece (may mix lower-case classifiers and an upper-case sign)."""
    out: list[GlossToken] = []
    m = _AGREEMENT.match(piece)
    if m and (m.group(1) or m.group(3)) and re.search(r"[A-ZÀ-Þ]", m.group(2)):
        verb_words = _split_words(m.group(2).split("&")[0].upper())
        words = [PERSONS[m.group(1).upper()]] if m.group(1) else []
        words += verb_words
        words += [PERSONS[m.group(3).upper()]] if m.group(3) else []
        head = verb_words[0] if len(verb_words) == 1 else " ".join(verb_words)
        return [GlossToken(raw, tuple(words), "agreement", head)]
    if piece.upper() in PERSONS and len(piece) == 2:
        return [GlossToken(raw, (PERSONS[piece.upper()],), "sign", PERSONS[piece.upper()])]
    if len(piece) > 1 and piece[0].isupper() and piece[1].islower():
        piece = piece[0].lower() + piece[1:]  # "Cilindro", "El@": a capitalised lower-case word
    for run in _CASE_RUNS.findall(piece):
        lower = run[0].islower()
        text = run.upper()
        if lower and text.rstrip("@").rstrip("-") in ("MUIT", "MUITO"):
            out.append(GlossToken(raw, (INTENSIFIER,), "sign", INTENSIFIER))
            continue
        intense = text.endswith("(+)")
        text = text.replace("(+)", "")
        sign = text.split("&")[0]  # VLibras word&sense: the sign is the first word
        words = _split_words(sign.replace("+", ""))
        if not words:
            continue
        if sign.replace("-", "").replace("+", "").isdigit():
            kind = "number"
        elif lower:
            kind = "classifier"
        elif _FINGERSPELLED.match(sign.replace("+", "")):
            kind = "fingerspelled"
        else:
            kind = "sign"
        out.append(GlossToken(raw, tuple(words), kind, " ".join(words)))
        if intense:
            out.append(GlossToken(raw, (INTENSIFIER,), "sign", INTENSIFIER))
    return out


def gloss_tokens(gloss: str) -> list[GlossToken]:
    """Parse a gloss sequence in INES or VLibras notation into canonical tokens."""
    gloss = unicodedata.normalize("NFC", gloss)
    tokens: list[GlossToken] = []
    for raw in gloss.split():
        if raw in BRACKETS:
            if BRACKETS[raw]:
                tokens.append(GlossToken(raw, (BRACKETS[raw],), "punct", ""))
            continue
        if raw.startswith("[") and raw.endswith("]"):
            continue
        text = _strip_accents_old(_ANNOTATION.sub("^", raw))
        trailing = [c for c in re.findall(r"[?!]", text)][:1]
        text = _PUNCT_EDGE.sub("", text.replace("?", "").replace("!", ""))
        for piece in text.split("^"):
            if piece:
                tokens.extend(_piece_tokens(raw, piece))
        tokens.extend(GlossToken(raw, (p,), "punct", "") for p in trailing)
    return tokens


def canonical_gloss(gloss: str) -> str:
    """The canonical form the encoder and the lexical scorer see: ``"AMIGO MEU DETESTAR ..."``."""
    return " ".join(w for t in gloss_tokens(gloss) for w in t.words)


def canonical_sentence(text: str) -> str:
    """Portuguese input as the encoder sees it: NFC, single spaces, no control characters."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())


def lookup_key(word: str) -> str:
    """Dictionary key: upper case, today's orthography, hyphens as spaces, no punctuation."""
    word = _strip_accents_old(unicodedata.normalize("NFC", word).upper())
    word = re.sub(r"[^\wÀ-ÿ@ ]+", " ", word.replace("-", " ").replace("_", " "))
    return " ".join(word.split())
