"""Errors the text layer raises for user input and bundle problems (messages are user-facing)."""

from __future__ import annotations


class TextLookupError(Exception):
    """Base class: the message is meant for the user, the CLI prints it without a traceback."""


class EmptyInputError(TextLookupError, ValueError):
    pass


class InputTooLongError(TextLookupError, ValueError):
    pass


class NoWordsError(TextLookupError, ValueError):
    """The input has no letters or digits (only emoji, symbols or punctuation)."""


class ModelMissingError(TextLookupError, FileNotFoundError):
    pass


class BundleMismatchError(TextLookupError, ValueError):
    """The bundle's manifest disagrees with its files (wrong version, dimension or hash)."""
