"""The ``signlookup`` command. No sub-command starts the desktop app.

Each layer contributes its sub-commands through a ``register(subparsers)`` function that adds a
parser and sets ``func`` (namespace -> exit code); user errors print one line and exit non-zero.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ logging off the terminal
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

EXIT_USAGE = 2
EXIT_INPUT = 3


def fail(message: str, code: int = EXIT_INPUT) -> int:
    """Print a user-facing error (no traceback) and return the exit code."""
    print(f"signlookup: error: {message}", file=sys.stderr)
    return code


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


def _extract(args: argparse.Namespace) -> int:
    from signlookup.capture import CaptureError
    from signlookup.pose import PoseExtractionError, save_npz, save_pose_file
    from signlookup.pose.video import extract_video

    try:
        seq = extract_video(args.video, progress=TerminalProgress(" frames"))
    except (CaptureError, PoseExtractionError) as exc:
        return fail(str(exc))
    finally:
        TerminalProgress.clear()
    out = Path(args.output)
    if out.suffix == ".pose":
        save_pose_file(seq, out)
    else:
        save_npz(seq, out)
    hands = seq.mask[:, 33:].any(axis=1).mean()
    print(f"{out}: {len(seq)} frames at {seq.fps:.1f} fps, hands seen in {hands:.0%} of frames")
    return 0


def _register_extract(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("extract", help="extract MediaPipe landmarks from a video")
    p.add_argument("video", help="video file (mp4, avi, mov, ...)")
    p.add_argument("-o", "--output", required=True, help="output .npz (X, mask, fps) or .pose")
    p.set_defaults(func=_extract)


def _registrars() -> list:
    """Sub-command registrars of every layer, in the order ``--help`` lists them."""
    from signlookup.encoder import cli as encoder_cli
    from signlookup.gallery import cli as gallery_cli
    from signlookup.text import cli as text_cli

    return [_register_extract, gallery_cli.register, encoder_cli.register, text_cli.register]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="signlookup",
        description="Reverse dictionary for sign languages. Without a command, opens the app.",
    )
    from signlookup import __version__

    parser.add_argument("--version", action="version", version=f"signlookup {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in _registrars():
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from signlookup.gui import run_app

        return run_app()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
