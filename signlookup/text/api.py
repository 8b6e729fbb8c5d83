"""Public entry points: ``align(sentence, k)`` and ``reverse(gloss, k)``.

The bundle loads once per process, on first use or explicitly with ``load()`` from a worker
thread (importing torch and sentence-transformers takes seconds, so the GUI must not do it on
its own thread). A lock makes concurrent first calls load it once.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from signlookup.text.draft import Drafter, DraftToken
from signlookup.text.errors import (
    BundleMismatchError,
    EmptyInputError,
    InputTooLongError,
    NoWordsError,
    TextLookupError,
)
from signlookup.text.index import GlossIndex, GlossMatch, SentenceMatch

MAX_CHARS = 1000  # one sentence, generously; a pasted page is refused with a message
MAX_K = 100

_lock = threading.Lock()
_index: GlossIndex | None = None
_index_path: Path | None = None
_draft_lock = threading.Lock()  # its own: the draft must not wait for the model to load
_drafter: Drafter | None = None
_drafter_path: Path | None = None


def default_bundle() -> Path:
    from signlookup.resources import resource

    return resource("models", "text")


def load(path: str | Path | None = None, *, allow_lexical: bool = True) -> GlossIndex:
    """Load (once) and return the index; a different ``path`` replaces the cached one."""
    global _index, _index_path
    target = Path(path) if path is not None else default_bundle()
    with _lock:
        if _index is None or _index_path != target:
            try:
                _index = GlossIndex.load(target, allow_lexical=allow_lexical)
            except TextLookupError:
                raise
            except Exception as exc:  # json, numpy, tokenizers, torch: each its own error type
                raise BundleMismatchError(_damage(target, exc)) from None
            _index_path = target
        return _index


#: The files of a text bundle a damaged one is checked for, in the order they are read.
_BUNDLE_JSON = ("index.json", "dictionary.json")
_BUNDLE_NPY = ("gloss_embeddings.npy", "sentence_embeddings.npy")


def _damage(directory: Path, exc: Exception) -> str:
    """One line naming the bundle file that failed to load (found by reading each again)."""
    import json

    import numpy as np

    hint = "reinstall signlookup or rebuild it with `python -m training.text bundle`"
    if isinstance(exc, OSError) and exc.filename:
        return f"text bundle file {exc.filename}: {exc.strerror or exc}; {hint}"
    for name in _BUNDLE_JSON:
        path = directory / name
        try:
            if path.is_file():
                json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as bad:
            return f"text bundle file {path} is damaged ({bad}); {hint}"
    for name in _BUNDLE_NPY:
        path = directory / name
        try:
            if path.is_file():
                np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError) as bad:
            return f"text bundle file {path} is damaged ({bad}); {hint}"
    return f"text bundle {directory} is damaged ({type(exc).__name__}: {exc}); {hint}"


def load_drafter(path: str | Path | None = None) -> Drafter:
    """Load (once) the gloss-draft tables (no torch; about 1 s for simplemma's table)."""
    global _drafter, _drafter_path
    target = Path(path) if path is not None else default_bundle()
    with _draft_lock:
        if _drafter is None or _drafter_path != target:
            _drafter = Drafter.load(target)
            _drafter_path = target
        return _drafter


def draft_gloss(
    sentence: str, gallery: Iterable[Any] | None = None, drafter: Drafter | None = None
) -> list[DraftToken]:
    """Portuguese sentence -> a draft gloss, one ``DraftToken`` per sign, each linked to its
    dictionary entry and, with ``gallery`` (``Gallery.entries()``), to its gallery sign."""
    return (drafter or load_drafter()).draft(clean_text(sentence), gallery)


def clean_text(text: str, what: str = "sentence") -> str:
    """Validate user text; drop emoji and other symbols. Raises a ``TextLookupError``."""
    if not isinstance(text, str) or not text.strip():
        raise EmptyInputError(f"the {what} is empty: type a Portuguese {what}")
    if len(text) > MAX_CHARS:
        raise InputTooLongError(
            f"the text is {len(text):,} characters long; type one {what} "
            f"(at most {MAX_CHARS:,} characters)"
        )
    kept = "".join(
        c for c in unicodedata.normalize("NFC", text)
        if unicodedata.category(c) not in ("So", "Sk", "Cs", "Co", "Cn") and c not in "\u200d\ufe0f"
    )  # fmt: skip
    if not any(c.isalnum() for c in kept):
        raise NoWordsError(f"the {what} has no words (only emoji, symbols or punctuation)")
    return " ".join(kept.split())


def check_k(k: int) -> int:
    """``k`` as an int, or a ValueError saying the allowed range (checked before loading)."""
    if not 1 <= int(k) <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K}, not {k}")
    return int(k)


def align(sentence: str, k: int = 5, index: GlossIndex | None = None) -> list[GlossMatch]:
    """Portuguese sentence -> the ``k`` best gloss sequences, best first, each token linked to
    its dictionary entry."""
    k = check_k(k)
    text = clean_text(sentence)
    return (index or load()).top_glosses(text, k)


def reverse(gloss: str, k: int = 5, index: GlossIndex | None = None) -> list[SentenceMatch]:
    """Gloss sequence (any supported notation) -> the ``k`` closest Portuguese sentences."""
    k = check_k(k)
    text = clean_text(gloss, what="gloss")
    return (index or load()).top_sentences(text, k)
