"""The ``signlookup`` command. No sub-command starts the desktop app.

Each layer contributes its sub-commands through a ``register(subparsers)`` function that adds a
parser and sets ``func`` (namespace -> exit code); user errors print one line and exit non-zero.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ logging off the terminal
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import signlookup.quiet  # noqa: F401  (FFmpeg quiet before any capture, cv2 anywhere)
from signlookup.cli_support import EXIT_USAGE, TerminalProgress, fail


class OneLineParser(argparse.ArgumentParser):
    """Usage errors as one line (what is wrong and where help is), not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _extract(args: argparse.Namespace) -> int:
    from signlookup.capture import CaptureError
    from signlookup.pose import PoseExtractionError, save_npz, save_pose_file
    from signlookup.pose.video import extract_video

    out = Path(args.output)
    if out.is_dir():
        return fail(f"{out} is a folder: give a file name ending in .npz or .pose")
    if out.suffix.lower() not in (".npz", ".pose"):
        return fail(f"{out}: the output must end in .npz or .pose")
    try:
        seq = extract_video(args.video, progress=TerminalProgress(" frames"))
    except (CaptureError, PoseExtractionError) as exc:
        return fail(str(exc))
    finally:
        TerminalProgress.clear()
    try:
        (save_pose_file if out.suffix.lower() == ".pose" else save_npz)(seq, out)
    except OSError as exc:  # disk full, read-only folder
        return fail(f"cannot write {out}: {exc.strerror or exc}")
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
    parser = OneLineParser(
        prog="signlookup",
        description="Reverse dictionary for sign languages. Without a command, opens the app.",
    )
    from signlookup import __version__

    parser.add_argument("--version", action="version", version=f"signlookup {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in _registrars():
        register(subparsers)
    return parser


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a message comes (tests swap it)."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


class _OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"signlookup: {record.levelname.lower()}: {record.getMessage()}"


def _announce_library_warnings() -> None:
    """The library's logged fallbacks (no sign encoder: feature scorer) reach the terminal as
    one ``signlookup: warning:`` line each, instead of a bare line or nothing."""
    log = logging.getLogger("signlookup")
    if not any(isinstance(h.formatter, _OneLineFormatter) for h in log.handlers):
        handler = _StderrHandler()
        handler.setLevel(logging.WARNING)
        handler.setFormatter(_OneLineFormatter())
        log.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _announce_library_warnings()
    if args.command is None:
        from signlookup.gui import run_app

        return run_app()
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return fail("interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
