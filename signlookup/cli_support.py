"""What every layer's sub-commands share: the user-error exit code and the one-line error print.

A module of its own so that ``signlookup.cli`` (which registers the layer CLIs) and the layer CLIs
(which report errors) do not import each other.
"""

from __future__ import annotations

import sys

EXIT_USAGE = 2  # argparse's own code for a malformed command line
EXIT_INPUT = 3


def fail(message: str, code: int = EXIT_INPUT) -> int:
    """Print a user-facing error (no traceback) and return the exit code."""
    print(f"signlookup: error: {message}", file=sys.stderr)
    return code


def warn(message: str) -> None:
    """A fallback or a skipped item the user should know of, on one stderr line."""
    print(f"signlookup: warning: {message}", file=sys.stderr)
