"""Portuguese <-> Libras gloss: notation, dictionary entries, the bundled model and its index.

Qt-free. Heavy imports (torch, sentence-transformers) happen only when a bundle loads.
"""

from __future__ import annotations

from signlookup.text.api import align, clean_text, draft_gloss, load, load_drafter, reverse
from signlookup.text.draft import Drafter, DraftToken
from signlookup.text.errors import (
    BundleMismatchError,
    EmptyInputError,
    InputTooLongError,
    ModelMissingError,
    NoWordsError,
    TextLookupError,
)
from signlookup.text.index import GlossIndex, GlossMatch, LinkedToken, SentenceMatch
from signlookup.text.notation import canonical_gloss, gloss_tokens

__all__ = [
    "BundleMismatchError", "DraftToken", "Drafter", "EmptyInputError", "GlossIndex", "GlossMatch", "InputTooLongError",
    "LinkedToken", "ModelMissingError", "NoWordsError", "SentenceMatch", "TextLookupError",
    "align", "canonical_gloss", "clean_text", "draft_gloss", "gloss_tokens", "load", "load_drafter",
    "reverse",
]  # fmt: skip
