"""What every layer's sub-commands share: the user-error exit code and the one-line error print.

A module of its own so that ``signlookup.cli`` (which registers the layer CLIs) and the layer CLIs
(which report errors) do not import each other.
"""

from __future__ import annotations

import sys
import time

EXIT_USAGE = 2  # argparse's own code for a malformed command line
EXIT_INPUT = 3


def fail(message: str, code: int = EXIT_INPUT) -> int:
    """Print a user-facing error (no traceback) and return the exit code."""
    print(f"signlookup: error: {message}", file=sys.stderr)
    return code


def warn(message: str) -> None:
    """A fallback or a skipped item the user should know of, on one stderr line."""
    print(f"signlookup: warning: {message}", file=sys.stderr)


class TerminalProgress:
    """``[done/total] name, about N s left`` on one stderr line, only when it is a terminal."""

    def __init__(self, unit: str = "") -> None:
        self.unit, self.start = unit, time.monotonic()

    def __call__(self, done: int, total: int, name: str) -> None:
        if not name or not sys.stderr.isatty():
            return
        elapsed = time.monotonic() - self.start
        eta = f", about {elapsed / done * (total - done):.0f} s left" if 0 < done < total else ""
        line = f"[{done}/{total}{self.unit}] {name[:50]}{eta}"
        print(f"\r{line:<80}", end="", file=sys.stderr, flush=True)

    @staticmethod
    def clear() -> None:
        if sys.stderr.isatty():
            print("\r" + " " * 80 + "\r", end="", file=sys.stderr, flush=True)
