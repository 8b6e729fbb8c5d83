"""One route for every error: exceptions, worker failures and Qt's own warnings end up logged
and, when the user can act on them, as one plain sentence in the window.

Typed library errors are turned into words here (``describe``), so views never show a
traceback and the app keeps running.
"""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, QtMsgType, Signal, qInstallMessageHandler

from signlookup.capture import (
    CameraDisconnectedError,
    CaptureError,
    SourceNotFoundError,
    UnreadableSourceError,
)
from signlookup.encoder.bundle import ModelBundleError
from signlookup.gallery import GalleryError
from signlookup.pose.holistic import ClipTooShortError, NoPersonError, PoseExtractionError
from signlookup.search import MAX_QUERY_S, QueryError, QueryTooLongError
from signlookup.text.api import MAX_CHARS
from signlookup.text.errors import (
    BundleMismatchError,
    EmptyInputError,
    InputTooLongError,
    ModelMissingError,
    NoWordsError,
    TextLookupError,
)

log = logging.getLogger("signlookup.gui")


class FeatureUnavailable(RuntimeError):
    """A library layer the GUI needs is not installed or not written yet."""


class CameraNotFoundError(SourceNotFoundError):
    """The chosen camera did not open (the capture layer says only "source not found")."""


def describe(exc: BaseException) -> str:
    """A sentence the user can act on, for errors we know; the exception text otherwise.

    Matches exception *types* of the library (never class names or message text).
    """
    detail = str(exc)
    if isinstance(exc, QueryError) and isinstance(
        exc.__cause__, CaptureError | PoseExtractionError
    ):
        return describe(exc.__cause__)  # a video query that could not be read or had nobody
    if isinstance(exc, QueryTooLongError):
        return QCoreApplication.translate(
            "errors",
            "{0} is {1} s long; a query is one sign (most last 1-8 s): trim it to the sign, "
            "at most {2} s, and search again.",
        ).format(exc.name, f"{exc.seconds:.0f}", f"{MAX_QUERY_S:.0f}")
    if isinstance(exc, CameraDisconnectedError):
        return QCoreApplication.translate(
            "errors",
            "The camera stopped sending pictures. Check the cable or close other apps using it.",
        )
    if isinstance(exc, CameraNotFoundError):
        return QCoreApplication.translate(
            "errors", "No camera was found. Connect a camera, or open a video file instead."
        )
    if isinstance(exc, SourceNotFoundError):
        return QCoreApplication.translate("errors", "The file could not be found: {0}").format(
            detail.split(": ", 1)[-1]
        )
    if isinstance(exc, UnreadableSourceError):
        return QCoreApplication.translate(
            "errors", "This file could not be read as a video. Try an MP4, AVI or MOV file."
        )
    if isinstance(exc, NoPersonError):
        return QCoreApplication.translate(
            "errors", "No person was found in the video. Make sure your upper body is in view."
        )
    if isinstance(exc, ClipTooShortError):
        return QCoreApplication.translate(
            "errors", "The recording is too short. Sign for at least one second."
        )
    if isinstance(exc, FeatureUnavailable):
        return detail
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").startswith("mediapipe"):
        return QCoreApplication.translate(
            "errors",
            "The pose model (MediaPipe) is missing from this installation, so signs cannot be read.",
        )
    if isinstance(exc, ModelMissingError):
        return QCoreApplication.translate(
            "errors",
            "The text model is missing from this installation, so glosses cannot be looked up.",
        )
    if isinstance(exc, ModelBundleError | BundleMismatchError):
        return QCoreApplication.translate(
            "errors", "A model file of this installation is damaged or does not match: {0}"
        ).format(detail)
    if isinstance(exc, GalleryError):
        return QCoreApplication.translate("errors", "The gallery could not be used: {0}").format(
            detail
        )
    if isinstance(exc, InputTooLongError):
        return QCoreApplication.translate(
            "errors", "The text is too long: type one sentence of at most {0} characters."
        ).format(f"{MAX_CHARS:,}")
    if isinstance(exc, EmptyInputError | NoWordsError):
        return QCoreApplication.translate(
            "errors", "Type a sentence in Portuguese (words, not only symbols)."
        )
    return detail or type(exc).__name__


def is_user_mistake(exc: BaseException) -> bool:
    """Errors caused by what the user gave (a bad file, no person, a long text): no traceback."""
    return isinstance(
        exc,
        CaptureError
        | PoseExtractionError
        | TextLookupError
        | QueryError
        | GalleryError
        | FeatureUnavailable,
    ) and not isinstance(exc, ModelMissingError | BundleMismatchError)


class ErrorRoute(QObject):
    """Receives errors from any thread and re-emits them on the GUI thread as ``message``."""

    #: (sentence for the user, is_error). Warnings use is_error=False.
    message = Signal(str, bool)

    def report(self, exc: BaseException, context: str = "") -> None:
        where = f"{context}: " if context else ""
        if is_user_mistake(exc):
            log.info("%s%s", where, exc)  # the user's input, not a fault of the app
        else:
            log.error("%s%s", where, exc, exc_info=exc)
        self.message.emit(describe(exc), True)

    def warn(self, text: str) -> None:
        log.warning("%s", text)
        self.message.emit(text, False)


_route: ErrorRoute | None = None


def error_route() -> ErrorRoute:
    """The process-wide route (created on first use, in the GUI thread)."""
    global _route
    if _route is None:
        _route = ErrorRoute()
    return _route


def install_hooks() -> None:
    """Send uncaught exceptions (any thread) and Qt warnings through the route."""
    route = error_route()

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        route.report(exc.with_traceback(tb), "uncaught")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            route.report(args.exc_value, f"thread {args.thread.name if args.thread else '?'}")

    def qt_messages(kind: QtMsgType, _context: object, text: str) -> None:
        level = logging.DEBUG if kind == QtMsgType.QtDebugMsg else logging.WARNING
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            level = logging.ERROR
        logging.getLogger("qt").log(level, "%s", text)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    qInstallMessageHandler(qt_messages)
